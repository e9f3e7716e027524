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

/* name() for a kind-table field */
static void key(struct bk__out *o, const struct bk__kfield *f)
{
	eor(o);
	eol(o);
	o->sep = 0;
	bk__out_char(o, '"');
	bk__out_key(o, f);
	bk__out_mem(o, "\": ", o->pretty ? 3 : 2);
}

static void kv_u(struct bk__out *o, const char *key, uint64_t v)
{
	name(o, key);
	eor(o);
	bk__out_u64(o, v);
}

static void kv_s(struct bk__out *o, const char *key, const char *v)
{
	name(o, key);
	eor(o);
	bk__out_json_str(o, v);
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
		eor(o);
		if (v.type == BK__FVAL_STR)
			bk__out_json_str(o, v.s);
		else if (v.type == BK__FVAL_I64)
			bk__out_i64(o, (int64_t)v.u);
		else if (f->form == BK__F_ENUM_VAL) /* bpftool widens the signed field */
			bk__out_u64(o, (uint64_t)(int64_t)(int32_t)v.u);
		else
			bk__out_u64(o, v.u);
	}
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
	unsigned kind = bk_kind(t);
	const struct bk__kind *k = &bk__kinds[kind < BK_NR_KINDS ? kind : BK_KIND_UNKN];
	const uint32_t *e = (const uint32_t *)((const uint8_t *)(t + 1) + k->info_sz);

	(void)opts;
	open_c(o, '{');
	kv_u(o, "id", id);
	kv_s(o, "kind", bk_kind_name(kind));
	kv_s(o, "name", bk__dump_name(btf, t->name_off));
	fields(o, btf, t, (const uint32_t *)t, k->fields, k->nr_fields);
	if (k->elems_key) {
		name(o, k->elems_key);
		open_c(o, '[');
		for (unsigned i = 0, n = bk_vlen(t); i < n; i++, e += k->elem_sz / 4) {
			open_c(o, '{');
			fields(o, btf, t, e, k->elem_fields, k->nr_elem_fields);
			close_c(o, '}');
		}
		close_c(o, ']');
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
