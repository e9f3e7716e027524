/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Hand-built BTF for unit tests, without the writer: records are appended
 * as raw words, strings to a table, and bb_open() wraps them in a header
 * and parses the blob with bk_btf_from_mem. IDs count from 1 in order of
 * bb_type() calls. Capacities are fixed (tests are small); overflow aborts.
 */
#ifndef BTFKIT_TEST_BTFBUILD_H
#define BTFKIT_TEST_BTFBUILD_H

#include <stdlib.h>
#include <string.h>

#include "btfkit/btf.h"

struct bb {
	uint32_t w[32768];
	size_t nw;
	char s[8192];
	size_t ns;
	uint32_t ntypes;   /* last ID given */
	uint32_t str_base; /* split: the base's string bytes */
};

static inline void bb_init(struct bb *b)
{
	b->nw = 0;
	b->s[0] = 0;
	b->ns = 1;
	b->ntypes = 0;
	b->str_base = 0;
}

/* A split BTF on base: IDs continue after the base's, strings likewise. */
static inline void bb_init_split(struct bb *b, const struct bk_btf *base)
{
	bb_init(b);
	b->ntypes = bk_btf_type_cnt(base) - 1;
	b->str_base = bk_btf_start_str_off(base);
	{
		struct bk_btf_layout_info li;

		bk_btf_layout_info(base, &li);
		b->str_base += li.str_len;
	}
}

static inline void bb_u32(struct bb *b, uint32_t v)
{
	if (b->nw == sizeof(b->w) / sizeof(b->w[0]))
		abort();
	b->w[b->nw++] = v;
}

static inline uint32_t bb_str(struct bb *b, const char *str)
{
	size_t len, off = b->ns;

	if (!str || !*str)
		return 0;
	len = strlen(str) + 1;
	if (b->ns + len > sizeof(b->s))
		abort();
	memcpy(b->s + b->ns, str, len);
	b->ns += len;
	return b->str_base + (uint32_t)off;
}

static inline uint32_t bb_type(struct bb *b, const char *name, unsigned kind, unsigned vlen,
			       bool kflag, uint32_t size_or_type)
{
	bb_u32(b, bb_str(b, name));
	bb_u32(b, bk_info(kind, vlen, kflag));
	bb_u32(b, size_or_type);
	return ++b->ntypes;
}

static inline uint32_t bb_int(struct bb *b, const char *name, uint32_t size, unsigned enc)
{
	uint32_t id = bb_type(b, name, BK_KIND_INT, 0, false, size);

	bb_u32(b, (enc << 24) | (size * 8));
	return id;
}

static inline uint32_t bb_ref(struct bb *b, unsigned kind, const char *name, uint32_t type)
{
	return bb_type(b, name, kind, 0, false, type);
}

static inline uint32_t bb_array(struct bb *b, uint32_t elem, uint32_t index, uint32_t n)
{
	uint32_t id = bb_type(b, NULL, BK_KIND_ARRAY, 0, false, 0);

	bb_u32(b, elem);
	bb_u32(b, index);
	bb_u32(b, n);
	return id;
}

/* Follow with vlen bb_member() calls. kflag: bitfield sizes encoded. */
static inline uint32_t bb_comp(struct bb *b, unsigned kind, const char *name, uint32_t size,
			       unsigned vlen, bool kflag)
{
	return bb_type(b, name, kind, vlen, kflag, size);
}

static inline void bb_member(struct bb *b, const char *name, uint32_t type, uint32_t bit_off,
			     uint32_t bitfield)
{
	bb_u32(b, bb_str(b, name));
	bb_u32(b, type);
	bb_u32(b, (bitfield << 24) | bit_off);
}

/* Follow with vlen bb_enumval() calls. */
static inline uint32_t bb_enum(struct bb *b, const char *name, uint32_t size, unsigned vlen,
			       bool is_signed)
{
	return bb_type(b, name, BK_KIND_ENUM, vlen, is_signed, size);
}

static inline void bb_enumval(struct bb *b, const char *name, int32_t val)
{
	bb_u32(b, bb_str(b, name));
	bb_u32(b, (uint32_t)val);
}

/* Follow with vlen bb_param() calls. */
static inline uint32_t bb_proto(struct bb *b, uint32_t ret, unsigned vlen)
{
	return bb_type(b, NULL, BK_KIND_FUNC_PROTO, vlen, false, ret);
}

static inline void bb_param(struct bb *b, const char *name, uint32_t type)
{
	bb_u32(b, bb_str(b, name));
	bb_u32(b, type);
}

static inline struct bk_btf *bb_open_on(struct bb *b, struct bk_btf *base)
{
	struct bk_open_opts oo = { .sz = sizeof(oo), .base = base };
	size_t tlen = b->nw * 4, total = 24 + tlen + b->ns;
	uint8_t *blob = malloc(total);
	uint32_t hdr[6];
	struct bk_btf *btf;

	if (!blob)
		abort();
	hdr[0] = 0xEB9F | (1u << 16); /* magic, version 1, flags 0 */
	hdr[1] = 24;                  /* hdr_len */
	hdr[2] = 0;                   /* type_off */
	hdr[3] = (uint32_t)tlen;
	hdr[4] = (uint32_t)tlen;      /* str_off */
	hdr[5] = (uint32_t)b->ns;
	memcpy(blob, hdr, 24);
	memcpy(blob + 24, b->w, tlen);
	memcpy(blob + 24 + tlen, b->s, b->ns);
	btf = bk_btf_from_mem(blob, total, &oo);
	free(blob);
	return btf;
}

static inline struct bk_btf *bb_open(struct bb *b)
{
	return bb_open_on(b, NULL);
}

#endif
