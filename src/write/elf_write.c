// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * ELF section writing, in place on a file descriptor (bk_elf_set_sections_fd;
 * the atomic path-based call in elf_file.c works on a temporary copy).
 *
 * libelf reads the file (headers, section names) and translates the
 * headers we write to the file's class and byte order (gelf_xlatetof); the
 * bytes are written with pwrite. (libelf's own writer, elf_update on an
 * ELF_C_RDWR descriptor, zero-fills the bytes in front of every section it
 * writes and truncates whatever follows the last ELF structure, and in
 * elfutils 0.188 writes a grown section header table from its old, shorter
 * array: it cannot keep "every other byte unchanged".)
 *
 * The plan is made from the headers alone:
 *  1. The byte ranges in use are listed: the ELF header, the program header
 *     table, every section with file data that is not rewritten ("kept"),
 *     the segments (program headers' file ranges) and the section header
 *     table.
 *  2. A rewritten section keeps its offset when its new data overlaps
 *     nothing in use nor anything placed before it (a section that a
 *     program header loads always stays, and may not grow); else it goes to
 *     the end of the file (after every byte of the old file but an appended
 *     module signature), aligned to its sh_addralign. New sections always go
 *     to the end, with the next indexes. A new section's name is shared with
 *     an equal string (or string suffix) in the section name table, else
 *     appended to it (the table is then rewritten the same way). The
 *     section header table moves to the end only when it grows into used
 *     bytes.
 *  3. The new data is written, old extents no longer used are zeroed, the
 *     whole section header table and the ELF header are written (unchanged
 *     entries come out with the same bytes), and the file is cut after its
 *     last byte (which drops a module signature).
 * Invariants after success: section indexes unchanged (new ones appended),
 * kept sections byte-identical at the same offsets, every byte in no
 * section, header or table unchanged.
 */
#include <gelf.h>
#include <libelf.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "btfkit/elf.h"

#define SIG_MAGIC "~Module signature appended~\n"
#define SIG_MAGIC_LEN (sizeof(SIG_MAGIC) - 1)
/* struct module_signature: u8 algo, hash, id_type, signer_len, key_id_len, pad[3]; be32 sig_len */
#define SIG_INFO_LEN 12
/* Largest alignment a moved section may ask for (2 MiB, a huge page). */
#define MAX_ALIGN (1u << 21)

struct span { uint64_t start, end; };
struct spans { struct span *v; size_t n, cap; };

/* A section to write: the caller's request and where it goes. */
struct req {
	const struct bk_elf_section *sec;
	size_t idx;          /* section index (new ones: assigned in order) */
	bool exists;
	GElf_Shdr old;       /* the old header, when it exists */
	uint64_t off, size, align;
	uint32_t name_off;   /* new sections: offset of the name */
	bool in_segment;     /* a program header loads it: it stays in place */
};

struct plan {
	int fd;
	Elf *elf;
	int cls;
	unsigned data;       /* ELFDATA2LSB or ELFDATA2MSB */
	uint64_t end;        /* bytes of the old file kept (signature excluded) */
	size_t shnum, shstrndx;
	GElf_Shdr *sh;       /* all old section headers */
	struct spans kept;   /* in use and not rewritten, section header table excluded */
	struct spans segs;   /* program headers' file ranges */
	struct span table;   /* the old section header table */
	struct spans placed; /* new extents */
	struct spans freed;  /* old extents to zero */
	struct req *reqs;
	size_t nreq, nnew;
	struct req strtab;   /* the section name table, when it grows */
	char *strtab_buf;
	bool strtab_grows;
	uint64_t shoff;      /* new section header table offset */
	struct bk_diag *diag;
};

static int spans_add(struct spans *s, uint64_t start, uint64_t end)
{
	if (start >= end)
		return 0;
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 64;
		struct span *v = realloc(s->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = (struct span){ start, end };
	return 0;
}

static bool spans_hit(const struct spans *s, uint64_t start, uint64_t end)
{
	for (size_t i = 0; i < s->n; i++)
		if (start < s->v[i].end && s->v[i].start < end)
			return true;
	return false;
}

static int span_cmp(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* The parts of [0, end) that no span of a covers, in order; a is sorted in place. */
static int spans_complement(struct spans *a, uint64_t end, struct spans *out)
{
	uint64_t pos = 0;
	int err;

	qsort(a->v, a->n, sizeof(*a->v), span_cmp);
	for (size_t i = 0; i < a->n && pos < end; i++) {
		if (a->v[i].start > pos &&
		    (err = spans_add(out, pos, a->v[i].start < end ? a->v[i].start : end)))
			return err;
		if (a->v[i].end > pos)
			pos = a->v[i].end;
	}
	return pos < end ? spans_add(out, pos, end) : 0;
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return a > 1 ? (v + a - 1) / a * a : v;
}

/* pread or pwrite all len bytes at off; 0 or -errno (-EIO at end of file). */
static int io_all(int fd, void *buf, size_t len, uint64_t off, bool write)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t n = write ? pwrite(fd, p, len, (off_t)off) : pread(fd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		p += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

static int pwrite_all(int fd, const void *buf, size_t len, uint64_t off)
{
	return io_all(fd, (void *)buf, len, off, true);
}

static int pread_all(int fd, void *buf, size_t len, uint64_t off)
{
	return io_all(fd, buf, len, off, false);
}

static const char *sec_name(const struct plan *p, size_t i)
{
	const char *n = elf_strptr(p->elf, p->shstrndx, p->sh[i].sh_name);

	return n ? n : "(no name)";
}

/*
 * A module signature at the end of the file: its total length (signature,
 * info block, magic), 0 when there is none.
 */
static int signature_len(int fd, uint64_t size, uint64_t min, uint64_t *len, struct bk_diag *diag)
{
	uint8_t tail[SIG_INFO_LEN + SIG_MAGIC_LEN];
	uint32_t sig_len;
	int err;

	*len = 0;
	if (size < min + sizeof(tail))
		return 0;
	err = pread_all(fd, tail, sizeof(tail), size - sizeof(tail));
	if (err)
		return bk__diag(diag, err, "read failed: %s", strerror(-err));
	if (memcmp(tail + SIG_INFO_LEN, SIG_MAGIC, SIG_MAGIC_LEN))
		return 0;
	sig_len = (uint32_t)tail[8] << 24 | (uint32_t)tail[9] << 16 | (uint32_t)tail[10] << 8 | tail[11];
	if (sig_len > size - min - sizeof(tail))
		return bk__diag(diag, -EINVAL,
				"module signature of %u bytes is longer than the file (%llu bytes)", sig_len,
				(unsigned long long)size);
	*len = sig_len + sizeof(tail);
	return 0;
}

/* Open fd with libelf and read the headers every later step relies on. */
static int read_headers(struct plan *p, uint64_t fsize)
{
	size_t ehsize, shent, phnum;
	uint8_t ident[EI_NIDENT];
	uint64_t sig;
	GElf_Ehdr eh;
	int err;

	if (fsize < EI_NIDENT || (err = pread_all(p->fd, ident, EI_NIDENT, 0)) ||
	    memcmp(ident, ELFMAG, SELFMAG)) {
		if (fsize >= 6 && !memcmp(ident, "\xfd" "7zXZ", 5))
			return bk__diag(p->diag, -EINVAL, "not an ELF file (xz compressed: decompress it first)");
		return bk__diag(p->diag, -EINVAL, "not an ELF file");
	}
	p->cls = ident[EI_CLASS];
	p->data = ident[EI_DATA];
	if (p->data != ELFDATA2LSB && p->data != ELFDATA2MSB)
		return bk__diag(p->diag, -EINVAL, "ELF file of unknown byte order %u", p->data);
	if (p->cls != ELFCLASS32 && p->cls != ELFCLASS64)
		return bk__diag(p->diag, -EINVAL, "ELF file of unknown class %d", p->cls);
	ehsize = p->cls == ELFCLASS32 ? sizeof(Elf32_Ehdr) : sizeof(Elf64_Ehdr);
	shent = p->cls == ELFCLASS32 ? sizeof(Elf32_Shdr) : sizeof(Elf64_Shdr);
	if (fsize < ehsize)
		return bk__diag(p->diag, -EINVAL, "truncated ELF header: %llu bytes, ELF%s needs %zu",
				(unsigned long long)fsize, p->cls == ELFCLASS32 ? "32" : "64", ehsize);
	err = signature_len(p->fd, fsize, ehsize, &sig, p->diag);
	if (err)
		return err;
	p->end = fsize - sig;
	if (elf_version(EV_CURRENT) == EV_NONE)
		return bk__diag(p->diag, -EINVAL, "libelf initialisation failed: %s", elf_errmsg(-1));
	p->elf = elf_begin(p->fd, ELF_C_READ, NULL);
	if (!p->elf || elf_kind(p->elf) != ELF_K_ELF)
		return bk__diag(p->diag, -EINVAL, "not a valid ELF file: %s", elf_errmsg(-1));
	if (!gelf_getehdr(p->elf, &eh) || elf_getshdrnum(p->elf, &p->shnum) ||
	    elf_getshdrstrndx(p->elf, &p->shstrndx) || elf_getphdrnum(p->elf, &phnum))
		return bk__diag(p->diag, -EINVAL, "ELF headers are invalid: %s", elf_errmsg(-1));
	if (!eh.e_shoff || !p->shnum)
		return bk__diag(p->diag, -EINVAL, "ELF file has no section header table");
	if (eh.e_shentsize != shent || eh.e_shoff % (p->cls == ELFCLASS32 ? 4 : 8) ||
	    !bk__fits(eh.e_shoff, (uint64_t)p->shnum * shent, p->end))
		return bk__diag(p->diag, -EINVAL,
				"ELF section header table (offset %llu, %zu entries of %u bytes) is misaligned, of an unusual entry size, or past the end of the file (%llu bytes)",
				(unsigned long long)eh.e_shoff, p->shnum, eh.e_shentsize,
				(unsigned long long)p->end);
	if (phnum && (eh.e_phentsize != (p->cls == ELFCLASS32 ? sizeof(Elf32_Phdr) : sizeof(Elf64_Phdr)) ||
		      !bk__fits(eh.e_phoff, (uint64_t)phnum * eh.e_phentsize, p->end)))
		return bk__diag(p->diag, -EINVAL, "ELF program header table (offset %llu, %zu entries) is invalid or past the end of the file",
				(unsigned long long)eh.e_phoff, phnum);
	if (p->shstrndx == 0 || p->shstrndx >= p->shnum)
		return bk__diag(p->diag, -EINVAL, "ELF file has no section name table");
	p->table = (struct span){ eh.e_shoff, eh.e_shoff + (uint64_t)p->shnum * shent };
	p->shoff = eh.e_shoff;
	if ((err = spans_add(&p->kept, 0, ehsize)) ||
	    (phnum && (err = spans_add(&p->kept, eh.e_phoff, eh.e_phoff + (uint64_t)phnum * eh.e_phentsize))))
		return bk__diag(p->diag, err, "out of memory");
	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(p->elf, (int)i, &ph))
			return bk__diag(p->diag, -EINVAL, "ELF program header %zu is unreadable: %s", i,
					elf_errmsg(-1));
		if (!bk__fits(ph.p_offset, ph.p_filesz, p->end))
			return bk__diag(p->diag, -EINVAL,
					"ELF program header %zu (offset %llu, %llu bytes) runs past the end of the file",
					i, (unsigned long long)ph.p_offset, (unsigned long long)ph.p_filesz);
		if ((err = spans_add(&p->segs, ph.p_offset, ph.p_offset + ph.p_filesz)))
			return bk__diag(p->diag, err, "out of memory");
	}
	return 0;
}

/* Read every section header and check it against the file. */
static int read_sections(struct plan *p)
{
	p->sh = calloc(p->shnum, sizeof(*p->sh));
	if (!p->sh)
		return bk__diag(p->diag, -ENOMEM, "out of memory");
	for (size_t i = 0; i < p->shnum; i++) {
		Elf_Scn *scn = elf_getscn(p->elf, i);

		if (!scn || !gelf_getshdr(scn, &p->sh[i]))
			return bk__diag(p->diag, -EINVAL, "ELF section header %zu is unreadable: %s", i,
					elf_errmsg(-1));
	}
	if (p->sh[p->shstrndx].sh_type != SHT_STRTAB)
		return bk__diag(p->diag, -EINVAL, "ELF section name table (section %zu) is not a string table",
				p->shstrndx);
	if (p->sh[p->shstrndx].sh_flags & SHF_COMPRESSED)
		return bk__diag(p->diag, -EOPNOTSUPP, "ELF section name table (section %zu) is compressed",
				p->shstrndx);
	for (size_t i = 1; i < p->shnum; i++) {
		const GElf_Shdr *s = &p->sh[i];

		if (s->sh_type == SHT_NOBITS)
			continue;
		if (!bk__fits(s->sh_offset, s->sh_size, p->end))
			return bk__diag(p->diag, -EINVAL,
					"ELF section [%zu] %s (offset %llu, size %llu) runs past the end of the file (%llu bytes)",
					i, sec_name(p, i), (unsigned long long)s->sh_offset,
					(unsigned long long)s->sh_size, (unsigned long long)p->end);
	}
	return 0;
}

/* Why section i may not be replaced, or NULL. */
static const char *refusal(const struct plan *p, size_t i, const char **other)
{
	const GElf_Shdr *s = &p->sh[i];

	*other = NULL;
	if (i == p->shstrndx)
		return "is the section name table";
	switch (s->sh_type) {
	case SHT_NULL: return "is of type SHT_NULL";
	case SHT_NOBITS: return "has no data in the file (SHT_NOBITS)";
	case SHT_SYMTAB: case SHT_DYNSYM: return "is a symbol table";
	case SHT_REL: case SHT_RELA: return "holds relocations";
	case SHT_GROUP: return "is a section group";
	case SHT_SYMTAB_SHNDX: return "holds symbol section indexes";
	case SHT_DYNAMIC: return "is the dynamic section";
	case SHT_HASH: case SHT_GNU_HASH: return "is a symbol hash table";
	}
	for (size_t j = 1; j < p->shnum; j++) {
		*other = sec_name(p, j);
		if (p->sh[j].sh_link == i && p->sh[j].sh_type != SHT_NULL)
			return "is linked from section";
		if ((p->sh[j].sh_type == SHT_REL || p->sh[j].sh_type == SHT_RELA) && p->sh[j].sh_info == i)
			return "has relocations in section";
	}
	*other = NULL;
	return NULL;
}

/* Find the requested sections; check what may be replaced. */
static int match_requests(struct plan *p, const struct bk_elf_section *secs)
{
	for (size_t r = 0; r < p->nreq; r++) {
		struct req *q = &p->reqs[r];

		q->sec = &secs[r];
		q->size = secs[r].size;
		for (size_t i = 1; i < p->shnum; i++) {
			const char *n = elf_strptr(p->elf, p->shstrndx, p->sh[i].sh_name);

			if (!n || strcmp(n, secs[r].name))
				continue;
			if (q->exists)
				return bk__diag(p->diag, -EOPNOTSUPP,
						"ELF file has two sections named %s ([%zu] and [%zu])",
						secs[r].name, q->idx, i);
			q->exists = true;
			q->idx = i;
			q->old = p->sh[i];
		}
		if (!q->exists) {
			q->idx = p->shnum + p->nnew++;
			q->align = secs[r].align ? secs[r].align : 4;
			continue;
		}
		q->align = q->old.sh_addralign ? q->old.sh_addralign : 1;
	}
	return 0;
}

/* Check that the existing sections requested may be replaced. */
static int check_replaceable(struct plan *p)
{
	for (size_t r = 0; r < p->nreq; r++) {
		struct req *q = &p->reqs[r];
		const char *why, *other;

		if (!q->exists)
			continue;
		why = refusal(p, q->idx, &other);
		if (why)
			return bk__diag(p->diag, -EOPNOTSUPP, "cannot replace ELF section [%zu] %s: it %s%s%s",
					q->idx, q->sec->name, why, other ? " " : "", other ? other : "");
		q->in_segment = spans_hit(&p->segs, q->old.sh_offset,
					  q->old.sh_offset + (q->old.sh_size ? q->old.sh_size : 1));
		if (q->in_segment && q->size > q->old.sh_size)
			return bk__diag(p->diag, -EOPNOTSUPP,
					"cannot grow ELF section [%zu] %s from %llu to %zu bytes: a program header loads it",
					q->idx, q->sec->name, (unsigned long long)q->old.sh_size, q->size);
	}
	return 0;
}

/* Offsets of new names in the section name table (appended when absent). */
static int plan_names(struct plan *p)
{
	Elf_Data *d = elf_getdata(elf_getscn(p->elf, p->shstrndx), NULL);
	const char *old = d && d->d_buf ? d->d_buf : "";
	size_t old_len = d && d->d_buf ? d->d_size : 0, len = old_len;

	if (!p->nnew)
		return 0;
	if (!d && p->sh[p->shstrndx].sh_size)
		return bk__diag(p->diag, -EINVAL, "ELF section name table is unreadable: %s", elf_errmsg(-1));
	/*
	 * A name offset past the table would name a section after what we
	 * append; offset 0 must stay the empty name.
	 */
	for (size_t i = 1; i < p->shnum; i++)
		if (p->sh[i].sh_name >= old_len && (p->sh[i].sh_name || old_len))
			return bk__diag(p->diag, -EINVAL,
					"ELF section [%zu] has a name offset (%u) past the section name table (%zu bytes)",
					i, p->sh[i].sh_name, old_len);
	p->strtab_buf = malloc(old_len + 1);
	if (!p->strtab_buf)
		return bk__diag(p->diag, -ENOMEM, "out of memory");
	if (old_len)
		memcpy(p->strtab_buf, old, old_len);
	else
		p->strtab_buf[len++] = '\0';
	for (size_t r = 0; r < p->nreq; r++) {
		struct req *q = &p->reqs[r];
		size_t nl = strlen(q->sec->name) + 1;
		char *nb;

		if (q->exists)
			continue;
		/* an equal string, or a suffix of one, is shared */
		for (size_t at = 0; at + nl <= len; at++) {
			if (!memcmp(p->strtab_buf + at, q->sec->name, nl)) {
				q->name_off = (uint32_t)at;
				goto next;
			}
		}
		if (len + nl > UINT32_MAX)
			return bk__diag(p->diag, -E2BIG, "ELF section name table too large");
		nb = realloc(p->strtab_buf, len + nl);
		if (!nb)
			return bk__diag(p->diag, -ENOMEM, "out of memory");
		p->strtab_buf = nb;
		memcpy(nb + len, q->sec->name, nl);
		q->name_off = (uint32_t)len;
		len += nl;
next:;
	}
	if (len == old_len)
		return 0;
	p->strtab_grows = true;
	p->strtab = (struct req){ .idx = p->shstrndx, .exists = true, .old = p->sh[p->shstrndx],
				  .size = len };
	p->strtab.align = p->strtab.old.sh_addralign ? p->strtab.old.sh_addralign : 1;
	return 0;
}

/* Place one rewritten or new section. */
static int place(struct plan *p, struct req *q, uint64_t *end)
{
	uint64_t o = q->old.sh_offset;
	int err;

	if (q->exists && (!q->size || q->in_segment ||
			  (!spans_hit(&p->kept, o, o + q->size) && !spans_hit(&p->segs, o, o + q->size) &&
			   !spans_hit(&p->placed, o, o + q->size) &&
			   !(o < p->table.end && p->table.start < o + q->size)))) {
		q->off = o;
	} else {
		/* moved: its alignment must be one a file offset can honour */
		if ((q->align & (q->align - 1)) || q->align > MAX_ALIGN)
			return bk__diag(p->diag, -EINVAL,
					"cannot move ELF section %s: its alignment %llu is not a power of two up to %u",
					q->sec ? q->sec->name : sec_name(p, q->idx),
					(unsigned long long)q->align, MAX_ALIGN);
		q->off = align_up(*end, q->align);
		*end = q->off + q->size;
	}
	if (p->cls == ELFCLASS32 && q->off + q->size > UINT32_MAX)
		return bk__diag(p->diag, -E2BIG, "ELF32 file would grow past 4 GiB");
	if (q->exists && q->old.sh_type != SHT_NOBITS)
		err = spans_add(&p->freed, o, o + q->old.sh_size);
	else
		err = 0;
	if (!err)
		err = spans_add(&p->placed, q->off, q->off + q->size);
	return err ? bk__diag(p->diag, err, "out of memory") : 0;
}

static int plan_layout(struct plan *p)
{
	uint64_t end = p->end, tbl;
	size_t shent = p->cls == ELFCLASS32 ? sizeof(Elf32_Shdr) : sizeof(Elf64_Shdr);
	int err;

	for (size_t i = 1; i < p->shnum; i++) {
		bool rewritten = p->strtab_grows && i == p->shstrndx;

		for (size_t r = 0; r < p->nreq && !rewritten; r++)
			rewritten = p->reqs[r].exists && p->reqs[r].idx == i;
		if (!rewritten && p->sh[i].sh_type != SHT_NOBITS &&
		    (err = spans_add(&p->kept, p->sh[i].sh_offset, p->sh[i].sh_offset + p->sh[i].sh_size)))
			return bk__diag(p->diag, err, "out of memory");
	}
	for (size_t r = 0; r < p->nreq; r++)
		if ((err = place(p, &p->reqs[r], &end)))
			return err;
	if (p->strtab_grows && (err = place(p, &p->strtab, &end)))
		return err;
	tbl = (uint64_t)(p->shnum + p->nnew) * shent;
	if (p->nnew && (spans_hit(&p->kept, p->shoff, p->shoff + tbl) ||
			spans_hit(&p->segs, p->shoff, p->shoff + tbl) ||
			spans_hit(&p->placed, p->shoff, p->shoff + tbl))) {
		err = spans_add(&p->freed, p->table.start, p->table.end);
		if (err)
			return bk__diag(p->diag, err, "out of memory");
		p->shoff = align_up(end, p->cls == ELFCLASS32 ? 4 : 8);
	}
	if (p->cls == ELFCLASS32 && p->shoff + tbl > UINT32_MAX)
		return bk__diag(p->diag, -E2BIG, "ELF32 file would grow past 4 GiB");
	/* the headers are written again: no kept section may share their bytes */
	for (size_t i = 1; i < p->shnum; i++) {
		const GElf_Shdr *s = &p->sh[i];
		uint64_t ehsize = p->cls == ELFCLASS32 ? sizeof(Elf32_Ehdr) : sizeof(Elf64_Ehdr);
		bool rewritten = p->strtab_grows && i == p->shstrndx;

		for (size_t r = 0; r < p->nreq && !rewritten; r++)
			rewritten = p->reqs[r].exists && p->reqs[r].idx == i;
		if (rewritten || s->sh_type == SHT_NOBITS || !s->sh_size)
			continue;
		if (s->sh_offset < ehsize ||
		    (s->sh_offset < p->shoff + tbl && p->shoff < s->sh_offset + s->sh_size))
			return bk__diag(p->diag, -EINVAL, "ELF section [%zu] %s overlaps the %s", i,
					sec_name(p, i),
					s->sh_offset < ehsize ? "ELF header" : "section header table");
	}
	err = spans_add(&p->placed, p->shoff, p->shoff + tbl);
	return err ? bk__diag(p->diag, err, "out of memory") : 0;
}

/* The section header table as it is to be written, in file form. */
static int build_table(struct plan *p, void **out, size_t *len)
{
	size_t cnt = p->shnum + p->nnew;
	size_t ent = p->cls == ELFCLASS32 ? sizeof(Elf32_Shdr) : sizeof(Elf64_Shdr);
	GElf_Shdr *sh = calloc(cnt, sizeof(*sh));
	void *mem = calloc(cnt, ent), *file = malloc(cnt * ent);
	Elf_Data src = { .d_type = ELF_T_SHDR, .d_version = EV_CURRENT, .d_size = cnt * ent };
	Elf_Data dst = { .d_type = ELF_T_SHDR, .d_version = EV_CURRENT, .d_size = cnt * ent };
	int err = 0;

	if (!sh || !mem || !file) {
		err = bk__diag(p->diag, -ENOMEM, "out of memory");
		goto out;
	}
	memcpy(sh, p->sh, p->shnum * sizeof(*sh));
	for (size_t r = 0; r <= p->nreq; r++) {
		struct req *q = r < p->nreq ? &p->reqs[r] : p->strtab_grows ? &p->strtab : NULL;
		GElf_Shdr *s;

		if (!q)
			break;
		s = &sh[q->idx];
		if (!q->exists)
			*s = (GElf_Shdr){ .sh_name = q->name_off,
					  .sh_type = q->sec->type ? q->sec->type : SHT_PROGBITS,
					  .sh_flags = q->sec->flags, .sh_addralign = q->align };
		s->sh_flags &= ~(uint64_t)SHF_COMPRESSED;
		s->sh_offset = q->off;
		s->sh_size = q->size;
	}
	/* extended numbering: the count lives in section 0's sh_size */
	if (cnt >= SHN_LORESERVE || sh[0].sh_size)
		sh[0].sh_size = cnt >= SHN_LORESERVE ? cnt : 0;
	for (size_t i = 0; i < cnt; i++) {
		if (p->cls == ELFCLASS64) {
			((Elf64_Shdr *)mem)[i] = sh[i];
			continue;
		}
		((Elf32_Shdr *)mem)[i] = (Elf32_Shdr){
			.sh_name = sh[i].sh_name, .sh_type = sh[i].sh_type,
			.sh_flags = (Elf32_Word)sh[i].sh_flags, .sh_addr = (Elf32_Addr)sh[i].sh_addr,
			.sh_offset = (Elf32_Off)sh[i].sh_offset, .sh_size = (Elf32_Word)sh[i].sh_size,
			.sh_link = sh[i].sh_link, .sh_info = sh[i].sh_info,
			.sh_addralign = (Elf32_Word)sh[i].sh_addralign,
			.sh_entsize = (Elf32_Word)sh[i].sh_entsize };
	}
	src.d_buf = mem;
	dst.d_buf = file;
	if (!gelf_xlatetof(p->elf, &dst, &src, p->data)) {
		err = bk__diag(p->diag, -EINVAL, "libelf cannot translate the section headers: %s",
			       elf_errmsg(-1));
		goto out;
	}
	*out = file;
	*len = cnt * ent;
	file = NULL;
out:
	free(sh);
	free(mem);
	free(file);
	return err;
}

/* The ELF header with the new table's offset and count, in file form. */
static int build_ehdr(struct plan *p, uint8_t *out, size_t *len)
{
	size_t cnt = p->shnum + p->nnew;
	union { Elf32_Ehdr e32; Elf64_Ehdr e64; } mem;
	Elf_Data src = { .d_buf = &mem, .d_type = ELF_T_EHDR, .d_version = EV_CURRENT };
	Elf_Data dst = { .d_buf = out, .d_type = ELF_T_EHDR, .d_version = EV_CURRENT };
	GElf_Ehdr eh;

	if (!gelf_getehdr(p->elf, &eh))
		return bk__diag(p->diag, -EINVAL, "libelf: %s", elf_errmsg(-1));
	eh.e_shoff = p->shoff;
	eh.e_shnum = cnt >= SHN_LORESERVE ? 0 : (Elf64_Half)cnt;
	if (p->cls == ELFCLASS64) {
		mem.e64 = eh;
		src.d_size = dst.d_size = sizeof(Elf64_Ehdr);
	} else {
		memcpy(mem.e32.e_ident, eh.e_ident, EI_NIDENT);
		mem.e32.e_type = eh.e_type;
		mem.e32.e_machine = eh.e_machine;
		mem.e32.e_version = eh.e_version;
		mem.e32.e_entry = (Elf32_Addr)eh.e_entry;
		mem.e32.e_phoff = (Elf32_Off)eh.e_phoff;
		mem.e32.e_shoff = (Elf32_Off)eh.e_shoff;
		mem.e32.e_flags = eh.e_flags;
		mem.e32.e_ehsize = eh.e_ehsize;
		mem.e32.e_phentsize = eh.e_phentsize;
		mem.e32.e_phnum = eh.e_phnum;
		mem.e32.e_shentsize = eh.e_shentsize;
		mem.e32.e_shnum = eh.e_shnum;
		mem.e32.e_shstrndx = eh.e_shstrndx;
		src.d_size = dst.d_size = sizeof(Elf32_Ehdr);
	}
	if (!gelf_xlatetof(p->elf, &dst, &src, p->data))
		return bk__diag(p->diag, -EINVAL, "libelf cannot translate the ELF header: %s", elf_errmsg(-1));
	*len = dst.d_size;
	return 0;
}

/* Zero the old extents nothing uses any more. */
static int zero_freed(struct plan *p)
{
	static const uint8_t zeros[4096];
	struct spans used = { 0 }, free_bytes = { 0 };
	int err = 0;

	for (size_t i = 0; !err && i < p->kept.n; i++)
		err = spans_add(&used, p->kept.v[i].start, p->kept.v[i].end);
	for (size_t i = 0; !err && i < p->placed.n; i++)
		err = spans_add(&used, p->placed.v[i].start, p->placed.v[i].end);
	if (!err)
		err = spans_complement(&used, p->end, &free_bytes);
	for (size_t i = 0; !err && i < p->freed.n; i++) {
		for (size_t j = 0; !err && j < free_bytes.n; j++) {
			const struct span *a = &p->freed.v[i], *b = &free_bytes.v[j];
			uint64_t lo = a->start > b->start ? a->start : b->start;
			uint64_t hi = a->end < b->end ? a->end : b->end;

			for (; !err && lo < hi; lo += sizeof(zeros))
				err = pwrite_all(p->fd, zeros, hi - lo < sizeof(zeros) ? hi - lo : sizeof(zeros), lo);
		}
	}
	free(used.v);
	free(free_bytes.v);
	return err;
}

/* Carry the plan out; the file ends at its last written byte or old end. */
static int write_out(struct plan *p)
{
	uint8_t ehdr[sizeof(Elf64_Ehdr)];
	uint64_t end = p->end;
	void *table = NULL;
	size_t tlen = 0, elen = 0;
	int err;

	if ((err = build_table(p, &table, &tlen)) || (err = build_ehdr(p, ehdr, &elen)))
		goto out;
	for (size_t r = 0; r < p->nreq && !err; r++)
		err = pwrite_all(p->fd, p->reqs[r].sec->data, p->reqs[r].size, p->reqs[r].off);
	if (!err && p->strtab_grows)
		err = pwrite_all(p->fd, p->strtab_buf, p->strtab.size, p->strtab.off);
	if (!err)
		err = zero_freed(p);
	if (!err)
		err = pwrite_all(p->fd, table, tlen, p->shoff);
	if (!err)
		err = pwrite_all(p->fd, ehdr, elen, 0);
	for (size_t i = 0; i < p->placed.n; i++)
		if (p->placed.v[i].end > end)
			end = p->placed.v[i].end;
	/* an empty section placed at the end still lies within the file */
	for (size_t r = 0; r < p->nreq; r++)
		if (p->reqs[r].off > end)
			end = p->reqs[r].off;
	if (!err && ftruncate(p->fd, (off_t)end) < 0)
		err = -errno;
	if (err)
		bk__diag(p->diag, err, "write failed: %s", strerror(-err));
out:
	free(table);
	return err;
}

/* True when every requested section exists with the same bytes in the file. */
static bool unchanged(struct plan *p)
{
	bool same = !p->nnew;

	for (size_t r = 0; r < p->nreq && same; r++) {
		const struct req *q = &p->reqs[r];
		uint8_t *buf;

		if (q->size != q->old.sh_size || (q->old.sh_flags & SHF_COMPRESSED) ||
		    q->old.sh_type == SHT_NOBITS) /* (no bytes: refused later) */
			return false;
		buf = malloc(q->size ? q->size : 1);
		same = buf && !pread_all(p->fd, buf, q->size, q->old.sh_offset) &&
		       (!q->size || !memcmp(buf, q->sec->data, q->size));
		free(buf);
	}
	return same;
}

static int check_args(const struct bk_elf_section *secs, size_t n, struct bk_diag *diag)
{
	if (!secs || !n)
		return bk__diag(diag, -EINVAL, "no section to write");
	for (size_t i = 0; i < n; i++) {
		if (!secs[i].name || !secs[i].name[0])
			return bk__diag(diag, -EINVAL, "a section name is empty");
		if (secs[i].size && !secs[i].data)
			return bk__diag(diag, -EINVAL, "section %s: no data", secs[i].name);
		if (secs[i].align & (secs[i].align - 1))
			return bk__diag(diag, -EINVAL, "section %s: alignment %llu is not a power of two",
					secs[i].name, (unsigned long long)secs[i].align);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(secs[i].name, secs[j].name))
				return bk__diag(diag, -EINVAL, "section %s given twice", secs[i].name);
	}
	return 0;
}

int bk_elf_set_sections_fd(int fd, const struct bk_elf_section *secs, size_t n,
			   struct bk_elf_write_opts *opts)
{
	struct bk_elf_write_opts o = { .sz = sizeof(o) };
	bool has_out = bk__opts_has(opts, offsetof(struct bk_elf_write_opts, signature_removed) +
					  sizeof(bool));
	struct plan p = { .fd = fd, .nreq = n };
	struct bk_diag *diag;
	struct stat st;
	int err;

	if ((err = bk__opts_get(&o, sizeof(o), opts)))
		return err;
	p.diag = diag = o.diag;
	if (has_out)
		opts->signature_removed = false;
	if ((err = check_args(secs, n, diag)))
		return err;
	if (fstat(fd, &st) < 0)
		return bk__diag(diag, -errno, "cannot stat: %s", strerror(errno));
	if (!S_ISREG(st.st_mode))
		return bk__diag(diag, -EINVAL, "not a regular file");
	p.reqs = calloc(n, sizeof(*p.reqs));
	if (!p.reqs)
		return bk__diag(diag, -ENOMEM, "out of memory");
	err = read_headers(&p, (uint64_t)st.st_size);
	if (!err)
		err = read_sections(&p);
	if (!err)
		err = match_requests(&p, secs);
	if (!err && unchanged(&p))
		goto out;
	if (!err)
		err = check_replaceable(&p);
	if (!err)
		err = plan_names(&p);
	if (!err)
		err = plan_layout(&p);
	if (!err)
		err = write_out(&p);
	if (!err && has_out)
		opts->signature_removed = p.end < (uint64_t)st.st_size;
out:
	if (p.elf)
		elf_end(p.elf);
	free(p.kept.v);
	free(p.segs.v);
	free(p.placed.v);
	free(p.freed.v);
	free(p.reqs);
	free(p.sh);
	free(p.strtab_buf);
	return err;
}
