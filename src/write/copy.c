// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Copying types between objects: one record (bk_btf_add_type) or all of an
 * object's own types (bk_btf_add_btf).
 *
 * Which u32 fields are strings and which are type IDs comes from the field
 * iterator (src/core/iter.c); unknown kinds cannot be copied (-EOPNOTSUPP).
 *
 * bk_btf_add_btf remaps src's own IDs [src_start, src_cnt) to
 * [dst_cnt, dst_cnt + n) by adding dst_cnt - src_start; void and IDs below
 * src_start (the shared base's) are kept. Base strings (offsets below
 * src->start_str_off) are kept for a split src; other strings are re-added,
 * deduplicated. The whole append is one transaction: room for every record
 * is reserved up front, and on any error the type count, type bytes and
 * own strings are restored to what they were.
 */
#include <stdlib.h>

#include "write_int.h"
#include "btfkit/write.h"

/* Re-add the strings of record t (in btf's buffer) from src; 0 or -errno. */
static int copy_strs(struct bk_btf *btf, const struct bk_btf *src, struct bk_type *t,
		     bool keep_base)
{
	struct bk__field_iter it;
	uint32_t *f;
	int err;

	if ((err = bk__field_iter_init(&it, t, BK__FIELD_STRS)))
		return err;
	while ((f = bk__field_iter_next(&it))) {
		const char *s;
		int off;

		if (!*f || (keep_base && *f < src->start_str_off))
			continue;
		s = bk_btf_str(src, *f);
		if (!s)
			return -EINVAL;
		off = bk__write_add_str(btf, s);
		if (off < 0)
			return off;
		*f = (uint32_t)off;
	}
	return 0;
}

int bk_btf_add_type(struct bk_btf *btf, const struct bk_btf *src, const struct bk_type *src_type)
{
	size_t sz, strs_len, src_pos = 0;
	bool inside;
	struct bk_type *t;
	int err;

	if (!btf || !src || !src_type)
		return -EINVAL;
	if (bk_kind(src_type) >= BK_NR_KINDS)
		return -EOPNOTSUPP;
	if (bk_kind(src_type) == BK_KIND_UNKN)
		return -EINVAL; /* void is not a record */
	sz = bk__rec_size(src, src_type);
	/* src_type may live in btf's own buffer, which reserving can move. */
	inside = btf->types && (const uint8_t *)src_type >= btf->types &&
		 (const uint8_t *)src_type < btf->types + btf->types_len;
	if (inside)
		src_pos = (size_t)((const uint8_t *)src_type - btf->types);
	if ((err = bk__write_prepare(btf)) || (err = bk__write_reserve(btf, sz, 1)))
		return err;
	if (inside)
		src_type = (const struct bk_type *)(btf->types + src_pos);
	t = (struct bk_type *)(btf->types + btf->types_len);
	memcpy(t, src_type, sz);
	strs_len = btf->strs_len;
	err = copy_strs(btf, src, t, false);
	if (err) {
		bk__write_strs_truncate(btf, strs_len);
		return err;
	}
	return bk__write_commit(btf, sz);
}

/* Remap the type-ID fields of t: src's own IDs move by shift. */
static int remap_ids(struct bk_type *t, uint32_t src_start, uint32_t src_cnt, uint32_t shift)
{
	struct bk__field_iter it;
	uint32_t *f;
	int err;

	if ((err = bk__field_iter_init(&it, t, BK__FIELD_IDS)))
		return err;
	while ((f = bk__field_iter_next(&it))) {
		if (*f < src_start)
			continue; /* void or the shared base */
		if (*f >= src_cnt)
			return -EINVAL;
		*f += shift;
	}
	return 0;
}

int bk_btf_add_btf(struct bk_btf *btf, const struct bk_btf *src)
{
	uint32_t first, n, src_start, src_cnt, shift, old_nr;
	size_t len, old_types_len, old_strs_len, pos;
	int err;

	if (!btf || !src)
		return -EINVAL;
	if (src->base && src->base != btf->base)
		return -EOPNOTSUPP;
	n = src->nr_types;
	len = src->types_len;
	src_start = src->start_id;
	src_cnt = bk_btf_type_cnt(src);
	first = bk_btf_type_cnt(btf);
	shift = first - src_start;
	if ((err = bk__write_prepare(btf)) || (err = bk__write_reserve(btf, len, n)))
		return err;
	old_nr = btf->nr_types;
	old_types_len = btf->types_len;
	old_strs_len = btf->strs_len;
	/* Copy every record first (src may be btf itself: read before growing). */
	if (len)
		memcpy(btf->types + old_types_len, src->types, len);
	for (uint32_t i = 0; i < n; i++) {
		const struct bk_type *st = bk__own_type(src, src_start + i);

		if (bk_kind(st) >= BK_NR_KINDS) {
			err = -EOPNOTSUPP;
			goto rollback;
		}
	}
	pos = old_types_len;
	for (uint32_t i = 0; i < n; i++) {
		struct bk_type *t = (struct bk_type *)(btf->types + pos);
		size_t sz = bk__rec_size(src, t);

		err = copy_strs(btf, src, t, src->base != NULL);
		if (!err)
			err = remap_ids(t, src_start, src_cnt, shift);
		if (err)
			goto rollback;
		btf->type_offs[btf->nr_types++] = (uint32_t)pos;
		pos += sz;
	}
	btf->types_len = pos;
	bk__names_invalidate(btf);
	return (int)first;

rollback:
	btf->nr_types = old_nr;
	btf->types_len = old_types_len;
	bk__write_strs_truncate(btf, old_strs_len);
	return err;
}
