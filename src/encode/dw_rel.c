// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Relocations of a relocatable object's debug sections (ET_REL: kernel
 * modules, .o files). In such a file every offset into another section
 * (a string of .debug_str, a unit's abbreviation table, a location list)
 * and every address is zero or an addend until its relocation is applied.
 *
 * Small sections (.debug_loclists, .debug_str_offsets, ...) become a heap
 * copy with every relocation applied, at open. The units' sections
 * (.debug_info, .debug_types) are relocated *unit by unit*, when a reader
 * holds the unit, into an anonymous mapping the size of the section, and
 * the unit's pages go back to the kernel when the last holder drops it (the
 * encoder drops a unit once it is emitted): a module's encode then keeps
 * resident only the units being read, not a copy of the whole section
 * (12 MB of xfs.ko's 43 MB peak, held through the dedups). That needs the
 * section's relocations sorted by offset (as linkers write them), so that a
 * unit's are one run of entries; and a single relocation section for it.
 * Otherwise the section is relocated whole at open, as the small ones.
 *
 * At open every relocation is checked (type known, field inside the
 * section, symbol in the table): the errors are the same either way, and a
 * unit relocated later cannot fail. Every MARK_STRIDE-th relocation's offset
 * is noted then, so a unit's run is found reading one stride. Unit headers
 * are relocated on their own while the units are indexed (dw_elf.c), then
 * dropped too. With the file open (bk_btf_encode), relocation entries and
 * a unit's bytes are read with pread rather than through the mapping.
 *
 * Threads: holding and dropping take a lock; a held unit's bytes do not
 * change (a unit is relocated only by its first holder, and only its
 * relocations that lie wholly inside it are applied), so they are read
 * without one. Pages shared by two units (a unit's first and last) are not
 * dropped: a unit relocated again rewrites exactly its own bytes.
 */
#include <gelf.h>
#include <libelf.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dw.h"

/*
 * What a relocation type does in a debug section: op 0 ignore, 'S' store
 * S + A, '+' add S + A to the field, '-' subtract it; width in bytes.
 */
struct rtype { uint16_t machine; uint16_t type; char op; uint8_t width; };
static const struct rtype rtypes[] = {
	{ EM_X86_64, 0, 0, 0 }, { EM_X86_64, 1, 'S', 8 }, { EM_X86_64, 10, 'S', 4 },
	{ EM_X86_64, 11, 'S', 4 },
	{ EM_386, 0, 0, 0 }, { EM_386, 1, 'S', 4 },
	{ EM_AARCH64, 0, 0, 0 }, { EM_AARCH64, 256, 0, 0 }, { EM_AARCH64, 257, 'S', 8 },
	{ EM_AARCH64, 258, 'S', 4 },
	{ EM_ARM, 0, 0, 0 }, { EM_ARM, 2, 'S', 4 },
	{ EM_S390, 0, 0, 0 }, { EM_S390, 4, 'S', 4 }, { EM_S390, 22, 'S', 8 },
	{ EM_PPC, 0, 0, 0 }, { EM_PPC, 1, 'S', 4 },
	{ EM_PPC64, 0, 0, 0 }, { EM_PPC64, 1, 'S', 4 }, { EM_PPC64, 38, 'S', 8 },
	{ EM_RISCV, 0, 0, 0 }, { EM_RISCV, 1, 'S', 4 }, { EM_RISCV, 2, 'S', 8 },
	{ EM_RISCV, 33, '+', 1 }, { EM_RISCV, 34, '+', 2 }, { EM_RISCV, 35, '+', 4 },
	{ EM_RISCV, 36, '+', 8 }, { EM_RISCV, 37, '-', 1 }, { EM_RISCV, 38, '-', 2 },
	{ EM_RISCV, 39, '-', 4 }, { EM_RISCV, 40, '-', 8 }, { EM_RISCV, 54, 'S', 1 },
	{ EM_RISCV, 55, 'S', 2 }, { EM_RISCV, 56, 'S', 4 }, { EM_RISCV, 51, 0, 0 },
	{ EM_LOONGARCH, 0, 0, 0 }, { EM_LOONGARCH, 1, 'S', 4 }, { EM_LOONGARCH, 2, 'S', 8 },
	{ EM_BPF, 0, 0, 0 }, { EM_BPF, 2, 'S', 8 }, { EM_BPF, 3, 'S', 4 }, { EM_BPF, 4, 'S', 4 },
};

static const struct rtype *find_rtype(uint16_t machine, uint32_t type)
{
	for (size_t i = 0; i < sizeof(rtypes) / sizeof(rtypes[0]); i++)
		if (rtypes[i].machine == machine && rtypes[i].type == type)
			return &rtypes[i];
	return NULL;
}

static void put_fixed(uint8_t *p, unsigned n, uint64_t v, bool big)
{
	for (unsigned i = 0; i < n; i++)
		p[big ? n - 1 - i : i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_fixed(const uint8_t *p, unsigned n, bool big)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)p[big ? n - 1 - i : i] << (8 * i);
	return v;
}

/* Relocations read between two releases of the pages they were read from. */
#define RELOC_CHUNK 16384

/* One relocation section applied to one debug section. */
struct rsec {
	unsigned id;          /* the debug section */
	Elf_Data *rdata;
	size_t n, entsize;
	bool rela;
	bool direct;          /* ELF64 RELA in the host's layout: read in place */
	uint64_t *svals;      /* each symbol's value, as laid out; UINT64_MAX: unreadable */
	size_t nsyms;
	uint8_t *copy;        /* lazy: the anonymous mapping (the section's data) */
	size_t copy_len;
	const uint8_t *src;   /* lazy: the section's bytes in the image */
	uint64_t *marks;      /* lazy: the offset of every MARK_STRIDE-th relocation */
	/*
	 * With the file open, ELF64 RELA entries are read with pread into buf
	 * (entries [buf_i, buf_i + buf_n)), and a lazy section's bytes into its
	 * copy: mapping the pages of the file and dropping them again costs
	 * more than copying (20 ms a pass over xfs.ko's 17 MB of relocations,
	 * against 4).
	 */
	uint64_t rel_foff;    /* file offset of the entries; UINT64_MAX: read the image */
	Elf64_Rela *buf;
	size_t buf_i, buf_n;
};

/* A sparse index of the relocations' offsets: one in this many is noted. */
#define MARK_STRIDE 512

struct dw_rel {
	struct rsec lazy[2];  /* DS_INFO, DS_TYPES (copy NULL: not lazy) */
	struct dw_uhold { size_t r0, r1; uint32_t refs; } *units; /* per unit */
	pthread_mutex_t lock;
};

/* Relocation i of rs into *r; the caller reads on up to end (a hint). */
static bool read_rel(const struct dw_file *f, struct rsec *rs, size_t i, size_t end, GElf_Rela *r)
{
	if (rs->direct) {
		const Elf64_Rela *e = (const Elf64_Rela *)rs->rdata->d_buf + i;

		if (rs->rel_foff != UINT64_MAX) {
			if (i - rs->buf_i >= rs->buf_n) {
				size_t n = end > i ? end - i : 1;

				n = n < RELOC_CHUNK ? n : RELOC_CHUNK;
				n = n < rs->n - i ? n : rs->n - i;
				/* (a failed read falls back to the mapping, whose bytes they are) */
				if (pread(f->fd, rs->buf, n * sizeof(*e), (off_t)(rs->rel_foff + i * sizeof(*e))) !=
				    (ssize_t)(n * sizeof(*e)))
					n = 0;
				rs->buf_i = i;
				rs->buf_n = n;
			}
			if (i - rs->buf_i < rs->buf_n)
				e = rs->buf + (i - rs->buf_i);
		}

		r->r_offset = e->r_offset;
		r->r_info = e->r_info;
		r->r_addend = e->r_addend;
	} else if (rs->rela) {
		if (!gelf_getrela(rs->rdata, (int)i, r))
			return false;
	} else {
		GElf_Rel rl;

		if (!gelf_getrel(rs->rdata, (int)i, &rl))
			return false;
		r->r_offset = rl.r_offset;
		r->r_info = rl.r_info;
		r->r_addend = 0;
	}
	return true;
}

/*
 * Relocations [i0, i1) of rs: checked, and applied to sec (NULL: only
 * checked) when they lie inside [lo, hi). *sorted is cleared when an
 * offset is below the one before.
 */
static int walk(const struct dw_file *f, struct rsec *rs, size_t i0, size_t i1, uint8_t *sec,
		uint64_t lo, uint64_t hi, bool *sorted, struct bk_diag *diag)
{
	const char *name = bk__dw_sec_names[rs->id];
	bool mapped = rs->rel_foff == UINT64_MAX;
	const struct rtype *rt = NULL;
	uint64_t prev = 0;

	for (size_t i = i0; i < i1; i++) {
		uint64_t s = 0, a, v;
		uint32_t type;
		GElf_Rela r;
		size_t symi;

		/* read once, in order: let the pages passed go as we go */
		if (mapped && i > i0 && !((i - i0) % RELOC_CHUNK))
			bk__dw_release_image(f, (const uint8_t *)rs->rdata->d_buf + (i - RELOC_CHUNK) * rs->entsize,
					     RELOC_CHUNK * rs->entsize);
		if (!read_rel(f, rs, i, i1, &r))
			return bk__diag(diag, -EINVAL, "relocation %zu for %s is unreadable", i, name);
		if (r.r_offset < prev)
			*sorted = false;
		prev = r.r_offset;
		if (!sec && rs->marks && !(i % MARK_STRIDE))
			rs->marks[i / MARK_STRIDE] = r.r_offset;
		type = (uint32_t)(f->elf_class == 8 ? GELF_R_TYPE(r.r_info) : ELF32_R_TYPE(r.r_info));
		if (!rt || rt->type != type)
			rt = find_rtype(f->machine, type);
		if (!rt)
			return bk__diag(diag, -EOPNOTSUPP, "relocation type %u (machine %u) in %s is not supported",
					type, f->machine, name);
		if (!rt->op)
			continue;
		if (!bk__fits(r.r_offset, rt->width, f->sec[rs->id].size))
			return bk__diag(diag, -EINVAL, "relocation %zu for %s points past the section (offset 0x%llx)",
					i, name, (unsigned long long)r.r_offset);
		symi = f->elf_class == 8 ? GELF_R_SYM(r.r_info) : ELF32_R_SYM(r.r_info);
		if (symi) {
			if (symi >= rs->nsyms || rs->svals[symi] == UINT64_MAX)
				return bk__diag(diag, -EINVAL, "relocation %zu for %s names symbol %zu, not in the symbol table",
						i, name, symi);
			s = rs->svals[symi];
		}
		if (!sec || r.r_offset < lo || r.r_offset + rt->width > hi)
			continue;
		a = rs->rela ? (uint64_t)r.r_addend : get_fixed(sec + r.r_offset, rt->width, f->big_endian);
		v = s + a;
		if (rt->op == '+')
			v = get_fixed(sec + r.r_offset, rt->width, f->big_endian) + v;
		else if (rt->op == '-')
			v = get_fixed(sec + r.r_offset, rt->width, f->big_endian) - v;
		put_fixed(sec + r.r_offset, rt->width, v, f->big_endian);
	}
	if (mapped && i1 > i0)
		bk__dw_release_image(f, (const uint8_t *)rs->rdata->d_buf + i0 * rs->entsize,
				     (i1 - i0) * rs->entsize);
	return 0;
}

int bk__dw_relocate(struct dw_file *f, Elf *elf, Elf_Scn *rscn, const GElf_Shdr *rsh, unsigned id,
		    bool lazy, struct bk_diag *diag)
{
	Elf_Scn *symscn = elf_getscn(elf, rsh->sh_link);
	Elf_Data *symdata;
	struct rsec rs = { .id = id };
	bool sorted = true;
	GElf_Shdr symsh;
	int err;

	rs.rdata = elf_getdata(rscn, NULL);
	rs.rela = rsh->sh_type == SHT_RELA;
	/* libelf hands out the host's layout: ELF64 RELA entries are read in place */
	rs.direct = rs.rela && f->elf_class == 8 && rsh->sh_entsize == sizeof(Elf64_Rela);
	if (!rs.rdata || !rsh->sh_entsize)
		return bk__diag(diag, -EINVAL, "relocations for %s are unreadable", bk__dw_sec_names[id]);
	/* (an SHT_NOBITS "symbol table" has a size but no bytes: libelf's d_buf is NULL) */
	if (!symscn || !gelf_getshdr(symscn, &symsh) || !(symdata = elf_getdata(symscn, NULL)) ||
	    !symsh.sh_entsize || (!symdata->d_buf && symdata->d_size))
		return bk__diag(diag, -EINVAL, "relocations for %s have no symbol table", bk__dw_sec_names[id]);
	rs.entsize = rsh->sh_entsize;
	rs.n = rs.rdata->d_size / rs.entsize;
	rs.rel_foff = UINT64_MAX;
	if (rs.direct && f->fd >= 0 &&
	    (uintptr_t)rs.rdata->d_buf == (uintptr_t)f->image + rsh->sh_offset) {
		rs.buf = malloc(RELOC_CHUNK * sizeof(*rs.buf));
		if (rs.buf)
			rs.rel_foff = rsh->sh_offset;
	}
	rs.nsyms = symdata->d_size / symsh.sh_entsize;
	rs.svals = malloc((rs.nsyms ? rs.nsyms : 1) * sizeof(*rs.svals));
	if (!rs.svals) {
		err = bk__diag(diag, -ENOMEM, "out of memory relocating %s", bk__dw_sec_names[id]);
		goto out;
	}
	for (size_t i = 0; i < rs.nsyms; i++) {
		GElf_Sym sym;

		rs.svals[i] = UINT64_MAX;
		if (gelf_getsym(symdata, (int)i, &sym))
			rs.svals[i] = sym.st_value + (sym.st_shndx < f->nr_sec_addr ? f->sec_addr[sym.st_shndx] : 0);
	}
	lazy = lazy && (id == DS_INFO || id == DS_TYPES) && !f->owned[id] && f->sec[id].size;
	if (lazy) {
		/* check them all; relocate unit by unit if they are in offset order */
		rs.marks = malloc((rs.n / MARK_STRIDE + 1) * sizeof(*rs.marks));
		if (!rs.marks) {
			err = bk__diag(diag, -ENOMEM, "out of memory relocating %s", bk__dw_sec_names[id]);
			goto out;
		}
		if ((err = walk(f, &rs, 0, rs.n, NULL, 0, 0, &sorted, diag)))
			goto out;
		if (sorted && (f->rel || (f->rel = calloc(1, sizeof(*f->rel))))) {
			void *m = mmap(NULL, f->sec[id].size, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

			if (m != MAP_FAILED) {
				rs.copy = m;
				rs.copy_len = f->sec[id].size;
				rs.src = f->sec[id].data;
				f->sec[id].data = m;
				f->rel->lazy[id == DS_TYPES] = rs;
				return 0;
			}
		}
	}
	if ((err = bk__dw_own_sec(f, id))) {
		bk__diag(diag, err, "out of memory relocating %s", bk__dw_sec_names[id]);
		goto out;
	}
	free(rs.marks);
	rs.marks = NULL;
	err = walk(f, &rs, 0, rs.n, f->owned[id], 0, f->sec[id].size, &sorted, diag);
out:
	free(rs.marks);
	free(rs.svals);
	free(rs.buf);
	return err;
}

/*
 * The first relocation of rs at or after offset off: the marks bound it to
 * one stride, read in order (and its pages let go).
 */
static size_t first_at(const struct dw_file *f, struct rsec *rs, uint64_t off)
{
	size_t lo = 0, hi = (rs->n + MARK_STRIDE - 1) / MARK_STRIDE, i, end;

	/* lo: the number of marks below off */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (rs->marks[mid] < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return 0;
	i = (lo - 1) * MARK_STRIDE + 1;
	end = lo * MARK_STRIDE < rs->n ? lo * MARK_STRIDE : rs->n;
	for (; i < end; i++) {
		GElf_Rela r;

		if (!read_rel(f, rs, i, end, &r) || r.r_offset >= off)
			break;
	}
	if (rs->rel_foff == UINT64_MAX)
		bk__dw_release_image(f, (const uint8_t *)rs->rdata->d_buf + (lo - 1) * MARK_STRIDE * rs->entsize,
			     (end - (lo - 1) * MARK_STRIDE) * rs->entsize);
	return i;
}

static struct rsec *lazy_of(const struct dw_file *f, unsigned sec)
{
	struct rsec *rs;

	if (!f->rel || (sec != DS_INFO && sec != DS_TYPES))
		return NULL;
	rs = &f->rel->lazy[sec == DS_TYPES];
	return rs->copy ? rs : NULL;
}

/* Copy bytes [lo, hi) of a lazy section from the file and relocate them. */
static void fill(const struct dw_file *f, struct rsec *rs, uint64_t lo, uint64_t hi, size_t r0,
		 size_t r1)
{
	bool sorted = true;

	if (f->fd < 0 || pread(f->fd, rs->copy + lo, (size_t)(hi - lo), (off_t)(rs->src - f->image + lo)) !=
			 (ssize_t)(hi - lo)) {
		memcpy(rs->copy + lo, rs->src + lo, (size_t)(hi - lo));
		bk__dw_release_image(f, rs->src + lo, (size_t)(hi - lo));
	}
	/* checked at open: cannot fail */
	walk(f, rs, r0, r1, rs->copy, lo, hi, &sorted, NULL);
}

void bk__dw_rel_header(const struct dw_file *f, unsigned sec, uint64_t off)
{
	struct rsec *rs = lazy_of(f, sec);
	uint64_t hi;

	if (!rs)
		return;
	/* a unit header is at most 40 bytes */
	hi = off + 64 < rs->copy_len ? off + 64 : rs->copy_len;
	fill(f, rs, off, hi, first_at(f, rs, off), first_at(f, rs, hi));
}

int bk__dw_rel_index(struct dw_file *f, struct bk_diag *diag)
{
	struct dw_rel *rel = f->rel;

	if (!rel)
		return 0;
	for (unsigned k = 0; k < 2; k++)
		if (rel->lazy[k].copy)
			bk__dw_drop_pages(rel->lazy[k].copy, rel->lazy[k].copy_len); /* the headers */
	rel->units = calloc(f->nr_units ? f->nr_units : 1, sizeof(*rel->units));
	if (!rel->units || pthread_mutex_init(&rel->lock, NULL)) {
		free(rel->units);
		rel->units = NULL;
		return bk__diag(diag, -ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < f->nr_units; i++) {
		const struct dw_unit *u = &f->units[i];
		struct rsec *rs = lazy_of(f, u->sec);

		if (rs) {
			rel->units[i].r0 = first_at(f, rs, u->off);
			rel->units[i].r1 = first_at(f, rs, u->end);
		}
	}
	/* read through the mapping: what it mapped around the reads (64 KiB around a fault) */
	for (unsigned k = 0; k < 2; k++) {
		const struct rsec *rs = &rel->lazy[k];

		if (rs->copy && f->fd < 0)
			bk__dw_release_image(f, rs->src, rs->copy_len);
		if (rs->copy && rs->rel_foff == UINT64_MAX)
			bk__dw_release_image(f, rs->rdata->d_buf, rs->n * rs->entsize);
	}
	return 0;
}

int bk__dw_hold(const struct dw_file *f, const struct dw_unit *u, struct dw_holds *h)
{
	size_t ui = (size_t)(u - f->units);
	struct dw_uhold *uh;
	struct rsec *rs = lazy_of(f, u->sec);

	if (!rs || (h->bits && h->bits[ui / 8] & (1u << (ui % 8))))
		return 0;
	if (!h->bits && !(h->bits = calloc(f->nr_units / 8 + 1, 1)))
		return -ENOMEM;
	if (h->n == h->cap) {
		size_t cap = h->cap ? 2 * h->cap : 16;
		uint32_t *n = realloc(h->list, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		h->list = n;
		h->cap = cap;
	}
	h->list[h->n++] = (uint32_t)ui;
	h->bits[ui / 8] |= (uint8_t)(1u << (ui % 8));
	uh = &f->rel->units[ui];
	pthread_mutex_lock(&f->rel->lock);
	if (!uh->refs++)
		fill(f, rs, u->off, u->end, uh->r0, uh->r1);
	pthread_mutex_unlock(&f->rel->lock);
	return 0;
}

void bk__dw_drop(const struct dw_file *f, struct dw_holds *h)
{
	for (size_t i = 0; i < h->n; i++) {
		uint32_t ui = h->list[i];
		const struct dw_unit *u = &f->units[ui];
		struct rsec *rs = lazy_of(f, u->sec);

		h->bits[ui / 8] &= (uint8_t)~(1u << (ui % 8));
		pthread_mutex_lock(&f->rel->lock);
		if (!--f->rel->units[ui].refs)
			bk__dw_drop_pages(rs->copy + u->off, (size_t)(u->end - u->off));
		pthread_mutex_unlock(&f->rel->lock);
	}
	h->n = 0;
}

void bk__dw_holds_free(struct dw_holds *h)
{
	free(h->list);
	free(h->bits);
	memset(h, 0, sizeof(*h));
}

void bk__dw_rel_free(struct dw_file *f)
{
	struct dw_rel *rel = f->rel;

	if (!rel)
		return;
	for (unsigned k = 0; k < 2; k++) {
		if (rel->lazy[k].copy)
			munmap(rel->lazy[k].copy, rel->lazy[k].copy_len);
		free(rel->lazy[k].svals);
		free(rel->lazy[k].marks);
		free(rel->lazy[k].buf);
	}
	if (rel->units)
		pthread_mutex_destroy(&rel->lock);
	free(rel->units);
	free(rel);
	f->rel = NULL;
}
