// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Fuzz target "raw": the input is a raw BTF blob (either byte order). If it
 * parses, every query runs over every type and the raw printer prints it.
 * Inputs without the BTF magic are skipped: compressed and ELF inputs have
 * their own targets.
 */
#include "../fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bk_diag diag = { 0 };
	struct bk_open_opts opts = { .sz = sizeof(opts), .diag = &diag };
	struct bk_btf *btf;

	if (size < 2 || !((data[0] == 0x9f && data[1] == 0xeb) || (data[0] == 0xeb && data[1] == 0x9f)))
		return 0;
	btf = bk_btf_from_mem(data, size, &opts);
	if (!btf) {
		/* a failure always says why */
		FZ_ASSERT(diag.err < 0 && diag.msg[0]);
		return 0;
	}
	FZ_ASSERT(bk_btf_start_id(btf) == 1 && bk_btf_start_str_off(btf) == 0);
	fz_exercise(btf, data + 2, size > 6 ? 4 : 0);
	bk_btf_free(btf);
	return 0;
}
