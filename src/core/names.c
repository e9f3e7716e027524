// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Name lookup. The first lookup on an object builds an open-addressing hash
 * table over its own named types (IDs stored, names read from the strings);
 * a lookup asks the base chain first, so results come in ascending ID
 * order. With linear probing and no deletions, the entries for one name lie
 * along its probe sequence in insertion (= ID) order.
 * Building the index is O(types); lookups are O(1) expected. The writer
 * adds each new type to an existing index (bk__names_add) instead of
 * dropping it, so lookups between adds stay cheap.
 */
#include <stdlib.h>

#include "internal.h"

struct bk__names {
	uint32_t mask;  /* table size - 1 */
	uint32_t *ids;  /* 0 = empty slot */
	uint32_t count; /* used slots */
};

void bk__names_free(struct bk__names *names)
{
	if (!names)
		return;
	free(names->ids);
	free(names);
}

/* Add named own type id at the end of its name's probe run. */
static void insert(struct bk__names *nm, const struct bk_btf *btf, uint32_t id,
		   const struct bk_type *t)
{
	const char *name = bk_btf_str(btf, t->name_off);
	uint32_t h = bk__str_hash(name, strlen(name)) & nm->mask;

	while (nm->ids[h])
		h = (h + 1) & nm->mask;
	nm->ids[h] = id;
	nm->count++;
}

static struct bk__names *names_build(const struct bk_btf *btf)
{
	struct bk__names *nm = calloc(1, sizeof(*nm));
	uint32_t size = 16;

	if (!nm)
		return NULL;
	while (size < 2 * (uint64_t)btf->nr_types + 1 && size < (1u << 31))
		size <<= 1;
	nm->ids = calloc(size, sizeof(uint32_t));
	if (!nm->ids) {
		free(nm);
		return NULL;
	}
	nm->mask = size - 1;
	for (uint32_t i = 0; i < btf->nr_types; i++) {
		uint32_t id = btf->start_id + i;
		const struct bk_type *t = bk__own_type(btf, id);

		if (!t->name_off)
			continue;
		insert(nm, btf, id, t);
	}
	return nm;
}

void bk__names_add(struct bk_btf *btf, uint32_t id)
{
	struct bk__names *nm = btf->names;
	const struct bk_type *t;

	if (!nm)
		return;
	t = bk__own_type(btf, id);
	if (!t->name_off)
		return;
	if ((uint64_t)(nm->count + 1) * 2 > (uint64_t)nm->mask + 1) {
		/* too full: the next lookup rebuilds a larger table */
		bk__names_invalidate(btf);
		return;
	}
	/* The new ID is the largest: appending at the probe end keeps ID order. */
	insert(nm, btf, id, t);
}

/* Visit own matches in ascending ID order; returns total matches counted. */
static int names_lookup(const struct bk_btf *btf, const char *name, size_t len, uint32_t hash,
			int kind, uint32_t *ids, size_t cap, size_t have)
{
	struct bk__names *nm = btf->names;
	int found = 0;

	if (!nm) {
		nm = names_build(btf);
		if (!nm)
			return -ENOMEM;
		((struct bk_btf *)btf)->names = nm; /* a cache: logically const */
	}
	for (uint32_t h = hash & nm->mask; nm->ids[h]; h = (h + 1) & nm->mask) {
		const struct bk_type *t = bk__own_type(btf, nm->ids[h]);
		const char *s = bk_btf_str(btf, t->name_off);

		if (kind >= 0 && bk_kind(t) != (unsigned)kind)
			continue;
		if (strncmp(s, name, len) || s[len])
			continue;
		if (have + (size_t)found < cap)
			ids[have + found] = nm->ids[h];
		found++;
	}
	return found;
}

int bk_btf_find_all(const struct bk_btf *btf, const char *name, int kind, uint32_t *ids,
		    size_t cap)
{
	const struct bk_btf *chain[64];
	size_t len = strlen(name), n = 0, depth = 0;
	uint32_t hash = bk__str_hash(name, len);

	if (!*name)
		return -EINVAL;
	for (const struct bk_btf *b = btf; b; b = b->base) {
		if (depth == sizeof(chain) / sizeof(chain[0]))
			return -E2BIG;
		chain[depth++] = b;
	}
	while (depth--) {
		int r = names_lookup(chain[depth], name, len, hash, kind, ids, cap, n);

		if (r < 0)
			return r;
		n += (size_t)r;
	}
	return n > INT32_MAX ? INT32_MAX : (int)n;
}

int bk_btf_find(const struct bk_btf *btf, const char *name, int kind)
{
	uint32_t id;
	int n = bk_btf_find_all(btf, name, kind, &id, 1);

	if (n < 0)
		return n;
	return n ? (int)id : -ENOENT;
}

void bk__names_invalidate(struct bk_btf *btf)
{
	bk__names_free(btf->names);
	btf->names = NULL;
}

int bk_btf_freeze(const struct bk_btf *btf)
{
	for (; btf; btf = btf->base) {
		bk_btf_ptr_size(btf);
		if (!btf->names) {
			struct bk__names *nm = names_build(btf);

			if (!nm)
				return -ENOMEM;
			((struct bk_btf *)btf)->names = nm; /* a cache: logically const */
		}
	}
	return 0;
}
