// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Raw text emitter: byte for byte what "bpftool btf dump file F" prints
 * (bpftool 7.1; tests/data/sample.bpf.o.raw is an example). One logical line per type,
 * "[id] KIND 'name'" and key=value details; members, enumerators, params and
 * datasec entries follow on tab-indented lines.
 */
#include "out.h"

static void kv_u(struct bk__out *o, const char *key, uint64_t v)
{
	bk__out_str(o, key);
	bk__out_u64(o, v);
}

static void quoted(struct bk__out *o, const char *s)
{
	bk__out_char(o, '\'');
	bk__out_str(o, s);
	bk__out_char(o, '\'');
}

static void raw_type(struct bk__out *o, const struct bk_btf *btf, uint32_t id,
		     const struct bk_type *t, const struct bk_dump_opts *opts)
{
	unsigned kind = bk_kind(t), vlen = bk_vlen(t);

	(void)opts;
	bk__out_char(o, '[');
	bk__out_u64(o, id);
	bk__out_str(o, "] ");
	bk__out_str(o, bk_kind_name(kind));
	bk__out_char(o, ' ');
	quoted(o, bk__dump_name(btf, t->name_off));

	switch (kind) {
	case BK_KIND_INT:
		kv_u(o, " size=", t->size);
		kv_u(o, " bits_offset=", bk_int_offset(t));
		kv_u(o, " nr_bits=", bk_int_bits(t));
		bk__out_str(o, " encoding=");
		bk__out_str(o, bk__int_encoding_str(bk_int_encoding(t)));
		break;
	case BK_KIND_PTR:
	case BK_KIND_CONST:
	case BK_KIND_VOLATILE:
	case BK_KIND_RESTRICT:
	case BK_KIND_TYPEDEF:
	case BK_KIND_TYPE_TAG:
		kv_u(o, " type_id=", t->type);
		break;
	case BK_KIND_ARRAY: {
		const struct bk_array *a = bk_array_of(t);

		kv_u(o, " type_id=", a->type);
		kv_u(o, " index_type_id=", a->index_type);
		kv_u(o, " nr_elems=", a->nelems);
		break;
	}
	case BK_KIND_STRUCT:
	case BK_KIND_UNION: {
		const struct bk_member *m = bk_members(t);

		kv_u(o, " size=", t->size);
		kv_u(o, " vlen=", vlen);
		for (unsigned i = 0; i < vlen; i++, m++) {
			uint32_t bsz = bk_member_bitfield_size(t, m);

			bk__out_str(o, "\n\t");
			quoted(o, bk__dump_name(btf, m->name_off));
			kv_u(o, " type_id=", m->type);
			kv_u(o, " bits_offset=", bk_member_bit_offset(t, m));
			if (bsz)
				kv_u(o, " bitfield_size=", bsz);
		}
		break;
	}
	case BK_KIND_ENUM:
	case BK_KIND_ENUM64: {
		bool is_signed = bk_kflag(t);

		bk__out_str(o, is_signed ? " encoding=SIGNED" : " encoding=UNSIGNED");
		kv_u(o, " size=", t->size);
		kv_u(o, " vlen=", vlen);
		for (unsigned i = 0; i < vlen; i++) {
			bk__out_str(o, "\n\t");
			if (kind == BK_KIND_ENUM) {
				const struct bk_enum *e = bk_enums(t) + i;

				quoted(o, bk__dump_name(btf, e->name_off));
				bk__out_str(o, " val=");
				if (is_signed)
					bk__out_i64(o, e->val);
				else
					bk__out_u64(o, (uint32_t)e->val);
			} else {
				const struct bk_enum64 *e = bk_enum64s(t) + i;
				uint64_t v = bk_enum64_value(e);

				quoted(o, bk__dump_name(btf, e->name_off));
				bk__out_str(o, " val=");
				if (is_signed) {
					bk__out_i64(o, (int64_t)v);
					bk__out_str(o, "LL");
				} else {
					bk__out_u64(o, v);
					bk__out_str(o, "ULL");
				}
			}
		}
		break;
	}
	case BK_KIND_FWD:
		bk__out_str(o, bk_kflag(t) ? " fwd_kind=union" : " fwd_kind=struct");
		break;
	case BK_KIND_FUNC:
		kv_u(o, " type_id=", t->type);
		bk__out_str(o, " linkage=");
		bk__out_str(o, bk__func_linkage_str(vlen));
		break;
	case BK_KIND_FUNC_PROTO: {
		const struct bk_param *p = bk_params(t);

		kv_u(o, " ret_type_id=", t->type);
		kv_u(o, " vlen=", vlen);
		for (unsigned i = 0; i < vlen; i++, p++) {
			bk__out_str(o, "\n\t");
			quoted(o, bk__dump_name(btf, p->name_off));
			kv_u(o, " type_id=", p->type);
		}
		break;
	}
	case BK_KIND_VAR:
		kv_u(o, " type_id=", t->type);
		bk__out_str(o, ", linkage=");
		bk__out_str(o, bk__var_linkage_str(bk_var_of(t)->linkage));
		break;
	case BK_KIND_DATASEC: {
		const struct bk_var_secinfo *v = bk_secinfos(t);
		uint32_t cnt = bk_btf_type_cnt(btf);

		kv_u(o, " size=", t->size);
		kv_u(o, " vlen=", vlen);
		for (unsigned i = 0; i < vlen; i++, v++) {
			kv_u(o, "\n\ttype_id=", v->type);
			kv_u(o, " offset=", v->offset);
			kv_u(o, " size=", v->size);
			if (v->type < cnt) {
				const struct bk_type *vt = bk_btf_type(btf, v->type);

				bk__out_str(o, " (");
				bk__out_str(o, bk_kind_name(bk_kind(vt)));
				bk__out_char(o, ' ');
				quoted(o, bk__dump_name(btf, vt->name_off));
				bk__out_char(o, ')');
			}
		}
		break;
	}
	case BK_KIND_FLOAT:
		kv_u(o, " size=", t->size);
		break;
	case BK_KIND_DECL_TAG:
		kv_u(o, " type_id=", t->type);
		bk__out_str(o, " component_idx=");
		bk__out_i64(o, bk_decl_tag_of(t)->component_idx);
		break;
	default:
		break;
	}
	bk__out_char(o, '\n');
}

const struct bk__emitter bk__raw_emitter = {
	.type = raw_type,
};
