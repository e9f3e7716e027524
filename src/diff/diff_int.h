/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Internals of the BTF diff (src/diff): spell.c spells types in C,
 * compare.c compares two types of one kind, diff.c matches types by name
 * and builds the result, print.c prints it.
 *
 * Invariants:
 *  - Every string of a result (names, C spellings, member paths) lives in
 *    the result's arena or in the BTFs' string sections, which outlive it.
 *  - A side's spelling memo covers its type IDs [0, cnt); a spelling, once
 *    made, never changes. Spelling recursion is bounded by
 *    BK__DIFF_MAX_DEPTH (-ELOOP) and an anonymous type reached again while
 *    it is being spelled is written "struct {...}".
 */
#ifndef BTFKIT_DIFF_INT_H
#define BTFKIT_DIFF_INT_H

#include "internal.h"
#include "btfkit/diff.h"
/* the layout view's growing text buffer (bk__lbuf) and bk__lay_name */
#include "dump/layout_int.h"

#define BK__DIFF_MAX_DEPTH 64

/* A chunked bump allocator: everything is freed at once. */
struct bk__arena {
	struct bk__arena_chunk *head;
	size_t used, cap;            /* in the head chunk */
};
BK_HIDDEN void *bk__arena_alloc(struct bk__arena *a, size_t n);
BK_HIDDEN char *bk__arena_strndup(struct bk__arena *a, const char *s, size_t n);
BK_HIDDEN void bk__arena_free(struct bk__arena *a);

/*
 * One side of the comparison: its BTF and, per type ID, its C spelling as
 * the two halves of a declarator (prefix + NAME + suffix: "int (*" NAME
 * ")(void)") and as an abstract type ("int (*)(void)").
 */
struct bk__dside {
	const struct bk_btf *btf;
	uint32_t cnt;
	const char **pre, **suf, **abs;
	uint32_t *busy;              /* being spelled now: anonymous types open then + 1 */
	uint32_t open_anon;          /* anonymous structs and unions being spelled now */
	struct bk__arena *arena;
};
BK_HIDDEN int bk__dside_init(struct bk__dside *s, const struct bk_btf *btf, struct bk__arena *a);
BK_HIDDEN void bk__dside_fini(struct bk__dside *s);
/* The abstract C type of id ("struct sk_buff *", "char [48]"); NULL on error (*err set). */
BK_HIDDEN const char *bk__spell(struct bk__dside *s, uint32_t id, int *err);
/* A result being built (diff.c; its changes recorded by compare.c). */
struct bk__dresult {
	struct bk_diff_entry *entries;
	size_t n, cap;
	struct bk_diff_change *changes;   /* of the entry being built */
	size_t nc, ccap;
	struct bk__arena *arena;
};
/* compare.c: record one change of the entry being built; -ENOMEM. */
BK_HIDDEN int bk__dchange(struct bk__dresult *r, enum bk_diff_what what, const char *name,
			  const char *old_s, const char *new_s, int64_t old_v, int64_t new_v);

/*
 * compare.c: compare type o of the old side with n of the new side, both
 * of the given kind, recording changes; returns the number recorded or
 * -errno.
 */
BK_HIDDEN int bk__dcompare(struct bk__dside *old, uint32_t o, struct bk__dside *new_side, uint32_t n,
			   enum bk_diff_kind kind, struct bk__dresult *r);

#endif
