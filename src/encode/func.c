// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Which functions get a FUNC, once every unit is known (docs/encode.md,
 * "Functions"). Candidates (scan_cand.c) are definitions whose name has an
 * ELF function symbol and whose parameters are all named; here they are
 * grouped by name, in unit order, and each group gives at most one FUNC
 * (with a FUNC_PROTO of its own, and its DECL_TAGs), named by the DWARF
 * name, linkage static as pahole writes it. The groups are emitted in name
 * order.
 *
 * Without consistent_func (pahole 1.24's rules): the first instance of a
 * name wins, unchecked. With it, a name is skipped when
 *  - its exact-name symbols sit at more than one address (distinct
 *    functions sharing a name: a FUNC could describe the wrong one);
 *  - its instances disagree on the prototype: parameter count, varargs,
 *    return and parameter types, compared as deduplicated type IDs with
 *    top-level const/volatile removed (parameter names do not matter);
 *  - an instance with code receives an integer or pointer parameter in
 *    another register than the calling convention gives it (the parameter
 *    was moved: check_regs says which parameters are checked);
 *  - it is known only by a clone symbol (foo.isra.0, allowed by
 *    optimized_func) and an instance with code has a parameter that cannot
 *    be checked or is in no register at entry (optimized away, a constant),
 *    lists its parameters in another order than its origin, or is marked
 *    DW_CC_nocall: the clone's signature is not shown to be the DWARF one;
 *    or an instance marked DW_CC_nocall lost a parameter.
 * Each skip is logged as "skip FUNC NAME: REASON (details)", REASON one of
 * name-duplicate, inconsistent-proto, moved-param, optimized-param; a FUNC
 * known only by a clone symbol as "FUNC NAME from symbol SYMBOL".
 */
#include <stdio.h>
#include <stdlib.h>

#include "enc_int.h"
#include "btfkit/write.h"

struct order {
	const struct fcand *f;
	uint32_t idx;
};

static int cmp_order(const void *a, const void *b)
{
	const struct order *x = a, *y = b;
	int c = strcmp(x->f->name, y->f->name);

	if (c)
		return c;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* t without top-level const and volatile. */
static uint32_t peel(const struct bk_btf *btf, uint32_t id)
{
	for (int n = 0; n < 64; n++) {
		const struct bk_type *t = bk_btf_type(btf, id);

		if (!t || (bk_kind(t) != BK_KIND_CONST && bk_kind(t) != BK_KIND_VOLATILE))
			return id;
		id = t->type;
	}
	return id;
}

static bool same_proto(const struct bk_btf *btf, const struct cands *c, const struct fcand *a,
		       const struct fcand *b)
{
	if (a->nr_params != b->nr_params || (a->flags & FC_VARARG) != (b->flags & FC_VARARG) ||
	    peel(btf, a->ret) != peel(btf, b->ret))
		return false;
	for (uint32_t i = 0; i < a->nr_params; i++) {
		const struct fparam *pa = &ARR_AT(&c->params, struct fparam, a->first_param + i);
		const struct fparam *pb = &ARR_AT(&c->params, struct fparam, b->first_param + i);

		if (peel(btf, pa->type) != peel(btf, pb->type))
			return false;
	}
	return true;
}

/*
 * Check f's parameters against the calling convention: integer and
 * pointer parameters take the argument registers in order, floating-point
 * ones go elsewhere (not checked), and after a struct, union or wider
 * integer passed by value the assignment depends on its classification, so
 * checking stops. Returns the index of the first parameter found in
 * another register, or -1; *lost is set when a checked parameter is in no
 * register at entry (optimized away, or a constant), *partial when
 * checking stopped before the last parameter.
 */
static int check_regs(const struct enc *e, const struct bk_btf *btf, const struct cands *c,
		      const struct fcand *f, bool *lost, bool *partial)
{
	unsigned slot = 0;

	*lost = false;
	*partial = false;
	if (!(f->flags & FC_CODE))
		return -1;
	for (uint32_t i = 0; i < f->nr_params && slot < e->nr_param_regs; i++) {
		const struct fparam *p = &ARR_AT(&c->params, struct fparam, f->first_param + i);
		int r = bk_btf_resolve(btf, p->type);
		const struct bk_type *t = r > 0 ? bk_btf_type(btf, (uint32_t)r) : NULL;
		int64_t size = r > 0 ? bk_btf_resolve_size(btf, (uint32_t)r) : 0;

		if (!t || bk_is_composite(t) || size > 8) {
			*partial = true;
			break;
		}
		if (bk_kind(t) == BK_KIND_FLOAT)
			continue;
		if (p->reg < 0) {
			*lost = true;
			slot++;
			continue;
		}
		if (p->reg != e->param_regs[slot++])
			return (int)i;
		if (slot == e->nr_param_regs && i + 1 < f->nr_params)
			*partial = true;
	}
	return -1;
}

/* The reason to skip the group g[0..n), or NULL to emit it. */
static const char *skip_reason(const struct enc *e, const struct bk_btf *btf, const struct cands *c,
			       const struct order *g, size_t n, char *buf, size_t size)
{
	const struct fsym *fs = e->have_fsyms ? bk__enc_fsym(e, g[0].f->name) : NULL;
	bool clone_only = fs && !fs->exact;

	if (!(e->features & BK_ENC_CONSISTENT_FUNC))
		return NULL;
	if (fs && fs->addrs > 1) {
		snprintf(buf, size, "name-duplicate (%u functions of this name at different addresses)", fs->addrs);
		return buf;
	}
	for (size_t i = 0; i < n; i++) {
		const struct fcand *f = g[i].f;
		bool lost, partial;
		int moved;

		if (i && !same_proto(btf, c, g[0].f, f)) {
			/* the DIEs: one unit can hold two (an instance and a clone's) */
			snprintf(buf, size, "inconsistent-proto (DIE 0x%llx in unit 0x%llx, DIE 0x%llx in unit 0x%llx)",
				 (unsigned long long)g[0].f->die,
				 (unsigned long long)e->f.units[g[0].f->unit].off,
				 (unsigned long long)f->die, (unsigned long long)e->f.units[f->unit].off);
			return buf;
		}
		moved = check_regs(e, btf, c, f, &lost, &partial);
		if (moved >= 0) {
			snprintf(buf, size, "moved-param (parameter %d in an unexpected register, DIE 0x%llx)",
				 moved, (unsigned long long)f->die);
			return buf;
		}
		/* a clone, or code whose calling convention changed: its signature may differ */
		if ((clone_only && (f->flags & FC_CODE) &&
		     (lost || partial || (f->flags & (FC_REORDERED | FC_NOCALL)))) ||
		    ((f->flags & FC_NOCALL) && lost)) {
			snprintf(buf, size, "optimized-param (%s, DIE 0x%llx)",
				 clone_only ? "only a clone symbol, whose signature changed"
					    : "a parameter optimized away, calling convention changed",
				 (unsigned long long)f->die);
			return buf;
		}
	}
	return NULL;
}

static int add_func(struct bk_btf *btf, const struct cands *c, const struct fcand *f,
		    struct bk_diag *diag)
{
	int proto, id, err = 0;

	proto = bk_btf_add_func_proto(btf, (int)f->ret);
	for (uint32_t i = 0; proto > 0 && !err && i < f->nr_params; i++) {
		const struct fparam *p = &ARR_AT(&c->params, struct fparam, f->first_param + i);

		err = bk_btf_add_func_param(btf, p->name, (int)p->type);
	}
	if (proto > 0 && !err && (f->flags & FC_VARARG))
		err = bk_btf_add_func_param(btf, NULL, 0);
	if (proto < 0 || err)
		goto fail;
	id = bk_btf_add_func(btf, f->name, BK_LINKAGE_STATIC, proto);
	if (id < 0) {
		err = id;
		goto fail;
	}
	for (uint32_t i = 0; i < f->nr_tags; i++) {
		const struct ftag *t = &ARR_AT(&c->tags, struct ftag, f->first_tag + i);

		if ((err = bk_btf_add_decl_tag(btf, t->value, id, t->comp)) < 0)
			goto fail;
	}
	return 0;
fail:
	if (proto < 0)
		err = proto;
	return bk__diag(diag, err, "function %s (DIE 0x%llx): cannot add its FUNC: %s", f->name,
			(unsigned long long)f->die, bk_strerror(err));
}

int bk__enc_func_add_all(const struct enc *e, struct bk_btf *btf, struct cands *c, struct bk_diag *diag)
{
	size_t n = c->funcs.cnt;
	struct order *o;
	char why[256];
	int err = 0;

	if (!n)
		return 0;
	o = malloc(n * sizeof(*o));
	if (!o)
		return bk__diag(diag, -ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		o[i].f = &ARR_AT(&c->funcs, struct fcand, i);
		o[i].idx = (uint32_t)i;
	}
	qsort(o, n, sizeof(*o), cmp_order);
	for (size_t i = 0; i < n && !err;) {
		size_t j = i + 1;
		const char *reason;

		while (j < n && !strcmp(o[j].f->name, o[i].f->name))
			j++;
		reason = skip_reason(e, btf, c, o + i, j - i, why, sizeof(why));
		if (reason) {
			bk__enc_log(e, "skip FUNC %s: %s", o[i].f->name, reason);
		} else {
			const struct fsym *fs = e->have_fsyms ? bk__enc_fsym(e, o[i].f->name) : NULL;

			if (fs && !fs->exact)
				bk__enc_log(e, "FUNC %s from symbol %s", o[i].f->name, fs->clone);
			err = add_func(btf, c, o[i].f, diag);
		}
		i = j;
	}
	free(o);
	return err;
}
