// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * BTF dedup: the entry point and the phases.
 *
 * The problem. Producers emit one type graph per compile unit (or per
 * module), so the same struct, its pointers, typedefs and arrays appear many
 * times, sometimes incompletely (a unit that only forward-declares a struct
 * has a FWD where another has the full definition). Dedup keeps one
 * canonical copy of each type and points every reference at it. Types are
 * equal when their graphs are isomorphic, cycles through pointers
 * included, with a FWD allowed to stand for the struct/union it declares.
 *
 * State (src/dedup/dedup_int.h): flat arrays indexed by type ID -- map (the
 * canonical ID of each type), hypot (the hypothetical mapping of one
 * equivalence check, undone through the touched list hlist) -- and one hash
 * table of canonical types keyed per kind (hash.c), whose candidates come
 * newest first as libbpf's do. Base types (split BTF) are canonical from
 * the start and never change; those a split type may map onto (anonymous,
 * or named like some split type) are in the table. No per-type allocation;
 * input records are only read.
 *
 * Example: units A and B both define struct list { struct list *next; },
 * unit C declares only "struct list;" and has struct user { struct list *l; }.
 * Phase 4 walks B's list against A's: list~list, next: PTR~PTR, their
 * targets list~list again (the hypothesis closes the cycle): equal, so B's
 * list and (merge step) B's PTR map onto A's. C's FWD list is not in any
 * walk against a struct; phase 5 resolves it (one canonical "list"), and
 * phase 6 then finds C's PTR -> list equal to A's PTR. Result: list, one
 * PTR, user. The unit tests (tests/unit/test_dedup.c) have one case per rule.
 *
 * Phases, in order (each own type is handled by exactly one of 3-6):
 *  1. prepare (may fail; the object is not touched): check kinds, allocate
 *     the arrays indexed by type ID, compute the new string section
 *     (strings.c). The lists of a walk, the stacks and the candidate table
 *     start small and grow with use; a failed growth makes the phases wind
 *     down and the dedup fail. The object is changed only at the end, so a
 *     failed dedup leaves it unchanged.
 *  2. (strings) records keep their old string offsets; every comparison
 *     and hash maps them to the new ones (dd_s), so equal names are equal
 *     numbers and no characters are compared.
 *  3. primitive kinds (INT, FLOAT, FWD, ENUM, ENUM64), in ID order: the
 *     first equal candidate wins (a FWD equals one of its name and kflag,
 *     whatever its unused bits hold: see bk__dd_equal_rec). An enum
 *     forward declaration (vlen 0) takes a full enum of the same name
 *     (ENUM or ENUM64); a full enum met after a canonical forward
 *     re-points that forward at itself. (Enums are in the table under
 *     three keys, bk__dd_enum_key(), so a full enum meets only enums with
 *     its values.)
 *  4. STRUCT, UNION, TYPEDEF, in ID order, by graph equivalence (equiv.c):
 *     each shallowly matching candidate is checked with a fresh
 *     hypothetical map; on success the map's facts are merged (FWDs
 *     resolved; structs, typedefs and reference types of the candidate
 *     graph mapped to their canonical counterparts, so they are neither
 *     walked nor hashed again; reference types paired with base types
 *     map only when their records, targets resolved, are the base
 *     records). A match that would need a
 *     base FWD resolved to a split struct is refused: the base never
 *     changes, so the split struct stays distinct. (The FWD is pointed at
 *     the split struct all the same, and later walks through it match.)
 * 4b. the refused ones again, strictly (retry_refused): one that met the
 *     FWD only through split copies later walks mapped onto the base
 *     matches now, as a second dedup would match it.
 *  5. unique-name FWD resolution (refs.c): a FWD no graph reached
 *     resolves to the only canonical struct/union of its name, if there
 *     is exactly one (base included) and its kind matches.
 *  6. reference kinds (refs.c: PTR, modifiers, TYPE_TAG, ARRAY, FUNC,
 *     FUNC_PROTO, DECL_TAG), bottom-up with an explicit stack: once a
 *     type's targets are canonical, the record with its targets'
 *     canonical IDs is the key, and the first equal candidate wins. A
 *     cycle made only of reference kinds (invalid BTF) is left
 *     undeduplicated, not an error.
 *  VAR and DATASEC are never merged (they are canonical from the start);
 *  the types they reference are.
 *  7. compaction (compact.c): surviving own types (map[id] == id) keep their
 *     order and get consecutive IDs; every type-ID field is remapped to the
 *     final ID of its canonical type. The result replaces the object's
 *     types and strings.
 *
 * Cost: every phase is linear in the number of type fields, except the
 * graph walks of phase 4, which visit each candidate graph once per
 * candidate tried; the merge step of a successful walk maps the structs it
 * visited, so a struct graph duplicated N times is walked about N times in
 * total, not N times per struct. Walks that fail are bounded two ways:
 * pairs found to differ are remembered (neq), and a canonical struct whose
 * walk once failed deep keeps that failure's path (a witness, equiv.c):
 * later candidates follow only that path, and are rejected without a walk
 * when it leads to a difference (in split BTF, every copy of a base struct
 * meets first the newer variant a module made of it).
 *
 * Compared with libbpf's btf__dedup (libbpf's btf.c; the comment above
 * btf__dedup describes it) the phases and their order are the same, and so are the results on already clean
 * inputs (identical raw dumps on the corpus tests, or from about 500
 * modules split the same records in another order: see the split item
 * below). Differences, each a merge libbpf misses, a failure it has, or
 * (the split item) an order it does not keep:
 *  - typedefs are compared as graphs in phase 4 (recursive typedefs work);
 *  - a FWD met where its struct was already matched in the same walk counts
 *    as that struct (units mixing "struct x;" and struct x's definition);
 *  - the identical-types check compares array element and index types (the
 *    typo in libbpf's 2025 rewrite of that check, which reads the first
 *    array twice, is not copied) and follows FWDs;
 *  - a cycle of reference types is left as is instead of failing;
 *  - in split BTF, a split reference type whose record (targets resolved)
 *    is a base record maps onto the base type when its walk succeeds,
 *    before any base FWD is pointed at a split struct (libbpf checks it
 *    after, and keeps a copy of a pointer to such a FWD); so copies of
 *    base types leave the split as they do in the modules' own split BTF;
 *  - strings keep their old relative order (libbpf: first-use order), so an
 *    already deduplicated input comes out byte-identical.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/mman.h>

#include "dedup_int.h"

static struct bk_type *own_type(const struct dd *d, uint32_t id)
{
	return bk__own_type(d->btf, id);
}

/*
 * Look-ahead. The phases go through the own types in ID order, but what
 * each type costs is mostly waiting for memory: records and map entries
 * read in inputs far larger than the caches (150 MB of records at 500
 * modules). Phase 6 therefore requests, AHEAD_IDS types ahead of the one
 * it handles, the record of the later type if that one is its to handle;
 * phases 3 and 7, which go through bitmaps of the types they handle,
 * request the record DD_BITS_AHEAD types ahead in theirs. The requests
 * overlap instead of each waiting in turn.
 *
 * Phase 4 needs more than the next types: a walk from an own struct visits
 * the graph its module (or compile unit) copied, which in the inputs that
 * matter lies above it in ID order but not next to it (500 Debian modules:
 * 87% of the candidate records a walk enters are 32 KiB to 512 KiB past the
 * root's record, entered in depth-first order, so at random). Its loop
 * keeps every record in a window ahead of the current one requested, with
 * the map entries of their IDs (moved on every 16 IDs): a stream, which
 * memory serves at full bandwidth. The window is 3/4 of the L2 cache (this
 * machine's 1 MiB: 768 KiB was best; 2 MiB, evicting itself, was slower
 * than none). Measured in docs/design.md (issue 12).
 */
struct ahead {
	size_t rec, win; /* records requested up to byte rec; window size */
	uint32_t id;     /* map entries requested up to this ID */
};

static void ahead_init(struct ahead *a, const struct dd *d)
{
	long l2 = sysconf(_SC_LEVEL2_CACHE_SIZE);

	a->win = l2 > 0 ? (size_t)l2 / 4 * 3 : (size_t)768 << 10;
	if (a->win < (256u << 10))
		a->win = 256u << 10;
	if (a->win > (4u << 20))
		a->win = 4u << 20;
	a->rec = 0;
	a->id = d->start_id;
}

/* Phase 4: the window ahead of own type id. */
static inline void ahead_window(const struct dd *d, struct ahead *a, uint32_t id)
{
	size_t want = (size_t)d->offs[id - d->start_id] + a->win;

	if (want > d->btf->types_len)
		want = d->btf->types_len;
	for (; a->rec < want; a->rec += 64)
		__builtin_prefetch(d->types + a->rec);
	for (; a->id < d->cnt && d->offs[a->id - d->start_id] < want; a->id += 16)
		__builtin_prefetch(&d->map[a->id]);
}

/*
 * Arrays every entry of which is written (map and kinds): large ones are
 * mapped with their pages populated in one system call instead of a page
 * fault per 4 KiB on first write. Faults are dear on this machine's
 * hypervisor; populating the map and kinds took 3% off the dedup at 500
 * modules (2 MiB is where glibc maps large blocks anyway). The peak is the
 * same: every page is written.
 */
#if defined(__SANITIZE_ADDRESS__)
#define FILLED_MIN SIZE_MAX /* (malloc, which AddressSanitizer checks) */
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FILLED_MIN SIZE_MAX
#endif
#endif
#ifndef FILLED_MIN
#define FILLED_MIN (2u << 20)
#endif
static void *filled_alloc(size_t sz)
{
	void *p;

	if (sz < FILLED_MIN)
		return malloc(sz ? sz : 1);
	p = mmap(NULL, sz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

static void filled_free(void *p, size_t sz)
{
	if (sz < FILLED_MIN)
		free(p);
	else if (p)
		munmap(p, sz);
}

/* An allocation failed: the phases wind down and the dedup fails. */
static bool dd_failed(const struct dd *d)
{
	return d->err || d->table.err;
}

/*
 * Phase 1 (base part): base types are canonical candidates, but only those
 * a split type can map onto: a match needs equal names, and bnames (the
 * string phase) marks every base offset an own name resolves to, so a
 * named base type no own type is named like is left out (vmlinux under
 * 50 modules: 53,633 of its 100,642 types, 44,549 of them FUNCs; a split
 * dedup of 50 modules 7% faster). The table is grown once for the rest,
 * and each batch's first slots are requested before the inserts (random
 * writes into a table of a few MiB would otherwise each wait for memory).
 */
#define BASE_BATCH 16

/* A base type some own type may be deduplicated onto (see bnames). */
static inline bool base_candidate(const struct dd *d, const struct bk_type *t, unsigned k)
{
	if (k == BK_KIND_UNKN || k == BK_KIND_VAR || k == BK_KIND_DATASEC || k >= BK_NR_KINDS)
		return false;
	return !t->name_off || !d->bnames || (d->bnames[t->name_off >> 6] >> (t->name_off & 63) & 1);
}

static void add_base(struct dd *d)
{
	uint32_t ids[BASE_BATCH], hs[BASE_BATCH], n = 0;

	for (uint32_t id = 1; id < d->start_id; id++) {
		const struct bk_type *t = dd_type(d, id);
		unsigned k = bk_kind(t);

		d->kinds[id] = (uint8_t)k;
		d->map[id] = id;
		n += base_candidate(d, t, k);
	}
	bk__dd_table_reserve(&d->table, n);
	for (uint32_t id = 1; id < d->start_id;) {
		n = 0;
		for (; id < d->start_id && n < BASE_BATCH; id++) {
			const struct bk_type *t = dd_type(d, id);

			if (!base_candidate(d, t, d->kinds[id]))
				continue;
			ids[n] = id;
			hs[n] = bk__dd_hash_type(d, t);
			dd_table_prefetch(&d->table, hs[n++]);
		}
		for (unsigned i = 0; i < n; i++)
			bk__dd_table_add_type(d, dd_type(d, ids[i]), hs[i], ids[i]);
	}
}

/* Phase 3: the primitive kinds, compared whole. */
static uint32_t prim_match(struct dd *d, const struct bk_type *t, uint32_t id, uint32_t h)
{
	struct dd_iter it;
	uint32_t cand, new_id = id;

	if (!bk_is_any_enum(t)) {
		/* INT, FLOAT, FWD: the whole record */
		dd_table_iter(&d->table, h, &it);
		while ((cand = dd_table_next(&d->table, &it)))
			if (bk__dd_equal_rec(d, t, dd_type(d, cand)))
				return cand;
		return id;
	}
	if (dd_is_enum_fwd(t)) {
		/* the newest enum of its name, full or not */
		dd_table_iter(&d->table, h, &it);
		while ((cand = dd_table_next(&d->table, &it)))
			if (bk__dd_compat_enum(d, t, dd_type(d, cand)))
				return cand;
		return id;
	}
	dd_table_iter(&d->table, bk__dd_enum_key(d, t, h, DD_ENUM_FULL), &it);
	while ((cand = dd_table_next(&d->table, &it))) {
		if (bk__dd_equal_enum(d, t, dd_type(d, cand))) {
			new_id = cand;
			break;
		}
	}
	/* canonical forward declarations newer than the match now mean this enum */
	dd_table_iter(&d->table, bk__dd_enum_key(d, t, h, DD_ENUM_FWD), &it);
	while ((cand = dd_table_next(&d->table, &it)) && (new_id == id || cand > new_id)) {
		if (bk__dd_compat_enum(d, t, dd_type(d, cand)))
			d->map[cand] = id;
	}
	return new_id;
}

static void dedup_prim(struct dd *d, uint32_t id)
{
	struct bk_type *t;
	uint32_t h, new_id;

	t = own_type(d, id);
	h = bk__dd_hash_type(d, t);
	new_id = prim_match(d, t, id, h);
	d->map[id] = new_id;
	if (new_id == id)
		bk__dd_table_add_type(d, t, h, id);
}

/* Note an own struct/union/typedef a match was refused for (adjust_canon). */
static void note_refused(struct dd *d, uint32_t id)
{
	if (d->nrefused == d->refused_cap) {
		uint32_t cap = d->refused_cap ? d->refused_cap * 2 : 64;
		uint32_t *r = realloc(d->refused, (size_t)cap * sizeof(*r));

		if (!r) {
			d->err = -ENOMEM;
			return;
		}
		d->refused = r;
		d->refused_cap = cap;
	}
	d->refused[d->nrefused++] = id;
}

/*
 * Phase 4: the first equivalent candidate (newest first). retry: id is
 * canonical already (a refused match, phase 4b): itself and candidates
 * no longer canonical are skipped, and the walk is strict.
 */
static bool dedup_struct(struct dd *d, uint32_t id, bool retry)
{
	/* (a struct, union or typedef; unmapped unless retry: the callers test it) */
	unsigned k = d->kinds[id];
	struct bk_type *t;
	struct dd_iter it;
	uint32_t h, cand, new_id = id;
	bool refused = false;

	t = own_type(d, id);
	h = bk__dd_hash_type(d, t);
	d->strict = retry;
	dd_table_iter(&d->table, h, &it);
	while ((cand = dd_table_next(&d->table, &it))) {
		const struct bk_type *ct = dd_type(d, cand);

		if (retry && (cand == id || d->map[cand] != cand))
			continue;
		if (k == BK_KIND_TYPEDEF) {
			if (ct->info != t->info || !dd_same_str(d, ct->name_off, t->name_off))
				continue;
		} else if (!bk__dd_shallow_struct(d, t, ct)) {
			continue;
		}
		if (!d->explain && bk__dd_known_differ(d, id, cand))
			continue;
		bk__dd_hypot_clear(d);
		if (!bk__dd_equiv(d, id, cand)) {
			if (d->explain)
				bk__dd_log_miss(d, id, cand, NULL);
			continue;
		}
		bk__dd_hypot_merge(d);
		if (d->adjust_canon) {
			if (d->explain)
				bk__dd_log_miss(d, id, cand,
					 "equivalent only if a base FWD were resolved to a split type; the base never changes");
			refused = true;
			continue;
		}
		new_id = cand;
		break;
	}
	bk__dd_hypot_clear(d);
	d->strict = false;
	d->map[id] = new_id;
	if (retry)
		return new_id != id;
	if (new_id == id)
		bk__dd_table_add(&d->table, h, id);
	if (new_id == id && refused)
		note_refused(d, id);
	return false;
}

/*
 * Phase 4b: the refused matches again, strictly. A match refused because
 * it needed a base FWD resolved points that FWD at the split struct, and
 * later walks through the FWD then match (libbpf's rule): the first walk
 * that met the FWD keeps a copy, the later ones do not. The first may
 * have met it only through split copies of base types that later walks
 * mapped onto the base (8021q: struct file_system_type reaches net_device,
 * whose base copy has FWD garp_port, which 8021q defines); walked again
 * now, with those copies resolved, it does not meet the FWD and matches,
 * which is what a second dedup would do. The walk is strict (a base FWD
 * resolved to a split struct still refuses), so a type whose own graph
 * needs the FWD resolved keeps its copy, as the first walk decided.
 * Repeated while a round maps something, at most RETRY_ROUNDS rounds: a
 * later round helps only a type that reaches one mapped after it in the
 * same round, and the bound keeps hostile input from costing a round per
 * refused type.
 */
#define RETRY_ROUNDS 4
static void retry_refused(struct dd *d)
{
	bool more = true;

	for (unsigned round = 0; more && round < RETRY_ROUNDS && !dd_failed(d); round++) {
		more = false;
		for (uint32_t i = 0; i < d->nrefused && !dd_failed(d); i++) {
			uint32_t id = d->refused[i];

			if (d->map[id] == id && dedup_struct(d, id, true))
				more = true;
		}
	}
}

static void dd_free(struct dd *d)
{
	filled_free(d->kinds, (size_t)d->cnt + 1);
	free(d->neq);
	free(d->wit);
	filled_free(d->map, (size_t)d->cnt * sizeof(*d->map));
	free(d->hypot);
	free(d->surv);
	free(d->p3);
	free(d->hlist);
	free(d->plist);
	free(d->mlist);
	free(d->stack);
	free(d->refused);
	bk__dd_table_free(&d->table);
	bk__dd_strings_free(d);
}

/* The object's records and IDs as the phases read them. */
static void dd_init(struct dd *d, struct bk_btf *btf)
{
	d->btf = btf;
	d->str_base = btf->start_str_off;
	d->types = btf->types;
	d->offs = btf->type_offs;
	if (btf->base && !btf->base->base) {
		d->btypes = btf->base->types;
		d->boffs = btf->base->type_offs;
	}
	d->start_id = btf->start_id;
	d->cnt = bk_btf_type_cnt(btf);
}

/* Arrays every phase needs: per type ID, and the lists at their first size. */
static int dd_alloc(struct dd *d)
{
	d->map = filled_alloc((size_t)d->cnt * sizeof(*d->map));
	d->hypot = calloc(d->cnt, sizeof(*d->hypot));
	d->kinds = filled_alloc((size_t)d->cnt + 1);
	d->neq = calloc(d->cnt, sizeof(*d->neq));
	d->wit = calloc(DD_WIT_SLOTS, sizeof(*d->wit));
	d->surv = calloc((d->cnt - d->start_id) / 64 + 1, sizeof(*d->surv));
	d->p3 = calloc((d->cnt - d->start_id) / 64 + 1, sizeof(*d->p3));
	if (!d->map || !d->hypot || !d->kinds || !d->neq || !d->wit || !d->surv || !d->p3 ||
	    !bk__dd_lists_grow(d, 0))
		return -ENOMEM;
	return 0;
}

int bk_btf_dedup(struct bk_btf *btf, const struct bk_dedup_opts *opts)
{
	return bk__btf_dedup_map(btf, opts, NULL);
}

int bk__btf_dedup_map(struct bk_btf *btf, const struct bk_dedup_opts *opts, uint32_t *id_map)
{
	struct dd d = { .opts = { .sz = sizeof(d.opts) } };
	struct dd_out o = { 0 };
	struct ahead ahead;
	struct bk_diag *diag;
	int err;

	if ((err = bk__opts_get(&d.opts, sizeof(d.opts), opts)))
		return err;
	diag = d.opts.diag;
	if (!btf)
		return bk__diag(diag, -EINVAL, "bad arguments");
	if (btf->hdr_extra)
		return bk__diag(diag, -EOPNOTSUPP,
				"cannot deduplicate BTF with unknown header fields (they could not be kept true)");
	dd_init(&d, btf);
	d.explain = d.opts.log != NULL;
	err = dd_alloc(&d);
	if (!err)
		err = bk__dd_strings_prepare(&d);
	if (!err && d.unknown) {
		uint32_t id = d.unknown;
		unsigned k = d.kinds[id];

		dd_free(&d);
		return bk__diag(diag, -EOPNOTSUPP, "cannot deduplicate type [%u] of unknown kind %u", id, k);
	}
	if (!err)
		err = bk__dd_table_init(&d.table);
	if (err)
		goto fail;

	/* ---- from here on a failure (d.err, d.table.err) only winds down ---- */
	d.map[0] = 0;
	d.kinds[0] = BK_KIND_UNKN;
	add_base(&d);
	/*
	 * Phase 3. Every own type starts unprocessed; phase 3 visits only the
	 * types the string phase noted in p3 (at 500 modules 109,000 of 3.4
	 * million: going through every ID and its kind, with a look at the
	 * offset of each primitive ahead, took 13 of the phase's 22 ms).
	 */
	_Static_assert(DD_UNSET == 0xffffffffu, "map entries are set to DD_UNSET bytewise");
	memset(d.map + d.start_id, 0xff, (size_t)(d.cnt - d.start_id) * sizeof(*d.map));
	{
		struct dd_bit_pass p;
		uint32_t id;

		dd_bit_pass_init(&p, &d, d.p3, sizeof(*d.p3));
		while (!dd_failed(&d) && dd_bit_pass_next(&d, &p, &id)) {
			if (dd_in(DD_PRIM, d.kinds[id]))
				dedup_prim(&d, id);
			else
				d.map[id] = id; /* VAR, DATASEC, kind 0: kept as they are */
		}
	}
	free(d.p3);
	d.p3 = NULL;
	/*
	 * (This loop and phase 6's test for a failure after the calls that
	 * can fail, not on every ID: a failure made earlier stops them at
	 * their first call.)
	 */
	ahead_init(&ahead, &d);
	for (uint32_t id = d.start_id; id < d.cnt; id++) {
		unsigned k = d.kinds[id];

		if (!(id & 15))
			ahead_window(&d, &ahead, id);
		if (dd_in(DD_K(STRUCT) | DD_K(UNION) | DD_K(TYPEDEF), k) && !dd_mapped(&d, id)) {
			dedup_struct(&d, id, false);
			if (dd_failed(&d))
				break;
		}
	}
	retry_refused(&d);
	/*
	 * The walks are over: what only they use goes now, before the
	 * reference phase and the output add to the peak memory.
	 */
	free(d.hypot);
	free(d.neq);
	free(d.wit);
	d.hypot = d.neq = NULL;
	d.wit = NULL;
	if (!dd_failed(&d))
		bk__dd_resolve_fwds(&d);
	/*
	 * Phase 6, and the survivors for phase 7's final IDs (final_id): a
	 * reference type reaches only unprocessed types above it, so once
	 * the loop is past an ID its mapping is final.
	 */
	for (uint32_t id = d.start_id; id < d.cnt; id++) {
		uint32_t i = id - d.start_id, m;

		if (id + AHEAD_IDS < d.cnt && d.map[id + AHEAD_IDS] == DD_UNSET)
			dd_ahead_rec(&d, id + AHEAD_IDS);
		m = d.map[id];
		if (m == DD_UNSET) {
			bk__dd_ref(&d, id);
			if (dd_failed(&d))
				break;
			m = d.map[id];
		}
		if (m == id)
			d.surv[i >> 6].bits |= 1ull << (i & 63);
	}
	for (uint32_t w = 0, n = 0; w <= (d.cnt - d.start_id) / 64; w++) {
		d.surv[w].rank = n;
		n += bk__popcount64(d.surv[w].bits);
	}
	err = d.err ? d.err : d.table.err;
	if (!err)
		err = bk__dd_out_alloc(&d, &o);
	if (err)
		goto fail;
	if (id_map) {
		for (uint32_t id = 0; id < d.cnt; id++) {
			uint32_t r = id < d.start_id ? id : dd_resolve(&d, id);

			id_map[id] = r < d.start_id ? r : bk__dd_final_id(&d, r);
		}
	}
	bk__dd_compact(&d, &o);

	/* install the result */
	if (btf->types_cap)
		free(btf->types);
	btf->types = o.types;
	btf->types_len = o.types_len;
	btf->types_cap = o.types_cap;
	free(btf->type_offs);
	btf->type_offs = o.offs;
	btf->type_offs_cap = o.offs_cap;
	btf->nr_types = o.nr;
	/* the new string set owns the new section, as the writer expects */
	if (btf->strs_cap && !(btf->strset && btf->strs == bk__strset_data(btf->strset)))
		free(btf->strs);
	bk__strset_free(btf->strset);
	btf->strset = d.sset;
	d.sset = NULL;
	btf->strs = (char *)bk__strset_data(btf->strset);
	btf->strs_len = bk__strset_len(btf->strset);
	btf->strs_cap = btf->strs_len + 1;
	bk__names_invalidate(btf);
	dd_free(&d);
	return 0;
fail:
	free(o.types);
	free(o.offs);
	dd_free(&d);
	return bk__diag(diag, err, "dedup: %s",
			err == -ENOMEM ? "out of memory" : "input too large (types, strings or base levels)");
}

int bk_btf_dedup_explain(const struct bk_btf *btf, uint32_t a, uint32_t b, char *buf, size_t size)
{
	struct dd d = { 0 };
	int ret;

	if (size)
		buf[0] = '\0';
	if (!btf || a >= bk_btf_type_cnt(btf) || b >= bk_btf_type_cnt(btf))
		return -EINVAL;
	dd_init(&d, (struct bk_btf *)btf);
	d.explain = true;
	if (dd_alloc(&d)) {
		dd_free(&d);
		return -ENOMEM;
	}
	for (uint32_t id = 0; id < d.cnt; id++) {
		d.map[id] = id;
		d.kinds[id] = (uint8_t)bk_kind(dd_type(&d, id));
	}
	if (a == b) {
		ret = 0;
	} else if (!bk__dd_equiv(&d, a, b)) {
		bk__dd_explain_path(&d, buf, size);
		ret = 1;
	} else if (d.adjust_canon) {
		snprintf(buf, size, "equivalent only if base FWD were resolved to a split type");
		ret = 1;
	} else {
		ret = 0;
	}
	dd_free(&d);
	return ret;
}
