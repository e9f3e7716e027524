/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Internals of the C emitter (c_dumper.c, c.c, c_decl.c, c_order.c,
 * c_names.c, c_fail.c, c_multi.c): the dumper object and the per-type
 * state it keeps.
 *
 * Invariants:
 *  - st[] has one entry per type ID of the BTF (base types included); ID 0
 *    (void) is ORDERED and EMITTED from the start.
 *  - A type is ORDERED once its dependencies are queued; it is EMITTED once
 *    its definition (or, for types printed inline, nothing) went out. A
 *    struct/union or typedef in EMITTING is on the current emission path.
 *  - names[id], once resolved, is the printed name (NULL: the original name;
 *    otherwise an owned "name___N" string); resolution happens on first
 *    use, so ___N suffixes follow emission order like libbpf's dumper.
 *  - Recursion (ordering, emission, declarators) is bounded by
 *    BK__CD_MAX_DEPTH; deeper input fails with -ELOOP instead of overflowing
 *    the stack. The work per requested ID is bounded by BK__CD_MAX_STEPS
 *    (-E2BIG beyond).
 */
#ifndef BTFKIT_DUMP_C_INT_H
#define BTFKIT_DUMP_C_INT_H

#include "out.h"

#define BK__CD_MAX_DEPTH 512
/*
 * Work bound for emitting one requested ID: pointer, array and prototype
 * nodes keep no state, so a hostile graph with shared subtrees could make
 * ordering or emission exponential (as in libbpf). Real kernel BTF needs at
 * most a few thousand steps per ID.
 */
#define BK__CD_MAX_STEPS (1u << 22)

enum { BK__CD_NOT_ORDERED, BK__CD_ORDERING, BK__CD_ORDERED };
enum { BK__CD_NOT_EMITTED, BK__CD_EMITTING, BK__CD_EMITTED };

struct bk__cd_state {
	uint8_t order;
	uint8_t emit;
	uint8_t fwd_emitted : 1;
	uint8_t referenced : 1;
	uint8_t name_resolved : 1;
};

/*
 * Name -> occurrence count (libbpf's type_names / ident_names): the names
 * in first-use order in ents (keys point into the BTF's strings, which
 * outlive the dumper), found through an open-addressing table of
 * { hash, entry index + 1 } pairs. A probe compares hashes before it
 * reads an entry or a string, and growing rebuilds the table from the
 * entries in order, reading no string. (One table of { key, count } had
 * been 12% of the C dump of vmlinux, 18% with its hashes kept in the slots:
 * cache misses on keys and first touches of each grown table's pages.)
 */
struct bk__cd_name_slot {
	uint32_t hash, idx;      /* idx 0: free, else ents[idx - 1] */
};

struct bk__cd_name_ent {
	const char *key;
	uint32_t count;
};

struct bk__cd_names {
	struct bk__cd_name_slot *slots;
	struct bk__cd_name_ent *ents;
	uint32_t cap, cnt;       /* cap is 0 or a power of two; cnt entries */
	uint32_t ents_cap;
};

struct bk_c_dumper {
	const struct bk_btf *btf;
	uint32_t cnt;            /* type IDs covered by st[] */
	int ptr_sz;
	struct bk__cd_state *st;
	int8_t *align;           /* per type: bk__align's memo (struct results) */
	char **names;            /* resolved "name___N", or NULL */
	struct bk__cd_names type_names, ident_names;

	uint32_t *queue;         /* emit queue of the current emit call */
	uint32_t queue_cnt;
	size_t queue_cap;
	uint32_t *decl_stack;
	uint32_t decl_cnt;
	size_t decl_cap;
	int depth;
	uint32_t steps;          /* work in the current emit of one ID (bounded) */
	uint64_t pad_lines;      /* padding lines printed by this dumper (budget) */
	int err;                 /* first error (sticky for one emit call) */
	struct bk_diag *diag;    /* caller's, may be NULL: gets the first error */
	uint32_t err_id;         /* type where ordering failed */

	bool quiet;              /* output is discarded */
	bool enum_modes;         /* mode(byte)/mode(word) on odd-sized enums */
	struct bk_sink sink;
	struct bk__out *o;
};

/* c_names.c */
BK_HIDDEN void bk__cd_names_free(struct bk__cd_names *n);
/* Count one more occurrence of name and return the new count (0 on ENOMEM). */
BK_HIDDEN uint32_t bk__cd_name_dups(struct bk_c_dumper *d, struct bk__cd_names *n, const char *name);
/* Printed name of a struct/union/enum/fwd (type namespace) or a typedef. */
BK_HIDDEN const char *bk__cd_type_name(struct bk_c_dumper *d, uint32_t id);
BK_HIDDEN const char *bk__cd_ident_name(struct bk_c_dumper *d, uint32_t id);
/* Raw string for a name offset ("" when invalid). */
BK_HIDDEN const char *bk__cd_str(const struct bk_c_dumper *d, uint32_t off);

/* c_order.c */
BK_HIDDEN int bk__cd_mark_referenced(struct bk_c_dumper *d);
/* Topological ordering from id; appends to d->queue. <0 on error. */
BK_HIDDEN int bk__cd_order(struct bk_c_dumper *d, uint32_t id, bool through_ptr);

/* c_decl.c */
BK_HIDDEN void bk__cd_emit_decl(struct bk_c_dumper *d, uint32_t id, const char *fname, int lvl);
BK_HIDDEN const char *bk__cd_pfx(int lvl);

/* c.c: definitions (c_decl.c prints anonymous ones inline) */
BK_HIDDEN void bk__cd_struct_def(struct bk_c_dumper *d, uint32_t id, const struct bk_type *t, int lvl);
BK_HIDDEN void bk__cd_enum_def(struct bk_c_dumper *d, uint32_t id, const struct bk_type *t, int lvl);
BK_HIDDEN void bk__cd_struct_fwd(struct bk_c_dumper *d, uint32_t id, const struct bk_type *t);
BK_HIDDEN void bk__cd_fwd_def(struct bk_c_dumper *d, uint32_t id, const struct bk_type *t);
/* Emit id and what it needs first (cont_id: the containing struct, 0 at top level). */
BK_HIDDEN void bk__cd_emit_type(struct bk_c_dumper *d, uint32_t id, uint32_t cont_id);

/* c_fail.c: the first failure is kept */
BK_HIDDEN void bk__cd_fail(struct bk_c_dumper *d, int err);
/* The same with a message for the caller's diag (first error only). */
BK_HIDDEN void bk__cd_failf(struct bk_c_dumper *d, int err, const char *fmt, ...) BK_PRINTF(3, 4);
/*
 * Before emitting id one level deeper: counts a step and returns true, or
 * false when d already failed or fails now, past BK__CD_MAX_DEPTH ("<what>
 * nest deeper than ...", -ELOOP) or BK__CD_MAX_STEPS (-E2BIG).
 */
BK_HIDDEN bool bk__cd_enter(struct bk_c_dumper *d, uint32_t id, const char *what);

/* c_dumper.c: the dumper object and the entry points */
/* Emit IDs [first, end) (sorted as newer bpftool when sort); quiet: print nothing. */
BK_HIDDEN int bk__cd_emit_all(struct bk_c_dumper *d, uint32_t first, uint32_t end, bool sort,
			      bool quiet);
/* bpftool's vmlinux.h wrapper around the types, with guard as include guard. */
BK_HIDDEN void bk__cd_wrapper_begin(struct bk__out *o, const char *guard);
BK_HIDDEN void bk__cd_wrapper_end(struct bk__out *o, const char *guard);

static inline const struct bk_type *bk__cd_type(const struct bk_c_dumper *d, uint32_t id)
{
	return bk_btf_type(d->btf, id);
}

static inline void bk__cd_out(struct bk_c_dumper *d, const char *s)
{
	if (!d->quiet)
		bk__out_str(d->o, s);
}

static inline void bk__cd_outc(struct bk_c_dumper *d, char c)
{
	if (!d->quiet)
		bk__out_char(d->o, c);
}

#endif
