// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Writer benchmark driver (bench/30-writer.sh):
 *   writer_bench libbpf|btfkit FILE [OUT]
 * Parses FILE, re-adds every one of its types into a new empty BTF through
 * the writer (btf__add_type / bk_btf_add_type, in ID order) and serializes
 * the result (btf__raw_data / bk_btf_serialize), optionally writing it to
 * OUT. Prints the build+serialize time (excluding parsing) and the size on
 * stdout: "<lib> <types> types <bytes> bytes build <ms> ms".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bpf/btf.h>

#include "btfkit/btf.h"
#include "btfkit/write.h"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int out_file(const char *path, const void *d, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(d, 1, n, f) != n) {
		if (f)
			fclose(f);
		return 1;
	}
	return fclose(f) ? 1 : 0;
}

static int run_libbpf(const char *in, const char *out)
{
	struct btf *src = btf__parse(in, NULL), *dst;
	const void *d;
	__u32 n, cnt;
	double t0;

	if (!src)
		return 1;
	t0 = now_ms();
	dst = btf__new_empty();
	cnt = btf__type_cnt(src);
	for (__u32 id = 1; id < cnt; id++)
		if (btf__add_type(dst, src, btf__type_by_id(src, id)) < 0)
			return 1;
	d = btf__raw_data(dst, &n);
	if (!d)
		return 1;
	printf("libbpf %u types %u bytes build %.1f ms CPU\n", cnt - 1, n, now_ms() - t0);
	if (out && out_file(out, d, n))
		return 1;
	btf__free(dst);
	btf__free(src);
	return 0;
}

static int run_btfkit(const char *in, const char *out)
{
	struct bk_btf *src = bk_btf_open(in, NULL), *dst;
	uint32_t cnt;
	void *d;
	size_t n;
	double t0;

	if (!src)
		return 1;
	t0 = now_ms();
	dst = bk_btf_new_empty(NULL);
	cnt = bk_btf_type_cnt(src);
	for (uint32_t id = 1; id < cnt; id++)
		if (bk_btf_add_type(dst, src, bk_btf_type(src, id)) < 0)
			return 1;
	if (bk_btf_serialize(dst, &d, &n))
		return 1;
	printf("btfkit %u types %zu bytes build %.1f ms CPU\n", cnt - 1, n, now_ms() - t0);
	if (out && out_file(out, d, n))
		return 1;
	free(d);
	bk_btf_free(dst);
	bk_btf_free(src);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: writer_bench libbpf|btfkit FILE [OUT]\n");
		return 2;
	}
	if (!strcmp(argv[1], "libbpf"))
		return run_libbpf(argv[2], argc > 3 ? argv[3] : NULL);
	if (!strcmp(argv[1], "btfkit"))
		return run_btfkit(argv[2], argc > 3 ? argv[3] : NULL);
	return 2;
}
