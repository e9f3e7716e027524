/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * btfkit dedup: deduplicate BTF in place, split BTF on a base included.
 *
 * bk_btf_dedup() merges equivalent types (graph equivalence for structs,
 * unions and typedefs, forward declarations resolved to the struct, union
 * or enum they declare), drops unused strings, keeps the surviving types in
 * their original order and remaps every type ID. For split BTF the base is
 * canonical and never changes: split types equivalent to base types map to
 * the base IDs and disappear from the split. The algorithm is described at
 * the top of src/dedup/dedup.c.
 */
#ifndef BTFKIT_DEDUP_H
#define BTFKIT_DEDUP_H

#include "btfkit/btf.h"

#ifdef __cplusplus
extern "C" {
#endif

struct bk_dedup_opts {
	size_t sz;            /* sizeof(struct bk_dedup_opts), for ABI growth */
	/*
	 * Optional: called for every candidate pair of STRUCT, UNION or
	 * TYPEDEF types whose shape matched (same name, size, member names
	 * and offsets) but that were not merged, with both input type IDs and
	 * a message giving the first field path where the type graphs
	 * differ, e.g. "STRUCT 'a' .next -> PTR -> STRUCT 'b': member 1
	 * 'x' offset 32 vs 64". Costs time only when set.
	 */
	void (*log)(void *ctx, uint32_t type_id, uint32_t cand_id, const char *msg);
	void *log_ctx;
	struct bk_diag *diag; /* optional: receives the reason on failure */
};

/*
 * Deduplicate btf's own types in place. Returns 0, or -errno with btf left
 * unchanged: -EOPNOTSUPP for a type of a kind whose fields cannot be
 * interpreted (beyond ENUM64), -ENOMEM, -E2BIG when the string section
 * would overflow.
 */
BK_API int bk_btf_dedup(struct bk_btf *btf, const struct bk_dedup_opts *opts);

/*
 * Explain why types a and b of btf are not equivalent: writes the first
 * field path where their type graphs differ into buf (always
 * NUL-terminated when size > 0). Returns 1 when they differ, 0 when they
 * are equivalent (as dedup would merge them), -EINVAL for an ID out of
 * range, -ENOMEM.
 */
BK_API int bk_btf_dedup_explain(const struct bk_btf *btf, uint32_t a, uint32_t b,
				char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif /* BTFKIT_DEDUP_H */
