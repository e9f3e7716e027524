// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * btf_kload: does the running kernel (BPF_BTF_LOAD) accept these BTFs?
 *   btf_kload [-B BASE] FILE...
 * Each FILE (raw BTF or an ELF's .BTF; split BTF on BASE with -B) is loaded
 * with the bpf(2) syscall through libbpf's bpf_btf_load. BPF_BTF_LOAD takes
 * no base BTF, so a split FILE is first flattened: every type of BASE and
 * then of FILE copied in ID order into one standalone BTF (bk_btf_add_type
 * keeps type IDs as they are, and copying in order makes each ID its own
 * position, so references stay valid). The kernel then checks the module's
 * types together with the base they refer to, as it does at module load.
 * Prints "ok: FILE" or "rejected: FILE: ERR: last line of the kernel log";
 * "skip: ..." and exit 3 when loading BTF is not permitted (EPERM/EACCES)
 * or not supported; exit 1 when any FILE is rejected or unreadable.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "btfkit/btf.h"
#include "btfkit/write.h"
#include "kload.h"

/* btf (standalone or split) as one standalone BTF with the same IDs. */
static struct bk_btf *flatten(const struct bk_btf *btf)
{
	struct bk_btf *flat = bk_btf_new_empty(NULL);
	uint32_t id, cnt = bk_btf_type_cnt(btf);

	if (!flat)
		return NULL;
	for (id = 1; id < cnt; id++) {
		int r = bk_btf_add_type(flat, btf, bk_btf_type(btf, id));

		if (r != (int)id) {
			bk_btf_free(flat);
			errno = r < 0 ? -r : EINVAL;
			return NULL;
		}
	}
	return flat;
}

int main(int argc, char **argv)
{
	struct bk_btf *base = NULL;
	int i = 1, bad = 0;

	if (argc > 2 && !strcmp(argv[1], "-B")) {
		struct bk_diag d = {0};
		struct bk_open_opts o = { .sz = sizeof(o), .diag = &d };

		base = bk_btf_open(argv[2], &o);
		if (!base) {
			fprintf(stderr, "btf_kload: %s: %s\n", argv[2], d.msg);
			return 1;
		}
		i = 3;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: btf_kload [-B BASE] FILE...\n");
		return 2;
	}
	for (; i < argc; i++) {
		struct bk_diag d = {0};
		struct bk_open_opts o = { .sz = sizeof(o), .base = base, .diag = &d };
		struct bk_btf *btf = bk_btf_open(argv[i], &o), *flat;
		void *data = NULL;
		size_t size;
		int err;

		if (!btf) {
			printf("rejected: %s: cannot open: %s\n", argv[i], d.msg);
			bad = 1;
			continue;
		}
		flat = flatten(btf);
		err = flat ? bk_btf_serialize(flat, &data, &size) : -errno;
		if (!err)
			err = kload(data, size);
		free(data);
		bk_btf_free(flat);
		bk_btf_free(btf);
		if (err == -EPERM || err == -EACCES || err == -ENOSYS) {
			printf("skip: BPF_BTF_LOAD not permitted here (%s)\n", strerror(-err));
			bk_btf_free(base);
			return 3;
		}
		if (err) {
			printf("rejected: %s: %s: %s\n", argv[i], strerror(-err), kload_log_tail());
			bad = 1;
		} else {
			printf("ok: %s\n", argv[i]);
		}
	}
	bk_btf_free(base);
	return bad;
}
