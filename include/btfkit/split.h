/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * btfkit split and standalone BTF: move a module's BTF between bases.
 *
 *  - bk_btf_standalone: split BTF (a module on vmlinux) as BTF of its own:
 *    every base type its types reach, then its own types, deduplicated.
 *    This is what the module's BTF would be without split BTF.
 *  - bk_btf_split: standalone BTF, or split BTF on another base, as split
 *    BTF on base: appended to base and deduplicated against it, so types
 *    base has become references to base and only what base lacks stays.
 *
 * Both return a new object (the input is not changed) or NULL with errno
 * set and opts->diag filled: EOPNOTSUPP for a type of an unknown kind,
 * ENOMEM, E2BIG past the format's limits.
 */
#ifndef BTFKIT_SPLIT_H
#define BTFKIT_SPLIT_H

#include "btfkit/btf.h"

#ifdef __cplusplus
extern "C" {
#endif

struct bk_split_opts {
	size_t sz;            /* sizeof(struct bk_split_opts) */
	struct bk_diag *diag; /* optional: the reason on failure */
	bool no_dedup;        /* bk_btf_standalone: copy only (no deduplication) */
};

/*
 * The standalone form of btf: base types reached from btf's own types
 * (through every type-ID field, transitively), in base ID order, then
 * btf's own types in order, then deduplicated (bk_btf_dedup). For BTF
 * without a base: a deduplicated copy. The result has no base and borrows
 * nothing from btf. Its pointer size is btf's.
 */
BK_API struct bk_btf *bk_btf_standalone(const struct bk_btf *btf, const struct bk_split_opts *opts);

/*
 * btf as split BTF on base: btf's standalone form (btf itself when it has
 * no base, or when base is already its base) appended to a new split BTF on
 * base and deduplicated. Types base holds map to base IDs; the result holds
 * the rest, in their order. base is borrowed and must outlive the result.
 */
BK_API struct bk_btf *bk_btf_split(const struct bk_btf *btf, struct bk_btf *base,
				   const struct bk_split_opts *opts);

#ifdef __cplusplus
}
#endif
#endif /* BTFKIT_SPLIT_H */
