// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Fuzz target "btfbase": an ELF image (first four bytes forced to the ELF
 * magic) that may carry a distilled base in .BTF.base besides .BTF. It is
 * opened without a base, from memory and as a file (both must agree). A
 * module on its distilled base is queried and printed; then its distilled
 * base, written and read back alone, is given as the base: bk_btf_open
 * relocates onto it (from memory and as a file: same outcome, same types),
 * and with BK_OPEN_KEEP_DISTILLED the module stays on its distilled base.
 */
#include <stdlib.h>
#include <string.h>

#include "btfkit/distill.h"
#include "btfkit/write.h"
#include "../fuzz.h"

static void open_on(const uint8_t *img, size_t size, struct bk_btf *base)
{
	struct bk_diag d1 = { 0 }, d2 = { 0 };
	struct bk_open_opts o = { .sz = sizeof(o), .base = base, .diag = &d1 };
	struct bk_btf *mem = bk_btf_from_mem(img, size, &o), *file;

	file = fz_open_as_file(img, size, base, &d2);
	FZ_ASSERT(!mem == !file);
	if (!mem) {
		FZ_ASSERT(d1.err < 0 && d1.msg[0] && !strcmp(d1.msg, d2.msg));
		return;
	}
	FZ_ASSERT(!bk_btf_has_distilled_base(mem) && bk_btf_base(mem) == base);
	{
		char *a = fz_dump_raw(mem), *b = fz_dump_raw(file);

		FZ_ASSERT(a && b && !strcmp(a, b));
		free(a);
		free(b);
	}
	fz_exercise(mem, NULL, 0);
	fz_round_trip(mem, NULL, 0);
	bk_btf_free(file);
	bk_btf_free(mem);
	o.flags = BK_OPEN_KEEP_DISTILLED;
	mem = bk_btf_from_mem(img, size, &o);
	FZ_ASSERT(mem && bk_btf_has_distilled_base(mem));
	bk_btf_free(mem);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bk_diag diag = { 0 };
	struct bk_open_opts opts = { .sz = sizeof(opts), .diag = &diag };
	struct bk_btf *btf, *base;
	uint8_t *img;
	void *bd;
	size_t bn;

	if (size < 4)
		return 0;
	img = malloc(size);
	if (!img)
		return 0;
	memcpy(img, data, size);
	memcpy(img, "\177ELF", 4);
	btf = bk_btf_from_mem(img, size, &opts);
	fz_check_file_agrees(btf, img, size);
	if (!btf) {
		FZ_ASSERT(diag.err < 0 && diag.msg[0]);
		free(img);
		return 0;
	}
	fz_exercise(btf, NULL, 0);
	if (bk_btf_has_distilled_base(btf)) {
		const struct bk_btf *dist = bk_btf_base(btf);

		FZ_ASSERT(dist && !bk_btf_base(dist));
		FZ_ASSERT(bk_btf_check_distilled_base(dist, NULL) == 0);
		fz_round_trip(btf, NULL, 0);
		if (!bk_btf_serialize(dist, &bd, &bn)) {
			opts.base = NULL;
			base = bk_btf_from_mem(bd, bn, &opts);
			FZ_ASSERT(base != NULL);
			open_on(img, size, base);
			bk_btf_free(base);
			free(bd);
		}
	}
	bk_btf_free(btf);
	free(img);
	return 0;
}
