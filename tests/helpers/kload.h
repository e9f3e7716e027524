/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * BPF_BTF_LOAD for the test helpers that ask the running kernel (included
 * by writer_kload.c and btf_kload.c, each a program of its own).
 * kload() loads a raw BTF blob through libbpf's bpf_btf_load: 0 on success,
 * -errno otherwise. A rejected load is retried with the verifier log on (a
 * full log of a vmlinux-sized BTF overflows any buffer, so the log is only
 * asked for when needed), kept in kload_log; kload_log_tail() is its last
 * non-empty line.
 */
#ifndef BTFKIT_TESTS_KLOAD_H
#define BTFKIT_TESTS_KLOAD_H

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>

static char kload_log[1 << 20];

static int kload(const void *data, size_t size)
{
	LIBBPF_OPTS(bpf_btf_load_opts, opts, .log_buf = kload_log, .log_size = sizeof(kload_log),
		    .log_level = 1);
	int fd, err;

	kload_log[0] = '\0';
	fd = bpf_btf_load(data, size, NULL);
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	err = -errno;
	fd = bpf_btf_load(data, size, &opts);
	if (fd >= 0)
		close(fd);
	return err;
}

static const char *kload_log_tail(void)
{
	size_t n = strlen(kload_log);

	while (n && kload_log[n - 1] == '\n')
		kload_log[--n] = '\0';
	while (n && kload_log[n - 1] != '\n')
		n--;
	return kload_log + n;
}

#endif
