// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * One C header for several split BTFs on the same base (kernel modules):
 * the base's types once (or, with c_split_only, assumed from the base's own
 * header), then each module's own types, each distinct type once.
 *
 * Algorithm: one C dumper per module, each starting from the state the
 * previous one ended in (base type states copied from the first dumper,
 * name counters carried over, so clashing names keep getting fresh ___N
 * suffixes across modules). Before a module is emitted, each of its own
 * named struct/union/enum/typedef (and each anonymous enum, keyed by its
 * first enumerator) is compared with the types of the same name that
 * earlier modules emitted. A structurally equal one is marked emitted
 * under the earlier printed name, so it is not repeated. Equality:
 *  - same kinds, names, sizes, offsets and values, field by field;
 *  - base types are equal by ID; a base type on one side only compares by
 *    structure; other types compare recursively under the hypothesis that
 *    the pair being compared is equal;
 *  - a pointer to a named struct/union (or its forward declaration)
 *    compares by name only, as C prints it;
 *  - when the hypothesis pairs one type with two types of the earlier
 *    module (pahole leaves such duplicates), those two count as one if
 *    their records match field for field, referenced types by kind and name.
 * Comparison depth and steps are bounded; a too-deep or too-long comparison
 * counts as different (the type is then printed under a fresh name, which
 * is still valid C).
 */
#include <stdlib.h>

#include "c_int.h"

#define MAX_EQ_DEPTH 128
#define MAX_EQ_STEPS (1u << 20)

struct entry {
	const char *key;      /* name (or first enumerator of an anonymous enum) */
	const struct bk_btf *btf;
	uint32_t id;
	char *printed;        /* owned */
	int next;             /* next entry with the same key, or -1 */
};

struct registry {
	struct entry *e;
	uint32_t cnt;
	size_t cap;
	int *heads;           /* open addressing: entry index of the first with a key */
	uint32_t hcap;
};

struct eq_ctx {
	const struct bk_btf *a, *b;
	uint32_t start;
	uint32_t *map;        /* b own index -> a ID + 1 (0: none) */
	uint32_t *touched;
	uint32_t nr_touched;
	size_t cap_touched;
	uint32_t steps;       /* comparisons in this check (bounded) */
};

static const char *key_of(const struct bk_btf *btf, const struct bk_type *t)
{
	unsigned kind = bk_kind(t);
	const char *s;

	if (kind != BK_KIND_STRUCT && kind != BK_KIND_UNION && kind != BK_KIND_ENUM &&
	    kind != BK_KIND_ENUM64 && kind != BK_KIND_TYPEDEF)
		return NULL;
	if (t->name_off) {
		s = bk_btf_str(btf, t->name_off);
	} else if ((kind == BK_KIND_ENUM || kind == BK_KIND_ENUM64) && bk_vlen(t)) {
		s = bk_btf_str(btf, kind == BK_KIND_ENUM ? bk_enums(t)->name_off
							  : bk_enum64s(t)->name_off);
	} else {
		return NULL;
	}
	return s && *s ? s : NULL;
}

static int *reg_slot(struct registry *r, const char *key)
{
	uint32_t h = bk__str_hash(key, strlen(key)) & (r->hcap - 1);

	while (r->heads[h] >= 0 && strcmp(r->e[r->heads[h]].key, key))
		h = (h + 1) & (r->hcap - 1);
	return &r->heads[h];
}

static int reg_add(struct registry *r, const char *key, const struct bk_btf *btf, uint32_t id,
		   const char *printed)
{
	char *own;
	int *slot;

	if (r->cnt + 1 > r->hcap / 2) {
		uint32_t ncap = r->hcap ? r->hcap * 2 : 1024;
		int *nh = malloc((size_t)ncap * sizeof(*nh));
		int *old = r->heads;
		uint32_t ocap = r->hcap;

		if (!nh)
			return -ENOMEM;
		for (uint32_t i = 0; i < ncap; i++)
			nh[i] = -1;
		r->heads = nh;
		r->hcap = ncap;
		for (uint32_t i = 0; i < ocap; i++)
			if (old[i] >= 0)
				*reg_slot(r, r->e[old[i]].key) = old[i];
		free(old);
	}
	if (r->cnt == r->cap && bk__grow((void **)&r->e, &r->cap, r->cnt + 1, sizeof(*r->e), 1024))
		return -ENOMEM;
	own = strdup(printed);
	if (!own)
		return -ENOMEM;
	slot = reg_slot(r, key);
	r->e[r->cnt] = (struct entry){ key, btf, id, own, *slot };
	*slot = (int)r->cnt++;
	return 0;
}

static bool eq(struct eq_ctx *c, uint32_t a, uint32_t b, int depth);
static bool eq_str(struct eq_ctx *c, uint32_t oa, uint32_t ob);

static bool eq_str(struct eq_ctx *c, uint32_t oa, uint32_t ob)
{
	const char *sa = bk_btf_str(c->a, oa), *sb = bk_btf_str(c->b, ob);

	return sa && sb && !strcmp(sa, sb);
}

/* Union-ness of a struct, union or forward declaration; -1 for other kinds. */
static int tag_kind(const struct bk_type *t)
{
	switch (bk_kind(t)) {
	case BK_KIND_STRUCT: return 0;
	case BK_KIND_UNION: return 1;
	case BK_KIND_FWD: return bk_kflag(t);
	default: return -1;
	}
}

/*
 * Pointer targets: through a pointer C only names a struct or union, so a
 * named one (or its forward declaration) matches by name; modifiers on the
 * way must match. Anything else compares fully.
 */
static bool eq_pointee(struct eq_ctx *c, uint32_t a, uint32_t b, int depth)
{
	for (int i = 0; i < 8; i++) {
		const struct bk_type *ta = bk_btf_type(c->a, a), *tb = bk_btf_type(c->b, b);
		int ka = tag_kind(ta), kb = tag_kind(tb);

		if (ka >= 0 && kb >= 0 && ta->name_off && tb->name_off)
			return ka == kb && eq_str(c, ta->name_off, tb->name_off);
		if (!bk_is_mod(ta) || bk_kind(ta) != bk_kind(tb) ||
		    (bk_kind(ta) == BK_KIND_TYPE_TAG && !eq_str(c, ta->name_off, tb->name_off)))
			break;
		a = ta->type;
		b = tb->type;
	}
	return eq(c, a, b, depth + 1);
}

static bool eq_body(struct eq_ctx *c, const struct bk_type *ta, const struct bk_type *tb, int depth)
{
	unsigned vlen = bk_vlen(ta);

	if (ta->info != tb->info || !eq_str(c, ta->name_off, tb->name_off))
		return false;
	switch (bk_kind(ta)) {
	case BK_KIND_INT:
		return ta->size == tb->size && bk_int_data(ta) == bk_int_data(tb);
	case BK_KIND_FLOAT:
	case BK_KIND_FWD:
		return ta->size == tb->size;
	case BK_KIND_ENUM:
		if (ta->size != tb->size)
			return false;
		for (unsigned i = 0; i < vlen; i++)
			if (bk_enums(ta)[i].val != bk_enums(tb)[i].val ||
			    !eq_str(c, bk_enums(ta)[i].name_off, bk_enums(tb)[i].name_off))
				return false;
		return true;
	case BK_KIND_ENUM64:
		if (ta->size != tb->size)
			return false;
		for (unsigned i = 0; i < vlen; i++)
			if (bk_enum64_value(bk_enum64s(ta) + i) != bk_enum64_value(bk_enum64s(tb) + i) ||
			    !eq_str(c, bk_enum64s(ta)[i].name_off, bk_enum64s(tb)[i].name_off))
				return false;
		return true;
	case BK_KIND_STRUCT:
	case BK_KIND_UNION:
		if (ta->size != tb->size)
			return false;
		for (unsigned i = 0; i < vlen; i++) {
			const struct bk_member *ma = bk_members(ta) + i, *mb = bk_members(tb) + i;

			if (ma->offset != mb->offset || !eq_str(c, ma->name_off, mb->name_off) ||
			    !eq(c, ma->type, mb->type, depth + 1))
				return false;
		}
		return true;
	case BK_KIND_ARRAY: {
		const struct bk_array *aa = bk_array_of(ta), *ab = bk_array_of(tb);

		return aa->nelems == ab->nelems && eq(c, aa->type, ab->type, depth + 1);
	}
	case BK_KIND_FUNC_PROTO:
		if (!eq(c, ta->type, tb->type, depth + 1))
			return false;
		for (unsigned i = 0; i < vlen; i++) {
			const struct bk_param *pa = bk_params(ta) + i, *pb = bk_params(tb) + i;

			if (!eq_str(c, pa->name_off, pb->name_off) || !eq(c, pa->type, pb->type, depth + 1))
				return false;
		}
		return true;
	case BK_KIND_PTR:
		return eq_pointee(c, ta->type, tb->type, depth);
	case BK_KIND_TYPEDEF:
	case BK_KIND_VOLATILE:
	case BK_KIND_CONST:
	case BK_KIND_RESTRICT:
	case BK_KIND_TYPE_TAG:
		return eq(c, ta->type, tb->type, depth + 1);
	default:
		return false;
	}
}

/*
 * Two types of the same (earlier) module that one type of the later module
 * maps to: pahole leaves such duplicates when it cannot merge them. They
 * count as the same when their records match field for field (names,
 * sizes, offsets, values; referenced types by kind and name only).
 */
static bool same_ref(const struct bk_btf *btf, uint32_t x, uint32_t y)
{
	const struct bk_type *tx = bk_btf_type(btf, x), *ty = bk_btf_type(btf, y);

	return x == y || (bk_kind(tx) == bk_kind(ty) && tx->name_off == ty->name_off);
}

static bool shallow_same(const struct bk_btf *btf, uint32_t x, uint32_t y)
{
	const struct bk_type *tx = bk_btf_type(btf, x), *ty = bk_btf_type(btf, y);
	size_t len = bk_btf_type_rec_size(btf, tx);
	unsigned vlen = bk_vlen(tx);

	if (x == y)
		return true;
	if (len != bk_btf_type_rec_size(btf, ty) || tx->info != ty->info || tx->name_off != ty->name_off)
		return false;
	switch (bk_kind(tx)) {
	case BK_KIND_STRUCT:
	case BK_KIND_UNION:
		if (tx->size != ty->size)
			return false;
		for (unsigned i = 0; i < vlen; i++) {
			const struct bk_member *mx = bk_members(tx) + i, *my = bk_members(ty) + i;

			if (mx->name_off != my->name_off || mx->offset != my->offset ||
			    !same_ref(btf, mx->type, my->type))
				return false;
		}
		return true;
	case BK_KIND_FUNC_PROTO:
		if (!same_ref(btf, tx->type, ty->type))
			return false;
		for (unsigned i = 0; i < vlen; i++) {
			const struct bk_param *px = bk_params(tx) + i, *py = bk_params(ty) + i;

			if (px->name_off != py->name_off || !same_ref(btf, px->type, py->type))
				return false;
		}
		return true;
	case BK_KIND_ARRAY:
		return bk_array_of(tx)->nelems == bk_array_of(ty)->nelems &&
		       same_ref(btf, bk_array_of(tx)->type, bk_array_of(ty)->type);
	case BK_KIND_PTR:
	case BK_KIND_TYPEDEF:
	case BK_KIND_VOLATILE:
	case BK_KIND_CONST:
	case BK_KIND_RESTRICT:
	case BK_KIND_TYPE_TAG:
		return same_ref(btf, tx->type, ty->type);
	case BK_KIND_ENUM:
	case BK_KIND_ENUM64:
	case BK_KIND_INT:
	case BK_KIND_FLOAT:
	case BK_KIND_FWD:
		return !memcmp(tx, ty, len);
	default:
		return false;
	}
}

static bool eq(struct eq_ctx *c, uint32_t a, uint32_t b, int depth)
{
	uint32_t *slot;

	if (a < c->start && b < c->start)
		return a == b;
	if (depth > MAX_EQ_DEPTH || ++c->steps > MAX_EQ_STEPS)
		return false;
	/* a base type on one side only (a split may copy a base type): compare */
	if (b < c->start)
		return eq_body(c, bk_btf_type(c->a, a), bk_btf_type(c->b, b), depth);
	slot = &c->map[b - c->start];
	if (*slot)
		return *slot == a + 1 || shallow_same(c->a, *slot - 1, a);
	if (c->nr_touched == c->cap_touched &&
	    bk__grow((void **)&c->touched, &c->cap_touched, c->nr_touched + 1, sizeof(*c->touched), 256))
		return false;
	c->touched[c->nr_touched++] = b - c->start;
	*slot = a + 1;
	return eq_body(c, bk_btf_type(c->a, a), bk_btf_type(c->b, b), depth);
}

static bool equivalent(struct eq_ctx *c, const struct bk_btf *a, uint32_t ida,
		       const struct bk_btf *b, uint32_t idb)
{
	bool r;

	c->a = a;
	c->b = b;
	c->steps = 0;
	r = eq(c, ida, idb, 0);
	for (uint32_t i = 0; i < c->nr_touched; i++)
		c->map[c->touched[i]] = 0;
	c->nr_touched = 0;
	return r;
}

/* Move src's counters to dst (src is about to be freed). */
static void move_names(struct bk__cd_names *dst, struct bk__cd_names *src)
{
	bk__cd_names_free(dst);
	*dst = *src;
	memset(src, 0, sizeof(*src));
}

/* Mark module k's types equal to earlier modules' as emitted under their names. */
static int alias_known(struct bk_c_dumper *d, uint32_t start, struct registry *r,
		       struct eq_ctx *c)
{
	for (uint32_t id = start; id < d->cnt; id++) {
		const char *key = key_of(d->btf, bk__cd_type(d, id));
		int i;

		if (!key || !r->hcap)
			continue;
		for (i = *reg_slot(r, key); i >= 0; i = r->e[i].next) {
			const struct entry *e = &r->e[i];
			const struct bk_type *t = bk__cd_type(d, id);

			if (bk_kind(bk_btf_type(e->btf, e->id)) != bk_kind(t))
				continue;
			if (!equivalent(c, e->btf, e->id, d->btf, id))
				continue;
			d->st[id].order = BK__CD_ORDERED;
			d->st[id].emit = BK__CD_EMITTED;
			d->st[id].name_resolved = 1;
			if (t->name_off && strcmp(e->printed, bk__cd_str(d, t->name_off))) {
				d->names[id] = strdup(e->printed);
				if (!d->names[id])
					return -ENOMEM;
			}
			break;
		}
	}
	return 0;
}

static int register_emitted(struct bk_c_dumper *d, uint32_t start, struct registry *r)
{
	int err;

	for (uint32_t id = start; id < d->cnt; id++) {
		const struct bk_type *t = bk__cd_type(d, id);
		const char *key = key_of(d->btf, t);

		if (!key || d->st[id].emit != BK__CD_EMITTED)
			continue;
		if (t->name_off && !d->names[id] && !d->st[id].name_resolved)
			continue;
		err = reg_add(r, key, d->btf, id, d->names[id] ? d->names[id] : bk__cd_str(d, t->name_off));
		if (err)
			return err;
	}
	return 0;
}

/* Free a module's dumper whose base names are borrowed from the first one. */
static void free_borrower(struct bk_c_dumper *d, uint32_t start)
{
	if (!d)
		return;
	for (uint32_t i = 0; i < start; i++)
		d->names[i] = NULL;
	bk_c_dumper_free(d);
}

int bk_dump_c_modules(struct bk_btf *const *btfs, size_t n, const struct bk_sink *sink,
		      const struct bk_dump_opts *user_opts)
{
	struct bk_dump_opts opts_copy = { .sz = sizeof(opts_copy) }, *opts = &opts_copy;
	struct bk_c_dumper_opts copts = { .sz = sizeof(copts) };
	struct bk_c_dumper *first = NULL, *prev = NULL;
	const struct bk_btf *base;
	const char *guard;
	struct registry reg = { 0 };
	struct eq_ctx ec = { 0 };
	uint32_t start, max_own = 0;
	int err = 0;

	if ((err = bk__opts_get(opts, sizeof(*opts), user_opts)))
		return err;
	if (!btfs || !n || opts->nr_ids)
		return -EINVAL;
	base = bk_btf_base(btfs[0]);
	if (!base)
		return -EINVAL;
	guard = opts->c_guard ? opts->c_guard : "__VMLINUX_H__";
	copts.diag = opts->diag;
	start = bk_btf_start_id(btfs[0]);
	for (size_t k = 0; k < n; k++) {
		if (bk_btf_base(btfs[k]) != base)
			return -EINVAL;
		if (bk_btf_nr_own_types(btfs[k]) > max_own)
			max_own = bk_btf_nr_own_types(btfs[k]);
	}
	ec.start = start;
	ec.map = calloc((size_t)max_own + 1, sizeof(*ec.map));
	if (!ec.map)
		return -ENOMEM;
	for (size_t k = 0; k < n && !err; k++) {
		struct bk_c_dumper *d = bk_c_dumper_new(btfs[k], sink, &copts);

		if (!d) {
			err = -errno;
			break;
		}
		if (k == 0) {
			first = d;
			bk__cd_wrapper_begin(d->o, guard);
			err = bk__cd_emit_all(d, 1, start, opts->sort, opts->c_split_only);
		} else {
			/* continue from where the previous module left off */
			memcpy(d->st, first->st, (size_t)start * sizeof(*d->st));
			for (uint32_t i = 0; i < start; i++)
				d->names[i] = first->names[i]; /* borrowed: see free_borrower */
			move_names(&d->type_names, &prev->type_names);
			move_names(&d->ident_names, &prev->ident_names);
			if (prev != first)
				free_borrower(prev, start);
			err = alias_known(d, start, &reg, &ec);
		}
		prev = d;
		if (!err)
			err = bk__cd_emit_all(d, start, d->cnt, opts->sort, false);
		if (!err)
			err = register_emitted(d, start, &reg);
	}
	if (!err && prev) {
		bk__cd_wrapper_end(prev->o, guard);
		bk__out_flush(prev->o);
		err = prev->o->err;
	}
	if (prev != first)
		free_borrower(prev, start);
	bk_c_dumper_free(first);
	for (uint32_t i = 0; i < reg.cnt; i++)
		free(reg.e[i].printed);
	free(reg.e);
	free(reg.heads);
	free(ec.map);
	free(ec.touched);
	return err;
}
