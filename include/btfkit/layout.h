/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * btfkit layout: where the bytes of a struct or union go, as pahole shows
 * it from BTF. Every member with its offset and size (bitfields with their
 * bit offset and width), holes and bit holes between members, padding at
 * the end, cache-line boundaries, and the alignment and packing the offsets
 * imply (BTF records neither: the rule is in docs/layout.md).
 *
 * Two levels: bk_layout_dump() prints what `pahole -F btf -C NAME` prints
 * (byte for byte, except where docs/layout.md lists why not), pahole's
 * `-s` size table, or JSON; bk_layout_get() returns the computed layout of
 * one type for programs.
 */
#ifndef BTFKIT_LAYOUT_H
#define BTFKIT_LAYOUT_H

#include "btfkit/dump.h"

#ifdef __cplusplus
extern "C" {
#endif

enum bk_layout_format {
	BK_LAYOUT_TEXT = 0,  /* pahole -F btf [-C NAME] text */
	BK_LAYOUT_SIZES = 1, /* pahole -s: "name\tsize\tholes" per type */
	BK_LAYOUT_JSON = 2,  /* {"types":[{...layout...}, ...]} */
};

struct bk_layout_opts {
	size_t sz;              /* sizeof(struct bk_layout_opts) */
	enum bk_layout_format format;
	/*
	 * Which types: with nr_ids > 0 exactly these (structs, unions, enums,
	 * typedefs; others give -EINVAL); otherwise every named struct and
	 * union (own types of split BTF), a type identical to one printed
	 * before under the same name printed once, as pahole does.
	 */
	const uint32_t *ids;
	size_t nr_ids;
	uint32_t cacheline;     /* cache-line size in bytes; 0: 64 */
	bool expand;            /* print member types inline (pahole -E) */
	uint32_t min_holes;     /* only structs with at least this many holes (pahole -H) */
	bool pretty;            /* JSON: indent */
	struct bk_diag *diag;   /* optional: why the dump failed (which type) */
};

/*
 * Print the layouts of the selected types to sink. Returns 0, -EINVAL for
 * an ID out of range or of a kind without a layout, -ELOOP for types nested
 * deeper than BTF from a compiler can be, -E2BIG for a type whose layout
 * (nested members included) runs over 2^18 members, -ENOMEM, or the sink's
 * error; opts->diag says which type.
 */
BK_API int bk_layout_dump(const struct bk_btf *btf, const struct bk_sink *sink,
			  const struct bk_layout_opts *opts);

/*
 * The type pahole's -C NAME prints: for "NAME", the lowest ID named NAME
 * among structs, unions, enums and typedefs (forward declarations do not
 * count); "struct NAME", "union NAME", "enum NAME" or "typedef NAME" pick
 * the kind. Returns the ID or -ENOENT.
 */
BK_API int bk_layout_find(const struct bk_btf *btf, const char *spec);

/* One member as laid out. Offsets count from the start of its struct. */
struct bk_member_layout {
	const char *name;         /* "" for an anonymous member */
	uint32_t type;            /* the member's type ID */
	uint32_t bit_offset;      /* as BTF records it */
	uint32_t offset;          /* bytes; for a bitfield, of its storage unit */
	uint32_t size;            /* bytes; for a bitfield, its storage unit's */
	uint32_t bitfield_size;   /* bits; 0 for a member that is no bitfield */
	uint32_t bitfield_offset; /* bit within the storage unit */
	int32_t hole;             /* bytes unused after this member (structs) */
	int32_t bit_hole;         /* bits unused after this member (structs) */
	uint32_t align;           /* alignment the offsets imply beyond the type's (0: none) */
};

struct bk_struct_layout {
	uint32_t id;
	unsigned kind;            /* BK_KIND_STRUCT or BK_KIND_UNION */
	const char *name;         /* "" for an anonymous type */
	uint32_t size;
	uint32_t nr_members;
	const struct bk_member_layout *members;
	int32_t pre_hole, pre_bit_hole;  /* unused before the first member */
	uint32_t nr_holes, sum_holes;    /* byte holes (pre_hole included) */
	uint32_t nr_bit_holes, sum_bit_holes;
	int32_t padding;          /* bytes unused at the end */
	int32_t bit_padding;      /* bits unused in the last bitfield unit */
	uint32_t natural_align;   /* the largest member alignment (1 for none) */
	uint32_t align;           /* alignment the size implies beyond natural_align (0: none) */
	bool packed;              /* members or size misaligned: __attribute__((packed)) */
};

/*
 * A layout context: the computed layouts of one BTF (cached), and pahole's
 * packing inference, which depends on which types were laid out before: a
 * struct embedded at an offset its alignment forbids, in a struct with
 * holes, is marked packed from then on. NULL + errno (ENOMEM).
 */
struct bk_layout_ctx;
BK_API struct bk_layout_ctx *bk_layout_ctx_new(const struct bk_btf *btf,
					       const struct bk_layout_opts *opts);
BK_API void bk_layout_ctx_free(struct bk_layout_ctx *c);
/*
 * The layout of struct or union id (modifiers and typedefs followed). The
 * result belongs to the context. Returns 0, -EINVAL for a type of another
 * kind or an ID out of range, -ELOOP, -ENOMEM.
 */
BK_API int bk_layout_get(struct bk_layout_ctx *c, uint32_t id, const struct bk_struct_layout **out);

#ifdef __cplusplus
}
#endif
#endif /* BTFKIT_LAYOUT_H */
