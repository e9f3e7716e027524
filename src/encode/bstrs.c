// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The string section of a batch (struct bstrs in enc_int.h). While units
 * are emitted, a name pointing into .debug_str gets the offset 1 + its
 * offset in .debug_str, without reading it (reading every name would cost a
 * cache miss each); other names go to a deduplicated set placed after.
 *
 * Done, the batch's BTF gets "\0" + .debug_str + the other strings, or,
 * with compact (when .debug_str is large next to the batch: a module whose
 * strings are mostly the kernel's), only the strings used: they were marked
 * in a bitmap as they were handed out, are copied in offset order, and the
 * records' string offsets are rewritten through the bitmap's ranks (a
 * prefix count per 64-bit word plus a popcount). Either way the strings
 * keep their relative order, so the output does not depend on the choice.
 */
#include <stdlib.h>

#include "enc_int.h"
#include "write/write_int.h"

/* What libbpf accepts as a string offset. */
#define MAX_STR_OFF 0x7fffffffu

int bk__enc_bstrs_off(struct bstrs *b, const char *s, uint32_t *off)
{
	int64_t r;

	/* not s[0]: reading the string would cost a cache miss (an empty one maps to 0 later) */
	if (b->dstr && s >= b->dstr && s < b->dstr + b->dlen) {
		size_t x = (size_t)(s - b->dstr);

		if (b->compact) {
			if (!b->used && !(b->used = calloc(b->dlen / 64 + 1, sizeof(*b->used))))
				return -ENOMEM;
			b->used[x / 64] |= 1ull << (x % 64);
		}
		*off = 1 + (uint32_t)x;
		return 0;
	}
	*off = 0;
	if (!s || !s[0])
		return 0;
	if (!b->extra && !(b->extra = bk__strset_new(1024)))
		return -ENOMEM;
	r = bk__strset_add(b->extra, s, strlen(s));
	if (r < 0)
		return (int)r;
	if ((uint64_t)r + 1 + b->dlen > MAX_STR_OFF)
		return -E2BIG;
	*off = (uint32_t)(1 + b->dlen + (uint64_t)r);
	return 0;
}

/* The used strings only: copy them, rewrite the records. */
static int install_compact(struct bstrs *b, struct bk_btf *btf, const char *xdata, size_t xlen)
{
	size_t words = b->dlen / 64 + 1, n = 0, len = 1;
	uint32_t *rank = NULL, *pos = NULL;
	char *buf = NULL;

	rank = malloc(words * sizeof(*rank));
	if (!rank)
		goto nomem;
	for (size_t w = 0; w < words; w++) {
		rank[w] = (uint32_t)n;
		n += bk__popcount64(b->used ? b->used[w] : 0);
		for (uint64_t bits = b->used ? b->used[w] : 0; bits; bits &= bits - 1)
			len += strlen(b->dstr + w * 64 + (size_t)__builtin_ctzll(bits)) + 1;
	}
	pos = malloc((n ? n : 1) * sizeof(*pos));
	buf = malloc(len + xlen);
	if (!pos || !buf)
		goto nomem;
	buf[0] = '\0';
	len = 1;
	for (size_t w = 0, k = 0; w < words; w++) {
		for (uint64_t bits = b->used ? b->used[w] : 0; bits; bits &= bits - 1) {
			const char *str = b->dstr + w * 64 + (size_t)__builtin_ctzll(bits);
			size_t l = strlen(str) + 1;

			memcpy(buf + len, str, l);
			pos[k++] = (uint32_t)len;
			len += l;
		}
	}
	if (xlen)
		memcpy(buf + len, xdata, xlen);
	for (uint32_t i = 0; i < btf->nr_types; i++) {
		struct bk_type *t = (struct bk_type *)(btf->types + btf->type_offs[i]);
		struct bk__field_iter it;
		uint32_t *f;

		if (bk__field_iter_init(&it, t, BK__FIELD_STRS))
			continue;
		while ((f = bk__field_iter_next(&it))) {
			uint32_t x = *f;

			if (!x)
				continue;
			if (x > b->dlen) {
				*f = (uint32_t)(len + (x - 1 - b->dlen));
			} else {
				x--;
				*f = pos[rank[x / 64] + bk__popcount64(b->used[x / 64] & ((1ull << (x % 64)) - 1))];
			}
		}
	}
	bk__write_take_strs(btf, buf, len + xlen);
	free(rank);
	free(pos);
	return 0;
nomem:
	free(rank);
	free(pos);
	free(buf);
	return -ENOMEM;
}

int bk__enc_bstrs_install(struct bstrs *b, struct bk_btf *btf)
{
	size_t xlen = b->extra ? bk__strset_len(b->extra) : 0;
	const char *xdata = xlen ? bk__strset_data(b->extra) : NULL;
	char *buf;
	int err = 0;

	if (b->compact) {
		err = install_compact(b, btf, xdata, xlen);
	} else if (!(buf = malloc(1 + b->dlen + xlen))) {
		err = -ENOMEM;
	} else {
		buf[0] = '\0';
		if (b->dlen)
			memcpy(buf + 1, b->dstr, b->dlen);
		if (xlen)
			memcpy(buf + 1 + b->dlen, xdata, xlen);
		bk__write_take_strs(btf, buf, 1 + b->dlen + xlen);
	}
	bk__enc_bstrs_free(b);
	return err;
}

void bk__enc_bstrs_free(struct bstrs *b)
{
	bk__strset_free(b->extra);
	b->extra = NULL;
	free(b->used);
	b->used = NULL;
}
