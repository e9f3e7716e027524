// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Atomic ELF section writing (bk_elf_set_sections) and BTF embedding
 * (bk_btf_embed).
 *
 * The target is copied into a temporary file in its own directory (a
 * reflink or in-kernel copy where the filesystem offers one), the copy is
 * changed in place by bk_elf_set_sections_fd (elf_write.c), given the
 * target's owner and mode, synced, and renamed over the target; then the
 * directory is synced. Until the rename the target is untouched, and every
 * error path removes the temporary file. A caller that must survive signals
 * (the CLI) blocks them around the call, so that the temporary file is
 * always removed or renamed.
 */
#include <elf.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "btfkit/elf.h"
#include "btfkit/write.h"

/* Copy all of src into dst (both at offset 0). */
static int copy_file(int src, int dst, uint64_t size)
{
	enum { BUF = 1 << 16 };
	uint8_t *buf = NULL;
	uint64_t done = 0;
	int err = 0;

	while (done < size && !err) {
		ssize_t n;

		if (!buf) {
			n = copy_file_range(src, NULL, dst, NULL, size - done, 0);
			if (n < 0 && (errno == EXDEV || errno == ENOSYS || errno == EINVAL ||
				      errno == EOPNOTSUPP)) {
				/* no in-kernel copy here: read and write */
				buf = malloc(BUF);
				if (!buf)
					return -ENOMEM;
				continue;
			}
		} else {
			n = pread(src, buf, BUF, (off_t)done);
			for (ssize_t at = 0, w; n > 0 && at < n; at += w) {
				w = pwrite(dst, buf + at, (size_t)(n - at), (off_t)(done + (uint64_t)at));
				if (w < 0 && errno == EINTR)
					w = 0;
				else if (w <= 0) {
					err = w < 0 ? -errno : -EIO;
					break;
				}
			}
		}
		if (err)
			break;
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			err = n < 0 ? -errno : -EIO; /* the file shrank under us */
		else
			done += (uint64_t)n;
	}
	free(buf);
	return err;
}

/* fsync the directory holding path (so the rename is durable); errors ignored. */
static void sync_dir(const char *path)
{
	char *copy = strdup(path);
	int fd;

	if (!copy)
		return;
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(copy);
}

int bk_elf_set_sections(const char *path, const struct bk_elf_section *secs, size_t n,
			struct bk_elf_write_opts *opts)
{
	struct bk_elf_write_opts o = { .sz = sizeof(o) };
	char *real, *tmp = NULL;
	int src = -1, dst = -1, err;
	struct bk_diag *diag;
	struct stat st;

	if ((err = bk__opts_get(&o, sizeof(o), opts)))
		return err;
	diag = o.diag;
	if (!path || !*path)
		return bk__diag(diag, -EINVAL, "no file name");
	real = realpath(path, NULL);
	if (!real)
		return bk__diag(diag, -errno, "cannot open: %s", strerror(errno));
	src = open(real, O_RDONLY | O_CLOEXEC);
	if (src < 0 || fstat(src, &st) < 0) {
		err = bk__diag(diag, -errno, "cannot open: %s", strerror(errno));
		goto out;
	}
	if (S_ISDIR(st.st_mode) || !S_ISREG(st.st_mode)) {
		err = bk__diag(diag, S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL,
			       S_ISDIR(st.st_mode) ? "is a directory" : "not a regular file");
		goto out;
	}
	tmp = malloc(strlen(real) + sizeof(".XXXXXX"));
	if (!tmp) {
		err = bk__diag(diag, -ENOMEM, "out of memory");
		goto out;
	}
	strcpy(tmp, real);
	strcat(tmp, ".XXXXXX");
	dst = mkostemp(tmp, O_CLOEXEC);
	if (dst < 0) {
		err = bk__diag(diag, -errno, "cannot create a temporary file: %s", strerror(errno));
		free(tmp);
		tmp = NULL;
		goto out;
	}
	if ((err = copy_file(src, dst, (uint64_t)st.st_size))) {
		bk__diag(diag, err, "cannot copy the file: %s", strerror(-err));
		goto out;
	}
	if ((err = bk_elf_set_sections_fd(dst, secs, n, opts)))
		goto out;
	/* owner first: changing it may clear the set-ID bits of the mode */
	if (fchown(dst, st.st_uid, st.st_gid) < 0) {
		err = bk__diag(diag, -errno, "cannot keep the owner (%u:%u): %s", (unsigned)st.st_uid,
			       (unsigned)st.st_gid, strerror(errno));
		goto out;
	}
	if (fchmod(dst, st.st_mode & 07777) < 0 || fsync(dst) < 0) {
		err = bk__diag(diag, -errno, "write failed: %s", strerror(errno));
		goto out;
	}
	if (close(dst) < 0) {
		dst = -1;
		err = bk__diag(diag, -errno, "write failed: %s", strerror(errno));
		goto out;
	}
	dst = -1;
	if (rename(tmp, real) < 0) {
		err = bk__diag(diag, -errno, "cannot rename the new file into place: %s", strerror(errno));
		goto out;
	}
	free(tmp);
	tmp = NULL;
	sync_dir(real);
out:
	if (dst >= 0)
		close(dst);
	if (tmp) {
		unlink(tmp);
		free(tmp);
	}
	if (src >= 0)
		close(src);
	free(real);
	return err;
}

int bk_btf_embed(const struct bk_btf *btf, const char *path, const char *section,
		 struct bk_elf_write_opts *opts)
{
	struct bk_elf_write_opts o = { .sz = sizeof(o) };
	struct bk_diag *diag;
	struct bk_elf_section sec = { .name = section ? section : ".BTF" };
	bool host_le = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;
	uint8_t ident[EI_DATA + 1];
	struct bk_btf as_elf;
	void *data;
	size_t size;
	ssize_t got;
	int fd, err;

	if ((err = bk__opts_get(&o, sizeof(o), opts)))
		return err;
	diag = o.diag;

	if (!btf || !path)
		return bk__diag(diag, -EINVAL, "no BTF or no file name");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return bk__diag(diag, -errno, "cannot open: %s", strerror(errno));
	got = pread(fd, ident, sizeof(ident), 0);
	close(fd);
	if (got < (ssize_t)sizeof(ident) || memcmp(ident, ELFMAG, SELFMAG) ||
	    (ident[EI_DATA] != ELFDATA2LSB && ident[EI_DATA] != ELFDATA2MSB))
		return bk__diag(diag, -EINVAL, "not an ELF file");
	/*
	 * Serialize in the ELF file's byte order: a shallow copy that differs
	 * only in the output order (serializing reads the object, never
	 * changes or frees it).
	 */
	as_elf = *btf;
	as_elf.swapped = host_le != (ident[EI_DATA] == ELFDATA2LSB);
	err = bk_btf_serialize(&as_elf, &data, &size);
	if (err)
		return bk__diag(diag, err, "cannot serialize the BTF: %s", bk_strerror(err));
	sec.data = data;
	sec.size = size;
	err = bk_elf_set_sections(path, &sec, 1, opts);
	free(data);
	return err;
}
