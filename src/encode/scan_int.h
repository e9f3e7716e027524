/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Shared by the parts of unit scanning, lowest first: scan_ref.c (keys,
 * references, errors), scan_cand.c (function and variable candidates),
 * scan.c (the DIE walk and the types), scan_unit.c (a whole unit). Each
 * calls only the ones before it.
 */
#ifndef BTFKIT_ENCODE_SCAN_INT_H
#define BTFKIT_ENCODE_SCAN_INT_H

#include "enc_int.h"

#define NONE UINT32_MAX

enum frame_kind {
	F_TOP,       /* the one DIE a walk starts at, handled as in a local scope */
	F_UNIT,      /* the unit root DIE itself */
	F_ROOT,      /* top level of a unit or namespace */
	F_LOCAL,     /* inside a function or another construct: types only */
	F_COMPOSITE, /* struct/union members */
	F_MEMBER,
	F_ENUM,
	F_PROTO,
	F_FUNC,
	F_PARAM,
	F_ARRAY,
	F_PTR,
	F_TYPEDEF,
	F_VAR,
	F_SKIP,
};

struct frame {
	uint8_t kind;
	bool fwd;        /* F_COMPOSITE of a declaration: members ignored */
	uint32_t ent;    /* entry (or function / variable candidate) */
	uint32_t idx;    /* member or parameter index */
};

/* scan_ref.c */
uint64_t bk__scan_key_of(const struct dw_ctx *c, uint64_t off);
int bk__scan_nomem(struct scan *s);
int bk__scan_die_err(struct scan *s, const struct dw_ctx *c, const struct dw_die *d, int err,
	    const char *what);
/*
 * The key a reference slot names (a type unit's type for a signature).
 * false when the slot is absent or bad (then -errno in *err).
 */
bool bk__scan_ref_key(struct scan *s, const struct dw_ctx *c, const struct dw_die *d,
	     enum dw_slot slot, uint64_t *key, int *err);
/* Queue key for encoding when it is in another unit than the one scanned. */
int bk__scan_want(struct scan *s, uint64_t key);
/* scan_cand.c: the candidates' DIEs, as the walk meets them */
int bk__scan_func_die(struct scan *s, const struct dw_ctx *c, const struct dw_die *d, struct frame *child);
int bk__scan_param_die(struct scan *s, const struct dw_ctx *c, const struct dw_die *d,
	      const struct frame *fr, struct frame *child);
int bk__scan_var_die(struct scan *s, const struct dw_ctx *c, const struct dw_die *d, struct frame *child);

/* scan.c */
/*
 * Walk the DIE at off and its subtree, or (siblings) the list of DIEs
 * starting at off up to the null entry closing it, with top as the frame
 * of their parent.
 */
int bk__scan_walk(struct scan *s, struct dw_ctx *c, uint64_t off, struct frame top, bool siblings);

#endif
