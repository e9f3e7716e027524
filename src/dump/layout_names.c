// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Type names as pahole 1.24 spells them when it prints a layout from BTF,
 * and the growing text buffer the layout printer writes into.
 *
 * pahole's names are not C declarations: a modifier appends a space to
 * what it modifies ("const char " + " *" gives "const char  *"), a
 * pointer appends " *" ("char * *"), but a pointer to a const pointer
 * puts the const after ("char * const *"), an array names its element type,
 * a prototype prints as "ret ()(params)" and a pointer to one as
 * "ret ()(params) *", except a parameter that points to a function, which
 * prints as "ret (*)(params)". Type tags (which pahole 1.24 cannot read)
 * are left out. Recursion is bounded by BK__LAY_MAX_DEPTH (-ELOOP).
 */
#include <stdio.h>
#include <stdlib.h>

#include "layout_int.h"

static void grow(struct bk__lbuf *b, size_t need)
{
	size_t cap = b->cap ? b->cap : 4096;
	char *p;

	if (b->err || b->len + need + 1 <= b->cap)
		return;
	while (cap < b->len + need + 1)
		cap *= 2;
	p = realloc(b->p, cap);
	if (!p) {
		b->err = -ENOMEM;
		return;
	}
	b->p = p;
	b->cap = cap;
}

void bk__lbuf_mem(struct bk__lbuf *b, const char *s, size_t n)
{
	grow(b, n);
	if (b->err)
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
}

void bk__lbuf_pad(struct bk__lbuf *b, char c, int n)
{
	if (n <= 0)
		return;
	grow(b, (size_t)n);
	if (b->err)
		return;
	memset(b->p + b->len, c, (size_t)n);
	b->len += (size_t)n;
	b->p[b->len] = 0;
}

void bk__lbuf_printf(struct bk__lbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->err = -EINVAL;
		return;
	}
	grow(b, (size_t)n);
	if (b->err)
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

const char *bk__lay_name(const struct bk_btf *btf, uint32_t name_off)
{
	const char *s = bk_btf_str(btf, name_off);

	return s ? s : "";
}

/* "struct ", "union ", "enum " or "" before a type's name. */
static const char *prefix_of(const struct bk_type *t)
{
	switch (bk_kind(t)) {
	case BK_KIND_STRUCT: return "struct ";
	case BK_KIND_UNION: return "union ";
	case BK_KIND_ENUM:
	case BK_KIND_ENUM64: return "enum ";
	case BK_KIND_FWD: return bk_kflag(t) ? "union " : "struct ";
	default: return "";
	}
}

/* Skip type tags, which pahole 1.24 does not know. */
static uint32_t skip_tags(const struct bk_layout_ctx *c, uint32_t id)
{
	for (uint32_t steps = 0; steps <= c->cnt; steps++) {
		const struct bk_type *t = bk_btf_type(c->btf, id);

		if (!t || !id || bk_kind(t) != BK_KIND_TYPE_TAG)
			return id;
		id = t->type;
	}
	return 0;
}

int bk__lay_type_name(const struct bk_layout_ctx *c, struct bk__lbuf *b, uint32_t id, int depth)
{
	const struct bk_type *t;
	int err;

	if (depth > BK__LAY_MAX_DEPTH)
		return -ELOOP;
	id = skip_tags(c, id);
	t = bk_btf_type(c->btf, id);
	if (!id || !t) {
		bk__lbuf_str(b, "void");
		return 0;
	}
	switch (bk_kind(t)) {
	case BK_KIND_PTR: {
		uint32_t to = skip_tags(c, t->type), cto;
		const struct bk_type *tt = bk_btf_type(c->btf, to), *ct;

		if (!to) {
			bk__lbuf_str(b, "void *");
			return 0;
		}
		cto = bk_kind(tt) == BK_KIND_CONST ? skip_tags(c, tt->type) : 0;
		ct = bk_btf_type(c->btf, cto);
		if (cto && ct && bk_kind(ct) == BK_KIND_PTR) {
			/* a pointer to a const pointer: "char * const *" */
			err = bk__lay_type_name(c, b, cto, depth + 1);
			bk__lbuf_str(b, " const *");
			return err;
		}
		err = bk__lay_type_name(c, b, to, depth + 1);
		bk__lbuf_str(b, " *");
		return err;
	}
	case BK_KIND_CONST:
	case BK_KIND_VOLATILE:
		bk__lbuf_str(b, bk_kind(t) == BK_KIND_CONST ? "const " : "volatile ");
		err = bk__lay_type_name(c, b, t->type, depth + 1);
		bk__lbuf_str(b, " ");
		return err;
	case BK_KIND_RESTRICT:
		err = bk__lay_type_name(c, b, t->type, depth + 1);
		bk__lbuf_str(b, " restrict ");
		return err;
	case BK_KIND_ARRAY:
		return bk__lay_type_name(c, b, bk_array_of(t)->type, depth + 1);
	case BK_KIND_FUNC_PROTO:
		return bk__lay_ftype(c, b, id, NULL, false, 0, depth + 1);
	default:
		bk__lbuf_str(b, prefix_of(t));
		bk__lbuf_str(b, bk__lay_name(c->btf, t->name_off));
		return 0;
	}
}

/* The parameter list of a prototype, as pahole's ftype__fprintf_parms. */
static int params(const struct bk_layout_ctx *c, struct bk__lbuf *b, const struct bk_type *proto,
		  int depth)
{
	const struct bk_param *p = bk_params(proto);
	unsigned n = bk_vlen(proto);
	bool varargs = n && !p[n - 1].type;
	int err = 0;

	if (varargs)
		n--;
	bk__lbuf_str(b, "(");
	for (unsigned i = 0; i < n && !err; i++) {
		const char *name = bk__lay_name(c->btf, p[i].name_off);
		uint32_t pid = skip_tags(c, p[i].type);
		const struct bk_type *pt = bk_btf_type(c->btf, pid);
		uint32_t to = pt && bk_kind(pt) == BK_KIND_PTR ? skip_tags(c, pt->type) : 0;
		const struct bk_type *tt = to ? bk_btf_type(c->btf, to) : NULL;

		if (i)
			bk__lbuf_str(b, ", ");
		if (tt && bk_kind(tt) == BK_KIND_FUNC_PROTO) {
			err = bk__lay_ftype(c, b, to, name, true, 0, depth + 1);
			continue;
		}
		err = bk__lay_type_name(c, b, pid, depth + 1);
		if (*name) {
			bk__lbuf_str(b, " ");
			bk__lbuf_str(b, name);
		}
	}
	if (!n)
		bk__lbuf_str(b, "void)");
	else if (varargs)
		bk__lbuf_str(b, ", ...)");
	else
		bk__lbuf_str(b, ")");
	return err;
}

int bk__lay_ftype(const struct bk_layout_ctx *c, struct bk__lbuf *b, uint32_t proto,
		  const char *name, bool is_pointer, int spacing, int depth)
{
	const struct bk_type *t = bk_btf_type(c->btf, proto);
	struct bk__lbuf ret = { 0 };
	int err;

	if (depth > BK__LAY_MAX_DEPTH)
		return -ELOOP;
	err = bk__lay_type_name(c, &ret, t->type, depth + 1);
	if (!err)
		err = ret.err;
	if (!err) /* printf's "%-*s": a negative width (deep nesting) pads as much */
		bk__lbuf_printf(b, "%-*s", spacing, ret.p);
	free(ret.p);
	if (err)
		return err;
	bk__lbuf_str(b, is_pointer ? " (*" : " (");
	bk__lbuf_str(b, name ? name : "");
	bk__lbuf_str(b, ")");
	return params(c, b, t, depth);
}
