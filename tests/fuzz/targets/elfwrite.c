// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Fuzz target "elfwrite": ELF section writing (bk_elf_set_sections_fd). The
 * first byte picks what to write, the rest is an ELF image (its first four
 * bytes forced to the ELF magic). The image goes into a memory file, where
 * one or two sections are written: bits 0-1 pick the first name (.BTF,
 * .BTF.base, the name of an existing section chosen by bits 4-7, or a new
 * name), bits 2-3 its size (0, 3, 200 or 5000 bytes), bit 4 adds a second,
 * new section. Refusals must come with a message. On success:
 *  - the result reads back with libelf; the written sections hold the data;
 *  - every old section keeps its index, name, header fields and, when not
 *    written (the section name table aside), its offset, size and bytes;
 *  - writing the same sections again leaves the file byte-identical;
 *  - the BTF reader copes with the result (anything it parses is exercised).
 */
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../fuzz.h"
#include "btfkit/elf.h"

static int memfile(void)
{
	static int fd = -1;

	if (fd < 0) {
		fd = memfd_create("btfkit-fuzz-elfwrite", MFD_CLOEXEC);
		FZ_ASSERT(fd >= 0);
	}
	return fd;
}

static void put_file(int fd, const uint8_t *data, size_t size)
{
	FZ_ASSERT(ftruncate(fd, 0) == 0);
	for (size_t done = 0; done < size;) {
		ssize_t n = pwrite(fd, data + done, size - done, (off_t)done);

		FZ_ASSERT(n > 0);
		done += (size_t)n;
	}
}

static uint8_t *get_file(int fd, size_t *size)
{
	off_t end = lseek(fd, 0, SEEK_END);
	uint8_t *buf;

	FZ_ASSERT(end >= 0);
	buf = malloc((size_t)end + 1);
	FZ_ASSERT(buf);
	FZ_ASSERT(pread(fd, buf, (size_t)end, 0) == end);
	*size = (size_t)end;
	return buf;
}

/* The name of section idx % shnum of the image (static copy), or NULL. */
static const char *existing_name(const uint8_t *img, size_t size, unsigned idx)
{
	static char name[64];
	Elf *elf = elf_memory((char *)img, size);
	size_t shnum, shstrndx;
	const char *n = NULL;
	GElf_Shdr sh;

	if (elf && !elf_getshdrnum(elf, &shnum) && shnum && !elf_getshdrstrndx(elf, &shstrndx) &&
	    gelf_getshdr(elf_getscn(elf, idx % shnum), &sh))
		n = elf_strptr(elf, shstrndx, sh.sh_name);
	if (n && *n)
		snprintf(name, sizeof(name), "%s", n);
	elf_end(elf);
	return n && *n ? name : NULL;
}

static void check_result(const uint8_t *old, size_t old_size, const uint8_t *now, size_t now_size,
			 const struct bk_elf_section *secs, size_t n)
{
	Elf *a = elf_memory((char *)old, old_size), *b = elf_memory((char *)now, now_size);
	size_t an, bn, astr, bstr, nnew = 0;

	FZ_ASSERT(a && b);
	FZ_ASSERT(!elf_getshdrnum(a, &an) && !elf_getshdrnum(b, &bn));
	FZ_ASSERT(!elf_getshdrstrndx(a, &astr) && !elf_getshdrstrndx(b, &bstr) && astr == bstr);
	for (size_t k = 0; k < n; k++) {
		size_t found = 0, idx = 0;

		for (size_t i = 1; i < bn; i++) {
			GElf_Shdr sh;
			const char *nm;

			FZ_ASSERT(gelf_getshdr(elf_getscn(b, i), &sh));
			nm = elf_strptr(b, bstr, sh.sh_name);
			if (nm && !strcmp(nm, secs[k].name)) {
				found++;
				idx = i;
				FZ_ASSERT(sh.sh_size == secs[k].size);
				FZ_ASSERT(sh.sh_offset <= now_size && sh.sh_size <= now_size - sh.sh_offset);
				FZ_ASSERT(!secs[k].size || !memcmp(now + sh.sh_offset, secs[k].data, secs[k].size));
			}
		}
		FZ_ASSERT(found == 1);
		nnew += idx >= an;
	}
	FZ_ASSERT(bn == an + nnew);
	for (size_t i = 1; i < an; i++) {
		GElf_Shdr x, y;
		bool written = false;

		FZ_ASSERT(gelf_getshdr(elf_getscn(a, i), &x) && gelf_getshdr(elf_getscn(b, i), &y));
		FZ_ASSERT(x.sh_name == y.sh_name && x.sh_type == y.sh_type && x.sh_addr == y.sh_addr &&
			  x.sh_link == y.sh_link && x.sh_info == y.sh_info &&
			  x.sh_addralign == y.sh_addralign && x.sh_entsize == y.sh_entsize);
		for (size_t k = 0; k < n; k++) {
			const char *nm = elf_strptr(a, astr, x.sh_name);

			written |= nm && !strcmp(nm, secs[k].name);
		}
		if (written || i == astr)
			continue;
		FZ_ASSERT(x.sh_flags == y.sh_flags && x.sh_offset == y.sh_offset && x.sh_size == y.sh_size);
		if (x.sh_type != SHT_NOBITS && x.sh_size)
			FZ_ASSERT(!memcmp(old + x.sh_offset, now + y.sh_offset, x.sh_size));
	}
	elf_end(a);
	elf_end(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t sizes[4] = { 0, 3, 200, 5000 };
	static uint8_t payload[5000], payload2[40];
	struct bk_diag diag = { 0 };
	struct bk_elf_write_opts o = { .sz = sizeof(o), .diag = &diag };
	struct bk_elf_section secs[2];
	uint8_t *img, *now, *again;
	size_t n = 1, now_size, again_size;
	unsigned ctl;
	int fd = memfile(), err;

	if (size < 5)
		return 0;
	ctl = data[0];
	size--;
	img = malloc(size);
	FZ_ASSERT(img);
	memcpy(img, data + 1, size);
	memcpy(img, "\177ELF", 4);
	for (size_t i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)(i * 7 + ctl);
	memset(payload2, 0x5a, sizeof(payload2));
	elf_version(EV_CURRENT);

	secs[0] = (struct bk_elf_section){ .data = payload, .size = sizes[(ctl >> 2) & 3] };
	switch (ctl & 3) {
	case 0: secs[0].name = ".BTF"; break;
	case 1: secs[0].name = ".BTF.base"; break;
	case 2: secs[0].name = existing_name(img, size, ctl >> 4); break;
	default: secs[0].name = ".fuzz.new"; break;
	}
	if (!secs[0].name)
		secs[0].name = ".BTF";
	if (ctl & 0x10 && strcmp(secs[0].name, ".fuzz.second")) {
		secs[1] = (struct bk_elf_section){ .name = ".fuzz.second", .data = payload2,
						   .size = sizeof(payload2), .align = 8 };
		n = 2;
	}

	put_file(fd, img, size);
	err = bk_elf_set_sections_fd(fd, secs, n, &o);
	if (err) {
		FZ_ASSERT(err < 0 && diag.err == err && diag.msg[0]);
		free(img);
		return 0;
	}
	now = get_file(fd, &now_size);
	check_result(img, size, now, now_size, secs, n);

	/* again: nothing to change */
	err = bk_elf_set_sections_fd(fd, secs, n, &o);
	FZ_ASSERT(err == 0 && !o.signature_removed);
	again = get_file(fd, &again_size);
	FZ_ASSERT(again_size == now_size && !memcmp(again, now, now_size));

	{
		struct bk_open_opts oo = { .sz = sizeof(oo), .diag = &diag };
		struct bk_btf *btf = bk_btf_from_mem(now, now_size, &oo);

		if (btf) {
			fz_queries(btf);
			bk_btf_free(btf);
		}
	}
	free(again);
	free(now);
	free(img);
	return 0;
}
