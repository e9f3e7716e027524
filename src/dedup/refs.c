// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Phases 5 and 6 of dedup (the algorithm is at the top of dedup.c): FWDs
 * resolved to the only canonical struct or union of their name, then the
 * reference kinds canonicalized bottom-up, each once its targets are.
 */
#include <stdlib.h>

#include "dedup_int.h"

static bool is_composite(const struct dd *d, uint32_t id)
{
	unsigned k = d->kinds[id];

	return k == BK_KIND_STRUCT || k == BK_KIND_UNION;
}

static uint32_t name_pos(uint32_t name, uint32_t mask)
{
	return (uint32_t)((name * 0x9e3779b97f4a7c15ull) >> 32) & mask;
}

/*
 * Phase 5: a FWD resolves to the only canonical struct/union of its name.
 * Every canonical type of a name an own FWD can have is in the candidate
 * table (own ones since they became canonical, base ones from the start:
 * add_base leaves out only names no own type has), so its entries are
 * walked instead of every ID.
 */
void bk__dd_resolve_fwds(struct dd *d)
{
	const struct dd_entry *e = d->table.entries;
	uint32_t n = 0, mask, count = d->table.count;
	struct dd_slot *s;

	for (uint32_t i = 0; i < count; i++) {
		if (d->map[e[i].id] == e[i].id && is_composite(d, e[i].id))
			n++;
	}
	s = bk__dd_slots_new(n, &mask);
	if (!s) {
		d->err = -ENOMEM;
		return;
	}
	for (uint32_t i = 0; i < count; i++) {
		uint32_t id = e[i].id, pos, name;

		if (d->map[id] != id || !is_composite(d, id))
			continue;
		name = dd_s(d, dd_type(d, id)->name_off);
		pos = name_pos(name, mask);
		while (s[pos].id && s[pos].hash != name)
			pos = (pos + 1) & mask;
		if (s[pos].id) {
			s[pos].id = DD_NONE; /* ambiguous */
		} else {
			s[pos].hash = name;
			s[pos].id = id;
		}
	}
	for (uint32_t i = 0; i < count; i++) {
		uint32_t id = e[i].id, pos, name;
		const struct bk_type *t;

		if (id < d->start_id || d->kinds[id] != BK_KIND_FWD || d->map[id] != id)
			continue;
		t = bk__own_type(d->btf, id);
		name = dd_s(d, t->name_off);
		pos = name_pos(name, mask);
		while (s[pos].id && s[pos].hash != name)
			pos = (pos + 1) & mask;
		if (!s[pos].id || s[pos].id == DD_NONE)
			continue;
		if (bk_kind(dd_type(d, s[pos].id)) == (bk_kflag(t) ? BK_KIND_UNION : BK_KIND_STRUCT))
			d->map[id] = s[pos].id;
	}
	free(s);
}

/*
 * The i-th type-ID field of a reference kind, in canonicalization order
 * (the kind table's: an array's element type before its index type, as
 * libbpf canonicalizes them).
 */
static const uint32_t *ref_child(const struct bk_type *t, uint32_t i)
{
	const uint32_t *p;
	int32_t stride;

	if (i >= bk__kind_ids(t, &p, &stride))
		return NULL;
	return p + (int32_t)i * stride;
}

static bool ref_push(struct dd *d, uint32_t id)
{
	if (!dd_room(d, d->sp))
		return false;
	d->map[id] = DD_BUSY;
	d->stack[d->sp++] = (struct dd_frame){ .cand = id };
	return true;
}

/* Phase 6: canonicalize one reference type and what it reaches. */
void bk__dd_ref(struct dd *d, uint32_t root)
{
	d->sp = 0;
	if (!ref_push(d, root))
		return;
	while (d->sp) {
		struct dd_frame *f = &d->stack[d->sp - 1];
		const struct bk_type *t = bk__own_type(d->btf, f->cand);
		const uint32_t *p = ref_child(t, f->next);
		struct dd_iter it;
		uint32_t h, cand, new_id;

		if (p) {
			/* a child already mapped to an unprocessed type: that type first */
			uint32_t c = dd_resolve(d, *p);

			f->next++;
			if (d->map[c] == DD_UNSET) {
				if (!ref_push(d, c))
					return; /* (d->err: the dedup gives up) */
			} else if (d->map[c] == DD_BUSY && d->explain)
				bk__dd_log_miss(d, f->cand, *p, "reference cycle without a struct, union or typedef: left as is");
			continue;
		}
		new_id = f->cand;
		h = bk__dd_hash_ref(d, t);
		dd_table_iter(&d->table, h, &it);
		while ((cand = dd_table_next(&d->table, &it))) {
			if (bk__dd_equal_ref(d, t, dd_type(d, cand), cand >= d->start_id)) {
				new_id = cand;
				break;
			}
		}
		d->map[f->cand] = new_id;
		if (new_id == f->cand)
			bk__dd_table_add(&d->table, h, new_id);
		d->sp--;
	}
}
