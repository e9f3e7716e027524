// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Distilling tests. The expected layouts are those of libbpf's selftests
 * (prog_tests/btf_distill.c: distilled_base, distilled_base_multi,
 * distilled_endianness; BTF-REFERENCE.md §8), built with the same writer
 * calls (ENUM64 values printed as bpftool 7.1 does, with "LL"); the byte
 * layout of the output (24-byte headers, string sections in first-use
 * order) is checked too, as the writer's output equals libbpf's for the
 * same calls. Then modules with .BTF.base read from ELF (memory and file,
 * both byte orders), and bad .BTF.base sections.
 */
#include <stdlib.h>
#include <unistd.h>

#include "blob.h"
#include "distill_fix.h"
#include "test.h"
#include "btfkit/distill.h"
#include "btfkit/write.h"

/* The string section of btf's serialized own BTF equals (s, n). */
static bool strs_are(const struct bk_btf *btf, const char *s, size_t n)
{
	struct bk_btf_layout_info li;
	void *data;
	size_t size;
	bool ok;

	if (bk_btf_serialize(btf, &data, &size))
		return false;
	bk_btf_layout_info(btf, &li);
	ok = li.hdr_len == 24 && size == 24 + li.str_off + n && li.str_len == n &&
	     !memcmp((char *)data + 24 + li.str_off, s, n);
	free(data);
	return ok;
}

static const char dbase_strs[] = "\0int\0s1\0u1\0e1\0e641\0embedded\0from_proto";
static const char dsplit_strs[] = "et\0with_embedded\0f1\0fn\0arraytype\0p1\0f2\0av1\0v1";

TEST(distill_selftest_layout)
{
	struct bk_btf *base = selftest_base(), *split, *db = NULL, *ds = NULL;
	struct bk_diag diag = { 0 };
	struct bk_distill_opts o = { .sz = sizeof(o), .diag = &diag };
	char *d;

	split = selftest_split(base);
	CHECK_ALL(base, selftest_base_raw);
	d = bt_dump_raw(split);
	CHECK_STR(d, selftest_split_raw);
	free(d);
	CHECK_EQ(bk_btf_distill_base(split, &db, &ds, &o), 0);
	REQUIRE(db && ds);
	CHECK_EQ(bk_btf_type_cnt(db), 8);
	CHECK_EQ(bk_btf_base(ds), db);
	CHECK_ALL(ds, distilled_raw);
	/* byte layout: 24-byte headers, strings in first-use order */
	CHECK(strs_are(db, dbase_strs, sizeof(dbase_strs)));
	CHECK(strs_are(ds, dsplit_strs, sizeof(dsplit_strs)));
	/* the source is untouched */
	d = bt_dump_raw(split);
	CHECK_STR(d, selftest_split_raw);
	free(d);

	struct bk_relocate_opts ro = { .sz = sizeof(ro), .diag = &diag };

	CHECK_EQ(bk_btf_relocate(ds, base, &ro), 0);
	CHECK_EQ(bk_btf_base(ds), base);
	CHECK_EQ(bk_btf_start_id(ds), 18);
	d = bt_dump_raw(ds);
	CHECK_STR(d, relocated_raw);
	free(d);
	/* strings moved with the base: the split's own section is unchanged */
	CHECK(strs_are(ds, dsplit_strs, sizeof(dsplit_strs)));
	CHECK_EQ(bk_btf_find(ds, "with_embedded", BK_KIND_STRUCT), 26);
	bk_btf_free(ds);
	bk_btf_free(db);
	bk_btf_free(split);
	bk_btf_free(base);
}

/* Serialize a distilled pair and parse it back (*db2 base, *ds2 split); false on failure. */
static bool reparse_pair(const struct bk_btf *db, const struct bk_btf *ds, struct bk_btf **db2,
			 struct bk_btf **ds2)
{
	void *bd = NULL, *sd = NULL;
	size_t bn, sn;

	*db2 = *ds2 = NULL;
	if (!bk_btf_serialize(db, &bd, &bn) && !bk_btf_serialize(ds, &sd, &sn) &&
	    (*db2 = bt_parse(bd, bn, NULL, NULL)))
		*ds2 = bt_parse(sd, sn, *db2, NULL);
	free(bd);
	free(sd);
	if (*ds2)
		return true;
	bk_btf_free(*db2);
	return false;
}

/* The distilled pair written out and read back gives the same types. */
TEST(distill_serialized_round_trip)
{
	struct bk_btf *base = selftest_base(), *split = selftest_split(base), *db, *ds, *db2, *ds2;

	REQUIRE(bk_btf_distill_base(split, &db, &ds, NULL) == 0);
	REQUIRE(reparse_pair(db, ds, &db2, &ds2));
	CHECK_ALL(ds2, distilled_raw);
	CHECK_EQ(bk_btf_relocate(ds2, base, NULL), 0);
	{
		char *d = bt_dump_raw(ds2);

		CHECK_STR(d, relocated_raw);
		free(d);
	}
	bk_btf_free(ds2);
	bk_btf_free(db2);
	bk_btf_free(ds);
	bk_btf_free(db);
	bk_btf_free(split);
	bk_btf_free(base);
}

/* distilled_base_multi: two ints of one name, different sizes. */
TEST(distill_multi_same_name)
{
	struct bk_btf *b1 = bk_btf_new_empty(NULL), *s, *db, *ds, *b2;
	static const char raw[] =
		"[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED\n"
		"[2] INT 'int' size=8 bits_offset=0 nr_bits=64 encoding=SIGNED\n"
		"[3] PTR '(anon)' type_id=1\n"
		"[4] CONST '(anon)' type_id=2\n";

	bk_btf_add_int(b1, "int", 4, BK_INT_SIGNED);
	bk_btf_add_int(b1, "int", 8, BK_INT_SIGNED);
	s = bk_btf_new_empty(b1);
	bk_btf_add_ptr(s, 1);
	bk_btf_add_const(s, 2);
	CHECK_ALL(s, raw);
	REQUIRE(bk_btf_distill_base(s, &db, &ds, NULL) == 0);
	CHECK_ALL(ds, raw);
	/* onto a base with more types and the ints in the other order */
	b2 = bk_btf_new_empty(NULL);
	bk_btf_add_int(b2, "long", 8, BK_INT_SIGNED);
	bk_btf_add_int(b2, "int", 8, BK_INT_SIGNED);
	bk_btf_add_int(b2, "int", 4, BK_INT_SIGNED);
	CHECK_EQ(bk_btf_relocate(ds, b2, NULL), 0);
	{
		char *d = bt_dump_raw(ds);

		CHECK_STR(d, "[4] PTR '(anon)' type_id=3\n[5] CONST '(anon)' type_id=2\n");
		free(d);
	}
	bk_btf_free(ds);
	bk_btf_free(db);
	bk_btf_free(s);
	bk_btf_free(b1);
	bk_btf_free(b2);
}

TEST(distill_endianness)
{
	struct bk_btf *base = selftest_base(), *split = selftest_split(base), *db, *ds, *db2, *ds2;
	enum bk_endian other = bk_btf_endian(base) == BK_ENDIAN_LITTLE ? BK_ENDIAN_BIG
								       : BK_ENDIAN_LITTLE;

	bk_btf_set_endian(split, other);
	REQUIRE(bk_btf_distill_base(split, &db, &ds, NULL) == 0);
	CHECK_EQ(bk_btf_endian(db), other);
	CHECK_EQ(bk_btf_endian(ds), other);
	REQUIRE(reparse_pair(db, ds, &db2, &ds2));
	CHECK_EQ(bk_btf_endian(db2), other);
	CHECK_EQ(bk_btf_endian(ds2), other);
	CHECK_ALL(ds2, distilled_raw);
	bk_btf_free(ds2);
	bk_btf_free(db2);
	bk_btf_free(ds);
	bk_btf_free(db);
	bk_btf_free(split);
	bk_btf_free(base);
}

TEST(distill_errors)
{
	struct bk_btf *b = bk_btf_new_empty(NULL), *s, *db = (void *)1, *ds = (void *)1;
	struct bk_diag diag = { 0 };
	struct bk_distill_opts o = { .sz = sizeof(o), .diag = &diag };
	int fp, fn;

	CHECK_EQ(bk_btf_distill_base(b, &db, &ds, &o), -EINVAL);
	CHECK(strstr(diag.msg, "not split BTF") != NULL);
	CHECK(db == NULL && ds == NULL);
	bk_btf_add_int(b, "int", 4, BK_INT_SIGNED);
	fp = bk_btf_add_func_proto(b, 1);
	fn = bk_btf_add_func(b, "f", BK_LINKAGE_GLOBAL, fp);
	s = bk_btf_new_empty(b);
	bk_btf_add_decl_tag(s, "tag", fn, -1);
	CHECK_EQ(bk_btf_distill_base(s, &db, &ds, &o), -EINVAL);
	CHECK_STR(diag.msg, "type [4] DECL_TAG 'tag' refers to base type [3] FUNC 'f', which a distilled base cannot describe");
	CHECK(db == NULL && ds == NULL);
	bk_btf_free(s);
	bk_btf_free(b);
}

/* ---- modules with .BTF.base ------------------------------------------------ */

/* An ELF image with .BTF = the distilled split and .BTF.base = its base. */
static uint8_t *distilled_elf(const struct bk_btf *db, const struct bk_btf *ds, bool big,
			      size_t *size)
{
	struct bt_elf_opts eo = { .big_endian = big };
	void *bd, *sd;
	size_t bn, sn;
	uint8_t *elf;

	if (bk_btf_serialize(db, &bd, &bn) || bk_btf_serialize(ds, &sd, &sn))
		abort();
	eo.base_btf = bd;
	eo.base_len = bn;
	elf = bt_elf(sd, sn, &eo, size);
	free(bd);
	free(sd);
	return elf;
}

static struct bk_btf *open_file(const void *data, size_t size, struct bk_btf *base, unsigned flags,
				struct bk_diag *diag)
{
	struct bk_open_opts o = { .sz = sizeof(o), .base = base, .diag = diag, .flags = flags };
	const char *path = bt_tmpfile(data, size);
	struct bk_btf *btf = bk_btf_open(path, &o);

	unlink(path);
	return btf;
}

TEST(distill_elf_btf_base)
{
	struct bk_btf *base = selftest_base(), *split = selftest_split(base), *db, *ds, *m;
	struct bk_diag diag = { 0 };
	size_t n;
	uint8_t *elf;
	char *d;

	REQUIRE(bk_btf_distill_base(split, &db, &ds, NULL) == 0);
	for (int big = 0; big < 2; big++) {
		if (big) {
			bk_btf_set_endian(db, BK_ENDIAN_BIG);
			bk_btf_set_endian(ds, BK_ENDIAN_BIG);
		}
		elf = distilled_elf(db, ds, big, &n);
		for (int file = 0; file < 2; file++) {
			/* no base: split on the distilled base, which it owns */
			m = file ? open_file(elf, n, NULL, 0, &diag) : bt_parse(elf, n, NULL, &diag);
			REQUIRE(m);
			CHECK(bk_btf_has_distilled_base(m));
			CHECK_EQ(bk_btf_type_cnt(bk_btf_base(m)), 8);
			CHECK_EQ(bk_btf_ptr_size(m), 8);
			CHECK_ALL(m, distilled_raw);
			bk_btf_free(m);
			/* with a base: relocated onto it */
			m = file ? open_file(elf, n, base, 0, &diag) : bt_parse(elf, n, base, &diag);
			REQUIRE(m);
			CHECK(!bk_btf_has_distilled_base(m));
			CHECK(bk_btf_base(m) == base);
			d = bt_dump_raw(m);
			CHECK_STR(d, relocated_raw);
			free(d);
			bk_btf_free(m);
			/* keep the distilled base */
			m = open_file(elf, n, base, BK_OPEN_KEEP_DISTILLED, &diag);
			REQUIRE(m);
			CHECK(bk_btf_has_distilled_base(m));
			CHECK_ALL(m, distilled_raw);
			bk_btf_free(m);
		}
		free(elf);
	}
	bk_btf_free(ds);
	bk_btf_free(db);
	bk_btf_free(split);
	bk_btf_free(base);
}

/* The open fails with the reason, from memory and from a file alike. */
static void check_open_fails(const void *elf, size_t n, struct bk_btf *base, const char *msg)
{
	struct bk_diag d1 = { 0 }, d2 = { 0 };
	struct bk_btf *m = bt_parse(elf, n, base, &d1);

	CHECK(m == NULL);
	bk_btf_free(m);
	m = open_file(elf, n, base, 0, &d2);
	CHECK(m == NULL);
	bk_btf_free(m);
	CHECK_STR(d1.msg, msg);
	CHECK_STR(d2.msg, msg);
}

TEST(distill_elf_bad_btf_base)
{
	struct bk_btf *base = selftest_base(), *split = selftest_split(base), *db, *ds, *other;
	struct bt_elf_opts eo = { 0 };
	uint8_t junk[32] = { 1, 2, 3, 4 }, *elf;
	void *sd, *bd;
	size_t sn, bn, n;

	REQUIRE(bk_btf_distill_base(split, &db, &ds, NULL) == 0);
	REQUIRE(bk_btf_serialize(ds, &sd, &sn) == 0);
	/* .BTF.base is not BTF */
	eo.base_btf = junk;
	eo.base_len = sizeof(junk);
	elf = bt_elf(sd, sn, &eo, &n);
	{
		char msg[128];

		/* .BTF.base follows .BTF, which follows the 64-byte ELF header */
		snprintf(msg, sizeof(msg), ".BTF.base: bad BTF magic 0x0201, expected 0xeb9f (byte offset %zu)",
			 64 + sn);
		check_open_fails(elf, n, NULL, msg);
	}
	free(elf);
	/* .BTF.base is BTF but not a distilled base (the full selftest base) */
	REQUIRE(bk_btf_serialize(base, &bd, &bn) == 0);
	eo.base_btf = bd;
	eo.base_len = bn;
	elf = bt_elf(sd, sn, &eo, &n);
	check_open_fails(elf, n, NULL,
			 ".BTF.base: not a distilled base: type [2] PTR '(anon)' (a distilled base holds only named INT, FLOAT, ENUM, STRUCT, UNION and FWD types)");
	free(elf);
	free(bd);
	/* .BTF refers past its distilled base: a base with fewer types */
	other = bk_btf_new_empty(NULL);
	bk_btf_add_int(other, "int", 4, BK_INT_SIGNED);
	bk_btf_add_struct(other, "s1", 8);
	REQUIRE(bk_btf_serialize(other, &bd, &bn) == 0);
	eo.base_btf = bd;
	eo.base_len = bn;
	elf = bt_elf(sd, sn, &eo, &n);
	{
		struct bk_diag d = { 0 };
		struct bk_btf *m = bt_parse(elf, n, NULL, &d);

		CHECK(m == NULL);
		if (strcmp(d.msg, ".BTF on its distilled base (.BTF.base): referenced type ID 21 out of range (last ID is 20): does this split BTF belong to this base? (type [6], byte offset 132)"))
			bt_fail(__FILE__, __LINE__, "message: %s", d.msg);
		bk_btf_free(m);
	}
	free(elf);
	free(bd);
	bk_btf_free(other);
	/* relocation onto a base that lacks a type */
	REQUIRE(bk_btf_serialize(db, &bd, &bn) == 0);
	eo.base_btf = bd;
	eo.base_len = bn;
	elf = bt_elf(sd, sn, &eo, &n);
	other = bk_btf_new_empty(NULL);
	bk_btf_add_int(other, "int", 4, BK_INT_SIGNED);
	check_open_fails(elf, n, other,
			 "cannot relocate the module's BTF onto the base: distilled base type [2] STRUCT 's1' size 8 (embedded in [20] STRUCT '(anon)' size 12) has no match in the base: no type is named 's1' (6 distilled types have no single match)");
	free(elf);
	free(bd);
	bk_btf_free(other);
	free(sd);
	bk_btf_free(ds);
	bk_btf_free(db);
	bk_btf_free(split);
	bk_btf_free(base);
}


/* ---- bk_module_check ------------------------------------------------------- */

static const char *tmp_write(const void *data, size_t size)
{
	return bt_tmpfile(data, size);
}

TEST(distill_module_check)
{
	struct bk_btf *base = selftest_base(), *split = selftest_split(base), *db, *ds, *other;
	struct bk_module_check r;
	void *sd;
	size_t sn, n;
	uint8_t *elf;
	const char *p;
	char path[64];

	/* the split on its own base: loads */
	REQUIRE(bk_btf_serialize(split, &sd, &sn) == 0);
	p = tmp_write(sd, sn);
	snprintf(path, sizeof(path), "%s", p);
	CHECK_EQ(bk_module_check(path, base, &r, NULL), 0);
	CHECK(r.ok && r.loads && r.has_btf && !r.distilled && !r.other_vmlinux);
	CHECK_EQ(r.nr_refs, 13);
	CHECK_STR(r.reason, "");
	/* on a base with one more type: every reference is off by one */
	other = selftest_base();
	bk_btf_add_int(other, "long", 8, BK_INT_SIGNED);
	CHECK_EQ(bk_module_check(path, other, &r, NULL), 0);
	CHECK(!r.ok && r.other_vmlinux);
	CHECK(r.names_mid_string > 0); /* its own strings moved by "long" */
	CHECK(strstr(r.reason, "built against another vmlinux: ") == r.reason);
	CHECK(strstr(r.fix, "rebuild the module against this kernel's vmlinux") == r.fix);
	/* on a smaller base: references past its last type, the first named */
	bk_btf_free(other);
	other = bk_btf_new_empty(NULL);
	bk_btf_add_int(other, "int", 4, BK_INT_SIGNED);
	bk_btf_add_int(other, "long", 8, BK_INT_SIGNED);
	bk_btf_add_int(other, "char", 1, BK_INT_SIGNED);
	CHECK_EQ(bk_module_check(path, other, &r, NULL), 0);
	CHECK(!r.ok && r.other_vmlinux);
	CHECK_EQ(r.refs_past_end, 1);
	CHECK(r.refs_wrong_kind > 0);
	if (!strstr(r.reason, "(first: [12] STRUCT '?' refers to [13] FUNC '?', where a data type belongs)"))
		bt_fail(__FILE__, __LINE__, "reason: %s", r.reason);
	unlink(path);
	free(sd);
	/* the distilled module in ELF: relocates onto the base, not onto other */
	REQUIRE(bk_btf_distill_base(split, &db, &ds, NULL) == 0);
	elf = distilled_elf(db, ds, false, &n);
	p = tmp_write(elf, n);
	snprintf(path, sizeof(path), "%s", p);
	CHECK_EQ(bk_module_check(path, base, &r, NULL), 0);
	CHECK(r.ok && r.loads && r.distilled && r.relocated);
	CHECK_EQ(r.nr_dist_types, 7);
	bk_btf_free(other);
	other = bk_btf_new_empty(NULL);
	bk_btf_add_int(other, "int", 4, BK_INT_SIGNED);
	CHECK_EQ(bk_module_check(path, other, &r, NULL), 0);
	CHECK(!r.ok && !r.loads && r.distilled && !r.relocated);
	CHECK_EQ(r.nr_unmatched, 6);
	CHECK_STR(r.reason, "its distilled base does not fit this kernel: 6 of 7 distilled types have no single match in this kernel's BTF (first: distilled base type [2] STRUCT 's1' size 8 (embedded in [20] STRUCT '(anon)' size 12) has no match in the base: no type is named 's1')");
	unlink(path);
	free(elf);
	/* no .BTF: nothing for the kernel to check; no file: an error */
	{
		uint8_t junk[8] = { 0 };
		struct bt_elf_opts eo = { .sec_name = ".text" };

		elf = bt_elf(junk, sizeof(junk), &eo, &n);
		p = tmp_write(elf, n);
		snprintf(path, sizeof(path), "%s", p);
		CHECK_EQ(bk_module_check(path, base, &r, NULL), 0);
		CHECK(r.ok && !r.has_btf);
		/* options read with bk__opts_get: too short refused, a longer zero tail fine */
		{
			struct {
				struct bk_module_check_opts o;
				char tail[8];
			} big;
			size_t tiny = 4;

			memset(&big, 0, sizeof(big));
			big.o.sz = sizeof(big);
			CHECK_EQ(bk_module_check(path, base, &r, (const void *)&tiny), -EINVAL);
			CHECK_EQ(bk_module_check(path, base, &r, &big.o), 0);
			CHECK(r.ok && !r.has_btf);
			big.tail[3] = 1;
			CHECK_EQ(bk_module_check(path, base, &r, &big.o), -EOPNOTSUPP);
		}
		unlink(path);
		free(elf);
	}
	CHECK_EQ(bk_module_check("/nonexistent/x.ko", base, &r, NULL), -ENOENT);
	CHECK_STR(r.reason, "cannot open: No such file or directory");
	/* malformed BTF: the kernel would not load it */
	p = tmp_write("\x9f\xeb\x01\x00\x18\x00\x00\x00", 8);
	snprintf(path, sizeof(path), "%s", p);
	CHECK_EQ(bk_module_check(path, base, &r, NULL), 0);
	CHECK(!r.ok && !r.loads && r.nr_problems == 1);
	CHECK(strstr(r.reason, "its BTF is malformed: ") == r.reason);
	unlink(path);
	bk_btf_free(other);
	bk_btf_free(ds);
	bk_btf_free(db);
	bk_btf_free(split);
	bk_btf_free(base);
}
