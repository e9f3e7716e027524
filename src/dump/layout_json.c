// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The layout as JSON: {"types":[...]} with one object per selected type.
 * A struct or union carries its size, cache lines, holes, padding,
 * inferred alignment and packing, and its members (name, type ID, type
 * name as pahole spells it, offset and size in bytes, bitfield offset and
 * width, hole and bit hole after it, inferred alignment). Offsets are from
 * the start of the outermost type, as in the text; type names are pahole's
 * without trailing spaces ("const char  *", "union"). A member whose type is
 * an anonymous struct or union (with expand: any struct or union, through
 * typedefs) holds that type's layout under "layout". Enums list their
 * values; typedefs name their type and hold its layout when it has one.
 */
#include <stdlib.h>

#include "json_write.h"
#include "layout_int.h"

void bk__lay_json_begin(struct bk__out *o)
{
	bk__json_open(o, '{');
	bk__json_key(o, "types");
	bk__json_open(o, '[');
}

void bk__lay_json_end(struct bk__out *o)
{
	bk__json_close(o, ']');
	bk__json_close(o, '}');
	bk__out_char(o, '\n');
}

static const char *kind_str(unsigned kind)
{
	switch (kind) {
	case BK_KIND_STRUCT: return "struct";
	case BK_KIND_UNION: return "union";
	case BK_KIND_TYPEDEF: return "typedef";
	default: return "enum";
	}
}

static int type_name(struct bk_layout_ctx *c, struct bk__out *o, const char *key, uint32_t id)
{
	struct bk__lbuf b = { 0 };
	int err = bk__lay_type_name(c, &b, id, 0);

	if (!err)
		err = b.err;
	while (!err && b.len && b.p[b.len - 1] == ' ')
		b.p[--b.len] = 0; /* "union " for an anonymous union */
	if (!err)
		bk__json_kv_s(o, key, b.p);
	free(b.p);
	return err;
}

static int layout(struct bk_layout_ctx *c, struct bk__out *o, uint32_t id, uint32_t base,
		  bool expand, int depth, uint32_t *budget);

/* The type a member's "layout" shows, or 0. */
static uint32_t nested(struct bk_layout_ctx *c, uint32_t type, bool expand)
{
	const struct bk_type *t = bk_btf_type(c->btf, type);

	if (expand) {
		type = bk__lay_strip(c, type);
		t = bk_btf_type(c->btf, type);
		return type && t && bk_is_composite(t) ? type : 0;
	}
	return type && t && bk_is_composite(t) && !t->name_off ? type : 0;
}

static int member(struct bk_layout_ctx *c, struct bk__out *o, const struct bk_member_layout *m,
		  uint32_t base, bool expand, int depth, uint32_t *budget)
{
	uint32_t inner = nested(c, m->type, expand);
	int err;

	if (!(*budget)--)
		return -E2BIG;
	bk__json_open(o, '{');
	bk__json_kv_s(o, "name", m->name);
	bk__json_kv_u(o, "type_id", m->type);
	err = type_name(c, o, "type", m->type);
	if (err)
		return err;
	bk__json_kv_u(o, "offset", (uint64_t)base + m->offset);
	bk__json_kv_u(o, "size", m->size);
	bk__json_kv_u(o, "bitfield_offset", m->bitfield_offset);
	bk__json_kv_u(o, "bitfield_size", m->bitfield_size);
	bk__json_kv_i(o, "hole", m->hole);
	bk__json_kv_i(o, "bit_hole", m->bit_hole);
	bk__json_kv_u(o, "align", m->align);
	if (inner) {
		bk__json_key(o, "layout");
		err = layout(c, o, inner, base + m->offset, expand, depth + 1, budget);
		if (err)
			return err;
	}
	bk__json_close(o, '}');
	return 0;
}

static int layout(struct bk_layout_ctx *c, struct bk__out *o, uint32_t id, uint32_t base,
		  bool expand, int depth, uint32_t *budget)
{
	const struct bk_struct_layout *l;
	int err;

	if (depth > BK__LAY_MAX_DEPTH)
		return -ELOOP;
	err = bk_layout_get(c, id, &l);
	if (err)
		return err;
	bk__json_open(o, '{');
	bk__json_kv_u(o, "id", l->id);
	bk__json_kv_s(o, "kind", kind_str(l->kind));
	bk__json_kv_s(o, "name", l->name);
	bk__json_kv_u(o, "size", l->size);
	bk__json_kv_u(o, "cachelines", ((uint64_t)l->size + c->cls - 1) / c->cls);
	bk__json_kv_u(o, "nr_members", l->nr_members);
	bk__json_kv_i(o, "pre_hole", l->pre_hole);
	bk__json_kv_i(o, "pre_bit_hole", l->pre_bit_hole);
	bk__json_kv_u(o, "holes", l->nr_holes);
	bk__json_kv_u(o, "sum_holes", l->sum_holes);
	bk__json_kv_u(o, "bit_holes", l->nr_bit_holes);
	bk__json_kv_u(o, "sum_bit_holes", l->sum_bit_holes);
	bk__json_kv_i(o, "padding", l->padding);
	bk__json_kv_i(o, "bit_padding", l->bit_padding);
	bk__json_kv_u(o, "natural_align", l->natural_align);
	bk__json_kv_u(o, "align", l->align);
	bk__json_kv_b(o, "packed", l->packed);
	bk__json_key(o, "members");
	bk__json_open(o, '[');
	for (uint32_t i = 0; i < l->nr_members && !err; i++)
		err = member(c, o, &l->members[i], base, expand, depth, budget);
	bk__json_close(o, ']');
	bk__json_close(o, '}');
	return err;
}

static void enum_values(const struct bk_btf *btf, struct bk__out *o, const struct bk_type *t)
{
	bool is64 = bk_kind(t) == BK_KIND_ENUM64, is_signed = bk_kflag(t);

	bk__json_key(o, "values");
	bk__json_open(o, '[');
	for (unsigned i = 0; i < bk_vlen(t); i++) {
		uint64_t v = is64 ? bk_enum64_value(&bk_enum64s(t)[i]) : (uint32_t)bk_enums(t)[i].val;

		bk__json_open(o, '{');
		bk__json_kv_s(o, "name", bk__lay_name(btf, is64 ? bk_enum64s(t)[i].name_off :
							     bk_enums(t)[i].name_off));
		bk__json_key(o, "value");
		if (is_signed && is64)
			bk__json_i64(o, (int64_t)v);
		else if (is_signed)
			bk__json_i64(o, (int32_t)v);
		else
			bk__json_u64(o, v);
		bk__json_close(o, '}');
	}
	bk__json_close(o, ']');
}

int bk__lay_json(struct bk_layout_ctx *c, struct bk__out *o, uint32_t id,
		 const struct bk_layout_opts *opts)
{
	const struct bk_type *t = bk_btf_type(c->btf, id);
	uint32_t to, budget = BK__LAY_MAX_MEMBERS;
	int err = 0;

	if (bk_is_composite(t)) {
		err = layout(c, o, id, 0, opts->expand, 0, &budget);
		goto out;
	}
	bk__json_open(o, '{');
	bk__json_kv_u(o, "id", id);
	bk__json_kv_s(o, "kind", kind_str(bk_kind(t)));
	bk__json_kv_s(o, "name", bk__lay_name(c->btf, t->name_off));
	if (bk_is_any_enum(t)) {
		bk__json_kv_u(o, "size", t->size);
		enum_values(c->btf, o, t);
	} else {
		bk__json_kv_u(o, "type_id", t->type);
		err = type_name(c, o, "type", t->type);
		to = bk__lay_strip(c, t->type);
		if (!err && to && bk_is_composite(bk_btf_type(c->btf, to))) {
			bk__json_key(o, "layout");
			err = layout(c, o, to, 0, opts->expand, 1, &budget);
		}
	}
	bk__json_close(o, '}');
out:
	if (err == -ELOOP)
		return bk__diag(opts->diag, err, "types nested too deep (type [%u])", id);
	if (err == -E2BIG)
		return bk__diag(opts->diag, err, "layout too large: over %u members (type [%u])",
				BK__LAY_MAX_MEMBERS, id);
	if (err)
		return bk__diag(opts->diag, err, "%s (type [%u])", bk_strerror(err), id);
	return o->err;
}
