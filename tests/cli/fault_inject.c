// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * LD_PRELOAD shim for the CLI tests (tests/cli/layer.sh): makes one of
 * close(), fclose() or fsync() fail with EIO, after doing its work, on
 * descriptors whose file name contains $BTFKIT_FAULT_PATH. $BTFKIT_FAULT
 * names the call. This is how the tests reach the error paths of a write
 * that only fails when the file is closed or synced (NFS, a full disk
 * with delayed allocation), which no local file system reproduces on
 * demand. Built as build/.../tests/fault_inject.so.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int close(int fd);
int fclose(FILE *f);
int fsync(int fd);

static bool hit(const char *call, int fd)
{
	const char *want = getenv("BTFKIT_FAULT"), *path = getenv("BTFKIT_FAULT_PATH");
	char link[64], name[4096];
	ssize_t n;

	if (!want || !path || strcmp(want, call) || fd < 0)
		return false;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, name, sizeof(name) - 1);
	if (n <= 0)
		return false;
	name[n] = '\0';
	return strstr(name, path) != NULL;
}

int close(int fd)
{
	int (*real)(int) = (int (*)(int))dlsym(RTLD_NEXT, "close");
	bool fail = hit("close", fd);
	int ret = real(fd);

	if (fail && !ret) {
		errno = EIO;
		return -1;
	}
	return ret;
}

int fclose(FILE *f)
{
	int (*real)(FILE *) = (int (*)(FILE *))dlsym(RTLD_NEXT, "fclose");
	bool fail = hit("fclose", fileno(f));
	int ret = real(f);

	if (fail && !ret) {
		errno = EIO;
		return EOF;
	}
	return ret;
}

int fsync(int fd)
{
	int (*real)(int) = (int (*)(int))dlsym(RTLD_NEXT, "fsync");

	if (hit("fsync", fd)) {
		errno = EIO;
		return -1;
	}
	return real(fd);
}
