// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Standalone and split BTF (bk_btf_standalone, bk_btf_split): moving a
 * module's types between bases. A layer above the writer and dedup.
 *
 * Standalone: the base types a split BTF reaches are found by a walk over
 * type-ID fields (the field iterator), starting from every own type; each
 * base type is visited once (a mark per base ID), so the walk is linear in
 * the types reached. The reached base types are copied in base ID order,
 * then the own types, each with bk_btf_add_type (strings re-added, so the
 * result owns its strings); a second pass renumbers every ID field: base
 * type b becomes its rank among the reached ones, own type start_id + i
 * becomes nreached + 1 + i. Then bk_btf_dedup merges what the split's own
 * types repeat of the base (types libbpf's split dedup could not map).
 *
 * Split: the standalone form is appended to an empty split BTF on the new
 * base (bk_btf_add_btf) and deduplicated there; dedup maps every type equal
 * to a base type onto the base and keeps the rest in order.
 */
#include <stdlib.h>

#include "write/write_int.h"
#include "btfkit/dedup.h"
#include "btfkit/split.h"
#include "btfkit/write.h"

static struct bk_btf *fail(struct bk_diag *diag, struct bk_btf *tofree, int err, const char *what)
{
	bk_btf_free(tofree);
	bk__diag(diag, err, "%s: %s", what, bk_strerror(err));
	errno = -err;
	return NULL;
}

/*
 * Mark in map (one entry per base ID) every base type reached from btf's
 * own types; returns how many, or -errno.
 */
static int64_t reach(const struct bk_btf *btf, uint32_t *map)
{
	uint32_t start = btf->start_id, cnt = bk_btf_type_cnt(btf), *stack, top = 0, nreached = 0;

	stack = malloc((size_t)start * sizeof(*stack) + 1);
	if (!stack)
		return -ENOMEM;
	for (uint32_t id = start; id < cnt || top; ) {
		struct bk__field_iter it;
		const struct bk_type *t;
		uint32_t *f;
		int err;

		t = top ? bk_btf_type(btf, stack[--top]) : bk_btf_type(btf, id++);
		/* the iterator only reads here (it hands out pointers for writers) */
		err = bk__field_iter_init(&it, (struct bk_type *)t, BK__FIELD_IDS);
		if (err) {
			free(stack);
			return err;
		}
		while ((f = bk__field_iter_next(&it))) {
			if (*f && *f < start && !map[*f]) {
				map[*f] = 1;
				stack[top++] = *f;
				nreached++;
			}
		}
	}
	free(stack);
	return nreached;
}

static int renumber(struct bk_btf *out, const uint32_t *map, uint32_t start, uint32_t nreached)
{
	for (uint32_t id = 1; id < bk_btf_type_cnt(out); id++) {
		struct bk__field_iter it;
		uint32_t *f;
		int err = bk__field_iter_init(&it, bk__own_type(out, id), BK__FIELD_IDS);

		if (err)
			return err;
		while ((f = bk__field_iter_next(&it)))
			if (*f)
				*f = *f < start ? map[*f] : nreached + 1 + (*f - start);
	}
	return 0;
}

struct bk_btf *bk_btf_standalone(const struct bk_btf *btf, const struct bk_split_opts *opts)
{
	struct bk_split_opts o = { .sz = sizeof(o) };
	struct bk_dedup_opts dopts = { .sz = sizeof(dopts) };
	uint32_t start, cnt, *map, rank = 0;
	struct bk_diag *diag;
	struct bk_btf *out;
	int64_t nreached;
	int err = bk__opts_get(&o, sizeof(o), opts);

	if (err) {
		errno = -err;
		return NULL;
	}
	diag = dopts.diag = o.diag;
	if (!btf)
		return fail(diag, NULL, -EINVAL, "no BTF");
	start = btf->start_id;
	cnt = bk_btf_type_cnt(btf);
	out = bk_btf_new_empty(NULL);
	map = calloc(start, sizeof(*map));
	if (!out || !map) {
		free(map);
		return fail(diag, out, -ENOMEM, "cannot make standalone BTF");
	}
	nreached = reach(btf, map);
	if (nreached < 0)
		err = (int)nreached;
	/* base types first, in ID order, then the own types */
	for (uint32_t id = 1; !err && id < cnt; id++) {
		int nid;

		if (id < start && !map[id])
			continue;
		nid = bk_btf_add_type(out, btf, bk_btf_type(btf, id));
		if (nid < 0)
			err = nid;
		else if (id < start)
			map[id] = ++rank;
	}
	if (!err)
		err = renumber(out, map, start, (uint32_t)nreached);
	free(map);
	if (err)
		return fail(diag, out, err, "cannot make standalone BTF");
	if (bk_btf_ptr_size(btf))
		bk_btf_set_ptr_size(out, bk_btf_ptr_size(btf));
	bk_btf_set_endian(out, bk_btf_endian(btf));
	if (!o.no_dedup && (err = bk_btf_dedup(out, &dopts))) {
		bk_btf_free(out);
		errno = -err;
		return NULL;
	}
	return out;
}

struct bk_btf *bk_btf_split(const struct bk_btf *btf, struct bk_btf *base,
			    const struct bk_split_opts *opts)
{
	struct bk_split_opts o = { .sz = sizeof(o) };
	struct bk_btf *alone = NULL, *out;
	const struct bk_btf *src = btf;
	int err = bk__opts_get(&o, sizeof(o), opts);
	struct bk_split_opts sopts = { .sz = sizeof(sopts), .diag = o.diag, .no_dedup = true };
	struct bk_dedup_opts dopts = { .sz = sizeof(dopts), .diag = o.diag };
	struct bk_diag *diag = o.diag;

	if (err) {
		errno = -err;
		return NULL;
	}
	if (!btf || !base)
		return fail(diag, NULL, -EINVAL, "no BTF or no base");
	/* on another base: its standalone form (the split's dedup does the merging) */
	if (btf->base && btf->base != base) {
		alone = bk_btf_standalone(btf, &sopts);
		if (!alone)
			return NULL;
		src = alone;
	}
	out = bk_btf_new_empty(base);
	if (!out) {
		bk_btf_free(alone);
		return fail(diag, NULL, -ENOMEM, "cannot make split BTF");
	}
	err = bk_btf_add_btf(out, src);
	bk_btf_free(alone);
	if (err < 0)
		return fail(diag, out, err, "cannot make split BTF");
	err = bk_btf_dedup(out, &dopts);
	if (err) {
		bk_btf_free(out);
		errno = -err;
		return NULL;
	}
	return out;
}
