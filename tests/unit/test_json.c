// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Unit tests of the JSON emitter: exact text (compact and --pretty layout)
 * for chosen types of the sample object and hand-built BTF, as bpftool 7.1
 * prints them with -j / -p, plus JSON string escaping.
 */
#include <stdlib.h>

#include "btfbuild.h"
#include "test.h"

static char *json(const struct bk_btf *btf, const uint32_t *ids, size_t n, bool pretty)
{
	struct bk_membuf mb = { 0 };
	struct bk_sink sink = bk_sink_membuf(&mb);
	struct bk_dump_opts o = { .sz = sizeof(o), .format = BK_FORMAT_JSON, .ids = ids, .nr_ids = n,
				  .pretty = pretty };

	if (bk_dump(btf, &sink, &o)) {
		free(mb.data);
		return NULL;
	}
	return mb.data;
}

TEST(json_sample_types_compact)
{
	struct bk_btf *btf = bk_btf_open(bt_data("sample.bpf.o"), NULL);
	uint32_t ids[] = { 20, 23, 30, 36, 41, 50 };
	char *s;

	REQUIRE(btf);
	s = json(btf, ids, 6, false);
	CHECK_STR(s, "{\"types\":["
		     "{\"id\":20,\"kind\":\"ENUM\",\"name\":\"color\",\"encoding\":\"UNSIGNED\",\"size\":4,\"vlen\":3,"
		     "\"values\":[{\"name\":\"RED\",\"val\":0},{\"name\":\"GREEN\",\"val\":5},"
		     "{\"name\":\"BLUE\",\"val\":18446744073709551615}]},"
		     "{\"id\":23,\"kind\":\"FWD\",\"name\":\"opaque\",\"fwd_kind\":\"struct\"},"
		     "{\"id\":30,\"kind\":\"FUNC_PROTO\",\"name\":\"(anon)\",\"ret_type_id\":4,\"vlen\":3,"
		     "\"params\":[{\"name\":\"(anon)\",\"type_id\":1},{\"name\":\"(anon)\",\"type_id\":4},"
		     "{\"name\":\"(anon)\",\"type_id\":0}]},"
		     "{\"id\":36,\"kind\":\"FUNC\",\"name\":\"prog\",\"type_id\":35,\"linkage\":\"global\"},"
		     "{\"id\":41,\"kind\":\"VAR\",\"name\":\"limit\",\"type_id\":40,\"linkage\":\"global\"},"
		     "{\"id\":50,\"kind\":\"DATASEC\",\"name\":\".bss\",\"size\":0,\"vlen\":2,"
		     "\"vars\":[{\"type_id\":42,\"offset\":0,\"size\":4},{\"type_id\":46,\"offset\":0,\"size\":8}]}"
		     "]}\n");
	free(s);
	bk_btf_free(btf);
}

TEST(json_pretty_layout)
{
	struct bb b;
	struct bk_btf *btf;
	char *s;
	uint32_t ids[] = { 1, 2, 3 };

	bb_init(&b);
	bb_int(&b, "int", 4, BK_INT_SIGNED);
	bb_comp(&b, BK_KIND_STRUCT, "s", 4, 1, true);
	bb_member(&b, "bf", 1, 0, 3);
	bb_proto(&b, 1, 0);
	REQUIRE((btf = bb_open(&b)));
	s = json(btf, ids, 3, true);
	CHECK_STR(s, "{\n"
		     "    \"types\": [{\n"
		     "            \"id\": 1,\n"
		     "            \"kind\": \"INT\",\n"
		     "            \"name\": \"int\",\n"
		     "            \"size\": 4,\n"
		     "            \"bits_offset\": 0,\n"
		     "            \"nr_bits\": 32,\n"
		     "            \"encoding\": \"SIGNED\"\n"
		     "        },{\n"
		     "            \"id\": 2,\n"
		     "            \"kind\": \"STRUCT\",\n"
		     "            \"name\": \"s\",\n"
		     "            \"size\": 4,\n"
		     "            \"vlen\": 1,\n"
		     "            \"members\": [{\n"
		     "                    \"name\": \"bf\",\n"
		     "                    \"type_id\": 1,\n"
		     "                    \"bits_offset\": 0,\n"
		     "                    \"bitfield_size\": 3\n"
		     "                }\n"
		     "            ]\n"
		     "        },{\n"
		     "            \"id\": 3,\n"
		     "            \"kind\": \"FUNC_PROTO\",\n"
		     "            \"name\": \"(anon)\",\n"
		     "            \"ret_type_id\": 1,\n"
		     "            \"vlen\": 0,\n"
		     "            \"params\": []\n"
		     "        }\n"
		     "    ]\n"
		     "}\n");
	free(s);
	bk_btf_free(btf);
}

TEST(json_signed_enum_and_sorted_walk)
{
	struct bb b;
	struct bk_btf *btf;
	struct bk_membuf mb = { 0 };
	struct bk_sink sink = bk_sink_membuf(&mb);
	struct bk_dump_opts o = { .sz = sizeof(o), .format = BK_FORMAT_JSON, .sort = true };

	bb_init(&b);
	bb_comp(&b, BK_KIND_STRUCT, "zz", 0, 0, false); /* 1: rank 3 */
	bb_enum(&b, "e", 4, 1, true);                   /* 2: rank 1 */
	bb_enumval(&b, "NEG", -2);
	bb_int(&b, "int", 4, BK_INT_SIGNED);            /* 3: rank 2 */
	REQUIRE((btf = bb_open(&b)));
	CHECK_EQ(bk_dump(btf, &sink, &o), 0);
	CHECK_STR(mb.data, "{\"types\":["
			   "{\"id\":2,\"kind\":\"ENUM\",\"name\":\"e\",\"encoding\":\"SIGNED\",\"size\":4,\"vlen\":1,"
			   "\"values\":[{\"name\":\"NEG\",\"val\":-2}]},"
			   "{\"id\":3,\"kind\":\"INT\",\"name\":\"int\",\"size\":4,\"bits_offset\":0,\"nr_bits\":32,"
			   "\"encoding\":\"SIGNED\"},"
			   "{\"id\":1,\"kind\":\"STRUCT\",\"name\":\"zz\",\"size\":0,\"vlen\":0,\"members\":[]}"
			   "]}\n");
	free(mb.data);
	bk_btf_free(btf);
}

TEST(json_string_escapes)
{
	struct bk_membuf mb = { 0 };
	struct bk_sink sink = bk_sink_membuf(&mb);

	CHECK_EQ(bk_json_string(&sink, "a\"b\\c\n\x01"), 0);
	CHECK_STR(mb.data, "\"a\\\"b\\\\c\\n\\u0001\"");
	free(mb.data);
}
