// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Graph equivalence of two types under a hypothetical mapping.
 *
 * bk__dd_equiv(cand, canon) decides whether the type graph rooted at cand (a
 * type being deduplicated) is equivalent to the one rooted at canon (a
 * canonical candidate). It walks both graphs in lockstep with an explicit
 * stack of pairs (no recursion), so the stack at a failure is exactly the
 * field path to the first difference, which is what explanations print.
 *
 * For each pair (cand, canon):
 *  1. if both already resolve to the same canonical type: equal;
 *  2. a canonical-side FWD already resolved to a struct is followed;
 *  3. if canon was already paired with some type h during this walk: equal
 *     when h is cand (a cycle closes), when one of h and cand is a FWD of
 *     the other, or when h and cand are identical types (the duplicates
 *     compilers emit: identical arrays, structs, pointers met twice in one
 *     unit); otherwise different;
 *  4. record hypot[canon] = cand (and canon in the touched list hlist, which
 *     is how the mapping is undone), then compare shallowly by kind and
 *     push the pair to compare its children (member, element/index,
 *     target, return/param types) in order.
 * A FWD on either side equals a struct/union of the same name and matching
 * kind; when the canonical side is a base FWD, adjust_canon is set: the
 * graphs match only if the base changed, so the caller must not merge. A
 * base FWD an earlier walk pointed at a split struct is followed (libbpf's
 * rule), except in a strict walk (dedup.c, phase 4b).
 *
 * A walk that fails on a difference of records (not on a conflict of its
 * hypothesis) records every pair on its path as known to differ (neq), so
 * later walks stop there at once.
 *
 * The identical-types check is a depth-bounded (16) structural comparison
 * with a node budget; arrays are compared by element and index types as
 * well as by length.
 */
#include <stdio.h>
#include <stdlib.h>

#include "dedup_int.h"

#define IDENT_DEPTH 16
#define IDENT_BUDGET 4096

/* Records keep their old offsets while a dedup runs: the object's strings. */
static const char *dd_str(const struct dd *d, uint32_t off)
{
	const char *s = bk_btf_str(d->btf, off);

	return s ? s : "?";
}

static void keep_witness(struct dd *d);

static bool why(struct dd *d, const char *fmt, ...) BK_PRINTF(2, 3) __attribute__((cold));
static bool why(struct dd *d, const char *fmt, ...)
{
	va_list ap;

	if (d->explain) {
		va_start(ap, fmt);
		vsnprintf(d->why, sizeof(d->why), fmt, ap);
		va_end(ap);
	}
	return false;
}

/* Follow a FWD that was resolved to a struct/union; other types unchanged. */
static inline uint32_t resolve_fwd(const struct dd *d, uint32_t id, const struct bk_type **t)
{
	const struct bk_type *rt;
	uint32_t r;

	*t = dd_type(d, id);
	if (!dd_is_fwd(*t))
		return id;
	r = dd_resolve(d, id);
	rt = dd_type(d, r);
	if (dd_is_fwd(rt))
		return id;
	*t = rt;
	return r;
}

static uint32_t resolve_fwd_id(const struct dd *d, uint32_t id)
{
	const struct bk_type *t;

	return resolve_fwd(d, id, &t);
}

/*
 * Where the type-ID fields of two records of one kind that the walk
 * enters (DD_WALKED) are (see struct dd_frame): *pa and *pb receive the
 * first, *stride the distance in words, the result is how many there are.
 * The kind table gives them, except that an array's index type comes
 * before its element type, the order libbpf compares them in.
 */
static inline uint32_t id_fields(const struct bk_type *ct, const struct bk_type *kt, unsigned kind,
				 const uint32_t **pa, const uint32_t **pb, int32_t *stride)
{
	const uint32_t *first;
	uint32_t n = bk__kind_ids(kt, &first, stride);

	if (kind == BK_KIND_ARRAY) {
		first += *stride;
		*stride = -*stride;
	}
	*pb = first;
	*pa = (const uint32_t *)ct + (first - (const uint32_t *)kt);
	return n;
}

/* The i-th pair of child type IDs of two types of the same kind. */
static inline bool child_pair(const struct bk_type *a, const struct bk_type *b, uint32_t i,
		       uint32_t *ca, uint32_t *cb)
{
	const uint32_t *pa, *pb;
	int32_t stride;

	if (!dd_in(DD_WALKED, bk_kind(b)) || i >= id_fields(a, b, bk_kind(b), &pa, &pb, &stride))
		return false;
	*ca = pa[(int32_t)i * stride];
	*cb = pb[(int32_t)i * stride];
	return true;
}

/*
 * One of a and b is a FWD and the other the struct/union it declares: both
 * sides of one candidate graph name the same type, once declared and once
 * defined (units that only forward-declare a struct).
 */
static bool fwd_declares(const struct dd *d, uint32_t a, uint32_t b)
{
	const struct bk_type *ta = dd_type(d, a), *tb = dd_type(d, b);
	const struct bk_type *fwd = dd_is_fwd(ta) ? ta : tb, *real = fwd == ta ? tb : ta;

	if (!dd_is_fwd(fwd) || !bk_is_composite(real) || !dd_same_str(d, ta->name_off, tb->name_off))
		return false;
	return bk_kind(real) == (bk_kflag(fwd) ? BK_KIND_UNION : BK_KIND_STRUCT);
}

/*
 * The shallow comparison of two records of one kind with equal names (the
 * rules differ per kind, as in libbpf): 1 equal, 0 different, -1 for kinds
 * dedup does not compare (VAR, DATASEC, DECL_TAG). Reference kinds and
 * typedefs compare their info word; their targets are children.
 */
static inline int shallow(const struct dd *d, const struct bk_type *a, const struct bk_type *b)
{
	unsigned kind = bk_kind(a);

	switch (kind) {
	case BK_KIND_INT:
	case BK_KIND_FLOAT:
	case BK_KIND_FWD:
		return bk__dd_equal_rec(d, a, b);
	case BK_KIND_ENUM:
	case BK_KIND_ENUM64:
		return bk__dd_compat_enum(d, a, b);
	case BK_KIND_ARRAY:
		return bk__dd_compat_array(d, a, b);
	case BK_KIND_STRUCT:
	case BK_KIND_UNION:
		return bk__dd_shallow_struct(d, a, b);
	case BK_KIND_FUNC_PROTO:
		return bk__dd_compat_proto(d, a, b);
	default:
		return dd_in(DD_WALKED, kind) ? a->info == b->info : -1;
	}
}

static bool identical(struct dd *d, uint32_t a, uint32_t b, int depth)
{
	const struct bk_type *ta, *tb;
	uint32_t i, ca, cb;

	if (a == b || dd_resolve(d, a) == dd_resolve(d, b))
		return true;
	if (depth == 0 || d->budget == 0)
		return false;
	d->budget--;
	ta = dd_type(d, a);
	tb = dd_type(d, b);
	if (ta->info != tb->info && !(dd_is_fwd(ta) && dd_is_fwd(tb)))
		return fwd_declares(d, a, b);
	if (!dd_same_str(d, ta->name_off, tb->name_off) || shallow(d, ta, tb) <= 0)
		return false;
	for (i = 0; child_pair(ta, tb, i, &ca, &cb); i++) {
		if (!identical(d, ca, cb, depth - 1))
			return false;
	}
	return true;
}

static const char *fwd_kind_name(const struct bk_type *t)
{
	return bk_kflag(t) ? "union" : "struct";
}

/*
 * Grow hlist, mlist, plist and the stack together (see lcap) to hold entry
 * number used. The first size covers every witness path (DD_WIT_MAX + 1
 * frames, bk__dd_known_differ).
 */
_Static_assert(1024 > DD_WIT_MAX + 1, "the lists' first size holds a witness path");

bool bk__dd_lists_grow(struct dd *d, uint32_t used)
{
	size_t cap = d->lcap ? (size_t)d->lcap * 2 : 1024;
	void *h, *m, *p, *st;

	if (d->err)
		return false;
	while (cap <= used)
		cap *= 2;
	if (cap > UINT32_MAX) {
		d->err = -ENOMEM;
		return false;
	}
	/* each realloc that succeeds is kept, so a failure leaks nothing */
	h = realloc(d->hlist, cap * sizeof(*d->hlist));
	if (h)
		d->hlist = h;
	m = h ? realloc(d->mlist, cap * sizeof(*d->mlist)) : NULL;
	if (m)
		d->mlist = m;
	p = m ? realloc(d->plist, cap * sizeof(*d->plist)) : NULL;
	if (p)
		d->plist = p;
	st = p ? realloc(d->stack, cap * sizeof(*d->stack)) : NULL;
	if (!st) {
		d->err = -ENOMEM;
		return false;
	}
	d->stack = st;
	d->lcap = (uint32_t)cap;
	return true;
}

/* Push a shallowly equal pair (see struct dd_frame for the layout). */
static void push(struct dd *d, uint32_t cand, uint32_t canon, const struct bk_type *ct,
		 const struct bk_type *kt, unsigned kind)
{
	struct dd_frame *f = &d->stack[d->sp++];

	f->cand = cand;
	f->canon = canon;
	f->next = 0;
	f->kind = kind;
	f->n = id_fields(ct, kt, kind, &f->pa, &f->pb, &f->stride);
}

/* Why shallow() found two records of one kind different (explanations). */
static bool why_differ(struct dd *d, const struct bk_type *ct, const struct bk_type *kt,
		       uint32_t cand, uint32_t canon) __attribute__((cold));
static bool why_differ(struct dd *d, const struct bk_type *ct, const struct bk_type *kt,
		       uint32_t cand, uint32_t canon)
{
	unsigned k = bk_kind(ct);

	if (!d->explain)
		return false;
	switch (k) {
	case BK_KIND_INT:
		return why(d, "INT [%u] vs [%u]: size or encoding differs", cand, canon);
	case BK_KIND_ENUM:
	case BK_KIND_ENUM64:
		return why(d, "%s [%u] vs [%u]: size or values differ", bk_kind_name(k), cand, canon);
	case BK_KIND_FWD:
	case BK_KIND_FLOAT:
		return why(d, "%s [%u] vs [%u] differ", bk_kind_name(k), cand, canon);
	case BK_KIND_ARRAY:
		return why(d, "ARRAY [%u] vs [%u]: nr_elems %u vs %u", cand, canon,
			   bk_array_of(ct)->nelems, bk_array_of(kt)->nelems);
	case BK_KIND_STRUCT:
	case BK_KIND_UNION: {
		const struct bk_member *a = bk_members(ct), *b = bk_members(kt);
		unsigned i, n = bk_vlen(ct);

		if (ct->size != kt->size)
			return why(d, "size %u [%u] vs %u [%u]", ct->size, cand, kt->size, canon);
		if (n != bk_vlen(kt))
			return why(d, "%u members [%u] vs %u [%u]", n, cand, bk_vlen(kt), canon);
		for (i = 0; i < n; i++) {
			if (!dd_same_str(d, a[i].name_off, b[i].name_off) || a[i].offset != b[i].offset)
				break;
		}
		if (i == n)
			return why(d, "bitfield encoding differs [%u] vs [%u]", cand, canon);
		return why(d, "member %u: '%s' offset %u [%u] vs '%s' offset %u [%u]", i,
			   dd_str(d, a[i].name_off), a[i].offset, cand, dd_str(d, b[i].name_off),
			   b[i].offset, canon);
	}
	case BK_KIND_FUNC_PROTO:
		return why(d, "FUNC_PROTO [%u] vs [%u]: parameter count or names differ", cand, canon);
	default: /* reference kinds and typedefs compare their info word */
		return why(d, "%s [%u] vs [%u]: flags differ", bk_kind_name(k), cand, canon);
	}
}

/*
 * Compare one pair. Returns 0 (different), 1 (equivalent, nothing more to
 * compare) or 2 (shallowly equal; pushed to compare the children).
 */
static int enter(struct dd *d, uint32_t cand, uint32_t canon)
{
	const struct bk_type *ct, *kt;
	unsigned ck, kk;
	uint32_t h;
	int r;

	/*
	 * Strict (phase 4b): a base FWD an earlier walk pointed at a split
	 * struct is still a change of the base (a candidate FWD that maps onto
	 * the base FWD is none).
	 */
	if (d->strict && canon < d->start_id && d->kinds[canon] == BK_KIND_FWD &&
	    d->kinds[cand] != BK_KIND_FWD && dd_resolve(d, canon) >= d->start_id)
		d->adjust_canon = true;
	if (dd_resolve(d, cand) == dd_resolve(d, canon))
		return 1;
	canon = resolve_fwd(d, canon, &kt);
	d->intrinsic = true;
	if (d->neq && dd_neq(d, cand) == canon) {
		d->neq_hit = true;
		return why(d, "[%u] vs [%u] differ (as an earlier walk found)", cand, canon);
	}
	h = dd_hypot(d, canon);
	if (h != DD_NONE) {
		if (h == cand || fwd_declares(d, h, cand))
			return 1;
		d->budget = IDENT_BUDGET;
		if (identical(d, h, cand, IDENT_DEPTH))
			return 1;
		d->intrinsic = false;
		return why(d, "[%u] is already matched with [%u], which differs from [%u]",
			   canon, h, cand);
	}
	if (!dd_room(d, d->hcnt)) { /* (d->err: the dedup gives up) */
		d->intrinsic = false;
		return 0;
	}
	dd_set_hypot(d, canon, cand);
	d->hlist[d->hcnt++] = canon;

	ct = dd_type(d, cand);
	ck = bk_kind(ct);
	kk = bk_kind(kt);
	if (!dd_same_str(d, ct->name_off, kt->name_off))
		return why(d, "names differ: '%s' [%u] vs '%s' [%u]", dd_str(d, ct->name_off), cand,
			   dd_str(d, kt->name_off), canon);
	if (ck != kk && (ck == BK_KIND_FWD || kk == BK_KIND_FWD)) {
		unsigned real = ck == BK_KIND_FWD ? kk : ck;
		unsigned fwd = bk_kflag(ck == BK_KIND_FWD ? ct : kt) ? BK_KIND_UNION : BK_KIND_STRUCT;

		if (fwd != real)
			return why(d, "FWD %s [%u] vs %s [%u]",
				   fwd_kind_name(ck == BK_KIND_FWD ? ct : kt),
				   ck == BK_KIND_FWD ? cand : canon, bk_kind_name(real),
				   ck == BK_KIND_FWD ? canon : cand);
		if (kk == BK_KIND_FWD && canon < d->start_id)
			d->adjust_canon = true;
		d->mlist[d->mcnt++] = canon;
		return 1;
	}
	if (ck != kk)
		return why(d, "kinds differ: %s [%u] vs %s [%u]", bk_kind_name(ck), cand,
			   bk_kind_name(kk), canon);
	r = shallow(d, ct, kt);
	if (r <= 0)
		return r ? why(d, "%s [%u] vs [%u] cannot be compared", bk_kind_name(ck), cand, canon)
			 : why_differ(d, ct, kt, cand, canon);
	if (!dd_in(DD_WALKED, ck)) {
		if (ck == BK_KIND_FWD) /* the candidate FWD may resolve to a struct by now */
			d->mlist[d->mcnt++] = canon;
		return 1;
	}
	if (!dd_in(DD_REF, ck) || canon >= d->start_id) /* (base ones: plist) */
		d->mlist[d->mcnt++] = canon;
	push(d, cand, canon, ct, kt, ck);
	return 2;
}

/*
 * The walk. The top frame's cursor lives in locals while its children are
 * scanned, written back to its frame only before enter() (which may push;
 * the explanation and the witness of a failure read the path from there).
 */
int bk__dd_equiv(struct dd *d, uint32_t cand, uint32_t canon)
{
	const uint32_t *map = d->map, *hypot = d->hypot;
	uint32_t c = cand, k = canon, sp;
	int r;

	d->sp = 0;
	d->neq_hit = false;
	r = enter(d, cand, canon);
	sp = d->sp;
	while (r && sp) {
		struct dd_frame *f = &d->stack[sp - 1];
		const uint32_t *pa = f->pa, *pb = f->pb;
		uint32_t next = f->next, n = f->n;
		int32_t stride = f->stride, off = (int32_t)next * stride;

		/*
		 * The children of the top frame. The commonest outcomes of
		 * enter() are decided here without the call: the candidate
		 * already maps to this type (primitives, structs an earlier
		 * walk merged), or the pair was entered before in this walk
		 * (hypot keys are FWD-resolved, and a resolved FWD is never
		 * one).
		 */
		for (; next < n; next++, off += stride) {
			c = pa[off];
			k = pb[off];
			if (map[c] != k && hypot[k] != ~c)
				break;
		}
		if (next == n) {
			if (f->canon < d->start_id && dd_in(DD_REF, f->kind))
				d->plist[d->pcnt++] = *f;
			sp--;
			continue;
		}
		f->next = next + 1;
		d->sp = sp;
		r = enter(d, c, k);
		sp = d->sp;
	}
	d->sp = sp;
	if (!r && d->intrinsic && d->neq) {
		/* every pair on the path leads to the same difference */
		for (uint32_t i = 0; i < d->sp; i++)
			dd_set_neq(d, d->stack[i].cand, d->stack[i].canon);
		dd_set_neq(d, c, resolve_fwd_id(d, k));
		if (!d->neq_hit && d->wit && d->sp >= DD_WIT_MIN && d->sp <= DD_WIT_MAX)
			keep_witness(d);
	}
	return r != 0;
}

/*
 * Deep-failure witnesses. In split BTF made of module copies, a canonical
 * split struct K that differs from its base namesake B only deep in its
 * graph (one module's variant of a type reached through dozens of
 * pointers) is, being newer, the first candidate of every later copy X of
 * B: each such walk visits thousands of pairs before failing at the same
 * place, and only then is B tried. After the first such failure its path
 * (child indices from K down to the differing pair) is kept for K, and
 * later candidates follow just that path (bk__dd_known_differ).
 *
 * Why a difference on the path proves bk__dd_equiv(X, K) would fail: suppose
 * the walk succeeded. Every pair on the path from (X, K) was then either
 * entered and compared shallowly (equal), or the canonical side had
 * already been paired in this walk with a type identical to the
 * candidate-side one (so with equal records, compared when it was
 * entered), or the pair resolved to one canonical type (stopped below),
 * or one side was a FWD (stopped below). Types that resolve to one
 * canonical type have equal records except for forward declarations; so,
 * following the path while neither side is a struct/enum forward
 * declaration nor the pair resolves to one type, each pair's records are
 * shallowly equal. Finding a shallow difference therefore means the walk
 * fails. Any other outcome (a FWD, a resolved pair, a path the graph does
 * not have, a path ending equal) decides nothing, and the walk runs.
 */
static struct dd_witness *witness_slot(const struct dd *d, uint32_t canon)
{
	return &d->wit[(uint32_t)((canon * 0x9e3779b97f4a7c15ull) >> 40) & (DD_WIT_SLOTS - 1)];
}

/* After an intrinsic failure of a walk: its path, for its root. */
static void keep_witness(struct dd *d)
{
	struct dd_witness *w = witness_slot(d, d->stack[0].canon);

	w->canon = d->stack[0].canon;
	w->len = d->sp;
	for (uint32_t i = 0; i < d->sp; i++)
		w->path[i] = (uint16_t)(d->stack[i].next - 1);
}

/* The shallow comparison enter() makes, without the hypothesis: false when
 * the records differ. Kinds without a comparison count as equal. */
static bool shallow_equal(const struct dd *d, const struct bk_type *a, const struct bk_type *b)
{
	return dd_same_str(d, a->name_off, b->name_off) && bk_kind(a) == bk_kind(b) &&
	       shallow(d, a, b) != 0;
}

bool bk__dd_known_differ(struct dd *d, uint32_t cand, uint32_t canon)
{
	const struct dd_witness *w;
	uint32_t a = cand, k = canon, n = 0;

	if (!d->wit)
		return false;
	w = witness_slot(d, canon);
	if (w->canon != canon)
		return false;
	for (uint32_t j = 0;; j++) {
		const struct bk_type *ta, *tk;

		if (dd_resolve(d, a) == dd_resolve(d, k))
			return false;
		k = resolve_fwd(d, k, &tk);
		ta = dd_type(d, a);
		if (dd_is_fwd(ta) || dd_is_fwd(tk) || dd_is_enum_fwd(ta) || dd_is_enum_fwd(tk))
			return false;
		/* the pairs of the path, for neq as a failing walk records them */
		d->stack[n].cand = a;
		d->stack[n++].canon = k;
		if (!shallow_equal(d, ta, tk))
			break;
		if (j == w->len || !child_pair(ta, tk, w->path[j], &a, &k))
			return false;
	}
	/* the stack is free between walks: borrowed for the path (n <= len + 1
	 * <= DD_WIT_MAX + 1 frames, within the lists' first size) */
	for (uint32_t i = 0; i < n; i++)
		dd_set_neq(d, d->stack[i].cand, d->stack[i].canon);
	return true;
}

void bk__dd_hypot_clear(struct dd *d)
{
	for (uint32_t i = 0; i < d->hcnt; i++)
		dd_set_hypot(d, d->hlist[i], DD_NONE);
	d->hcnt = 0;
	d->mcnt = 0;
	d->pcnt = 0;
	d->adjust_canon = false;
}

#define SETTLE_DEPTH 64

/*
 * Map the unprocessed own reference type t onto the base type c the walk
 * paired it with, if t's record with its targets resolved is c's record.
 * The walk compared the two records shallowly (name, info, array length,
 * parameter names), so what remains is that each target resolves to c's.
 * Targets the walk paired with c's targets and not settled yet (a target
 * reached through a cycle that closes at a struct is popped after its
 * referrer) are settled first. Each pair is tried once (its hypot entry is
 * consumed), so hostile input with reference cycles stays linear, and the
 * depth bound keeps the recursion shallow; a type not settled here is left
 * to the reference phase, which is always correct.
 */
static bool settle_slow(struct dd *d, const struct dd_frame *p, unsigned depth)
{
	const uint32_t *pa = p->pa, *pb = p->pb;

	/* tried once: a pair met again (a cycle, a failed target) is not retried */
	dd_set_hypot(d, p->canon, DD_NONE);
	for (uint32_t i = 0; i < p->n; i++, pa += p->stride, pb += p->stride) {
		uint32_t x = dd_resolve(d, *pa), y = *pb;
		const struct bk_type *xt, *yt;
		struct dd_frame q;

		if (x == y)
			continue;
		if (!depth || x < d->start_id || d->map[x] != DD_UNSET || dd_hypot(d, y) != x ||
		    d->kinds[x] != d->kinds[y] || !dd_in(DD_REF, d->kinds[x]))
			return false;
		xt = dd_type(d, x);
		yt = dd_type(d, y);
		if (xt->info != yt->info)
			return false;
		q.cand = x;
		q.canon = y;
		q.n = id_fields(xt, yt, d->kinds[x], &q.pa, &q.pb, &q.stride);
		if (!settle_slow(d, &q, depth - 1))
			return false;
	}
	d->map[p->cand] = p->canon;
	return true;
}

/* The common case inline: every target already resolves to the base one. */
static inline void settle_ref(struct dd *d, const struct dd_frame *p)
{
	int32_t off = 0;

	for (uint32_t i = 0; i < p->n; i++, off += p->stride) {
		if (dd_resolve(d, p->pa[off]) != p->pb[off]) {
			settle_slow(d, p, SETTLE_DEPTH);
			return;
		}
	}
	dd_set_hypot(d, p->canon, DD_NONE);
	d->map[p->cand] = p->canon;
}

void bk__dd_hypot_merge(struct dd *d)
{
	for (uint32_t i = 0; i < d->mcnt; i++) {
		uint32_t c = dd_resolve(d, d->mlist[i]);
		uint32_t t = dd_resolve(d, dd_hypot(d, d->mlist[i]));
		unsigned ck = d->kinds[c], tk = d->kinds[t];

		if (c == t)
			continue;
		if (ck == BK_KIND_FWD || tk == BK_KIND_FWD) {
			/*
			 * A FWD on the canonical side resolves to the struct it
			 * matched; one on the candidate side to the canonical
			 * struct, unless the match is refused. (Two FWDs: nothing.)
			 */
			if (tk != BK_KIND_FWD)
				d->map[c] = t;
			else if (ck != BK_KIND_FWD && !d->adjust_canon)
				d->map[t] = c;
			continue;
		}
		if (d->adjust_canon)
			continue;
		/*
		 * Structs and typedefs of the candidate graph matched canonical
		 * ones: map them now, which spares walking them again.
		 */
		if (dd_in(DD_K(STRUCT) | DD_K(UNION) | DD_K(TYPEDEF), tk) && dd_mapped(d, c) &&
		    !dd_mapped(d, t)) {
			d->map[t] = c;
			continue;
		}
		/*
		 * Reference types of the candidate graph equal their earlier
		 * counterparts: map them now, which spares hashing them in the
		 * reference phase. (c may be unprocessed yet; the reference
		 * phase canonicalizes it first. c < t keeps the choice of
		 * canonical type the reference phase would make.) Base
		 * counterparts are checked below.
		 */
		if (dd_in(DD_REF, tk) && tk == ck && c < t && c >= d->start_id && d->map[t] == DD_UNSET)
			d->map[t] = c;
	}
	if (d->adjust_canon)
		return;
	/*
	 * A reference type matched with a base type maps onto it only if its
	 * record, its targets resolved, is the base record: the base never
	 * changes, and the walk's equivalence is looser (a FWD stands for
	 * its struct). Checked in postorder, so the targets below were mapped
	 * first, while the records are still in cache. A check that fails
	 * here leaves the type to the reference phase, which canonicalizes
	 * its targets first (FWDs resolved by then) and looks it up.
	 */
	for (uint32_t i = 0; i < d->pcnt; i++) {
		uint32_t t = d->plist[i].cand;

		if (t >= d->start_id && d->map[t] == DD_UNSET && dd_hypot(d, d->plist[i].canon) == t)
			settle_ref(d, &d->plist[i]);
	}
}

/* Append to buf at *len (bounded). */
static void put(char *buf, size_t size, size_t *len, const char *fmt, ...) BK_PRINTF(4, 5);
static void put(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*len >= size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *len, size - *len, fmt, ap);
	va_end(ap);
	if (n > 0)
		*len = *len + (size_t)n < size ? *len + (size_t)n : size - 1;
}

void bk__dd_explain_path(const struct dd *d, char *buf, size_t size)
{
	size_t len = 0;

	if (!size)
		return;
	buf[0] = '\0';
	for (uint32_t i = 0; i < d->sp; i++) {
		const struct dd_frame *f = &d->stack[i];
		const struct bk_type *t = dd_type(d, f->canon);
		uint32_t c = f->next - 1;

		if (t->name_off)
			put(buf, size, &len, "%s '%s'", bk_kind_name(bk_kind(t)), dd_str(d, t->name_off));
		else
			put(buf, size, &len, "%s", bk_kind_name(bk_kind(t)));
		switch (bk_kind(t)) {
		case BK_KIND_STRUCT:
		case BK_KIND_UNION:
			if (bk_members(t)[c].name_off)
				put(buf, size, &len, " .%s", dd_str(d, bk_members(t)[c].name_off));
			else
				put(buf, size, &len, " .(anon member %u)", c);
			break;
		case BK_KIND_ARRAY:
			put(buf, size, &len, c ? " .elem" : " .index");
			break;
		case BK_KIND_FUNC_PROTO:
			if (c)
				put(buf, size, &len, " .param %u", c - 1);
			else
				put(buf, size, &len, " .return");
			break;
		default:
			break;
		}
		put(buf, size, &len, " -> ");
	}
	put(buf, size, &len, "%s", d->why);
}

void bk__dd_log_miss(struct dd *d, uint32_t id, uint32_t cand, const char *extra)
{
	char msg[1024];

	if (extra)
		snprintf(msg, sizeof(msg), "%s", extra);
	else
		bk__dd_explain_path(d, msg, sizeof(msg));
	d->opts.log(d->opts.log_ctx, id, cand, msg);
}
