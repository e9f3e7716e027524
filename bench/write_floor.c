// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * write_floor: the cost of writing FILE's bytes to standard output from
 * memory with one write(2) loop in 64 KiB pieces (the printers' chunk
 * size), the floor any printer of the same output pays. FILE is read into
 * memory first (not timed); prints the wall seconds of the write loop.
 *
 *	write_floor FILE > OUT      (OUT a pipe or a file)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	size_t len = 0, cap = 1 << 20;
	char *buf = malloc(cap);
	FILE *f;
	double t0;

	if (argc != 2 || !buf || !(f = fopen(argv[1], "rb"))) {
		fprintf(stderr, "usage: write_floor FILE > OUT\n");
		return 2;
	}
	for (size_t n; (n = fread(buf + len, 1, cap - len, f)) > 0;) {
		len += n;
		if (len == cap && !(buf = realloc(buf, cap *= 2)))
			return 1;
	}
	fclose(f);
	t0 = now();
	for (size_t at = 0; at < len;) {
		size_t k = len - at < 65536 ? len - at : 65536;
		ssize_t n = write(STDOUT_FILENO, buf + at, k);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			perror("write_floor: write");
			return 1;
		}
		at += (size_t)n;
	}
	fprintf(stderr, "%.4f\n", now() - t0);
	free(buf);
	return 0;
}
