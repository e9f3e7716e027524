// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * String set: strings stored back to back (each NUL-terminated) in one
 * growable buffer, indexed by an open-addressing hash table of offsets.
 * Adding a string that is present returns its existing offset, which is how
 * the writer deduplicates strings on insertion. Each slot keeps the
 * string's 32-bit hash next to its offset: probes compare hashes before
 * bytes, and growing the table never rehashes a string.
 */
#include <stdlib.h>

#include "internal.h"

struct slot {
	uint32_t off1;  /* offset + 1; 0 = empty */
	uint32_t hash;
};

struct bk__strset {
	char *data;
	size_t len, cap;
	struct slot *slots;
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
	set->slots = calloc(size, sizeof(*set->slots));
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

static struct slot *find_slot(const struct bk__strset *set, const char *s, size_t len,
			      uint32_t hash)
{
	for (uint32_t h = hash & set->mask;; h = (h + 1) & set->mask) {
		struct slot *sl = &set->slots[h];
		const char *cand;

		if (!sl->off1)
			return sl;
		if (sl->hash != hash)
			continue;
		cand = set->data + (sl->off1 - 1);
		/* strncmp, not memcmp: cand may be shorter and end the buffer */
		if (!strncmp(cand, s, len) && cand[len] == '\0')
			return sl;
	}
}

static int rehash(struct bk__strset *set)
{
	uint32_t nsize = (set->mask + 1) * 2;
	struct slot *old = set->slots;
	uint32_t omask = set->mask;

	if (nsize == 0 || nsize > (1u << 31))
		return -E2BIG;
	set->slots = calloc(nsize, sizeof(*set->slots));
	if (!set->slots) {
		set->slots = old;
		return -ENOMEM;
	}
	set->mask = nsize - 1;
	for (uint32_t i = 0; i <= omask; i++) {
		uint32_t h;

		if (!old[i].off1)
			continue;
		for (h = old[i].hash & set->mask; set->slots[h].off1; h = (h + 1) & set->mask)
			;
		set->slots[h] = old[i];
	}
	free(old);
	return 0;
}

int64_t bk__strset_find(const struct bk__strset *set, const char *s, size_t len)
{
	uint32_t v = find_slot(set, s, len, bk__str_hash(s, len))->off1;

	return v ? (int64_t)(v - 1) : -ENOENT;
}

/* Index the string of length len at off (hash given); keeps the first copy. */
static int index_at(struct bk__strset *set, uint32_t off, size_t len, uint32_t hash)
{
	struct slot *slot;
	int err;

	if ((set->count + 1) * 2 > set->mask + 1 && (err = rehash(set)))
		return err;
	slot = find_slot(set, set->data + off, len, hash);
	if (!slot->off1) {
		slot->off1 = off + 1;
		slot->hash = hash;
		set->count++;
	}
	return 0;
}

int64_t bk__strset_add(struct bk__strset *set, const char *s, size_t len)
{
	uint32_t hash = bk__str_hash(s, len);
	struct slot *slot = find_slot(set, s, len, hash);
	size_t off;
	int err;

	if (slot->off1)
		return slot->off1 - 1;
	if (set->len + len + 1 > UINT32_MAX - 1)
		return -E2BIG;
	if ((err = bk__grow((void **)&set->data, &set->cap, set->len + len + 1, 1, 256)))
		return err;
	off = set->len;
	memcpy(set->data + off, s, len);
	set->data[off + len] = '\0';
	set->len += len + 1;
	if ((set->count + 1) * 2 > set->mask + 1) {
		err = index_at(set, (uint32_t)off, len, hash);
	} else {
		/* the empty slot found above is still the right one */
		slot->off1 = (uint32_t)off + 1;
		slot->hash = hash;
		set->count++;
		err = 0;
	}
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
		err = index_at(set, (uint32_t)off, l, bk__str_hash(set->data + off, l));
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
	memset(set->slots, 0, (size_t)(set->mask + 1) * sizeof(*set->slots));
	set->count = 0;
	return d;
}
