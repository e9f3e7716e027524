// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Fuzz target "dedup": deduplication in place. The first byte picks the
 * mode: bit 0 clear, the rest is raw BTF; bit 0 set, it is laid out as for
 * the split target (u32 n, base, split) and the split is deduplicated
 * against its base. A failed dedup must leave the object unchanged; a
 * successful one must not add types, must leave an object every query and
 * printer accepts, must survive the writer's round trip, and must be a
 * fixed point (deduplicating again changes nothing). dedup_explain is asked
 * about a few pairs (an ID and itself are always equivalent).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../fuzz.h"
#include "btfkit/dedup.h"
#include "btfkit/write.h"

static void serialize_eq(const struct bk_btf *a, const struct bk_btf *b)
{
	void *da, *db;
	size_t na, nb;

	FZ_ASSERT(bk_btf_serialize(a, &da, &na) == 0);
	FZ_ASSERT(bk_btf_serialize(b, &db, &nb) == 0);
	FZ_ASSERT(na == nb && !memcmp(da, db, na));
	free(da);
	free(db);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bk_open_opts opts = { .sz = sizeof(opts) };
	struct bk_diag diag = { 0 };
	struct bk_dedup_opts dopts = { .sz = sizeof(dopts), .diag = &diag };
	struct bk_btf *base, *btf, *orig;
	const uint8_t *raw;
	size_t raw_len;
	int err;

	if (!fz_open_ctl_base(&data, &size, &opts, &base))
		return 0;
	raw = data;
	raw_len = size;
	btf = bk_btf_from_mem(raw, raw_len, &opts);
	if (!btf)
		goto out;
	orig = bk_btf_from_mem(raw, raw_len, &opts);
	FZ_ASSERT(orig != NULL);

	err = bk_btf_dedup(btf, &dopts);
	if (err) {
		/* all or nothing */
		FZ_ASSERT(err < 0 && diag.err == err && diag.msg[0]);
		FZ_ASSERT(bk_btf_type_cnt(btf) == bk_btf_type_cnt(orig));
		{
			char *a = fz_dump_raw(btf), *b = fz_dump_raw(orig);

			FZ_ASSERT(a && b && !strcmp(a, b));
			free(a);
			free(b);
		}
	} else {
		struct bk_btf *again;
		void *d;
		size_t n;

		FZ_ASSERT(bk_btf_type_cnt(btf) <= bk_btf_type_cnt(orig));
		fz_queries(btf);
		fz_dump_all(btf, NULL, 0);
		fz_round_trip(btf, NULL, 0);
		/* a fixed point: a second dedup (of a re-parsed copy) changes nothing */
		FZ_ASSERT(bk_btf_serialize(btf, &d, &n) == 0);
		again = bk_btf_from_mem(d, n, &opts);
		free(d);
		FZ_ASSERT(again != NULL);
		FZ_ASSERT(bk_btf_dedup(again, NULL) == 0);
		FZ_ASSERT(bk_btf_type_cnt(again) == bk_btf_type_cnt(btf));
		serialize_eq(again, btf);
		bk_btf_free(again);
	}
	{
		uint32_t cnt = bk_btf_type_cnt(orig);
		char buf[64];

		for (size_t i = 0; i + 1 < raw_len && i < 8; i += 2) {
			uint32_t a = raw[i] % cnt, b = raw[i + 1] % cnt;
			int r = bk_btf_dedup_explain(orig, a, b, buf, sizeof(buf));

			FZ_ASSERT(r == 0 || r == 1 || r == -ENOMEM);
			FZ_ASSERT(strlen(buf) < sizeof(buf));
			FZ_ASSERT(bk_btf_dedup_explain(orig, a, a, buf, sizeof(buf)) == 0);
		}
		FZ_ASSERT(bk_btf_dedup_explain(orig, cnt, 0, buf, sizeof(buf)) == -EINVAL);
	}
	bk_btf_free(orig);
	bk_btf_free(btf);
out:
	bk_btf_free(base);
	return 0;
}
