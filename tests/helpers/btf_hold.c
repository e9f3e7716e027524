// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * btf_hold FILE: load the raw BTF in FILE into the kernel (BPF_BTF_LOAD,
 * through libbpf's bpf_btf_load), print the new object's ID on a line, and
 * keep it alive until standard input reaches its end (the tests of
 * 'btfkit list' and 'btfkit find' need a BTF object other than vmlinux).
 * Exit 1 (with the reason) when the load fails, e.g. without privileges.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>

int main(int argc, char **argv)
{
	struct bpf_btf_info info;
	__u32 len = sizeof(info);
	static char buf[1 << 24];
	size_t n;
	FILE *f;
	int fd;

	if (argc != 2 || !(f = fopen(argv[1], "rb"))) {
		fprintf(stderr, "usage: btf_hold FILE\n");
		return 2;
	}
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	fd = bpf_btf_load(buf, n, NULL);
	if (fd < 0) {
		fprintf(stderr, "btf_hold: BPF_BTF_LOAD failed: %s\n", strerror(-fd));
		return 1;
	}
	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len)) {
		perror("btf_hold: BPF_OBJ_GET_INFO_BY_FD");
		return 1;
	}
	printf("%u\n", info.id);
	fflush(stdout);
	while (fread(buf, 1, sizeof(buf), stdin) > 0)
		;
	close(fd);
	return 0;
}
