// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Scanning one unit: a walk over its DIE tree that turns every type DIE
 * into an entry (struct ent: one BTF type each, in DIE order, with its
 * members, enumerators or parameters as kids), and every function
 * definition and per-CPU variable into a candidate for the end
 * (docs/encode.md has the mapping, kind by kind).
 *
 * The walk keeps a stack of frames saying what the children of each open
 * DIE are: a scope (types, functions, variables), a struct's members, an
 * enum's enumerators, a prototype's parameters, an array's dimensions, a
 * pointer's btf_type_tag annotations... Types found anywhere in a scope,
 * function bodies included, are entries (pahole keeps them all: no pruning
 * by reachability). References are kept as DIE keys and resolved when the
 * unit is emitted, since DWARF refers forward.
 *
 * DIEs of other units (DW_FORM_ref_addr, type units by signature, units
 * pulled in with DW_TAG_imported_unit, as dwz and -fdebug-types-section
 * make) are encoded as part of the unit that refers to them: the walk
 * queues them and then walks each one's subtree with the same frames, so a
 * unit's entries are self-contained and dedup merges the copies.
 *
 * Bounds: the frame stack is at most MAX_DEPTH deep; reference chains
 * (abstract origins, specifications) are followed at most MAX_CHAIN steps.
 */
#include <stdio.h>
#include <stdlib.h>

#include "scan_int.h"

#define MAX_DEPTH 1024

#define T_ARRAY 0x01
#define T_CLASS 0x02
#define T_ENUM 0x04
#define T_PARAM 0x05
#define T_MEMBER 0x0d
#define T_POINTER 0x0f
#define T_REFERENCE 0x10
#define T_COMPILE_UNIT 0x11
#define T_STRUCT 0x13
#define T_SUBROUTINE 0x15
#define T_TYPEDEF 0x16
#define T_UNION 0x17
#define T_UNSPEC_PARAMS 0x18
#define T_PTR_TO_MEMBER 0x1f
#define T_SUBRANGE 0x21
#define T_BASE 0x24
#define T_CONST 0x26
#define T_ENUMERATOR 0x28
#define T_SUBPROGRAM 0x2e
#define T_VARIABLE 0x34
#define T_VOLATILE 0x35
#define T_RESTRICT 0x37
#define T_INTERFACE 0x38
#define T_NAMESPACE 0x39
#define T_UNSPEC_TYPE 0x3b
#define T_PARTIAL_UNIT 0x3c
#define T_IMPORTED_UNIT 0x3d
#define T_RVALUE_REF 0x42
#define T_TEMPLATE_ALIAS 0x43
#define T_ATOMIC 0x47
#define T_IMMUTABLE 0x4b
#define T_ANNOTATION 0x6000

static struct ent *ent_at(struct scan *s, uint32_t i)
{
	return &ARR_AT(&s->ents, struct ent, i);
}

static int new_ent(struct scan *s, uint64_t key, uint8_t kind, const char *name, uint32_t *out)
{
	struct ent *e = bk__enc_arr_push(&s->ents, sizeof(*e));

	if (!e)
		return bk__scan_nomem(s);
	memset(e, 0, sizeof(*e));
	e->key = key;
	e->kind = kind;
	e->name = name;
	e->kids = e->last_kid = NONE;
	*out = (uint32_t)(s->ents.cnt - 1);
	if (key && bk__enc_keymap_put(&s->map, key, *out))
		return bk__scan_nomem(s);
	return 0;
}

static struct kid *new_kid(struct scan *s, uint32_t ent)
{
	struct kid *k = bk__enc_arr_push(&s->kids, sizeof(*k));
	uint32_t ki = (uint32_t)(s->kids.cnt - 1);
	struct ent *e = ent_at(s, ent);

	if (!k)
		return NULL;
	memset(k, 0, sizeof(*k));
	k->next = NONE;
	if (e->last_kid == NONE)
		e->kids = ki;
	else
		ARR_AT(&s->kids, struct kid, e->last_kid).next = ki;
	e->last_kid = ki;
	e->nkids++;
	return k;
}

/* The type reference of d (0 = void), queued when foreign. */
static int type_ref(struct scan *s, const struct dw_ctx *c, const struct dw_die *d, uint64_t *ref)
{
	int err;

	*ref = 0;
	if (bk__scan_ref_key(s, c, d, S_TYPE, ref, &err))
		return bk__scan_want(s, *ref);
	return err;
}

static int base_type(struct scan *s, const struct dw_ctx *c, const struct dw_die *d, uint32_t *ei)
{
	const char *name = bk__dw_str(c, d, S_NAME);
	uint64_t size = 0, enc = 0;
	uint32_t bits = 0;
	struct ent *e;
	uint8_t kind = BK_KIND_INT;
	int err;

	if (!name)
		return bk__scan_die_err(s, c, d, -EINVAL, "base type without a name");
	bk__dw_const(d, S_BYTE_SIZE, &size);
	bk__dw_const(d, S_ENCODING, &enc);
	switch (enc) {
	case 0x05: /* DW_ATE_signed */
	case 0x06: /* DW_ATE_signed_char */
		bits = BK_INT_SIGNED;
		break;
	case 0x02: /* DW_ATE_boolean */
		bits = BK_INT_BOOL;
		break;
	case 0x04: /* DW_ATE_float */
		if ((s->e->features & BK_ENC_FLOAT) &&
		    (size == 2 || size == 4 || size == 8 || size == 12 || size == 16))
			kind = BK_KIND_FLOAT;
		break;
	default:
		break;
	}
	if (kind == BK_KIND_INT && (!size || size > 16 || (size & (size - 1)))) {
		/* e.g. DW_ATE_unsigned_24 of DW_OP_convert: what pahole writes */
		name = "__SANITIZED_FAKE_INT__";
		size = 4;
	}
	if ((err = new_ent(s, bk__scan_key_of(c, d->off), kind, name, ei)))
		return err;
	e = ent_at(s, *ei);
	e->size = (uint32_t)size;
	e->data = bits << 24 | (uint32_t)(size * 8);
	if (kind == BK_KIND_INT && s->int_ent == NONE && !strcmp(name, "int"))
		s->int_ent = *ei;
	return 0;
}

/* A type DIE: its entry, and how to read its children. */
static int type_die(struct scan *s, const struct dw_ctx *c, const struct dw_die *d,
		    struct frame *child)
{
	unsigned tag = d->ab->tag;
	uint64_t key = bk__scan_key_of(c, d->off), size = 0, ref = 0;
	const char *name = bk__dw_str(c, d, S_NAME);
	bool decl = dw_has(d, S_DECLARATION) && d->v[S_DECLARATION];
	uint32_t ei;
	struct ent *e;
	uint8_t kind;
	int err;

	child->kind = F_SKIP;
	switch (tag) {
	case T_BASE:
		return base_type(s, c, d, &ei);
	case T_UNSPEC_TYPE:
		return new_ent(s, key, E_VOID, NULL, &ei);
	case T_POINTER: case T_REFERENCE: case T_RVALUE_REF:
		kind = BK_KIND_PTR;
		name = NULL;
		break;
	case T_CONST:
		kind = BK_KIND_CONST;
		name = NULL;
		break;
	case T_VOLATILE:
		kind = BK_KIND_VOLATILE;
		name = NULL;
		break;
	case T_RESTRICT:
		kind = BK_KIND_RESTRICT;
		name = NULL;
		break;
	case T_ATOMIC: case T_IMMUTABLE:
		kind = E_ALIAS;
		name = NULL;
		break;
	case T_TYPEDEF: case T_TEMPLATE_ALIAS:
		if (!name)
			return bk__scan_die_err(s, c, d, -EINVAL, "typedef without a name");
		kind = BK_KIND_TYPEDEF;
		break;
	case T_STRUCT: case T_CLASS: case T_INTERFACE: case T_UNION:
		kind = tag == T_UNION ? BK_KIND_UNION : BK_KIND_STRUCT;
		if (decl && name)
			kind = BK_KIND_FWD;
		break;
	case T_ENUM:
		kind = BK_KIND_ENUM;
		break;
	case T_ARRAY:
		kind = BK_KIND_ARRAY;
		name = NULL;
		break;
	case T_SUBROUTINE:
		kind = BK_KIND_FUNC_PROTO;
		name = NULL;
		break;
	default:
		return bk__scan_die_err(s, c, d, -EOPNOTSUPP, "a DWARF type the encoder does not support");
	}
	if ((err = type_ref(s, c, d, &ref)) || (err = new_ent(s, key, kind, name, &ei)))
		return err;
	e = ent_at(s, ei);
	e->ref = ref;
	bk__dw_const(d, S_BYTE_SIZE, &size);
	e->size = (uint32_t)(size > UINT32_MAX ? UINT32_MAX : size);
	child->ent = ei;
	switch (kind) {
	case BK_KIND_PTR:
		child->kind = F_PTR;
		break;
	case BK_KIND_TYPEDEF:
		child->kind = F_TYPEDEF;
		break;
	case BK_KIND_FWD:
		e->kflag = tag == T_UNION;
		child->kind = F_COMPOSITE;
		child->fwd = true;
		break;
	case BK_KIND_STRUCT: case BK_KIND_UNION:
		child->kind = F_COMPOSITE;
		child->fwd = decl;
		break;
	case BK_KIND_ENUM:
		e->data = decl ? 0 : 1;
		if (!dw_has(d, S_BYTE_SIZE))
			e->size = 4;
		child->kind = F_ENUM;
		break;
	case BK_KIND_ARRAY:
		child->kind = F_ARRAY;
		break;
	case BK_KIND_FUNC_PROTO:
		child->kind = F_PROTO;
		break;
	default:
		break;
	}
	return 0;
}

/* A DW_TAG_LLVM_annotation: *value set for btf_decl_tag / btf_type_tag. */
static const char *annotation(const struct dw_ctx *c, const struct dw_die *d, bool *type_tag)
{
	const char *name = bk__dw_str(c, d, S_NAME);

	if (!name)
		return NULL;
	if (!strcmp(name, "btf_decl_tag"))
		*type_tag = false;
	else if (!strcmp(name, "btf_type_tag"))
		*type_tag = true;
	else
		return NULL;
	return bk__dw_str(c, d, S_CONST_VALUE);
}

static int add_ftag(struct scan *s, struct arr *tags, const char *value, int32_t comp)
{
	struct ftag *t = bk__enc_arr_push(tags, sizeof(*t));

	if (!t)
		return bk__scan_nomem(s);
	t->value = value;
	t->comp = comp;
	return 0;
}


static bool is_type_tag(unsigned tag)
{
	switch (tag) {
	case T_BASE: case T_UNSPEC_TYPE: case T_POINTER: case T_REFERENCE: case T_RVALUE_REF:
	case T_CONST: case T_VOLATILE: case T_RESTRICT: case T_ATOMIC: case T_IMMUTABLE:
	case T_TYPEDEF: case T_TEMPLATE_ALIAS: case T_STRUCT: case T_CLASS: case T_INTERFACE:
	case T_UNION: case T_ENUM: case T_ARRAY: case T_SUBROUTINE: case T_PTR_TO_MEMBER:
	case T_SUBRANGE: case 0x12 /* string */: case 0x20 /* set */: case 0x2a /* file */:
	case 0x44 /* coarray */: case 0x45 /* generic_subrange */: case 0x46 /* dynamic */:
		return true;
	default:
		return false;
	}
}

/* A DECL_TAG entry on entry parent (comp -1, or a member index). */
static int decl_tag_ent(struct scan *s, const char *value, uint32_t parent, int32_t comp)
{
	uint32_t ei = NONE;
	int err;

	if ((err = new_ent(s, 0, BK_KIND_DECL_TAG, value, &ei)))
		return err;
	ent_at(s, ei)->ref = REF_ENT | parent;
	ent_at(s, ei)->data = (uint32_t)comp;
	return 0;
}

/* The byte offset of DW_AT_data_member_location: a constant or DW_OP_plus_uconst N. */
static uint64_t member_loc(const struct dw_ctx *c, const struct dw_die *d)
{
	uint64_t v = 0;
	struct dw_rd r;
	uint8_t op;

	if (bk__dw_const(d, S_MEMBER_LOC, &v))
		return v;
	if (!dw_has(d, S_MEMBER_LOC) || d->cls[S_MEMBER_LOC] != C_BLOCK)
		return 0;
	r = (struct dw_rd){ (const uint8_t *)(uintptr_t)d->v[S_MEMBER_LOC], NULL, c->f->swap, false };
	r.end = r.p + d->len[S_MEMBER_LOC];
	op = rd_u8(&r);
	if (op == 0x23 /* DW_OP_plus_uconst */ || op == 0x10 /* DW_OP_constu */)
		v = rd_uleb(&r);
	return r.bad ? 0 : v;
}

static int member_die(struct scan *s, const struct dw_ctx *c, const struct dw_die *d,
		      const struct frame *fr, struct frame *child)
{
	uint64_t v = 0, ref;
	struct kid *k;
	int err;

	if (fr->fwd || (dw_has(d, S_EXTERNAL) && d->v[S_EXTERNAL]) ||
	    (dw_has(d, S_DECLARATION) && d->v[S_DECLARATION]))
		return 0; /* a static member (C++) */
	if ((err = type_ref(s, c, d, &ref)))
		return err;
	k = new_kid(s, fr->ent);
	if (!k)
		return bk__scan_nomem(s);
	k->name = bk__dw_str(c, d, S_NAME);
	k->ref = ref;
	if (bk__dw_const(d, S_BIT_SIZE, &v))
		k->bits = (uint32_t)(v > UINT32_MAX ? UINT32_MAX : v);
	if (bk__dw_const(d, S_DATA_BIT_OFF, &v)) {
		k->bit_off = v;
	} else if (k->bits && bk__dw_const(d, S_BIT_OFF, &v)) {
		uint64_t sz = 0;

		/* DWARF 2/3: bit_offset counts from the storage unit's top bit */
		k->dw2 = true;
		k->dw2_off = (uint32_t)(v > UINT32_MAX ? UINT32_MAX : v);
		bk__dw_const(d, S_BYTE_SIZE, &sz);
		k->dw2_size = (uint32_t)(sz > UINT32_MAX ? 0 : sz);
		k->bit_off = member_loc(c, d);
		ent_at(s, fr->ent)->flags |= EF_DWARF2_BITS;
	} else {
		k->bit_off = member_loc(c, d) * 8;
	}
	child->kind = F_MEMBER;
	child->ent = fr->ent;
	child->idx = ent_at(s, fr->ent)->nkids - 1;
	return 0;
}

static int enumerator_die(struct scan *s, const struct dw_ctx *c, const struct dw_die *d,
			  const struct frame *fr)
{
	struct kid *k;

	if (!bk__dw_str(c, d, S_NAME))
		return bk__scan_die_err(s, c, d, -EINVAL, "enumerator without a name");
	k = new_kid(s, fr->ent);
	if (!k)
		return bk__scan_nomem(s);
	k->name = bk__dw_str(c, d, S_NAME);
	if (dw_has(d, S_CONST_VALUE) && (d->cls[S_CONST_VALUE] == C_UDATA || d->cls[S_CONST_VALUE] == C_SDATA)) {
		k->ref = d->v[S_CONST_VALUE];
		k->neg = d->cls[S_CONST_VALUE] == C_SDATA && (int64_t)k->ref < 0;
	}
	return 0;
}

static int subrange_die(struct scan *s, const struct dw_die *d, const struct frame *fr)
{
	struct ent *e = ent_at(s, fr->ent);
	uint64_t v = 0;
	uint32_t n = 0;

	if (bk__dw_const(d, S_UPPER_BOUND, &v))
		n = (uint32_t)(v + 1);
	else if (bk__dw_const(d, S_COUNT, &v))
		n = (uint32_t)v;
	/* dimensions are flattened into one ARRAY, as pahole does */
	e->size = e->dims ? e->size * n : n;
	e->dims = true;
	return 0;
}

/* A child of a scope (top level, namespace, function body, block). */
static int scope_child(struct scan *s, struct dw_ctx *c, const struct frame *fr,
		       const struct dw_die *d, struct frame *child)
{
	unsigned tag = d->ab->tag;
	bool top = fr->kind == F_ROOT;
	int err;

	if (is_type_tag(tag))
		return type_die(s, c, d, child);
	switch (tag) {
	case T_SUBPROGRAM:
		if (top)
			return bk__scan_func_die(s, c, d, child);
		child->kind = F_FUNC;
		return 0;
	case T_VARIABLE:
		return top ? bk__scan_var_die(s, c, d, child) : 0;
	case T_NAMESPACE:
		child->kind = top ? F_ROOT : F_LOCAL;
		return 0;
	case T_IMPORTED_UNIT: {
		uint64_t key, *slot;

		if (!bk__scan_ref_key(s, c, d, S_IMPORT, &key, &err))
			return err;
		if (bk__enc_keymap_get(&s->seen, key | REF_ENT) != NONE)
			return 0;
		if (bk__enc_keymap_put(&s->seen, key | REF_ENT, 0) || !(slot = bk__enc_arr_push(&s->imports, sizeof(*slot))))
			return bk__scan_nomem(s);
		*slot = key;
		return 0;
	}
	case T_ANNOTATION: case T_PARAM: case T_MEMBER: case T_ENUMERATOR:
		return 0;
	default:
		child->kind = F_LOCAL;
		return 0;
	}
}

static int handle(struct scan *s, struct dw_ctx *c, const struct frame *fr, const struct dw_die *d,
		  struct frame *child)
{
	const struct enc *e = s->e;
	unsigned tag = d->ab->tag;
	const char *value;
	bool is_type = false;

	child->kind = F_SKIP;
	child->fwd = false;
	child->ent = NONE;
	child->idx = 0;
	if (tag == T_ANNOTATION) {
		value = annotation(c, d, &is_type);
		if (!value || !(e->features & (is_type ? BK_ENC_TYPE_TAG : BK_ENC_DECL_TAG)))
			return 0;
		switch (fr->kind) {
		case F_PTR:
			if (is_type) {
				struct kid *k = new_kid(s, fr->ent);

				if (!k)
					return bk__scan_nomem(s);
				k->name = value;
			}
			return 0;
		case F_COMPOSITE: case F_TYPEDEF:
			return is_type ? 0 : decl_tag_ent(s, value, fr->ent, -1);
		case F_MEMBER:
			return is_type ? 0 : decl_tag_ent(s, value, fr->ent, (int32_t)fr->idx);
		case F_FUNC: case F_PARAM:
			if (is_type || fr->ent == NONE)
				return 0;
			ARR_AT(&s->funcs, struct sfunc, fr->ent).nr_tags++;
			return add_ftag(s, &s->tags, value, fr->kind == F_FUNC ? -1 : (int32_t)fr->idx);
		case F_VAR:
			if (is_type || fr->ent == NONE)
				return 0;
			ARR_AT(&s->vars, struct svar, fr->ent).nr_tags++;
			return add_ftag(s, &s->tags, value, -1);
		default:
			return 0;
		}
	}
	switch (fr->kind) {
	case F_ROOT: case F_LOCAL: case F_TOP:
		return scope_child(s, c, fr, d, child);
	case F_COMPOSITE:
		if (tag == T_MEMBER)
			return member_die(s, c, d, fr, child);
		if (is_type_tag(tag))
			return type_die(s, c, d, child);
		return 0;
	case F_ENUM:
		return tag == T_ENUMERATOR ? enumerator_die(s, c, d, fr) : 0;
	case F_PROTO:
		if (tag == T_PARAM || tag == T_UNSPEC_PARAMS) {
			uint64_t ref = 0;
			struct kid *k;
			int err;

			if (tag == T_PARAM && (err = type_ref(s, c, d, &ref)))
				return err;
			if (!(k = new_kid(s, fr->ent)))
				return bk__scan_nomem(s);
			k->name = tag == T_PARAM ? bk__dw_str(c, d, S_NAME) : NULL;
			k->ref = ref;
			k->bits = tag == T_UNSPEC_PARAMS;
		}
		return 0;
	case F_FUNC:
		if (tag == T_PARAM)
			return fr->ent == NONE ? 0 : bk__scan_param_die(s, c, d, fr, child);
		if (tag == T_UNSPEC_PARAMS) {
			if (fr->ent != NONE)
				ARR_AT(&s->funcs, struct sfunc, fr->ent).flags |= FC_VARARG;
			return 0;
		}
		{
			struct frame local = { F_LOCAL, false, NONE, 0 };

			return scope_child(s, c, &local, d, child);
		}
	case F_ARRAY:
		return tag == T_SUBRANGE ? subrange_die(s, d, fr) : 0;
	default:
		return 0;
	}
}

/* Closing a pointer: its btf_type_tags become PTR -> last tag -> ... -> first tag -> pointee. */
static int close_ptr(struct scan *s, uint32_t pi)
{
	struct ent *p = ent_at(s, pi);
	uint64_t ref = p->ref;
	uint32_t ki = p->kids, ti = NONE;
	int err;

	if (!p->nkids)
		return 0;
	p->kids = p->last_kid = NONE;
	p->nkids = 0;
	while (ki != NONE) {
		const struct kid *k = &ARR_AT(&s->kids, struct kid, ki);

		if ((err = new_ent(s, 0, BK_KIND_TYPE_TAG, k->name, &ti)))
			return err;
		ent_at(s, ti)->ref = ref;
		ref = REF_ENT | ti;
		ki = k->next;
	}
	ent_at(s, pi)->ref = ref;
	return 0;
}

/*
 * Walk the DIE at off and its subtree, or (siblings) the list of DIEs
 * starting at off up to the null entry closing it, with top as the frame
 * of their parent.
 */
int bk__scan_walk(struct scan *s, struct dw_ctx *c, uint64_t off, struct frame top, bool siblings)
{
	struct frame *st;
	size_t depth = 1;
	int err;

	s->frames.cnt = 0;
	if (!(st = bk__enc_arr_push(&s->frames, sizeof(*st))))
		return bk__scan_nomem(s);
	*st = top;
	for (;;) {
		struct dw_die d;
		struct frame child;
		uint64_t next;

		if (off >= c->u->end) {
			/* a unit may end without closing its lists */
			for (; depth > 1; depth--)
				if (ARR_AT(&s->frames, struct frame, depth - 1).kind == F_PTR &&
				    (err = close_ptr(s, ARR_AT(&s->frames, struct frame, depth - 1).ent)))
					return err;
			return 0;
		}
		if ((err = bk__dw_die_read(c, off, &d, &next)))
			return err;
		off = next;
		if (!d.ab) {
			struct frame *f;

			if (depth == 1)
				return siblings ? 0 : bk__diag(s->diag, -EINVAL, "unit 0x%llx: reference to a null entry (DIE 0x%llx)",
							  (unsigned long long)c->u->off, (unsigned long long)d.off);
			f = &ARR_AT(&s->frames, struct frame, depth - 1);
			if (f->kind == F_PTR && (err = close_ptr(s, f->ent)))
				return err;
			s->frames.cnt = --depth;
			if (depth == 1 && !siblings)
				return 0;
			continue;
		}
		if ((err = handle(s, c, &ARR_AT(&s->frames, struct frame, depth - 1), &d, &child)))
			return err;
		if (d.ab->children) {
			if (depth >= MAX_DEPTH)
				return bk__scan_die_err(s, c, &d, -E2BIG, "DIEs nested too deep");
			if (!(st = bk__enc_arr_push(&s->frames, sizeof(*st))))
				return bk__scan_nomem(s);
			*st = child;
			depth++;
		} else if (depth == 1 && !siblings) {
			return 0;
		}
	}
}
