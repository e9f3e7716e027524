// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * ELF section writing (src/write/elf_write.c, elf_file.c): replacing .BTF
 * with bigger and smaller data and adding a new section in ELF32/ELF64 of
 * both byte orders, BTF written in the file's byte order, every other byte
 * kept, a module signature dropped, an unchanged write leaving the file as
 * it was, refusals leaving the file untouched, mode/owner/symlink kept,
 * extended section numbering.
 */
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "blob.h"
#include "btfkit/elf.h"
#include "btfkit/write.h"
#include "test.h"

static uint8_t *slurp(const char *path, size_t *len)
{
	struct stat st;
	uint8_t *buf;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st) < 0)
		return NULL;
	buf = malloc((size_t)st.st_size + 1);
	if (buf && read(fd, buf, (size_t)st.st_size) != st.st_size) {
		free(buf);
		buf = NULL;
	}
	close(fd);
	*len = (size_t)st.st_size;
	return buf;
}

static void spill(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0 || write(fd, data, len) != (ssize_t)len)
		abort();
	close(fd);
}

/* A BTF of n named INTs (bigger as n grows). */
static struct bk_btf *ints(int n)
{
	struct bk_btf *b = bk_btf_new_empty(NULL);
	char name[32];

	for (int i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "int_%d", i);
		bk_btf_add_int(b, name, 4, BK_INT_SIGNED);
	}
	return b;
}

/* Offset and size of section name in the ELF file at path; -1 when absent. */
static int section_at(const char *path, const char *name, uint64_t *off, uint64_t *size)
{
	int fd = open(path, O_RDONLY), found = -1;
	size_t shstrndx;
	Elf_Scn *scn = NULL;
	Elf *elf;

	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (elf && !elf_getshdrstrndx(elf, &shstrndx)) {
		while ((scn = elf_nextscn(elf, scn))) {
			GElf_Shdr sh;
			const char *n;

			if (!gelf_getshdr(scn, &sh))
				continue;
			n = elf_strptr(elf, shstrndx, sh.sh_name);
			if (n && !strcmp(n, name)) {
				*off = sh.sh_offset;
				*size = sh.sh_size;
				found = (int)elf_ndxscn(scn);
			}
		}
	}
	elf_end(elf);
	close(fd);
	return found;
}

static const char *tmp_path(const char *what)
{
	static char path[2][128];
	static int k;

	k ^= 1;
	snprintf(path[k], sizeof(path[k]), "/tmp/btfkit-elfw-%d-%s", (int)getpid(), what);
	return path[k];
}

/* Replace .BTF (bigger, then smaller) and add .BTF.base in one ELF variant. */
static void check_variant(bool e32, bool be)
{
	struct bt_blob b;
	struct bt_raw_opts ro = { .swap = be != (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__) };
	struct bt_elf_opts eo = { .elf32 = e32, .big_endian = be };
	struct bk_diag d = { 0 };
	struct bk_elf_write_opts wo = { .sz = sizeof(wo), .diag = &d };
	const char *path = tmp_path("variant");
	struct bk_btf *big = ints(200), *small = ints(1), *back;
	size_t n, en, len0, len1;
	uint8_t *raw, *elf, *before, *after;
	uint64_t off0, size0, off1, size1, soff0, ssize0, soff1, ssize1;
	char *want, *got;
	static const char base_data[] = "any bytes at all";
	struct bk_elf_section sec = { .name = ".BTF.base", .data = base_data, .size = sizeof(base_data) };

	bt_blob_init(&b, 0);
	bt_all_kinds(&b);
	raw = bt_blob_raw(&b, &ro, &n);
	elf = bt_elf(raw, n, &eo, &en);
	spill(path, elf, en);
	REQUIRE(section_at(path, ".BTF", &off0, &size0) == 2);
	section_at(path, ".shstrtab", &soff0, &ssize0);

	/* bigger: moves to the end, written in the file's byte order */
	CHECK_EQ(bk_btf_embed(big, path, NULL, &wo), 0);
	CHECK_STR(d.msg, "");
	CHECK(!wo.signature_removed);
	REQUIRE(section_at(path, ".BTF", &off1, &size1) == 2);
	CHECK(off1 >= en);
	back = bk_btf_open(path, NULL);
	REQUIRE(back);
	CHECK_EQ(bk_btf_endian(back), be ? BK_ENDIAN_BIG : BK_ENDIAN_LITTLE);
	want = bt_dump_raw(big);
	got = bt_dump_raw(back);
	CHECK_STR(got, want);
	free(want);
	free(got);
	bk_btf_free(back);
	after = slurp(path, &len1);
	REQUIRE(after);
	/* the ELF header, the old .BTF (zeroed) and the table may differ; the rest not */
	for (size_t i = e32 ? 52 : 64; i < en; i++) {
		bool in_btf = i >= off0 && i < off0 + size0;
		bool in_table = i >= en - 3 * (e32 ? 40 : 64);

		if (in_btf)
			CHECK_EQ(after[i], 0);
		else if (!in_table && after[i] != elf[i])
			bt_fail(__FILE__, __LINE__, "byte %zu changed", i);
	}
	section_at(path, ".shstrtab", &soff1, &ssize1);
	CHECK_EQ(soff1, soff0);
	free(after);

	/* smaller: stays where it is */
	CHECK_EQ(bk_btf_embed(small, path, ".BTF", &wo), 0);
	REQUIRE(section_at(path, ".BTF", &off0, &size0) == 2);
	CHECK_EQ(off0, off1);
	CHECK(size0 < size1);
	back = bk_btf_open(path, NULL);
	REQUIRE(back);
	CHECK_EQ(bk_btf_type_cnt(back), 2);
	bk_btf_free(back);

	/* a new section: next index, name appended, data as given */
	before = slurp(path, &len0);
	CHECK_EQ(bk_elf_set_sections(path, &sec, 1, &wo), 0);
	CHECK_EQ(section_at(path, ".BTF.base", &off1, &size1), 3);
	CHECK_EQ(size1, sizeof(base_data));
	CHECK_EQ(off1 % 4, 0);
	after = slurp(path, &len1);
	REQUIRE(before && after && off1 + size1 <= len1);
	CHECK(!memcmp(after + off1, base_data, sizeof(base_data)));
	CHECK(!memcmp(after + off0, before + off0, size0)); /* .BTF untouched */
	section_at(path, ".shstrtab", &soff1, &ssize1);
	CHECK_EQ(ssize1, ssize0 + sizeof(".BTF.base"));
	free(before);
	free(after);
	/* .BTF.base is a module's distilled base, and these bytes are not BTF */
	{
		struct bk_diag diag = { 0 };
		struct bk_open_opts oo = { .sz = sizeof(oo), .diag = &diag };

		back = bk_btf_open(path, &oo);
		CHECK(!back && !strncmp(diag.msg, ".BTF.base: ", 11));
		bk_btf_free(back);
	}

	unlink(path);
	free(raw);
	free(elf);
	bt_blob_free(&b);
	bk_btf_free(big);
	bk_btf_free(small);
}

TEST(elf_write_elf64_le) { check_variant(false, false); }
TEST(elf_write_elf64_be) { check_variant(false, true); }
TEST(elf_write_elf32_le) { check_variant(true, false); }
TEST(elf_write_elf32_be) { check_variant(true, true); }

/* A section name already in the table (a suffix of one) is shared. */
TEST(elf_write_shared_name)
{
	const char *path = tmp_path("shared");
	struct bk_elf_section sec = { .name = "strtab", .data = "x", .size = 1 };
	uint64_t off, size, soff0, ssize0, soff1, ssize1;
	uint8_t raw[64] = { 0 };
	size_t en;
	uint8_t *elf = bt_elf(raw, sizeof(raw), NULL, &en);

	spill(path, elf, en);
	section_at(path, ".shstrtab", &soff0, &ssize0);
	CHECK_EQ(bk_elf_set_sections(path, &sec, 1, NULL), 0);
	CHECK_EQ(section_at(path, "strtab", &off, &size), 3);
	section_at(path, ".shstrtab", &soff1, &ssize1);
	CHECK_EQ(soff1, soff0);
	CHECK_EQ(ssize1, ssize0);
	unlink(path);
	free(elf);
}

static const char sig_tail[] = "~Module signature appended~\n";

/* A module signature is dropped when the file changes, kept when not. */
TEST(elf_write_signature)
{
	const char *path = tmp_path("sig");
	struct bk_diag d = { 0 };
	struct bk_elf_write_opts wo = { .sz = sizeof(wo), .diag = &d };
	uint8_t raw[40] = { 0x9f, 0xeb }, *elf, *signed_elf, *now;
	size_t en, len;
	struct bk_elf_section same, other = { .name = ".BTF", .data = "abcd", .size = 4 };

	elf = bt_elf(raw, sizeof(raw), NULL, &en);
	signed_elf = malloc(en + 16 + 12 + 28);
	REQUIRE(signed_elf);
	memcpy(signed_elf, elf, en);
	memset(signed_elf + en, 0xaa, 16);                        /* the "signature" */
	memcpy(signed_elf + en + 16, "\0\0\0\0\0\0\0\0\0\0\0\x10", 12); /* sig_len 16, big-endian */
	memcpy(signed_elf + en + 28, sig_tail, 28);
	spill(path, signed_elf, en + 56);

	same = (struct bk_elf_section){ .name = ".BTF", .data = raw, .size = sizeof(raw) };
	CHECK_EQ(bk_elf_set_sections(path, &same, 1, &wo), 0);
	CHECK(!wo.signature_removed);
	now = slurp(path, &len);
	CHECK(now && len == en + 56 && !memcmp(now, signed_elf, len));
	free(now);

	CHECK_EQ(bk_elf_set_sections(path, &other, 1, &wo), 0);
	CHECK(wo.signature_removed);
	now = slurp(path, &len);
	REQUIRE(now);
	CHECK_EQ(len, en);
	CHECK(memcmp(now + len - 28, sig_tail, 28));
	free(now);
	unlink(path);
	free(elf);
	free(signed_elf);
}

/* Refused writes leave the file as it was, and no temporary file behind. */
TEST(elf_write_refusals)
{
	const char *path = tmp_path("refuse");
	struct bk_diag d = { 0 };
	struct bk_elf_write_opts wo = { .sz = sizeof(wo), .diag = &d };
	uint8_t raw[16] = { 0 }, *elf, *now;
	size_t en, len;
	struct bk_elf_section two[2] = { { .name = ".a", .data = "x", .size = 1 },
					 { .name = ".a", .data = "y", .size = 1 } };
	struct bk_elf_section strtab = { .name = ".shstrtab", .data = "x", .size = 1 };
	struct bk_elf_section nodata = { .name = ".x", .size = 3 };
	char cmd[256];

	elf = bt_elf(raw, sizeof(raw), NULL, &en);
	spill(path, elf, en);
	CHECK_EQ(bk_elf_set_sections(path, &strtab, 1, &wo), -EOPNOTSUPP);
	CHECK(strstr(d.msg, "section name table"));
	CHECK_EQ(bk_elf_set_sections(path, two, 2, &wo), -EINVAL);
	CHECK_EQ(bk_elf_set_sections(path, &nodata, 1, &wo), -EINVAL);
	now = slurp(path, &len);
	CHECK(now && len == en && !memcmp(now, elf, en));
	free(now);
	spill(path, "not an ELF file", 15);
	CHECK_EQ(bk_elf_set_sections(path, &two[0], 1, &wo), -EINVAL);
	CHECK_STR(d.msg, "not an ELF file");
	CHECK_EQ(bk_elf_set_sections("/tmp", &two[0], 1, &wo), -EISDIR);
	CHECK_EQ(bk_elf_set_sections("/nonexistent/x.ko", &two[0], 1, &wo), -ENOENT);
	snprintf(cmd, sizeof(cmd), "test -z \"$(ls %s.* 2>/dev/null)\"", path);
	CHECK_EQ(system(cmd), 0);
	unlink(path);
	free(elf);
}

/* The new file keeps the old one's mode and owner; a symlink stays a symlink. */
TEST(elf_write_mode_owner_symlink)
{
	const char *path = tmp_path("mode"), *link = tmp_path("link");
	struct bk_elf_section sec = { .name = ".new", .data = "data", .size = 4 };
	uint8_t raw[16] = { 0 }, *elf;
	struct stat st;
	size_t en;
	uint64_t off, size;

	elf = bt_elf(raw, sizeof(raw), NULL, &en);
	spill(path, elf, en);
	REQUIRE(chmod(path, 0640) == 0);
	if (geteuid() == 0)
		REQUIRE(chown(path, 1234, 4321) == 0);
	unlink(link);
	REQUIRE(symlink(path, link) == 0);
	CHECK_EQ(bk_elf_set_sections(link, &sec, 1, NULL), 0);
	CHECK(lstat(link, &st) == 0 && S_ISLNK(st.st_mode));
	CHECK(stat(path, &st) == 0);
	CHECK_EQ(st.st_mode & 07777, 0640);
	if (geteuid() == 0) {
		CHECK_EQ(st.st_uid, 1234);
		CHECK_EQ(st.st_gid, 4321);
	}
	CHECK_EQ(section_at(path, ".new", &off, &size), 3);
	unlink(link);
	unlink(path);
	free(elf);
}

/*
 * 0xfeff sections, one more makes 0xff00 = SHN_LORESERVE: the count moves
 * to section 0's sh_size and e_shnum becomes 0.
 */
TEST(elf_write_extended_numbering)
{
	enum { N = 0xfeff };
	const char *path = tmp_path("many");
	size_t total = 64 + 16 + (size_t)N * 64, shnum;
	uint8_t *f = calloc(1, total);
	struct bk_elf_section sec = { .name = ".BTF", .data = "1234", .size = 4 };
	Elf64_Ehdr *eh = (Elf64_Ehdr *)f;
	Elf64_Shdr *sh = (Elf64_Shdr *)(f + 80);
	GElf_Shdr s0;
	GElf_Ehdr geh;
	Elf *elf;
	int fd;

	REQUIRE(f);
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? ELFDATA2LSB : ELFDATA2MSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_REL;
	eh->e_version = EV_CURRENT;
	eh->e_shoff = 80;
	eh->e_ehsize = 64;
	eh->e_shentsize = 64;
	eh->e_shnum = N;
	eh->e_shstrndx = 1;
	memcpy(f + 64, "\0.shstrtab\0", 11);
	sh[1] = (Elf64_Shdr){ .sh_name = 1, .sh_type = SHT_STRTAB, .sh_offset = 64, .sh_size = 11,
			      .sh_addralign = 1 };
	spill(path, f, total);
	CHECK_EQ(bk_elf_set_sections(path, &sec, 1, NULL), 0);
	CHECK_EQ(section_at(path, ".BTF", &(uint64_t){ 0 }, &(uint64_t){ 0 }), N);
	fd = open(path, O_RDONLY);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	REQUIRE(elf);
	CHECK(!elf_getshdrnum(elf, &shnum));
	CHECK_EQ(shnum, N + 1);
	CHECK(gelf_getehdr(elf, &geh) && geh.e_shnum == 0);
	CHECK(gelf_getshdr(elf_getscn(elf, 0), &s0) && s0.sh_size == N + 1);
	elf_end(elf);
	close(fd);
	unlink(path);
	free(f);
}
