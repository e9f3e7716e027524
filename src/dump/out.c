// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Buffered emitter output and the stock sinks (see out.h). */
#include <stdio.h>
#include <stdlib.h>

#include "out.h"

void bk__out_init(struct bk__out *o, const struct bk_sink *sink)
{
	o->p = o->buf;
	o->lim = o->buf + BK__OUT_BUF;
	o->sink = sink;
	o->err = 0;
	o->depth = 0;
	o->sep = 0;
	o->pretty = false;
}

void bk__out_flush(struct bk__out *o)
{
	if (o->p != o->buf && !o->err)
		o->err = o->sink->write(o->sink->ctx, o->buf, (size_t)(o->p - o->buf));
	o->p = o->buf;
}

void bk__out_mem_long(struct bk__out *o, const char *s, size_t n)
{
	while (n) {
		size_t room = (size_t)(o->lim - o->p), k = n < room ? n : room;

		memcpy(o->p, s, k);
		o->p += k;
		s += k;
		n -= k;
		bk__out_done(o);
	}
}

char *bk__out_fmt_u64(char *p, uint64_t v)
{
	char *end;
	uint64_t x = v;
	int n = 1;

	while (x >= 10) {
		x /= 10;
		n++;
	}
	end = p + n;
	p = end;
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return end;
}

void bk__out_json_str(struct bk__out *o, const char *s)
{
	static const char hex[] = "0123456789abcdef";

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
		default:
			if (c < 0x20) {
				char u[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };

				bk__out_mem(o, u, 6);
			} else {
				bk__out_char(o, (char)c);
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
