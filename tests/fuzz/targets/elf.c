// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Fuzz target "elf": the input is an ELF image (its first four bytes are
 * forced to the ELF magic so that no mutation is wasted); the .BTF section
 * is found by src/input/elf.c's header reader and parsed, from memory and
 * from a file (read without knowing its size first, the fast path, and
 * mapping only a big .BTF section): both must agree. What parses is
 * queried and printed.
 */
#include <stdlib.h>
#include <string.h>

#include "../fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bk_diag diag = { 0 };
	struct bk_open_opts opts = { .sz = sizeof(opts), .diag = &diag };
	struct bk_btf *btf;
	uint8_t *img = fz_elf_image(data, size);

	if (!img)
		return 0;
	btf = bk_btf_from_mem(img, size, &opts);
	fz_check_file_agrees(btf, img, size);
	free(img);
	if (!btf) {
		FZ_ASSERT(diag.err < 0 && diag.msg[0]);
		return 0;
	}
	FZ_ASSERT(bk_btf_source(btf) == BK_SOURCE_ELF);
	FZ_ASSERT(bk_btf_ptr_size(btf) == 4 || bk_btf_ptr_size(btf) == 8);
	fz_exercise(btf, NULL, 0);
	bk_btf_free(btf);
	return 0;
}
