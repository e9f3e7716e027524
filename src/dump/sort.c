// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The sorted type order of newer bpftool ("btf dump ... format c" without
 * "unsorted"), used by --sort for every format. Keys, compared in order:
 *  1. rank: named enums 1, anonymous enums 0, INT/FLOAT 2, named
 *     struct/union 3, named FUNC_PROTO 4; a named typedef, pointer, array,
 *     modifier or tag ranks as its target (seen as named); the rest 10;
 *  2. sort name: an anonymous enum uses its first enumerator's name;
 *     references (typedef, pointer, array, modifiers, tags) use their
 *     target's sort name; others their own name;
 *  3. own name; 4. a hash of names (members, enumerators, their types'
 *     names, array sizes); 5. the ID.
 * Unlike bpftool, no type is dropped (bpftool skips the first sorted one).
 * The hash is computed only for types whose names tie.
 * Reference chains are followed at most MAX_CHAIN steps. The kind lists
 * here are bpftool's ranking rules, not facts of the records.
 */
#include <stdlib.h>

#include "out.h"

#define MAX_CHAIN 64

struct datum {
	const char *sort_name, *own_name;
	uint64_t sort_key, own_key; /* first 8 bytes, big-endian: strcmp order */
	uint64_t hash;
	uint32_t id;
	int rank;
	bool hashed;             /* hash computed (lazily: names rarely tie) */
};

struct sort_ctx {
	const struct bk_btf *btf;
	struct datum *ds;
};

static bool is_ref(unsigned kind)
{
	switch (kind) {
	case BK_KIND_TYPE_TAG:
	case BK_KIND_CONST:
	case BK_KIND_PTR:
	case BK_KIND_VOLATILE:
	case BK_KIND_RESTRICT:
	case BK_KIND_TYPEDEF:
	case BK_KIND_DECL_TAG:
		return true;
	default:
		return false;
	}
}

static const char *str(const struct bk_btf *btf, uint32_t off)
{
	const char *s = bk_btf_str(btf, off);

	return s ? s : "";
}

static int rank(const struct bk_btf *btf, uint32_t id)
{
	bool has_name = false;

	for (int i = 0; i < MAX_CHAIN; i++) {
		const struct bk_type *t = bk_btf_type(btf, id);
		unsigned kind = bk_kind(t);

		if (t->name_off)
			has_name = true;
		switch (kind) {
		case BK_KIND_ENUM:
		case BK_KIND_ENUM64:
			return has_name ? 1 : 0;
		case BK_KIND_INT:
		case BK_KIND_FLOAT:
			return 2;
		case BK_KIND_STRUCT:
		case BK_KIND_UNION:
			return has_name ? 3 : 10;
		case BK_KIND_FUNC_PROTO:
			return has_name ? 4 : 10;
		case BK_KIND_ARRAY:
			if (!has_name)
				return 10;
			id = bk_array_of(t)->type;
			break;
		default:
			if (!is_ref(kind) || !has_name)
				return 10;
			id = t->type;
			break;
		}
	}
	return 10;
}

static const char *sort_name(const struct bk_btf *btf, uint32_t id)
{
	bool from_ref = false;

	for (int i = 0; i < MAX_CHAIN; i++) {
		const struct bk_type *t = bk_btf_type(btf, id);
		unsigned kind = bk_kind(t);

		if (kind == BK_KIND_ENUM || kind == BK_KIND_ENUM64) {
			uint32_t off = t->name_off;

			if (!from_ref && !off && bk_vlen(t))
				off = kind == BK_KIND_ENUM ? bk_enums(t)->name_off
							   : bk_enum64s(t)->name_off;
			return str(btf, off);
		}
		if (kind == BK_KIND_ARRAY)
			id = bk_array_of(t)->type;
		else if (is_ref(kind))
			id = t->type;
		else
			return str(btf, t->name_off);
		from_ref = true;
	}
	return "";
}

static uint64_t mix(uint64_t h, uint64_t v)
{
	return h * 31 + v;
}

static uint64_t name_mix(const struct bk_btf *btf, uint64_t h, uint32_t off)
{
	uint64_t sh = 0;

	if (!off)
		return h;
	for (const char *s = str(btf, off); *s; s++)
		sh = sh * 31 + (uint64_t)(signed char)*s;
	return mix(h, sh);
}

static uint64_t disambig_hash(const struct bk_btf *btf, uint32_t id, bool members, int depth)
{
	const struct bk_type *t = bk_btf_type(btf, id);
	uint64_t h = name_mix(btf, 0, t->name_off);
	unsigned kind = bk_kind(t);

	if (depth >= MAX_CHAIN)
		return h;
	switch (kind) {
	case BK_KIND_ENUM:
	case BK_KIND_ENUM64: {
		const uint32_t *e = (const uint32_t *)(t + 1); /* enumerator names */

		for (unsigned i = 0; i < bk_vlen(t); i++, e += bk__kinds[kind].elem_sz / 4)
			h = name_mix(btf, h, *e);
		break;
	}
	case BK_KIND_STRUCT:
	case BK_KIND_UNION:
		if (!members)
			break;
		for (unsigned i = 0; i < bk_vlen(t); i++) {
			const struct bk_member *m = bk_members(t) + i;

			h = name_mix(btf, h, m->name_off);
			h = mix(h, disambig_hash(btf, m->type, false, depth + 1));
		}
		break;
	case BK_KIND_ARRAY:
		h = mix(h, bk_array_of(t)->nelems);
		h = mix(h, disambig_hash(btf, bk_array_of(t)->type, members, depth + 1));
		break;
	default:
		if (is_ref(kind))
			h = mix(h, disambig_hash(btf, t->type, members, depth + 1));
		break;
	}
	return h;
}

static uint64_t prefix_key(const char *s)
{
	uint64_t k = 0;
	int i = 0;

	for (; i < 8 && s[i]; i++)
		k = k << 8 | (uint8_t)s[i];
	return i ? k << (8 * (8 - i)) : 0;
}

/* strcmp order of a and b, whose 8-byte prefix keys are ka and kb. */
static int name_cmp(const char *a, uint64_t ka, const char *b, uint64_t kb)
{
	if (ka != kb)
		return ka < kb ? -1 : 1;
	if (a == b || !(ka & 0xff))
		return 0; /* equal and at most 7 bytes long */
	return strcmp(a + 8, b + 8);
}

static uint64_t hash_of(const struct sort_ctx *c, struct datum *x)
{
	if (!x->hashed) {
		x->hash = disambig_hash(c->btf, x->id, true, 0);
		x->hashed = true;
	}
	return x->hash;
}

/* Compares indices into ctx->ds (sorting 4-byte indices moves less data). */
static int cmp(const void *a, const void *b, void *ctx)
{
	struct sort_ctx *c = ctx;
	struct datum *x = &c->ds[*(const uint32_t *)a], *y = &c->ds[*(const uint32_t *)b];
	uint64_t hx, hy;
	int r;

	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	if ((r = name_cmp(x->sort_name, x->sort_key, y->sort_name, y->sort_key)))
		return r;
	if ((r = name_cmp(x->own_name, x->own_key, y->own_name, y->own_key)))
		return r;
	hx = hash_of(c, x);
	hy = hash_of(c, y);
	if (hx != hy)
		return hx < hy ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

int bk__dump_sorted_ids(const struct bk_btf *btf, uint32_t first, uint32_t end, uint32_t **ids,
			uint32_t *n)
{
	struct datum *ds;
	struct sort_ctx ctx;
	uint32_t cnt = end > first ? end - first : 0;

	*ids = NULL;
	*n = 0;
	if (end > bk_btf_type_cnt(btf))
		return -EINVAL;
	ds = malloc(((size_t)cnt + 1) * sizeof(*ds));
	*ids = malloc(((size_t)cnt + 1) * sizeof(**ids));
	if (!ds || !*ids) {
		free(ds);
		free(*ids);
		*ids = NULL;
		return -ENOMEM;
	}
	for (uint32_t i = 0; i < cnt; i++) {
		uint32_t id = first + i;
		const struct bk_type *t = bk_btf_type(btf, id);

		ds[i].id = id;
		ds[i].rank = rank(btf, id);
		ds[i].sort_name = sort_name(btf, id);
		ds[i].own_name = str(btf, t->name_off);
		ds[i].sort_key = prefix_key(ds[i].sort_name);
		ds[i].own_key = prefix_key(ds[i].own_name);
		ds[i].hashed = false;
		(*ids)[i] = i;
	}
	ctx.btf = btf;
	ctx.ds = ds;
	qsort_r(*ids, cnt, sizeof(**ids), cmp, &ctx);
	for (uint32_t i = 0; i < cnt; i++)
		(*ids)[i] = ds[(*ids)[i]].id;
	*n = cnt;
	free(ds);
	return 0;
}
