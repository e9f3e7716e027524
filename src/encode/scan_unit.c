// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Scanning a whole unit: the walk (scan.c) over the unit's DIE tree and
 * over the units it imports (DW_TAG_imported_unit), then the candidates
 * completed, then the DIEs of other units they and the types refer to
 * (queued by bk__scan_want), each walked once.
 *
 * Completing a candidate (scan_cand.c made them): its name, return type
 * and parameter names and types may come from the DIEs it points at
 * (DW_AT_abstract_origin of an out-of-line copy of an inline function,
 * DW_AT_specification of a definition whose declaration came first),
 * followed at most MAX_CHAIN steps. A function candidate with an unnamed
 * parameter is dropped, as pahole drops it, and so is one no function
 * symbol names (the function-symbol index, fsym.c).
 */
#include <stdio.h>
#include <stdlib.h>

#include "scan_int.h"

#define MAX_CHAIN 8

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
		if ((err = bk__dw_hold(&s->e->f, u, &s->holds)))
			return bk__diag(s->diag, err, "out of memory");
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
	if ((err = bk__dw_hold(&e->f, u, &s->holds)))
		return bk__diag(s->diag, err, "out of memory");
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

void bk__enc_scan_drop(struct scan *s)
{
	if (!s->holds.n)
		return; /* nothing held (the file is not relocated lazily): contexts stay */
	bk__dw_drop(&s->e->f, &s->holds);
	/* their contexts must be set up again (and the units held) */
	s->ctx.u = NULL;
	s->fctx.u = NULL;
}

void bk__enc_scan_free(struct scan *s)
{
	bk__enc_scan_drop(s);
	bk__dw_holds_free(&s->holds);
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
