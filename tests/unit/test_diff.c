// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Unit tests of the BTF diff (src/diff): a BTF against itself is equal; a
 * generated test builds random pairs of BTFs with the writer from a model
 * (structs with plain, pointer, array and bitfield members, enums, funcs,
 * typedefs), applies random edits to the model, emits the two sides with
 * different type orders (so IDs differ), and checks that the diff reports
 * exactly the edits, as the model says they must show (member added,
 * removed, retyped, moved; size; enum values; prototypes; linkage;
 * typedef targets). Then the cases written by hand: anonymous members
 * matched through their parents, declarations, repeated names, filters,
 * the printers, and a hostile anonymous cycle.
 */
#include <stdarg.h>
#include <stdlib.h>

#include "btfkit/diff.h"
#include "btfkit/write.h"
#include "test.h"

/* ---- the model ------------------------------------------------------------ */

#define NS 10   /* structs s0..s9; s0..s3 are pointer targets and never removed */
#define NPT 4
#define NM 12   /* members per struct, at most */
#define NE 3
#define NV 10
#define NF 5
#define NP 4
#define NT 3

enum { T_INT, T_CHAR, T_LONG, T_SHORT, T_PTR, T_ARR, T_BITS, T_NR };
static const char *const base_names[] = { "int", "char", "long", "short" };
static const unsigned base_size[] = { 4, 1, 8, 2 };

struct mmember {
	char name[16];
	int t, arg;          /* arg: pointed-to struct (T_PTR), elements (T_ARR), width (T_BITS) */
};

struct mstruct {
	bool present;
	int n;
	struct mmember m[NM];
};

struct menum {
	bool present;
	int n;
	char name[NV][16];
	int64_t v[NV];
};

struct mfunc {
	bool present, global;
	int ret, np, p[NP];   /* base types */
};

struct model {
	struct mstruct s[NS];
	struct menum e[NE];
	struct mfunc f[NF];
	int td[NT];           /* typedef targets (base types) */
};

static uint64_t rng;

static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static unsigned name_seq;

static void random_member(struct mmember *m)
{
	snprintf(m->name, sizeof(m->name), "m%u", name_seq++);
	m->t = (int)rnd(T_NR);
	m->arg = m->t == T_PTR ? (int)rnd(NPT) : m->t == T_ARR ? 1 + (int)rnd(6) :
		 m->t == T_BITS ? 1 + (int)rnd(12) : 0;
}

/* The member's C type as the diff spells it, bitfield width included. */
static void spell(const struct mmember *m, char *buf, size_t n)
{
	switch (m->t) {
	case T_PTR: snprintf(buf, n, "struct s%d *", m->arg); break;
	case T_ARR: snprintf(buf, n, "int [%d]", m->arg); break;
	case T_BITS: snprintf(buf, n, "unsigned int:%d", m->arg); break;
	default: snprintf(buf, n, "%s", base_names[m->t]); break;
	}
}

/* Bit offsets of a struct's members (natural alignment, bitfields packed in 32-bit units), and its size. */
static uint32_t layout(const struct mstruct *s, uint32_t *off)
{
	uint32_t cur = 0, align = 1;

	for (int i = 0; i < s->n; i++) {
		const struct mmember *m = &s->m[i];
		unsigned sz = m->t == T_PTR ? 8 : m->t == T_ARR ? 4 : m->t == T_BITS ? 4 : base_size[m->t];

		if (m->t == T_BITS) {
			if (cur % 32 + (uint32_t)m->arg > 32)
				cur = (cur + 31) / 32 * 32;
			off[i] = cur;
			cur += (uint32_t)m->arg;
		} else {
			cur = (cur + sz * 8 - 1) / (sz * 8) * (sz * 8);
			off[i] = cur;
			cur += m->t == T_ARR ? 32 * (uint32_t)m->arg : sz * 8;
		}
		if (sz > align)
			align = sz;
	}
	cur = (cur + 7) / 8;
	return (cur + align - 1) / align * align;
}

static void model_init(struct model *m)
{
	memset(m, 0, sizeof(*m));
	for (int i = 0; i < NS; i++) {
		m->s[i].present = i < NPT || rnd(4);
		m->s[i].n = 1 + (int)rnd(NM - 3);
		for (int j = 0; j < m->s[i].n; j++)
			random_member(&m->s[i].m[j]);
	}
	for (int i = 0; i < NE; i++) {
		m->e[i].present = true;
		m->e[i].n = 1 + (int)rnd(NV - 3);
		for (int j = 0; j < m->e[i].n; j++) {
			snprintf(m->e[i].name[j], 16, "E%d_%u", i, name_seq++);
			m->e[i].v[j] = rnd(1000);
		}
	}
	for (int i = 0; i < NF; i++) {
		m->f[i].present = true;
		m->f[i].global = rnd(2);
		m->f[i].ret = (int)rnd(4);
		m->f[i].np = (int)rnd(NP);
		for (int j = 0; j < m->f[i].np; j++)
			m->f[i].p[j] = (int)rnd(4);
	}
	for (int i = 0; i < NT; i++)
		m->td[i] = (int)rnd(4);
}

/* One random edit of the model. */
static void edit(struct model *m)
{
	struct mstruct *s = &m->s[rnd(NS)];
	struct menum *e = &m->e[rnd(NE)];
	struct mfunc *f = &m->f[rnd(NF)];
	int i;

	switch (rnd(12)) {
	case 0: /* add a member somewhere */
		if (!s->present || s->n == NM)
			return;
		i = (int)rnd((unsigned)s->n + 1);
		memmove(&s->m[i + 1], &s->m[i], (size_t)(s->n - i) * sizeof(s->m[0]));
		random_member(&s->m[i]);
		s->n++;
		return;
	case 1: /* remove a member */
		if (!s->present || s->n < 2)
			return;
		i = (int)rnd((unsigned)s->n);
		memmove(&s->m[i], &s->m[i + 1], (size_t)(s->n - i - 1) * sizeof(s->m[0]));
		s->n--;
		return;
	case 2: { /* retype a member */
		char keep[16];

		if (!s->present)
			return;
		i = (int)rnd((unsigned)s->n);
		memcpy(keep, s->m[i].name, sizeof(keep));
		random_member(&s->m[i]);
		memcpy(s->m[i].name, keep, sizeof(keep));
		return;
	}
	case 3: /* swap two members (both move) */
		if (!s->present || s->n < 2) {
			return;
		} else {
			int j = (int)rnd((unsigned)s->n);
			struct mmember t;

			i = (int)rnd((unsigned)s->n);
			t = s->m[i];
			s->m[i] = s->m[j];
			s->m[j] = t;
		}
		return;
	case 4: /* a struct removed or added */
		if (s - m->s >= NPT)
			s->present = !s->present;
		return;
	case 5: /* an enumerator added */
		if (e->n < NV) {
			snprintf(e->name[e->n], 16, "X%u", name_seq++);
			e->v[e->n++] = rnd(1000);
		}
		return;
	case 6: /* an enumerator removed */
		if (e->n > 1) {
			i = (int)rnd((unsigned)e->n);
			memmove(e->name[i], e->name[i + 1], (size_t)(e->n - i - 1) * 16);
			memmove(&e->v[i], &e->v[i + 1], (size_t)(e->n - i - 1) * sizeof(e->v[0]));
			e->n--;
		}
		return;
	case 7: /* an enumerator's value */
		e->v[rnd((unsigned)e->n)] = rnd(1000);
		return;
	case 8: /* a prototype: return or parameter type, or a parameter more or less */
		if (rnd(2))
			f->ret = (int)rnd(4);
		else if (f->np && rnd(2))
			f->p[rnd((unsigned)f->np)] = (int)rnd(4);
		else if (f->np < NP && rnd(2))
			f->p[f->np++] = (int)rnd(4);
		else if (f->np)
			f->np--;
		return;
	case 9:
		f->global = !f->global;
		return;
	case 10:
		m->td[rnd(NT)] = (int)rnd(4);
		return;
	default: /* a function or an enum removed or added */
		if (rnd(2))
			f->present = !f->present;
		else
			e->present = !e->present;
		return;
	}
}

/* ---- writing a model as BTF ----------------------------------------------- */

struct ids {
	int base[4], uint, ptr[NPT];
};

static void emit_struct(struct bk_btf *b, const struct ids *ids, int k, const struct mstruct *s)
{
	uint32_t off[NM];
	uint32_t size = layout(s, off);
	char name[16];
	int arr[8];

	/* the array types first: a struct's members must follow it */
	for (int i = 1; i < 8; i++)
		arr[i] = bk_btf_add_array(b, ids->base[T_INT], ids->base[T_INT], (uint32_t)i);
	snprintf(name, sizeof(name), "s%d", k);
	bk_btf_add_struct(b, name, size);
	for (int i = 0; i < s->n; i++) {
		const struct mmember *m = &s->m[i];
		int t = m->t == T_PTR ? ids->ptr[m->arg] : m->t == T_ARR ? arr[m->arg] :
			m->t == T_BITS ? ids->uint : ids->base[m->t];

		bk_btf_add_field(b, m->name, t, off[i], m->t == T_BITS ? (uint32_t)m->arg : 0);
	}
}

static void emit_func(struct bk_btf *b, const struct ids *ids, int k, const struct mfunc *f)
{
	char name[16];
	int proto = bk_btf_add_func_proto(b, ids->base[f->ret]);

	for (int i = 0; i < f->np; i++)
		bk_btf_add_func_param(b, rnd(2) ? "p" : "q", ids->base[f->p[i]]);
	snprintf(name, sizeof(name), "f%d", k);
	bk_btf_add_func(b, name, f->global ? BK_LINKAGE_GLOBAL : BK_LINKAGE_STATIC, proto);
}

/* The model as BTF, its types in a random order after a random number of unnamed pointers. */
static struct bk_btf *emit(const struct model *m)
{
	struct bk_btf *b = bk_btf_new_empty(NULL);
	struct ids ids;
	int order[NS + NE + NF + NT], n = 0;

	for (unsigned i = rnd(5); i > 0; i--)
		bk_btf_add_ptr(b, 0);
	for (int i = 0; i < 4; i++)
		ids.base[i] = bk_btf_add_int(b, base_names[i], base_size[i], i == T_CHAR ? BK_INT_CHAR | BK_INT_SIGNED :
									  BK_INT_SIGNED);
	ids.uint = bk_btf_add_int(b, "unsigned int", 4, 0);
	for (int i = 0; i < NPT; i++) {
		char name[16];

		snprintf(name, sizeof(name), "s%d", i);
		ids.ptr[i] = bk_btf_add_ptr(b, bk_btf_add_fwd(b, name, BK_FWD_STRUCT));
	}
	for (int i = 0; i < NS + NE + NF + NT; i++)
		order[n++] = i;
	for (int i = n - 1; i > 0; i--) {
		int j = (int)rnd((unsigned)i + 1), t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
	for (int i = 0; i < n; i++) {
		int k = order[i];
		char name[16];

		if (k < NS) {
			if (m->s[k].present)
				emit_struct(b, &ids, k, &m->s[k]);
		} else if ((k -= NS) < NE) {
			if (!m->e[k].present)
				continue;
			snprintf(name, sizeof(name), "e%d", k);
			bk_btf_add_enum(b, name, 4);
			for (int j = 0; j < m->e[k].n; j++)
				bk_btf_add_enum_value(b, m->e[k].name[j], m->e[k].v[j]);
		} else if ((k -= NE) < NF) {
			if (m->f[k].present)
				emit_func(b, &ids, k, &m->f[k]);
		} else {
			k -= NF;
			snprintf(name, sizeof(name), "t%d", k);
			bk_btf_add_typedef(b, name, ids.base[m->td[k]]);
		}
	}
	return b;
}

/* ---- the expected differences, as sorted lines ---------------------------- */

struct lines {
	char **v;
	size_t n, cap;
};

static void line(struct lines *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void line(struct lines *l, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n++] = strdup(buf);
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void lines_free(struct lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

static const struct mmember *find_member(const struct mstruct *s, const char *name, int *at)
{
	for (int i = 0; i < s->n; i++)
		if (!strcmp(s->m[i].name, name)) {
			*at = i;
			return &s->m[i];
		}
	return NULL;
}

static void proto(const struct mfunc *f, char *buf, size_t n)
{
	size_t l = (size_t)snprintf(buf, n, "%s (", base_names[f->ret]);

	if (!f->np)
		l += (size_t)snprintf(buf + l, n - l, "void");
	for (int i = 0; i < f->np; i++)
		l += (size_t)snprintf(buf + l, n - l, "%s%s", i ? ", " : "", base_names[f->p[i]]);
	snprintf(buf + l, n - l, ")");
}

static void expect_struct(struct lines *l, int k, const struct mstruct *a, const struct mstruct *b)
{
	uint32_t oa[NM], ob[NM], sa = layout(a, oa), sb = layout(b, ob);
	char ta[64], tb[64];
	int j;

	if (sa != sb)
		line(l, "~struct s%d size %u %u", k, sa, sb);
	for (int i = 0; i < a->n; i++) {
		if (!find_member(b, a->m[i].name, &j)) {
			spell(&a->m[i], ta, sizeof(ta));
			line(l, "~struct s%d -member %s %s %u", k, a->m[i].name, ta, oa[i]);
		}
	}
	for (int i = 0; i < b->n; i++) {
		const struct mmember *om = find_member(a, b->m[i].name, &j);

		spell(&b->m[i], tb, sizeof(tb));
		if (!om) {
			line(l, "~struct s%d +member %s %s %u", k, b->m[i].name, tb, ob[i]);
			continue;
		}
		spell(om, ta, sizeof(ta));
		if (strcmp(ta, tb))
			line(l, "~struct s%d ~member %s %s -> %s", k, b->m[i].name, ta, tb);
		if (oa[j] != ob[i])
			line(l, "~struct s%d ~member %s offset %u -> %u", k, b->m[i].name, oa[j], ob[i]);
	}
}

static void expect(struct lines *l, const struct model *a, const struct model *b)
{
	char pa[128], pb[128];

	for (int k = 0; k < NS; k++) {
		if (a->s[k].present != b->s[k].present)
			line(l, "%cstruct s%d", a->s[k].present ? '-' : '+', k);
		else if (a->s[k].present)
			expect_struct(l, k, &a->s[k], &b->s[k]);
	}
	for (int k = 0; k < NE; k++) {
		const struct menum *x = &a->e[k], *y = &b->e[k];

		if (x->present != y->present) {
			line(l, "%cenum e%d", x->present ? '-' : '+', k);
			continue;
		}
		if (!x->present)
			continue;
		for (int i = 0; i < x->n; i++) {
			int j;

			for (j = 0; j < y->n && strcmp(x->name[i], y->name[j]); j++)
				;
			if (j == y->n)
				line(l, "~enum e%d -value %s %" PRId64, k, x->name[i], x->v[i]);
			else if (x->v[i] != y->v[j])
				line(l, "~enum e%d ~value %s %" PRId64 " -> %" PRId64, k, x->name[i], x->v[i],
				     y->v[j]);
		}
		for (int j = 0; j < y->n; j++) {
			int i;

			for (i = 0; i < x->n && strcmp(x->name[i], y->name[j]); i++)
				;
			if (i == x->n)
				line(l, "~enum e%d +value %s %" PRId64, k, y->name[j], y->v[j]);
		}
	}
	for (int k = 0; k < NF; k++) {
		const struct mfunc *x = &a->f[k], *y = &b->f[k];

		if (x->present != y->present) {
			line(l, "%cfunc f%d", x->present ? '-' : '+', k);
			continue;
		}
		if (!x->present)
			continue;
		proto(x, pa, sizeof(pa));
		proto(y, pb, sizeof(pb));
		if (strcmp(pa, pb))
			line(l, "~func f%d prototype %s -> %s", k, pa, pb);
		if (x->global != y->global)
			line(l, "~func f%d linkage %s -> %s", k, x->global ? "global" : "static",
			     y->global ? "global" : "static");
	}
	for (int k = 0; k < NT; k++)
		if (a->td[k] != b->td[k])
			line(l, "~typedef t%d type %s -> %s", k, base_names[a->td[k]], base_names[b->td[k]]);
}

/* What the diff reported, in the form of expect(). */
static void reported(struct lines *l, const struct bk_diff *d)
{
	for (size_t i = 0; i < bk_diff_count(d); i++) {
		const struct bk_diff_entry *e = bk_diff_entry(d, i);
		const char *k = bk_diff_kind_name(e->kind);

		if (e->op != '~') {
			line(l, "%c%s %s", e->op, k, e->name);
			continue;
		}
		for (size_t j = 0; j < e->nr_changes; j++) {
			const struct bk_diff_change *c = &e->changes[j];

			switch (c->what) {
			case BK_DIFF_SIZE:
				line(l, "~%s %s size %" PRId64 " %" PRId64, k, e->name, c->old_v, c->new_v);
				break;
			case BK_DIFF_MEMBER_ADDED:
				line(l, "~%s %s +member %s %s %" PRId64, k, e->name, c->name, c->new_s, c->new_v);
				break;
			case BK_DIFF_MEMBER_REMOVED:
				line(l, "~%s %s -member %s %s %" PRId64, k, e->name, c->name, c->old_s, c->old_v);
				break;
			case BK_DIFF_MEMBER_RETYPED:
				line(l, "~%s %s ~member %s %s -> %s", k, e->name, c->name, c->old_s, c->new_s);
				break;
			case BK_DIFF_MEMBER_MOVED:
				line(l, "~%s %s ~member %s offset %" PRId64 " -> %" PRId64, k, e->name, c->name,
				     c->old_v, c->new_v);
				break;
			case BK_DIFF_VALUE_ADDED:
				line(l, "~%s %s +value %s %" PRId64, k, e->name, c->name, c->new_v);
				break;
			case BK_DIFF_VALUE_REMOVED:
				line(l, "~%s %s -value %s %" PRId64, k, e->name, c->name, c->old_v);
				break;
			case BK_DIFF_VALUE_CHANGED:
				line(l, "~%s %s ~value %s %" PRId64 " -> %" PRId64, k, e->name, c->name, c->old_v,
				     c->new_v);
				break;
			case BK_DIFF_PROTO:
				line(l, "~%s %s prototype %s -> %s", k, e->name, c->old_s, c->new_s);
				break;
			case BK_DIFF_LINKAGE:
				line(l, "~%s %s linkage %s -> %s", k, e->name, c->old_s, c->new_s);
				break;
			case BK_DIFF_TYPE:
				line(l, "~%s %s type %s -> %s", k, e->name, c->old_s, c->new_s);
				break;
			default:
				line(l, "~%s %s unexpected change %d", k, e->name, (int)c->what);
				break;
			}
		}
	}
}

/* Both lists sorted and equal; the first difference reported. */
static bool same_lines(struct lines *want, struct lines *got, unsigned round)
{
	if (want->n)
		qsort(want->v, want->n, sizeof(char *), by_str);
	if (got->n)
		qsort(got->v, got->n, sizeof(char *), by_str);
	for (size_t i = 0; i < want->n || i < got->n; i++) {
		const char *w = i < want->n ? want->v[i] : "(nothing)", *g = i < got->n ? got->v[i] : "(nothing)";

		if (strcmp(w, g)) {
			bt_fail(__FILE__, __LINE__, "round %u: expected '%s', reported '%s'", round, w, g);
			return false;
		}
	}
	return true;
}

TEST(diff_random_edits)
{
	unsigned total_edits = 0;
	size_t total_lines = 0;

	rng = 0x9e3779b97f4a7c15ull;
	for (unsigned round = 0; round < 300; round++) {
		struct model *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
		struct lines want = { 0 }, got = { 0 };
		struct bk_btf *ba, *bb;
		struct bk_diff *d;
		unsigned nedits = round % 10;

		REQUIRE(a && b);
		model_init(a);
		*b = *a;
		for (unsigned i = 0; i < nedits; i++)
			edit(b);
		total_edits += nedits;
		ba = emit(a);
		bb = emit(b);
		REQUIRE(ba && bb);
		d = bk_diff_new(ba, bb, NULL);
		REQUIRE(d);
		expect(&want, a, b);
		reported(&got, d);
		total_lines += want.n;
		if (!want.n)
			CHECK_EQ(bk_diff_count(d), 0);
		bool ok = same_lines(&want, &got, round);

		bk_diff_free(d);
		/* and each side against itself: nothing */
		d = bk_diff_new(bb, bb, NULL);
		REQUIRE(d);
		CHECK_EQ(bk_diff_count(d), 0);
		bk_diff_free(d);
		bk_btf_free(ba);
		bk_btf_free(bb);
		lines_free(&want);
		lines_free(&got);
		free(a);
		free(b);
		if (!ok)
			return;
	}
	CHECK(total_edits > 1000);
	CHECK(total_lines > 1000); /* the edits showed, not just rounds of nothing */
}

/* ---- by hand -------------------------------------------------------------- */

TEST(diff_self_sample)
{
	struct bk_btf *b = bk_btf_open(bt_data("sample.bpf.o"), NULL);
	struct bk_diff *d;

	REQUIRE(b);
	d = bk_diff_new(b, b, NULL);
	REQUIRE(d);
	CHECK_EQ(bk_diff_count(d), 0);
	CHECK(bk_diff_unchanged(d) > 10);
	bk_diff_free(d);
	bk_btf_free(b);
}

/*
 * struct outer { int a; union { int x; long y; }; struct { char c; } named; };
 * in new: the anonymous union's y becomes short, named.c becomes int.
 */
static struct bk_btf *anon_pair(bool changed)
{
	struct bk_btf *b = bk_btf_new_empty(NULL);
	int i = bk_btf_add_int(b, "int", 4, BK_INT_SIGNED);
	int l = bk_btf_add_int(b, "long", 8, BK_INT_SIGNED);
	int s = bk_btf_add_int(b, "short", 2, BK_INT_SIGNED);
	int c = bk_btf_add_int(b, "char", 1, BK_INT_SIGNED | BK_INT_CHAR);
	int u = bk_btf_add_union(b, NULL, 8);
	int st;

	bk_btf_add_field(b, "x", i, 0, 0);
	bk_btf_add_field(b, "y", changed ? s : l, 0, 0);
	st = bk_btf_add_struct(b, NULL, 4);
	bk_btf_add_field(b, "c", changed ? i : c, 0, 0);
	bk_btf_add_struct(b, "outer", 24);
	bk_btf_add_field(b, "a", i, 0, 0);
	bk_btf_add_field(b, NULL, u, 64, 0);
	bk_btf_add_field(b, "named", st, 128, 0);
	return b;
}

static char *print_diff(const struct bk_diff *d, enum bk_diff_format f)
{
	struct bk_membuf mb = { 0 };
	struct bk_sink sink = bk_sink_membuf(&mb);

	if (bk_diff_print(d, &sink, f)) {
		free(mb.data);
		return NULL;
	}
	return mb.data;
}

TEST(diff_anonymous_through_parent)
{
	struct bk_btf *a = anon_pair(false), *b = anon_pair(true);
	struct bk_diff *d = bk_diff_new(a, b, NULL);
	char *text;

	REQUIRE(d);
	text = print_diff(d, BK_DIFF_TEXT);
	REQUIRE(text);
	CHECK_STR(text, "~struct outer\n"
			"\t~member y: long -> short\n"
			"\t~member named.c: char -> int\n"
			"0 added, 0 removed, 1 changed, 4 unchanged\n");
	free(text);
	bk_diff_free(d);
	bk_btf_free(a);
	bk_btf_free(b);
}

TEST(diff_declaration_and_repeats)
{
	struct bk_btf *a = bk_btf_new_empty(NULL), *b = bk_btf_new_empty(NULL);
	struct bk_diff *d;
	int ia = bk_btf_add_int(a, "int", 4, BK_INT_SIGNED), ib = bk_btf_add_int(b, "int", 4, BK_INT_SIGNED);
	int pa, pb;
	char *text;

	/* struct d: declared only in old, defined in new */
	bk_btf_add_fwd(a, "d", BK_FWD_STRUCT);
	bk_btf_add_struct(b, "d", 4);
	bk_btf_add_field(b, "v", ib, 0, 0);
	/* two static funcs "h": one unchanged, one changed */
	pa = bk_btf_add_func_proto(a, ia);
	bk_btf_add_func(a, "h", BK_LINKAGE_STATIC, pa);
	pa = bk_btf_add_func_proto(a, 0);
	bk_btf_add_func(a, "h", BK_LINKAGE_STATIC, pa);
	pb = bk_btf_add_func_proto(b, ib);
	bk_btf_add_func_param(b, "x", ib);
	bk_btf_add_func(b, "h", BK_LINKAGE_STATIC, pb);
	pb = bk_btf_add_func_proto(b, ib);
	bk_btf_add_func(b, "h", BK_LINKAGE_STATIC, pb);
	d = bk_diff_new(a, b, NULL);
	REQUIRE(d);
	text = print_diff(d, BK_DIFF_TEXT);
	REQUIRE(text);
	CHECK_STR(text, "~struct d\n"
			"\tdeclaration: declared only -> defined\n"
			"~func h [6 -> 4]\n"
			"\tprototype: void (void) -> int (int)\n"
			"0 added, 0 removed, 2 changed, 2 unchanged\n");
	free(text);
	bk_diff_free(d);
	bk_btf_free(a);
	bk_btf_free(b);
}

TEST(diff_filters_and_json)
{
	struct bk_btf *a = anon_pair(false), *b = anon_pair(true);
	const char *only_int[] = { "int" }, *only_struct[] = { "struct outer" }, *bad[] = { "" };
	struct bk_diag diag = { 0 };
	struct bk_diff_opts o = { .sz = sizeof(o), .types = only_int, .nr_types = 1 };
	struct bk_diff *d = bk_diff_new(a, b, &o);
	char *text;

	REQUIRE(d);
	CHECK_EQ(bk_diff_count(d), 0);
	CHECK_EQ(bk_diff_unchanged(d), 1);
	bk_diff_free(d);
	o.types = only_struct;
	d = bk_diff_new(a, b, &o);
	REQUIRE(d);
	CHECK_EQ(bk_diff_count(d), 1);
	text = print_diff(d, BK_DIFF_JSON);
	REQUIRE(text);
	CHECK_STR(text, "{\"added\":0,\"removed\":0,\"changed\":1,\"unchanged\":0,\"types\":[{\"op\":\"~\","
			"\"kind\":\"struct\",\"name\":\"outer\",\"old_id\":7,\"new_id\":7,\"ambiguous\":false,"
			"\"changes\":[{\"what\":\"member_retyped\",\"name\":\"y\",\"old\":\"long\",\"new\":\"short\"},"
			"{\"what\":\"member_retyped\",\"name\":\"named.c\","
			"\"old\":\"char\",\"new\":\"int\"}]}]}\n");
	free(text);
	bk_diff_free(d);
	/* kinds: unions and enums only: the struct's change is not looked at */
	o.types = NULL;
	o.nr_types = 0;
	o.kinds = 1u << BK_DIFF_UNION | 1u << BK_DIFF_ENUM;
	d = bk_diff_new(a, b, &o);
	REQUIRE(d);
	CHECK_EQ(bk_diff_count(d), 0);
	CHECK_EQ(bk_diff_unchanged(d), 0);
	bk_diff_free(d);
	o.kinds = 0;
	o.types = bad;
	o.nr_types = 1;
	o.diag = &diag;
	errno = 0;
	CHECK(!bk_diff_new(a, b, &o));
	CHECK_EQ(errno, EINVAL);
	CHECK(strstr(diag.msg, "empty type name") != NULL);
	bk_btf_free(a);
	bk_btf_free(b);
}

/* An anonymous struct that holds a pointer to itself, and a const cycle: no crash, a bounded answer. */
TEST(diff_hostile_cycles)
{
	struct bk_btf *a = bk_btf_new_empty(NULL);
	int i = bk_btf_add_int(a, "int", 4, BK_INT_SIGNED);
	int fwd = bk_btf_add_fwd(a, "x", BK_FWD_STRUCT);
	int p = bk_btf_add_ptr(a, fwd);
	void *raw;
	size_t size;
	struct bk_btf *b;
	struct bk_diff *d;

	bk_btf_add_struct(a, NULL, 16);
	bk_btf_add_field(a, "n", i, 0, 0);
	bk_btf_add_field(a, "next", p, 64, 0);
	bk_btf_add_struct(a, "holder", 16);
	bk_btf_add_field(a, NULL, 4, 0, 0);
	REQUIRE(!bk_btf_serialize(a, &raw, &size));
	/* make PTR [3] point at the anonymous struct [4]: a cycle through an anonymous type */
	b = bk_btf_from_mem(raw, size, NULL);
	REQUIRE(b);
	bk_btf_free(b);
	{
		uint8_t *bytes = raw;
		uint32_t hdr_len, type_off, t;

		memcpy(&hdr_len, bytes + 4, 4);
		memcpy(&type_off, bytes + 8, 4);
		/* types: INT (16 bytes), FWD (12), PTR (12): PTR's type field at 16 + 12 + 8 */
		t = 4;
		memcpy(bytes + hdr_len + type_off + 16 + 12 + 8, &t, 4);
	}
	b = bk_btf_from_mem(raw, size, NULL);
	REQUIRE(b);
	d = bk_diff_new(b, b, NULL);
	REQUIRE(d);
	CHECK_EQ(bk_diff_count(d), 0);
	bk_diff_free(d);
	bk_btf_free(b);
	bk_btf_free(a);
	free(raw);
}
