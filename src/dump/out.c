// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Emitter output and the stock sinks (the design is described in out.h).
 * A membuf sink is recognised by its write function and written in place.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "out.h"

static int membuf_write(void *ctx, const char *buf, size_t len);

/* The first error is kept; from now on output lands in drop and is lost. */
static void out_fail(struct bk__out *o, int err)
{
	if (!o->err)
		o->err = err;
	o->buf = o->p = o->lim = o->drop;
}

/* Continue at the membuf's end, with room for a chunk, the slack and a NUL. */
static void mb_attach(struct bk__out *o)
{
	struct bk_membuf *mb = o->mb;

	if (mb->len >= SIZE_MAX / 2 ||
	    bk__grow((void **)&mb->data, &mb->cap, mb->len + BK__OUT_BUF + BK__OUT_SLACK + 1, 1, 4096)) {
		out_fail(o, -ENOMEM);
		return;
	}
	o->buf = o->p = mb->data + mb->len;
	o->lim = mb->data + mb->cap - BK__OUT_SLACK - 1;
}

int bk__out_init(struct bk__out *o, const struct bk_sink *sink, size_t bufsz)
{
	memset(o, 0, offsetof(struct bk__out, drop));
	o->sink = sink;
	if (sink->write == membuf_write) {
		o->mb = sink->ctx;
		mb_attach(o);
		return o->err;
	}
	o->own_sz = bufsz ? bufsz : BK__OUT_BUF;
	o->own = malloc(o->own_sz + BK__OUT_SLACK);
	if (!o->own) {
		out_fail(o, -ENOMEM);
		return o->err;
	}
	o->buf = o->p = o->own;
	o->lim = o->own + o->own_sz;
	return 0;
}

void bk__out_free(struct bk__out *o)
{
	free(o->own);
	o->own = NULL;
}

void bk__out_flush(struct bk__out *o)
{
	int err;

	if (o->err) {
		o->p = o->drop;
		return;
	}
	if (o->mb) {
		/* p < lim, so the NUL fits (mb_attach left room for it) */
		o->mb->len += (size_t)(o->p - o->buf);
		*o->p = '\0';
		o->buf = o->p;
		return;
	}
	if (o->p != o->buf && (err = o->sink->write(o->sink->ctx, o->buf, (size_t)(o->p - o->buf)))) {
		out_fail(o, err);
		return;
	}
	o->p = o->buf;
}

void bk__out_full(struct bk__out *o)
{
	bk__out_flush(o);
	if (o->mb && !o->err)
		mb_attach(o);
}

void bk__out_resume(struct bk__out *o)
{
	if (o->mb && o->p == o->buf && !o->err)
		mb_attach(o);
}

void bk__out_mem_long(struct bk__out *o, const char *s, size_t n)
{
	while (n && !o->err) {
		size_t room = (size_t)(o->lim - o->p), k = n < room ? n : room;

		memcpy(o->p, s, k);
		o->p += k;
		s += k;
		n -= k;
		bk__out_done(o);
	}
}

/* "00" "01" ... "99": two digits per division. */
static const char digits2[201] =
	"0001020304050607080910111213141516171819202122232425262728293031323334353637383940414243444546474849"
	"5051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899";

/* 10^0 .. 10^19: the decimal length of v from its bit length. */
static const uint64_t pow10[20] = {
	1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull, 1000000ull, 10000000ull,
	100000000ull, 1000000000ull, 10000000000ull, 100000000000ull, 1000000000000ull,
	10000000000000ull, 100000000000000ull, 1000000000000000ull, 10000000000000000ull,
	100000000000000000ull, 1000000000000000000ull, 10000000000000000000ull,
};

/*
 * The length of v first: t, from the bit length (1233 / 4096 ~ log10(2)),
 * is the number of digits or one less, and one comparison with 10^t tells
 * which (v | 1: zero has one digit; no other v crosses a power of ten by
 * it). Then the digits from the end, two per division.
 */
char *bk__out_fmt_u64(char *p, uint64_t v)
{
	unsigned t = ((64u - (unsigned)__builtin_clzll(v | 1)) * 1233u) >> 12;
	char *end = p + t + ((v | 1) >= pow10[t]);

	p = end;
	while (v >= 100) {
		unsigned r = (unsigned)(v % 100) * 2;

		v /= 100;
		*--p = digits2[r + 1];
		*--p = digits2[r];
	}
	if (v >= 10) {
		*--p = digits2[v * 2 + 1];
		*--p = digits2[v * 2];
	} else {
		*--p = (char)('0' + v);
	}
	return end;
}

/*
 * JSON strings are scanned eight bytes at a time (SWAR: the bytes of one
 * 64-bit word). special(x) sets the high bit of exactly those bytes of x
 * that need attention: a control byte (NUL, the end of the string,
 * included), '"' or '\\'. For a byte y, ((y & 0x7f) + 0x7f) | y has its
 * high bit set exactly when y != 0, with no carry into the next byte; a
 * byte below 0x20 is one whose top three bits are zero, and a byte equal
 * to c is a zero byte of y ^ c. Being exact, the first flagged byte in
 * memory order is the lowest (little-endian) or highest (big-endian) one.
 */
static inline uint64_t special(uint64_t x)
{
	const uint64_t ones = 0x0101010101010101ull, low7 = ones * 0x7f;
	uint64_t c = x & (ones * 0xe0), q = x ^ (ones * '"'), b = x ^ (ones * '\\');

	c |= (c & low7) + low7;
	q |= (q & low7) + low7;
	b |= (b & low7) + low7;
	return ~(c & q & b) & ~low7;
}

/* The index in memory order of the first flagged byte of m (m != 0). */
static inline unsigned first_special(uint64_t m)
{
	return (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? (unsigned)__builtin_ctzll(m)
							  : (unsigned)__builtin_clzll(m)) / 8;
}

/* Byte c of a string at p, escaped as bpftool's JSON writer does; returns the end. */
static char *put_char(char *p, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";

	if (c >= 0x20 && c != '"' && c != '\\') {
		*p++ = (char)c;
		return p;
	}
	*p++ = '\\';
	switch (c) {
	case '"': *p++ = '"'; break;
	case '\\': *p++ = '\\'; break;
	case '\n': *p++ = 'n'; break;
	case '\t': *p++ = 't'; break;
	case '\r': *p++ = 'r'; break;
	case '\b': *p++ = 'b'; break;
	case '\f': *p++ = 'f'; break;
	default:
		memcpy(p, "u00", 3);
		p[3] = hex[c >> 4];
		p[4] = hex[c & 15];
		p += 5;
	}
	return p;
}

/*
 * One pass over the string, no strlen first: each step loads eight bytes,
 * stores them at p unconditionally (the slack has room), and keeps them up
 * to the first special byte; a NUL ends the string, anything else is
 * escaped. The buffer is flushed between steps once p passes lim (a step
 * writes at most 8 + 6 bytes). Within the last eight bytes before end the
 * string is read byte by byte, so nothing at or past end is ever read.
 */
char *bk__out_json_at(struct bk__out *o, char *p, const char *s, const char *end)
{
	*p++ = '"';
	for (;;) {
		unsigned char c;

		p = bk__out_room(o, p);
		if (end - s >= 8) {
			uint64_t x, m;

			memcpy(&x, s, 8);
			memcpy(p, &x, 8);
			m = special(x);
			if (!m) {
				s += 8;
				p += 8;
				continue;
			}
			s += first_special(m);
			p += first_special(m);
		}
		c = s < end ? (unsigned char)*s : 0;
		if (!c)
			break;
		p = put_char(p, c);
		s++;
	}
	*p++ = '"';
	return p;
}

void bk__out_json_str(struct bk__out *o, const char *s)
{
	bk__out_json_strz(o, s, s + strlen(s) + 1);
}

static int file_write(void *ctx, const char *buf, size_t len)
{
	return fwrite(buf, 1, len, (FILE *)ctx) == len ? 0 : -EIO;
}

struct bk_sink bk_sink_file(FILE *f)
{
	struct bk_sink s = { file_write, f };

	return s;
}

static int fd_write(void *ctx, const char *buf, size_t len)
{
	int fd = (int)(intptr_t)ctx;

	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

struct bk_sink bk_sink_fd(int fd)
{
	struct bk_sink s = { fd_write, (void *)(intptr_t)fd };

	return s;
}

/* Only for callers' own writes to a membuf: bk__out writes it in place. */
static int membuf_write(void *ctx, const char *buf, size_t len)
{
	struct bk_membuf *mb = ctx;

	if (len >= SIZE_MAX / 2 - mb->len)
		return -ENOMEM;
	if (bk__grow((void **)&mb->data, &mb->cap, mb->len + len + 1, 1, 4096))
		return -ENOMEM;
	memcpy(mb->data + mb->len, buf, len);
	mb->len += len;
	mb->data[mb->len] = '\0';
	return 0;
}

struct bk_sink bk_sink_membuf(struct bk_membuf *mb)
{
	struct bk_sink s = { membuf_write, mb };

	return s;
}
