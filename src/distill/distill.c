// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Distilling a split BTF's base (bk_btf_distill_base): the module's BTF
 * rewritten onto a minimal base that names only what it uses, so that it
 * can later be relocated onto another build of the kernel (relocation is
 * src/core/relocate.c). The result is byte for byte what libbpf's
 * btf__distill_base writes (BTF-REFERENCE.md §8):
 *
 *  1. Collect: the base IDs the split's own types refer to, and recursively
 *     what those refer to, except through a named STRUCT/UNION (a distilled
 *     composite has no members). Only kinds a distilled base or the split
 *     can carry may be met: a FUNC, VAR, DATASEC or DECL_TAG of the base is
 *     an error. The walk uses an explicit stack; each base type is visited
 *     once, so cycles end.
 *  2. New base, in base-ID order: INT, FLOAT and FWD copied; named
 *     STRUCT/UNION as an empty composite of the same size; named
 *     ENUM/ENUM64 as an unsigned ENUM of the same size without values.
 *  3. New split on it: every own type of the source in order, then the
 *     collected base types the new base does not hold (anonymous
 *     composites and enums, ARRAY, TYPEDEF, PTR, modifiers, FUNC_PROTO,
 *     TYPE_TAG) in base-ID order, copied whole.
 *  4. IDs: collected base IDs map to where step 2 or 3 put them; own IDs
 *     move down by (source start ID - new base's type count).
 * Strings go through the writer, which reuses a base string and appends
 * others once, in first-use order: the order of steps 2 and 3.
 */
#include <stdlib.h>

#include "btfkit/distill.h"
#include "btfkit/write.h"
#include "internal.h"

struct distill {
	const struct bk_btf *src;
	uint32_t start;   /* src's first own ID: IDs below are base IDs */
	uint32_t *id_map; /* base ID -> new ID; 1 marks "collected" until placed */
	struct bk_diag *diag;
};

/* Kinds a split may refer to in its base for distilling to work. */
static bool distillable(unsigned kind)
{
	switch (kind) {
	case BK_KIND_INT: case BK_KIND_FLOAT: case BK_KIND_FWD: case BK_KIND_ARRAY:
	case BK_KIND_STRUCT: case BK_KIND_UNION: case BK_KIND_TYPEDEF: case BK_KIND_ENUM:
	case BK_KIND_ENUM64: case BK_KIND_PTR: case BK_KIND_CONST: case BK_KIND_RESTRICT:
	case BK_KIND_VOLATILE: case BK_KIND_FUNC_PROTO: case BK_KIND_TYPE_TAG:
		return true;
	default:
		return false;
	}
}

/*
 * Step 1 from type id (own or base): mark the base types its fields name,
 * and theirs, with stack holding base types whose fields are still to scan.
 */
static int collect_from(struct distill *d, uint32_t id, uint32_t *stack)
{
	uint32_t top = 0;

	for (;;) {
		struct bk_type *t = (struct bk_type *)bk_btf_type(d->src, id);
		struct bk__field_iter it;
		uint32_t *f;
		int err = bk__field_iter_init(&it, t, BK__FIELD_IDS);

		if (err)
			return bk__diag(d->diag, err, "type [%u] has unknown kind %u", id, bk_kind(t));
		while ((f = bk__field_iter_next(&it))) {
			const struct bk_type *bt;

			if (!*f || *f >= d->start || d->id_map[*f])
				continue;
			bt = bk_btf_type(d->src, *f);
			if (!distillable(bk_kind(bt))) {
				const char *n1 = bk_btf_name(d->src, t), *n2 = bk_btf_name(d->src, bt);

				return bk__diag(d->diag, -EINVAL,
						"type [%u] %s '%s' refers to base type [%u] %s '%s', which a distilled base cannot describe",
						id, bk_kind_name(bk_kind(t)), n1 ? n1 : "?", *f,
						bk_kind_name(bk_kind(bt)), n2 ? n2 : "?");
			}
			d->id_map[*f] = 1;
			/* a distilled named composite has no members to follow */
			if (!(bk_is_composite(bt) && bt->name_off))
				stack[top++] = *f;
		}
		if (!top)
			return 0;
		id = stack[--top];
	}
}

/* Where step 2 puts collected base type t: true for the new base. */
static bool goes_to_base(const struct bk_type *t)
{
	switch (bk_kind(t)) {
	case BK_KIND_INT:
	case BK_KIND_FLOAT:
	case BK_KIND_FWD:
		return true;
	case BK_KIND_STRUCT:
	case BK_KIND_UNION:
	case BK_KIND_ENUM:
	case BK_KIND_ENUM64:
		return t->name_off != 0;
	default:
		return false;
	}
}

/* Step 2: the new base's types. */
static int add_base_types(struct distill *d, struct bk_btf *nb)
{
	for (uint32_t id = 1; id < d->start; id++) {
		const struct bk_type *t = bk_btf_type(d->src, id);
		const char *name;
		int nid;

		if (!d->id_map[id] || !goes_to_base(t))
			continue;
		name = bk_btf_name(d->src, t);
		switch (bk_kind(t)) {
		case BK_KIND_STRUCT:
			nid = bk_btf_add_struct(nb, name, t->size);
			break;
		case BK_KIND_UNION:
			nid = bk_btf_add_union(nb, name, t->size);
			break;
		case BK_KIND_ENUM:
		case BK_KIND_ENUM64:
			nid = bk_btf_add_enum(nb, name, t->size);
			break;
		default:
			nid = bk_btf_add_type(nb, d->src, t);
			break;
		}
		if (nid < 0)
			return bk__diag(d->diag, nid, "cannot add base type [%u] %s '%s' to the distilled base: %s",
					id, bk_kind_name(bk_kind(t)), name ? name : "?", bk_strerror(nid));
		d->id_map[id] = (uint32_t)nid;
	}
	return 0;
}

/* Step 3: the new split's types (IDs still the source's). */
static int add_split_types(struct distill *d, struct bk_btf *ns)
{
	uint32_t cnt = bk_btf_type_cnt(d->src);
	int nid;

	for (uint32_t id = d->start; id < cnt; id++) {
		nid = bk_btf_add_type(ns, d->src, bk_btf_type(d->src, id));
		if (nid < 0)
			return bk__diag(d->diag, nid, "cannot copy type [%u]: %s", id, bk_strerror(nid));
	}
	for (uint32_t id = 1; id < d->start; id++) {
		const struct bk_type *t = bk_btf_type(d->src, id);

		if (!d->id_map[id] || goes_to_base(t))
			continue;
		nid = bk_btf_add_type(ns, d->src, t);
		if (nid < 0)
			return bk__diag(d->diag, nid, "cannot copy base type [%u]: %s", id, bk_strerror(nid));
		d->id_map[id] = (uint32_t)nid;
	}
	return 0;
}

/* Step 4 over the new split's own records. */
static void remap_ids(struct distill *d, struct bk_btf *ns, uint32_t shift)
{
	for (uint32_t i = 0; i < ns->nr_types; i++) {
		struct bk__field_iter it;
		uint32_t *f;

		bk__field_iter_init(&it, bk__own_type(ns, ns->start_id + i), BK__FIELD_IDS);
		while ((f = bk__field_iter_next(&it))) {
			if (*f && *f < d->start)
				*f = d->id_map[*f];
			else if (*f)
				*f -= shift;
		}
	}
	bk__names_invalidate(ns);
}

int bk_btf_distill_base(const struct bk_btf *src, struct bk_btf **new_base,
			struct bk_btf **new_split, const struct bk_distill_opts *opts)
{
	struct bk_distill_opts o = { .sz = sizeof(o) };
	struct bk_btf *nb = NULL, *ns = NULL;
	uint32_t *stack = NULL;
	struct bk_diag *diag;
	struct distill d;
	int err;

	if ((err = bk__opts_get(&o, sizeof(o), opts)))
		return err;
	diag = o.diag;
	d = (struct distill){ .src = src, .diag = diag };
	if (!new_base || !new_split || !src)
		return bk__diag(diag, -EINVAL, "invalid argument");
	*new_base = *new_split = NULL;
	if (!src->base)
		return bk__diag(diag, -EINVAL, "not split BTF: only a module's BTF on its base can be distilled");
	d.start = src->start_id;
	d.id_map = calloc(d.start, sizeof(*d.id_map));
	stack = malloc((size_t)d.start * sizeof(*stack));
	nb = bk_btf_new_empty(NULL);
	if (!d.id_map || !stack || !nb) {
		err = bk__diag(diag, -ENOMEM, "out of memory");
		goto fail;
	}
	bk_btf_set_endian(nb, bk_btf_endian(src));
	for (uint32_t id = d.start; id < bk_btf_type_cnt(src); id++)
		if ((err = collect_from(&d, id, stack)))
			goto fail;
	if ((err = add_base_types(&d, nb)))
		goto fail;
	ns = bk_btf_new_empty(nb);
	if (!ns) {
		err = bk__diag(diag, -ENOMEM, "out of memory");
		goto fail;
	}
	if ((err = add_split_types(&d, ns)))
		goto fail;
	remap_ids(&d, ns, d.start - bk_btf_type_cnt(nb));
	bk_btf_set_endian(ns, bk_btf_endian(src));
	*new_base = nb;
	*new_split = ns;
	free(d.id_map);
	free(stack);
	return 0;
fail:
	bk_btf_free(ns);
	bk_btf_free(nb);
	free(d.id_map);
	free(stack);
	return err;
}
