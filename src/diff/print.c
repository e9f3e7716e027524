// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bk_diff_print: the differences as text or JSON.
 *
 * Text: one line per added ("+struct foo"), removed ("-union bar") or
 * changed ("~struct sk_buff") type, a changed type's differences below it,
 * tab-indented ("size: 232 -> 240", "+member x: int (offset 16)",
 * "~member cb: char [48] -> char [56]", "~member len: offset 104 -> 112",
 * "~value FOO: 2 -> 4", "prototype: int (void) -> long (void)"), then the
 * summary line "N added, N removed, N changed, N unchanged". Offsets are in
 * bytes, "byte:bit" for a bitfield. A name used more than once on a side
 * gets its IDs: "~struct controller [21315 -> 21400]".
 *
 * JSON: {"added":N,"removed":N,"changed":N,"unchanged":N,"types":[{"op",
 * "kind","name","old_id","new_id","ambiguous","changes":[{"what","name",
 * "old","new","offset"}]}]}; "what" is the lower-case name of enum
 * bk_diff_what (size, declaration, member_added, ...), offsets in bits.
 */
#include <stdlib.h>

#include "diff_int.h"
#include "dump/json_write.h"

static const char *const what_names[] = {
	[BK_DIFF_SIZE] = "size",
	[BK_DIFF_DECLARATION] = "declaration",
	[BK_DIFF_MEMBER_ADDED] = "member_added",
	[BK_DIFF_MEMBER_REMOVED] = "member_removed",
	[BK_DIFF_MEMBER_RETYPED] = "member_retyped",
	[BK_DIFF_MEMBER_MOVED] = "member_moved",
	[BK_DIFF_VALUE_ADDED] = "value_added",
	[BK_DIFF_VALUE_REMOVED] = "value_removed",
	[BK_DIFF_VALUE_CHANGED] = "value_changed",
	[BK_DIFF_SIGNEDNESS] = "signedness",
	[BK_DIFF_PROTO] = "prototype",
	[BK_DIFF_LINKAGE] = "linkage",
	[BK_DIFF_TYPE] = "type",
	[BK_DIFF_ENCODING] = "encoding",
};

static void offset(struct bk__lbuf *b, int64_t bits)
{
	if (bits % 8)
		bk__lbuf_printf(b, "%lld:%lld", (long long)(bits / 8), (long long)(bits % 8));
	else
		bk__lbuf_printf(b, "%lld", (long long)(bits / 8));
}

static void text_change(struct bk__lbuf *b, const struct bk_diff_change *c)
{
	bk__lbuf_str(b, "\t");
	switch (c->what) {
	case BK_DIFF_SIZE:
		bk__lbuf_printf(b, "size: %lld -> %lld", (long long)c->old_v, (long long)c->new_v);
		break;
	case BK_DIFF_DECLARATION:
		bk__lbuf_str(b, c->old_v ? "declaration: defined -> declared only" :
					  "declaration: declared only -> defined");
		break;
	case BK_DIFF_MEMBER_ADDED:
	case BK_DIFF_MEMBER_REMOVED: {
		bool add = c->what == BK_DIFF_MEMBER_ADDED;

		bk__lbuf_printf(b, "%cmember ", add ? '+' : '-');
		bk__lbuf_str(b, c->name);
		bk__lbuf_str(b, ": ");
		bk__lbuf_str(b, add ? c->new_s : c->old_s);
		bk__lbuf_str(b, " (offset ");
		offset(b, add ? c->new_v : c->old_v);
		bk__lbuf_str(b, ")");
		break;
	}
	case BK_DIFF_MEMBER_RETYPED:
		bk__lbuf_str(b, "~member ");
		bk__lbuf_str(b, c->name);
		bk__lbuf_str(b, ": ");
		bk__lbuf_str(b, c->old_s);
		bk__lbuf_str(b, " -> ");
		bk__lbuf_str(b, c->new_s);
		break;
	case BK_DIFF_MEMBER_MOVED:
		bk__lbuf_str(b, "~member ");
		bk__lbuf_str(b, c->name);
		bk__lbuf_str(b, ": offset ");
		offset(b, c->old_v);
		bk__lbuf_str(b, " -> ");
		offset(b, c->new_v);
		break;
	case BK_DIFF_VALUE_ADDED:
	case BK_DIFF_VALUE_REMOVED:
		bk__lbuf_str(b, c->what == BK_DIFF_VALUE_ADDED ? "+value " : "-value ");
		bk__lbuf_str(b, c->name);
		bk__lbuf_printf(b, " = %lld", (long long)(c->what == BK_DIFF_VALUE_ADDED ? c->new_v : c->old_v));
		break;
	case BK_DIFF_VALUE_CHANGED:
		bk__lbuf_str(b, "~value ");
		bk__lbuf_str(b, c->name);
		bk__lbuf_printf(b, ": %lld -> %lld", (long long)c->old_v, (long long)c->new_v);
		break;
	case BK_DIFF_SIGNEDNESS:
		bk__lbuf_printf(b, "signed: %s -> %s", c->old_v ? "yes" : "no", c->new_v ? "yes" : "no");
		break;
	default:
		bk__lbuf_str(b, what_names[c->what]);
		bk__lbuf_str(b, ": ");
		bk__lbuf_str(b, c->old_s);
		bk__lbuf_str(b, " -> ");
		bk__lbuf_str(b, c->new_s);
		break;
	}
	bk__lbuf_str(b, "\n");
}

static void text_entry(struct bk__lbuf *b, const struct bk_diff_entry *e)
{
	bk__lbuf_printf(b, "%c%s ", e->op, bk_diff_kind_name(e->kind));
	bk__lbuf_str(b, e->name);
	if (e->ambiguous) {
		if (e->op == '~')
			bk__lbuf_printf(b, " [%u -> %u]", e->old_id, e->new_id);
		else
			bk__lbuf_printf(b, " [%u]", e->op == '+' ? e->new_id : e->old_id);
	}
	bk__lbuf_str(b, "\n");
	for (size_t i = 0; i < e->nr_changes; i++)
		text_change(b, &e->changes[i]);
}

static void json_change(struct bk__out *o, const struct bk_diff_change *c)
{
	bk__json_open(o, '{');
	bk__json_kv_s(o, "what", what_names[c->what]);
	if (c->name)
		bk__json_kv_s(o, "name", c->name);
	switch (c->what) {
	case BK_DIFF_MEMBER_ADDED:
		bk__json_kv_s(o, "new", c->new_s);
		bk__json_kv_i(o, "offset", c->new_v);
		break;
	case BK_DIFF_MEMBER_REMOVED:
		bk__json_kv_s(o, "old", c->old_s);
		bk__json_kv_i(o, "offset", c->old_v);
		break;
	case BK_DIFF_VALUE_ADDED:
		bk__json_kv_i(o, "new", c->new_v);
		break;
	case BK_DIFF_VALUE_REMOVED:
		bk__json_kv_i(o, "old", c->old_v);
		break;
	case BK_DIFF_DECLARATION:
	case BK_DIFF_SIGNEDNESS:
		bk__json_kv_b(o, "old", c->old_v);
		bk__json_kv_b(o, "new", c->new_v);
		break;
	case BK_DIFF_SIZE:
	case BK_DIFF_MEMBER_MOVED:
	case BK_DIFF_VALUE_CHANGED:
		bk__json_kv_i(o, "old", c->old_v);
		bk__json_kv_i(o, "new", c->new_v);
		break;
	default:
		bk__json_kv_s(o, "old", c->old_s);
		bk__json_kv_s(o, "new", c->new_s);
		break;
	}
	bk__json_close(o, '}');
}

static void json_entry(struct bk__out *o, const struct bk_diff_entry *e)
{
	char op[2] = { e->op, 0 };

	bk__json_open(o, '{');
	bk__json_kv_s(o, "op", op);
	bk__json_kv_s(o, "kind", bk_diff_kind_name(e->kind));
	bk__json_kv_s(o, "name", e->name);
	bk__json_kv_u(o, "old_id", e->old_id);
	bk__json_kv_u(o, "new_id", e->new_id);
	bk__json_kv_b(o, "ambiguous", e->ambiguous);
	if (e->op == '~') {
		bk__json_key(o, "changes");
		bk__json_open(o, '[');
		for (size_t i = 0; i < e->nr_changes; i++)
			json_change(o, &e->changes[i]);
		bk__json_close(o, ']');
	}
	bk__json_close(o, '}');
}

int bk_diff_print(const struct bk_diff *d, const struct bk_sink *sink, enum bk_diff_format format)
{
	size_t counts[3] = { 0 }, n = bk_diff_count(d);
	struct bk__out *o = malloc(sizeof(*o));
	struct bk__lbuf b = { 0 };
	int err;

	if (!o)
		return -ENOMEM;
	bk__out_init(o, sink, 0); /* on failure o->err says so; o stays safe to use */
	for (size_t i = 0; i < n; i++) {
		const struct bk_diff_entry *e = bk_diff_entry(d, i);

		counts[e->op == '+' ? 0 : e->op == '-' ? 1 : 2]++;
	}
	if (format == BK_DIFF_JSON) {
		bk__json_open(o, '{');
		bk__json_kv_u(o, "added", counts[0]);
		bk__json_kv_u(o, "removed", counts[1]);
		bk__json_kv_u(o, "changed", counts[2]);
		bk__json_kv_u(o, "unchanged", bk_diff_unchanged(d));
		bk__json_key(o, "types");
		bk__json_open(o, '[');
		for (size_t i = 0; i < n; i++)
			json_entry(o, bk_diff_entry(d, i));
		bk__json_close(o, ']');
		bk__json_close(o, '}');
		bk__out_char(o, '\n');
	} else {
		for (size_t i = 0; i < n && !b.err; i++) {
			b.len = 0;
			text_entry(&b, bk_diff_entry(d, i));
			if (!b.err)
				bk__out_mem(o, b.p, b.len);
		}
		b.len = 0;
		bk__lbuf_printf(&b, "%zu added, %zu removed, %zu changed, %zu unchanged\n", counts[0], counts[1],
			    counts[2], bk_diff_unchanged(d));
		if (!b.err)
			bk__out_mem(o, b.p, b.len);
	}
	bk__out_flush(o);
	err = b.err ? b.err : o->err;
	free(b.p);
	bk__out_free(o);
	free(o);
	return err;
}
