// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * dedup_corpus: build dedup test inputs from real kernel BTF and compare
 * btfkit's dedup with libbpf's btf__dedup on them (tests/corpus/dedup.sh,
 * bench/50-dedup.sh).
 *
 *   gen [-f] -o OUT [-s SPLIT_OUT] VMLINUX MOD...
 *	Make each module standalone (its split types plus every vmlinux type
 *	they reach) and concatenate the copies into one raw BTF, as producers
 *	emitting one type graph per unit do. -f: FWD variant, where about half
 *	of the pointers to named structs/unions point at a FWD of that name
 *	instead (as in units that only forward-declare the struct); such a
 *	struct is copied only if reached otherwise. -s also writes the same
 *	types relocated as split BTF on VMLINUX (strings the base has use
 *	the base's offsets, as in split BTF written through libbpf). Both
 *	are built with the public writer (bk_btf_add_type, IDs remapped by
 *	this helper; the split writer takes strings the base has from it).
 *   append -o OUT VMLINUX MOD...
 *	The modules' own split BTFs appended into one split BTF on VMLINUX
 *	(bk_btf_add_btf).
 *   cmp [-B BASE] IN
 *	Dedup IN with btfkit and with libbpf; print both type counts; exit 0
 *	when btfkit has no more types than libbpf and, where the counts are
 *	equal, the raw dumps are identical or hold the same records in
 *	another order (type IDs compared by the kind and name they point
 *	at; see cmd_cmp for the one known cause). Where btfkit has fewer types,
 *	every (kind, name) libbpf keeps more copies of is listed with the
 *	verdict of btfkit's equivalence check on libbpf's output.
 *   dump [-B BASE] IN
 *	Dedup IN with btfkit and print the raw dump of the result.
 *   time btfkit|libbpf [-B BASE] IN
 *	Dedup with one library, printing input/output types and bytes and the
 *	dedup time alone (for the benchmark; run under /usr/bin/time for RSS).
 *   load FILE
 *	Load raw BTF into the kernel (BPF_BTF_LOAD): exit 0 when it loads, 3
 *	when not permitted (EPERM/ENOSYS), 1 with the verifier log otherwise.
 */
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "btfkit/btf.h"
#include "btfkit/dedup.h"
#include "btfkit/dump.h"
#include "btfkit/write.h"
#include "internal.h"

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "dedup_corpus: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts); /* CPU time: robust on a shared machine */
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die("out of memory");
	return p;
}

/* ---- building inputs with the public writer --------------------------- */
/* A writable view of a record the writer holds (to remap its type IDs). */
static struct bk_type *wtype(struct bk_btf *btf, uint32_t id)
{
	return (struct bk_type *)bk_btf_type(btf, id);
}

/* bk_btf_add_type or die; returns the copy (its IDs still src's). */
static struct bk_type *copy_type(struct bk_btf *dst, const struct bk_btf *src, const struct bk_type *t)
{
	int id = bk_btf_add_type(dst, src, t);

	if (id < 0)
		die("writer: cannot add a type: %s", strerror(-id));
	return wtype(dst, (uint32_t)id);
}

static void write_or_die(const struct bk_btf *btf, const char *path)
{
	int err = bk_btf_write_file(btf, path);

	if (err)
		die("%s: write failed: %s", path, strerror(-err));
}

static struct bk_btf *new_or_die(struct bk_btf *base)
{
	struct bk_btf *btf = bk_btf_new_empty(base);

	if (!btf)
		die("out of memory");
	return btf;
}

/* ---- gen ----------------------------------------------------------------- */
static struct bk_btf *open_or_die(const char *path, struct bk_btf *base)
{
	struct bk_diag diag = { 0 };
	struct bk_open_opts o = { .sz = sizeof(o), .base = base, .diag = &diag };
	struct bk_btf *btf = bk_btf_open(path, &o);

	if (!btf)
		die("%s: %s", path, diag.msg);
	return btf;
}

/* Should this pointer (in module midx) point at a FWD instead? */
static bool make_fwd(const struct bk_btf *m, uint32_t ptr_target, uint32_t midx)
{
	const struct bk_type *t = bk_btf_type(m, ptr_target);
	const char *name;

	if (!t || !bk_is_composite(t) || !t->name_off)
		return false;
	name = bk_btf_name(m, t);
	return ((bk__str_hash(name, strlen(name)) >> 3) ^ midx) & 1;
}

static int cmd_gen(int argc, char **argv)
{
	const char *out = NULL, *split_out = NULL;
	bool fwd = false;
	struct bk_btf *base, *std, *split = NULL;
	uint32_t base_cnt, shift, *stamp = NULL, *newid = NULL, *fwdid = NULL, *work = NULL;
	size_t arr = 0;
	int c;

	while ((c = getopt(argc, argv, "fo:s:")) != -1) {
		if (c == 'f')
			fwd = true;
		else if (c == 'o')
			out = optarg;
		else if (c == 's')
			split_out = optarg;
		else
			return 2;
	}
	if (!out || argc - optind < 2)
		die("usage: gen [-f] -o OUT [-s SPLIT_OUT] VMLINUX MOD...");
	base = open_or_die(argv[optind], NULL);
	base_cnt = bk_btf_type_cnt(base);
	shift = base_cnt - 1;
	std = new_or_die(NULL);
	if (split_out)
		split = new_or_die(base);
	for (int mi = optind + 1; mi < argc; mi++) {
		uint32_t midx = (uint32_t)(mi - optind), cnt, nw = 0, next;
		struct bk_btf *m = open_or_die(argv[mi], base);

		cnt = bk_btf_type_cnt(m);
		if (cnt > arr) {
			size_t old = arr;

			arr = cnt * 2;
			stamp = xrealloc(stamp, arr * 4);
			newid = xrealloc(newid, arr * 4);
			fwdid = xrealloc(fwdid, arr * 8);
			work = xrealloc(work, arr * 4);
			memset(stamp + old, 0, (arr - old) * 4);
			memset(fwdid + old * 2, 0, (arr - old) * 8);
		}
		/* reach: own types' targets, then base types' targets */
		for (uint32_t id = base_cnt; id < cnt; id++)
			work[nw++] = id;
		while (nw) {
			uint32_t id = work[--nw];
			struct bk_type *t = (struct bk_type *)bk_btf_type(m, id);
			struct bk__field_iter it;
			uint32_t *f;

			if (bk__field_iter_init(&it, t, BK__FIELD_IDS))
				die("unknown kind");
			while ((f = bk__field_iter_next(&it))) {
				uint32_t x = *f;

				if (fwd && bk_kind(t) == BK_KIND_PTR && make_fwd(m, x, midx)) {
					/* FWD for x, made once per module */
					if (fwdid[x * 2] != midx) {
						fwdid[x * 2] = midx;
						fwdid[x * 2 + 1] = 0;
					}
					continue;
				}
				if (x && x < base_cnt && stamp[x] != midx) {
					stamp[x] = midx;
					work[nw++] = x;
				}
			}
		}
		next = bk_btf_type_cnt(std);
		for (uint32_t id = 1; id < base_cnt; id++) {
			if (stamp[id] == midx)
				newid[id] = next++;
		}
		for (uint32_t id = 1; id < cnt; id++) {
			if (fwd && fwdid[id * 2] == midx)
				fwdid[id * 2 + 1] = next++;
		}
		for (uint32_t id = base_cnt; id < cnt; id++)
			newid[id] = next++;
		newid[0] = 0;
		/* emit in the same order */
		for (int pass = 0; pass < 3; pass++) {
			uint32_t lo = pass == 2 ? base_cnt : 1, hi = pass == 0 ? base_cnt : cnt;

			for (uint32_t id = lo; id < hi; id++) {
				const struct bk_type *t = bk_btf_type(m, id);
				struct bk__field_iter it;
				struct bk_type *n;
				uint32_t *f;

				if (pass == 0 && stamp[id] != midx)
					continue;
				if (pass == 1) {
					if (!fwd || fwdid[id * 2] != midx)
						continue;
					if (bk_btf_add_fwd(std, bk_btf_name(m, t), bk_kind(t) == BK_KIND_UNION
							   ? BK_FWD_UNION : BK_FWD_STRUCT) < 0)
						die("writer: cannot add a FWD");
					n = wtype(std, bk_btf_type_cnt(std) - 1);
				} else {
					n = copy_type(std, m, t);
					bk__field_iter_init(&it, n, BK__FIELD_IDS);
					while ((f = bk__field_iter_next(&it))) {
						if (fwd && bk_kind(n) == BK_KIND_PTR && make_fwd(m, *f, midx))
							*f = fwdid[*f * 2 + 1];
						else
							*f = newid[*f];
					}
				}
				if (!split)
					continue;
				/*
				 * The same type as split BTF on the base, as producers
				 * write it (pahole through libbpf): IDs after the base's;
				 * the writer takes a string the base has from the base.
				 */
				n = copy_type(split, std, n);
				bk__field_iter_init(&it, n, BK__FIELD_IDS);
				while ((f = bk__field_iter_next(&it)))
					if (*f)
						*f += shift;
			}
		}
		bk_btf_free(m);
	}
	write_or_die(std, out);
	if (split)
		write_or_die(split, split_out);
	{
		struct bk_btf_layout_info li;

		bk_btf_layout_info(std, &li);
		fprintf(stderr, "gen: %d modules, %u types, %u type bytes, %u string bytes\n",
			argc - optind - 1, bk_btf_type_cnt(std) - 1, li.type_len, li.str_len);
	}
	bk_btf_free(std);
	bk_btf_free(split);
	free(stamp);
	free(newid);
	free(fwdid);
	free(work);
	bk_btf_free(base);
	return 0;
}

/* ---- append -------------------------------------------------------------- */
static int cmd_append(int argc, char **argv)
{
	const char *out = NULL;
	struct bk_btf *base, *all;
	int c;

	while ((c = getopt(argc, argv, "o:")) != -1) {
		if (c == 'o')
			out = optarg;
		else
			return 2;
	}
	if (!out || argc - optind < 2)
		die("usage: append -o OUT VMLINUX MOD...");
	base = open_or_die(argv[optind], NULL);
	all = new_or_die(base);
	for (int mi = optind + 1; mi < argc; mi++) {
		struct bk_btf *m = open_or_die(argv[mi], base);
		int err = bk_btf_add_btf(all, m);

		if (err < 0)
			die("%s: writer: cannot append: %s", argv[mi], strerror(-err));
		bk_btf_free(m);
	}
	write_or_die(all, out);
	bk_btf_free(all);
	bk_btf_free(base);
	return 0;
}

/* ---- dedup with either library ----------------------------------------- */
static char *dump_raw(const struct bk_btf *btf)
{
	struct bk_membuf mb = { 0 };
	struct bk_sink sink = bk_sink_membuf(&mb);

	if (bk_dump(btf, &sink, NULL))
		die("dump failed");
	return mb.data ? mb.data : strdup("");
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The records of a raw dump with type IDs abstracted: the "[ID] " prefix
 * dropped and every "type_id=N" replaced by the kind and name of type N.
 * Returned sorted, so two outputs holding the same types in a different
 * order (and so with other IDs) compare equal.
 */
static char **id_free_records(const struct bk_btf *btf, const char *dump, size_t *n)
{
	char **v = NULL;
	size_t cnt = 0, cap = 0;
	const char *p = dump;

	while (*p) {
		const char *end = p;
		char *buf;
		size_t len = 0, size;

		/* one record: its "[ID]" line and the indented lines after it */
		do {
			end = strchr(end, '\n');
			end = end ? end + 1 : p + strlen(p);
		} while (*end == '\t');
		size = (size_t)(end - p) * 4 + 64;
		buf = xrealloc(NULL, size);
		if (*p == '[')
			p = strchr(p, ']') + 2;
		while (p < end) {
			if (!strncmp(p, "type_id=", 8)) {
				char *e;
				unsigned long id = strtoul(p + 8, &e, 10);
				const struct bk_type *t = bk_btf_type(btf, (uint32_t)id);
				const char *name = t ? bk_btf_name(btf, t) : NULL;
				int w = snprintf(buf + len, size - len, "type=<%s '%s'>",
						 t ? bk_kind_name(bk_kind(t)) : "void", name ? name : "");

				if (w < 0 || (size_t)w >= size - len) {
					size = size * 2 + (size_t)w;
					buf = xrealloc(buf, size);
					continue;
				}
				len += (size_t)w;
				p = e;
				continue;
			}
			if (len + 2 >= size) {
				size *= 2;
				buf = xrealloc(buf, size);
			}
			buf[len++] = *p++;
		}
		buf[len] = '\0';
		if (cnt == cap) {
			cap = cap ? cap * 2 : 1024;
			v = xrealloc(v, cap * sizeof(*v));
		}
		v[cnt++] = buf;
	}
	qsort(v, cnt, sizeof(*v), cmp_str);
	*n = cnt;
	return v;
}

/* Number of records of a that b lacks (both sorted). */
static size_t records_missing(char **a, size_t na, char **b, size_t nb)
{
	size_t i = 0, j = 0, missing = 0;

	while (i < na) {
		int c = j < nb ? strcmp(a[i], b[j]) : -1;

		if (c == 0) {
			i++;
			j++;
		} else if (c < 0) {
			missing++;
			i++;
		} else {
			j++;
		}
	}
	return missing;
}

static void free_records(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

struct result {
	struct bk_btf *btf;    /* deduplicated, as a btfkit object */
	uint32_t in_types, out_types;
	size_t in_bytes, out_bytes;
	double secs;
};

static void run_btfkit(const char *in, struct bk_btf *base, struct result *r)
{
	struct bk_diag diag = { 0 };
	struct bk_dedup_opts o = { .sz = sizeof(o), .diag = &diag };
	struct bk_btf_layout_info li;
	double t0;
	int err;

	r->btf = open_or_die(in, base);
	bk_btf_layout_info(r->btf, &li);
	r->in_types = bk_btf_nr_own_types(r->btf);
	r->in_bytes = li.raw_size;
	t0 = now();
	err = bk_btf_dedup(r->btf, &o);
	r->secs = now() - t0;
	if (err)
		die("%s: btfkit dedup: %s", in, diag.msg);
	bk_btf_layout_info(r->btf, &li);
	r->out_types = bk_btf_nr_own_types(r->btf);
	r->out_bytes = li.raw_size;
}

static void run_libbpf(const char *in, const char *base_path, struct bk_btf *bbase, bool convert,
		       struct result *r)
{
	struct btf *lbase = NULL, *btf;
	const void *raw;
	uint32_t sz;
	double t0;
	int err;

	if (base_path) {
		lbase = btf__parse(base_path, NULL);
		if (!lbase)
			die("%s: libbpf cannot parse", base_path);
	}
	btf = btf__parse_split(in, lbase);
	if (!btf)
		die("%s: libbpf cannot parse", in);
	r->in_types = btf__type_cnt(btf) - (lbase ? btf__type_cnt(lbase) : 1);
	btf__raw_data(btf, &sz);
	r->in_bytes = sz;
	t0 = now();
	err = btf__dedup(btf, NULL);
	r->secs = now() - t0;
	if (err)
		die("%s: libbpf dedup: %d", in, err);
	raw = btf__raw_data(btf, &sz);
	r->out_types = btf__type_cnt(btf) - (lbase ? btf__type_cnt(lbase) : 1);
	r->out_bytes = sz;
	if (convert) {
		struct bk_diag diag = { 0 };
		struct bk_open_opts o = { .sz = sizeof(o), .base = bbase, .diag = &diag };

		r->btf = bk_btf_from_mem(raw, sz, &o);
		if (!r->btf)
			die("libbpf output does not parse: %s", diag.msg);
	}
	btf__free(btf);
	btf__free(lbase);
}

/* Types per "KIND 'name'" key (up to MAX_IDS IDs kept per key). */
#define MAX_IDS 8
struct key_count {
	char *key;
	uint32_t n, ids[MAX_IDS];
};

static int key_cmp(const void *a, const void *b)
{
	const struct key_count *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : (x->ids[0] > y->ids[0]) - (x->ids[0] < y->ids[0]);
}

static struct key_count *count_keys(const struct bk_btf *btf, size_t *n)
{
	uint32_t start = bk_btf_start_id(btf), cnt = bk_btf_type_cnt(btf);
	struct key_count *k = calloc(cnt - start + 1, sizeof(*k));
	size_t m = 0;

	for (uint32_t id = start; id < cnt; id++) {
		const struct bk_type *t = bk_btf_type(btf, id);
		char buf[512];

		snprintf(buf, sizeof(buf), "%s '%s'", bk_kind_name(bk_kind(t)), bk_btf_name(btf, t));
		k[m].key = strdup(buf);
		k[m].ids[0] = id;
		k[m].n = 1;
		m++;
	}
	qsort(k, m, sizeof(*k), key_cmp);
	*n = 0;
	for (size_t i = 0; i < m; i++) {
		struct key_count *last = *n ? &k[*n - 1] : NULL;

		if (last && !strcmp(last->key, k[i].key)) {
			if (last->n < MAX_IDS)
				last->ids[last->n] = k[i].ids[0];
			last->n++;
			free(k[i].key);
			continue;
		}
		k[(*n)++] = k[i];
	}
	return k;
}

static void free_keys(struct key_count *k, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(k[i].key);
	free(k);
}

/*
 * Why btfkit may hold fewer copies of a (kind, name) than libbpf: a pair of
 * libbpf's copies that btfkit's equivalence check finds equivalent, a FWD
 * btfkit resolved to the struct of its name, or (anonymous types) a
 * consequence of merging the named types they reference.
 */
static const char *why_valid(const struct bk_btf *l, const struct key_count *k, uint32_t have,
			     char *buf, size_t size)
{
	uint32_t n = k->n < MAX_IDS ? k->n : MAX_IDS;

	if (strstr(k->key, "''") || strstr(k->key, "'(anon)'"))
		return "anonymous: follows from merging the types they reference";
	if (!strncmp(k->key, "FWD ", 4) && have == 0)
		return "FWD resolved to the struct/union of its name";
	if (have == 0 && bk_btf_base(l)) {
		const struct bk_type *t = bk_btf_type(l, k->ids[0]);
		int b = bk_btf_find(bk_btf_base(l), bk_btf_name(l, t), (int)bk_kind(t));

		if (b > 0) {
			char why[768];

			if (bk_btf_dedup_explain(l, k->ids[0], (uint32_t)b, why, sizeof(why)) == 0)
				snprintf(buf, size, "libbpf's [%u] is graph-equivalent to base [%d]",
					 k->ids[0], b);
			else
				snprintf(buf, size,
					 "libbpf's [%u] vs base [%d] as libbpf left them (FWDs unresolved): %s",
					 k->ids[0], b, why);
			return buf;
		}
	}
	for (uint32_t i = 0; i < n; i++) {
		for (uint32_t j = i + 1; j < n; j++) {
			if (bk_btf_dedup_explain(l, k->ids[j], k->ids[i], buf, size) == 0) {
				snprintf(buf, size, "libbpf's [%u] and [%u] are graph-equivalent",
					 k->ids[i], k->ids[j]);
				return buf;
			}
		}
	}
	return "follows from merges of the types they reference";
}

static int cmd_cmp(int argc, char **argv)
{
	const char *base_path = NULL, *in;
	struct bk_btf *base = NULL;
	struct result a = { 0 }, l = { 0 };
	bool verbose = false;
	char *da, *dl;
	int c, ret = 0;

	while ((c = getopt(argc, argv, "B:v")) != -1) {
		if (c == 'B')
			base_path = optarg;
		else if (c == 'v')
			verbose = true;
		else
			return 2;
	}
	if (argc - optind != 1)
		die("usage: cmp [-B BASE] [-v] IN");
	in = argv[optind];
	if (base_path)
		base = open_or_die(base_path, NULL);
	run_btfkit(in, base, &a);
	run_libbpf(in, base_path, base, true, &l);
	printf("input %u types; btfkit %u types (%.3fs), libbpf %u types (%.3fs)\n", a.in_types,
	       a.out_types, a.secs, l.out_types, l.secs);
	da = dump_raw(a.btf);
	dl = dump_raw(l.btf);
	if (a.out_types > l.out_types) {
		printf("MORE: btfkit keeps more types than libbpf\n");
		ret = 1;
	} else if (a.out_types == l.out_types) {
		if (strcmp(da, dl)) {
			size_t na, nl;
			char **ra = id_free_records(a.btf, da, &na), **rl = id_free_records(l.btf, dl, &nl);

			/*
			 * Accepted: the same records in another order. Where a
			 * split copy of a base type refers to a base FWD that
			 * a split struct later resolves, btfkit drops the copy
			 * onto the base type first (what the modules' own split
			 * BTF holds, checked by dedup-split-equals-modules);
			 * libbpf keeps that copy and drops a later equal one.
			 */
			if (records_missing(ra, na, rl, nl) == 0 && na == nl) {
				const char *x = da, *y = dl;

				/* the first line where they part */
				while (*x && *x == *y) {
					const char *e = strchr(x, '\n');
					size_t ll = e ? (size_t)(e - x) + 1 : strlen(x);

					if (strncmp(x, y, ll))
						break;
					x += ll;
					y += ll;
				}
				printf("same records in another order (split copies of base types dropped before base FWDs resolve, as in the modules' own split BTF); first difference: btfkit %.*s, libbpf %.*s\n",
				       (int)strcspn(x, "\n"), x, (int)strcspn(y, "\n"), y);
			} else {
				printf("DIFFER: equal counts but the raw dumps differ (%zu records with no equal in libbpf's output)\n",
				       records_missing(ra, na, rl, nl));
				ret = 1;
			}
			free_records(ra, na);
			free_records(rl, nl);
		} else {
			printf("identical raw dumps\n");
		}
	}
	if (a.out_types < l.out_types) {
		size_t na, nl, i = 0, j = 0;
		struct key_count *ka = count_keys(a.btf, &na), *kl = count_keys(l.btf, &nl);
		uint32_t named = 0, anon = 0, other = 0;
		char buf[1024];

		while (j < nl || i < na) {
			int cmp = i >= na ? 1 : j >= nl ? -1 : strcmp(ka[i].key, kl[j].key);
			uint32_t have = cmp == 0 ? ka[i].n : 0, want = cmp <= 0 && cmp ? 0 : kl[j].n;

			if (cmp < 0) {
				/* a type libbpf merged away and btfkit kept (counted in the totals) */
				other += ka[i].n;
				if (verbose)
					printf("  note: btfkit keeps %s x%u that libbpf does not\n", ka[i].key,
					       ka[i].n);
				i++;
				continue;
			}
			if (want > have) {
				const char *why = why_valid(l.btf, &kl[j], have, buf, sizeof(buf));

				if (strstr(kl[j].key, "''") || strstr(kl[j].key, "'(anon)'"))
					anon += want - have;
				else
					named += want - have;
				if (verbose || !(strstr(kl[j].key, "''") || strstr(kl[j].key, "'(anon)'")))
					printf("  merged by btfkit: %s: libbpf %u, btfkit %u: %s\n", kl[j].key,
					       want, have, why);
			} else if (want < have) {
				other += have - want;
				if (verbose)
					printf("  note: btfkit keeps %s x%u, libbpf x%u\n", kl[j].key, have,
					       want);
			}
			if (cmp == 0)
				i++;
			j++;
		}
		printf("btfkit has %u fewer types: %u named and %u anonymous types merged beyond libbpf, %u kept where libbpf merged\n",
		       l.out_types - a.out_types, named, anon, other);
		free_keys(ka, na);
		free_keys(kl, nl);
	}
	free(da);
	free(dl);
	bk_btf_free(a.btf);
	bk_btf_free(l.btf);
	bk_btf_free(base);
	return ret;
}

static int cmd_dump(int argc, char **argv)
{
	const char *base_path = NULL;
	struct bk_btf *base = NULL;
	struct result a = { 0 };
	char *d;
	int c;

	while ((c = getopt(argc, argv, "B:")) != -1) {
		if (c == 'B')
			base_path = optarg;
		else
			return 2;
	}
	if (argc - optind != 1)
		die("usage: dump [-B BASE] IN");
	if (base_path)
		base = open_or_die(base_path, NULL);
	if (!strcmp(argv[0], "ldump"))
		run_libbpf(argv[optind], base_path, base, true, &a);
	else
		run_btfkit(argv[optind], base, &a);
	d = dump_raw(a.btf);
	fputs(d, stdout);
	free(d);
	bk_btf_free(a.btf);
	bk_btf_free(base);
	return 0;
}

static int cmd_time(int argc, char **argv)
{
	const char *base_path = NULL, *lib;
	struct bk_btf *base = NULL;
	struct result r = { 0 };
	int c;

	if (argc < 2)
		die("usage: time btfkit|libbpf [-B BASE] IN");
	lib = argv[1];
	optind = 2;
	while ((c = getopt(argc, argv, "B:")) != -1) {
		if (c == 'B')
			base_path = optarg;
		else
			return 2;
	}
	if (argc - optind != 1)
		die("usage: time btfkit|libbpf [-B BASE] IN");
	if (!strcmp(lib, "btfkit")) {
		if (base_path)
			base = open_or_die(base_path, NULL);
		run_btfkit(argv[optind], base, &r);
	} else {
		run_libbpf(argv[optind], base_path, NULL, false, &r);
	}
	printf("%s %u %zu %u %zu %.4f\n", lib, r.in_types, r.in_bytes, r.out_types, r.out_bytes,
	       r.secs);
	if (!strcmp(lib, "btfkit"))
		bk_btf_free(r.btf);
	bk_btf_free(base);
	return 0;
}

static int cmd_load(int argc, char **argv)
{
	/*
	 * The kernel's log, on the heap when a load fails: a static buffer
	 * was 16 MiB of address space in every run of this helper, 'time'
	 * too, where the benchmark runs the dedup under ulimit -v.
	 */
	const size_t log_size = 1 << 24;
	char *log;
	LIBBPF_OPTS(bpf_btf_load_opts, o);
	FILE *f;
	char *buf;
	long n;
	int fd;

	if (argc != 2)
		die("usage: load FILE");
	f = fopen(argv[1], "rb");
	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
		die("%s: cannot read", argv[1]);
	buf = xrealloc(NULL, (size_t)n);
	if (n && fread(buf, (size_t)n, 1, f) != 1)
		die("%s: cannot read", argv[1]);
	fclose(f);
	fd = bpf_btf_load(buf, (size_t)n, &o);
	if (fd < 0 && (errno == EPERM || errno == ENOSYS || errno == EACCES)) {
		printf("BPF_BTF_LOAD not permitted: %s\n", strerror(errno));
		free(buf);
		return 3;
	}
	if (fd < 0) {
		int err = errno;
		size_t len;

		/* again with the kernel's log: its last line says why */
		log = xrealloc(NULL, log_size);
		log[0] = '\0';
		o.log_buf = log;
		o.log_size = (uint32_t)log_size;
		o.log_level = 1;
		bpf_btf_load(buf, (size_t)n, &o);
		len = strnlen(log, log_size - 1);
		log[len] = '\0';
		while (len && log[len - 1] == '\n')
			log[--len] = '\0';
		printf("BPF_BTF_LOAD failed: %s; %s\n", strerror(err),
		       len > 300 ? log + len - 300 : log);
		free(log);
		free(buf);
		return 1;
	}
	close(fd);
	free(buf);
	printf("loaded %ld bytes\n", n);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		die("usage: dedup_corpus gen|append|cmp|dump|time ...");
	optind = 1;
	argc--;
	argv++;
	if (!strcmp(argv[0], "gen"))
		return cmd_gen(argc, argv);
	if (!strcmp(argv[0], "append"))
		return cmd_append(argc, argv);
	if (!strcmp(argv[0], "cmp"))
		return cmd_cmp(argc, argv);
	if (!strcmp(argv[0], "dump") || !strcmp(argv[0], "ldump"))
		return cmd_dump(argc, argv);
	if (!strcmp(argv[0], "time"))
		return cmd_time(argc, argv);
	if (!strcmp(argv[0], "load"))
		return cmd_load(argc, argv);
	die("unknown command %s", argv[0]);
}
