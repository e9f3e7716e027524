// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Function and variable candidates of a unit, as the walk (scan.c) meets
 * their DIEs.
 *
 * A function candidate is a top-level DW_TAG_subprogram that defines a
 * function (not a declaration) which may get a FUNC: its name has an ELF
 * function symbol (or, in a file without function symbols, it is
 * external). What its DIE lacks (name, return type, parameter names and
 * types: an out-of-line copy of an inline function has them in its
 * DW_AT_abstract_origin, a definition in the DW_AT_specification of its
 * declaration) is completed after the walk (scan_unit.c). Parameters also
 * record the register they arrive in, for the function rules (func.c).
 *
 * A variable candidate is a top-level DW_TAG_variable whose static address
 * is the address of an object symbol of .data..percpu (at offset 0 of an
 * unrelocated file, only under the symbol's own name: bk__scan_var_die).
 */
#include <stdio.h>
#include <stdlib.h>

#include "scan_int.h"

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
	 * In a linked file (vmlinux, where .data..percpu is laid out at 0)
	 * offset 0 is also where an unrelocated address points: there the
	 * variable's own name must be the symbol's (as pahole 1.24 asks; a
	 * definition naming itself through DW_AT_specification does not count).
	 * In a relocatable file (a module) the address was relocated against
	 * the section, whose laid-out address is never 0, so offset 0 is as good
	 * as any other (pahole keeps those variables too).
	 */
	if (!off && !f->is_rel && (!name || strcmp(name, f->percpu[lo].name)))
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
