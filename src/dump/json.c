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
		bk__out_json_strz(o, v->s, v->end);
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
	for (unsigned i = 0; i < n; i++, f++) { /* (f may be NULL when n is 0) */
		struct bk__fval v;

		if (!bk__dump_field(btf, t, w, f, &v))
			continue;
		key(o, f);
		bk__json_sep(o);
		value(o, f, &v);
	}
}

/*
 * Without layout (no pretty) every type is written through a local write
 * position (bk__out_room in out.h): a value at p, at most 21 bytes (and
 * 8 more overwritten) unless a string.
 */
static inline char *value_at(struct bk__out *o, char *p, const struct bk__kfield *f,
			     const struct bk__fval *v)
{
	uint64_t u = v->u;

	if (v->type == BK__FVAL_STR)
		return bk__out_json_at(o, p, v->s, v->end);
	if (v->type == BK__FVAL_I64 && (int64_t)u < 0) {
		*p++ = '-';
		u = (uint64_t)0 - u;
	} else if (v->type == BK__FVAL_U64 && f->form == BK__F_ENUM_VAL) {
		u = (uint64_t)(int64_t)(int32_t)u; /* as in value() */
	}
	return bk__out_put_u64(p, u);
}

/*
 * Fields f[0..n) of t read from w as "key":value pairs at p, each checked
 * for room once: the separator, key and colon (at most 20 bytes), then the
 * value; first: no separator before the first pair.
 */
static char *fields_at(struct bk__out *o, char *p, const struct bk_btf *btf,
		       const struct bk_type *t, const uint32_t *w, const struct bk__kfield *f,
		       unsigned n, bool first)
{
	for (unsigned i = 0; i < n; i++, f++) { /* (f may be NULL when n is 0) */
		struct bk__fval v;

		if (!bk__dump_field(btf, t, w, f, &v))
			continue;
		p = bk__out_room(o, p);
		*p = ',';
		p += !first;
		first = false;
		*p++ = '"';
		memcpy(p, f->key, sizeof(f->key));
		p += f->key_len;
		*p++ = '"';
		*p++ = ':';
		p = value_at(o, p, f, &v);
	}
	return p;
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

/*
 * One type without layout: the common case, written at a local p with a
 * room check before each piece: the head up to the name, each field, each
 * element's "{" (its "}" and the closing "]}" follow a field); no piece
 * reaches 64 bytes past where it starts, half the slack.
 */
static void json_type_compact(struct bk__out *o, const struct bk_btf *btf, uint32_t id,
			      const struct bk_type *t, const struct bk__kind *k)
{
	const uint32_t *e = (const uint32_t *)((const uint8_t *)(t + 1) + k->info_sz);
	const char *name, *end;
	char *p = bk__out_room(o, o->p);

	*p = ',';
	p += o->sep != 0;
	o->sep = ',';
	memcpy(p, "{\"id\":", 6);
	p = bk__out_put_u64(p + 6, id);
	memcpy(p, ",\"kind\":\"", 9);
	memcpy(p + 9, k->name, sizeof(k->name));
	p += 9 + k->name_len;
	memcpy(p, "\",\"name\":", 9);
	name = bk__dump_name_end(btf, t->name_off, &end);
	p = bk__out_json_at(o, p + 9, name, end);
	p = fields_at(o, p, btf, t, (const uint32_t *)t, k->fields, k->nr_fields, false);
	if (k->elems_key) {
		size_t n = strlen(k->elems_key);

		p = bk__out_room(o, p);
		memcpy(p, ",\"", 2);
		memcpy(p + 2, k->elems_key, n);
		memcpy(p + 2 + n, "\":[", 3);
		p += 5 + n;
		for (unsigned i = 0, nr = bk_vlen(t); i < nr; i++, e += k->elem_sz / 4) {
			p = bk__out_room(o, p);
			*p = ',';
			p += i != 0;
			*p++ = '{';
			p = fields_at(o, p, btf, t, e, k->elem_fields, k->nr_elem_fields, true);
			*p++ = '}';
		}
		*p++ = ']';
	}
	*p++ = '}';
	o->p = p;
	bk__out_done(o);
}

static void json_type(struct bk__out *o, const struct bk_btf *btf, uint32_t id,
		      const struct bk_type *t, const struct bk_dump_opts *opts)
{
	unsigned kind = bk_kind(t);
	const struct bk__kind *k = &bk__kinds[kind < BK_NR_KINDS ? kind : BK_KIND_UNKN];
	const uint32_t *e = (const uint32_t *)((const uint8_t *)(t + 1) + k->info_sz);

	(void)opts;
	if (!o->pretty) {
		json_type_compact(o, btf, id, t, k);
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
