// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * JSON emitter: the output of "bpftool -j btf dump file F" (bpftool 7.1):
 * {"types":[{"id":..,"kind":..,"name":.., per-kind keys}, ...]} with the
 * same keys and numbers (including bpftool's quirk of printing an unsigned
 * 32-bit enumerator value sign-extended to 64 bits). With pretty, layout
 * follows bpftool -p: 4-space indentation, "},{" between array objects,
 * and a final newline either way.
 *
 * The writer keeps its nesting depth and pending separator in struct
 * bk__out: a value or name first prints the pending ',' (if any); closing
 * a non-empty container starts a new line at the outer depth (pretty only).
 */
#include <stdlib.h>

#include "out.h"

static void eol(struct bk__out *o)
{
	if (!o->pretty)
		return;
	bk__out_char(o, '\n');
	for (int i = 0; i < o->depth; i++)
		bk__out_mem(o, "    ", 4);
}

static void eor(struct bk__out *o)
{
	if (o->sep)
		bk__out_char(o, o->sep);
	o->sep = ',';
}

static void open_c(struct bk__out *o, char c)
{
	eor(o);
	bk__out_char(o, c);
	o->depth++;
	o->sep = 0;
}

static void close_c(struct bk__out *o, char c)
{
	o->depth--;
	if (o->sep)
		eol(o);
	bk__out_char(o, c);
	o->sep = ',';
}

static void name(struct bk__out *o, const char *key)
{
	eor(o);
	eol(o);
	o->sep = 0;
	bk__out_char(o, '"');
	bk__out_str(o, key);
	bk__out_str(o, o->pretty ? "\": " : "\":");
}

static void kv_u(struct bk__out *o, const char *key, uint64_t v)
{
	name(o, key);
	eor(o);
	bk__out_u64(o, v);
}

static void kv_i(struct bk__out *o, const char *key, int64_t v)
{
	name(o, key);
	eor(o);
	bk__out_i64(o, v);
}

static void kv_s(struct bk__out *o, const char *key, const char *v)
{
	name(o, key);
	eor(o);
	bk__out_json_str(o, v);
}

static void json_begin(struct bk__out *o, const struct bk_dump_opts *opts)
{
	o->pretty = opts->pretty;
	open_c(o, '{');
	name(o, "types");
	open_c(o, '[');
}

static void json_end(struct bk__out *o, const struct bk_dump_opts *opts)
{
	(void)opts;
	close_c(o, ']');
	close_c(o, '}');
	bk__out_char(o, '\n');
}

static void json_type(struct bk__out *o, const struct bk_btf *btf, uint32_t id,
		      const struct bk_type *t, const struct bk_dump_opts *opts)
{
	unsigned kind = bk_kind(t), vlen = bk_vlen(t);

	(void)opts;
	open_c(o, '{');
	kv_u(o, "id", id);
	kv_s(o, "kind", bk_kind_name(kind));
	kv_s(o, "name", bk__dump_name(btf, t->name_off));
	switch (kind) {
	case BK_KIND_INT:
		kv_u(o, "size", t->size);
		kv_u(o, "bits_offset", bk_int_offset(t));
		kv_u(o, "nr_bits", bk_int_bits(t));
		kv_s(o, "encoding", bk__int_encoding_str(bk_int_encoding(t)));
		break;
	case BK_KIND_PTR:
	case BK_KIND_CONST:
	case BK_KIND_VOLATILE:
	case BK_KIND_RESTRICT:
	case BK_KIND_TYPEDEF:
	case BK_KIND_TYPE_TAG:
		kv_u(o, "type_id", t->type);
		break;
	case BK_KIND_ARRAY:
		kv_u(o, "type_id", bk_array_of(t)->type);
		kv_u(o, "index_type_id", bk_array_of(t)->index_type);
		kv_u(o, "nr_elems", bk_array_of(t)->nelems);
		break;
	case BK_KIND_STRUCT:
	case BK_KIND_UNION: {
		const struct bk_member *m = bk_members(t);

		kv_u(o, "size", t->size);
		kv_u(o, "vlen", vlen);
		name(o, "members");
		open_c(o, '[');
		for (unsigned i = 0; i < vlen; i++, m++) {
			uint32_t bsz = bk_member_bitfield_size(t, m);

			open_c(o, '{');
			kv_s(o, "name", bk__dump_name(btf, m->name_off));
			kv_u(o, "type_id", m->type);
			kv_u(o, "bits_offset", bk_member_bit_offset(t, m));
			if (bsz)
				kv_u(o, "bitfield_size", bsz);
			close_c(o, '}');
		}
		close_c(o, ']');
		break;
	}
	case BK_KIND_ENUM:
	case BK_KIND_ENUM64: {
		bool is_signed = bk_kflag(t);

		kv_s(o, "encoding", is_signed ? "SIGNED" : "UNSIGNED");
		kv_u(o, "size", t->size);
		kv_u(o, "vlen", vlen);
		name(o, "values");
		open_c(o, '[');
		for (unsigned i = 0; i < vlen; i++) {
			open_c(o, '{');
			if (kind == BK_KIND_ENUM) {
				const struct bk_enum *e = bk_enums(t) + i;

				kv_s(o, "name", bk__dump_name(btf, e->name_off));
				if (is_signed)
					kv_i(o, "val", e->val);
				else /* bpftool widens the signed field */
					kv_u(o, "val", (uint64_t)(int64_t)e->val);
			} else {
				const struct bk_enum64 *e = bk_enum64s(t) + i;

				kv_s(o, "name", bk__dump_name(btf, e->name_off));
				if (is_signed)
					kv_i(o, "val", (int64_t)bk_enum64_value(e));
				else
					kv_u(o, "val", bk_enum64_value(e));
			}
			close_c(o, '}');
		}
		close_c(o, ']');
		break;
	}
	case BK_KIND_FWD:
		kv_s(o, "fwd_kind", bk_kflag(t) ? "union" : "struct");
		break;
	case BK_KIND_FUNC:
		kv_u(o, "type_id", t->type);
		kv_s(o, "linkage", bk__func_linkage_str(vlen));
		break;
	case BK_KIND_FUNC_PROTO: {
		const struct bk_param *p = bk_params(t);

		kv_u(o, "ret_type_id", t->type);
		kv_u(o, "vlen", vlen);
		name(o, "params");
		open_c(o, '[');
		for (unsigned i = 0; i < vlen; i++, p++) {
			open_c(o, '{');
			kv_s(o, "name", bk__dump_name(btf, p->name_off));
			kv_u(o, "type_id", p->type);
			close_c(o, '}');
		}
		close_c(o, ']');
		break;
	}
	case BK_KIND_VAR:
		kv_u(o, "type_id", t->type);
		kv_s(o, "linkage", bk__var_linkage_str(bk_var_of(t)->linkage));
		break;
	case BK_KIND_DATASEC: {
		const struct bk_var_secinfo *v = bk_secinfos(t);

		kv_u(o, "size", t->size);
		kv_u(o, "vlen", vlen);
		name(o, "vars");
		open_c(o, '[');
		for (unsigned i = 0; i < vlen; i++, v++) {
			open_c(o, '{');
			kv_u(o, "type_id", v->type);
			kv_u(o, "offset", v->offset);
			kv_u(o, "size", v->size);
			close_c(o, '}');
		}
		close_c(o, ']');
		break;
	}
	case BK_KIND_FLOAT:
		kv_u(o, "size", t->size);
		break;
	case BK_KIND_DECL_TAG:
		kv_u(o, "type_id", t->type);
		kv_i(o, "component_idx", bk_decl_tag_of(t)->component_idx);
		break;
	default:
		break;
	}
	close_c(o, '}');
}

const struct bk__emitter bk__json_emitter = {
	.begin = json_begin,
	.type = json_type,
	.end = json_end,
};

int bk_json_string(const struct bk_sink *sink, const char *s)
{
	struct bk__out *o = malloc(sizeof(*o));
	int err;

	if (!o)
		return -ENOMEM;
	bk__out_init(o, sink);
	bk__out_json_str(o, s);
	bk__out_flush(o);
	err = o->err;
	free(o);
	return err;
}
