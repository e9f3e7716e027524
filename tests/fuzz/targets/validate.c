// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Fuzz target "validate": the kernel-rule validator over what parsed. The
 * first byte picks the mode: bit 0 clear, the rest is raw BTF; bit 0 set, it
 * is laid out as for the split target (u32 n, base, split) and the split is
 * validated on its base, with and without BK_VALIDATE_KERNEL_MODULE. Every
 * problem reported must be well formed (a type in range, a negative errno, a
 * message, a printable location), stopping early from the callback must
 * work, and BTF that validates clean must still validate clean after the
 * writer's round trip. The same bytes as a file go through
 * bk_btf_validate_path too (the parser's refusals in the kernel's words):
 * well formed problems, and the same count as bk_btf_validate where the
 * input parses.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../fuzz.h"
#include "btfkit/validate.h"
#include "btfkit/write.h"

struct vctx {
	const struct bk_btf *btf;
	int seen, stop_after;
};

static int on_problem(const struct bk_problem *p, void *ctx)
{
	struct vctx *c = ctx;
	char small[8], big[256];
	int n;

	FZ_ASSERT(p->msg && *p->msg);
	FZ_ASSERT(p->err < 0);
	FZ_ASSERT(p->type_id < bk_btf_type_cnt(c->btf));
	FZ_ASSERT(p->type_id == 0 ? p->name == NULL : p->name != NULL);
	FZ_ASSERT(p->member >= -1);
	/* snprintf-like: the full length, the text truncated to fit */
	n = bk_problem_where(p, big, sizeof(big));
	FZ_ASSERT(n >= 0);
	FZ_ASSERT(strlen(big) == ((size_t)n < sizeof(big) ? (size_t)n : sizeof(big) - 1));
	FZ_ASSERT(bk_problem_where(p, small, sizeof(small)) == n);
	FZ_ASSERT(strlen(small) == ((size_t)n < sizeof(small) ? (size_t)n : sizeof(small) - 1));
	c->seen++;
	return c->stop_after && c->seen >= c->stop_after;
}

static void check(const struct bk_btf *btf, unsigned flags)
{
	struct vctx c = { .btf = btf };
	struct bk_validate_opts o = { .sz = sizeof(o), .cb = on_problem, .ctx = &c, .flags = flags };
	int n = bk_btf_validate(btf, &o), n2;

	FZ_ASSERT(n >= 0 || n == -ENOMEM);
	if (n < 0)
		return;
	FZ_ASSERT(c.seen == n);
	/* counting without a callback gives the same number */
	o.cb = NULL;
	FZ_ASSERT(bk_btf_validate(btf, &o) == n);
	/* a callback asking to stop is obeyed */
	if (n > 1) {
		c.seen = 0;
		c.stop_after = 1;
		o.cb = on_problem;
		n2 = bk_btf_validate(btf, &o);
		FZ_ASSERT(c.seen == 1 && n2 >= 1);
	}
	/* clean BTF stays clean through serialize + parse */
	if (n == 0) {
		struct bk_open_opts oo = { .sz = sizeof(oo), .base = (struct bk_btf *)bk_btf_base(btf) };
		struct bk_btf *again;
		void *data;
		size_t size;

		if (bk_btf_serialize(btf, &data, &size))
			return;
		again = bk_btf_from_mem(data, size, &oo);
		free(data);
		FZ_ASSERT(again != NULL);
		o.cb = NULL;
		FZ_ASSERT(bk_btf_validate(again, &o) == 0);
		bk_btf_free(again);
	}
}

static int on_path_problem(const struct bk_problem *p, void *ctx)
{
	char where[256];

	(void)ctx;
	FZ_ASSERT(p->msg && *p->msg);
	FZ_ASSERT(p->err < 0);
	FZ_ASSERT(p->type_id == 0 ? p->name == NULL : p->name != NULL);
	FZ_ASSERT(bk_problem_where(p, where, sizeof(where)) >= 0);
	return 0;
}

/* bk_btf_validate_path on data as a file; want: the count, or -1 for any. */
static void check_path(const uint8_t *data, size_t size, struct bk_btf *base, unsigned flags,
		       int want)
{
	static int fd = -1;
	static char path[64];
	struct bk_validate_opts o = { .sz = sizeof(o), .cb = on_path_problem, .flags = flags };
	struct bk_diag diag = { 0 };
	int n;

	if (fd < 0) {
		fd = memfd_create("btfkit-fuzz-validate", MFD_CLOEXEC);
		FZ_ASSERT(fd >= 0);
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	FZ_ASSERT(ftruncate(fd, 0) == 0);
	FZ_ASSERT(size == 0 || pwrite(fd, data, size, 0) == (ssize_t)size);
	n = bk_btf_validate_path(path, base, &o, &diag);
	FZ_ASSERT(n >= 0 || (diag.err == n && diag.msg[0]) || n == -ENOMEM);
	if (want >= 0)
		FZ_ASSERT(n == want);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bk_open_opts opts = { .sz = sizeof(opts) };
	struct bk_btf *base, *btf;

	if (!fz_open_ctl_base(&data, &size, &opts, &base))
		return 0;
	btf = bk_btf_from_mem(data, size, &opts);
	if (btf) {
		struct bk_validate_opts o = { .sz = sizeof(o) };
		int n = bk_btf_validate(btf, &o);

		check(btf, 0);
		check_path(data, size, base, 0, n >= 0 ? n : -1);
		if (base) {
			check(btf, BK_VALIDATE_KERNEL_MODULE);
			o.flags = BK_VALIDATE_KERNEL_MODULE;
			n = bk_btf_validate(btf, &o);
			check_path(data, size, base, BK_VALIDATE_KERNEL_MODULE, n >= 0 ? n : -1);
		}
		bk_btf_free(btf);
	} else {
		check_path(data, size, base, 0, -1);
	}
	bk_btf_free(base);
	return 0;
}
