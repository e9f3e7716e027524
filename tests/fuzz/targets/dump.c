// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Fuzz target "dump": every printer over what parsed. The first 9 bytes
 * choose the dump options (format flags and up to four explicit IDs); the
 * rest is raw BTF. Each format (raw, JSON, C: those not built yet return
 * -EOPNOTSUPP) prints all types, the selected IDs, and into a failing sink.
 */
#include "../fuzz.h"

#define CTL 9

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bk_open_opts opts = { .sz = sizeof(opts) };
	struct bk_btf *btf;

	if (size < CTL + 2)
		return 0;
	if (!((data[CTL] == 0x9f && data[CTL + 1] == 0xeb) || (data[CTL] == 0xeb && data[CTL + 1] == 0x9f)))
		return 0;
	btf = bk_btf_from_mem(data + CTL, size - CTL, &opts);
	if (!btf)
		return 0;
	fz_dump_all(btf, data, CTL);
	bk_btf_free(btf);
	return 0;
}
