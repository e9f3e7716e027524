// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * parse_bench: parse time of btfkit (bk_btf_open) against libbpf
 * (btf__parse / btf__parse_split) on the same files in the same process,
 * runs alternating between the two so that both see the same cache state.
 *
 *	parse_bench [-n REPEAT] FILE                 parse FILE alone
 *	parse_bench [-n REPEAT] -B BASE LIST         parse every file named in
 *	                                             LIST (one a line) on BASE
 *	parse_bench -O btfkit|libbpf FILE            parse once (for peak RSS)
 *	parse_bench -j N [-n REPEAT] -B BASE LIST    btfkit in N threads on one
 *	                                             frozen base, libbpf in one;
 *	                                             wall-clock times
 *	parse_bench -M [-j N] [-n REPEAT] -B BASE LIST
 *	                                             btfkit through bk_btf_open_many
 *	                                             (batches of 64 files; with -j,
 *	                                             N threads each opening its
 *	                                             share of batches)
 *	parse_bench -D [-n REPEAT] -B BASE LIST      libbpf only: btf__parse_split
 *	                                             and btf__dedup of each file
 *	                                             (the split-vs-standalone
 *	                                             report's reference cost)
 *
 * Prints "median_libbpf_seconds median_btfkit_seconds files types" (the
 * median over REPEAT rounds, default 11, of the time to parse everything
 * once; the base is parsed once up front and not counted). CPU time of the
 * process, but wall-clock time with -j.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "btfkit/btf.h"

static clockid_t clock_id = CLOCK_PROCESS_CPUTIME_ID;

static double now(void)
{
	struct timespec ts;

	clock_gettime(clock_id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* -j: the files shared out to threads, each taking the next index. */
struct pool {
	char **files;
	size_t n;
	atomic_size_t next;
	struct bk_btf *base;
	bool many;
};

#define MANY 64

/* -M: files [i, i + m) with bk_btf_open_many. */
static void open_many(char **files, size_t m, struct bk_btf *base)
{
	struct bk_open_opts o = { .sz = sizeof(o), .base = base };
	struct bk_btf *out[MANY];
	int errs[MANY];

	if (bk_btf_open_many((const char *const *)files, m, out, errs, &o))
		exit(1);
	for (size_t k = 0; k < m; k++) {
		if (!out[k]) {
			fprintf(stderr, "parse_bench: %s: bk_btf_open_many failed\n", files[k]);
			exit(1);
		}
		bk_btf_free(out[k]);
	}
}

static void *parse_some(void *arg)
{
	struct pool *p = arg;
	struct bk_open_opts o = { .sz = sizeof(o), .base = p->base };
	size_t i;

	while (p->many && (i = atomic_fetch_add(&p->next, MANY)) < p->n)
		open_many(p->files + i, p->n - i < MANY ? p->n - i : MANY, p->base);
	while (!p->many && (i = atomic_fetch_add(&p->next, 1)) < p->n) {
		struct bk_btf *b = bk_btf_open(p->files[i], &o);

		if (!b) {
			fprintf(stderr, "parse_bench: %s: bk_btf_open failed\n", p->files[i]);
			exit(1);
		}
		bk_btf_free(b);
	}
	return NULL;
}

static void parse_threads(char **files, size_t n, struct bk_btf *base, int jobs, bool many)
{
	struct pool p = { .files = files, .n = n, .base = base, .many = many };
	pthread_t t[64];

	for (int k = 0; k < jobs; k++)
		pthread_create(&t[k], NULL, parse_some, &p);
	for (int k = 0; k < jobs; k++)
		pthread_join(t[k], NULL);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int quiet(enum libbpf_print_level l, const char *f, va_list ap)
{
	(void)l;
	(void)f;
	(void)ap;
	return 0;
}

static void die(const char *what, const char *path)
{
	fprintf(stderr, "parse_bench: %s: %s failed\n", path, what);
	exit(1);
}

int main(int argc, char **argv)
{
	const char *base_path = NULL, *once = NULL;
	struct btf *lbase = NULL;
	struct bk_btf *bbase = NULL;
	char **files = NULL;
	size_t nfiles = 0, cap = 0;
	int repeat = 11, c, jobs = 0;
	bool dedup = false, many = false;
	double *tl, *tb;
	unsigned long types = 0;

	while ((c = getopt(argc, argv, "n:B:O:j:DM")) != -1) {
		switch (c) {
		case 'n': repeat = atoi(optarg); break;
		case 'j': jobs = atoi(optarg); break;
		case 'D': dedup = true; break;
		case 'M': many = true; break;
		case 'B': base_path = optarg; break;
		case 'O': once = optarg; break;
		default:
			fprintf(stderr, "usage: parse_bench [-n N] [-B BASE LIST | FILE] | -O btfkit|libbpf FILE\n");
			return 2;
		}
	}
	if (optind != argc - 1 || repeat < 1 || jobs < 0 || jobs > 64 ||
	    ((jobs || dedup || many) && !base_path))
		return 2;
	if (jobs)
		clock_id = CLOCK_MONOTONIC;
	libbpf_set_print(quiet);
	if (once) {
		if (!strcmp(once, "btfkit")) {
			struct bk_btf *b = bk_btf_open(argv[optind], NULL);

			if (!b)
				die("bk_btf_open", argv[optind]);
			bk_btf_free(b);
		} else {
			struct btf *b = btf__parse(argv[optind], NULL);

			if (!b)
				die("btf__parse", argv[optind]);
			btf__free(b);
		}
		return 0;
	}
	if (base_path) {
		char line[4096];
		FILE *f = fopen(argv[optind], "r");

		if (!f)
			die("fopen", argv[optind]);
		while (fgets(line, sizeof(line), f)) {
			line[strcspn(line, "\n")] = 0;
			if (!*line)
				continue;
			if (nfiles == cap) {
				cap = cap ? 2 * cap : 4096;
				files = realloc(files, cap * sizeof(*files));
				if (!files)
					die("realloc", "list");
			}
			files[nfiles++] = strdup(line);
		}
		fclose(f);
		lbase = btf__parse(base_path, NULL);
		bbase = bk_btf_open(base_path, NULL);
		if (!lbase || !bbase)
			die("parsing the base", base_path);
		bk_btf_freeze(bbase);
	} else {
		files = malloc(sizeof(*files));
		files[0] = strdup(argv[optind]);
		nfiles = 1;
	}
	tl = calloc((size_t)repeat, sizeof(double));
	tb = calloc((size_t)repeat, sizeof(double));
	for (int r = 0; r < repeat; r++) {
		struct bk_open_opts o = { .sz = sizeof(o), .base = bbase };
		double t0 = now();

		for (size_t i = 0; i < nfiles; i++) {
			struct btf *b = lbase ? btf__parse_split(files[i], lbase) : btf__parse(files[i], NULL);

			if (!b)
				die("libbpf", files[i]);
			if (dedup && btf__dedup(b, NULL))
				die("btf__dedup", files[i]);
			btf__free(b);
		}
		tl[r] = now() - t0;
		if (dedup)
			continue;
		t0 = now();
		if (jobs) {
			parse_threads(files, nfiles, bbase, jobs, many);
			tb[r] = now() - t0;
			continue;
		}
		if (many) {
			for (size_t i = 0; i < nfiles; i += MANY)
				open_many(files + i, nfiles - i < MANY ? nfiles - i : MANY, bbase);
			tb[r] = now() - t0;
			continue;
		}
		for (size_t i = 0; i < nfiles; i++) {
			struct bk_btf *b = bk_btf_open(files[i], &o);

			if (!b)
				die("btfkit", files[i]);
			if (r == 0)
				types += bk_btf_nr_own_types(b);
			bk_btf_free(b);
		}
		tb[r] = now() - t0;
	}
	qsort(tl, (size_t)repeat, sizeof(double), cmp_double);
	qsort(tb, (size_t)repeat, sizeof(double), cmp_double);
	printf("%.6f %.6f %zu %lu\n", tl[repeat / 2], tb[repeat / 2], nfiles, types);
	for (size_t i = 0; i < nfiles; i++)
		free(files[i]);
	free(files);
	free(tl);
	free(tb);
	btf__free(lbase);
	bk_btf_free(bbase);
	return 0;
}
