/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Internals of the layout view (layout.c computes, layout_names.c names
 * types as pahole does, layout_text.c prints pahole's text, layout_json.c
 * JSON, layout_dump.c selects types and prints the size table).
 *
 * Invariants:
 *  - A context covers the type IDs [0, cnt) of one BTF; classes[id] is the
 *    computed layout of struct/union id, or NULL until first asked for.
 *  - A computed layout never changes, except its packed flag, which
 *    pahole's inference may set later (bk__lay_infer_packed, marks).
 *  - Every walk is bounded: chains of typedefs, modifiers and arrays stop
 *    after cnt steps, nesting (natural alignment, printing) after
 *    BK__LAY_MAX_DEPTH levels, with -ELOOP; printing one type (text or
 *    JSON) after BK__LAY_MAX_MEMBERS member lines, with -E2BIG.
 */
#ifndef BTFKIT_DUMP_LAYOUT_INT_H
#define BTFKIT_DUMP_LAYOUT_INT_H

#include "out.h"
#include "btfkit/layout.h"

#define BK__LAY_MAX_DEPTH 64
/*
 * Members printed for one top-level type, nested ones included: anonymous
 * types used twice and --expand make the output grow exponentially with
 * hostile nesting. The largest type of a kernel prints under 4,000 lines
 * expanded (bpf_ctx_convert, 6.1).
 */
#define BK__LAY_MAX_MEMBERS (1u << 18)

struct bk__lclass {
	struct bk_struct_layout pub;
	struct bk_member_layout *m;   /* pub.members */
	bool packed_inferred;         /* pahole's packed_attributes_inferred */
};

struct bk_layout_ctx {
	const struct bk_btf *btf;
	uint32_t cnt;                 /* type IDs covered */
	uint32_t cls;                 /* cache-line size */
	uint32_t ptr_sz;
	struct bk__lclass **classes;  /* per ID, lazily */
	uint32_t *nat;                /* natural alignment of structs/unions, 0 = unknown */
	uint8_t *nat_busy;            /* on the natural-alignment walk now */
};

/* layout.c */
/* The type member types resolve to: typedefs and modifiers followed; 0 for void or bad input. */
BK_HIDDEN uint32_t bk__lay_strip(const struct bk_layout_ctx *c, uint32_t id);
/* pahole's tag__size of a type (0 for void and bad input). */
BK_HIDDEN uint64_t bk__lay_size(const struct bk_layout_ctx *c, uint32_t id);
/* pahole's tag__natural_alignment (at least 1); -ELOOP on runaway nesting. */
BK_HIDDEN int64_t bk__lay_natural(struct bk_layout_ctx *c, uint32_t id, int depth);
/* The layout of struct/union id (no typedef following). */
BK_HIDDEN int bk__lay_class(struct bk_layout_ctx *c, uint32_t id, struct bk__lclass **out);
/* pahole's class__infer_packed_attributes / union__infer_packed_attributes. */
BK_HIDDEN int bk__lay_infer_packed(struct bk_layout_ctx *c, struct bk__lclass *k);

/* layout_names.c: a growing text buffer and pahole's type names. */
struct bk__lbuf {
	char *p;
	size_t len, cap;
	int err;                      /* sticky -ENOMEM */
};
BK_HIDDEN void bk__lbuf_mem(struct bk__lbuf *b, const char *s, size_t n);
BK_HIDDEN void bk__lbuf_printf(struct bk__lbuf *b, const char *fmt, ...) BK_PRINTF(2, 3);
BK_HIDDEN void bk__lbuf_pad(struct bk__lbuf *b, char c, int n);
static inline void bk__lbuf_str(struct bk__lbuf *b, const char *s)
{
	bk__lbuf_mem(b, s, strlen(s));
}
/* A name from the string section ("" when anonymous or invalid). */
BK_HIDDEN const char *bk__lay_name(const struct bk_btf *btf, uint32_t name_off);
/*
 * Append pahole's name of type id (tag__name: "struct list_head *",
 * "const char  *", "int (*)(int)"). depth bounds the recursion.
 */
BK_HIDDEN int bk__lay_type_name(const struct bk_layout_ctx *c, struct bk__lbuf *b, uint32_t id,
				int depth);
/*
 * Append a function prototype as pahole's ftype__fprintf: the return type
 * left-justified to spacing, then "(*name)" (is_pointer) or "(name)", then
 * the parameters.
 */
BK_HIDDEN int bk__lay_ftype(const struct bk_layout_ctx *c, struct bk__lbuf *b, uint32_t proto,
			    const char *name, bool is_pointer, int spacing, int depth);

/* layout_text.c: the text of one struct, union, enum or typedef (-E2BIG past the budget). */
BK_HIDDEN int bk__lay_print(struct bk_layout_ctx *c, struct bk__lbuf *b, uint32_t id, bool expand,
			    struct bk_diag *diag);

/* layout_json.c: the JSON document around the types, and one type. */
BK_HIDDEN void bk__lay_json_begin(struct bk__out *o);
BK_HIDDEN void bk__lay_json_end(struct bk__out *o);
BK_HIDDEN int bk__lay_json(struct bk_layout_ctx *c, struct bk__out *o, uint32_t id,
			   const struct bk_layout_opts *opts);

#endif
