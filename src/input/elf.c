// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * ELF input: locate the .BTF section of vmlinux, a kernel module or a BPF
 * object with libelf (ELF32/ELF64, either byte order), in memory or through
 * a file descriptor, and the .BTF.base section (a distilled base, see
 * include/btfkit/distill.h) when the file has one. With a descriptor libelf reads only the ELF header,
 * the section header table and the section names (pread), and the caller
 * then reads just the .BTF bytes: mapping a whole module costs more in page
 * faults and TLB flushes than the four small reads. We check the section
 * header table and .BTF's bytes against the file size ourselves before
 * anything is handed to the raw parser. Section names match exactly, as
 * in libbpf; when a name occurs twice the first section is used.
 */

#include <gelf.h>
#include <libelf.h>

#include "internal.h"

/* Checks before libelf sees the file; ident holds min(size, 5) bytes. */
static int check_ident(const uint8_t *ident, size_t size, struct bk_diag *diag)
{
	bool e32 = size >= 5 && ident[4] == ELFCLASS32;
	size_t need = e32 ? sizeof(Elf32_Ehdr) : sizeof(Elf64_Ehdr);

	/* libelf treats a cut-short header as an ELF file without sections */
	if (size < need)
		return bk__diag(diag, -EINVAL, "truncated ELF header: %zu bytes, ELF%s needs %zu", size,
				e32 ? "32" : "64", need);
	if (elf_version(EV_CURRENT) == EV_NONE)
		return bk__diag(diag, -EINVAL, "libelf initialisation failed: %s", elf_errmsg(-1));
	return 0;
}

/* Check one BTF section's header; 0 when its bytes may be read. */
static int check_section(const GElf_Shdr *sh, const char *name, size_t size, struct bk_diag *diag)
{
	if (sh->sh_type == SHT_NOBITS)
		return bk__diag(diag, -EINVAL, "ELF section %s has no data (SHT_NOBITS)", name);
	if (!bk__fits(sh->sh_offset, sh->sh_size, size))
		return bk__diag(diag, -EINVAL,
				"ELF section %s (offset %llu, size %llu) runs past the end of the file (%zu bytes)",
				name, (unsigned long long)sh->sh_offset, (unsigned long long)sh->sh_size, size);
	if (sh->sh_flags & SHF_COMPRESSED)
		return bk__diag(diag, -EOPNOTSUPP,
				"ELF section %s is compressed (SHF_COMPRESSED), which is not supported", name);
	return 0;
}

/* Find .BTF and .BTF.base in elf (an image or file of size bytes); always ends elf. */
static int find_btf(Elf *elf, size_t size, struct bk__elf_btf *out, struct bk_diag *diag)
{
	size_t shstrndx, nsec;
	Elf_Scn *scn = NULL;
	bool found = false;
	GElf_Ehdr eh;
	int err = 0;
	int cls;

	memset(out, 0, sizeof(*out));
	if (!elf)
		return bk__diag(diag, -EINVAL, "not a valid ELF file: %s", elf_errmsg(-1));
	if (elf_kind(elf) != ELF_K_ELF) {
		err = bk__diag(diag, -EINVAL, "not a valid ELF file");
		goto out;
	}
	cls = gelf_getclass(elf);
	if (cls != ELFCLASS32 && cls != ELFCLASS64) {
		err = bk__diag(diag, -EINVAL, "ELF file of unknown class %d", cls);
		goto out;
	}
	if (!gelf_getehdr(elf, &eh) || elf_getshdrnum(elf, &nsec) ||
	    elf_getshdrstrndx(elf, &shstrndx)) {
		err = bk__diag(diag, -EINVAL, "ELF section headers are invalid or past the end of the file: %s",
			       elf_errmsg(-1));
		goto out;
	}
	/*
	 * libelf silently reports no sections when the table lies beyond the
	 * image; say so instead of "no .BTF section".
	 */
	if (eh.e_shoff && (eh.e_shentsize < (cls == ELFCLASS32 ? sizeof(Elf32_Shdr) : sizeof(Elf64_Shdr)) ||
			   eh.e_shoff > size ||
			   (nsec ? nsec : 1) > (size - eh.e_shoff) / eh.e_shentsize)) {
		err = bk__diag(diag, -EINVAL,
			       "ELF section headers (offset %llu, %zu of %u bytes) are invalid or past the end of the file (%zu bytes)",
			       (unsigned long long)eh.e_shoff, nsec ? nsec : 1, eh.e_shentsize, size);
		goto out;
	}
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		const char *name;
		bool is_base;

		if (!gelf_getshdr(scn, &sh)) {
			err = bk__diag(diag, -EINVAL, "ELF section header %zu is unreadable: %s",
				       elf_ndxscn(scn), elf_errmsg(-1));
			goto out;
		}
		name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (!name || (strcmp(name, ".BTF") && strcmp(name, ".BTF.base")))
			continue;
		is_base = name[4] != '\0';
		if (is_base ? out->has_base : found)
			continue;
		if ((err = check_section(&sh, name, size, diag)))
			goto out;
		if (is_base) {
			out->base_off = sh.sh_offset;
			out->base_len = sh.sh_size;
			out->has_base = true;
		} else {
			out->off = sh.sh_offset;
			out->len = sh.sh_size;
			found = true;
		}
	}
	if (!found && elf_errno()) {
		err = bk__diag(diag, -EINVAL, "ELF section headers are invalid or past the end of the file: %s",
			       elf_errmsg(-1));
		goto out;
	}
	if (!found)
		err = bk__diag(diag, -ENOENT, "ELF file has no .BTF section");
	out->ptr_sz = cls == ELFCLASS32 ? 4 : 8;
out:
	elf_end(elf);
	return err;
}

int bk__elf_find_sections(const uint8_t *data, size_t size, struct bk__elf_btf *out,
			  struct bk_diag *diag)
{
	int err = check_ident(data, size, diag);

	if (err)
		return err;
	/* libelf does not write through an ELF_C_READ descriptor. */
	return find_btf(elf_memory((char *)data, size), size, out, diag);
}

int bk__elf_find_sections_fd(int fd, const uint8_t *ident, size_t size, struct bk__elf_btf *out,
			     struct bk_diag *diag)
{
	int err = check_ident(ident, size, diag);

	if (err)
		return err;
	return find_btf(elf_begin(fd, ELF_C_READ, NULL), size, out, diag);
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
