// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * String set: strings stored back to back (each NUL-terminated) in one
 * growable buffer, indexed by an open-addressing hash table of offsets.
 * Adding a string that is present returns its existing offset, which is how
 * the writer deduplicates strings on insertion. Each slot keeps the
 * string's 32-bit hash next to its offset: probes compare hashes before
 * bytes, and growing the table never rehashes a string.
 *
 * The table's size need not be a power of two: a hash picks its home slot
 * by multiplying into the size (hash * size >> 32), so a set made for n
 * strings is sized n * 4/3, at most three quarters full (linear probing
 * stays short there). Rounding up to a power of two at half full, as
 * before, took up to 4 times the slots: 8 MB for a batch of xfs.ko in the
 * encoder's dedup, a fifth of its peak.
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
	uint32_t size;   /* slots */
	uint32_t count;
};

/* Largest table, in slots. */
#define MAX_SLOTS (1u << 31)

static uint32_t home(const struct bk__strset *set, uint32_t hash)
{
	return (uint32_t)(((uint64_t)hash * set->size) >> 32);
}

static uint32_t next(const struct bk__strset *set, uint32_t h)
{
	return h + 1 == set->size ? 0 : h + 1;
}

/* Would count strings fill the table past three quarters? */
static bool full(const struct bk__strset *set, uint32_t count)
{
	return (uint64_t)count * 4 > (uint64_t)set->size * 3;
}

struct bk__strset *bk__strset_new(size_t expect)
{
	struct bk__strset *set = calloc(1, sizeof(*set));
	uint64_t size = (uint64_t)expect * 4 / 3 + 1;

	if (!set)
		return NULL;
	/* whole cache lines of slots, at least 64 */
	size = size < 64 ? 64 : size > MAX_SLOTS ? MAX_SLOTS : (size + 7) & ~(uint64_t)7;
	set->slots = calloc((size_t)size, sizeof(*set->slots));
	if (!set->slots) {
		free(set);
		return NULL;
	}
	set->size = (uint32_t)size;
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
	for (uint32_t h = home(set, hash);; h = next(set, h)) {
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
	uint32_t osize = set->size;
	struct slot *old = set->slots;

	if (osize >= MAX_SLOTS)
		return -E2BIG;
	set->slots = calloc((size_t)osize * 2, sizeof(*set->slots));
	if (!set->slots) {
		set->slots = old;
		return -ENOMEM;
	}
	set->size = osize * 2;
	for (uint32_t i = 0; i < osize; i++) {
		uint32_t h;

		if (!old[i].off1)
			continue;
		for (h = home(set, old[i].hash); set->slots[h].off1; h = next(set, h))
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

	if (full(set, set->count + 1) && (err = rehash(set)))
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
	if (full(set, set->count + 1)) {
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
	memset(set->slots, 0, (size_t)set->size * sizeof(*set->slots));
	set->count = 0;
	return d;
}
