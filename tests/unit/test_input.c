// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Input detection and containers (src/core/btf.c, src/input/elf.c, src/input/decompress.c):
 * raw BTF in both byte orders, ELF64 little and big endian (clang -target
 * bpf / bpfeb objects in tests/data), ELF32 of both orders (built in memory),
 * xz / lzma / zstd / gzip / lz4 / bzip2 streams and a bzImage around one, pipes, and the errors of
 * each container; the fix-ups of a BPF object read whole from memory.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "btfkit/write.h"
#include "blob.h"
#include "test.h"

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = calloc(1, (size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	if (len)
		*len = (size_t)n;
	return buf;
}

/* Open tests/data/name and check its dump against the sample's golden. */
static void check_sample(const char *name, enum bk_source src, enum bk_endian endian)
{
	struct bk_diag d = { 0 };
	struct bk_open_opts o = { .sz = sizeof(o), .diag = &d };
	char *want = read_file(bt_data("sample.bpf.o.raw"), NULL), *got;
	struct bk_btf *btf = bk_btf_open(bt_data(name), &o);

	if (!btf)
		bt_fail(__FILE__, __LINE__, "%s: %s", name, d.msg);
	REQUIRE(btf && want);
	CHECK_EQ(bk_btf_source(btf), src);
	CHECK_EQ(bk_btf_endian(btf), endian);
	CHECK_EQ(bk_btf_type_cnt(btf), 54);
	got = bt_dump_raw(btf);
	CHECK_STR(got, want);
	free(got);
	free(want);
	bk_btf_free(btf);
}

TEST(input_elf64_little_endian)
{
	check_sample("sample.bpf.o", BK_SOURCE_ELF, BK_ENDIAN_LITTLE);
}

TEST(input_elf64_big_endian)
{
	check_sample("sample.bpfeb.o", BK_SOURCE_ELF, BK_ENDIAN_BIG);
}

TEST(input_raw_both_orders)
{
	check_sample("sample.btf", BK_SOURCE_RAW, BK_ENDIAN_LITTLE);
	check_sample("sample.eb.btf", BK_SOURCE_RAW, BK_ENDIAN_BIG);
}

TEST(input_compressed)
{
	check_sample("sample.bpf.o.xz", BK_SOURCE_ELF, BK_ENDIAN_LITTLE);
	check_sample("sample.bpf.o.zst", BK_SOURCE_ELF, BK_ENDIAN_LITTLE);
	check_sample("sample.bpf.o.gz", BK_SOURCE_ELF, BK_ENDIAN_LITTLE);
	check_sample("sample.bpf.o.lz4", BK_SOURCE_ELF, BK_ENDIAN_LITTLE);
	check_sample("sample.bpf.o.lz4l", BK_SOURCE_ELF, BK_ENDIAN_LITTLE);
	check_sample("sample.bpf.o.bz2", BK_SOURCE_ELF, BK_ENDIAN_LITTLE);
	check_sample("sample.bpf.o.lzma", BK_SOURCE_ELF, BK_ENDIAN_LITTLE);
	check_sample("sample.eb.btf.xz", BK_SOURCE_RAW, BK_ENDIAN_BIG);
}

/* ELF32 and ELF64, both orders, around the all-kinds blob. */
TEST(input_elf_classes_and_orders)
{
	struct bt_blob b;

	bt_blob_init(&b, 0);
	bt_all_kinds(&b);
	for (int i = 0; i < 4; i++) {
		struct bt_raw_opts ro = { .swap = i & 1 };
		struct bt_elf_opts eo = { .elf32 = i < 2, .big_endian = i & 1 };
		struct bk_diag d;
		struct bk_btf *btf;
		uint8_t *raw, *elf;
		size_t n, en;
		char *text;

		raw = bt_blob_raw(&b, &ro, &n);
		elf = bt_elf(raw, n, &eo, &en);
		btf = bt_parse(elf, en, NULL, &d);
		if (!btf)
			bt_fail(__FILE__, __LINE__, "ELF%d %s: %s", eo.elf32 ? 32 : 64,
				eo.big_endian ? "BE" : "LE", d.msg);
		else {
			CHECK_EQ(bk_btf_source(btf), BK_SOURCE_ELF);
			CHECK_EQ(bk_btf_ptr_size(btf), eo.elf32 ? 4 : 8);
			CHECK_EQ(bk_btf_endian(btf), eo.big_endian ? BK_ENDIAN_BIG : BK_ENDIAN_LITTLE);
			text = bt_dump_raw(btf);
			CHECK_STR(text, bt_all_kinds_raw);
			free(text);
			/* a pointer is as wide as the ELF class says */
			CHECK_EQ(bk_btf_resolve_size(btf, 2), eo.elf32 ? 4 : 8);
		}
		bk_btf_free(btf);
		free(elf);
		free(raw);
	}
	bt_blob_free(&b);
}

/*
 * A minimal x86 bzImage around a compressed sample: the payload is the
 * compressed file followed by its uncompressed size, as the kernel's build
 * appends it. *total receives the image size.
 */
static uint8_t *bzimage(const char *payload_file, uint32_t poff, size_t *payload_len,
			size_t *total)
{
	size_t len;
	char *data = read_file(bt_data(payload_file), &len);
	uint32_t plen = (uint32_t)len + 4, usize = 9944;
	uint8_t *img;

	if (!data)
		return NULL;
	*total = 1024 + poff + len + 4;
	img = calloc(1, *total);
	if (img) {
		img[0x1f1] = 1;                          /* setup_sects: (1 + 1) * 512 */
		memcpy(img + 0x202, "HdrS", 4);
		img[0x206] = 0x0f;                        /* boot protocol 2.15 */
		img[0x207] = 0x02;
		memcpy(img + 0x248, &poff, 4);
		memcpy(img + 0x24c, &plen, 4);
		memcpy(img + 1024 + poff, data, len);
		memcpy(img + 1024 + poff + len, &usize, 4);
	}
	*payload_len = len;
	free(data);
	return img;
}

/* bzImages with an xz payload and with an lz4 legacy one (Debian's cloud kernels). */
TEST(input_bzimage)
{
	static const char *const payloads[] = { "sample.bpf.o.xz", "sample.bpf.o.lz4l",
						"sample.bpf.o.zst", "sample.bpf.o.gz" };
	size_t len, total;
	uint8_t *img;
	struct bk_diag d;
	struct bk_btf *btf;
	uint32_t poff = 0x80, plen;

	for (size_t i = 0; i < sizeof(payloads) / sizeof(payloads[0]); i++) {
		img = bzimage(payloads[i], poff, &len, &total);
		REQUIRE(img);
		btf = bt_parse(img, total, NULL, &d);
		if (!btf)
			bt_fail(__FILE__, __LINE__, "bzImage around %s: %s", payloads[i], d.msg);
		else
			CHECK_EQ(bk_btf_type_cnt(btf), 54);
		bk_btf_free(btf);
		free(img);
	}

	img = bzimage("sample.bpf.o.xz", poff, &len, &total);
	REQUIRE(img);
	/* boot protocol before 2.08 has no payload fields */
	img[0x206] = 0x07;
	btf = bt_parse(img, total, NULL, &d);
	CHECK(!btf);
	CHECK_EQ(d.err, -EOPNOTSUPP);
	CHECK_STR(d.msg, "bzImage boot protocol 2.07 has no payload fields");
	img[0x206] = 0x0f;
	/* a payload btfkit cannot decompress (LZO's magic) */
	memcpy(img + 1024 + poff, "\x89LZO", 4);
	btf = bt_parse(img, total, NULL, &d);
	CHECK(!btf);
	CHECK_EQ(d.err, -EOPNOTSUPP);
	CHECK_STR(d.msg, "bzImage payload uses a compression btfkit does not read (LZO?; xz, lzma, zstd, gzip, lz4 and bzip2 are supported)");
	free(img);

	/* payload past the end */
	img = bzimage("sample.bpf.o.xz", poff, &len, &total);
	REQUIRE(img);
	plen = (uint32_t)len + 5;
	memcpy(img + 0x24c, &plen, 4);
	btf = bt_parse(img, total, NULL, &d);
	CHECK(!btf);
	bk_btf_free(btf);
	CHECK_EQ(d.err, -EINVAL);
	CHECK_STR(d.msg, "bzImage payload (offset 1152, length 2893) runs past the end of the file (byte offset 584)");
	free(img);
}

TEST(input_compressed_errors)
{
	size_t len;
	char *xz = read_file(bt_data("sample.bpf.o.xz"), &len);
	char *gz = read_file(bt_data("sample.bpf.o.gz"), NULL);
	char *zst = read_file(bt_data("sample.bpf.o.zst"), NULL);
	struct bk_diag d;

	REQUIRE(xz && gz && zst);
	CHECK(!bt_parse(xz, len / 2, NULL, &d));
	CHECK_EQ(d.err, -EINVAL);
	CHECK_STR(d.msg, "truncated xz data");
	CHECK(!bt_parse(gz, 100, NULL, &d));
	CHECK_EQ(d.err, -EINVAL);
	CHECK_STR(d.msg, "truncated gzip data");
	CHECK(!bt_parse(zst, 100, NULL, &d));
	CHECK_EQ(d.err, -EINVAL);
	CHECK_STR(d.msg, "truncated zstd data");
	/* corrupt the middle of the xz stream */
	xz[len / 2] ^= 0xff;
	CHECK(!bt_parse(xz, len, NULL, &d));
	CHECK_EQ(d.err, -EINVAL);
	CHECK(!strncmp(d.msg, "corrupt xz data", 15));
	free(xz);
	free(gz);
	free(zst);
}

/* Truncated and corrupt lz4 (frame and legacy), bzip2 and lzma streams. */
TEST(input_compressed_errors_more)
{
	static const struct {
		const char *file, *truncated, *corrupt;
	} cases[] = {
		{ "sample.bpf.o.lz4", "truncated lz4 data", "corrupt lz4 data" },
		{ "sample.bpf.o.lz4l", "truncated lz4 data (block of 4621 bytes at byte offset 4, 96 left)",
		  "corrupt lz4 data" },
		{ "sample.bpf.o.bz2", "truncated bzip2 data", "corrupt bzip2 data" },
		{ "sample.bpf.o.lzma", "truncated lzma data", "corrupt lzma data" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len;
		char *data = read_file(bt_data(cases[i].file), &len);
		struct bk_diag d;

		REQUIRE(data);
		CHECK(!bt_parse(data, 104, NULL, &d));
		CHECK_EQ(d.err, -EINVAL);
		CHECK_STR(d.msg, cases[i].truncated);
		/* garbage in the middle of the compressed data */
		memset(data + 40, 0xa5, 64);
		CHECK(!bt_parse(data, len, NULL, &d));
		CHECK_EQ(d.err, -EINVAL);
		if (strncmp(d.msg, cases[i].corrupt, strlen(cases[i].corrupt)))
			bt_fail(__FILE__, __LINE__, "%s: \"%s\"", cases[i].file, d.msg);
		free(data);
	}
}

TEST(input_elf_errors)
{
	struct bt_blob b;
	struct bk_diag d;
	uint8_t *raw, *elf;
	size_t n, en;

	bt_blob_init(&b, 0);
	bt_all_kinds(&b);
	raw = bt_blob_raw(&b, NULL, &n);

	elf = bt_elf(raw, n, &(struct bt_elf_opts){ .sec_name = ".BTF.ext" }, &en);
	CHECK(!bt_parse(elf, en, NULL, &d));
	CHECK_EQ(d.err, -ENOENT);
	CHECK_STR(d.msg, "ELF file has no .BTF section");
	free(elf);

	elf = bt_elf(raw, n, &(struct bt_elf_opts){ .shoff_past_end = true }, &en);
	CHECK(!bt_parse(elf, en, NULL, &d));
	CHECK_EQ(d.err, -EINVAL);
	CHECK_STR(d.msg, "ELF section headers (offset 4880, 3 of 64 bytes) are invalid or past the end of the file (784 bytes)");
	free(elf);

	elf = bt_elf(raw, n, &(struct bt_elf_opts){ .btf_past_end = true, .elf32 = true }, &en);
	CHECK(!bt_parse(elf, en, NULL, &d));
	CHECK_EQ(d.err, -EINVAL);
	CHECK_STR(d.msg, "ELF section .BTF (offset 52, size 796) runs past the end of the file (696 bytes)");
	free(elf);

	elf = bt_elf(raw, n, &(struct bt_elf_opts){ .btf_sh_type = 8 /* SHT_NOBITS */ }, &en);
	CHECK(!bt_parse(elf, en, NULL, &d));
	CHECK_EQ(d.err, -EINVAL);
	CHECK_STR(d.msg, "ELF section .BTF has no data (SHT_NOBITS)");
	free(elf);

	elf = bt_elf(raw, n, &(struct bt_elf_opts){ .btf_sh_flags = 0x800 /* SHF_COMPRESSED */ }, &en);
	CHECK(!bt_parse(elf, en, NULL, &d));
	CHECK_EQ(d.err, -EOPNOTSUPP);
	CHECK_STR(d.msg, "ELF section .BTF is compressed (SHF_COMPRESSED), which is not supported");
	free(elf);

	elf = bt_elf(raw, n, &(struct bt_elf_opts){ .elf_class = 3 }, &en);
	CHECK(!bt_parse(elf, en, NULL, &d));
	CHECK_EQ(d.err, -EINVAL);
	CHECK_STR(d.msg, "ELF file of unknown class 3");
	free(elf);

	/* an ELF header cut short */
	elf = bt_elf(raw, n, NULL, &en);
	CHECK(!bt_parse(elf, 40, NULL, &d));
	CHECK_EQ(d.err, -EINVAL);
	CHECK_STR(d.msg, "truncated ELF header: 40 bytes, ELF64 needs 64");
	free(elf);
	free(raw);
	bt_blob_free(&b);
}

/* The same ELF errors through a file (headers read with pread). */
TEST(input_elf_errors_from_file)
{
	struct bt_blob b;
	struct bk_diag d = { 0 };
	struct bk_open_opts o = { .sz = sizeof(o), .diag = &d };
	uint8_t *raw, *elf;
	size_t n, en;
	const char *path;
	struct bk_btf *btf;

	bt_blob_init(&b, 0);
	bt_all_kinds(&b);
	raw = bt_blob_raw(&b, NULL, &n);

	elf = bt_elf(raw, n, &(struct bt_elf_opts){ .shoff_past_end = true }, &en);
	path = bt_tmpfile(elf, en);
	CHECK(!bk_btf_open(path, &o));
	unlink(path);
	CHECK_EQ(d.err, -EINVAL);
	CHECK_STR(d.msg, "ELF section headers (offset 4880, 3 of 64 bytes) are invalid or past the end of the file (784 bytes)");
	free(elf);

	elf = bt_elf(raw, n, &(struct bt_elf_opts){ .btf_past_end = true, .elf32 = true }, &en);
	path = bt_tmpfile(elf, en);
	CHECK(!bk_btf_open(path, &o));
	unlink(path);
	CHECK_STR(d.msg, "ELF section .BTF (offset 52, size 796) runs past the end of the file (696 bytes)");
	free(elf);

	elf = bt_elf(raw, n, &(struct bt_elf_opts){ .sec_name = ".BTF.ext", .big_endian = true }, &en);
	path = bt_tmpfile(elf, en);
	CHECK(!bk_btf_open(path, &o));
	unlink(path);
	CHECK_EQ(d.err, -ENOENT);
	CHECK_STR(d.msg, "ELF file has no .BTF section");
	free(elf);

	elf = bt_elf(raw, n, NULL, &en);
	path = bt_tmpfile(elf, 40);
	CHECK(!bk_btf_open(path, &o));
	unlink(path);
	CHECK_STR(d.msg, "truncated ELF header: 40 bytes, ELF64 needs 64");
	path = bt_tmpfile(elf, 4);
	CHECK(!bk_btf_open(path, &o));
	unlink(path);
	CHECK_STR(d.msg, "truncated ELF header: 4 bytes, ELF64 needs 64");
	/* and a good one, ELF32 big-endian, through the file path */
	free(elf);
	free(raw);
	raw = bt_blob_raw(&b, &(struct bt_raw_opts){ .swap = true }, &n);
	elf = bt_elf(raw, n, &(struct bt_elf_opts){ .elf32 = true, .big_endian = true }, &en);
	path = bt_tmpfile(elf, en);
	btf = bk_btf_open(path, &o);
	unlink(path);
	CHECK(btf != NULL);
	if (btf) {
		char *text = bt_dump_raw(btf);

		CHECK_EQ(bk_btf_ptr_size(btf), 4);
		CHECK_STR(text, bt_all_kinds_raw);
		free(text);
	}
	bk_btf_free(btf);
	free(elf);
	free(raw);
	bt_blob_free(&b);
}

TEST(input_file_errors)
{
	struct bk_diag d = { 0 };
	struct bk_open_opts o = { .sz = sizeof(o), .diag = &d };

	CHECK(!bk_btf_open("/nonexistent/btf", &o));
	CHECK_EQ(errno, ENOENT);
	CHECK_EQ(d.err, -ENOENT);
	CHECK_STR(d.msg, "cannot open: No such file or directory");
	memset(&d, 0, sizeof(d));
	CHECK(!bk_btf_open("/", &o));
	CHECK_EQ(d.err, -EISDIR);
	CHECK_STR(d.msg, "is a directory");
	memset(&d, 0, sizeof(d));
	CHECK(!bk_btf_open(bt_tmpfile("", 0), &o));
	unlink(bt_tmpfile("", 0));
	CHECK_EQ(d.err, -EINVAL);
	CHECK_STR(d.msg, "empty file: no BTF data");
}

/* Non-seekable input (a FIFO) is read whole, then parsed like a file. */
TEST(input_fifo)
{
	char path[64];
	size_t len;
	char *data = read_file(bt_data("sample.bpf.o.zst"), &len);
	struct bk_btf *btf;
	pid_t pid;
	int status;

	REQUIRE(data);
	snprintf(path, sizeof(path), "/tmp/btfkit-fifo.%d", (int)getpid());
	unlink(path);
	REQUIRE(mkfifo(path, 0600) == 0);
	pid = fork();
	REQUIRE(pid >= 0);
	if (pid == 0) {
		int fd = open(path, O_WRONLY);

		if (fd < 0 || write(fd, data, len) != (ssize_t)len)
			_exit(1);
		_exit(0);
	}
	btf = bk_btf_open(path, NULL);
	waitpid(pid, &status, 0);
	unlink(path);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	REQUIRE(btf);
	CHECK_EQ(bk_btf_type_cnt(btf), 54);
	bk_btf_free(btf);
	free(data);
}

/* bk_btf_from_mem never writes to the caller's buffer. */
TEST(input_from_mem_keeps_caller_data)
{
	struct bt_blob b;
	struct bt_raw_opts o = { .swap = true };
	uint8_t *raw, *copy;
	size_t n;
	struct bk_btf *btf;

	bt_blob_init(&b, 0);
	bt_all_kinds(&b);
	raw = bt_blob_raw(&b, &o, &n);
	copy = malloc(n);
	REQUIRE(copy);
	memcpy(copy, raw, n);
	btf = bt_parse(raw, n, NULL, NULL);
	CHECK(btf != NULL);
	CHECK(!memcmp(raw, copy, n));
	bk_btf_free(btf);
	free(copy);
	free(raw);
	bt_blob_free(&b);
}

/*
 * bk_btf_fixup_bpf_object with no path reuses the ELF file an object read
 * whole (from memory or a stream: the CLI's standard input) and gives what
 * the path gives; an object read from a file (only its sections) says so.
 */
TEST(input_fixup_kept_elf_image)
{
	struct bk_diag d = { 0 };
	struct bk_fixup_opts fo = { .sz = sizeof(fo), .diag = &d };
	size_t len;
	char *elf = read_file(bt_data("sample.bpf.o"), &len);
	struct bk_btf *mem, *file;
	char *a, *b;

	REQUIRE(elf);
	mem = bk_btf_from_mem(elf, len, NULL);
	file = bk_btf_open(bt_data("sample.bpf.o"), NULL);
	free(elf);
	REQUIRE(mem && file);
	CHECK_EQ(bk_btf_fixup_bpf_object(mem, NULL, &fo), 6);
	CHECK_EQ(bk_btf_fixup_bpf_object(file, NULL, &fo), -EINVAL);
	CHECK(strstr(d.msg, "give its path") != NULL);
	CHECK_EQ(bk_btf_fixup_bpf_object(file, bt_data("sample.bpf.o"), &fo), 6);
	a = bt_dump_raw(mem);
	b = bt_dump_raw(file);
	CHECK_STR(a, b);
	/* fixed once: the image is not kept with the fixed object */
	CHECK_EQ(bk_btf_fixup_bpf_object(mem, NULL, &fo), -EINVAL);
	free(a);
	free(b);
	bk_btf_free(mem);
	bk_btf_free(file);
}
