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
/* Format v at p (at most 20 bytes); returns the end. bk__out_put_u64 is faster. */
BK_HIDDEN char *bk__out_fmt_u64(char *p, uint64_t v);
/*
 * JSON string literal with escapes, quotes included, of the string at s,
 * which ends at its NUL or at end, whichever comes first: no byte at or
 * past end is read (for a name, end is the end of its string section).
 * The _at form writes at p, which may be up to a piece past lim (as after
 * bk__out_room and a few appends), flushing as it goes, and returns the end
 * of the literal, which may be up to 8 bytes past lim.
 */
BK_HIDDEN char *bk__out_json_at(struct bk__out *o, char *p, const char *s, const char *end);
/* The same for a NUL-terminated string of any origin. */
BK_HIDDEN void bk__out_json_str(struct bk__out *o, const char *s);

/* After an unchecked append: flush once past the nominal end. */
static inline void bk__out_done(struct bk__out *o)
{
	if (__builtin_expect(o->p >= o->lim, 0))
		bk__out_full(o);
}

/*
 * Emitters in a hurry (the compact JSON dump) keep the write position in
 * a local p, which the compiler can hold in a register (o->p cannot be:
 * any char store might change it), and hand it back to o->p when done.
 * Before each piece of at most BK__OUT_SLACK bytes: flush once p has
 * passed lim, and continue at the returned position.
 */
static inline char *bk__out_room(struct bk__out *o, char *p)
{
	if (__builtin_expect(p >= o->lim, 0)) {
		o->p = p;
		bk__out_full(o);
		p = o->p;
	}
	return p;
}

/* bk__out_json_at at o->p */
static inline void bk__out_json_strz(struct bk__out *o, const char *s, const char *end)
{
	o->p = bk__out_json_at(o, o->p, s, end);
	bk__out_done(o);
}

/*
 * The eight decimal digits of v < 10^8, one per byte of a word (byte
 * values 0 to 9), the most significant first in memory (little-endian,
 * leading zeros included), computed in parallel lanes
 * (SWAR): v splits into two halves below 10^4 (32-bit lanes), each half
 * into two below 100 (16-bit lanes), each of those into two digits (8-bit
 * lanes). x * 10486 >> 20 is x / 100 for x < 10^4 and x * 103 >> 10 is x /
 * 10 for x < 100, and no lane's product reaches the next lane.
 */
static inline uint64_t bk__out_digits8(uint32_t v)
{
	uint64_t x = (uint64_t)(v / 10000) | ((uint64_t)(v % 10000) << 32);
	uint64_t hi = ((x * 10486) >> 20) & 0x0000007f0000007full;
	uint64_t y = ((x - hi * 100) << 16) + hi;
	uint64_t t = ((y * 103) >> 10) & 0x000f000f000f000full;

	return t + ((y - t * 10) << 8);
}

/*
 * v in decimal at p (at most 20 bytes, and up to p + 8 may be
 * overwritten); returns the end. Below 10^8 on a little-endian machine
 * (every number of a dump but the rare 64-bit enumerator) the digits come
 * from bk__out_digits8: its leading zero digits are its low zero bytes,
 * shifted out, and the rest is stored as one word.
 */
static inline char *bk__out_put_u64(char *p, uint64_t v)
{
	if (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && v < 100000000) {
		uint64_t d = bk__out_digits8((uint32_t)v);
		unsigned z = (unsigned)__builtin_ctzll(d | (1ull << 56)) / 8; /* (v = 0: seven) */

		d = (d >> (8 * z)) + 0x3030303030303030ull;
		memcpy(p, &d, 8);
		return p + 8 - z;
	}
	return bk__out_fmt_u64(p, v);
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
	o->p = bk__out_put_u64(o->p, v);
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
/*
 * The words bpftool prints for values other than names, each in an array
 * of BK__LIT_SZ bytes, so that a string scanner may read up to s +
 * BK__LIT_SZ (struct bk__fval's end).
 */
#define BK__LIT_SZ 16
enum {
	BK__LIT_ANON, BK__LIT_INVALID, BK__LIT_UNSIGNED, BK__LIT_SIGNED, BK__LIT_STRUCT,
	BK__LIT_UNION, BK__LIT_ENC_NONE, BK__LIT_ENC_CHAR, BK__LIT_ENC_BOOL, BK__LIT_ENC_UNKN,
	BK__LIT_STATIC, BK__LIT_GLOBAL, BK__LIT_EXTERN, BK__LIT_LINKAGE_UNKN, BK__NR_LITS
};
BK_HIDDEN extern const char bk__dump_lits[BK__NR_LITS][BK__LIT_SZ];
/* A type or member name as bpftool prints it: "(anon)", "(invalid)" or it. */
BK_HIDDEN const char *bk__dump_name(const struct bk_btf *btf, uint32_t off);
/*
 * The same, inline, with *end set to where the name's bytes end at the
 * latest: the end of the string section holding it (a parsed section ends
 * in a NUL, but the scanners need not trust that), or the end of the
 * literal's array. For bk__out_json_at.
 */
static inline const char *bk__dump_name_end(const struct bk_btf *btf, uint32_t off,
					    const char **end)
{
	const char *s;

	if (!off) {
		s = bk__dump_lits[BK__LIT_ANON];
		*end = s + BK__LIT_SZ;
		return s;
	}
	while (off < btf->start_str_off)
		btf = btf->base;
	off -= btf->start_str_off;
	if (off >= btf->strs_len) {
		s = bk__dump_lits[BK__LIT_INVALID];
		*end = s + BK__LIT_SZ;
		return s;
	}
	*end = btf->strs + btf->strs_len;
	return btf->strs + off;
}
/* A field's value: a string, or a number printed unsigned or signed. */
struct bk__fval {
	enum { BK__FVAL_U64, BK__FVAL_I64, BK__FVAL_STR } type;
	uint64_t u;      /* the number (two's complement for BK__FVAL_I64) */
	const char *s;   /* the string, */
	const char *end; /* which ends at its NUL, at the latest here */
};
/* In bk__dump_lits: */
BK_HIDDEN const char *bk__int_encoding_str(unsigned enc);
BK_HIDDEN const char *bk__linkage_str(unsigned linkage);

static inline void bk__fval_lit(struct bk__fval *v, const char *lit)
{
	v->type = BK__FVAL_STR;
	v->s = lit;
	v->end = lit + BK__LIT_SZ;
}
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
	v->s = v->end = NULL;
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
		bk__fval_lit(v, bk__int_encoding_str((x >> 24) & 0x0f));
		break;
	case BK__F_SIGNEDNESS:
		bk__fval_lit(v, bk__dump_lits[bk_kflag(t) ? BK__LIT_SIGNED : BK__LIT_UNSIGNED]);
		break;
	case BK__F_FWD_KIND:
		bk__fval_lit(v, bk__dump_lits[bk_kflag(t) ? BK__LIT_UNION : BK__LIT_STRUCT]);
		break;
	case BK__F_FUNC_LINKAGE:
		bk__fval_lit(v, bk__linkage_str(bk_vlen(t)));
		break;
	case BK__F_VAR_LINKAGE:
		bk__fval_lit(v, bk__linkage_str(x));
		break;
	case BK__F_NAME:
		v->type = BK__FVAL_STR;
		v->s = bk__dump_name_end(btf, x, &v->end);
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
