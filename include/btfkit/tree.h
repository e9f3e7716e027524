/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * btfkit module trees: list the kernel modules under a directory (an
 * installed /lib/modules/RELEASE, an unpacked kernel package, a build
 * tree), in a deterministic order.
 */
#ifndef BTFKIT_TREE_H
#define BTFKIT_TREE_H

#include "btfkit/btf.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One module file found, or a place the walk could not read. */
struct bk_tree_entry {
	char *path;  /* DIR/sub/.../name.ko[.xz|.zst|.gz] */
	int err;     /* 0, or -errno: this directory (or entry) could not be read */
};

struct bk_tree {
	struct bk_tree_entry *v; /* sorted by path (strcmp) */
	size_t n;
};

/* True for the module file names the walk lists: *.ko, *.ko.xz, *.ko.zst, *.ko.gz. */
BK_API bool bk_tree_is_module_name(const char *name);

/*
 * List every module file under dir (recursively). Symbolic links are
 * followed, each directory and each file only once (by device and inode),
 * so a link cycle or a second path to the same tree adds nothing; the
 * first path in sorted walk order is kept. A subdirectory or entry that
 * cannot be read becomes an entry with err set (the walk goes on), so the
 * caller can report and count it; so does a tree deeper than 256 levels.
 * The entries are sorted by path, so the result does not depend on the
 * order the file system returns names in. Returns 0, or -errno when dir
 * itself cannot be opened as a directory (-ENOTDIR, -ENOENT, ...) or
 * -ENOMEM. Free with bk_tree_free.
 */
BK_API int bk_tree_walk(const char *dir, struct bk_tree *out);
BK_API void bk_tree_free(struct bk_tree *tree);

#ifdef __cplusplus
}
#endif
#endif /* BTFKIT_TREE_H */
