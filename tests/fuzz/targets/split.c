// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Fuzz target "split": the input picks where the base ends and the split
 * begins. Layout: a 4-byte little-endian word n, then the base's raw BTF in
 * the next n % (size - 4 + 1) bytes, then the split's raw BTF. When both
 * parse, queries and every printer run over the split (own types and, with
 * include_base, the base's), the split goes through the writer's round
 * trip on its base, and a split of the split is tried on the same
 * bytes to exercise two levels of base chain.
 */
#include "../fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bk_diag diag = { 0 };
	struct bk_open_opts opts = { .sz = sizeof(opts), .diag = &diag };
	struct bk_btf *base, *split, *split2;
	size_t base_len;

	if (!fz_split_at(&data, &size, &base_len))
		return 0;
	base = bk_btf_from_mem(data, base_len, &opts);
	if (!base)
		return 0;
	opts.base = base;
	split = bk_btf_from_mem(data + base_len, size - base_len, &opts);
	if (!split) {
		FZ_ASSERT(diag.err < 0 && diag.msg[0]);
		bk_btf_free(base);
		return 0;
	}
	FZ_ASSERT(bk_btf_start_id(split) == bk_btf_type_cnt(base));
	FZ_ASSERT(bk_btf_base(split) == base);
	fz_exercise(split, data, base_len > 8 ? 8 : base_len);
	fz_round_trip(split, NULL, 0);

	opts.base = split;
	split2 = bk_btf_from_mem(data + base_len, size - base_len, &opts);
	if (split2) {
		FZ_ASSERT(bk_btf_start_id(split2) == bk_btf_type_cnt(split));
		fz_queries(split2);
		bk_btf_free(split2);
	}
	bk_btf_free(split);
	bk_btf_free(base);
	return 0;
}
