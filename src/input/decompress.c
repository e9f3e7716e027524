// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Compressed inputs: xz and lzma (liblzma), zstd (libzstd), gzip (zlib),
 * lz4 (liblz4: the frame format, and the legacy format the kernel's build
 * writes) and bzip2 (libbz2) streams, and x86 bzImage kernels (vmlinuz)
 * whose payload is one of those (every compression the kernel offers but
 * LZO). The output is capped at BK__MAX_DECOMPRESSED so that a small hostile
 * input cannot make us allocate without bound.
 */
#include <bzlib.h>
#include <lz4.h>
#include <lz4frame.h>
#include <lzma.h>
#include <stdlib.h>
#include <zlib.h>
#include <zstd.h>

#include "internal.h"

static const uint8_t xz_magic[6] = { 0xfd, '7', 'z', 'X', 'Z', 0x00 };
static const uint8_t zstd_magic[4] = { 0x28, 0xb5, 0x2f, 0xfd };
static const uint8_t gzip_magic[2] = { 0x1f, 0x8b };
static const uint8_t lz4_magic[4] = { 0x04, 0x22, 0x4d, 0x18 };        /* frame */
static const uint8_t lz4_legacy_magic[4] = { 0x02, 0x21, 0x4c, 0x18 }; /* lz4 -l */
static const uint8_t lzma_magic[3] = { 0x5d, 0x00, 0x00 }; /* lzma_alone: lc3 lp0 pb2 */

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
	if (size >= sizeof(lz4_magic) && !memcmp(data, lz4_magic, sizeof(lz4_magic)))
		return BK__COMP_LZ4;
	if (size >= sizeof(lz4_legacy_magic) &&
	    !memcmp(data, lz4_legacy_magic, sizeof(lz4_legacy_magic)))
		return BK__COMP_LZ4_LEGACY;
	if (size >= 4 && !memcmp(data, "BZh", 3) && data[3] >= '1' && data[3] <= '9')
		return BK__COMP_BZIP2;
	/* lzma_alone has no magic: its header's property byte and dictionary size */
	if (size >= 13 && !memcmp(data, lzma_magic, sizeof(lzma_magic)))
		return BK__COMP_LZMA;
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

	if (o->len && !o->checked && (err = outbuf_check(o, diag)))
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

/*
 * What the xz/lzma decoder may allocate: the dictionary the stream's header
 * asks for, which a hostile header sets to gigabytes (xz -9 needs 65 MiB,
 * the kernel's bzImage 32 MiB dictionary less).
 */
#define XZ_MEMLIMIT (256ull << 20)

/* xz, or with alone set the legacy .lzma format (both liblzma). */
static int unxz(const uint8_t *in, size_t in_len, bool alone, struct outbuf *o,
		struct bk_diag *diag)
{
	const char *what = alone ? "lzma" : "xz";
	lzma_stream s = LZMA_STREAM_INIT;
	lzma_ret r;
	int err = 0;

	/* LZMA_CONCATENATED off: the kernel's payload is one stream. */
	r = alone ? lzma_alone_decoder(&s, XZ_MEMLIMIT) : lzma_stream_decoder(&s, XZ_MEMLIMIT, 0);
	if (r != LZMA_OK)
		return bk__diag(diag, -ENOMEM, "cannot start %s decoder", what);
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
		if (r == LZMA_MEMLIMIT_ERROR) {
			err = bk__diag(diag, -EINVAL,
				       "%s data needs more than %llu MiB to decompress (a corrupt header?)",
				       what, XZ_MEMLIMIT >> 20);
			break;
		}
		if (r != LZMA_OK && r != LZMA_STREAM_END) {
			err = bk__diag(diag, -EINVAL, "corrupt %s data (liblzma error %d)", what, (int)r);
			break;
		}
		if (r == LZMA_OK && s.avail_in == 0 && s.avail_out != 0) {
			err = bk__diag(diag, -EINVAL, "truncated %s data", what);
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

/* The lz4 frame format (lz4 CLI default). */
static int unlz4(const uint8_t *in, size_t in_len, struct outbuf *o, struct bk_diag *diag)
{
	LZ4F_dctx *dctx;
	size_t pos = 0, r = 1;
	int err = 0;

	if (LZ4F_isError(LZ4F_createDecompressionContext(&dctx, LZ4F_VERSION)))
		return bk__diag(diag, -ENOMEM, "cannot start lz4 decoder");
	while (r != 0) {
		size_t out_sz, in_sz = in_len - pos;

		if (o->len == o->cap && (err = outbuf_grow(o, diag))) {
			if (err == OUT_ENOUGH)
				err = 0;
			break;
		}
		out_sz = o->cap - o->len;
		r = LZ4F_decompress(dctx, o->p + o->len, &out_sz, in + pos, &in_sz, NULL);
		if (LZ4F_isError(r)) {
			err = bk__diag(diag, -EINVAL, "corrupt lz4 data: %s", LZ4F_getErrorName(r));
			break;
		}
		pos += in_sz;
		o->len += out_sz;
		if (r != 0 && pos == in_len && o->len < o->cap) {
			err = bk__diag(diag, -EINVAL, "truncated lz4 data");
			break;
		}
	}
	LZ4F_freeDecompressionContext(dctx);
	return err;
}

/*
 * The lz4 legacy format (`lz4 -l`, what the kernel's build compresses
 * vmlinux with): the magic, then blocks of a 4-byte little-endian compressed
 * size and the block, each decompressing to at most 8 MiB. The stream ends
 * with the input; inside a bzImage the payload ends with the 4-byte
 * uncompressed size, which reads as a block size larger than what is left.
 * A repeated magic starts a concatenated stream.
 */
#define LZ4_LEGACY_BLOCK (8u << 20)

static int unlz4_legacy(const uint8_t *in, size_t in_len, struct outbuf *o,
			struct bk_diag *diag)
{
	size_t pos = 4, blocks = 0;
	int err;

	while (in_len - pos >= 4) {
		uint32_t csize = le32(in + pos);
		int n;

		if (!memcmp(in + pos, lz4_legacy_magic, 4)) {
			pos += 4;
			continue;
		}
		if (csize > in_len - pos - 4) {
			if (blocks && in_len - pos == 4)
				break; /* the bzImage size trailer */
			return bk__diag(diag, -EINVAL,
					"truncated lz4 data (block of %u bytes at byte offset %zu, %zu left)",
					csize, pos, in_len - pos - 4);
		}
		if (csize > (uint32_t)LZ4_compressBound(LZ4_LEGACY_BLOCK))
			return bk__diag(diag, -EINVAL,
					"corrupt lz4 data (block of %u bytes at byte offset %zu)", csize, pos);
		while (o->cap - o->len < LZ4_LEGACY_BLOCK) {
			size_t cap = o->cap;

			if ((err = outbuf_grow(o, diag)))
				return err == OUT_ENOUGH ? 0 : err;
			if (o->cap == cap) /* capped by the declared BTF size */
				break;
		}
		if (o->cap - o->len >= LZ4_LEGACY_BLOCK)
			n = LZ4_decompress_safe((const char *)in + pos + 4, (char *)o->p + o->len,
						(int)csize, (int)LZ4_LEGACY_BLOCK);
		else /* the declared BTF ends in this block: decode up to there */
			n = LZ4_decompress_safe_partial((const char *)in + pos + 4,
							(char *)o->p + o->len, (int)csize,
							(int)(o->cap - o->len), (int)(o->cap - o->len));
		if (n < 0)
			return bk__diag(diag, -EINVAL, "corrupt lz4 data (block at byte offset %zu)", pos);
		o->len += (size_t)n;
		pos += 4 + (size_t)csize;
		blocks++;
	}
	if (!blocks)
		return bk__diag(diag, -EINVAL, "truncated lz4 data (no block)");
	return 0;
}

static int bunzip2(const uint8_t *in, size_t in_len, struct outbuf *o, struct bk_diag *diag)
{
	bz_stream z;
	size_t pos = 0;
	int r = BZ_OK, err = 0;

	memset(&z, 0, sizeof(z));
	if (BZ2_bzDecompressInit(&z, 0, 0) != BZ_OK)
		return bk__diag(diag, -ENOMEM, "cannot start bzip2 decoder");
	while (r != BZ_STREAM_END) {
		size_t in_sz = in_len - pos > (1u << 30) ? (1u << 30) : in_len - pos;
		size_t out_sz;

		if (o->len == o->cap && (err = outbuf_grow(o, diag))) {
			if (err == OUT_ENOUGH)
				err = 0;
			break;
		}
		/* libbz2 counts in unsigned int: at most 1 GiB at a time */
		out_sz = o->cap - o->len > (1u << 30) ? (1u << 30) : o->cap - o->len;
		z.next_in = (char *)in + pos;
		z.avail_in = (unsigned int)in_sz;
		z.next_out = (char *)o->p + o->len;
		z.avail_out = (unsigned int)out_sz;
		r = BZ2_bzDecompress(&z);
		pos += in_sz - z.avail_in;
		o->len += out_sz - z.avail_out;
		if (r != BZ_OK && r != BZ_STREAM_END) {
			err = bk__diag(diag, -EINVAL, "corrupt bzip2 data (libbz2 error %d)", r);
			break;
		}
		if (r == BZ_OK && pos == in_len && z.avail_out != 0) {
			err = bk__diag(diag, -EINVAL, "truncated bzip2 data");
			break;
		}
	}
	BZ2_bzDecompressEnd(&z);
	return err;
}

static int decompress_stream(const uint8_t *in, size_t in_len, struct outbuf *o,
			     struct bk_diag *diag)
{
	switch (bk__detect_compression(in, in_len)) {
	case BK__COMP_XZ:
		return unxz(in, in_len, false, o, diag);
	case BK__COMP_LZMA:
		return unxz(in, in_len, true, o, diag);
	case BK__COMP_LZ4:
		return unlz4(in, in_len, o, diag);
	case BK__COMP_LZ4_LEGACY:
		return unlz4_legacy(in, in_len, o, diag);
	case BK__COMP_BZIP2:
		return bunzip2(in, in_len, o, diag);
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
				"bzImage payload uses a compression btfkit does not read (LZO?; xz, lzma, zstd, gzip, lz4 and bzip2 are supported)");
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
