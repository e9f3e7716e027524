// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Unit tests of the layout view (src/dump/layout*.c) on BTF built with the
 * writer: the hard cases of docs/layout.md (zero-length arrays, members
 * after bitfields, packed structs, unions of bitfields), pahole's
 * order-dependent packing marks, the computed numbers of bk_layout_get,
 * JSON, the size table, name lookup, and hostile input (a struct that
 * holds itself). The expected texts are what pahole 1.24 prints for the
 * same BTF (pahole -F btf FILE), except the lines marked "not pahole":
 * there btfkit follows the rule of docs/layout.md (a member of size 0 and
 * a member after a bitfield carry their own alignment).
 */
#include <stdlib.h>

#include "btfkit/layout.h"
#include "btfkit/write.h"
#include "test.h"


/* zero-length arrays */
static struct bk_btf *case_zero(void)
{
	struct bk_btf *b = bk_btf_new_empty(NULL);
	int i = bk_btf_add_int(b, "int", 4, BK_INT_SIGNED);
	int ch = bk_btf_add_int(b, "char", 1, BK_INT_SIGNED | BK_INT_CHAR);
	int l = bk_btf_add_int(b, "long int", 8, BK_INT_SIGNED);
	int ca0 = bk_btf_add_array(b, i, ch, 0);
	int la0 = bk_btf_add_array(b, i, l, 0);
	int e, za, uz, ze;

	za = bk_btf_add_struct(b, "za", 24);
	bk_btf_add_field(b, "a", i, 0, 0);
	bk_btf_add_field(b, "z", ca0, 32, 0);
	bk_btf_add_field(b, "b", l, 64, 0);
	bk_btf_add_field(b, "c", ch, 128, 0);
	bk_btf_add_field(b, "data", ca0, 192, 0);
	uz = bk_btf_add_union(b, "uz", 8);
	bk_btf_add_field(b, "l", l, 0, 0);
	bk_btf_add_field(b, "z", la0, 0, 0);
	e = bk_btf_add_struct(b, "empty", 0);
	ze = bk_btf_add_struct(b, "ze", 32);
	bk_btf_add_field(b, "a", ch, 0, 0);
	bk_btf_add_field(b, "e", e, 128, 0);
	bk_btf_add_field(b, "b", l, 128, 0);
	bk_btf_add_field(b, "t", la0, 192, 0);
	(void)za; (void)uz; (void)ze;
	return b;
}

/* members after bitfields */
static struct bk_btf *case_bitfields(void)
{
	struct bk_btf *b = bk_btf_new_empty(NULL);
	int ch = bk_btf_add_int(b, "char", 1, BK_INT_SIGNED | BK_INT_CHAR);
	int i = bk_btf_add_int(b, "int", 4, BK_INT_SIGNED);
	int sh = bk_btf_add_int(b, "short int", 2, BK_INT_SIGNED);
	int ull = bk_btf_add_int(b, "long long unsigned int", 8, 0);

	bk_btf_add_struct(b, "bfa", 16);
	bk_btf_add_field(b, "a", ull, 0, 4);
	bk_btf_add_field(b, "b", ch, 64, 0);
	bk_btf_add_struct(b, "bf2", 12);
	bk_btf_add_field(b, "a", ch, 0, 0);
	bk_btf_add_field(b, "b", i, 8, 3);
	bk_btf_add_field(b, "c", i, 32, 30);
	bk_btf_add_field(b, "d", ch, 64, 0);
	bk_btf_add_field(b, "e", sh, 72, 4);
	bk_btf_add_struct(b, "bf3", 8);
	bk_btf_add_field(b, "x", i, 0, 0);
	bk_btf_add_field(b, "f", i, 32, 2);
	bk_btf_add_field(b, "g", i, 38, 3);
	bk_btf_add_field(b, "h", ch, 48, 0);
	return b;
}

/* packing */
static struct bk_btf *case_packed(void)
{
	struct bk_btf *b = bk_btf_new_empty(NULL);
	int ch = bk_btf_add_int(b, "char", 1, BK_INT_SIGNED | BK_INT_CHAR);
	int i = bk_btf_add_int(b, "int", 4, BK_INT_SIGNED);
	int sh = bk_btf_add_int(b, "short int", 2, BK_INT_SIGNED);
	int in2;

	bk_btf_add_struct(b, "pk", 7);
	bk_btf_add_field(b, "a", ch, 0, 0);
	bk_btf_add_field(b, "b", i, 8, 0);
	bk_btf_add_field(b, "c", sh, 40, 0);
	in2 = bk_btf_add_struct(b, "in2", 4);
	bk_btf_add_field(b, "x", i, 0, 0);
	bk_btf_add_struct(b, "holder", 12);
	bk_btf_add_field(b, "c", ch, 0, 0);
	bk_btf_add_field(b, "s", in2, 8, 0);
	bk_btf_add_field(b, "d", ch, 64, 0);
	bk_btf_add_struct(b, "odd", 6);
	bk_btf_add_field(b, "a", i, 0, 0);
	bk_btf_add_field(b, "b", sh, 32, 0);
	return b;
}

/* unions of bitfields */
static struct bk_btf *case_unions(void)
{
	struct bk_btf *b = bk_btf_new_empty(NULL);
	int u = bk_btf_add_int(b, "unsigned int", 4, 0);
	int i = bk_btf_add_int(b, "int", 4, BK_INT_SIGNED);
	int l = bk_btf_add_int(b, "long int", 8, BK_INT_SIGNED);
	int an;

	bk_btf_add_union(b, "ub", 8);
	bk_btf_add_field(b, "a", u, 0, 3);
	bk_btf_add_field(b, "b", i, 0, 5);
	bk_btf_add_field(b, "c", l, 0, 0);
	an = bk_btf_add_union(b, NULL, 4);
	bk_btf_add_field(b, "f1", u, 0, 1);
	bk_btf_add_field(b, "f2", u, 0, 7);
	bk_btf_add_struct(b, "sub", 8);
	bk_btf_add_field(b, NULL, an, 0, 0);
	bk_btf_add_field(b, "x", i, 32, 0);
	return b;
}

/* bk_layout_dump's output for the named types of btf, or all (NULL on error; caller frees). */
static char *layout_text(struct bk_btf *btf, const char *const *names, size_t n,
			 enum bk_layout_format format)
{
	struct bk_membuf mb = { 0 };
	struct bk_sink sink = bk_sink_membuf(&mb);
	struct bk_layout_opts o = { .sz = sizeof(o), .format = format };
	uint32_t ids[8];
	int err;

	for (size_t i = 0; i < n; i++) {
		int id = bk_layout_find(btf, names[i]);

		if (id < 0)
			return NULL;
		ids[i] = (uint32_t)id;
	}
	o.ids = ids;
	o.nr_ids = n;
	err = bk_layout_dump(btf, &sink, &o);
	if (err) {
		free(mb.data);
		return NULL;
	}
	return mb.data ? mb.data : strdup("");
}

TEST(layout_zero_length_arrays)
{
	struct bk_btf *btf = case_zero();
	char *s;

	REQUIRE(btf);
	s = layout_text(btf, NULL, 0, BK_LAYOUT_TEXT);
	CHECK_STR(s,
		  "struct za {\n"
		  "\tint                        a;                    /*     0     4 */\n"
		  "\tchar                       z[0];                 /*     4     0 */\n"
		  "\n"
		  "\t/* XXX 4 bytes hole, try to pack */\n"
		  "\n"
		  "\tlong int                   b;                    /*     8     8 */\n"
		  "\tchar                       c;                    /*    16     1 */\n"
		  "\n"
		  "\t/* XXX 7 bytes hole, try to pack */\n"
		  "\n"
		  "\tchar                       data[] __attribute__((__aligned__(8))); /*    24     0 */\n" /* not pahole */
		  "\n"
		  "\t/* size: 24, cachelines: 1, members: 5 */\n"
		  "\t/* sum members: 13, holes: 2, sum holes: 11 */\n"
		  "\t/* forced alignments: 1, forced holes: 1, sum forced holes: 7 */\n" /* not pahole */
		  "\t/* last cacheline: 24 bytes */\n"
		  "};\n"
		  "union uz {\n"
		  "\tlong int                   l;                  /*     0     8 */\n"
		  "\tlong int                   z[0];               /*     0     0 */\n"
		  "};\n"
		  "struct empty {\n"
		  "\n"
		  "\t/* size: 0, cachelines: 0, members: 0 */\n"
		  "};\n"
		  "struct ze {\n"
		  "\tchar                       a;                    /*     0     1 */\n"
		  "\n"
		  "\t/* XXX 15 bytes hole, try to pack */\n"
		  "\n"
		  "\tstruct empty               e __attribute__((__aligned__(16))); /*    16     0 */\n" /* not pahole */
		  "\tlong int                   b;                    /*    16     8 */\n" /* not pahole */
		  "\tlong int                   t[];                  /*    24     0 */\n"
		  "\n"
		  "\t/* size: 32, cachelines: 1, members: 4 */\n"
		  "\t/* sum members: 9, holes: 1, sum holes: 15 */\n"
		  "\t/* padding: 8 */\n"
		  "\t/* forced alignments: 1, forced holes: 1, sum forced holes: 15 */\n" /* not pahole */
		  "\t/* last cacheline: 32 bytes */\n"
		  "} __attribute__((__aligned__(16)));\n");
	free(s);
	bk_btf_free(btf);
}

TEST(layout_members_after_bitfields)
{
	struct bk_btf *btf = case_bitfields();
	char *s;

	REQUIRE(btf);
	s = layout_text(btf, NULL, 0, BK_LAYOUT_TEXT);
	CHECK_STR(s,
		  "struct bfa {\n"
		  "\tlong long unsigned int     a:4;                  /*     0: 0  8 */\n"
		  "\n"
		  "\t/* XXX 60 bits hole, try to pack */\n"
		  "\n"
		  "\tchar                       b __attribute__((__aligned__(8))); /*     8     1 */\n" /* not pahole */
		  "\n"
		  "\t/* size: 16, cachelines: 1, members: 2 */\n"
		  "\t/* sum members: 1 */\n"
		  "\t/* sum bitfield members: 4 bits, bit holes: 1, sum bit holes: 60 bits */\n"
		  "\t/* padding: 7 */\n"
		  "\t/* forced alignments: 1 */\n" /* not pahole */
		  "\t/* last cacheline: 16 bytes */\n"
		  "};\n"
		  "struct bf2 {\n"
		  "\tchar                       a;                    /*     0     1 */\n"
		  "\n"
		  "\t/* Bitfield combined with previous fields */\n"
		  "\n"
		  "\tint                        b:3;                  /*     0: 8  4 */\n"
		  "\n"
		  "\t/* XXX 21 bits hole, try to pack */\n"
		  "\n"
		  "\t/* Force alignment to the next boundary: */\n"
		  "\tint                        :0;\n"
		  "\n"
		  "\tint                        c:30;                 /*     4: 0  4 */\n"
		  "\n"
		  "\t/* XXX 2 bits hole, try to pack */\n"
		  "\n"
		  "\tchar                       d;                    /*     8     1 */\n"
		  "\n"
		  "\t/* Bitfield combined with previous fields */\n"
		  "\n"
		  "\tshort int                  e:4;                  /*     8: 8  2 */\n"
		  "\n"
		  "\t/* size: 12, cachelines: 1, members: 5 */\n"
		  "\t/* sum members: 2 */\n"
		  "\t/* sum bitfield members: 37 bits, bit holes: 2, sum bit holes: 23 bits */\n"
		  "\t/* padding: 2 */\n"
		  "\t/* bit_padding: 4 bits */\n"
		  "\t/* last cacheline: 12 bytes */\n"
		  "};\n"
		  "struct bf3 {\n"
		  "\tint                        x;                    /*     0     4 */\n"
		  "\tint                        f:2;                  /*     4: 0  4 */\n"
		  "\n"
		  "\t/* XXX 4 bits hole, try to pack */\n"
		  "\tint                        :4;\n"
		  "\n"
		  "\tint                        g:3;                  /*     4: 6  4 */\n"
		  "\n"
		  "\t/* XXX 7 bits hole, try to pack */\n"
		  "\t/* Bitfield combined with next fields */\n"
		  "\n"
		  "\tchar                       h;                    /*     6     1 */\n"
		  "\n"
		  "\t/* size: 8, cachelines: 1, members: 4 */\n"
		  "\t/* sum members: 5 */\n"
		  "\t/* sum bitfield members: 5 bits, bit holes: 2, sum bit holes: 11 bits */\n"
		  "\t/* padding: 1 */\n"
		  "\t/* last cacheline: 8 bytes */\n"
		  "};\n");
	free(s);
	bk_btf_free(btf);
}

TEST(layout_packed_structs)
{
	struct bk_btf *btf = case_packed();
	char *s;

	REQUIRE(btf);
	s = layout_text(btf, NULL, 0, BK_LAYOUT_TEXT);
	CHECK_STR(s,
		  "struct pk {\n"
		  "\tchar                       a;                    /*     0     1 */\n"
		  "\tint                        b;                    /*     1     4 */\n"
		  "\tshort int                  c;                    /*     5     2 */\n"
		  "\n"
		  "\t/* size: 7, cachelines: 1, members: 3 */\n"
		  "\t/* last cacheline: 7 bytes */\n"
		  "} __attribute__((__packed__));\n"
		  "struct in2 {\n"
		  "\tint                        x;                    /*     0     4 */\n"
		  "\n"
		  "\t/* size: 4, cachelines: 1, members: 1 */\n"
		  "\t/* last cacheline: 4 bytes */\n"
		  "};\n"
		  "struct holder {\n"
		  "\tchar                       c;                    /*     0     1 */\n"
		  "\tstruct in2                 s;                    /*     1     4 */\n"
		  "\n"
		  "\t/* XXX 3 bytes hole, try to pack */\n"
		  "\n"
		  "\tchar                       d __attribute__((__aligned__(4))); /*     8     1 */\n"
		  "\n"
		  "\t/* size: 12, cachelines: 1, members: 3 */\n"
		  "\t/* sum members: 6, holes: 1, sum holes: 3 */\n"
		  "\t/* padding: 3 */\n"
		  "\t/* forced alignments: 1, forced holes: 1, sum forced holes: 3 */\n"
		  "\t/* last cacheline: 12 bytes */\n"
		  "};\n"
		  "struct odd {\n"
		  "\tint                        a;                    /*     0     4 */\n"
		  "\tshort int                  b;                    /*     4     2 */\n"
		  "\n"
		  "\t/* size: 6, cachelines: 1, members: 2 */\n"
		  "\t/* last cacheline: 6 bytes */\n"
		  "} __attribute__((__packed__));\n");
	free(s);
	bk_btf_free(btf);
}

TEST(layout_unions_of_bitfields)
{
	struct bk_btf *btf = case_unions();
	char *s;

	REQUIRE(btf);
	s = layout_text(btf, NULL, 0, BK_LAYOUT_TEXT);
	CHECK_STR(s,
		  "union ub {\n"
		  "\tunsigned int               a:3;                /*     0: 0  4 */\n"
		  "\tint                        b:5;                /*     0: 0  4 */\n"
		  "\tlong int                   c;                  /*     0     8 */\n"
		  "};\n"
		  "struct sub {\n"
		  "\tunion {\n"
		  "\t\tunsigned int       f1:1;                 /*     0: 0  4 */\n"
		  "\t\tunsigned int       f2:7;                 /*     0: 0  4 */\n"
		  "\t};                                               /*     0     4 */\n"
		  "\tint                        x;                    /*     4     4 */\n"
		  "\n"
		  "\t/* size: 8, cachelines: 1, members: 2 */\n"
		  "\t/* last cacheline: 8 bytes */\n"
		  "};\n");
	free(s);
	bk_btf_free(btf);
}

/* pahole marks an embedded struct packed once a struct with holes holds it misaligned */
TEST(layout_packing_depends_on_order)
{
	static const char *const in2_first[] = { "in2", "holder", "in2" };
	struct bk_btf *btf = case_packed();
	const struct bk_struct_layout *l;
	struct bk_layout_ctx *c;
	char *s;
	int in2;

	REQUIRE(btf);
	in2 = bk_layout_find(btf, "in2");
	REQUIRE(in2 > 0);
	c = bk_layout_ctx_new(btf, NULL);
	REQUIRE(c);
	REQUIRE(bk_layout_get(c, (uint32_t)in2, &l) == 0);
	CHECK(!l->packed);
	REQUIRE(bk_layout_get(c, (uint32_t)bk_layout_find(btf, "holder"), &l) == 0);
	CHECK(!l->packed);
	CHECK_EQ(l->nr_holes, 1);
	REQUIRE(bk_layout_get(c, (uint32_t)in2, &l) == 0);
	CHECK(l->packed);
	bk_layout_ctx_free(c);
	/* printed: in2 is packed only after holder (pahole -C in2,holder,in2) */
	s = layout_text(btf, in2_first, 3, BK_LAYOUT_TEXT);
	REQUIRE(s);
	CHECK(strstr(s, "struct in2 {\n") && strstr(s, "\t/* last cacheline: 4 bytes */\n};\n"));
	CHECK(strstr(s, "\t/* last cacheline: 4 bytes */\n} __attribute__((__packed__));\n"));
	free(s);
	bk_btf_free(btf);
}

TEST(layout_get_numbers)
{
	struct bk_btf *btf = case_bitfields();
	const struct bk_struct_layout *l;
	struct bk_layout_ctx *c;

	REQUIRE(btf);
	c = bk_layout_ctx_new(btf, NULL);
	REQUIRE(c);
	REQUIRE(bk_layout_get(c, (uint32_t)bk_layout_find(btf, "bf2"), &l) == 0);
	CHECK_STR(l->name, "bf2");
	CHECK_EQ(l->kind, BK_KIND_STRUCT);
	CHECK_EQ(l->size, 12);
	REQUIRE(l->nr_members == 5);
	/* b:3 at bit 8 lives in the int at 0, bit 8 */
	CHECK_STR(l->members[1].name, "b");
	CHECK_EQ(l->members[1].offset, 0);
	CHECK_EQ(l->members[1].size, 4);
	CHECK_EQ(l->members[1].bitfield_offset, 8);
	CHECK_EQ(l->members[1].bitfield_size, 3);
	CHECK_EQ(l->members[1].bit_hole, 21);
	CHECK_EQ(l->members[2].offset, 4);
	CHECK_EQ(l->members[2].bit_hole, 2);
	CHECK_EQ(l->nr_holes, 0);
	CHECK_EQ(l->nr_bit_holes, 2);
	CHECK_EQ(l->sum_bit_holes, 23);
	CHECK_EQ(l->padding, 2);
	CHECK_EQ(l->bit_padding, 4);
	CHECK_EQ(l->natural_align, 4);
	CHECK_EQ(l->align, 0);
	CHECK(!l->packed);
	/* the member after a bitfield that ends early carries its alignment */
	REQUIRE(bk_layout_get(c, (uint32_t)bk_layout_find(btf, "bfa"), &l) == 0);
	CHECK_EQ(l->members[1].align, 8);
	CHECK_EQ(l->members[0].align, 0);
	/* a typedef or modifier is followed; other kinds are refused */
	CHECK_EQ(bk_layout_get(c, 1, &l), -EINVAL);
	CHECK_EQ(bk_layout_get(c, bk_btf_type_cnt(btf), &l), -EINVAL);
	bk_layout_ctx_free(c);
	bk_btf_free(btf);
}

TEST(layout_cacheline_size)
{
	struct bk_btf *btf = case_zero();
	struct bk_layout_opts o = { .sz = sizeof(o), .cacheline = 16 };
	const struct bk_struct_layout *l;
	struct bk_layout_ctx *c;
	struct bk_membuf mb = { 0 };
	struct bk_sink sink = bk_sink_membuf(&mb);
	uint32_t id;

	REQUIRE(btf);
	id = (uint32_t)bk_layout_find(btf, "ze");
	c = bk_layout_ctx_new(btf, &o);
	REQUIRE(c);
	/* e at 16 after a gap of 15: 16, which is a whole line of 16 here */
	REQUIRE(bk_layout_get(c, id, &l) == 0);
	CHECK_EQ(l->members[1].align, 16);
	bk_layout_ctx_free(c);
	o.ids = &id;
	o.nr_ids = 1;
	REQUIRE(bk_layout_dump(btf, &sink, &o) == 0);
	CHECK(strstr(mb.data, "\t/* --- cacheline 1 boundary (16 bytes) --- */\n"
			      "\tstruct empty               e __attribute__((__aligned__(16)));"));
	CHECK(strstr(mb.data, "/* size: 32, cachelines: 2, members: 4 */"));
	CHECK(!strstr(mb.data, "last cacheline"));
	free(mb.data);
	bk_btf_free(btf);
}

TEST(layout_sizes_table_and_find)
{
	struct bk_btf *btf = case_unions();
	char *s;

	REQUIRE(btf);
	s = layout_text(btf, NULL, 0, BK_LAYOUT_SIZES);
	/* pahole -s: named structs and unions; unions have no holes */
	CHECK_STR(s, "ub\t8\t0\nsub\t8\t0\n");
	free(s);
	CHECK_EQ(bk_layout_find(btf, "ub"), 4);
	CHECK_EQ(bk_layout_find(btf, "union ub"), 4);
	CHECK_EQ(bk_layout_find(btf, "struct ub"), -ENOENT);
	CHECK_EQ(bk_layout_find(btf, "int"), -ENOENT);
	CHECK_EQ(bk_layout_find(btf, "nosuch"), -ENOENT);
	bk_btf_free(btf);
}

TEST(layout_typedefs_and_enums)
{
	struct bk_btf *btf = bk_btf_new_empty(NULL);
	static const char *const names[] = { "tds_t", "enum color", "u8_t", "fn_t", "arr_t" };
	int i, ch, s, e, p, fp;
	char *out;

	REQUIRE(btf);
	i = bk_btf_add_int(btf, "int", 4, BK_INT_SIGNED);
	ch = bk_btf_add_int(btf, "char", 1, BK_INT_SIGNED | BK_INT_CHAR);
	s = bk_btf_add_struct(btf, NULL, 8);
	bk_btf_add_field(btf, "a", i, 0, 0);
	bk_btf_add_field(btf, "b", ch, 32, 0);
	bk_btf_add_typedef(btf, "tds_t", s);
	e = bk_btf_add_enum(btf, "color", 4);
	bk_btf_add_enum_value(btf, "RED", 0);
	bk_btf_add_enum_value(btf, "GREEN", -2);
	bk_btf_add_typedef(btf, "u8_t", ch);
	fp = bk_btf_add_func_proto(btf, 0);
	bk_btf_add_func_param(btf, NULL, i);
	p = bk_btf_add_ptr(btf, fp);
	bk_btf_add_typedef(btf, "fn_t", p);
	bk_btf_add_typedef(btf, "arr_t", bk_btf_add_array(btf, i, i, 4));
	(void)e;
	out = layout_text(btf, names, 5, BK_LAYOUT_TEXT);
	/* pahole 1.24 -C tds_t,color,u8_t,fn_t,arr_t on the same BTF */
	CHECK_STR(out, "typedef struct {\n"
		       "\tint                        a;                    /*     0     4 */\n"
		       "\tchar                       b;                    /*     4     1 */\n"
		       "\n"
		       "\t/* size: 8, cachelines: 1, members: 2 */\n"
		       "\t/* padding: 3 */\n"
		       "\t/* last cacheline: 8 bytes */\n"
		       "} tds_t;\n"
		       "enum color {\n"
		       "\tRED   = 0,\n"
		       "\tGREEN = 4294967294,\n"
		       "};\n"
		       "typedef char u8_t;\n"
		       "typedef void (*fn_t)(int);\n"
		       "typedef int                        arr_t[4];\n");
	free(out);
	bk_btf_free(btf);
}

TEST(layout_json)
{
	struct bk_btf *btf = case_unions();
	static const char *const names[] = { "sub" };
	char *s;

	REQUIRE(btf);
	s = layout_text(btf, names, 1, BK_LAYOUT_JSON);
	CHECK_STR(s, "{\"types\":[{\"id\":6,\"kind\":\"struct\",\"name\":\"sub\",\"size\":8,"
		     "\"cachelines\":1,\"nr_members\":2,\"pre_hole\":0,\"pre_bit_hole\":0,\"holes\":0,"
		     "\"sum_holes\":0,\"bit_holes\":0,\"sum_bit_holes\":0,\"padding\":0,\"bit_padding\":0,"
		     "\"natural_align\":4,\"align\":0,\"packed\":false,\"members\":["
		     "{\"name\":\"\",\"type_id\":5,\"type\":\"union\",\"offset\":0,\"size\":4,"
		     "\"bitfield_offset\":0,\"bitfield_size\":0,\"hole\":0,\"bit_hole\":0,\"align\":0,"
		     "\"layout\":{\"id\":5,\"kind\":\"union\",\"name\":\"\",\"size\":4,\"cachelines\":1,"
		     "\"nr_members\":2,\"pre_hole\":0,\"pre_bit_hole\":0,\"holes\":0,\"sum_holes\":0,"
		     "\"bit_holes\":0,\"sum_bit_holes\":0,\"padding\":0,\"bit_padding\":0,"
		     "\"natural_align\":4,\"align\":0,\"packed\":false,\"members\":["
		     "{\"name\":\"f1\",\"type_id\":1,\"type\":\"unsigned int\",\"offset\":0,\"size\":4,"
		     "\"bitfield_offset\":0,\"bitfield_size\":1,\"hole\":0,\"bit_hole\":0,\"align\":0},"
		     "{\"name\":\"f2\",\"type_id\":1,\"type\":\"unsigned int\",\"offset\":0,\"size\":4,"
		     "\"bitfield_offset\":0,\"bitfield_size\":7,\"hole\":0,\"bit_hole\":0,\"align\":0}]}},"
		     "{\"name\":\"x\",\"type_id\":2,\"type\":\"int\",\"offset\":4,\"size\":4,"
		     "\"bitfield_offset\":0,\"bitfield_size\":0,\"hole\":0,\"bit_hole\":0,\"align\":0}]}]}\n");
	free(s);
	bk_btf_free(btf);
}

/* Hostile input: a struct that holds itself, an anonymous one that does. */
TEST(layout_self_embedding_is_eloop)
{
	struct bk_btf *btf = bk_btf_new_empty(NULL);
	struct bk_diag diag = { 0 };
	struct bk_layout_opts o = { .sz = sizeof(o), .diag = &diag };
	struct bk_membuf mb = { 0 };
	struct bk_sink sink = bk_sink_membuf(&mb);
	int i, s, a;
	uint32_t id;

	REQUIRE(btf);
	i = bk_btf_add_int(btf, "int", 4, BK_INT_SIGNED);
	s = bk_btf_add_struct(btf, "self", 8);
	bk_btf_add_field(btf, "x", i, 0, 0);
	bk_btf_add_field(btf, "me", s, 32, 0);
	a = bk_btf_add_struct(btf, NULL, 8);
	bk_btf_add_field(btf, "me", a, 0, 0);
	bk_btf_add_struct(btf, "outer", 8);
	bk_btf_add_field(btf, "in", a, 0, 0);
	id = (uint32_t)s;
	o.ids = &id;
	o.nr_ids = 1;
	CHECK_EQ(bk_layout_dump(btf, &sink, &o), -ELOOP);
	CHECK(strstr(diag.msg, "type [2]") != NULL);
	id = (uint32_t)bk_layout_find(btf, "outer");
	CHECK_EQ(bk_layout_dump(btf, &sink, &o), -ELOOP);
	o.nr_ids = 0;
	o.format = BK_LAYOUT_JSON;
	CHECK_EQ(bk_layout_dump(btf, &sink, &o), -ELOOP);
	/* a kind without a layout is refused */
	id = (uint32_t)i;
	o.ids = &id;
	o.nr_ids = 1;
	CHECK_EQ(bk_layout_dump(btf, &sink, &o), -EINVAL);
	free(mb.data);
	bk_btf_free(btf);
}

/* Anonymous types used twice at every level: the printed size doubles per level. */
TEST(layout_exponential_nesting_is_e2big)
{
	struct bk_btf *btf = bk_btf_new_empty(NULL);
	struct bk_diag diag = { 0 };
	struct bk_layout_opts o = { .sz = sizeof(o), .diag = &diag };
	struct bk_membuf mb = { 0 };
	struct bk_sink sink = bk_sink_membuf(&mb);
	int prev, top;
	uint32_t id;

	REQUIRE(btf);
	prev = bk_btf_add_int(btf, "int", 4, BK_INT_SIGNED);
	for (int level = 0; level < 20; level++) {
		uint32_t sz = 4u << level;
		int s = bk_btf_add_struct(btf, NULL, 2 * sz);

		bk_btf_add_field(btf, "a", prev, 0, 0);
		bk_btf_add_field(btf, "b", prev, sz * 8, 0);
		prev = s;
	}
	top = bk_btf_add_struct(btf, "top", 4u << 20);
	bk_btf_add_field(btf, "t", prev, 0, 0);
	id = (uint32_t)top;
	o.ids = &id;
	o.nr_ids = 1;
	CHECK_EQ(bk_layout_dump(btf, &sink, &o), -E2BIG);
	CHECK(strstr(diag.msg, "(type [22])") != NULL);
	o.format = BK_LAYOUT_JSON;
	CHECK_EQ(bk_layout_dump(btf, &sink, &o), -E2BIG);
	/* the size table prints no members */
	o.format = BK_LAYOUT_SIZES;
	mb.len = 0;
	CHECK_EQ(bk_layout_dump(btf, &sink, &o), 0);
	CHECK_STR(mb.data, "top\t4194304\t0\n");
	free(mb.data);
	bk_btf_free(btf);
}
