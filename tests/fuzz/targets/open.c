// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Fuzz target "open": any bytes through input detection, as bk_btf_open
 * sees a file: raw BTF, ELF, xz/lzma/zstd/gzip/lz4/bzip2 streams (of raw BTF or ELF) and
 * bzImage, from memory and from a file (mapped): both must agree.
 * Decompression must stay bounded (see src/decompress.c); what parses is
 * queried and printed.
 */
#include "../fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bk_diag diag = { 0 };
	struct bk_open_opts opts = { .sz = sizeof(opts), .diag = &diag };
	struct bk_btf *btf = bk_btf_from_mem(data, size, &opts);

	fz_check_file_agrees(btf, data, size);
	if (!btf) {
		FZ_ASSERT(diag.err < 0 && diag.msg[0]);
		return 0;
	}
	fz_exercise(btf, NULL, 0);
	bk_btf_free(btf);
	return 0;
}
