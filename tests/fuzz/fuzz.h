/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Shared pieces of the fuzz targets (tests/fuzz/targets/NAME.c). Each target is
 * one file defining LLVMFuzzerTestOneInput; it is linked either with
 * libFuzzer (make fuzz, clang -fsanitize=fuzzer) or with replay_main.c, a
 * plain main() that feeds it files (the replay suite, tests/fuzz/replay.sh).
 *
 * fz_exercise() runs everything a consumer may do with a parsed object over
 * every type: lookups, names, queries (resolve, skip_mods, resolve_size,
 * align), the name index, layout info and every output format. It asserts the
 * library's documented invariants (abort() on violation, so the fuzzer
 * reports it); sanitizers catch the rest.
 */
#ifndef BTFKIT_FUZZ_H
#define BTFKIT_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "btfkit/btf.h"
#include "btfkit/dump.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Abort with a message when cond is false: an invariant the fuzzer checks. */
#define FZ_ASSERT(cond) ((cond) ? (void)0 : fz_fail(__FILE__, __LINE__, #cond))
void fz_fail(const char *file, int line, const char *what) __attribute__((noreturn));

/* Queries over every type (and the name index) of btf. */
void fz_queries(const struct bk_btf *btf);
/*
 * Every output format over btf; ctl (any bytes, may be 0 long) picks options:
 * include_base, pretty, and a few explicit IDs.
 */
void fz_dump_all(const struct bk_btf *btf, const uint8_t *ctl, size_t ctl_len);
/* Raw text dump of all own types (malloc'ed), NULL on error. */
char *fz_dump_raw(const struct bk_btf *btf);
/*
 * Writer round trip: serialize btf (own types; a split keeps its base),
 * parse the blob back and check equal raw dumps and that serializing again
 * gives the same bytes; with orig, the first serialization must equal it.
 */
void fz_round_trip(const struct bk_btf *btf, const uint8_t *orig, size_t orig_len);
/*
 * bk_btf_open() on a file holding data (a memfd, opened by its /proc path):
 * the file paths (mmap, section-only ELF reads) that bk_btf_from_mem skips.
 */
struct bk_btf *fz_open_as_file(const uint8_t *data, size_t size, struct bk_btf *base,
			       struct bk_diag *diag);
/*
 * Open data both from memory (mem, already done by the caller) and as a
 * file; both must succeed or fail alike and print the same types.
 */
void fz_check_file_agrees(const struct bk_btf *mem, const uint8_t *data, size_t size);
/* A malloc'ed copy of data with the ELF magic forced (NULL when size < 4 or no memory). */
uint8_t *fz_elf_image(const uint8_t *data, size_t size);
/* Both of the above. */
void fz_exercise(const struct bk_btf *btf, const uint8_t *ctl, size_t ctl_len);

/*
 * The split layout (target split): a 4-byte little-endian word n, then the
 * base's raw BTF in the next n % (size - 4 + 1) bytes, then the split's raw
 * BTF. fz_split_at consumes the word (*data, *size then hold base and
 * split) and sets *base_len; false when size < 4.
 */
bool fz_split_at(const uint8_t **data, size_t *size, size_t *base_len);
/*
 * The layout of the dedup and validate targets: a control byte, then with
 * its bit 0 clear raw BTF, with bit 0 set the split layout. Consumes the
 * control byte and, with bit 0 set, opens the base (on opts; *base and
 * opts->base become it) and consumes its bytes; *base is NULL otherwise.
 * *data, *size then hold the BTF to open on opts. False (nothing to free)
 * when the input is too short or the base does not parse.
 */
bool fz_open_ctl_base(const uint8_t **data, size_t *size, struct bk_open_opts *opts,
		      struct bk_btf **base);

/* Little-endian 32-bit value at p (unaligned). */
static inline uint32_t fz_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

#endif
