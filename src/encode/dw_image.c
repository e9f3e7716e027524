// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The file's image as the DWARF reader's two ELF files use it (dw_elf.c,
 * dw_rel.c): the debug sections' names, dropping the mapped pages of bytes
 * read, and turning a section into a heap copy that may be changed.
 */
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dw.h"

const char *const bk__dw_sec_names[DS_NR] = {
	[DS_INFO] = ".debug_info", [DS_TYPES] = ".debug_types", [DS_ABBREV] = ".debug_abbrev",
	[DS_STR] = ".debug_str", [DS_LINE_STR] = ".debug_line_str",
	[DS_STR_OFFSETS] = ".debug_str_offsets", [DS_ADDR] = ".debug_addr",
	[DS_LOC] = ".debug_loc", [DS_LOCLISTS] = ".debug_loclists",
};

/* Give back the whole pages inside [p, p + len) (those at its ends may hold other bytes). */
void bk__dw_drop_pages(const void *p, size_t len)
{
	uintptr_t pg = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t a = ((uintptr_t)p + pg - 1) & ~(pg - 1), b = ((uintptr_t)p + len) & ~(pg - 1);

	if (b > a)
		madvise((void *)a, b - a, MADV_DONTNEED);
}

/* Drop the pages of image bytes [p, p + len) we mapped (whole pages inside only). */
void bk__dw_release_image(const struct dw_file *f, const void *p, size_t len)
{
	if (!f->map || (const uint8_t *)p < f->image || len > f->size ||
	    (const uint8_t *)p - f->image > (ptrdiff_t)(f->size - len))
		return;
	bk__dw_drop_pages(p, len);
}

/* Make section id a heap copy we may change. */
int bk__dw_own_sec(struct dw_file *f, unsigned id)
{
	uint8_t *copy;

	if (f->owned[id])
		return 0;
	copy = malloc(f->sec[id].size ? f->sec[id].size : 1);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, f->sec[id].data, f->sec[id].size);
	bk__dw_release_image(f, f->sec[id].data, f->sec[id].size);
	f->owned[id] = copy;
	f->sec[id].data = copy;
	return 0;
}
