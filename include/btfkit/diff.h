/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * btfkit diff: what changed between two BTFs, by name rather than by type
 * ID (IDs differ between any two builds). Named types are matched by kind
 * and name: a struct, union, enum, typedef, function, variable, integer or
 * float present on one side only is added or removed; present on both, it
 * is compared and every difference listed: size, members added, removed,
 * retyped (their C type, bitfield width included, differs) or moved (offset),
 * enum values added, removed or changed, a function's prototype or linkage,
 * a typedef's or variable's type, an integer's encoding.
 *
 * Types are compared through the C spelling of what they refer to, so a
 * pointer to a struct that changed is not itself changed. Anonymous structs
 * and unions are matched through their named parents: the members of an
 * anonymous member count as the parent's own (as C lets them be used),
 * those of a named member of anonymous type as "member.sub"; anonymous types
 * reached otherwise are spelled out inline in the type that holds them.
 * Split BTF is compared by its own types (each side on its own base).
 */
#ifndef BTFKIT_DIFF_H
#define BTFKIT_DIFF_H

#include "btfkit/dump.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Kinds of named types, for filters (bk_diff_opts.kinds) and results. */
enum bk_diff_kind {
	BK_DIFF_STRUCT = 0,
	BK_DIFF_UNION,
	BK_DIFF_ENUM,     /* ENUM and ENUM64 */
	BK_DIFF_TYPEDEF,
	BK_DIFF_FUNC,
	BK_DIFF_VAR,
	BK_DIFF_INT,
	BK_DIFF_FLOAT,
	BK_DIFF_NR_KINDS,
};

/* What one difference of a changed type is. */
enum bk_diff_what {
	BK_DIFF_SIZE,            /* old_v -> new_v bytes */
	BK_DIFF_DECLARATION,     /* defined <-> only declared (old_v, new_v: 1 defined) */
	BK_DIFF_MEMBER_ADDED,    /* name, new_s type, new_v bit offset */
	BK_DIFF_MEMBER_REMOVED,  /* name, old_s type, old_v bit offset */
	BK_DIFF_MEMBER_RETYPED,  /* name, old_s -> new_s */
	BK_DIFF_MEMBER_MOVED,    /* name, old_v -> new_v bit offset */
	BK_DIFF_VALUE_ADDED,     /* enumerator name, new_v */
	BK_DIFF_VALUE_REMOVED,   /* enumerator name, old_v */
	BK_DIFF_VALUE_CHANGED,   /* enumerator name, old_v -> new_v */
	BK_DIFF_SIGNEDNESS,      /* enum signedness, old_v -> new_v (1 signed) */
	BK_DIFF_PROTO,           /* function prototype, old_s -> new_s */
	BK_DIFF_LINKAGE,         /* function or variable linkage, old_s -> new_s */
	BK_DIFF_TYPE,            /* typedef target or variable type, old_s -> new_s */
	BK_DIFF_ENCODING,        /* integer encoding/bits, old_s -> new_s */
};

struct bk_diff_change {
	enum bk_diff_what what;
	const char *name;        /* member path or enumerator, else NULL */
	const char *old_s, *new_s;
	int64_t old_v, new_v;
};

struct bk_diff_entry {
	char op;                 /* '+' added, '-' removed, '~' changed */
	enum bk_diff_kind kind;
	const char *name;
	uint32_t old_id, new_id; /* 0 on the side where it is absent */
	bool ambiguous;          /* its name is used more than once (a side): the IDs tell which */
	size_t nr_changes;       /* '~' only */
	const struct bk_diff_change *changes;
};

struct bk_diff_opts {
	size_t sz;               /* sizeof(struct bk_diff_opts) */
	/*
	 * Only these names ("NAME", or "struct NAME", "union NAME", "enum NAME",
	 * "typedef NAME", "func NAME", "var NAME" for one kind); none: all.
	 */
	const char *const *types;
	size_t nr_types;
	unsigned kinds;          /* bit (1 << enum bk_diff_kind) per kind wanted; 0: all */
	struct bk_diag *diag;    /* optional: why bk_diff_new failed */
};

struct bk_diff;

/*
 * Compare old and new. Both may be split BTF (then their own types are
 * compared, each on its own base). NULL + errno: ENOMEM, EINVAL (bad
 * filter, a type graph too deep to spell), with opts->diag filled.
 */
BK_API struct bk_diff *bk_diff_new(const struct bk_btf *old, const struct bk_btf *new_btf,
				   const struct bk_diff_opts *opts);
BK_API void bk_diff_free(struct bk_diff *d);
/* The differences, ordered by kind, then name (then ID for repeated names). */
BK_API size_t bk_diff_count(const struct bk_diff *d);
BK_API const struct bk_diff_entry *bk_diff_entry(const struct bk_diff *d, size_t i);
/* Types of the selected kinds and names compared on both sides and found equal. */
BK_API size_t bk_diff_unchanged(const struct bk_diff *d);
/* "struct", "union", "enum", "typedef", "func", "var", "int", "float". */
BK_API const char *bk_diff_kind_name(enum bk_diff_kind kind);

enum bk_diff_format { BK_DIFF_TEXT = 0, BK_DIFF_JSON = 1 };
/*
 * Print the differences and a summary line (text), or one JSON object
 * {"added":n,"removed":n,"changed":n,"unchanged":n,"types":[...]}.
 * Returns 0 or the sink's error.
 */
BK_API int bk_diff_print(const struct bk_diff *d, const struct bk_sink *sink,
			 enum bk_diff_format format);

#ifdef __cplusplus
}
#endif
#endif /* BTFKIT_DIFF_H */
