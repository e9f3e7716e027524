// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Writer tests: every adder (exact raw text dump of the result), every
 * argument check (refused, object byte-for-byte unchanged), string dedup,
 * parsed objects becoming modifiable, serialization in both byte orders,
 * split BTF (IDs after the base, base strings reused, split on split, empty
 * split), copying one type and appending whole objects.
 */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test.h"
#include "btfkit/write.h"
#include "write/write_int.h"

/* Serialized bytes of btf, for "unchanged" checks. */
struct snap {
	void *data;
	size_t size;
	uint32_t cnt;
};

static void snap_take(struct snap *s, const struct bk_btf *btf)
{
	s->data = NULL;
	s->size = 0;
	s->cnt = bk_btf_type_cnt(btf);
	if (bk_btf_serialize(btf, &s->data, &s->size))
		s->data = NULL;
}

static bool snap_same(struct snap *s, const struct bk_btf *btf)
{
	struct snap now;
	bool same;

	snap_take(&now, btf);
	same = s->data && now.data && s->size == now.size && s->cnt == now.cnt &&
	       !memcmp(s->data, now.data, s->size);
	free(now.data);
	return same;
}

/* err must be the expected error and btf must be unchanged. */
#define CHECK_REFUSED(btf, call, expect)                                     \
	do {                                                                 \
		struct snap _s;                                              \
		snap_take(&_s, btf);                                         \
		CHECK_EQ(call, expect);                                      \
		if (!snap_same(&_s, btf))                                    \
			bt_fail(__FILE__, __LINE__, "%s changed the BTF", #call); \
		free(_s.data);                                               \
	} while (0)

#define CHECK_DUMP(btf, text)                                                \
	do {                                                                 \
		char *_d = bt_dump_raw(btf);                                 \
		CHECK_STR(_d, text);                                         \
		free(_d);                                                    \
	} while (0)

static const char all_kinds_dump[] =
	"[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED\n"
	"[2] INT 'char' size=1 bits_offset=0 nr_bits=8 encoding=CHAR\n"
	"[3] INT '_Bool' size=1 bits_offset=0 nr_bits=8 encoding=BOOL\n"
	"[4] INT 'unsigned __int128' size=16 bits_offset=0 nr_bits=128 encoding=(none)\n"
	"[5] FLOAT 'double' size=8\n"
	"[6] PTR '(anon)' type_id=0\n"
	"[7] ARRAY '(anon)' type_id=2 index_type_id=1 nr_elems=16\n"
	"[8] STRUCT 's' size=24 vlen=4\n"
	"\t'a' type_id=1 bits_offset=0\n"
	"\t'b' type_id=1 bits_offset=32 bitfield_size=3\n"
	"\t'p' type_id=6 bits_offset=64\n"
	"\t'(anon)' type_id=7 bits_offset=128\n"
	"[9] UNION 'u' size=8 vlen=2\n"
	"\t'x' type_id=1 bits_offset=0\n"
	"\t'y' type_id=5 bits_offset=0\n"
	"[10] STRUCT '(anon)' size=0 vlen=0\n"
	"[11] ENUM 'e' encoding=SIGNED size=4 vlen=3\n"
	"\t'A' val=-1\n"
	"\t'B' val=5\n"
	"\t'C' val=-2147483648\n"
	"[12] ENUM '(anon)' encoding=UNSIGNED size=1 vlen=1\n"
	"\t'D' val=4294967295\n"
	"[13] ENUM64 'e64' encoding=UNSIGNED size=8 vlen=1\n"
	"\t'E' val=1099511627775ULL\n"
	"[14] ENUM64 's64' encoding=SIGNED size=8 vlen=1\n"
	"\t'F' val=-1LL\n"
	"[15] FWD 'fs' fwd_kind=struct\n"
	"[16] FWD 'fu' fwd_kind=union\n"
	"[17] ENUM 'fe' encoding=UNSIGNED size=4 vlen=0\n"
	"[18] TYPEDEF 'td' type_id=8\n"
	"[19] VOLATILE '(anon)' type_id=1\n"
	"[20] CONST '(anon)' type_id=19\n"
	"[21] RESTRICT '(anon)' type_id=6\n"
	"[22] TYPE_TAG 'tag' type_id=6\n"
	"[23] TYPE_TAG 'attr' type_id=6\n"
	"[24] FUNC_PROTO '(anon)' ret_type_id=1 vlen=3\n"
	"\t'x' type_id=1\n"
	"\t'(anon)' type_id=6\n"
	"\t'(anon)' type_id=0\n"
	"[25] FUNC 'fn' type_id=24 linkage=global\n"
	"[26] FUNC 'sfn' type_id=24 linkage=static\n"
	"[27] FUNC 'efn' type_id=24 linkage=extern\n"
	"[28] VAR 'v' type_id=1, linkage=global\n"
	"[29] VAR 'sv' type_id=1, linkage=static\n"
	"[30] DATASEC '.data' size=8 vlen=2\n"
	"\ttype_id=28 offset=0 size=4 (VAR 'v')\n"
	"\ttype_id=29 offset=4 size=4 (VAR 'sv')\n"
	"[31] DECL_TAG 'dt' type_id=25 component_idx=-1\n"
	"[32] DECL_TAG 'dt2' type_id=8 component_idx=1\n"
	"[33] DECL_TAG 'dattr' type_id=25 component_idx=0\n";

/* Build the all-kinds BTF above; returns NULL if any call fails. */
static struct bk_btf *build_all_kinds(struct bk_btf *base)
{
	struct bk_btf *b = bk_btf_new_empty(base);
	int ok = 1;

	if (!b)
		return NULL;
#define A(call) ok &= (call) >= 0
	A(bk_btf_add_int(b, "int", 4, BK_INT_SIGNED));
	A(bk_btf_add_int(b, "char", 1, BK_INT_CHAR));
	A(bk_btf_add_int(b, "_Bool", 1, BK_INT_BOOL));
	A(bk_btf_add_int(b, "unsigned __int128", 16, 0));
	A(bk_btf_add_float(b, "double", 8));
	A(bk_btf_add_ptr(b, 0));
	A(bk_btf_add_array(b, 1, 2, 16));
	A(bk_btf_add_struct(b, "s", 24));
	A(bk_btf_add_field(b, "a", 1, 0, 0));
	A(bk_btf_add_field(b, "b", 1, 32, 3));
	A(bk_btf_add_field(b, "p", 6, 64, 0));
	A(bk_btf_add_field(b, NULL, 7, 128, 0));
	A(bk_btf_add_union(b, "u", 8));
	A(bk_btf_add_field(b, "x", 1, 0, 0));
	A(bk_btf_add_field(b, "y", 5, 0, 0));
	A(bk_btf_add_struct(b, "", 0));
	A(bk_btf_add_enum(b, "e", 4));
	A(bk_btf_add_enum_value(b, "A", -1));
	A(bk_btf_add_enum_value(b, "B", 5));
	A(bk_btf_add_enum_value(b, "C", INT32_MIN));
	A(bk_btf_add_enum(b, NULL, 1));
	A(bk_btf_add_enum_value(b, "D", UINT32_MAX));
	A(bk_btf_add_enum64(b, "e64", 8, false));
	A(bk_btf_add_enum64_value(b, "E", 0xffffffffffULL));
	A(bk_btf_add_enum64(b, "s64", 8, true));
	A(bk_btf_add_enum64_value(b, "F", UINT64_MAX));
	A(bk_btf_add_fwd(b, "fs", BK_FWD_STRUCT));
	A(bk_btf_add_fwd(b, "fu", BK_FWD_UNION));
	A(bk_btf_add_fwd(b, "fe", BK_FWD_ENUM));
	A(bk_btf_add_typedef(b, "td", 8));
	A(bk_btf_add_volatile(b, 1));
	A(bk_btf_add_const(b, 19));
	A(bk_btf_add_restrict(b, 6));
	A(bk_btf_add_type_tag(b, "tag", 6));
	A(bk_btf_add_type_attr(b, "attr", 6));
	A(bk_btf_add_func_proto(b, 1));
	A(bk_btf_add_func_param(b, "x", 1));
	A(bk_btf_add_func_param(b, "", 6));
	A(bk_btf_add_func_param(b, NULL, 0));
	A(bk_btf_add_func(b, "fn", BK_LINKAGE_GLOBAL, 24));
	A(bk_btf_add_func(b, "sfn", BK_LINKAGE_STATIC, 24));
	A(bk_btf_add_func(b, "efn", BK_LINKAGE_EXTERN, 24));
	A(bk_btf_add_var(b, "v", 1, 1));
	A(bk_btf_add_var(b, "sv", 0, 1));
	A(bk_btf_add_datasec(b, ".data", 8));
	A(bk_btf_add_datasec_var_info(b, 28, 0, 4));
	A(bk_btf_add_datasec_var_info(b, 29, 4, 4));
	A(bk_btf_add_decl_tag(b, "dt", 25, -1));
	A(bk_btf_add_decl_tag(b, "dt2", 8, 1));
	A(bk_btf_add_decl_attr(b, "dattr", 25, 0));
#undef A
	if (!ok) {
		bk_btf_free(b);
		return NULL;
	}
	return b;
}

TEST(write_all_kinds)
{
	struct bk_btf *b = build_all_kinds(NULL);
	const struct bk_type *t;

	REQUIRE(b);
	CHECK_EQ(bk_btf_type_cnt(b), 34);
	CHECK_DUMP(b, all_kinds_dump);
	/* kflag forms: bitfield struct, signed enum, attrs */
	CHECK(bk_kflag(bk_btf_type(b, 8)));
	CHECK(!bk_kflag(bk_btf_type(b, 9)));
	CHECK(bk_kflag(bk_btf_type(b, 11)));
	CHECK(!bk_kflag(bk_btf_type(b, 22)));
	CHECK(bk_kflag(bk_btf_type(b, 23)));
	CHECK(!bk_kflag(bk_btf_type(b, 31)));
	CHECK(bk_kflag(bk_btf_type(b, 33)));
	t = bk_btf_type(b, 8);
	CHECK_EQ(bk_members(t)[1].offset, (3u << 24) | 32);
	CHECK_EQ(bk_btf_find(b, "td", BK_KIND_TYPEDEF), 18);
	bk_btf_free(b);
}

TEST(write_serialize_both_orders)
{
	struct bk_btf *b = build_all_kinds(NULL), *le, *be;
	void *d1, *d2, *d3;
	size_t n1, n2, n3;

	REQUIRE(b);
	REQUIRE(bk_btf_set_endian(b, BK_ENDIAN_LITTLE) == 0);
	REQUIRE(bk_btf_serialize(b, &d1, &n1) == 0);
	REQUIRE(bk_btf_set_endian(b, BK_ENDIAN_BIG) == 0);
	CHECK_EQ(bk_btf_endian(b), BK_ENDIAN_BIG);
	REQUIRE(bk_btf_serialize(b, &d2, &n2) == 0);
	CHECK_EQ(n1, n2);
	CHECK_EQ(bk_btf_set_endian(b, (enum bk_endian)7), -EINVAL);
	/* header: LE magic, version 1, flags 0, hdr_len 24, types then strings */
	CHECK(!memcmp(d1, "\x9f\xeb\x01\x00\x18\x00\x00\x00\x00\x00\x00\x00", 12));
	CHECK(!memcmp(d2, "\xeb\x9f\x01\x00\x00\x00\x00\x18\x00\x00\x00\x00", 12));
	le = bk_btf_from_mem(d1, n1, NULL);
	be = bk_btf_from_mem(d2, n2, NULL);
	REQUIRE(le && be);
	CHECK_EQ(bk_btf_endian(be), BK_ENDIAN_BIG);
	CHECK_DUMP(le, all_kinds_dump);
	CHECK_DUMP(be, all_kinds_dump);
	/* big-endian input re-serialized little-endian gives the LE bytes */
	REQUIRE(bk_btf_set_endian(be, BK_ENDIAN_LITTLE) == 0);
	REQUIRE(bk_btf_serialize(be, &d3, &n3) == 0);
	CHECK(n3 == n1 && !memcmp(d1, d3, n1));
	free(d1);
	free(d2);
	free(d3);
	bk_btf_free(le);
	bk_btf_free(be);
	bk_btf_free(b);
}

TEST(write_empty)
{
	struct bk_btf *b = bk_btf_new_empty(NULL), *p;
	void *d;
	size_t n;

	REQUIRE(b);
	REQUIRE(bk_btf_serialize(b, &d, &n) == 0);
	/* as libbpf 1.1.2: 24-byte header and the empty string */
	CHECK_EQ(n, 25);
	CHECK(!memcmp(d, "\x9f\xeb\x01\x00\x18\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
			 "\x00\x00\x00\x00\x01\x00\x00\x00\x00", 25));
	p = bk_btf_from_mem(d, n, NULL);
	REQUIRE(p);
	CHECK_EQ(bk_btf_type_cnt(p), 1);
	free(d);
	bk_btf_free(p);
	bk_btf_free(b);
}

TEST(write_string_dedup)
{
	struct bk_btf *b = bk_btf_new_empty(NULL);
	void *d;
	size_t n;

	REQUIRE(b);
	CHECK_EQ(bk_btf_add_str(b, ""), 0);
	CHECK_EQ(bk_btf_add_str(b, "foo"), 1);
	CHECK_EQ(bk_btf_add_str(b, "bar"), 5);
	CHECK_EQ(bk_btf_add_str(b, "foo"), 1);
	CHECK_EQ(bk_btf_find_str(b, "bar"), 5);
	CHECK_EQ(bk_btf_find_str(b, "oo"), -ENOENT); /* suffixes are not indexed */
	CHECK_EQ(bk_btf_find_str(b, "baz"), -ENOENT);
	CHECK_EQ(bk_btf_add_int(b, "foo", 4, 0), 1);
	CHECK_EQ(bk_btf_add_struct(b, "bar", 4), 2);
	CHECK_EQ(bk_btf_add_field(b, "foo", 1, 0, 0), 0);
	CHECK_EQ(bk_btf_add_str(b, NULL), -EINVAL);
	CHECK_EQ(bk_btf_find_str(b, NULL), -EINVAL);
	REQUIRE(bk_btf_serialize(b, &d, &n) == 0);
	CHECK_EQ(n, 24 + 16 + 24 + 9);
	CHECK(!memcmp((char *)d + n - 9, "\0foo\0bar\0", 9));
	CHECK_DUMP(b, "[1] INT 'foo' size=4 bits_offset=0 nr_bits=32 encoding=(none)\n"
		      "[2] STRUCT 'bar' size=4 vlen=1\n"
		      "\t'foo' type_id=1 bits_offset=0\n");
	free(d);
	bk_btf_free(b);
}

TEST(write_errors_int_float)
{
	struct bk_btf *b = bk_btf_new_empty(NULL);

	REQUIRE(b);
	REQUIRE(bk_btf_add_int(b, "int", 4, BK_INT_SIGNED) == 1);
	CHECK_REFUSED(b, bk_btf_add_int(b, NULL, 4, 0), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_int(b, "", 4, 0), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_int(b, "x", 0, 0), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_int(b, "x", 3, 0), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_int(b, "x", 32, 0), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_int(b, "x", 4, 8), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_int(b, "x", 4, -1), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_float(b, "f", 1), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_float(b, "f", 6), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_float(b, "f", 32), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_float(b, "", 4), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_float(b, NULL, 4), -EINVAL);
	CHECK_EQ(bk_btf_add_float(b, "long double", 16), 2);
	CHECK_EQ(bk_btf_add_float(b, "x87", 12), 3);
	CHECK_DUMP(b, "[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED\n"
		      "[2] FLOAT 'long double' size=16\n"
		      "[3] FLOAT 'x87' size=12\n");
	bk_btf_free(b);
}

TEST(write_errors_type_ids)
{
	struct bk_btf *b = bk_btf_new_empty(NULL);

	REQUIRE(b);
	REQUIRE(bk_btf_add_int(b, "int", 4, BK_INT_SIGNED) == 1);
	CHECK_REFUSED(b, bk_btf_add_ptr(b, 2), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_ptr(b, -1), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_const(b, 5), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_volatile(b, 5), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_restrict(b, 5), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_typedef(b, "t", 9), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_typedef(b, "", 1), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_typedef(b, NULL, 1), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_type_tag(b, "", 1), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_type_tag(b, "t", 2), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_type_attr(b, NULL, 1), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_array(b, 2, 1, 4), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_array(b, 1, 2, 4), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_func_proto(b, 2), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_var(b, "v", 0, 2), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_var(b, "v", 3, 1), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_var(b, "v", -1, 1), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_var(b, "", 0, 1), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_datasec(b, "", 4), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_decl_tag(b, "t", 2, -1), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_decl_tag(b, "t", 1, -2), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_decl_tag(b, "", 1, -1), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_decl_attr(b, NULL, 1, -1), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_fwd(b, "", BK_FWD_STRUCT), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_fwd(b, "f", (enum bk_fwd_kind)3), -EINVAL);
	/* FUNC: a name, a valid linkage and a FUNC_PROTO */
	CHECK_REFUSED(b, bk_btf_add_func(b, "f", BK_LINKAGE_GLOBAL, 1), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_func(b, "f", BK_LINKAGE_GLOBAL, 0), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_func(b, "f", BK_LINKAGE_GLOBAL, 7), -EINVAL);
	REQUIRE(bk_btf_add_func_proto(b, 0) == 2);
	CHECK_REFUSED(b, bk_btf_add_func(b, "f", (enum bk_linkage)3, 2), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_func(b, "", BK_LINKAGE_GLOBAL, 2), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_func_param(b, "p", 3), -EINVAL);
	CHECK_DUMP(b, "[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED\n"
		      "[2] FUNC_PROTO '(anon)' ret_type_id=0 vlen=0\n");
	bk_btf_free(b);
}

TEST(write_errors_members)
{
	struct bk_btf *b = bk_btf_new_empty(NULL);

	REQUIRE(b);
	/* nothing added yet: no last type */
	CHECK_REFUSED(b, bk_btf_add_field(b, "a", 0, 0, 0), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_enum_value(b, "A", 0), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_enum64_value(b, "A", 0), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_func_param(b, "p", 0), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_datasec_var_info(b, 0, 0, 0), -EINVAL);
	REQUIRE(bk_btf_add_int(b, "int", 4, BK_INT_SIGNED) == 1);
	/* the last type is not of the matching kind */
	CHECK_REFUSED(b, bk_btf_add_field(b, "a", 1, 0, 0), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_enum_value(b, "A", 0), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_enum64_value(b, "A", 0), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_func_param(b, "p", 1), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_datasec_var_info(b, 1, 0, 4), -EINVAL);

	REQUIRE(bk_btf_add_struct(b, "s", 8) == 2);
	CHECK_REFUSED(b, bk_btf_add_field(b, "a", 3, 0, 0), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_field(b, "a", -1, 0, 0), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_field(b, "a", 1, 0, 256), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_field(b, "a", 1, 0x1000000, 1), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_field(b, "a", 1, 0x1000001, 0), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_field(b, "a", 1, 3, 0), -EINVAL);
	/* a non-bitfield may sit past 2^24 bits while kflag is clear ... */
	CHECK_EQ(bk_btf_add_field(b, "far", 1, 0x1000000, 0), 0);
	/* ... but then no bitfield can be added (kflag would misread it) */
	CHECK_REFUSED(b, bk_btf_add_field(b, "bf", 1, 8, 3), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_field(b, "full", 1, 0, 255), -EINVAL);

	REQUIRE(bk_btf_add_union(b, "u", 4) == 3);
	CHECK_REFUSED(b, bk_btf_add_field(b, "a", 1, 8, 0), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_field(b, "a", 1, 1, 1), -EINVAL);
	CHECK_EQ(bk_btf_add_field(b, "bits", 1, 0, 255), 0);
	/* kflag set: offsets now need to fit 24 bits */
	CHECK_REFUSED(b, bk_btf_add_field(b, "x", 1, 0x1000000, 0), -EINVAL);

	REQUIRE(bk_btf_add_enum(b, "e", 4) == 4);
	CHECK_REFUSED(b, bk_btf_add_enum_value(b, "A", (int64_t)UINT32_MAX + 1), -ERANGE);
	CHECK_REFUSED(b, bk_btf_add_enum_value(b, "A", (int64_t)INT32_MIN - 1), -ERANGE);
	CHECK_REFUSED(b, bk_btf_add_enum_value(b, "", 1), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_enum_value(b, NULL, 1), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_enum(b, "e", 3), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_enum(b, "e", 16), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_enum(b, "e", 0), -EINVAL);
	REQUIRE(bk_btf_add_enum64(b, "e64", 8, false) == 5);
	CHECK_REFUSED(b, bk_btf_add_enum64_value(b, "", 1), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_enum_value(b, "A", 1), -EINVAL);
	CHECK_REFUSED(b, bk_btf_add_enum64(b, "e", 5, false), -EINVAL);
	CHECK_DUMP(b, "[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED\n"
		      "[2] STRUCT 's' size=8 vlen=1\n"
		      "\t'far' type_id=1 bits_offset=16777216\n"
		      "[3] UNION 'u' size=4 vlen=1\n"
		      "\t'bits' type_id=1 bits_offset=0 bitfield_size=255\n"
		      "[4] ENUM 'e' encoding=UNSIGNED size=4 vlen=0\n"
		      "[5] ENUM64 'e64' encoding=UNSIGNED size=8 vlen=0\n");
	bk_btf_free(b);
}

TEST(write_parsed_becomes_modifiable)
{
	struct bk_btf *b = bk_btf_open(bt_data("sample.bpf.o"), NULL), *p;
	uint32_t cnt;
	int sample, id, off;
	void *d;
	size_t n;
	char *dump;

	REQUIRE(b);
	cnt = bk_btf_type_cnt(b);
	sample = bk_btf_find(b, "sample", BK_KIND_STRUCT);
	REQUIRE(sample > 0);
	/* existing strings are reused, new ones appended */
	off = bk_btf_find_str(b, "sample");
	CHECK(off > 0);
	id = bk_btf_add_typedef(b, "sample", sample);
	CHECK_EQ(id, (int)cnt);
	CHECK_EQ(bk_btf_type(b, (uint32_t)id)->name_off, (uint32_t)off);
	CHECK_EQ(bk_btf_add_ptr(b, id), (int)cnt + 1);
	CHECK_EQ(bk_btf_add_typedef(b, "brand_new", (int)cnt + 1), (int)cnt + 2);
	/* lookups see old and new types */
	CHECK_EQ(bk_btf_find(b, "sample", BK_KIND_STRUCT), sample);
	CHECK_EQ(bk_btf_find(b, "sample", BK_KIND_TYPEDEF), id);
	CHECK_EQ(bk_btf_find(b, "brand_new", -1), (int)cnt + 2);
	CHECK_EQ(bk_btf_resolve(b, (uint32_t)id), sample);
	REQUIRE(bk_btf_serialize(b, &d, &n) == 0);
	p = bk_btf_from_mem(d, n, NULL);
	REQUIRE(p);
	CHECK_EQ(bk_btf_type_cnt(p), cnt + 3);
	dump = bt_dump_raw(p);
	REQUIRE(dump);
	CHECK(strstr(dump, "[55] PTR '(anon)' type_id=54\n[56] TYPEDEF 'brand_new' type_id=55\n"));
	free(dump);
	free(d);
	bk_btf_free(p);
	bk_btf_free(b);
}

/* BK_HIDDEN internals reachable from the unit binary */
int bk__elf_find_btf(const uint8_t *data, size_t size, size_t *off, size_t *len, int *ptr_sz,
		     struct bk_diag *diag);

TEST(write_unmodified_roundtrip)
{
	struct bk_btf *b = bk_btf_open(bt_data("sample.bpf.o"), NULL);
	FILE *f = fopen(bt_data("sample.bpf.o"), "rb");
	static uint8_t buf[1 << 20];
	size_t len, off, sec_len;
	int ptr_sz;
	void *d;
	size_t n;

	REQUIRE(b && f);
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	REQUIRE(bk__elf_find_btf(buf, len, &off, &sec_len, &ptr_sz, NULL) == 0);
	/* the serialized object is the .BTF section, byte for byte */
	REQUIRE(bk_btf_serialize(b, &d, &n) == 0);
	CHECK(n == sec_len && !memcmp(d, buf + off, n));
	free(d);
	bk_btf_free(b);
}

TEST(write_file_atomic)
{
	struct bk_btf *b = build_all_kinds(NULL), *p;
	char path[] = "/tmp/btfkit-test-write-XXXXXX";
	char file[64], sub[64];
	int fd = mkstemp(path);

	REQUIRE(b && fd >= 0);
	close(fd);
	unlink(path);
	REQUIRE(mkdir(path, 0700) == 0);
	snprintf(file, sizeof(file), "%s/out.btf", path);
	CHECK_EQ(bk_btf_write_file(b, file), 0);
	p = bk_btf_open(file, NULL);
	REQUIRE(p);
	CHECK_DUMP(p, all_kinds_dump);
	bk_btf_free(p);
	/* a directory in the way: error, no temporary file left behind */
	snprintf(sub, sizeof(sub), "%s/sub", path);
	REQUIRE(mkdir(sub, 0700) == 0);
	CHECK_EQ(bk_btf_write_file(b, sub), -EISDIR);
	CHECK_EQ(rmdir(sub), 0);
	CHECK_EQ(bk_btf_write_file(b, "/nonexistent-dir/x.btf"), -ENOENT);
	CHECK_EQ(bk_btf_write_file(b, ""), -EINVAL);
	unlink(file);
	CHECK_EQ(rmdir(path), 0); /* empty: no temporary file left */
	bk_btf_free(b);
}

/* bk_outfile / bk_write_file: modes, the streamed form, abort, diag messages */
TEST(write_outfile_modes)
{
	char dir[] = "/tmp/btfkit-test-outfile-XXXXXX", file[64];
	struct bk_diag diag = { 0 };
	struct bk_outfile *of;
	struct stat st;
	mode_t old = umask(077);

	REQUIRE(mkdtemp(dir));
	snprintf(file, sizeof(file), "%s/f", dir);
	/* a new file: 0644 minus the umask */
	CHECK_EQ(bk_write_file(file, "ab", 2, NULL), 0);
	CHECK(stat(file, &st) == 0 && (st.st_mode & 07777) == 0600 && st.st_size == 2);
	umask(022);
	unlink(file);
	CHECK_EQ(bk_write_file(file, "ab", 2, NULL), 0);
	CHECK(stat(file, &st) == 0 && (st.st_mode & 07777) == 0644);
	/* an existing file keeps its mode */
	CHECK_EQ(chmod(file, 0604), 0);
	CHECK_EQ(bk_write_file(file, "abc", 3, NULL), 0);
	CHECK(stat(file, &st) == 0 && (st.st_mode & 07777) == 0604 && st.st_size == 3);
	/* streamed, then abandoned: the old file stays, no temporary file */
	of = bk_outfile_open(file, &diag);
	REQUIRE(of);
	CHECK(bk_outfile_fd(of) >= 0);
	CHECK_EQ(bk_outfile_write(of, "xyzxyz", 6, &diag), 0);
	bk_outfile_abort(of);
	CHECK(stat(file, &st) == 0 && st.st_size == 3);
	/* streamed and committed */
	of = bk_outfile_open(file, &diag);
	REQUIRE(of);
	CHECK_EQ(bk_outfile_write(of, "xyzxyz", 6, &diag), 0);
	CHECK_EQ(bk_outfile_commit(of, &diag), 0);
	CHECK(stat(file, &st) == 0 && st.st_size == 6 && (st.st_mode & 07777) == 0604);
	/* failures say which step failed and why */
	CHECK_EQ(bk_write_file(dir, "a", 1, &diag), -EISDIR);
	CHECK_STR(diag.msg, "cannot write output: is a directory");
	memset(&diag, 0, sizeof(diag));
	CHECK_EQ(bk_write_file("/nonexistent-dir/x", "a", 1, &diag), -ENOENT);
	CHECK_STR(diag.msg, "cannot create output file: No such file or directory");
	memset(&diag, 0, sizeof(diag));
	CHECK_EQ(bk_write_file("/dev/full", "a", 1, &diag), -ENOSPC);
	CHECK_STR(diag.msg, "write failed: No space left on device");
	umask(old);
	unlink(file);
	CHECK_EQ(rmdir(dir), 0); /* empty: no temporary file left */
}

/* ---- split BTF -------------------------------------------------------- */

static struct bk_btf *parse_on(const void *d, size_t n, struct bk_btf *base)
{
	struct bk_open_opts o = { .sz = sizeof(o), .base = base };

	return bk_btf_from_mem(d, n, &o);
}

TEST(write_split_ids_and_base_strings)
{
	struct bk_btf *base = bk_btf_new_empty(NULL), *s, *p;
	void *d;
	size_t n;

	REQUIRE(base);
	REQUIRE(bk_btf_add_int(base, "int", 4, BK_INT_SIGNED) == 1);
	s = bk_btf_new_empty(base);
	REQUIRE(s);
	CHECK_EQ(bk_btf_start_id(s), 2);
	CHECK_EQ(bk_btf_start_str_off(s), 5);
	/* the reference's worked example: "foo\0x\0" at offsets 5 and 9 */
	CHECK_EQ(bk_btf_add_struct(s, "foo", 4), 2);
	CHECK_EQ(bk_btf_add_field(s, "x", 1, 0, 0), 0);
	CHECK_EQ(bk_btf_type(s, 2)->name_off, 5);
	CHECK_EQ(bk_members(bk_btf_type(s, 2))[0].name_off, 9);
	/* base strings are reused, not copied */
	CHECK_EQ(bk_btf_add_typedef(s, "int", 1), 3);
	CHECK_EQ(bk_btf_type(s, 3)->name_off, 1);
	CHECK_EQ(bk_btf_add_str(s, ""), 0);
	CHECK_EQ(bk_btf_find_str(s, "x"), 9);
	REQUIRE(bk_btf_serialize(s, &d, &n) == 0);
	CHECK_EQ(n, 24 + 36 + 6);
	CHECK(!memcmp(d, "\x9f\xeb\x01\x00\x18\x00\x00\x00\x00\x00\x00\x00\x24\x00\x00\x00"
			 "\x24\x00\x00\x00\x06\x00\x00\x00", 24));
	CHECK(!memcmp((char *)d + n - 6, "foo\0x\0", 6));
	p = parse_on(d, n, base);
	REQUIRE(p);
	CHECK_DUMP(p, "[2] STRUCT 'foo' size=4 vlen=1\n"
		      "\t'x' type_id=1 bits_offset=0\n"
		      "[3] TYPEDEF 'int' type_id=1\n");
	/* split references to unknown IDs are refused like any other */
	CHECK_REFUSED(s, bk_btf_add_ptr(s, 4), -EINVAL);
	free(d);
	bk_btf_free(p);
	bk_btf_free(s);
	bk_btf_free(base);
}

TEST(write_split_on_split)
{
	struct bk_btf *base = bk_btf_new_empty(NULL), *s1, *s2, *p1, *p2;
	void *d1, *d2;
	size_t n1, n2;

	REQUIRE(base);
	REQUIRE(bk_btf_add_int(base, "int", 4, BK_INT_SIGNED) == 1);
	s1 = bk_btf_new_empty(base);
	REQUIRE(s1);
	REQUIRE(bk_btf_add_typedef(s1, "t1", 1) == 2);
	s2 = bk_btf_new_empty(s1);
	REQUIRE(s2);
	CHECK_EQ(bk_btf_start_id(s2), 3);
	CHECK_EQ(bk_btf_start_str_off(s2), 8);
	CHECK_EQ(bk_btf_add_typedef(s2, "t1", 2), 3);  /* s1's string */
	CHECK_EQ(bk_btf_add_typedef(s2, "int", 1), 4); /* base's string */
	CHECK_EQ(bk_btf_add_typedef(s2, "t2", 3), 5);  /* new */
	CHECK_EQ(bk_btf_type(s2, 3)->name_off, 5);
	CHECK_EQ(bk_btf_type(s2, 4)->name_off, 1);
	CHECK_EQ(bk_btf_type(s2, 5)->name_off, 8);
	REQUIRE(bk_btf_serialize(s1, &d1, &n1) == 0);
	REQUIRE(bk_btf_serialize(s2, &d2, &n2) == 0);
	CHECK_EQ(n2, 24 + 36 + 3);
	p1 = parse_on(d1, n1, base);
	REQUIRE(p1);
	p2 = parse_on(d2, n2, p1);
	REQUIRE(p2);
	CHECK_DUMP(p2, "[3] TYPEDEF 't1' type_id=2\n"
		       "[4] TYPEDEF 'int' type_id=1\n"
		       "[5] TYPEDEF 't2' type_id=3\n");
	free(d1);
	free(d2);
	bk_btf_free(p2);
	bk_btf_free(p1);
	bk_btf_free(s2);
	bk_btf_free(s1);
	bk_btf_free(base);
}

TEST(write_split_empty)
{
	struct bk_btf *base = build_all_kinds(NULL), *s, *p;
	void *d;
	size_t n;

	REQUIRE(base);
	s = bk_btf_new_empty(base);
	REQUIRE(s);
	REQUIRE(bk_btf_serialize(s, &d, &n) == 0);
	CHECK_EQ(n, 24);
	CHECK(!memcmp(d, "\x9f\xeb\x01\x00\x18\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
			 "\x00\x00\x00\x00\x00\x00\x00\x00", 24));
	p = parse_on(d, n, base);
	REQUIRE(p);
	CHECK_EQ(bk_btf_type_cnt(p), 34);
	CHECK_EQ(bk_btf_nr_own_types(p), 0);
	CHECK_DUMP(p, "");
	free(d);
	bk_btf_free(p);
	bk_btf_free(s);
	bk_btf_free(base);
}

/* ---- copying ---------------------------------------------------------- */

TEST(write_add_type)
{
	struct bk_btf *src = build_all_kinds(NULL), *b = bk_btf_new_empty(NULL);
	char *full;

	REQUIRE(src && b);
	/* copying every type in order reproduces the object */
	for (uint32_t id = 1; id < bk_btf_type_cnt(src); id++)
		CHECK_EQ(bk_btf_add_type(b, src, bk_btf_type(src, id)), (int)id);
	CHECK_DUMP(b, all_kinds_dump);
	CHECK_REFUSED(b, bk_btf_add_type(b, src, bk_btf_type(src, 0)), -EINVAL);
	/* a type of the object itself: the buffer may move while copying */
	for (int i = 0; i < 40; i++)
		CHECK_EQ(bk_btf_add_type(b, b, bk_btf_type(b, 8)), 34 + i);
	full = bt_dump_raw(b);
	REQUIRE(full);
	CHECK(strstr(full, "[73] STRUCT 's' size=24 vlen=4\n\t'a' type_id=1 bits_offset=0\n"
			   "\t'b' type_id=1 bits_offset=32 bitfield_size=3\n"));
	free(full);
	bk_btf_free(b);
	bk_btf_free(src);
}

TEST(write_add_btf)
{
	struct bk_btf *src = bk_btf_open(bt_data("sample.bpf.o"), NULL);
	struct bk_btf *b = bk_btf_new_empty(NULL), *e = bk_btf_new_empty(NULL);
	uint32_t cnt;
	char *d1, *d2;

	REQUIRE(src && b && e);
	cnt = bk_btf_type_cnt(src);
	/* into an empty object: the same types, the same dump */
	CHECK_EQ(bk_btf_add_btf(e, src), 1);
	d1 = bt_dump_raw(src);
	d2 = bt_dump_raw(e);
	CHECK_STR(d2, d1);
	free(d1);
	free(d2);
	/* after one type: IDs shift by one */
	REQUIRE(bk_btf_add_int(b, "first", 8, 0) == 1);
	CHECK_EQ(bk_btf_add_btf(b, src), 2);
	CHECK_EQ(bk_btf_type_cnt(b), cnt + 1);
	CHECK_EQ(bk_btf_find(b, "sample", BK_KIND_STRUCT),
		 bk_btf_find(src, "sample", BK_KIND_STRUCT) + 1);
	CHECK_EQ(bk_btf_type(b, 2)->type, bk_btf_type(src, 1)->type + 1);
	/* appending an object to itself doubles it */
	CHECK_EQ(bk_btf_add_btf(b, b), (int)cnt + 1);
	CHECK_EQ(bk_btf_type_cnt(b), 2 * cnt + 1);
	CHECK_EQ(bk_btf_type(b, cnt + 2)->type, bk_btf_type(src, 1)->type + cnt + 1);
	bk_btf_free(b);
	bk_btf_free(e);
	bk_btf_free(src);
}

TEST(write_add_btf_split)
{
	struct bk_btf *base = bk_btf_new_empty(NULL), *other = bk_btf_new_empty(NULL);
	struct bk_btf *src, *dst, *wrong;

	REQUIRE(base && other);
	REQUIRE(bk_btf_add_int(base, "int", 4, BK_INT_SIGNED) == 1);
	REQUIRE(bk_btf_add_int(other, "int", 4, BK_INT_SIGNED) == 1);
	src = bk_btf_new_empty(base);
	dst = bk_btf_new_empty(base);
	wrong = bk_btf_new_empty(other);
	REQUIRE(src && dst && wrong);
	REQUIRE(bk_btf_add_ptr(src, 1) == 2);
	REQUIRE(bk_btf_add_typedef(src, "pint", 2) == 3);
	REQUIRE(bk_btf_add_typedef(src, "int", 3) == 4);
	REQUIRE(bk_btf_add_struct(dst, "d", 0) == 2);
	CHECK_EQ(bk_btf_add_btf(dst, src), 3);
	CHECK_DUMP(dst, "[2] STRUCT 'd' size=0 vlen=0\n"
			"[3] PTR '(anon)' type_id=1\n"
			"[4] TYPEDEF 'pint' type_id=3\n"
			"[5] TYPEDEF 'int' type_id=4\n");
	CHECK_EQ(bk_btf_type(dst, 5)->name_off, 1);
	/* a source on another base is refused, nothing changes */
	CHECK_REFUSED(dst, bk_btf_add_btf(dst, wrong), -EOPNOTSUPP);
	CHECK_REFUSED(wrong, bk_btf_add_btf(wrong, src), -EOPNOTSUPP);
	/* a non-split source onto a split: every src ID moves, strings from base */
	CHECK_EQ(bk_btf_add_btf(wrong, other), 2);
	CHECK_DUMP(wrong, "[2] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED\n");
	CHECK_EQ(bk_btf_type(wrong, 2)->name_off, 1);
	bk_btf_free(src);
	bk_btf_free(dst);
	bk_btf_free(wrong);
	bk_btf_free(base);
	bk_btf_free(other);
}

/* A BTF with an INT, a record of kind 20 described by a layout section, strings. */
static uint32_t unknown_blob[8 + 4 + 3 + 21 + 3];

static struct bk_btf *unknown_kind_btf(void)
{
	uint32_t *blob = unknown_blob;
	uint8_t *l;

	blob[0] = BK_MAGIC | (1u << 16);
	blob[1] = 32;
	blob[2] = 0;            /* type_off */
	blob[3] = 28;           /* type_len */
	blob[4] = 28 + 84;      /* str_off */
	blob[5] = 5;            /* str_len */
	blob[6] = 28;           /* layout_off */
	blob[7] = 84;           /* layout_len */
	blob[8] = 1;            /* [1] INT 'int' */
	blob[9] = bk_info(BK_KIND_INT, 0, 0);
	blob[10] = 4;
	blob[11] = 32;
	blob[12] = 0;           /* [2] kind 20 */
	blob[13] = bk_info(20, 0, 0);
	blob[14] = 0;
	l = (uint8_t *)&blob[15];
	l[4 * BK_KIND_INT] = 4;
	memcpy(&blob[15 + 21], "\0int\0", 5);
	return bk_btf_from_mem(blob, 32 + 28 + 84 + 5, NULL);
}

TEST(write_add_btf_all_or_nothing)
{
	struct bk_btf *u = unknown_kind_btf(), *b = bk_btf_new_empty(NULL);
	void *d;
	size_t n;

	REQUIRE(u && b);
	REQUIRE(bk_btf_add_struct(b, "keep", 4) == 1);
	CHECK_REFUSED(b, bk_btf_add_btf(b, u), -EOPNOTSUPP);
	CHECK_REFUSED(b, bk_btf_add_type(b, u, bk_btf_type(u, 2)), -EOPNOTSUPP);
	CHECK_EQ(bk_btf_add_type(b, u, bk_btf_type(u, 1)), 2);
	/* the layout is kept, and unknown kinds cannot be byte-swapped */
	REQUIRE(bk_btf_serialize(u, &d, &n) == 0);
	CHECK(n == 32 + 28 + 84 + 5 && !memcmp(d, unknown_blob, n));
	free(d);
	/* still byte-identical after a modification (layout copied, kept) */
	REQUIRE(bk_btf_add_typedef(u, "t", 1) == 3);
	REQUIRE(bk_btf_serialize(u, &d, &n) == 0);
	CHECK_EQ(n, 32 + 28 + 12 + 84 + 7);
	CHECK(!memcmp((uint8_t *)d + 32, &unknown_blob[8], 28));
	CHECK(!memcmp((uint8_t *)d + 32 + 40, &unknown_blob[15], 84));
	CHECK(!memcmp((uint8_t *)d + n - 7, "\0int\0t\0", 7));
	free(d);
	REQUIRE(bk_btf_set_endian(u, BK_ENDIAN_BIG) == 0);
	CHECK_EQ(bk_btf_serialize(u, &d, &n), -EOPNOTSUPP);
	bk_btf_free(u);
	bk_btf_free(b);
}

TEST(write_strs_truncate)
{
	struct bk_btf *b = bk_btf_new_empty(NULL);

	REQUIRE(b);
	REQUIRE(bk_btf_add_str(b, "aa") == 1);
	REQUIRE(bk_btf_add_str(b, "bb") == 4);
	CHECK_EQ(bk__write_strs_truncate(b, 4), 0);
	CHECK_EQ(bk_btf_find_str(b, "bb"), -ENOENT);
	CHECK_EQ(bk_btf_find_str(b, "aa"), 1);
	CHECK_EQ(bk_btf_add_str(b, "cc"), 4);
	bk_btf_free(b);
}

/* ---- robustness ------------------------------------------------------- */

static uint64_t mut_rng = 0x2545f4914f6cdd1dull;

static uint32_t mut_rnd(uint32_t n)
{
	mut_rng ^= mut_rng << 13;
	mut_rng ^= mut_rng >> 7;
	mut_rng ^= mut_rng << 17;
	return (uint32_t)(mut_rng % n);
}

static bool same_dump(const struct bk_btf *a, const struct bk_btf *b)
{
	char *da = bt_dump_raw(a), *db = bt_dump_raw(b);
	bool same = da && db && !strcmp(da, db);

	free(da);
	free(db);
	return same;
}

/* Dump text with '' (a name at a non-zero offset of an empty string) as '(anon)'. */
static char *dump_anon(const struct bk_btf *btf)
{
	char *d = bt_dump_raw(btf), *out, *o;

	if (!d)
		return NULL;
	out = malloc(strlen(d) * 4 + 1);
	if (out) {
		o = out;
		for (const char *p = d; *p; p++) {
			if (p[0] == '\'' && p[1] == '\'') {
				memcpy(o, "'(anon)'", 8);
				o += 8;
				p++;
			} else {
				*o++ = *p;
			}
		}
		*o = '\0';
	}
	free(d);
	return out;
}

/*
 * A copy equals the original, except that a name pointing at an empty
 * string somewhere other than offset 0 becomes offset 0: dedup maps "" to
 * the empty string at 0 (libbpf's btf__add_btf does the same).
 */
static bool same_dump_copied(const struct bk_btf *a, const struct bk_btf *b)
{
	char *da = dump_anon(a), *db = dump_anon(b);
	bool same = da && db && !strcmp(da, db);

	free(da);
	free(db);
	return same;
}

/*
 * Whatever the parser accepts (odd header lengths, gaps, unknown header
 * bytes, names into the middle of strings, unknown kinds with a layout),
 * the writer must handle: serialize -> parse gives the same dump and the
 * same bytes again, in both byte orders, and bk_btf_add_btf into an empty
 * object gives the same dump (or -EOPNOTSUPP for unknown kinds).
 */
TEST(write_mutated_inputs)
{
	FILE *f = fopen(bt_data("sample.bpf.o"), "rb");
	static uint8_t file[1 << 20];
	static uint8_t buf[1 << 16];
	size_t len, off, sec_len, all_len;
	struct bk_btf *all = build_all_kinds(NULL);
	void *all_data;
	int ptr_sz, parsed = 0;

	REQUIRE(f && all);
	len = fread(file, 1, sizeof(file), f);
	fclose(f);
	REQUIRE(bk__elf_find_btf(file, len, &off, &sec_len, &ptr_sz, NULL) == 0);
	REQUIRE(sec_len + 64 <= sizeof(buf));
	/* second seed: every kind, appended after the sample in the file buffer */
	REQUIRE(bk_btf_serialize(all, &all_data, &all_len) == 0);
	bk_btf_free(all);
	REQUIRE(len + all_len <= sizeof(file) && all_len + 64 <= sizeof(buf));
	memcpy(file + len, all_data, all_len);
	free(all_data);
	for (int iter = 0; iter < 4000 && !bt_failed; iter++) {
		bool second = iter & 1;
		size_t n = second ? all_len : sec_len;
		struct bk_btf *b, *p, *e;
		void *d, *d2;
		size_t dn, dn2;
		int nmut = 1 + (int)mut_rnd(3), err;

		memcpy(buf, second ? file + len : file + off, n);
		for (int m = 0; m < nmut; m++) {
			/* mostly the header and the first records */
			size_t pos = mut_rnd(4) ? mut_rnd(96) : mut_rnd((uint32_t)n);

			switch (mut_rnd(4)) {
			case 0: buf[pos] ^= (uint8_t)(1u << mut_rnd(8)); break;
			case 1: buf[pos] = (uint8_t)mut_rnd(256); break;
			case 2: buf[pos] += (uint8_t)(mut_rnd(9) - 4); break;
			default: n = n - mut_rnd(8) + mut_rnd(8); break;
			}
		}
		b = bk_btf_from_mem(buf, n, NULL);
		if (!b)
			continue;
		parsed++;
		err = bk_btf_serialize(b, &d, &dn);
		CHECK_EQ(err, 0);
		if (!err) {
			p = bk_btf_from_mem(d, dn, NULL);
			CHECK(p != NULL);
			if (p) {
				CHECK(same_dump(b, p));
				CHECK(bk_btf_serialize(p, &d2, &dn2) == 0 && dn2 == dn &&
				      !memcmp(d, d2, dn));
				free(d2);
				bk_btf_free(p);
			}
			free(d);
		}
		bk_btf_set_endian(b, BK_ENDIAN_BIG);
		err = bk_btf_serialize(b, &d, &dn);
		CHECK(err == 0 || err == -EOPNOTSUPP);
		if (!err) {
			p = bk_btf_from_mem(d, dn, NULL);
			CHECK(p != NULL && same_dump(b, p));
			bk_btf_free(p);
			free(d);
		}
		e = bk_btf_new_empty(NULL);
		REQUIRE(e);
		err = bk_btf_add_btf(e, b);
		CHECK(err == 1 || err == -EOPNOTSUPP);
		if (err == 1)
			CHECK(same_dump_copied(b, e));
		bk_btf_free(e);
		bk_btf_free(b);
		if (bt_failed)
			printf("mutation iteration %d failed\n", iter);
	}
	CHECK(parsed > 100);
}

TEST(write_header_extra_and_split_endian)
{
	uint32_t blob[9 + 4 + 2] = { 0 };
	struct bk_btf *b, *be_base, *s;
	void *d;
	size_t n;

	/* hdr_len 36 with a non-zero word past the known header */
	blob[0] = BK_MAGIC | (1u << 16);
	blob[1] = 36;
	blob[3] = 16;          /* type_len */
	blob[4] = 16;          /* str_off */
	blob[5] = 5;           /* str_len */
	blob[8] = 0xdeadbeef;  /* unknown header field */
	blob[9] = 1;           /* [1] INT 'int' */
	blob[10] = bk_info(BK_KIND_INT, 0, 0);
	blob[11] = 4;
	blob[12] = 32;
	memcpy(&blob[13], "\0int\0", 5);
	b = bk_btf_from_mem(blob, 36 + 16 + 5, NULL);
	REQUIRE(b);
	/* unknown header fields cannot be kept true: no modification */
	CHECK_REFUSED(b, bk_btf_add_ptr(b, 1), -EOPNOTSUPP);
	CHECK_REFUSED(b, bk_btf_add_str(b, "x"), -EOPNOTSUPP);
	/* serializing keeps the header length, the unknown bytes become zero */
	REQUIRE(bk_btf_serialize(b, &d, &n) == 0);
	CHECK_EQ(n, 36 + 16 + 5);
	CHECK(!memcmp(d, blob, 32) && !memcmp((uint8_t *)d + 32, "\0\0\0\0", 4));
	CHECK(!memcmp((uint8_t *)d + 36, &blob[9], 21));
	free(d);

	/* a new split inherits its base's byte order */
	REQUIRE(bk_btf_set_endian(b, BK_ENDIAN_BIG) == 0);
	REQUIRE(bk_btf_serialize(b, &d, &n) == 0);
	be_base = bk_btf_from_mem(d, n, NULL);
	free(d);
	REQUIRE(be_base);
	s = bk_btf_new_empty(be_base);
	REQUIRE(s);
	CHECK_EQ(bk_btf_endian(s), BK_ENDIAN_BIG);
	CHECK_EQ(bk_btf_add_ptr(s, 1), 2);
	REQUIRE(bk_btf_serialize(s, &d, &n) == 0);
	CHECK(n == 24 + 12 && !memcmp(d, "\xeb\x9f\x01\x00\x00\x00\x00\x18", 8));
	CHECK(!memcmp((uint8_t *)d + 24, "\0\0\0\0\x02\0\0\0\0\0\0\x01", 12));
	free(d);
	bk_btf_free(s);
	bk_btf_free(be_base);
	bk_btf_free(b);
}

TEST(write_lookups_between_adds)
{
	struct bk_btf *b = bk_btf_new_empty(NULL);
	uint32_t ids[4];
	char name[32];

	REQUIRE(b);
	REQUIRE(bk_btf_add_int(b, "int", 4, BK_INT_SIGNED) == 1);
	/* the name index is extended, not rebuilt, on each add */
	for (int i = 0; i < 3000; i++) {
		snprintf(name, sizeof(name), "t%d", i % 1000);
		REQUIRE(bk_btf_add_typedef(b, name, 1) == i + 2);
		CHECK_EQ(bk_btf_find(b, name, BK_KIND_TYPEDEF), i % 1000 + 2);
		if (bt_failed)
			break;
	}
	CHECK_EQ(bk_btf_find_all(b, "t7", -1, ids, 4), 3);
	CHECK(ids[0] == 9 && ids[1] == 1009 && ids[2] == 2009);
	CHECK_EQ(bk_btf_find(b, "int", -1), 1);
	CHECK_EQ(bk_btf_find(b, "t1000", -1), -ENOENT);
	bk_btf_free(b);
}

TEST(write_self_referential_struct)
{
	struct bk_btf *b = bk_btf_new_empty(NULL);

	REQUIRE(b);
	/* the header's idiom: FWD, PTR to it, then the struct */
	CHECK_EQ(bk_btf_add_fwd(b, "list_head", BK_FWD_STRUCT), 1);
	CHECK_EQ(bk_btf_add_ptr(b, 1), 2);
	CHECK_EQ(bk_btf_add_struct(b, "list_head", 16), 3);
	CHECK_EQ(bk_btf_add_field(b, "next", 2, 0, 0), 0);
	CHECK_EQ(bk_btf_add_field(b, "prev", 2, 64, 0), 0);
	/* a pointer to a type not yet added is refused */
	CHECK_REFUSED(b, bk_btf_add_ptr(b, 5), -EINVAL);
	CHECK_DUMP(b, "[1] FWD 'list_head' fwd_kind=struct\n"
		      "[2] PTR '(anon)' type_id=1\n"
		      "[3] STRUCT 'list_head' size=16 vlen=2\n"
		      "\t'next' type_id=2 bits_offset=0\n"
		      "\t'prev' type_id=2 bits_offset=64\n");
	bk_btf_free(b);
}
