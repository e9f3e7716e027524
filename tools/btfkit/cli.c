// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* CLI helpers: input opening with base selection, errors, atomic outputs. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

int cli_verbose;
int cli_json;

/* {"error":"FILE: message"} on stdout, the JSON string escaped. */
static void json_error(const char *file, const char *fmt, va_list ap)
{
	char msg[1024];
	struct bk_membuf mb = { 0 };
	struct bk_sink sink = bk_sink_membuf(&mb);
	int n = 0;

	if (file)
		n = snprintf(msg, sizeof(msg), "%s: ", file);
	if (n < 0 || (size_t)n >= sizeof(msg))
		n = 0;
	vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	fputs("{\"error\":", stdout);
	if (!bk_json_string(&sink, msg) && mb.data)
		fputs(mb.data, stdout);
	else
		fputs("\"\"", stdout);
	fputs("}\n", stdout);
	fflush(stdout);
	free(mb.data);
}

const char *cli_base_used;

/* The kernel's BTF directory; BTFKIT_SYSFS_BTF replaces it (for tests). */
static const char *sysfs_btf_dir(void)
{
	const char *d = getenv("BTFKIT_SYSFS_BTF");

	return d && *d ? d : "/sys/kernel/btf";
}

/*
 * For DIR/NAME with NAME not "vmlinux" (DIR the kernel's BTF directory),
 * the default base DIR/vmlinux, in a static buffer; NULL otherwise.
 */
const char *cli_sysfs_default_base(const char *path)
{
	static char base[4096];
	const char *dir = sysfs_btf_dir();
	size_t n = strlen(dir);

	while (n > 1 && dir[n - 1] == '/')
		n--;
	if (strncmp(path, dir, n) || path[n] != '/')
		return NULL;
	path += n + 1;
	if (!*path || strchr(path, '/') || !strcmp(path, "vmlinux"))
		return NULL;
	if ((size_t)snprintf(base, sizeof(base), "%.*s/vmlinux", (int)n, dir) >= sizeof(base))
		return NULL;
	return base;
}

void cli_error(const char *file, const char *fmt, ...)
{
	va_list ap;

	if (cli_json) {
		va_start(ap, fmt);
		json_error(file, fmt, ap);
		va_end(ap);
		return;
	}
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

	if (cli_json) {
		va_start(ap, fmt);
		json_error(cmd, fmt, ap);
		va_end(ap);
		return EXIT_USAGE;
	}
	fprintf(stderr, "btfkit%s%s: ", cmd ? " " : "", cmd ? cmd : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'btfkit %s%s--help' for more information.\n", cmd ? cmd : "",
		cmd ? " " : "");
	return EXIT_USAGE;
}

int cli_bad_option(const char *cmd, const char *optstring, char **argv)
{
	const char *arg = argv[optind - 1];
	const char *p = optopt ? strchr(optstring, optopt) : NULL;

	/* getopt_long with opterr = 0 returns '?' for both cases */
	if (p && p[1] == ':' && (arg[0] != '-' || arg[1] == '-' || arg[1] == optopt))
		return cli_usage_error(cmd, "option '%s' requires an argument", arg);
	if (optopt && arg[1] != '-')
		return cli_usage_error(cmd, "invalid option '-%c'", optopt);
	return cli_usage_error(cmd, "unrecognized option '%s'", arg);
}

struct bk_btf *cli_open_one(const char *path, struct bk_btf *base)
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
	cli_base_used = NULL;
	if (!base_path && (base_path = cli_sysfs_default_base(path)) && cli_verbose)
		fprintf(stderr, "btfkit: %s: using %s as base BTF\n", path, base_path);
	if (base_path) {
		base = cli_open_one(base_path, NULL);
		if (!base)
			return NULL;
	}
	btf = cli_open_one(path, base);
	if (!btf) {
		bk_btf_free(base);
		return NULL;
	}
	*base_out = base;
	cli_base_used = base_path;
	return btf;
}

int cli_out_open(struct cli_out *out, const char *path)
{
	struct stat st;
	int fd;

	memset(out, 0, sizeof(*out));
	if (!path || !strcmp(path, "-")) {
		out->f = stdout;
		return 0;
	}
	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			cli_error(path, "cannot write output: is a directory");
			return -1;
		}
		if (!S_ISREG(st.st_mode)) {
			/*
			 * A device, FIFO or socket (/dev/null, /dev/stdout, a
			 * pipe) is written in place: renaming a file over it
			 * would replace /dev/null with a regular file.
			 */
			out->path = strdup(path);
			if (!out->path || !(out->f = fopen(path, "w"))) {
				cli_error(path, "cannot open output: %s", strerror(errno));
				free(out->path);
				memset(out, 0, sizeof(*out));
				return -1;
			}
			return 0; /* tmp_path NULL: written in place */
		}
		/* A symlink to a regular file: replace the file, keep the link. */
		out->path = realpath(path, NULL);
	}
	if (!out->path)
		out->path = strdup(path);
	if (!out->path || asprintf(&out->tmp_path, "%s.XXXXXX", out->path) < 0) {
		cli_error(path, "out of memory");
		free(out->path);
		memset(out, 0, sizeof(*out));
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
	if (!out->tmp_path) {
		/* a device or FIFO written in place: nothing to rename */
		bool bad = fflush(out->f) || ferror(out->f);

		if (fclose(out->f) || bad)
			cli_error(out->path, "write failed: %s", strerror(errno));
		free(out->path);
		memset(out, 0, sizeof(*out));
		return bad ? -1 : 0;
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
	if (out->tmp_path)
		unlink(out->tmp_path);
	free(out->tmp_path);
	free(out->path);
	memset(out, 0, sizeof(*out));
}
