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
 * base offset; offsets below start_str_off are base strings and stay
 * (see find_in_bases for how the base is searched).
 *
 * Referenced offsets are marked in a bitmap with one bit per byte of the own
 * section; the new offset of the k-th marked byte is snew[k], and k is found
 * in O(1) from a per-64-bit-word prefix count (kept next to the word's bits)
 * plus a popcount. So
 * a lookup costs no hashing and no string comparison.
 */
#include <stdlib.h>

#include "dedup_int.h"

/*
 * Element stride (in u32 words) and count of the name fields past name_off
 * (the kind table's elements with names; none for unknown kinds). Named
 * elements follow the common 12 bytes directly.
 */
static inline unsigned name_elems(const struct bk_type *t, unsigned *stride)
{
	unsigned kind = bk_kind(t);

	if (!bk__kind_is(kind, BK__KF_ELEM_NAMED)) {
		*stride = 0;
		return 0;
	}
	*stride = bk__kinds[kind].elem_sz / 4;
	return bk_vlen(t);
}

static inline void mark(struct dd_sword *sw, uint32_t base, uint32_t off)
{
	if (off >= base) {
		off -= base;
		sw[off >> 6].bits |= 1ull << (off & 63);
	}
}

static inline void mark_base(uint64_t *bn, uint32_t off)
{
	bn[off >> 6] |= 1ull << (off & 63);
}

#define MAX_LEVELS 64

/*
 * Which referenced own strings the base chain already holds. Rather than
 * index every base string (the base's string section is usually far
 * larger than the referenced own strings), the own strings are indexed
 * (open addressing on their hash; a repeated own string points at its first
 * copy through alias) and each base section, root first, is scanned once:
 * a base string equal to an own string gives that string its base offset
 * (the first one met, as a lookup from the root would). If the base keeps
 * its own string index already (the writer built it), that is used.
 */
/*
 * A filter in front of the index: one bit per key of length and first,
 * second and last bytes, set for the own strings. Most base strings miss
 * it and are neither hashed nor looked up (a split dedup scans the whole
 * base section: 1.8 MB, 101,782 strings for vmlinux).
 */
#define FILTER_LOG 18
static inline uint32_t filter_key(const char *s, size_t l)
{
	uint32_t a = l ? (uint8_t)s[0] : 0, b = l > 1 ? (uint8_t)s[1] : 0, c = l ? (uint8_t)s[l - 1] : 0;

	return ((uint32_t)l * 0x9e3779b1u ^ a << 16 ^ b << 8 ^ c) * 0x85ebca6bu >> (32 - FILTER_LOG);
}

static int find_in_bases(struct dd *d, uint32_t total, const uint32_t *own, uint32_t *alias)
{
	const struct bk_btf *lvl[MAX_LEVELS];
	const char *strs = d->btf->strs;
	uint32_t mask = 15, found = 0;
	struct dd_slot *tab; /* (hash, k + 1): the hash spares comparing strings */
	uint64_t *filter;
	int nlvl = 0;

	for (const struct bk_btf *b = d->btf->base; b; b = b->base) {
		if (nlvl == MAX_LEVELS)
			return -E2BIG;
		lvl[nlvl++] = b;
	}
	if (nlvl == 1 && lvl[0]->strset) {
		for (uint32_t k = 0; k < total; k++) {
			const char *str = strs + own[k];
			int64_t off = bk__strset_find(lvl[0]->strset, str, strlen(str));

			alias[k] = k;
			d->snew[k] = off < 0 ? DD_NONE : lvl[0]->start_str_off + (uint32_t)off;
		}
		return 0;
	}
	while (mask < (uint64_t)total * 2)
		mask = mask * 2 + 1;
	tab = calloc((size_t)mask + 1, sizeof(*tab));
	filter = calloc((1u << FILTER_LOG) / 64, sizeof(*filter));
	if (!tab || !filter) {
		free(tab);
		free(filter);
		return -ENOMEM;
	}
	for (uint32_t k = 0; k < total; k++) {
		const char *str = strs + own[k];
		size_t l = strlen(str);
		uint32_t h = bk__str_hash(str, l), pos = h & mask, f = filter_key(str, l);

		d->snew[k] = DD_NONE;
		alias[k] = k;
		for (; tab[pos].id; pos = (pos + 1) & mask) {
			if (tab[pos].hash == h && !strcmp(strs + own[tab[pos].id - 1], str)) {
				alias[k] = tab[pos].id - 1;
				break;
			}
		}
		if (alias[k] == k) {
			tab[pos].hash = h;
			tab[pos].id = k + 1;
			filter[f >> 6] |= 1ull << (f & 63);
		} else {
			found++; /* nothing to look up for a repeat */
		}
	}
	for (int i = nlvl - 1; i >= 0 && found < total; i--) {
		const char *data = lvl[i]->strs;
		size_t len = lvl[i]->strs_len;

		for (size_t off = 0; off < len && found < total;) {
			size_t l = strnlen(data + off, len - off);
			uint32_t f = filter_key(data + off, l), h, pos;

			if (!(filter[f >> 6] >> (f & 63) & 1)) {
				off += l + 1;
				continue;
			}
			h = bk__str_hash(data + off, l);
			for (pos = h & mask; tab[pos].id; pos = (pos + 1) & mask) {
				uint32_t k = tab[pos].id - 1;
				const char *str = strs + own[k];

				if (tab[pos].hash == h && d->snew[k] == DD_NONE && !strncmp(str, data + off, l) &&
				    !str[l]) {
					d->snew[k] = lvl[i]->start_str_off + (uint32_t)off;
					found++;
					break;
				}
			}
			off += l + 1;
		}
	}
	free(tab);
	free(filter);
	return 0;
}

/*
 * One pass over the records: mark strings, note kinds and the types phase
 * 3 handles (d->p3: it then reads no other record). Inlined twice, so a
 * dedup without a base tests no offset against the base's. (Locals only:
 * the byte stores to kinds may alias anything, which would reload every
 * pointer through d and btf on each record.)
 */
static inline __attribute__((always_inline)) void mark_records(struct dd *d, bool split)
{
	const struct bk_btf *btf = d->btf;
	struct dd_sword *sw = d->swords;
	uint64_t *bn = d->bnames, *p3 = d->p3;
	uint8_t *kinds = d->kinds + btf->start_id;
	const uint8_t *types = btf->types;
	const uint32_t *offs = btf->type_offs;
	uint32_t base = split ? btf->start_str_off : 0, nr = btf->nr_types, unknown = 0;

	for (uint32_t i = 0; i < nr; i++) {
		const struct bk_type *t = (const struct bk_type *)(types + offs[i]);
		const uint32_t *e = (const uint32_t *)(t + 1);
		unsigned k = bk_kind(t), stride, n = name_elems(t, &stride);

		kinds[i] = (uint8_t)k;
		if (dd_in(DD_P3, k))
			p3[i >> 6] |= 1ull << (i & 63);
		if (k >= BK_NR_KINDS && !unknown)
			unknown = btf->start_id + i;
		/* type names only: what a base type must be named like to match */
		if (split && t->name_off < base)
			mark_base(bn, t->name_off);
		else
			mark(sw, base, t->name_off);
		for (unsigned j = 0; j < n; j++, e += stride)
			mark(sw, base, *e);
	}
	d->unknown = unknown;
}

int bk__dd_strings_prepare(struct dd *d)
{
	struct bk_btf *btf = d->btf;
	size_t words = btf->strs_len / 64 + 1;
	uint32_t total = 0, k = 0, *own = NULL, *alias = NULL;
	int err = 0;

	d->swords = calloc(words, sizeof(*d->swords));
	if (btf->base)
		d->bnames = calloc(btf->start_str_off / 64 + 1, sizeof(*d->bnames));
	if (!d->swords || (btf->base && !d->bnames))
		return -ENOMEM;
	if (btf->base)
		mark_records(d, true);
	else
		mark_records(d, false);
	for (size_t w = 0; w < words; w++) {
		d->swords[w].rank = total;
		total += bk__popcount64(d->swords[w].bits);
	}
	d->snew = malloc(((size_t)total + 1) * sizeof(*d->snew));
	d->sset = bk__strset_new(total);
	own = malloc(((size_t)total + 1) * sizeof(*own));
	/* (only a split has strings that may be a base's) */
	alias = btf->base ? malloc(((size_t)total + 1) * sizeof(*alias)) : NULL;
	if (!d->snew || !d->sset || !own || (btf->base && !alias)) {
		err = -ENOMEM;
		goto out;
	}
	if (!btf->base && bk__strset_add(d->sset, "", 0) < 0) {
		err = -ENOMEM;
		goto out;
	}
	for (size_t w = 0; w < words; w++) {
		for (uint64_t bits = d->swords[w].bits; bits; bits &= bits - 1)
			own[k++] = (uint32_t)(w * 64 + (size_t)__builtin_ctzll(bits));
	}
	if (btf->base) {
		err = find_in_bases(d, total, own, alias);
		if (err)
			goto out;
	}
	/* the rest, in offset order, into the new own section */
	for (k = 0; k < total; k++) {
		const char *str = btf->strs + own[k];
		int64_t n;

		if (btf->base && alias[k] != k)
			d->snew[k] = d->snew[alias[k]];
		if (btf->base && d->snew[k] != DD_NONE) {
			mark_base(d->bnames, d->snew[k]); /* (member names too: harmless) */
			continue;
		}
		n = bk__strset_add(d->sset, str, strlen(str));
		if (n < 0) {
			err = (int)n;
			goto out;
		}
		if ((uint64_t)n + btf->start_str_off > UINT32_MAX) {
			err = -E2BIG;
			goto out;
		}
		d->snew[k] = (uint32_t)n + btf->start_str_off;
	}
out:
	free(own);
	free(alias);
	return err;
}

void bk__dd_strings_remap(const struct dd *d, struct bk_type *t)
{
	uint32_t *e = (uint32_t *)(t + 1);
	unsigned stride, n = name_elems(t, &stride);

	t->name_off = dd_s(d, t->name_off);
	for (unsigned j = 0; j < n; j++, e += stride)
		*e = dd_s(d, *e);
}

void bk__dd_strings_free(struct dd *d)
{
	free(d->swords);
	free(d->snew);
	free(d->bnames);
	bk__strset_free(d->sset);
	d->bnames = NULL;
	d->swords = NULL;
	d->snew = NULL;
	d->sset = NULL;
}
