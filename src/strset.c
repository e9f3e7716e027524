// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * String set: strings stored back to back (each NUL-terminated) in one
 * growable buffer, indexed by an open-addressing hash table of offsets.
 * Adding a string that is present returns its existing offset, which is how
 * the writer deduplicates strings on insertion.
 */
#include <stdlib.h>

#include "internal.h"

struct bk__strset {
	char *data;
	size_t len, cap;
	uint32_t *slots;  /* offset + 1; 0 = empty */
	uint32_t mask;
	uint32_t count;
};

struct bk__strset *bk__strset_new(size_t expect)
{
	struct bk__strset *set = calloc(1, sizeof(*set));
	uint32_t size = 64;

	if (!set)
		return NULL;
	while (size < expect * 2 && size < (1u << 30))
		size <<= 1;
	set->slots = calloc(size, sizeof(uint32_t));
	if (!set->slots) {
		free(set);
		return NULL;
	}
	set->mask = size - 1;
	return set;
}

void bk__strset_free(struct bk__strset *set)
{
	if (!set)
		return;
	free(set->data);
	free(set->slots);
	free(set);
}

static uint32_t *find_slot(const struct bk__strset *set, const char *s, size_t len)
{
	uint32_t h = bk__str_hash(s, len) & set->mask;

	for (;; h = (h + 1) & set->mask) {
		uint32_t v = set->slots[h];
		const char *cand;

		if (!v)
			return &set->slots[h];
		cand = set->data + (v - 1);
		if (!strncmp(cand, s, len) && cand[len] == '\0')
			return &set->slots[h];
	}
}

static int rehash(struct bk__strset *set)
{
	uint32_t nsize = (set->mask + 1) * 2;
	uint32_t *old = set->slots, omask = set->mask;

	if (nsize == 0 || nsize > (1u << 31))
		return -E2BIG;
	set->slots = calloc(nsize, sizeof(uint32_t));
	if (!set->slots) {
		set->slots = old;
		return -ENOMEM;
	}
	set->mask = nsize - 1;
	for (uint32_t i = 0; i <= omask; i++) {
		if (old[i]) {
			const char *s = set->data + (old[i] - 1);

			*find_slot(set, s, strlen(s)) = old[i];
		}
	}
	free(old);
	return 0;
}

int64_t bk__strset_find(const struct bk__strset *set, const char *s, size_t len)
{
	uint32_t v = *find_slot(set, s, len);

	return v ? (int64_t)(v - 1) : -ENOENT;
}

static int index_at(struct bk__strset *set, uint32_t off, size_t len)
{
	uint32_t *slot;
	int err;

	if ((set->count + 1) * 2 > set->mask + 1 && (err = rehash(set)))
		return err;
	slot = find_slot(set, set->data + off, len);
	if (!*slot) {
		*slot = off + 1;
		set->count++;
	}
	return 0;
}

int64_t bk__strset_add(struct bk__strset *set, const char *s, size_t len)
{
	uint32_t *slot = find_slot(set, s, len);
	size_t off;
	int err;

	if (*slot)
		return *slot - 1;
	if (set->len + len + 1 > UINT32_MAX - 1)
		return -E2BIG;
	if (set->len + len + 1 > set->cap) {
		size_t ncap = set->cap ? set->cap : 256;
		char *nd;

		while (ncap < set->len + len + 1)
			ncap *= 2;
		nd = realloc(set->data, ncap);
		if (!nd)
			return -ENOMEM;
		set->data = nd;
		set->cap = ncap;
	}
	off = set->len;
	memcpy(set->data + off, s, len);
	set->data[off + len] = '\0';
	set->len += len + 1;
	err = index_at(set, (uint32_t)off, len);
	if (err) {
		set->len = off;
		return err;
	}
	return (int64_t)off;
}

int bk__strset_index(struct bk__strset *set, const char *data, size_t len)
{
	int err;

	if (len > UINT32_MAX - 1)
		return -E2BIG;
	if (len > set->cap) {
		char *nd = realloc(set->data, len);

		if (!nd)
			return -ENOMEM;
		set->data = nd;
		set->cap = len;
	}
	if (len)
		memcpy(set->data, data, len);
	set->len = len;
	for (size_t off = 0; off < len;) {
		size_t l = strnlen(set->data + off, len - off);

		if (off + l == len)
			return -EINVAL; /* not NUL-terminated */
		err = index_at(set, (uint32_t)off, l);
		if (err)
			return err;
		off += l + 1;
	}
	return 0;
}

const char *bk__strset_data(const struct bk__strset *set)
{
	return set->data;
}

size_t bk__strset_len(const struct bk__strset *set)
{
	return set->len;
}

char *bk__strset_steal(struct bk__strset *set, size_t *len, size_t *cap)
{
	char *d = set->data;

	*len = set->len;
	*cap = set->cap;
	set->data = NULL;
	set->len = set->cap = 0;
	memset(set->slots, 0, (size_t)(set->mask + 1) * sizeof(uint32_t));
	set->count = 0;
	return d;
}
