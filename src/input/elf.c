// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * ELF input: locate the .BTF section of vmlinux, a kernel module or a BPF
 * object (ELF32/ELF64, either byte order), in memory or through a file
 * descriptor, and the .BTF.base section (a distilled base, see
 * include/btfkit/distill.h) when the file has one. Section names match
 * exactly, as in libbpf; when a name occurs twice the first section is used.
 *
 * Only the ELF header, the section header table and the section name table
 * are read, by one reader for memory images and files. A file's size may be
 * unknown (BK__SIZE_UNKNOWN: bk_btf_open skips its fstat() when it can):
 * every read past the end, and every failure whose message states the
 * size, then gives -EAGAIN and the caller tries again knowing the size.
 * This file does it itself rather than through libelf, for speed: opening
 * one module on a base took ten system calls with libelf (it re-reads the
 * identity, fstat()s and fcntl()s the descriptor, and reads the header, the
 * table and the names separately), five now, and the system calls were most
 * of the time opening a module took (docs/design.md, "Opening many
 * modules": parsing the 4,022 corpus modules went from 0.8-0.9x libbpf's
 * CPU time to 0.6x). With a descriptor the caller's first read (64 bytes:
 * the ELF header) is reused, and the section header table is read together
 * with the bytes in front of it, where linkers put the section name table;
 * the caller then reads just the BTF bytes.
 *
 * Every offset and size is checked against the file size (overflow-safe)
 * before anything is read or handed to the raw parser. Extended numbering
 * (e_shnum 0 or e_shstrndx SHN_XINDEX: the values live in section 0) is
 * understood.
 */
#include <elf.h>
#include <stdlib.h>
#include <unistd.h>

#include "internal.h"

/* Bytes read in front of the section header table (the name table is usually there). */
#define NAMES_WINDOW 1024

/*
 * Where the bytes come from: a memory image, a file (pread), or (fd -1)
 * only the bytes win[0..win_len) at file offset win_off that a caller read
 * ahead: any other read gives -EAGAIN and says in want_* what it needed.
 */
struct src {
	const uint8_t *mem;  /* NULL: read fd */
	int fd;
	size_t size;
	const uint8_t *head; /* the first min(size, 64) bytes */
	bool swap, e32;
	const uint8_t *win;
	uint64_t win_off, want_off;
	size_t win_len, want_len;
};

static uint16_t get16(const struct src *s, const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return s->swap ? bk__bswap16(v) : v;
}

static uint32_t get32(const struct src *s, const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return s->swap ? bk__bswap32(v) : v;
}

static uint64_t get64(const struct src *s, const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return s->swap ? __builtin_bswap64(v) : v;
}

/* An address-sized field (4 bytes in ELF32, 8 in ELF64). */
static uint64_t getw(const struct src *s, const uint8_t *p)
{
	return s->e32 ? get32(s, p) : get64(s, p);
}

/*
 * Bytes [off, off + len) of the source (checked to lie inside it): a
 * pointer into the image, or into *buf, a heap copy the caller frees. On
 * failure NULL, *err set and *buf NULL (nothing to free).
 */
static const uint8_t *get_bytes(struct src *s, uint64_t off, size_t len, uint8_t **buf,
				struct bk_diag *diag, int *err)
{
	size_t done = 0;

	if (s->mem)
		return s->mem + off;
	if (s->win && off >= s->win_off && len <= s->win_len && off - s->win_off <= s->win_len - len)
		return s->win + (off - s->win_off);
	if (s->fd < 0) {
		s->want_off = off;
		s->want_len = len;
		*err = -EAGAIN;
		return NULL;
	}
	if (s->size == BK__SIZE_UNKNOWN && len > BK__FAST_READ_MAX) {
		*err = -EAGAIN;
		return NULL;
	}
	*buf = malloc(len ? len : 1);
	if (!*buf) {
		*err = bk__diag(diag, -ENOMEM, "out of memory");
		return NULL;
	}
	while (done < len) {
		ssize_t n = pread(s->fd, *buf + done, len - done, (off_t)(off + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0 && s->size == BK__SIZE_UNKNOWN) {
			*err = -EAGAIN; /* past the end: the caller looks the size up */
			break;
		}
		if (n <= 0) {
			*err = n < 0 ? -errno : -EIO;
			bk__diag(diag, *err, "read failed: %s", n < 0 ? strerror(-*err) : "file shrank");
			break;
		}
		done += (size_t)n;
	}
	if (done < len) {
		free(*buf);
		*buf = NULL;
		return NULL;
	}
	return *buf;
}

/* One section header's fields we use. */
struct shdr {
	uint32_t name, type;
	uint64_t flags, offset, size;
	uint32_t link;
};

static void read_shdr(const struct src *s, const uint8_t *p, struct shdr *sh)
{
	sh->name = get32(s, p);
	sh->type = get32(s, p + 4);
	if (s->e32) {
		sh->flags = get32(s, p + 8);
		sh->offset = get32(s, p + 16);
		sh->size = get32(s, p + 20);
		sh->link = get32(s, p + 24);
	} else {
		sh->flags = get64(s, p + 8);
		sh->offset = get64(s, p + 24);
		sh->size = get64(s, p + 32);
		sh->link = get32(s, p + 40);
	}
}

/* Check one BTF section's header; 0 when its bytes may be read. */
static int check_section(const struct shdr *sh, const char *name, size_t size, struct bk_diag *diag)
{
	if (sh->type == SHT_NOBITS)
		return bk__diag(diag, -EINVAL, "ELF section %s has no data (SHT_NOBITS)", name);
	if (!bk__fits(sh->offset, sh->size, size) && size == BK__SIZE_UNKNOWN)
		return -EAGAIN; /* the message needs the size */
	if (!bk__fits(sh->offset, sh->size, size))
		return bk__diag(diag, -EINVAL,
				"ELF section %s (offset %llu, size %llu) runs past the end of the file (%zu bytes)",
				name, (unsigned long long)sh->offset, (unsigned long long)sh->size, size);
	if (sh->flags & SHF_COMPRESSED)
		return bk__diag(diag, -EOPNOTSUPP,
				"ELF section %s is compressed (SHF_COMPRESSED), which is not supported", name);
	return 0;
}

static int bad_table(uint64_t shoff, uint64_t nsec, unsigned entsize, size_t size, struct bk_diag *diag)
{
	if (size == BK__SIZE_UNKNOWN)
		return -EAGAIN; /* the message needs the size */
	return bk__diag(diag, -EINVAL,
			"ELF section headers (offset %llu, %llu of %u bytes) are invalid or past the end of the file (%zu bytes)",
			(unsigned long long)shoff, (unsigned long long)nsec, entsize, size);
}

/* Match the sections named .BTF and .BTF.base (the first of each). */
static int match(const struct src *s, const uint8_t *table, uint64_t nsec, unsigned entsize,
		 const uint8_t *names, uint64_t names_len, struct bk__elf_btf *out, struct bk_diag *diag)
{
	bool found = false;
	int err;

	for (uint64_t i = 1; i < nsec; i++) {
		uint32_t off = get32(s, table + i * entsize); /* sh_name */
		struct shdr sh;
		const char *name;
		bool is_base;

		/*
		 * The name and its NUL must lie inside the table. Most sections
		 * fail the first four bytes; only a match reads its header.
		 */
		if (off >= names_len || names_len - off < sizeof(".BTF"))
			continue;
		name = (const char *)names + off;
		if (memcmp(name, ".BTF", 4) ||
		    (memcmp(name, ".BTF", sizeof(".BTF")) &&
		     (names_len - off < sizeof(".BTF.base") || memcmp(name, ".BTF.base", sizeof(".BTF.base")))))
			continue;
		read_shdr(s, table + i * entsize, &sh);
		is_base = name[4] != '\0';
		if (is_base ? out->has_base : found)
			continue;
		if ((err = check_section(&sh, name, s->size, diag)))
			return err;
		if (is_base) {
			out->base_off = sh.offset;
			out->base_len = sh.size;
			out->has_base = true;
		} else {
			out->off = sh.offset;
			out->len = sh.size;
			found = true;
		}
	}
	if (!found)
		return bk__diag(diag, -ENOENT, "ELF file has no .BTF section");
	return 0;
}

static int find_btf(struct src *s, struct bk__elf_btf *out, struct bk_diag *diag)
{
	const uint8_t *h = s->head, *win, *table, *names = NULL;
	uint8_t *wbuf = NULL, *nbuf = NULL, *s0buf = NULL;
	uint64_t shoff, nsec, shstrndx, wstart, wlen;
	size_t ehsize, minent;
	unsigned entsize;
	struct shdr strsh;
	int err = 0;

	memset(out, 0, sizeof(*out));
	s->e32 = s->size > EI_CLASS && h[EI_CLASS] == ELFCLASS32;
	ehsize = s->e32 ? sizeof(Elf32_Ehdr) : sizeof(Elf64_Ehdr);
	minent = s->e32 ? sizeof(Elf32_Shdr) : sizeof(Elf64_Shdr);
	if (s->size < ehsize)
		return bk__diag(diag, -EINVAL, "truncated ELF header: %zu bytes, ELF%s needs %zu", s->size,
				s->e32 ? "32" : "64", ehsize);
	if (h[EI_CLASS] != ELFCLASS32 && h[EI_CLASS] != ELFCLASS64)
		return bk__diag(diag, -EINVAL, "ELF file of unknown class %d", h[EI_CLASS]);
	if (h[EI_DATA] != ELFDATA2LSB && h[EI_DATA] != ELFDATA2MSB)
		return bk__diag(diag, -EINVAL, "not a valid ELF file: unknown byte order %u", h[EI_DATA]);
	s->swap = (h[EI_DATA] == ELFDATA2MSB) != (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__);
	out->ptr_sz = s->e32 ? 4 : 8;
	shoff = getw(s, h + (s->e32 ? 32 : 40));
	entsize = get16(s, h + (s->e32 ? 46 : 58));
	nsec = get16(s, h + (s->e32 ? 48 : 60));
	shstrndx = get16(s, h + (s->e32 ? 50 : 62));
	if (!shoff)
		return bk__diag(diag, -ENOENT, "ELF file has no .BTF section");
	if (entsize < minent || shoff > s->size || s->size - shoff < entsize)
		return bad_table(shoff, nsec ? nsec : 1, entsize, s->size, diag);
	if (!nsec || shstrndx == SHN_XINDEX) {
		/* extended numbering: section 0 holds the count and the name table's index */
		const uint8_t *p = get_bytes(s, shoff, minent, &s0buf, diag, &err);
		struct shdr sh0;

		if (!p)
			return err;
		read_shdr(s, p, &sh0);
		free(s0buf);
		if (!nsec)
			nsec = sh0.size;
		if (shstrndx == SHN_XINDEX)
			shstrndx = sh0.link;
	}
	if (nsec > (s->size - shoff) / entsize)
		return bad_table(shoff, nsec, entsize, s->size, diag);
	if (shstrndx >= nsec)
		return bk__diag(diag, -EINVAL, "ELF section name table index %llu is past the %llu sections",
				(unsigned long long)shstrndx, (unsigned long long)nsec);
	/* the table, with up to NAMES_WINDOW bytes in front of it, in one read */
	wstart = shoff > NAMES_WINDOW ? shoff - NAMES_WINDOW : 0;
	if (s->mem)
		wstart = shoff;
	wlen = shoff - wstart + nsec * entsize;
	win = get_bytes(s, wstart, (size_t)wlen, &wbuf, diag, &err);
	if (!win)
		return err;
	table = win + (shoff - wstart);
	read_shdr(s, table + shstrndx * entsize, &strsh);
	if (strsh.type == SHT_NOBITS || !bk__fits(strsh.offset, strsh.size, s->size)) {
		if (s->size == BK__SIZE_UNKNOWN) {
			err = -EAGAIN; /* the message needs the size */
			goto out;
		}
		err = bk__diag(diag, -EINVAL,
			       "ELF section name table (offset %llu, size %llu) is invalid or past the end of the file (%zu bytes)",
			       (unsigned long long)strsh.offset, (unsigned long long)strsh.size, s->size);
		goto out;
	}
	if (strsh.offset >= wstart && strsh.offset + strsh.size <= wstart + wlen)
		names = win + (strsh.offset - wstart);
	else
		names = get_bytes(s, strsh.offset, (size_t)strsh.size, &nbuf, diag, &err);
	if (names)
		err = match(s, table, nsec, entsize, names, strsh.size, out, diag);
out:
	free(wbuf);
	free(nbuf);
	return err;
}

int bk__elf_find_sections(const uint8_t *data, size_t size, struct bk__elf_btf *out,
			  struct bk_diag *diag)
{
	struct src s = { .mem = data, .fd = -1, .size = size, .head = data };

	return find_btf(&s, out, diag);
}

int bk__elf_find_sections_fd(int fd, const uint8_t *head, size_t size, struct bk__elf_btf *out,
			     struct bk_diag *diag)
{
	struct src s = { .fd = fd, .size = size, .head = head };

	return find_btf(&s, out, diag);
}

int bk__elf_find_sections_ahead(const uint8_t *head, const uint8_t *win, uint64_t win_off,
				size_t win_len, struct bk__elf_btf *out, uint64_t *want_off,
				size_t *want_len)
{
	struct src s = { .fd = -1, .size = BK__SIZE_UNKNOWN, .head = head, .win = win,
			 .win_off = win_off, .win_len = win_len };
	int err = find_btf(&s, out, NULL);

	*want_off = s.want_off;
	*want_len = err == -EAGAIN ? s.want_len : 0;
	return err;
}

int bk__elf_find_btf(const uint8_t *data, size_t size, size_t *off, size_t *len, int *ptr_sz,
		     struct bk_diag *diag)
{
	struct bk__elf_btf eb;
	int err = bk__elf_find_sections(data, size, &eb, diag);

	if (err)
		return err;
	*off = eb.off;
	*len = eb.len;
	*ptr_sz = eb.ptr_sz;
	return 0;
}
