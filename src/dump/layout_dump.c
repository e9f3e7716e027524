// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bk_layout_dump: selects the types whose layouts to print and prints them
 * as pahole's text (layout_text.c), pahole's size table, or JSON.
 *
 * Without given IDs the selection is pahole's when no -C is given: every
 * named struct and union in ID order (own types only for split BTF), but a
 * type with the same kind, name, size and members (names, offsets and
 * widths; not their types) as one printed before is skipped, as pahole
 * skips repeated definitions (for split BTF, the base's types count as
 * printed). With --holes N, structs with fewer than N holes (and unions)
 * are skipped.
 */
#include <stdlib.h>

#include "layout_int.h"

/* A printed type's identity for pahole's skipping of repeated definitions. */
struct seen {
	uint32_t *ids;
	size_t n, cap;
	uint32_t *slots;     /* open addressing on the name hash; 0 = empty, else index + 1 */
	size_t nslots;
};

static bool same_members(struct bk_layout_ctx *c, uint32_t a, uint32_t b)
{
	const struct bk_type *ta = bk_btf_type(c->btf, a), *tb = bk_btf_type(c->btf, b);
	const struct bk_member *ma = bk_members(ta), *mb = bk_members(tb);

	if (bk_kind(ta) != bk_kind(tb) || ta->size != tb->size || bk_vlen(ta) != bk_vlen(tb))
		return false;
	for (unsigned i = 0; i < bk_vlen(ta); i++) {
		if (strcmp(bk__lay_name(c->btf, ma[i].name_off), bk__lay_name(c->btf, mb[i].name_off)) ||
		    bk_member_bit_offset(ta, &ma[i]) != bk_member_bit_offset(tb, &mb[i]) ||
		    bk_member_bitfield_size(ta, &ma[i]) != bk_member_bitfield_size(tb, &mb[i]))
			return false;
	}
	return true;
}

/* True when a type equal to id was printed before; else remember id. */
static int seen_before(struct bk_layout_ctx *c, struct seen *s, uint32_t id, bool *dup)
{
	const char *name = bk_btf_name(c->btf, bk_btf_type(c->btf, id));
	size_t mask, h;

	*dup = false;
	if (s->n * 2 >= s->nslots) {
		size_t ns = s->nslots ? s->nslots * 2 : 1024;
		uint32_t *slots = calloc(ns, sizeof(*slots));

		if (!slots)
			return -ENOMEM;
		for (size_t i = 0; i < s->n; i++) {
			const char *nm = bk_btf_name(c->btf, bk_btf_type(c->btf, s->ids[i]));

			h = bk__str_hash(nm, strlen(nm)) & (ns - 1);
			while (slots[h])
				h = (h + 1) & (ns - 1);
			slots[h] = (uint32_t)i + 1;
		}
		free(s->slots);
		s->slots = slots;
		s->nslots = ns;
	}
	mask = s->nslots - 1;
	for (h = bk__str_hash(name, strlen(name)) & mask; s->slots[h]; h = (h + 1) & mask) {
		uint32_t other = s->ids[s->slots[h] - 1];

		if (!strcmp(name, bk_btf_name(c->btf, bk_btf_type(c->btf, other))) &&
		    same_members(c, other, id)) {
			*dup = true;
			return 0;
		}
	}
	if (s->n == s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 1024;
		uint32_t *ids = realloc(s->ids, nc * sizeof(*ids));

		if (!ids)
			return -ENOMEM;
		s->ids = ids;
		s->cap = nc;
	}
	s->ids[s->n] = id;
	s->slots[h] = (uint32_t)++s->n;
	return 0;
}

int bk_layout_find(const struct bk_btf *btf, const char *spec)
{
	static const struct { const char *pfx; int kind; } pfx[] = {
		{ "struct ", BK_KIND_STRUCT }, { "union ", BK_KIND_UNION },
		{ "enum ", BK_KIND_ENUM }, { "typedef ", BK_KIND_TYPEDEF },
	};
	static const int kinds[] = { BK_KIND_STRUCT, BK_KIND_UNION, BK_KIND_ENUM, BK_KIND_ENUM64,
				     BK_KIND_TYPEDEF };
	int want = -1, best = -ENOENT;

	for (size_t i = 0; i < sizeof(pfx) / sizeof(pfx[0]); i++) {
		size_t len = strlen(pfx[i].pfx);

		if (!strncmp(spec, pfx[i].pfx, len)) {
			spec += len;
			want = pfx[i].kind;
			break;
		}
	}
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		int kind = kinds[k] == BK_KIND_ENUM64 ? BK_KIND_ENUM : kinds[k];
		int id;

		if (want >= 0 && want != kind)
			continue;
		id = bk_btf_find(btf, spec, kinds[k]);
		if (id > 0 && (best < 0 || id < best))
			best = id;
	}
	return best;
}

static int print_one(struct bk_layout_ctx *c, struct bk__out *o, struct bk__lbuf *b, uint32_t id,
		     const struct bk_layout_opts *opts)
{
	const struct bk_type *t = bk_btf_type(c->btf, id);
	const struct bk_struct_layout *l = NULL;
	int err;

	if (bk_is_composite(t)) {
		err = bk_layout_get(c, id, &l);
		if (err)
			return bk__diag(opts->diag, err, "%s (type [%u])", bk_strerror(err), id);
		if (opts->min_holes && l->nr_holes < opts->min_holes)
			return 0;
	} else if (opts->min_holes) {
		return 0;
	}
	b->len = 0;
	switch (opts->format) {
	case BK_LAYOUT_SIZES:
		if (!l)
			return 0;
		bk__lbuf_printf(b, "%s\t%u\t%u\n", l->name, l->size, l->nr_holes);
		break;
	case BK_LAYOUT_JSON:
		return bk__lay_json(c, o, id, opts);
	default:
		err = bk__lay_print(c, b, id, opts->expand, opts->diag);
		if (err)
			return err;
	}
	if (b->err)
		return b->err;
	bk__out_mem(o, b->p, b->len);
	return o->err;
}

int bk_layout_dump(const struct bk_btf *btf, const struct bk_sink *sink,
		   const struct bk_layout_opts *opts)
{
	static const struct bk_layout_opts defaults = { .sz = sizeof(defaults) };
	uint32_t cnt = bk_btf_type_cnt(btf);
	struct bk_layout_ctx *c;
	struct bk__lbuf b = { 0 };
	struct seen s = { 0 };
	struct bk__out *o;
	int err = 0;

	if (!opts)
		opts = &defaults;
	for (size_t i = 0; i < opts->nr_ids; i++) {
		const struct bk_type *t = bk_btf_type(btf, opts->ids[i]);
		unsigned k = t ? bk_kind(t) : 0;

		if (!t || !(k == BK_KIND_STRUCT || k == BK_KIND_UNION || k == BK_KIND_ENUM ||
			    k == BK_KIND_ENUM64 || k == BK_KIND_TYPEDEF))
			return bk__diag(opts->diag, -EINVAL, "type [%u] has no layout", opts->ids[i]);
	}
	c = bk_layout_ctx_new(btf, opts);
	o = malloc(sizeof(*o));
	if (!c || !o) {
		err = -ENOMEM;
		goto out;
	}
	err = bk__out_init(o, sink, 0);
	o->pretty = opts->pretty;
	if (!err && opts->format == BK_LAYOUT_JSON)
		bk__lay_json_begin(o);
	if (opts->nr_ids) {
		for (size_t i = 0; i < opts->nr_ids && !err; i++)
			err = print_one(c, o, &b, opts->ids[i], opts);
	} else {
		/* base types count as printed: a split's copy of one is skipped */
		for (uint32_t id = 1; id < cnt && !err; id++) {
			const struct bk_type *t = bk_btf_type(btf, id);
			bool dup;

			if (!bk_is_composite(t) || !t->name_off)
				continue;
			err = seen_before(c, &s, id, &dup);
			if (!err && !dup && id >= bk_btf_start_id(btf))
				err = print_one(c, o, &b, id, opts);
		}
	}
	if (!err && opts->format == BK_LAYOUT_JSON)
		bk__lay_json_end(o);
	bk__out_flush(o);
	if (!err)
		err = o->err;
	bk__out_free(o);
out:
	free(o);
	free(b.p);
	free(s.ids);
	free(s.slots);
	bk_layout_ctx_free(c);
	return err;
}
