// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Emitting a scanned unit: its entries become BTF records appended to the
 * batch's object, in entry order (one ID each; aliases and void stand-ins
 * take none), and its candidates go to the batch's tables with type IDs.
 *
 * Records are written through the writer's internals (reserve, string
 * insertion with dedup, commit: src/write/write_int.h) rather than its
 * public adders, because DWARF refers forward: every ID of the unit is
 * known before its first record is written, so a record may name a type
 * written after it. Once the unit's last record is in, every reference is
 * to an existing type again, which is the invariant the writer, dedup and
 * serializer rely on; a failure in between fails the whole encode.
 *
 * The choices made here follow pahole (PAHOLE-REFERENCE.md A.2-A.8):
 * arrays flattened with the unit's "int" as index type (made up when the
 * unit has none), enums over 4 bytes as ENUM64 when enabled, DWARF 2/3
 * bitfield offsets converted, bitfield structs with kflag.
 */
#include <stdio.h>
#include <stdlib.h>

#include "enc_int.h"
#include "write/write_int.h"

#define NONE UINT32_MAX

static struct ent *ent_at(struct scan *s, uint32_t i)
{
	return &ARR_AT(&s->ents, struct ent, i);
}

static int bad_ref(struct scan *s, uint64_t from, uint64_t ref, const char *what)
{
	return bk__diag(s->diag, -EINVAL, "unit 0x%llx, DIE 0x%llx: %s DIE 0x%llx, which is not a type",
			(unsigned long long)s->e->f.units[s->unit].off, (unsigned long long)(from & ~KEY_TYPES),
			what, (unsigned long long)(ref & ~KEY_TYPES));
}

/* The entry ref names, through aliases; NONE for void. */
static int ref_ent(struct scan *s, uint64_t from, uint64_t ref, uint32_t *out)
{
	for (size_t n = 0;; n++) {
		uint32_t i;
		struct ent *e;

		if (!ref) {
			*out = NONE;
			return 0;
		}
		if (IS_ENT(ref))
			i = (uint32_t)(ref & ~REF_ENT);
		else if ((i = bk__enc_keymap_get(&s->map, ref)) == NONE)
			return bad_ref(s, from, ref, "refers to");
		e = ent_at(s, i);
		if (e->kind == E_VOID) {
			*out = NONE;
			return 0;
		}
		if (e->kind != E_ALIAS) {
			*out = i;
			return 0;
		}
		if (n > s->ents.cnt)
			return bad_ref(s, from, ref, "a loop of qualifiers at");
		ref = e->ref;
	}
}

static int ref_id(struct scan *s, uint64_t from, uint64_t ref, uint32_t *id)
{
	uint32_t i;
	int err = ref_ent(s, from, ref, &i);

	if (!err)
		*id = i == NONE ? 0 : ARR_AT(&s->ids, uint32_t, i);
	return err;
}

/* Byte size of the type ref names, through typedefs and qualifiers (0 unknown). */
static uint32_t ref_size(struct scan *s, uint64_t ref)
{
	for (size_t n = 0; n <= s->ents.cnt; n++) {
		uint32_t i;
		struct ent *e;

		if (ref_ent(s, 0, ref, &i) || i == NONE)
			return 0;
		e = ent_at(s, i);
		switch (e->kind) {
		case BK_KIND_TYPEDEF: case BK_KIND_CONST: case BK_KIND_VOLATILE:
		case BK_KIND_RESTRICT: case BK_KIND_TYPE_TAG:
			ref = e->ref;
			continue;
		case BK_KIND_PTR:
			return s->e->f.elf_class;
		default:
			return e->size;
		}
	}
	return 0;
}

/* Whether an enum's underlying type (ref) is a signed integer. */
static bool ref_signed(struct scan *s, uint64_t ref)
{
	for (size_t n = 0; n <= s->ents.cnt; n++) {
		uint32_t i;
		struct ent *e;

		if (ref_ent(s, 0, ref, &i) || i == NONE)
			return false;
		e = ent_at(s, i);
		if (e->kind == BK_KIND_INT)
			return (e->data >> 24) & BK_INT_SIGNED;
		if (e->kind != BK_KIND_TYPEDEF && e->kind != BK_KIND_CONST && e->kind != BK_KIND_VOLATILE)
			return false;
		ref = e->ref;
	}
	return false;
}

static int add_str(struct scan *s, const char *str, uint32_t *off)
{
	int err = bk__enc_bstrs_off(s->strs, str, off);

	if (err)
		return bk__diag(s->diag, err, "cannot add a string: %s", bk_strerror(err));
	return 0;
}

/* Room for a record of sz bytes: its address (valid until the next reserve). */
static int begin(struct scan *s, struct bk_btf *btf, size_t sz, struct bk_type **t)
{
	int err = bk__write_reserve(btf, sz, 1);

	*t = NULL;
	if (err)
		return bk__diag(s->diag, err, "cannot add a type: %s", bk_strerror(err));
	*t = (struct bk_type *)(btf->types + btf->types_len);
	return 0;
}

struct mem {
	uint32_t name, type, off, bits;
};

static int cmp_mem(const void *a, const void *b)
{
	const struct mem *x = a, *y = b;

	return x->off < y->off ? -1 : x->off > y->off;
}

static int emit_members(struct scan *s, const struct ent *e, struct bk_type *t)
{
	struct bk_member *m = (struct bk_member *)(t + 1);
	struct mem *ms;
	bool kflag = false;
	uint32_t ki = e->kids, n = 0;
	int err;

	s->tmp.cnt = 0;
	for (; ki != NONE; ki = ARR_AT(&s->kids, struct kid, ki).next) {
		const struct kid *k = &ARR_AT(&s->kids, struct kid, ki);
		uint64_t off = k->bit_off;
		struct mem *x = bk__enc_arr_push(&s->tmp, sizeof(*x));

		if (!x)
			return bk__diag(s->diag, -ENOMEM, "out of memory");
		if (k->dw2) {
			uint64_t unit = 8 * (uint64_t)(k->dw2_size ? k->dw2_size : ref_size(s, k->ref));

			off = s->e->f.big_endian ? off * 8 + k->dw2_off
						 : off * 8 + unit - k->dw2_off - k->bits;
		}
		if ((err = ref_id(s, e->key, k->ref, &x->type)) || (err = add_str(s, k->name, &x->name)))
			return err;
		if (k->bits > 255 || off > UINT32_MAX)
			return bk__diag(s->diag, -E2BIG, "unit 0x%llx, DIE 0x%llx: member %u: bit offset %llu or size %u out of BTF's range",
					(unsigned long long)s->e->f.units[s->unit].off,
					(unsigned long long)(e->key & ~KEY_TYPES), n,
					(unsigned long long)off, k->bits);
		x->off = (uint32_t)off;
		x->bits = k->bits;
		kflag |= k->bits || off % 8;
		n++;
	}
	ms = s->tmp.p;
	if (s->rust && n > 1)
		qsort(ms, n, sizeof(*ms), cmp_mem); /* Rust reorders fields; BTF wants layout order */
	for (uint32_t i = 0; i < n; i++) {
		if (kflag && ms[i].off > 0xffffff)
			return bk__diag(s->diag, -E2BIG, "unit 0x%llx, DIE 0x%llx: member %u at bit %u of a struct with bitfields (BTF allows 2^24)",
					(unsigned long long)s->e->f.units[s->unit].off,
					(unsigned long long)(e->key & ~KEY_TYPES), i, ms[i].off);
		m[i].name_off = ms[i].name;
		m[i].type = ms[i].type;
		m[i].offset = kflag ? ms[i].bits << 24 | ms[i].off : ms[i].off;
	}
	t->info = bk_info(bk_kind(t), n, kflag);
	return 0;
}

static int emit_enum(struct scan *s, const struct ent *e, struct bk_type *t)
{
	bool e64 = bk_kind(t) == BK_KIND_ENUM64, neg = false;
	uint32_t *w = (uint32_t *)(t + 1), n = 0;
	int err;

	for (uint32_t ki = e->kids; ki != NONE; ki = ARR_AT(&s->kids, struct kid, ki).next) {
		const struct kid *k = &ARR_AT(&s->kids, struct kid, ki);
		uint32_t name;

		if ((err = add_str(s, k->name, &name)))
			return err;
		*w++ = name;
		*w++ = (uint32_t)k->ref;
		if (e64)
			*w++ = (uint32_t)(k->ref >> 32);
		neg |= k->neg;
		n++;
	}
	if (e64)
		t->info = bk_info(BK_KIND_ENUM64, n, ref_signed(s, e->ref) || neg);
	else
		t->info = bk_info(BK_KIND_ENUM, n, neg);
	return 0;
}

static int emit_proto(struct scan *s, const struct ent *e, struct bk_type *t)
{
	struct bk_param *p = (struct bk_param *)(t + 1);
	int err;

	for (uint32_t ki = e->kids; ki != NONE; ki = ARR_AT(&s->kids, struct kid, ki).next, p++) {
		const struct kid *k = &ARR_AT(&s->kids, struct kid, ki);

		if ((err = add_str(s, k->name, &p->name_off)) ||
		    (err = ref_id(s, e->key, k->ref, &p->type)))
			return err;
	}
	return 0;
}

/* Payload bytes after the 12-byte head. */
static size_t payload(const struct ent *e, unsigned kind)
{
	switch (kind) {
	case BK_KIND_INT: case BK_KIND_DECL_TAG: return 4;
	case BK_KIND_ARRAY: return 12;
	case BK_KIND_STRUCT: case BK_KIND_UNION: return 12 * (size_t)e->nkids;
	case BK_KIND_ENUM: return 8 * (size_t)e->nkids;
	case BK_KIND_ENUM64: return 12 * (size_t)e->nkids;
	case BK_KIND_FUNC_PROTO: return 8 * (size_t)e->nkids;
	default: return 0;
	}
}

static int emit_ent(struct scan *s, struct bk_btf *btf, uint32_t i)
{
	const struct ent *e = ent_at(s, i);
	unsigned kind = e->kind;
	struct bk_type *t;
	struct ent decl;
	uint32_t name, ref = 0;
	int err;

	if (kind == BK_KIND_ENUM && !e->data) {
		/* a declaration: an ENUM without values */
		memset(&decl, 0, sizeof(decl));
		decl.name = e->name;
		decl.size = e->size;
		decl.kids = NONE;
		e = &decl;
	} else if (kind == BK_KIND_ENUM && e->size > 4 && (s->e->features & BK_ENC_ENUM64)) {
		kind = BK_KIND_ENUM64;
	}
	if ((err = add_str(s, e->name, &name)))
		return err;
	if (kind != BK_KIND_ARRAY && kind != BK_KIND_STRUCT && kind != BK_KIND_UNION &&
	    kind != BK_KIND_ENUM && kind != BK_KIND_ENUM64 && kind != BK_KIND_INT &&
	    kind != BK_KIND_FLOAT && kind != BK_KIND_FWD && (err = ref_id(s, e->key, e->ref, &ref)))
		return err;
	if ((err = begin(s, btf, sizeof(*t) + payload(e, kind), &t)))
		return err;
	t->name_off = name;
	t->info = bk_info(kind, 0, e->kflag);
	t->size = e->size;
	switch (kind) {
	case BK_KIND_INT:
		*(uint32_t *)(t + 1) = e->data;
		break;
	case BK_KIND_ENUM: case BK_KIND_ENUM64:
		if (kind == BK_KIND_ENUM && e->size != 1 && e->size != 2 && e->size != 4 && e->size != 8)
			t->size = 4;
		err = emit_enum(s, e, t);
		break;
	case BK_KIND_STRUCT: case BK_KIND_UNION:
		err = emit_members(s, e, t);
		break;
	case BK_KIND_ARRAY: {
		struct bk_array *a = (struct bk_array *)(t + 1);

		t->size = 0;
		a->nelems = e->dims ? e->size : 0;
		a->index_type = ARR_AT(&s->ids, uint32_t, s->int_ent);
		err = ref_id(s, e->key, e->ref, &a->type);
		break;
	}
	case BK_KIND_FUNC_PROTO:
		t->type = ref;
		t->info = bk_info(kind, e->nkids, false);
		err = emit_proto(s, e, t);
		break;
	case BK_KIND_DECL_TAG:
		t->type = ref;
		*(uint32_t *)(t + 1) = e->data;
		break;
	case BK_KIND_FLOAT: case BK_KIND_FWD:
		t->size = 0;
		if (kind == BK_KIND_FLOAT)
			t->size = e->size;
		break;
	default: /* PTR, TYPEDEF, qualifiers, TYPE_TAG */
		t->type = ref;
		break;
	}
	if (err)
		return err;
	bk__write_commit(btf, sizeof(*t) + payload(e, kind));
	return 0;
}

static int emit_cands(struct scan *s, struct cands *out)
{
	int err;

	for (size_t i = 0; i < s->funcs.cnt; i++) {
		const struct sfunc *f = &ARR_AT(&s->funcs, struct sfunc, i);
		struct fcand *fc;

		if (f->dead)
			continue;
		if (!(fc = bk__enc_arr_push(&out->funcs, sizeof(*fc))) ||
		    !(fc->name = bk__enc_arena_strdup(&out->strs, f->name)))
			goto nomem;
		fc->first_param = (uint32_t)out->params.cnt;
		fc->nr_params = f->nr_params;
		fc->first_tag = (uint32_t)out->tags.cnt;
		fc->nr_tags = f->nr_tags;
		fc->unit = s->unit;
		fc->die = f->die & ~KEY_TYPES;
		fc->flags = f->flags;
		if ((err = ref_id(s, f->die, f->ret, &fc->ret)))
			return err;
		for (uint32_t j = 0; j < f->nr_params; j++) {
			const struct sparam *sp = &ARR_AT(&s->params, struct sparam, f->first_param + j);
			struct fparam *p = bk__enc_arr_push(&out->params, sizeof(*p));

			if (!p || !(p->name = bk__enc_arena_strdup(&out->strs, sp->name)))
				goto nomem;
			p->reg = sp->reg;
			if ((err = ref_id(s, sp->die, sp->type, &p->type)))
				return err;
		}
		for (uint32_t j = 0; j < f->nr_tags; j++) {
			struct ftag *t = bk__enc_arr_push(&out->tags, sizeof(*t));

			if (!t)
				goto nomem;
			*t = ARR_AT(&s->tags, struct ftag, f->first_tag + j);
			if (!(t->value = bk__enc_arena_strdup(&out->strs, t->value)))
				goto nomem;
		}
	}
	for (size_t i = 0; i < s->vars.cnt; i++) {
		const struct svar *v = &ARR_AT(&s->vars, struct svar, i);
		struct vcand *vc;

		if (v->sym == NONE)
			continue;
		if (!(vc = bk__enc_arr_push(&out->vars, sizeof(*vc))))
			goto nomem;
		vc->off = v->off;
		vc->sym = v->sym;
		vc->first_tag = (uint32_t)out->tags.cnt;
		vc->nr_tags = v->nr_tags;
		vc->unit = s->unit;
		vc->die = v->die & ~KEY_TYPES;
		vc->external = v->external;
		if ((err = ref_id(s, v->die, v->type, &vc->type)))
			return err;
		for (uint32_t j = 0; j < v->nr_tags; j++) {
			struct ftag *t = bk__enc_arr_push(&out->tags, sizeof(*t));

			if (!t)
				goto nomem;
			*t = ARR_AT(&s->tags, struct ftag, v->first_tag + j);
			if (!(t->value = bk__enc_arena_strdup(&out->strs, t->value)))
				goto nomem;
		}
	}
	return 0;
nomem:
	return bk__diag(s->diag, -ENOMEM, "out of memory");
}

int bk__enc_emit_unit(struct scan *s, struct bk_btf *btf, struct bstrs *strs, struct cands *out)
{
	uint32_t next = bk_btf_type_cnt(btf);
	int err;

	if (s->int_ent == NONE) {
		for (size_t i = 0; i < s->ents.cnt; i++) {
			if (ent_at(s, i)->kind != BK_KIND_ARRAY)
				continue;
			/* an index type for the arrays: what pahole adds */
			struct ent *e = bk__enc_arr_push(&s->ents, sizeof(*e));

			if (!e)
				return bk__diag(s->diag, -ENOMEM, "out of memory");
			memset(e, 0, sizeof(*e));
			e->kind = BK_KIND_INT;
			e->name = "int";
			e->size = 4;
			e->data = BK_INT_SIGNED << 24 | 32;
			e->kids = e->last_kid = NONE;
			s->int_ent = (uint32_t)(s->ents.cnt - 1);
			break;
		}
	}
	s->ids.cnt = 0;
	for (size_t i = 0; i < s->ents.cnt; i++) {
		uint32_t *id = bk__enc_arr_push(&s->ids, sizeof(*id));

		if (!id)
			return bk__diag(s->diag, -ENOMEM, "out of memory");
		*id = ent_at(s, i)->kind >= E_ALIAS ? 0 : next++;
	}
	s->strs = strs;
	for (size_t i = 0; i < s->ents.cnt; i++) {
		if (ent_at(s, i)->kind >= E_ALIAS)
			continue;
		if ((err = emit_ent(s, btf, (uint32_t)i)))
			return err;
	}
	return emit_cands(s, out);
}
