// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bk_btf_open_many against bk_btf_open, file by file: the same object (the
 * same serialized bytes) or the same error, over files that take its
 * batched path (ELF with .BTF, both classes and byte orders) and every
 * kind it hands to bk_btf_open (raw BTF, compressed, a distilled base,
 * broken ELF, missing files, a directory), in more than one batch.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "blob.h"
#include "btfkit/distill.h"
#include "btfkit/write.h"
#include "test.h"

static bool same_object(const struct bk_btf *a, const struct bk_btf *b)
{
	void *ra = NULL, *rb = NULL;
	size_t na = 0, nb = 0;
	bool same;

	if (bk_btf_serialize(a, &ra, &na) || bk_btf_serialize(b, &rb, &nb))
		return false;
	same = na == nb && !memcmp(ra, rb, na) && bk_btf_type_cnt(a) == bk_btf_type_cnt(b) &&
	       bk_btf_ptr_size(a) == bk_btf_ptr_size(b) && bk_btf_endian(a) == bk_btf_endian(b) &&
	       bk_btf_source(a) == bk_btf_source(b) && bk_btf_has_distilled_base(a) == bk_btf_has_distilled_base(b);
	free(ra);
	free(rb);
	return same;
}

/* Every path opened both ways (base may be NULL); returns how many differ. */
static int compare(const char *const *paths, size_t n, struct bk_btf *base)
{
	struct bk_open_opts o = { .sz = sizeof(o), .base = base };
	struct bk_btf **out = calloc(n, sizeof(*out));
	int *errs = calloc(n, sizeof(*errs)), bad = 0;

	if (!out || !errs || bk_btf_open_many(paths, n, out, errs, &o))
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct bk_btf *one;
		int err;

		errno = 0;
		one = bk_btf_open(paths[i], &o);
		err = one ? 0 : -errno;
		if (!one != !out[i] || err != errs[i] || (one && !same_object(one, out[i]))) {
			bt_fail(__FILE__, __LINE__, "%s: open_many %s (%d), open %s (%d)", paths[i],
				out[i] ? "ok" : "failed", errs[i], one ? "ok" : "failed", err);
			bad++;
		}
		bk_btf_free(one);
		bk_btf_free(out[i]);
	}
	free(out);
	free(errs);
	return bad;
}

TEST(open_many_same_as_open)
{
	static const char *data[] = { "sample.bpf.o", "sample.bpfeb.o", "sample.btf", "sample.eb.btf",
				      "sample.bpf.o.xz", "sample.bpf.o.zst", "sample.bpf.o.raw",
				      "validate-ok.btf", "validate-bad.btf", "no-such-file", "" };
	const struct bt_elf_opts variants[] = {
		{ 0 },
		{ .elf32 = true, .big_endian = true },
		{ .elf32 = true },
		{ .big_endian = true },
		{ .shoff_past_end = true },
		{ .btf_past_end = true, .elf32 = true },
		{ .sec_name = ".BTF.ext", .big_endian = true },
		{ .btf_sh_type = 8 /* SHT_NOBITS */ },
		{ .btf_sh_flags = 0x800 /* SHF_COMPRESSED */ },
		{ .elf_class = 7 },
	};
	size_t nv = sizeof(variants) / sizeof(variants[0]), nd = sizeof(data) / sizeof(data[0]);
	const char *paths[160];
	char *tmp[16], *dpath[16];
	size_t n = 0, nt = 0, rn, en;
	struct bt_blob b;
	uint8_t *raw, *elf;
	struct bk_btf *base;

	bt_blob_init(&b, 0);
	bt_all_kinds(&b);
	raw = bt_blob_raw(&b, NULL, &rn);
	for (size_t v = 0; v < nv; v++) {
		elf = bt_elf(raw, rn, &variants[v], &en);
		REQUIRE((tmp[nt++] = strdup(bt_tmpfile(elf, en))));
		free(elf);
	}
	/* a module with a .BTF.base (here not a distilled base: bk_btf_open says so) */
	elf = bt_elf(raw, rn, &(struct bt_elf_opts){ .base_btf = raw, .base_len = rn }, &en);
	REQUIRE((tmp[nt++] = strdup(bt_tmpfile(elf, en))));
	/* truncated: 40 bytes of an ELF64 header, and 4 */
	REQUIRE((tmp[nt++] = strdup(bt_tmpfile(elf, 40))));
	REQUIRE((tmp[nt++] = strdup(bt_tmpfile(elf, 4))));
	free(elf);
	/* (bt_data's buffer is reused: copies; "" is the directory itself) */
	for (size_t i = 0; i < nd; i++)
		REQUIRE((dpath[i] = strdup(bt_data(data[i]))));
	/* three batches' worth (64 a batch), every kind of file in each */
	while (n + nd + nt <= sizeof(paths) / sizeof(paths[0])) {
		for (size_t i = 0; i < nd; i++)
			paths[n++] = dpath[i];
		for (size_t i = 0; i < nt; i++)
			paths[n++] = tmp[i];
	}
	CHECK_EQ(compare(paths, n, NULL), 0);
	CHECK_EQ(compare(paths, 1, NULL), 0);
	CHECK_EQ(compare(paths, 0, NULL), 0);
	/* split on a base: the sample's types again, as split BTF */
	base = bk_btf_open(bt_data("sample.bpf.o"), NULL);
	REQUIRE(base);
	REQUIRE(bk_btf_freeze(base) == 0);
	CHECK_EQ(compare(paths, n, base), 0);
	bk_btf_free(base);
	for (size_t i = 0; i < nt; i++) {
		unlink(tmp[i]);
		free(tmp[i]);
	}
	for (size_t i = 0; i < nd; i++)
		free(dpath[i]);
	free(raw);
	bt_blob_free(&b);
}

TEST(open_many_bad_arguments)
{
	struct bk_btf *out[1];
	int errs[1];
	const char *p = "x";

	CHECK_EQ(bk_btf_open_many(NULL, 1, out, errs, NULL), -EINVAL);
	CHECK_EQ(bk_btf_open_many(&p, 1, NULL, errs, NULL), -EINVAL);
	CHECK_EQ(bk_btf_open_many(&p, 1, out, NULL, NULL), -EINVAL);
	CHECK_EQ(bk_btf_open_many(NULL, 0, NULL, NULL, NULL), 0);
}
