// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* CLI helpers: input opening with base selection, errors, atomic outputs. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

#define SYSFS_BTF "/sys/kernel/btf/"
#define SYSFS_VMLINUX SYSFS_BTF "vmlinux"

int cli_verbose;

void cli_error(const char *file, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	if (file)
		fprintf(stderr, "btfkit: %s: ", file);
	else
		fprintf(stderr, "btfkit: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "btfkit%s%s: ", cmd ? " " : "", cmd ? cmd : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'btfkit %s%s--help' for more information.\n", cmd ? cmd : "",
		cmd ? " " : "");
	return EXIT_USAGE;
}

static struct bk_btf *open_one(const char *path, struct bk_btf *base)
{
	struct bk_diag diag = { 0 };
	struct bk_open_opts opts = { .sz = sizeof(opts), .base = base, .diag = &diag };
	struct bk_btf *btf = bk_btf_open(path, &opts);

	if (!btf)
		cli_error(path, "%s", diag.msg[0] ? diag.msg : strerror(errno));
	return btf;
}

struct bk_btf *cli_open(const char *path, const char *base_path, struct bk_btf **base_out)
{
	struct bk_btf *base = NULL, *btf;

	*base_out = NULL;
	if (!base_path && !strncmp(path, SYSFS_BTF, strlen(SYSFS_BTF)) &&
	    strcmp(path, SYSFS_VMLINUX) != 0) {
		base_path = SYSFS_VMLINUX;
		if (cli_verbose)
			fprintf(stderr, "btfkit: %s: using %s as base BTF\n", path, base_path);
	}
	if (base_path) {
		base = open_one(base_path, NULL);
		if (!base)
			return NULL;
	}
	btf = open_one(path, base);
	if (!btf) {
		bk_btf_free(base);
		return NULL;
	}
	*base_out = base;
	return btf;
}

int cli_out_open(struct cli_out *out, const char *path)
{
	int fd;

	memset(out, 0, sizeof(*out));
	if (!path || !strcmp(path, "-")) {
		out->f = stdout;
		return 0;
	}
	out->path = strdup(path);
	if (!out->path || asprintf(&out->tmp_path, "%s.XXXXXX", path) < 0) {
		cli_error(path, "out of memory");
		free(out->path);
		return -1;
	}
	fd = mkstemp(out->tmp_path);
	if (fd >= 0) {
		/* mkstemp makes 0600: give the file the mode a plain create would */
		mode_t mask = umask(0);

		umask(mask);
		if (fchmod(fd, 0666 & ~mask) < 0) {
			close(fd);
			unlink(out->tmp_path);
			fd = -1;
		}
	}
	if (fd < 0 || !(out->f = fdopen(fd, "w"))) {
		cli_error(path, "cannot create output file: %s", strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(out->tmp_path);
		}
		free(out->tmp_path);
		free(out->path);
		memset(out, 0, sizeof(*out));
		return -1;
	}
	return 0;
}

int cli_out_commit(struct cli_out *out)
{
	int ret = 0;

	if (!out->path) {
		if (fflush(stdout) || ferror(stdout)) {
			cli_error(NULL, "error writing standard output: %s", strerror(errno));
			return -1;
		}
		return 0;
	}
	if (fflush(out->f) || ferror(out->f) || fsync(fileno(out->f))) {
		cli_error(out->path, "write failed: %s", strerror(errno));
		cli_out_abort(out);
		return -1;
	}
	if (fclose(out->f)) {
		out->f = NULL;
		cli_error(out->path, "write failed: %s", strerror(errno));
		cli_out_abort(out);
		return -1;
	}
	out->f = NULL;
	if (rename(out->tmp_path, out->path)) {
		cli_error(out->path, "cannot rename output into place: %s", strerror(errno));
		ret = -1;
		unlink(out->tmp_path);
	}
	free(out->tmp_path);
	free(out->path);
	memset(out, 0, sizeof(*out));
	return ret;
}

void cli_out_abort(struct cli_out *out)
{
	if (!out->path)
		return;
	if (out->f)
		fclose(out->f);
	unlink(out->tmp_path);
	free(out->tmp_path);
	free(out->path);
	memset(out, 0, sizeof(*out));
}
