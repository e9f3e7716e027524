// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Kernel-grade validation, part 2: the resolve pass (the kernel's
 * btf_check_all_types, btf_resolve and the per-kind resolve and
 * check_member callbacks), reimplemented so that btfkit accepts exactly what
 * the kernel accepts.
 *
 * Algorithm. Every own type that refers to other types by a non-pointer
 * edge (modifiers, typedefs, pointers, arrays, structs and unions, VARs,
 * FUNCs, DECL_TAGs, DATASECs) is "resolved" once: an iterative depth-first
 * walk on an explicit stack of at most 32 vertices (the kernel's
 * MAX_RESOLVE_DEPTH; deeper gives "Exceeded max resolving depth:32"). A
 * vertex is pushed when the type it needs is neither a "sink" nor resolved
 * yet; pushing a type already on the stack is a loop ("Loop detected").
 * What counts as a sink depends on the first pointer, struct or array seen
 * (the resolve mode): after a pointer only modifiers and pointers are
 * followed, so pointer cycles are legal; after a struct or array,
 * pointers end the walk. Resolved modifiers, VARs and FUNCs remember the
 * type they resolve to, and arrays their total size, which later
 * checks use to decide whether a type has a size (btf_type_id_size).
 * Struct members are checked against their struct's size once their type
 * is resolved; FUNC_PROTO return and argument types must be sized.
 *
 * Nothing recurses: the walk is the explicit stack, member checks follow
 * at most one resolved modifier, and base types (split BTF) are followed
 * for at most 64 steps.
 *
 * Differences from the kernel, on purpose: after a problem the pass goes on
 * with the next type instead of stopping. The types on the stack are marked
 * FAILED; reaching a FAILED type later stops that walk without a second
 * report. In split BTF, base types count as resolved (the kernel trusts
 * vmlinux); what they resolve to is computed on demand.
 */
#include <stdio.h>

#include "validate_int.h"

enum { MODE_TBD, MODE_PTR, MODE_STRUCT_OR_ARRAY };

/* A walk stopped because it reached a type already reported. */
#define E_SILENT (-ESRCH)
#define MAX_DEPTH BK_KERNEL_MAX_RESOLVE_DEPTH

struct vertex {
	uint32_t id;
	uint32_t next; /* next member / entry to look at */
};

struct rs {
	struct bk__vctx *v;
	const struct bk_btf *btf;
	struct vertex stack[MAX_DEPTH];
	int top;
	int mode;
};

/* ---- type facts (kernel btf_type_is_* and friends) ------------------- */

static const struct bk_type *T(const struct rs *r, uint32_t id)
{
	return id < r->v->type_cnt ? bk_btf_type(r->btf, id) : NULL;
}

static bool needs_resolve(unsigned k)
{
	return bk__v_is_modifier(k) || k == BK_KIND_PTR || k == BK_KIND_STRUCT ||
	       k == BK_KIND_UNION || k == BK_KIND_ARRAY || k == BK_KIND_VAR ||
	       k == BK_KIND_FUNC || k == BK_KIND_DECL_TAG || k == BK_KIND_DATASEC;
}

static bool source_only(unsigned k)
{
	return k == BK_KIND_VAR || k == BK_KIND_DECL_TAG || k == BK_KIND_DATASEC;
}

static bool has_size(unsigned k)
{
	return bk__kind_is(k, BK__KF_SIZED);
}

static bool is_struct(unsigned k)
{
	return bk__kind_is(k, BK__KF_COMPOSITE);
}

/* void (ID 0), FWD, FUNC, FUNC_PROTO and DECL_TAG have no size. */
static bool nosize_or_null(uint32_t id, const struct bk_type *t)
{
	unsigned k;

	if (!t || id == 0)
		return true;
	k = bk_kind(t);
	return k == BK_KIND_FWD || k == BK_KIND_FUNC || k == BK_KIND_FUNC_PROTO ||
	       k == BK_KIND_DECL_TAG;
}

static bool int_is_regular(const struct bk_type *t)
{
	uint8_t bits = (uint8_t)bk_int_bits(t);
	uint8_t bytes = (uint8_t)(bits / 8 + !!(bits % 8));

	if ((bits & 7) || bk_int_offset(t))
		return false;
	return bytes == 1 || bytes == 2 || bytes == 4 || bytes == 8 || bytes == 16;
}

static bool failed(const struct rs *r, uint32_t id)
{
	return id >= r->v->start_id && id < r->v->type_cnt &&
	       r->v->state[id - r->v->start_id] == BK__V_FAILED;
}

static bool resolved(const struct rs *r, uint32_t id)
{
	if (id < r->v->start_id)
		return true; /* base types are trusted */
	return r->v->state[id - r->v->start_id] == BK__V_RESOLVED;
}

static bool is_sink(const struct rs *r, const struct bk_type *t)
{
	unsigned k = bk_kind(t);

	switch (r->mode) {
	case MODE_TBD:
		return !needs_resolve(k);
	case MODE_PTR:
		return !bk__v_is_modifier(k) && k != BK_KIND_PTR;
	default:
		return !bk__v_is_modifier(k) && k != BK_KIND_ARRAY && !is_struct(k);
	}
}

/* What a base type resolves to: the first type past modifiers and VARs. */
static uint32_t base_resolved_id(const struct rs *r, uint32_t id)
{
	for (int i = 0; i < 64; i++) {
		const struct bk_type *t = T(r, id);

		if (!t)
			return 0;
		if (bk_kind(t) == BK_KIND_FUNC)
			return t->type;
		if (!bk__v_is_modifier(bk_kind(t)) && bk_kind(t) != BK_KIND_VAR)
			return id;
		id = t->type;
	}
	return 0;
}

/* Size of a base type, following modifiers and arrays (bounded). */
static uint32_t base_resolved_size(const struct rs *r, uint32_t id)
{
	uint64_t mul = 1;

	for (int i = 0; i < 64; i++) {
		const struct bk_type *t = T(r, id);
		unsigned k;

		if (!t || id == 0)
			return 0;
		k = bk_kind(t);
		if (has_size(k))
			return (uint32_t)(mul * t->size);
		if (k == BK_KIND_PTR)
			return (uint32_t)(mul * sizeof(void *));
		if (k == BK_KIND_ARRAY) {
			mul *= bk_array_of(t)->nelems;
			if (mul > UINT32_MAX)
				return 0;
			id = bk_array_of(t)->type;
		} else if (bk__v_is_modifier(k) || k == BK_KIND_VAR) {
			id = t->type;
		} else {
			return 0;
		}
	}
	return 0;
}

static uint32_t resolved_id(const struct rs *r, uint32_t id)
{
	if (id < r->v->start_id)
		return base_resolved_id(r, id);
	return r->v->res_id[id - r->v->start_id];
}

static uint32_t resolved_size(const struct rs *r, uint32_t id)
{
	if (id < r->v->start_id)
		return base_resolved_size(r, id);
	return r->v->res_size[id - r->v->start_id];
}

/*
 * btf_type_id_size: the sized type *id stands for (itself, or what a
 * modifier or VAR resolved to) and its size; NULL when it has no size.
 * *id is updated only on success.
 */
static const struct bk_type *type_id_size(const struct rs *r, uint32_t *id, uint32_t *size)
{
	uint32_t sid = *id, sz;
	const struct bk_type *t = T(r, sid);
	unsigned k;

	if (nosize_or_null(sid, t))
		return NULL;
	k = bk_kind(t);
	if (has_size(k)) {
		sz = t->size;
	} else if (k == BK_KIND_ARRAY) {
		sz = resolved_size(r, sid);
	} else if (k == BK_KIND_PTR) {
		sz = sizeof(void *);
	} else {
		if (!bk__v_is_modifier(k) && k != BK_KIND_VAR)
			return NULL;
		sid = resolved_id(r, sid);
		t = T(r, sid);
		if (nosize_or_null(sid, t))
			return NULL;
		k = bk_kind(t);
		if (has_size(k))
			sz = t->size;
		else if (k == BK_KIND_ARRAY)
			sz = resolved_size(r, sid);
		else if (k == BK_KIND_PTR)
			sz = sizeof(void *);
		else
			return NULL;
	}
	*id = sid;
	if (size)
		*size = sz;
	return t;
}

/* ---- the stack --------------------------------------------------------- */

static int push(struct rs *r, uint32_t id)
{
	const struct bk_type *t = T(r, id);
	unsigned k;

	if (r->top == MAX_DEPTH)
		return -E2BIG;
	if (failed(r, id))
		return E_SILENT;
	if (!t || id < r->v->start_id || r->v->state[id - r->v->start_id] != BK__V_NOT_VISITED)
		return -EEXIST;
	k = bk_kind(t);
	r->v->state[id - r->v->start_id] = BK__V_VISITED;
	r->stack[r->top].id = id;
	r->stack[r->top].next = 0;
	r->top++;
	if (r->mode == MODE_TBD) {
		if (k == BK_KIND_PTR)
			r->mode = MODE_PTR;
		else if (is_struct(k) || k == BK_KIND_ARRAY)
			r->mode = MODE_STRUCT_OR_ARRAY;
	}
	return 0;
}

static int pop_resolved(struct rs *r, uint32_t res_id, uint32_t res_size)
{
	uint32_t i = r->stack[--r->top].id - r->v->start_id;

	r->v->res_id[i] = res_id;
	r->v->res_size[i] = res_size;
	r->v->state[i] = BK__V_RESOLVED;
	return 0;
}

/* Report a problem about type id (member idx, or -1); returns -EINVAL. */
static int bad(struct rs *r, uint32_t id, long idx, const char *msg)
{
	size_t off = 0;

	if (idx >= 0) {
		const struct bk_type *t = T(r, id);
		off = sizeof(struct bk_type) + bk__kinds[bk_kind(t)].elem_sz * (size_t)idx;
	}
	bk__vreport(r->v, id, idx, bk__vpos(r->v, id, off), -EINVAL, "%s", msg);
	return -EINVAL;
}

/* ---- member checks (check_member / check_kflag_member) ---------------- */

static int check_member(struct rs *r, uint32_t sid, unsigned idx, uint32_t mid)
{
	const struct bk_type *st = T(r, sid), *mt = T(r, mid);
	const struct bk_member *m = bk_members(st) + idx;
	uint32_t off = m->offset, ssize = st->size, bytes;
	bool kflag = bk_kflag(st);
	unsigned k = bk_kind(mt);

	if (bk__v_is_modifier(k)) {
		mt = type_id_size(r, &mid, NULL);
		if (!mt)
			return bad(r, sid, idx, "Invalid member");
		k = bk_kind(mt);
	}
	switch (k) {
	case BK_KIND_INT: {
		uint32_t data = bk_int_data(mt), nr_bits, nr_copy;

		if (!kflag) {
			if (UINT32_MAX - off < bk_int_offset(mt))
				return bad(r, sid, idx, "bits_offset exceeds U32_MAX");
			off += bk_int_offset(mt);
			nr_bits = data & 0xff;
		} else {
			if (!int_is_regular(mt))
				return bad(r, sid, idx, "Invalid member base type");
			nr_bits = off >> 24;
			off &= 0xffffff;
			if (!nr_bits) {
				if (off % 8)
					return bad(r, sid, idx, "Invalid member offset");
				nr_bits = data & 0xff;
			} else if (nr_bits > (data & 0xff)) {
				return bad(r, sid, idx, "Invalid member bitfield_size");
			}
		}
		bytes = off / 8;
		nr_copy = nr_bits + off % 8;
		if (nr_copy > 128)
			return bad(r, sid, idx, "nr_copy_bits exceeds 128");
		if (ssize < bytes || ssize - bytes < nr_copy / 8 + !!(nr_copy % 8))
			return bad(r, sid, idx, "Member exceeds struct_size");
		return 0;
	}
	case BK_KIND_ENUM:
	case BK_KIND_ENUM64:
		if (kflag) {
			uint32_t nr_bits = off >> 24, boff = off & 0xffffff;
			uint64_t end;

			if (!nr_bits) {
				if (boff % 8)
					return bad(r, sid, idx, "Member is not byte aligned");
				nr_bits = 32;
			} else if (nr_bits > 32) {
				return bad(r, sid, idx, "Invalid member bitfield_size");
			}
			end = ((uint64_t)boff + nr_bits + 7) / 8;
			if (ssize < end)
				return bad(r, sid, idx, "Member exceeds struct_size");
			return 0;
		}
		if (off % 8)
			return bad(r, sid, idx, "Member is not byte aligned");
		if (ssize - off / 8 < mt->size)
			return bad(r, sid, idx, "Member exceeds struct_size");
		return 0;
	case BK_KIND_PTR:
	case BK_KIND_ARRAY:
	case BK_KIND_STRUCT:
	case BK_KIND_UNION:
	case BK_KIND_FLOAT:
		if (kflag && (off >> 24))
			return bad(r, sid, idx, "Invalid member bitfield_size");
		break;
	default:
		return bad(r, sid, idx, kflag ? "Unsupported check_kflag_member"
					     : "Unsupported check_member");
	}
	if (k == BK_KIND_FLOAT) {
		uint64_t align = mt->size < sizeof(void *) ? mt->size : sizeof(void *);

		if (!align || off % (align * 8))
			return bad(r, sid, idx, "Member is not properly aligned");
		if ((uint64_t)off / 8 + mt->size > ssize)
			return bad(r, sid, idx, "Member exceeds struct_size");
		return 0;
	}
	if (off % 8)
		return bad(r, sid, idx, "Member is not byte aligned");
	bytes = off / 8;
	if (k == BK_KIND_PTR) {
		if (ssize - bytes < sizeof(void *))
			return bad(r, sid, idx, "Member exceeds struct_size");
	} else if (k == BK_KIND_ARRAY) {
		uint32_t asz = 0, aid = mid;

		type_id_size(r, &aid, &asz);
		if (ssize - bytes < asz)
			return bad(r, sid, idx, "Member exceeds struct_size");
	} else if (ssize - bytes < mt->size) {
		return bad(r, sid, idx, "Member exceeds struct_size");
	}
	return 0;
}

/* ---- per-kind resolve ------------------------------------------------ */

/*
 * The next type of a modifier, PTR or VAR: push it when it needs resolving,
 * else return 1 to go on. For PTR and VAR, a modifier that resolved (in
 * struct-or-array mode) to a pointer not resolved yet is continued from
 * that pointer, so the pointer cannot lead back to the current type.
 */
static int follow(struct rs *r, uint32_t id, uint32_t nid, bool to_ptr)
{
	const struct bk_type *nt = T(r, nid);

	if (!nt || source_only(bk_kind(nt)))
		return bad(r, id, -1, "Invalid type_id");
	if (failed(r, nid))
		return E_SILENT;
	if (!is_sink(r, nt) && !resolved(r, nid))
		return push(r, nid);
	if (to_ptr && bk__v_is_modifier(bk_kind(nt))) {
		uint32_t rid = resolved_id(r, nid);
		const struct bk_type *rt = T(r, rid);

		if (rt && bk_kind(rt) == BK_KIND_PTR && !is_sink(r, rt) && !resolved(r, rid))
			return push(r, rid);
	}
	return 1;
}

/* Modifiers and PTR: the target has a size, or is void, FWD or FUNC_PROTO. */
static int resolve_ref(struct rs *r, uint32_t id, const struct bk_type *t)
{
	uint32_t nid = t->type;
	int err = follow(r, id, nid, bk_kind(t) == BK_KIND_PTR);

	if (err <= 0)
		return err;
	if (!type_id_size(r, &nid, NULL)) {
		const struct bk_type *nt = T(r, nid);

		if (resolved(r, nid)) {
			nid = resolved_id(r, nid);
			nt = T(r, nid);
		}
		if (nid != 0 && (!nt || (bk_kind(nt) != BK_KIND_FWD &&
					 bk_kind(nt) != BK_KIND_FUNC_PROTO)))
			return bad(r, id, -1, "Invalid type_id");
	}
	return pop_resolved(r, nid, 0);
}

static int resolve_var(struct rs *r, uint32_t id, const struct bk_type *t)
{
	uint32_t nid = t->type;
	int err = follow(r, id, nid, true);

	if (err <= 0)
		return err;
	if (!type_id_size(r, &nid, NULL))
		return bad(r, id, -1, "Invalid type_id");
	return pop_resolved(r, nid, 0);
}

static int resolve_array(struct rs *r, uint32_t id, const struct bk_type *t)
{
	const struct bk_array *a = bk_array_of(t);
	uint32_t iid = a->index_type, eid = a->type, esize = 0;
	const struct bk_type *it = T(r, iid), *et = T(r, eid);

	if (nosize_or_null(iid, it) || source_only(bk_kind(it)))
		return bad(r, id, -1, "Invalid index");
	if (failed(r, iid))
		return E_SILENT;
	if (!is_sink(r, it) && !resolved(r, iid))
		return push(r, iid);
	it = type_id_size(r, &iid, NULL);
	if (!it || bk_kind(it) != BK_KIND_INT || !int_is_regular(it))
		return bad(r, id, -1, "Invalid index");

	if (nosize_or_null(eid, et) || source_only(bk_kind(et)))
		return bad(r, id, -1, "Invalid elem");
	if (failed(r, eid))
		return E_SILENT;
	if (!is_sink(r, et) && !resolved(r, eid))
		return push(r, eid);
	et = type_id_size(r, &eid, &esize);
	if (!et)
		return bad(r, id, -1, "Invalid elem");
	if (bk_kind(et) == BK_KIND_INT && !int_is_regular(et))
		return bad(r, id, -1, "Invalid array of int");
	if (a->nelems && esize > UINT32_MAX / a->nelems)
		return bad(r, id, -1, "Array size overflows U32_MAX");
	return pop_resolved(r, eid, esize * a->nelems);
}

static int resolve_struct(struct rs *r, struct vertex *vx, const struct bk_type *t)
{
	const struct bk_member *m = bk_members(t);
	uint32_t id = vx->id;
	int err;

	if (vx->next) {
		err = check_member(r, id, vx->next - 1, m[vx->next - 1].type);
		if (err)
			return err;
	}
	for (uint32_t i = vx->next; i < bk_vlen(t); i++) {
		uint32_t mid = m[i].type;
		const struct bk_type *mt = T(r, mid);

		if (nosize_or_null(mid, mt) || source_only(bk_kind(mt)))
			return bad(r, id, (long)i, "Invalid member");
		if (failed(r, mid))
			return E_SILENT;
		if (!is_sink(r, mt) && !resolved(r, mid)) {
			vx->next = i + 1;
			return push(r, mid);
		}
		err = check_member(r, id, i, mid);
		if (err)
			return err;
	}
	return pop_resolved(r, 0, 0);
}

/* btf_func_check: a FUNC's prototype names every argument but a vararg. */
static int func_check(struct rs *r, uint32_t id, const struct bk_type *t)
{
	const struct bk_type *p = T(r, t->type);
	const struct bk_param *a;

	if (!p || bk_kind(p) != BK_KIND_FUNC_PROTO)
		return bad(r, id, -1, "Invalid type_id");
	a = bk_params(p);
	for (uint32_t i = 0; i < bk_vlen(p); i++) {
		if (!a[i].name_off && a[i].type) {
			char msg[32];

			snprintf(msg, sizeof(msg), "Invalid arg#%u", i + 1);
			return bad(r, id, -1, msg);
		}
	}
	return 0;
}

static int resolve_decl_tag(struct rs *r, uint32_t id, const struct bk_type *t)
{
	int32_t cidx = bk_decl_tag_of(t)->component_idx;
	uint32_t nid = t->type;
	const struct bk_type *nt = T(r, nid);
	unsigned k = nt ? bk_kind(nt) : 0;

	if (!nt || !(k == BK_KIND_FUNC || is_struct(k) || k == BK_KIND_VAR || k == BK_KIND_TYPEDEF))
		return bad(r, id, -1, "Invalid type_id");
	if (failed(r, nid))
		return E_SILENT;
	if (!is_sink(r, nt) && !resolved(r, nid))
		return push(r, nid);
	if (cidx != -1) {
		uint32_t vlen;

		if (k == BK_KIND_VAR || k == BK_KIND_TYPEDEF)
			return bad(r, id, -1, "Invalid component_idx");
		if (is_struct(k)) {
			vlen = bk_vlen(nt);
		} else {
			const struct bk_type *p = T(r, nt->type);

			vlen = p ? bk_vlen(p) : 0;
		}
		if ((uint32_t)cidx >= vlen)
			return bad(r, id, -1, "Invalid component_idx");
	}
	return pop_resolved(r, nid, 0);
}

static int resolve_datasec(struct rs *r, struct vertex *vx, const struct bk_type *t)
{
	const struct bk_var_secinfo *s = bk_secinfos(t);
	uint32_t id = vx->id;

	r->mode = MODE_TBD;
	for (uint32_t i = vx->next; i < bk_vlen(t); i++) {
		uint32_t vid = s[i].type, tid, tsize = 0;
		const struct bk_type *vt = T(r, vid);

		if (!vt || bk_kind(vt) != BK_KIND_VAR)
			return bad(r, id, (long)i, "Not a VAR kind member");
		if (failed(r, vid))
			return E_SILENT;
		if (!is_sink(r, vt) && !resolved(r, vid)) {
			vx->next = i + 1;
			return push(r, vid);
		}
		tid = vt->type;
		if (!type_id_size(r, &tid, &tsize))
			return bad(r, id, (long)i, "Invalid type");
		if (s[i].size < tsize)
			return bad(r, id, (long)i, "Invalid size");
	}
	return pop_resolved(r, 0, 0);
}

static int resolve_one(struct rs *r, struct vertex *vx)
{
	const struct bk_type *t = T(r, vx->id);
	unsigned k = bk_kind(t);
	int err;

	if (bk__v_is_modifier(k) || k == BK_KIND_PTR)
		return resolve_ref(r, vx->id, t);
	switch (k) {
	case BK_KIND_ARRAY:
		return resolve_array(r, vx->id, t);
	case BK_KIND_STRUCT:
	case BK_KIND_UNION:
		return resolve_struct(r, vx, t);
	case BK_KIND_VAR:
		return resolve_var(r, vx->id, t);
	case BK_KIND_FUNC:
		err = func_check(r, vx->id, t);
		return err ? err : pop_resolved(r, t->type, 0);
	case BK_KIND_DECL_TAG:
		return resolve_decl_tag(r, vx->id, t);
	case BK_KIND_DATASEC:
		return resolve_datasec(r, vx, t);
	default:
		return bad(r, vx->id, -1, "Unsupported resolve");
	}
}

/* btf_resolve_valid: the final sanity check of a resolved root. */
static bool resolve_valid(const struct rs *r, uint32_t id)
{
	const struct bk_type *t = T(r, id);
	unsigned k = bk_kind(t);
	uint32_t rid, rsz;

	if (!resolved(r, id))
		return false;
	rid = resolved_id(r, id);
	rsz = resolved_size(r, id);
	if (is_struct(k) || k == BK_KIND_DATASEC)
		return !rid && !rsz;
	if (k == BK_KIND_DECL_TAG || k == BK_KIND_FUNC)
		return rid && !rsz;
	if (bk__v_is_modifier(k) || k == BK_KIND_PTR || k == BK_KIND_VAR) {
		const struct bk_type *rt = T(r, rid);
		unsigned rk = rt ? bk_kind(rt) : 0;

		return rt && !bk__v_is_modifier(rk) && rk != BK_KIND_VAR && rk != BK_KIND_DATASEC;
	}
	if (k == BK_KIND_ARRAY) {
		const struct bk_array *a = bk_array_of(t);
		uint32_t eid = a->type, esz = 0;
		const struct bk_type *et = type_id_size(r, &eid, &esz);

		return et && !bk__v_is_modifier(bk_kind(et)) && a->nelems * esz == rsz;
	}
	return false;
}

/* btf_resolve: resolve one root; on a problem mark the stack FAILED. */
static int resolve_root(struct rs *r, uint32_t id)
{
	int err;

	r->mode = MODE_TBD;
	r->top = 0;
	err = push(r, id);
	while (!err && r->top && !r->v->stop)
		err = resolve_one(r, &r->stack[r->top - 1]);
	if (err == -E2BIG)
		bk__vreport(r->v, id, -1, bk__vpos(r->v, id, 0), -E2BIG,
			    "Exceeded max resolving depth:%u", MAX_DEPTH);
	else if (err == -EEXIST)
		bk__vreport(r->v, id, -1, bk__vpos(r->v, id, 0), -EEXIST, "Loop detected");
	if (!err && !r->v->stop && !resolve_valid(r, id)) {
		bad(r, id, -1, "Invalid resolve state");
		err = -EINVAL;
	}
	if (err) {
		for (int i = 0; i < r->top; i++)
			r->v->state[r->stack[i].id - r->v->start_id] = BK__V_FAILED;
		r->v->state[id - r->v->start_id] = BK__V_FAILED;
		r->top = 0;
	}
	return err;
}

/* btf_func_proto_check: return and argument types must have a size. */
static int func_proto_check(struct rs *r, uint32_t id, const struct bk_type *t)
{
	const struct bk_param *a = bk_params(t);
	uint32_t n = bk_vlen(t);
	char msg[32];
	int err;

	if (t->type) {
		uint32_t rid = t->type;
		const struct bk_type *rt = T(r, rid);

		if (!rt || source_only(bk_kind(rt)))
			return bad(r, id, -1, "Invalid return type");
		if (failed(r, rid))
			return E_SILENT;
		if (needs_resolve(bk_kind(rt)) && !resolved(r, rid)) {
			err = resolve_root(r, rid);
			if (err)
				return E_SILENT; /* reported by resolve_root */
		}
		if (!type_id_size(r, &rid, NULL))
			return bad(r, id, -1, "Invalid return type");
	}
	if (!n)
		return 0;
	if (!a[n - 1].type) {
		if (a[n - 1].name_off) {
			snprintf(msg, sizeof(msg), "Invalid arg#%u", n);
			return bad(r, id, (long)n - 1, msg);
		}
		n--;
	}
	for (uint32_t i = 0; i < n; i++) {
		uint32_t aid = a[i].type;
		const struct bk_type *at = T(r, aid);

		snprintf(msg, sizeof(msg), "Invalid arg#%u", i + 1);
		if (!at || source_only(bk_kind(at)))
			return bad(r, id, (long)i, msg);
		if (a[i].name_off && (a[i].name_off > BK_KERNEL_MAX_NAME_OFFSET ||
				      !bk__vname_valid(r->btf, a[i].name_off)))
			return bad(r, id, (long)i, msg);
		if (failed(r, aid))
			return E_SILENT;
		if (needs_resolve(bk_kind(at)) && !resolved(r, aid)) {
			err = resolve_root(r, aid);
			if (err)
				return E_SILENT;
		}
		if (!type_id_size(r, &aid, NULL))
			return bad(r, id, (long)i, msg);
	}
	return 0;
}

int bk__vresolve_all(struct bk__vctx *v)
{
	struct rs r = { .v = v, .btf = v->btf };

	for (uint32_t id = v->start_id; id < v->type_cnt && !v->stop; id++) {
		const struct bk_type *t = bk__own_type(v->btf, id);
		unsigned k = bk_kind(t);

		if (v->state[id - v->start_id] == BK__V_FAILED)
			continue;
		if (needs_resolve(k) && !resolved(&r, id) && resolve_root(&r, id))
			continue;
		if (k == BK_KIND_FUNC_PROTO && func_proto_check(&r, id, t))
			v->state[id - v->start_id] = BK__V_FAILED;
	}
	return 0;
}
