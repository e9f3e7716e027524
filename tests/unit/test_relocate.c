// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Relocation tests: libbpf's selftest cases (distilled_base_missing_err,
 * _multi_err, _multi_err2, _embedded_err; BTF-REFERENCE.md §8) with the
 * messages naming the type and its candidates, base composites of one name
 * told apart by size, FWDs, every unmatched type reported, relocation
 * loops, strings pointing into the distilled base, and non-distilled bases.
 */
#include <stdlib.h>
#include <unistd.h>

#include "blob.h"
#include "btfbuild.h"
#include "distill_fix.h"
#include "test.h"
#include "btfkit/distill.h"
#include "btfkit/write.h"

TEST(distill_relocate_missing_and_ambiguous)
{
	struct bk_btf *b1 = bk_btf_new_empty(NULL), *s, *db, *ds, *b2, *b3, *b4;

	bk_btf_add_int(b1, "int", 4, BK_INT_SIGNED);
	s = bk_btf_new_empty(b1);
	bk_btf_add_ptr(s, 1);
	REQUIRE(bk_btf_distill_base(s, &db, &ds, NULL) == 0);
	/* missing: only an 8-byte int */
	b2 = bk_btf_new_empty(NULL);
	bk_btf_add_int(b2, "int", 8, BK_INT_SIGNED);
	check_reloc_fails(ds, b2, -EINVAL,
			  "distilled base type [1] INT 'int' size 4 has no match in the base: candidate [1] INT 'int' size 8: size differs");
	/* ambiguous: two 4-byte ints */
	b3 = bk_btf_new_empty(NULL);
	bk_btf_add_int(b3, "int", 4, BK_INT_SIGNED);
	bk_btf_add_int(b3, "int", 4, BK_INT_SIGNED);
	check_reloc_fails(ds, b3, -EINVAL,
			  "distilled base type [1] INT 'int' size 4 has several candidates in the base: [1] INT 'int' size 4 and [2] INT 'int' size 4");
	/* encoding must agree; no such name at all */
	b4 = bk_btf_new_empty(NULL);
	bk_btf_add_int(b4, "int", 4, 0);
	check_reloc_fails(ds, b4, -EINVAL, "candidate [1] INT 'int' size 4: encoding differs");
	bk_btf_free(b4);
	b4 = bk_btf_new_empty(NULL);
	bk_btf_add_int(b4, "long", 4, BK_INT_SIGNED);
	check_reloc_fails(ds, b4, -EINVAL, "has no match in the base: no type is named 'int'");
	/* the distilled base itself, and a base split on the module */
	check_reloc_fails(ds, db, -EINVAL, "the new base is the distilled base itself");
	{
		struct bk_btf *on_ds = bk_btf_new_empty(ds);

		check_reloc_fails(ds, on_ds, -EINVAL, "a cycle");
		bk_btf_free(on_ds);
	}
	CHECK_EQ(bk_btf_relocate(ds, b1, NULL), 0);
	bk_btf_free(ds);
	bk_btf_free(db);
	bk_btf_free(s);
	bk_btf_free(b1);
	bk_btf_free(b2);
	bk_btf_free(b3);
	bk_btf_free(b4);
}

/* distilled_base_embedded_err: an embedded struct must keep its size. */
TEST(distill_relocate_embedded_size)
{
	struct bk_btf *b1 = bk_btf_new_empty(NULL), *s, *db, *ds, *b2, *b3;

	bk_btf_add_int(b1, "int", 4, BK_INT_SIGNED);
	bk_btf_add_struct(b1, "s1", 4);
	bk_btf_add_field(b1, "f1", 1, 0, 0);
	s = bk_btf_new_empty(b1);
	bk_btf_add_typedef(s, "t1", 2);
	bk_btf_add_array(s, 1, 3, 2);             /* [4] t1[2] */
	bk_btf_add_struct(s, "s2", 8);            /* [5] { t1 f1[2]; } embeds s1 */
	bk_btf_add_field(s, "f1", 4, 0, 0);
	REQUIRE(bk_btf_distill_base(s, &db, &ds, NULL) == 0);
	CHECK_ALL(ds, "[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED\n"
		      "[2] STRUCT 's1' size=4 vlen=0\n"
		      "[3] TYPEDEF 't1' type_id=2\n"
		      "[4] ARRAY '(anon)' type_id=3 index_type_id=1 nr_elems=2\n"
		      "[5] STRUCT 's2' size=8 vlen=1\n"
		      "\t'f1' type_id=4 bits_offset=0\n");
	b2 = bk_btf_new_empty(NULL);
	bk_btf_add_int(b2, "int", 4, BK_INT_SIGNED);
	bk_btf_add_struct(b2, "s1", 8);
	bk_btf_add_field(b2, "f1", 1, 0, 0);
	bk_btf_add_field(b2, "f2", 1, 32, 0);
	check_reloc_fails(ds, b2, -EINVAL,
			  "distilled base type [2] STRUCT 's1' size 4 (embedded in [5] STRUCT 's2' size 8) has no match in the base: candidate [2] STRUCT 's1' size 8: size differs, and the module embeds the type");
	/* through a pointer only, any size will do */
	b3 = bk_btf_new_empty(NULL);
	bk_btf_add_int(b3, "int", 4, BK_INT_SIGNED);
	bk_btf_add_struct(b3, "s1", 16);
	{
		struct bk_btf *s2 = bk_btf_new_empty(b1), *db2, *ds2;

		bk_btf_add_ptr(s2, 2);
		bk_btf_add_struct(s2, "s3", 8);
		bk_btf_add_field(s2, "p", 3, 0, 0);
		REQUIRE(bk_btf_distill_base(s2, &db2, &ds2, NULL) == 0);
		CHECK_EQ(bk_btf_relocate(ds2, b3, NULL), 0);
		bk_btf_free(ds2);
		bk_btf_free(db2);
		bk_btf_free(s2);
	}
	/* a same-named union does not stand for the struct */
	bk_btf_free(b3);
	b3 = bk_btf_new_empty(NULL);
	bk_btf_add_int(b3, "int", 4, BK_INT_SIGNED);
	bk_btf_add_union(b3, "s1", 4);
	check_reloc_fails(ds, b3, -EINVAL, "candidate [2] UNION 's1' size 4: kind differs");
	bk_btf_free(ds);
	bk_btf_free(db);
	bk_btf_free(s);
	bk_btf_free(b1);
	bk_btf_free(b2);
	bk_btf_free(b3);
}

/*
 * Several base composites of one name: the size picks. A FWD matches the
 * composite of its kind (by libbpf's rules also only while the base has
 * one composite of that name: its size, 0, would have to agree).
 */
TEST(distill_relocate_composite_sizes_and_fwds)
{
	struct bk_btf *b1 = bk_btf_new_empty(NULL), *s, *db, *ds, *b2, *b3;
	struct bk_diag diag = { 0 };
	struct bk_relocate_opts ro = { .sz = sizeof(ro), .diag = &diag };

	bk_btf_add_struct(b1, "a", 8);                 /* [1] */
	bk_btf_add_fwd(b1, "f", BK_FWD_UNION);         /* [2] */
	bk_btf_add_float(b1, "double", 8);             /* [3] */
	s = bk_btf_new_empty(b1);
	bk_btf_add_ptr(s, 1);
	bk_btf_add_ptr(s, 2);
	bk_btf_add_ptr(s, 3);
	REQUIRE(bk_btf_distill_base(s, &db, &ds, NULL) == 0);
	CHECK_ALL(db, "[1] STRUCT 'a' size=8 vlen=0\n[2] FWD 'f' fwd_kind=union\n"
		      "[3] FLOAT 'double' size=8\n");
	/* a struct 'f' is not the union FWD 'f' */
	b3 = bk_btf_new_empty(NULL);
	bk_btf_add_struct(b3, "a", 8);
	bk_btf_add_struct(b3, "f", 4);
	bk_btf_add_float(b3, "double", 8);
	check_reloc_fails(ds, b3, -EINVAL,
			  "distilled base type [2] FWD 'f' (union) has no match in the base: candidate [2] STRUCT 'f' size 4: kind differs");
	b2 = bk_btf_new_empty(NULL);
	bk_btf_add_struct(b2, "a", 16);                /* [1] */
	bk_btf_add_struct(b2, "a", 8);                 /* [2] the one */
	bk_btf_add_union(b2, "f", 4);                  /* [3] the one */
	bk_btf_add_float(b2, "double", 8);             /* [4] */
	CHECK_EQ(bk_btf_relocate(ds, b2, &ro), 0);
	CHECK_STR(diag.msg, "");
	{
		char *d = bt_dump_raw(ds);

		CHECK_STR(d, "[5] PTR '(anon)' type_id=2\n[6] PTR '(anon)' type_id=3\n"
			     "[7] PTR '(anon)' type_id=4\n");
		free(d);
	}
	bk_btf_free(ds);
	bk_btf_free(db);
	bk_btf_free(s);
	bk_btf_free(b1);
	bk_btf_free(b2);
	bk_btf_free(b3);
}

/* distilled_endianness: the output keeps the source's byte order. */
TEST(distill_relocate_not_distilled)
{
	struct bk_btf *b = selftest_base(), *s = selftest_split(b), *b2 = selftest_base();

	check_reloc_fails(s, b2, -EINVAL, "not a distilled base: type [2] PTR '(anon)'");
	bk_btf_free(s);
	bk_btf_free(b);
	bk_btf_free(b2);
	{
		struct bk_diag diag = { 0 };
		struct bk_btf *d = bk_btf_new_empty(NULL);

		bk_btf_add_int(d, "int", 4, 0);
		bk_btf_add_typedef(d, "t", 1);
		CHECK_EQ(bk_btf_check_distilled_base(d, &diag), -EINVAL);
		CHECK_STR(diag.msg, "not a distilled base: type [2] TYPEDEF 't' (a distilled base holds only named INT, FLOAT, ENUM, STRUCT, UNION and FWD types)");
		bk_btf_free(d);
	}
}

/* Raw BTF from a blob, split on base when base is not NULL. */
static struct bk_btf *blob_parse(struct bt_blob *blob, struct bk_btf *base)
{
	struct bk_diag diag;
	struct bk_btf *btf;
	uint8_t *raw;
	size_t n;

	raw = bt_blob_raw(blob, NULL, &n);
	btf = bt_parse(raw, n, base, &diag);
	free(raw);
	bt_blob_free(blob);
	return btf;
}

/* Hand-made splits: a typedef loop under a member, a stray string offset. */
TEST(distill_relocate_loop_and_strings)
{
	struct bk_btf *d, *s, *base;
	struct bt_blob blob;

	/* the distilled base: [1] INT 'int'; strings "\0int\0" */
	bt_blob_init(&blob, 0);
	bt_type(&blob, bt_str(&blob, "int"), BK_KIND_INT, 0, false, 4);
	bt_word(&blob, (1u << 24) | 32);
	d = blob_parse(&blob, NULL);
	REQUIRE(d);
	/* [2] TYPEDEF a -> [3], [3] TYPEDEF b -> [2], [4] STRUCT s { a x; } */
	bt_blob_init(&blob, 5);
	bt_type(&blob, bt_str(&blob, "a"), BK_KIND_TYPEDEF, 0, false, 3);
	bt_type(&blob, bt_str(&blob, "b"), BK_KIND_TYPEDEF, 0, false, 2);
	bt_type(&blob, bt_str(&blob, "s"), BK_KIND_STRUCT, 1, false, 4);
	bt_word(&blob, bt_str(&blob, "x"));
	bt_word(&blob, 2);
	bt_word(&blob, 0);
	s = blob_parse(&blob, d);
	REQUIRE(s);
	base = bk_btf_new_empty(NULL);
	bk_btf_add_int(base, "int", 4, BK_INT_SIGNED);
	check_reloc_fails(s, base, -ELOOP,
			  "type [4] STRUCT 's' size 4 member 0: typedefs, modifiers or arrays loop back to [2] TYPEDEF 'a'");
	bk_btf_free(s);
	/* a member named by offset 2 of the distilled base ("nt", inside "int") */
	bt_blob_init(&blob, 5);
	bt_type(&blob, bt_str(&blob, "s"), BK_KIND_STRUCT, 1, false, 4);
	bt_word(&blob, 2);
	bt_word(&blob, 1);
	bt_word(&blob, 0);
	s = blob_parse(&blob, d);
	REQUIRE(s);
	check_reloc_fails(s, base, -EINVAL,
			  "type [2] STRUCT 's' size 4: string offset 2 ('nt') lies in the distilled base's strings but is not the name of a distilled type");
	bk_btf_free(s);
	bk_btf_free(base);
	bk_btf_free(d);
}

static int collect_msgs(void *ctx, uint32_t dist_id, const char *msg)
{
	char *buf = ctx;
	size_t n = strlen(buf);

	snprintf(buf + n, 4096 - n, "%u: %s\n", dist_id, msg);
	return 0;
}

/* Every distilled type without a single match reaches the callback. */
TEST(distill_relocate_reports_every_unmatched)
{
	struct bk_btf *b1 = bk_btf_new_empty(NULL), *s, *db, *ds, *b2;
	static char msgs[4096];
	struct bk_diag diag = { 0 };
	struct bk_relocate_opts ro = { .sz = sizeof(ro), .diag = &diag, .cb = collect_msgs,
				       .cb_ctx = msgs };

	bk_btf_add_int(b1, "int", 4, BK_INT_SIGNED);    /* [1] */
	bk_btf_add_struct(b1, "a", 8);                  /* [2] */
	bk_btf_add_enum(b1, "e", 4);                    /* [3] */
	s = bk_btf_new_empty(b1);
	bk_btf_add_ptr(s, 1);
	bk_btf_add_ptr(s, 2);
	bk_btf_add_ptr(s, 3);
	REQUIRE(bk_btf_distill_base(s, &db, &ds, NULL) == 0);
	b2 = bk_btf_new_empty(NULL);
	bk_btf_add_int(b2, "int", 4, BK_INT_SIGNED);    /* [1] */
	bk_btf_add_enum64(b2, "e", 8, false);           /* [2] wrong size */
	bk_btf_add_enum(b2, "e", 4);                    /* [3] */
	bk_btf_add_enum(b2, "e", 4);                    /* [4] a second one */
	msgs[0] = '\0';
	CHECK_EQ(bk_btf_relocate(ds, b2, &ro), -EINVAL);
	CHECK_STR(msgs, "2: distilled base type [2] STRUCT 'a' size 8 has no match in the base: no type is named 'a'\n"
			"3: distilled base type [3] ENUM 'e' size 4 has several candidates in the base: [3] ENUM 'e' size 4 and [4] ENUM 'e' size 4\n");
	CHECK_STR(diag.msg, "distilled base type [2] STRUCT 'a' size 8 has no match in the base: no type is named 'a' (2 distilled types have no single match)");
	bk_btf_free(ds);
	bk_btf_free(db);
	bk_btf_free(s);
	bk_btf_free(b1);
	bk_btf_free(b2);
}

/* A base FWD stands for a struct the module only points to. */
TEST(distill_relocate_onto_fwd)
{
	struct bk_btf *b1 = bk_btf_new_empty(NULL), *s, *db, *ds, *b2, *b3, *b4;
	char *d;

	bk_btf_add_int(b1, "int", 4, BK_INT_SIGNED);    /* [1] */
	bk_btf_add_struct(b1, "r", 8);                  /* [2] */
	bk_btf_add_struct(b1, "e", 4);                  /* [3] */
	s = bk_btf_new_empty(b1);
	bk_btf_add_ptr(s, 2);                           /* [4] */
	bk_btf_add_struct(s, "m", 4);                   /* [5] { struct e x; } */
	bk_btf_add_field(s, "x", 3, 0, 0);
	REQUIRE(bk_btf_distill_base(s, &db, &ds, NULL) == 0);
	/* the base declares r only: fine for the pointer */
	b2 = bk_btf_new_empty(NULL);
	bk_btf_add_fwd(b2, "r", BK_FWD_STRUCT);         /* [1] */
	bk_btf_add_struct(b2, "e", 4);                  /* [2] */
	bk_btf_add_int(b2, "int", 4, BK_INT_SIGNED);    /* [3] */
	/* ... but not for the embedded e */
	b3 = bk_btf_new_empty(NULL);
	bk_btf_add_struct(b3, "r", 8);
	bk_btf_add_fwd(b3, "e", BK_FWD_STRUCT);
	bk_btf_add_int(b3, "int", 4, BK_INT_SIGNED);
	check_reloc_fails(ds, b3, -EINVAL,
			  "distilled base type [2] STRUCT 'e' size 4 (embedded in [4] STRUCT 'm' size 4) has no match in the base: candidate [2] FWD 'e' (struct): the base only declares it, and the module uses the type by value");
	/* with a struct and a FWD of the name, the struct is taken */
	b4 = bk_btf_new_empty(NULL);
	bk_btf_add_fwd(b4, "r", BK_FWD_STRUCT);         /* [1] */
	bk_btf_add_struct(b4, "r", 16);                 /* [2] */
	bk_btf_add_struct(b4, "e", 4);                  /* [3] */
	bk_btf_add_int(b4, "int", 4, BK_INT_SIGNED);    /* [4] */
	{
		struct bk_btf *db2, *ds2;

		REQUIRE(bk_btf_distill_base(s, &db2, &ds2, NULL) == 0);
		CHECK_EQ(bk_btf_relocate(ds2, b4, NULL), 0);
		d = bt_dump_raw(ds2);
		CHECK_STR(d, "[5] PTR '(anon)' type_id=2\n[6] STRUCT 'm' size=4 vlen=1\n"
			     "\t'x' type_id=3 bits_offset=0\n");
		free(d);
		bk_btf_free(ds2);
		bk_btf_free(db2);
	}
	CHECK_EQ(bk_btf_relocate(ds, b2, NULL), 0);
	d = bt_dump_raw(ds);
	CHECK_STR(d, "[4] PTR '(anon)' type_id=1\n[5] STRUCT 'm' size=4 vlen=1\n"
		     "\t'x' type_id=2 bits_offset=0\n");
	free(d);
	bk_btf_free(ds);
	bk_btf_free(db);
	bk_btf_free(s);
	bk_btf_free(b1);
	bk_btf_free(b2);
	bk_btf_free(b3);
	bk_btf_free(b4);
}


/*
 * A base whose 'int' is named by the tail of "uint" (valid BTF, made by no
 * real producer): taking that offset would give split BTF naming the middle
 * of a base string, which btfkit's parser refuses (fuzz, distill target).
 * The relocation says so instead; with a whole "int" in the base it works.
 */
TEST(distill_relocate_base_name_is_a_tail)
{
	struct bk_btf *b1 = bk_btf_new_empty(NULL), *s, *db, *ds, *tail, *whole;
	struct bb bb;
	uint32_t u;

	bk_btf_add_int(b1, "int", 4, BK_INT_SIGNED);
	s = bk_btf_new_empty(b1);
	bk_btf_add_ptr(s, 1);
	REQUIRE(bk_btf_distill_base(s, &db, &ds, NULL) == 0);
	bb_init(&bb);
	u = bb_str(&bb, "uint");
	bb_u32(&bb, u + 1);
	bb_u32(&bb, bk_info(BK_KIND_INT, 0, false));
	bb_u32(&bb, 4);
	bb_u32(&bb, (BK_INT_SIGNED << 24) | 32);
	bb.ntypes++;
	tail = bb_open(&bb);
	REQUIRE(tail != NULL);
	check_reloc_fails(ds, tail, -EINVAL,
			  "base type [1] INT 'int' size 4: its name offset 2 is the tail of another string");
	bb_init(&bb);
	bb_str(&bb, "uint");
	bb_int(&bb, "int", 4, BK_INT_SIGNED);
	whole = bb_open(&bb);
	REQUIRE(whole != NULL);
	CHECK_EQ(bk_btf_relocate(ds, whole, NULL), 0);
	bk_btf_free(ds);
	bk_btf_free(db);
	bk_btf_free(s);
	bk_btf_free(b1);
	bk_btf_free(tail);
	bk_btf_free(whole);
}
