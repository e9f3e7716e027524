// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bk_btf_open_many: bk_btf_open of many files at once, with their system
 * calls batched through io_uring (liburing). Opening a module is five
 * system calls that depend on each other (open; read the ELF header; read
 * the section header table with the bytes in front of it, where the name
 * table is; read .BTF; close), and on this project's machines a system
 * call costs more than parsing a module's records. So the files go in
 * batches of BATCH: each step is one submission for the whole batch
 * (open all, read all headers, all tables, all .BTF sections, close all),
 * then each .BTF is parsed as bk_btf_open parses it (docs/design.md,
 * "Opening many modules").
 *
 * Anything off the common path -- a file that does not open, is not ELF,
 * reads short, needs more than the one table read, has a distilled base
 * (.BTF.base), a .BTF too big to read in one go, or fails to parse -- is
 * opened again on its own with bk_btf_open, so every result and every
 * error is exactly bk_btf_open's. Without io_uring (an old kernel, a
 * seccomp filter, io_uring_disabled) every file takes that path.
 */
#include <fcntl.h>
#include <liburing.h>
#include <stdlib.h>
#include <unistd.h>

#include "internal.h"

#define BATCH 64
#define HEAD_LEN 64
/* reads this big take bk_btf_open's path (it maps sections from 1 MiB) */
#define READ_MAX ((size_t)1 << 20)

/* One file of a batch, through the steps. */
struct item {
	int fd;             /* -1: not open */
	bool slow;          /* left to bk_btf_open */
	uint8_t head[HEAD_LEN];
	uint8_t *win;       /* the section header table read (with its window) */
	uint64_t win_off;
	size_t win_len;
	uint8_t *blob;      /* the .BTF bytes */
	struct bk__elf_btf eb;
};

/*
 * Submit one read per item still on the fast path (len from lens[i], into
 * bufs[i], at offs[i]) and wait for them all; an item whose read fails or
 * comes back short goes slow. Returns 0, or -errno when the ring failed
 * (then the caller makes every item slow).
 */
static int read_all(struct io_uring *ring, struct item *it, size_t m, uint8_t **bufs,
		    const uint64_t *offs, const size_t *lens)
{
	unsigned queued = 0;

	for (size_t k = 0; k < m; k++) {
		struct io_uring_sqe *sqe;

		if (it[k].slow)
			continue;
		sqe = io_uring_get_sqe(ring);
		if (!sqe)
			return -EBUSY;
		io_uring_prep_read(sqe, it[k].fd, bufs[k], (unsigned)lens[k], offs[k]);
		io_uring_sqe_set_data64(sqe, k);
		queued++;
	}
	return queued ? 0 : 1;
}

/* Submit what is queued, wait for count completions; res[k] per item. */
static int reap(struct io_uring *ring, unsigned count, int *res)
{
	int err = io_uring_submit_and_wait(ring, count);

	if (err < 0)
		return err;
	for (unsigned i = 0; i < count; i++) {
		struct io_uring_cqe *cqe;

		err = io_uring_wait_cqe(ring, &cqe);
		if (err)
			return err;
		res[io_uring_cqe_get_data64(cqe)] = cqe->res;
		io_uring_cqe_seen(ring, cqe);
	}
	return 0;
}

static unsigned count_fast(const struct item *it, size_t m)
{
	unsigned n = 0;

	for (size_t k = 0; k < m; k++)
		n += !it[k].slow;
	return n;
}

/* One read step for every fast item; short or failed reads go slow. */
static int step(struct io_uring *ring, struct item *it, size_t m, uint8_t **bufs,
		const uint64_t *offs, const size_t *lens)
{
	int res[BATCH];
	unsigned n = count_fast(it, m);
	int err;

	if (!n)
		return 0;
	err = read_all(ring, it, m, bufs, offs, lens);
	if (err < 0)
		return err;
	err = reap(ring, n, res);
	if (err)
		return err;
	for (size_t k = 0; k < m; k++)
		if (!it[k].slow && (res[k] < 0 || (size_t)res[k] != lens[k]))
			it[k].slow = true;
	return 0;
}

/*
 * After the ELF header was read (it->win still NULL), or the section header
 * table: the next read, into *buf at *off, *len bytes (the table with the
 * bytes in front of it that elf.c asks for, then .BTF); false when the file
 * leaves the fast path.
 */
static bool next_read(struct item *it, uint8_t **buf, uint64_t *off, size_t *len)
{
	uint64_t want_off;
	size_t want_len;
	int err;

	if (!it->win && memcmp(it->head, "\177ELF", 4))
		return false;
	err = bk__elf_find_sections_ahead(it->head, it->win, it->win_off, it->win_len, &it->eb,
					  &want_off, &want_len);
	if (!it->win) {
		if (err != -EAGAIN || !want_len || want_len > READ_MAX ||
		    !(it->win = malloc(want_len)))
			return false;
		it->win_off = want_off;
		it->win_len = want_len;
		*buf = it->win;
		*off = want_off;
		*len = want_len;
		return true;
	}
	if (err || it->eb.has_base || it->eb.len >= READ_MAX ||
	    !(it->blob = malloc(it->eb.len ? it->eb.len : 1)))
		return false;
	*buf = it->blob;
	*off = it->eb.off;
	*len = it->eb.len;
	return true;
}

/* Open, read and parse paths[0..m) (one batch) on the ring. */
static int batch(struct io_uring *ring, const char *const *paths, size_t m, struct item *it,
		 struct bk_btf **out, const struct bk_open_opts *o)
{
	uint8_t *bufs[BATCH];
	uint64_t offs[BATCH];
	size_t lens[BATCH];
	int res[BATCH], err;

	for (size_t k = 0; k < m; k++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

		memset(&it[k], 0, sizeof(it[k]));
		it[k].fd = -1;
		if (!sqe)
			return -EBUSY;
		io_uring_prep_openat(sqe, AT_FDCWD, paths[k], O_RDONLY | O_CLOEXEC, 0);
		io_uring_sqe_set_data64(sqe, k);
	}
	err = reap(ring, (unsigned)m, res);
	if (err)
		return err;
	for (size_t k = 0; k < m; k++) {
		if (res[k] < 0)
			it[k].slow = true;
		else
			it[k].fd = res[k];
		bufs[k] = it[k].head;
		offs[k] = 0;
		lens[k] = HEAD_LEN;
	}
	/* the ELF headers, then the section header tables, then the .BTF sections */
	for (int stage = 0; stage < 3; stage++) {
		if ((err = step(ring, it, m, bufs, offs, lens)))
			return err;
		for (size_t k = 0; stage < 2 && k < m; k++)
			if (!it[k].slow && !next_read(&it[k], &bufs[k], &offs[k], &lens[k]))
				it[k].slow = true;
	}
	for (size_t k = 0; k < m; k++) {
		free(it[k].win);
		it[k].win = NULL;
		if (it[k].slow)
			continue;
		out[k] = bk__btf_from_elf_btf(it[k].blob, &it[k].eb, o->base, o->flags);
		it[k].blob = NULL;
		if (!out[k])
			it[k].slow = true;
	}
	return 0;
}

/* Close the batch's descriptors (in one submission when the ring works). */
static void close_all(struct io_uring *ring, struct item *it, size_t m)
{
	int res[BATCH];
	unsigned n = 0;

	for (size_t k = 0; ring && k < m; k++) {
		struct io_uring_sqe *sqe;

		if (it[k].fd < 0)
			continue;
		sqe = io_uring_get_sqe(ring);
		if (!sqe)
			break;
		io_uring_prep_close(sqe, it[k].fd);
		io_uring_sqe_set_data64(sqe, k);
		it[k].fd = -1;
		n++;
	}
	/*
	 * If the ring fails here, which of the submitted closes happened is
	 * not known: their descriptors are left alone (a leak, never a close
	 * of a descriptor number another thread has been given since).
	 */
	if (n)
		reap(ring, n, res);
	for (size_t k = 0; k < m; k++) {
		if (it[k].fd >= 0)
			close(it[k].fd);
		free(it[k].win);
		free(it[k].blob);
	}
}

int bk_btf_open_many(const char *const *paths, size_t n, struct bk_btf **out, int *errs,
		     const struct bk_open_opts *opts)
{
	struct bk_open_opts o = { .sz = sizeof(o) };
	struct item it[BATCH];
	struct io_uring ring;
	bool have_ring;
	int err;

	if ((err = bk__opts_get(&o, sizeof(o), opts)))
		return err;
	if ((!paths || !out || !errs) && n)
		return -EINVAL;
	o.flags &= BK_OPEN_KEEP_DISTILLED;
	o.diag = NULL;
	for (size_t i = 0; i < n; i++) {
		out[i] = NULL;
		errs[i] = 0;
	}
	have_ring = n > 1 && !io_uring_queue_init(BATCH, &ring, 0);
	for (size_t s = 0; have_ring && s < n; s += BATCH) {
		size_t m = n - s < BATCH ? n - s : BATCH;

		err = batch(&ring, paths + s, m, it, out + s, &o);
		close_all(err ? NULL : &ring, it, m);
		if (err) {
			/* the ring failed: everything left takes the slow path */
			for (size_t k = 0; k < m; k++) {
				bk_btf_free(out[s + k]);
				out[s + k] = NULL;
			}
			break;
		}
	}
	if (have_ring)
		io_uring_queue_exit(&ring);
	for (size_t i = 0; i < n; i++) {
		if (out[i])
			continue;
		out[i] = bk__btf_open(paths[i], &o, o.flags);
		errs[i] = out[i] ? 0 : -errno;
	}
	return 0;
}
