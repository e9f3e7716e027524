// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Types spelled in C, the currency of the diff: two types are the same
 * when their spellings are, whatever their IDs. A named struct, union,
 * enum or typedef is its name ("struct sk_buff"); what is built on types
 * is spelled as C declares it ("const char *", "char [48]",
 * "int (*)(struct sk_buff *, int)", "int __attribute__((btf_type_tag(\"user\"))) *",
 * as bpftool's C dump writes tags); an anonymous struct, union or enum is
 * spelled out whole ("struct {int a; char b:3;}"), so a change inside one
 * changes the spelling of whatever holds it.
 *
 * A spelling is kept per type ID as the two halves of a declarator, the
 * classic inside-out construction: prefix + NAME + suffix, where a pointer
 * adds "*" to the prefix (in parentheses when the pointed-to type has a
 * suffix: "int (*" NAME ")[4]"), an array "[N]" and a prototype
 * "(params)" to the suffix, a qualifier "const " before a prefix, or after
 * one that ends in "*" (a const pointer: "char *const"). Memoized, so each
 * type is spelled once per side. Bounds: recursion depth
 * BK__DIFF_MAX_DEPTH, spelling length BK__DIFF_MAX_SPELL (anonymous types
 * used twice at every level would otherwise double per level); an
 * anonymous struct or union met again inside its own spelling (through a
 * pointer to it: hostile or rare) is "struct {...}" there, and a cycle of
 * modifiers alone is an error (-ELOOP). busy[id] records, while id is being
 * spelled, how many anonymous types were open when it started (+1): meeting
 * id again with more open is a cycle through an anonymous type, spelled
 * again down to the cut (the outer spelling is the one kept).
 */
#include <stdio.h>
#include <stdlib.h>

#include "diff_int.h"

#define BK__DIFF_MAX_SPELL (1u << 20)

struct bk__arena_chunk {
	struct bk__arena_chunk *next;
	char data[];
};

void *bk__arena_alloc(struct bk__arena *a, size_t n)
{
	n = (n + 7) & ~(size_t)7;
	if (!a->head || a->cap - a->used < n) {
		size_t cap = n > 60000 ? n : 60000;
		struct bk__arena_chunk *c = malloc(sizeof(*c) + cap);

		if (!c)
			return NULL;
		c->next = a->head;
		a->head = c;
		a->used = 0;
		a->cap = cap;
	}
	a->used += n;
	return a->head->data + a->used - n;
}

char *bk__arena_strndup(struct bk__arena *a, const char *s, size_t n)
{
	char *p = bk__arena_alloc(a, n + 1);

	if (p) {
		memcpy(p, s, n);
		p[n] = 0;
	}
	return p;
}

void bk__arena_free(struct bk__arena *a)
{
	while (a->head) {
		struct bk__arena_chunk *c = a->head;

		a->head = c->next;
		free(c);
	}
	a->used = a->cap = 0;
}

int bk__dside_init(struct bk__dside *s, const struct bk_btf *btf, struct bk__arena *a)
{
	memset(s, 0, sizeof(*s));
	s->btf = btf;
	s->arena = a;
	s->cnt = bk_btf_type_cnt(btf);
	s->pre = calloc(s->cnt, sizeof(*s->pre));
	s->suf = calloc(s->cnt, sizeof(*s->suf));
	s->abs = calloc(s->cnt, sizeof(*s->abs));
	s->busy = calloc(s->cnt, sizeof(*s->busy));
	if (!s->pre || !s->suf || !s->abs || !s->busy) {
		bk__dside_fini(s);
		return -ENOMEM;
	}
	return 0;
}

void bk__dside_fini(struct bk__dside *s)
{
	free(s->pre);
	free(s->suf);
	free(s->abs);
	free(s->busy);
	s->pre = s->suf = s->abs = NULL;
	s->busy = NULL;
}

static int halves(struct bk__dside *s, uint32_t id, int depth, const char **pre,
		  const char **suf);

/* "struct {int a; char b:3;} " for an anonymous struct or union. */
static int body(struct bk__dside *s, const struct bk_type *t, struct bk__lbuf *out, int depth)
{
	const struct bk_member *m = bk_members(t);

	bk__lbuf_str(out, bk_kind(t) == BK_KIND_UNION ? "union {" : "struct {");
	for (unsigned i = 0; i < bk_vlen(t); i++) {
		const char *pre, *suf;
		int err = halves(s, m[i].type, depth + 1, &pre, &suf);

		if (err)
			return err;
		bk__lbuf_str(out, pre);
		bk__lbuf_str(out, bk__lay_name(s->btf, m[i].name_off));
		bk__lbuf_str(out, suf);
		if (bk_member_bitfield_size(t, &m[i]))
			bk__lbuf_printf(out, ":%u", bk_member_bitfield_size(t, &m[i]));
		bk__lbuf_str(out, i + 1 < bk_vlen(t) ? "; " : ";");
	}
	bk__lbuf_str(out, "} ");
	return 0;
}

/* "enum {A = 1, B = 2} " for an anonymous enum. */
static void enum_body(struct bk__dside *s, const struct bk_type *t, struct bk__lbuf *out)
{
	bool is64 = bk_kind(t) == BK_KIND_ENUM64, sgn = bk_kflag(t);

	bk__lbuf_str(out, "enum {");
	for (unsigned i = 0; i < bk_vlen(t); i++) {
		uint64_t v = is64 ? bk_enum64_value(&bk_enum64s(t)[i]) : (uint32_t)bk_enums(t)[i].val;

		bk__lbuf_str(out, bk__lay_name(s->btf, is64 ? bk_enum64s(t)[i].name_off : bk_enums(t)[i].name_off));
		if (sgn)
			bk__lbuf_printf(out, " = %lld", is64 ? (long long)v : (long long)(int32_t)v);
		else
			bk__lbuf_printf(out, " = %llu", (unsigned long long)v);
		bk__lbuf_str(out, i + 1 < bk_vlen(t) ? ", " : "");
	}
	bk__lbuf_str(out, "} ");
}

static int params(struct bk__dside *s, const struct bk_type *t, struct bk__lbuf *out, int depth)
{
	const struct bk_param *p = bk_params(t);
	unsigned n = bk_vlen(t);

	bk__lbuf_str(out, "(");
	if (!n)
		bk__lbuf_str(out, "void");
	for (unsigned i = 0; i < n; i++) {
		const char *pre, *suf;
		size_t l;
		int err;

		if (i)
			bk__lbuf_str(out, ", ");
		if (!p[i].type && i + 1 == n) {
			bk__lbuf_str(out, "...");
			break;
		}
		err = halves(s, p[i].type, depth + 1, &pre, &suf);
		if (err)
			return err;
		l = strlen(pre);
		if (!*suf && l && pre[l - 1] == ' ')
			l--; /* "int" rather than "int " */
		bk__lbuf_mem(out, pre, l);
		bk__lbuf_str(out, suf);
	}
	bk__lbuf_str(out, ")");
	return 0;
}

static const char *keep(struct bk__dside *s, const struct bk__lbuf *b, int *err)
{
	const char *p;

	if (b->err) {
		*err = b->err;
		return NULL;
	}
	if (b->len > BK__DIFF_MAX_SPELL) {
		*err = -E2BIG;
		return NULL;
	}
	p = bk__arena_strndup(s->arena, b->p ? b->p : "", b->len);
	if (!p)
		*err = -ENOMEM;
	return p;
}

/* The declarator halves of one type built on `to` (pointer, array, ...). */
static int derived(struct bk__dside *s, const struct bk_type *t, const char *name, const char *to_pre,
		   const char *to_suf, struct bk__lbuf *pre, struct bk__lbuf *suf, int depth)
{
	const char *q;
	size_t l;

	switch (bk_kind(t)) {
	case BK_KIND_PTR:
		bk__lbuf_str(pre, to_pre);
		bk__lbuf_str(pre, *to_suf ? "(*" : "*");
		if (*to_suf)
			bk__lbuf_str(suf, ")");
		bk__lbuf_str(suf, to_suf);
		return 0;
	case BK_KIND_ARRAY:
		bk__lbuf_str(pre, to_pre);
		bk__lbuf_printf(suf, "[%u]", bk_array_of(t)->nelems);
		bk__lbuf_str(suf, to_suf);
		return 0;
	case BK_KIND_FUNC_PROTO: {
		int err;

		bk__lbuf_str(pre, to_pre);
		err = params(s, t, suf, depth);
		bk__lbuf_str(suf, to_suf);
		return err;
	}
	case BK_KIND_TYPE_TAG:
		bk__lbuf_str(pre, to_pre);
		bk__lbuf_str(pre, "__attribute__((btf_type_tag(\"");
		bk__lbuf_str(pre, name);
		bk__lbuf_str(pre, "\"))) ");
		bk__lbuf_str(suf, to_suf);
		return 0;
	default:
		q = bk_kind(t) == BK_KIND_CONST ? "const " :
		    bk_kind(t) == BK_KIND_VOLATILE ? "volatile " : "restrict ";
		l = strlen(to_pre);
		if (l && to_pre[l - 1] == '*') { /* a qualified pointer: "char *const" */
			bk__lbuf_str(pre, to_pre);
			bk__lbuf_str(pre, q);
		} else {
			bk__lbuf_str(pre, q);
			bk__lbuf_str(pre, to_pre);
		}
		bk__lbuf_str(suf, to_suf);
		return 0;
	}
}

/* The declarator halves of id (see the top of the file), memoized. */
static int halves(struct bk__dside *s, uint32_t id, int depth, const char **pre_out,
		  const char **suf_out)
{
	const struct bk_type *t = bk_btf_type(s->btf, id);
	struct bk__lbuf pre = { 0 }, suf = { 0 };
	const char *name;
	uint32_t was_busy;
	bool anon;
	int err = 0;

	if (!t)
		return -EINVAL;
	if (s->pre[id] && !s->busy[id])
		goto out;
	if (!id) {
		s->pre[id] = "void ";
		s->suf[id] = "";
		goto out;
	}
	if (depth > BK__DIFF_MAX_DEPTH)
		return -ELOOP;
	anon = bk_is_composite(t) && !t->name_off;
	if (s->busy[id]) {
		/* an anonymous struct or union inside itself: cut there */
		if (anon) {
			*pre_out = bk_kind(t) == BK_KIND_UNION ? "union {...} " : "struct {...} ";
			*suf_out = "";
			return 0;
		}
		/* a cycle of modifiers only (no anonymous type opened since): no C type */
		if (s->open_anon < s->busy[id])
			return -ELOOP;
	}
	name = bk__lay_name(s->btf, t->name_off);
	was_busy = s->busy[id];
	s->busy[id] = s->open_anon + 1;
	s->open_anon += anon;
	switch (bk_kind(t)) {
	case BK_KIND_INT:
	case BK_KIND_FLOAT:
	case BK_KIND_TYPEDEF:
		bk__lbuf_str(&pre, name);
		bk__lbuf_str(&pre, " ");
		break;
	case BK_KIND_STRUCT:
	case BK_KIND_UNION:
	case BK_KIND_ENUM:
	case BK_KIND_ENUM64:
	case BK_KIND_FWD:
		if (!*name && bk_is_composite(t)) {
			err = body(s, t, &pre, depth);
		} else if (!*name && bk_is_any_enum(t)) {
			enum_body(s, t, &pre);
		} else {
			bk__lbuf_str(&pre, bk_kind(t) == BK_KIND_UNION ||
						  (bk_kind(t) == BK_KIND_FWD && bk_kflag(t)) ? "union " :
					  bk_is_any_enum(t) ? "enum " : "struct ");
			bk__lbuf_str(&pre, name);
			bk__lbuf_str(&pre, " ");
		}
		break;
	case BK_KIND_PTR:
	case BK_KIND_CONST:
	case BK_KIND_VOLATILE:
	case BK_KIND_RESTRICT:
	case BK_KIND_TYPE_TAG:
	case BK_KIND_ARRAY:
	case BK_KIND_FUNC_PROTO: {
		uint32_t to = bk_kind(t) == BK_KIND_ARRAY ? bk_array_of(t)->type : t->type;
		const char *to_pre, *to_suf;

		err = halves(s, to, depth + 1, &to_pre, &to_suf);
		if (!err)
			err = derived(s, t, name, to_pre, to_suf, &pre, &suf, depth);
		break;
	}
	default:
		/* FUNC, VAR, DATASEC, DECL_TAG, unknown kinds: no C type */
		bk__lbuf_printf(&pre, "%s ", bk_kind_name(bk_kind(t)));
		break;
	}
	s->busy[id] = was_busy;
	s->open_anon -= anon;
	if (!err)
		s->pre[id] = keep(s, &pre, &err);
	if (!err)
		s->suf[id] = keep(s, &suf, &err);
	if (err)
		s->pre[id] = NULL;
	free(pre.p);
	free(suf.p);
	if (err)
		return err;
out:
	*pre_out = s->pre[id];
	*suf_out = s->suf[id];
	return 0;
}

const char *bk__spell(struct bk__dside *s, uint32_t id, int *err)
{
	struct bk__lbuf b = { 0 };
	const char *pre, *suf;
	size_t l;

	if (id < s->cnt && s->abs[id])
		return s->abs[id];
	*err = halves(s, id, 0, &pre, &suf);
	if (*err)
		return NULL;
	l = strlen(pre);
	if (!*suf && l && pre[l - 1] == ' ')
		l--;
	bk__lbuf_mem(&b, pre, l);
	bk__lbuf_str(&b, suf);
	s->abs[id] = keep(s, &b, err);
	free(b.p);
	return s->abs[id];
}
