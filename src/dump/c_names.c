// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Name clash resolution for the C emitter. Two namespaces, as in C and in
 * libbpf's btf_dump: struct/union/enum tags ("type names") and ordinary
 * identifiers (typedef names and enumerators, "ident names"). Each
 * namespace counts how often a name was used so far; the N-th distinct
 * type using a name (N > 1) is printed as "name___N". A type's name is
 * fixed on its first use, so the suffixes depend on emission order.
 * Forward declarations and enum forwards (enums without values) keep their
 * name and are not counted: they may legitimately repeat.
 */
#include <stdio.h>
#include <stdlib.h>

#include "c_int.h"

const char *bk__cd_str(const struct bk_c_dumper *d, uint32_t off)
{
	const char *s = bk_btf_str(d->btf, off);

	return s ? s : "";
}

void bk__cd_names_free(struct bk__cd_names *n)
{
	free(n->slots);
	free(n->ents);
	memset(n, 0, sizeof(*n));
}

/* Room for one more entry, the table at most 3/4 full after it. */
static int grow(struct bk__cd_names *n)
{
	if (n->cnt == n->ents_cap) {
		uint32_t ncap = n->ents_cap ? n->ents_cap * 2 : 512;
		struct bk__cd_name_ent *e = ncap > n->ents_cap
			? realloc(n->ents, (size_t)ncap * sizeof(*e)) : NULL;

		if (!e)
			return -ENOMEM;
		n->ents = e;
		n->ents_cap = ncap;
	}
	if ((uint64_t)(n->cnt + 1) * 4 > (uint64_t)n->cap * 3) {
		uint32_t ncap = n->cap ? n->cap * 2 : 1024;
		struct bk__cd_name_slot *slots = ncap > n->cap ? calloc(ncap, sizeof(*slots)) : NULL;

		if (!slots)
			return -ENOMEM;
		for (uint32_t i = 0; i < n->cap; i++) {
			uint32_t h;

			if (!n->slots[i].idx)
				continue;
			for (h = n->slots[i].hash & (ncap - 1); slots[h].idx; h = (h + 1) & (ncap - 1))
				;
			slots[h] = n->slots[i];
		}
		free(n->slots);
		n->slots = slots;
		n->cap = ncap;
	}
	return 0;
}

uint32_t bk__cd_name_dups(struct bk_c_dumper *d, struct bk__cd_names *n, const char *name)
{
	uint32_t hash = bk__str_hash(name, strlen(name)), h;
	struct bk__cd_name_slot *s;

	if (grow(n)) {
		bk__cd_fail(d, -ENOMEM);
		return 0;
	}
	for (h = hash & (n->cap - 1); (s = &n->slots[h])->idx; h = (h + 1) & (n->cap - 1))
		if (s->hash == hash && !strcmp(n->ents[s->idx - 1].key, name))
			return ++n->ents[s->idx - 1].count;
	n->ents[n->cnt].key = name;
	n->ents[n->cnt].count = 1;
	s->hash = hash;
	s->idx = ++n->cnt;
	return 1;
}

static const char *resolve(struct bk_c_dumper *d, uint32_t id, struct bk__cd_names *map)
{
	const struct bk_type *t = bk__cd_type(d, id);
	struct bk__cd_state *s = &d->st[id];
	const char *orig;
	uint32_t dups;

	if (!t->name_off)
		return "";
	orig = bk__cd_str(d, t->name_off);
	if (s->name_resolved)
		return d->names[id] ? d->names[id] : orig;
	s->name_resolved = 1;
	if (bk_kind(t) == BK_KIND_FWD || (bk_kind(t) == BK_KIND_ENUM && bk_vlen(t) == 0))
		return orig;
	dups = bk__cd_name_dups(d, map, orig);
	if (dups > 1) {
		/* libbpf formats into a 256-byte buffer: longer names truncate */
		char buf[256];

		snprintf(buf, sizeof(buf), "%s___%u", orig, dups);
		d->names[id] = strdup(buf);
		if (!d->names[id])
			bk__cd_fail(d, -ENOMEM);
	}
	return d->names[id] ? d->names[id] : orig;
}

const char *bk__cd_type_name(struct bk_c_dumper *d, uint32_t id)
{
	return resolve(d, id, &d->type_names);
}

const char *bk__cd_ident_name(struct bk_c_dumper *d, uint32_t id)
{
	return resolve(d, id, &d->ident_names);
}
