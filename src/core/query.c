// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Queries over the type graph: resolving through modifiers and typedefs,
 * sizes, alignment and pointer size. Every walk is bounded: chains stop
 * after as many steps as there are types (so a typedef or modifier cycle
 * gives -ELOOP instead of spinning) and recursion into members is bounded
 * (see the alignment below).
 */
#include "internal.h"

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
 * Alignment (libbpf's btf__align_of rules): scalars align as their size up
 * to the pointer size, pointers as the pointer, modifiers, typedefs and
 * arrays as their target, a struct/union as its most aligned member unless
 * it is packed (a plain member off its alignment, or a size that is not a
 * multiple) when it aligns as 1. It is the one query that branches; one
 * implementation serves bk_btf_align and the C printer, which differ only
 * in how deep they let structs nest and where results are kept:
 *  - bk_btf_align keeps struct results of one call in a small hash memo and
 *    finds a struct containing itself on the current path (-ELOOP);
 *  - the C printer passes memo, one byte per type ID for its whole life:
 *    struct results (failures too) stay there, and a struct being computed
 *    is marked, which finds a struct containing itself at once.
 * Either way recursion is at most max_depth deep (-ELOOP beyond), chains
 * of modifiers stop after as many steps as there are types, and a DAG of
 * structs sharing members costs one visit per struct; should the hash memo
 * fill, a budget of member visits still bounds the work (-E2BIG).
 */
#define ALIGN_MEMO 256 /* power of two */
#define ALIGN_BUDGET (1u << 20)
#define ALIGN_DEPTH 64 /* bk_btf_align's max_depth */
#define ALIGN_BUSY INT8_MIN /* memo: on the current path */

struct align_ctx {
	const struct bk_btf *btf;
	int ptr;
	int max_depth;
	uint32_t budget;
	int8_t *memo;       /* the caller's, by ID; or NULL: the hash memo below */
	uint32_t used;
	uint32_t path[ALIGN_DEPTH + 1];
	uint32_t memo_id[ALIGN_MEMO]; /* 0: empty slot (void is never a struct) */
	uint8_t memo_align[ALIGN_MEMO];
};

static int align_of(struct align_ctx *c, uint32_t id, int depth);

/* A struct's alignment computed before (0: not known). */
static int memo_get(const struct align_ctx *c, uint32_t id)
{
	if (c->memo)
		return c->memo[id];
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

	if (c->memo) {
		c->memo[id] = (int8_t)align; /* alignments are at most 8, errors -errno */
		return;
	}
	if (c->used >= ALIGN_MEMO / 2 || align <= 0 || align > 255)
		return;
	while (c->memo_id[h])
		h = (h + 1) & (ALIGN_MEMO - 1);
	c->memo_id[h] = id;
	c->memo_align[h] = (uint8_t)align;
	c->used++;
}

/* Is struct id on the current path (a struct containing itself)? */
static bool on_path(struct align_ctx *c, uint32_t id, int depth)
{
	if (c->memo)
		return c->memo[id] == ALIGN_BUSY;
	for (int d = 0; d < depth; d++)
		if (c->path[d] == id)
			return true;
	c->path[depth] = id;
	return false;
}

static int struct_align(struct align_ctx *c, uint32_t id, const struct bk_type *t, int depth)
{
	const struct bk_member *m = bk_members(t);
	int max_align = 1, a;

	if ((a = memo_get(c, id)))
		return a == ALIGN_BUSY ? -ELOOP : a;
	if (on_path(c, id, depth))
		return -ELOOP;
	if (c->memo)
		c->memo[id] = ALIGN_BUSY;
	for (unsigned i = 0; i < bk_vlen(t); i++, m++) {
		if (!c->budget--) {
			max_align = -E2BIG;
			break;
		}
		a = align_of(c, m->type, depth + 1);
		if (a <= 0) {
			max_align = a < 0 ? a : -EINVAL;
			break;
		}
		if (a > max_align)
			max_align = a;
		/* a misaligned plain member means the struct is packed */
		if (!bk_member_bitfield_size(t, m) && bk_member_bit_offset(t, m) % (8u * (unsigned)a)) {
			max_align = 1;
			break;
		}
	}
	if (max_align > 0 && t->size % (unsigned)max_align)
		max_align = 1;
	memo_put(c, id, max_align);
	return max_align;
}

static int align_of(struct align_ctx *c, uint32_t id, int depth)
{
	const struct bk_btf *btf = c->btf;
	uint32_t limit = bk_btf_type_cnt(btf);

	if (depth > c->max_depth)
		return -ELOOP;
	for (uint32_t steps = 0; steps <= limit; steps++) {
		const struct bk_type *t = bk_btf_type(btf, id);
		unsigned kind;

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
		if (bk__kind_is(kind, BK__KF_COMPOSITE))
			return struct_align(c, id, t, depth);
		return -EINVAL; /* void, FWD, FUNC, FUNC_PROTO, VAR, DATASEC, DECL_TAG, unknown */
	}
	return -ELOOP;
}

int bk__align(const struct bk_btf *btf, uint32_t id, int ptr_sz, int max_depth, int8_t *memo)
{
	struct align_ctx c;

	c.btf = btf;
	c.ptr = ptr_sz;
	c.max_depth = memo || max_depth <= ALIGN_DEPTH ? max_depth : ALIGN_DEPTH;
	c.budget = ALIGN_BUDGET;
	c.memo = memo;
	c.used = 0;
	if (!memo)
		memset(c.memo_id, 0, sizeof(c.memo_id));
	return align_of(&c, id, 0);
}

int bk_btf_align(const struct bk_btf *btf, uint32_t id)
{
	int ptr = bk_btf_ptr_size(btf) ? bk_btf_ptr_size(btf) : (int)sizeof(void *);

	return bk__align(btf, id, ptr, ALIGN_DEPTH, NULL);
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
