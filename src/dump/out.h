/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Buffered output for the emitters: appends go to a 64 KiB buffer that is
 * flushed to the sink when full. Integer formatting is done by hand because
 * printf dominated the raw dump's profile; errors are sticky (the first sink
 * error is kept and later output is dropped).
 */
#ifndef BTFKIT_DUMP_OUT_H
#define BTFKIT_DUMP_OUT_H

#include "internal.h"
#include "btfkit/dump.h"

#define BK__OUT_BUF 65536

struct bk__out {
	const struct bk_sink *sink;
	int err;
	/* JSON writer state (json.c): nesting depth, pending separator */
	int depth;
	char sep;
	bool pretty;
	size_t len;
	char buf[BK__OUT_BUF];
};

BK_HIDDEN void bk__out_init(struct bk__out *o, const struct bk_sink *sink);
BK_HIDDEN void bk__out_flush(struct bk__out *o);
BK_HIDDEN void bk__out_mem(struct bk__out *o, const char *s, size_t n);
BK_HIDDEN void bk__out_u64(struct bk__out *o, uint64_t v);
BK_HIDDEN void bk__out_i64(struct bk__out *o, int64_t v);
/* JSON string literal with escapes, quotes included. */
BK_HIDDEN void bk__out_json_str(struct bk__out *o, const char *s);

static inline void bk__out_str(struct bk__out *o, const char *s)
{
	bk__out_mem(o, s, strlen(s));
}

static inline void bk__out_char(struct bk__out *o, char c)
{
	if (o->len == BK__OUT_BUF)
		bk__out_flush(o);
	o->buf[o->len++] = c;
}

/* ---- shared by the text emitters (walk.c) ------------------------------ */
/* A type or member name as bpftool prints it: "(anon)", "(invalid)" or it. */
BK_HIDDEN const char *bk__dump_name(const struct bk_btf *btf, uint32_t off);
BK_HIDDEN const char *bk__int_encoding_str(unsigned enc);
BK_HIDDEN const char *bk__func_linkage_str(unsigned linkage);
BK_HIDDEN const char *bk__var_linkage_str(unsigned linkage);

/* sort.c: IDs [first, end) in newer bpftool's sorted order (malloc'ed). */
BK_HIDDEN int bk__dump_sorted_ids(const struct bk_btf *btf, uint32_t first, uint32_t end,
				  uint32_t **ids, uint32_t *n);
/* c.c: bk_dump for BK_FORMAT_C (bpftool's wrapper around the C dumper). */
BK_HIDDEN int bk__dump_c(const struct bk_btf *btf, const struct bk_sink *sink,
			 const struct bk_dump_opts *opts);

/* One emitter per format; the walker calls type() for each selected ID. */
struct bk__emitter {
	void (*begin)(struct bk__out *o, const struct bk_dump_opts *opts);
	void (*type)(struct bk__out *o, const struct bk_btf *btf, uint32_t id,
		     const struct bk_type *t, const struct bk_dump_opts *opts);
	void (*end)(struct bk__out *o, const struct bk_dump_opts *opts);
};

BK_HIDDEN extern const struct bk__emitter bk__raw_emitter;
BK_HIDDEN extern const struct bk__emitter bk__json_emitter;

#endif
