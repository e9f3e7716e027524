// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Compressed inputs: xz (liblzma), zstd (libzstd) and gzip (zlib) streams,
 * and x86 bzImage kernels (vmlinuz) whose payload is one of those. The
 * output is capped at BK__MAX_DECOMPRESSED so that a small hostile input
 * cannot make us allocate without bound.
 */
#include <lzma.h>
#include <stdlib.h>
#include <zlib.h>
#include <zstd.h>

#include "internal.h"

static const uint8_t xz_magic[6] = { 0xfd, '7', 'z', 'X', 'Z', 0x00 };
static const uint8_t zstd_magic[4] = { 0x28, 0xb5, 0x2f, 0xfd };
static const uint8_t gzip_magic[2] = { 0x1f, 0x8b };

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

enum bk__compress bk__detect_compression(const uint8_t *data, size_t size)
{
	if (size >= sizeof(xz_magic) && !memcmp(data, xz_magic, sizeof(xz_magic)))
		return BK__COMP_XZ;
	if (size >= sizeof(zstd_magic) && !memcmp(data, zstd_magic, sizeof(zstd_magic)))
		return BK__COMP_ZSTD;
	if (size >= 3 && !memcmp(data, gzip_magic, 2) && data[2] == 8)
		return BK__COMP_GZIP;
	/* x86 boot protocol: "HdrS" at 0x202 */
	if (size >= 0x250 && !memcmp(data + 0x202, "HdrS", 4))
		return BK__COMP_BZIMAGE;
	return BK__COMP_NONE;
}

/*
 * A growable output buffer with the global cap. Memory stays proportional to
 * what the data can be: once the first MiB is out, output that is neither
 * BTF, ELF nor another compressed stream stops the decoder (a "bomb" of
 * garbage costs at most 1 MiB), and raw BTF stops at the end its header
 * declares (trailing bytes are not needed).
 */
struct outbuf {
	uint8_t *p;
	size_t len, cap;
	size_t want;  /* stop once len reaches this (0: not yet known) */
	bool checked; /* the first bytes were looked at */
};

#define OUT_ENOUGH 1 /* outbuf_grow: the output is complete, stop decoding */

/* Bytes a raw BTF blob starting at p (>= 32 bytes available) declares. */
static uint64_t btf_declared_size(const uint8_t *p)
{
	bool swap = p[0] == 0xeb;
	uint32_t w[8];
	uint64_t end;

	memcpy(w, p, sizeof(w));
	for (int i = 1; i < 8 && swap; i++)
		w[i] = bk__bswap32(w[i]);
	/* hdr_len + the furthest section end; the parser checks the rest */
	end = (uint64_t)w[2] + w[3];
	if ((uint64_t)w[4] + w[5] > end)
		end = (uint64_t)w[4] + w[5];
	if (w[1] >= 32 && (uint64_t)w[6] + w[7] > end)
		end = (uint64_t)w[6] + w[7];
	return w[1] + end;
}

static int outbuf_check(struct outbuf *o, struct bk_diag *diag)
{
	const uint8_t *p = o->p;

	o->checked = true;
	if (o->len >= 32 && ((p[0] == 0x9f && p[1] == 0xeb) || (p[0] == 0xeb && p[1] == 0x9f))) {
		uint64_t n = btf_declared_size(p);

		o->want = n < BK__MAX_DECOMPRESSED ? (size_t)n : BK__MAX_DECOMPRESSED;
		return o->len >= o->want ? OUT_ENOUGH : 0;
	}
	if (o->len >= 4 && (!memcmp(p, "\177ELF", 4) ||
			    bk__detect_compression(p, o->len) != BK__COMP_NONE))
		return 0;
	return bk__diag(diag, -EINVAL,
			"decompressed data is neither BTF nor ELF (no magic in its first %zu bytes)",
			o->len);
}

static int outbuf_grow(struct outbuf *o, struct bk_diag *diag)
{
	size_t ncap = o->cap ? o->cap * 2 : 1 << 20;
	uint8_t *np;
	int err;

	if (o->cap && !o->checked && (err = outbuf_check(o, diag)))
		return err;
	if (o->want && o->len >= o->want)
		return OUT_ENOUGH;
	if (o->cap >= BK__MAX_DECOMPRESSED)
		return bk__diag(diag, -E2BIG, "decompressed data larger than %zu bytes",
				(size_t)BK__MAX_DECOMPRESSED);
	if (ncap > BK__MAX_DECOMPRESSED)
		ncap = BK__MAX_DECOMPRESSED;
	if (o->want && ncap > o->want)
		ncap = o->want;
	np = realloc(o->p, ncap);
	if (!np)
		return bk__diag(diag, -ENOMEM, "out of memory");
	o->p = np;
	o->cap = ncap;
	return 0;
}

static int unxz(const uint8_t *in, size_t in_len, struct outbuf *o, struct bk_diag *diag)
{
	lzma_stream s = LZMA_STREAM_INIT;
	lzma_ret r;
	int err = 0;

	/* LZMA_CONCATENATED off: the kernel's payload is one stream. */
	if (lzma_stream_decoder(&s, UINT64_MAX, 0) != LZMA_OK)
		return bk__diag(diag, -ENOMEM, "cannot start xz decoder");
	s.next_in = in;
	s.avail_in = in_len;
	do {
		if (o->len == o->cap && (err = outbuf_grow(o, diag))) {
			if (err == OUT_ENOUGH)
				err = 0;
			break;
		}
		s.next_out = o->p + o->len;
		s.avail_out = o->cap - o->len;
		r = lzma_code(&s, LZMA_FINISH);
		o->len = o->cap - s.avail_out;
		if (r != LZMA_OK && r != LZMA_STREAM_END) {
			err = bk__diag(diag, -EINVAL, "corrupt xz data (liblzma error %d)", (int)r);
			break;
		}
		if (r == LZMA_OK && s.avail_in == 0 && s.avail_out != 0) {
			err = bk__diag(diag, -EINVAL, "truncated xz data");
			break;
		}
	} while (r != LZMA_STREAM_END);
	lzma_end(&s);
	return err;
}

static int unzstd(const uint8_t *in, size_t in_len, struct outbuf *o, struct bk_diag *diag)
{
	ZSTD_DStream *ds = ZSTD_createDStream();
	ZSTD_inBuffer ib = { in, in_len, 0 };
	size_t r = 1;
	int err = 0;

	if (!ds)
		return bk__diag(diag, -ENOMEM, "cannot start zstd decoder");
	while (r != 0) {
		ZSTD_outBuffer ob;

		if (o->len == o->cap && (err = outbuf_grow(o, diag))) {
			if (err == OUT_ENOUGH)
				err = 0;
			break;
		}
		ob.dst = o->p;
		ob.size = o->cap;
		ob.pos = o->len;
		r = ZSTD_decompressStream(ds, &ob, &ib);
		o->len = ob.pos;
		if (ZSTD_isError(r)) {
			err = bk__diag(diag, -EINVAL, "corrupt zstd data: %s", ZSTD_getErrorName(r));
			break;
		}
		if (r != 0 && ib.pos == ib.size && ob.pos < ob.size) {
			err = bk__diag(diag, -EINVAL, "truncated zstd data");
			break;
		}
	}
	ZSTD_freeDStream(ds);
	return err;
}

static int gunzip(const uint8_t *in, size_t in_len, struct outbuf *o, struct bk_diag *diag)
{
	z_stream z;
	int r = Z_OK, err = 0;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
		return bk__diag(diag, -ENOMEM, "cannot start gzip decoder");
	z.next_in = (Bytef *)in;
	while (r != Z_STREAM_END) {
		size_t before_in;

		if (o->len == o->cap && (err = outbuf_grow(o, diag))) {
			if (err == OUT_ENOUGH)
				err = 0;
			break;
		}
		/* zlib counts in uInt: feed at most 1 GiB at a time */
		before_in = z.total_in;
		z.avail_in = (uInt)((in_len - before_in) > (1u << 30) ? (1u << 30) : (in_len - before_in));
		z.next_out = o->p + o->len;
		z.avail_out = (uInt)((o->cap - o->len) > (1u << 30) ? (1u << 30) : (o->cap - o->len));
		r = inflate(&z, Z_NO_FLUSH);
		o->len = z.total_out;
		if (r != Z_OK && r != Z_STREAM_END && !(r == Z_BUF_ERROR && z.avail_out == 0)) {
			err = bk__diag(diag, -EINVAL, "corrupt or truncated gzip data (zlib error %d)", r);
			break;
		}
		if (r == Z_OK && z.total_in == in_len && z.avail_out != 0) {
			err = bk__diag(diag, -EINVAL, "truncated gzip data");
			break;
		}
	}
	inflateEnd(&z);
	return err;
}

static int decompress_stream(const uint8_t *in, size_t in_len, struct outbuf *o,
			     struct bk_diag *diag)
{
	switch (bk__detect_compression(in, in_len)) {
	case BK__COMP_XZ:
		return unxz(in, in_len, o, diag);
	case BK__COMP_ZSTD:
		return unzstd(in, in_len, o, diag);
	case BK__COMP_GZIP:
		return gunzip(in, in_len, o, diag);
	default:
		return bk__diag(diag, -EOPNOTSUPP, "unsupported compression format");
	}
}

/*
 * bzImage: the protected-mode kernel starts at (setup_sects + 1) * 512
 * (setup_sects at 0x1f1, 0 meaning 4), and the compressed vmlinux payload is
 * at payload_offset (0x248) from there, payload_length (0x24c) bytes long.
 */
static int unbzimage(const uint8_t *in, size_t in_len, struct outbuf *o, struct bk_diag *diag)
{
	uint64_t setup = in[0x1f1] ? in[0x1f1] : 4;
	uint64_t pm = (setup + 1) * 512;
	uint64_t poff = le32(in + 0x248), plen = le32(in + 0x24c);
	uint16_t version = (uint16_t)(in[0x206] | in[0x207] << 8);

	if (version < 0x208)
		return bk__diag(diag, -EOPNOTSUPP, "bzImage boot protocol %x.%02x has no payload fields",
				version >> 8, version & 0xff);
	if (!bk__fits(pm + poff, plen, in_len))
		return bk__diag(diag, -EINVAL,
				"bzImage payload (offset %llu, length %llu) runs past the end of the file (byte offset 584)",
				(unsigned long long)(pm + poff), (unsigned long long)plen);
	if (bk__detect_compression(in + pm + poff, plen) == BK__COMP_BZIMAGE ||
	    bk__detect_compression(in + pm + poff, plen) == BK__COMP_NONE)
		return bk__diag(diag, -EOPNOTSUPP,
				"bzImage payload uses a compression btfkit does not read (xz, zstd and gzip are supported)");
	return decompress_stream(in + pm + poff, plen, o, diag);
}

int bk__decompress(const uint8_t *data, size_t size, uint8_t **out, size_t *out_len,
		   struct bk_diag *diag)
{
	struct outbuf o = { 0 };
	int err;

	if (bk__detect_compression(data, size) == BK__COMP_BZIMAGE)
		err = unbzimage(data, size, &o, diag);
	else
		err = decompress_stream(data, size, &o, diag);
	if (err) {
		free(o.p);
		return err;
	}
	*out = o.p;
	*out_len = o.len;
	return 0;
}
