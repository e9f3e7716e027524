// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Validator tests: one hand-built blob per kernel rule, checking the exact
 * message (the kernel's wording), type ID, member index and byte offset of
 * each problem, that every problem is reported (not just the first), split
 * BTF on its base, and long chains and cycles without recursion.
 */
#include <stdlib.h>

#include "vblob.h"
#include "btfkit/validate.h"
#include "btfkit/write.h"
#include "test.h"

#define MAXP 8

struct got {
	int n;
	char msg[MAXP][160];
	uint32_t id[MAXP];
	long member[MAXP];
	long long pos[MAXP];
};

static int collect(const struct bk_problem *p, void *ctx)
{
	struct got *g = ctx;

	if (g->n < MAXP) {
		snprintf(g->msg[g->n], sizeof(g->msg[0]), "%s", p->msg);
		g->id[g->n] = p->type_id;
		g->member[g->n] = p->member;
		g->pos[g->n] = p->byte_offset;
	}
	g->n++;
	return 0;
}

static struct tb B; /* large: static */

/* Validate raw data (on base, may be NULL); -1000 when it does not parse. */
static int run_data(const uint8_t *data, size_t len, struct bk_btf *base, unsigned flags,
		    struct got *g)
{
	struct bk_open_opts oo = { .sz = sizeof(oo), .base = base };
	struct bk_validate_opts vo = { .sz = sizeof(vo), .cb = collect, .ctx = g, .flags = flags };
	struct bk_btf *btf = bk_btf_from_mem(data, len, &oo);
	int n;

	memset(g, 0, sizeof(*g));
	if (!btf)
		return -1000;
	n = bk_btf_validate(btf, &vo);
	bk_btf_free(btf);
	return n;
}

static int run(struct tb *b, struct got *g)
{
	size_t len;
	uint8_t *data = tb_blob(b, &len);
	int n = run_data(data, len, NULL, 0, g);

	free(data);
	return n;
}

/* Exactly one problem with this message, on this type and member. */
#define EXPECT1(msg_, id_, member_)                                      \
	do {                                                             \
		struct got g_;                                           \
		int n_ = run(&B, &g_);                                   \
		CHECK_EQ(n_, 1);                                         \
		if (n_ >= 1) {                                           \
			CHECK_STR(g_.msg[0], msg_);                      \
			CHECK_EQ(g_.id[0], id_);                         \
			CHECK_EQ(g_.member[0], member_);                 \
		}                                                        \
	} while (0)

#define EXPECT_CLEAN()                                                   \
	do {                                                             \
		struct got g_;                                           \
		int n_ = run(&B, &g_);                                   \
		CHECK_EQ(n_, 0);                                         \
		if (n_ > 0)                                              \
			CHECK_STR(g_.msg[0], "(no problem)");            \
	} while (0)

/* int is always [1] */
static uint32_t base_int(void)
{
	tb_init(&B);
	return tb_int(&B, "int", 4, (BK_INT_SIGNED << 24) | 32);
}

TEST(validate_clean_blobs)
{
	struct got g;
	struct bk_btf *btf;

	base_int();
	EXPECT_CLEAN();
	/* the shipped object, as libbpf would load it, and the running kernel */
	btf = bk_btf_open("/sys/kernel/btf/vmlinux", NULL);
	if (btf) {
		CHECK_EQ(bk_btf_validate(btf, NULL), 0);
		bk_btf_free(btf);
	}
	(void)g;
}

TEST(validate_header_rules)
{
	struct got g;
	size_t len;
	uint8_t *d, *d2;

	base_int();
	d = tb_blob(&B, &len);
	d[2] = 2;
	CHECK_EQ(run_data(d, len, NULL, 0, &g), 1);
	CHECK_STR(g.msg[0], "Unsupported version");
	CHECK_EQ(g.pos[0], 2);
	d[2] = 1;
	d[3] = 4;
	CHECK_EQ(run_data(d, len, NULL, 0, &g), 1);
	CHECK_STR(g.msg[0], "Unsupported flags");
	d[3] = 0;

	/* trailing data after the strings */
	d2 = malloc(len + 4);
	memcpy(d2, d, len);
	memset(d2 + len, 0, 4);
	CHECK_EQ(run_data(d2, len + 4, NULL, 0, &g), 1);
	CHECK_STR(g.msg[0], "Unsupported section found");

	/* a 32-byte header: zero extra bytes are fine, non-zero ones are not */
	free(d2);
	d2 = malloc(len + 8);
	memcpy(d2, d, 24);
	memset(d2 + 24, 0, 8);
	memcpy(d2 + 32, d + 24, len - 24);
	d2[4] = 32;
	CHECK_EQ(run_data(d2, len + 8, NULL, 0, &g), 0);
	d2[27] = 1; /* layout_off */
	CHECK_EQ(run_data(d2, len + 8, NULL, 0, &g), 1);
	CHECK_STR(g.msg[0], "Unsupported btf_header");
	CHECK_EQ(g.pos[0], 27);
	free(d2);

	/* a gap between types and strings */
	{
		uint32_t str_off;

		d2 = malloc(len + 4);
		memcpy(d2, d, 24 + B.tlen);
		memset(d2 + 24 + B.tlen, 0, 4);
		memcpy(d2 + 28 + B.tlen, d + 24 + B.tlen, B.slen);
		memcpy(&str_off, d2 + 16, 4);
		str_off += 4;
		memcpy(d2 + 16, &str_off, 4);
		CHECK_EQ(run_data(d2, len + 4, NULL, 0, &g), 1);
		CHECK_STR(g.msg[0], "Unsupported section found");
		free(d2);
	}
	free(d);
}

TEST(validate_opposite_endian)
{
	struct got g;
	struct bk_btf *btf = bk_btf_open(bt_data("sample.bpf.o"), NULL);
	struct bk_validate_opts vo = { .sz = sizeof(vo), .cb = collect, .ctx = &g };

	REQUIRE(btf);
	memset(&g, 0, sizeof(g));
	/* the object as compiled: DATASEC sizes are filled in by libbpf at load */
	CHECK(bk_btf_validate(btf, &vo) > 0);
	CHECK_STR(g.msg[0], "Unexpected size");
	bk_btf_free(btf);

	base_int();
	{
		size_t len;
		uint8_t *d = tb_blob(&B, &len);

		/* swap the whole blob: header words, records, strings stay */
		for (size_t i = 4; i < 24 + B.tlen; i += 4) {
			uint32_t w;

			memcpy(&w, d + i, 4);
			w = __builtin_bswap32(w);
			memcpy(d + i, &w, 4);
		}
		d[0] = 0xeb;
		d[1] = 0x9f;
		/* checked as a kernel of the data's byte order would: clean */
		CHECK_EQ(run_data(d, len, NULL, 0, &g), 0);
		free(d);
	}
}

TEST(validate_int_rules)
{
	base_int();
	tb_type(&B, "i", BK_KIND_INT, 1, false, 4), tb_word(&B, 32);
	EXPECT1("vlen != 0", 2, -1);
	base_int();
	tb_type(&B, "i", BK_KIND_INT, 0, true, 4), tb_word(&B, 32);
	EXPECT1("Invalid btf_info kind_flag", 2, -1);
	base_int();
	tb_int(&B, "i", 4, 0x10000020);
	EXPECT1("Invalid int_data:10000020", 2, -1);
	base_int();
	tb_int(&B, "i", 16, 129);
	EXPECT1("nr_bits exceeds 128", 2, -1);
	base_int();
	tb_int(&B, "i", 4, 33);
	EXPECT1("nr_bits exceeds type_size", 2, -1);
	base_int();
	tb_int(&B, "i", 4, (3u << 24) | 32);
	EXPECT1("Unsupported encoding", 2, -1);
	base_int();
	tb_int(&B, "_Bool", 1, (BK_INT_BOOL << 24) | 8);
	tb_int(&B, "i128", 16, 128);
	EXPECT_CLEAN();
}

TEST(validate_common_rules)
{
	struct got g;

	base_int();
	tb_type(&B, NULL, BK_KIND_UNKN, 0, false, 0);
	/* Kind 0 is refused by the parser already (as by libbpf and the kernel). */
	CHECK_EQ(run(&B, &g), -1000);
	base_int();
	tb_type(&B, NULL, BK_KIND_PTR, 0, false, 1);
	memcpy(&B.types[16 + 4], &(uint32_t){ bk_info(BK_KIND_PTR, 0x10000, false) }, 4);
	EXPECT1("Invalid btf_info:2010000", 2, -1);
	/* byte offset of type [2]: header 24 + INT record 16 */
	base_int();
	tb_type(&B, "p", BK_KIND_PTR, 0, false, 1);
	CHECK_EQ(run(&B, &g), 1);
	CHECK_STR(g.msg[0], "Invalid name");
	CHECK_EQ(g.pos[0], 40);
}

TEST(validate_ref_rules)
{
	base_int();
	tb_type(&B, NULL, BK_KIND_TYPEDEF, 0, false, 1);
	EXPECT1("Invalid name", 2, -1);
	base_int();
	tb_type(&B, "9lives", BK_KIND_TYPEDEF, 0, false, 1);
	EXPECT1("Invalid name", 2, -1);
	base_int();
	tb_type(&B, NULL, BK_KIND_CONST, 1, false, 1);
	EXPECT1("vlen != 0", 2, -1);
	base_int();
	tb_type(&B, NULL, BK_KIND_VOLATILE, 0, true, 1);
	EXPECT1("Invalid btf_info kind_flag", 2, -1);
	base_int();
	tb_type(&B, NULL, BK_KIND_TYPE_TAG, 0, false, 1);
	EXPECT1("Invalid name", 2, -1);
	base_int();
	tb_type(&B, "user", BK_KIND_TYPE_TAG, 0, true, 1); /* type_attr: allowed */
	tb_type(&B, "a.b", BK_KIND_TYPEDEF, 0, false, 1);  /* dots are allowed */
	tb_type(&B, NULL, BK_KIND_RESTRICT, 0, false, 0);   /* restrict void */
	EXPECT_CLEAN();
}

TEST(validate_array_rules)
{
	base_int();
	tb_type(&B, NULL, BK_KIND_ARRAY, 0, false, 4), tb_word(&B, 1), tb_word(&B, 1), tb_word(&B, 2);
	EXPECT1("size != 0", 2, -1);
	base_int();
	tb_type(&B, NULL, BK_KIND_ARRAY, 0, false, 0), tb_word(&B, 0), tb_word(&B, 1), tb_word(&B, 2);
	EXPECT1("Invalid elem", 2, -1);
	base_int();
	tb_type(&B, NULL, BK_KIND_ARRAY, 0, false, 0), tb_word(&B, 1), tb_word(&B, 0), tb_word(&B, 2);
	EXPECT1("Invalid index", 2, -1);
	/* resolve: the index must be a regular int, an int element must be regular */
	base_int();
	tb_int(&B, "i3", 1, 3);
	tb_type(&B, NULL, BK_KIND_ARRAY, 0, false, 0), tb_word(&B, 1), tb_word(&B, 2), tb_word(&B, 2);
	EXPECT1("Invalid index", 3, -1);
	base_int();
	tb_int(&B, "i3", 1, 3);
	tb_type(&B, NULL, BK_KIND_ARRAY, 0, false, 0), tb_word(&B, 2), tb_word(&B, 1), tb_word(&B, 2);
	EXPECT1("Invalid array of int", 3, -1);
	base_int();
	tb_type(&B, NULL, BK_KIND_ARRAY, 0, false, 0), tb_word(&B, 1), tb_word(&B, 1),
		tb_word(&B, 0x40000000);
	EXPECT1("Array size overflows U32_MAX", 2, -1);
	base_int();
	tb_type(&B, "fw", BK_KIND_FWD, 0, false, 0);
	tb_type(&B, NULL, BK_KIND_ARRAY, 0, false, 0), tb_word(&B, 2), tb_word(&B, 1), tb_word(&B, 2);
	EXPECT1("Invalid elem", 3, -1);
}

TEST(validate_struct_rules)
{
	base_int();
	tb_type(&B, "s", BK_KIND_STRUCT, 2, false, 8);
	tb_member(&B, "a", 1, 32);
	tb_member(&B, "b", 1, 0);
	EXPECT1("Invalid member bits_offset", 2, 1);
	base_int();
	tb_type(&B, "u", BK_KIND_UNION, 1, false, 4);
	tb_member(&B, "a", 1, 8);
	EXPECT1("Invalid member bits_offset", 2, 0);
	base_int();
	tb_type(&B, "s", BK_KIND_STRUCT, 1, false, 4);
	tb_member(&B, "a", 1, 40);
	EXPECT1("Member bits_offset exceeds its struct size", 2, 0);
	base_int();
	tb_type(&B, "s", BK_KIND_STRUCT, 1, false, 4);
	tb_member(&B, "a-b", 1, 0);
	EXPECT1("Invalid name", 2, 0);
	base_int();
	tb_type(&B, "s", BK_KIND_STRUCT, 1, false, 4);
	tb_member(&B, "a", 0, 0);
	EXPECT1("Invalid type_id", 2, 0);
	/* resolve-time member checks */
	base_int();
	tb_type(&B, "s", BK_KIND_STRUCT, 1, false, 4);
	tb_member(&B, "a", 1, 8);
	EXPECT1("Member exceeds struct_size", 2, 0);
	base_int();
	tb_type(&B, NULL, BK_KIND_PTR, 0, false, 1);
	tb_type(&B, "s", BK_KIND_STRUCT, 1, false, 16);
	tb_member(&B, "p", 2, 4);
	EXPECT1("Member is not byte aligned", 3, 0);
	base_int();
	tb_type(&B, "s", BK_KIND_STRUCT, 1, true, 4);
	tb_member(&B, "b", 1, (33u << 24) | 0);
	EXPECT1("Invalid member bitfield_size", 2, 0);
	base_int();
	tb_type(&B, "s", BK_KIND_STRUCT, 1, true, 4);
	tb_member(&B, "b", 1, 4);
	EXPECT1("Invalid member offset", 2, 0);
	base_int();
	tb_type(&B, "d", BK_KIND_FLOAT, 0, false, 8);
	tb_type(&B, "s", BK_KIND_STRUCT, 1, false, 16);
	tb_member(&B, "d", 2, 32);
	EXPECT1("Member is not properly aligned", 3, 0);
	base_int();
	tb_type(&B, NULL, BK_KIND_FUNC_PROTO, 0, false, 0);
	tb_type(&B, "s", BK_KIND_STRUCT, 1, false, 8);
	tb_member(&B, "f", 2, 0);
	EXPECT1("Invalid member", 3, 0);
	/* bitfields that fit */
	base_int();
	tb_type(&B, "s", BK_KIND_STRUCT, 3, true, 8);
	tb_member(&B, "a", 1, (3u << 24) | 0);
	tb_member(&B, "b", 1, (29u << 24) | 3);
	tb_member(&B, NULL, 1, 32);
	EXPECT_CLEAN();
}

TEST(validate_enum_fwd_func_rules)
{
	base_int();
	tb_type(&B, "e", BK_KIND_ENUM, 0, false, 3);
	EXPECT1("Unexpected size", 2, -1);
	base_int();
	tb_type(&B, "e", BK_KIND_ENUM, 2, false, 4);
	tb_word(&B, tb_str(&B, "A")), tb_word(&B, 0);
	tb_word(&B, 0), tb_word(&B, 1);
	EXPECT1("Invalid name", 2, 1);
	base_int();
	tb_type(&B, "e", BK_KIND_ENUM64, 1, true, 8);
	tb_word(&B, tb_str(&B, "A")), tb_word(&B, 0), tb_word(&B, 1);
	EXPECT_CLEAN();
	base_int();
	tb_type(&B, "fw", BK_KIND_FWD, 0, false, 1);
	EXPECT1("type != 0", 2, -1);
	base_int();
	tb_type(&B, "p", BK_KIND_FUNC_PROTO, 0, false, 0);
	EXPECT1("Invalid name", 2, -1);
	base_int();
	tb_type(&B, NULL, BK_KIND_FUNC_PROTO, 0, false, 0);
	tb_type(&B, "f", BK_KIND_FUNC, 2, false, 2);
	EXPECT1("Invalid func linkage", 3, -1);
	base_int();
	tb_type(&B, NULL, BK_KIND_FUNC_PROTO, 1, false, 0);
	tb_word(&B, 0), tb_word(&B, 1);
	tb_type(&B, "f", BK_KIND_FUNC, 0, false, 2);
	EXPECT1("Invalid arg#1", 3, -1);
	base_int();
	tb_type(&B, NULL, BK_KIND_FUNC_PROTO, 2, false, 1);
	tb_word(&B, 0), tb_word(&B, 0);
	tb_word(&B, tb_str(&B, "a")), tb_word(&B, 1);
	EXPECT1("Invalid arg#1", 2, 0);
	base_int();
	tb_type(&B, "fw", BK_KIND_FWD, 0, false, 0);
	tb_type(&B, NULL, BK_KIND_FUNC_PROTO, 0, false, 2);
	EXPECT1("Invalid return type", 3, -1);
	/* varargs last, global func: fine */
	base_int();
	tb_type(&B, NULL, BK_KIND_FUNC_PROTO, 2, false, 1);
	tb_word(&B, tb_str(&B, "fmt")), tb_word(&B, 1);
	tb_word(&B, 0), tb_word(&B, 0);
	tb_type(&B, "printf", BK_KIND_FUNC, 1, false, 2);
	EXPECT_CLEAN();
}

TEST(validate_var_datasec_rules)
{
	base_int();
	tb_type(&B, "v", BK_KIND_VAR, 0, false, 1), tb_word(&B, 2);
	EXPECT1("Linkage not supported", 2, -1);
	base_int();
	tb_type(&B, "fw", BK_KIND_FWD, 0, false, 0);
	tb_type(&B, "v", BK_KIND_VAR, 0, false, 2), tb_word(&B, 0);
	EXPECT1("Invalid type_id", 3, -1);
	base_int();
	tb_type(&B, ".data", BK_KIND_DATASEC, 0, false, 0);
	EXPECT1("size == 0", 2, -1);
	base_int();
	tb_type(&B, "v", BK_KIND_VAR, 0, false, 1), tb_word(&B, 1);
	tb_type(&B, ".data x", BK_KIND_DATASEC, 2, false, 8);
	tb_word(&B, 2), tb_word(&B, 0), tb_word(&B, 4);
	tb_word(&B, 2), tb_word(&B, 2), tb_word(&B, 4);
	EXPECT1("Invalid offset", 3, 1);
	base_int();
	tb_type(&B, ".data", BK_KIND_DATASEC, 1, false, 8);
	tb_word(&B, 1), tb_word(&B, 0), tb_word(&B, 4);
	EXPECT1("Not a VAR kind member", 2, 0);
	base_int();
	tb_type(&B, "v", BK_KIND_VAR, 0, false, 1), tb_word(&B, 1);
	tb_type(&B, ".data", BK_KIND_DATASEC, 1, false, 8);
	tb_word(&B, 2), tb_word(&B, 0), tb_word(&B, 2);
	EXPECT1("Invalid size", 3, 0);
	base_int();
	tb_type(&B, "v", BK_KIND_VAR, 0, false, 1), tb_word(&B, 1);
	tb_type(&B, NULL, BK_KIND_PTR, 0, false, 2);
	EXPECT1("Invalid type_id", 3, -1);
}

TEST(validate_tag_rules)
{
	base_int();
	tb_type(&B, "t", BK_KIND_DECL_TAG, 0, false, 1), tb_word(&B, (uint32_t)-1);
	EXPECT1("Invalid type_id", 2, -1);
	base_int();
	tb_type(&B, NULL, BK_KIND_DECL_TAG, 0, false, 1), tb_word(&B, (uint32_t)-1);
	EXPECT1("Invalid value", 2, -1);
	base_int();
	tb_type(&B, "s", BK_KIND_STRUCT, 1, false, 4);
	tb_member(&B, "a", 1, 0);
	tb_type(&B, "t", BK_KIND_DECL_TAG, 0, false, 2), tb_word(&B, 1);
	EXPECT1("Invalid component_idx", 3, -1);
	base_int();
	tb_type(&B, "s", BK_KIND_STRUCT, 0, false, 4);
	tb_type(&B, "t", BK_KIND_DECL_TAG, 0, false, 2), tb_word(&B, (uint32_t)-2);
	EXPECT1("Invalid component_idx", 3, -1);
	/* type tags must come first in a modifier chain */
	base_int();
	tb_type(&B, NULL, BK_KIND_CONST, 0, false, 3);
	tb_type(&B, "user", BK_KIND_TYPE_TAG, 0, false, 1);
	tb_type(&B, NULL, BK_KIND_PTR, 0, false, 2);
	EXPECT1("Type tags don't precede modifiers", 2, -1);
	base_int();
	tb_type(&B, "user", BK_KIND_TYPE_TAG, 0, false, 3);
	tb_type(&B, NULL, BK_KIND_CONST, 0, false, 1);
	tb_type(&B, NULL, BK_KIND_PTR, 0, false, 2);
	EXPECT_CLEAN();
}

TEST(validate_loops_and_depth)
{
	struct got g;

	base_int();
	tb_type(&B, "t", BK_KIND_TYPEDEF, 0, false, 2);
	EXPECT1("Loop detected", 2, -1);
	base_int();
	tb_type(&B, "s", BK_KIND_STRUCT, 1, false, 4);
	tb_member(&B, "a", 3, 0);
	tb_type(&B, "t", BK_KIND_TYPEDEF, 0, false, 2);
	EXPECT1("Loop detected", 2, -1);
	/* a pointer cycle is fine */
	base_int();
	tb_type(&B, "s", BK_KIND_STRUCT, 1, false, 8);
	tb_member(&B, "next", 3, 0);
	tb_type(&B, NULL, BK_KIND_PTR, 0, false, 2);
	EXPECT_CLEAN();
	/* 32 typedefs resolve, 33 do not */
	for (int len = 32; len <= 33; len++) {
		base_int();
		for (int i = 0; i < len; i++)
			tb_type(&B, "t", BK_KIND_TYPEDEF, 0, false, i == len - 1 ? 1 : 3 + (uint32_t)i);
		if (len == 32) {
			EXPECT_CLEAN();
		} else {
			EXPECT1("Exceeded max resolving depth:32", 2, -1);
		}
	}
	/* a 5,000-long chain and a 5,000-long cycle: no recursion, bounded reports */
	base_int();
	for (uint32_t i = 0; i < 5000; i++)
		tb_type(&B, "t", BK_KIND_TYPEDEF, 0, false, i == 4999 ? 1 : 3 + i);
	CHECK_EQ(run(&B, &g), 5000 / 32);
	CHECK_STR(g.msg[0], "Exceeded max resolving depth:32");
	base_int();
	for (uint32_t i = 0; i < 5000; i++)
		tb_type(&B, NULL, BK_KIND_CONST, 0, false, i == 4999 ? 2 : 3 + i);
	CHECK(run(&B, &g) > 0);
	CHECK_STR(g.msg[0], "Exceeded max resolving depth:32");
}

TEST(validate_reports_every_problem)
{
	struct got g;

	base_int();
	tb_type(&B, "a b", BK_KIND_TYPEDEF, 0, false, 1);     /* 2 */
	tb_type(&B, "f", BK_KIND_FLOAT, 0, false, 3);         /* 3 */
	tb_type(&B, "s", BK_KIND_STRUCT, 3, false, 4);        /* 4 */
	tb_member(&B, "x", 1, 0);
	tb_member(&B, "1y", 1, 0);
	tb_member(&B, "z", 0, 0);
	tb_type(&B, NULL, BK_KIND_PTR, 0, false, 4);          /* 5: fine */
	tb_type(&B, "t", BK_KIND_TYPEDEF, 0, false, 6);       /* 6: loop */
	CHECK_EQ(run(&B, &g), 5);
	CHECK_STR(g.msg[0], "Invalid name");
	CHECK_EQ(g.id[0], 2);
	CHECK_STR(g.msg[1], "Invalid type_size");
	CHECK_EQ(g.id[1], 3);
	CHECK_STR(g.msg[2], "Invalid name");
	CHECK_EQ(g.id[2], 4);
	CHECK_EQ(g.member[2], 1);
	CHECK_STR(g.msg[3], "Invalid type_id");
	CHECK_EQ(g.member[3], 2);
	CHECK_EQ(g.pos[3], 24 + 16 + 12 + 12 + 12 + 24);
	CHECK_STR(g.msg[4], "Loop detected");
	CHECK_EQ(g.id[4], 6);
}

TEST(validate_split_on_base)
{
	struct bk_btf *base;
	struct got g;
	uint8_t *bd, *sd;
	size_t blen, slen;

	/* base: [1] int, [2] struct s { int a; } */
	base_int();
	tb_type(&B, "s", BK_KIND_STRUCT, 1, false, 4);
	tb_member(&B, "a", 1, 0);
	bd = tb_blob(&B, &blen);
	base = bk_btf_from_mem(bd, blen, NULL);
	REQUIRE(base);

	/* split: [3] ptr -> s (fine), [4] typedef loop, [5] 'x y' struct */
	tb_init_split(&B, 3, (uint32_t)B.slen);
	tb_type(&B, NULL, BK_KIND_PTR, 0, false, 2);
	tb_type(&B, "t", BK_KIND_TYPEDEF, 0, false, 4);
	tb_type(&B, "x y", BK_KIND_STRUCT, 0, false, 0);
	sd = tb_blob(&B, &slen);
	CHECK_EQ(run_data(sd, slen, base, 0, &g), 2);
	CHECK_STR(g.msg[0], "Invalid name");
	CHECK_EQ(g.id[0], 5);
	CHECK_STR(g.msg[1], "Loop detected");
	CHECK_EQ(g.id[1], 4);
	/* as the kernel loads module BTF: no resolve pass */
	CHECK_EQ(run_data(sd, slen, base, BK_VALIDATE_KERNEL_MODULE, &g), 2);
	CHECK_STR(g.msg[0], "Invalid name");
	CHECK_STR(g.msg[1], "Max chain length or cycle detected"); /* the type-tag walk */
	free(sd);

	/* split with no types and no strings is fine for modules */
	tb_init_split(&B, 3, 0);
	sd = tb_blob(&B, &slen);
	CHECK_EQ(run_data(sd, slen, base, 0, &g), 0);
	free(sd);
	bk_btf_free(base);
	free(bd);
}

TEST(validate_where_and_stop)
{
	struct bk_problem p = { .type_id = 7, .kind = BK_KIND_STRUCT, .name = "", .member = 2,
				.byte_offset = 99, .msg = "x" };
	char buf[128];

	CHECK(bk_problem_where(&p, buf, sizeof(buf)) > 0);
	CHECK_STR(buf, "type [7] STRUCT '(anon)', member 2, byte offset 99");
	p.type_id = 0;
	p.member = -1;
	bk_problem_where(&p, buf, sizeof(buf));
	CHECK_STR(buf, "byte offset 99");
	CHECK_EQ(bk_btf_validate(NULL, NULL), -EINVAL);
}

TEST(validate_special_fields)
{
	uint32_t lock, node, head, holder;
	struct got g;

	/* two bpf_spin_lock members */
	base_int();
	lock = tb_type(&B, "bpf_spin_lock", BK_KIND_STRUCT, 1, false, 4);
	tb_member(&B, "val", 1, 0);
	tb_type(&B, "s", BK_KIND_STRUCT, 2, false, 8);
	tb_member(&B, "a", lock, 0);
	tb_member(&B, "b", lock, 32);
	EXPECT1("Duplicate bpf_spin_lock (special field check)", 3, 1);
	/* a list head needs a "contains:" tag naming a struct with a list node */
	base_int();
	lock = tb_type(&B, "bpf_spin_lock", BK_KIND_STRUCT, 1, false, 4);
	tb_member(&B, "val", 1, 0);
	node = tb_type(&B, "bpf_list_node", BK_KIND_STRUCT, 1, false, 24);
	tb_member(&B, "x", 1, 0);
	head = tb_type(&B, "bpf_list_head", BK_KIND_STRUCT, 1, false, 16);
	tb_member(&B, "x", 1, 0);
	tb_type(&B, "foo", BK_KIND_STRUCT, 1, false, 24);
	tb_member(&B, "node", node, 0);
	holder = tb_type(&B, "holder", BK_KIND_STRUCT, 2, false, 24);
	tb_member(&B, "head", head, 0);
	tb_member(&B, "lock", lock, 128);
	CHECK_EQ(run(&B, &g), 1);
	CHECK_STR(g.msg[0], "bpf_list_head needs exactly one \"contains:TYPE:MEMBER\" decl tag, found 0 (special field check)");
	CHECK_EQ(g.id[0], holder);
	tb_type(&B, "contains:foo:node", BK_KIND_DECL_TAG, 0, false, holder), tb_word(&B, 0);
	EXPECT_CLEAN();
	tb_type(&B, "contains:foo:node", BK_KIND_DECL_TAG, 0, false, holder), tb_word(&B, 0);
	EXPECT1("bpf_list_head needs exactly one \"contains:TYPE:MEMBER\" decl tag, found 2 (special field check)",
		holder, 0);
}

/* New and modified BTF: the header is checked as it would be written. */
TEST(validate_writer_built)
{
	struct bk_validate_opts vo = { .sz = sizeof(vo) };
	struct bk_btf *w = bk_btf_new_empty(NULL), *sample;
	struct got g;
	int i32, s;

	REQUIRE(w);
	vo.cb = collect;
	vo.ctx = &g;
	i32 = bk_btf_add_int(w, "int", 4, BK_INT_SIGNED);
	s = bk_btf_add_struct(w, "s", 8);
	bk_btf_add_field(w, "a", i32, 0, 0);
	bk_btf_add_field(w, "b", i32, 32, 0);
	memset(&g, 0, sizeof(g));
	CHECK_EQ(bk_btf_validate(w, &vo), 0);
	/* a member past the end of its struct */
	bk_btf_add_struct(w, "t", 4);
	bk_btf_add_field(w, "a", i32, 64, 0);
	CHECK_EQ(bk_btf_validate(w, &vo), 1);
	CHECK_STR(g.msg[0], "Member bits_offset exceeds its struct size");
	CHECK_EQ(g.id[0], s + 1);
	CHECK_EQ(g.member[0], 0);
	bk_btf_free(w);

	/* a parsed object modified by the writer: the object file's problems stay */
	sample = bk_btf_open(bt_data("sample.bpf.o"), NULL);
	REQUIRE(sample);
	memset(&g, 0, sizeof(g));
	CHECK_EQ(bk_btf_validate(sample, &vo), 5);
	CHECK(bk_btf_add_int(sample, "wide", 16, 0) > 0);
	memset(&g, 0, sizeof(g));
	CHECK_EQ(bk_btf_validate(sample, &vo), 5);
	bk_btf_free(sample);
}
