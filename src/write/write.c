// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The writer: making an object modifiable, string insertion with dedup
 * (split-aware), and one adder per kind with its argument checks.
 *
 * Invariants kept after every call, so that everything the parser promises
 * (see src/core/parse.c) stays true for objects built here:
 *  - every type ID stored by an adder refers to an existing type (< type_cnt
 *    at the time of the call); FUNC points at a FUNC_PROTO;
 *  - every string offset stored is the start of a string in btf or a base;
 *  - a failed call leaves the object exactly as it was (checks first, then
 *    reserve memory, then add the one string, then commit).
 *
 * String dedup: a string is looked up in the bases, root first, then in the
 * own string set; only when absent everywhere is it appended to the own
 * strings. This is what libbpf does, so split output is byte-compatible:
 * the split string section never repeats a base string, and in particular
 * does not start with the empty string.
 *
 * Strict IDs differ from libbpf, which accepts any ID up to 2^31-1 (forward
 * references): btfkit keeps the parse invariants at every step instead.
 */
#include <limits.h>
#include <stdlib.h>

#include "write_int.h"
#include "btfkit/write.h"

/* ---- strings ---------------------------------------------------------- */

/* The string set of b, built from its own strings on first use. */
static int strset_of(const struct bk_btf *cb, struct bk__strset **out)
{
	struct bk_btf *b = (struct bk_btf *)cb; /* the index is a cache */
	struct bk__strset *set;
	int err;

	if (!b->strset) {
		set = bk__strset_new(b->strs_len / 16 + 16);
		if (!set)
			return -ENOMEM;
		err = bk__strset_index(set, b->strs, b->strs_len);
		if (err) {
			bk__strset_free(set);
			return err;
		}
		b->strset = set;
	}
	*out = b->strset;
	return 0;
}

/* Global offset of s (len bytes) in b's own strings, or -ENOENT. */
static int find_own(const struct bk_btf *b, const char *s, size_t len)
{
	struct bk__strset *set;
	int64_t off;
	int err;

	if ((err = strset_of(b, &set)))
		return err;
	off = bk__strset_find(set, s, len);
	if (off < 0)
		return (int)off;
	return (int)(b->start_str_off + (uint64_t)off);
}

/* Global offset of s in the bases of btf (root first), or -ENOENT. */
static int find_in_bases(const struct bk_btf *btf, const char *s, size_t len)
{
	const struct bk_btf *chain[64];
	size_t depth = 0;

	for (const struct bk_btf *b = btf->base; b; b = b->base) {
		if (depth == sizeof(chain) / sizeof(chain[0]))
			return -E2BIG;
		chain[depth++] = b;
	}
	while (depth--) {
		int off = find_own(chain[depth], s, len);

		if (off != -ENOENT)
			return off;
	}
	return -ENOENT;
}

int bk_btf_find_str(const struct bk_btf *btf, const char *s)
{
	size_t len;
	int off;

	if (!btf || !s)
		return -EINVAL;
	len = strlen(s);
	off = find_in_bases(btf, s, len);
	if (off != -ENOENT)
		return off;
	return find_own(btf, s, len);
}

int bk__write_prepare(struct bk_btf *btf)
{
	struct bk__strset *set;
	int err;

	if (btf->hdr_extra)
		return -EOPNOTSUPP; /* unknown header fields: we cannot keep them true */
	if (!btf->strset || btf->strs != bk__strset_data(btf->strset)) {
		if ((err = strset_of(btf, &set)))
			return err;
		if (btf->strs_cap)
			free(btf->strs);
		/* From here on the set owns the string buffer. */
		btf->strs = (char *)bk__strset_data(set);
		btf->strs_len = bk__strset_len(set);
		btf->strs_cap = btf->strs_len + 1; /* non-zero: not in the image */
	}
	return bk__btf_make_writable(btf);
}

int bk__write_add_str(struct bk_btf *btf, const char *s)
{
	size_t len = strlen(s);
	char *copy = NULL;
	int64_t off;
	int found;

	if (btf->base) {
		found = find_in_bases(btf, s, len);
		if (found != -ENOENT)
			return found;
	}
	/*
	 * Slow path, with a lookup first: when appending could pass the
	 * offset limit, or s points into our own buffer, which adding can
	 * move. Otherwise one strset_add finds or appends in one probe.
	 */
	if ((uint64_t)btf->start_str_off + btf->strs_len + len > BK__MAX_STR_OFF ||
	    (btf->strs && s >= btf->strs && s < btf->strs + btf->strs_len)) {
		off = bk__strset_find(btf->strset, s, len);
		if (off >= 0)
			return (int)(btf->start_str_off + off);
		if ((uint64_t)btf->start_str_off + btf->strs_len > BK__MAX_STR_OFF)
			return -E2BIG;
		if (s >= btf->strs && s < btf->strs + btf->strs_len) {
			copy = strdup(s);
			if (!copy)
				return -ENOMEM;
			s = copy;
		}
	}
	off = bk__strset_add(btf->strset, s, len);
	free(copy);
	if (off < 0)
		return (int)off;
	btf->strs = (char *)bk__strset_data(btf->strset);
	btf->strs_len = bk__strset_len(btf->strset);
	btf->strs_cap = btf->strs_len + 1;
	return (int)(btf->start_str_off + off);
}

int bk__write_strs_truncate(struct bk_btf *btf, size_t len)
{
	size_t old_len, cap;
	char *data;
	int err;

	if (len >= btf->strs_len)
		return 0;
	data = bk__strset_steal(btf->strset, &old_len, &cap);
	err = bk__strset_index(btf->strset, data, len);
	free(data);
	btf->strs = (char *)bk__strset_data(btf->strset);
	btf->strs_len = bk__strset_len(btf->strset);
	btf->strs_cap = btf->strs_len + 1;
	return err;
}

void bk__write_take_strs(struct bk_btf *btf, char *buf, size_t len)
{
	if (btf->strs_cap && !(btf->strset && btf->strs == bk__strset_data(btf->strset)))
		free(btf->strs);
	bk__strset_free(btf->strset);
	btf->strset = NULL;
	btf->strs = buf;
	btf->strs_len = len;
	btf->strs_cap = len ? len : 1;
	bk__names_invalidate(btf);
}

int bk_btf_add_str(struct bk_btf *btf, const char *s)
{
	int err;

	if (!btf || !s)
		return -EINVAL;
	if ((err = bk__write_prepare(btf)))
		return err;
	return bk__write_add_str(btf, s);
}

/* ---- records ---------------------------------------------------------- */

int bk__write_reserve(struct bk_btf *btf, size_t sz, uint32_t ntypes)
{
	if ((uint64_t)btf->start_id + btf->nr_types + ntypes - 1 > BK__MAX_NR_TYPES)
		return -E2BIG;
	if (sz > UINT32_MAX - btf->types_len)
		return -E2BIG;
	if (bk__grow((void **)&btf->types, &btf->types_cap, btf->types_len + sz, 1, 4096))
		return -ENOMEM;
	if ((uint64_t)btf->nr_types + ntypes > btf->type_offs_cap) {
		size_t cap = btf->type_offs_cap;
		int err = bk__grow((void **)&btf->type_offs, &cap, (size_t)btf->nr_types + ntypes,
				   sizeof(*btf->type_offs), 256);

		if (err)
			return err;
		/* (at most BK__MAX_NR_TYPES entries are ever needed) */
		btf->type_offs_cap = cap > UINT32_MAX ? UINT32_MAX : (uint32_t)cap;
	}
	return 0;
}

int bk__write_commit(struct bk_btf *btf, size_t sz)
{
	uint32_t id = btf->start_id + btf->nr_types;

	btf->type_offs[btf->nr_types++] = (uint32_t)btf->types_len;
	btf->types_len += sz;
	bk__names_add(btf, id);
	return (int)id;
}

/* The last own type, or NULL when there is none. */
static struct bk_type *last_type(const struct bk_btf *btf)
{
	if (!btf->nr_types)
		return NULL;
	return bk__own_type(btf, btf->start_id + btf->nr_types - 1);
}

static bool is_pow2_le(size_t v, size_t max)
{
	return v && !(v & (v - 1)) && v <= max;
}

/* An existing type ID (0 = void included). */
static bool valid_id(const struct bk_btf *btf, int id)
{
	return id >= 0 && (uint32_t)id < bk_btf_type_cnt(btf);
}

static bool has_name(const char *name)
{
	return name && name[0];
}

/*
 * Append a type: a 12-byte head, then n payload words. name (NULL or "" for
 * anonymous) becomes name_off.
 */
static int add_type_rec(struct bk_btf *btf, const char *name, uint32_t info, uint32_t size_type,
			const uint32_t *payload, unsigned n)
{
	size_t sz = sizeof(struct bk_type) + 4 * (size_t)n;
	struct bk_type *t;
	int err, name_off = 0;

	if ((err = bk__write_prepare(btf)) || (err = bk__write_reserve(btf, sz, 1)))
		return err;
	if (has_name(name)) {
		name_off = bk__write_add_str(btf, name);
		if (name_off < 0)
			return name_off;
	}
	t = (struct bk_type *)(btf->types + btf->types_len);
	t->name_off = (uint32_t)name_off;
	t->info = info;
	t->size = size_type;
	if (n)
		memcpy(t + 1, payload, 4 * (size_t)n);
	return bk__write_commit(btf, sz);
}

/*
 * Append an element of n words to the last type (whose kind the caller
 * checked). With named, words[0] receives the name's offset. kflag is
 * or-ed into the type's kflag. Returns 0.
 */
static int add_elem(struct bk_btf *btf, bool named, const char *name, uint32_t *words,
		    unsigned n, bool kflag)
{
	size_t sz = 4 * (size_t)n;
	struct bk_type *t;
	int err, name_off = 0;

	if (bk_vlen(last_type(btf)) >= BK_MAX_VLEN)
		return -E2BIG;
	if ((err = bk__write_prepare(btf)) || (err = bk__write_reserve(btf, sz, 0)))
		return err;
	if (named && has_name(name)) {
		name_off = bk__write_add_str(btf, name);
		if (name_off < 0)
			return name_off;
	}
	if (named)
		words[0] = (uint32_t)name_off;
	memcpy(btf->types + btf->types_len, words, sz);
	btf->types_len += sz;
	t = last_type(btf);
	t->info = bk_info(bk_kind(t), bk_vlen(t) + 1, kflag || bk_kflag(t));
	return 0;
}

/* ---- adders ----------------------------------------------------------- */

int bk_btf_add_int(struct bk_btf *btf, const char *name, size_t byte_sz, int encoding)
{
	uint32_t data;

	if (!has_name(name) || !is_pow2_le(byte_sz, 16) ||
	    (encoding & ~(BK_INT_SIGNED | BK_INT_CHAR | BK_INT_BOOL)))
		return -EINVAL;
	data = ((uint32_t)encoding << 24) | (uint32_t)(byte_sz * 8);
	return add_type_rec(btf, name, bk_info(BK_KIND_INT, 0, 0), (uint32_t)byte_sz, &data, 1);
}

int bk_btf_add_float(struct bk_btf *btf, const char *name, size_t byte_sz)
{
	if (!has_name(name))
		return -EINVAL;
	if (byte_sz != 2 && byte_sz != 4 && byte_sz != 8 && byte_sz != 12 && byte_sz != 16)
		return -EINVAL;
	return add_type_rec(btf, name, bk_info(BK_KIND_FLOAT, 0, 0), (uint32_t)byte_sz, NULL, 0);
}

static int add_ref(struct bk_btf *btf, unsigned kind, const char *name, int ref, bool kflag)
{
	if (!valid_id(btf, ref))
		return -EINVAL;
	return add_type_rec(btf, name, bk_info(kind, 0, kflag), (uint32_t)ref, NULL, 0);
}

int bk_btf_add_ptr(struct bk_btf *btf, int ref_type_id)
{
	return add_ref(btf, BK_KIND_PTR, NULL, ref_type_id, false);
}

int bk_btf_add_volatile(struct bk_btf *btf, int ref_type_id)
{
	return add_ref(btf, BK_KIND_VOLATILE, NULL, ref_type_id, false);
}

int bk_btf_add_const(struct bk_btf *btf, int ref_type_id)
{
	return add_ref(btf, BK_KIND_CONST, NULL, ref_type_id, false);
}

int bk_btf_add_restrict(struct bk_btf *btf, int ref_type_id)
{
	return add_ref(btf, BK_KIND_RESTRICT, NULL, ref_type_id, false);
}

int bk_btf_add_typedef(struct bk_btf *btf, const char *name, int ref_type_id)
{
	if (!has_name(name))
		return -EINVAL;
	return add_ref(btf, BK_KIND_TYPEDEF, name, ref_type_id, false);
}

int bk_btf_add_type_tag(struct bk_btf *btf, const char *value, int ref_type_id)
{
	if (!has_name(value))
		return -EINVAL;
	return add_ref(btf, BK_KIND_TYPE_TAG, value, ref_type_id, false);
}

int bk_btf_add_type_attr(struct bk_btf *btf, const char *value, int ref_type_id)
{
	if (!has_name(value))
		return -EINVAL;
	return add_ref(btf, BK_KIND_TYPE_TAG, value, ref_type_id, true);
}

int bk_btf_add_array(struct bk_btf *btf, int index_type_id, int elem_type_id, uint32_t nr_elems)
{
	uint32_t a[3];

	if (!valid_id(btf, index_type_id) || !valid_id(btf, elem_type_id))
		return -EINVAL;
	a[0] = (uint32_t)elem_type_id;
	a[1] = (uint32_t)index_type_id;
	a[2] = nr_elems;
	return add_type_rec(btf, NULL, bk_info(BK_KIND_ARRAY, 0, 0), 0, a, 3);
}

int bk_btf_add_struct(struct bk_btf *btf, const char *name, uint32_t byte_sz)
{
	return add_type_rec(btf, name, bk_info(BK_KIND_STRUCT, 0, 0), byte_sz, NULL, 0);
}

int bk_btf_add_union(struct bk_btf *btf, const char *name, uint32_t byte_sz)
{
	return add_type_rec(btf, name, bk_info(BK_KIND_UNION, 0, 0), byte_sz, NULL, 0);
}

int bk_btf_add_field(struct bk_btf *btf, const char *name, int field_type_id,
		     uint32_t bit_offset, uint32_t bit_size)
{
	const struct bk_type *t = last_type(btf);
	bool bitfield = bit_size || bit_offset % 8;
	uint32_t m[3];

	if (!t || !bk_is_composite(t) || !valid_id(btf, field_type_id))
		return -EINVAL;
	/* a bitfield of 0 bits (an unaligned offset alone) is refused too */
	if (bit_size > 255 || (bitfield && !bit_size))
		return -EINVAL;
	/* With kflag set, offsets have 24 bits: a bitfield needs that form. */
	if ((bitfield || bk_kflag(t)) && bit_offset > 0xffffff)
		return -EINVAL;
	if (bk_kind(t) == BK_KIND_UNION && bit_offset)
		return -EINVAL;
	if (bitfield && !bk_kflag(t)) {
		/* Switching to the kflag form: earlier offsets must fit it. */
		const struct bk_member *em = bk_members(t);

		for (unsigned i = 0; i < bk_vlen(t); i++)
			if (em[i].offset > 0xffffff)
				return -EINVAL;
	}
	m[1] = (uint32_t)field_type_id;
	m[2] = bit_offset | (bit_size << 24);
	return add_elem(btf, true, name, m, 3, bitfield);
}

int bk_btf_add_enum(struct bk_btf *btf, const char *name, uint32_t byte_sz)
{
	if (!is_pow2_le(byte_sz, 8))
		return -EINVAL;
	return add_type_rec(btf, name, bk_info(BK_KIND_ENUM, 0, 0), byte_sz, NULL, 0);
}

int bk_btf_add_enum_value(struct bk_btf *btf, const char *name, int64_t value)
{
	const struct bk_type *t = last_type(btf);
	uint32_t v[2];

	if (!t || bk_kind(t) != BK_KIND_ENUM || !has_name(name))
		return -EINVAL;
	if (value < INT32_MIN || value > UINT32_MAX)
		return -ERANGE;
	v[1] = (uint32_t)value;
	/* Any negative value makes the enum signed (kflag). */
	return add_elem(btf, true, name, v, 2, value < 0);
}

int bk_btf_add_enum64(struct bk_btf *btf, const char *name, uint32_t byte_sz, bool is_signed)
{
	if (!is_pow2_le(byte_sz, 8))
		return -EINVAL;
	return add_type_rec(btf, name, bk_info(BK_KIND_ENUM64, 0, is_signed), byte_sz, NULL, 0);
}

int bk_btf_add_enum64_value(struct bk_btf *btf, const char *name, uint64_t value)
{
	const struct bk_type *t = last_type(btf);
	uint32_t v[3];

	if (!t || bk_kind(t) != BK_KIND_ENUM64 || !has_name(name))
		return -EINVAL;
	v[1] = (uint32_t)value;
	v[2] = (uint32_t)(value >> 32);
	return add_elem(btf, true, name, v, 3, false);
}

int bk_btf_add_fwd(struct bk_btf *btf, const char *name, enum bk_fwd_kind kind)
{
	if (!has_name(name))
		return -EINVAL;
	switch (kind) {
	case BK_FWD_STRUCT:
	case BK_FWD_UNION:
		return add_type_rec(btf, name, bk_info(BK_KIND_FWD, 0, kind == BK_FWD_UNION), 0,
				    NULL, 0);
	case BK_FWD_ENUM:
		/* An enum forward is an ENUM of size 4 without values. */
		return bk_btf_add_enum(btf, name, 4);
	}
	return -EINVAL;
}

int bk_btf_add_func(struct bk_btf *btf, const char *name, enum bk_linkage linkage,
		    int proto_type_id)
{
	if (!has_name(name) || (unsigned)linkage > BK_LINKAGE_EXTERN)
		return -EINVAL;
	if (proto_type_id <= 0 || !valid_id(btf, proto_type_id) ||
	    bk_kind(bk_btf_type(btf, (uint32_t)proto_type_id)) != BK_KIND_FUNC_PROTO)
		return -EINVAL;
	return add_type_rec(btf, name, bk_info(BK_KIND_FUNC, linkage, 0), (uint32_t)proto_type_id,
			    NULL, 0);
}

int bk_btf_add_func_proto(struct bk_btf *btf, int ret_type_id)
{
	return add_ref(btf, BK_KIND_FUNC_PROTO, NULL, ret_type_id, false);
}

int bk_btf_add_func_param(struct bk_btf *btf, const char *name, int type_id)
{
	const struct bk_type *t = last_type(btf);
	uint32_t p[2];

	if (!t || bk_kind(t) != BK_KIND_FUNC_PROTO || !valid_id(btf, type_id))
		return -EINVAL;
	p[1] = (uint32_t)type_id;
	return add_elem(btf, true, name, p, 2, false);
}

int bk_btf_add_var(struct bk_btf *btf, const char *name, int linkage, int type_id)
{
	uint32_t l = (uint32_t)linkage;

	if (!has_name(name) || linkage < 0 || linkage > 2 || !valid_id(btf, type_id))
		return -EINVAL;
	return add_type_rec(btf, name, bk_info(BK_KIND_VAR, 0, 0), (uint32_t)type_id, &l, 1);
}

int bk_btf_add_datasec(struct bk_btf *btf, const char *name, uint32_t byte_sz)
{
	if (!has_name(name))
		return -EINVAL;
	return add_type_rec(btf, name, bk_info(BK_KIND_DATASEC, 0, 0), byte_sz, NULL, 0);
}

int bk_btf_add_datasec_var_info(struct bk_btf *btf, int var_type_id, uint32_t offset,
				uint32_t byte_sz)
{
	const struct bk_type *t = last_type(btf);
	uint32_t v[3];

	if (!t || bk_kind(t) != BK_KIND_DATASEC || !valid_id(btf, var_type_id))
		return -EINVAL;
	v[0] = (uint32_t)var_type_id;
	v[1] = offset;
	v[2] = byte_sz;
	return add_elem(btf, false, NULL, v, 3, false);
}

static int add_decl(struct bk_btf *btf, const char *value, int ref_type_id, int component_idx,
		    bool kflag)
{
	uint32_t idx = (uint32_t)component_idx;

	if (!has_name(value) || component_idx < -1 || !valid_id(btf, ref_type_id))
		return -EINVAL;
	return add_type_rec(btf, value, bk_info(BK_KIND_DECL_TAG, 0, kflag), (uint32_t)ref_type_id,
			    &idx, 1);
}

int bk_btf_add_decl_tag(struct bk_btf *btf, const char *value, int ref_type_id,
			int component_idx)
{
	return add_decl(btf, value, ref_type_id, component_idx, false);
}

int bk_btf_add_decl_attr(struct bk_btf *btf, const char *value, int ref_type_id,
			 int component_idx)
{
	return add_decl(btf, value, ref_type_id, component_idx, true);
}
