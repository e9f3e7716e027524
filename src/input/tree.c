// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Module trees: bk_tree_walk lists the module files (*.ko, *.ko.xz,
 * *.ko.zst, *.ko.gz) under a directory.
 *
 * The walk is depth-first, each directory's names read in full, closed and
 * sorted before any is visited (so at most one directory is open at a time
 * and the walk order does not depend on the file system). Symbolic links
 * are followed; a set of (device, inode) pairs holds every directory and
 * module file met, so a link cycle ends and a second path to the same
 * directory or file adds nothing (the first in walk order is kept). Depth
 * is bounded (MAX_DEPTH). Unreadable places become entries with an error,
 * so the caller reports and counts them. The result is sorted by path.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "internal.h"
#include "btfkit/tree.h"

#define MAX_DEPTH 256

struct seen {
	struct { dev_t dev; ino_t ino; bool used; } *v;
	size_t cap, n;
};

struct walk {
	struct bk_tree *out;
	size_t cap;
	struct seen seen;
};

static const char *const suffixes[] = { ".ko", ".ko.xz", ".ko.zst", ".ko.gz" };

bool bk_tree_is_module_name(const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		size_t s = strlen(suffixes[i]);

		if (n > s && !strcmp(name + n - s, suffixes[i]))
			return true;
	}
	return false;
}

static size_t seen_slot(const struct seen *s, dev_t dev, ino_t ino)
{
	uint64_t h = ((uint64_t)dev * 0x9e3779b97f4a7c15ull) ^ ((uint64_t)ino * 0xc2b2ae3d27d4eb4full);
	size_t i = (size_t)(h ^ (h >> 29)) & (s->cap - 1);

	while (s->v[i].used && (s->v[i].dev != dev || s->v[i].ino != ino))
		i = (i + 1) & (s->cap - 1);
	return i;
}

/* Add (dev, ino); 1 when it was new, 0 when already there, -ENOMEM. */
static int seen_add(struct seen *s, dev_t dev, ino_t ino)
{
	size_t i;

	if (2 * (s->n + 1) > s->cap) {
		struct seen g = { .cap = s->cap ? 2 * s->cap : 256 };

		g.v = calloc(g.cap, sizeof(*g.v));
		if (!g.v)
			return -ENOMEM;
		for (size_t k = 0; k < s->cap; k++)
			if (s->v[k].used)
				g.v[seen_slot(&g, s->v[k].dev, s->v[k].ino)] = s->v[k];
		g.n = s->n;
		free(s->v);
		*s = g;
	}
	i = seen_slot(s, dev, ino);
	if (s->v[i].used)
		return 0;
	s->v[i].used = true;
	s->v[i].dev = dev;
	s->v[i].ino = ino;
	s->n++;
	return 1;
}

/* Append an entry (path is taken over); -ENOMEM frees path. */
static int add_entry(struct walk *w, char *path, int err)
{
	if (w->out->n == w->cap) {
		size_t cap = w->cap ? 2 * w->cap : 256;
		struct bk_tree_entry *v = realloc(w->out->v, cap * sizeof(*v));

		if (!v) {
			free(path);
			return -ENOMEM;
		}
		w->out->v = v;
		w->cap = cap;
	}
	w->out->v[w->out->n++] = (struct bk_tree_entry){ path, err };
	return 0;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *join(const char *dir, const char *name)
{
	size_t dl = strlen(dir), nl = strlen(name);
	char *p = malloc(dl + nl + 2);

	if (!p)
		return NULL;
	memcpy(p, dir, dl);
	p[dl] = '/';
	memcpy(p + dl + 1, name, nl + 1);
	return p;
}

/* The names in dir (without . and ..), sorted; -errno when unreadable. */
static int read_names(const char *dir, char ***names, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t cap = 0;
	int err = 0;

	*names = NULL;
	*n = 0;
	if (!d)
		return -errno;
	for (errno = 0; (e = readdir(d)); errno = 0) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (*n == cap) {
			char **v = realloc(*names, (cap = cap ? 2 * cap : 64) * sizeof(*v));

			if (!v) {
				err = -ENOMEM;
				break;
			}
			*names = v;
		}
		if (!((*names)[*n] = strdup(e->d_name))) {
			err = -ENOMEM;
			break;
		}
		(*n)++;
	}
	if (!err && errno)
		err = -errno;
	closedir(d);
	if (*names)
		qsort(*names, *n, sizeof(**names), name_cmp);
	return err;
}

static int walk_dir(struct walk *w, const char *dir, int depth)
{
	char **names;
	size_t n;
	int err = read_names(dir, &names, &n);

	if (err == -ENOMEM)
		goto out;
	if (err) {
		/* an unreadable directory is an entry of its own */
		char *p = strdup(dir);

		err = p ? add_entry(w, p, err) : -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n && !err; i++) {
		char *path = join(dir, names[i]);
		struct stat st;
		int fresh;

		if (!path) {
			err = -ENOMEM;
			break;
		}
		if (stat(path, &st) < 0) {
			/* a dangling link is not a module; anything else unreadable is reported */
			if (errno == ENOENT || !bk_tree_is_module_name(names[i]))
				free(path);
			else
				err = add_entry(w, path, -errno);
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			fresh = seen_add(&w->seen, st.st_dev, st.st_ino);
			if (fresh < 0) {
				err = fresh;
			} else if (fresh && depth >= MAX_DEPTH) {
				err = add_entry(w, path, -ELOOP); /* takes path */
				path = NULL;
			} else if (fresh) {
				err = walk_dir(w, path, depth + 1);
			}
			free(path);
			continue;
		}
		if (!S_ISREG(st.st_mode) || !bk_tree_is_module_name(names[i])) {
			free(path);
			continue;
		}
		fresh = seen_add(&w->seen, st.st_dev, st.st_ino);
		if (fresh == 1) {
			err = add_entry(w, path, 0);
		} else {
			free(path);
			err = fresh;
		}
	}
out:
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return err;
}

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct bk_tree_entry *)a)->path, ((const struct bk_tree_entry *)b)->path);
}

int bk_tree_walk(const char *dir, struct bk_tree *out)
{
	struct walk w = { .out = out };
	struct stat st;
	size_t len;
	char *root;
	int err;

	memset(out, 0, sizeof(*out));
	if (!dir || !*dir)
		return -EINVAL;
	if (stat(dir, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	/* DIR/ and DIR give the same paths */
	len = strlen(dir);
	while (len > 1 && dir[len - 1] == '/')
		len--;
	root = strndup(dir, len);
	if (!root)
		return -ENOMEM;
	err = seen_add(&w.seen, st.st_dev, st.st_ino);
	if (err >= 0)
		err = walk_dir(&w, !strcmp(root, "/") ? "" : root, 0);
	free(root);
	free(w.seen.v);
	if (err < 0) {
		bk_tree_free(out);
		return err;
	}
	if (out->n)
		qsort(out->v, out->n, sizeof(*out->v), entry_cmp);
	return 0;
}

void bk_tree_free(struct bk_tree *tree)
{
	if (!tree)
		return;
	for (size_t i = 0; i < tree->n; i++)
		free(tree->v[i].path);
	free(tree->v);
	memset(tree, 0, sizeof(*tree));
}
