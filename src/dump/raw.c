// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Raw text emitter: byte for byte what "bpftool btf dump file F" prints
 * (bpftool 7.1; tests/data/sample.bpf.o.raw is an example). One logical
 * line per type, "[id] KIND 'name'" then " key=value" for each field the
 * kind table lists (src/core/kind.c); members, enumerators, params and
 * datasec entries follow on tab-indented lines, a name as 'name' and the
 * other fields as key=value. bpftool's few irregularities are spelled out
 * where they are printed: a comma before a VAR's linkage, an LL/ULL suffix
 * on 64-bit enumerator values, and the kind and name of each datasec
 * entry's variable.
 */
#include "out.h"

static void quoted(struct bk__out *o, const char *s)
{
	bk__out_char(o, '\'');
	bk__out_str(o, s);
	bk__out_char(o, '\'');
}

/* Fields f[0..n) of t read from w; lead: a separator before the first. */
static void fields(struct bk__out *o, const struct bk_btf *btf, const struct bk_type *t,
		   const uint32_t *w, const struct bk__kfield *f, unsigned n, bool lead)
{
	for (unsigned i = 0; i < n; i++, f++) { /* (f may be NULL when n is 0) */
		struct bk__fval v;

		if (!bk__dump_field(btf, t, w, f, &v))
			continue;
		if (lead) {
			if (f->form == BK__F_VAR_LINKAGE)
				bk__out_char(o, ',');
			bk__out_char(o, ' ');
		}
		lead = true;
		if (f->form == BK__F_NAME) {
			quoted(o, v.s);
			continue;
		}
		bk__out_key(o, f);
		bk__out_char(o, '=');
		if (v.type == BK__FVAL_STR)
			bk__out_str(o, v.s);
		else if (v.type == BK__FVAL_I64)
			bk__out_i64(o, (int64_t)v.u);
		else
			bk__out_u64(o, v.u);
		if (f->form == BK__F_ENUM64_VAL)
			bk__out_str(o, v.type == BK__FVAL_I64 ? "LL" : "ULL");
	}
}

/* A datasec entry names its variable: " (VAR 'name')". */
static void entry_target(struct bk__out *o, const struct bk_btf *btf, uint32_t id)
{
	const struct bk_type *vt;

	if (id >= bk_btf_type_cnt(btf))
		return;
	vt = bk_btf_type(btf, id);
	bk__out_str(o, " (");
	bk__out_str(o, bk_kind_name(bk_kind(vt)));
	bk__out_char(o, ' ');
	quoted(o, bk__dump_name(btf, vt->name_off));
	bk__out_char(o, ')');
}

static void raw_type(struct bk__out *o, const struct bk_btf *btf, uint32_t id,
		     const struct bk_type *t, const struct bk_dump_opts *opts)
{
	unsigned kind = bk_kind(t);
	const struct bk__kind *k = &bk__kinds[kind < BK_NR_KINDS ? kind : BK_KIND_UNKN];
	const uint32_t *e = (const uint32_t *)((const uint8_t *)(t + 1) + k->info_sz);
	unsigned n = k->nr_elem_fields ? bk_vlen(t) : 0;

	(void)opts;
	bk__out_char(o, '[');
	bk__out_u64(o, id);
	bk__out_mem(o, "] ", 2);
	bk__out_str(o, bk_kind_name(kind));
	bk__out_char(o, ' ');
	quoted(o, bk__dump_name(btf, t->name_off));
	fields(o, btf, t, (const uint32_t *)t, k->fields, k->nr_fields, true);
	for (unsigned i = 0; i < n; i++, e += k->elem_sz / 4) {
		bk__out_mem(o, "\n\t", 2);
		fields(o, btf, t, e, k->elem_fields, k->nr_elem_fields, false);
		if (kind == BK_KIND_DATASEC)
			entry_target(o, btf, ((const struct bk_var_secinfo *)e)->type);
	}
	bk__out_char(o, '\n');
}

const struct bk__emitter bk__raw_emitter = {
	.type = raw_type,
};
