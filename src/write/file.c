// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Atomic output files: the one implementation behind bk_btf_write_file and
 * every file the CLI writes (bk_outfile_*, bk_write_file in write.h).
 *
 * A regular file (new or existing, or a symlink to one) is written to a
 * temporary file "PATH.XXXXXX" in the same directory, fsync'ed, closed and
 * renamed over PATH: readers see the old file or the whole new one, never a
 * part, and on any error the temporary file is removed and PATH is left as
 * it was. A symlink is kept (the file it names is replaced). An existing
 * device, FIFO or socket (/dev/null, /dev/stdout, a pipe) is written in
 * place, since renaming over it would replace it with a regular file.
 *
 * Modes: the temporary file is created with open(O_CREAT | O_EXCL, 0644),
 * so a new file gets 0644 minus the umask without reading the process-wide
 * umask (umask() cannot be read without setting it, a race between
 * threads); a replaced file keeps its mode and, where permitted, its owner.
 *
 * Every failure is reported as -errno and, with a struct bk_diag, a message
 * naming the step and the errno text ("write failed: No space left on
 * device"); the caller adds the file name.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "btfkit/write.h"

struct bk_outfile {
	int fd;
	char *path; /* the file replaced (symlinks resolved) */
	char *tmp;  /* the temporary file; NULL when written in place */
	bool keep_mode;
	mode_t mode;
	uid_t uid;
	gid_t gid;
};

static int fail(struct bk_diag *diag, int err, const char *what)
{
	return bk__diag(diag, err, "%s: %s", what, strerror(-err));
}

static void free_outfile(struct bk_outfile *of)
{
	free(of->tmp);
	free(of->path);
	free(of);
}

/* Create "PATH.XXXXXX" with a random suffix, O_EXCL, mode 0644 minus umask. */
static int create_tmp(struct bk_outfile *of)
{
	static const char chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	size_t plen = strlen(of->path);
	unsigned char rnd[6];

	of->tmp = malloc(plen + 8);
	if (!of->tmp)
		return -ENOMEM;
	memcpy(of->tmp, of->path, plen);
	of->tmp[plen] = '.';
	of->tmp[plen + 7] = '\0';
	for (int attempt = 0; attempt < 100; attempt++) {
		if (getrandom(rnd, sizeof(rnd), GRND_NONBLOCK) != (ssize_t)sizeof(rnd)) {
			struct timespec ts;
			uint64_t x;

			clock_gettime(CLOCK_MONOTONIC, &ts);
			x = (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15ull ^ (uint64_t)getpid() << 20 ^
			    (uint64_t)attempt;
			for (size_t i = 0; i < sizeof(rnd); i++, x >>= 8)
				rnd[i] = (unsigned char)x;
		}
		for (size_t i = 0; i < sizeof(rnd); i++)
			of->tmp[plen + 1 + i] = chars[rnd[i] % (sizeof(chars) - 1)];
		of->fd = open(of->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (of->fd >= 0)
			return 0;
		if (errno != EEXIST)
			return -errno;
	}
	return -EEXIST;
}

struct bk_outfile *bk_outfile_open(const char *path, struct bk_diag *diag)
{
	struct bk_outfile *of;
	struct stat st;
	int err;

	if (!path || !*path) {
		errno = EINVAL;
		bk__diag(diag, -EINVAL, "no output file name");
		return NULL;
	}
	of = calloc(1, sizeof(*of));
	if (!of)
		goto out_nomem;
	of->fd = -1;
	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			free(of);
			errno = EISDIR;
			bk__diag(diag, -EISDIR, "cannot write output: is a directory");
			return NULL;
		}
		if (!S_ISREG(st.st_mode)) {
			of->path = strdup(path);
			if (!of->path)
				goto out_nomem;
			of->fd = open(path, O_WRONLY | O_CLOEXEC);
			if (of->fd < 0) {
				err = -errno;
				fail(diag, err, "cannot open output");
				free_outfile(of);
				errno = -err;
				return NULL;
			}
			return of; /* tmp NULL: written in place */
		}
		of->keep_mode = true;
		of->mode = st.st_mode & 07777;
		of->uid = st.st_uid;
		of->gid = st.st_gid;
		of->path = realpath(path, NULL); /* a symlink: replace the file it names */
	}
	if (!of->path)
		of->path = strdup(path);
	if (!of->path)
		goto out_nomem;
	err = create_tmp(of);
	if (err) {
		fail(diag, err, "cannot create output file");
		free_outfile(of);
		errno = -err;
		return NULL;
	}
	if (of->keep_mode) {
		/* best effort: a file not ours cannot be given its owner back */
		if ((of->uid != geteuid() || of->gid != getegid()) &&
		    fchown(of->fd, of->uid, of->gid) < 0) {
			/* keep our ownership; the mode below still applies */
		}
		if (fchmod(of->fd, of->mode) < 0) {
			err = -errno;
			fail(diag, err, "cannot set the output file's mode");
			bk_outfile_abort(of);
			errno = -err;
			return NULL;
		}
	}
	return of;
out_nomem:
	if (of)
		free_outfile(of);
	errno = ENOMEM;
	bk__diag(diag, -ENOMEM, "out of memory");
	return NULL;
}

int bk_outfile_fd(const struct bk_outfile *of)
{
	return of ? of->fd : -EINVAL;
}

int bk_outfile_write(struct bk_outfile *of, const void *data, size_t size, struct bk_diag *diag)
{
	const unsigned char *p = data;

	if (!of || (size && !data))
		return bk__diag(diag, -EINVAL, "bad arguments");
	while (size) {
		ssize_t n = write(of->fd, p, size);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return fail(diag, -errno, "write failed");
		}
		p += n;
		size -= (size_t)n;
	}
	return 0;
}

int bk_outfile_commit(struct bk_outfile *of, struct bk_diag *diag)
{
	int err = 0;

	if (!of)
		return bk__diag(diag, -EINVAL, "bad arguments");
	if (!of->tmp) {
		/* a device or FIFO written in place: nothing to sync or rename */
		if (close(of->fd) < 0)
			err = fail(diag, -errno, "write failed");
		free_outfile(of);
		return err;
	}
	if (fsync(of->fd) < 0) {
		err = fail(diag, -errno, "write failed");
		close(of->fd);
		goto out_unlink;
	}
	if (close(of->fd) < 0) {
		err = fail(diag, -errno, "write failed");
		goto out_unlink;
	}
	if (rename(of->tmp, of->path) < 0) {
		err = fail(diag, -errno, "cannot rename output into place");
		goto out_unlink;
	}
	free_outfile(of);
	return 0;
out_unlink:
	unlink(of->tmp);
	free_outfile(of);
	return err;
}

void bk_outfile_abort(struct bk_outfile *of)
{
	if (!of)
		return;
	if (of->fd >= 0)
		close(of->fd);
	if (of->tmp)
		unlink(of->tmp);
	free_outfile(of);
}

int bk_write_file(const char *path, const void *data, size_t size, struct bk_diag *diag)
{
	struct bk_outfile *of = bk_outfile_open(path, diag);
	int err;

	if (!of)
		return -errno;
	err = bk_outfile_write(of, data, size, diag);
	if (err) {
		bk_outfile_abort(of);
		return err;
	}
	return bk_outfile_commit(of, diag);
}
