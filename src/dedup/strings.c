// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The string phase of dedup: build the new own string section and the map
 * from old to new offsets (dd_s() in dedup_int.h), used by every comparison
 * while the records keep their old offsets, and to rewrite the surviving
 * records at compaction.
 *
 * Only strings that own types reference survive, each once, in the order of
 * their old offsets (so an already deduplicated section, like vmlinux's,
 * comes out byte-identical). In split BTF a string the base chain already
 * holds (a whole-string match, searched from the root base up) takes the
 * base offset; offsets below start_str_off are base strings and stay.
 *
 * Referenced offsets are marked in a bitmap with one bit per byte of the own
 * section; the new offset of the k-th marked byte is snew[k], and k is found
 * in O(1) from a per-64-bit-word prefix count (kept next to the word's bits)
 * plus a popcount. So
 * a lookup costs no hashing and no string comparison.
 */
#include <stdlib.h>

#include "dedup_int.h"

/* Element stride (in u32 words) and count of the name fields past name_off. */
static inline unsigned name_elems(const struct bk_type *t, unsigned *stride)
{
	switch (bk_kind(t)) {
	case BK_KIND_STRUCT:
	case BK_KIND_UNION:
	case BK_KIND_ENUM64:
		*stride = 3;
		return bk_vlen(t);
	case BK_KIND_ENUM:
	case BK_KIND_FUNC_PROTO:
		*stride = 2;
		return bk_vlen(t);
	default:
		*stride = 0;
		return 0;
	}
}

static inline void mark(struct dd *d, uint32_t off)
{
	uint32_t base = d->btf->start_str_off;

	if (off >= base) {
		off -= base;
		d->swords[off >> 6].bits |= 1ull << (off & 63);
	}
}

/* Offset of s in the base chain (root first), or -ENOENT. */
static int64_t find_in_bases(struct bk__strset *const *idx, const struct bk_btf **lvl, int nlvl,
			     const char *s, size_t len)
{
	for (int i = nlvl - 1; i >= 0; i--) {
		int64_t off = bk__strset_find(idx[i], s, len);

		if (off >= 0)
			return lvl[i]->start_str_off + off;
	}
	return -ENOENT;
}

#define MAX_LEVELS 64

int dd_strings_prepare(struct dd *d)
{
	struct bk_btf *btf = d->btf;
	struct bk__strset *idx[MAX_LEVELS];
	const struct bk_btf *lvl[MAX_LEVELS];
	size_t words = btf->strs_len / 64 + 1;
	uint32_t total = 0, k = 0;
	int nlvl = 0, err = 0;

	d->swords = calloc(words, sizeof(*d->swords));
	if (!d->swords)
		return -ENOMEM;
	/* one pass over the records: mark strings, note kinds */
	for (uint32_t i = 0; i < btf->nr_types; i++) {
		struct bk_type *t = (struct bk_type *)(btf->types + btf->type_offs[i]);
		const uint32_t *e = (const uint32_t *)(t + 1);
		unsigned stride, n = name_elems(t, &stride);

		d->kinds[btf->start_id + i] = (uint8_t)bk_kind(t);
		mark(d, t->name_off);
		for (unsigned j = 0; j < n; j++, e += stride)
			mark(d, *e);
	}
	for (size_t w = 0; w < words; w++) {
		d->swords[w].rank = total;
		total += dd_popcount64(d->swords[w].bits);
	}
	d->snew = malloc(((size_t)total + 1) * sizeof(*d->snew));
	d->sset = bk__strset_new(total);
	if (!d->snew || !d->sset)
		return -ENOMEM;
	if (!btf->base && bk__strset_add(d->sset, "", 0) < 0)
		return -ENOMEM;
	for (struct bk_btf *b = btf->base; b; b = b->base) {
		if (nlvl == MAX_LEVELS)
			return -E2BIG;
		/* the base's string index, built once and cached as the writer does */
		if (!b->strset) {
			struct bk__strset *set = bk__strset_new(b->strs_len / 16 + 16);

			if (!set)
				return -ENOMEM;
			if (b->strs_len && (err = bk__strset_index(set, b->strs, b->strs_len))) {
				bk__strset_free(set);
				return err;
			}
			b->strset = set;
		}
		lvl[nlvl] = b;
		idx[nlvl++] = b->strset;
	}
	for (size_t w = 0; w < words; w++) {
		for (uint64_t bits = d->swords[w].bits; bits; bits &= bits - 1) {
			size_t off = w * 64 + (size_t)__builtin_ctzll(bits);
			const char *s = btf->strs + off;
			size_t len = strlen(s);
			int64_t n = nlvl ? find_in_bases(idx, lvl, nlvl, s, len) : -ENOENT;

			if (n < 0) {
				n = bk__strset_add(d->sset, s, len);
				if (n < 0) {
					err = (int)n;
					goto out;
				}
				if ((uint64_t)n + btf->start_str_off > UINT32_MAX) {
					err = -E2BIG;
					goto out;
				}
				n += btf->start_str_off;
			}
			d->snew[k++] = (uint32_t)n;
		}
	}
out:
	return err;
}

void dd_strings_remap(const struct dd *d, struct bk_type *t)
{
	uint32_t *e = (uint32_t *)(t + 1);
	unsigned stride, n = name_elems(t, &stride);

	t->name_off = dd_s(d, t->name_off);
	for (unsigned j = 0; j < n; j++, e += stride)
		*e = dd_s(d, *e);
}

void dd_strings_free(struct dd *d)
{
	free(d->swords);
	free(d->snew);
	bk__strset_free(d->sset);
	d->swords = NULL;
	d->snew = NULL;
	d->sset = NULL;
}
