// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bpf_fixup_diff [--kload] OBJ...: for each BPF object, the BTF libbpf
 * prepares for loading (bpf_object__open_file, then bpf_object__btf's raw
 * data: libbpf 1.1 fixes DATASECs and externs while opening) against
 * btfkit's (bk_btf_open + bk_btf_fixup_bpf_object + bk_btf_serialize):
 * "PASS fixup/NAME (N changes)" when the bytes are equal, FAIL with the
 * first differing byte otherwise. An object libbpf refuses must be refused
 * by btfkit too. With --kload the fixed-up BTF is also loaded into the
 * running kernel (BPF_BTF_LOAD): "PASS kload/NAME", or SKIP when the kernel
 * cannot be asked (not root, no BPF).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "btfkit/btf.h"
#include "btfkit/write.h"
#include "kload.h"

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

static int one(const char *path, bool load)
{
	struct bk_diag diag = { 0 };
	struct bk_fixup_opts fo = { .sz = sizeof(fo), .diag = &diag };
	const char *name = base_name(path);
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	struct bk_btf *btf = bk_btf_open(path, NULL);
	const void *want = NULL;
	__u32 want_len = 0;
	void *got = NULL;
	size_t got_len = 0;
	int n, bad = 0;

	if (!btf) {
		printf("FAIL fixup/%s: btfkit cannot open it\n", name);
		bpf_object__close(obj);
		return 1;
	}
	n = bk_btf_fixup_bpf_object(btf, path, &fo);
	if (!obj || !bpf_object__btf(obj)) {
		if (n < 0)
			printf("PASS fixup/%s (refused by libbpf and btfkit: %s)\n", name, diag.msg);
		else
			printf("FAIL fixup/%s: libbpf refuses it, btfkit made %d changes\n", name, n);
		bk_btf_free(btf);
		bpf_object__close(obj);
		return n >= 0;
	}
	want = btf__raw_data(bpf_object__btf(obj), &want_len);
	if (n < 0) {
		printf("FAIL fixup/%s: btfkit refuses what libbpf opens: %s\n", name, diag.msg);
		bad = 1;
	} else if (bk_btf_serialize(btf, &got, &got_len)) {
		printf("FAIL fixup/%s: cannot serialize\n", name);
		bad = 1;
	} else if (got_len != want_len || memcmp(got, want, got_len)) {
		size_t i = 0;

		while (i < got_len && i < want_len && ((const char *)got)[i] == ((const char *)want)[i])
			i++;
		printf("FAIL fixup/%s: %zu bytes vs libbpf's %u, first difference at byte %zu\n", name,
		       got_len, want_len, i);
		bad = 1;
	} else {
		printf("PASS fixup/%s (%d changes, as libbpf)\n", name, n);
	}
	if (load && !bad) {
		int err = kload(got, got_len);

		if (!err)
			printf("PASS kload/%s\n", name);
		else if (err == -EPERM || err == -ENOSYS)
			printf("SKIP kload/%s: BPF_BTF_LOAD not permitted here (%s)\n", name, strerror(-err));
		else
			printf("FAIL kload/%s: the kernel refuses the fixed-up BTF: %s (%s)\n", name,
			       strerror(-err), kload_log_tail());
		bad |= err && err != -EPERM && err != -ENOSYS;
	}
	free(got);
	bk_btf_free(btf);
	bpf_object__close(obj);
	return bad;
}

int main(int argc, char **argv)
{
	bool load = argc > 1 && !strcmp(argv[1], "--kload");
	int bad = 0;

	libbpf_set_print(quiet);
	for (int i = 1 + load; i < argc; i++)
		bad |= one(argv[i], load);
	return bad;
}
