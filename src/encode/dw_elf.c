// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The ELF side of the DWARF reader: find the debug sections with libelf,
 * inflate SHF_COMPRESSED ones (zlib, zstd), have the relocations of a
 * relocatable object (ET_REL: kernel modules, .o files) applied to the
 * sections that hold addresses or offsets into other sections (dw_rel.c:
 * all at once, or unit by unit as the units are read), collect the symbols
 * the encoder matches against (functions; objects of .data..percpu), and
 * index the units of .debug_info and .debug_types.
 *
 * Sections that need no change stay pointers into the image (a read-only
 * mapping of the file, so they cost memory only while their pages are
 * touched; dw_release drops them); changed ones are heap copies, or (units
 * relocated one by one) an anonymous mapping filled as units are held. Linked
 * files (ET_EXEC, ET_DYN) may carry relocation sections too (vmlinux is
 * linked with --emit-relocs): those are already applied and are ignored.
 */
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "dw.h"

#ifndef ELFCOMPRESS_ZSTD
#define ELFCOMPRESS_ZSTD 2
#endif


/* An inflated section may be at most this big, and at most this many times its input. */
#define MAX_INFLATED ((size_t)1 << 31)
#define MAX_RATIO 1100

static int inflate_sec(struct dw_file *f, unsigned id, const uint8_t *data, size_t size,
		       struct bk_diag *diag)
{
	size_t hdr = f->elf_class == 8 ? sizeof(Elf64_Chdr) : sizeof(Elf32_Chdr);
	struct dw_rd r = { data, data + size, f->swap, false };
	uint64_t type, out_len;
	uint8_t *out;

	if (size < hdr)
		return bk__diag(diag, -EINVAL, "compressed section %s is shorter than its header",
				bk__dw_sec_names[id]);
	type = rd_fixed(&r, 4);
	if (f->elf_class == 8)
		rd_fixed(&r, 4);
	out_len = rd_fixed(&r, f->elf_class);
	if (out_len > MAX_INFLATED || out_len / MAX_RATIO > size)
		return bk__diag(diag, -E2BIG, "compressed section %s claims %llu bytes, over the limit",
				bk__dw_sec_names[id], (unsigned long long)out_len);
	out = malloc(out_len ? out_len : 1);
	if (!out)
		return bk__diag(diag, -ENOMEM, "out of memory inflating %s", bk__dw_sec_names[id]);
	data += hdr;
	size -= hdr;
	if (type == ELFCOMPRESS_ZLIB) {
		uLongf n = out_len;

		if (uncompress(out, &n, data, size) != Z_OK || n != out_len)
			goto bad;
	} else if (type == ELFCOMPRESS_ZSTD) {
		size_t n = ZSTD_decompress(out, out_len, data, size);

		if (ZSTD_isError(n) || n != out_len)
			goto bad;
	} else {
		free(out);
		return bk__diag(diag, -EOPNOTSUPP, "section %s is compressed with unknown method %llu",
				bk__dw_sec_names[id], (unsigned long long)type);
	}
	bk__dw_release_image(f, data - hdr, size + hdr);
	f->owned[id] = out;
	f->sec[id].data = out;
	f->sec[id].size = out_len;
	return 0;
bad:
	free(out);
	return bk__diag(diag, -EINVAL, "compressed section %s does not inflate to its %llu bytes",
			bk__dw_sec_names[id], (unsigned long long)out_len);
}

/* Symbols: defined functions, and sized objects of .data..percpu. */
static int read_symbols(struct dw_file *f, Elf *elf, Elf_Scn *scn, struct bk_diag *diag)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	size_t n, nf = 0, np = 0;
	GElf_Shdr sh;

	if (!gelf_getshdr(scn, &sh) || !data || !sh.sh_entsize || (!data->d_buf && data->d_size))
		return 0; /* an unreadable table (or one with no bytes) is as good as none */
	n = data->d_size / sh.sh_entsize;
	f->funcs = calloc(n ? n : 1, sizeof(*f->funcs));
	f->percpu = calloc(n ? n : 1, sizeof(*f->percpu));
	if (!f->funcs || !f->percpu)
		return bk__diag(diag, -ENOMEM, "out of memory reading symbols");
	for (size_t i = 1; i < n; i++) {
		GElf_Sym s;
		const char *name;
		uint32_t shndx;

		if (!gelf_getsym(data, (int)i, &s))
			continue;
		shndx = s.st_shndx;
		if (shndx == SHN_UNDEF || (shndx >= SHN_LORESERVE && shndx != SHN_XINDEX))
			continue;
		if (shndx == SHN_XINDEX)
			continue; /* extended indices: not in any file we read */
		name = elf_strptr(elf, sh.sh_link, s.st_name);
		if (!name || !name[0]) {
			elf_errno();
			continue;
		}
		if (GELF_ST_TYPE(s.st_info) == STT_FUNC) {
			f->funcs[nf++] = (struct dw_sym){ name, s.st_value, s.st_size, shndx, (uint32_t)i };
		} else if (GELF_ST_TYPE(s.st_info) == STT_OBJECT && f->has_percpu &&
			   shndx == f->percpu_shndx && s.st_size) {
			/* as an offset in the section (ET_REL values are offsets already) */
			uint64_t off = s.st_value - (f->is_rel ? 0 : f->percpu_sh_addr);

			f->percpu[np++] = (struct dw_sym){ name, off, s.st_size, shndx, (uint32_t)i };
		}
	}
	f->nr_funcs = nf;
	f->nr_percpu = np;
	return 0;
}

/* Parse one unit header at off of section sec; 0 or -EINVAL. */
static int unit_header(const struct dw_file *f, unsigned sec, uint64_t off, struct dw_unit *u,
		       struct bk_diag *diag)
{
	const struct dw_sec *s = &f->sec[sec];
	struct dw_rd r = { s->data + off, s->data + s->size, f->swap, false };
	uint64_t len;

	memset(u, 0, sizeof(*u));
	u->off = off;
	u->sec = (uint8_t)sec;
	u->off_size = 4;
	len = rd_fixed(&r, 4);
	if (len == 0xffffffff) {
		u->off_size = 8;
		len = rd_fixed(&r, 8);
	} else if (len >= 0xfffffff0) {
		return bk__diag(diag, -EINVAL, "unit at %s+0x%llx: reserved unit length 0x%llx",
				bk__dw_sec_names[sec], (unsigned long long)off, (unsigned long long)len);
	}
	if (r.bad || len > (uint64_t)(r.end - r.p))
		return bk__diag(diag, -EINVAL, "unit at %s+0x%llx: length %llu runs past the section (%zu bytes)",
				bk__dw_sec_names[sec], (unsigned long long)off, (unsigned long long)len, s->size);
	u->end = (uint64_t)(r.p - s->data) + len;
	r.end = s->data + u->end;
	u->version = (uint16_t)rd_fixed(&r, 2);
	if (u->version < 2 || u->version > 5)
		return bk__diag(diag, -EINVAL, "unit at %s+0x%llx: DWARF version %u is not supported",
				bk__dw_sec_names[sec], (unsigned long long)off, u->version);
	u->type = sec == DS_TYPES ? 2 /* DW_UT_type */ : 1 /* DW_UT_compile */;
	if (u->version >= 5) {
		u->type = rd_u8(&r);
		u->addr_size = rd_u8(&r);
		u->abbrev_off = rd_fixed(&r, u->off_size);
	} else {
		u->abbrev_off = rd_fixed(&r, u->off_size);
		u->addr_size = rd_u8(&r);
	}
	switch (u->type) {
	case 1: /* DW_UT_compile */
	case 3: /* DW_UT_partial */
		break;
	case 4: /* DW_UT_skeleton */
	case 5: /* DW_UT_split_compile */
		rd_fixed(&r, 8); /* dwo_id */
		break;
	case 2: /* DW_UT_type */
	case 6: /* DW_UT_split_type */
		u->sig = rd_fixed(&r, 8);
		u->type_off = off + rd_fixed(&r, u->off_size);
		if (u->type_off >= u->end)
			return bk__diag(diag, -EINVAL, "type unit at %s+0x%llx: type offset outside the unit",
					bk__dw_sec_names[sec], (unsigned long long)off);
		break;
	default:
		return bk__diag(diag, -EINVAL, "unit at %s+0x%llx: unknown unit type 0x%x",
				bk__dw_sec_names[sec], (unsigned long long)off, u->type);
	}
	if (r.bad)
		return bk__diag(diag, -EINVAL, "unit at %s+0x%llx: truncated unit header",
				bk__dw_sec_names[sec], (unsigned long long)off);
	if (u->addr_size != 4 && u->addr_size != 8)
		return bk__diag(diag, -EINVAL, "unit at %s+0x%llx: address size %u is not supported",
				bk__dw_sec_names[sec], (unsigned long long)off, u->addr_size);
	u->die_off = (uint64_t)(r.p - s->data);
	return 0;
}

static int cmp_sig(const void *a, const void *b)
{
	const struct dw_sigent *x = a, *y = b;

	if (x->sig != y->sig)
		return x->sig < y->sig ? -1 : 1;
	return x->unit < y->unit ? -1 : x->unit > y->unit;
}

static int index_units(struct dw_file *f, struct bk_diag *diag)
{
	size_t cap = 64, nsig = 0;
	int err;

	f->units = malloc(cap * sizeof(*f->units));
	if (!f->units)
		return bk__diag(diag, -ENOMEM, "out of memory");
	for (unsigned sec = DS_INFO; sec <= DS_TYPES; sec++) {
		uint64_t released = 0;

		for (uint64_t off = 0; off < f->sec[sec].size;) {
			struct dw_unit u;

			/* each header read maps pages around it: let them go as we pass */
			if (off - released >= DW_RELEASE_CHUNK) {
				bk__dw_release(f, sec, released, off);
				released = off;
			}
			bk__dw_rel_header(f, sec, off);
			if ((err = unit_header(f, sec, off, &u, diag)))
				return err;
			if (f->nr_units == cap) {
				struct dw_unit *n = realloc(f->units, 2 * cap * sizeof(*n));

				if (!n)
					return bk__diag(diag, -ENOMEM, "out of memory");
				f->units = n;
				cap *= 2;
			}
			f->units[f->nr_units++] = u;
			nsig += u.type == 2 || u.type == 6;
			off = u.end;
		}
		bk__dw_release(f, sec, released, f->sec[sec].size);
	}
	f->sigs = malloc((nsig ? nsig : 1) * sizeof(*f->sigs));
	if (!f->sigs)
		return bk__diag(diag, -ENOMEM, "out of memory");
	for (size_t i = 0; i < f->nr_units; i++)
		if (f->units[i].type == 2 || f->units[i].type == 6)
			f->sigs[f->nr_sigs++] = (struct dw_sigent){ f->units[i].sig, (uint32_t)i };
	/* the first unit of a signature wins (ties sorted by unit index) */
	qsort(f->sigs, f->nr_sigs, sizeof(*f->sigs), cmp_sig);
	return bk__dw_rel_index(f, diag);
}

const struct dw_unit *bk__dw_unit_of(const struct dw_file *f, unsigned sec, uint64_t off)
{
	size_t lo = 0, hi = f->nr_units;

	/* units are sorted by (section, offset) */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct dw_unit *u = &f->units[mid];

		if (u->sec < sec || (u->sec == sec && u->end <= off))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < f->nr_units && f->units[lo].sec == sec && f->units[lo].die_off <= off &&
	    off < f->units[lo].end)
		return &f->units[lo];
	return NULL;
}

const struct dw_unit *bk__dw_unit_by_sig(const struct dw_file *f, uint64_t sig)
{
	size_t lo = 0, hi = f->nr_sigs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (f->sigs[mid].sig < sig)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < f->nr_sigs && f->sigs[lo].sig == sig ? &f->units[f->sigs[lo].unit] : NULL;
}

void bk__dw_release(const struct dw_file *f, unsigned sec, uint64_t off, uint64_t end)
{
	if (f->owned[sec] || end <= off || end > f->sec[sec].size)
		return;
	bk__dw_release_image(f, f->sec[sec].data + off, (size_t)(end - off));
}

/* ET_REL: give each allocated section an address range of its own (sec_addr). */
static int layout_sections(struct dw_file *f, Elf *elf, struct bk_diag *diag)
{
	Elf_Scn *scn = NULL;
	uint64_t addr = 0x1000;
	size_t n;

	if (elf_getshdrnum(elf, &n))
		return bk__diag(diag, -EINVAL, "ELF section headers are invalid: %s", elf_errmsg(-1));
	f->sec_addr = calloc(n ? n : 1, sizeof(*f->sec_addr));
	if (!f->sec_addr)
		return bk__diag(diag, -ENOMEM, "out of memory");
	f->nr_sec_addr = n;
	while ((scn = elf_nextscn(elf, scn))) {
		size_t i = elf_ndxscn(scn);
		uint64_t align;
		GElf_Shdr sh;

		if (!gelf_getshdr(scn, &sh) || !(sh.sh_flags & SHF_ALLOC) || i >= n)
			continue;
		align = sh.sh_addralign > 1 && sh.sh_addralign < ((uint64_t)1 << 32) ? sh.sh_addralign : 1;
		if (addr > UINT64_MAX / 4 || sh.sh_size > UINT64_MAX / 4)
			return bk__diag(diag, -EINVAL, "ELF section %zu is too large", i);
		addr = (addr + align - 1) / align * align;
		f->sec_addr[i] = addr;
		addr += sh.sh_size ? sh.sh_size : 1;
	}
	if (f->has_percpu && f->percpu_shndx < n)
		f->percpu_addr = f->sec_addr[f->percpu_shndx];
	return 0;
}

/* Cut a string section after its last NUL, so every string in it ends. */
static void cut_strings(struct dw_sec *s)
{
	while (s->size && s->data[s->size - 1])
		s->size--;
}

/* The sections: find, bounds-check, inflate; then relocate (ET_REL). */
static int read_sections(struct dw_file *f, Elf *elf, size_t shstrndx, size_t size,
			 struct bk_diag *diag)
{
	size_t idx[DS_NR] = { 0 };
	Elf_Scn *scn = NULL, *symtab = NULL, *dynsym = NULL;
	int err;

	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		const char *name;
		unsigned id;

		if (!gelf_getshdr(scn, &sh))
			return bk__diag(diag, -EINVAL, "ELF section header %zu is unreadable: %s",
					elf_ndxscn(scn), elf_errmsg(-1));
		name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (!name) {
			elf_errno(); /* an unnamed section is not one we read: forget the error */
			continue;
		}
		if (sh.sh_type == SHT_SYMTAB)
			symtab = scn;
		else if (sh.sh_type == SHT_DYNSYM)
			dynsym = scn;
		if (!strcmp(name, ".data..percpu")) {
			f->has_percpu = true;
			f->percpu_sh_addr = sh.sh_addr;
			f->percpu_shndx = (uint32_t)elf_ndxscn(scn);
			continue;
		}
		if (!strncmp(name, ".zdebug_", 8))
			return bk__diag(diag, -EOPNOTSUPP,
					"section %s is compressed the old .zdebug way, which is not supported", name);
		for (id = 0; id < DS_NR; id++)
			if (!strcmp(name, bk__dw_sec_names[id]))
				break;
		if (id == DS_NR || sh.sh_type == SHT_NOBITS)
			continue;
		if (!bk__fits(sh.sh_offset, sh.sh_size, size))
			return bk__diag(diag, -EINVAL, "ELF section %s (offset %llu, size %llu) runs past the end of the file (%zu bytes)",
					name, (unsigned long long)sh.sh_offset,
					(unsigned long long)sh.sh_size, size);
		idx[id] = elf_ndxscn(scn);
		if (sh.sh_flags & SHF_COMPRESSED) {
			if ((err = inflate_sec(f, id, f->image + sh.sh_offset, sh.sh_size, diag)))
				return err;
		} else {
			f->sec[id].data = f->image + sh.sh_offset;
			f->sec[id].size = sh.sh_size;
		}
	}
	if (elf_errno())
		return bk__diag(diag, -EINVAL, "ELF section headers are invalid: %s", elf_errmsg(-1));
	if (!f->sec[DS_INFO].data || !f->sec[DS_INFO].size)
		return bk__diag(diag, -ENOENT, "no DWARF: the file has no .debug_info section");
	if (f->is_rel) {
		unsigned nrel[DS_NR] = { 0 };

		if ((err = layout_sections(f, elf, diag)))
			return err;
		/* a section with one relocation section may be relocated unit by unit */
		for (unsigned pass = 0; pass < 2; pass++) {
			while ((scn = elf_nextscn(elf, scn))) {
				GElf_Shdr sh;

				if (!gelf_getshdr(scn, &sh) || (sh.sh_type != SHT_RELA && sh.sh_type != SHT_REL))
					continue;
				for (unsigned id = 0; id < DS_NR; id++) {
					if (!idx[id] || sh.sh_info != idx[id])
						continue;
					if (!pass)
						nrel[id]++;
					else if ((err = bk__dw_relocate(f, elf, scn, &sh, id, nrel[id] == 1, diag)))
						return err;
				}
			}
		}
	}
	if (!f->is_rel)
		f->percpu_addr = f->percpu_sh_addr;
	cut_strings(&f->sec[DS_STR]);
	cut_strings(&f->sec[DS_LINE_STR]);
	if (symtab || dynsym)
		return read_symbols(f, elf, symtab ? symtab : dynsym, diag);
	return 0;
}

int bk__dw_open(struct dw_file *f, const uint8_t *data, size_t size, void *map, size_t map_len,
		int fd, struct bk_diag *diag)
{
	size_t shstrndx, nsec;
	GElf_Ehdr eh;
	Elf *elf;
	int cls, err;

	memset(f, 0, sizeof(*f));
	f->image = data;
	f->size = size;
	f->map = map;
	f->map_len = map_len;
	f->fd = fd;
	if (size < 5 || memcmp(data, ELFMAG, SELFMAG))
		return bk__diag(diag, -EINVAL, "not an ELF file");
	if (size < (data[4] == ELFCLASS32 ? sizeof(Elf32_Ehdr) : sizeof(Elf64_Ehdr)))
		return bk__diag(diag, -EINVAL, "truncated ELF header");
	if (elf_version(EV_CURRENT) == EV_NONE)
		return bk__diag(diag, -EINVAL, "libelf initialisation failed: %s", elf_errmsg(-1));
	elf_errno(); /* a stale error of an earlier call must not count (it is per thread) */
	/* libelf does not write through an ELF_C_READ descriptor. */
	elf = elf_memory((char *)data, size);
	if (!elf)
		return bk__diag(diag, -EINVAL, "not a valid ELF file: %s", elf_errmsg(-1));
	f->elf = elf;
	cls = gelf_getclass(elf);
	if (elf_kind(elf) != ELF_K_ELF || (cls != ELFCLASS32 && cls != ELFCLASS64))
		return bk__diag(diag, -EINVAL, "not a valid ELF file");
	if (!gelf_getehdr(elf, &eh) || elf_getshdrnum(elf, &nsec) || elf_getshdrstrndx(elf, &shstrndx))
		return bk__diag(diag, -EINVAL, "ELF section headers are invalid: %s", elf_errmsg(-1));
	if (eh.e_shoff && (eh.e_shentsize < (cls == ELFCLASS32 ? sizeof(Elf32_Shdr) : sizeof(Elf64_Shdr)) ||
			   eh.e_shoff > size || (nsec ? nsec : 1) > (size - eh.e_shoff) / eh.e_shentsize))
		return bk__diag(diag, -EINVAL, "ELF section headers are past the end of the file");
	f->elf_class = cls == ELFCLASS32 ? 4 : 8;
	f->big_endian = eh.e_ident[EI_DATA] == ELFDATA2MSB;
	f->swap = f->big_endian != (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__);
	f->is_rel = eh.e_type == ET_REL;
	f->machine = eh.e_machine;
	if ((err = read_sections(f, elf, shstrndx, size, diag)))
		return err;
	return index_units(f, diag);
}

void bk__dw_close(struct dw_file *f)
{
	for (unsigned i = 0; i < DS_NR; i++)
		free(f->owned[i]);
	free(f->units);
	free(f->sigs);
	free(f->funcs);
	free(f->percpu);
	free(f->sec_addr);
	bk__dw_rel_free(f);
	if (f->elf)
		elf_end(f->elf);
	if (f->map)
		munmap(f->map, f->map_len);
	memset(f, 0, sizeof(*f));
}
