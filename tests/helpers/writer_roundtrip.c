// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Writer round trip over a corpus, in one process (the base is parsed once):
 *   writer_roundtrip CORPUS_DIR [LIMIT]
 * For CORPUS_DIR/vmlinux and every module in CORPUS_DIR/modules.list (the
 * first LIMIT ones, if given), with modules parsed as split BTF on vmlinux:
 *  1. parse -> serialize is byte-identical to the .BTF section;
 *  2. serialize in the other byte order -> parse -> serialize in the original
 *     order is byte-identical too (the swapped blob must also differ from the
 *     original, so the swap really happened).
 *  3. all modules appended (bk_btf_add_btf) into one split BTF on vmlinux:
 *     the type count is the sum, and it serializes, re-parses on vmlinux and
 *     serializes to the same bytes.
 * Prints "ok N files" or one line per failure, exits 1 on any failure.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "btfkit/btf.h"
#include "btfkit/write.h"

/* A library internal (hidden, but linkable from the static archive). */
int bk__elf_find_btf(const uint8_t *data, size_t size, size_t *off, size_t *len, int *ptr_sz,
		     struct bk_diag *diag);

static int failures;

static void failf(const char *path, const char *what)
{
	printf("%s: %s\n", path, what);
	failures++;
}

/* All modules appended into one split BTF (step 3); NULL until the base is read. */
static struct bk_btf *all_mods;
static uint64_t all_mods_expect;

/* Check one file; with keep, the parsed object is returned (the base). */
static struct bk_btf *check_file(const char *path, struct bk_btf *base, bool keep)
{
	struct bk_open_opts opts = { .sz = sizeof(opts), .base = base };
	struct bk_btf *btf = NULL, *sw = NULL;
	void *d1 = NULL, *d2 = NULL, *d3 = NULL;
	size_t n1, n2, n3, off, len;
	struct stat st;
	uint8_t *map;
	int fd, ptr_sz;
	enum bk_endian e;

	fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st) < 0) {
		failf(path, "cannot open");
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED) {
		failf(path, "cannot map");
		return NULL;
	}
	if (bk__elf_find_btf(map, (size_t)st.st_size, &off, &len, &ptr_sz, NULL)) {
		failf(path, "no .BTF section");
		goto out;
	}
	btf = bk_btf_from_mem(map + off, len, &opts);
	if (!btf) {
		failf(path, "parse failed");
		goto out;
	}
	if (bk_btf_serialize(btf, &d1, &n1)) {
		failf(path, "serialize failed");
		goto out;
	}
	if (n1 != len || memcmp(d1, map + off, len)) {
		failf(path, "serialized bytes differ from the .BTF section");
		goto out;
	}
	e = bk_btf_endian(btf);
	bk_btf_set_endian(btf, e == BK_ENDIAN_LITTLE ? BK_ENDIAN_BIG : BK_ENDIAN_LITTLE);
	if (bk_btf_serialize(btf, &d2, &n2)) {
		failf(path, "opposite-endian serialize failed");
		goto out;
	}
	bk_btf_set_endian(btf, e);
	if (n2 != n1 || !memcmp(d2, d1, n1)) {
		failf(path, "opposite-endian output has the wrong size or was not swapped");
		goto out;
	}
	sw = bk_btf_from_mem(d2, n2, &opts);
	if (!sw) {
		failf(path, "opposite-endian output does not parse");
		goto out;
	}
	bk_btf_set_endian(sw, e);
	if (bk_btf_serialize(sw, &d3, &n3) || n3 != n1 || memcmp(d3, d1, n1))
		failf(path, "swapped round trip differs");
	if (all_mods) {
		all_mods_expect += bk_btf_nr_own_types(btf);
		if (bk_btf_add_btf(all_mods, btf) < 0)
			failf(path, "bk_btf_add_btf into the all-modules BTF failed");
	}
out:
	free(d1);
	free(d2);
	free(d3);
	bk_btf_free(sw);
	munmap(map, (size_t)st.st_size);
	if (!keep) {
		bk_btf_free(btf);
		btf = NULL;
	}
	return btf;
}

static void check_all_mods(struct bk_btf *base)
{
	struct bk_open_opts opts = { .sz = sizeof(opts), .base = base };
	struct bk_btf *p = NULL;
	void *d1 = NULL, *d2 = NULL;
	size_t n1, n2;

	if (!all_mods || bk_btf_nr_own_types(all_mods) != all_mods_expect) {
		failf("all modules", "appended type count differs from the sum");
		return;
	}
	if (bk_btf_serialize(all_mods, &d1, &n1) || !(p = bk_btf_from_mem(d1, n1, &opts)) ||
	    bk_btf_serialize(p, &d2, &n2) || n1 != n2 || memcmp(d1, d2, n1))
		failf("all modules", "appended BTF does not re-serialize identically");
	else
		printf("all modules appended: %u types, %zu bytes\n", bk_btf_nr_own_types(all_mods), n1);
	free(d1);
	free(d2);
	bk_btf_free(p);
}

int main(int argc, char **argv)
{
	char path[8192], line[4096];
	struct bk_btf *base;
	long limit = -1, n = 0;
	FILE *list;

	if (argc < 2) {
		fprintf(stderr, "usage: writer_roundtrip CORPUS_DIR [LIMIT]\n");
		return 2;
	}
	if (argc > 2)
		limit = atol(argv[2]);
	snprintf(path, sizeof(path), "%s/vmlinux", argv[1]);
	base = check_file(path, NULL, true);
	if (!base)
		return 1;
	n++;
	all_mods = bk_btf_new_empty(base);
	snprintf(path, sizeof(path), "%s/modules.list", argv[1]);
	list = fopen(path, "r");
	if (!list) {
		failf(path, "cannot open");
		bk_btf_free(base);
		return 1;
	}
	while ((limit < 0 || n <= limit) && fgets(line, sizeof(line), list)) {
		line[strcspn(line, "\n")] = '\0';
		if (!line[0])
			continue;
		snprintf(path, sizeof(path), "%s/%s", argv[1], line);
		check_file(path, base, false);
		n++;
	}
	fclose(list);
	check_all_mods(base);
	bk_btf_free(all_mods);
	bk_btf_free(base);
	printf("ok %ld files (vmlinux + %ld modules), %d failures\n", n, n - 1, failures);
	return failures ? 1 : 0;
}
