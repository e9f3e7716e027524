/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Internals shared by the writer's files (write.c adders, copy.c copying,
 * serialize.c output).
 *
 * Writable state (after bk__write_prepare() succeeded):
 *  - types is a heap buffer (types_cap > 0) and type_offs is growable;
 *  - btf->strset indexes the own strings and owns their buffer:
 *    btf->strs == bk__strset_data(btf->strset), strs_len == its length.
 *    (A base that is only searched, never written, gets a strset holding a
 *    private copy of its strings: strs then still points into its image.)
 * Every adder validates all arguments first, then reserves room, then adds
 * strings, then commits: an error before the commit leaves the object as it
 * was (strings added by a failing multi-string copy are rolled back with
 * bk__write_strs_truncate).
 */
#ifndef BTFKIT_WRITE_INT_H
#define BTFKIT_WRITE_INT_H

#include "internal.h"

/* Largest type ID and string offset libbpf accepts. */
#define BK__MAX_NR_TYPES 0x7fffffffu
#define BK__MAX_STR_OFF 0x7fffffffu

/* Make btf modifiable (copy types out of the image, index strings). */
BK_HIDDEN int bk__write_prepare(struct bk_btf *btf);
/* Global offset of s, added to btf's own strings unless btf or a base has it. */
BK_HIDDEN int bk__write_add_str(struct bk_btf *btf, const char *s);
/* Drop own strings added past len bytes (rollback after a failed copy). */
BK_HIDDEN int bk__write_strs_truncate(struct bk_btf *btf, size_t len);
/*
 * Replace btf's own string section with buf[0..len) (malloc'ed; btf takes
 * it over). The caller guarantees what the parser would: buf starts with a
 * NUL (for a base BTF), ends with one, and every string offset in btf's
 * records starts a string in it. The string index is dropped (the next
 * writer call rebuilds it). For builders that lay out strings themselves.
 */
BK_HIDDEN void bk__write_take_strs(struct bk_btf *btf, char *buf, size_t len);
/* Room for sz more bytes of records and one more type; 0 or -errno. */
BK_HIDDEN int bk__write_reserve(struct bk_btf *btf, size_t sz, uint32_t ntypes);
/* Append the sz-byte record already written at types + types_len; its ID. */
BK_HIDDEN int bk__write_commit(struct bk_btf *btf, size_t sz);

#endif /* BTFKIT_WRITE_INT_H */
