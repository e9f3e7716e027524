// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Module trees (src/input/tree.c): the suffixes listed, sorted paths,
 * symlinks followed once (a loop ends, a second path to a directory or a
 * file adds nothing), dangling links skipped, errors for the top directory.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "btfkit/tree.h"
#include "test.h"

static char root[64];

static void touch(const char *rel)
{
	char p[256];
	int fd;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	fd = open(p, O_WRONLY | O_CREAT, 0644);
	if (fd >= 0)
		close(fd);
}

static void mkd(const char *rel)
{
	char p[256];

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	mkdir(p, 0755);
}

static void lnk(const char *target, const char *rel)
{
	char p[256];

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	if (symlink(target, p))
		bt_fail(__FILE__, __LINE__, "symlink %s failed", p);
}

/* The walk's paths relative to root, one a line. */
static char *listing(struct bk_tree *t)
{
	size_t len = 0, rl = strlen(root);
	char *s = calloc(1, 8192);

	for (size_t i = 0; s && i < t->n; i++)
		len += (size_t)snprintf(s + len, 8192 - len, "%s%s\n",
					t->v[i].path + (strncmp(t->v[i].path, root, rl) ? 0 : rl + 1),
					t->v[i].err ? " (error)" : "");
	return s;
}

TEST(tree_walk_suffixes_sorted_links_once)
{
	struct bk_tree t;
	char *got, cmd[128];

	snprintf(root, sizeof(root), "/tmp/btfkit-tree-%d", (int)getpid());
	mkdir(root, 0755);
	mkd("kernel");
	mkd("kernel/b");
	mkd("kernel/a");
	touch("kernel/b/z.ko");
	touch("kernel/b/y.ko.xz");
	touch("kernel/a/x.ko.zst");
	touch("kernel/a/w.ko.gz");
	touch("kernel/a/not-a-module.o");
	touch("kernel/a/v.ko.bz2");
	touch("kernel/a/.ko"); /* a bare suffix is no module name */
	lnk("..", "kernel/a/up");                   /* a loop */
	lnk("../b", "kernel/a/b-again");            /* the same directory twice */
	lnk("../b/z.ko", "kernel/a/z-again.ko");    /* the same file twice */
	lnk("/nonexistent/gone.ko", "kernel/a/dangling.ko");
	REQUIRE(bk_tree_walk(root, &t) == 0);
	got = listing(&t);
	/* kernel/a/b-again sorts first and is walked first: its files keep that path */
	CHECK_STR(got,
		  "kernel/a/b-again/y.ko.xz\n"
		  "kernel/a/b-again/z.ko\n"
		  "kernel/a/w.ko.gz\n"
		  "kernel/a/x.ko.zst\n");
	free(got);
	bk_tree_free(&t);

	/* DIR/ and DIR give the same paths */
	snprintf(cmd, sizeof(cmd), "%s/", root);
	REQUIRE(bk_tree_walk(cmd, &t) == 0);
	CHECK_EQ(t.n, 4);
	CHECK(t.n && !strncmp(t.v[0].path, root, strlen(root)) && t.v[0].path[strlen(root)] == '/' &&
	      t.v[0].path[strlen(root) + 1] != '/');
	bk_tree_free(&t);

	snprintf(cmd, sizeof(cmd), "%s/kernel/b/z.ko", root);
	CHECK_EQ(bk_tree_walk(cmd, &t), -ENOTDIR);
	CHECK_EQ(bk_tree_walk("/nonexistent-dir", &t), -ENOENT);
	CHECK_EQ(t.n, 0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	CHECK_EQ(system(cmd), 0);
}

TEST(tree_module_names)
{
	CHECK(bk_tree_is_module_name("a.ko"));
	CHECK(bk_tree_is_module_name("a.ko.xz"));
	CHECK(bk_tree_is_module_name("a.ko.zst"));
	CHECK(bk_tree_is_module_name("a.ko.gz"));
	CHECK(!bk_tree_is_module_name(".ko"));
	CHECK(!bk_tree_is_module_name("a.ko.bz2"));
	CHECK(!bk_tree_is_module_name("a.o"));
	CHECK(!bk_tree_is_module_name("ako"));
}
