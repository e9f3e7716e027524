// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Raw BTF parsing (src/core/parse.c, src/core/btf.c): both byte orders, every kind,
 * the 32-byte header with a kind-layout section, unknown kinds, 24-bit vlen,
 * empty and multi-level split BTF, and every parse error with its exact
 * message ("what (type [ID], member N, byte offset X)").
 */
#include <stdlib.h>
#include <unistd.h>

#include "blob.h"
#include "test.h"

/* Parse data and expect failure with exactly err and msg. */
#define EXPECT_ERR(data, size, base, err_, msg_)                              \
	do {                                                                   \
		struct bk_diag _ed;                                             \
		struct bk_btf *_eb = bt_parse(data, size, base, &_ed);           \
		CHECK(_eb == NULL);                                             \
		bk_btf_free(_eb);                                              \
		CHECK_EQ(_ed.err, err_);                                       \
		CHECK_EQ(errno, -(err_));                                      \
		CHECK_STR(_ed.msg, msg_);                                      \
	} while (0)

/* Serialize blob b (raw options o, NULL for none) and expect EXPECT_ERR's failure. */
#define EXPECT_BLOB_ERR(b, o, base, err_, msg_)                               \
	do {                                                                   \
		size_t _bn;                                                    \
		uint8_t *_bd = bt_blob_raw(b, o, &_bn);                        \
		EXPECT_ERR(_bd, _bn, base, err_, msg_);                        \
		free(_bd);                                                     \
	} while (0)

static struct bk_btf *parse_blob(const struct bt_blob *b, const struct bt_raw_opts *o,
				 struct bk_btf *base)
{
	struct bk_diag d;
	struct bk_btf *btf;
	size_t n;
	uint8_t *data = bt_blob_raw(b, o, &n);

	btf = bt_parse(data, n, base, &d);
	if (!btf)
		bt_fail(__FILE__, __LINE__, "parse failed: %s", d.msg);
	free(data);
	return btf;
}

TEST(parse_all_kinds_native)
{
	struct bt_blob b;
	struct bk_btf *btf;
	struct bk_btf_layout_info li;
	char *text;

	bt_blob_init(&b, 0);
	bt_all_kinds(&b);
	btf = parse_blob(&b, NULL, NULL);
	REQUIRE(btf);
	CHECK_EQ(bk_btf_type_cnt(btf), 22);
	CHECK_EQ(bk_btf_endian(btf), BK_ENDIAN_LITTLE);
	CHECK_EQ(bk_btf_source(btf), BK_SOURCE_RAW);
	for (unsigned k = 1; k < BK_NR_KINDS; k++) {
		/* kind order, but FUNC_PROTO [12] comes before FUNC [13] */
		unsigned want = k == 12 ? BK_KIND_FUNC_PROTO : k == 13 ? BK_KIND_FUNC : k;

		CHECK_EQ(bk_kind(bk_btf_type(btf, k)), want);
	}
	bk_btf_layout_info(btf, &li);
	CHECK_EQ(li.hdr_len, 24);
	CHECK_EQ(li.type_len, b.types_len);
	CHECK_EQ(li.str_len, b.strs_len);
	CHECK_EQ(li.layout_len, 0);
	text = bt_dump_raw(btf);
	CHECK_STR(text, bt_all_kinds_raw);
	free(text);
	bk_btf_free(btf);
	bt_blob_free(&b);
}

TEST(parse_all_kinds_swapped_remembers_order)
{
	struct bt_blob b;
	struct bt_raw_opts o = { .swap = true };
	struct bk_btf *btf;
	const struct bk_type *t;
	char *text;

	bt_blob_init(&b, 0);
	bt_all_kinds(&b);
	btf = parse_blob(&b, &o, NULL);
	REQUIRE(btf);
	/* the tests run on little-endian hosts: swapped input is big-endian */
	CHECK_EQ(bk_btf_endian(btf), BK_ENDIAN_BIG);
	text = bt_dump_raw(btf);
	CHECK_STR(text, bt_all_kinds_raw);
	free(text);
	/* payloads are native after parsing: member offsets, enum64 halves */
	t = bk_btf_type(btf, 4);
	CHECK_EQ(bk_member_bitfield_size(t, &bk_members(t)[1]), 3);
	CHECK_EQ(bk_enum64_value(&bk_enum64s(bk_btf_type(btf, 19))[0]), 0x100000001ull);
	bk_btf_free(btf);
	bt_blob_free(&b);
}

TEST(parse_swapped_file_is_not_modified)
{
	struct bt_blob b;
	struct bt_raw_opts o = { .swap = true };
	struct bk_btf *btf;
	uint8_t *data, *after;
	size_t n;
	const char *path;
	FILE *f;

	bt_blob_init(&b, 0);
	bt_all_kinds(&b);
	data = bt_blob_raw(&b, &o, &n);
	path = bt_tmpfile(data, n);
	btf = bk_btf_open(path, NULL);
	REQUIRE(btf);
	CHECK_EQ(bk_btf_endian(btf), BK_ENDIAN_BIG);
	bk_btf_free(btf);
	after = calloc(1, n + 1);
	f = fopen(path, "rb");
	REQUIRE(f && after);
	CHECK_EQ(fread(after, 1, n + 1, f), n);
	fclose(f);
	CHECK(!memcmp(after, data, n));
	unlink(path);
	free(after);
	free(data);
	bt_blob_free(&b);
}

TEST(parse_layout_header_skips_unknown_kind)
{
	struct bt_blob b;
	struct bk_btf *btf;
	struct bk_btf_layout_info li;
	const struct bk_type *t;
	uint32_t s;

	bt_blob_init(&b, 0);
	bt_layout_known(&b);
	bt_layout(&b, 21, 4, 8);
	/* an entry no type uses may have any sizes (libbpf checks on use) */
	bt_layout(&b, 23, 2, 1);
	s = bt_str(&b, "int");
	bt_type(&b, s, BK_KIND_INT, 0, 0, 4); /* [1] */
	bt_word(&b, 32);
	/* [2]: kind 21, 4 bytes of info and 2 elements of 8 bytes: 32 bytes */
	bt_type(&b, bt_str(&b, "future"), 21, 2, 0, 0);
	for (int i = 0; i < 5; i++)
		bt_word(&b, 0xdeadbeef);
	bt_type(&b, 0, BK_KIND_PTR, 0, 0, 1); /* [3] */
	btf = parse_blob(&b, NULL, NULL);
	REQUIRE(btf);
	bk_btf_layout_info(btf, &li);
	CHECK_EQ(li.hdr_len, 32);
	CHECK_EQ(li.layout_len, 24 * 4);
	CHECK_EQ(li.layout_off, b.types_len);
	CHECK_EQ(li.str_off, b.types_len + 24 * 4);
	CHECK_EQ(bk_btf_type_cnt(btf), 4);
	t = bk_btf_type(btf, 2);
	CHECK_EQ(bk_kind(t), 21);
	CHECK_EQ(bk_btf_type_rec_size(btf, t), 32);
	CHECK_STR(bk_btf_name(btf, t), "future");
	t = bk_btf_type(btf, 3);
	CHECK_EQ(bk_kind(t), BK_KIND_PTR);
	CHECK_EQ(t->type, 1);
	CHECK_EQ(bk_btf_find(btf, "future", 21), 2);
	bk_btf_free(btf);
	bt_blob_free(&b);
}

/* Header lengths other than 24 and 32: the sections follow hdr_len bytes. */
TEST(parse_odd_header_lengths)
{
	static const uint32_t lens[] = { 26, 28, 36, 41 };
	struct bt_blob b;

	bt_blob_init(&b, 0);
	bt_all_kinds(&b);
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		struct bt_raw_opts o = { .hdr_len = lens[i], .swap = i & 1 };
		struct bk_btf *btf = parse_blob(&b, &o, NULL);
		struct bk_btf_layout_info li;
		char *text;

		REQUIRE(btf);
		bk_btf_layout_info(btf, &li);
		CHECK_EQ(li.hdr_len, lens[i]);
		text = bt_dump_raw(btf);
		CHECK_STR(text, bt_all_kinds_raw);
		free(text);
		bk_btf_free(btf);
	}
	bt_blob_free(&b);
}

TEST(parse_split_uses_base_layout)
{
	struct bt_blob b, s;
	struct bk_btf *base, *split;

	bt_blob_init(&b, 0);
	bt_layout(&b, 30, 0, 4);
	bt_type(&b, bt_str(&b, "int"), BK_KIND_INT, 0, 0, 4);
	bt_word(&b, 32);
	base = parse_blob(&b, NULL, NULL);
	REQUIRE(base);
	bt_blob_init(&s, (uint32_t)b.strs_len);
	bt_type(&s, 0, 30, 3, 0, 0); /* [2]: 12 + 3 * 4 bytes */
	bt_word(&s, 1);
	bt_word(&s, 2);
	bt_word(&s, 3);
	bt_type(&s, 0, BK_KIND_PTR, 0, 0, 2); /* [3] */
	split = parse_blob(&s, NULL, base);
	REQUIRE(split);
	CHECK_EQ(bk_btf_type_cnt(split), 4);
	CHECK_EQ(bk_kind(bk_btf_type(split, 3)), BK_KIND_PTR);
	bk_btf_free(split);
	bk_btf_free(base);
	bt_blob_free(&b);
	bt_blob_free(&s);
}

TEST(parse_unknown_kind_without_layout)
{
	struct bt_blob b;

	bt_blob_init(&b, 0);
	bt_type(&b, bt_str(&b, "int"), BK_KIND_INT, 0, 0, 4);
	bt_word(&b, 32);
	bt_type(&b, 0, 25, 1, 0, 0);
	bt_word(&b, 0);
	EXPECT_BLOB_ERR(&b, NULL, NULL, -EOPNOTSUPP,
			"unknown kind 25 and no kind layout describes it (type [2], byte offset 40)");
	/* a layout that stops before the kind does not describe it either */
	bt_layout_known(&b);
	EXPECT_BLOB_ERR(&b, NULL, NULL, -EOPNOTSUPP,
			"unknown kind 25 and no kind layout describes it (type [2], byte offset 48)");
	bt_blob_free(&b);
}

TEST(parse_unknown_kind_swapped)
{
	struct bt_blob b;
	struct bt_raw_opts o = { .swap = true };

	bt_blob_init(&b, 0);
	bt_layout(&b, 25, 4, 0);
	bt_type(&b, 0, 25, 0, 0, 0);
	bt_word(&b, 0);
	EXPECT_BLOB_ERR(&b, &o, NULL, -EOPNOTSUPP,
			"unknown kind 25 in opposite-endian BTF cannot be byte-swapped (type [1], byte offset 32)");
	bt_blob_free(&b);
}

TEST(parse_vlen_24_bits)
{
	struct bt_blob b;
	struct bk_btf *btf;
	const struct bk_type *t;
	uint32_t s = 0, vlen = 0x10001;

	bt_blob_init(&b, 0);
	s = bt_str(&b, "E");
	bt_type(&b, bt_str(&b, "big"), BK_KIND_ENUM, vlen, 0, 4); /* [1] */
	for (uint32_t i = 0; i < vlen; i++) {
		bt_word(&b, s);
		bt_word(&b, i);
	}
	bt_type(&b, bt_str(&b, "after"), BK_KIND_INT, 0, 0, 4); /* [2] */
	bt_word(&b, 32);
	btf = parse_blob(&b, NULL, NULL);
	REQUIRE(btf);
	t = bk_btf_type(btf, 1);
	CHECK_EQ(bk_vlen(t), vlen);
	CHECK_EQ(bk_enums(t)[vlen - 1].val, (int32_t)(vlen - 1));
	CHECK_EQ(bk_btf_type_cnt(btf), 3);
	CHECK_STR(bk_btf_name(btf, bk_btf_type(btf, 2)), "after");
	CHECK_EQ(bk_kind(bk_btf_type(btf, 2)), BK_KIND_INT);
	bk_btf_free(btf);
	bt_blob_free(&b);
}

static struct bk_btf *small_base(struct bt_blob *b)
{
	bt_blob_init(b, 0);
	bt_type(b, bt_str(b, "int"), BK_KIND_INT, 0, 0, 4); /* [1] */
	bt_word(b, (BK_INT_SIGNED << 24) | 32);
	bt_type(b, bt_str(b, "long int"), BK_KIND_INT, 0, 0, 8); /* [2] */
	bt_word(b, (BK_INT_SIGNED << 24) | 64);
	return parse_blob(b, NULL, NULL);
}

TEST(parse_empty_split_is_valid)
{
	struct bt_blob b, s;
	struct bt_raw_opts o32 = { .hdr_len = 32 };
	struct bk_btf *base, *split;
	struct bk_btf_layout_info li;
	char *text;

	base = small_base(&b);
	REQUIRE(base);
	bt_blob_init(&s, (uint32_t)b.strs_len);
	for (int i = 0; i < 2; i++) {
		split = parse_blob(&s, i ? &o32 : NULL, base);
		REQUIRE(split);
		CHECK_EQ(bk_btf_nr_own_types(split), 0);
		CHECK_EQ(bk_btf_type_cnt(split), 3);
		CHECK_EQ(bk_btf_start_id(split), 3);
		CHECK_EQ(bk_btf_start_str_off(split), b.strs_len);
		bk_btf_layout_info(split, &li);
		CHECK_EQ(li.hdr_len, i ? 32 : 24);
		CHECK_EQ(li.raw_size, i ? 32 : 24);
		CHECK_EQ(li.str_len, 0);
		CHECK_EQ(bk_btf_find(split, "int", BK_KIND_INT), 1);
		CHECK_EQ(bk_btf_ptr_size(split), 8);
		text = bt_dump_raw(split);
		CHECK_STR(text, "");
		free(text);
		bk_btf_free(split);
	}
	bk_btf_free(base);
	bt_blob_free(&b);
	bt_blob_free(&s);
}

TEST(parse_multi_level_split)
{
	struct bt_blob b, s1, s2;
	struct bk_btf *base, *l1, *l2;
	uint32_t ids[4], m_off;
	char *text;

	base = small_base(&b);
	REQUIRE(base);
	/* level 1: [3] STRUCT a { int m; }, [4] PTR -> a */
	bt_blob_init(&s1, (uint32_t)b.strs_len);
	bt_type(&s1, bt_str(&s1, "a"), BK_KIND_STRUCT, 1, 0, 4);
	m_off = bt_str(&s1, "m");
	bt_word(&s1, m_off);
	bt_word(&s1, 1);
	bt_word(&s1, 0);
	bt_type(&s1, 0, BK_KIND_PTR, 0, 0, 3);
	l1 = parse_blob(&s1, NULL, base);
	REQUIRE(l1);
	CHECK_EQ(bk_btf_start_id(l1), 3);
	CHECK_EQ(bk_btf_start_str_off(l1), b.strs_len);
	/* level 2: [5] TYPEDEF td -> 4, [6] STRUCT b { int int; td m; }, [7] FWD a */
	bt_blob_init(&s2, (uint32_t)(b.strs_len + s1.strs_len));
	bt_type(&s2, bt_str(&s2, "td"), BK_KIND_TYPEDEF, 0, 0, 4);
	bt_type(&s2, bt_str(&s2, "b"), BK_KIND_STRUCT, 2, 0, 16);
	bt_word(&s2, 1); /* "int", a base string */
	bt_word(&s2, 1);
	bt_word(&s2, 0);
	bt_word(&s2, m_off); /* "m", a level-1 string */
	bt_word(&s2, 5);
	bt_word(&s2, 64);
	bt_type(&s2, bt_str(&s2, "a"), BK_KIND_FWD, 0, 0, 0);
	l2 = parse_blob(&s2, NULL, l1);
	REQUIRE(l2);
	CHECK(bk_btf_base(l2) == l1);
	CHECK_EQ(bk_btf_start_id(l2), 5);
	CHECK_EQ(bk_btf_start_str_off(l2), b.strs_len + s1.strs_len);
	CHECK_EQ(bk_btf_type_cnt(l2), 8);
	CHECK_STR(bk_btf_str(l2, 1), "int");
	CHECK_STR(bk_btf_str(l2, m_off), "m");
	CHECK_STR(bk_btf_name(l2, bk_btf_type(l2, 6)), "b");
	CHECK_EQ(bk_btf_find(l2, "a", BK_KIND_STRUCT), 3);
	CHECK_EQ(bk_btf_find(l2, "a", -1), 3);
	CHECK_EQ(bk_btf_find_all(l2, "a", -1, ids, 4), 2);
	CHECK_EQ(ids[0], 3);
	CHECK_EQ(ids[1], 7);
	CHECK_EQ(bk_btf_find(l2, "td", BK_KIND_TYPEDEF), 5);
	CHECK_EQ(bk_btf_find(l1, "td", -1), -ENOENT);
	CHECK_EQ(bk_btf_resolve(l2, 5), 4);
	CHECK_EQ(bk_btf_resolve_size(l2, 6), 16);
	CHECK_EQ(bk_btf_align(l2, 6), 8);
	text = bt_dump_raw(l2);
	CHECK_STR(text, "[5] TYPEDEF 'td' type_id=4\n"
			"[6] STRUCT 'b' size=16 vlen=2\n"
			"\t'int' type_id=1 bits_offset=0\n"
			"\t'm' type_id=5 bits_offset=64\n"
			"[7] FWD 'a' fwd_kind=struct\n");
	free(text);
	/* level 2 read directly on the base: its offsets do not fit */
	EXPECT_BLOB_ERR(&s2, NULL, base, -EINVAL,
			"name offset 21 out of range (string section ends at 21): does this split BTF belong to this base? (type [4], byte offset 36)");
	bk_btf_free(l2);
	bk_btf_free(l1);
	bk_btf_free(base);
	bt_blob_free(&b);
	bt_blob_free(&s1);
	bt_blob_free(&s2);
}

TEST(parse_split_without_base)
{
	struct bt_blob b, s;
	struct bk_btf *base;

	base = small_base(&b);
	REQUIRE(base);
	bt_blob_init(&s, (uint32_t)b.strs_len);
	bt_type(&s, bt_str(&s, "p"), BK_KIND_PTR, 0, 0, 1);
	EXPECT_BLOB_ERR(&s, NULL, NULL, -EINVAL,
			"string section does not start with NUL: base BTF probably missing, this looks like split BTF (byte offset 36)");
	/* an empty split read alone */
	bt_blob_free(&s);
	bt_blob_init(&s, (uint32_t)b.strs_len);
	EXPECT_BLOB_ERR(&s, NULL, NULL, -EINVAL,
			"string section is empty: base BTF probably missing, this looks like split BTF (byte offset 24)");
	bk_btf_free(base);
	bt_blob_free(&b);
	bt_blob_free(&s);
}

TEST(parse_split_wrong_base)
{
	struct bt_blob b, s, w;
	struct bk_btf *base, *wrong;
	uint8_t *data;
	size_t n;

	base = small_base(&b);
	REQUIRE(base);
	/* a split on base: typedef "long int" (offset 5 of the base) */
	bt_blob_init(&s, (uint32_t)b.strs_len);
	bt_type(&s, bt_str(&s, "st"), BK_KIND_STRUCT, 1, 0, 8);
	bt_word(&s, 1);
	bt_word(&s, 2);
	bt_word(&s, 0);
	bt_type(&s, 5, BK_KIND_TYPEDEF, 0, 0, 2);
	data = bt_blob_raw(&s, NULL, &n);
	/* a different base of the same string length: 5 is inside "xxxxxxxx" */
	bt_blob_init(&w, 0);
	bt_type(&w, bt_str(&w, "xxxxxxxxxxxx"), BK_KIND_INT, 0, 0, 4);
	bt_word(&w, 32);
	bt_type(&w, 0, BK_KIND_PTR, 0, 0, 1);
	wrong = parse_blob(&w, NULL, NULL);
	REQUIRE(wrong);
	REQUIRE(w.strs_len == b.strs_len);
	EXPECT_ERR(data, n, wrong, -EINVAL,
		   "name offset 5 points into the middle of a base string: does this split BTF belong to this base? (type [4], byte offset 48)");
	/* on the right base it parses; member names may point anywhere in a string, as in libbpf */
	{
		struct bk_btf *ok = bt_parse(data, n, base, NULL);

		CHECK(ok != NULL);
		bk_btf_free(ok);
		memcpy(s.types + 12, &(uint32_t){ 10 }, 4); /* member "int" of "long int" */
		free(data);
		data = bt_blob_raw(&s, NULL, &n);
		ok = bt_parse(data, n, base, NULL);
		CHECK(ok != NULL);
		if (ok)
			CHECK_STR(bk_btf_str(ok, bk_members(bk_btf_type(ok, 3))[0].name_off), "int");
		bk_btf_free(ok);
	}
	free(data);
	bk_btf_free(wrong);
	bk_btf_free(base);
	bt_blob_free(&b);
	bt_blob_free(&s);
	bt_blob_free(&w);
}

/* ---- header and section errors ------------------------------------- */

TEST(parse_err_empty_and_truncated)
{
	uint8_t hdr[24] = { 0x9f, 0xeb, 1, 0, 24 };

	EXPECT_ERR(hdr, 0, NULL, -EINVAL, "empty file: no BTF data");
	EXPECT_ERR(hdr, 6, NULL, -EINVAL,
		   "truncated BTF header: 6 bytes, need at least 24 (byte offset 0)");
	EXPECT_ERR(hdr, 20, NULL, -EINVAL,
		   "truncated BTF header: 20 bytes, need at least 24 (byte offset 0)");
	hdr[4] = 16;
	EXPECT_ERR(hdr, 24, NULL, -EINVAL,
		   "BTF header length 16 is smaller than the minimum 24 (byte offset 4)");
	hdr[4] = 100;
	EXPECT_ERR(hdr, 24, NULL, -EINVAL,
		   "BTF header length 100 is larger than the data (24 bytes) (byte offset 4)");
}

TEST(parse_err_bad_magic)
{
	uint8_t junk[32] = { 0x12, 0x34, 1, 0, 24 };

	EXPECT_ERR(junk, sizeof(junk), NULL, -EINVAL,
		   "not BTF: no BTF magic (0xeb9f), ELF header or known compression at byte offset 0");
}

static uint8_t *int_blob(struct bt_blob *b, const struct bt_raw_opts *o, size_t *n)
{
	bt_blob_init(b, 0);
	bt_type(b, bt_str(b, "int"), BK_KIND_INT, 0, 0, 4);
	bt_word(b, 32);
	return bt_blob_raw(b, o, n);
}

TEST(parse_err_sections)
{
	/* types 16 bytes at 0, strings "\0int\0" (5 bytes) at 16: 21 bytes of data */
	static const struct {
		struct bt_raw_opts o;
		const char *msg;
	} cases[] = {
		{ { .set_str_len = true, .str_len = 6 },
		  "string section (offset 16, length 6) runs past the end of the data (21 bytes after the header) (byte offset 16)" },
		{ { .set_str_off = true, .str_off = 0xfffffffe },
		  "string section (offset 4294967294, length 5) runs past the end of the data (21 bytes after the header) (byte offset 16)" },
		{ { .set_type_len = true, .type_len = 24 },
		  "type section (offset 0, length 24) runs past the end of the data (21 bytes after the header) (byte offset 8)" },
		{ { .set_type_len = true, .type_len = 20 },
		  "type section (offset 0, length 20) overlaps or follows the string section (offset 16) (byte offset 8)" },
		{ { .set_type_off = true, .set_type_len = true, .type_off = 2, .type_len = 12 },
		  "type section offset 2 is not 4-byte aligned (byte offset 8)" },
		{ { .set_type_len = true, .type_len = 14 },
		  "type section length 14 is not a multiple of 4 (byte offset 12)" },
		{ { .hdr_len = 32, .set_layout = true, .layout_off = 16, .layout_len = 2 },
		  "kind layout section (offset 16, length 2) is not 4-byte aligned (byte offset 24)" },
		{ { .hdr_len = 32, .set_layout = true, .layout_off = 12, .layout_len = 4 },
		  "kind layout section (offset 12, length 4) overlaps the type or string section (byte offset 24)" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct bt_blob b;
		size_t n;
		uint8_t *data = int_blob(&b, &cases[i].o, &n);

		EXPECT_ERR(data, n, NULL, -EINVAL, cases[i].msg);
		free(data);
		bt_blob_free(&b);
	}
}

TEST(parse_err_strings)
{
	struct bt_blob b;
	uint8_t *data;
	size_t n;
	struct bt_raw_opts o = { .set_str_len = true, .str_len = 0 };

	data = int_blob(&b, &o, &n);
	EXPECT_ERR(data, n, NULL, -EINVAL,
		   "string section is empty: base BTF probably missing, this looks like split BTF (byte offset 40)");
	free(data);
	bt_blob_free(&b);

	bt_blob_init(&b, 0);
	bt_type(&b, bt_str(&b, "int"), BK_KIND_INT, 0, 0, 4);
	bt_word(&b, 32);
	bt_str_bytes(&b, "abc", 3);
	EXPECT_BLOB_ERR(&b, NULL, NULL, -EINVAL, "string section is not NUL-terminated (byte offset 47)");
	bt_blob_free(&b);
}

TEST(parse_err_layout_entry)
{
	struct bt_blob b;

	bt_blob_init(&b, 0);
	bt_layout(&b, 22, 6, 0);
	bt_type(&b, bt_str(&b, "int"), BK_KIND_INT, 0, 0, 4);
	bt_word(&b, 32);
	bt_type(&b, 0, 22, 0, 0, 0);
	bt_word(&b, 0);
	bt_word(&b, 0);
	EXPECT_BLOB_ERR(&b, NULL, NULL, -EINVAL,
			"kind layout entry for kind 22 has sizes 6/0 that are not multiples of 4 (type [2], byte offset 48)");
	bt_blob_free(&b);
}

/* ---- record errors ---------------------------------------------------- */

TEST(parse_err_records)
{
	struct bt_blob b;

	/* 8 bytes left for a record */
	bt_blob_init(&b, 0);
	bt_type(&b, bt_str(&b, "int"), BK_KIND_INT, 0, 0, 4);
	bt_word(&b, 32);
	bt_word(&b, 0);
	bt_word(&b, 0);
	EXPECT_BLOB_ERR(&b, NULL, NULL, -EINVAL,
			"type record truncated: 8 bytes left in the type section, need 12 (type [2], byte offset 40)");
	bt_blob_free(&b);

	/* vlen too large for the bytes left */
	bt_blob_init(&b, 0);
	bt_type(&b, bt_str(&b, "s"), BK_KIND_STRUCT, 5, 0, 4);
	bt_word(&b, 0);
	bt_word(&b, 0);
	bt_word(&b, 0);
	EXPECT_BLOB_ERR(&b, NULL, NULL, -EINVAL,
			"STRUCT record with vlen 5 needs 72 bytes but only 24 are left in the type section (type [1], byte offset 24)");
	bt_blob_free(&b);

	/* 0xffffff enumerators: the size computation must not overflow */
	bt_blob_init(&b, 0);
	bt_type(&b, bt_str(&b, "e"), BK_KIND_ENUM, BK_MAX_VLEN, 0, 4);
	EXPECT_BLOB_ERR(&b, NULL, NULL, -EINVAL,
			"ENUM record with vlen 16777215 needs 134217732 bytes but only 12 are left in the type section (type [1], byte offset 24)");
	bt_blob_free(&b);
}

TEST(parse_err_names_and_ids)
{
	struct bt_blob b;

	/* type name out of range */
	bt_blob_init(&b, 0);
	bt_type(&b, 9999, BK_KIND_INT, 0, 0, 4);
	bt_word(&b, 32);
	EXPECT_BLOB_ERR(&b, NULL, NULL, -EINVAL,
			"name offset 9999 out of range (string section ends at 1) (type [1], byte offset 24)");
	bt_blob_free(&b);

	/* member 1 name out of range, member 0 type out of range */
	bt_blob_init(&b, 0);
	bt_type(&b, bt_str(&b, "int"), BK_KIND_INT, 0, 0, 4);
	bt_word(&b, 32);
	bt_type(&b, bt_str(&b, "s"), BK_KIND_STRUCT, 2, 0, 8);
	bt_word(&b, 0);
	bt_word(&b, 1);
	bt_word(&b, 0);
	bt_word(&b, 77);
	bt_word(&b, 1);
	bt_word(&b, 32);
	/* [2] at 24 + 16, members at +12: member 1 at 64 */
	EXPECT_BLOB_ERR(&b, NULL, NULL, -EINVAL,
			"name offset 77 out of range (string section ends at 7) (type [2], member 1, byte offset 64)");
	memcpy(b.types + 16 + 12 + 12 + 4, &(uint32_t){ 0 }, 4);
	memcpy(b.types + 16 + 12 + 4, &(uint32_t){ 3 }, 4);
	EXPECT_BLOB_ERR(&b, NULL, NULL, -EINVAL,
			"referenced type ID 3 out of range (last ID is 2) (type [2], member 0, byte offset 56)");
	bt_blob_free(&b);

	/* param, datasec entry, array, enumerator */
	bt_blob_init(&b, 0);
	bt_type(&b, 0, BK_KIND_FUNC_PROTO, 2, 0, 0);
	bt_word(&b, 0);
	bt_word(&b, 0);
	bt_word(&b, 0);
	bt_word(&b, 5);
	EXPECT_BLOB_ERR(&b, NULL, NULL, -EINVAL,
			"referenced type ID 5 out of range (last ID is 1) (type [1], param 1, byte offset 48)");
	bt_blob_free(&b);

	bt_blob_init(&b, 0);
	bt_type(&b, bt_str(&b, ".data"), BK_KIND_DATASEC, 1, 0, 4);
	bt_word(&b, 2);
	bt_word(&b, 0);
	bt_word(&b, 4);
	EXPECT_BLOB_ERR(&b, NULL, NULL, -EINVAL,
			"referenced type ID 2 out of range (last ID is 1) (type [1], entry 0, byte offset 36)");
	bt_blob_free(&b);

	bt_blob_init(&b, 0);
	bt_type(&b, 0, BK_KIND_ARRAY, 0, 0, 0);
	bt_word(&b, 0);
	bt_word(&b, 9);
	bt_word(&b, 1);
	EXPECT_BLOB_ERR(&b, NULL, NULL, -EINVAL,
			"referenced type ID 9 out of range (last ID is 1) (type [1], byte offset 40)");
	bt_blob_free(&b);

	bt_blob_init(&b, 0);
	bt_type(&b, bt_str(&b, "e"), BK_KIND_ENUM64, 1, 0, 8);
	bt_word(&b, 1000);
	bt_word(&b, 0);
	bt_word(&b, 0);
	EXPECT_BLOB_ERR(&b, NULL, NULL, -EINVAL,
			"name offset 1000 out of range (string section ends at 3) (type [1], enumerator 0, byte offset 36)");
	bt_blob_free(&b);
}

TEST(parse_err_kind_unkn_record)
{
	struct bt_blob b;

	bt_blob_init(&b, 0);
	bt_type(&b, bt_str(&b, "int"), BK_KIND_INT, 0, 0, 4);
	bt_word(&b, 32);
	bt_type(&b, 0, BK_KIND_UNKN, 0, 0, 0);
	EXPECT_BLOB_ERR(&b, NULL, NULL, -EINVAL,
			"record of kind 0 (UNKN): void is implicit and has no record (type [2], byte offset 40)");
	bt_blob_free(&b);
}

TEST(parse_err_func_not_proto)
{
	struct bt_blob b;

	bt_blob_init(&b, 0);
	bt_type(&b, bt_str(&b, "int"), BK_KIND_INT, 0, 0, 4);
	bt_word(&b, 32);
	bt_type(&b, bt_str(&b, "f"), BK_KIND_FUNC, 0, 0, 1);
	EXPECT_BLOB_ERR(&b, NULL, NULL, -EINVAL,
			"FUNC refers to type [1] which is INT, not FUNC_PROTO (type [2], byte offset 48)");
	bt_blob_free(&b);
}

TEST(parse_err_split_name_past_end)
{
	struct bt_blob b, s;
	struct bk_btf *base;

	base = small_base(&b); /* strings "\0int\0long int\0": 14 bytes */
	REQUIRE(base);
	bt_blob_init(&s, (uint32_t)b.strs_len);
	bt_type(&s, 40, BK_KIND_PTR, 0, 0, 1);
	bt_str(&s, "x");
	EXPECT_BLOB_ERR(&s, NULL, base, -EINVAL,
			"name offset 40 out of range (string section ends at 16): does this split BTF belong to this base? (type [3], byte offset 24)");
	bk_btf_free(base);
	bt_blob_free(&b);
	bt_blob_free(&s);
}

/* Errors inside an ELF file count byte offsets from the start of the file. */
TEST(parse_err_offsets_in_elf)
{
	struct bt_blob b;
	struct bt_elf_opts eo = { 0 };
	uint8_t *raw, *elf;
	size_t n, en;

	bt_blob_init(&b, 0);
	bt_type(&b, 9999, BK_KIND_INT, 0, 0, 4);
	bt_word(&b, 32);
	raw = bt_blob_raw(&b, NULL, &n);
	elf = bt_elf(raw, n, &eo, &en);
	/* .BTF starts right after the 64-byte ELF header */
	EXPECT_ERR(elf, en, NULL, -EINVAL,
		   "name offset 9999 out of range (string section ends at 1) (type [1], byte offset 88)");
	free(elf);
	raw[0] = 0x12;
	raw[1] = 0x34;
	elf = bt_elf(raw, n, &eo, &en);
	EXPECT_ERR(elf, en, NULL, -EINVAL, "bad BTF magic 0x3412, expected 0xeb9f (byte offset 64)");
	free(elf);
	free(raw);
	bt_blob_free(&b);
}
