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

char *bk__out_fmt_u64(char *p, uint64_t v)
{
	char *end;
	int n = 1;

	for (uint64_t x = v; x >= 10; x /= 10)
		n++;
	end = p + n;
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
 * Does any of the 8-byte words at s up to s + n (rounded up) hold a byte
 * that needs a JSON escape (a control byte, '"' or '\\')? For a word x,
 * (x - 0x01..01 * k) & ~x & 0x80..80 is non-zero exactly when some byte of
 * x is below k (k <= 128), and a byte equal to c is a zero byte of
 * x ^ (0x01..01 * c). The caller pads the last word with harmless bytes.
 */
static bool needs_escape(const char *s, size_t n)
{
	const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;

	for (size_t i = 0; i < n; i += 8) {
		uint64_t x, q, b;

		memcpy(&x, s + i, 8);
		q = x ^ (ones * '"');
		b = x ^ (ones * '\\');
		if ((((x - ones * 0x20) & ~x) | ((q - ones) & ~q) | ((b - ones) & ~b)) & highs)
			return true;
	}
	return false;
}

/*
 * Short strings (the bulk: type and member names) are copied into the
 * buffer first and checked there, padded to whole words within the slack;
 * the rare one that needs escapes is written again by the loop below.
 */
#define JSON_SHORT (BK__OUT_SLACK - 16)

void bk__out_json_str(struct bk__out *o, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = strlen(s);

	if (n <= JSON_SHORT) {
		char *p = o->p;

		p[0] = '"';
		memcpy(p + 1, s, n);
		memset(p + 1 + n, 'A', 8);
		if (!needs_escape(p + 1, n)) {
			p[n + 1] = '"';
			o->p = p + n + 2;
			bk__out_done(o);
			return;
		}
	}
	bk__out_char(o, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		const char *run = s;

		/* Copy a run of characters that need no escaping in one go. */
		while (c >= 0x20 && c != '"' && c != '\\')
			c = (unsigned char)*++s;
		if (s != run)
			bk__out_mem(o, run, (size_t)(s - run));
		if (!c)
			break;
		switch (c) {
		case '"': bk__out_mem(o, "\\\"", 2); break;
		case '\\': bk__out_mem(o, "\\\\", 2); break;
		case '\n': bk__out_mem(o, "\\n", 2); break;
		case '\t': bk__out_mem(o, "\\t", 2); break;
		case '\r': bk__out_mem(o, "\\r", 2); break;
		case '\b': bk__out_mem(o, "\\b", 2); break;
		case '\f': bk__out_mem(o, "\\f", 2); break;
		default: {
			char u[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };

			bk__out_mem(o, u, 6);
		}
		}
	}
	bk__out_char(o, '"');
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
