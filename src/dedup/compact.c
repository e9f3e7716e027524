// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Phase 7 of dedup (the algorithm is at the top of dedup.c): the surviving
 * own types (map[id] == id) keep their relative order and get consecutive
 * IDs; every type-ID field is remapped to the final ID of its canonical
 * type and every string offset to the new string section (strings.c).
 */
#include <stdlib.h>

#include "dedup_int.h"

/*
 * The passes below go through the survivors in ID order, from the bitmap
 * phase 6 filled: at 500 modules 76,138 of 3.4 million own types, so they
 * skip the rest a word at a time instead of reading every map entry.
 */

int bk__dd_out_alloc(struct dd *d, struct dd_out *o)
{
	struct dd_bit_iter it;
	size_t len = 0;
	uint32_t nr = 0, id;

	dd_bit_iter_init(&it, d, d->surv, sizeof(*d->surv));
	while (dd_bit_next(d, &it, &id)) {
		len += bk__rec_size(d->btf, bk__own_type(d->btf, id));
		nr++;
	}
	o->types_cap = len ? len : 4;
	o->offs_cap = nr ? nr : 1;
	o->types = malloc(o->types_cap);
	o->offs = malloc((size_t)o->offs_cap * sizeof(uint32_t));
	return o->types && o->offs ? 0 : -ENOMEM;
}

/*
 * Survivors keep their order, so the final ID is start_id plus the number
 * of survivors before it, counted in the bitmap phase 6 fills (d->surv).
 */
uint32_t bk__dd_final_id(const struct dd *d, uint32_t id)
{
	uint32_t i = id - d->start_id;
	const struct dd_sword *w = &d->surv[i >> 6];
	uint64_t bit = 1ull << (i & 63);

	if (!(w->bits & bit))
		return DD_NONE;
	return d->start_id + w->rank + bk__popcount64(w->bits & (bit - 1));
}

void bk__dd_compact(struct dd *d, struct dd_out *o)
{
	struct dd_bit_pass p;
	uint32_t id;

	o->types_len = 0;
	o->nr = 0;
	dd_bit_pass_init(&p, d, d->surv, sizeof(*d->surv));
	while (dd_bit_pass_next(d, &p, &id)) {
		struct bk_type *t, *n;
		struct bk__field_iter fi;
		size_t sz;
		uint32_t *f;

		t = bk__own_type(d->btf, id);
		sz = bk__rec_size(d->btf, t);
		n = (struct bk_type *)(o->types + o->types_len);
		memcpy(n, t, sz);
		o->offs[o->nr++] = (uint32_t)o->types_len;
		o->types_len += sz;
		bk__dd_strings_remap(d, n);
		if (bk__field_iter_init(&fi, n, BK__FIELD_IDS))
			continue;
		while ((f = bk__field_iter_next(&fi))) {
			uint32_t r = dd_resolve(d, *f);

			*f = r < d->start_id ? r : bk__dd_final_id(d, r);
		}
	}
}
