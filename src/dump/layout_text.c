// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The layout text: a struct, union, enum or typedef as `pahole -F btf -C`
 * (1.24) prints it, from the layouts layout.c computes. docs/layout.md
 * lists where the text differs from pahole 1.24 and why.
 *
 * The printer follows pahole's structure so that its spacing rules carry
 * over exactly: a conf (indentation, type and name column widths, the
 * offset of the enclosing member, the cache line reached so far) is copied
 * and adjusted on the way down; type columns shrink by 8 per inline
 * struct or union and by 6 after "const "; the offset comment starts at
 * type width + name width (23, 21 for a top-level union, 55 expanded)
 * after the indentation, counted from what the member's line printed so
 * far (the whole inline body for a member whose type is printed inline),
 * at least one space away. Cache-line boundary comments are tracked across
 * nesting; each union member starts again from the union's line.
 *
 * Every line is built in one buffer (struct bk__lbuf) so that "what was
 * printed" is a length difference. Nesting is bounded by
 * BK__LAY_MAX_DEPTH (-ELOOP).
 */
#include <stdio.h>
#include <stdlib.h>

#include "layout_int.h"

struct pconf {
	int indent;
	int type_spacing, name_spacing;
	uint32_t base_offset;
	uint32_t *cachelinep;
	const char *prefix;      /* "typedef" before a typedef'd anonymous type */
	const char *suffix;      /* after the closing brace: the member or typedef name */
	bool emit_stats;         /* the summary comments (top-level structs) */
	bool rel_offset;         /* offsets from each struct's start (behind a pointer) */
	bool union_member;       /* inside a union: arrays of 0 print [0] */
	bool first_member, last_member;
};

struct pr {
	struct bk_layout_ctx *c;
	struct bk__lbuf *b;
	struct bk_diag *diag;
	bool expand;
	int depth;
	uint32_t budget;         /* member lines left (BK__LAY_MAX_MEMBERS) */
};

static const char tabs[] = "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t";

static void put_tabs(struct pr *p, int n)
{
	if (n > (int)sizeof(tabs) - 1)
		n = (int)sizeof(tabs) - 1;
	if (n > 0)
		bk__lbuf_mem(p->b, tabs, (size_t)n);
}

static const char *plural(long n)
{
	return n != 1 ? "s" : "";
}

static int print_type(struct pr *p, uint32_t id, const char *name, const struct pconf *conf);
static int print_class(struct pr *p, uint32_t id, const struct pconf *conf);
static int print_union(struct pr *p, uint32_t id, const struct pconf *conf);

static void cacheline_boundary(struct pr *p, const struct pconf *conf, uint32_t offset)
{
	uint32_t cls = p->c->cls, line = offset / cls, pos = offset % cls;

	if (line <= *conf->cachelinep)
		return;
	if (!pos)
		bk__lbuf_printf(p->b, "/* --- cacheline %u boundary (%u bytes) --- */\n", line,
				line * cls);
	else
		bk__lbuf_printf(p->b, "/* --- cacheline %u boundary (%u bytes) was %u byte%s ago --- */\n",
				line, line * cls, pos, plural(pos));
	put_tabs(p, conf->indent);
	*conf->cachelinep = line;
}

static bool is_anon_composite(const struct bk_type *t)
{
	unsigned k = bk_kind(t);

	return (k == BK_KIND_STRUCT || k == BK_KIND_UNION || k == BK_KIND_ENUM ||
		k == BK_KIND_ENUM64) && !t->name_off;
}

/* An enum body (pahole's enumeration__fprintf). */
static void print_enum(struct pr *p, const struct bk_type *t, const struct pconf *conf)
{
	const struct bk_btf *btf = p->c->btf;
	const char *name = bk__lay_name(btf, t->name_off);
	unsigned n = bk_vlen(t);
	int width = 0;

	if (conf->prefix)
		bk__lbuf_printf(p->b, "%s ", conf->prefix);
	bk__lbuf_printf(p->b, "enum%s%s {\n", *name ? " " : "", name);
	for (unsigned i = 0; i < n; i++) {
		uint32_t off = bk_kind(t) == BK_KIND_ENUM ? bk_enums(t)[i].name_off :
							    bk_enum64s(t)[i].name_off;
		int len = (int)strlen(bk__lay_name(btf, off));

		if (len > width)
			width = len;
	}
	for (unsigned i = 0; i < n; i++) {
		put_tabs(p, conf->indent);
		if (bk_kind(t) == BK_KIND_ENUM)
			bk__lbuf_printf(p->b, "\t%-*s = %u,\n", width,
					bk__lay_name(btf, bk_enums(t)[i].name_off),
					(uint32_t)bk_enums(t)[i].val);
		else
			bk__lbuf_printf(p->b, "\t%-*s = %llu,\n", width,
					bk__lay_name(btf, bk_enum64s(t)[i].name_off),
					(unsigned long long)bk_enum64_value(&bk_enum64s(t)[i]));
	}
	put_tabs(p, conf->indent);
	bk__lbuf_str(p->b, "}");
	if (t->size != 4)
		bk__lbuf_str(p->b, " __attribute__((__packed__))");
	if (conf->suffix)
		bk__lbuf_printf(p->b, " %s", conf->suffix);
}

/*
 * An array member (pahole's array_type__fprintf). BTF from pahole has one
 * ARRAY for int m[2][3] (6 elements), printed "m[6]"; BTF from clang nests
 * them, printed "m[2][3]" in C order (pahole 1.24 prints them inner first).
 */
#define MAX_DIMS 16
static int print_array(struct pr *p, uint32_t id, const char *name, const struct pconf *conf)
{
	const struct bk_type *t = bk_btf_type(p->c->btf, id), *e;
	uint32_t dims[MAX_DIMS], elem = bk_array_of(t)->type;
	int n = 0, err;

	dims[n++] = bk_array_of(t)->nelems;
	for (e = bk_btf_type(p->c->btf, elem); e && bk_kind(e) == BK_KIND_ARRAY && n < MAX_DIMS;
	     e = bk_btf_type(p->c->btf, elem)) {
		dims[n++] = bk_array_of(e)->nelems;
		elem = bk_array_of(e)->type;
	}
	/* const T x[0] is CONST -> ARRAY -> CONST -> T in BTF from pahole: one const */
	e = bk_btf_type(p->c->btf, elem);
	if (!dims[0] && elem && e && bk_kind(e) == BK_KIND_CONST)
		elem = e->type;
	err = print_type(p, elem, name, conf);
	for (int i = 0; i < n; i++) {
		if (i || dims[0] || !conf->last_member || conf->first_member || conf->union_member)
			bk__lbuf_printf(p->b, "[%u]", dims[i]);
		else
			bk__lbuf_str(p->b, "[]");
	}
	return err;
}

/* A type and a name (pahole's type__fprintf). */
static int print_type(struct pr *p, uint32_t id, const char *name, const struct pconf *conf)
{
	const struct bk_btf *btf = p->c->btf;
	const struct bk_type *t = bk_btf_type(btf, id);
	struct pconf tconf = *conf;
	uint32_t steps = 0;
	int err = 0;

	if (++p->depth > BK__LAY_MAX_DEPTH) {
		p->depth--;
		return -ELOOP;
	}
	if (p->expand && t && id && bk_kind(t) == BK_KIND_TYPEDEF) {
		/* the chain of names in one comment: typedef dev_t -> __kernel_dev_t -> u32 */
		bk__lbuf_str(p->b, "/* typedef ");
		for (uint32_t n = 0; t && id && bk_kind(t) == BK_KIND_TYPEDEF && n < p->c->cnt;
		     n++) {
			bk__lbuf_printf(p->b, "%s%s", n ? " -> " : "", bk__lay_name(btf, t->name_off));
			id = t->type;
			t = bk_btf_type(btf, id);
		}
		bk__lbuf_str(p->b, " */ ");
	}
	if (t && id && (bk_is_composite(t) || bk_is_any_enum(t))) {
		tconf.prefix = NULL;
		tconf.suffix = *name ? name : NULL;
		tconf.emit_stats = false;
	}
next:
	if (steps++ > p->c->cnt) { /* a const / type tag cycle */
		err = -ELOOP;
		goto out;
	}
	if (!t || !id) {
		bk__lbuf_printf(p->b, "%-*s %s", tconf.type_spacing, "void", name);
		goto out;
	}
	switch (bk_kind(t)) {
	case BK_KIND_TYPE_TAG:
		id = t->type;
		t = bk_btf_type(btf, id);
		goto next;
	case BK_KIND_CONST:
		bk__lbuf_str(p->b, "const ");
		tconf.type_spacing -= 6;
		id = t->type;
		t = bk_btf_type(btf, id);
		goto next;
	case BK_KIND_PTR: {
		const struct bk_type *to = bk_btf_type(btf, t->type);

		if (t->type && to && bk_kind(to) == BK_KIND_FUNC_PROTO) {
			err = bk__lay_ftype(p->c, p->b, t->type, name, true, tconf.type_spacing, 0);
			goto out;
		}
		if (t->type && to && bk_is_composite(to) && !to->name_off) {
			/* pointer to an anonymous struct/union: its body, offsets from 0 */
			uint32_t line = 0;
			char suffix[512];

			snprintf(suffix, sizeof(suffix), "* %s", name);
			tconf.type_spacing -= 8;
			tconf.suffix = suffix;
			tconf.emit_stats = false;
			tconf.base_offset = 0;
			tconf.rel_offset = true;
			tconf.cachelinep = &line;
			id = t->type;
			t = to;
			tconf.type_spacing -= 8;
			err = bk_kind(t) == BK_KIND_STRUCT ? print_class(p, id, &tconf) :
							     print_union(p, id, &tconf);
			goto out;
		}
		goto plain;
	}
	case BK_KIND_FUNC_PROTO:
		err = bk__lay_ftype(p->c, p->b, id, name, false, tconf.type_spacing, 0);
		goto out;
	case BK_KIND_ARRAY:
		err = print_array(p, id, name, &tconf);
		goto out;
	case BK_KIND_STRUCT:
	case BK_KIND_UNION:
		if (t->name_off && !p->expand) {
			bool s = bk_kind(t) == BK_KIND_STRUCT;

			bk__lbuf_printf(p->b, "%s %-*s %s", s ? "struct" : "union",
					tconf.type_spacing - (s ? 7 : 6),
					bk__lay_name(btf, t->name_off), name);
			goto out;
		}
		/* expanded, a named type ends "} name;" (pahole 1.24: "}name;", docs/layout.md) */
		tconf.type_spacing -= 8;
		err = bk_kind(t) == BK_KIND_STRUCT ? print_class(p, id, &tconf) :
						     print_union(p, id, &tconf);
		goto out;
	case BK_KIND_FWD:
		bk__lbuf_printf(p->b, "%s %-*s %s", bk_kflag(t) ? "union" : "struct",
				tconf.type_spacing - (bk_kflag(t) ? 6 : 7),
				bk__lay_name(btf, t->name_off), name);
		goto out;
	case BK_KIND_ENUM:
	case BK_KIND_ENUM64:
		if (t->name_off) {
			bk__lbuf_printf(p->b, "enum %-*s %s", tconf.type_spacing - 5,
					bk__lay_name(btf, t->name_off), name);
			goto out;
		}
		print_enum(p, t, &tconf);
		goto out;
	default:
		goto plain;
	}
plain: {
		struct bk__lbuf nb = { 0 };

		err = bk__lay_type_name(p->c, &nb, id, 0);
		if (nb.err)
			err = nb.err;
		bk__lbuf_printf(p->b, "%-*s %s", tconf.type_spacing, nb.p ? nb.p : "", name);
		free(nb.p);
	}
out:
	p->depth--;
	return err;
}

/* One member line (pahole's struct_member__fprintf), without its newline. */
static int print_member(struct pr *p, const struct bk_member_layout *m, const struct pconf *conf)
{
	const struct bk_type *t = bk_btf_type(p->c->btf, m->type);
	struct pconf sconf = *conf;
	uint32_t offset = m->offset + (conf->rel_offset ? 0 : conf->base_offset);
	int align_len = 0, size_spacing = 5;
	size_t start;
	int err;

	if (!p->budget--)
		return -E2BIG;
	if (!conf->rel_offset)
		sconf.base_offset = offset;
	cacheline_boundary(p, conf, offset);
	start = p->b->len;
	err = print_type(p, m->type, m->name, &sconf);
	if (err)
		return err;
	if (m->bitfield_size)
		bk__lbuf_printf(p->b, ":%u", m->bitfield_size);
	if (m->align) {
		size_t before = p->b->len;

		bk__lbuf_printf(p->b, " __attribute__((__aligned__(%u)))", m->align);
		align_len = (int)(p->b->len - before);
	}
	bk__lbuf_str(p->b, ";");
	if (t && m->type && is_anon_composite(t)) {
		int slen = align_len + (*m->name ? (int)strlen(m->name) : -1);
		struct bk__lclass *k;

		if (bk_kind(t) == BK_KIND_STRUCT && !bk__lay_class(p->c, m->type, &k) && k->pub.packed)
			slen += (int)sizeof("__attribute__((__packed__))");
		bk__lbuf_printf(p->b, "%*s/* %5u", sconf.type_spacing + sconf.name_spacing - slen - 3,
				" ", offset);
	} else {
		int spacing = sconf.type_spacing + sconf.name_spacing - (int)(p->b->len - start);

		bk__lbuf_printf(p->b, "%*s/* %5u", spacing > 0 ? spacing : 0, " ", offset);
	}
	if (m->bitfield_size) {
		bk__lbuf_printf(p->b, ":%2u", m->bitfield_offset);
		size_spacing -= 3;
	}
	bk__lbuf_printf(p->b, " %*u */", size_spacing, m->size);
	return 0;
}

/* A note after a member line: a blank line (once per group), then "XXX ...". */
static void note(struct pr *p, int *newline, const struct pconf *cconf, const char *pre, long n,
		 const char *unit, const char *what)
{
	if (!(*newline)++)
		bk__lbuf_str(p->b, "\n");
	bk__lbuf_str(p->b, "\n");
	put_tabs(p, cconf->indent);
	bk__lbuf_printf(p->b, "/* XXX %s%ld %s%s %s */", pre, n, unit, plural(n), what);
}

struct sums {
	uint32_t bytes, bits, holes, bit_holes, paddings, nr_paddings;
	uint32_t forced, forced_holes, sum_forced_holes;
};

/* Bitfield filler and "combined" comments before member i (pahole's checks). */
static int before_member(struct pr *p, const struct bk__lclass *k, uint32_t i,
			 const struct pconf *cconf, int *newline, uint32_t last_size)
{
	const struct bk_member_layout *pos = &k->m[i], *last = &k->m[i - 1];
	uint8_t last_bit_hole = (uint8_t)last->bit_hole;
	int err;

	if (last_bit_hole && pos->bitfield_size) {
		int bits = last_bit_hole;
		struct pconf fconf = *cconf;

		if (last->offset != pos->offset) {
			bk__lbuf_str(p->b, "\n");
			put_tabs(p, cconf->indent);
			bk__lbuf_str(p->b, "/* Force alignment to the next boundary: */\n");
			bits = 0;
		}
		put_tabs(p, cconf->indent);
		err = print_type(p, pos->type, "", &fconf);
		if (err)
			return err;
		bk__lbuf_printf(p->b, ":%d;\n", bits);
	}
	if (pos->offset < last->offset ||
	    (pos->offset == last->offset && !last->bitfield_size && pos->bitfield_size)) {
		if (!(*newline)++)
			bk__lbuf_str(p->b, "\n");
		put_tabs(p, cconf->indent);
		bk__lbuf_str(p->b, "/* Bitfield combined with previous fields */\n");
	} else {
		int64_t cc = (int64_t)pos->offset - last->offset;

		if (cc > 0 && (uint64_t)cc < last_size) {
			if (!(*newline)++)
				bk__lbuf_str(p->b, "\n");
			put_tabs(p, cconf->indent);
			bk__lbuf_str(p->b, "/* Bitfield combined with next fields */\n");
		}
	}
	return 0;
}

static void summary(struct pr *p, const struct bk__lclass *k, const struct pconf *cconf,
		    const struct sums *s)
{
	const struct bk_struct_layout *l = &k->pub;
	uint32_t cls = p->c->cls, last_line;
	int64_t diff;
	int in = cconf->indent;

	bk__lbuf_str(p->b, "\n");
	put_tabs(p, in);
	bk__lbuf_printf(p->b, "/* size: %u, cachelines: %llu, members: %u */\n", l->size,
			((unsigned long long)l->size + cls - 1) / cls, l->nr_members);
	if (s->holes || s->bit_holes) {
		if (s->bytes) {
			put_tabs(p, in);
			bk__lbuf_printf(p->b, "/* sum members: %u", s->bytes);
			if (s->holes)
				bk__lbuf_printf(p->b, ", holes: %u, sum holes: %u", l->nr_holes, s->holes);
			bk__lbuf_str(p->b, " */\n");
		}
		if (s->bits) {
			put_tabs(p, in);
			bk__lbuf_printf(p->b, "/* sum bitfield members: %u bits", s->bits);
			if (s->bit_holes)
				bk__lbuf_printf(p->b, ", bit holes: %u, sum bit holes: %u bits",
						l->nr_bit_holes, s->bit_holes);
			else
				bk__lbuf_printf(p->b, " (%u bytes)", s->bits / 8);
			bk__lbuf_str(p->b, " */\n");
		}
	}
	if (l->padding > 0) {
		put_tabs(p, in);
		bk__lbuf_printf(p->b, "/* padding: %d */\n", l->padding);
	}
	if (s->nr_paddings) {
		put_tabs(p, in);
		bk__lbuf_printf(p->b, "/* paddings: %u, sum paddings: %u */\n", s->nr_paddings,
				s->paddings);
	}
	if (l->bit_padding > 0) {
		put_tabs(p, in);
		bk__lbuf_printf(p->b, "/* bit_padding: %d bits */\n", l->bit_padding);
	}
	if (s->forced) {
		put_tabs(p, in);
		bk__lbuf_printf(p->b, "/* forced alignments: %u", s->forced);
		if (s->forced_holes)
			bk__lbuf_printf(p->b, ", forced holes: %u, sum forced holes: %u",
					s->forced_holes, s->sum_forced_holes);
		bk__lbuf_str(p->b, " */\n");
	}
	last_line = (uint32_t)(((uint64_t)cconf->base_offset + l->size) % cls);
	if (last_line) {
		put_tabs(p, in);
		bk__lbuf_printf(p->b, "/* last cacheline: %u bytes */\n", last_line);
	}
	diff = (int64_t)l->size * 8 - ((int64_t)s->bytes * 8 + s->bits + (int64_t)s->holes * 8 +
					s->bit_holes + (int64_t)l->padding * 8 + l->bit_padding);
	if (diff && l->nr_members) {
		bk__lbuf_str(p->b, "\n");
		put_tabs(p, in);
		bk__lbuf_printf(p->b, "/* BRAIN FART ALERT! %u bytes != %u (member bytes) + %u (member bits) + %u (byte holes) + %u (bit holes), diff = %lld bits */\n",
				l->size, s->bytes, s->bits, s->holes, s->bit_holes, (long long)diff);
	}
}

/* The notes after member line i: padding of a struct member, bit hole, hole. */
static int after_member(struct pr *p, const struct bk_member_layout *pos,
			const struct pconf *cconf, int *newline, struct sums *s)
{
	const struct bk_type *t = bk_btf_type(p->c->btf, pos->type);

	if (pos->type && t && bk_kind(t) == BK_KIND_STRUCT) {
		struct bk__lclass *tk;
		int err = bk__lay_class(p->c, pos->type, &tk);

		if (!err)
			err = bk__lay_infer_packed(p->c, tk);
		if (err)
			return err;
		if ((uint16_t)tk->pub.padding) {
			long pad = (uint16_t)tk->pub.padding;

			s->nr_paddings++;
			s->paddings += (uint32_t)pad;
			note(p, newline, cconf, "last struct has ", pad, "byte", "of padding");
		}
	}
	if ((uint8_t)pos->bit_hole) {
		long bh = (uint8_t)pos->bit_hole;

		note(p, newline, cconf, "", bh, "bit", "hole, try to pack");
		s->bit_holes += (uint32_t)bh;
	}
	if (pos->hole > 0) {
		note(p, newline, cconf, "", pos->hole, "byte", "hole, try to pack");
		s->holes += (uint32_t)pos->hole;
	}
	return 0;
}

/* A struct (pahole's __class__fprintf). */
static int print_class(struct pr *p, uint32_t id, const struct pconf *conf)
{
	struct pconf cconf = *conf;
	struct sums s = { 0 };
	struct bk__lclass *k;
	uint32_t line = 0, last_size = 0;
	const struct bk_member_layout *last = NULL;
	int newline = 0, err;

	err = bk__lay_class(p->c, id, &k);
	if (!err)
		err = bk__lay_infer_packed(p->c, k);
	if (err)
		return err;
	if (!cconf.cachelinep)
		cconf.cachelinep = &line;
	bk__lbuf_printf(p->b, "%s%sstruct%s%s {\n", conf->prefix ? conf->prefix : "",
			conf->prefix ? " " : "", *k->pub.name ? " " : "", k->pub.name);
	cconf.indent = conf->indent + 1;
	if (k->pub.pre_bit_hole) {
		long bh = (uint8_t)k->pub.pre_bit_hole;

		if (!newline++)
			bk__lbuf_str(p->b, "\n");
		put_tabs(p, cconf.indent);
		bk__lbuf_printf(p->b, "/* XXX %ld bit%s hole, try to pack */\n", bh, plural(bh));
		s.bit_holes += (uint32_t)bh;
	}
	if (k->pub.pre_hole > 0) {
		if (!newline++)
			bk__lbuf_str(p->b, "\n");
		put_tabs(p, cconf.indent);
		bk__lbuf_printf(p->b, "/* XXX %d byte%s hole, try to pack */\n", k->pub.pre_hole,
				plural(k->pub.pre_hole));
		s.holes += (uint32_t)k->pub.pre_hole;
	}
	for (uint32_t i = 0; i < k->pub.nr_members; i++) {
		const struct bk_member_layout *pos = &k->m[i];

		if (pos->align) {
			int32_t fh = last ? last->hole : k->pub.pre_hole;

			if (fh) {
				s.forced_holes++;
				s.sum_forced_holes += (uint32_t)fh;
			}
			s.forced++;
		}
		if (last && last_size) {
			err = before_member(p, k, i, &cconf, &newline, last_size);
			if (err)
				return err;
		}
		if (newline) {
			bk__lbuf_str(p->b, "\n");
			newline = 0;
		}
		cconf.last_member = i + 1 == k->pub.nr_members;
		cconf.first_member = !last;
		put_tabs(p, cconf.indent);
		err = print_member(p, pos, &cconf);
		if (!err)
			err = after_member(p, pos, &cconf, &newline, &s);
		if (err)
			return err;
		bk__lbuf_str(p->b, "\n");
		if (pos->bitfield_size)
			s.bits += pos->bitfield_size;
		else
			s.bytes += pos->size;
		if (!last || !last_size || last->offset != pos->offset ||
		    (!last->bitfield_size && pos->bitfield_size))
			last_size = pos->size;
		last = pos;
	}
	if (cconf.emit_stats)
		summary(p, k, &cconf, &s);
	put_tabs(p, conf->indent);
	bk__lbuf_str(p->b, "}");
	if (k->pub.packed)
		bk__lbuf_str(p->b, " __attribute__((__packed__))");
	/* "} name __attribute__((__aligned__(N)))" for a typedef, "} __attr... name" inline */
	if (conf->suffix && conf->prefix)
		bk__lbuf_printf(p->b, " %s", conf->suffix);
	if (!k->pub.packed && k->pub.align)
		bk__lbuf_printf(p->b, " __attribute__((__aligned__(%u)))", k->pub.align);
	if (conf->suffix && !conf->prefix)
		bk__lbuf_printf(p->b, " %s", conf->suffix);
	return 0;
}

/* A union (pahole's union__fprintf). */
static int print_union(struct pr *p, uint32_t id, const struct pconf *conf)
{
	struct pconf uconf = *conf;
	struct bk__lclass *k;
	uint32_t line = 0, initial;
	int err;

	err = bk__lay_class(p->c, id, &k);
	if (!err)
		err = bk__lay_infer_packed(p->c, k);
	if (err)
		return err;
	if (conf->prefix)
		bk__lbuf_printf(p->b, "%s ", conf->prefix);
	bk__lbuf_printf(p->b, "union%s%s {\n", *k->pub.name ? " " : "", k->pub.name);
	uconf.indent = conf->indent + 1;
	if (!uconf.cachelinep)
		uconf.cachelinep = &line;
	initial = *uconf.cachelinep;
	for (uint32_t i = 0; i < k->pub.nr_members; i++) {
		uconf.union_member = true;
		uconf.last_member = i + 1 == k->pub.nr_members;
		uconf.first_member = i == 0;
		put_tabs(p, uconf.indent);
		err = print_member(p, &k->m[i], &uconf);
		if (err)
			return err;
		bk__lbuf_str(p->b, "\n");
		*uconf.cachelinep = initial;
	}
	put_tabs(p, conf->indent);
	bk__lbuf_printf(p->b, "}%s%s", conf->suffix ? " " : "", conf->suffix ? conf->suffix : "");
	return 0;
}

/* A typedef (pahole's typedef__fprintf). */
static int print_typedef(struct pr *p, const struct bk_type *t, struct pconf *conf)
{
	const struct bk_btf *btf = p->c->btf;
	const char *name = bk__lay_name(btf, t->name_off);
	const struct bk_type *to = bk_btf_type(btf, t->type);
	struct bk__lbuf nb = { 0 };
	int err;

	if (!t->type || !to) {
		bk__lbuf_printf(p->b, "typedef void %s", name);
		return 0;
	}
	conf->suffix = name;
	conf->prefix = "typedef";
	switch (bk_kind(to)) {
	case BK_KIND_ARRAY:
		bk__lbuf_str(p->b, "typedef ");
		conf->suffix = NULL;
		conf->prefix = NULL;
		return print_array(p, t->type, name, conf);
	case BK_KIND_PTR: {
		const struct bk_type *fn = bk_btf_type(btf, to->type);

		if (!to->type || !fn || bk_kind(fn) != BK_KIND_FUNC_PROTO)
			break;
		bk__lbuf_str(p->b, "typedef ");
		return bk__lay_ftype(p->c, p->b, to->type, name, true, 0, 0);
	}
	case BK_KIND_FUNC_PROTO:
		bk__lbuf_str(p->b, "typedef ");
		return bk__lay_ftype(p->c, p->b, t->type, name, false, 0, 0);
	case BK_KIND_STRUCT:
	case BK_KIND_ENUM:
	case BK_KIND_ENUM64:
		if (to->name_off) {
			bk__lbuf_printf(p->b, "typedef %s %s %s",
					bk_kind(to) == BK_KIND_STRUCT ? "struct" : "enum",
					bk__lay_name(btf, to->name_off), name);
			return 0;
		}
		if (bk_kind(to) == BK_KIND_STRUCT)
			return print_class(p, t->type, conf);
		print_enum(p, to, conf);
		return 0;
	default:
		break;
	}
	err = bk__lay_type_name(p->c, &nb, t->type, 0);
	if (!err && nb.err)
		err = nb.err;
	if (!err)
		bk__lbuf_printf(p->b, "typedef %s %s", nb.p, name);
	free(nb.p);
	return err;
}

int bk__lay_print(struct bk_layout_ctx *c, struct bk__lbuf *b, uint32_t id, bool expand,
		  struct bk_diag *diag)
{
	const struct bk_type *t = bk_btf_type(c->btf, id);
	struct pr p = { .c = c, .b = b, .diag = diag, .expand = expand,
			.budget = BK__LAY_MAX_MEMBERS };
	struct pconf conf = {
		.type_spacing = 26,
		.name_spacing = expand ? 55 : 23,
		.emit_stats = true,
	};
	int err;

	if (!t)
		return -EINVAL;
	switch (bk_kind(t)) {
	case BK_KIND_STRUCT:
		err = print_class(&p, id, &conf);
		break;
	case BK_KIND_UNION:
		if (!expand)
			conf.name_spacing = 21;
		err = print_union(&p, id, &conf);
		break;
	case BK_KIND_ENUM:
	case BK_KIND_ENUM64:
		print_enum(&p, t, &conf);
		err = 0;
		break;
	case BK_KIND_TYPEDEF:
		err = print_typedef(&p, t, &conf);
		break;
	default:
		return bk__diag(diag, -EINVAL, "type [%u] is a %s, not a struct, union, enum or typedef",
				id, bk_kind_name(bk_kind(t)));
	}
	if (err == -ELOOP)
		return bk__diag(diag, err, "types nested too deep (type [%u])", id);
	if (err == -E2BIG)
		return bk__diag(diag, err, "layout too large: over %u member lines (type [%u])",
				BK__LAY_MAX_MEMBERS, id);
	if (err)
		return bk__diag(diag, err, "%s (type [%u])", bk_strerror(err), id);
	bk__lbuf_str(b, ";\n");
	return b->err;
}
