// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * dump_check: the raw-dump differential test's engine. Loads the base BTF
 * once and dumps every input file named on standard input (one path a line)
 * with btfkit into memory, comparing with what bpftool prints for it, byte
 * for byte, as bpftool's output streams in. Nothing is stored on disk.
 *
 * bpftool runs once for all files: `bpftool [-B BASE] batch file LIST`
 * with one "btf dump file FILE" a line, so it too parses the base only once
 * (its output is the concatenation of the dumps; btfkit's dump of file i
 * says how many bytes of the stream are file i's). After a first difference
 * the stream cannot be split reliably any more, so the remaining files are
 * compared one `bpftool btf dump file FILE [-B BASE]` run each (-1 forces
 * that mode throughout). bpftool 7.1's batch mode ends with a spurious
 * "reading batch file failed: Bad file descriptor" and status 255, which
 * is ignored; any other message on its stderr is an error.
 *
 *	dump_check [-1] [-B BASE] [-t BPFTOOL] < list
 *
 * Prints one line per mismatch ("DIFF FILE: first difference at line N:
 * bpftool '...' btfkit '...'") or failure ("ERR FILE: why"), and at the end
 * "checked N files, M bytes, K differ". Exit status 0 when all are equal,
 * 1 otherwise, 2 for bad usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
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

/* Report the first difference of theirs[0..got) and ours[0..len). */
static void report_diff(const char *path, const char *theirs, size_t got, const char *ours,
			size_t len)
{
	size_t i = 0, m = got < len ? got : len;

	while (i < m && theirs[i] == ours[i])
		i++;
	printf("DIFF %s: first difference at line %zu (bpftool %zu bytes, btfkit %zu bytes):", path,
	       line_no(ours, i), got, len);
	print_line("bpftool", theirs, got, i);
	print_line("btfkit", ours, len, i);
	putchar('\n');
}

/* Start bpftool with argv, its stdout into *out_fd, stderr to err_fd. */
static pid_t spawn(char **argv, int *out_fd, int err_fd)
{
	posix_spawn_file_actions_t fa;
	int pfd[2];
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC))
		return -1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pfd[1], 1);
	if (err_fd >= 0)
		posix_spawn_file_actions_adddup2(&fa, err_fd, 2);
	if (posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ))
		pid = -1;
	posix_spawn_file_actions_destroy(&fa);
	close(pfd[1]);
	if (pid < 0)
		close(pfd[0]);
	else
		*out_fd = pfd[0];
	return pid;
}

/* Read up to len bytes (fewer only at end of stream). */
static size_t read_full(int fd, char *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, buf + got, len - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	return got;
}

static int wait_status(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return status;
}

/*
 * Run bpftool on path alone and compare its output with ours[0..len).
 * Returns 0 if equal, 1 if different (reported), -1 on error (reported).
 */
static int compare_one(const char *bpftool, const char *path, const char *base, const char *ours,
		       size_t len)
{
	char *argv[8];
	int argc = 0, fd, status, ret = 0;
	size_t cap = len + 65536, got;
	char *theirs;
	pid_t pid;

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
	pid = spawn(argv, &fd, -1);
	if (pid < 0) {
		printf("ERR %s: cannot run %s\n", path, bpftool);
		return -1;
	}
	theirs = malloc(cap);
	if (!theirs)
		abort();
	got = read_full(fd, theirs, cap);
	while (got == cap) {
		cap *= 2;
		theirs = realloc(theirs, cap);
		if (!theirs)
			abort();
		got += read_full(fd, theirs + got, cap - got);
	}
	close(fd);
	status = wait_status(pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		printf("ERR %s: bpftool failed (status %d)\n", path, status);
		ret = -1;
	} else if (got != len || memcmp(theirs, ours, len)) {
		report_diff(path, theirs, got, ours, len);
		ret = 1;
	}
	free(theirs);
	return ret;
}

/* The batch run: one bpftool for every file, its output split by our lengths. */
struct batch {
	pid_t pid;
	int out, err;         /* bpftool's stdout (pipe), stderr (temporary file) */
	char list[32];        /* the batch file, removed by batch_end */
	bool broken;          /* a difference was seen: go file by file */
};

static int batch_start(struct batch *b, const char *bpftool, const char *base, char **files,
		       size_t n)
{
	char list[] = "/tmp/dump_check.XXXXXX", errf[] = "/tmp/dump_check.err.XXXXXX";
	char *argv[8];
	int argc = 0, fd;
	FILE *f;

	fd = mkstemp(list);
	if (fd < 0 || !(f = fdopen(fd, "w")))
		return -1;
	for (size_t i = 0; i < n; i++) {
		/* batch files split on blanks and honour quotes */
		if (strpbrk(files[i], " \t'\"\\")) {
			fclose(f);
			unlink(list);
			return -1;
		}
		fprintf(f, "btf dump file %s\n", files[i]);
	}
	if (fclose(f))
		return -1;
	b->err = mkstemp(errf);
	if (b->err < 0)
		return -1;
	unlink(errf);
	argv[argc++] = (char *)bpftool;
	if (base) {
		argv[argc++] = "-B";
		argv[argc++] = (char *)base;
	}
	argv[argc++] = "batch";
	argv[argc++] = "file";
	argv[argc++] = list;
	argv[argc] = NULL;
	b->pid = spawn(argv, &b->out, b->err);
	if (b->pid < 0) {
		close(b->err);
		unlink(list);
		return -1;
	}
	b->broken = false;
	snprintf(b->list, sizeof(b->list), "%s", list);
	return 0;
}

/* Compare the next len bytes of the batch stream with ours. */
static int batch_compare(struct batch *b, const char *bpftool, const char *path, const char *base,
			 const char *ours, size_t len)
{
	char *theirs;
	size_t got;

	if (b->broken)
		return compare_one(bpftool, path, base, ours, len);
	theirs = malloc(len ? len : 1);
	if (!theirs)
		abort();
	got = read_full(b->out, theirs, len);
	if (got == len && !memcmp(theirs, ours, len)) {
		free(theirs);
		return 0;
	}
	free(theirs);
	/* out of step from here on: this file and the rest one by one */
	b->broken = true;
	return compare_one(bpftool, path, base, ours, len);
}

static int batch_end(struct batch *b)
{
	static const char known[] = "Error: reading batch file failed: Bad file descriptor";
	char extra[64], msg[4096];
	ssize_t n;
	int ret = 0;

	if (b->broken)
		kill(b->pid, SIGTERM);
	else if (read_full(b->out, extra, sizeof(extra))) {
		printf("ERR bpftool batch: more output than the dumps of all files\n");
		ret = -1;
	}
	close(b->out);
	wait_status(b->pid);
	unlink(b->list);
	n = pread(b->err, msg, sizeof(msg) - 1, 0);
	close(b->err);
	if (!b->broken && n > 0) {
		char *line, *save = NULL;

		msg[n] = '\0';
		for (line = strtok_r(msg, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			if (strcmp(line, known)) {
				printf("ERR bpftool batch: %s\n", line);
				ret = -1;
			}
		}
	}
	return ret;
}

int main(int argc, char **argv)
{
	const char *base_path = NULL, *bpftool = "bpftool";
	struct bk_btf *base = NULL;
	unsigned long bad = 0;
	unsigned long long bytes = 0;
	char line[4096], **files = NULL;
	size_t nfiles = 0, cap = 0;
	struct batch b;
	bool one = false, batch;
	int c;

	while ((c = getopt(argc, argv, "1B:t:")) != -1) {
		switch (c) {
		case '1': one = true; break;
		case 'B': base_path = optarg; break;
		case 't': bpftool = optarg; break;
		default:
			fprintf(stderr, "usage: dump_check [-1] [-B BASE] [-t BPFTOOL] < list\n");
			return 2;
		}
	}
	while (fgets(line, sizeof(line), stdin)) {
		line[strcspn(line, "\n")] = '\0';
		if (!*line)
			continue;
		if (nfiles == cap) {
			cap = cap ? 2 * cap : 1024;
			files = realloc(files, cap * sizeof(*files));
			if (!files)
				abort();
		}
		files[nfiles++] = strdup(line);
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
	batch = !one && nfiles && batch_start(&b, bpftool, base_path, files, nfiles) == 0;
	for (size_t i = 0; i < nfiles; i++) {
		struct bk_diag diag = { 0 };
		struct bk_open_opts o = { .sz = sizeof(o), .base = base, .diag = &diag };
		struct bk_membuf mb = { 0 };
		struct bk_sink sink = bk_sink_membuf(&mb);
		struct bk_btf *btf;
		const char *path = files[i];
		int err;

		btf = bk_btf_open(path, &o);
		if (!btf) {
			printf("ERR %s: btfkit: %s\n", path, diag.msg);
			bad++;
			/* the batch stream holds this file's dump: resync file by file */
			if (batch)
				b.broken = true;
			continue;
		}
		err = bk_dump(btf, &sink, NULL);
		bk_btf_free(btf);
		if (err) {
			printf("ERR %s: bk_dump: %d\n", path, err);
			bad++;
			if (batch)
				b.broken = true;
		} else {
			const char *ours = mb.data ? mb.data : "";

			bytes += mb.len;
			if (batch ? batch_compare(&b, bpftool, path, base_path, ours, mb.len)
				  : compare_one(bpftool, path, base_path, ours, mb.len))
				bad++;
		}
		free(mb.data);
		fflush(stdout);
	}
	if (batch && batch_end(&b))
		bad++;
	for (size_t i = 0; i < nfiles; i++)
		free(files[i]);
	free(files);
	bk_btf_free(base);
	printf("checked %zu files, %llu bytes, %lu differ\n", nfiles, bytes, bad);
	return bad ? 1 : 0;
}
