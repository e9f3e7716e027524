/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Emitter output, one design for raw text, JSON and C: everything is
 * formatted straight into the buffer whose bytes are written, never into a
 * staging area that is copied later.
 *  - A membuf sink (bk_sink_membuf) is written in place: the buffer is the
 *    membuf's own array, grown (realloc, which moves large blocks by
 *    remapping, not copying) when formatting passes its end; a "flush"
 *    only publishes the length. Nothing is copied.
 *  - Any other sink (bk_sink_fd, bk_sink_file, a callback) gets the bytes
 *    in BK__OUT_BUF chunks from one buffer of the bk__out, reused for the
 *    whole dump, so its pages stay in cache and are never faulted in again.
 * Small pieces are written without a bounds check: the buffer keeps
 * BK__OUT_SLACK bytes past its nominal end (lim), any append of at most
 * that many bytes starts at or before lim, and each append flushes once it
 * has passed lim (so p <= lim holds between appends). Integer formatting is
 * done by hand because printf dominated the raw dump's profile. Errors are
 * sticky: the first sink (or allocation) error is kept, and later output
 * goes to a small scratch area and is dropped.
 */
#ifndef BTFKIT_DUMP_OUT_H
#define BTFKIT_DUMP_OUT_H

#include "internal.h"
#include "btfkit/dump.h"

#define BK__OUT_BUF 65536
#define BK__OUT_SLACK 128 /* the longest unchecked append */

struct bk__out {
	char *p;         /* next free byte */
	char *lim;       /* flush once p reaches it; BK__OUT_SLACK bytes follow */
	char *buf;       /* the unflushed bytes are [buf, p) */
	const struct bk_sink *sink;
	struct bk_membuf *mb; /* membuf sink written in place, or NULL */
	char *own;       /* the chunk buffer for other sinks */
	size_t own_sz;
	int err;
	/* JSON writer state (json_write.h): nesting depth, pending separator */
	int depth;
	char sep;
	bool pretty;
	char drop[BK__OUT_SLACK]; /* where output goes after an error */
};

/*
 * Start output to sink; bufsz is the chunk size for sinks that are not
 * written in place (0: BK__OUT_BUF). 0 or -ENOMEM (o is then still safe to
 * write to and to free, with the error kept in o->err).
 */
BK_HIDDEN int bk__out_init(struct bk__out *o, const struct bk_sink *sink, size_t bufsz);
BK_HIDDEN void bk__out_free(struct bk__out *o);
/* Hand everything formatted so far to the sink. */
BK_HIDDEN void bk__out_flush(struct bk__out *o);
/*
 * Before a new call writes through a long-lived bk__out (the C dumper's)
 * with nothing pending: a membuf may have been written by another writer
 * since, so continue at its current end.
 */
BK_HIDDEN void bk__out_resume(struct bk__out *o);
/* p passed lim: flush (or grow the membuf) and make room again. */
BK_HIDDEN void bk__out_full(struct bk__out *o);
/* Append n bytes of any length (the checked path of bk__out_mem). */
BK_HIDDEN void bk__out_mem_long(struct bk__out *o, const char *s, size_t n);
/* Format v at p (at most 20 bytes); returns the end. */
BK_HIDDEN char *bk__out_fmt_u64(char *p, uint64_t v);
/* JSON string literal with escapes, quotes included. */
BK_HIDDEN void bk__out_json_str(struct bk__out *o, const char *s);

/* After an unchecked append: flush once past the nominal end. */
static inline void bk__out_done(struct bk__out *o)
{
	if (__builtin_expect(o->p >= o->lim, 0))
		bk__out_full(o);
}

static inline void bk__out_mem(struct bk__out *o, const char *s, size_t n)
{
	if (n > BK__OUT_SLACK) {
		bk__out_mem_long(o, s, n);
		return;
	}
	memcpy(o->p, s, n);
	o->p += n;
	bk__out_done(o);
}

static inline void bk__out_str(struct bk__out *o, const char *s)
{
	bk__out_mem(o, s, strlen(s));
}

static inline void bk__out_char(struct bk__out *o, char c)
{
	*o->p++ = c;
	bk__out_done(o);
}

/*
 * A key of a kind-table field (struct bk__kfield): its 16-byte array is
 * copied whole (one load and store), then only key_len bytes are kept.
 */
static inline void bk__out_key(struct bk__out *o, const struct bk__kfield *f)
{
	memcpy(o->p, f->key, sizeof(f->key));
	o->p += f->key_len;
	bk__out_done(o);
}

static inline void bk__out_u64(struct bk__out *o, uint64_t v)
{
	if (v < 10)
		*o->p++ = (char)('0' + v);
	else
		o->p = bk__out_fmt_u64(o->p, v);
	bk__out_done(o);
}

static inline void bk__out_i64(struct bk__out *o, int64_t v)
{
	if (v < 0) {
		*o->p++ = '-';
		bk__out_u64(o, (uint64_t)0 - (uint64_t)v);
	} else {
		bk__out_u64(o, (uint64_t)v);
	}
}

/* ---- fields.c: field values for the raw and JSON emitters ----- ----------------- */
/* A type or member name as bpftool prints it: "(anon)", "(invalid)" or it. */
BK_HIDDEN const char *bk__dump_name(const struct bk_btf *btf, uint32_t off);
/* A field's value: a string, or a number printed unsigned or signed. */
struct bk__fval {
	enum { BK__FVAL_U64, BK__FVAL_I64, BK__FVAL_STR } type;
	uint64_t u;    /* the number (two's complement for BK__FVAL_I64) */
	const char *s;
};
BK_HIDDEN const char *bk__int_encoding_str(unsigned enc);
BK_HIDDEN const char *bk__linkage_str(unsigned linkage);
/*
 * Read field f of record t from w (the record for its own fields, an
 * element for element fields). False when bpftool does not print it (a
 * member's bitfield size of 0). Inline: the emitters' inner loop.
 */
static inline bool bk__dump_field(const struct bk_btf *btf, const struct bk_type *t,
				  const uint32_t *w, const struct bk__kfield *f,
				  struct bk__fval *v)
{
	uint32_t x = w[f->word];

	v->type = BK__FVAL_U64;
	v->u = 0;
	v->s = NULL;
	switch (f->form) {
	case BK__F_U32:
		v->u = x;
		break;
	case BK__F_I32:
		v->type = BK__FVAL_I64;
		v->u = (uint64_t)(int64_t)(int32_t)x;
		break;
	case BK__F_VLEN:
		v->u = bk_vlen(t);
		break;
	case BK__F_INT_OFFSET:
		v->u = (x >> 16) & 0xff;
		break;
	case BK__F_INT_BITS:
		v->u = x & 0xff;
		break;
	case BK__F_INT_ENCODING:
		v->type = BK__FVAL_STR;
		v->s = bk__int_encoding_str((x >> 24) & 0x0f);
		break;
	case BK__F_SIGNEDNESS:
		v->type = BK__FVAL_STR;
		v->s = bk_kflag(t) ? "SIGNED" : "UNSIGNED";
		break;
	case BK__F_FWD_KIND:
		v->type = BK__FVAL_STR;
		v->s = bk_kflag(t) ? "union" : "struct";
		break;
	case BK__F_FUNC_LINKAGE:
		v->type = BK__FVAL_STR;
		v->s = bk__linkage_str(bk_vlen(t));
		break;
	case BK__F_VAR_LINKAGE:
		v->type = BK__FVAL_STR;
		v->s = bk__linkage_str(x);
		break;
	case BK__F_NAME:
		v->type = BK__FVAL_STR;
		v->s = bk__dump_name(btf, x);
		break;
	case BK__F_BIT_OFFSET:
		v->u = bk_kflag(t) ? x & 0xffffff : x;
		break;
	case BK__F_BITFIELD_SIZE:
		v->u = bk_kflag(t) ? x >> 24 : 0;
		return v->u != 0;
	case BK__F_ENUM_VAL:
		if (bk_kflag(t)) {
			v->type = BK__FVAL_I64;
			v->u = (uint64_t)(int64_t)(int32_t)x;
		} else {
			v->u = x;
		}
		break;
	case BK__F_ENUM64_VAL:
		v->u = ((uint64_t)w[f->word + 1] << 32) | x;
		if (bk_kflag(t))
			v->type = BK__FVAL_I64;
		break;
	default:
		return false;
	}
	return true;
}

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
