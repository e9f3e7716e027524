// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Limits on resources: hostile sizes allocate nothing large, memory stays a
 * small multiple of the input, and graph walks over long chains and cycles
 * neither recurse deeply nor spin.
 *
 * Allocation sizes are measured with the sanitizer's malloc hooks when the
 * test binary runs under ASan (make check); in a build without sanitizers the
 * same inputs are parsed in a child process limited by RLIMIT_AS, where a
 * large allocation would fail and turn the expected -EINVAL into -ENOMEM.
 * Deep walks (queries, the raw, C and JSON printers, the validator) run on a thread with
 * a 1 MiB stack, which 100,000 levels of recursion would overflow.
 */
#include <pthread.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "btfkit/validate.h"
#include "btfkit/write.h"
#include "test.h"

/* ---- a tiny raw BTF encoder ------------------------------------------- */

struct blob {
	uint32_t *w;
	size_t n, cap;
	char *s;
	size_t slen, scap;
	uint32_t nr_types;
};

static void put(struct blob *b, uint32_t v)
{
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 1024;
		b->w = realloc(b->w, b->cap * sizeof(*b->w));
		if (!b->w)
			abort();
	}
	b->w[b->n++] = v;
}

static uint32_t str(struct blob *b, const char *s)
{
	size_t len = strlen(s) + 1;
	uint32_t off;

	if (!b->slen && *s)
		str(b, "");
	if (b->slen + len > b->scap) {
		b->scap = (b->slen + len) * 2;
		b->s = realloc(b->s, b->scap);
		if (!b->s)
			abort();
	}
	off = (uint32_t)b->slen;
	memcpy(b->s + b->slen, s, len);
	b->slen += len;
	return off;
}

/* Start a type record; returns its ID. */
static uint32_t rec(struct blob *b, const char *name, unsigned kind, unsigned vlen, bool kflag,
		    uint32_t size_or_type)
{
	put(b, name && *name ? str(b, name) : 0);
	put(b, bk_info(kind, vlen, kflag));
	put(b, size_or_type);
	return ++b->nr_types;
}

static uint32_t add_int(struct blob *b, const char *name, uint32_t size)
{
	uint32_t id = rec(b, name, BK_KIND_INT, 0, false, size);

	put(b, size * 8);
	return id;
}

static uint32_t add_array(struct blob *b, uint32_t elem, uint32_t index, uint32_t n)
{
	uint32_t id = rec(b, NULL, BK_KIND_ARRAY, 0, false, 0);

	put(b, elem);
	put(b, index);
	put(b, n);
	return id;
}

/* Header + types + strings; the blob is freed. */
static uint8_t *finish(struct blob *b, size_t *size)
{
	uint32_t hdr[6];
	size_t tlen = b->n * 4;
	uint8_t *out;

	if (!b->slen)
		str(b, "");
	hdr[0] = BK_MAGIC | (1u << 16);
	hdr[1] = 24;
	hdr[2] = 0;
	hdr[3] = (uint32_t)tlen;
	hdr[4] = (uint32_t)tlen;
	hdr[5] = (uint32_t)b->slen;
	*size = sizeof(hdr) + tlen + b->slen;
	out = malloc(*size);
	if (!out)
		abort();
	memcpy(out, hdr, sizeof(hdr));
	if (tlen)
		memcpy(out + sizeof(hdr), b->w, tlen);
	memcpy(out + sizeof(hdr) + tlen, b->s, b->slen);
	free(b->w);
	free(b->s);
	memset(b, 0, sizeof(*b));
	return out;
}

/* ---- allocation measurement ------------------------------------------- */

int __sanitizer_install_malloc_and_free_hooks(void (*m)(const volatile void *, size_t),
					      void (*f)(const volatile void *)) __attribute__((weak));

static volatile bool measuring;
static size_t max_alloc, total_alloc;

static void malloc_hook(const volatile void *p, size_t size)
{
	(void)p;
	if (!measuring)
		return;
	if (size > max_alloc)
		max_alloc = size;
	total_alloc += size;
}

static void free_hook(const volatile void *p)
{
	(void)p;
}

static bool have_hooks(void)
{
	static int state; /* 0 unknown, 1 yes, -1 no */

	if (!state)
		state = __sanitizer_install_malloc_and_free_hooks &&
				__sanitizer_install_malloc_and_free_hooks(malloc_hook, free_hook)
			? 1
			: -1;
	return state > 0;
}

/*
 * Parse data (base may be NULL) and check: it fails with want_err (0: it must
 * succeed), the largest single allocation is at most max_one bytes and all
 * allocations together at most max_total bytes. Returns false (after a
 * failure is recorded) when a check fails.
 */
static bool parse_bounded(const void *data, size_t size, int want_err, size_t max_one,
			  size_t max_total, const char *what)
{
	struct bk_open_opts opts = { .sz = sizeof(opts) };
	struct bk_btf *btf;
	int err;

	if (have_hooks()) {
		max_alloc = total_alloc = 0;
		measuring = true;
		btf = bk_btf_from_mem(data, size, &opts);
		measuring = false;
		err = btf ? 0 : -errno;
		bk_btf_free(btf);
		if (err != want_err) {
			bt_fail(__FILE__, __LINE__, "%s: error %d, expected %d", what, err, want_err);
			return false;
		}
		if (max_alloc > max_one || total_alloc > max_total) {
			bt_fail(__FILE__, __LINE__,
				"%s: %zu-byte input allocated %zu bytes (largest %zu), limits %zu (largest %zu)",
				what, size, total_alloc, max_alloc, max_total, max_one);
			return false;
		}
		return true;
	}
	/* No hooks: a child with a small address space must see the same error. */
	{
		pid_t pid = fork();
		int status;

		if (pid < 0) {
			bt_fail(__FILE__, __LINE__, "fork failed");
			return false;
		}
		if (pid == 0) {
			struct rlimit rl;

			getrlimit(RLIMIT_AS, &rl);
			rl.rlim_cur = (rlim_t)256 << 20;
			setrlimit(RLIMIT_AS, &rl);
			btf = bk_btf_from_mem(data, size, &opts);
			err = btf ? 0 : -errno;
			_exit(err == want_err ? 0 : 1);
		}
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status)) {
			bt_fail(__FILE__, __LINE__, "%s: wrong result under a 256 MiB address space limit",
				what);
			return false;
		}
		return true;
	}
}

/* A small valid BTF: int, struct, typedef. */
static uint8_t *small_btf(size_t *size)
{
	struct blob b = { 0 };
	uint32_t i = add_int(&b, "int", 4), s;

	s = rec(&b, "s", BK_KIND_STRUCT, 1, false, 4);
	put(&b, str(&b, "a"));
	put(&b, i);
	put(&b, 0);
	rec(&b, "s_t", BK_KIND_TYPEDEF, 0, false, s);
	return finish(&b, size);
}

static void set32(uint8_t *p, size_t off, uint32_t v)
{
	memcpy(p + off, &v, 4);
}

TEST(limits_header_claiming_4gib_allocates_nothing_large)
{
	static const struct {
		size_t off;
		uint32_t val;
		int err;
		const char *what;
	} cases[] = {
		{ 4, 0xffffffff, -EINVAL, "hdr_len 4 GiB" },
		{ 4, 0xfffffff0, -EINVAL, "hdr_len 4 GiB - 16" },
		{ 12, 0xfffffff0, -EINVAL, "type_len 4 GiB - 16" },
		{ 8, 0xfffffff0, -EINVAL, "type_off 4 GiB - 16" },
		{ 20, 0xffffffff, -EINVAL, "str_len 4 GiB" },
		{ 16, 0x7fffffff, -EINVAL, "str_off 2 GiB" },
	};
	size_t size;
	uint8_t *good = small_btf(&size);

	if (!parse_bounded(good, size, 0, 4 * size + 4096, 8 * size + 8192, "valid")) {
		free(good);
		return;
	}
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t *bad = malloc(size);

		if (!bad)
			break;
		memcpy(bad, good, size);
		set32(bad, cases[i].off, cases[i].val);
		parse_bounded(bad, size, cases[i].err, 4 * size + 4096, 8 * size + 8192, cases[i].what);
		free(bad);
	}
	free(good);
}

TEST(limits_huge_vlen_allocates_nothing_large)
{
	struct blob b = { 0 };
	uint32_t i = add_int(&b, "int", 4);
	uint8_t *data;
	size_t size;

	/* a struct claiming 16M members, a proto claiming 16M params */
	rec(&b, "s", BK_KIND_STRUCT, BK_MAX_VLEN, false, 4);
	put(&b, 0);
	put(&b, i);
	put(&b, 0);
	data = finish(&b, &size);
	parse_bounded(data, size, -EINVAL, 4 * size + 4096, 8 * size + 8192, "struct vlen 0xffffff");
	free(data);

	add_int(&b, "int", 4);
	rec(&b, NULL, BK_KIND_FUNC_PROTO, BK_MAX_VLEN, false, 1);
	data = finish(&b, &size);
	parse_bounded(data, size, -EINVAL, 4 * size + 4096, 8 * size + 8192, "proto vlen 0xffffff");
	free(data);
}

/* A minimal ELF64 whose .BTF section header claims sh_size bytes at sh_offset. */
static uint8_t *elf_with_btf(const uint8_t *btf, size_t btf_len, uint64_t sh_off, uint64_t sh_size,
			     size_t *size)
{
	static const char shstr[] = "\0.BTF\0.shstrtab";
	size_t shoff = (64 + btf_len + sizeof(shstr) + 7) & ~(size_t)7;
	uint8_t *e;

	*size = shoff + 3 * 64;
	e = calloc(1, *size);
	if (!e)
		abort();
	memcpy(e, "\177ELF\2\1\1", 7);
	e[16] = 1;                 /* ET_REL */
	e[18] = 247;               /* EM_BPF */
	e[20] = 1;                 /* EV_CURRENT */
	memcpy(e + 40, &shoff, 8); /* e_shoff */
	e[52] = 64;                /* e_ehsize */
	e[58] = 64;                /* e_shentsize */
	e[60] = 3;                 /* e_shnum */
	e[62] = 2;                 /* e_shstrndx */
	memcpy(e + 64, btf, btf_len);
	memcpy(e + 64 + btf_len, shstr, sizeof(shstr));
	{
		uint8_t *sh = e + shoff + 64; /* .BTF */
		uint32_t name = 1, type = 1;
		uint64_t str_off = 64 + btf_len, str_size = sizeof(shstr);

		memcpy(sh, &name, 4);
		memcpy(sh + 4, &type, 4);
		memcpy(sh + 24, &sh_off, 8);
		memcpy(sh + 32, &sh_size, 8);
		sh += 64; /* .shstrtab */
		name = 6;
		type = 3;
		memcpy(sh, &name, 4);
		memcpy(sh + 4, &type, 4);
		memcpy(sh + 24, &str_off, 8);
		memcpy(sh + 32, &str_size, 8);
	}
	return e;
}

TEST(limits_elf_section_claiming_4gib_allocates_nothing_large)
{
	size_t btf_len, size;
	uint8_t *btf = small_btf(&btf_len), *elf;

	elf = elf_with_btf(btf, btf_len, 64, btf_len, &size);
	if (!parse_bounded(elf, size, 0, 4 * size + 65536, 16 * size + 65536, "valid ELF")) {
		free(elf);
		free(btf);
		return;
	}
	free(elf);
	elf = elf_with_btf(btf, btf_len, 64, 0xfffffff0u, &size);
	parse_bounded(elf, size, -EINVAL, 4 * size + 65536, 16 * size + 65536, ".BTF size 4 GiB");
	free(elf);
	elf = elf_with_btf(btf, btf_len, 0xffffffffffffff00ull, btf_len, &size);
	parse_bounded(elf, size, -EINVAL, 4 * size + 65536, 16 * size + 65536, ".BTF offset 2^64-256");
	free(elf);
	free(btf);
}

/* ---- deep chains and cycles ------------------------------------------- */

#define CHAIN 100000

/*
 * [1] int, then CHAIN typedefs: forward (each refers to the previous one)
 * or backward (each refers to the next one, the last to int).
 */
static uint8_t *typedef_chain(bool backward, size_t *size)
{
	struct blob b = { 0 };

	if (backward) {
		for (uint32_t i = 0; i < CHAIN; i++)
			rec(&b, "t", BK_KIND_TYPEDEF, 0, false, i + 1 < CHAIN ? i + 2 : CHAIN + 1);
		add_int(&b, "int", 4);
	} else {
		add_int(&b, "int", 4);
		for (uint32_t i = 0; i < CHAIN; i++)
			rec(&b, "t", BK_KIND_TYPEDEF, 0, false, i + 1);
	}
	return finish(&b, size);
}

struct walk_job {
	const struct bk_btf *btf;
	uint32_t id;
	int resolve, skip_mods, align, problems, c_err, json_err;
	size_t c_len, json_len;
	int64_t size;
	char *dump;
	double seconds;
};

static int count_bytes(void *ctx, const char *buf, size_t len)
{
	(void)buf;
	*(size_t *)ctx += len;
	return 0;
}

/* Dump btf in format, counting the bytes; returns bk_dump's result. */
static int dump_len(const struct bk_btf *btf, enum bk_format format, size_t *len)
{
	struct bk_dump_opts o = { .sz = sizeof(o), .format = format };
	struct bk_sink sink = { count_bytes, len };

	*len = 0;
	return bk_dump(btf, &sink, &o);
}

static void *walk(void *arg)
{
	struct walk_job *j = arg;
	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	j->resolve = bk_btf_resolve(j->btf, j->id);
	j->skip_mods = bk_btf_skip_mods(j->btf, j->id);
	j->size = bk_btf_resolve_size(j->btf, j->id);
	j->align = bk_btf_align(j->btf, j->id);
	j->dump = bt_dump_raw(j->btf);
	j->problems = bk_btf_validate(j->btf, NULL);
	j->c_err = dump_len(j->btf, BK_FORMAT_C, &j->c_len);
	j->json_err = dump_len(j->btf, BK_FORMAT_JSON, &j->json_len);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	j->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	return NULL;
}

/* Run the walks on a thread whose stack deep recursion would overflow. */
static bool walk_small_stack(struct walk_job *j)
{
	pthread_attr_t attr;
	pthread_t th;
	bool ok;

	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 1 << 20);
	ok = pthread_create(&th, &attr, walk, j) == 0 && pthread_join(th, NULL) == 0;
	pthread_attr_destroy(&attr);
	return ok;
}

static size_t count_lines(const char *s)
{
	size_t n = 0;

	for (; s && *s; s++)
		n += *s == '\n';
	return n;
}

TEST(limits_typedef_chain_100k)
{
	for (int backward = 0; backward < 2; backward++) {
		size_t size;
		uint8_t *data = typedef_chain(backward, &size);
		struct bk_btf *btf = bk_btf_from_mem(data, size, NULL);
		uint32_t top = backward ? 1 : CHAIN + 1, intid = backward ? CHAIN + 1 : 1;
		struct walk_job j = { .btf = btf, .id = top };

		free(data);
		REQUIRE(btf);
		CHECK_EQ(bk_btf_type_cnt(btf), CHAIN + 2);
		REQUIRE(walk_small_stack(&j));
		CHECK_EQ(j.resolve, intid);
		CHECK_EQ(j.skip_mods, top); /* typedefs are not modifiers */
		CHECK_EQ(j.size, 4);
		CHECK_EQ(j.align, 4);
		CHECK_EQ(count_lines(j.dump), CHAIN + 1);
		/*
		 * The kernel resolves types in ID order, at most 32 levels deep:
		 * a chain towards lower IDs is fine, one towards higher IDs is not.
		 */
		if (backward)
			CHECK(j.problems > 0);
		else
			CHECK_EQ(j.problems, 0);
		/*
		 * C prints every typedef of a chain towards lower IDs; one
		 * towards higher IDs nests past the C printer's documented
		 * depth bound (512, src/dump/c_int.h) and fails cleanly.
		 */
		if (backward) {
			CHECK_EQ(j.c_err, -ELOOP);
		} else {
			CHECK_EQ(j.c_err, 0);
			CHECK(j.c_len > CHAIN * strlen("typedef t t;"));
		}
		CHECK_EQ(j.json_err, 0);
		CHECK(j.json_len > CHAIN * 20);
		CHECK(j.seconds < 10);
		free(j.dump);
		bk_btf_free(btf);
	}
}

/* A cycle of n modifiers (const, volatile, restrict, type tag in turn). */
static struct bk_btf *modifier_cycle(uint32_t n, bool with_typedef)
{
	static const unsigned kinds[] = { BK_KIND_CONST, BK_KIND_VOLATILE, BK_KIND_RESTRICT,
					  BK_KIND_TYPE_TAG };
	struct blob b = { 0 };
	struct bk_btf *btf;
	uint8_t *data;
	size_t size;

	for (uint32_t i = 0; i < n; i++) {
		unsigned k = with_typedef && i == n / 2 ? BK_KIND_TYPEDEF : kinds[i % 4];

		rec(&b, k == BK_KIND_TYPE_TAG || k == BK_KIND_TYPEDEF ? "tag" : NULL, k, 0, false,
		    i + 1 < n ? i + 2 : 1);
	}
	data = finish(&b, &size);
	btf = bk_btf_from_mem(data, size, NULL);
	free(data);
	return btf;
}

TEST(limits_modifier_cycles_end_in_eloop)
{
	static const uint32_t lens[] = { 1, 2, 3, 7, CHAIN };

	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		for (int td = 0; td < 2; td++) {
			struct bk_btf *btf = modifier_cycle(lens[i], td && lens[i] > 1);
			struct walk_job j = { .btf = btf, .id = 1 };

			REQUIRE(btf);
			REQUIRE(walk_small_stack(&j));
			CHECK_EQ(j.resolve, -ELOOP);
			if (td && lens[i] > 1)
				CHECK_EQ(j.skip_mods, (int)lens[i] / 2 + 1); /* stops at the typedef */
			else
				CHECK_EQ(j.skip_mods, -ELOOP);
			CHECK_EQ(j.size, -ELOOP);
			CHECK_EQ(j.align, -ELOOP);
			CHECK_EQ(count_lines(j.dump), lens[i]);
			CHECK(j.problems > 0); /* "Loop detected" */
			/* C refuses a type cycle; JSON prints it */
			CHECK(j.c_err < 0);
			CHECK_EQ(j.json_err, 0);
			CHECK(j.seconds < 10);
			free(j.dump);
			bk_btf_free(btf);
		}
	}
}

TEST(limits_struct_containing_itself)
{
	struct blob b = { 0 };
	uint32_t i = add_int(&b, "int", 4);
	struct bk_btf *btf;
	uint8_t *data;
	size_t size;

	/* [2] struct a { int x; struct a self; const b_t y; }, [3] const [4], [4] typedef b_t -> [2] */
	rec(&b, "a", BK_KIND_STRUCT, 3, false, 12);
	put(&b, str(&b, "x"));
	put(&b, i);
	put(&b, 0);
	put(&b, str(&b, "self"));
	put(&b, 2);
	put(&b, 32);
	put(&b, str(&b, "y"));
	put(&b, 3);
	put(&b, 64);
	rec(&b, NULL, BK_KIND_CONST, 0, false, 4);
	rec(&b, "b_t", BK_KIND_TYPEDEF, 0, false, 2);
	data = finish(&b, &size);
	btf = bk_btf_from_mem(data, size, NULL);
	free(data);
	REQUIRE(btf);
	CHECK_EQ(bk_btf_align(btf, 2), -ELOOP);
	CHECK_EQ(bk_btf_align(btf, 4), -ELOOP);
	CHECK_EQ(bk_btf_resolve_size(btf, 4), 12); /* a size does not need members */
	bk_btf_free(btf);
}

TEST(limits_struct_dag_is_linear)
{
	/*
	 * 60 levels of "struct sN { struct sN+1 a, b; }" over an int: without
	 * memoization the alignment walk would visit 2^60 members.
	 */
	struct blob b = { 0 };
	uint32_t levels = 60, leaf = add_int(&b, "int", 4);
	struct bk_btf *btf;
	struct timespec t0, t1;
	uint8_t *data;
	size_t size;

	for (uint32_t l = 0; l < levels; l++) {
		/* ID 2 + l contains two of ID 3 + l; the last contains ints */
		uint32_t inner = l + 1 < levels ? l + 3 : leaf;

		rec(&b, "s", BK_KIND_STRUCT, 2, false, 8);
		put(&b, str(&b, "a"));
		put(&b, inner);
		put(&b, 0);
		put(&b, str(&b, "b"));
		put(&b, inner);
		put(&b, 0);
	}
	data = finish(&b, &size);
	btf = bk_btf_from_mem(data, size, NULL);
	free(data);
	REQUIRE(btf);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_EQ(bk_btf_align(btf, 2), 4);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	CHECK(t1.tv_sec - t0.tv_sec < 2);
	bk_btf_free(btf);
}

TEST(limits_array_size_overflow)
{
	struct blob b = { 0 };
	uint32_t i = add_int(&b, "int", 4), a1, a2, a3, z;
	struct bk_btf *btf;
	uint8_t *data;
	size_t size;

	a1 = add_array(&b, i, i, 0x10000);     /* 256 KiB */
	a2 = add_array(&b, a1, i, 0x4000);     /* 4 GiB: too big for u32 */
	a3 = add_array(&b, a1, i, 0x3fff);     /* 4 GiB - 256 KiB: fits */
	z = add_array(&b, a2, i, 0);           /* zero elements of a too-big type */
	data = finish(&b, &size);
	btf = bk_btf_from_mem(data, size, NULL);
	free(data);
	REQUIRE(btf);
	CHECK_EQ(bk_btf_resolve_size(btf, a1), 0x40000);
	CHECK_EQ(bk_btf_resolve_size(btf, a2), -E2BIG);
	CHECK_EQ(bk_btf_resolve_size(btf, a3), 0x3fffull * 0x40000);
	CHECK_EQ(bk_btf_resolve_size(btf, z), 0);
	bk_btf_free(btf);
}

TEST(limits_parse_memory_is_linear)
{
	/* 100,000 types: everything parse and the queries allocate stays a small multiple */
	size_t size;
	uint8_t *data = typedef_chain(false, &size);

	parse_bounded(data, size, 0, 2 * size + 65536, 4 * size + 65536, "100k typedef chain");
	free(data);
}

/* ---- decompression bombs ---------------------------------------------- */

/* gzip of prefix followed by zeros bytes of zeros. */
static uint8_t *gzip_bomb(const uint8_t *prefix, size_t prefix_len, size_t zeros, size_t *size)
{
	static uint8_t chunk[1 << 16];
	size_t cap = zeros / 256 + prefix_len + 4096;
	uint8_t *out = malloc(cap);
	z_stream z;

	if (!out)
		abort();
	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		abort();
	z.next_out = out;
	z.avail_out = (uInt)cap;
	z.next_in = (Bytef *)prefix;
	z.avail_in = (uInt)prefix_len;
	if (deflate(&z, Z_NO_FLUSH) != Z_OK)
		abort();
	for (size_t left = zeros; left;) {
		size_t n = left < sizeof(chunk) ? left : sizeof(chunk);

		z.next_in = chunk;
		z.avail_in = (uInt)n;
		if (deflate(&z, Z_NO_FLUSH) != Z_OK)
			abort();
		left -= n;
	}
	if (deflate(&z, Z_FINISH) != Z_STREAM_END)
		abort();
	*size = z.total_out;
	deflateEnd(&z);
	return out;
}

TEST(limits_decompression_bombs_stop_early)
{
	size_t btf_len, size;
	uint8_t *btf = small_btf(&btf_len), *gz;

	/* 32 MiB of zeros: not BTF, stopped after the first MiB */
	gz = gzip_bomb(NULL, 0, (size_t)32 << 20, &size);
	parse_bounded(gz, size, -EINVAL, (3u << 20), (8u << 20), "gzip of 32 MiB of zeros");
	free(gz);
	/* BTF followed by 32 MiB of zeros: parsed, the zeros never inflated */
	gz = gzip_bomb(btf, btf_len, (size_t)32 << 20, &size);
	parse_bounded(gz, size, 0, (3u << 20), (8u << 20), "gzip of BTF + 32 MiB of zeros");
	free(gz);
	free(btf);
}

/* ---- output bounded by the input -------------------------------------- */

TEST(limits_c_padding_is_budgeted)
{
	/*
	 * Gaps between members are printed as anonymous bitfields, one line
	 * per 64 bits. A 1 KiB input with 64 members 4 MiB apart asked for
	 * 33 million lines (each gap under the old per-gap limit); the
	 * budget over the whole dump stops it, before printing a gap that
	 * would cross it.
	 */
	struct blob b = { 0 };
	uint32_t i = add_int(&b, "int", 4);
	struct bk_btf *btf;
	uint8_t *data;
	size_t size, len;
	int err;

	rec(&b, "big", BK_KIND_STRUCT, 64, false, 64u << 22);
	for (uint32_t m = 0; m < 64; m++) {
		char name[8];

		snprintf(name, sizeof(name), "m%u", m);
		put(&b, str(&b, name));
		put(&b, i);
		put(&b, m << 25); /* bits: 4 MiB apart */
	}
	/* a struct of 822 MB with no members: one huge gap */
	rec(&b, "huge", BK_KIND_STRUCT, 0, false, 822083648);
	data = finish(&b, &size);
	btf = bk_btf_from_mem(data, size, NULL);
	free(data);
	REQUIRE(btf);
	err = dump_len(btf, BK_FORMAT_C, &len);
	CHECK_EQ(err, -E2BIG);
	CHECK(len < (32u << 20)); /* at most the budget's ~10 MB, not 330 MB */
	{
		uint32_t huge = 3;
		struct bk_dump_opts o = { .sz = sizeof(o), .format = BK_FORMAT_C, .ids = &huge, .nr_ids = 1 };
		struct bk_sink sink = { count_bytes, &len };

		len = 0;
		CHECK_EQ(bk_dump(btf, &sink, &o), -E2BIG);
		CHECK(len < 4096); /* refused before printing the gap */
	}
	bk_btf_free(btf);
}

/* ---- output files --------------------------------------------------------- */

TEST(limits_write_file_keeps_devices_and_links)
{
	/*
	 * bk_btf_write_file replaces regular files by rename; a device (a
	 * private twin of /dev/null) is written in place and stays a device,
	 * and a symlink keeps pointing at its file, which gets the data.
	 */
	char dir[] = "/tmp/btfkit-limits.XXXXXX", dev[64], link[64], target[64];
	struct bk_btf *btf = bk_btf_open(bt_data("sample.bpf.o"), NULL), *back;
	struct stat st;

	REQUIRE(btf);
	REQUIRE(mkdtemp(dir));
	snprintf(dev, sizeof(dev), "%s/null", dir);
	snprintf(link, sizeof(link), "%s/link", dir);
	snprintf(target, sizeof(target), "%s/target", dir);
	if (mknod(dev, S_IFCHR | 0666, makedev(1, 3)) == 0) {
		CHECK_EQ(bk_btf_write_file(btf, dev), 0);
		CHECK(stat(dev, &st) == 0 && S_ISCHR(st.st_mode));
		unlink(dev);
	}
	{
		FILE *f = fopen(target, "w");

		REQUIRE(f);
		fputs("old", f);
		fclose(f);
	}
	CHECK(symlink("target", link) == 0);
	CHECK_EQ(bk_btf_write_file(btf, link), 0);
	CHECK(lstat(link, &st) == 0 && S_ISLNK(st.st_mode));
	back = bk_btf_open(target, NULL);
	CHECK(back && bk_btf_type_cnt(back) == bk_btf_type_cnt(btf));
	bk_btf_free(back);
	CHECK_EQ(bk_btf_write_file(btf, dir), -EISDIR);
	unlink(link);
	unlink(target);
	CHECK(rmdir(dir) == 0); /* no temporary file left */
	bk_btf_free(btf);
}
