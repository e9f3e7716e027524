// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Core object tests on the shipped sample: lookups, names, sizes, alignment. */
#include <stddef.h>
#include <stdlib.h>

#include "btfkit/validate.h"
#include "btfkit/write.h"
#include "test.h"

static struct bk_btf *open_sample(void)
{
	return bk_btf_open(bt_data("sample.bpf.o"), NULL);
}

TEST(core_open_sample_elf)
{
	struct bk_btf *btf = open_sample();

	REQUIRE(btf);
	CHECK_EQ(bk_btf_source(btf), BK_SOURCE_ELF);
	CHECK_EQ(bk_btf_start_id(btf), 1);
	CHECK_EQ(bk_btf_type_cnt(btf), 54);
	CHECK_EQ(bk_btf_ptr_size(btf), 8);
	CHECK_EQ(bk_btf_endian(btf), BK_ENDIAN_LITTLE);
	CHECK(bk_btf_type(btf, 54) == NULL);
	CHECK(bk_btf_type(btf, 0) != NULL);
	CHECK_EQ(bk_kind(bk_btf_type(btf, 0)), BK_KIND_UNKN);
	bk_btf_free(btf);
}

TEST(core_find_by_name)
{
	struct bk_btf *btf = open_sample();
	uint32_t ids[4];
	int id;

	REQUIRE(btf);
	id = bk_btf_find(btf, "sample", BK_KIND_STRUCT);
	REQUIRE(id > 0);
	CHECK_STR(bk_btf_name(btf, bk_btf_type(btf, (uint32_t)id)), "sample");
	CHECK_EQ(bk_btf_find(btf, "sample", BK_KIND_UNION), -ENOENT);
	CHECK_EQ(bk_btf_find(btf, "no_such_type", -1), -ENOENT);
	CHECK_EQ(bk_btf_find_all(btf, "int", BK_KIND_INT, ids, 4), 1);
	/* the 'sample' struct and its DECL_TAGs do not share the name */
	CHECK_EQ(bk_btf_find_all(btf, "sample", -1, ids, 4), 1);
	CHECK_EQ(bk_btf_find(btf, "", -1), -EINVAL);
	bk_btf_free(btf);
}

TEST(core_sizes_and_alignment)
{
	struct bk_btf *btf = open_sample();
	int s, p, u, l, td;

	REQUIRE(btf);
	s = bk_btf_find(btf, "sample", BK_KIND_STRUCT);
	p = bk_btf_find(btf, "packed_s", BK_KIND_STRUCT);
	u = bk_btf_find(btf, "value", BK_KIND_UNION);
	l = bk_btf_find(btf, "list_head", BK_KIND_STRUCT);
	td = bk_btf_find(btf, "u64", BK_KIND_TYPEDEF);
	REQUIRE(s > 0 && p > 0 && u > 0 && l > 0 && td > 0);
	CHECK_EQ(bk_btf_resolve_size(btf, (uint32_t)s), 144);
	CHECK_EQ(bk_btf_align(btf, (uint32_t)s), 8);
	CHECK_EQ(bk_btf_resolve_size(btf, (uint32_t)p), 5);
	CHECK_EQ(bk_btf_align(btf, (uint32_t)p), 1);
	CHECK_EQ(bk_btf_resolve_size(btf, (uint32_t)u), 4);
	CHECK_EQ(bk_btf_align(btf, (uint32_t)u), 4);
	CHECK_EQ(bk_btf_align(btf, (uint32_t)l), 8);
	CHECK_EQ(bk_btf_resolve_size(btf, (uint32_t)td), 8);
	CHECK_EQ(bk_kind(bk_btf_type(btf, (uint32_t)bk_btf_resolve(btf, (uint32_t)td))), BK_KIND_INT);
	bk_btf_free(btf);
}

TEST(core_members_and_bitfields)
{
	struct bk_btf *btf = open_sample();
	const struct bk_type *t;
	const struct bk_member *m;
	int s;

	REQUIRE(btf);
	s = bk_btf_find(btf, "sample", BK_KIND_STRUCT);
	REQUIRE(s > 0);
	t = bk_btf_type(btf, (uint32_t)s);
	CHECK(bk_kflag(t));
	m = bk_members(t);
	CHECK_STR(bk_btf_str(btf, m[1].name_off), "flags");
	CHECK_EQ(bk_member_bit_offset(t, &m[1]), 32);
	CHECK_EQ(bk_member_bitfield_size(t, &m[1]), 3);
	CHECK_EQ(bk_member_bit_offset(t, &m[2]), 35);
	CHECK_EQ(bk_member_bitfield_size(t, &m[2]), 5);
	CHECK_EQ(bk_member_bitfield_size(t, &m[0]), 0);
	bk_btf_free(btf);
}

TEST(core_raw_dump_matches_golden)
{
	struct bk_btf *btf = open_sample();
	char *got, *want = NULL;
	size_t n = 0;
	FILE *f;

	REQUIRE(btf);
	got = bt_dump_raw(btf);
	f = fopen(bt_data("sample.bpf.o.raw"), "r");
	REQUIRE(f);
	{
		long len;

		fseek(f, 0, SEEK_END);
		len = ftell(f);
		fseek(f, 0, SEEK_SET);
		want = calloc(1, (size_t)len + 1);
		n = fread(want, 1, (size_t)len, f);
		want[n] = 0;
	}
	fclose(f);
	CHECK_STR(got, want);
	free(got);
	free(want);
	bk_btf_free(btf);
}

/*
 * Options structs, one rule for all (bk__opts_get): a caller's older,
 * shorter struct gets the defaults for what it lacks; a size below
 * sizeof(size_t) is -EINVAL; a newer, longer struct is fine while the
 * fields this library does not know are zero, -EOPNOTSUPP otherwise.
 */
TEST(core_options_structs)
{
	struct { struct bk_validate_opts o; uint64_t newer; } big = { { .sz = sizeof(big) }, 0 };
	struct { struct bk_open_opts o; uint64_t newer; } obig = { { .sz = sizeof(obig) }, 0 };
	struct bk_validate_opts vo = { .sz = sizeof(size_t) };
	struct bk_open_opts oo = { .sz = sizeof(size_t) - 1 };
	struct bk_dump_opts dopts = { .sz = 1 };
	struct bk_membuf mb = { 0 };
	struct bk_sink sink = bk_sink_membuf(&mb);
	struct bk_btf *btf = open_sample(), *b;
	int n;

	REQUIRE(btf);
	n = bk_btf_validate(btf, NULL);                  /* problems found with the defaults */
	CHECK(n >= 0);
	CHECK_EQ(bk_btf_validate(btf, &vo), n);          /* only sz: every default */
	CHECK_EQ(bk_btf_validate(btf, &big.o), n);       /* newer, zero tail */
	big.newer = 1;
	CHECK_EQ(bk_btf_validate(btf, &big.o), -EOPNOTSUPP);
	CHECK_EQ(bk_dump(btf, &sink, &dopts), -EINVAL);
	dopts.sz = offsetof(struct bk_dump_opts, ids); /* format only: raw */
	CHECK_EQ(bk_dump(btf, &sink, &dopts), 0);
	CHECK(mb.len > 0);
	errno = 0;
	CHECK(!bk_btf_open(bt_data("sample.bpf.o"), &oo));
	CHECK_EQ(errno, EINVAL);
	obig.newer = 1;
	errno = 0;
	CHECK(!bk_btf_open(bt_data("sample.bpf.o"), &obig.o));
	CHECK_EQ(errno, EOPNOTSUPP);
	obig.newer = 0;
	b = bk_btf_open(bt_data("sample.bpf.o"), &obig.o);
	CHECK(b);
	bk_btf_free(b);
	free(mb.data);
	bk_btf_free(btf);
}

/* nr_strings counts every NUL of the string section, whatever the bytes around it. */
TEST(core_layout_info_counts_strings)
{
	static const char *names[] = { "a", "bc", "\x80\xff\x7f", "seventeen chars!!", "\xc3\xa9t\xc3\xa9",
				       "\x01", "12345678", "1234567", "123456789", "\x7f\x80" };
	struct bk_btf *btf = bk_btf_new_empty(NULL);
	struct bk_btf_layout_info li;
	void *raw = NULL;
	size_t size = 0;
	uint32_t nuls = 0;

	REQUIRE(btf);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		REQUIRE(bk_btf_add_int(btf, names[i], 4, 0) > 0);
	REQUIRE(bk_btf_serialize(btf, &raw, &size) == 0);
	bk_btf_layout_info(btf, &li);
	REQUIRE((size_t)li.hdr_len + li.str_off + li.str_len <= size);
	for (uint32_t i = 0; i < li.str_len; i++)
		nuls += ((const char *)raw)[li.hdr_len + li.str_off + i] == '\0';
	CHECK_EQ(li.nr_strings, nuls);
	CHECK_EQ(li.nr_strings, 11);
	free(raw);
	bk_btf_free(btf);
}
