// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Fuzz target "bpf_fixup": the input is a BPF object (its ELF magic and
 * e_machine are forced so that no mutation is wasted). Its BTF is parsed,
 * then libbpf's load-time fix-ups are applied from the ELF sections and
 * symbols (bk_btf_fixup_bpf_mem): on failure the object must be unchanged
 * (same raw dump); on success it is queried, printed and validated.
 */
#include <stdlib.h>
#include <string.h>

#include "btfkit/validate.h"
#include "btfkit/write.h"
#include "../fuzz.h"

static int count_fix(const struct bk_fixup *f, void *ctx)
{
	FZ_ASSERT(f->msg && f->msg[0]);
	(*(int *)ctx)++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bk_diag diag = { 0 };
	int seen = 0;
	struct bk_fixup_opts fo = { .sz = sizeof(fo), .cb = count_fix, .ctx = &seen, .diag = &diag };
	struct bk_validate_opts vo = { .sz = sizeof(vo) };
	struct bk_btf *btf;
	char *before, *after;
	uint8_t *img = size >= 20 ? fz_elf_image(data, size) : NULL;
	int n;

	if (!img)
		return 0;
	img[img[5] == 2 ? 19 : 18] = 247; /* EM_BPF in the file's byte order */
	img[img[5] == 2 ? 18 : 19] = 0;
	btf = bk_btf_from_mem(img, size, NULL);
	if (!btf) {
		free(img);
		return 0;
	}
	before = fz_dump_raw(btf);
	n = bk_btf_fixup_bpf_mem(btf, img, size, &fo);
	free(img);
	if (n < 0) {
		FZ_ASSERT(diag.err == n && diag.msg[0]);
		after = fz_dump_raw(btf);
		FZ_ASSERT(!before == !after && (!before || !strcmp(before, after)));
		free(after);
	} else {
		FZ_ASSERT(n == seen);
		fz_exercise(btf, NULL, 0);
		FZ_ASSERT(bk_btf_validate(btf, &vo) >= 0);
	}
	free(before);
	bk_btf_free(btf);
	return 0;
}
