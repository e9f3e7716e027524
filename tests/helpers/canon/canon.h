// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Canonical descriptions of BTF types for btf_canon (tests/helpers/btf_canon.c,
 * where the matching algorithm is described): a side is one input (a BTF,
 * with its base for split BTF); canon_desc() gives any type's description,
 * free of IDs, memoized per mode. SHALLOW leaves references to ambiguous
 * (same-name) types undisambiguated; FULL adds "#HASH" of their SHALLOW
 * description. canon_compute_keep() marks the anonymous own types counted
 * under --ignore (canon_ignored). Uses btfkit's public API only.
 */
#ifndef BTF_CANON_H
#define BTF_CANON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "btfkit/btf.h"

struct sb {
	char *p;
	size_t len, cap;
};

enum mode { SHALLOW = 0, FULL = 1 };

struct side {
	const char *path;
	struct bk_btf *btf, *base;
	uint32_t cnt, start;
	char **desc[2];      /* per mode, memoized */
	uint8_t *busy[2];    /* in the description being built (cycle guard) */
	bool *keep;          /* own anonymous type counted (see canon_compute_keep) */
	char **dups;         /* sorted keys naming more than one type here */
	size_t nr_dups;
};

extern bool canon_ignored[BK_NR_KINDS];
/* Ambiguous keys: union of both sides' duplicates, sorted (strings owned by the sides). */
extern char **canon_ambig;
extern size_t canon_nr_ambig;
/* Lower-case kind names as descriptions use them ("func_proto"). */
extern const char *const canon_lower[BK_NR_KINDS];

void canon_sb_add(struct sb *s, const char *str);
__attribute__((format(printf, 2, 3))) void canon_sb_addf(struct sb *s, const char *fmt, ...);
char *canon_xstrdup(const char *s);
void *canon_xcalloc(size_t n, size_t sz);
const char *canon_kname(unsigned kind);
/* Named kinds are matched by key; the others through their referrers. */
bool canon_is_named(const struct bk_btf *btf, const struct bk_type *t);
/* The key "kind name" ("fwd struct name" for a FWD). */
void canon_add_key(struct sb *s, const struct bk_btf *btf, const struct bk_type *t);
/* The description of id in mode m (depth: recursion so far, call with 0). */
const char *canon_desc(struct side *sd, uint32_t id, enum mode m, int depth);
/* Opens path (split on base_path when given); -1 after a message. */
int canon_open_side(struct side *sd, const char *path, const char *base_path);
void canon_find_dups(struct side *sd);
void canon_merge_dups(struct side *a, struct side *b);
/* An own named type of an ignored kind, or a DECL_TAG on one. */
bool canon_named_ignored(struct side *sd, const struct bk_type *t);
/* Marks the own anonymous types of both sides that are counted (--ignore). */
void canon_compute_keep(struct side *a, struct side *b);
void canon_side_free(struct side *sd);
/*
 * A hash of what a type's description holds at its first level (kind, vlen,
 * kflag, name, size; the kind and name of what it refers to): types with
 * equal descriptions have equal signatures, so only those need comparing.
 */
uint64_t canon_sig(const struct bk_btf *btf, uint32_t id);

#endif
