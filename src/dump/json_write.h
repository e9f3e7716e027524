/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The JSON writer the JSON outputs share (json.c, layout, diff): objects
 * and arrays, keys, numbers, strings and booleans written to a struct
 * bk__out, compact or, with o->pretty, indented as bpftool -p does (four
 * spaces per level, "},{" between array objects).
 *
 * The writer keeps its nesting depth and pending separator in struct
 * bk__out: a value or key first prints the pending ',' (if any); closing
 * a non-empty container starts a new line at the outer depth (pretty only).
 * Inline: the JSON dump calls these per field of every type.
 */
#ifndef BTFKIT_DUMP_JSON_WRITE_H
#define BTFKIT_DUMP_JSON_WRITE_H

#include "out.h"

/* Pretty only: a new line indented to the current depth. */
static inline void bk__json_eol(struct bk__out *o)
{
	if (!o->pretty)
		return;
	bk__out_char(o, '\n');
	for (int i = 0; i < o->depth; i++)
		bk__out_mem(o, "    ", 4);
}

/* Before a value or key: the pending separator. */
static inline void bk__json_sep(struct bk__out *o)
{
	if (o->sep)
		bk__out_char(o, o->sep);
	o->sep = ',';
}

/* '{' or '[' */
static inline void bk__json_open(struct bk__out *o, char c)
{
	bk__json_sep(o);
	bk__out_char(o, c);
	o->depth++;
	o->sep = 0;
}

/* '}' or ']' */
static inline void bk__json_close(struct bk__out *o, char c)
{
	o->depth--;
	if (o->sep)
		bk__json_eol(o);
	bk__out_char(o, c);
	o->sep = ',';
}

/* Everything of a key but its text: the caller writes that between the quotes. */
static inline void bk__json_key_start(struct bk__out *o)
{
	bk__json_sep(o);
	bk__json_eol(o);
	o->sep = 0;
	bk__out_char(o, '"');
}

static inline void bk__json_key_end(struct bk__out *o)
{
	bk__out_mem(o, "\": ", o->pretty ? 3 : 2);
}

static inline void bk__json_key(struct bk__out *o, const char *key)
{
	bk__json_key_start(o);
	bk__out_str(o, key);
	bk__json_key_end(o);
}

static inline void bk__json_u64(struct bk__out *o, uint64_t v)
{
	bk__json_sep(o);
	bk__out_u64(o, v);
}

static inline void bk__json_i64(struct bk__out *o, int64_t v)
{
	bk__json_sep(o);
	bk__out_i64(o, v);
}

static inline void bk__json_str(struct bk__out *o, const char *v)
{
	bk__json_sep(o);
	bk__out_json_str(o, v);
}

static inline void bk__json_bool(struct bk__out *o, bool v)
{
	bk__json_sep(o);
	bk__out_str(o, v ? "true" : "false");
}

static inline void bk__json_kv_u(struct bk__out *o, const char *key, uint64_t v)
{
	bk__json_key(o, key);
	bk__json_u64(o, v);
}

static inline void bk__json_kv_i(struct bk__out *o, const char *key, int64_t v)
{
	bk__json_key(o, key);
	bk__json_i64(o, v);
}

static inline void bk__json_kv_s(struct bk__out *o, const char *key, const char *v)
{
	bk__json_key(o, key);
	bk__json_str(o, v);
}

static inline void bk__json_kv_b(struct bk__out *o, const char *key, bool v)
{
	bk__json_key(o, key);
	bk__json_bool(o, v);
}

#endif
