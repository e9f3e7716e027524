// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Function and variable candidates of a unit, and scanning a whole unit.
 *
 * A function candidate is a top-level DW_TAG_subprogram that defines a
 * function (not a declaration) which may get a FUNC: its name has an ELF
 * function symbol (or, in a file without function symbols, it is
 * external). Its name, return type and parameter names and types may come
 * from the DIEs it points at (DW_AT_abstract_origin of an out-of-line copy
 * of an inline function, DW_AT_specification of a definition whose
 * declaration came first): they are followed after the walk, at most
 * MAX_CHAIN steps. A candidate with an unnamed parameter is dropped, as
 * pahole drops it. Parameters also record the register they arrive in, for
 * the function rules (func.c).
 *
 * A variable candidate is a top-level DW_TAG_variable whose static address
 * is the address of an object symbol of .data..percpu.
 */
#include <stdio.h>
#include <stdlib.h>

#include "scan_int.h"

#define MAX_CHAIN 8

/* A subprogram at top level: a candidate when it is a definition that may get a FUNC. */
int bk__scan_func_die(struct scan *s, const struct dw_ctx *c, const struct dw_die *d,
		    struct frame *child)
{
	const struct enc *e = s->e;
	const char *name = bk__dw_str(c, d, S_NAME);
	uint64_t cc = 0;
	struct sfunc *f;
	int err;

	child->kind = F_FUNC;
	child->ent = NONE;
	if (dw_has(d, S_DECLARATION) && d->v[S_DECLARATION])
		return 0;
	if (name && e->have_fsyms) {
		const struct fsym *fs = bk__enc_fsym(e, name);

		if (!fs || !(fs->exact || ((e->features & BK_ENC_OPTIMIZED_FUNC) && fs->clones)))
			return 0; /* no symbol: never a FUNC */
	}
	f = bk__enc_arr_push(&s->funcs, sizeof(*f));
	if (!f)
		return bk__scan_nomem(s);
	memset(f, 0, sizeof(*f));
	f->die = bk__scan_key_of(c, d->off);
	f->name = name;
	f->first_param = (uint32_t)s->params.cnt;
	f->first_tag = (uint32_t)s->tags.cnt;
	if (dw_has(d, S_LOW_PC) || dw_has(d, S_RANGES))
		f->flags |= FC_CODE;
	if (dw_has(d, S_EXTERNAL) && d->v[S_EXTERNAL])
		f->flags |= FC_EXTERNAL;
	if (bk__dw_const(d, S_CALLING_CONV, &cc) && cc == 3 /* DW_CC_nocall */)
		f->flags |= FC_NOCALL;
	if (bk__scan_ref_key(s, c, d, S_TYPE, &f->ret, &err))
		f->has_ret = true;
	else if (err)
		return err;
	if (!bk__scan_ref_key(s, c, d, S_ABSTRACT_ORIGIN, &f->origin, &err)) {
		if (err || (!bk__scan_ref_key(s, c, d, S_SPECIFICATION, &f->origin, &err) && err))
			return err;
	}
	child->ent = (uint32_t)(s->funcs.cnt - 1);
	return 0;
}

int bk__scan_param_die(struct scan *s, const struct dw_ctx *c, const struct dw_die *d,
		     const struct frame *fr, struct frame *child)
{
	struct sfunc *f = &ARR_AT(&s->funcs, struct sfunc, fr->ent);
	const struct enc *e = s->e;
	struct sparam *p;
	int err;

	p = bk__enc_arr_push(&s->params, sizeof(*p));
	if (!p)
		return bk__scan_nomem(s);
	memset(p, 0, sizeof(*p));
	p->die = bk__scan_key_of(c, d->off);
	p->name = bk__dw_str(c, d, S_NAME);
	if (bk__scan_ref_key(s, c, d, S_TYPE, &p->type, &err))
		p->has_type = true;
	else if (err)
		return err;
	if (!bk__scan_ref_key(s, c, d, S_ABSTRACT_ORIGIN, &p->origin, &err) && err)
		return err;
	p->reg = -1;
	if ((f->flags & FC_CODE) && f->nr_params < e->nr_param_regs &&
	    (e->features & BK_ENC_CONSISTENT_FUNC))
		p->reg = (int8_t)(dw_has(d, S_CONST_VALUE) ? -2 : bk__dw_param_reg((struct dw_ctx *)c, d));
	child->kind = F_PARAM;
	child->ent = fr->ent;
	child->idx = f->nr_params++;
	return 0;
}

/* A top-level variable that is a per-CPU variable of the ELF file. */
int bk__scan_var_die(struct scan *s, const struct dw_ctx *c, const struct dw_die *d,
		   struct frame *child)
{
	const struct dw_file *f = &s->e->f;
	uint64_t addr, off, base = f->percpu_addr;
	size_t lo = 0, hi = f->nr_percpu;
	const char *name;
	struct svar *v;
	int err;

	child->kind = F_VAR;
	child->ent = NONE;
	if (!(s->e->features & BK_ENC_VAR) || !f->nr_percpu ||
	    (dw_has(d, S_DECLARATION) && d->v[S_DECLARATION]) ||
	    !bk__dw_var_addr((struct dw_ctx *)c, d, &addr) || addr < base)
		return 0;
	off = addr - base;
	/* f->percpu is sorted by value, then symbol table order: the first wins */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (f->percpu[mid].value < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == f->nr_percpu || f->percpu[lo].value != off)
		return 0;
	name = bk__dw_str(c, d, S_NAME);
	/*
	 * Offset 0 is also where an unrelocated address points: there the
	 * variable's own name must be the symbol's (as pahole 1.24 asks; a
	 * definition naming itself through DW_AT_specification does not count).
	 */
	if (!off && (!name || strcmp(name, f->percpu[lo].name)))
		return 0;
	v = bk__enc_arr_push(&s->vars, sizeof(*v));
	if (!v)
		return bk__scan_nomem(s);
	memset(v, 0, sizeof(*v));
	v->die = bk__scan_key_of(c, d->off);
	v->off = off;
	v->sym = (uint32_t)lo;
	v->first_tag = (uint32_t)s->tags.cnt;
	v->external = dw_has(d, S_EXTERNAL) && d->v[S_EXTERNAL];
	if (!bk__scan_ref_key(s, c, d, S_SPECIFICATION, &v->spec, &err) && err)
		return err;
	if (bk__scan_ref_key(s, c, d, S_TYPE, &v->type, &err))
		v->has_type = true;
	else if (err)
		return err;
	child->ent = (uint32_t)(s->vars.cnt - 1);
	return 0;
}

/* The reading context of DIE key: the scanned unit's, or the other unit's (cached). */
static int ctx_for(struct scan *s, uint64_t key, struct dw_ctx **out)
{
	unsigned sec = key & KEY_TYPES ? DS_TYPES : DS_INFO;
	const struct dw_unit *u = bk__dw_unit_of(&s->e->f, sec, key & ~KEY_TYPES);
	struct dw_die root;
	uint64_t next;
	int err;

	if (!u)
		return bk__diag(s->diag, -EINVAL, "unit 0x%llx: reference to 0x%llx, outside every unit",
				(unsigned long long)s->e->f.units[s->unit].off,
				(unsigned long long)(key & ~KEY_TYPES));
	if (u == s->ctx.u) {
		*out = &s->ctx;
		return 0;
	}
	if (u != s->fctx.u) {
		s->fctx.u = NULL;
		if ((err = bk__dw_ctx_init(&s->fctx, &s->e->f, u, &s->fabbrevs, s->diag)))
			return err;
		if ((err = bk__dw_die_read(&s->fctx, u->die_off, &root, &next))) {
			s->fctx.u = NULL;
			return err;
		}
		if (root.ab)
			bk__dw_ctx_bases(&s->fctx, &root);
	}
	*out = &s->fctx;
	return 0;
}

static int read_key(struct scan *s, uint64_t key, struct dw_ctx **c, struct dw_die *d)
{
	uint64_t next;
	int err;

	if ((err = ctx_for(s, key, c)) || (err = bk__dw_die_read(*c, key & ~KEY_TYPES, d, &next)))
		return err;
	if (!d->ab)
		return bk__diag(s->diag, -EINVAL, "unit 0x%llx: reference to a null entry (0x%llx)",
				(unsigned long long)(*c)->u->off, (unsigned long long)(key & ~KEY_TYPES));
	return 0;
}

/* The next DIE of an origin chain (abstract origin, else specification), 0 at the end. */
static int chain_next(struct scan *s, const struct dw_ctx *c, const struct dw_die *d, uint64_t *next)
{
	int err;

	*next = 0;
	if (bk__scan_ref_key(s, c, d, S_ABSTRACT_ORIGIN, next, &err))
		return 0;
	if (err)
		return err;
	if (bk__scan_ref_key(s, c, d, S_SPECIFICATION, next, &err))
		return 0;
	return err;
}

static int resolve_param(struct scan *s, struct sparam *p)
{
	uint64_t cur = p->origin;
	int err;

	for (unsigned n = 0; cur && n < MAX_CHAIN && (!p->name || !p->has_type); n++) {
		struct dw_ctx *c;
		struct dw_die d;

		if ((err = read_key(s, cur, &c, &d)))
			return err;
		if (!p->name)
			p->name = bk__dw_str(c, &d, S_NAME);
		if (!p->has_type) {
			if (bk__scan_ref_key(s, c, &d, S_TYPE, &p->type, &err))
				p->has_type = true;
			else if (err)
				return err;
		}
		if ((err = chain_next(s, c, &d, &cur)))
			return err;
	}
	return 0;
}

/* Names, types and linkage through origin chains; drop what cannot get a FUNC. */
static int resolve_funcs(struct scan *s)
{
	const struct enc *e = s->e;
	int err;

	for (size_t i = 0; i < s->funcs.cnt; i++) {
		struct sfunc *f = &ARR_AT(&s->funcs, struct sfunc, i);
		uint64_t cur = f->origin;

		for (unsigned n = 0; cur && n < MAX_CHAIN &&
		     (!f->name || !f->has_ret || !(f->flags & FC_EXTERNAL)); n++) {
			struct dw_ctx *c;
			struct dw_die d;

			if ((err = read_key(s, cur, &c, &d)))
				return err;
			if (!f->name)
				f->name = bk__dw_str(c, &d, S_NAME);
			if (!f->has_ret) {
				if (bk__scan_ref_key(s, c, &d, S_TYPE, &f->ret, &err))
					f->has_ret = true;
				else if (err)
					return err;
			}
			if (dw_has(&d, S_EXTERNAL) && d.v[S_EXTERNAL])
				f->flags |= FC_EXTERNAL;
			if ((err = chain_next(s, c, &d, &cur)))
				return err;
		}
		if (!f->name) {
			f->dead = true;
		} else if (e->have_fsyms) {
			const struct fsym *fs = bk__enc_fsym(e, f->name);

			f->dead = !fs || !(fs->exact || ((e->features & BK_ENC_OPTIMIZED_FUNC) && fs->clones));
		} else {
			/* no function symbols at all: external functions only */
			f->dead = !(f->flags & FC_EXTERNAL);
		}
		if (!f->has_ret)
			f->ret = 0;
		for (uint32_t j = 0; j < f->nr_params && !f->dead; j++) {
			struct sparam *p = &ARR_AT(&s->params, struct sparam, f->first_param + j);

			/* a clone may list its parameters in another order than the origin */
			if (j && p->origin && p->origin < p[-1].origin)
				f->flags |= FC_REORDERED;
			if ((err = resolve_param(s, p)))
				return err;
			/* every parameter named, as pahole asks */
			if (!p->name || !p->name[0] || !p->has_type)
				f->dead = true;
			else if ((err = bk__scan_want(s, p->type)))
				return err;
		}
		if (!f->dead && (err = bk__scan_want(s, f->ret)))
			return err;
	}
	return 0;
}

static int resolve_vars(struct scan *s)
{
	int err;

	for (size_t i = 0; i < s->vars.cnt; i++) {
		struct svar *v = &ARR_AT(&s->vars, struct svar, i);

		if (v->spec) {
			struct dw_ctx *c;
			struct dw_die d;

			if ((err = read_key(s, v->spec, &c, &d)))
				return err;
			if (!v->has_type) {
				if (bk__scan_ref_key(s, c, &d, S_TYPE, &v->type, &err))
					v->has_type = true;
				else if (err)
					return err;
			}
			if (dw_has(&d, S_EXTERNAL) && d.v[S_EXTERNAL])
				v->external = true;
		}
		if (!v->has_type)
			v->type = 0;
		if ((err = bk__scan_want(s, v->type)))
			return err;
	}
	return 0;
}

static void scan_reset(struct scan *s, const struct enc *e, uint32_t ui)
{
	s->e = e;
	s->unit = ui;
	s->rust = false;
	s->ents.cnt = s->kids.cnt = 0;
	s->funcs.cnt = s->params.cnt = s->tags.cnt = s->vars.cnt = 0;
	s->todo.cnt = s->imports.cnt = 0;
	bk__enc_keymap_clear(&s->map);
	bk__enc_keymap_clear(&s->seen);
	s->int_ent = NONE;
	s->ctx.u = NULL;
	if (s->fctx.u && s->fctx.f != &e->f)
		s->fctx.u = NULL;
}

int bk__enc_scan_unit(struct scan *s, const struct enc *e, uint32_t ui)
{
	const struct dw_unit *u = &e->f.units[ui];
	struct frame root_frame = { F_ROOT, false, NONE, 0 };
	struct frame top_frame = { F_TOP, false, NONE, 0 };
	struct dw_die root;
	uint64_t next, lang;
	int err;

	scan_reset(s, e, ui);
	/* type and partial units are read through the references to them */
	if (u->type != 1 /* DW_UT_compile */)
		return u->type == 4 || u->type == 5 ? 2 : 1;
	if ((err = bk__dw_ctx_init(&s->ctx, &e->f, u, &s->abbrevs, s->diag)) ||
	    (err = bk__dw_die_read(&s->ctx, u->die_off, &root, &next)))
		return err;
	if (!root.ab || root.ab->tag != 0x11 /* DW_TAG_compile_unit */)
		return 1; /* DWARF 4 partial units (dwz), type units */
	if (dw_has(&root, S_DWO))
		return 2;
	bk__dw_ctx_bases(&s->ctx, &root);
	if (bk__dw_const(&root, S_LANGUAGE, &lang)) {
		for (size_t i = 0; i < e->nr_lang_excl; i++)
			if (lang == e->lang_excl[i])
				return 1;
		s->rust = lang == 0x1c;
	}
	if (root.ab->children && (err = bk__scan_walk(s, &s->ctx, next, root_frame, true)))
		return err;
	for (size_t i = 0; i < s->imports.cnt; i++) {
		uint64_t key = ARR_AT(&s->imports, uint64_t, i);
		struct dw_ctx *c;
		struct dw_die d;

		if ((err = ctx_for(s, key, &c)) || (err = bk__dw_die_read(c, key & ~KEY_TYPES, &d, &next)))
			return err;
		if (d.ab && d.ab->children && (err = bk__scan_walk(s, c, next, root_frame, true)))
			return err;
	}
	if ((err = resolve_funcs(s)) || (err = resolve_vars(s)))
		return err;
	for (size_t i = 0; i < s->todo.cnt; i++) {
		uint64_t key = ARR_AT(&s->todo, uint64_t, i);
		struct dw_ctx *c;

		if (bk__enc_keymap_get(&s->map, key) != NONE)
			continue;
		if ((err = ctx_for(s, key, &c)) || (err = bk__scan_walk(s, c, key & ~KEY_TYPES, top_frame, false)))
			return err;
	}
	return 0;
}

void bk__enc_scan_free(struct scan *s)
{
	bk__enc_arr_free(&s->ents);
	bk__enc_arr_free(&s->kids);
	bk__enc_arr_free(&s->funcs);
	bk__enc_arr_free(&s->params);
	bk__enc_arr_free(&s->tags);
	bk__enc_arr_free(&s->vars);
	bk__enc_arr_free(&s->todo);
	bk__enc_arr_free(&s->imports);
	bk__enc_arr_free(&s->frames);
	bk__enc_arr_free(&s->ids);
	bk__enc_arr_free(&s->tmp);
	bk__enc_keymap_free(&s->map);
	bk__enc_keymap_free(&s->seen);
	bk__dw_abbrevs_free(&s->abbrevs);
	bk__dw_abbrevs_free(&s->fabbrevs);
	memset(s, 0, sizeof(*s));
}
