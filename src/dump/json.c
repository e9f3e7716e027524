// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * JSON emitter: the output of "bpftool -j btf dump file F" (bpftool 7.1):
 * {"types":[{"id":..,"kind":..,"name":.., per-kind keys}, ...]} with the
 * same keys and numbers (including bpftool's quirk of printing an unsigned
 * 32-bit enumerator value sign-extended to 64 bits). With pretty, layout
 * follows bpftool -p: 4-space indentation, "},{" between array objects,
 * and a final newline either way.
 *
 * The JSON writer itself (json_write.h) is shared with the layout and diff
 * outputs.
 */
#include "json_write.h"

/* bk__json_key for a kind-table field */
static void key(struct bk__out *o, const struct bk__kfield *f)
{
	bk__json_key_start(o);
	bk__out_key(o, f);
	bk__json_key_end(o);
}

static inline void value(struct bk__out *o, const struct bk__kfield *f, const struct bk__fval *v)
{
	if (v->type == BK__FVAL_STR)
		bk__out_json_str(o, v->s);
	else if (v->type == BK__FVAL_I64)
		bk__out_i64(o, (int64_t)v->u);
	else if (f->form == BK__F_ENUM_VAL) /* bpftool widens the signed field */
		bk__out_u64(o, (uint64_t)(int64_t)(int32_t)v->u);
	else
		bk__out_u64(o, v->u);
}

/* Fields f[0..n) of t read from w, as "key":value pairs. */
static void fields(struct bk__out *o, const struct bk_btf *btf, const struct bk_type *t,
		   const uint32_t *w, const struct bk__kfield *f, unsigned n)
{
	for (const struct bk__kfield *end = f + n; f < end; f++) {
		struct bk__fval v;

		if (!bk__dump_field(btf, t, w, f, &v))
			continue;
		key(o, f);
		bk__json_sep(o);
		value(o, f, &v);
	}
}

/*
 * The same without layout (no pretty): the separator, key and colon of a
 * field go out as one unchecked append of at most 20 bytes (out.h), then
 * the value; first: no separator before the first pair.
 */
static void fields_compact(struct bk__out *o, const struct bk_btf *btf, const struct bk_type *t,
			   const uint32_t *w, const struct bk__kfield *f, unsigned n, bool first)
{
	for (const struct bk__kfield *end = f + n; f < end; f++) {
		struct bk__fval v;
		char *p = o->p;

		if (!bk__dump_field(btf, t, w, f, &v))
			continue;
		*p = ',';
		p += !first;
		first = false;
		*p++ = '"';
		memcpy(p, f->key, sizeof(f->key));
		p += f->key_len;
		*p++ = '"';
		*p++ = ':';
		o->p = p;
		value(o, f, &v);
	}
}

static void json_begin(struct bk__out *o, const struct bk_dump_opts *opts)
{
	o->pretty = opts->pretty;
	bk__json_open(o, '{');
	bk__json_key(o, "types");
	bk__json_open(o, '[');
}

static void json_end(struct bk__out *o, const struct bk_dump_opts *opts)
{
	(void)opts;
	bk__json_close(o, ']');
	bk__json_close(o, '}');
	bk__out_char(o, '\n');
}

/* One type without layout: the common case, written with few checks. */
static void json_type_compact(struct bk__out *o, const struct bk_btf *btf, uint32_t id,
			      const struct bk_type *t, unsigned kind, const struct bk__kind *k)
{
	const uint32_t *e = (const uint32_t *)((const uint8_t *)(t + 1) + k->info_sz);

	if (o->sep)
		bk__out_char(o, ',');
	o->sep = ',';
	bk__out_mem(o, "{\"id\":", 6);
	bk__out_u64(o, id);
	bk__out_mem(o, ",\"kind\":\"", 9);
	bk__out_str(o, bk_kind_name(kind));
	bk__out_mem(o, "\",\"name\":", 9);
	bk__out_json_str(o, bk__dump_name(btf, t->name_off));
	fields_compact(o, btf, t, (const uint32_t *)t, k->fields, k->nr_fields, false);
	if (k->elems_key) {
		bk__out_mem(o, ",\"", 2);
		bk__out_str(o, k->elems_key);
		bk__out_mem(o, "\":[", 3);
		for (unsigned i = 0, n = bk_vlen(t); i < n; i++, e += k->elem_sz / 4) {
			bk__out_mem(o, ",{" + !i, 1 + !!i);
			fields_compact(o, btf, t, e, k->elem_fields, k->nr_elem_fields, true);
			bk__out_char(o, '}');
		}
		bk__out_char(o, ']');
	}
	bk__out_char(o, '}');
}

static void json_type(struct bk__out *o, const struct bk_btf *btf, uint32_t id,
		      const struct bk_type *t, const struct bk_dump_opts *opts)
{
	unsigned kind = bk_kind(t);
	const struct bk__kind *k = &bk__kinds[kind < BK_NR_KINDS ? kind : BK_KIND_UNKN];
	const uint32_t *e = (const uint32_t *)((const uint8_t *)(t + 1) + k->info_sz);

	(void)opts;
	if (!o->pretty) {
		json_type_compact(o, btf, id, t, kind, k);
		return;
	}
	bk__json_open(o, '{');
	bk__json_kv_u(o, "id", id);
	bk__json_kv_s(o, "kind", bk_kind_name(kind));
	bk__json_kv_s(o, "name", bk__dump_name(btf, t->name_off));
	fields(o, btf, t, (const uint32_t *)t, k->fields, k->nr_fields);
	if (k->elems_key) {
		bk__json_key(o, k->elems_key);
		bk__json_open(o, '[');
		for (unsigned i = 0, n = bk_vlen(t); i < n; i++, e += k->elem_sz / 4) {
			bk__json_open(o, '{');
			fields(o, btf, t, e, k->elem_fields, k->nr_elem_fields);
			bk__json_close(o, '}');
		}
		bk__json_close(o, ']');
	}
	bk__json_close(o, '}');
}

const struct bk__emitter bk__json_emitter = {
	.begin = json_begin,
	.type = json_type,
	.end = json_end,
};

int bk_json_string(const struct bk_sink *sink, const char *s)
{
	struct bk__out o;
	int err = bk__out_init(&o, sink, 4096);

	if (!err) {
		bk__out_json_str(&o, s);
		bk__out_flush(&o);
		err = o.err;
	}
	bk__out_free(&o);
	return err;
}
