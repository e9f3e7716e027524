// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Unit tests of the JSON emitter: exact text (compact and --pretty layout)
 * for chosen types of the sample object and hand-built BTF, as bpftool 7.1
 * prints them with -j / -p, plus JSON string escaping.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* The JSON string of s as bpftool writes it, byte by byte: the reference. */
static size_t ref_escape(char *out, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;

	out[n++] = '"';
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		switch (c) {
		case '"': out[n++] = '\\'; out[n++] = '"'; break;
		case '\\': out[n++] = '\\'; out[n++] = '\\'; break;
		case '\n': out[n++] = '\\'; out[n++] = 'n'; break;
		case '\t': out[n++] = '\\'; out[n++] = 't'; break;
		case '\r': out[n++] = '\\'; out[n++] = 'r'; break;
		case '\b': out[n++] = '\\'; out[n++] = 'b'; break;
		case '\f': out[n++] = '\\'; out[n++] = 'f'; break;
		default:
			if (c < 0x20) {
				n += (size_t)sprintf(out + n, "\\u00%c%c", hex[c >> 4], hex[c & 15]);
			} else {
				out[n++] = (char)c;
			}
		}
	}
	out[n++] = '"';
	return n;
}

/* The compact JSON bpftool prints for FWD types 1..n named names[i]. */
static char *fwd_json(const char *const *names, size_t n)
{
	size_t cap = 64, len = 0;
	char *out;

	for (size_t i = 0; i < n; i++)
		cap += 6 * strlen(names[i]) + 80;
	out = malloc(cap);
	if (!out)
		return NULL;
	len += (size_t)sprintf(out, "{\"types\":[");
	for (size_t i = 0; i < n; i++) {
		len += (size_t)sprintf(out + len, "%s{\"id\":%zu,\"kind\":\"FWD\",\"name\":", i ? "," : "", i + 1);
		len += ref_escape(out + len, names[i]);
		len += (size_t)sprintf(out + len, ",\"fwd_kind\":\"struct\"}");
	}
	sprintf(out + len, "]}\n");
	return out;
}

struct grow {
	char *data;
	size_t len, cap;
	size_t calls;
};

/* A sink that is not a membuf: the dump goes out in chunks. */
static int grow_write(void *ctx, const char *buf, size_t len)
{
	struct grow *g = ctx;

	if (g->len + len + 1 > g->cap) {
		char *d = realloc(g->data, g->cap = 2 * (g->len + len + 1));

		if (!d)
			return -ENOMEM;
		g->data = d;
	}
	memcpy(g->data + g->len, buf, len);
	g->len += len;
	g->data[g->len] = '\0';
	g->calls++;
	return 0;
}

/*
 * Names are escaped while they are scanned eight bytes at a time: a special
 * byte at every position of names of 1 to 20 bytes (each length puts the
 * NUL at another place in a word), plain runs, bytes above 0x7f, and a last
 * string that ends the string section with fewer than eight bytes to read.
 */
TEST(json_names_escaped_while_scanned)
{
	static const char specials[] = "\"\\\n\t\r\b\f\x01\x1f";
	const char *names[300];
	char store[300][24];
	size_t n = 0;
	struct bb b;
	struct bk_btf *btf;
	char *want, *got;

	bb_init(&b);
	for (size_t len = 1; len <= 20; len++) {
		for (size_t pos = 0; pos < len; pos++) {
			char *s = store[n];

			for (size_t i = 0; i < len; i++)
				s[i] = (char)('a' + (i + len) % 26);
			s[pos] = specials[(len + pos) % (sizeof(specials) - 1)];
			s[len] = '\0';
			names[n++] = s;
		}
	}
	names[n++] = "caf\xc3\xa9\x7f plain and long enough for three words";
	names[n++] = "two\"special\\";
	names[n++] = "x\"y"; /* the last string: read byte by byte */
	for (size_t i = 0; i < n; i++) {
		bb_u32(&b, bb_str(&b, names[i]));
		bb_u32(&b, bk_info(BK_KIND_FWD, 0, false));
		bb_u32(&b, 0);
		b.ntypes++;
	}
	REQUIRE((btf = bb_open(&b)));
	want = fwd_json(names, n);
	got = json(btf, NULL, 0, false);
	CHECK_STR(got, want);
	free(got);
	free(want);
	bk_btf_free(btf);
}

/*
 * A long name, with escapes, repeated by 40 types: the output passes many
 * 64 KiB chunk ends inside a name (a sink of our own) and grows a membuf
 * in place inside one.
 */
TEST(json_long_names_across_chunks)
{
	char name[7001];
	const char *names[40];
	struct bk_dump_opts o = { .sz = sizeof(o), .format = BK_FORMAT_JSON };
	struct grow g = { 0 };
	struct bk_sink sink = { grow_write, &g };
	struct bb b;
	struct bk_btf *btf;
	uint32_t off;
	char *want, *mb;

	for (size_t i = 0; i < sizeof(name) - 1; i++)
		name[i] = i % 97 == 5 ? '"' : i % 131 == 7 ? '\n' : (char)('A' + i % 26);
	name[sizeof(name) - 1] = '\0';
	bb_init(&b);
	off = bb_str(&b, name);
	for (size_t i = 0; i < 40; i++) {
		names[i] = name;
		bb_u32(&b, off);
		bb_u32(&b, bk_info(BK_KIND_FWD, 0, false));
		bb_u32(&b, 0);
		b.ntypes++;
	}
	REQUIRE((btf = bb_open(&b)));
	want = fwd_json(names, 40);
	CHECK_EQ(bk_dump(btf, &sink, &o), 0);
	CHECK(g.calls > 4);
	CHECK_STR(g.data, want);
	mb = json(btf, NULL, 0, false);
	CHECK_STR(mb, want);
	free(mb);
	free(g.data);
	free(want);
	bk_btf_free(btf);
}
