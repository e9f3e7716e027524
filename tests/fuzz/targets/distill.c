// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Fuzz target "distill": the split layout (fz_split_at: a 4-byte word, a
 * base, a split). When both parse:
 *  1. the split is distilled; a failure leaves no output and says why. The
 *     distilled pair is written and read back (same dumps), and the read-back
 *     split is relocated onto the original base: on success it has the
 *     source's own types plus those moved out of the base, and runs every
 *     query, printer and the writer round trip.
 *  2. the input split itself, taken as split on a distilled base, is
 *     relocated onto a second copy of its base: this fuzzes relocation
 *     with arbitrary distilled bases, embedding chains and loops.
 * A failed relocation must leave the split as it was (same base, same dump)
 * with the reason in diag.
 */
#include <stdlib.h>
#include <string.h>

#include "btfkit/distill.h"
#include "btfkit/write.h"
#include "../fuzz.h"

/* Relocate split onto base; the invariants of success and failure. */
static void relocate_checked(struct bk_btf *split, struct bk_btf *base, uint32_t min_own)
{
	struct bk_diag diag = { 0 };
	struct bk_relocate_opts ro = { .sz = sizeof(ro), .diag = &diag };
	const struct bk_btf *old_base = bk_btf_base(split);
	uint32_t nr_own = bk_btf_nr_own_types(split);
	char *before = fz_dump_raw(split), *after;
	int err = bk_btf_relocate(split, base, &ro);

	if (err) {
		FZ_ASSERT(err < 0 && diag.err == err && diag.msg[0]);
		FZ_ASSERT(bk_btf_base(split) == old_base);
		after = fz_dump_raw(split);
		FZ_ASSERT(before && after && !strcmp(before, after));
		free(after);
	} else {
		FZ_ASSERT(bk_btf_base(split) == base);
		FZ_ASSERT(bk_btf_start_id(split) == bk_btf_type_cnt(base));
		FZ_ASSERT(bk_btf_nr_own_types(split) == nr_own && nr_own >= min_own);
		fz_exercise(split, NULL, 0);
		fz_round_trip(split, NULL, 0);
	}
	free(before);
}

/* Serialize a distilled pair, parse it back; dumps must agree. */
static bool reparse(const struct bk_btf *db, const struct bk_btf *ds, struct bk_btf **db2,
		    struct bk_btf **ds2)
{
	struct bk_diag diag = { 0 };
	struct bk_open_opts o = { .sz = sizeof(o), .diag = &diag };
	void *bd = NULL, *sd = NULL;
	size_t bn, sn;
	char *a, *b;

	*db2 = *ds2 = NULL;
	if (bk_btf_serialize(db, &bd, &bn) || bk_btf_serialize(ds, &sd, &sn)) {
		free(bd);
		return false; /* an unknown kind in the other byte order */
	}
	*db2 = bk_btf_from_mem(bd, bn, &o);
	FZ_ASSERT(*db2 != NULL);
	o.base = *db2;
	*ds2 = bk_btf_from_mem(sd, sn, &o);
	FZ_ASSERT(*ds2 != NULL);
	a = fz_dump_raw(ds);
	b = fz_dump_raw(*ds2);
	FZ_ASSERT(a && b && !strcmp(a, b));
	free(a);
	free(b);
	free(bd);
	free(sd);
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bk_diag diag = { 0 };
	struct bk_open_opts opts = { .sz = sizeof(opts), .diag = &diag };
	struct bk_distill_opts dopts = { .sz = sizeof(dopts), .diag = &diag };
	struct bk_btf *base, *base2, *split, *db = (void *)1, *ds = (void *)1, *db2, *ds2;
	size_t base_len;
	int err;

	if (!fz_split_at(&data, &size, &base_len))
		return 0;
	base = bk_btf_from_mem(data, base_len, &opts);
	if (!base)
		return 0;
	opts.base = base;
	split = bk_btf_from_mem(data + base_len, size - base_len, &opts);
	if (!split) {
		bk_btf_free(base);
		return 0;
	}
	err = bk_btf_distill_base(split, &db, &ds, &dopts);
	if (err) {
		FZ_ASSERT(err < 0 && diag.err == err && diag.msg[0] && !db && !ds);
	} else {
		FZ_ASSERT(bk_btf_base(ds) == db && !bk_btf_base(db));
		FZ_ASSERT(bk_btf_type_cnt(db) <= bk_btf_start_id(split));
		FZ_ASSERT(bk_btf_nr_own_types(ds) >= bk_btf_nr_own_types(split));
		fz_queries(ds);
		if (reparse(db, ds, &db2, &ds2)) {
			relocate_checked(ds2, base, bk_btf_nr_own_types(split));
			bk_btf_free(ds2);
			bk_btf_free(db2);
		}
		bk_btf_free(ds);
		bk_btf_free(db);
	}
	opts.base = NULL;
	base2 = bk_btf_from_mem(data, base_len, &opts);
	FZ_ASSERT(base2 != NULL);
	relocate_checked(split, base2, 0);
	bk_btf_free(split);
	bk_btf_free(base2);
	bk_btf_free(base);
	return 0;
}
