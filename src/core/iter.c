// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Field iteration: visit every type-ID field, or every string-offset field,
 * of a type record. The writer (copying types between objects) and dedup
 * (remapping IDs, rewriting strings) use this one definition of which u32
 * fields are IDs and which are strings.
 *
 * IDs:     `type` of PTR TYPEDEF VOLATILE CONST RESTRICT FUNC VAR DECL_TAG
 *          TYPE_TAG and FUNC_PROTO (return type); ARRAY elem and index types;
 *          member types; param types; datasec entry types. (FWD's `type`
 *          word is always 0 and is not an ID.)
 * Strings: name_off of every kind; member, param and enumerator names.
 * Unknown kinds give -EOPNOTSUPP: their fields cannot be interpreted.
 */
#include "internal.h"

struct desc {
	uint8_t n_fixed;
	uint8_t fixed[3]; /* byte offsets from the record start */
	uint8_t n_elem;
	uint8_t elem[2];  /* byte offsets inside each trailing element */
	uint8_t stride;
};

#define OFF_TYPE 8  /* offsetof(struct bk_type, type) */

static const struct desc id_descs[BK_NR_KINDS] = {
	[BK_KIND_PTR] = { 1, { OFF_TYPE }, 0, { 0 }, 0 },
	[BK_KIND_TYPEDEF] = { 1, { OFF_TYPE }, 0, { 0 }, 0 },
	[BK_KIND_VOLATILE] = { 1, { OFF_TYPE }, 0, { 0 }, 0 },
	[BK_KIND_CONST] = { 1, { OFF_TYPE }, 0, { 0 }, 0 },
	[BK_KIND_RESTRICT] = { 1, { OFF_TYPE }, 0, { 0 }, 0 },
	[BK_KIND_FUNC] = { 1, { OFF_TYPE }, 0, { 0 }, 0 },
	[BK_KIND_VAR] = { 1, { OFF_TYPE }, 0, { 0 }, 0 },
	[BK_KIND_DECL_TAG] = { 1, { OFF_TYPE }, 0, { 0 }, 0 },
	[BK_KIND_TYPE_TAG] = { 1, { OFF_TYPE }, 0, { 0 }, 0 },
	[BK_KIND_ARRAY] = { 2, { 12, 16 }, 0, { 0 }, 0 },
	[BK_KIND_STRUCT] = { 0, { 0 }, 1, { 4 }, sizeof(struct bk_member) },
	[BK_KIND_UNION] = { 0, { 0 }, 1, { 4 }, sizeof(struct bk_member) },
	[BK_KIND_FUNC_PROTO] = { 1, { OFF_TYPE }, 1, { 4 }, sizeof(struct bk_param) },
	[BK_KIND_DATASEC] = { 0, { 0 }, 1, { 0 }, sizeof(struct bk_var_secinfo) },
};

static const struct desc str_descs[BK_NR_KINDS] = {
	[BK_KIND_UNKN] = { 1, { 0 }, 0, { 0 }, 0 },
	[BK_KIND_INT] = { 1, { 0 }, 0, { 0 }, 0 },
	[BK_KIND_PTR] = { 1, { 0 }, 0, { 0 }, 0 },
	[BK_KIND_ARRAY] = { 1, { 0 }, 0, { 0 }, 0 },
	[BK_KIND_STRUCT] = { 1, { 0 }, 1, { 0 }, sizeof(struct bk_member) },
	[BK_KIND_UNION] = { 1, { 0 }, 1, { 0 }, sizeof(struct bk_member) },
	[BK_KIND_ENUM] = { 1, { 0 }, 1, { 0 }, sizeof(struct bk_enum) },
	[BK_KIND_FWD] = { 1, { 0 }, 0, { 0 }, 0 },
	[BK_KIND_TYPEDEF] = { 1, { 0 }, 0, { 0 }, 0 },
	[BK_KIND_VOLATILE] = { 1, { 0 }, 0, { 0 }, 0 },
	[BK_KIND_CONST] = { 1, { 0 }, 0, { 0 }, 0 },
	[BK_KIND_RESTRICT] = { 1, { 0 }, 0, { 0 }, 0 },
	[BK_KIND_FUNC] = { 1, { 0 }, 0, { 0 }, 0 },
	[BK_KIND_FUNC_PROTO] = { 1, { 0 }, 1, { 0 }, sizeof(struct bk_param) },
	[BK_KIND_VAR] = { 1, { 0 }, 0, { 0 }, 0 },
	[BK_KIND_DATASEC] = { 1, { 0 }, 0, { 0 }, 0 },
	[BK_KIND_FLOAT] = { 1, { 0 }, 0, { 0 }, 0 },
	[BK_KIND_DECL_TAG] = { 1, { 0 }, 0, { 0 }, 0 },
	[BK_KIND_TYPE_TAG] = { 1, { 0 }, 0, { 0 }, 0 },
	[BK_KIND_ENUM64] = { 1, { 0 }, 1, { 0 }, sizeof(struct bk_enum64) },
};

int bk__field_iter_init(struct bk__field_iter *it, struct bk_type *t, enum bk__field_kind which)
{
	unsigned kind = bk_kind(t);
	const struct desc *d;

	if (kind >= BK_NR_KINDS)
		return -EOPNOTSUPP;
	d = which == BK__FIELD_IDS ? &id_descs[kind] : &str_descs[kind];
	memset(it, 0, sizeof(*it));
	it->rec = (uint8_t *)t;
	it->n_fixed = d->n_fixed;
	memcpy(it->fixed, d->fixed, sizeof(it->fixed));
	it->n_elem = d->n_elem;
	memcpy(it->elem, d->elem, sizeof(it->elem));
	it->stride = d->stride;
	it->vlen = d->n_elem ? bk_vlen(t) : 0;
	return 0;
}

uint32_t *bk__field_iter_next(struct bk__field_iter *it)
{
	uint8_t *p;

	if (it->fi < it->n_fixed)
		return (uint32_t *)(it->rec + it->fixed[it->fi++]);
	if (it->mi >= it->vlen)
		return NULL;
	p = it->rec + sizeof(struct bk_type) + (size_t)it->mi * it->stride + it->elem[it->mj];
	if (++it->mj == it->n_elem) {
		it->mj = 0;
		it->mi++;
	}
	return (uint32_t *)p;
}
