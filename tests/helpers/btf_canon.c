// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * btf_canon: compare two BTFs canonically, by name and structure, not IDs.
 * The oracle of the encoder tests (tests/encode/, tests/corpus/encode*.sh);
 * it reads through btfkit's public parsing API only (bk_btf_open, bk_btf_type,
 * bk_btf_name) and shares no code with the library's own diff or dedup.
 *
 *   btf_canon [-B BASE | --base-a BASE --base-b BASE] [--ignore KIND[,KIND]]
 *             [--kind KIND] [--summary | --brief | --items] [--labels LA,LB]
 *             [--max N] [--fold-base-copies] [--list-ignored] A B
 *
 * A and B are BTF files (raw or ELF .BTF); with a base, each is opened as
 * split BTF on its base and only its own types are compared (references into
 * the base are compared like any other reference). Exit 0 when equal (after
 * --ignore), 1 when they differ, 2 on a usage or input error.
 *
 * How types are matched (the whole algorithm):
 *  - Every type gets a canonical description, a string free of IDs:
 *    "struct foo size=16 {a: int @0; b: (ptr -> (const char)) @64}".
 *    A reference to a NAMED type (INT, FLOAT, FWD, TYPEDEF, FUNC, VAR,
 *    DATASEC, named STRUCT/UNION/ENUM/ENUM64) is its key, "kind name";
 *    a reference to an ANONYMOUS type (PTR, ARRAY, modifiers, TYPE_TAG,
 *    FUNC_PROTO, anonymous aggregates) is that type's description, inlined
 *    in parentheses. So a change inside an anonymous type shows in every
 *    named type that reaches it, and a change of a named type shows only in
 *    itself (its referrers still say "struct foo").
 *  - Same-name duplicates: a key that names more than one type on either
 *    side is ambiguous; references to such a type get "#HASH", a hash of
 *    the type's shallow description (its description with references to
 *    ambiguous types left undisambiguated), so "struct foo#1a2b.." tells two
 *    different struct foo apart without IDs.
 *  - Named types are matched by key (DECL_TAG: by its whole description,
 *    since tag values repeat). Within a key, equal descriptions pair off
 *    first; remaining pairs (in sorted order) are "differing"; the rest are
 *    only in A or only in B.
 *  - Anonymous types are matched through their referrers, and also counted
 *    per kind as a multiset of descriptions (equal / only in A / only in B),
 *    which also catches a type duplicated on one side only.
 *  - --ignore KIND drops that kind from the comparison, together with the
 *    anonymous types reachable only from ignored types (the FUNC_PROTOs of
 *    ignored FUNCs), orphan anonymous types that look like those of the
 *    other side (canon/desc.c canon_compute_keep), and the DECL_TAGs on
 *    ignored types. With --list-ignored the ignored named kinds are still
 *    matched and listed (so one run gives the verdict without FUNC and the
 *    FUNC differences), but neither counted nor part of the verdict.
 *  - --fold-base-copies (split BTF): an own type whose description equals a
 *    base type's is a copy of it (libbpf 1.1's dedup leaves some in module
 *    BTF): not compared, counted per side ("BASE-COPIES only-a=N only-b=M"
 *    in --brief and --items, a line under the table otherwise).
 * Output: the differences per kind (named: "- A" / "+ B" lines per differing
 * member, anonymous: the description), then a table per kind. --brief prints
 * one line per kind that differs ("STRUCT only-a=0 only-b=1 differing=2",
 * anonymous kinds as "PTR(anon) ..."), nothing else. --items prints one
 * line per difference, sorted by kind then key ("STRUCT foo: differs",
 * "FUNC f: only in A", anonymous types and DECL_TAGs followed by ": " and
 * their description): the form expected-difference files list. --labels
 * names the inputs in place of A and B ("pahole,btfkit").
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "btfkit/btf.h"
#include "canon/canon.h"

/* ---- matching ------------------------------------------------------------ */

struct ent {
	char *key;        /* "kind name" (a DECL_TAG: its description) */
	const char *desc; /* full description */
	unsigned kind;
};

struct count { long eq, only_a, only_b, diff; };
static struct count named_cnt[BK_NR_KINDS], anon_cnt[BK_NR_KINDS];
/* --list-ignored: ignored named kinds matched too, counted apart. */
static struct count ign_cnt[BK_NR_KINDS], *ncnt = named_cnt;
static bool list_ignored;
static struct sb listing[2][BK_NR_KINDS]; /* [named?0:1][kind] */
static long listed[2][BK_NR_KINDS];
static long max_list = -1;
static bool items;                          /* --items: one line per difference */
static bool fold;                           /* --fold-base-copies */
static long base_copies[2];                 /* own types folded, per side */
static const char *label[2] = { "A", "B" }; /* --labels */

static int cmp_ent(const void *a, const void *b)
{
	const struct ent *x = a, *y = b;
	int r = x->kind < y->kind ? -1 : x->kind > y->kind;

	if (!r)
		r = strcmp(x->key, y->key);
	return r ? r : strcmp(x->desc, y->desc);
}

static struct sb *out_for(bool named, unsigned kind);

struct sigent {
	uint64_t sig;
	uint32_t id;
};

static int cmp_sig(const void *a, const void *b)
{
	const struct sigent *x = a, *y = b;

	return x->sig < y->sig ? -1 : x->sig > y->sig;
}

/*
 * --fold-base-copies: the signatures of every base type of sd, sorted, so
 * that an own type can be checked against the base types that may describe
 * the same (canon_sig) without describing them all.
 */
static struct sigent *base_sigs(struct side *sd)
{
	struct sigent *v = canon_xcalloc(sd->start, sizeof(*v));

	for (uint32_t id = 1; id < sd->start; id++)
		v[id - 1] = (struct sigent){ canon_sig(sd->btf, id), id };
	qsort(v, sd->start - 1, sizeof(*v), cmp_sig);
	return v;
}

/* A base type described as d (an own type's description): a copy. */
static bool is_base_copy(struct side *sd, const struct sigent *v, uint32_t id, const char *d)
{
	struct sigent key = { canon_sig(sd->btf, id), 0 };
	size_t lo = 0, hi = sd->start - 1;

	while (lo < hi) { /* first entry >= key */
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid].sig < key.sig)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < sd->start - 1 && v[lo].sig == key.sig; lo++)
		if (!strcmp(canon_desc(sd, v[lo].id, FULL, 0), d))
			return true;
	return false;
}

/* Own types to match: named or anonymous ones, counted ones or (ign) the
 * named ones of ignored kinds. */
static struct ent *collect(struct side *sd, bool named, bool ign, size_t *nr, long *copies)
{
	struct ent *e = canon_xcalloc(sd->cnt, sizeof(*e));
	size_t n = 0;
	struct sigent *base = fold && sd->start > 1 ? base_sigs(sd) : NULL;

	for (uint32_t id = sd->start; id < sd->cnt; id++) {
		const struct bk_type *t = bk_btf_type(sd->btf, id);
		struct sb k = {0};
		const char *d;

		if (named != canon_is_named(sd->btf, t))
			continue;
		if (named ? canon_named_ignored(sd, t) != ign : !sd->keep[id])
			continue;
		d = canon_desc(sd, id, FULL, 0);
		if (base && is_base_copy(sd, base, id, d)) {
			struct sb *l = items ? NULL : out_for(named, bk_kind(t));

			if (l) {
				struct sb key = {0};

				if (named && bk_kind(t) != BK_KIND_DECL_TAG)
					canon_add_key(&key, sd->btf, t);
				canon_sb_addf(l, "%s %s: copy of a base type in %s (folded)\n  = %s\n",
					      bk_kind_name(bk_kind(t)),
					      key.p ? strchr(key.p, ' ') + 1 : "(anonymous)",
					      label[copies != &base_copies[0]], d);
				free(key.p);
			}
			(*copies)++;
			continue;
		}
		e[n].kind = bk_kind(t);
		e[n].desc = canon_desc(sd, id, FULL, 0);
		if (!named || bk_kind(t) == BK_KIND_DECL_TAG)
			canon_sb_add(&k, e[n].desc);
		else
			canon_add_key(&k, sd->btf, t);
		e[n++].key = k.p;
	}
	free(base);
	qsort(e, n, sizeof(*e), cmp_ent);
	*nr = n;
	return e;
}

static struct sb *out_for(bool named, unsigned kind)
{
	long *l = &listed[!named][kind];

	if (max_list >= 0 && *l >= max_list)
		return NULL;
	(*l)++;
	return &listing[!named][kind];
}

/* Elements of a description: header up to a top-level '{', then members. */
static size_t split_elems(const char *d, char ***out)
{
	size_t n = 0, cap = 8;
	char **v = canon_xcalloc(cap, sizeof(char *));
	const char *start = d, *p;
	int depth = 0;
	bool inside = false;

	for (p = d; *p; p++) {
		bool cut = false;
		const char *next = p + 1;

		if (*p == '(' || *p == '[' || (*p == '{' && (inside || depth)))
			depth++;
		else if (*p == ')' || *p == ']' || (*p == '}' && depth))
			depth--;
		else if (*p == '{' && !inside) {
			inside = true;
			cut = true;
			p++;
			next = p;
		} else if (inside && !depth && *p == ';' && p[1] == ' ') {
			cut = true;
			next = p + 2;
		} else if (inside && !depth && *p == '}' && !p[1]) {
			cut = true;
		}
		if (!cut)
			continue;
		if (n + 1 >= cap)
			v = realloc(v, (cap *= 2) * sizeof(char *));
		if (!v) {
			perror("btf_canon");
			exit(2);
		}
		v[n++] = strndup(start, (size_t)(p - start));
		start = next;
		p = next - 1;
		if (!*next)
			break;
	}
	if (*start || !n)
		v[n++] = canon_xstrdup(start);
	*out = v;
	return n;
}

/* Member-wise diff (LCS) of two descriptions of one named type. */
static void print_diff(struct sb *s, const char *a, const char *b)
{
	char **ea, **eb;
	size_t na = split_elems(a, &ea), nb = split_elems(b, &eb), i, j;
	uint32_t *L = canon_xcalloc((na + 1) * (nb + 1), sizeof(uint32_t));

	for (i = na; i-- > 0;)
		for (j = nb; j-- > 0;)
			L[i * (nb + 1) + j] = !strcmp(ea[i], eb[j]) ? L[(i + 1) * (nb + 1) + j + 1] + 1 :
				L[(i + 1) * (nb + 1) + j] > L[i * (nb + 1) + j + 1] ?
				L[(i + 1) * (nb + 1) + j] : L[i * (nb + 1) + j + 1];
	for (i = j = 0; i < na || j < nb;) {
		if (i < na && j < nb && !strcmp(ea[i], eb[j])) {
			if (i == 0 && j == 0)
				canon_sb_addf(s, "    %s\n", ea[i]);
			i++, j++;
		} else if (j >= nb || (i < na && L[(i + 1) * (nb + 1) + j] >= L[i * (nb + 1) + j + 1])) {
			canon_sb_addf(s, "  - %s\n", ea[i++]);
		} else {
			canon_sb_addf(s, "  + %s\n", eb[j++]);
		}
	}
	for (i = 0; i < na; i++)
		free(ea[i]);
	for (j = 0; j < nb; j++)
		free(eb[j]);
	free(ea);
	free(eb);
	free(L);
}

/* e only on one side; same_name: the other side has one of its key too
 * (say, one of two same-name FUNCs): noted as "(same name in B)". */
static void report_only(bool named, const struct ent *e, char side, bool same_name)
{
	struct sb *s = out_for(named, e->kind);
	struct count *c = named ? &ncnt[e->kind] : &anon_cnt[e->kind];

	if (side == 'a')
		c->only_a++;
	else
		c->only_b++;
	if (!s)
		return;
	if (named && e->kind != BK_KIND_DECL_TAG)
		canon_sb_addf(s, "%s %s: only in %s", bk_kind_name(e->kind), strchr(e->key, ' ') + 1,
			      side == 'a' ? label[0] : label[1]);
	else
		canon_sb_addf(s, "%s%s: only in %s", bk_kind_name(e->kind), named ? "" : " (anonymous)",
			      side == 'a' ? label[0] : label[1]);
	if (items && (!named || e->kind == BK_KIND_DECL_TAG)) {
		canon_sb_addf(s, ": %s\n", e->desc);
		return;
	}
	if (same_name)
		canon_sb_addf(s, " (same name in %s)", side == 'a' ? label[1] : label[0]);
	canon_sb_add(s, "\n");
	if (items)
		return;
	canon_sb_addf(s, "  %c %s\n", side == 'a' ? '-' : '+', e->desc);
}

/* One group: the entries of A [a, a_end) and B [b, b_end) share kind+key. */
static void match_group(bool named, const struct ent *a, size_t na, const struct ent *b, size_t nb)
{
	bool *used_a = canon_xcalloc(na, sizeof(bool)), *used_b = canon_xcalloc(nb, sizeof(bool));
	size_t i = 0, j = 0, k;

	/* Equal descriptions pair off (both lists sorted by description). */
	while (i < na && j < nb) {
		int r = strcmp(a[i].desc, b[j].desc);

		if (!r) {
			used_a[i++] = used_b[j++] = true;
			(named ? ncnt : anon_cnt)[a[0].kind].eq++;
		} else if (r < 0) {
			i++;
		} else {
			j++;
		}
	}
	for (i = 0, j = 0;; i++, j++) {
		while (i < na && used_a[i])
			i++;
		while (j < nb && used_b[j])
			j++;
		if (i >= na || j >= nb || !named)
			break;
		struct sb *s = out_for(true, a[i].kind);

		ncnt[a[i].kind].diff++;
		used_a[i] = used_b[j] = true;
		if (s) {
			canon_sb_addf(s, "%s %s: differs\n", bk_kind_name(a[i].kind), strchr(a[i].key, ' ') + 1);
			if (!items)
				print_diff(s, a[i].desc, b[j].desc);
		}
	}
	for (k = 0; k < na; k++)
		if (!used_a[k])
			report_only(named, &a[k], 'a', named && nb);
	for (k = 0; k < nb; k++)
		if (!used_b[k])
			report_only(named, &b[k], 'b', named && na);
	free(used_a);
	free(used_b);
}

static int cmp_group(const struct ent *x, const struct ent *y)
{
	int r = x->kind < y->kind ? -1 : x->kind > y->kind;

	return r ? r : strcmp(x->key, y->key);
}

static void match(struct side *sa, struct side *sb_, bool named, bool ign)
{
	size_t na, nb, i = 0, j = 0;
	long ign_copies[2] = {0};
	struct ent *a = collect(sa, named, ign, &na, ign ? &ign_copies[0] : &base_copies[0]);
	struct ent *b = collect(sb_, named, ign, &nb, ign ? &ign_copies[1] : &base_copies[1]);

	while (i < na || j < nb) {
		size_t i2 = i, j2 = j;
		int r = i >= na ? 1 : j >= nb ? -1 : cmp_group(&a[i], &b[j]);

		if (r <= 0)
			while (i2 < na && !cmp_group(&a[i2], &a[i]))
				i2++;
		if (r >= 0)
			while (j2 < nb && !cmp_group(&b[j2], &b[j]))
				j2++;
		match_group(named, &a[i], i2 - i, &b[j], j2 - j);
		i = i2;
		j = j2;
	}
	for (i = 0; i < na; i++)
		free(a[i].key);
	for (j = 0; j < nb; j++)
		free(b[j].key);
	free(a);
	free(b);
}

/* ---- main --------------------------------------------------------------- */

static int kind_by_name(const char *s)
{
	for (unsigned k = 1; k < BK_NR_KINDS; k++)
		if (!strcasecmp(s, bk_kind_name(k)) || !strcasecmp(s, canon_lower[k]))
			return (int)k;
	return -1;
}

static int usage(void)
{
	fprintf(stderr, "usage: btf_canon [-B BASE | --base-a BASE --base-b BASE] [--ignore KIND[,KIND]]\n"
			"                 [--kind KIND] [--summary | --brief | --items] [--labels LA,LB] [--max N]\n"
		"                 [--fold-base-copies] [--list-ignored] A B\n"
			"       btf_canon --batch   (one such argument list a line on stdin)\n");
	return 2;
}

struct opts {
	const char *base_a, *base_b, *files[2];
	int nfiles, only_kind;
	bool summary, brief;
};

/* Options into o and the file-scope switches; 0, or 2 after a message. */
static int parse(int argc, char **argv, struct opts *o)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--summary") || !strcmp(a, "--brief")) {
			o->summary |= a[2] == 's';
			o->brief |= a[2] == 'b';
		} else if (i + 1 < argc && (!strcmp(a, "-B") || !strcmp(a, "--base"))) {
			o->base_a = o->base_b = argv[++i];
		} else if (i + 1 < argc && !strcmp(a, "--base-a")) {
			o->base_a = argv[++i];
		} else if (i + 1 < argc && !strcmp(a, "--base-b")) {
			o->base_b = argv[++i];
		} else if (!strcmp(a, "--items")) {
			items = true;
		} else if (!strcmp(a, "--fold-base-copies")) {
			fold = true;
		} else if (!strcmp(a, "--list-ignored")) {
			list_ignored = true;
		} else if (i + 1 < argc && !strcmp(a, "--labels") && strchr(argv[i + 1], ',')) {
			char *l = argv[++i], *comma = strchr(l, ',');

			*comma = 0;
			label[0] = l;
			label[1] = comma + 1;
		} else if (i + 1 < argc && !strcmp(a, "--max")) {
			max_list = atol(argv[++i]);
		} else if (i + 1 < argc && (!strcmp(a, "--ignore") || !strcmp(a, "--kind"))) {
			char *list = canon_xstrdup(argv[++i]), *save = NULL;

			for (char *k = strtok_r(list, ",", &save); k; k = strtok_r(NULL, ",", &save)) {
				int kind = kind_by_name(k);

				if (kind < 0) {
					fprintf(stderr, "btf_canon: unknown kind '%s'\n", k);
					free(list);
					return 2;
				}
				if (a[2] == 'i')
					canon_ignored[kind] = true;
				else
					o->only_kind = kind;
			}
			free(list);
		} else if ((a[0] == '-' && a[1]) || o->nfiles == 2) {
			return usage();
		} else {
			o->files[o->nfiles++] = a;
		}
	}
	if (o->nfiles != 2 || !o->base_a != !o->base_b)
		return usage();
	return 0;
}

/* The listing (or --brief lines) and the summary table; true if they differ. */
static bool report(const struct opts *o)
{
	bool differ = false;
	long tot[4] = {0};
	char oa[64], ob[64];

	for (int named = 1; named >= 0; named--)
		for (unsigned k = 0; k < BK_NR_KINDS; k++) {
			struct count *c = named ? &named_cnt[k] : &anon_cnt[k];
			struct sb *l = &listing[!named][k];

			if (c->only_a || c->only_b || c->diff)
				differ = true;
			if (o->brief && (c->only_a || c->only_b || c->diff)) {
				printf("%s%s only-a=%ld only-b=%ld", bk_kind_name(k), named ? "" : "(anon)",
				       c->only_a, c->only_b);
				if (named)
					printf(" differing=%ld", c->diff);
				printf("\n");
			}
			if (!o->brief && (!o->summary || items) && l->p &&
			    (o->only_kind < 0 || o->only_kind == (int)k))
				fputs(l->p, stdout);
		}
	for (unsigned k = 0; o->brief && k < BK_NR_KINDS; k++)
		if (ign_cnt[k].only_a || ign_cnt[k].only_b || ign_cnt[k].diff)
			printf("%s(ignored) only-a=%ld only-b=%ld differing=%ld\n", bk_kind_name(k),
			       ign_cnt[k].only_a, ign_cnt[k].only_b, ign_cnt[k].diff);
	if ((o->brief || items) && (base_copies[0] || base_copies[1]))
		printf("BASE-COPIES only-a=%ld only-b=%ld\n", base_copies[0], base_copies[1]);
	if (o->brief || items)
		return differ;
	snprintf(oa, sizeof(oa), "only-%s", label[0]);
	snprintf(ob, sizeof(ob), "only-%s", label[1]);
	printf("%-18s %8s %8s %8s %9s\n", "kind", "equal", oa, ob, "differing");
	for (int named = 1; named >= 0; named--)
		for (unsigned k = 0; k < BK_NR_KINDS; k++) {
			struct count *c = named ? &named_cnt[k] : &anon_cnt[k];
			char row[32];

			if (!c->eq && !c->only_a && !c->only_b && !c->diff)
				continue;
			snprintf(row, sizeof(row), "%s%s", bk_kind_name(k), named ? "" : " (anon)");
			printf("%-18s %8ld %8ld %8ld ", row, c->eq, c->only_a, c->only_b);
			if (named)
				printf("%9ld\n", c->diff);
			else
				printf("%9s\n", "-");
			tot[0] += c->eq, tot[1] += c->only_a, tot[2] += c->only_b, tot[3] += c->diff;
		}
	printf("%-18s %8ld %8ld %8ld %9ld\n", "total", tot[0], tot[1], tot[2], tot[3]);
	if (fold)
		printf("own types that copy a base type (folded, not compared): %s %ld, %s %ld\n",
		       label[0], base_copies[0], label[1], base_copies[1]);
	printf("result: %s\n", differ ? "differ" : "equal (canonically, after --ignore)");
	return differ;
}

/* One comparison from a fresh state: exit status 0 equal, 1 differ, 2 error. */
static int run(int argc, char **argv)
{
	struct opts o = { .only_kind = -1 };
	struct side sa = {0}, sb_ = {0};
	int rc = 2;

	memset(named_cnt, 0, sizeof(named_cnt));
	memset(ign_cnt, 0, sizeof(ign_cnt));
	list_ignored = false;
	memset(anon_cnt, 0, sizeof(anon_cnt));
	memset(listed, 0, sizeof(listed));
	memset(canon_ignored, 0, sizeof(canon_ignored));
	max_list = -1;
	items = false;
	fold = false;
	base_copies[0] = base_copies[1] = 0;
	label[0] = "A";
	label[1] = "B";
	if (parse(argc, argv, &o))
		return 2;
	if (!canon_open_side(&sa, o.files[0], o.base_a) && !canon_open_side(&sb_, o.files[1], o.base_b)) {
		canon_find_dups(&sa);
		canon_find_dups(&sb_);
		canon_merge_dups(&sa, &sb_);
		canon_compute_keep(&sa, &sb_);
		match(&sa, &sb_, true, false);
		match(&sa, &sb_, false, false);
		if (list_ignored) {
			ncnt = ign_cnt;
			match(&sa, &sb_, true, true);
			ncnt = named_cnt;
		}
		rc = report(&o) ? 1 : 0;
	}
	for (int n = 0; n < 2; n++)
		for (unsigned k = 0; k < BK_NR_KINDS; k++) {
			free(listing[n][k].p);
			listing[n][k] = (struct sb){0};
		}
	canon_side_free(&sa);
	canon_side_free(&sb_);
	free(canon_ambig);
	canon_ambig = NULL;
	canon_nr_ambig = 0;
	return rc;
}

/*
 * --batch: each line of standard input is one argument list (split at
 * blanks), compared in turn; after its output comes "== exit N". Saves a
 * process per comparison (the canon.sh proof runs ~200).
 */
static int batch(void)
{
	char *line = NULL, *args[64];
	size_t cap = 0;
	int worst = 0;

	while (getline(&line, &cap, stdin) > 0) {
		char *save = NULL;
		int n = 1, rc;

		args[0] = "btf_canon";
		for (char *t = strtok_r(line, " \t\n", &save); t && n < 63; t = strtok_r(NULL, " \t\n", &save))
			args[n++] = t;
		args[n] = NULL;
		rc = run(n, args);
		printf("== exit %d\n", rc);
		fflush(stdout);
		worst = rc > worst ? rc : worst;
	}
	free(line);
	return worst;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "--batch"))
		return batch();
	return run(argc, argv);
}
