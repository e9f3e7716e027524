// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Fuzz target "encode": the DWARF -> BTF encoder on an ELF image. The first
 * byte picks options (bit 0: all features or pahole 1.24's; bit 1: no
 * language excluded), the rest is the image, whose first four bytes are
 * forced to the ELF magic so that no mutation is wasted on them. A failure
 * must come with a message; what encodes is queried, printed and written
 * back, and encoding it again with two threads must give the same bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "../fuzz.h"
#include "btfkit/encode.h"
#include "btfkit/write.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bk_diag diag = { 0 };
	struct bk_encode_opts opts = { .sz = sizeof(opts), .diag = &diag };
	struct bk_btf *btf, *again;
	void *a, *b;
	size_t na, nb;
	uint8_t *img;

	if (size < 5)
		return 0;
	opts.features = data[0] & 1 ? BK_ENC_ALL
				    : BK_ENC_VAR | BK_ENC_FLOAT | BK_ENC_DECL_TAG | BK_ENC_TYPE_TAG |
				      BK_ENC_ENUM64;
	opts.lang_exclude = data[0] & 2 ? "" : NULL;
	size--;
	img = malloc(size);
	if (!img)
		return 0;
	memcpy(img, data + 1, size);
	memcpy(img, "\177ELF", 4);
	btf = bk_btf_encode_mem(img, size, &opts);
	if (!btf) {
		FZ_ASSERT(diag.err < 0 && diag.msg[0]);
		free(img);
		return 0;
	}
	fz_exercise(btf, NULL, 0);
	opts.jobs = 2;
	again = bk_btf_encode_mem(img, size, &opts);
	FZ_ASSERT(again != NULL);
	FZ_ASSERT(bk_btf_serialize(btf, &a, &na) == 0 && bk_btf_serialize(again, &b, &nb) == 0);
	FZ_ASSERT(na == nb && !memcmp(a, b, na));
	free(a);
	free(b);
	bk_btf_free(again);
	bk_btf_free(btf);
	free(img);
	return 0;
}
