// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bk_diff_new: match the named types of two BTFs by kind and name, and
 * compare the pairs (compare.c).
 *
 * Each side's candidates are its own named types of the kinds the diff
 * knows (struct, union, enum, typedef, func, var, int, float; a forward
 * declaration counts as its struct or union, declared only), filtered by
 * the options, sorted by (kind, name, ID). A merge of the two sorted lists
 * yields groups of equal kind and name: a group with one type on each side
 * is a pair; a type on one side only is added or removed. A name used
 * several times (static functions, structs private to a file) is matched
 * in two rounds: first each old type with the first new one that compares
 * equal, then the rest in ID order; the rest of the longer side is added
 * or removed. Where a group has a definition, its forward declarations do
 * not take part.
 *
 * Cost: two sorts and one comparison per pair; spellings are memoized per
 * side (spell.c), and a struct equal to its match is confirmed by one
 * ordered pass over both member lists.
 */
#include <stdlib.h>

#include "diff_int.h"

struct bk_diff {
	struct bk__arena arena;
	struct bk_diff_entry *entries;
	size_t n;
	size_t unchanged;
};

struct cand {
	const char *name;
	uint32_t id;
	uint8_t kind;
	uint8_t decl;        /* a forward declaration (or an enum without values) */
};

struct filter {
	int kind;            /* enum bk_diff_kind, or -1 for any */
	const char *name;
};

static const char *const kind_names[BK_DIFF_NR_KINDS] = {
	"struct", "union", "enum", "typedef", "func", "var", "int", "float",
};

const char *bk_diff_kind_name(enum bk_diff_kind kind)
{
	return (unsigned)kind < BK_DIFF_NR_KINDS ? kind_names[kind] : "unknown";
}

static int kind_of(const struct bk_type *t, uint8_t *decl)
{
	*decl = 0;
	switch (bk_kind(t)) {
	case BK_KIND_STRUCT: return BK_DIFF_STRUCT;
	case BK_KIND_UNION: return BK_DIFF_UNION;
	case BK_KIND_FWD:
		*decl = 1;
		return bk_kflag(t) ? BK_DIFF_UNION : BK_DIFF_STRUCT;
	case BK_KIND_ENUM:
	case BK_KIND_ENUM64:
		*decl = !bk_vlen(t);
		return BK_DIFF_ENUM;
	case BK_KIND_TYPEDEF: return BK_DIFF_TYPEDEF;
	case BK_KIND_FUNC: return BK_DIFF_FUNC;
	case BK_KIND_VAR: return BK_DIFF_VAR;
	case BK_KIND_INT: return BK_DIFF_INT;
	case BK_KIND_FLOAT: return BK_DIFF_FLOAT;
	default: return -1;
	}
}

static int by_key(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	int c;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	c = strcmp(x->name, y->name);
	if (c)
		return c;
	if (x->decl != y->decl)
		return x->decl < y->decl ? -1 : 1;
	return (x->id > y->id) - (x->id < y->id);
}

static bool wanted(const struct cand *c, unsigned kinds, const struct filter *f, size_t nf)
{
	if (kinds && !(kinds & (1u << c->kind)))
		return false;
	if (!nf)
		return true;
	for (size_t i = 0; i < nf; i++)
		if ((f[i].kind < 0 || f[i].kind == c->kind) && !strcmp(f[i].name, c->name))
			return true;
	return false;
}

static int collect(const struct bk_btf *btf, unsigned kinds, const struct filter *f, size_t nf,
		   struct cand **out, size_t *nout)
{
	uint32_t first = bk_btf_start_id(btf), cnt = bk_btf_type_cnt(btf);
	struct cand *c = malloc(((size_t)(cnt - first) + 1) * sizeof(*c));
	size_t n = 0;

	if (!c)
		return -ENOMEM;
	for (uint32_t id = first; id < cnt; id++) {
		const struct bk_type *t = bk_btf_type(btf, id);
		uint8_t decl;
		int k;

		if (!t->name_off || (k = kind_of(t, &decl)) < 0)
			continue;
		c[n] = (struct cand){ bk__lay_name(btf, t->name_off), id, (uint8_t)k, decl };
		if (wanted(&c[n], kinds, f, nf))
			n++;
	}
	qsort(c, n, sizeof(*c), by_key);
	*out = c;
	*nout = n;
	return 0;
}

static int add_entry(struct bk__dresult *r, char op, const struct cand *o, const struct cand *n,
		     bool ambiguous)
{
	const struct cand *c = o ? o : n;
	struct bk_diff_entry *e;

	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;

		e = realloc(r->entries, cap * sizeof(*e));
		if (!e)
			return -ENOMEM;
		r->entries = e;
		r->cap = cap;
	}
	e = &r->entries[r->n];
	memset(e, 0, sizeof(*e));
	e->op = op;
	e->kind = (enum bk_diff_kind)c->kind;
	e->name = c->name;
	e->old_id = o ? o->id : 0;
	e->new_id = n ? n->id : 0;
	e->ambiguous = ambiguous;
	if (op == '~') {
		struct bk_diff_change *ch = bk__arena_alloc(r->arena, r->nc * sizeof(*ch));

		if (!ch)
			return -ENOMEM;
		memcpy(ch, r->changes, r->nc * sizeof(*ch));
		e->changes = ch;
		e->nr_changes = r->nc;
	}
	r->n++;
	return 0;
}

struct sides {
	struct bk__dside old, new;
	struct bk__dresult r;
	size_t unchanged;
};

/* Compare a pair and record it when it differs; 0 or -errno. */
static int pair(struct sides *s, const struct cand *o, const struct cand *n, bool ambiguous)
{
	int k;

	s->r.nc = 0;
	k = bk__dcompare(&s->old, o->id, &s->new, n->id, (enum bk_diff_kind)o->kind, &s->r);
	if (k < 0)
		return k;
	if (!k) {
		s->unchanged++;
		return 0;
	}
	return add_entry(&s->r, '~', o, n, ambiguous);
}

/* Definitions of a group, or its declarations when it has none. */
static size_t defined(const struct cand *c, size_t n)
{
	size_t d = 0;

	while (d < n && !c[d].decl)
		d++;
	return d ? d : n;
}

static int group(struct sides *s, const struct cand *o, size_t no, const struct cand *n, size_t nn)
{
	bool amb;
	uint8_t *used_o, *used_n;
	size_t i, j;
	int err = 0;

	no = defined(o, no);
	nn = defined(n, nn);
	if (no == 1 && nn == 1)
		return pair(s, o, n, false);
	amb = no > 1 || nn > 1;
	if (!nn || !no) {
		for (i = 0; i < no && !err; i++)
			err = add_entry(&s->r, '-', &o[i], NULL, amb);
		for (j = 0; j < nn && !err; j++)
			err = add_entry(&s->r, '+', NULL, &n[j], amb);
		return err;
	}
	used_o = calloc(no, 1);
	used_n = calloc(nn, 1);
	if (!used_o || !used_n) {
		err = -ENOMEM;
		goto out;
	}
	/* first equal ones, then the rest in order */
	for (i = 0; i < no && !err; i++) {
		for (j = 0; j < nn; j++) {
			int k;

			if (used_n[j])
				continue;
			s->r.nc = 0;
			k = bk__dcompare(&s->old, o[i].id, &s->new, n[j].id, (enum bk_diff_kind)o[i].kind,
					 &s->r);
			if (k < 0) {
				err = k;
				break;
			}
			if (!k) {
				used_o[i] = used_n[j] = 1;
				s->unchanged++;
				break;
			}
		}
	}
	for (i = 0, j = 0; i < no && !err; i++) {
		if (used_o[i])
			continue;
		while (j < nn && used_n[j])
			j++;
		if (j == nn)
			break;
		used_o[i] = used_n[j] = 1;
		err = pair(s, &o[i], &n[j], amb);
	}
	for (i = 0; i < no && !err; i++)
		if (!used_o[i])
			err = add_entry(&s->r, '-', &o[i], NULL, amb);
	for (j = 0; j < nn && !err; j++)
		if (!used_n[j])
			err = add_entry(&s->r, '+', NULL, &n[j], amb);
out:
	free(used_o);
	free(used_n);
	return err;
}

static int parse_filters(const struct bk_diff_opts *opts, struct filter **out)
{
	struct filter *f = calloc(opts->nr_types + 1, sizeof(*f));

	if (!f)
		return -ENOMEM;
	for (size_t i = 0; i < opts->nr_types; i++) {
		const char *spec = opts->types[i], *sp = spec ? strchr(spec, ' ') : NULL;

		if (!spec || !*spec) {
			free(f);
			return bk__diag(opts->diag, -EINVAL, "empty type name in the filter");
		}
		f[i].kind = -1;
		f[i].name = spec;
		for (int k = 0; sp && k < BK_DIFF_NR_KINDS; k++) {
			if ((size_t)(sp - spec) == strlen(kind_names[k]) &&
			    !strncmp(spec, kind_names[k], (size_t)(sp - spec))) {
				f[i].kind = k;
				f[i].name = sp + 1;
			}
		}
	}
	*out = f;
	return 0;
}

struct bk_diff *bk_diff_new(const struct bk_btf *old, const struct bk_btf *new_btf,
			    const struct bk_diff_opts *opts)
{
	static const struct bk_diff_opts defaults = { .sz = sizeof(defaults) };
	struct bk_diff *d = calloc(1, sizeof(*d));
	struct sides s = { 0 };
	struct cand *co = NULL, *cn = NULL;
	struct filter *f = NULL;
	size_t no = 0, nn = 0, i = 0, j = 0;
	int err;

	if (!opts)
		opts = &defaults;
	if (!d) {
		errno = ENOMEM;
		return NULL;
	}
	s.r.arena = &d->arena;
	err = parse_filters(opts, &f);
	if (!err)
		err = bk__dside_init(&s.old, old, &d->arena);
	if (!err)
		err = bk__dside_init(&s.new, new_btf, &d->arena);
	if (!err)
		err = collect(old, opts->kinds, f, opts->nr_types, &co, &no);
	if (!err)
		err = collect(new_btf, opts->kinds, f, opts->nr_types, &cn, &nn);
	while (!err && (i < no || j < nn)) {
		size_t i2 = i, j2 = j;
		int c;

		if (i == no)
			c = 1;
		else if (j == nn)
			c = -1;
		else if (co[i].kind != cn[j].kind)
			c = co[i].kind < cn[j].kind ? -1 : 1;
		else
			c = strcmp(co[i].name, cn[j].name);
		if (c <= 0)
			while (i2 < no && co[i2].kind == co[i].kind && !strcmp(co[i2].name, co[i].name))
				i2++;
		if (c >= 0)
			while (j2 < nn && cn[j2].kind == cn[j].kind && !strcmp(cn[j2].name, cn[j].name))
				j2++;
		err = group(&s, co + i, i2 - i, cn + j, j2 - j);
		if (err) {
			const struct cand *at = i < i2 ? &co[i] : &cn[j];

			bk__diag(opts->diag, err, "%s comparing %s %s (type [%u])",
				 err == -ELOOP ? "types nested too deep" :
				 err == -E2BIG ? "type too large" : bk_strerror(err),
				 kind_names[at->kind], at->name, at->id);
		}
		i = i2;
		j = j2;
	}
	free(co);
	free(cn);
	free(f);
	free(s.r.changes);
	bk__dside_fini(&s.old);
	bk__dside_fini(&s.new);
	d->entries = s.r.entries;
	d->n = s.r.n;
	d->unchanged = s.unchanged;
	if (err) {
		if (opts->diag && !opts->diag->err)
			bk__diag(opts->diag, err, "%s", bk_strerror(err));
		bk_diff_free(d);
		errno = -err;
		return NULL;
	}
	return d;
}

void bk_diff_free(struct bk_diff *d)
{
	if (!d)
		return;
	free(d->entries);
	bk__arena_free(&d->arena);
	free(d);
}

size_t bk_diff_count(const struct bk_diff *d)
{
	return d->n;
}

const struct bk_diff_entry *bk_diff_entry(const struct bk_diff *d, size_t i)
{
	return i < d->n ? &d->entries[i] : NULL;
}

size_t bk_diff_unchanged(const struct bk_diff *d)
{
	return d->unchanged;
}
