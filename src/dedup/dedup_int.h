/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Internals shared by the dedup files (src/dedup/): the dedup state, the
 * candidate hash table, per-kind hashing and shallow equality, the graph
 * equivalence walk, the string phase, FWD resolution and the reference
 * phase, and the output (compaction). The algorithm is described at the
 * top of dedup.c.
 *
 * Invariants while a dedup runs:
 *  - map[id] is UNSET for own types not yet processed, BUSY for own
 *    reference types on the reference-phase stack, otherwise an ID; a type
 *    is canonical when map[id] == id. Following map from any ID ends at a
 *    canonical or unprocessed type (no map cycles: every assignment points
 *    at a resolved ID different from the assigned one).
 *  - hypot[id] is NONE except for the IDs listed in hlist[0..hcnt): the
 *    hypothetical mapping of the current equivalence check.
 *  - Records are read, never written: strings are compared by their new
 *    offsets (dd_s) and reference types keyed with resolved IDs; only the
 *    output copy of each surviving record is rewritten.
 *  - Memory grows with use (arrays indexed by type ID excepted: those are
 *    what every type needs). A failed allocation sets err, after which
 *    the phases only wind down (walks report "different", nothing more
 *    is added); the driver checks err after each phase and gives up.
 *    The object is changed only once every phase has succeeded, so a
 *    failing dedup leaves it as it was.
 */
#ifndef BTFKIT_DEDUP_INT_H
#define BTFKIT_DEDUP_INT_H

#include "internal.h"
#include "btfkit/dedup.h"

#define DD_UNSET 0xffffffffu /* map: own type not processed yet */
#define DD_BUSY 0xfffffffeu  /* map: on the reference-phase stack */
#define DD_NONE 0xffffffffu  /* hypot / final: no value */

/*
 * Multimap hash -> type IDs: an open-addressing table with one slot per
 * distinct hash (id: 1 + index of the newest entry with that hash; 0 marks
 * an empty slot), and per hash a list of entries, newest first. Distinct
 * hashes only in the slots keeps probe runs short even when thousands of
 * types share a hash (anonymous enums). Slots and entries grow with the
 * contents (slots doubled at load 1/2, entries by bk__grow); a failed
 * growth sets err and the add is dropped (the table stays consistent, and
 * the dedup gives up).
 */
struct dd_slot {
	uint32_t hash, id;
};
struct dd_entry {
	uint32_t id, next; /* next: 1 + index of the next older entry, or 0 */
};
struct dd_table {
	struct dd_slot *slots;
	struct dd_entry *entries;
	size_t entries_cap;
	uint32_t mask;     /* size - 1 */
	uint32_t nslots;   /* distinct hashes */
	uint32_t count;    /* entries */
	int err;           /* -ENOMEM or -E2BIG once an add was dropped */
};

/* 64 bits of a ranked bitmap (bytes of the own string section that are
 * referenced offsets; own types that survive), and how many set bits come
 * before (one cache access per lookup). */
struct dd_sword {
	uint64_t bits;
	uint32_t rank, pad;
};

/*
 * One pair on the equivalence stack (and, popped, on the walk's plist),
 * or one type on the reference-phase stack (cand). For a pair, the
 * type-ID fields to compare are n words at pa/pb, stride words apart
 * (every kind keeps them evenly spaced: struct members 3 words,
 * FUNC_PROTO return and params 2, an ARRAY's index then element -1), so
 * the walk steps through them without decoding the records again; next
 * counts the fields visited.
 */
struct dd_frame {
	const uint32_t *pa;
	uint32_t cand, canon;
	const uint32_t *pb; /* (apart from pa: loaded as two words, not a pair) */
	uint32_t next, n;
	int32_t stride;
	uint32_t kind;
};

/*
 * Witness of a deep failure: the child-index path from a canonical root to
 * the first pair of records that differed when some candidate was walked
 * against it. Kept in a small direct-mapped cache (dd->wit) keyed by the
 * canonical root; see bk__dd_known_differ() in equiv.c.
 */
#define DD_WIT_SLOTS 4096  /* power of two */
#define DD_WIT_MAX 128     /* longest path kept */
#define DD_WIT_MIN 4       /* shallower failures are cheap to walk again */
struct dd_witness {
	uint32_t canon;    /* 0: empty slot */
	uint32_t len;
	uint16_t path[DD_WIT_MAX];
};

struct dd {
	struct bk_btf *btf;
	uint8_t *types;          /* btf->types, btf->type_offs */
	uint32_t *offs;
	uint8_t *btypes;         /* the same of the base, when it is not split */
	uint32_t *boffs;
	struct bk_dedup_opts opts;  /* the caller's, defaults for what it lacks */
	uint32_t start_id, cnt;  /* own IDs are [start_id, cnt) */
	uint8_t *kinds;          /* kind of each type, base included (cnt entries) */
	uint32_t unknown;        /* the first own type of an unknown kind, or 0 */
	uint32_t *map;           /* cnt entries */
	uint32_t *hypot;         /* cnt entries, NONE when unset (phases 4-4b) */
	/*
	 * hlist, mlist, plist and stack share one capacity, lcap entries
	 * (stack: frames), grown together (bk__dd_lists_grow): a walk enters
	 * each pair once, adding one hlist entry and at most one mlist entry
	 * and frame, and each frame gives at most one plist entry, so
	 * mcnt, pcnt and sp never exceed hcnt, and enter() checks room for
	 * all four at once. The reference phase checks its stack itself.
	 */
	uint32_t lcap;
	int err;                 /* -ENOMEM after a failed allocation */
	uint32_t *hlist;         /* touched hypot entries */
	uint32_t hcnt;
	/*
	 * The entries of hlist bk__dd_hypot_merge may act on, in the same
	 * order: structs, unions, typedefs, pairs with a FWD, reference
	 * kinds paired with own types (not primitives: nothing to merge;
	 * not reference kinds paired with base types: plist).
	 */
	uint32_t *mlist;
	uint32_t mcnt;
	/*
	 * Reference-kind pairs of the current walk whose canonical side is a
	 * base type: their frames, copied whole as they were popped
	 * (postorder: the pairs below a pair come before it), for
	 * bk__dd_hypot_merge (which reads pa, pb, n, stride, cand, canon).
	 */
	struct dd_frame *plist;
	uint32_t pcnt;
	bool adjust_canon;       /* equivalence needs a base FWD resolved */
	bool strict;             /* ... also one resolved by an earlier walk */
	uint32_t *refused;       /* own types a match was refused for */
	uint32_t nrefused, refused_cap;
	/*
	 * Known non-equivalent pairs: neq[cand] = canon when a walk from
	 * (cand, canon) reached records that differ (names, kinds, sizes,
	 * members...: not a conflict of the hypothesis, which depends on the
	 * walk). Such a pair can never be equivalent, so later walks through
	 * it stop at once instead of walking the same graphs to the same
	 * difference (a module whose copy of a core struct differs would
	 * otherwise re-walk the core graph from each of its structs).
	 */
	uint32_t *neq;           /* (phases 4-4b, like hypot and wit) */
	bool intrinsic;          /* the last failure was a record difference */
	bool neq_hit;            /* ... found through neq, not by comparing */
	struct dd_witness *wit;  /* DD_WIT_SLOTS deep-failure witnesses */
	struct dd_frame *stack;  /* lcap frames */
	uint32_t sp;
	struct dd_table table;
	uint32_t budget;         /* node budget of one identical-types check */

	/* explanations: filled only when explain is set */
	bool explain;
	char why[384];

	/*
	 * Own types that survive, one bit each (bit i: type start_id + i),
	 * with the count of survivors before each word: filled by phase 6,
	 * read as final IDs by phase 7 (see final_id in dedup.c).
	 */
	struct dd_sword *surv;
	/*
	 * Own types phase 3 handles (DD_P3), one bit each (bit i: type
	 * start_id + i): noted by the string phase, freed after phase 3.
	 */
	uint64_t *p3;

	/* string phase: referenced own offsets -> new global offsets */
	uint32_t str_base;       /* btf->start_str_off */
	struct dd_sword *swords; /* one bit per byte of the own string section */
	uint32_t *snew;          /* new offset per set bit, in offset order */
	struct bk__strset *sset; /* the new own string section */
	/*
	 * Split: one bit per byte of the base chain's strings, set at each
	 * base offset an own string resolves to (a name own types may have);
	 * add_base leaves out of the table the named base types no own type
	 * can be named like. NULL: every base type goes in.
	 */
	uint64_t *bnames;
};

/*
 * Kind sets of the algorithm (bit k for kind k; libbpf's phases). These
 * are dedup's own classification, not facts of the records, so they live
 * here rather than in the kind table.
 *  - DD_PRIM: compared whole, no graph (phase 3);
 *  - DD_REF: the reference kinds a walk meets, canonicalized in phase 6
 *    (DECL_TAG is canonicalized there too, but nothing refers to one);
 *  - DD_WALKED: kinds whose children the equivalence walk compares.
 */
#define DD_K(k) (1u << BK_KIND_##k)
#define DD_PRIM (DD_K(INT) | DD_K(FLOAT) | DD_K(FWD) | DD_K(ENUM) | DD_K(ENUM64))
#define DD_REF (DD_K(PTR) | DD_K(CONST) | DD_K(VOLATILE) | DD_K(RESTRICT) | DD_K(TYPE_TAG) | \
		DD_K(ARRAY) | DD_K(FUNC) | DD_K(FUNC_PROTO))
#define DD_WALKED (DD_REF | DD_K(STRUCT) | DD_K(UNION) | DD_K(TYPEDEF))
/* Phase 3: the primitives, and the kinds that map to themselves. */
#define DD_P3 (DD_PRIM | DD_K(VAR) | DD_K(DATASEC) | DD_K(UNKN))

static inline bool dd_in(uint32_t set, unsigned kind)
{
	return kind < 32 && (set >> kind) & 1;
}

static const struct bk_type dd_void_type;

/* Any type by ID (0 is void), own or in the base chain. */
static inline struct bk_type *dd_type(const struct dd *d, uint32_t id)
{
	const struct bk_btf *b = d->btf;

	if (__builtin_expect(id >= d->start_id, 1))
		return (struct bk_type *)(d->types + d->offs[id - d->start_id]);
	if (id == 0)
		return (struct bk_type *)&dd_void_type;
	if (d->btypes)
		return (struct bk_type *)(d->btypes + d->boffs[id - 1]);
	while (id < b->start_id)
		b = b->base;
	return (struct bk_type *)(b->types + b->type_offs[id - b->start_id]);
}

/*
 * hypot and neq start zeroed (calloc: pages never touched cost nothing) and
 * hold the complement of their values, so a zero entry reads as DD_NONE.
 */
static inline uint32_t dd_hypot(const struct dd *d, uint32_t id)
{
	return ~d->hypot[id];
}

static inline void dd_set_hypot(struct dd *d, uint32_t id, uint32_t v)
{
	d->hypot[id] = ~v;
}

static inline uint32_t dd_neq(const struct dd *d, uint32_t id)
{
	return ~d->neq[id];
}

static inline void dd_set_neq(struct dd *d, uint32_t id, uint32_t v)
{
	d->neq[id] = ~v;
}

static inline bool dd_mapped(const struct dd *d, uint32_t id)
{
	return d->map[id] < DD_BUSY;
}

/* Follow map to the canonical (or still unprocessed) type. */
static inline uint32_t dd_resolve(const struct dd *d, uint32_t id)
{
	uint32_t m;

	while ((m = d->map[id]) < DD_BUSY && m != id)
		id = m;
	return id;
}

/*
 * The new offset of a string offset found in a record (base offsets and,
 * outside a dedup, every offset stay as they are). Records keep their old
 * offsets until compaction: rewriting them would copy every page of a
 * file-mapped input.
 */
static inline uint32_t dd_s(const struct dd *d, uint32_t off)
{
	uint64_t below;

	const struct dd_sword *w;

	if (off < d->str_base || !d->swords)
		return off;
	off -= d->str_base;
	w = &d->swords[off >> 6];
	below = w->bits & ((1ull << (off & 63)) - 1);
	return d->snew[w->rank + bk__popcount64(below)];
}

/* Same string? (equal offsets are, whatever the section holds) */
static inline bool dd_same_str(const struct dd *d, uint32_t a, uint32_t b)
{
	return a == b || dd_s(d, a) == dd_s(d, b);
}

static inline bool dd_is_fwd(const struct bk_type *t)
{
	return bk_kind(t) == BK_KIND_FWD;
}

static inline bool dd_is_enum_fwd(const struct bk_type *t)
{
	return bk_is_any_enum(t) && bk_vlen(t) == 0;
}

/*
 * Room in hlist, mlist, plist and the stack for entry number used (see
 * lcap); false (and d->err set) when it cannot be had.
 */
BK_HIDDEN bool bk__dd_lists_grow(struct dd *d, uint32_t used);
static inline bool dd_room(struct dd *d, uint32_t used)
{
	return __builtin_expect(used < d->lcap, 1) || bk__dd_lists_grow(d, used);
}

/*
 * The record of own type id, requested ahead of its use by the phases that
 * go through the own types in ID order (see "Look-ahead" in dedup.c).
 */
#define AHEAD_IDS 64
static inline void dd_ahead_rec(const struct dd *d, uint32_t id)
{
	__builtin_prefetch(d->types + d->offs[id - d->start_id]);
}

/*
 * The set bits of a bitmap over the own types, in ID order. The words of
 * bits are stride bytes apart: phase 3's d->p3 is plain words, the
 * survivors' d->surv keeps a count beside each.
 */
struct dd_bit_iter {
	const unsigned char *words;
	size_t stride;
	uint32_t w, nw;
	uint64_t bits;
};

static inline uint64_t dd_bit_word(const struct dd_bit_iter *it, uint32_t w)
{
	return *(const uint64_t *)(it->words + (size_t)w * it->stride);
}

static inline void dd_bit_iter_init(struct dd_bit_iter *it, const struct dd *d,
				    const void *words, size_t stride)
{
	it->words = words;
	it->stride = stride;
	it->w = 0;
	it->nw = (d->cnt - d->start_id) / 64 + 1;
	it->bits = dd_bit_word(it, 0);
}

/* The next set bit's type ID into *id; false after the last. */
static inline bool dd_bit_next(const struct dd *d, struct dd_bit_iter *it, uint32_t *id)
{
	while (!it->bits) {
		if (++it->w >= it->nw)
			return false;
		it->bits = dd_bit_word(it, it->w);
	}
	*id = d->start_id + it->w * 64 + (uint32_t)__builtin_ctzll(it->bits);
	it->bits &= it->bits - 1;
	return true;
}

/* (d->surv is such words: its bits first, stride sizeof(struct dd_sword)) */
_Static_assert(offsetof(struct dd_sword, bits) == 0, "dd_sword: the bits first");

/*
 * A pass over the set bits that requests the record of the type
 * DD_BITS_AHEAD set bits ahead of the one it hands out (see "Look-ahead"
 * in dedup.c): phase 3 and compaction.
 */
#define DD_BITS_AHEAD 8
struct dd_bit_pass {
	struct dd_bit_iter it, ahead;
	bool more;
};

static inline void dd_bit_pass_init(struct dd_bit_pass *p, const struct dd *d, const void *words,
				    size_t stride)
{
	uint32_t id;

	dd_bit_iter_init(&p->it, d, words, stride);
	dd_bit_iter_init(&p->ahead, d, words, stride);
	p->more = true;
	for (unsigned k = 0; k < DD_BITS_AHEAD && (p->more = dd_bit_next(d, &p->ahead, &id)); k++)
		dd_ahead_rec(d, id);
}

static inline bool dd_bit_pass_next(const struct dd *d, struct dd_bit_pass *p, uint32_t *id)
{
	uint32_t next;

	if (!dd_bit_next(d, &p->it, id))
		return false;
	if (p->more && (p->more = dd_bit_next(d, &p->ahead, &next)))
		dd_ahead_rec(d, next);
	return true;
}

/* ---- refs.c: phases 5 and 6 ---- */
/* Phase 5: each own FWD to the only canonical struct/union of its name (sets err on failure). */
BK_HIDDEN void bk__dd_resolve_fwds(struct dd *d);
/* Phase 6: canonicalize the unprocessed own reference type root and what it reaches. */
BK_HIDDEN void bk__dd_ref(struct dd *d, uint32_t root);

/* ---- compact.c: phase 7, the output ---- */
struct dd_out {
	uint8_t *types;
	uint32_t *offs;
	size_t types_len, types_cap;
	uint32_t nr, offs_cap;
};
/* The output buffers, sized for the survivors exactly; 0 or -ENOMEM. */
BK_HIDDEN int bk__dd_out_alloc(struct dd *d, struct dd_out *o);
/* The final ID of an own type that survives, DD_NONE for one that does not. */
BK_HIDDEN uint32_t bk__dd_final_id(const struct dd *d, uint32_t id);
/* The survivors in order, IDs and strings remapped, into o (cannot fail). */
BK_HIDDEN void bk__dd_compact(struct dd *d, struct dd_out *o);

/* ---- hash.c: the candidate table and per-kind hashing/equality ---- */
/* An empty table; 0 or -ENOMEM. */
BK_HIDDEN int bk__dd_table_init(struct dd_table *tab);
BK_HIDDEN void bk__dd_table_free(struct dd_table *tab);
/* Add id under hash; on a failed growth the add is dropped and tab->err set. */
BK_HIDDEN void bk__dd_table_add(struct dd_table *tab, uint32_t hash, uint32_t id);
/* Grow now to hold n more distinct hashes (bulk adds rehash once). */
BK_HIDDEN void bk__dd_table_reserve(struct dd_table *tab, uint32_t n);
/* Start loading the slot a hash probes first (bulk adds, see add_base). */
static inline void dd_table_prefetch(const struct dd_table *tab, uint32_t hash)
{
	__builtin_prefetch(&tab->slots[hash & tab->mask], 1);
}
/* A zeroed scratch table for n entries (load <= 1/2): calloc'ed, *mask its size - 1. */
BK_HIDDEN struct dd_slot *bk__dd_slots_new(uint32_t n, uint32_t *mask);
/*
 * Candidates with one hash, newest first (as libbpf's bucket lists give
 * them, so ties between non-equivalent candidates break the same way):
 *	struct dd_iter it;
 *	dd_table_iter(tab, hash, &it);
 *	while ((id = dd_table_next(tab, &it))) ...
 */
struct dd_iter {
	uint32_t next;
};
static inline void dd_table_iter(const struct dd_table *tab, uint32_t hash, struct dd_iter *it)
{
	uint32_t p = hash & tab->mask;

	while (tab->slots[p].id && tab->slots[p].hash != hash)
		p = (p + 1) & tab->mask;
	it->next = tab->slots[p].id;
}
static inline uint32_t dd_table_next(const struct dd_table *tab, struct dd_iter *it)
{
	const struct dd_entry *e;

	if (!it->next)
		return 0;
	e = &tab->entries[it->next - 1];
	it->next = e->next;
	return e->id;
}

/* Hash of a record as every phase keys it (by kind). */
BK_HIDDEN uint32_t bk__dd_hash_type(const struct dd *d, const struct bk_type *t);
/*
 * Enums are in the table under three keys (bk__dd_hash_type() is the first):
 * every enum under its name (a forward declaration takes the newest enum
 * of its name, full or not), full enums also under name and values, and
 * forward declarations also under a key of their own (a full enum
 * re-points them). All anonymous enums share a name: the full key spares
 * walking all of them for each copy.
 */
enum bk__dd_enum_key { DD_ENUM_FULL, DD_ENUM_FWD };
BK_HIDDEN uint32_t bk__dd_enum_key(const struct dd *d, const struct bk_type *t, uint32_t name_hash,
		     enum bk__dd_enum_key key);
/* Add a canonical type to the table under every key it has. */
BK_HIDDEN void bk__dd_table_add_type(struct dd *d, const struct bk_type *t, uint32_t hash, uint32_t id);
/* Reference kinds: hash and equality with type IDs resolved (c_own: c is an
 * own type whose IDs need resolving too; base records are canonical). */
BK_HIDDEN uint32_t bk__dd_hash_ref(const struct dd *d, const struct bk_type *t);
BK_HIDDEN bool bk__dd_equal_ref(const struct dd *d, const struct bk_type *t, const struct bk_type *c, bool c_own);
/* Whole-record equality (INT, FLOAT; a FWD by name and kflag, see hash.c). */
BK_HIDDEN bool bk__dd_equal_rec(const struct dd *d, const struct bk_type *a, const struct bk_type *b);
BK_HIDDEN bool bk__dd_equal_enum(const struct dd *d, const struct bk_type *a, const struct bk_type *b);
BK_HIDDEN bool bk__dd_compat_enum(const struct dd *d, const struct bk_type *a, const struct bk_type *b);
/* Name, info, size, member names and offsets (not member types). */
BK_HIDDEN bool bk__dd_shallow_struct(const struct dd *d, const struct bk_type *a, const struct bk_type *b);
BK_HIDDEN bool bk__dd_compat_array(const struct dd *d, const struct bk_type *a, const struct bk_type *b);
BK_HIDDEN bool bk__dd_compat_proto(const struct dd *d, const struct bk_type *a, const struct bk_type *b);

/* ---- equiv.c: graph equivalence with a hypothetical mapping ---- */
/* 1 when cand's graph is equivalent to canon's, 0 otherwise. */
BK_HIDDEN int bk__dd_equiv(struct dd *d, uint32_t cand, uint32_t canon);
BK_HIDDEN void bk__dd_hypot_clear(struct dd *d);
/*
 * Cheap sound rejection before a walk: true when the path of a failure
 * witnessed earlier for canon leads, in cand's graph, to records that differ
 * (so bk__dd_equiv(cand, canon) would fail). False means "walk to find out".
 */
BK_HIDDEN bool bk__dd_known_differ(struct dd *d, uint32_t cand, uint32_t canon);
/* Apply what a successful check learned (FWD resolutions, struct maps). */
BK_HIDDEN void bk__dd_hypot_merge(struct dd *d);
/* After a failed bk__dd_equiv with explain set: the failing path, into buf. */
BK_HIDDEN void bk__dd_explain_path(const struct dd *d, char *buf, size_t size);
/* Report to the caller's log why id did not merge with cand (extra, or the walk's path). */
BK_HIDDEN void bk__dd_log_miss(struct dd *d, uint32_t id, uint32_t cand, const char *extra);

/* ---- strings.c: the string phase ---- */
/* Compute the new string section; no change to the object. */
BK_HIDDEN int bk__dd_strings_prepare(struct dd *d);
/* Rewrite the string offsets of an output record (cannot fail). */
BK_HIDDEN void bk__dd_strings_remap(const struct dd *d, struct bk_type *t);
BK_HIDDEN void bk__dd_strings_free(struct dd *d);

#endif /* BTFKIT_DEDUP_INT_H */
