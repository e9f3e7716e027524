/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Fixtures shared by test_distill.c and test_relocate.c (see distill_fix.c). */
#ifndef BTFKIT_TEST_DISTILL_FIX_H
#define BTFKIT_TEST_DISTILL_FIX_H

#include "btfkit/btf.h"

/* Raw dump of every type (base ones too) as a heap string. */
char *dump_all(const struct bk_btf *btf);
#define CHECK_ALL(btf, text)                                                 \
	do {                                                                 \
		char *_d = dump_all(btf);                                    \
		CHECK_STR(_d, text);                                         \
		free(_d);                                                    \
	} while (0)

/* libbpf's selftest base (17 types) and split on it ([18]..[29]). */
struct bk_btf *selftest_base(void);
struct bk_btf *selftest_split(struct bk_btf *base);
extern const char selftest_base_raw[], selftest_split_raw[];
/* The split distilled (base types too), and relocated back (own types). */
extern const char distilled_raw[], relocated_raw[];

/* Relocating ds onto onto fails with err, a message holding msg_part, ds unchanged. */
void check_reloc_fails(struct bk_btf *ds, struct bk_btf *onto, int err, const char *msg_part);

#endif
