// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The CLI's one input path: which base an input is read on, opening each
 * base once, standard input as '-', and the error message for an input
 * that cannot be read.
 *
 * The default base rule: with -B, every input is read on that base. Without
 * it, a file in the kernel's BTF directory other than vmlinux (a module's
 * BTF) is read on that directory's vmlinux. The directory is compared after
 * resolving both paths (realpath), so any spelling of it counts: relative,
 * with "..", doubled or trailing slashes, or through a symlink. The
 * environment variable BTFKIT_SYSFS_BTF stands in for /sys/kernel/btf
 * (tests use it). Bases are opened on first use and kept in struct cli
 * until the command returns, so any number of inputs share one base object.
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct cli_base {
	struct cli_base *next;
	char *path;
	struct bk_btf *btf; /* NULL when it could not be opened (reported once) */
};

/* Bases are freed by cli_main after the command returns. */
void cli__free_bases(struct cli *c);

void cli__free_bases(struct cli *c)
{
	while (c->bases) {
		struct cli_base *b = c->bases;

		c->bases = b->next;
		bk_btf_free(b->btf);
		free(b->path);
		free(b);
	}
}

const char *cli_sysfs_dir(void)
{
	const char *d = getenv("BTFKIT_SYSFS_BTF");

	return d && *d ? d : "/sys/kernel/btf";
}

/*
 * "DIR/vmlinux" for a module in the kernel's BTF directory, else NULL (a
 * buffer of the calling thread's, valid until its next call). The buffers
 * are per thread: the tree runner's workers call this at once, and shared
 * ones let one worker's realpath() overwrite another's mid-compare (a
 * module then lost its base: "1 of 4 inputs failed", seen once in CI).
 */
static const char *sysfs_default_base(const char *path)
{
	static _Thread_local char base[PATH_MAX + 16], real_sysfs[PATH_MAX], real_dir[PATH_MAX];
	char copy[PATH_MAX], *name, *dir;
	const char *sysfs = cli_sysfs_dir();
	size_t n = strlen(sysfs);

	if (!strcmp(path, "-") || strlen(path) >= sizeof(copy))
		return NULL;
	strcpy(copy, path);
	name = basename(copy);
	if (!*name || !strcmp(name, "vmlinux") || !strcmp(name, ".") || !strcmp(name, ".."))
		return NULL;
	strcpy(copy, path);
	dir = dirname(copy);
	if (!realpath(sysfs, real_sysfs) || !realpath(dir, real_dir) || strcmp(real_sysfs, real_dir))
		return NULL;
	while (n > 1 && sysfs[n - 1] == '/')
		n--;
	snprintf(base, sizeof(base), "%.*s/vmlinux", (int)n, sysfs);
	return base;
}

const char *cli_base_path(struct cli *c, const char *path)
{
	return c->base_path ? c->base_path : sysfs_default_base(path);
}

/* What to open for path ('-' is standard input) and what to call it in messages. */
static const char *open_path(const char *path)
{
	return strcmp(path, "-") ? path : "/dev/stdin";
}

static const char *shown(const char *path)
{
	return strcmp(path, "-") ? path : "standard input";
}

struct bk_btf *cli_base_for(struct cli *c, const char *path, bool *err)
{
	const char *bp = cli_base_path(c, path);
	struct bk_diag diag = { 0 };
	struct bk_open_opts o = { .sz = sizeof(o), .diag = &diag };
	struct cli_base *b;

	*err = false;
	if (!bp)
		return NULL;
	for (b = c->bases; b; b = b->next) {
		if (!strcmp(b->path, bp)) {
			*err = !b->btf;
			return b->btf;
		}
	}
	b = calloc(1, sizeof(*b));
	if (!b || !(b->path = strdup(bp))) {
		free(b);
		cli_error(NULL, "out of memory");
		*err = true;
		return NULL;
	}
	b->next = c->bases;
	c->bases = b;
	b->btf = bk_btf_open(open_path(bp), &o);
	if (!b->btf) {
		cli_error(shown(bp), "%s", diag.msg[0] ? diag.msg : strerror(errno));
		*err = true;
	}
	return b->btf;
}

struct bk_btf *cli_open_flags(struct cli *c, const char *path, unsigned flags,
			      struct bk_diag *diag)
{
	struct bk_diag local = { 0 };
	struct bk_open_opts o = { .sz = sizeof(o) };
	struct bk_btf *btf = NULL;
	bool err = false;

	if (!diag)
		diag = &local;
	o.diag = diag;
	if (!(flags & CLI_OPEN_NO_BASE)) {
		o.base = cli_base_for(c, path, &err);
		if (err) {
			diag->err = -EINVAL;
			snprintf(diag->msg, sizeof(diag->msg), "its base BTF cannot be read");
			return NULL;
		}
		if (o.base && !c->base_path && c->verbose)
			fprintf(cli_err_stream(), "btfkit: %s: using %s as base BTF\n", shown(path),
				cli_base_path(c, path));
	}
	if (o.base && (flags & CLI_OPEN_STANDALONE_FIRST)) {
		/* split BTF does not parse without its base: try standalone first */
		struct bk_open_opts so = { .sz = sizeof(so), .diag = diag };

		btf = bk_btf_open(open_path(path), &so);
		if (btf)
			return btf;
		memset(diag, 0, sizeof(*diag));
	}
	btf = bk_btf_open(open_path(path), &o);
	if (!btf) {
		if (!diag->msg[0])
			snprintf(diag->msg, sizeof(diag->msg), "%s", strerror(errno));
		if (!diag->err)
			diag->err = -errno;
		if (!(flags & CLI_OPEN_QUIET))
			cli_error(shown(path), "%s", diag->msg);
	}
	return btf;
}

struct bk_btf *cli_open(struct cli *c, const char *path)
{
	return cli_open_flags(c, path, 0, NULL);
}

