// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * elf_check ORIG NEW NAME=DATAFILE...: checks that NEW is ORIG with the
 * sections NAME written with the bytes of DATAFILE (as btfkit embed and
 * bk_elf_set_sections write them), and nothing else changed:
 *  - NEW has ORIG's sections at the same indexes (plus the new ones after
 *    them), each with the same name, type, flags, address, link, info,
 *    alignment and entry size; the program headers are the same;
 *  - every section not written has the same offset, size and bytes (the
 *    section name table may move and grow, its old bytes a prefix of the
 *    new ones);
 *  - each written section holds exactly DATAFILE's bytes;
 *  - every byte of ORIG (an appended module signature excluded) that
 *    differs in NEW lies in the ELF header, the old or new section header
 *    table, or an old or new extent of a written section or of the name
 *    table; NEW's bytes past ORIG's end lie in new extents or the table.
 * Prints nothing and exits 0 when all holds; else one line per problem on
 * stderr and exit 1 (2 for bad usage or unreadable files).
 */
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct file {
	const char *path;
	uint8_t *data;
	size_t size;
	Elf *elf;
	size_t shnum, shstrndx, phnum;
	GElf_Ehdr eh;
};

struct range { uint64_t start, end; };

static int problems;

__attribute__((format(printf, 1, 2))) static void problem(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "elf_check: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	problems++;
}

static int load(struct file *f, const char *path)
{
	struct stat st;
	int fd = open(path, O_RDONLY);

	f->path = path;
	if (fd < 0 || fstat(fd, &st) < 0) {
		perror(path);
		return -1;
	}
	f->size = (size_t)st.st_size;
	f->data = malloc(f->size + 1);
	if (!f->data || read(fd, f->data, f->size) != (ssize_t)f->size) {
		perror(path);
		close(fd);
		return -1;
	}
	close(fd);
	f->elf = elf_memory((char *)f->data, f->size);
	if (!f->elf || !gelf_getehdr(f->elf, &f->eh) || elf_getshdrnum(f->elf, &f->shnum) ||
	    elf_getshdrstrndx(f->elf, &f->shstrndx) || elf_getphdrnum(f->elf, &f->phnum)) {
		fprintf(stderr, "%s: not a readable ELF file: %s\n", path, elf_errmsg(-1));
		return -1;
	}
	return 0;
}

static void shdr(struct file *f, size_t i, GElf_Shdr *sh)
{
	memset(sh, 0, sizeof(*sh));
	gelf_getshdr(elf_getscn(f->elf, i), sh);
}

static const char *name(struct file *f, size_t i)
{
	GElf_Shdr sh;
	const char *n;

	shdr(f, i, &sh);
	n = elf_strptr(f->elf, f->shstrndx, sh.sh_name);
	return n ? n : "";
}

static bool in(const struct range *r, size_t n, uint64_t off)
{
	for (size_t i = 0; i < n; i++)
		if (off >= r[i].start && off < r[i].end)
			return true;
	return false;
}

int main(int argc, char **argv)
{
	struct file o = { 0 }, w = { 0 };
	struct range *allowed;
	size_t nallowed = 0, olen, nwritten = (size_t)argc - 3, nnew = 0;
	const char **names;
	size_t *widx;

	if (argc < 4) {
		fprintf(stderr, "usage: elf_check ORIG NEW NAME=DATAFILE...\n");
		return 2;
	}
	elf_version(EV_CURRENT);
	if (load(&o, argv[1]) || load(&w, argv[2]))
		return 2;
	names = calloc(nwritten, sizeof(*names));
	widx = calloc(nwritten, sizeof(*widx));
	allowed = calloc(2 * (nwritten + o.shnum) + 8, sizeof(*allowed));
	if (!names || !widx || !allowed)
		return 2;
	olen = o.size;
	if (olen > 40 && !memcmp(o.data + olen - 28, "~Module signature appended~\n", 28)) {
		const uint8_t *i = o.data + olen - 40;

		olen -= 40 + ((size_t)i[8] << 24 | (size_t)i[9] << 16 | (size_t)i[10] << 8 | i[11]);
	}

	/* headers and tables may change */
	allowed[nallowed++] = (struct range){ 0, gelf_fsize(o.elf, ELF_T_EHDR, 1, EV_CURRENT) };
	allowed[nallowed++] = (struct range){ o.eh.e_shoff, o.eh.e_shoff + o.shnum * o.eh.e_shentsize };
	allowed[nallowed++] = (struct range){ w.eh.e_shoff, w.eh.e_shoff + w.shnum * w.eh.e_shentsize };
	for (size_t k = 0; k < nwritten; k++) {
		char *eq = strchr(argv[3 + k], '=');
		FILE *df;
		uint8_t *want;
		long len;
		GElf_Shdr sh;
		bool found = false;

		if (!eq) {
			fprintf(stderr, "elf_check: expected NAME=DATAFILE, got %s\n", argv[3 + k]);
			return 2;
		}
		*eq = '\0';
		names[k] = argv[3 + k];
		for (size_t i = 1; i < w.shnum; i++)
			if (!strcmp(name(&w, i), names[k])) {
				if (found)
					problem("%s: two sections of that name in the new file", names[k]);
				found = true;
				widx[k] = i;
			}
		if (!found) {
			problem("%s: no such section in the new file", names[k]);
			continue;
		}
		if (widx[k] >= o.shnum)
			nnew++;
		df = fopen(eq + 1, "rb");
		if (!df || fseek(df, 0, SEEK_END) || (len = ftell(df)) < 0 || fseek(df, 0, SEEK_SET)) {
			perror(eq + 1);
			return 2;
		}
		want = malloc((size_t)len + 1);
		if (!want || fread(want, 1, (size_t)len, df) != (size_t)len)
			return 2;
		fclose(df);
		shdr(&w, widx[k], &sh);
		if (sh.sh_size != (uint64_t)len || sh.sh_offset + sh.sh_size > w.size ||
		    memcmp(w.data + sh.sh_offset, want, (size_t)len))
			problem("%s: the new section does not hold the data (%llu bytes, expected %ld)", names[k],
				(unsigned long long)sh.sh_size, len);
		allowed[nallowed++] = (struct range){ sh.sh_offset, sh.sh_offset + sh.sh_size };
		if (widx[k] < o.shnum) {
			shdr(&o, widx[k], &sh);
			allowed[nallowed++] = (struct range){ sh.sh_offset, sh.sh_offset + sh.sh_size };
		}
		free(want);
	}
	if (w.shnum != o.shnum + nnew)
		problem("%zu sections, expected %zu", w.shnum, o.shnum + nnew);
	if (w.phnum != o.phnum)
		problem("%zu program headers, expected %zu", w.phnum, o.phnum);
	for (size_t i = 0; i < o.phnum && i < w.phnum; i++) {
		GElf_Phdr a, b;

		gelf_getphdr(o.elf, (int)i, &a);
		gelf_getphdr(w.elf, (int)i, &b);
		if (memcmp(&a, &b, sizeof(a)))
			problem("program header %zu differs", i);
	}
	for (size_t i = 1; i < o.shnum && i < w.shnum; i++) {
		GElf_Shdr a, b;
		bool written = false;

		for (size_t k = 0; k < nwritten; k++)
			written |= widx[k] == i;
		shdr(&o, i, &a);
		shdr(&w, i, &b);
		if (strcmp(name(&o, i), name(&w, i)))
			problem("section [%zu] %s: name changed", i, name(&o, i));
		if (a.sh_type != b.sh_type || (a.sh_flags & ~(uint64_t)SHF_COMPRESSED) != b.sh_flags ||
		    a.sh_addr != b.sh_addr || a.sh_link != b.sh_link || a.sh_info != b.sh_info ||
		    a.sh_addralign != b.sh_addralign || a.sh_entsize != b.sh_entsize)
			problem("section [%zu] %s: header fields changed", i, name(&o, i));
		if (written)
			continue;
		if (i == o.shstrndx && (a.sh_offset != b.sh_offset || a.sh_size != b.sh_size)) {
			if (b.sh_size < a.sh_size || memcmp(o.data + a.sh_offset, w.data + b.sh_offset, a.sh_size))
				problem("the old section names are not a prefix of the new");
			allowed[nallowed++] = (struct range){ a.sh_offset, a.sh_offset + a.sh_size };
			allowed[nallowed++] = (struct range){ b.sh_offset, b.sh_offset + b.sh_size };
			continue;
		}
		if (a.sh_offset != b.sh_offset || a.sh_size != b.sh_size)
			problem("section [%zu] %s: moved or resized", i, name(&o, i));
	}
	/* every byte that differs is in an allowed range */
	for (size_t off = 0; off < olen && off < w.size; off++) {
		if (o.data[off] != w.data[off] && !in(allowed, nallowed, off)) {
			problem("byte %zu changed outside the written sections and headers", off);
			break;
		}
	}
	if (w.size < olen)
		problem("the new file is shorter (%zu bytes) than the old one's ELF contents (%zu)", w.size, olen);
	for (size_t off = olen; off < w.size; off++) {
		/* a kept module signature (nothing changed), or a new extent */
		if (!in(allowed, nallowed, off) && w.data[off] && (off >= o.size || w.data[off] != o.data[off])) {
			problem("byte %zu past the old end is in no new extent", off);
			break;
		}
	}
	elf_end(o.elf);
	elf_end(w.elf);
	free(o.data);
	free(w.data);
	free(names);
	free(widx);
	free(allowed);
	return problems ? 1 : 0;
}
