// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * dump_check: the raw-dump differential test's engine. Loads the base BTF
 * once, then for every input file named on standard input (one path a line)
 * dumps it with btfkit into memory and runs
 * `bpftool btf dump file FILE [-B BASE]`, comparing bpftool's standard output
 * with ours byte for byte as it streams in. Nothing is stored on disk.
 *
 *	dump_check [-B BASE] [-t BPFTOOL] < list
 *
 * Prints one line per mismatch ("DIFF FILE: first difference at line N:
 * bpftool '...' btfkit '...'") or failure ("ERR FILE: why"), and at the end
 * "checked N files, M bytes, K differ". Exit status 0 when all are equal,
 * 1 otherwise, 2 for bad usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "btfkit/btf.h"
#include "btfkit/dump.h"

extern char **environ;

/* The line of text containing offset off (without its newline), quoted. */
static void print_line(const char *label, const char *buf, size_t len, size_t off)
{
	size_t s = off, e = off;

	while (s > 0 && buf[s - 1] != '\n')
		s--;
	while (e < len && buf[e] != '\n')
		e++;
	if (e - s > 200)
		e = s + 200;
	fprintf(stdout, " %s '%.*s'", label, (int)(e - s), buf + s);
}

static size_t line_no(const char *buf, size_t off)
{
	size_t n = 1;

	for (size_t i = 0; i < off; i++)
		n += buf[i] == '\n';
	return n;
}

/*
 * Run bpftool on path and compare its output with ours[0..len). Returns 0 if
 * equal, 1 if different (reported), -1 on error (reported).
 */
static int compare_with_bpftool(const char *bpftool, const char *path, const char *base,
				const char *ours, size_t len)
{
	char *argv[8];
	int argc = 0, pfd[2], status;
	posix_spawn_file_actions_t fa;
	size_t cap = len + 65536, got = 0;
	char *theirs;
	pid_t pid;
	ssize_t n;
	int ret = 0;

	argv[argc++] = (char *)bpftool;
	argv[argc++] = "btf";
	argv[argc++] = "dump";
	argv[argc++] = "file";
	argv[argc++] = (char *)path;
	if (base) {
		argv[argc++] = "-B";
		argv[argc++] = (char *)base;
	}
	argv[argc] = NULL;
	if (pipe2(pfd, O_CLOEXEC))
		return perror("pipe"), -1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pfd[1], 1);
	if (posix_spawnp(&pid, bpftool, &fa, NULL, argv, environ)) {
		printf("ERR %s: cannot run %s\n", path, bpftool);
		posix_spawn_file_actions_destroy(&fa);
		close(pfd[0]);
		close(pfd[1]);
		return -1;
	}
	posix_spawn_file_actions_destroy(&fa);
	close(pfd[1]);
	theirs = malloc(cap);
	if (!theirs)
		abort();
	while ((n = read(pfd[0], theirs + got, cap - got)) > 0 || (n < 0 && errno == EINTR)) {
		if (n < 0)
			continue;
		got += (size_t)n;
		if (got == cap) {
			cap *= 2;
			theirs = realloc(theirs, cap);
			if (!theirs)
				abort();
		}
	}
	close(pfd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		printf("ERR %s: bpftool failed (status %d)\n", path, status);
		ret = -1;
	} else if (got != len || memcmp(theirs, ours, len)) {
		size_t i = 0, m = got < len ? got : len;

		while (i < m && theirs[i] == ours[i])
			i++;
		printf("DIFF %s: first difference at line %zu (bpftool %zu bytes, btfkit %zu bytes):",
		       path, line_no(ours, i), got, len);
		print_line("bpftool", theirs, got, i);
		print_line("btfkit", ours, len, i);
		putchar('\n');
		ret = 1;
	}
	free(theirs);
	return ret;
}

int main(int argc, char **argv)
{
	const char *base_path = NULL, *bpftool = "bpftool";
	struct bk_btf *base = NULL;
	unsigned long files = 0, bad = 0;
	unsigned long long bytes = 0;
	char line[4096];
	int c;

	while ((c = getopt(argc, argv, "B:t:")) != -1) {
		switch (c) {
		case 'B': base_path = optarg; break;
		case 't': bpftool = optarg; break;
		default:
			fprintf(stderr, "usage: dump_check [-B BASE] [-t BPFTOOL] < list\n");
			return 2;
		}
	}
	if (base_path) {
		struct bk_diag diag = { 0 };
		struct bk_open_opts o = { .sz = sizeof(o), .diag = &diag };

		base = bk_btf_open(base_path, &o);
		if (!base) {
			printf("ERR %s: %s\n", base_path, diag.msg);
			return 1;
		}
	}
	while (fgets(line, sizeof(line), stdin)) {
		struct bk_diag diag = { 0 };
		struct bk_open_opts o = { .sz = sizeof(o), .base = base, .diag = &diag };
		struct bk_membuf mb = { 0 };
		struct bk_sink sink = bk_sink_membuf(&mb);
		struct bk_btf *btf;
		size_t l = strlen(line);
		int err;

		if (l && line[l - 1] == '\n')
			line[--l] = '\0';
		if (!l)
			continue;
		files++;
		btf = bk_btf_open(line, &o);
		if (!btf) {
			printf("ERR %s: btfkit: %s\n", line, diag.msg);
			bad++;
			continue;
		}
		err = bk_dump(btf, &sink, NULL);
		bk_btf_free(btf);
		if (err) {
			printf("ERR %s: bk_dump: %d\n", line, err);
			bad++;
			free(mb.data);
			continue;
		}
		bytes += mb.len;
		if (compare_with_bpftool(bpftool, line, base_path, mb.data ? mb.data : "", mb.len))
			bad++;
		free(mb.data);
		fflush(stdout);
	}
	bk_btf_free(base);
	printf("checked %lu files, %llu bytes, %lu differ\n", files, bytes, bad);
	return bad ? 1 : 0;
}
