// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Dedup candidate table and the per-kind keys.
 *
 * The table (see dedup_int.h) maps a 32-bit hash to the list of type IDs
 * with that hash: linear probing over distinct hashes (load factor <= 1/2),
 * no deletion, growing with its contents; candidates come back newest
 * first.
 *
 * Keys (strings by their new offsets, dd_s(), so equal names are equal
 * numbers and nothing here compares characters):
 *  - INT, FLOAT, FWD: the whole record;
 *  - the reference kinds (PTR, modifiers, TYPE_TAG, ARRAY, FUNC,
 *    FUNC_PROTO, DECL_TAG): the whole record with every type ID replaced by
 *    its canonical ID (bk__dd_hash_ref; base records as they are, their IDs
 *    being canonical). Records are not rewritten: writing would copy every
 *    page of a file-mapped input;
 *  - ENUM and ENUM64: the name only, so that forward declarations meet the
 *    full enums of either kind;
 *  - STRUCT and UNION: name, info, size, member names and offsets, and the
 *    names of the members' types (the types themselves are compared by the
 *    graph walk, whose every pair needs equal names: a FWD, its struct and
 *    an enum's forward declaration share their name, so equivalent structs
 *    hash alike). libbpf leaves the type names out; then same-shaped
 *    anonymous unions collide: xfs.ko has 1,271 of
 *    union { struct bpf_raw_event_map event; btf_trace_xfs_X handler; },
 *    one per tracepoint, and each walked every earlier one (568,720
 *    failing walks, 36 ms of its encode);
 *  - TYPEDEF: name and info.
 */
#include <stdlib.h>

#include "dedup_int.h"

#define DD_TABLE_MIN 1024u
#define DD_TABLE_MAX ((uint64_t)1 << 31) /* slots */

int bk__dd_table_init(struct dd_table *tab)
{
	memset(tab, 0, sizeof(*tab));
	tab->slots = calloc(DD_TABLE_MIN, sizeof(*tab->slots));
	if (!tab->slots)
		return -ENOMEM;
	tab->mask = DD_TABLE_MIN - 1;
	return 0;
}

void bk__dd_table_free(struct dd_table *tab)
{
	free(tab->slots);
	free(tab->entries);
	tab->slots = NULL;
	tab->entries = NULL;
}

/* The slot of hash: its own, or the empty one where it goes. */
static struct dd_slot *slot_of(struct dd_slot *slots, uint32_t mask, uint32_t hash)
{
	uint32_t pos = hash & mask;

	while (slots[pos].id && slots[pos].hash != hash)
		pos = (pos + 1) & mask;
	return &slots[pos];
}

/*
 * Grow to size slots (a power of two): rehash into a new zeroed array.
 * False (err set) if it cannot.
 */
static bool grow_to(struct dd_table *tab, uint64_t size)
{
	struct dd_slot *old = tab->slots, *n;
	uint32_t nmask = (uint32_t)(size - 1);

	if (size > DD_TABLE_MAX) {
		tab->err = -E2BIG;
		return false;
	}
	n = calloc(size, sizeof(*n));
	if (!n) {
		tab->err = -ENOMEM;
		return false;
	}
	for (uint32_t i = 0; i <= tab->mask; i++) {
		if (old[i].id)
			*slot_of(n, nmask, old[i].hash) = old[i];
	}
	free(old);
	tab->slots = n;
	tab->mask = nmask;
	return true;
}

/* Double the size. */
static bool grow(struct dd_table *tab)
{
	return grow_to(tab, ((uint64_t)tab->mask + 1) * 2);
}

void bk__dd_table_reserve(struct dd_table *tab, uint32_t n)
{
	uint64_t size = (uint64_t)tab->mask + 1;

	while ((tab->nslots + (uint64_t)n) * 2 > size)
		size *= 2;
	if (size > (uint64_t)tab->mask + 1)
		grow_to(tab, size);
}

void bk__dd_table_add(struct dd_table *tab, uint32_t hash, uint32_t id)
{
	struct dd_slot *s;

	if ((uint64_t)(tab->nslots + 1) * 2 > (uint64_t)tab->mask + 1 && !grow(tab))
		return;
	if (tab->count == tab->entries_cap &&
	    (tab->count == UINT32_MAX ||
	     bk__grow((void **)&tab->entries, &tab->entries_cap, (size_t)tab->count + 1,
		      sizeof(*tab->entries), 4096))) {
		tab->err = -ENOMEM;
		return;
	}
	s = slot_of(tab->slots, tab->mask, hash);
	if (!s->id) {
		s->hash = hash;
		tab->nslots++;
	}
	tab->entries[tab->count].id = id;
	tab->entries[tab->count].next = s->id;
	s->id = ++tab->count;
}

struct dd_slot *bk__dd_slots_new(uint32_t n, uint32_t *mask)
{
	uint64_t size = DD_TABLE_MIN;

	while (size < (uint64_t)n * 2)
		size <<= 1;
	*mask = (uint32_t)(size - 1);
	return size > DD_TABLE_MAX ? NULL : calloc(size, sizeof(struct dd_slot));
}

/* 64-bit multiplicative mixing; the final fold spreads high bits down. */
static inline uint64_t mix(uint64_t h, uint32_t v)
{
	return (h ^ v) * 0x9e3779b97f4a7c15ull;
}

static inline uint32_t fold(uint64_t h)
{
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ull;
	return (uint32_t)(h ^ (h >> 32));
}

static size_t rec_words(const struct bk_type *t)
{
	return bk__kind_rec_size(t) / 4;
}

/*
 * Which words of a record are type IDs and which (past the name) are
 * strings, as the kind table places them: a cursor over both runs, asked
 * in increasing word order (both runs increase).
 */
struct words {
	uint32_t id_at, id_left, str_at, str_left;
	uint32_t id_step, str_step;
};

static inline void words_init(struct words *c, const struct bk_type *t)
{
	const struct bk__kind *k = &bk__kinds[bk_kind(t)];
	const uint32_t *p;
	int32_t stride;

	c->id_left = bk__kind_ids(t, &p, &stride);
	c->id_at = (uint32_t)(p - (const uint32_t *)t);
	c->id_step = (uint32_t)stride;
	c->str_left = k->flags & BK__KF_ELEM_NAMED ? bk_vlen(t) : 0;
	c->str_at = 3 + k->info_sz / 4;
	c->str_step = k->elem_sz / 4;
}

enum { W_PLAIN, W_ID, W_STR };

static inline int words_next(struct words *c, uint32_t i)
{
	if (c->id_left && i == c->id_at) {
		c->id_left--;
		c->id_at += c->id_step;
		return W_ID;
	}
	if (c->str_left && i == c->str_at) {
		c->str_left--;
		c->str_at += c->str_step;
		return W_STR;
	}
	return W_PLAIN;
}

/*
 * The whole record: strings as their new offsets, type IDs resolved when
 * resolve is set (own reference types) or as stored (base records and the
 * primitive kinds, which have none).
 */
static uint32_t hash_rec(const struct dd *d, const struct bk_type *t, bool resolve)
{
	const uint32_t *w = (const uint32_t *)t;
	size_t n = rec_words(t);
	uint64_t h = mix(0x243f6a8885a308d3ull, dd_s(d, w[0]));
	struct words c;

	if (!resolve && !(bk__kinds[bk_kind(t)].flags & BK__KF_ELEM_NAMED)) {
		/* nothing past the name to translate: the words as they are */
		for (uint32_t i = 1; i < n; i++)
			h = mix(h, w[i]);
		return fold(h);
	}
	if (bk_kind(t) == BK_KIND_FUNC_PROTO) {
		/*
		 * The commonest record with both kinds of words (every base
		 * prototype goes through here): the same sequence as the
		 * cursor below gives, written out.
		 */
		h = mix(mix(h, w[1]), resolve ? dd_resolve(d, w[2]) : w[2]);
		for (uint32_t i = 3; i + 1 < n; i += 2)
			h = mix(mix(h, dd_s(d, w[i])), resolve ? dd_resolve(d, w[i + 1]) : w[i + 1]);
		return fold(h);
	}
	words_init(&c, t);
	for (uint32_t i = 1; i < n; i++) {
		uint32_t v = w[i];

		switch (words_next(&c, i)) {
		case W_STR:
			v = dd_s(d, v);
			break;
		case W_ID:
			if (resolve)
				v = dd_resolve(d, v);
			break;
		}
		h = mix(h, v);
	}
	return fold(h);
}

uint32_t bk__dd_hash_type(const struct dd *d, const struct bk_type *t)
{
	uint64_t h = 0x243f6a8885a308d3ull;
	const struct bk_member *m;

	switch (bk_kind(t)) {
	case BK_KIND_ENUM:
	case BK_KIND_ENUM64:
		return fold(mix(h, dd_s(d, t->name_off)));
	case BK_KIND_TYPEDEF:
		return fold(mix(mix(h, dd_s(d, t->name_off)), t->info));
	case BK_KIND_FWD: /* what bk__dd_equal_rec compares of one */
		return fold(mix(mix(h, dd_s(d, t->name_off)), bk_kflag(t)));
	case BK_KIND_STRUCT:
	case BK_KIND_UNION:
		h = mix(mix(mix(h, dd_s(d, t->name_off)), t->info), t->size);
		m = bk_members(t);
		for (unsigned i = 0, n = bk_vlen(t); i < n; i++)
			h = mix(mix(mix(h, dd_s(d, m[i].name_off)), m[i].offset),
				dd_s(d, dd_type(d, m[i].type)->name_off));
		return fold(h);
	default:
		return hash_rec(d, t, false);
	}
}

uint32_t bk__dd_enum_key(const struct dd *d, const struct bk_type *t, uint32_t name_hash,
		     enum bk__dd_enum_key key)
{
	const uint32_t *w = (const uint32_t *)t;
	unsigned stride = bk_kind(t) == BK_KIND_ENUM64 ? 3 : 2;
	uint64_t h;

	if (key == DD_ENUM_FWD)
		return fold(mix(0x13198a2e03707344ull, name_hash));
	h = mix(mix(mix(0xa4093822299f31d0ull, name_hash), t->info), t->size);
	/* enumerators: name, value (and the value's high half for ENUM64) */
	for (uint32_t i = 0, n = bk_vlen(t); i < n; i++) {
		const uint32_t *e = w + 3 + (size_t)i * stride;

		h = mix(mix(h, dd_s(d, e[0])), e[1]);
		if (stride == 3)
			h = mix(h, e[2]);
	}
	return fold(h);
}

void bk__dd_table_add_type(struct dd *d, const struct bk_type *t, uint32_t hash, uint32_t id)
{
	bk__dd_table_add(&d->table, hash, id);
	if (bk_is_any_enum(t))
		bk__dd_table_add(&d->table,
			     bk__dd_enum_key(d, t, hash, dd_is_enum_fwd(t) ? DD_ENUM_FWD : DD_ENUM_FULL), id);
}

uint32_t bk__dd_hash_ref(const struct dd *d, const struct bk_type *t)
{
	return hash_rec(d, t, true);
}

/*
 * A FWD is its name and kflag (struct or union); the rest of its record
 * is unused, and bits set there (which the kernel refuses, the parser
 * accepts) must not tell two declarations of one struct apart: a FWD
 * equals the struct it declares, so two such FWDs that differed would
 * make equivalence intransitive, and a second dedup would merge what the
 * first could not (a typedef of each FWD, then one of the struct matching
 * the newer: the older typedef is left with a FWD the struct resolves).
 */
static bool equal_fwd(const struct dd *d, const struct bk_type *a, const struct bk_type *b)
{
	return bk_kflag(a) == bk_kflag(b) && dd_same_str(d, a->name_off, b->name_off);
}

bool bk__dd_equal_rec(const struct dd *d, const struct bk_type *a, const struct bk_type *b)
{
	if (dd_is_fwd(a) && dd_is_fwd(b))
		return equal_fwd(d, a, b);
	if (a->info != b->info || !dd_same_str(d, a->name_off, b->name_off))
		return false;
	return !memcmp((const uint32_t *)a + 1, (const uint32_t *)b + 1, (rec_words(a) - 1) * 4);
}

static bool equal_common(const struct dd *d, const struct bk_type *a, const struct bk_type *b)
{
	return a->info == b->info && a->size == b->size && dd_same_str(d, a->name_off, b->name_off);
}

bool bk__dd_equal_enum(const struct dd *d, const struct bk_type *a, const struct bk_type *b)
{
	unsigned n = bk_vlen(a);

	if (!equal_common(d, a, b))
		return false;
	if (bk_kind(a) == BK_KIND_ENUM) {
		const struct bk_enum *x = bk_enums(a), *y = bk_enums(b);

		for (unsigned i = 0; i < n; i++) {
			if (x[i].val != y[i].val || !dd_same_str(d, x[i].name_off, y[i].name_off))
				return false;
		}
		return true;
	}
	if (bk_kind(a) == BK_KIND_ENUM64) {
		const struct bk_enum64 *x = bk_enum64s(a), *y = bk_enum64s(b);

		for (unsigned i = 0; i < n; i++) {
			if (x[i].val_lo32 != y[i].val_lo32 || x[i].val_hi32 != y[i].val_hi32 ||
			    !dd_same_str(d, x[i].name_off, y[i].name_off))
				return false;
		}
		return true;
	}
	return false;
}

/*
 * Enums are compatible when equal, or when either is a forward declaration
 * (vlen 0) of the same name: then size, signedness and ENUM vs ENUM64 do
 * not matter.
 */
bool bk__dd_compat_enum(const struct dd *d, const struct bk_type *a, const struct bk_type *b)
{
	if (!dd_is_enum_fwd(a) && !dd_is_enum_fwd(b))
		return bk__dd_equal_enum(d, a, b);
	return bk_is_any_enum(a) && bk_is_any_enum(b) && dd_same_str(d, a->name_off, b->name_off);
}

bool bk__dd_shallow_struct(const struct dd *d, const struct bk_type *a, const struct bk_type *b)
{
	const struct bk_member *ma, *mb;

	if (!equal_common(d, a, b))
		return false;
	ma = bk_members(a);
	mb = bk_members(b);
	for (unsigned i = 0, n = bk_vlen(a); i < n; i++) {
		if (ma[i].offset != mb[i].offset || !dd_same_str(d, ma[i].name_off, mb[i].name_off))
			return false;
	}
	return true;
}

bool bk__dd_compat_array(const struct dd *d, const struct bk_type *a, const struct bk_type *b)
{
	return equal_common(d, a, b) && bk_array_of(a)->nelems == bk_array_of(b)->nelems;
}

/* Same name, info and parameter names; return and parameter types not compared. */
bool bk__dd_compat_proto(const struct dd *d, const struct bk_type *a, const struct bk_type *b)
{
	const struct bk_param *pa, *pb;

	if (a->info != b->info || !dd_same_str(d, a->name_off, b->name_off))
		return false;
	pa = bk_params(a);
	pb = bk_params(b);
	for (unsigned i = 0, n = bk_vlen(a); i < n; i++) {
		if (!dd_same_str(d, pa[i].name_off, pb[i].name_off))
			return false;
	}
	return true;
}

bool bk__dd_equal_ref(const struct dd *d, const struct bk_type *t, const struct bk_type *c, bool c_own)
{
	const uint32_t *a = (const uint32_t *)t, *b = (const uint32_t *)c;
	struct words w;
	size_t n;

	if (t->info != c->info || !dd_same_str(d, t->name_off, c->name_off))
		return false;
	n = rec_words(t);
	words_init(&w, t);
	for (uint32_t i = 1; i < n; i++) {
		switch (words_next(&w, i)) {
		case W_ID:
			if (dd_resolve(d, a[i]) != (c_own ? dd_resolve(d, b[i]) : b[i]))
				return false;
			break;
		case W_STR:
			if (!dd_same_str(d, a[i], b[i]))
				return false;
			break;
		default:
			if (a[i] != b[i])
				return false;
		}
	}
	return true;
}
