/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * btfkit distilled base and relocation: out-of-tree kernel modules.
 *
 * A module's split BTF names base types by ID, so it only fits the exact
 * vmlinux it was built against. A distilled base (ELF section .BTF.base) is
 * a small standalone BTF describing just the base types the module uses, by
 * name and size; the module's .BTF is split BTF on it. When the module is
 * loaded, its BTF is relocated onto the running kernel's vmlinux BTF by
 * matching those names and sizes (the kernel's module loader and libbpf do
 * this; so does bk_btf_open when given a base for such a module).
 *
 *	struct bk_btf *dbase, *dsplit;
 *	bk_btf_distill_base(mod, &dbase, &dsplit, NULL);  // mod: split on vmlinux
 *	...write dbase as .BTF.base and dsplit as .BTF...
 *	bk_btf_relocate(dsplit, other_vmlinux, NULL);     // dsplit now on other_vmlinux
 *	bk_btf_free(dsplit); bk_btf_free(dbase);
 *
 * Output is byte-compatible with libbpf's btf__distill_base (libbpf 1.5 to
 * 1.7, which write the 24-byte header as btfkit's writer does).
 */
#ifndef BTFKIT_DISTILL_H
#define BTFKIT_DISTILL_H

#include "btfkit/btf.h"

#ifdef __cplusplus
extern "C" {
#endif

struct bk_distill_opts {
	size_t sz;            /* sizeof(struct bk_distill_opts), for ABI growth */
	struct bk_diag *diag; /* optional: receives the reason on failure */
};

/*
 * Distill the base of split BTF src. The base types src refers to (through
 * any chain of references, except into the members of a named struct or
 * union) are distributed over two new objects:
 *  - *new_base, a standalone BTF in base-ID order holding the named INT,
 *    FLOAT and FWD types as they are, named STRUCT/UNION as empty (vlen 0)
 *    composites of the same size, and named ENUM/ENUM64 as unsigned ENUMs
 *    of the same size without values;
 *  - *new_split, split BTF on *new_base: every own type of src, in order,
 *    then (in base-ID order) the referenced base types that cannot be
 *    matched by name: anonymous STRUCT/UNION/ENUM/ENUM64, ARRAY, TYPEDEF,
 *    PTR, CONST, VOLATILE, RESTRICT, TYPE_TAG and FUNC_PROTO, in full.
 * IDs are rewritten to fit; strings are re-added (names found in the new
 * base are shared). Both objects take src's byte order. The caller frees
 * *new_split, then *new_base. src is not changed.
 * Errors: -EINVAL src is not split BTF, or refers to a base type of a kind
 * a distilled base cannot describe (FUNC, VAR, DATASEC, DECL_TAG);
 * -EOPNOTSUPP unknown kinds; -ENOMEM. Nothing is returned on error.
 */
BK_API int bk_btf_distill_base(const struct bk_btf *src, struct bk_btf **new_base,
			       struct bk_btf **new_split, const struct bk_distill_opts *opts);

struct bk_relocate_opts {
	size_t sz;            /* sizeof(struct bk_relocate_opts), for ABI growth */
	struct bk_diag *diag; /* optional: receives the reason on failure */
	/*
	 * Optional: called, in ID order, for every distilled type that has
	 * no match or several (dist_id is its ID in the distilled base, msg
	 * names it and its candidates, as diag does for the first); return
	 * non-zero to be called no more. diag says how many there are.
	 */
	int (*cb)(void *ctx, uint32_t dist_id, const char *msg);
	void *cb_ctx;
};

/*
 * Relocate split BTF btf from its distilled base onto base (borrowed; it
 * must outlive btf), in place. Every distilled base type is matched to one
 * base type of the same name:
 *  - INT (same size and encoding), FLOAT and ENUM (same size; an ENUM
 *    matches an ENUM or ENUM64 of that size);
 *  - STRUCT/UNION of the same kind; the size must also be equal when the
 *    base has several composites of that name, or when btf embeds the type
 *    (a member of a struct or union holds it directly, or through
 *    typedefs, modifiers or arrays: not through a pointer). A type btf
 *    only points to (never uses by value: in a member, variable,
 *    parameter, return value or array element) may also match a FWD of
 *    its kind, when no composite fits;
 *  - FWD: a FWD of the same kind, or the STRUCT (kflag 0) or UNION (1).
 * Then btf's references to distilled types point at the matches, its own
 * IDs and strings move after base's, and base becomes its base. If btf
 * owned its distilled base (read from a module's .BTF.base), that base is
 * freed; otherwise the caller still owns it.
 * Errors (btf unchanged): -EINVAL btf has no base, its base is not a
 * distilled base (only named INT, FLOAT, ENUM, STRUCT, UNION and FWD), base
 * is btf's own base or split on btf, a distilled type has no match or
 * several (the message names the type and the candidates), or a string of
 * btf points into the distilled base but not at a type name; -ELOOP btf
 * embeds through a loop of typedefs, modifiers or arrays; -E2BIG the result
 * would have too many types or string bytes; -ENOMEM.
 */
BK_API int bk_btf_relocate(struct bk_btf *btf, struct bk_btf *base,
			   const struct bk_relocate_opts *opts);

/*
 * True when btf is split BTF on the distilled base it was read with (a
 * module's .BTF.base, opened without a base or with BK_OPEN_KEEP_DISTILLED);
 * bk_btf_base() returns that base, which btf owns.
 */
BK_API bool bk_btf_has_distilled_base(const struct bk_btf *btf);

/*
 * Check that dbase has the shape of a distilled base: standalone, and only
 * named INT, FLOAT, ENUM, STRUCT, UNION and FWD types. 0 or -EINVAL with
 * the first offending type in diag.
 */
BK_API int bk_btf_check_distilled_base(const struct bk_btf *dbase, struct bk_diag *diag);

/* ---- will this kernel load a module's BTF? ------------------------------- */

struct bk_problem; /* btfkit/validate.h */

/* What bk_module_check found out about one module. */
struct bk_module_check {
	bool ok;            /* loads, and its references make sense on this base */
	bool loads;         /* the kernel's module loader would accept the BTF */
	bool has_btf;       /* false: no .BTF section, nothing for the kernel to check */
	bool distilled;     /* the module carries a distilled base (.BTF.base) */
	bool relocated;     /* ... which relocates onto the base */
	bool other_vmlinux; /* built against another vmlinux (see the counts) */
	int nr_problems;    /* problems by the kernel's rules (bk_btf_validate) */
	uint32_t nr_dist_types, nr_unmatched; /* distilled types; without a single match */
	/* Split BTF without a distilled base, read with this base's numbering: */
	uint32_t nr_refs;        /* type references in its own types */
	uint32_t refs_past_end;  /* ... to IDs past its last type */
	uint32_t refs_wrong_kind; /* ... to types of a kind that cannot be meant */
	uint32_t nr_names;       /* its own types' names */
	uint32_t names_mid_string; /* ... that start inside a base string */
	uint32_t names_past_end;   /* ... past the end of the strings */
	char problem[256];  /* the first problem in the kernel's words (and where), or "" */
	char reason[768];   /* what is wrong, for a module author; "" when ok */
	char fix[256];      /* what to do about it; "" when ok */
};

struct bk_module_check_opts {
	size_t sz;          /* sizeof(struct bk_module_check_opts), for ABI growth */
	/* optional: every problem by the kernel's rules, as bk_btf_validate reports them */
	int (*cb)(const struct bk_problem *p, void *ctx);
	void *ctx;
	/* optional: every distilled type without a single match (as bk_relocate_opts.cb) */
	int (*unmatched)(void *ctx, uint32_t dist_id, const char *msg);
};

/*
 * Would the running kernel, with base as its vmlinux BTF, accept the BTF of
 * the module at path (an ELF .ko, compressed or not, or raw split BTF)? As
 * the kernel's module loader does: a module with a distilled base has that
 * base and its split checked (header, strings, per-type rules, type tags)
 * and is relocated onto base; one without is checked as split BTF numbered
 * after base's types and strings, whether or not it was built for it (the
 * kernel has no way to tell). For split BTF the references are also
 * counted: ones past the last type, of a kind that cannot be meant, and
 * names starting inside another string say "built against another
 * vmlinux", which the kernel may accept but makes its types nonsense; then
 * ok is false even if loads is true. res->reason and res->fix say what is
 * wrong and what to do.
 * Returns 0 with res filled, or -errno when the file cannot be read (res->reason says why).
 */
BK_API int bk_module_check(const char *path, struct bk_btf *base, struct bk_module_check *res,
			   const struct bk_module_check_opts *opts);

#ifdef __cplusplus
}
#endif
#endif /* BTFKIT_DISTILL_H */
