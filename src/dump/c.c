// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * C emitter: prints BTF as C type definitions, byte for byte like libbpf's
 * btf_dump as used by "bpftool btf dump file F format c" (bpftool 7.1).
 *
 * A dumper (struct bk_c_dumper, c_int.h; the object and the entry points
 * are in c_dumper.c) is incremental: each emit call orders the requested
 * types and their dependencies (c_order.c), then emits the queue here;
 * anything emitted by an earlier call is not repeated.
 *
 * This file and c_decl.c call each other, by the nature of C: a
 * declaration may hold a definition (an anonymous struct printed inline)
 * and a definition holds declarations (its members). It is the one circle
 * between files that scripts/check-layers allows.
 *
 * Emission (emit_type, with cont_id the containing struct or 0 at top
 * level):
 *  - A struct/union reached again while being emitted gets a forward
 *    declaration "struct X;" (unless it is its own container); a typedef
 *    reached again while being emitted is printed early (it serves as its
 *    own forward declaration).
 *  - At top level a struct/union first emits what its members need (an
 *    anonymous one passes the outer container on), then its definition.
 *    Elsewhere a named struct only gets a forward declaration; anonymous
 *    ones are printed inline by the declarator (c_decl.c).
 *  - Enums are defined at top level only; FWD prints "struct X;".
 *  - Typedef __builtin_va_list is never printed; a __gnuc_va_list typedef
 *    of void becomes "typedef __builtin_va_list __gnuc_va_list".
 * Struct layout: "packed" when a plain member is misaligned or the size is
 * not a multiple of the alignment; gaps are filled with anonymous
 * bitfields (emit_padding; a member past the struct's end is -EINVAL and
 * more than 2^20 padding lines in one dumper's life -E2BIG, checked before
 * a gap is printed, so hostile sizes cannot make the output explode: a
 * real vmlinux needs about 5,000). With enum_size_attrs (newer libbpf; bpftool 7.1
 * does not), enums of size 1 get mode(byte), of size 8 (on 64-bit)
 * mode(word) unless a value needs 64 bits anyway.
 * The switches over kinds here and in c_decl.c, c_order.c and c_multi.c
 * are C's own per-kind rules (what a kind prints as, what it needs
 * first); facts of the records come from the kind table (src/core/kind.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "c_int.h"

static void out_u(struct bk_c_dumper *d, uint64_t v)
{
	if (!d->quiet)
		bk__out_u64(d->o, v);
}

static void out_i(struct bk_c_dumper *d, int64_t v)
{
	if (!d->quiet)
		bk__out_i64(d->o, v);
}

/* ---- layout: libbpf's btf__align_of, through the core's one rule ------- */

/* The alignment, 0 when the type has none or hostile input defeats it. */
static int align_of(struct bk_c_dumper *d, uint32_t id)
{
	int a = bk__align(d->btf, id, d->ptr_sz, BK__CD_MAX_DEPTH, d->align);

	return a > 0 ? a : 0;
}

static bool is_packed(struct bk_c_dumper *d, const struct bk_type *t)
{
	const struct bk_member *m = bk_members(t);
	int max_align = 1;

	for (unsigned i = 0; i < bk_vlen(t); i++, m++) {
		int a = align_of(d, m->type);

		if (a && !bk_member_bitfield_size(t, m) && m->offset % (8u * (unsigned)a))
			return true;
		if (a > max_align)
			max_align = a;
	}
	return t->size % (unsigned)max_align != 0;
}

/* ---- definitions ------------------------------------------------------ */

static void pad_line(struct bk_c_dumper *d, int lvl, const char *type, int bits)
{
	bk__cd_outc(d, '\n');
	bk__cd_out(d, bk__cd_pfx(lvl));
	bk__cd_out(d, type);
	bk__cd_out(d, ": ");
	out_i(d, bits);
	bk__cd_outc(d, ';');
}

static int64_t roundup(int64_t v, int64_t to)
{
	return (v + to - 1) / to * to;
}

/*
 * Fill the gap [cur, next) bits with anonymous bitfields: pick the widest
 * of long/int/short/char whose alignment boundary after cur is not past
 * next; print an aligning "<type>: 0;" (or, inside a bitfield run, the
 * exact bit count) only where the compiler would not align by itself, then
 * whole "<type>: <width>;" chunks, the last with the smallest type that fits.
 */
#define MAX_PAD_LINES (1 << 20) /* per dumper, all gaps together */

static void emit_padding(struct bk_c_dumper *d, uint32_t id, int64_t cur, int64_t next,
			 int next_align, bool in_bitfield, int lvl)
{
	static const char *const names[] = { "long", "int", "short", "char" };
	int bits[] = { d->ptr_sz * 8, 32, 16, 8 };
	int64_t new_off = 0;
	int pad_bits = 0;
	const char *pad_type = NULL;
	int i;

	if (cur >= next)
		return;
	if (next_align < 1)
		next_align = 1; /* an alignless member type (void, function): no C layout */
	for (i = 0; i < 4; i++) {
		pad_bits = bits[i];
		pad_type = names[i];
		new_off = roundup(cur, pad_bits);
		if (new_off <= next)
			break;
	}
	if (new_off > cur && new_off <= next) {
		if (in_bitfield ||
		    (new_off == next && roundup(cur, (int64_t)next_align * 8) != new_off) ||
		    (new_off != next && next - new_off <= new_off - cur))
			pad_line(d, lvl, pad_type, in_bitfield ? (int)(new_off - cur) : 0);
		cur = new_off;
	}
	/* the loop prints ceil((next - cur) / pad_bits) lines: refuse first */
	if (d->pad_lines + (uint64_t)((next - cur + pad_bits - 1) / pad_bits) > MAX_PAD_LINES) {
		bk__cd_failf(d, -E2BIG,
			     "padding of %lld bits takes the dump past %d padding lines (type [%u])",
			     (long long)(next - cur), MAX_PAD_LINES, id);
		return;
	}
	while (cur != next) {
		int64_t chunk = next - cur < pad_bits ? next - cur : pad_bits;

		d->pad_lines++;

		if (chunk == pad_bits) {
			pad_line(d, lvl, pad_type, pad_bits);
			cur += chunk;
			continue;
		}
		for (i = 3; i >= 0; i--) {
			if (bits[i] < chunk)
				continue;
			pad_line(d, lvl, names[i], (int)chunk);
			cur += chunk;
			break;
		}
		if (i < 0)
			break;
	}
}

void bk__cd_struct_fwd(struct bk_c_dumper *d, uint32_t id, const struct bk_type *t)
{
	bk__cd_out(d, bk_kind(t) == BK_KIND_STRUCT ? "struct" : "union");
	if (t->name_off)
		bk__cd_outc(d, ' ');
	bk__cd_out(d, bk__cd_type_name(d, id));
}

void bk__cd_fwd_def(struct bk_c_dumper *d, uint32_t id, const struct bk_type *t)
{
	bk__cd_out(d, bk_kflag(t) ? "union " : "struct ");
	bk__cd_out(d, bk__cd_type_name(d, id));
}

void bk__cd_struct_def(struct bk_c_dumper *d, uint32_t id, const struct bk_type *t, int lvl)
{
	const struct bk_member *m = bk_members(t);
	bool is_struct = bk_kind(t) == BK_KIND_STRUCT;
	bool packed = is_struct && is_packed(d, t);
	bool prev_bitfield = false;
	unsigned vlen = bk_vlen(t);
	int align = align_of(d, id);
	int64_t off = 0;

	bk__cd_struct_fwd(d, id, t);
	bk__cd_out(d, " {");
	for (unsigned i = 0; i < vlen && !d->err; i++, m++) {
		uint32_t bsz = bk_member_bitfield_size(t, m);
		int64_t moff = bk_member_bit_offset(t, m);
		int malign = packed ? 1 : align_of(d, m->type);

		/* no C layout puts a member past the end: refuse, do not pad */
		if (moff + bsz > (int64_t)t->size * 8) {
			bk__cd_failf(d, -EINVAL, "member %u at bit %lld is past the end of the %u-byte %s (type [%u], member %u)",
				     i, (long long)moff, t->size, is_struct ? "struct" : "union", id, i);
			return;
		}

		emit_padding(d, id, off, moff, malign, prev_bitfield && bsz, lvl + 1);
		bk__cd_outc(d, '\n');
		bk__cd_out(d, bk__cd_pfx(lvl + 1));
		bk__cd_emit_decl(d, m->type, bk__cd_str(d, m->name_off), lvl + 1);
		if (bsz) {
			bk__cd_out(d, ": ");
			out_u(d, bsz);
			off = moff + bsz;
			prev_bitfield = true;
		} else {
			int64_t sz = bk__resolve_size(d->btf, m->type, 31);

			off = moff + (sz > 0 ? sz : 0) * 8;
			prev_bitfield = false;
		}
		bk__cd_outc(d, ';');
	}
	if (is_struct)
		emit_padding(d, id, off, (int64_t)t->size * 8, align, false, lvl + 1);
	if (vlen || t->size) {
		bk__cd_outc(d, '\n');
		bk__cd_out(d, bk__cd_pfx(lvl));
	}
	bk__cd_outc(d, '}');
	if (packed)
		bk__cd_out(d, " __attribute__((packed))");
}

static void enum_val_name(struct bk_c_dumper *d, uint32_t name_off, int lvl)
{
	const char *name = bk__cd_str(d, name_off);
	uint32_t dups = bk__cd_name_dups(d, &d->ident_names, name);

	bk__cd_outc(d, '\n');
	bk__cd_out(d, bk__cd_pfx(lvl + 1));
	bk__cd_out(d, name);
	if (dups > 1) {
		bk__cd_out(d, "___");
		out_u(d, dups);
	}
	bk__cd_out(d, " = ");
}

void bk__cd_enum_def(struct bk_c_dumper *d, uint32_t id, const struct bk_type *t, int lvl)
{
	unsigned vlen = bk_vlen(t);
	bool is_signed = bk_kflag(t);

	bk__cd_out(d, "enum");
	if (t->name_off)
		bk__cd_outc(d, ' ');
	bk__cd_out(d, bk__cd_type_name(d, id));
	if (!vlen)
		return;
	bk__cd_out(d, " {");
	for (unsigned i = 0; i < vlen; i++) {
		if (bk_kind(t) == BK_KIND_ENUM) {
			const struct bk_enum *e = bk_enums(t) + i;

			enum_val_name(d, e->name_off, lvl);
			if (is_signed)
				out_i(d, e->val);
			else
				out_u(d, (uint32_t)e->val);
		} else {
			const struct bk_enum64 *e = bk_enum64s(t) + i;
			uint64_t v = bk_enum64_value(e);

			enum_val_name(d, e->name_off, lvl);
			if (is_signed) {
				out_i(d, (int64_t)v);
				bk__cd_out(d, "LL");
			} else {
				out_u(d, v);
				bk__cd_out(d, "ULL");
			}
		}
		bk__cd_outc(d, ',');
	}
	bk__cd_outc(d, '\n');
	bk__cd_out(d, bk__cd_pfx(lvl));
	bk__cd_outc(d, '}');
	if (!d->enum_modes)
		return;
	if (t->size == 1) {
		bk__cd_out(d, " __attribute__((mode(byte)))");
	} else if (t->size == 8 && d->ptr_sz == 8) {
		bool word = true;

		if (bk_kind(t) == BK_KIND_ENUM64)
			for (unsigned i = 0; i < vlen && word; i++)
				word = bk_enum64s(t)[i].val_hi32 == 0;
		if (word)
			bk__cd_out(d, " __attribute__((mode(word)))");
	}
}

static bool is_blacklisted(struct bk_c_dumper *d, const struct bk_type *t)
{
	return t->name_off && !strcmp(bk__cd_str(d, t->name_off), "__builtin_va_list");
}

static void typedef_def(struct bk_c_dumper *d, uint32_t id, const struct bk_type *t, int lvl)
{
	const char *name = bk__cd_ident_name(d, id);

	if (t->type == 0 && !strcmp(name, "__gnuc_va_list")) {
		bk__cd_out(d, "typedef __builtin_va_list __gnuc_va_list");
		return;
	}
	bk__cd_out(d, "typedef ");
	bk__cd_emit_decl(d, t->type, name, lvl);
}

/* GCC's arm64 __PolyN_t types are built in: give other compilers a typedef. */
static void missing_aliases(struct bk_c_dumper *d, uint32_t id)
{
	static const char *const aliases[][2] = {
		{ "__Poly8_t", "unsigned char" },
		{ "__Poly16_t", "unsigned short" },
		{ "__Poly64_t", "unsigned long long" },
		{ "__Poly128_t", "unsigned __int128" },
	};
	const char *name = bk__cd_type_name(d, id);

	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++) {
		if (!strcmp(name, aliases[i][0])) {
			bk__cd_out(d, "typedef ");
			bk__cd_out(d, aliases[i][1]);
			bk__cd_outc(d, ' ');
			bk__cd_out(d, name);
			bk__cd_out(d, ";\n\n");
			break;
		}
	}
}


static void emit_type_in(struct bk_c_dumper *d, uint32_t id, uint32_t cont_id)
{
	if (!bk__cd_enter(d, id, "types"))
		return;
	d->depth++;
	bk__cd_emit_type(d, id, cont_id);
	d->depth--;
}

void bk__cd_emit_type(struct bk_c_dumper *d, uint32_t id, uint32_t cont_id)
{
	struct bk__cd_state *s = &d->st[id];
	bool top_level = cont_id == 0;
	const struct bk_type *t;
	unsigned kind;

	if (s->emit == BK__CD_EMITTED)
		return;
	t = bk__cd_type(d, id);
	kind = bk_kind(t);
	if (s->emit == BK__CD_EMITTING) {
		if (s->fwd_emitted)
			return;
		switch (kind) {
		case BK_KIND_STRUCT:
		case BK_KIND_UNION:
			if (id == cont_id)
				return;
			if (!t->name_off)
				return; /* anonymous struct loop */
			bk__cd_struct_fwd(d, id, t);
			bk__cd_out(d, ";\n\n");
			s->fwd_emitted = 1;
			break;
		case BK_KIND_TYPEDEF:
			if (!is_blacklisted(d, t)) {
				typedef_def(d, id, t, 0);
				bk__cd_out(d, ";\n\n");
			}
			s->fwd_emitted = 1;
			break;
		default:
			break;
		}
		return;
	}

	switch (kind) {
	case BK_KIND_INT:
		missing_aliases(d, id);
		s->emit = BK__CD_EMITTED;
		break;
	case BK_KIND_ENUM:
	case BK_KIND_ENUM64:
		if (top_level) {
			bk__cd_enum_def(d, id, t, 0);
			bk__cd_out(d, ";\n\n");
		}
		s->emit = BK__CD_EMITTED;
		break;
	case BK_KIND_PTR:
	case BK_KIND_VOLATILE:
	case BK_KIND_CONST:
	case BK_KIND_RESTRICT:
	case BK_KIND_TYPE_TAG:
		emit_type_in(d, t->type, cont_id);
		break;
	case BK_KIND_ARRAY:
		emit_type_in(d, bk_array_of(t)->type, cont_id);
		break;
	case BK_KIND_FWD:
		bk__cd_fwd_def(d, id, t);
		bk__cd_out(d, ";\n\n");
		s->emit = BK__CD_EMITTED;
		break;
	case BK_KIND_TYPEDEF:
		s->emit = BK__CD_EMITTING;
		emit_type_in(d, t->type, id);
		if (!s->fwd_emitted && !is_blacklisted(d, t)) {
			typedef_def(d, id, t, 0);
			bk__cd_out(d, ";\n\n");
		}
		s->emit = BK__CD_EMITTED;
		break;
	case BK_KIND_STRUCT:
	case BK_KIND_UNION:
		s->emit = BK__CD_EMITTING;
		if (top_level || !t->name_off) {
			const struct bk_member *m = bk_members(t);
			uint32_t new_cont = t->name_off ? id : cont_id;

			for (unsigned i = 0; i < bk_vlen(t); i++, m++)
				emit_type_in(d, m->type, new_cont);
		} else if (!s->fwd_emitted && id != cont_id) {
			bk__cd_struct_fwd(d, id, t);
			bk__cd_out(d, ";\n\n");
			s->fwd_emitted = 1;
		}
		if (top_level) {
			bk__cd_struct_def(d, id, t, 0);
			bk__cd_out(d, ";\n\n");
			s->emit = BK__CD_EMITTED;
		} else {
			s->emit = BK__CD_NOT_EMITTED;
		}
		break;
	case BK_KIND_FUNC_PROTO: {
		const struct bk_param *p = bk_params(t);

		emit_type_in(d, t->type, cont_id);
		for (unsigned i = 0; i < bk_vlen(t); i++, p++)
			emit_type_in(d, p->type, cont_id);
		break;
	}
	default:
		break;
	}
}
