// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Relocation: move split BTF from its distilled base (a module's .BTF.base)
 * onto another base, such as the running kernel's vmlinux, by matching the
 * distilled types to base types by name and size. In place; on any error
 * the object is unchanged.
 *
 * Why this is core and not src/distill: reading a module that carries
 * .BTF.base onto a given base is part of opening it (bk_btf_open), and core
 * must not call a higher layer. Relocation needs nothing above core (type
 * and string lookups, the field iterator); distilling, which builds new BTF
 * through the writer, lives in src/distill. See docs/design.md.
 *
 * The rules are libbpf's btf_relocate.c (which the kernel's module loader
 * compiles too), BTF-REFERENCE.md §8:
 *  1. the distilled base D holds only named INT, FLOAT, ENUM, STRUCT, UNION
 *     and FWD types (bk_btf_check_distilled_base);
 *  2. a D composite that an own struct or union embeds (a member holds it
 *     through typedefs, modifiers and arrays, not through a pointer) must
 *     match a base type of the same size; the chains are followed once each
 *     (memoised), and one that loops is an error (-ELOOP; libbpf would spin).
 *     Uses by value elsewhere are noted too (see step 3's FWDs);
 *  3. D's types are sorted by name; for every named base type, in ID order,
 *     the D types of that name are its candidates: INT, FLOAT, ENUM and
 *     ENUM64 need the same size, STRUCT/UNION only when the base has several
 *     composites of that name, FWD never; kinds must agree (see compat()).
 *     A base FWD stands for a D struct or union the module never needs by
 *     value (only through pointers: not in a member, variable, parameter,
 *     return value or array element), and only when no base composite
 *     fits (a kernel built without a subsystem often declares its structs
 *     without defining them; a FWD where a size is needed would not pass
 *     the kernel's resolve pass);
 *  4. a D type two base types fit is ambiguous, one no base type fits is
 *     missing: both are errors naming the type and its candidates (every
 *     such type goes to the caller's callback, the first to diag);
 *  5. own strings that point into D must be names of D types (they map to
 *     the matched base names); all other own strings and own IDs move by
 *     the difference in size between D and the base.
 * Steps 1-5 only read; the rewrite happens after all of them succeeded.
 * Differences from libbpf, only reachable with unusual bases: a struct and
 * a union of one name do not stand for each other; a base FWD of a name is
 * used for a D composite only when no composite of that name fits (libbpf
 * would call the two candidates ambiguous); a D FWD matches a base
 * composite of its own kind (libbpf tests the base struct's bitfield flag
 * there); and base composites are counted by name string, not by name
 * offset (the same for deduplicated bases).
 */
#include <stdio.h>
#include <stdlib.h>

#include "btfkit/distill.h"
#include "internal.h"

#define MAX_TYPES 0x7fffffffu /* the largest type count libbpf accepts */
#define MEMO_UNSEEN UINT32_MAX
#define MEMO_BUSY (UINT32_MAX - 1)

struct dent {
	const char *name;
	uint32_t id;
};

struct reloc {
	struct bk_btf *btf;
	const struct bk_btf *dist, *base;
	uint32_t dist_cnt, base_cnt;
	uint32_t *id_map;      /* D ID -> base ID (0: none yet) */
	uint32_t *embedded_by; /* D ID -> first own composite embedding it, or 0 */
	uint32_t *by_value;    /* D ID -> first own type needing it by value, or 0 */
	struct dent *sorted;   /* D types 1.. by name, then ID */
	uint32_t nsorted;
	uint32_t *comp_cnt;    /* per sorted index of a name's first entry: base composites so named */
	uint32_t *second;      /* D ID -> a second base match (ambiguous), or 0 */
	uint32_t *fwd_map, *fwd_second; /* the same for base FWDs standing for D composites */
	uint32_t *str_map;     /* D string offset -> base offset of the matched type's name */
	struct bk_diag *diag;
	int (*cb)(void *ctx, uint32_t dist_id, const char *msg);
	void *cb_ctx;
};

/* "[5] STRUCT 'foo' size 24" into buf. */
static const char *describe(char *buf, size_t n, const struct bk_btf *btf, uint32_t id)
{
	const struct bk_type *t = bk_btf_type(btf, id);
	const char *name = t ? bk_btf_name(btf, t) : NULL;
	unsigned kind = t ? bk_kind(t) : 0;
	int len;

	len = snprintf(buf, n, "[%u] %s '%s'", id, bk_kind_name(kind),
		       !name ? "?" : *name ? name : "(anon)");
	if (t && len > 0 && (size_t)len < n &&
	    (kind == BK_KIND_INT || kind == BK_KIND_FLOAT || bk_is_any_enum(t) || bk_is_composite(t)))
		snprintf(buf + len, n - (size_t)len, " size %u", t->size);
	else if (t && len > 0 && (size_t)len < n && kind == BK_KIND_FWD)
		snprintf(buf + len, n - (size_t)len, " (%s)", bk_kflag(t) ? "union" : "struct");
	return buf;
}

int bk_btf_check_distilled_base(const struct bk_btf *d, struct bk_diag *diag)
{
	uint32_t cnt;
	char a[160];

	if (!d)
		return bk__diag(diag, -EINVAL, "no distilled base");
	if (d->base)
		return bk__diag(diag, -EINVAL, "not a distilled base: it is split BTF, a distilled base is standalone");
	cnt = bk_btf_type_cnt(d);
	for (uint32_t id = 1; id < cnt; id++) {
		const struct bk_type *t = bk__own_type(d, id);
		const char *name = bk_btf_name(d, t);

		switch (bk_kind(t)) {
		case BK_KIND_INT:
		case BK_KIND_FLOAT:
		case BK_KIND_ENUM:
		case BK_KIND_STRUCT:
		case BK_KIND_UNION:
		case BK_KIND_FWD:
			if (name && *name)
				continue;
			return bk__diag(diag, -EINVAL,
					"not a distilled base: type %s is anonymous (a distilled base names every type)",
					describe(a, sizeof(a), d, id));
		default:
			return bk__diag(diag, -EINVAL,
					"not a distilled base: type %s (a distilled base holds only named INT, FLOAT, ENUM, STRUCT, UNION and FWD types)",
					describe(a, sizeof(a), d, id));
		}
	}
	return 0;
}

bool bk_btf_has_distilled_base(const struct bk_btf *btf)
{
	return btf && btf->owns_base;
}

/*
 * The D composite that own type id holds directly (through typedefs,
 * modifiers and arrays), or 0; memo caches it per own type. -ELOOP when the
 * chain from id comes back to itself.
 */
static int64_t embedded_target(struct reloc *r, uint32_t id, uint32_t *memo, uint32_t *path,
			       uint32_t member_of, long member)
{
	const struct bk_btf *btf = r->btf;
	uint32_t n = 0, res = 0;

	for (;;) {
		const struct bk_type *t;

		if (id == 0)
			break;
		if (id >= btf->start_id) {
			uint32_t *m = &memo[id - btf->start_id];

			if (*m == MEMO_BUSY) {
				char a[160], b[160];

				describe(a, sizeof(a), btf, member_of);
				if (member >= 0)
					return bk__diag(r->diag, -ELOOP,
							"type %s member %ld: typedefs, modifiers or arrays loop back to %s",
							a, member, describe(b, sizeof(b), btf, id));
				return bk__diag(r->diag, -ELOOP,
						"type %s: typedefs, modifiers or arrays loop back to %s", a,
						describe(b, sizeof(b), btf, id));
			}
			if (*m != MEMO_UNSEEN) {
				res = *m;
				break;
			}
			*m = MEMO_BUSY;
			path[n++] = id;
		}
		t = bk_btf_type(btf, id);
		switch (bk_kind(t)) {
		case BK_KIND_CONST:
		case BK_KIND_VOLATILE:
		case BK_KIND_RESTRICT:
		case BK_KIND_TYPEDEF:
		case BK_KIND_TYPE_TAG:
			id = t->type;
			continue;
		case BK_KIND_ARRAY:
			id = bk_array_of(t)->type;
			continue;
		case BK_KIND_STRUCT:
		case BK_KIND_UNION:
			res = id < r->dist_cnt ? id : 0;
			break;
		default:
			break;
		}
		break;
	}
	while (n)
		memo[path[--n] - btf->start_id] = res;
	return res;
}

/* Note D type d, reached from own type id by value (embedded when in a member). */
static void note_use(struct reloc *r, int64_t d, uint32_t id, bool member)
{
	if (!d)
		return;
	if (member && !r->embedded_by[d])
		r->embedded_by[d] = id;
	if (!r->by_value[d])
		r->by_value[d] = id;
}

/*
 * Step 2: note which D composites own composites embed (members), and
 * which own types need by value (those, and VAR types, FUNC_PROTO return
 * and parameter types, ARRAY elements: what the kernel's resolve pass
 * wants sized).
 */
static int mark_embedded(struct reloc *r)
{
	const struct bk_btf *btf = r->btf;
	uint32_t *memo, *path;
	int err = 0;

	memo = malloc(((size_t)btf->nr_types + 1) * sizeof(*memo));
	path = malloc(((size_t)btf->nr_types + 1) * sizeof(*path));
	if (!memo || !path) {
		err = bk__diag(r->diag, -ENOMEM, "out of memory");
		goto out;
	}
	for (uint32_t i = 0; i < btf->nr_types; i++)
		memo[i] = MEMO_UNSEEN;
	for (uint32_t i = 0; i < btf->nr_types; i++) {
		uint32_t id = btf->start_id + i;
		const struct bk_type *t = bk__own_type(btf, id);
		int64_t d = 0;

		switch (bk_kind(t)) {
		case BK_KIND_STRUCT:
		case BK_KIND_UNION:
			for (uint32_t j = 0; j < bk_vlen(t) && d >= 0; j++) {
				d = embedded_target(r, bk_members(t)[j].type, memo, path, id, (long)j);
				if (d > 0)
					note_use(r, d, id, true);
			}
			break;
		case BK_KIND_FUNC_PROTO:
			for (uint32_t j = 0; j < bk_vlen(t) && d >= 0; j++) {
				d = embedded_target(r, bk_params(t)[j].type, memo, path, id, -1);
				if (d > 0)
					note_use(r, d, id, false);
			}
			if (d >= 0) /* the return type */
				d = embedded_target(r, t->type, memo, path, id, -1);
			break;
		case BK_KIND_VAR:
			d = embedded_target(r, t->type, memo, path, id, -1);
			break;
		case BK_KIND_ARRAY:
			d = embedded_target(r, bk_array_of(t)->type, memo, path, id, -1);
			break;
		default:
			break;
		}
		if (d < 0) {
			err = (int)d;
			break;
		}
		if (bk_kind(t) != BK_KIND_STRUCT && bk_kind(t) != BK_KIND_UNION)
			note_use(r, d, id, false);
	}
out:
	free(memo);
	free(path);
	return err;
}

static int dent_cmp(const void *a, const void *b)
{
	const struct dent *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Index of the first sorted D entry named name, or -1. */
static long find_group(const struct reloc *r, const char *name)
{
	uint32_t lo = 0, hi = r->nsorted;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (strcmp(r->sorted[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < r->nsorted && !strcmp(r->sorted[lo].name, name) ? (long)lo : -1;
}

/*
 * Why base type bid cannot stand for D type did (their names agree), or NULL
 * when it can. group is the sorted index of the name's first D entry.
 */
static const char *compat(const struct reloc *r, uint32_t did, uint32_t bid, long group)
{
	const struct bk_type *dt = bk_btf_type(r->dist, did), *bt = bk_btf_type(r->base, bid);
	unsigned dk = bk_kind(dt), bk = bk_kind(bt);
	bool needs_size;

	switch (bk) {
	case BK_KIND_INT:
	case BK_KIND_FLOAT:
	case BK_KIND_ENUM:
	case BK_KIND_ENUM64:
		needs_size = true;
		break;
	case BK_KIND_FWD:
		needs_size = false;
		break;
	case BK_KIND_STRUCT:
	case BK_KIND_UNION:
		needs_size = r->comp_cnt[group] > 1;
		break;
	default:
		return "kind differs";
	}
	switch (dk) {
	case BK_KIND_FWD:
		if (bk == BK_KIND_FWD ? bk_kflag(bt) != bk_kflag(dt)
				      : bk != (bk_kflag(dt) ? BK_KIND_UNION : BK_KIND_STRUCT))
			return "kind differs";
		break;
	case BK_KIND_INT:
		if (bk != BK_KIND_INT)
			return "kind differs";
		if (bk_int_encoding(bt) != bk_int_encoding(dt))
			return bk_int_encoding(dt) & BK_INT_SIGNED
				       ? "encoding differs (signed in the distilled base, not in the base)"
				       : bk_int_encoding(bt) & BK_INT_SIGNED
				       ? "encoding differs (signed in the base, not in the distilled base)"
				       : "encoding differs";
		break;
	case BK_KIND_FLOAT:
		if (bk != BK_KIND_FLOAT)
			return "kind differs";
		break;
	case BK_KIND_ENUM:
		if (bk != BK_KIND_ENUM && bk != BK_KIND_ENUM64)
			return "kind differs";
		break;
	default: /* STRUCT, UNION */
		if (bk == BK_KIND_FWD) {
			if (bk_kflag(bt) != (dk == BK_KIND_UNION))
				return "kind differs";
			if (r->by_value[did])
				return "the base only declares it, and the module uses the type by value";
			break;
		}
		if (bk != dk)
			return "kind differs";
		if (r->embedded_by[did] && bt->size != dt->size)
			return "size differs, and the module embeds the type";
		break;
	}
	if (needs_size && bt->size != dt->size)
		return bk == BK_KIND_STRUCT || bk == BK_KIND_UNION
			       ? "size differs, and the base has several composites of this name"
			       : "size differs";
	return NULL;
}

/* Step 4, missing: D type did, its name's candidates and why they do not fit. */
static void describe_missing(struct reloc *r, uint32_t did, char *msg, size_t size)
{
	const struct bk_type *dt = bk_btf_type(r->dist, did);
	const char *name = bk_btf_name(r->dist, dt);
	char a[160], b[160];
	uint32_t ids[4];
	long group = find_group(r, name);
	int n, len;

	len = snprintf(msg, size, "distilled base type %s", describe(a, sizeof(a), r->dist, did));
	if (r->embedded_by[did] && len > 0 && (size_t)len < size)
		len += snprintf(msg + len, size - (size_t)len, " (embedded in %s)",
				describe(b, sizeof(b), r->btf, r->embedded_by[did]));
	else if (r->by_value[did] && len > 0 && (size_t)len < size)
		len += snprintf(msg + len, size - (size_t)len, " (used by value in %s)",
				describe(b, sizeof(b), r->btf, r->by_value[did]));
	if (len > 0 && (size_t)len < size)
		len += snprintf(msg + len, size - (size_t)len, " has no match in the base");
	n = bk_btf_find_all(r->base, name, -1, ids, 4);
	if (n <= 0 && len > 0 && (size_t)len < size)
		len += snprintf(msg + len, size - (size_t)len, ": no type is named '%s'", name);
	for (int i = 0; i < n && i < 4 && len > 0 && (size_t)len < size; i++) {
		const char *why = compat(r, did, ids[i], group);

		len += snprintf(msg + len, size - (size_t)len, "%s candidate %s: %s", i ? ";" : ":",
				describe(a, sizeof(a), r->base, ids[i]), why ? why : "matches");
	}
	if (n > 4 && len > 0 && (size_t)len < size)
		snprintf(msg + len, size - (size_t)len, "; and %d more", n - 4);
}

/*
 * Step 4: every D type without exactly one match, in ID order, goes to the
 * caller's callback; the first one, with the count, to diag.
 */
static int report_unmatched(struct reloc *r)
{
	char msg[sizeof(r->diag->msg)], first[sizeof(r->diag->msg)], a[160], b[160], c[160];
	uint32_t n = 0;

	for (uint32_t did = 1; did < r->dist_cnt; did++) {
		if (r->id_map[did] && !r->second[did])
			continue;
		if (r->second[did])
			snprintf(msg, sizeof(msg),
				 "distilled base type %s has several candidates in the base: %s and %s",
				 describe(a, sizeof(a), r->dist, did),
				 describe(b, sizeof(b), r->base, r->id_map[did]),
				 describe(c, sizeof(c), r->base, r->second[did]));
		else
			describe_missing(r, did, msg, sizeof(msg));
		if (!n++)
			memcpy(first, msg, sizeof(msg));
		if (r->cb && r->cb(r->cb_ctx, did, msg))
			r->cb = NULL;
	}
	if (!n)
		return 0;
	if (n == 1)
		return bk__diag(r->diag, -EINVAL, "%s", first);
	return bk__diag(r->diag, -EINVAL, "%s (%u distilled types have no single match)", first, n);
}

/* Steps 3 and 4: id_map for every D type. */
static int map_types(struct reloc *r)
{
	for (uint32_t id = 1; id < r->dist_cnt; id++) {
		r->sorted[r->nsorted].name = bk_btf_name(r->dist, bk_btf_type(r->dist, id));
		r->sorted[r->nsorted++].id = id;
	}
	qsort(r->sorted, r->nsorted, sizeof(*r->sorted), dent_cmp);
	/* base composites per D name, to know when their size must agree */
	for (uint32_t id = 1; id < r->base_cnt; id++) {
		const struct bk_type *t = bk_btf_type(r->base, id);
		long g;

		if (!bk_is_composite(t) || !t->name_off)
			continue;
		g = find_group(r, bk_btf_name(r->base, t));
		if (g >= 0 && r->comp_cnt[g] < UINT32_MAX)
			r->comp_cnt[g]++;
	}
	for (uint32_t id = 1; id < r->base_cnt; id++) {
		const struct bk_type *t = bk_btf_type(r->base, id);
		long g;

		if (!t->name_off)
			continue;
		switch (bk_kind(t)) {
		case BK_KIND_INT: case BK_KIND_FLOAT: case BK_KIND_ENUM: case BK_KIND_ENUM64:
		case BK_KIND_FWD: case BK_KIND_STRUCT: case BK_KIND_UNION:
			break;
		default:
			continue;
		}
		g = find_group(r, bk_btf_name(r->base, t));
		if (g < 0)
			continue;
		for (uint32_t i = (uint32_t)g;
		     i < r->nsorted && !strcmp(r->sorted[i].name, r->sorted[g].name); i++) {
			uint32_t did = r->sorted[i].id;

			if (compat(r, did, id, g))
				continue;
			if (bk_kind(t) == BK_KIND_FWD && bk_is_composite(bk_btf_type(r->dist, did))) {
				/* a fallback, for when no composite fits */
				if (r->fwd_map[did] && !r->fwd_second[did])
					r->fwd_second[did] = id;
				else if (!r->fwd_map[did])
					r->fwd_map[did] = id;
				continue;
			}
			if (r->id_map[did]) {
				if (!r->second[did])
					r->second[did] = id; /* ambiguous */
				continue;
			}
			r->id_map[did] = id;
		}
	}
	for (uint32_t did = 1; did < r->dist_cnt; did++) {
		if (!r->id_map[did] && r->fwd_map[did]) {
			r->id_map[did] = r->fwd_map[did];
			r->second[did] = r->fwd_second[did];
		}
		if (r->id_map[did]) {
			uint32_t off = bk_btf_type(r->base, r->id_map[did])->name_off;
			char a[160];

			if (!bk__str_starts(r->base, off))
				return bk__diag(r->diag, -EINVAL,
						"base type %s: its name offset %u is the tail of another string, which split BTF cannot refer to",
						describe(a, sizeof(a), r->base, r->id_map[did]), off);
			r->str_map[bk_btf_type(r->dist, did)->name_off] = off;
		}
	}
	return report_unmatched(r);
}

/* Step 5, checking only: every own string into D must be a matched name. */
static int check_strs(struct reloc *r, uint64_t str_shift_end)
{
	struct bk_btf *btf = r->btf;

	if (str_shift_end > UINT32_MAX)
		return bk__diag(r->diag, -E2BIG,
				"relocated strings would end at offset %llu, past 4 GiB",
				(unsigned long long)str_shift_end);
	for (uint32_t i = 0; i < btf->nr_types; i++) {
		struct bk_type *t = bk__own_type(btf, btf->start_id + i);
		struct bk__field_iter it;
		uint32_t *f;
		int err = bk__field_iter_init(&it, t, BK__FIELD_STRS);

		if (err)
			return bk__diag(r->diag, err, "type [%u] has unknown kind %u", btf->start_id + i,
					bk_kind(t));
		while ((f = bk__field_iter_next(&it))) {
			char a[160];

			if (!*f || *f >= r->dist->strs_len || r->str_map[*f])
				continue;
			return bk__diag(r->diag, -EINVAL,
					"type %s: string offset %u ('%s') lies in the distilled base's strings but is not the name of a distilled type",
					describe(a, sizeof(a), btf, btf->start_id + i), *f,
					bk_btf_str(btf, *f) ? bk_btf_str(btf, *f) : "?");
		}
	}
	return 0;
}

/* The rewrite, once everything is known to map. */
static void rewrite(struct reloc *r)
{
	struct bk_btf *btf = r->btf;
	uint32_t dist_str_len = (uint32_t)r->dist->strs_len, base_str_end = bk__str_end(r->base);

	for (uint32_t i = 0; i < btf->nr_types; i++) {
		struct bk_type *t = bk__own_type(btf, btf->start_id + i);
		struct bk__field_iter it;
		uint32_t *f;

		bk__field_iter_init(&it, t, BK__FIELD_IDS);
		while ((f = bk__field_iter_next(&it))) {
			if (!*f)
				continue;
			*f = *f < r->dist_cnt ? r->id_map[*f] : *f - r->dist_cnt + r->base_cnt;
		}
		bk__field_iter_init(&it, t, BK__FIELD_STRS);
		while ((f = bk__field_iter_next(&it))) {
			if (!*f)
				continue;
			*f = *f < dist_str_len ? r->str_map[*f] : *f - dist_str_len + base_str_end;
		}
	}
}

static bool base_chain_has(const struct bk_btf *b, const struct bk_btf *x)
{
	for (; b; b = b->base)
		if (b == x)
			return true;
	return false;
}

int bk_btf_relocate(struct bk_btf *btf, struct bk_btf *base, const struct bk_relocate_opts *opts)
{
	struct bk_relocate_opts o = { .sz = sizeof(o) };
	struct reloc r = { .btf = btf, .base = base };
	struct bk_btf *dist;
	struct bk_diag *diag;
	int err;

	if ((err = bk__opts_get(&o, sizeof(o), opts)))
		return err;
	r.diag = diag = o.diag;
	r.cb = o.cb;
	r.cb_ctx = o.cb_ctx;

	if (!btf || !base)
		return bk__diag(diag, -EINVAL, "relocation needs split BTF and a base");
	dist = btf->base;
	if (!dist)
		return bk__diag(diag, -EINVAL, "not split BTF: there is no distilled base to relocate from");
	if (base == dist)
		return bk__diag(diag, -EINVAL, "the new base is the distilled base itself");
	if (base_chain_has(base, btf))
		return bk__diag(diag, -EINVAL, "the new base is split BTF on the BTF being relocated (a cycle)");
	if ((err = bk_btf_check_distilled_base(dist, diag)))
		return err;
	r.dist = dist;
	r.dist_cnt = bk_btf_type_cnt(dist);
	r.base_cnt = bk_btf_type_cnt(base);
	if ((uint64_t)r.base_cnt + btf->nr_types > MAX_TYPES)
		return bk__diag(diag, -E2BIG, "relocated BTF would have %llu types, more than %u",
				(unsigned long long)r.base_cnt + btf->nr_types, MAX_TYPES);
	r.id_map = calloc(r.dist_cnt, sizeof(*r.id_map));
	r.embedded_by = calloc(r.dist_cnt, sizeof(*r.embedded_by));
	r.by_value = calloc(r.dist_cnt, sizeof(*r.by_value));
	r.sorted = calloc(r.dist_cnt, sizeof(*r.sorted));
	r.comp_cnt = calloc(r.dist_cnt, sizeof(*r.comp_cnt));
	r.str_map = calloc(dist->strs_len + 1, sizeof(*r.str_map));
	r.second = calloc(r.dist_cnt, sizeof(*r.second));
	r.fwd_map = calloc(r.dist_cnt, sizeof(*r.fwd_map));
	r.fwd_second = calloc(r.dist_cnt, sizeof(*r.fwd_second));
	if (!r.id_map || !r.embedded_by || !r.by_value || !r.sorted || !r.comp_cnt || !r.str_map || !r.second ||
	    !r.fwd_map || !r.fwd_second) {
		err = bk__diag(diag, -ENOMEM, "out of memory");
		goto out;
	}
	if ((err = mark_embedded(&r)) || (err = map_types(&r)) ||
	    (err = check_strs(&r, (uint64_t)bk__str_end(base) + btf->strs_len)))
		goto out;
	if ((err = bk__btf_make_writable(btf))) {
		bk__diag(diag, err, "out of memory");
		goto out;
	}
	rewrite(&r);
	btf->base = base;
	btf->start_id = r.base_cnt;
	btf->start_str_off = bk__str_end(base);
	if (btf->owns_base)
		bk_btf_free(dist);
	btf->owns_base = false;
	bk__names_invalidate(btf);
out:
	free(r.id_map);
	free(r.embedded_by);
	free(r.by_value);
	free(r.sorted);
	free(r.comp_cnt);
	free(r.str_map);
	free(r.second);
	free(r.fwd_map);
	free(r.fwd_second);
	return err;
}
