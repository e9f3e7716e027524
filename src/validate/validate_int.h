/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Internals shared by validate.c (header, sections, per-type "meta" checks,
 * type tags), validate_resolve.c (the resolve pass), validate_special.c (BPF
 * special fields) and report.c (reporting, the identifier rule).
 *
 * Per own type the validator keeps a state: NOT_VISITED until the resolve
 * pass reaches it, VISITED while on the resolve stack, RESOLVED after, and
 * FAILED when a problem was reported for it (by the meta checks or the
 * resolve pass) or for a type it depends on. FAILED types are never
 * reported again and silently stop the resolution of types that need them,
 * so one root cause gives one report.
 */
#ifndef BTFKIT_VALIDATE_INT_H
#define BTFKIT_VALIDATE_INT_H

#include "btfkit/validate.h"
#include "internal.h"

enum { BK__V_NOT_VISITED = 0, BK__V_VISITED, BK__V_RESOLVED, BK__V_FAILED };

struct bk__vctx {
	const struct bk_btf *btf;
	const struct bk_validate_opts *opts;
	int count;              /* problems reported */
	bool stop;              /* the callback asked to stop */
	uint32_t start_id;      /* first own ID */
	uint32_t type_cnt;      /* last ID + 1 */
	uint64_t types_pos;     /* file offset of the type section */
	uint8_t *state;         /* per own type */
	uint32_t *res_id;       /* per own type: resolved type ID */
	uint32_t *res_size;     /* per own type: resolved size (arrays) */
	/*
	 * validate_path.c: appended to the problem numbered detail_at (1 =
	 * the first reported), the parser's account of it.
	 */
	const char *detail;
	int detail_at;
};

/* ---- report.c ---- */
/* Report a problem about type id (0: none) and member (-1: none) at pos (-1: unknown). */
BK_HIDDEN void bk__vreport(struct bk__vctx *v, uint32_t id, long member, long long pos, int err,
			   const char *fmt, ...) BK_PRINTF(6, 7);
/* File offset of type id's record (plus off bytes into it). */
BK_HIDDEN long long bk__vpos(const struct bk__vctx *v, uint32_t id, size_t off);
/*
 * The header, section and string checks on blob (size bytes at file offset
 * pos), or with blob NULL on the header btf would be written with; false
 * when a problem stops the kernel's parse there.
 */
BK_HIDDEN bool bk__vcheck_header(struct bk__vctx *v, const struct bk_btf *btf, const uint8_t *blob,
				 uint32_t size, uint64_t pos, bool split, bool swapped);
/* The kernel's name rule (btf_name_valid_identifier/_section). */
BK_HIDDEN bool bk__vname_valid(const struct bk_btf *btf, uint32_t off);
/* ---- validate_resolve.c: the resolve pass. Returns 0 or -ENOMEM. ---- */
BK_HIDDEN int bk__vresolve_all(struct bk__vctx *v);
/* ---- validate_special.c: BPF special fields, run when nothing else failed ---- */
BK_HIDDEN void bk__vspecial_all(struct bk__vctx *v);

/* The kernel's btf_type_is_modifier: typedefs count. */
static inline bool bk__v_is_modifier(unsigned k)
{
	return k == BK_KIND_TYPEDEF || bk__kind_is(k, BK__KF_MOD);
}

#endif /* BTFKIT_VALIDATE_INT_H */
