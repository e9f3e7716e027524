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
	free(n->keys);
	free(n->counts);
	memset(n, 0, sizeof(*n));
}

static int grow(struct bk__cd_names *n)
{
	uint32_t ncap = n->cap ? n->cap * 2 : 1024;
	const char **keys = calloc(ncap, sizeof(*keys));
	uint32_t *counts = calloc(ncap, sizeof(*counts));

	if (!keys || !counts || ncap < n->cap) {
		free(keys);
		free(counts);
		return -ENOMEM;
	}
	for (uint32_t i = 0; i < n->cap; i++) {
		uint32_t h;

		if (!n->keys[i])
			continue;
		h = bk__str_hash(n->keys[i], strlen(n->keys[i])) & (ncap - 1);
		while (keys[h])
			h = (h + 1) & (ncap - 1);
		keys[h] = n->keys[i];
		counts[h] = n->counts[i];
	}
	free(n->keys);
	free(n->counts);
	n->keys = keys;
	n->counts = counts;
	n->cap = ncap;
	return 0;
}

uint32_t bk__cd_name_dups(struct bk_c_dumper *d, struct bk__cd_names *n, const char *name)
{
	uint32_t h;

	if ((n->cnt + 1) * 2 > n->cap && grow(n)) {
		bk__cd_fail(d, -ENOMEM);
		return 0;
	}
	h = bk__str_hash(name, strlen(name)) & (n->cap - 1);
	while (n->keys[h]) {
		if (!strcmp(n->keys[h], name))
			return ++n->counts[h];
		h = (h + 1) & (n->cap - 1);
	}
	n->keys[h] = name;
	n->counts[h] = 1;
	n->cnt++;
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
