// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Queries (src/core/query.c, src/core/names.c, src/core/btf.c lookups): resolving through
 * modifiers and typedefs, sizes, alignment, pointer size, name lookup through
 * the lazily built index, the record iterators, and bounded walks on
 * cyclic or deeply nested input.
 */
#include <stdlib.h>

#include "internal.h"
#include "blob.h"
#include "test.h"

static struct bk_btf *parse(const struct bt_blob *b, struct bk_btf *base)
{
	struct bk_diag d;
	size_t n;
	uint8_t *data = bt_blob_raw(b, NULL, &n);
	struct bk_btf *btf = bt_parse(data, n, base, &d);

	if (!btf)
		bt_fail(__FILE__, __LINE__, "parse failed: %s", d.msg);
	free(data);
	return btf;
}

static void add_int(struct bt_blob *b, const char *name, uint32_t size)
{
	bt_type(b, bt_str(b, name), BK_KIND_INT, 0, 0, size);
	bt_word(b, (BK_INT_SIGNED << 24) | (size * 8));
}

TEST(query_all_kinds)
{
	struct bt_blob b;
	struct bk_btf *btf;

	bt_blob_init(&b, 0);
	bt_all_kinds(&b);
	btf = parse(&b, NULL);
	REQUIRE(btf);
	/* [10] const -> [9] volatile -> [1] int; [8] typedef t -> int */
	CHECK_EQ(bk_btf_resolve(btf, 10), 1);
	CHECK_EQ(bk_btf_skip_mods(btf, 10), 1);
	CHECK_EQ(bk_btf_resolve(btf, 8), 1);
	CHECK_EQ(bk_btf_skip_mods(btf, 8), 8);
	CHECK_EQ(bk_btf_resolve(btf, 18), 1); /* type tag */
	CHECK_EQ(bk_btf_resolve(btf, 4), 4);
	CHECK_EQ(bk_btf_resolve_size(btf, 3), 16); /* int[4] */
	CHECK_EQ(bk_btf_resolve_size(btf, 10), 4);
	CHECK_EQ(bk_btf_resolve_size(btf, 14), 4);  /* var */
	CHECK_EQ(bk_btf_resolve_size(btf, 15), 4);  /* datasec */
	CHECK_EQ(bk_btf_resolve_size(btf, 19), 8);  /* enum64 */
	CHECK_EQ(bk_btf_resolve_size(btf, 13), -EINVAL); /* func */
	CHECK_EQ(bk_btf_resolve_size(btf, 7), -EINVAL);  /* fwd */
	CHECK_EQ(bk_btf_resolve_size(btf, 0), -EINVAL);  /* void */
	CHECK_EQ(bk_btf_resolve_size(btf, 99), -EINVAL);
	CHECK_EQ(bk_btf_align(btf, 3), 4);
	/* a plain (union) member at bit 35: packed, as libbpf says too */
	CHECK_EQ(bk_btf_align(btf, 4), 1);
	CHECK_EQ(bk_btf_align(btf, 5), 4);
	CHECK_EQ(bk_btf_align(btf, 19), 8);
	CHECK_EQ(bk_btf_align(btf, 13), -EINVAL);
	/* no 'long' INT in this blob: pointer size unknown, pointers 8 */
	CHECK_EQ(bk_btf_ptr_size(btf), 0);
	CHECK_EQ(bk_btf_resolve_size(btf, 2), 8);
	CHECK_EQ(bk_btf_set_ptr_size(btf, 3), -EINVAL);
	CHECK_EQ(bk_btf_set_ptr_size(btf, 4), 0);
	CHECK_EQ(bk_btf_resolve_size(btf, 2), 4);
	CHECK_EQ(bk_btf_align(btf, 2), 4);
	CHECK_EQ(bk_btf_align(btf, 19), 4); /* 8-byte scalars align to the pointer */
	bk_btf_free(btf);
	bt_blob_free(&b);
}

TEST(query_iterate_records)
{
	struct bt_blob b;
	struct bk_btf *btf;
	const struct bk_type *t;
	const struct bk_member *m;
	const struct bk_param *p;
	const struct bk_var_secinfo *v;

	bt_blob_init(&b, 0);
	bt_all_kinds(&b);
	btf = parse(&b, NULL);
	REQUIRE(btf);
	t = bk_btf_type(btf, 4);
	m = bk_members(t);
	CHECK_EQ(bk_vlen(t), 3);
	CHECK_STR(bk_btf_str(btf, m[0].name_off), "a");
	CHECK_EQ(bk_member_bit_offset(t, &m[1]), 32);
	CHECK_EQ(bk_member_bitfield_size(t, &m[1]), 3);
	CHECK_EQ(bk_member_bit_offset(t, &m[2]), 35);
	CHECK_EQ(bk_member_bitfield_size(t, &m[2]), 0);
	t = bk_btf_type(btf, 6);
	CHECK(bk_kflag(t));
	CHECK_EQ(bk_enums(t)[0].val, -1);
	CHECK_STR(bk_btf_str(btf, bk_enums(t)[1].name_off), "B");
	t = bk_btf_type(btf, 12);
	p = bk_params(t);
	CHECK_EQ(bk_vlen(t), 2);
	CHECK_EQ(p[0].type, 2);
	CHECK_EQ(p[1].type, 0);
	CHECK_EQ(p[1].name_off, 0);
	t = bk_btf_type(btf, 15);
	v = bk_secinfos(t);
	CHECK_EQ(v[0].type, 14);
	CHECK_EQ(v[0].size, 4);
	CHECK_EQ(bk_var_of(bk_btf_type(btf, 14))->linkage, BK_LINKAGE_GLOBAL);
	CHECK_EQ(bk_decl_tag_of(bk_btf_type(btf, 17))->component_idx, 1);
	CHECK_EQ((int64_t)bk_enum64_value(&bk_enum64s(bk_btf_type(btf, 20))[0]), -2);
	CHECK_EQ(bk_int_bits(bk_btf_type(btf, 1)), 32);
	CHECK_EQ(bk_int_encoding(bk_btf_type(btf, 1)), BK_INT_SIGNED);
	/* out-of-range lookups */
	CHECK(bk_btf_type(btf, 22) == NULL);
	CHECK(bk_btf_str(btf, (uint32_t)b.strs_len) == NULL);
	CHECK_STR(bk_btf_str(btf, 1), "int");
	CHECK_STR(bk_btf_name(btf, bk_btf_type(btf, 2)), "");
	bk_btf_free(btf);
	bt_blob_free(&b);
}

TEST(query_ptr_size_guess)
{
	struct bt_blob b, s;
	struct bk_btf *base, *split;

	bt_blob_init(&b, 0);
	add_int(&b, "int", 4);
	add_int(&b, "long unsigned int", 4);
	base = parse(&b, NULL);
	REQUIRE(base);
	CHECK_EQ(bk_btf_ptr_size(base), 4);
	/* a split takes its base's pointer size */
	bt_blob_init(&s, (uint32_t)b.strs_len);
	bt_type(&s, 0, BK_KIND_PTR, 0, 0, 1);
	split = parse(&s, base);
	REQUIRE(split);
	CHECK_EQ(bk_btf_ptr_size(split), 4);
	CHECK_EQ(bk_btf_resolve_size(split, 3), 4);
	bk_btf_free(split);
	bk_btf_free(base);
	bt_blob_free(&b);
	bt_blob_free(&s);
}

TEST(query_alignment_layouts)
{
	struct bt_blob b;
	struct bk_btf *btf;
	uint32_t c;

	bt_blob_init(&b, 0);
	add_int(&b, "char", 1);                                /* [1] */
	add_int(&b, "int", 4);                                 /* [2] */
	add_int(&b, "long", 8);                                /* [3] */
	c = bt_str(&b, "c");
	/* [4] packed { char c; int i; } : i at byte 1 */
	bt_type(&b, bt_str(&b, "packed"), BK_KIND_STRUCT, 2, 0, 5);
	bt_word(&b, c);
	bt_word(&b, 1);
	bt_word(&b, 0);
	bt_word(&b, c);
	bt_word(&b, 2);
	bt_word(&b, 8);
	/* [5] { long l; char c; } of size 9: packed by its size */
	bt_type(&b, bt_str(&b, "short_tail"), BK_KIND_STRUCT, 2, 0, 9);
	bt_word(&b, c);
	bt_word(&b, 3);
	bt_word(&b, 0);
	bt_word(&b, c);
	bt_word(&b, 1);
	bt_word(&b, 64);
	/* [6] { int a:3 at bit 1; } bitfields do not make a struct packed */
	bt_type(&b, bt_str(&b, "bits"), BK_KIND_STRUCT, 1, 1, 4);
	bt_word(&b, c);
	bt_word(&b, 2);
	bt_word(&b, (3u << 24) | 1);
	/* [7] union { long l; char c[3]; } */
	bt_type(&b, 0, BK_KIND_ARRAY, 0, 0, 0);             /* [7] char[3] */
	bt_word(&b, 1);
	bt_word(&b, 2);
	bt_word(&b, 3);
	bt_type(&b, bt_str(&b, "u"), BK_KIND_UNION, 2, 0, 8); /* [8] */
	bt_word(&b, c);
	bt_word(&b, 3);
	bt_word(&b, 0);
	bt_word(&b, c);
	bt_word(&b, 7);
	bt_word(&b, 0);
	btf = parse(&b, NULL);
	REQUIRE(btf);
	CHECK_EQ(bk_btf_ptr_size(btf), 8);
	CHECK_EQ(bk_btf_align(btf, 4), 1);
	CHECK_EQ(bk_btf_align(btf, 5), 1);
	CHECK_EQ(bk_btf_align(btf, 6), 4);
	CHECK_EQ(bk_btf_align(btf, 7), 1);
	CHECK_EQ(bk_btf_align(btf, 8), 8);
	CHECK_EQ(bk_btf_resolve_size(btf, 7), 3);
	CHECK_EQ(bk_btf_resolve_size(btf, 8), 8);
	bk_btf_free(btf);
	bt_blob_free(&b);
}

/* Cycles and depth: every walk ends with an error, never a hang or crash. */
TEST(query_cycles_and_depth)
{
	struct bt_blob b;
	struct bk_btf *btf;
	uint32_t depth = 200, m;

	bt_blob_init(&b, 0);
	bt_type(&b, bt_str(&b, "a"), BK_KIND_TYPEDEF, 0, 0, 2); /* [1] a -> b */
	bt_type(&b, bt_str(&b, "b"), BK_KIND_TYPEDEF, 0, 0, 3); /* [2] b -> const a */
	bt_type(&b, 0, BK_KIND_CONST, 0, 0, 1);                 /* [3] */
	/* [4] struct self { struct self s; } */
	m = bt_str(&b, "s");
	bt_type(&b, bt_str(&b, "self"), BK_KIND_STRUCT, 1, 0, 4);
	bt_word(&b, m);
	bt_word(&b, 4);
	bt_word(&b, 0);
	/* [5] int[2^20] [6] of [5] x 2^20 [7] of [6] x 2^20: size overflows */
	add_int(&b, "int", 4);
	bt_type(&b, 0, BK_KIND_ARRAY, 0, 0, 0);
	bt_word(&b, 5);
	bt_word(&b, 5);
	bt_word(&b, 1u << 20);
	bt_type(&b, 0, BK_KIND_ARRAY, 0, 0, 0);
	bt_word(&b, 6);
	bt_word(&b, 5);
	bt_word(&b, 1u << 20);
	/* [8..] a chain of 200 nested structs, each holding the previous */
	for (uint32_t i = 0; i < depth; i++) {
		bt_type(&b, 0, BK_KIND_STRUCT, 1, 0, 4);
		bt_word(&b, m);
		bt_word(&b, i ? 8 + i - 1 : 5);
		bt_word(&b, 0);
	}
	btf = parse(&b, NULL);
	REQUIRE(btf);
	CHECK_EQ(bk_btf_resolve(btf, 1), -ELOOP);
	CHECK_EQ(bk_btf_skip_mods(btf, 3), 1);
	CHECK_EQ(bk_btf_resolve_size(btf, 1), -ELOOP);
	CHECK_EQ(bk_btf_align(btf, 1), -ELOOP);
	CHECK_EQ(bk_btf_align(btf, 4), -ELOOP);
	CHECK_EQ(bk_btf_resolve_size(btf, 6), 4 << 20);
	CHECK_EQ(bk_btf_resolve_size(btf, 7), -E2BIG);
	CHECK_EQ(bk_btf_align(btf, 8 + 10), 4);
	CHECK_EQ(bk_btf_align(btf, 8 + depth - 1), -ELOOP);
	bk_btf_free(btf);
	bt_blob_free(&b);
}

TEST(query_name_index)
{
	struct bt_blob b, s;
	struct bk_btf *base, *split;
	uint32_t ids[2], x;

	bt_blob_init(&b, 0);
	add_int(&b, "int", 4);                                    /* [1] */
	x = bt_str(&b, "x");
	bt_type(&b, x, BK_KIND_STRUCT, 0, 0, 0);                  /* [2] */
	bt_type(&b, x, BK_KIND_TYPEDEF, 0, 0, 1);                 /* [3] x, same offset */
	bt_type(&b, bt_str(&b, "xx"), BK_KIND_FWD, 0, 0, 0);      /* [4] */
	for (int i = 0; i < 100; i++)                             /* [5..104] */
		bt_type(&b, x, BK_KIND_FWD, 0, 0, 0);
	base = parse(&b, NULL);
	REQUIRE(base);
	CHECK(base->names == NULL);
	CHECK_EQ(bk_btf_find(base, "x", -1), 2);
	CHECK(base->names != NULL); /* built on first use */
	CHECK_EQ(bk_btf_find(base, "x", BK_KIND_TYPEDEF), 3);
	CHECK_EQ(bk_btf_find(base, "x", BK_KIND_FWD), 5);
	CHECK_EQ(bk_btf_find(base, "xx", -1), 4);
	CHECK_EQ(bk_btf_find(base, "y", -1), -ENOENT);
	CHECK_EQ(bk_btf_find(base, "", -1), -EINVAL);
	CHECK_EQ(bk_btf_find_all(base, "x", -1, ids, 2), 102);
	CHECK_EQ(ids[0], 2);
	CHECK_EQ(ids[1], 3);
	CHECK_EQ(bk_btf_find_all(base, "x", BK_KIND_FWD, NULL, 0), 100);
	/* a split finds the base's types first, then its own */
	bt_blob_init(&s, (uint32_t)b.strs_len);
	bt_type(&s, x, BK_KIND_UNION, 0, 0, 0);                   /* [105] x */
	bt_type(&s, bt_str(&s, "own"), BK_KIND_STRUCT, 0, 0, 0);  /* [106] */
	split = parse(&s, base);
	REQUIRE(split);
	CHECK_EQ(bk_btf_find(split, "x", BK_KIND_UNION), 105);
	CHECK_EQ(bk_btf_find(split, "x", -1), 2);
	CHECK_EQ(bk_btf_find(split, "own", -1), 106);
	CHECK_EQ(bk_btf_find(base, "own", -1), -ENOENT);
	CHECK_EQ(bk_btf_find_all(split, "x", -1, NULL, 0), 103);
	CHECK_EQ(bk_btf_find(split, "int", BK_KIND_INT), 1);
	bk_btf_free(split);
	bk_btf_free(base);
	bt_blob_free(&b);
	bt_blob_free(&s);
}
