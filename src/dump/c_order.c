// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Ordering for the C emitter: which types must be defined, and in which
 * order, before a requested type can be printed.
 *
 * Algorithm (a depth-first topological sort over "strong" links, like
 * libbpf's btf_dump): order(id, through_ptr) returns 1 when the caller needs
 * id's full definition first (a strong link) and 0 when a forward
 * declaration or nothing suffices (a weak link). Named definitions are
 * appended to the emit queue after everything they strongly need:
 *  - INT/FLOAT: nothing to emit, weak.
 *  - PTR: orders its target through a pointer; weak.
 *  - ARRAY: orders its element as an embedding.
 *  - STRUCT/UNION: a named one reached through a pointer is weak (a forward
 *    declaration breaks the cycle); otherwise members are ordered as
 *    embeddings, then the type is queued if named. Strong.
 *  - ENUM/ENUM64/FWD: queued if named or never referenced (a top-level
 *    anonymous enum). Strong.
 *  - TYPEDEF: strong unless reached through a pointer and its target is
 *    weak; queued when strong.
 *  - modifiers and type tags pass through; FUNC_PROTO is strong if its
 *    return or any parameter is; FUNC, VAR, DATASEC, DECL_TAG emit nothing.
 * Reaching a type that is being ordered is fine only for a named
 * struct/union through a pointer; otherwise it is an unsatisfiable cycle
 * (-ELOOP). "referenced" marks every type some other type refers to.
 */
#include <stdlib.h>

#include "c_int.h"

int bk__cd_mark_referenced(struct bk_c_dumper *d)
{
	for (uint32_t id = 1; id < d->cnt; id++) {
		const struct bk_type *t = bk__cd_type(d, id);
		const uint32_t *p;
		int32_t stride;
		uint32_t n;

		if (bk_kind(t) >= BK_NR_KINDS) {
			d->err_id = id;
			return -EOPNOTSUPP;
		}
		/* every type-ID field, as the kind table places them */
		n = bk__kind_ids(t, &p, &stride);
		for (uint32_t i = 0; i < n; i++, p += stride)
			d->st[*p].referenced = 1;
	}
	return 0;
}

static int enqueue(struct bk_c_dumper *d, uint32_t id)
{
	if (d->queue_cnt == d->queue_cap &&
	    bk__grow((void **)&d->queue, &d->queue_cap, d->queue_cnt + 1, sizeof(*d->queue), 256))
		return -ENOMEM;
	d->queue[d->queue_cnt++] = id;
	return 0;
}

static int order(struct bk_c_dumper *d, uint32_t id, bool through_ptr);

static int order_in(struct bk_c_dumper *d, uint32_t id, bool through_ptr)
{
	int ret;

	if (d->depth >= BK__CD_MAX_DEPTH) {
		d->err_id = id;
		return -ELOOP;
	}
	if (++d->steps > BK__CD_MAX_STEPS) {
		d->err_id = id;
		return -E2BIG;
	}
	d->depth++;
	ret = order(d, id, through_ptr);
	d->depth--;
	return ret;
}

static int order(struct bk_c_dumper *d, uint32_t id, bool through_ptr)
{
	struct bk__cd_state *s = &d->st[id];
	const struct bk_type *t;
	int err;

	if (s->order == BK__CD_ORDERED)
		return 1;
	t = bk__cd_type(d, id);
	if (s->order == BK__CD_ORDERING) {
		if (bk_is_composite(t) && through_ptr && t->name_off)
			return 0;
		d->err_id = id;
		return -ELOOP;
	}
	switch (bk_kind(t)) {
	case BK_KIND_INT:
	case BK_KIND_FLOAT:
		s->order = BK__CD_ORDERED;
		return 0;
	case BK_KIND_PTR:
		err = order_in(d, t->type, true);
		s->order = BK__CD_ORDERED;
		return err;
	case BK_KIND_ARRAY:
		return order_in(d, bk_array_of(t)->type, false);
	case BK_KIND_STRUCT:
	case BK_KIND_UNION: {
		const struct bk_member *m = bk_members(t);

		if (through_ptr && t->name_off)
			return 0;
		s->order = BK__CD_ORDERING;
		for (unsigned i = 0; i < bk_vlen(t); i++, m++) {
			err = order_in(d, m->type, false);
			if (err < 0)
				return err;
		}
		if (t->name_off && (err = enqueue(d, id)))
			return err;
		s->order = BK__CD_ORDERED;
		return 1;
	}
	case BK_KIND_ENUM:
	case BK_KIND_ENUM64:
	case BK_KIND_FWD:
		if ((t->name_off || !s->referenced) && (err = enqueue(d, id)))
			return err;
		s->order = BK__CD_ORDERED;
		return 1;
	case BK_KIND_TYPEDEF: {
		int strong = order_in(d, t->type, through_ptr);

		if (strong < 0)
			return strong;
		if (through_ptr && !strong)
			return 0;
		if ((err = enqueue(d, id)))
			return err;
		s->order = BK__CD_ORDERED;
		return 1;
	}
	case BK_KIND_VOLATILE:
	case BK_KIND_CONST:
	case BK_KIND_RESTRICT:
	case BK_KIND_TYPE_TAG:
		return order_in(d, t->type, through_ptr);
	case BK_KIND_FUNC_PROTO: {
		const struct bk_param *p = bk_params(t);
		bool strong;

		err = order_in(d, t->type, through_ptr);
		if (err < 0)
			return err;
		strong = err > 0;
		for (unsigned i = 0; i < bk_vlen(t); i++, p++) {
			err = order_in(d, p->type, through_ptr);
			if (err < 0)
				return err;
			if (err > 0)
				strong = true;
		}
		return strong;
	}
	case BK_KIND_FUNC:
	case BK_KIND_VAR:
	case BK_KIND_DATASEC:
	case BK_KIND_DECL_TAG:
		s->order = BK__CD_ORDERED;
		return 0;
	default:
		d->err_id = id;
		return -EOPNOTSUPP;
	}
}

int bk__cd_order(struct bk_c_dumper *d, uint32_t id, bool through_ptr)
{
	return order_in(d, id, through_ptr);
}
