// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Opening BTF: a file or a memory buffer becomes a parsed object. The
 * format is detected by content (parse_image): BTF magic in either byte
 * order, an ELF file (elf.c; a module's .BTF.base is read as its distilled
 * base and the module relocated onto the given base), a compressed stream
 * or a bzImage (decompress.c, then detected again). Files are mapped
 * privately where the kernel allows it (parsing swaps bytes in place
 * without touching the file), read otherwise; for an ELF file only its
 * sections are read or mapped. On success the object owns the image it was
 * parsed from.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "btfkit/distill.h"
#include "internal.h"

/* Put "prefix: " before the message in diag (context for a nested failure). */
static void diag_prefix(struct bk_diag *diag, const char *prefix)
{
	size_t pl = strlen(prefix) + 2, ml;

	if (!diag || pl >= sizeof(diag->msg))
		return;
	ml = strnlen(diag->msg, sizeof(diag->msg) - 1);
	if (pl + ml >= sizeof(diag->msg))
		ml = sizeof(diag->msg) - 1 - pl;
	memmove(diag->msg + pl, diag->msg, ml);
	memcpy(diag->msg, prefix, pl - 2);
	memcpy(diag->msg + pl - 2, ": ", 2);
	diag->msg[pl + ml] = '\0';
}

/*
 * Parse a module's .BTF.base, copy[0..len) found at file offset file_off,
 * into a standalone object that takes over copy (its own buffer, so that
 * sections overlapping .BTF cannot be byte-swapped twice), and check that it
 * has the shape of a distilled base.
 */
static struct bk_btf *parse_dist_base(uint8_t *copy, size_t len, size_t file_off, int ptr_sz,
				      struct bk_diag *diag, int *errp)
{
	struct bk__image img = { .data = copy, .size = len, .owned = true };
	struct bk_btf *d = bk__btf_alloc(NULL);
	int err;

	if (!d) {
		bk__image_release(&img);
		*errp = bk__diag(diag, -ENOMEM, "out of memory");
		return NULL;
	}
	d->source = BK_SOURCE_ELF;
	d->file_off = file_off;
	d->img = img;
	err = bk__parse_raw(d, copy, len, true, diag);
	if (!err)
		err = bk_btf_check_distilled_base(d, diag);
	if (err) {
		diag_prefix(diag, ".BTF.base");
		bk_btf_free(d);
		*errp = err;
		return NULL;
	}
	d->ptr_sz = ptr_sz;
	return d;
}

/*
 * Parse the .BTF bytes blob[0..len) of an ELF file, found at file offset
 * file_off; on success the object takes over img (which holds blob). With a
 * distilled base dist (taken over in every case), the .BTF is split on it,
 * and then relocated onto base when there is one and flags do not say to
 * keep the distilled base.
 */
static struct bk_btf *parse_elf_btf(struct bk__image *img, uint8_t *blob, size_t len,
				    size_t file_off, int ptr_sz, struct bk_btf *base,
				    struct bk_btf *dist, unsigned flags, struct bk_diag *diag,
				    int *errp)
{
	struct bk_btf *btf = bk__btf_alloc(dist ? dist : base);
	int err;

	if (!btf) {
		bk_btf_free(dist);
		*errp = bk__diag(diag, -ENOMEM, "out of memory");
		return NULL;
	}
	btf->owns_base = dist != NULL;
	btf->unchecked_refs = !dist && (flags & BK__OPEN_UNCHECKED);
	btf->source = BK_SOURCE_ELF;
	btf->file_off = file_off;
	err = bk__parse_raw(btf, blob, len, true, diag);
	if (err) {
		if (dist)
			diag_prefix(diag, ".BTF on its distilled base (.BTF.base)");
		bk_btf_free(btf);
		*errp = err;
		return NULL;
	}
	btf->ptr_sz = ptr_sz;
	if (dist && base && !(flags & BK_OPEN_KEEP_DISTILLED)) {
		struct bk_relocate_opts ro = { .sz = sizeof(ro), .diag = diag };

		err = bk_btf_relocate(btf, base, &ro);
		if (err) {
			diag_prefix(diag, "cannot relocate the module's BTF onto the base");
			bk_btf_free(btf);
			*errp = err;
			return NULL;
		}
	}
	btf->img = *img;
	return btf;
}

/*
 * Parse an in-memory image: raw BTF, ELF, or a compressed form of either.
 * On success the object takes over img.
 */
static struct bk_btf *parse_image(struct bk__image *img, struct bk_btf *base, unsigned flags,
				  struct bk_diag *diag, int depth)
{
	struct bk_btf *btf;
	int err;

	if (img->size >= 2 && ((img->data[0] == 0x9f && img->data[1] == 0xeb) ||
			       (img->data[0] == 0xeb && img->data[1] == 0x9f))) {
		btf = bk__btf_alloc(base);
		if (!btf) {
			err = bk__diag(diag, -ENOMEM, "out of memory");
			goto fail;
		}
		btf->source = BK_SOURCE_RAW;
		btf->unchecked_refs = flags & BK__OPEN_UNCHECKED;
		err = bk__parse_raw(btf, img->data, img->size, !img->readonly, diag);
		if (err) {
			bk_btf_free(btf);
			goto fail;
		}
		if (btf->img.data)
			bk__image_release(img); /* the parser kept a private copy */
		else
			btf->img = *img;
		return btf;
	}
	if (img->size >= 4 && memcmp(img->data, "\177ELF", 4) == 0) {
		struct bk_btf *dist = NULL;
		struct bk__elf_btf eb;

		err = bk__elf_find_sections(img->data, img->size, &eb, diag);
		if (err)
			goto fail;
		if (eb.has_base) {
			uint8_t *copy = malloc(eb.base_len ? eb.base_len : 1);

			if (!copy) {
				err = bk__diag(diag, -ENOMEM, "out of memory");
				goto fail;
			}
			memcpy(copy, img->data + eb.base_off, eb.base_len);
			dist = parse_dist_base(copy, eb.base_len, eb.base_off, eb.ptr_sz, diag, &err);
			if (!dist)
				goto fail;
		}
		img->whole_elf = true; /* read from a stream or memory: bk_btf_fixup_bpf_object can reuse it */
		btf = parse_elf_btf(img, img->data + eb.off, eb.len, eb.off, eb.ptr_sz, base, dist,
				    flags, diag, &err);
		if (!btf)
			goto fail;
		return btf;
	}
	if (depth < 2 && bk__detect_compression(img->data, img->size) != BK__COMP_NONE) {
		struct bk__image dec = { .owned = true };

		err = bk__decompress(img->data, img->size, &dec.data, &dec.size, diag);
		if (err)
			goto fail;
		bk__image_release(img);
		return parse_image(&dec, base, flags, diag, depth + 1);
	}
	if (img->size == 0)
		err = bk__diag(diag, -EINVAL, "empty file: no BTF data");
	else
		err = bk__diag(diag, -EINVAL,
			       "not BTF: no BTF magic (0xeb9f), ELF header or known compression at byte offset 0");
fail:
	bk__image_release(img);
	errno = -err;
	return NULL;
}

/*
 * The caller's options, or NULL and errno EINVAL/EOPNOTSUPP (no diag to
 * fill); only the public flags (internal ones cannot be asked for from
 * outside).
 */
static bool get_opts(struct bk_open_opts *o, const struct bk_open_opts *opts)
{
	int err = bk__opts_get(o, sizeof(*o), opts);

	o->flags &= BK_OPEN_KEEP_DISTILLED;
	errno = -err;
	return !err;
}

struct bk_btf *bk_btf_from_mem(const void *data, size_t size, const struct bk_open_opts *opts)
{
	struct bk_open_opts o = { .sz = sizeof(o) };
	struct bk__image img = { .owned = true };
	struct bk_diag *diag;

	if (!get_opts(&o, opts))
		return NULL;
	diag = o.diag;

	/* A private, aligned copy: parsing may byte-swap in place. */
	img.data = malloc(size ? size : 1);
	if (!img.data) {
		bk__diag(diag, -ENOMEM, "out of memory");
		errno = ENOMEM;
		return NULL;
	}
	if (size)
		memcpy(img.data, data, size);
	img.size = size;
	return parse_image(&img, o.base, o.flags, diag, 0);
}

/* Bytes the input's format is known from: magics at 0, bzImage's "HdrS" at 0x202. */
#define SNIFF_LEN 0x250

/*
 * How much of a streamed input to read, decided as its first bytes arrive
 * (so that /dev/zero, a FIFO or a device fails at once instead of after
 * the 1 GiB cap): raw BTF stops at the size its header gives, plus a page
 * for the parser to report trailing data; a header giving more than the
 * cap fails there and then; ELF and compressed streams are read to their
 * end (still capped); anything else stops after SNIFF_LEN bytes, and the
 * parser says what it is not. Returns the limit, 0 when more bytes are
 * needed to tell, or -E2BIG.
 */
static int64_t stream_limit(const uint8_t *buf, size_t len, bool at_eof)
{
	bool le = len >= 2 && buf[0] == 0x9f && buf[1] == 0xeb;
	bool be = len >= 2 && buf[0] == 0xeb && buf[1] == 0x9f;

	if (le || be) {
		uint32_t w[8] = { 0 };
		uint64_t end;

		if (len < 24)
			return at_eof ? (int64_t)len : 0;
		memcpy(w, buf, len < 32 ? 24 : 32);
		for (int i = 1; be && i < 8; i++)
			w[i] = __builtin_bswap32(w[i]);
		end = (uint64_t)w[2] + w[3] > (uint64_t)w[4] + w[5] ? (uint64_t)w[2] + w[3]
								   : (uint64_t)w[4] + w[5];
		if (w[1] >= 32 && len >= 32 && (uint64_t)w[6] + w[7] > end)
			end = (uint64_t)w[6] + w[7];
		end += w[1];
		if (end > BK__MAX_DECOMPRESSED)
			return -E2BIG;
		return (int64_t)end + 4096;
	}
	if ((len >= 4 && !memcmp(buf, "\177ELF", 4)) ||
	    bk__detect_compression(buf, len) != BK__COMP_NONE)
		return (int64_t)BK__MAX_DECOMPRESSED;
	if (len < SNIFF_LEN && !at_eof)
		return 0;
	return (int64_t)len; /* not BTF: the parser names it */
}

/*
 * Read a whole non-mappable file (pipes, devices, some pseudo files),
 * checked against what its first bytes say as it arrives (stream_limit);
 * hint is the size fstat reported (0 if none), so a file of that size is
 * read without reallocation.
 */
static int read_all(int fd, size_t hint, struct bk__image *img, struct bk_diag *diag)
{
	size_t cap = hint && hint < BK__MAX_DECOMPRESSED ? hint + 1 : 1 << 16, len = 0;
	uint8_t *buf = malloc(cap);
	int64_t limit = 0;

	if (!buf)
		return bk__diag(diag, -ENOMEM, "out of memory");
	for (;;) {
		ssize_t n;

		if (!limit) {
			limit = stream_limit(buf, len, false);
			if (limit < 0) {
				free(buf);
				return bk__diag(diag, -E2BIG,
						"BTF header describes more than %zu bytes (byte offset 4)",
						(size_t)BK__MAX_DECOMPRESSED);
			}
		}
		if (limit && len >= (uint64_t)limit) {
			if (limit < (int64_t)BK__MAX_DECOMPRESSED)
				break; /* all the format needs (and the parser judges what it got) */
			free(buf);
			return bk__diag(diag, -E2BIG, "input larger than %zu bytes",
					(size_t)BK__MAX_DECOMPRESSED);
		}
		if (len == cap) {
			uint8_t *nb;

			nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				return bk__diag(diag, -ENOMEM, "out of memory");
			}
			buf = nb;
			cap *= 2;
		}
		n = read(fd, buf + len, (limit && (uint64_t)limit - len < cap - len) ? (size_t)limit - len
										       : cap - len);
		if (n < 0) {
			int err = -errno;

			if (errno == EINTR)
				continue;
			free(buf);
			return bk__diag(diag, err, "read failed: %s", strerror(-err));
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	img->data = buf;
	img->size = len;
	img->owned = true;
	return 0;
}

/*
 * Read len bytes at file offset off of fd into buf. With the file size not
 * known yet (size BK__SIZE_UNKNOWN), the end of the file comes back as
 * -EAGAIN: the caller looks the size up and tries again, for the message.
 */
static int pread_all(int fd, uint8_t *buf, size_t len, size_t off, size_t size,
		     struct bk_diag *diag)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = pread(fd, buf + got, len - got, (off_t)(off + got));

		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0 && size == BK__SIZE_UNKNOWN)
			return -EAGAIN;
		if (n <= 0) {
			int err = n < 0 ? -errno : -EIO;

			return bk__diag(diag, err, "read failed: %s",
					n < 0 ? strerror(-err) : "file shrank");
		}
		got += (size_t)n;
	}
	return 0;
}

/*
 * An ELF file on disk: elf.c reads the headers, we read only the .BTF
 * section into a heap buffer (see elf.c for why not a mapping), or map just
 * that section when it is big enough for the mapping to be the cheaper;
 * .BTF.base (a distilled base, small) is read into a buffer of its own.
 */
#define ELF_MAP_MIN ((size_t)1 << 20)

static struct bk_btf *open_elf(int fd, const uint8_t *head, size_t size, struct bk_btf *base,
			       unsigned flags, struct bk_diag *diag)
{
	struct bk__image img = { .owned = true };
	struct bk_btf *btf, *dist = NULL;
	struct bk__elf_btf eb;
	int err;

	err = bk__elf_find_sections_fd(fd, head, size, &eb, diag);
	if (!err && size == BK__SIZE_UNKNOWN && (eb.len >= ELF_MAP_MIN || eb.base_len > BK__FAST_READ_MAX))
		err = -EAGAIN; /* big, or a mapping past the end would fault: know the size first */
	if (err)
		goto fail;
	if (eb.has_base) {
		uint8_t *copy = malloc(eb.base_len ? eb.base_len : 1);

		if (!copy) {
			err = bk__diag(diag, -ENOMEM, "out of memory");
			goto fail;
		}
		err = pread_all(fd, copy, eb.base_len, eb.base_off, size, diag);
		if (err) {
			free(copy);
			goto fail;
		}
		dist = parse_dist_base(copy, eb.base_len, eb.base_off, eb.ptr_sz, diag, &err);
		if (!dist)
			goto fail;
	}
	if (eb.len >= ELF_MAP_MIN) {
		/* big (vmlinux): map just the section, privately writable */
		size_t delta = eb.off % (size_t)sysconf(_SC_PAGESIZE);
		void *m = mmap(NULL, eb.len + delta, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd,
			       (off_t)(eb.off - delta));

		if (m != MAP_FAILED) {
			img.owned = false;
			img.map = m;
			img.map_len = eb.len + delta;
			img.data = (uint8_t *)m + delta;
			img.size = eb.len;
			btf = parse_elf_btf(&img, img.data, eb.len, eb.off, eb.ptr_sz, base, dist, flags,
					    diag, &err);
			if (btf)
				return btf;
			goto fail;
		}
	}
	img.data = malloc(eb.len ? eb.len : 1);
	if (!img.data) {
		bk_btf_free(dist);
		err = bk__diag(diag, -ENOMEM, "out of memory");
		goto fail;
	}
	img.size = eb.len;
	err = pread_all(fd, img.data, eb.len, eb.off, size, diag);
	if (err) {
		bk_btf_free(dist);
		goto fail;
	}
	btf = parse_elf_btf(&img, img.data, eb.len, eb.off, eb.ptr_sz, base, dist, flags, diag, &err);
	if (btf)
		return btf;
fail:
	bk__image_release(&img);
	errno = -err;
	return NULL;
}

struct bk_btf *bk__btf_from_elf_btf(uint8_t *blob, const struct bk__elf_btf *eb,
				    struct bk_btf *base, unsigned flags)
{
	struct bk__image img = { .data = blob, .size = eb->len, .owned = true };
	struct bk_btf *btf;
	int err;

	btf = parse_elf_btf(&img, blob, eb->len, eb->off, eb->ptr_sz, base, NULL, flags, NULL, &err);
	if (!btf)
		bk__image_release(&img);
	return btf;
}

struct bk_btf *bk_btf_open(const char *path, const struct bk_open_opts *opts)
{
	struct bk_open_opts o = { .sz = sizeof(o) };

	if (!get_opts(&o, opts))
		return NULL;
	return bk__btf_open(path, &o, o.flags);
}

struct bk_btf *bk__btf_open(const char *path, const struct bk_open_opts *opts, unsigned flags)
{
	struct bk_open_opts o = { .sz = sizeof(o) };
	struct bk__image img = { 0 };
	struct bk_diag *diag;
	struct stat st;
	int fd, err;

	if (!get_opts(&o, opts))
		return NULL;
	o.flags = flags;
	diag = o.diag;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		bk__diag(diag, err, "cannot open: %s", strerror(-err));
		errno = -err;
		return NULL;
	}
	/*
	 * ELF files first, before fstat(): most inputs are modules, and the
	 * size is only needed when something does not fit. Then (-EAGAIN)
	 * the lookup is repeated on the path below, which knows the size and
	 * says what is wrong. See elf.c for the measurement that asked for it.
	 */
	{
		/* the ELF header, kept for the section lookup */
		uint8_t head[64] = { 0 };

		if (pread(fd, head, sizeof(head), 0) == (ssize_t)sizeof(head) &&
		    !memcmp(head, "\177ELF", 4)) {
			struct bk_btf *btf = open_elf(fd, head, BK__SIZE_UNKNOWN, o.base, o.flags, diag);

			if (btf || errno != EAGAIN) {
				err = errno;
				close(fd);
				errno = err;
				return btf;
			}
			if (diag)
				memset(diag, 0, sizeof(*diag));
		}
	}
	if (fstat(fd, &st) < 0) {
		err = -errno;
		goto fail_close;
	}
	if (S_ISDIR(st.st_mode)) {
		err = bk__diag(diag, -EISDIR, "is a directory");
		goto fail_close;
	}
	if (S_ISREG(st.st_mode) && st.st_size > 0) {
		uint8_t ident[64] = { 0 };

		/* an ELF file shorter than 64 bytes: the reader checks its size */
		if (pread(fd, ident, sizeof(ident), 0) >= 4 && !memcmp(ident, "\177ELF", 4)) {
			struct bk_btf *btf = open_elf(fd, ident, (size_t)st.st_size,
						      o.base, o.flags, diag);

			err = errno;
			close(fd);
			errno = err;
			return btf;
		}
		/*
		 * A private writable mapping: parsing byte-swaps in place
		 * without a copy, and the file itself is never changed.
		 */
		void *m = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);

		/*
		 * Some files (/sys/kernel/btf/vmlinux) may only be mapped
		 * read-only: the parser then copies if it must swap.
		 */
		if (m == MAP_FAILED) {
			m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
			img.readonly = m != MAP_FAILED;
		}
		if (m != MAP_FAILED) {
			img.data = m;
			img.size = (size_t)st.st_size;
			img.map = m;
			img.map_len = (size_t)st.st_size;
		}
	}
	if (!img.data) {
		err = read_all(fd, S_ISREG(st.st_mode) && st.st_size > 0 ? (size_t)st.st_size : 0, &img,
			       diag);
		if (err)
			goto fail_close;
	}
	close(fd);
	return parse_image(&img, o.base, o.flags, diag, 0);

fail_close:
	if (diag && !diag->err)
		bk__diag(diag, err, "cannot read: %s", strerror(-err));
	close(fd);
	errno = -err;
	return NULL;
}

int bk__btf_read_blob(const char *path, uint8_t **blob, size_t *size, uint64_t *file_off,
		      struct bk_diag *diag)
{
	struct bk__image img = { 0 };
	struct stat st;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return bk__diag(diag, -errno, "cannot open: %s", strerror(errno));
	err = fstat(fd, &st) < 0 ? bk__diag(diag, -errno, "cannot read: %s", strerror(errno))
				 : read_all(fd, S_ISREG(st.st_mode) ? (size_t)st.st_size : 0, &img, diag);
	close(fd);
	for (int depth = 0; !err; depth++) {
		const uint8_t *d = img.data;

		if (img.size >= 2 && ((d[0] == 0x9f && d[1] == 0xeb) || (d[0] == 0xeb && d[1] == 0x9f))) {
			*blob = img.data;
			*size = img.size;
			*file_off = 0;
			return 0;
		}
		if (img.size >= 4 && !memcmp(d, "\177ELF", 4)) {
			struct bk__elf_btf eb;

			err = bk__elf_find_sections(d, img.size, &eb, diag);
			if (err)
				break;
			*blob = malloc(eb.len ? eb.len : 1);
			if (!*blob) {
				err = bk__diag(diag, -ENOMEM, "out of memory");
				break;
			}
			memcpy(*blob, d + eb.off, eb.len);
			*size = eb.len;
			*file_off = eb.off;
			bk__image_release(&img);
			return 0;
		}
		if (depth < 2 && bk__detect_compression(d, img.size) != BK__COMP_NONE) {
			struct bk__image dec = { .owned = true };

			err = bk__decompress(d, img.size, &dec.data, &dec.size, diag);
			bk__image_release(&img);
			img = dec;
			continue;
		}
		err = bk__diag(diag, -EINVAL, "not BTF: no BTF magic (0xeb9f), ELF header or known compression at byte offset 0");
	}
	bk__image_release(&img);
	return err;
}
