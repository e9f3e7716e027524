// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * C declarators for the C emitter: "int (*name[4])(void *)" and the like.
 *
 * Algorithm: emit_decl(id, name) pushes the chain of types from id down to
 * its base type (through pointers, modifiers, arrays, function prototypes
 * and type tags) onto a stack, then emits it popping from the base type
 * outwards (emit_chain):
 *  - const/volatile/restrict directly above a base type print before it
 *    ("const int"); after a '*' they print after it ("int * const").
 *  - A pointer prints '*' (with a space unless after another '*').
 *  - An array with nothing left above prints "name[N]"; otherwise the rest
 *    of the chain goes in parentheses before "[N]" (none for an array of
 *    arrays): "int (*p)[3]", "int m[2][3]".
 *  - A function prototype puts the rest in " (...)" followed by the
 *    parameter list; no parameters or a single void one print "(void)",
 *    a trailing void parameter prints "...".
 *  - Modifiers directly above an array or prototype are dropped (GCC emits
 *    such meaningless qualifiers).
 *  - Anonymous structs, unions and enums print their definition inline.
 * Each call works on its own frame of the shared stack (indices, since the
 * stack may grow during nested calls); frames are bounded in length and
 * nesting is bounded by BK__CD_MAX_DEPTH. This file and c.c call each
 * other (anonymous definitions inside declarators, declarations inside
 * definitions): the recursion is C's own, bounded by that depth.
 */
#include <stdlib.h>

#include "c_int.h"

#define PREFIXES "\t\t\t\t\t\t\t\t\t\t\t\t"
#define MAX_FRAME 256

const char *bk__cd_pfx(int lvl)
{
	static const char pfx[] = PREFIXES;
	int n = (int)sizeof(pfx) - 1;

	return lvl >= n ? pfx : pfx + (n - lvl);
}

struct frame {
	uint32_t start, cnt;
};

static inline uint32_t top(struct bk_c_dumper *d, const struct frame *f)
{
	return d->decl_stack[f->start + f->cnt - 1];
}

static void emit_mods(struct bk_c_dumper *d, struct frame *f)
{
	while (f->cnt) {
		const struct bk_type *t = bk__cd_type(d, top(d, f));

		switch (bk_kind(t)) {
		case BK_KIND_VOLATILE:
			bk__cd_out(d, "volatile ");
			break;
		case BK_KIND_CONST:
			bk__cd_out(d, "const ");
			break;
		case BK_KIND_RESTRICT:
			bk__cd_out(d, "restrict ");
			break;
		default:
			return;
		}
		f->cnt--;
	}
}

static void drop_mods(struct bk_c_dumper *d, struct frame *f)
{
	while (f->cnt && bk_is_mod(bk__cd_type(d, top(d, f))))
		f->cnt--;
}

static void emit_name(struct bk_c_dumper *d, const char *name, bool last_was_ptr)
{
	if (name[0] && !last_was_ptr)
		bk__cd_outc(d, ' ');
	bk__cd_out(d, name);
}

static void emit_u(struct bk_c_dumper *d, uint64_t v)
{
	if (!d->quiet)
		bk__out_u64(d->o, v);
}

static void emit_chain(struct bk_c_dumper *d, struct frame *f, const char *fname, int lvl);

/* Nested emit_chain for the rest of a frame, counted in the depth bound. */
static void emit_chain_in(struct bk_c_dumper *d, struct frame *f, const char *fname, int lvl)
{
	if (d->depth >= BK__CD_MAX_DEPTH) {
		bk__cd_failf(d, -ELOOP, "declarations nest deeper than %d levels", BK__CD_MAX_DEPTH);
		f->cnt = 0;
		return;
	}
	d->depth++;
	emit_chain(d, f, fname, lvl);
	d->depth--;
}

static void emit_chain(struct bk_c_dumper *d, struct frame *f, const char *fname, int lvl)
{
	bool last_was_ptr = true;

	while (f->cnt) {
		uint32_t id = d->decl_stack[f->start + --f->cnt];
		const struct bk_type *t;
		unsigned kind;

		if (id == 0) {
			emit_mods(d, f);
			bk__cd_out(d, "void");
			last_was_ptr = false;
			continue;
		}
		t = bk__cd_type(d, id);
		kind = bk_kind(t);
		switch (kind) {
		case BK_KIND_INT:
		case BK_KIND_FLOAT:
			emit_mods(d, f);
			bk__cd_out(d, bk__cd_str(d, t->name_off));
			break;
		case BK_KIND_STRUCT:
		case BK_KIND_UNION:
			emit_mods(d, f);
			if (!t->name_off)
				bk__cd_struct_def(d, id, t, lvl);
			else
				bk__cd_struct_fwd(d, id, t);
			break;
		case BK_KIND_ENUM:
		case BK_KIND_ENUM64:
			emit_mods(d, f);
			if (!t->name_off) {
				bk__cd_enum_def(d, id, t, lvl);
			} else {
				bk__cd_out(d, "enum ");
				bk__cd_out(d, bk__cd_type_name(d, id));
			}
			break;
		case BK_KIND_FWD:
			emit_mods(d, f);
			bk__cd_fwd_def(d, id, t);
			break;
		case BK_KIND_TYPEDEF:
			emit_mods(d, f);
			bk__cd_out(d, bk__cd_ident_name(d, id));
			break;
		case BK_KIND_PTR:
			bk__cd_out(d, last_was_ptr ? "*" : " *");
			break;
		case BK_KIND_VOLATILE:
			bk__cd_out(d, " volatile");
			break;
		case BK_KIND_CONST:
			bk__cd_out(d, " const");
			break;
		case BK_KIND_RESTRICT:
			bk__cd_out(d, " restrict");
			break;
		case BK_KIND_TYPE_TAG:
			emit_mods(d, f);
			if (bk_kflag(t)) {
				bk__cd_out(d, " __attribute__((");
				bk__cd_out(d, bk__cd_str(d, t->name_off));
				bk__cd_out(d, "))");
			} else {
				bk__cd_out(d, " __attribute__((btf_type_tag(\"");
				bk__cd_out(d, bk__cd_str(d, t->name_off));
				bk__cd_out(d, "\")))");
			}
			break;
		case BK_KIND_ARRAY: {
			const struct bk_array *a = bk_array_of(t);
			bool multidim;

			drop_mods(d, f);
			if (!f->cnt) {
				emit_name(d, fname, last_was_ptr);
			} else {
				multidim = bk_kind(bk__cd_type(d, top(d, f))) == BK_KIND_ARRAY;
				if (fname[0] && !last_was_ptr)
					bk__cd_outc(d, ' ');
				if (!multidim)
					bk__cd_outc(d, '(');
				emit_chain_in(d, f, fname, lvl);
				if (!multidim)
					bk__cd_outc(d, ')');
			}
			bk__cd_outc(d, '[');
			emit_u(d, a->nelems);
			bk__cd_outc(d, ']');
			return;
		}
		case BK_KIND_FUNC_PROTO: {
			const struct bk_param *p = bk_params(t);
			unsigned vlen = bk_vlen(t);

			drop_mods(d, f);
			if (f->cnt) {
				bk__cd_out(d, " (");
				emit_chain_in(d, f, fname, lvl);
				bk__cd_outc(d, ')');
			} else {
				emit_name(d, fname, last_was_ptr);
			}
			bk__cd_outc(d, '(');
			if (vlen == 0 || (vlen == 1 && p->type == 0)) {
				bk__cd_out(d, "void)");
				return;
			}
			for (unsigned i = 0; i < vlen; i++, p++) {
				if (i > 0)
					bk__cd_out(d, ", ");
				if (i == vlen - 1 && p->type == 0) {
					bk__cd_out(d, "...");
					break;
				}
				bk__cd_emit_decl(d, p->type, bk__cd_str(d, p->name_off), lvl);
			}
			bk__cd_outc(d, ')');
			return;
		}
		default:
			/* not a declarator kind (FUNC, VAR, ...): stop here */
			return;
		}
		last_was_ptr = kind == BK_KIND_PTR;
	}
	emit_name(d, fname, last_was_ptr);
}

static int push(struct bk_c_dumper *d, uint32_t id)
{
	if (d->decl_cnt == d->decl_cap &&
	    bk__grow((void **)&d->decl_stack, &d->decl_cap, d->decl_cnt + 1, sizeof(*d->decl_stack), 64))
		return -ENOMEM;
	d->decl_stack[d->decl_cnt++] = id;
	return 0;
}

void bk__cd_emit_decl(struct bk_c_dumper *d, uint32_t id, const char *fname, int lvl)
{
	struct frame f = { d->decl_cnt, 0 };
	int err;

	if (!bk__cd_enter(d, id, "declarations"))
		return;
	for (;;) {
		const struct bk_type *t = bk__cd_type(d, id);

		if (d->decl_cnt - f.start >= MAX_FRAME) {
			bk__cd_failf(d, -ELOOP, "declarator chain longer than %d types, a pointer or modifier cycle? (type [%u])",
				     MAX_FRAME, id);
			goto out;
		}
		if ((err = push(d, id))) {
			bk__cd_fail(d, err);
			goto out;
		}
		if (id == 0)
			break;
		switch (bk_kind(t)) {
		case BK_KIND_PTR:
		case BK_KIND_VOLATILE:
		case BK_KIND_CONST:
		case BK_KIND_RESTRICT:
		case BK_KIND_FUNC_PROTO:
		case BK_KIND_TYPE_TAG:
			id = t->type;
			continue;
		case BK_KIND_ARRAY:
			id = bk_array_of(t)->type;
			continue;
		default:
			break;
		}
		break;
	}
	f.cnt = d->decl_cnt - f.start;
	d->depth++;
	emit_chain(d, &f, fname, lvl);
	d->depth--;
out:
	d->decl_cnt = f.start;
}
