// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * ELF input: locate the .BTF section of vmlinux, a kernel module or a BPF
 * object with libelf (ELF32/ELF64, either byte order). libelf validates the
 * section header table against the image size; we additionally check that
 * .BTF's bytes lie inside the image before handing them to the raw parser.
 */
#include <gelf.h>
#include <libelf.h>

#include "internal.h"

int bk__elf_find_btf(const uint8_t *data, size_t size, size_t *off, size_t *len, int *ptr_sz,
		     struct bk_diag *diag)
{
	size_t shstrndx, nsec;
	Elf_Scn *scn = NULL;
	GElf_Ehdr eh;
	Elf *elf;
	int err = 0;
	int cls;

	/* libelf treats a cut-short header as an ELF file without sections */
	if (size < 5 || size < (data[4] == ELFCLASS32 ? sizeof(Elf32_Ehdr) : sizeof(Elf64_Ehdr)))
		return bk__diag(diag, -EINVAL, "truncated ELF header: %zu bytes, ELF%s needs %zu", size,
				size >= 5 && data[4] == ELFCLASS32 ? "32" : "64",
				size >= 5 && data[4] == ELFCLASS32 ? sizeof(Elf32_Ehdr) : sizeof(Elf64_Ehdr));
	if (elf_version(EV_CURRENT) == EV_NONE)
		return bk__diag(diag, -EINVAL, "libelf initialisation failed: %s", elf_errmsg(-1));
	/* libelf does not write through an ELF_C_READ descriptor. */
	elf = elf_memory((char *)data, size);
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
			   !bk__fits(eh.e_shoff, (uint64_t)(nsec ? nsec : 1) * eh.e_shentsize, size))) {
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
