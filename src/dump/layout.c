// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The layout of a struct or union as pahole 1.24 computes it from BTF:
 * member offsets and sizes (bitfields by storage unit), holes, bit holes,
 * padding, natural alignment, and the alignment and packing that the
 * offsets imply. The printer (layout_text.c) and the JSON and size table
 * (layout_dump.c) read these results.
 *
 * Sizes (pahole's tag__size): pointers and function types take the pointer
 * size, arrays multiply through every dimension, a struct of size 1 with no
 * members counts as 0 (C++'s empty base), a forward declaration 0.
 *
 * Bitfields: the storage unit is the member type's size; the unit starts
 * at bit_offset rounded down to a multiple of the unit, and the bitfield
 * offset is the rest. Members whose type has size 0 keep bit_offset / 8.
 *
 * Holes (pahole's class__find_holes, structs only): a walk over the members
 * keeping the last bit seen and, inside a run of bitfields, the end of the
 * current storage unit. A bit hole is the gap from the last bit seen to
 * the next member's first bit (or to the unit's end, whichever is first);
 * a byte hole is the gap in whole bytes from the last byte seen (for a
 * bitfield, only when it starts a new unit past that byte). Padding is the
 * size minus the last byte seen; bit padding the unused bits of a last
 * unit. The numbers are pahole's, so the printed comments are too.
 *
 * Alignment (docs/layout.md has the rule and its reasons): BTF records no
 * alignment, so a member placed further than its type's natural alignment
 * explains was aligned on purpose: for a gap of d bytes after the previous
 * member at an even offset, the alignment is the power of two above d,
 * promoted to the cache-line size when that divides evenly and the offset
 * is on a line; it is kept only when above the natural alignment. The
 * struct's own alignment follows from its size and its last member's end
 * the same way. Unlike pahole 1.24, members of size 0 take part (the one
 * after an aligned empty member is not blamed for its gap) and a bitfield
 * ends at its last bit, not at the end of its storage unit; bitfields
 * themselves get no alignment.
 *
 * Packing (pahole's class__infer_packed_attributes): a struct without holes
 * or padding is packed when a member sits at an offset its natural
 * alignment forbids, or its size is not a multiple of its largest member
 * alignment. A struct with holes or padding is not packed, but a struct
 * member it holds at a misaligned offset is marked packed from then on, and
 * so is a struct member of a union whose size its alignment does not
 * divide. These marks depend on what was laid out before, as in pahole.
 */
#include <stdlib.h>

#include "layout_int.h"

uint32_t bk__lay_strip(const struct bk_layout_ctx *c, uint32_t id)
{
	int r = bk_btf_resolve(c->btf, id);

	return r < 0 ? 0 : (uint32_t)r;
}

uint64_t bk__lay_size(const struct bk_layout_ctx *c, uint32_t id)
{
	uint64_t n = 1;

	for (uint32_t steps = 0; steps <= c->cnt; steps++) {
		const struct bk_type *t = bk_btf_type(c->btf, id);

		if (!t || !id)
			return 0;
		switch (bk_kind(t)) {
		case BK_KIND_INT:
		case BK_KIND_FLOAT:
		case BK_KIND_ENUM:
		case BK_KIND_ENUM64:
			return n * t->size;
		case BK_KIND_STRUCT:
		case BK_KIND_UNION:
			return t->size == 1 && !bk_vlen(t) ? 0 : n * t->size;
		case BK_KIND_PTR:
		case BK_KIND_FUNC_PROTO:
			return n * c->ptr_sz;
		case BK_KIND_ARRAY:
			n *= bk_array_of(t)->nelems;
			if (n > UINT32_MAX)
				return 0;
			id = bk_array_of(t)->type;
			break;
		case BK_KIND_TYPEDEF:
		case BK_KIND_CONST:
		case BK_KIND_VOLATILE:
		case BK_KIND_RESTRICT:
		case BK_KIND_TYPE_TAG:
			id = t->type;
			break;
		default:
			return 0;
		}
	}
	return 0;
}

/* pahole's type__natural_alignment: the largest member alignment, memoized. */
static int64_t class_natural(struct bk_layout_ctx *c, uint32_t id, const struct bk_type *t, int depth)
{
	const struct bk_member *m = bk_members(t);
	uint32_t best = 0;

	if (c->nat[id])
		return c->nat[id];
	if (c->nat_busy[id] || depth > BK__LAY_MAX_DEPTH)
		return -ELOOP;
	c->nat_busy[id] = 1;
	for (unsigned i = 0; i < bk_vlen(t); i++) {
		int64_t a = bk__lay_natural(c, bk__lay_strip(c, m[i].type), depth + 1);

		if (a < 0) {
			c->nat_busy[id] = 0;
			return a;
		}
		if ((uint64_t)a > best)
			best = (uint32_t)a;
	}
	c->nat_busy[id] = 0;
	c->nat[id] = best ? best : 1;
	return c->nat[id];
}

int64_t bk__lay_natural(struct bk_layout_ctx *c, uint32_t id, int depth)
{
	for (uint32_t steps = 0; steps <= c->cnt; steps++) {
		const struct bk_type *t = bk_btf_type(c->btf, id);

		if (!t || !id)
			return 1;
		switch (bk_kind(t)) {
		case BK_KIND_PTR:
			return c->ptr_sz;
		case BK_KIND_INT:
		case BK_KIND_FLOAT:
		case BK_KIND_ENUM:
		case BK_KIND_ENUM64:
			return t->size ? t->size : 1;
		case BK_KIND_STRUCT:
		case BK_KIND_UNION:
			return class_natural(c, id, t, depth);
		case BK_KIND_ARRAY:
			id = bk__lay_strip(c, bk_array_of(t)->type);
			break;
		default:
			return 1;
		}
	}
	return 1;
}

/*
 * The alignment a member (or, with offset = size, the struct) must have
 * had to land at offset when the previous member ended at end: the power
 * of two above the gap, when the offset is even and that is more than the
 * type's natural alignment; a cache-line multiple when the offset is on a
 * line. 0 when the natural alignment explains the offset.
 */
static uint32_t infer_align(const struct bk_layout_ctx *c, uint64_t offset, uint64_t natural,
			    uint64_t end)
{
	uint64_t delta, a = 1;

	if (offset <= end || offset % 2)
		return 0;
	delta = offset - end;
	while (a <= delta)
		a <<= 1;
	if (a <= natural || a > UINT32_MAX)
		return 0;
	if (a < c->cls && c->cls % a == 0 && offset % c->cls == 0)
		a = c->cls;
	return (uint32_t)a;
}

/* Member offsets, sizes and alignment (pahole's class__fixup_btf_bitfields). */
static int place_members(struct bk_layout_ctx *c, struct bk__lclass *k, const struct bk_type *t)
{
	const struct bk_member *bm = bk_members(t);
	uint64_t end = 0;

	for (uint32_t i = 0; i < k->pub.nr_members; i++) {
		struct bk_member_layout *m = &k->m[i];
		uint32_t rid = bk__lay_strip(c, bm[i].type);
		uint64_t size = bk__lay_size(c, rid), unit = size * 8;
		int64_t nat;

		m->name = bk__lay_name(c->btf, bm[i].name_off);
		m->type = bm[i].type;
		m->bit_offset = bk_member_bit_offset(t, &bm[i]);
		m->bitfield_size = bk_member_bitfield_size(t, &bm[i]);
		m->offset = m->bit_offset / 8;
		m->size = size > UINT32_MAX ? UINT32_MAX : (uint32_t)size;
		if (m->bitfield_size && size) {
			m->offset = (uint32_t)(m->bit_offset / unit * unit / 8);
			m->bitfield_offset = m->bit_offset - m->offset * 8;
		}
		if (k->pub.kind != BK_KIND_STRUCT)
			continue;
		if (m->bitfield_size) {
			end = ((uint64_t)m->bit_offset + m->bitfield_size + 7) / 8;
			continue;
		}
		nat = bk__lay_natural(c, rid, 0);
		if (nat < 0)
			return (int)nat;
		m->align = infer_align(c, m->offset, (uint64_t)nat, end);
		end = (uint64_t)m->offset + size;
	}
	if (k->pub.kind == BK_KIND_STRUCT)
		k->pub.align = infer_align(c, k->pub.size, k->pub.natural_align, end);
	return 0;
}

/* pahole's class__find_holes (see the top of this file). */
static void find_holes(struct bk__lclass *k)
{
	uint32_t cur_end = 0, cur_size = 0, last_seen = 0;
	struct bk_member_layout *last = NULL;
	bool in_bitfield = false;

	for (uint32_t i = 0; i < k->pub.nr_members; i++) {
		struct bk_member_layout *m = &k->m[i];
		uint32_t start = m->bit_offset, end, unit = m->size * 8;
		int32_t bit_holes = 0, byte_holes = 0;

		end = start + (m->bitfield_size ? m->bitfield_size : unit);
		if (in_bitfield) {
			uint32_t bf_end = start < cur_end ? start : cur_end;

			bit_holes = (int32_t)(bf_end - last_seen);
			last_seen = bf_end;
		}
		if (m->bitfield_size) {
			uint32_t aligned_start = m->offset * 8;

			if (last_seen < aligned_start && aligned_start <= start) {
				byte_holes = (int32_t)(m->offset - last_seen / 8);
				last_seen = aligned_start;
			}
			bit_holes += (int32_t)(start - last_seen);
		} else {
			byte_holes = (int32_t)(start / 8 - last_seen / 8);
		}
		last_seen = end;
		if (m->bitfield_size) {
			in_bitfield = true;
			if (end > cur_end || unit > cur_size) {
				cur_size = unit;
				cur_end = m->offset * 8 + cur_size;
				if (end > cur_end)
					cur_end += cur_size;
			}
		} else {
			in_bitfield = false;
			cur_size = 0;
			cur_end = end;
		}
		if (last) {
			last->hole = byte_holes;
			last->bit_hole = bit_holes;
		} else {
			k->pub.pre_hole = byte_holes;
			k->pub.pre_bit_hole = bit_holes;
		}
		if (bit_holes) {
			k->pub.nr_bit_holes++;
			k->pub.sum_bit_holes += (uint32_t)bit_holes;
		}
		if (byte_holes > 0) {
			k->pub.nr_holes++;
			k->pub.sum_holes += (uint32_t)byte_holes;
		}
		last = m;
	}
	if (in_bitfield) {
		uint32_t bf_end = k->pub.size * 8 < cur_end ? k->pub.size * 8 : cur_end;

		k->pub.bit_padding = (int32_t)(bf_end - last_seen);
		last_seen = bf_end;
	}
	k->pub.padding = (int32_t)(k->pub.size - last_seen / 8);
}

int bk__lay_class(struct bk_layout_ctx *c, uint32_t id, struct bk__lclass **out)
{
	const struct bk_type *t = bk_btf_type(c->btf, id);
	struct bk__lclass *k;
	int64_t nat;
	int err;

	if (!t || !bk_is_composite(t))
		return -EINVAL;
	if (c->classes[id]) {
		*out = c->classes[id];
		return 0;
	}
	nat = bk__lay_natural(c, id, 0);
	if (nat < 0)
		return (int)nat;
	k = calloc(1, sizeof(*k));
	if (!k)
		return -ENOMEM;
	k->m = calloc(bk_vlen(t) ? bk_vlen(t) : 1, sizeof(*k->m));
	if (!k->m) {
		free(k);
		return -ENOMEM;
	}
	k->pub.id = id;
	k->pub.kind = bk_kind(t);
	k->pub.name = bk__lay_name(c->btf, t->name_off);
	k->pub.size = t->size;
	k->pub.nr_members = bk_vlen(t);
	k->pub.members = k->m;
	k->pub.natural_align = (uint32_t)nat;
	err = place_members(c, k, t);
	if (err) {
		free(k->m);
		free(k);
		return err;
	}
	if (k->pub.kind == BK_KIND_STRUCT)
		find_holes(k);
	c->classes[id] = k;
	*out = k;
	return 0;
}

/* Mark struct type id packed for good (a misaligned embedding proves it). */
static int mark_packed(struct bk_layout_ctx *c, uint32_t id)
{
	struct bk__lclass *k;
	int err = bk__lay_class(c, id, &k);

	if (err)
		return err;
	k->pub.packed = true;
	k->packed_inferred = true;
	return 0;
}

/*
 * Struct members at offsets (or, in a union, of sizes) their natural
 * alignment does not divide: their struct types must be packed.
 */
static int mark_misaligned(struct bk_layout_ctx *c, struct bk__lclass *k, bool by_size)
{
	for (uint32_t i = 0; i < k->pub.nr_members; i++) {
		uint32_t rid = bk__lay_strip(c, k->m[i].type);
		const struct bk_type *t = bk_btf_type(c->btf, rid);
		uint64_t where = by_size ? k->pub.size : k->m[i].offset;
		int64_t nat;
		int err;

		if (!rid || bk_kind(t) != BK_KIND_STRUCT)
			continue;
		nat = bk__lay_natural(c, rid, 0);
		if (nat < 0)
			return (int)nat;
		if (where % (uint64_t)nat == 0)
			continue;
		err = mark_packed(c, rid);
		if (err)
			return err;
	}
	return 0;
}

int bk__lay_infer_packed(struct bk_layout_ctx *c, struct bk__lclass *k)
{
	uint32_t max_nat = 1;

	if (k->packed_inferred)
		return 0;
	if (k->pub.kind == BK_KIND_UNION) {
		k->packed_inferred = true;
		return mark_misaligned(c, k, true);
	}
	if (k->pub.padding || k->pub.nr_holes) {
		k->pub.packed = false;
		k->packed_inferred = true;
		return mark_misaligned(c, k, false);
	}
	for (uint32_t i = 0; i < k->pub.nr_members; i++) {
		int64_t nat = bk__lay_natural(c, bk__lay_strip(c, k->m[i].type), 0);

		if (nat < 0)
			return (int)nat;
		if (nat == 1)
			continue;
		if ((uint64_t)nat > max_nat)
			max_nat = (uint32_t)nat;
		if (k->m[i].offset % (uint64_t)nat) {
			k->pub.packed = true;
			k->packed_inferred = true;
			return 0;
		}
	}
	if (k->pub.size % max_nat)
		k->pub.packed = true;
	k->packed_inferred = true;
	return 0;
}

struct bk_layout_ctx *bk_layout_ctx_new(const struct bk_btf *btf, const struct bk_layout_opts *opts)
{
	struct bk_layout_ctx *c = calloc(1, sizeof(*c));

	if (!c)
		goto err;
	c->btf = btf;
	c->cnt = bk_btf_type_cnt(btf);
	c->cls = opts && opts->cacheline ? opts->cacheline : 64;
	c->ptr_sz = bk_btf_ptr_size(btf) ? (uint32_t)bk_btf_ptr_size(btf) : 8;
	c->classes = calloc(c->cnt, sizeof(*c->classes));
	c->nat = calloc(c->cnt, sizeof(*c->nat));
	c->nat_busy = calloc(c->cnt, 1);
	if (!c->classes || !c->nat || !c->nat_busy)
		goto err;
	return c;
err:
	bk_layout_ctx_free(c);
	errno = ENOMEM;
	return NULL;
}

void bk_layout_ctx_free(struct bk_layout_ctx *c)
{
	if (!c)
		return;
	if (c->classes) {
		for (uint32_t i = 0; i < c->cnt; i++) {
			if (c->classes[i]) {
				free(c->classes[i]->m);
				free(c->classes[i]);
			}
		}
	}
	free(c->classes);
	free(c->nat);
	free(c->nat_busy);
	free(c);
}

int bk_layout_get(struct bk_layout_ctx *c, uint32_t id, const struct bk_struct_layout **out)
{
	struct bk__lclass *k;
	int err;

	if (id >= c->cnt)
		return -EINVAL;
	err = bk__lay_class(c, bk__lay_strip(c, id), &k);
	if (err)
		return err;
	err = bk__lay_infer_packed(c, k);
	if (err)
		return err;
	*out = &k->pub;
	return 0;
}
