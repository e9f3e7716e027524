/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A tiny raw-BTF blob builder for unit tests: records and strings are
 * appended by hand (no validation at all), then laid out as
 * header(24) | types | strings in the host's byte order. Fixed capacity;
 * tests that overflow it are wrong.
 */
#ifndef BTFKIT_TEST_VBLOB_H
#define BTFKIT_TEST_VBLOB_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "btfkit/btf.h"

struct tb {
	uint8_t types[1 << 16];
	size_t tlen;
	char strs[1 << 16];
	size_t slen;
	uint32_t nr;   /* types added (IDs start at start_id) */
	uint32_t start_id;
	uint32_t start_str;
	bool split;
};

/* Base blob: IDs from 1, strings start with "". */
static inline void tb_init(struct tb *b)
{
	memset(b, 0, sizeof(*b));
	b->slen = 1;
	b->start_id = 1;
}

/* Split blob on a base with base_cnt type IDs and base_str string bytes. */
static inline void tb_init_split(struct tb *b, uint32_t base_cnt, uint32_t base_str)
{
	memset(b, 0, sizeof(*b));
	b->start_id = base_cnt;
	b->start_str = base_str;
	b->split = true;
}

/* Global offset of a new copy of s ("" and NULL give 0). */
static inline uint32_t tb_str(struct tb *b, const char *s)
{
	size_t n;
	uint32_t off;

	if (!s || !*s)
		return 0;
	n = strlen(s) + 1;
	off = (uint32_t)b->slen;
	memcpy(b->strs + b->slen, s, n);
	b->slen += n;
	return b->start_str + off;
}

static inline void tb_word(struct tb *b, uint32_t w)
{
	memcpy(b->types + b->tlen, &w, 4);
	b->tlen += 4;
}

/* Append a type record; returns its ID. */
static inline uint32_t tb_type(struct tb *b, const char *name, unsigned kind, unsigned vlen,
			       bool kflag, uint32_t size_or_type)
{
	tb_word(b, tb_str(b, name));
	tb_word(b, bk_info(kind, vlen, kflag));
	tb_word(b, size_or_type);
	return b->start_id + b->nr++;
}

static inline uint32_t tb_int(struct tb *b, const char *name, uint32_t size, uint32_t data)
{
	uint32_t id = tb_type(b, name, BK_KIND_INT, 0, false, size);

	tb_word(b, data);
	return id;
}

static inline void tb_member(struct tb *b, const char *name, uint32_t type, uint32_t off)
{
	tb_word(b, tb_str(b, name));
	tb_word(b, type);
	tb_word(b, off);
}

/* The blob, malloc'ed; *len gets its size. */
static inline uint8_t *tb_blob(const struct tb *b, size_t *len)
{
	uint32_t h[6] = { 0, 24, 0, (uint32_t)b->tlen, (uint32_t)b->tlen, (uint32_t)b->slen };
	uint16_t magic = BK_MAGIC;
	uint8_t *p;

	*len = 24 + b->tlen + b->slen;
	p = malloc(*len);
	memcpy(h, &magic, 2);
	((uint8_t *)h)[2] = 1;
	memcpy(p, h, 24);
	memcpy(p + 24, b->types, b->tlen);
	memcpy(p + 24 + b->tlen, b->strs, b->slen);
	return p;
}

#endif
