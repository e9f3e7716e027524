/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * btfkit ELF output: write or replace named sections of an ELF file (a
 * kernel module, vmlinux, a BPF or any other object), ELF32 or ELF64 of
 * either byte order, through libelf.
 *
 * What is kept: every other section's header, data and index (so symbols,
 * relocations, groups and sh_link/sh_info references stay valid), the
 * program headers, and every byte of the file that need not change. What
 * changes: the written sections' data and headers, the section name table
 * when a new name must be added, the section header table when it grows,
 * and the ELF header's e_shoff/e_shnum. Placement:
 *  - a replaced section keeps its offset when its new data fits there
 *    (within its old extent or free bytes after it); otherwise it, and every
 *    new section, goes after the end of the file, aligned to its
 *    sh_addralign. Bytes of an old extent no longer used are zeroed;
 *  - new sections take the next indexes and their names are appended to
 *    the section name table (a name already there is shared);
 *  - the section header table moves to the end only when it grows into
 *    used bytes.
 * A kernel module signature appended to the file ("~Module signature
 * appended~") cannot match the changed file: it is removed, and
 * bk_elf_write_opts.signature_removed says so (re-sign the module with the
 * kernel's scripts/sign-file).
 *
 * Refused (-EOPNOTSUPP, the file unchanged): replacing the section name
 * table, a symbol table, relocations, groups, dynamic or hash sections, a
 * section without file data (SHT_NOBITS), a section other sections link to
 * (sh_link) or that relocations apply to; growing a section that a program
 * header loads (vmlinux's .BTF may only be replaced by data that fits in its
 * old place); two sections of the requested name. -EINVAL: not an ELF file
 * (compressed modules must be decompressed first), or one whose headers or
 * sections lie outside the file.
 */
#ifndef BTFKIT_ELF_H
#define BTFKIT_ELF_H

#include "btfkit/btf.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One section to write. */
struct bk_elf_section {
	const char *name;  /* e.g. ".BTF", ".BTF.base" */
	const void *data;  /* new contents; may be NULL when size is 0 */
	size_t size;
	/* For a section that does not exist yet (ignored when replacing): */
	uint32_t type;     /* sh_type; 0 means SHT_PROGBITS */
	uint64_t flags;    /* sh_flags */
	uint64_t align;    /* sh_addralign; 0 means 4 */
};

struct bk_elf_write_opts {
	size_t sz;               /* sizeof(struct bk_elf_write_opts) */
	struct bk_diag *diag;    /* optional: the reason on failure */
	bool signature_removed;  /* out: a module signature was removed */
};

/*
 * Write the n sections (distinct names) into the ELF file at path,
 * atomically: the result is built in a temporary file in the same
 * directory, synced, and renamed over path (a symlink is followed: the file
 * it names is replaced). The new file keeps the old one's mode and owner;
 * on any error, and when interrupted, path is left as it was. Hard links to
 * the old file keep the old contents. Returns 0 or -errno (see above;
 * -EPERM when the owner cannot be kept).
 */
BK_API int bk_elf_set_sections(const char *path, const struct bk_elf_section *secs, size_t n,
			       struct bk_elf_write_opts *opts);
/*
 * The same on the ELF file open for reading and writing on fd, changed in
 * place (not atomic: after an error the file may be partly written).
 */
BK_API int bk_elf_set_sections_fd(int fd, const struct bk_elf_section *secs, size_t n,
				  struct bk_elf_write_opts *opts);

/*
 * Serialize btf (its own types and strings, as bk_btf_serialize does) in
 * the byte order of the ELF file at path, and write it as section (NULL
 * means ".BTF") with bk_elf_set_sections.
 */
BK_API int bk_btf_embed(const struct bk_btf *btf, const char *path, const char *section,
			struct bk_elf_write_opts *opts);

#ifdef __cplusplus
}
#endif
#endif /* BTFKIT_ELF_H */
