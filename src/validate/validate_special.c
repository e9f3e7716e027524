// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Kernel-grade validation, part 3: BPF special fields. After the type checks
 * the kernel's BTF_LOAD (btf_parse_struct_metas, btf_parse_fields,
 * btf_check_and_fixup_fields) looks at structs that contain a bpf_spin_lock,
 * bpf_list_head, bpf_list_node, bpf_rb_root or bpf_rb_node member and
 * rejects some layouts of them, without a log message. This file models the
 * part of those rules that was confirmed against the running kernel (6.18)
 * one probe at a time; the kernel has more (kptr tags, ownership cycles
 * across several structs, field count limits) that are not modelled.
 *
 * A struct is looked at ("triggered") when one of its members has, as its
 * type ID, the first STRUCT named bpf_spin_lock, bpf_list_head,
 * bpf_list_node, bpf_rb_root or bpf_rb_node. Then, member by member:
 *  - a member whose bit offset is not a multiple of 8: -EINVAL;
 *  - arrays are looked through (at most 32 levels); an empty array is skipped;
 *  - a type named like a special field is one: a second bpf_spin_lock or
 *    bpf_res_spin_lock: -E2BIG; misaligned or not a STRUCT of the field's
 *    size: ignored; an array of more than one lock or node: -EINVAL;
 *  - bpf_list_head / bpf_rb_root need exactly one decl tag "contains:S:M" on
 *    the member (-EINVAL otherwise); S must be a struct (-ENOENT) other than
 *    this one (-ELOOP), with a member M (-ENOENT) of type bpf_list_node /
 *    bpf_rb_node (-EINVAL); and the struct needs a lock (-EINVAL).
 *  - no special field found (and no nested struct or pointer that could
 *    hold one): -EFAULT.
 * Nothing recurses; only own types of base BTF are looked at (BPF_BTF_LOAD).
 */
#include "validate_int.h"

enum field { F_NONE, F_LOCK, F_RES_LOCK, F_LIST_HEAD, F_LIST_NODE, F_RB_ROOT, F_RB_NODE, F_NR };

static const struct {
	const char *name;
	uint32_t size, align;
	bool trigger;
} fields[F_NR] = {
	[F_LOCK] = { "bpf_spin_lock", 4, 4, true },
	[F_RES_LOCK] = { "bpf_res_spin_lock", 4, 4, false },
	[F_LIST_HEAD] = { "bpf_list_head", 16, 8, true },
	[F_LIST_NODE] = { "bpf_list_node", 24, 8, true },
	[F_RB_ROOT] = { "bpf_rb_root", 16, 8, true },
	[F_RB_NODE] = { "bpf_rb_node", 32, 8, true },
};

static enum field field_of(const struct bk_btf *btf, const struct bk_type *t)
{
	const char *name = bk_btf_str(btf, t->name_off);

	if (!name || strncmp(name, "bpf_", 4))
		return F_NONE;
	for (int f = F_LOCK; f < F_NR; f++)
		if (!strcmp(name, fields[f].name))
			return (enum field)f;
	return F_NONE;
}

/* First STRUCT named name, or 0 (btf_find_by_name_kind). */
static uint32_t find_struct(const struct bk__vctx *v, const char *name, size_t len)
{
	for (uint32_t id = v->start_id; id < v->type_cnt; id++) {
		const struct bk_type *t = bk__own_type(v->btf, id);
		const char *n = bk_btf_str(v->btf, t->name_off);

		if (bk_kind(t) == BK_KIND_STRUCT && n && strlen(n) == len && !strncmp(n, name, len))
			return id;
	}
	return 0;
}

/* The "contains:" decl tags on member idx of struct sid: count, and the last value. */
static int contains_tags(const struct bk__vctx *v, uint32_t sid, uint32_t idx, const char **value)
{
	int n = 0;

	for (uint32_t id = v->start_id; id < v->type_cnt; id++) {
		const struct bk_type *t = bk__own_type(v->btf, id);
		const char *s;

		if (bk_kind(t) != BK_KIND_DECL_TAG || t->type != sid ||
		    bk_decl_tag_of(t)->component_idx != (int32_t)idx)
			continue;
		s = bk_btf_str(v->btf, t->name_off);
		if (s && !strncmp(s, "contains:", 9)) {
			*value = s + 9;
			n++;
		}
	}
	return n;
}

#define REPORT(err, idx, ...)                                                     \
	do {                                                                      \
		long ix_ = (long)(idx);                                           \
		bk__vreport(v, sid, ix_, bk__vpos(v, sid, ix_ >= 0 ? 12 + 12 * (size_t)ix_ : 0), \
			    err, __VA_ARGS__);                                    \
		return;                                                           \
	} while (0)

/* A graph root (list head or rb root) at member idx of sid. */
static void check_root(struct bk__vctx *v, uint32_t sid, uint32_t idx, enum field f)
{
	const char *value = NULL, *colon;
	enum field node = f == F_LIST_HEAD ? F_LIST_NODE : F_RB_NODE;
	const struct bk_type *target;
	const struct bk_member *m;
	uint32_t tid;
	int n = contains_tags(v, sid, idx, &value);

	if (n != 1)
		REPORT(-EINVAL, idx, "%s needs exactly one \"contains:TYPE:MEMBER\" decl tag, found %d (special field check)",
		       fields[f].name, n);
	colon = strchr(value, ':');
	if (!colon)
		REPORT(-EINVAL, idx, "Invalid \"contains:\" value '%s' (special field check)", value);
	tid = find_struct(v, value, (size_t)(colon - value));
	if (!tid)
		REPORT(-ENOENT, idx, "%s contains struct '%.*s', which does not exist (special field check)",
		       fields[f].name, (int)(colon - value), value);
	if (tid == sid)
		REPORT(-ELOOP, idx, "%s contains its own struct (special field check)", fields[f].name);
	target = bk__own_type(v->btf, tid);
	m = bk_members(target);
	for (uint32_t i = 0; i < bk_vlen(target); i++, m++) {
		const char *mn = bk_btf_str(v->btf, m->name_off);
		const struct bk_type *mt;

		if (!mn || strcmp(mn, colon + 1))
			continue;
		mt = bk_btf_type(v->btf, m->type);
		if (!mt || bk_kind(mt) != BK_KIND_STRUCT || field_of(v->btf, mt) != node)
			REPORT(-EINVAL, idx, "%s contains member '%s', which is not a %s (special field check)",
			       fields[f].name, colon + 1, fields[node].name);
		return;
	}
	REPORT(-ENOENT, idx, "%s contains member '%s', which struct '%.*s' does not have (special field check)",
	       fields[f].name, colon + 1, (int)(colon - value), value);
}

static void check_struct(struct bk__vctx *v, uint32_t sid, const struct bk_type *st)
{
	const struct bk_member *m = bk_members(st);
	bool maybe = false, lock = false;
	uint32_t roots[16], nroots = 0, found = 0;
	enum field root_kind[16];
	unsigned seen = 0;

	for (uint32_t i = 0; i < bk_vlen(st); i++, m++) {
		uint32_t off = bk_member_bit_offset(st, m), nelems = 1, tid = m->type;
		const struct bk_type *t = bk_btf_type(v->btf, tid);
		enum field f;
		int depth;

		if (off % 8)
			REPORT(-EINVAL, (long)i, "Member of a struct with BPF special fields is not byte aligned (special field check)");
		off /= 8;
		for (depth = 0; depth < 32 && t && bk_kind(t) == BK_KIND_ARRAY; depth++) {
			nelems *= bk_array_of(t)->nelems;
			t = bk_btf_type(v->btf, bk_array_of(t)->type);
		}
		if (!t)
			continue;
		if (depth == 32)
			REPORT(-E2BIG, (long)i, "Arrays nested too deep (special field check)");
		if (!nelems)
			continue;
		f = field_of(v->btf, t);
		if (f == F_NONE) {
			const struct bk_type *pt = bk_kind(t) == BK_KIND_PTR ? bk_btf_type(v->btf, t->type) : NULL;

			/* fields in nested structs, kptrs (pointer to a type tag): not modelled */
			if (bk_kind(t) == BK_KIND_STRUCT || (pt && bk_kind(pt) == BK_KIND_TYPE_TAG))
				maybe = true;
			continue;
		}
		if (f == F_LOCK || f == F_RES_LOCK) {
			if (seen & (1u << f))
				REPORT(-E2BIG, (long)i, "Duplicate %s (special field check)", fields[f].name);
			seen |= 1u << f;
		}
		if (off % fields[f].align || bk_kind(t) != BK_KIND_STRUCT || t->size != fields[f].size)
			continue; /* ignored by the kernel */
		if (nelems > 1 && f != F_LIST_HEAD && f != F_RB_ROOT)
			REPORT(-EINVAL, (long)i, "Array of %s (special field check)", fields[f].name);
		found++;
		if (f == F_LOCK || f == F_RES_LOCK)
			lock = true;
		if ((f == F_LIST_HEAD || f == F_RB_ROOT) && nroots < 16) {
			root_kind[nroots] = f;
			roots[nroots++] = i;
		}
	}
	if (!found && !maybe)
		REPORT(-EFAULT, -1, "No usable BPF special field in a struct that has a special-field member (special field check)");
	for (uint32_t r = 0; r < nroots && !v->stop; r++) {
		if (!lock)
			REPORT(-EINVAL, (long)roots[r], "%s without a bpf_spin_lock in the same struct (special field check)",
			       fields[root_kind[r]].name);
		check_root(v, sid, roots[r], root_kind[r]);
	}
}

void bk__vspecial_all(struct bk__vctx *v)
{
	uint32_t trig[F_NR] = { 0 };
	bool any = false;

	if (v->btf->base)
		return;
	for (int f = F_LOCK; f < F_NR; f++) {
		if (fields[f].trigger) {
			trig[f] = find_struct(v, fields[f].name, strlen(fields[f].name));
			any |= trig[f] != 0;
		}
	}
	if (!any)
		return;
	for (uint32_t id = v->start_id; id < v->type_cnt && !v->stop; id++) {
		const struct bk_type *t = bk__own_type(v->btf, id);
		const struct bk_member *m = bk_members(t);
		bool hit = false;

		if (bk_kind(t) != BK_KIND_STRUCT || v->state[id - v->start_id] == BK__V_FAILED)
			continue;
		for (uint32_t i = 0; i < bk_vlen(t) && !hit; i++, m++)
			for (int f = F_LOCK; f < F_NR && !hit; f++)
				hit = trig[f] && m->type == trig[f];
		if (hit)
			check_struct(v, id, t);
	}
}
