// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * ELF input: locate the .BTF section of vmlinux, a kernel module or a BPF
 * object with libelf (ELF32/ELF64, either byte order), in memory or through
 * a file descriptor. With a descriptor libelf reads only the ELF header,
 * the section header table and the section names (pread), and the caller
 * then reads just the .BTF bytes: mapping a whole module costs more in page
 * faults and TLB flushes than the four small reads. We check the section
 * header table and .BTF's bytes against the file size ourselves before
 * anything is handed to the raw parser.
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

/* Find .BTF in elf (an image or file of size bytes); always ends elf. */
static int find_btf(Elf *elf, size_t size, size_t *off, size_t *len, int *ptr_sz,
		    struct bk_diag *diag)
{
	size_t shstrndx, nsec;
	Elf_Scn *scn = NULL;
	GElf_Ehdr eh;
	int err = 0;
	int cls;

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

		if (!gelf_getshdr(scn, &sh)) {
			err = bk__diag(diag, -EINVAL, "ELF section header %zu is unreadable: %s",
				       elf_ndxscn(scn), elf_errmsg(-1));
			goto out;
		}
		name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (!name || strcmp(name, ".BTF") != 0)
			continue;
		if (sh.sh_type == SHT_NOBITS) {
			err = bk__diag(diag, -EINVAL, "ELF section .BTF has no data (SHT_NOBITS)");
			goto out;
		}
		if (!bk__fits(sh.sh_offset, sh.sh_size, size)) {
			err = bk__diag(diag, -EINVAL,
				       "ELF section .BTF (offset %llu, size %llu) runs past the end of the file (%zu bytes)",
				       (unsigned long long)sh.sh_offset, (unsigned long long)sh.sh_size, size);
			goto out;
		}
		if (sh.sh_flags & SHF_COMPRESSED) {
			err = bk__diag(diag, -EOPNOTSUPP, "ELF section .BTF is compressed (SHF_COMPRESSED), which is not supported");
			goto out;
		}
		*off = sh.sh_offset;
		*len = sh.sh_size;
		*ptr_sz = cls == ELFCLASS32 ? 4 : 8;
		goto out;
	}
	if (elf_errno()) {
		err = bk__diag(diag, -EINVAL, "ELF section headers are invalid or past the end of the file: %s",
			       elf_errmsg(-1));
		goto out;
	}
	err = bk__diag(diag, -ENOENT, "ELF file has no .BTF section");
out:
	elf_end(elf);
	return err;
}

int bk__elf_find_btf(const uint8_t *data, size_t size, size_t *off, size_t *len, int *ptr_sz,
		     struct bk_diag *diag)
{
	int err = check_ident(data, size, diag);

	if (err)
		return err;
	/* libelf does not write through an ELF_C_READ descriptor. */
	return find_btf(elf_memory((char *)data, size), size, off, len, ptr_sz, diag);
}

int bk__elf_find_btf_fd(int fd, const uint8_t *ident, size_t size, size_t *off, size_t *len,
			int *ptr_sz, struct bk_diag *diag)
{
	int err = check_ident(ident, size, diag);

	if (err)
		return err;
	return find_btf(elf_begin(fd, ELF_C_READ, NULL), size, off, len, ptr_sz, diag);
}
