// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Queries over the type graph: resolving through modifiers and typedefs,
 * sizes, alignment and pointer size. Every walk is bounded: chains stop
 * after as many steps as there are types (so a typedef or modifier cycle
 * gives -ELOOP instead of spinning) and recursion into members is limited
 * to BK__MAX_DEPTH levels.
 */
#include "internal.h"

#define BK__MAX_DEPTH 64

static int follow(const struct bk_btf *btf, uint32_t id, bool typedefs)
{
	uint32_t limit = bk_btf_type_cnt(btf);
	const struct bk_type *t = bk_btf_type(btf, id);

	for (uint32_t steps = 0; t; steps++) {
		unsigned k = bk_kind(t);

		if (!(bk_is_mod(t) || (typedefs && k == BK_KIND_TYPEDEF)))
			return (int)id;
		if (steps >= limit)
			return -ELOOP;
		id = t->type;
		t = bk_btf_type(btf, id);
	}
	return -EINVAL;
}

int bk_btf_resolve(const struct bk_btf *btf, uint32_t id)
{
	return follow(btf, id, true);
}

int bk_btf_skip_mods(const struct bk_btf *btf, uint32_t id)
{
	return follow(btf, id, false);
}

int64_t bk__resolve_size(const struct bk_btf *btf, uint32_t id, uint32_t limit)
{
	uint64_t nelems = 1;

	for (uint32_t steps = 0; steps <= limit; steps++) {
		const struct bk_type *t = bk_btf_type(btf, id);
		unsigned kind;
		uint64_t size;

		if (!t)
			return -EINVAL;
		kind = bk_kind(t);
		if (bk__kind_is(kind, BK__KF_SIZED)) {
			size = t->size;
		} else if (kind == BK_KIND_PTR) {
			size = (uint64_t)(bk_btf_ptr_size(btf) ? bk_btf_ptr_size(btf) : (int)sizeof(void *));
		} else if (bk__kind_is(kind, BK__KF_SIZE_OF_TARGET)) {
			id = t->type;
			continue;
		} else if (kind == BK_KIND_ARRAY) {
			if (bk_array_of(t)->nelems && nelems > UINT32_MAX / bk_array_of(t)->nelems)
				return -E2BIG;
			nelems *= bk_array_of(t)->nelems;
			id = bk_array_of(t)->type;
			continue;
		} else {
			return -EINVAL; /* void, FWD, FUNC, FUNC_PROTO, unknown kinds */
		}
		if (nelems && size > UINT32_MAX / nelems)
			return -E2BIG;
		return (int64_t)(size * nelems);
	}
	return -ELOOP;
}

int64_t bk_btf_resolve_size(const struct bk_btf *btf, uint32_t id)
{
	return bk__resolve_size(btf, id, bk_btf_type_cnt(btf));
}

/*
 * Alignment walks into struct members, so it is the one query that branches.
 * Three bounds keep it linear on hostile input: recursion depth is at most
 * BK__MAX_DEPTH; a struct met again on the current path (a struct that
 * contains itself, not through a pointer) is a cycle (-ELOOP); and results
 * for structs already computed in this call are memoized in a small table,
 * so a DAG of structs sharing members (A has two B, B has two C, ...) costs
 * one visit per struct instead of 2^depth. Should the table fill, a budget
 * of member visits still bounds the work (-E2BIG).
 */
#define ALIGN_MEMO 256 /* power of two */
#define ALIGN_BUDGET (1u << 20)

struct align_ctx {
	const struct bk_btf *btf;
	int ptr;
	uint32_t budget;
	uint32_t used;
	uint32_t path[BK__MAX_DEPTH + 1];
	uint32_t memo_id[ALIGN_MEMO]; /* 0: empty slot (void is never a struct) */
	uint8_t memo_align[ALIGN_MEMO];
};

static int memo_get(const struct align_ctx *c, uint32_t id)
{
	for (uint32_t h = (id * 2654435761u) & (ALIGN_MEMO - 1), n = 0; n < ALIGN_MEMO;
	     n++, h = (h + 1) & (ALIGN_MEMO - 1)) {
		if (c->memo_id[h] == id)
			return c->memo_align[h];
		if (!c->memo_id[h])
			return 0;
	}
	return 0;
}

static void memo_put(struct align_ctx *c, uint32_t id, int align)
{
	uint32_t h = (id * 2654435761u) & (ALIGN_MEMO - 1);

	if (c->used >= ALIGN_MEMO / 2 || align <= 0 || align > 255)
		return;
	while (c->memo_id[h])
		h = (h + 1) & (ALIGN_MEMO - 1);
	c->memo_id[h] = id;
	c->memo_align[h] = (uint8_t)align;
	c->used++;
}

static int align_of(struct align_ctx *c, uint32_t id, int depth)
{
	const struct bk_btf *btf = c->btf;
	const struct bk_type *t;
	uint32_t limit = bk_btf_type_cnt(btf);
	unsigned kind;

	if (depth > BK__MAX_DEPTH)
		return -ELOOP;
	for (uint32_t steps = 0; steps <= limit; steps++) {
		t = bk_btf_type(btf, id);
		if (!t)
			return -EINVAL;
		kind = bk_kind(t);
		if (bk__kind_is(kind, BK__KF_SCALAR)) {
			if (!t->size)
				return -EINVAL;
			return (int)(t->size < (uint32_t)c->ptr ? t->size : (uint32_t)c->ptr);
		}
		if (kind == BK_KIND_PTR)
			return c->ptr;
		if (kind == BK_KIND_TYPEDEF || bk__kind_is(kind, BK__KF_MOD)) {
			id = t->type;
			continue;
		}
		if (kind == BK_KIND_ARRAY) {
			id = bk_array_of(t)->type;
			continue;
		}
		if (bk__kind_is(kind, BK__KF_COMPOSITE)) {
			const struct bk_member *m = bk_members(t);
			int max_align = 1, a;

			if ((a = memo_get(c, id)))
				return a;
			for (int d = 0; d < depth; d++)
				if (c->path[d] == id)
					return -ELOOP;
			c->path[depth] = id;
			for (unsigned i = 0; i < bk_vlen(t); i++, m++) {
				if (!c->budget--)
					return -E2BIG;
				a = align_of(c, m->type, depth + 1);
				if (a <= 0)
					return a < 0 ? a : -EINVAL;
				if (a > max_align)
					max_align = a;
				/* a misaligned plain member means the struct is packed */
				if (!bk_member_bitfield_size(t, m) &&
				    bk_member_bit_offset(t, m) % (8u * (unsigned)a)) {
					max_align = 1;
					break;
				}
			}
			if (t->size % (unsigned)max_align)
				max_align = 1;
			memo_put(c, id, max_align);
			return max_align;
		}
		return -EINVAL; /* void, FWD, FUNC, FUNC_PROTO, VAR, DATASEC, DECL_TAG, unknown */
	}
	return -ELOOP;
}

int bk_btf_align(const struct bk_btf *btf, uint32_t id)
{
	struct align_ctx c;

	c.btf = btf;
	c.ptr = bk_btf_ptr_size(btf) ? bk_btf_ptr_size(btf) : (int)sizeof(void *);
	c.budget = ALIGN_BUDGET;
	c.used = 0;
	memset(c.memo_id, 0, sizeof(c.memo_id));
	return align_of(&c, id, 0);
}

/* The spellings of long that compilers emit, as libbpf recognises them. */
static const char *const long_names[] = {
	"long int",	    "long unsigned int", "unsigned long",   "long",
	"unsigned long int", "long signed int",  "signed long int", "signed long",
	"int long",	    "int long unsigned", "long int unsigned",
};

int bk_btf_ptr_size(const struct bk_btf *btf)
{
	struct bk_btf *mut = (struct bk_btf *)btf; /* a cache: logically const */

	if (btf->ptr_sz)
		return btf->ptr_sz;
	if (btf->base && bk_btf_ptr_size(btf->base)) {
		mut->ptr_sz = btf->base->ptr_sz;
		return mut->ptr_sz;
	}
	for (uint32_t i = 0; i < btf->nr_types; i++) {
		const struct bk_type *t = bk__own_type(btf, btf->start_id + i);
		const char *name;

		if (bk_kind(t) != BK_KIND_INT || (t->size != 4 && t->size != 8))
			continue;
		name = bk_btf_str(btf, t->name_off);
		for (size_t k = 0; k < sizeof(long_names) / sizeof(long_names[0]); k++) {
			if (!strcmp(name, long_names[k])) {
				mut->ptr_sz = (int)t->size;
				return mut->ptr_sz;
			}
		}
	}
	return 0;
}
