// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Comparing two types of one kind that were matched by name (diff.c), one
 * side each, recording every difference (bk__dchange).
 *
 * Structs and unions are compared member by member through flattened
 * member lists: each member is a path, a C type (spell.c), a bit offset
 * from the start of the outermost type, and a bitfield width. The members
 * of an anonymous member are the parent's own (C reaches them so), those
 * of a named member whose type is an anonymous struct or union are
 * "member.sub" (the member itself is listed too, as "struct {...}"). Two
 * lists equal in order need no more work (the usual case); otherwise
 * members are matched by path: one side only is added or removed; on both,
 * a different type or width is a retype, a different offset a move. A
 * typedef of an anonymous struct or union is compared as that type.
 * Enums are compared value by value by enumerator name, functions by the
 * spelling of their prototype (parameter names do not count) and linkage.
 *
 * Flattening is bounded: BK__DIFF_MAX_DEPTH nesting levels (-ELOOP) and
 * BK__DIFF_MAX_MEMBERS members per type (-E2BIG), which hostile nesting
 * (anonymous types used twice at every level) would otherwise exceed.
 */
#include <stdlib.h>

#include "diff_int.h"

#define BK__DIFF_MAX_MEMBERS (1u << 18)

int bk__dchange(struct bk__dresult *r, enum bk_diff_what what, const char *name,
		const char *old_s, const char *new_s, int64_t old_v, int64_t new_v)
{
	if (r->nc == r->ccap) {
		size_t cap = r->ccap ? r->ccap * 2 : 16;
		struct bk_diff_change *c = realloc(r->changes, cap * sizeof(*c));

		if (!c)
			return -ENOMEM;
		r->changes = c;
		r->ccap = cap;
	}
	r->changes[r->nc++] = (struct bk_diff_change){ what, name, old_s, new_s, old_v, new_v };
	return 0;
}

/* A change recorded: 1, or the error recording it. */
static int one(int err)
{
	return err ? err : 1;
}

struct fmember {
	const char *path;
	const char *type;
	uint64_t off;        /* bits from the start of the outermost type */
	uint32_t bits;       /* bitfield width, 0 for none */
	uint32_t pos;        /* order in the list */
};

struct flist {
	struct fmember *m;
	size_t n, cap;
};

static int push(struct flist *l, const char *path, const char *type, uint64_t off, uint32_t bits)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct fmember *m;

		if (l->cap >= BK__DIFF_MAX_MEMBERS)
			return -E2BIG;
		m = realloc(l->m, cap * sizeof(*m));
		if (!m)
			return -ENOMEM;
		l->m = m;
		l->cap = cap;
	}
	l->m[l->n] = (struct fmember){ path, type, off, bits, (uint32_t)l->n };
	l->n++;
	return 0;
}

/* The anonymous struct or union a member's type is (modifiers looked through), or 0. */
static uint32_t anon_composite(const struct bk_btf *btf, uint32_t id)
{
	int r = bk_btf_skip_mods(btf, id);
	const struct bk_type *t = r > 0 ? bk_btf_type(btf, (uint32_t)r) : NULL;

	return t && bk_is_composite(t) && !t->name_off ? (uint32_t)r : 0;
}

static int flatten(struct bk__dside *s, uint32_t id, const char *prefix, uint64_t base,
		   struct flist *l, int depth)
{
	const struct bk_type *t = bk_btf_type(s->btf, id);
	const struct bk_member *m = bk_members(t);
	int err = 0;

	if (depth > BK__DIFF_MAX_DEPTH)
		return -ELOOP;
	for (unsigned i = 0; i < bk_vlen(t) && !err; i++) {
		const char *name = bk__lay_name(s->btf, m[i].name_off), *path = name;
		uint64_t off = base + bk_member_bit_offset(t, &m[i]);
		uint32_t anon = anon_composite(s->btf, m[i].type);

		if (*prefix && *name) {
			size_t lp = strlen(prefix), ln = strlen(name);
			char *p = bk__arena_alloc(s->arena, lp + ln + 1);

			if (!p)
				return -ENOMEM;
			memcpy(p, prefix, lp);
			memcpy(p + lp, name, ln + 1);
			path = p;
		}
		if (anon) {
			const struct bk_type *at = bk_btf_type(s->btf, anon);
			char *sub = (char *)prefix;

			if (*name) {
				err = push(l, path, bk_kind(at) == BK_KIND_UNION ? "union {...}" : "struct {...}",
					   off, 0);
				sub = bk__arena_alloc(s->arena, strlen(path) + 2);
				if (!sub)
					return -ENOMEM;
				strcpy(sub, path);
				strcat(sub, ".");
			}
			if (!err)
				err = flatten(s, anon, sub, off, l, depth + 1);
			continue;
		}
		if (!*name)
			continue; /* an unnamed bitfield: padding */
		{
			const char *type = bk__spell(s, m[i].type, &err);

			if (type)
				err = push(l, path, type, off, bk_member_bitfield_size(t, &m[i]));
		}
	}
	return err;
}

static int by_path(const void *a, const void *b)
{
	const struct fmember *x = *(const struct fmember *const *)a, *y = *(const struct fmember *const *)b;
	int c = strcmp(x->path, y->path);

	return c ? c : (x->pos > y->pos) - (x->pos < y->pos);
}

static bool same_member(const struct fmember *a, const struct fmember *b)
{
	return a->off == b->off && a->bits == b->bits && !strcmp(a->path, b->path) &&
	       !strcmp(a->type, b->type);
}

/* "u8:3" for a bitfield's type. */
static const char *typed(struct bk__arena *a, const struct fmember *m)
{
	char *p;
	size_t l;

	if (!m->bits)
		return m->type;
	l = strlen(m->type);
	p = bk__arena_alloc(a, l + 16);
	if (p)
		snprintf(p, l + 16, "%s:%u", m->type, m->bits);
	return p ? p : m->type;
}

/* Record the member differences of two flattened lists. */
static int compare_lists(struct flist *o, struct flist *n, struct bk__dresult *r)
{
	struct fmember **so = NULL, **sn = NULL;
	uint8_t *matched_o = NULL;
	int32_t *pair = NULL;   /* per new member: its old member's position, or -1 */
	size_t i, j;
	int err = 0, changes = 0;

	if (o->n == n->n) {
		for (i = 0; i < o->n && same_member(&o->m[i], &n->m[i]); i++)
			;
		if (i == o->n)
			return 0;
	}
	so = malloc((o->n + 1) * sizeof(*so));
	sn = malloc((n->n + 1) * sizeof(*sn));
	matched_o = calloc(o->n + 1, 1);
	pair = malloc((n->n + 1) * sizeof(*pair));
	if (!so || !sn || !matched_o || !pair) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < o->n; i++)
		so[i] = &o->m[i];
	for (i = 0; i < n->n; i++) {
		sn[i] = &n->m[i];
		pair[i] = -1;
	}
	qsort(so, o->n, sizeof(*so), by_path);
	qsort(sn, n->n, sizeof(*sn), by_path);
	for (i = j = 0; i < o->n && j < n->n;) {
		int c = strcmp(so[i]->path, sn[j]->path);

		if (c < 0) {
			i++;
		} else if (c > 0) {
			j++;
		} else {
			pair[sn[j]->pos] = (int32_t)so[i]->pos;
			matched_o[so[i]->pos] = 1;
			i++;
			j++;
		}
	}
	/* removed members in old order, then the new members in new order */
	for (i = 0; i < o->n && !err; i++) {
		if (matched_o[i])
			continue;
		err = bk__dchange(r, BK_DIFF_MEMBER_REMOVED, o->m[i].path, typed(r->arena, &o->m[i]), NULL,
				  (int64_t)o->m[i].off, 0);
		changes++;
	}
	for (j = 0; j < n->n && !err; j++) {
		const struct fmember *nm = &n->m[j], *om;

		if (pair[j] < 0) {
			err = bk__dchange(r, BK_DIFF_MEMBER_ADDED, nm->path, NULL, typed(r->arena, nm), 0,
					  (int64_t)nm->off);
			changes++;
			continue;
		}
		om = &o->m[pair[j]];
		if (strcmp(om->type, nm->type) || om->bits != nm->bits) {
			err = bk__dchange(r, BK_DIFF_MEMBER_RETYPED, nm->path, typed(r->arena, om),
					  typed(r->arena, nm), 0, 0);
			changes++;
		}
		if (!err && om->off != nm->off) {
			err = bk__dchange(r, BK_DIFF_MEMBER_MOVED, nm->path, NULL, NULL, (int64_t)om->off,
					  (int64_t)nm->off);
			changes++;
		}
	}
out:
	free(so);
	free(sn);
	free(matched_o);
	free(pair);
	return err ? err : changes;
}

static int compare_composite(struct bk__dside *os, uint32_t o, struct bk__dside *ns, uint32_t n,
			     struct bk__dresult *r)
{
	const struct bk_type *to = bk_btf_type(os->btf, o), *tn = bk_btf_type(ns->btf, n);
	bool def_o = bk_kind(to) != BK_KIND_FWD, def_n = bk_kind(tn) != BK_KIND_FWD;
	struct flist lo = { 0 }, ln = { 0 };
	int err = 0, changes = 0;

	if (def_o != def_n)
		return one(bk__dchange(r, BK_DIFF_DECLARATION, NULL, NULL, NULL, def_o, def_n));
	if (!def_o)
		return 0;
	if (to->size != tn->size) {
		err = bk__dchange(r, BK_DIFF_SIZE, NULL, NULL, NULL, to->size, tn->size);
		changes++;
	}
	if (!err)
		err = flatten(os, o, "", 0, &lo, 0);
	if (!err)
		err = flatten(ns, n, "", 0, &ln, 0);
	if (!err) {
		err = compare_lists(&lo, &ln, r);
		if (err > 0) {
			changes += err;
			err = 0;
		}
	}
	free(lo.m);
	free(ln.m);
	return err ? err : changes;
}

struct evalue {
	const char *name;
	int64_t v;
	uint32_t pos;
};

static int by_ename(const void *a, const void *b)
{
	const struct evalue *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->pos > y->pos) - (x->pos < y->pos);
}

/* Enumerators of t by name (malloc'ed array of bk_vlen(t)). */
static struct evalue *enum_values(const struct bk_btf *btf, const struct bk_type *t)
{
	struct evalue *v = malloc((bk_vlen(t) + 1) * sizeof(*v));
	bool is64 = bk_kind(t) == BK_KIND_ENUM64, sgn = bk_kflag(t);

	if (!v)
		return NULL;
	for (unsigned i = 0; i < bk_vlen(t); i++) {
		uint64_t raw = is64 ? bk_enum64_value(&bk_enum64s(t)[i]) : (uint32_t)bk_enums(t)[i].val;

		v[i].name = bk__lay_name(btf, is64 ? bk_enum64s(t)[i].name_off : bk_enums(t)[i].name_off);
		v[i].v = is64 ? (int64_t)raw : sgn ? (int64_t)(int32_t)raw : (int64_t)raw;
		v[i].pos = i;
	}
	qsort(v, bk_vlen(t), sizeof(*v), by_ename);
	return v;
}

static int compare_enum(struct bk__dside *os, uint32_t o, struct bk__dside *ns, uint32_t n,
			struct bk__dresult *r)
{
	const struct bk_type *to = bk_btf_type(os->btf, o), *tn = bk_btf_type(ns->btf, n);
	unsigned no = bk_vlen(to), nn = bk_vlen(tn), i = 0, j = 0;
	struct evalue *vo, *vn;
	int err = 0, changes = 0;

	if (to->size != tn->size) {
		err = bk__dchange(r, BK_DIFF_SIZE, NULL, NULL, NULL, to->size, tn->size);
		changes++;
	}
	if (!err && bk_kflag(to) != bk_kflag(tn)) {
		err = bk__dchange(r, BK_DIFF_SIGNEDNESS, NULL, NULL, NULL, bk_kflag(to), bk_kflag(tn));
		changes++;
	}
	vo = enum_values(os->btf, to);
	vn = enum_values(ns->btf, tn);
	if (!vo || !vn)
		err = -ENOMEM;
	while (!err && (i < no || j < nn)) {
		int c = i == no ? 1 : j == nn ? -1 : strcmp(vo[i].name, vn[j].name);

		if (c < 0) {
			err = bk__dchange(r, BK_DIFF_VALUE_REMOVED, vo[i].name, NULL, NULL, vo[i].v, 0);
			i++;
		} else if (c > 0) {
			err = bk__dchange(r, BK_DIFF_VALUE_ADDED, vn[j].name, NULL, NULL, 0, vn[j].v);
			j++;
		} else {
			if (vo[i].v != vn[j].v)
				err = bk__dchange(r, BK_DIFF_VALUE_CHANGED, vn[j].name, NULL, NULL, vo[i].v,
						  vn[j].v);
			else
				changes--;
			i++;
			j++;
		}
		changes++;
	}
	free(vo);
	free(vn);
	return err ? err : changes;
}

/* Compare the spellings of two types; one change of what when they differ. */
static int compare_spelled(struct bk__dside *os, uint32_t o, struct bk__dside *ns, uint32_t n,
			   enum bk_diff_what what, struct bk__dresult *r)
{
	int err = 0;
	const char *a = bk__spell(os, o, &err), *b;

	if (!a)
		return err;
	b = bk__spell(ns, n, &err);
	if (!b)
		return err;
	if (!strcmp(a, b))
		return 0;
	return one(bk__dchange(r, what, NULL, a, b, 0, 0));
}

static const char *linkage(uint32_t l)
{
	switch (l) {
	case BK_LINKAGE_STATIC: return "static";
	case BK_LINKAGE_GLOBAL: return "global";
	case BK_LINKAGE_EXTERN: return "extern";
	default: return "unknown";
	}
}

static int compare_linkage(uint32_t a, uint32_t b, struct bk__dresult *r)
{
	if (a == b)
		return 0;
	return one(bk__dchange(r, BK_DIFF_LINKAGE, NULL, linkage(a), linkage(b), a, b));
}

static const char *encoding(struct bk__arena *a, const struct bk_type *t)
{
	char *p = bk__arena_alloc(a, 64);

	if (p)
		snprintf(p, 64, "%s%s%s%u bits at bit %u",
			 bk_int_encoding(t) & BK_INT_SIGNED ? "signed " : "unsigned ",
			 bk_int_encoding(t) & BK_INT_CHAR ? "char " : "",
			 bk_int_encoding(t) & BK_INT_BOOL ? "bool " : "", bk_int_bits(t), bk_int_offset(t));
	return p;
}

int bk__dcompare(struct bk__dside *os, uint32_t o, struct bk__dside *ns, uint32_t n,
		 enum bk_diff_kind kind, struct bk__dresult *r)
{
	const struct bk_type *to = bk_btf_type(os->btf, o), *tn = bk_btf_type(ns->btf, n);
	int a, b, err = 0, changes = 0;

	switch (kind) {
	case BK_DIFF_STRUCT:
	case BK_DIFF_UNION:
		return compare_composite(os, o, ns, n, r);
	case BK_DIFF_ENUM:
		return compare_enum(os, o, ns, n, r);
	case BK_DIFF_TYPEDEF:
		a = (int)anon_composite(os->btf, to->type);
		b = (int)anon_composite(ns->btf, tn->type);
		if (a && b && bk_kind(bk_btf_type(os->btf, (uint32_t)a)) ==
				      bk_kind(bk_btf_type(ns->btf, (uint32_t)b)) &&
		    to->type == (uint32_t)a && tn->type == (uint32_t)b)
			return compare_composite(os, (uint32_t)a, ns, (uint32_t)b, r);
		return compare_spelled(os, to->type, ns, tn->type, BK_DIFF_TYPE, r);
	case BK_DIFF_FUNC:
		err = compare_spelled(os, to->type, ns, tn->type, BK_DIFF_PROTO, r);
		if (err < 0)
			return err;
		changes = err;
		err = compare_linkage(bk_vlen(to), bk_vlen(tn), r);
		return err < 0 ? err : changes + err;
	case BK_DIFF_VAR:
		err = compare_spelled(os, to->type, ns, tn->type, BK_DIFF_TYPE, r);
		if (err < 0)
			return err;
		changes = err;
		err = compare_linkage(bk_var_of(to)->linkage, bk_var_of(tn)->linkage, r);
		return err < 0 ? err : changes + err;
	case BK_DIFF_INT:
		if (to->size != tn->size) {
			err = bk__dchange(r, BK_DIFF_SIZE, NULL, NULL, NULL, to->size, tn->size);
			changes++;
		}
		if (!err && bk_int_data(to) != bk_int_data(tn)) {
			err = bk__dchange(r, BK_DIFF_ENCODING, NULL, encoding(r->arena, to),
					  encoding(r->arena, tn), 0, 0);
			changes++;
		}
		return err ? err : changes;
	default: /* FLOAT */
		if (to->size == tn->size)
			return 0;
		return one(bk__dchange(r, BK_DIFF_SIZE, NULL, NULL, NULL, to->size, tn->size));
	}
}
