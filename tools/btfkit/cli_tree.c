// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The input path over many inputs: cli_for_each_input_ex (cli.h).
 *
 * Operands are expanded first: a directory becomes the module files under it
 * (bk_tree_walk: *.ko, *.ko.xz, *.ko.zst, *.ko.gz, sorted, each file once),
 * and the kernel's BTF directory (/sys/kernel/btf or BTFKIT_SYSFS_BTF)
 * every file in it. One plain file runs as before, in this thread. A tree
 * (or several inputs) runs on the parallel runner (cli_par.c): workers open
 * each input on its base (or, with CLI_OPEN_NONE, leave the reading to
 * the command) and call the command's one() with its output and
 * error messages captured in memory (cli_capture); the calling thread
 * prints each input's captured output and messages, in input order, so the
 * result is the same for any -j. Bases are opened before the run (in this
 * thread) and frozen (every lazily built cache built), so the workers only
 * read them. Each input is opened on its own (bk_btf_open): opening runs
 * of them at once with bk_btf_open_many was measured and gained nothing
 * here (docs/design.md, "Module trees in parallel"). An input that fails
 * is reported (path and reason, as the command or the input path words
 * it), counted and the run goes on; the
 * exit status is 1 at the end. After the inputs the command's summary, or
 * for a directory the default: {"modules":N,"failed":M} with --json, a
 * count on stderr otherwise when some failed. Ctrl-C stops the run within a tenth of a
 * second; the output file is removed (nothing partial is left) and the
 * exit status is 130.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "btfkit/tree.h"
#include "cli.h"
#include "cli_par.h"

struct item {
	char *path;
	int err; /* the walk could not read this place */
};

struct run {
	struct cli *c;
	const struct cli_each *e;
	struct item *items;
	size_t n, failed;
	FILE *out;
	int status;
};

/* What one worker produced for one input. */
struct result {
	int status;
	bool failed;
	char *out, *err;
	size_t out_len, err_len;
	void *data;
};

static int add_item(struct item **v, size_t *n, size_t *cap, const char *path, int err)
{
	if (*n == *cap) {
		struct item *nv = realloc(*v, (*cap = *cap ? 2 * *cap : 64) * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		*v = nv;
	}
	if (!((*v)[*n].path = strdup(path)))
		return -ENOMEM;
	(*v)[(*n)++].err = err;
	return 0;
}

static bool is_sysfs_dir(const char *path)
{
	char a[PATH_MAX], b[PATH_MAX];

	return realpath(path, a) && realpath(cli_sysfs_dir(), b) && !strcmp(a, b);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file of the kernel's BTF directory (vmlinux and modules). */
static int add_sysfs(struct item **v, size_t *n, size_t *cap, const char *dir)
{
	DIR *d = opendir(dir);
	char **names = NULL, path[PATH_MAX];
	size_t nn = 0, ncap = 0;
	struct dirent *e;
	int err = 0;

	if (!d)
		return -errno;
	while ((e = readdir(d)) && !err) {
		struct stat st;

		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (e->d_name[0] == '.' || stat(path, &st) || !S_ISREG(st.st_mode))
			continue;
		if (nn == ncap) {
			char **nv = realloc(names, (ncap = ncap ? 2 * ncap : 64) * sizeof(*nv));

			if (!nv) {
				err = -ENOMEM;
				break;
			}
			names = nv;
		}
		if (!(names[nn] = strdup(e->d_name)))
			err = -ENOMEM;
		else
			nn++;
	}
	closedir(d);
	if (nn)
		qsort(names, nn, sizeof(*names), name_cmp);
	for (size_t i = 0; i < nn; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (!err)
			err = add_item(v, n, cap, path, 0);
		free(names[i]);
	}
	free(names);
	return err;
}

/* Operands to inputs; *tree when a directory was among them. 0, or status. */
static int expand(struct cli *c, struct item **v, size_t *n, bool *tree)
{
	size_t cap = 0;

	*v = NULL;
	*n = 0;
	*tree = false;
	for (int i = 0; i < c->nargs; i++) {
		const char *p = c->args[i];
		struct bk_tree t;
		struct stat st;
		int err = 0;

		if (strcmp(p, "-") && !stat(p, &st) && S_ISDIR(st.st_mode)) {
			*tree = true;
			if (is_sysfs_dir(p)) {
				err = add_sysfs(v, n, &cap, p);
			} else if (!(err = bk_tree_walk(p, &t))) {
				for (size_t k = 0; k < t.n && !err; k++)
					err = add_item(v, n, &cap, t.v[k].path, t.v[k].err);
				bk_tree_free(&t);
			}
			if (err == -ENOMEM) {
				cli_error(NULL, "out of memory");
				return EXIT_BAD_INPUT;
			}
			if (err) {
				cli_error(p, "cannot read the directory: %s", strerror(-err));
				return EXIT_BAD_INPUT;
			}
			continue;
		}
		if (add_item(v, n, &cap, p, 0)) {
			cli_error(NULL, "out of memory");
			return EXIT_BAD_INPUT;
		}
	}
	return EXIT_OK;
}

static void *work(void *ctx, size_t i)
{
	struct run *r = ctx;
	struct item *it = &r->items[i];
	struct result *res = calloc(1, sizeof(*res));
	struct cli_input in = { .path = it->path, .tree = true };
	FILE *out, *err;

	if (!res)
		return NULL;
	out = open_memstream(&res->out, &res->out_len);
	err = open_memstream(&res->err, &res->err_len);
	if (!out || !err) {
		if (out)
			fclose(out);
		if (err)
			fclose(err);
		res->status = EXIT_BAD_INPUT;
		res->failed = true;
		return res;
	}
	cli_capture(out, err);
	in.out = out;
	if (it->err) {
		cli_error(it->path, "cannot read: %s", strerror(-it->err));
		res->status = EXIT_BAD_INPUT;
	} else if (r->e->flags & CLI_OPEN_NONE) {
		res->status = r->e->one(r->c, &in);
	} else {
		in.btf = cli_open_flags(r->c, it->path, r->e->flags, &in.diag);
		if (!in.btf && !(r->e->flags & CLI_OPEN_QUIET)) {
			res->status = EXIT_BAD_INPUT;
		} else {
			res->status = r->e->one(r->c, &in);
			bk_btf_free(in.btf);
		}
	}
	cli_capture(NULL, NULL);
	fclose(out);
	fclose(err);
	res->failed = res->status != EXIT_OK;
	res->data = in.data;
	return res;
}

static void drop(void *ctx, size_t i, void *p)
{
	struct run *r = ctx;
	struct result *res = p;

	(void)i;
	if (!res)
		return;
	if (r->e->collect && res->data) {
		struct cli_input in = { .path = r->items[i].path, .data = res->data, .tree = true };

		r->e->collect(r->c, &in, -1); /* frees data, counts nothing */
	}
	free(res->out);
	free(res->err);
	free(res);
}

static void emit(void *ctx, size_t i, void *p)
{
	struct run *r = ctx;
	struct result *res = p;

	if (!res) {
		cli_error(r->items[i].path, "out of memory");
		r->failed++;
		r->status = EXIT_BAD_INPUT;
		return;
	}
	if (res->out_len)
		fwrite(res->out, 1, res->out_len, r->out);
	if (res->err_len) {
		fflush(r->out);
		fwrite(res->err, 1, res->err_len, stderr);
	}
	if (r->e->collect) {
		struct cli_input in = { .path = r->items[i].path, .data = res->data, .tree = true };

		r->e->collect(r->c, &in, res->status);
		res->data = NULL;
	}
	if (res->failed)
		r->failed++;
	if (res->status > r->status)
		r->status = res->status;
	res->data = NULL;
	drop(ctx, i, res);
}

/* Build every cache of each base now: workers then only read them. */
static int open_bases(struct cli *c, const struct item *items, size_t n, unsigned flags)
{
	for (size_t i = 0; i < n && !(flags & CLI_OPEN_NO_BASE); i++) {
		struct bk_btf *b;
		bool err;

		if (items[i].err)
			continue;
		b = cli_base_for(c, items[i].path, &err);
		if (err)
			return EXIT_BAD_INPUT;
		if (b)
			bk_btf_freeze(b);
	}
	return EXIT_OK;
}

static int run_tree(struct cli *c, const struct cli_each *e, struct item *items, size_t n, bool dir)
{
	struct cli_out out;
	struct run r = { .c = c, .e = e, .items = items, .n = n };
	struct cli_par p = { .n = n, .jobs = c->jobs, .work = work, .emit = emit, .drop = drop,
			     .ctx = &r, .progress = !c->quiet, .what = "inputs" };
	int err;

	if (open_bases(c, items, n, e->flags))
		return EXIT_BAD_INPUT;
	if (cli_out_open(&out, (c->cmd->common & CLI_OUTPUT) ? c->out_path : NULL))
		return EXIT_BAD_INPUT;
	r.out = out.f;
	err = cli_par_run(&p);
	if (err) {
		cli_out_abort(&out);
		if (err == -EINTR) {
			fflush(stdout);
			fprintf(stderr, "btfkit: interrupted\n");
			return 130;
		}
		cli_error(NULL, "cannot start threads: %s", strerror(-err));
		return EXIT_BAD_INPUT;
	}
	if (e->summary) {
		e->summary(c, out.f, n, r.failed);
	} else if (!dir) {
		/* several FILEs: their outputs, no summary */
	} else if (c->json) {
		char buf[96];

		snprintf(buf, sizeof(buf), "{\"modules\":%zu,\"failed\":%zu}", n, r.failed);
		cli_print_json(out.f, buf, c->pretty);
		fputc('\n', out.f);
	} else if (r.failed) {
		fflush(out.f);
		fprintf(stderr, "btfkit: %zu of %zu inputs failed\n", r.failed, n);
	}
	if (r.failed && r.status == EXIT_OK)
		r.status = EXIT_BAD_INPUT;
	if (cli_out_commit(&out))
		return EXIT_BAD_INPUT;
	return r.status;
}

/* One input, in this thread: what every command did before trees. */
static int run_one(struct cli *c, const struct cli_each *e, const char *path)
{
	struct cli_input in = { .path = path };
	struct cli_out out;
	bool err;
	int ret;

	/* a base that cannot be read is reported once, and ends the run */
	if (!(e->flags & CLI_OPEN_NO_BASE)) {
		cli_base_for(c, path, &err);
		if (err)
			return EXIT_BAD_INPUT;
	}
	if (!(e->flags & CLI_OPEN_NONE)) {
		in.btf = cli_open_flags(c, path, e->flags, &in.diag);
		if (!in.btf && !(e->flags & CLI_OPEN_QUIET))
			return EXIT_BAD_INPUT;
	}
	if (cli_out_open(&out, (c->cmd->common & CLI_OUTPUT) ? c->out_path : NULL)) {
		bk_btf_free(in.btf);
		return EXIT_BAD_INPUT;
	}
	in.out = out.f;
	ret = e->one(c, &in);
	bk_btf_free(in.btf);
	if (e->collect)
		e->collect(c, &in, ret);
	if (ret != EXIT_OK && out.of) {
		cli_out_abort(&out);
		return ret;
	}
	return cli_out_commit(&out) ? EXIT_BAD_INPUT : ret;
}

char **cli_expand_paths(struct cli *c, int *n, bool *tree)
{
	struct item *items;
	size_t ni;
	char **paths = NULL;
	int bad = 0;

	if (expand(c, &items, &ni, tree))
		return NULL;
	if (ni > INT_MAX || !(paths = calloc(ni + 1, sizeof(*paths)))) {
		cli_error(NULL, "out of memory");
		bad = 1;
	}
	for (size_t i = 0; i < ni; i++) {
		if (!bad && items[i].err) {
			cli_error(items[i].path, "cannot read: %s", strerror(-items[i].err));
			bad = 1;
		}
		if (paths)
			paths[i] = items[i].path;
		else
			free(items[i].path);
	}
	free(items);
	if (bad) {
		for (size_t i = 0; paths && i < ni; i++)
			free(paths[i]);
		free(paths);
		return NULL;
	}
	*n = (int)ni;
	return paths;
}

int cli_for_each_input_ex(struct cli *c, const struct cli_each *e)
{
	struct item *items;
	size_t n;
	bool tree;
	int ret = expand(c, &items, &n, &tree);

	if (ret == EXIT_OK) {
		if (!tree && n == 1)
			ret = run_one(c, e, items[0].path);
		else
			ret = run_tree(c, e, items, n, tree);
	}
	for (size_t i = 0; items && i < n; i++)
		free(items[i].path);
	free(items);
	return ret;
}

int cli_for_each_input(struct cli *c, int (*fn)(struct cli *c, struct cli_input *in),
		       unsigned flags)
{
	struct cli_each e = { .one = fn, .flags = flags };

	return cli_for_each_input_ex(c, &e);
}
