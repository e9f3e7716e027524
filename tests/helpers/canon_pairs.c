// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * canon_pairs DIR: write pairs of BTF files with known edits, built with the
 * btfkit writer, to prove the canonical comparison (btf_canon) catches each
 * change and nothing else. For each case NAME it writes DIR/NAME.a.btf,
 * DIR/NAME.b.btf (and DIR/NAME.base.btf when the pair is split BTF on a
 * shared base), DIR/NAME.args (extra btf_canon options) and DIR/NAME.expect:
 * the exact `btf_canon --brief` output for A against B (empty: equal).
 * tests/diff/canon.sh runs them in both directions. A and B are always built
 * in different type orders where the case allows, so equal results also show
 * that IDs do not matter.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btfkit/btf.h"
#include "btfkit/write.h"

struct ids { int i32, u32, chr, lng; };

static int failed;

static int ck(int r, const char *what)
{
	if (r < 0) {
		fprintf(stderr, "canon_pairs: %s: %s\n", what, bk_strerror(r));
		failed = 1;
	}
	return r;
}
#define CK(x) ck((x), #x)

/* The base types every case starts from; v reverses their order. */
static struct ids basics(struct bk_btf *b, int v)
{
	struct ids t;

	if (v) {
		t.lng = CK(bk_btf_add_int(b, "long int", 8, BK_INT_SIGNED));
		t.chr = CK(bk_btf_add_int(b, "char", 1, BK_INT_CHAR));
		t.u32 = CK(bk_btf_add_int(b, "unsigned int", 4, 0));
		t.i32 = CK(bk_btf_add_int(b, "int", 4, BK_INT_SIGNED));
	} else {
		t.i32 = CK(bk_btf_add_int(b, "int", 4, BK_INT_SIGNED));
		t.u32 = CK(bk_btf_add_int(b, "unsigned int", 4, 0));
		t.chr = CK(bk_btf_add_int(b, "char", 1, BK_INT_CHAR));
		t.lng = CK(bk_btf_add_int(b, "long int", 8, BK_INT_SIGNED));
	}
	return t;
}

/* struct foo { int a; long b; } with per-case edits: what selects one. */
static int foo(struct bk_btf *b, struct ids t, const char *edit)
{
	int bsz = !strcmp(edit, "bitfield");
	int id = CK(bk_btf_add_struct(b, "foo", !strcmp(edit, "size") ? 24 : 16));

	CK(bk_btf_add_field(b, "a", t.i32, 0, bsz ? 4 : (strstr(edit, "bits") ? 3 : 0)));
	CK(bk_btf_add_field(b, !strcmp(edit, "name") ? "c" : "b",
			    !strcmp(edit, "type") ? t.i32 : t.lng,
			    !strcmp(edit, "offset") ? 96 : 64, 0));
	if (!strcmp(edit, "more"))
		CK(bk_btf_add_field(b, "d", t.i32, 96, 0));
	return id;
}

/* ---- the cases: build(btf, v) makes A (v = 0) or B (v = 1) ------------- */

static void c_same(struct bk_btf *b, int v)
{
	struct ids t = basics(b, v);
	int f = foo(b, t, ""), p = CK(bk_btf_add_ptr(b, f));

	CK(bk_btf_add_typedef(b, "foo_p", p));
}

#define FOO_CASE(fn, edit_b, extra)                          \
	static void fn(struct bk_btf *b, int v)              \
	{                                                    \
		struct ids t = basics(b, v);                 \
		foo(b, t, v ? edit_b : (extra));             \
	}
FOO_CASE(c_member_name, "name", "")
FOO_CASE(c_member_offset, "offset", "")
FOO_CASE(c_member_type, "type", "")
FOO_CASE(c_bitfield, "bitfield", "bits")
FOO_CASE(c_size, "size", "")
FOO_CASE(c_more, "more", "")

static void c_extra_struct(struct bk_btf *b, int v)
{
	struct ids t = basics(b, v);

	foo(b, t, "");
	if (v) {
		CK(bk_btf_add_struct(b, "bar", 4));
		CK(bk_btf_add_field(b, "x", t.i32, 0, 0));
	}
}

static void c_enum_value(struct bk_btf *b, int v)
{
	basics(b, v);
	CK(bk_btf_add_enum(b, "E", 4));
	CK(bk_btf_add_enum_value(b, "X", 1));
	CK(bk_btf_add_enum_value(b, "Y", v ? 3 : 2));
}

static void c_enum_more(struct bk_btf *b, int v)
{
	basics(b, v);
	CK(bk_btf_add_enum(b, "E", 4));
	CK(bk_btf_add_enum_value(b, "X", 1));
	if (v)
		CK(bk_btf_add_enum_value(b, "Z", 2));
}

static void c_enum_signed(struct bk_btf *b, int v)
{
	basics(b, v);
	CK(bk_btf_add_enum(b, "E", 4));
	CK(bk_btf_add_enum_value(b, "X", v ? -1 : 0xffffffffll));
}

static void c_enum64(struct bk_btf *b, int v)
{
	basics(b, v);
	CK(bk_btf_add_enum64(b, "E", 8, false));
	CK(bk_btf_add_enum64_value(b, "BIG", v ? 1ull << 40 : 1ull << 41));
}

static void c_enum_vs_enum64(struct bk_btf *b, int v)
{
	basics(b, v);
	if (v)
		CK(bk_btf_add_enum64(b, "E", 8, false));
	else
		CK(bk_btf_add_enum(b, "E", 4));
	CK(v ? bk_btf_add_enum64_value(b, "X", 1) : bk_btf_add_enum_value(b, "X", 1));
}

static void c_int_signed(struct bk_btf *b, int v)
{
	CK(bk_btf_add_int(b, "int", 4, v ? 0 : BK_INT_SIGNED));
}

static void c_int_char(struct bk_btf *b, int v)
{
	CK(bk_btf_add_int(b, "char", 1, v ? BK_INT_SIGNED : BK_INT_CHAR));
}

static void c_int_bool(struct bk_btf *b, int v)
{
	CK(bk_btf_add_int(b, "_Bool", 1, v ? 0 : BK_INT_BOOL));
}

static void c_float(struct bk_btf *b, int v)
{
	CK(bk_btf_add_float(b, "long double", v ? 16 : 12));
}

/* struct s { const char *p; } against struct s { char *p; }. */
static void c_const_dropped(struct bk_btf *b, int v)
{
	struct ids t = basics(b, v);
	int c = v ? t.chr : CK(bk_btf_add_const(b, t.chr));
	int p = CK(bk_btf_add_ptr(b, c));

	CK(bk_btf_add_struct(b, "s", 8));
	CK(bk_btf_add_field(b, "p", p, 0, 0));
}

static void c_volatile_added(struct bk_btf *b, int v)
{
	struct ids t = basics(b, v);
	int m = v ? CK(bk_btf_add_volatile(b, t.i32)) : t.i32;

	CK(bk_btf_add_struct(b, "s", 4));
	CK(bk_btf_add_field(b, "x", m, 0, 0));
}

static void c_array(struct bk_btf *b, int v)
{
	struct ids t = basics(b, v);
	int a = CK(bk_btf_add_array(b, t.i32, t.i32, v ? 5 : 4));

	CK(bk_btf_add_struct(b, "s", 20));
	CK(bk_btf_add_field(b, "x", a, 0, 0));
}

static void c_typedef(struct bk_btf *b, int v)
{
	struct ids t = basics(b, v);

	CK(bk_btf_add_typedef(b, "T", v ? t.lng : t.i32));
}

static int proto(struct bk_btf *b, struct ids t, const char *pname, bool varargs)
{
	int p = CK(bk_btf_add_func_proto(b, t.i32));

	CK(bk_btf_add_func_param(b, pname, t.lng));
	if (varargs)
		CK(bk_btf_add_func_param(b, NULL, 0));
	return p;
}

static void c_param_name(struct bk_btf *b, int v)
{
	struct ids t = basics(b, v);

	CK(bk_btf_add_func(b, "f", BK_LINKAGE_STATIC, proto(b, t, v ? "y" : "x", false)));
}

static void c_linkage(struct bk_btf *b, int v)
{
	struct ids t = basics(b, v);

	CK(bk_btf_add_func(b, "f", v ? BK_LINKAGE_GLOBAL : BK_LINKAGE_STATIC,
			   proto(b, t, "x", false)));
}

static void c_varargs(struct bk_btf *b, int v)
{
	struct ids t = basics(b, v);

	CK(bk_btf_add_func(b, "f", BK_LINKAGE_STATIC, proto(b, t, "x", v)));
}

/* FUNC f with a decl tag on parameter 0 (A) or on the function (B). */
static void c_func_tag(struct bk_btf *b, int v)
{
	struct ids t = basics(b, v);
	int f = CK(bk_btf_add_func(b, "f", BK_LINKAGE_STATIC, proto(b, t, v ? "y" : "x", false)));

	CK(bk_btf_add_decl_tag(b, "user", f, v ? -1 : 0));
}

static void percpu(struct bk_btf *b, int v, int linkage, uint32_t off)
{
	struct ids t = basics(b, v);
	int x = CK(bk_btf_add_var(b, "x", linkage, t.i32));
	int y = CK(bk_btf_add_var(b, "y", 1, t.lng));

	CK(bk_btf_add_datasec(b, ".data..percpu", 16));
	CK(bk_btf_add_datasec_var_info(b, x, off, 4));
	CK(bk_btf_add_datasec_var_info(b, y, 8, 8));
}

static void c_var_linkage(struct bk_btf *b, int v)
{
	percpu(b, v, v ? 0 : 1, 0);
}

static void c_datasec_offset(struct bk_btf *b, int v)
{
	percpu(b, v, 1, v ? 4 : 0);
}

static void c_decl_tag(struct bk_btf *b, int v)
{
	struct ids t = basics(b, v);
	int f = foo(b, t, "");

	CK(bk_btf_add_decl_tag(b, "percpu", f, v ? 1 : 0));
}

static void c_type_tag(struct bk_btf *b, int v)
{
	struct ids t = basics(b, v);
	int tag = CK(bk_btf_add_type_tag(b, v ? "rcu" : "user", t.i32));
	int p = CK(bk_btf_add_ptr(b, tag));

	CK(bk_btf_add_struct(b, "s", 8));
	CK(bk_btf_add_field(b, "p", p, 0, 0));
}

static void c_fwd_kind(struct bk_btf *b, int v)
{
	CK(bk_btf_add_fwd(b, "x", v ? BK_FWD_UNION : BK_FWD_STRUCT));
}

/* Two struct foo of different layout (B adds them in the other order, the
 * second with member b renamed edit_second), and struct user pointing at
 * the first in A, at the user_to'th in B (-1: no struct user). */
static void dups(struct bk_btf *b, int v, const char *edit_second, int user_to)
{
	struct ids t = basics(b, v);
	int f[2], p;

	for (int k = 0; k < 2; k++) {
		int which = v ? 1 - k : k;

		f[which] = CK(bk_btf_add_struct(b, "foo", which ? 8 : 4));
		CK(bk_btf_add_field(b, which ? (v ? edit_second : "b") : "a", which ? t.lng : t.i32,
				    0, 0));
	}
	if (user_to < 0)
		return;
	p = CK(bk_btf_add_ptr(b, f[v ? user_to : 0]));
	CK(bk_btf_add_struct(b, "user", 8));
	CK(bk_btf_add_field(b, "p", p, 0, 0));
}

static void c_dups_equal(struct bk_btf *b, int v) { dups(b, v, "b", 0); }
static void c_dups_changed(struct bk_btf *b, int v) { dups(b, v, "c", -1); }
static void c_dups_ref(struct bk_btf *b, int v) { dups(b, v, "b", 1); }

/* struct outer { union { int x; long y; } u; }, y renamed z in B. */
static void c_anon_nested(struct bk_btf *b, int v)
{
	struct ids t = basics(b, v);
	int u = CK(bk_btf_add_union(b, NULL, 8));

	CK(bk_btf_add_field(b, "x", t.i32, 0, 0));
	CK(bk_btf_add_field(b, v ? "z" : "y", t.lng, 0, 0));
	CK(bk_btf_add_struct(b, "outer", 8));
	CK(bk_btf_add_field(b, "u", u, 0, 0));
}

static void c_orphan_ptr(struct bk_btf *b, int v)
{
	struct ids t = basics(b, v);

	if (v)
		CK(bk_btf_add_ptr(b, t.i32));
}

static void c_duplicate_anon(struct bk_btf *b, int v)
{
	struct ids t = basics(b, v);

	CK(bk_btf_add_const(b, t.i32));
	if (v)
		CK(bk_btf_add_const(b, t.i32));
}

static void c_duplicate_named(struct bk_btf *b, int v)
{
	struct ids t = basics(b, v);

	foo(b, t, "");
	if (v)
		foo(b, t, "");
}

/* A: FUNC f(x: int *); B: no f, but the pointer as an orphan and an orphan
 * const int A lacks. With --ignore FUNC the pointer is not a difference
 * (A reaches it only through the ignored FUNC), the const int still is. */
static void c_ignore_orphan(struct bk_btf *b, int v)
{
	struct ids t = basics(b, v);
	int p = CK(bk_btf_add_ptr(b, t.i32));

	if (v) {
		CK(bk_btf_add_const(b, t.i32));
		return;
	}
	CK(bk_btf_add_func_proto(b, t.i32));
	CK(bk_btf_add_func_param(b, "x", p));
	CK(bk_btf_add_func(b, "f", BK_LINKAGE_STATIC, p + 1));
}

/* Split cases: the base holds basics + struct s; the split refers to it. */
static void base_s(struct bk_btf *b, int v)
{
	struct ids t = basics(b, v);

	CK(bk_btf_add_struct(b, "s", 4));
	CK(bk_btf_add_field(b, "x", t.i32, 0, 0));
}

static void c_split_ref(struct bk_btf *b, int v)
{
	int s = bk_btf_find(b, "s", BK_KIND_STRUCT), lng = bk_btf_find(b, "long int", BK_KIND_INT);
	int p = CK(bk_btf_add_ptr(b, s));

	CK(bk_btf_add_struct(b, "m", 16));
	CK(bk_btf_add_field(b, "p", p, 0, 0));
	CK(bk_btf_add_field(b, "n", v ? lng : s, 64, 0));
}

static void c_split_same(struct bk_btf *b, int v)
{
	int s = bk_btf_find(b, "s", BK_KIND_STRUCT);
	int i32 = bk_btf_find(b, "int", BK_KIND_INT);
	int q = v ? CK(bk_btf_add_const(b, i32)) : 0;
	int p = CK(bk_btf_add_ptr(b, s));

	if (!v)
		q = CK(bk_btf_add_const(b, i32));
	CK(bk_btf_add_struct(b, "m", 16));
	CK(bk_btf_add_field(b, "p", p, 0, 0));
	CK(bk_btf_add_field(b, "q", q, 64, 0));
}

/* A's split holds a copy of the base's struct s (as libbpf 1.1's dedup
 * leaves some in modules); B refers to the base's. */
static void c_split_copy(struct bk_btf *b, int v)
{
	int s = bk_btf_find(b, "s", BK_KIND_STRUCT), i32 = bk_btf_find(b, "int", BK_KIND_INT);

	if (!v) {
		s = CK(bk_btf_add_struct(b, "s", 4));
		CK(bk_btf_add_field(b, "x", i32, 0, 0));
	}
	CK(bk_btf_add_struct(b, "m", 4));
	CK(bk_btf_add_field(b, "s", s, 0, 0));
}

struct pair_case {
	const char *name;
	void (*build)(struct bk_btf *, int);
	void (*base)(struct bk_btf *, int);
	const char *args;
	const char *expect;
};

static const struct pair_case cases[] = {
	{ "same-reordered", c_same, NULL, "", "" },
	{ "member-name", c_member_name, NULL, "", "STRUCT only-a=0 only-b=0 differing=1\n" },
	{ "member-offset", c_member_offset, NULL, "", "STRUCT only-a=0 only-b=0 differing=1\n" },
	{ "member-type", c_member_type, NULL, "", "STRUCT only-a=0 only-b=0 differing=1\n" },
	{ "bitfield-size", c_bitfield, NULL, "", "STRUCT only-a=0 only-b=0 differing=1\n" },
	{ "struct-size", c_size, NULL, "", "STRUCT only-a=0 only-b=0 differing=1\n" },
	{ "member-added", c_more, NULL, "", "STRUCT only-a=0 only-b=0 differing=1\n" },
	{ "extra-struct", c_extra_struct, NULL, "", "STRUCT only-a=0 only-b=1 differing=0\n" },
	{ "enum-value", c_enum_value, NULL, "", "ENUM only-a=0 only-b=0 differing=1\n" },
	{ "enum-value-added", c_enum_more, NULL, "", "ENUM only-a=0 only-b=0 differing=1\n" },
	{ "enum-signedness", c_enum_signed, NULL, "", "ENUM only-a=0 only-b=0 differing=1\n" },
	{ "enum64-value", c_enum64, NULL, "", "ENUM64 only-a=0 only-b=0 differing=1\n" },
	{ "enum-vs-enum64", c_enum_vs_enum64, NULL, "",
	  "ENUM only-a=1 only-b=0 differing=0\nENUM64 only-a=0 only-b=1 differing=0\n" },
	{ "int-signedness", c_int_signed, NULL, "", "INT only-a=0 only-b=0 differing=1\n" },
	{ "int-char-flag", c_int_char, NULL, "", "INT only-a=0 only-b=0 differing=1\n" },
	{ "int-bool-flag", c_int_bool, NULL, "", "INT only-a=0 only-b=0 differing=1\n" },
	{ "float-size", c_float, NULL, "", "FLOAT only-a=0 only-b=0 differing=1\n" },
	{ "const-dropped", c_const_dropped, NULL, "",
	  "STRUCT only-a=0 only-b=0 differing=1\nPTR(anon) only-a=1 only-b=1\nCONST(anon) only-a=1 only-b=0\n" },
	{ "volatile-added", c_volatile_added, NULL, "",
	  "STRUCT only-a=0 only-b=0 differing=1\nVOLATILE(anon) only-a=0 only-b=1\n" },
	{ "array-nelems", c_array, NULL, "",
	  "STRUCT only-a=0 only-b=0 differing=1\nARRAY(anon) only-a=1 only-b=1\n" },
	{ "typedef-target", c_typedef, NULL, "", "TYPEDEF only-a=0 only-b=0 differing=1\n" },
	{ "param-name", c_param_name, NULL, "",
	  "FUNC only-a=0 only-b=0 differing=1\nFUNC_PROTO(anon) only-a=1 only-b=1\n" },
	{ "param-name-ignored", c_param_name, NULL, "--ignore FUNC", "" },
	{ "param-name-list-ignored", c_param_name, NULL, "--ignore FUNC --list-ignored",
	  "FUNC(ignored) only-a=0 only-b=0 differing=1\n" },
	{ "func-linkage", c_linkage, NULL, "", "FUNC only-a=0 only-b=0 differing=1\n" },
	{ "varargs", c_varargs, NULL, "",
	  "FUNC only-a=0 only-b=0 differing=1\nFUNC_PROTO(anon) only-a=1 only-b=1\n" },
	{ "func-decl-tag", c_func_tag, NULL, "",
	  "FUNC only-a=0 only-b=0 differing=1\nDECL_TAG only-a=1 only-b=1 differing=0\n"
	  "FUNC_PROTO(anon) only-a=1 only-b=1\n" },
	{ "func-decl-tag-ignored", c_func_tag, NULL, "--ignore FUNC", "" },
	{ "var-linkage", c_var_linkage, NULL, "", "VAR only-a=0 only-b=0 differing=1\n" },
	{ "datasec-offset", c_datasec_offset, NULL, "", "DATASEC only-a=0 only-b=0 differing=1\n" },
	{ "datasec-offset-ignored", c_datasec_offset, NULL, "--ignore DATASEC", "" },
	{ "decl-tag-component", c_decl_tag, NULL, "", "DECL_TAG only-a=1 only-b=1 differing=0\n" },
	{ "type-tag-value", c_type_tag, NULL, "",
	  "STRUCT only-a=0 only-b=0 differing=1\nPTR(anon) only-a=1 only-b=1\n"
	  "TYPE_TAG(anon) only-a=1 only-b=1\n" },
	{ "fwd-kind", c_fwd_kind, NULL, "", "FWD only-a=1 only-b=1 differing=0\n" },
	{ "same-name-equal", c_dups_equal, NULL, "", "" },
	{ "same-name-one-changed", c_dups_changed, NULL, "", "STRUCT only-a=0 only-b=0 differing=1\n" },
	{ "same-name-referrer", c_dups_ref, NULL, "",
	  "STRUCT only-a=0 only-b=0 differing=1\nPTR(anon) only-a=1 only-b=1\n" },
	{ "anon-nested", c_anon_nested, NULL, "",
	  "STRUCT only-a=0 only-b=0 differing=1\nUNION(anon) only-a=1 only-b=1\n" },
	{ "orphan-ptr", c_orphan_ptr, NULL, "", "PTR(anon) only-a=0 only-b=1\n" },
	{ "duplicate-anon", c_duplicate_anon, NULL, "", "CONST(anon) only-a=0 only-b=1\n" },
	{ "duplicate-named", c_duplicate_named, NULL, "", "STRUCT only-a=0 only-b=1 differing=0\n" },
	{ "ignore-orphan", c_ignore_orphan, NULL, "",
	  "FUNC only-a=1 only-b=0 differing=0\nCONST(anon) only-a=0 only-b=1\nFUNC_PROTO(anon) only-a=1 only-b=0\n" },
	{ "ignore-orphan-ignored", c_ignore_orphan, NULL, "--ignore FUNC", "CONST(anon) only-a=0 only-b=1\n" },
	{ "split-ref", c_split_ref, base_s, "", "STRUCT only-a=0 only-b=0 differing=1\n" },
	{ "split-same", c_split_same, base_s, "", "" },
	{ "split-base-copy", c_split_copy, base_s, "", "STRUCT only-a=1 only-b=0 differing=0\n" },
	{ "split-base-copy-folded", c_split_copy, base_s, "--fold-base-copies", "BASE-COPIES only-a=1 only-b=0\n" },
};

/* DIR/NAME.EXT holding btf (raw BTF) or, when btf is NULL, text. */
static int write_out(const char *dir, const char *name, const char *ext, const char *text,
		     const struct bk_btf *btf)
{
	char path[4096];
	FILE *f;
	int r = 0;

	snprintf(path, sizeof(path), "%s/%s.%s", dir, name, ext);
	if (btf) {
		r = bk_btf_write_file(btf, path);
		if (r < 0)
			fprintf(stderr, "canon_pairs: %s: %s\n", path, bk_strerror(r));
		return r;
	}
	f = fopen(path, "w");
	if (!f || fputs(text, f) < 0)
		r = -1;
	if (f && fclose(f))
		r = -1;
	if (r)
		perror(path);
	return r;
}

int main(int argc, char **argv)
{
	size_t n = sizeof(cases) / sizeof(cases[0]);

	if (argc != 2) {
		fprintf(stderr, "usage: canon_pairs DIR\n");
		return 2;
	}
	for (size_t i = 0; i < n; i++) {
		const struct pair_case *c = &cases[i];
		struct bk_btf *base = NULL;

		if (c->base) {
			base = bk_btf_new_empty(NULL);
			c->base(base, 0);
			if (write_out(argv[1], c->name, "base.btf", NULL, base) < 0)
				return 1;
		}
		for (int v = 0; v < 2; v++) {
			struct bk_btf *b = bk_btf_new_empty(base);

			if (!b) {
				perror("canon_pairs");
				return 1;
			}
			c->build(b, v);
			if (write_out(argv[1], c->name, v ? "b.btf" : "a.btf", NULL, b) < 0)
				return 1;
			bk_btf_free(b);
		}
		bk_btf_free(base);
		if (write_out(argv[1], c->name, "args", c->args, NULL) ||
		    write_out(argv[1], c->name, "expect", c->expect, NULL))
			return 1;
	}
	printf("%zu cases\n", n);
	return failed;
}
