// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Unit tests of the printers' output path (src/dump/out.c): every sink gets
 * the same bytes for raw, JSON and C output larger than one chunk (a
 * membuf, written in place; a file descriptor; a callback, in chunks), a
 * sink's error stops the dump and is returned, and dumpers sharing one
 * membuf with each other and with the caller's own writes each continue
 * at its current end.
 */
#include <stdlib.h>
#include <unistd.h>

#include "btfkit/write.h"
#include "test.h"

/* Enough types that every format prints several 64 KiB chunks. */
static struct bk_btf *big_btf(void)
{
	struct bk_btf *b = bk_btf_new_empty(NULL);
	char name[64];
	int i32;

	if (!b)
		return NULL;
	i32 = bk_btf_add_int(b, "int", 4, BK_INT_SIGNED);
	for (int k = 0; k < 3000; k++) {
		snprintf(name, sizeof(name), "a_rather_long_struct_name_number_%d", k);
		if (bk_btf_add_struct(b, name, 8) < 0 || bk_btf_add_field(b, "first_member", i32, 0, 0) ||
		    bk_btf_add_field(b, "second_member", i32, 32, 0)) {
			bk_btf_free(b);
			return NULL;
		}
	}
	return b;
}

static char *dump_membuf(const struct bk_btf *btf, enum bk_format f, size_t *len)
{
	struct bk_membuf mb = { 0 };
	struct bk_sink sink = bk_sink_membuf(&mb);
	struct bk_dump_opts o = { .sz = sizeof(o), .format = f };

	if (bk_dump(btf, &sink, &o)) {
		free(mb.data);
		return NULL;
	}
	*len = mb.len;
	return mb.data;
}

static char *dump_fd(const struct bk_btf *btf, enum bk_format f, size_t *len)
{
	char path[] = "/tmp/btfkit-out-XXXXXX";
	int fd = mkstemp(path);
	struct bk_sink sink = bk_sink_fd(fd);
	struct bk_dump_opts o = { .sz = sizeof(o), .format = f };
	char *buf = NULL;
	off_t n;

	if (fd < 0)
		return NULL;
	unlink(path);
	if (!bk_dump(btf, &sink, &o) && (n = lseek(fd, 0, SEEK_CUR)) > 0 && (buf = malloc((size_t)n + 1)) &&
	    pread(fd, buf, (size_t)n, 0) == n) {
		buf[n] = '\0';
		*len = (size_t)n;
	} else {
		free(buf);
		buf = NULL;
	}
	close(fd);
	return buf;
}

/* A callback sink: collects the pieces, fails from piece number fail_at on. */
struct pieces {
	struct bk_membuf mb;
	int calls, fail_at;
	size_t max;
};

static int pieces_write(void *ctx, const char *buf, size_t len)
{
	struct pieces *p = ctx;
	struct bk_sink inner = bk_sink_membuf(&p->mb);

	if (++p->calls >= p->fail_at)
		return -ENOSPC;
	if (len > p->max)
		p->max = len;
	return inner.write(inner.ctx, buf, len);
}

TEST(out_every_sink_same_bytes)
{
	struct bk_btf *b = big_btf();
	enum bk_format fmts[] = { BK_FORMAT_RAW, BK_FORMAT_JSON, BK_FORMAT_C };

	REQUIRE(b);
	for (size_t i = 0; i < 3; i++) {
		struct pieces p = { .fail_at = 1 << 30 };
		struct bk_sink cb = { pieces_write, &p };
		struct bk_dump_opts o = { .sz = sizeof(o), .format = fmts[i] };
		size_t n1 = 0, n2 = 0;
		char *m = dump_membuf(b, fmts[i], &n1), *f = dump_fd(b, fmts[i], &n2);

		CHECK(m && f);
		CHECK(n1 > 3 * 65536);
		CHECK_EQ(n1, n2);
		CHECK_EQ(strlen(m), n1); /* NUL-terminated */
		CHECK(m && f && n1 == n2 && !memcmp(m, f, n1));
		CHECK_EQ(bk_dump(b, &cb, &o), 0);
		CHECK_EQ(p.mb.len, n1);
		CHECK(p.calls > 3);
		CHECK(p.max >= 65536 && p.max < 65536 + 128); /* whole chunks */
		CHECK(p.mb.data && m && p.mb.len == n1 && !memcmp(p.mb.data, m, n1));
		free(m);
		free(f);
		free(p.mb.data);
	}
	bk_btf_free(b);
}

TEST(out_sink_error_stops_the_dump)
{
	struct bk_btf *b = big_btf();
	struct pieces p = { .fail_at = 2 };
	struct bk_sink cb = { pieces_write, &p };
	struct bk_sink bad = bk_sink_fd(-1);
	struct bk_dump_opts o = { .sz = sizeof(o), .format = BK_FORMAT_JSON };

	REQUIRE(b);
	CHECK_EQ(bk_dump(b, &cb, &o), -ENOSPC);
	CHECK_EQ(p.calls, 2); /* not called again after the error */
	CHECK(p.mb.len >= 65536); /* the first chunk */
	CHECK_EQ(bk_dump(b, &bad, &o), -EBADF);
	o.format = BK_FORMAT_C;
	p.calls = 0;
	CHECK_EQ(bk_dump(b, &cb, &o), -ENOSPC);
	CHECK_EQ(p.calls, 2);
	free(p.mb.data);
	bk_btf_free(b);
}

/* The C text of emitting ids one call at a time on a fresh dumper, split per call. */
static void c_pieces(const struct bk_btf *b, const uint32_t *ids, size_t n, char **out)
{
	struct bk_membuf mb = { 0 };
	struct bk_sink sink = bk_sink_membuf(&mb);
	struct bk_c_dumper *d = bk_c_dumper_new(b, &sink, NULL);
	size_t at = 0;

	for (size_t i = 0; i < n; i++) {
		out[i] = NULL;
		if (!d || bk_c_dumper_emit(d, &ids[i], 1))
			continue;
		out[i] = strndup(mb.data + at, mb.len - at);
		at = mb.len;
	}
	bk_c_dumper_free(d);
	free(mb.data);
}

TEST(out_membuf_shared_by_dumpers_and_caller)
{
	struct bk_btf *b = big_btf();
	uint32_t ids1[] = { 2, 900, 2000 }, ids2[] = { 3, 1500 };
	char *e1[3], *e2[2], *want = NULL;
	struct bk_membuf mb = { 0 };
	struct bk_sink sink = bk_sink_membuf(&mb);
	struct bk_c_dumper *d1, *d2;
	size_t wlen = 0;
	FILE *w;

	REQUIRE(b);
	c_pieces(b, ids1, 3, e1);
	c_pieces(b, ids2, 2, e2);
	d1 = bk_c_dumper_new(b, &sink, NULL);
	d2 = bk_c_dumper_new(b, &sink, NULL);
	REQUIRE(d1 && d2 && e1[0] && e1[1] && e1[2] && e2[0] && e2[1]);
	CHECK_EQ(bk_c_dumper_emit(d1, &ids1[0], 1), 0);
	CHECK_EQ(sink.write(sink.ctx, "/* caller */\n", 13), 0);
	CHECK_EQ(bk_c_dumper_emit(d2, &ids2[0], 1), 0);
	CHECK_EQ(bk_c_dumper_emit(d1, &ids1[1], 1), 0);
	for (int k = 0; k < 20000; k++) /* moves the buffer: d1 and d2 must follow */
		CHECK_EQ(sink.write(sink.ctx, "0123456789", 10), 0);
	CHECK_EQ(bk_c_dumper_emit(d2, &ids2[1], 1), 0);
	CHECK_EQ(bk_c_dumper_emit(d1, &ids1[2], 1), 0);
	w = open_memstream(&want, &wlen);
	REQUIRE(w);
	fprintf(w, "%s/* caller */\n%s%s", e1[0], e2[0], e1[1]);
	for (int k = 0; k < 20000; k++)
		fputs("0123456789", w);
	fprintf(w, "%s%s", e2[1], e1[2]);
	fclose(w);
	CHECK_EQ(mb.len, wlen);
	CHECK_STR(mb.data, want);
	bk_c_dumper_free(d1);
	bk_c_dumper_free(d2);
	for (int i = 0; i < 3; i++)
		free(e1[i]);
	free(e2[0]);
	free(e2[1]);
	free(want);
	free(mb.data);
	bk_btf_free(b);
}
