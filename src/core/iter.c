// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Field iteration: visit every type-ID field, or every string-offset field,
 * of a type record, as the kind table (kind.c) places them. The writer
 * (copying types between objects) and dedup (remapping IDs, rewriting
 * strings) use it.
 *
 * IDs:     the kind's run of type-ID words (for an ARRAY the element type,
 *          then the index type; a FUNC_PROTO's return type, then its
 *          parameter types). FWD's `type` word is always 0 and is not an ID.
 * Strings: name_off of every kind, then member, parameter and enumerator
 *          names.
 * Unknown kinds give -EOPNOTSUPP: their fields cannot be interpreted.
 */
#include "internal.h"

int bk__field_iter_init(struct bk__field_iter *it, struct bk_type *t, enum bk__field_kind which)
{
	unsigned kind = bk_kind(t);
	const struct bk__kind *k;
	const uint32_t *first;
	int32_t stride;

	if (kind >= BK_NR_KINDS)
		return -EOPNOTSUPP;
	k = &bk__kinds[kind];
	if (which == BK__FIELD_IDS) {
		it->one = NULL;
		it->left = bk__kind_ids(t, &first, &stride);
		it->next = (uint32_t *)first;
		it->stride = stride;
	} else {
		it->one = &t->name_off;
		it->next = (uint32_t *)((uint8_t *)(t + 1) + k->info_sz);
		it->stride = k->elem_sz / 4;
		it->left = k->flags & BK__KF_ELEM_NAMED ? bk_vlen(t) : 0;
	}
	return 0;
}

uint32_t *bk__field_iter_next(struct bk__field_iter *it)
{
	uint32_t *p = it->one;

	if (p) {
		it->one = NULL;
		return p;
	}
	if (!it->left)
		return NULL;
	p = it->next;
	it->next += it->stride;
	it->left--;
	return p;
}
