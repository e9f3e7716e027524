// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * kernel_agree: does `btfkit validate` accept exactly what the running
 * kernel's BTF loader accepts?
 *
 * Seeds (all standalone, loadable with BPF_BTF_LOAD):
 *  - a hand-built blob with every kind (valid);
 *  - a blob built with the writer API (bk_btf_add_*; its serialized form,
 *    with the writer's 32-byte header, is judged as is too);
 *  - tests/data/sample.bpf.o's BTF, made loadable the way libbpf does before
 *    loading (DATASEC sizes filled in, a size-0 enum forward made 4 bytes);
 *  - small corpus modules made standalone: the module's own types plus the
 *    closure of the vmlinux types they reference (pointers to base structs
 *    become FWDs), renumbered into one blob: the kernel's BPF_BTF_LOAD takes
 *    no base BTF (bpf_attr has no base fd on this kernel), so split BTF
 *    cannot be loaded directly;
 *  - the corpus vmlinux itself (100,642 types), for a few variants (-b N).
 * Variants: single mutations of header fields, type records (kind, vlen,
 * kflag, size/type, name offsets, payload words and bits), strings, raw
 * bytes, a few double mutations, structured invalid (and valid) types
 * appended to a seed (NR_TEMPLATES + 1 templates), and the limits (0xfffff
 * types, 16 MiB).
 *
 * Each variant is loaded with the bpf(2) syscall and run through the
 * parser and bk_btf_validate(). A false accept (kernel rejects, btfkit
 * accepts) or false reject (the reverse) is printed with the kernel's log
 * and btfkit's first problem.
 *
 * Usage: kernel_agree [-n VARIANTS] [-b VMLINUX_VARIANTS] [-s SEED] [-v] SAMPLE.o [VMLINUX MODULE...]
 *        kernel_agree --load FILE   (load one raw blob, print the verdict and log)
 * Prints "PASS validate/kernel-agree: ..." or FAIL or SKIP lines.
 */
#include <errno.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "btfkit/btf.h"
#include "btfkit/validate.h"
#include "btfkit/write.h"

#define NAME "validate/kernel-agree"

/* ---- growable byte buffer -------------------------------------------- */

struct buf {
	uint8_t *p;
	size_t len, cap;
};

static void buf_put(struct buf *b, const void *d, size_t n)
{
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 4096;

		while (cap < b->len + n)
			cap *= 2;
		b->p = realloc(b->p, cap);
		if (!b->p) {
			perror("realloc");
			exit(2);
		}
		b->cap = cap;
	}
	memcpy(b->p + b->len, d, n);
	b->len += n;
}

static void buf_u32(struct buf *b, uint32_t v)
{
	buf_put(b, &v, 4);
}

/* A standalone BTF being built: records and strings. */
struct seed {
	const char *name;
	struct buf types, strs;
	uint32_t nr;        /* types (IDs 1..nr) */
	uint32_t *offs;     /* record offsets, nr entries (filled by index_seed) */
	uint32_t some_int;  /* an INT ID (regular, 4 bytes) or 0 */
	uint32_t some_struct;
};

static uint32_t add_str(struct seed *s, const char *str)
{
	uint32_t off;

	if (!str || !*str)
		return 0;
	off = (uint32_t)s->strs.len;
	buf_put(&s->strs, str, strlen(str) + 1);
	return off;
}

static uint32_t add_type(struct seed *s, const char *name, unsigned kind, unsigned vlen, bool kflag,
			 uint32_t size_or_type)
{
	buf_u32(&s->types, add_str(s, name));
	buf_u32(&s->types, bk_info(kind, vlen, kflag));
	buf_u32(&s->types, size_or_type);
	return ++s->nr;
}

static void add_word(struct seed *s, uint32_t w)
{
	buf_u32(&s->types, w);
}

static void seed_init(struct seed *s, const char *name)
{
	memset(s, 0, sizeof(*s));
	s->name = name;
	buf_put(&s->strs, "", 1);
}

static void seed_free(struct seed *s)
{
	free(s->types.p);
	free(s->strs.p);
	free(s->offs);
}

/* header | types | strings */
static void serialize(const struct seed *s, struct buf *out)
{
	uint32_t h[6];

	out->len = 0;
	h[0] = 0x0001eb9f; /* magic, version 1, flags 0 (little endian host) */
	h[1] = 24;
	h[2] = 0;
	h[3] = (uint32_t)s->types.len;
	h[4] = (uint32_t)s->types.len;
	h[5] = (uint32_t)s->strs.len;
	buf_put(out, h, sizeof(h));
	buf_put(out, s->types.p, s->types.len);
	buf_put(out, s->strs.p, s->strs.len);
}

/* Record offsets of a seed, through the parser. */
static int index_seed(struct seed *s)
{
	struct buf b = { 0 };
	struct bk_btf *btf;

	serialize(s, &b);
	btf = bk_btf_from_mem(b.p, b.len, NULL);
	if (!btf) {
		free(b.p);
		return -1;
	}
	s->nr = bk_btf_type_cnt(btf) - 1;
	free(s->offs);
	s->offs = calloc(s->nr + 1, sizeof(uint32_t));
	for (uint32_t id = 1; id <= s->nr; id++) {
		const struct bk_type *t = bk_btf_type(btf, id);

		s->offs[id - 1] = (uint32_t)((const uint8_t *)t - (const uint8_t *)bk_btf_type(btf, 1));
		if (!s->some_int && bk_kind(t) == BK_KIND_INT && t->size == 4 && bk_int_bits(t) == 32)
			s->some_int = id;
		if (!s->some_struct && bk_kind(t) == BK_KIND_STRUCT && bk_vlen(t) > 1)
			s->some_struct = id;
	}
	bk_btf_free(btf);
	free(b.p);
	return 0;
}

/* ---- the kernel ------------------------------------------------------- */

static char klog[1 << 22];

static int kernel_load(const void *data, size_t size, bool with_log)
{
	union bpf_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.btf = (uint64_t)(uintptr_t)data;
	attr.btf_size = (uint32_t)size;
	if (with_log) {
		klog[0] = '\0';
		attr.btf_log_buf = (uint64_t)(uintptr_t)klog;
		attr.btf_log_size = sizeof(klog);
		attr.btf_log_level = 1;
	}
	fd = (int)syscall(__NR_bpf, BPF_BTF_LOAD, &attr, sizeof(attr));
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/* The last line of the kernel log (its error message). */
static const char *klog_last(void)
{
	size_t n = strlen(klog);

	while (n && klog[n - 1] == '\n')
		klog[--n] = '\0';
	while (n && klog[n - 1] != '\n')
		n--;
	return klog + n;
}

/* ---- btfkit ----------------------------------------------------------- */

static char first_problem[600];

static int first_cb(const struct bk_problem *p, void *ctx)
{
	char where[200] = "";

	(void)ctx;
	bk_problem_where(p, where, sizeof(where));
	snprintf(first_problem, sizeof(first_problem), "%s (%s)", p->msg, where);
	return 1;
}

/* 0 when btfkit accepts the blob. */
static int btfkit_check(const void *data, size_t size)
{
	struct bk_diag diag = { 0 };
	struct bk_open_opts oo = { .sz = sizeof(oo), .diag = &diag };
	struct bk_validate_opts vo = { .sz = sizeof(vo), .cb = first_cb };
	struct bk_btf *btf;
	int n;

	first_problem[0] = '\0';
	btf = bk_btf_from_mem(data, size, &oo);
	if (!btf) {
		snprintf(first_problem, sizeof(first_problem), "parse: %s", diag.msg);
		return -1;
	}
	n = bk_btf_validate(btf, &vo);
	bk_btf_free(btf);
	return n == 0 ? 0 : -1;
}

#define NR_TEMPLATES 76

/* ---- statistics ------------------------------------------------------- */

static struct {
	unsigned long variants, kacc, krej, false_acc, false_rej, known_rej;
	unsigned long per_class[16][2]; /* [class][kernel accepted?] */
} st;
static bool verbose;
static unsigned long tpl_stats[NR_TEMPLATES + 1][2];
static const char *tpl_desc[NR_TEMPLATES + 1];
static const char *const class_names[] = { "header", "type-field", "payload", "string",
					   "structured", "bytes", "seed", "double" };

static void judge(const char *seed, int cls, const char *what, const uint8_t *data, size_t size)
{
	int k = kernel_load(data, size, false);
	int b = btfkit_check(data, size);

	st.variants++;
	st.per_class[cls][k == 0]++;
	if (k == 0)
		st.kacc++;
	else
		st.krej++;
	if ((k == 0) == (b == 0))
		return;
	kernel_load(data, size, true);
	if (k != 0) {
		st.false_acc++;
		printf("false accept: %s %s: kernel: %s (%d); btfkit accepts\n", seed, what,
		       klog_last(), k);
	} else if (!strncmp(first_problem, "Exceeded max num of types", 25)) {
		/*
		 * Kernels up to 6.x cap BTF at BTF_MAX_TYPE = 0xfffff types (void
		 * included); newer ones (this one) accept more. btfkit keeps the
		 * older cap so what it accepts loads on those kernels too.
		 */
		st.known_rej++;
		printf("known false reject: %s %s: this kernel accepts more than 0xfffff types, older kernels (and btfkit) do not\n",
		       seed, what);
	} else {
		st.false_rej++;
		printf("false reject: %s %s: kernel accepts; btfkit: %s\n", seed, what, first_problem);
	}
}

/* ---- PRNG ------------------------------------------------------------- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 16);
}

static uint32_t rnd_below(uint32_t n)
{
	return n ? rnd() % n : 0;
}

/* ---- mutations -------------------------------------------------------- */

static uint32_t get32(const struct buf *b, size_t off)
{
	uint32_t v;

	memcpy(&v, b->p + off, 4);
	return v;
}

static void set32(struct buf *b, size_t off, uint32_t v)
{
	memcpy(b->p + off, &v, 4);
}

/* An interesting replacement for a 32-bit field holding v in a seed of nr types. */
static uint32_t interesting(uint32_t v, uint32_t nr, uint32_t self, uint32_t str_len)
{
	switch (rnd_below(16)) {
	case 0: return 0;
	case 1: return v + 1;
	case 2: return v - 1;
	case 3: return rnd();
	case 4: return rnd_below(nr + 2);
	case 5: return self;
	case 6: return nr;
	case 7: return nr + 1;
	case 8: return 0xfffff;
	case 9: return 0xffffffff;
	case 10: return v ^ (1u << rnd_below(32));
	case 11: return rnd_below(str_len + 2);
	case 12: return v + 8;
	case 13: return v * 2;
	case 14: return 1u << rnd_below(32);
	default: return rnd_below(64);
	}
}

static void mutate_header(struct buf *b, char *what, size_t wlen)
{
	static const uint32_t hdr_lens[] = { 0, 4, 8, 16, 20, 23, 25, 28, 32, 4097, 0x18000000 };
	unsigned f = rnd_below(9);

	switch (f) {
	case 0: /* magic */
		b->p[rnd_below(2)] ^= (uint8_t)(1u << rnd_below(8));
		snprintf(what, wlen, "header magic %02x%02x", b->p[0], b->p[1]);
		break;
	case 1:
		b->p[2] = (uint8_t)(rnd_below(3) == 0 ? rnd() : rnd_below(3));
		snprintf(what, wlen, "header version %u", b->p[2]);
		break;
	case 2:
		b->p[3] = (uint8_t)(rnd_below(2) ? 1u << rnd_below(8) : rnd_below(2));
		snprintf(what, wlen, "header flags %u", b->p[3]);
		break;
	case 3:
		set32(b, 4, hdr_lens[rnd_below(sizeof(hdr_lens) / 4)]);
		snprintf(what, wlen, "header hdr_len %u", get32(b, 4));
		break;
	case 4: { /* grow the header: zero or non-zero extra bytes */
		uint32_t extra = 1 + rnd_below(12), hl = get32(b, 4);
		struct buf nb = { 0 };
		uint8_t z[16] = { 0 };
		bool nz = rnd_below(2);

		if (nz)
			z[rnd_below(extra)] = (uint8_t)(1 + rnd_below(255));
		buf_put(&nb, b->p, hl);
		buf_put(&nb, z, extra);
		buf_put(&nb, b->p + hl, b->len - hl);
		set32(&nb, 4, hl + extra);
		free(b->p);
		*b = nb;
		snprintf(what, wlen, "header grown by %u %s bytes", extra, nz ? "non-zero" : "zero");
		break;
	}
	default: { /* section fields */
		unsigned w = 2 + (f - 5);
		uint32_t v = get32(b, 4 * w);

		set32(b, 4 * w, interesting(v, 0, v, (uint32_t)b->len));
		snprintf(what, wlen, "header word %u %u -> %u", w, v, get32(b, 4 * w));
		break;
	}
	}
}

static void mutate_bytes(struct buf *b, char *what, size_t wlen)
{
	switch (rnd_below(4)) {
	case 0: { /* trailing garbage */
		uint32_t n = 1 + rnd_below(8);

		for (uint32_t i = 0; i < n; i++) {
			uint8_t c = (uint8_t)(rnd_below(2) ? 0 : rnd());

			buf_put(b, &c, 1);
		}
		snprintf(what, wlen, "%u bytes appended", n);
		break;
	}
	case 1: { /* truncated */
		uint32_t n = 1 + rnd_below(8);

		if (n < b->len)
			b->len -= n;
		snprintf(what, wlen, "%u bytes cut", n);
		break;
	}
	default: { /* random byte anywhere */
		size_t off = rnd_below((uint32_t)b->len);

		b->p[off] = (uint8_t)rnd();
		snprintf(what, wlen, "byte %zu := 0x%02x", off, b->p[off]);
		break;
	}
	}
}

static void mutate_type(const struct seed *s, struct buf *b, int cls, char *what, size_t wlen)
{
	uint32_t id = 1 + rnd_below(s->nr);
	size_t rec = 24 + s->offs[id - 1];
	size_t next = id < s->nr ? 24 + s->offs[id] : 24 + s->types.len;
	uint32_t info = get32(b, rec + 4);

	if (cls == 2 && next - rec > 12) { /* payload word */
		size_t w = rec + 12 + 4 * rnd_below((uint32_t)(next - rec - 12) / 4);
		uint32_t v = get32(b, w);

		set32(b, w, interesting(v, s->nr, id, (uint32_t)s->strs.len));
		snprintf(what, wlen, "type [%u] %s payload word +%zu %u -> %u", id,
			 bk_kind_name((info >> 24) & 0x1f), w - rec, v, get32(b, w));
		return;
	}
	switch (rnd_below(8)) {
	case 0: {
		uint32_t v = get32(b, rec);

		set32(b, rec, interesting(v, s->nr, id, (uint32_t)s->strs.len));
		snprintf(what, wlen, "type [%u] name_off %u -> %u", id, v, get32(b, rec));
		break;
	}
	case 1:
		info = (info & ~(0x7fu << 24)) | (rnd_below(rnd_below(4) ? 20 : 32) << 24);
		break;
	case 2:
		info = (info & 0xffff0000u) | ((info + (rnd_below(2) ? 1 : 0xffff)) & 0xffff);
		break;
	case 3:
		info &= 0xffff0000u;
		break;
	case 4:
		info ^= 1u << 31;
		break;
	case 5:
		info ^= 1u << (16 + rnd_below(15));
		break;
	default: {
		uint32_t v = get32(b, rec + 8);

		set32(b, rec + 8, interesting(v, s->nr, id, (uint32_t)s->strs.len));
		snprintf(what, wlen, "type [%u] %s size/type %u -> %u", id,
			 bk_kind_name((info >> 24) & 0x1f), v, get32(b, rec + 8));
		return;
	}
	}
	if (info != get32(b, rec + 4) || !what[0]) {
		snprintf(what, wlen, "type [%u] info %08x -> %08x", id, get32(b, rec + 4), info);
		set32(b, rec + 4, info);
	}
}

/* Corrupt one character of a string that a type uses as its name. */
static void mutate_string(const struct seed *s, struct buf *b, char *what, size_t wlen)
{
	static const char repl[] = { '-', '0', ' ', '.', '_', 'a', (char)0x80, (char)0xc0, (char)0xd7,
				     (char)0xe9, '\0', '$', '\n' };
	size_t sbase = 24 + s->types.len;

	for (int tries = 0; tries < 20; tries++) {
		uint32_t id = 1 + rnd_below(s->nr);
		uint32_t off = get32(b, 24 + s->offs[id - 1]);
		size_t len, pos;
		char c;

		if (!off || off >= s->strs.len)
			continue;
		len = strlen((const char *)b->p + sbase + off);
		if (!len)
			continue;
		pos = rnd_below(2) ? 0 : rnd_below((uint32_t)len);
		c = repl[rnd_below(sizeof(repl))];
		b->p[sbase + off + pos] = (uint8_t)c;
		snprintf(what, wlen, "type [%u] name char %zu := 0x%02x", id, pos, (uint8_t)c);
		return;
	}
	snprintf(what, wlen, "no named type");
}

/* ---- structured types appended to a seed ----------------------------- */

/*
 * Each template appends a few types to a copy of the seed. int_id is a
 * 4-byte INT of the seed (or 0: one is added). Some templates are valid
 * (checking for false rejects), most are not.
 */

static void member(struct seed *s, const char *name, uint32_t type, uint32_t off)
{
	add_word(s, add_str(s, name));
	add_word(s, type);
	add_word(s, off);
}

/* One field struct named name of the given size. */
static uint32_t special(struct seed *s, const char *name, uint32_t size, uint32_t i32)
{
	uint32_t id = add_type(s, name, BK_KIND_STRUCT, 1, 0, size);

	member(s, "x", i32, 0);
	return id;
}

/* BPF special fields (bpf_spin_lock and friends), checked after the types. */
static const char *special_template(struct seed *s, int which, uint32_t i32)
{
	uint32_t l, n, h, foo, sid;

	switch (which) {
	case 0:
		l = special(s, "bpf_spin_lock", 4, i32);
		add_type(s, "two_locks", BK_KIND_STRUCT, 2, 0, 8);
		member(s, "a", l, 0), member(s, "b", l, 32);
		return "special: two bpf_spin_lock";
	case 1:
		l = special(s, "bpf_spin_lock", 4, i32);
		add_type(s, "one_lock", BK_KIND_STRUCT, 2, 0, 8);
		member(s, "a", l, 0), member(s, "b", i32, 32);
		return "special: one bpf_spin_lock (valid)";
	case 2:
		l = special(s, "bpf_spin_lock", 4, i32);
		add_type(s, "mis", BK_KIND_STRUCT, 2, 0, 12);
		member(s, "b", i32, 0), member(s, "a", l, 48);
		return "special: misaligned bpf_spin_lock";
	case 3:
	case 4:
	case 5:
	case 6:
	case 7:
	case 8: {
		/* list head: fine, no lock, no tag, missing struct, wrong node, two tags */
		static const char *const tags[] = { "contains:foo_s:node", "contains:foo_s:node", NULL,
						    "contains:bar_s:node", "contains:foo_s:x",
						    "contains:foo_s:node" };
		static const char *const what[] = { "special: list head (valid)", "special: list head, no lock",
						    "special: list head, no contains tag",
						    "special: list head of a missing struct",
						    "special: list head of a non-node member",
						    "special: list head with two tags" };

		l = special(s, "bpf_spin_lock", 4, i32);
		n = special(s, "bpf_list_node", 24, i32);
		h = special(s, "bpf_list_head", 16, i32);
		foo = add_type(s, "foo_s", BK_KIND_STRUCT, 2, 0, 32);
		member(s, "node", n, 0), member(s, "x", i32, 192);
		sid = add_type(s, "holder", BK_KIND_STRUCT, 2, 0, 24);
		member(s, "head", h, 0), member(s, "lock", which == 4 ? i32 : l, 128);
		if (tags[which - 3]) {
			add_type(s, tags[which - 3], BK_KIND_DECL_TAG, 0, 0, sid);
			add_word(s, 0);
		}
		if (which == 8) {
			add_type(s, tags[which - 3], BK_KIND_DECL_TAG, 0, 0, sid);
			add_word(s, 0);
		}
		(void)foo;
		return what[which - 3];
	}
	case 9:
		n = special(s, "bpf_list_node", 24, i32);
		add_type(s, "bits", BK_KIND_STRUCT, 2, 0, 32);
		member(s, "x", i32, 4), member(s, "node", n, 64);
		return "special: bit offset in a struct with a node";
	case 10:
		l = special(s, "bpf_spin_lock", 4, i32);
		foo = add_type(s, "inner_s", BK_KIND_STRUCT, 1, 0, 4);
		member(s, "l", l, 0);
		add_type(s, "outer_s", BK_KIND_STRUCT, 2, 0, 8);
		member(s, "i", foo, 0), member(s, "l", l, 32);
		return "special: nested lock and lock (valid)";
	case 11:
		n = special(s, "bpf_list_node", 24, i32);
		add_type(s, NULL, BK_KIND_PTR, 0, 0, i32);
		add_type(s, "mis_node", BK_KIND_STRUCT, 2, 0, 40);
		member(s, "p", n + 1, 0), member(s, "node", n, 96);
		return "special: misaligned node and a pointer";
	default:
		l = special(s, "bpf_spin_lock", 4, i32);
		add_type(s, NULL, BK_KIND_ARRAY, 0, 0, 0);
		add_word(s, l), add_word(s, i32), add_word(s, 2);
		n = special(s, "bpf_list_node", 24, i32);
		add_type(s, "lock_arr", BK_KIND_STRUCT, 2, 0, 32);
		member(s, "node", n, 0), member(s, "locks", l + 1, 192);
		return "special: array of two locks";
	}
}

static const char *apply_template(struct seed *s, int tpl)
{
	uint32_t i32 = s->some_int, n0;
	char longname[600];

	if (!i32) {
		i32 = add_type(s, "int", BK_KIND_INT, 0, 0, 4);
		add_word(s, (BK_INT_SIGNED << 24) | 32);
	}
	n0 = s->nr + 1; /* first ID this template adds */
	switch (tpl) {
	case 0:
		add_type(s, "t_self", BK_KIND_TYPEDEF, 0, 0, n0);
		return "typedef to itself";
	case 1:
		add_type(s, NULL, BK_KIND_CONST, 0, 0, n0 + 1);
		add_type(s, NULL, BK_KIND_VOLATILE, 0, 0, n0);
		return "const/volatile cycle";
	case 2:
		add_type(s, "s_self", BK_KIND_STRUCT, 1, 0, 8);
		add_word(s, add_str(s, "x")), add_word(s, n0), add_word(s, 0);
		return "struct containing itself";
	case 3:
		add_type(s, "s_ptr", BK_KIND_STRUCT, 1, 0, 8);
		add_word(s, add_str(s, "next")), add_word(s, n0 + 1), add_word(s, 0);
		add_type(s, NULL, BK_KIND_PTR, 0, 0, n0);
		return "struct with pointer to itself (valid)";
	case 4:
	case 5:
	case 6:
	case 7: {
		/* typedef chains of 30, 31, 32, 33 */
		int len = 30 + (tpl - 4);

		for (int i = 0; i < len; i++) {
			char nm[16];

			snprintf(nm, sizeof(nm), "td%d", i);
			add_type(s, nm, BK_KIND_TYPEDEF, 0, 0, i == len - 1 ? i32 : n0 + (uint32_t)i + 1);
		}
		return "typedef chain";
	}
	case 8:
		add_type(s, "v", BK_KIND_VAR, 0, 0, i32);
		add_word(s, 0);
		add_type(s, NULL, BK_KIND_PTR, 0, 0, n0);
		return "pointer to VAR";
	case 9:
		add_type(s, NULL, BK_KIND_ARRAY, 0, 0, 0);
		add_word(s, 0), add_word(s, i32), add_word(s, 4);
		return "array of void";
	case 10:
		add_type(s, "fw", BK_KIND_FWD, 0, 0, 0);
		add_type(s, NULL, BK_KIND_ARRAY, 0, 0, 0);
		add_word(s, n0), add_word(s, i32), add_word(s, 4);
		return "array of FWD";
	case 11:
		add_type(s, "c3", BK_KIND_INT, 0, 0, 1);
		add_word(s, 3);
		add_type(s, NULL, BK_KIND_ARRAY, 0, 0, 0);
		add_word(s, n0), add_word(s, i32), add_word(s, 4);
		return "array of 3-bit int";
	case 12:
		add_type(s, "c3", BK_KIND_INT, 0, 0, 1);
		add_word(s, 3);
		add_type(s, NULL, BK_KIND_ARRAY, 0, 0, 0);
		add_word(s, i32), add_word(s, n0), add_word(s, 4);
		return "array indexed by 3-bit int";
	case 13:
		add_type(s, NULL, BK_KIND_ARRAY, 0, 0, 0);
		add_word(s, i32), add_word(s, i32), add_word(s, 0x40000001);
		return "array size overflow";
	case 14:
		add_type(s, NULL, BK_KIND_ARRAY, 0, 0, 0);
		add_word(s, n0), add_word(s, i32), add_word(s, 2);
		return "array of itself";
	case 15:
		add_type(s, "fw", BK_KIND_FWD, 0, 0, 0);
		add_type(s, "s_fwd", BK_KIND_STRUCT, 1, 0, 8);
		add_word(s, add_str(s, "f")), add_word(s, n0), add_word(s, 0);
		return "struct member of FWD type";
	case 16:
		add_type(s, "s_big", BK_KIND_STRUCT, 2, 0, 4);
		add_word(s, add_str(s, "a")), add_word(s, i32), add_word(s, 0);
		add_word(s, add_str(s, "b")), add_word(s, i32), add_word(s, 32);
		return "member past struct size";
	case 17:
		add_type(s, "u", BK_KIND_UNION, 2, 0, 4);
		add_word(s, add_str(s, "a")), add_word(s, i32), add_word(s, 0);
		add_word(s, add_str(s, "b")), add_word(s, i32), add_word(s, 8);
		return "union member with offset";
	case 18:
	case 19:
	case 20:
	case 21: {
		/* kflag bitfields: valid (3 bits), too wide, misaligned non-bitfield, base not regular */
		static const uint32_t offs[] = { (3u << 24) | 5, (33u << 24) | 0, 4, (3u << 24) | 0 };

		add_type(s, "bf", BK_KIND_STRUCT, 1, 1, 4);
		add_word(s, add_str(s, "x")), add_word(s, i32), add_word(s, offs[tpl - 18]);
		return "kflag bitfield";
	}
	case 22:
		add_type(s, "fl", BK_KIND_FLOAT, 0, 0, 8);
		add_type(s, "s_fl", BK_KIND_STRUCT, 1, 0, 16);
		add_word(s, add_str(s, "d")), add_word(s, n0), add_word(s, 32);
		return "float member at 4-byte offset";
	case 23:
		add_type(s, "fn", BK_KIND_FUNC, 0, 0, i32);
		return "FUNC to INT";
	case 24:
		add_type(s, NULL, BK_KIND_FUNC_PROTO, 1, 0, i32);
		add_word(s, 0), add_word(s, i32);
		add_type(s, "fn", BK_KIND_FUNC, 0, 0, n0);
		return "FUNC with unnamed argument";
	case 25:
		add_type(s, NULL, BK_KIND_FUNC_PROTO, 2, 0, i32);
		add_word(s, 0), add_word(s, 0);
		add_word(s, add_str(s, "a")), add_word(s, i32);
		return "vararg not last";
	case 26:
		add_type(s, NULL, BK_KIND_FUNC_PROTO, 2, 0, i32);
		add_word(s, add_str(s, "a")), add_word(s, i32);
		add_word(s, add_str(s, "rest")), add_word(s, 0);
		return "named vararg";
	case 27:
		add_type(s, "fw", BK_KIND_FWD, 0, 0, 0);
		add_type(s, NULL, BK_KIND_FUNC_PROTO, 0, 0, n0);
		return "FUNC_PROTO returning FWD";
	case 28:
		add_type(s, NULL, BK_KIND_FUNC_PROTO, 1, 0, 0);
		add_word(s, add_str(s, "a")), add_word(s, i32);
		add_type(s, "fn_ok", BK_KIND_FUNC, 1, 0, n0);
		return "global FUNC (valid)";
	case 29:
		add_type(s, "fw", BK_KIND_FWD, 0, 0, 0);
		add_type(s, "v", BK_KIND_VAR, 0, 0, n0);
		add_word(s, 1);
		return "VAR of FWD";
	case 30:
		add_type(s, "v", BK_KIND_VAR, 0, 0, i32);
		add_word(s, 2);
		return "extern VAR";
	case 31:
		add_type(s, ".data.x", BK_KIND_DATASEC, 1, 0, 8);
		add_word(s, i32), add_word(s, 0), add_word(s, 4);
		return "DATASEC entry not a VAR";
	case 32:
		add_type(s, "v", BK_KIND_VAR, 0, 0, i32);
		add_word(s, 1);
		add_type(s, ".data.x", BK_KIND_DATASEC, 1, 0, 8);
		add_word(s, n0), add_word(s, 0), add_word(s, 2);
		return "DATASEC entry smaller than its VAR";
	case 33:
		add_type(s, "v", BK_KIND_VAR, 0, 0, i32);
		add_word(s, 1);
		add_type(s, "w", BK_KIND_VAR, 0, 0, i32);
		add_word(s, 0);
		add_type(s, ".data.ok", BK_KIND_DATASEC, 2, 0, 8);
		add_word(s, n0), add_word(s, 0), add_word(s, 4);
		add_word(s, n0 + 1), add_word(s, 4), add_word(s, 4);
		return "DATASEC (valid)";
	case 34:
		add_type(s, "v", BK_KIND_VAR, 0, 0, i32);
		add_word(s, 1);
		add_type(s, ".data.x", BK_KIND_DATASEC, 2, 0, 8);
		add_word(s, n0), add_word(s, 0), add_word(s, 4);
		add_word(s, n0), add_word(s, 2), add_word(s, 4);
		return "DATASEC entries overlap";
	case 35:
		add_type(s, "tag", BK_KIND_DECL_TAG, 0, 0, i32);
		add_word(s, (uint32_t)-1);
		return "DECL_TAG on INT";
	case 36:
		add_type(s, "s2", BK_KIND_STRUCT, 1, 0, 4);
		add_word(s, add_str(s, "a")), add_word(s, i32), add_word(s, 0);
		add_type(s, "tag", BK_KIND_DECL_TAG, 0, 0, n0);
		add_word(s, 1);
		return "DECL_TAG component out of range";
	case 37:
		add_type(s, "s2", BK_KIND_STRUCT, 1, 0, 4);
		add_word(s, add_str(s, "a")), add_word(s, i32), add_word(s, 0);
		add_type(s, "tag", BK_KIND_DECL_TAG, 0, 0, n0);
		add_word(s, 0);
		return "DECL_TAG on member (valid)";
	case 38:
		add_type(s, "v", BK_KIND_VAR, 0, 0, i32);
		add_word(s, 0);
		add_type(s, "tag", BK_KIND_DECL_TAG, 0, 0, n0);
		add_word(s, 0);
		return "DECL_TAG component on VAR";
	case 39:
		add_type(s, "s2", BK_KIND_STRUCT, 1, 0, 4);
		add_word(s, add_str(s, "a")), add_word(s, i32), add_word(s, 0);
		add_type(s, "tag", BK_KIND_DECL_TAG, 0, 1, n0);
		add_word(s, (uint32_t)-1);
		return "DECL_TAG with kflag";
	case 40:
		add_type(s, NULL, BK_KIND_CONST, 0, 0, n0 + 1);
		add_type(s, "tt", BK_KIND_TYPE_TAG, 0, 0, i32);
		add_type(s, NULL, BK_KIND_PTR, 0, 0, n0);
		return "TYPE_TAG after CONST";
	case 41:
		add_type(s, "tt", BK_KIND_TYPE_TAG, 0, 0, n0 + 1);
		add_type(s, NULL, BK_KIND_CONST, 0, 0, i32);
		add_type(s, NULL, BK_KIND_PTR, 0, 0, n0);
		return "TYPE_TAG before CONST (valid)";
	case 42:
		add_type(s, "tt", BK_KIND_TYPE_TAG, 0, 1, i32);
		add_type(s, NULL, BK_KIND_PTR, 0, 0, n0);
		return "TYPE_TAG with kflag";
	case 43:
		add_type(s, "e3", BK_KIND_ENUM, 1, 0, 3);
		add_word(s, add_str(s, "E3")), add_word(s, 1);
		return "ENUM of size 3";
	case 44:
		add_type(s, "e64", BK_KIND_ENUM64, 1, 1, 8);
		add_word(s, add_str(s, "E64")), add_word(s, 1), add_word(s, 0x80000000);
		return "signed ENUM64 (valid)";
	case 45:
		add_type(s, "e", BK_KIND_ENUM, 1, 0, 4);
		add_word(s, add_str(s, "1bad")), add_word(s, 1);
		return "enumerator name starts with a digit";
	case 46:
		add_type(s, "f3", BK_KIND_FLOAT, 0, 0, 3);
		return "FLOAT of size 3";
	case 47:
		add_type(s, "i", BK_KIND_INT, 0, 0, 4);
		add_word(s, (3u << 24) | 32);
		return "INT signed|char";
	case 48:
		add_type(s, "i", BK_KIND_INT, 0, 0, 16);
		add_word(s, 129);
		return "INT of 129 bits";
	case 49:
		add_type(s, NULL, BK_KIND_PTR, 0, 0, n0 + 2);
		add_type(s, NULL, BK_KIND_FUNC_PROTO, 0, 0, 0);
		add_type(s, "fn", BK_KIND_FUNC, 0, 0, n0 + 1);
		return "pointer to a later FUNC";
	case 50:
		add_type(s, NULL, BK_KIND_FUNC_PROTO, 0, 0, 0);
		add_type(s, "fn", BK_KIND_FUNC, 0, 0, n0);
		add_type(s, NULL, BK_KIND_PTR, 0, 0, n0 + 1);
		return "pointer to an earlier FUNC";
	case 51:
	case 52:
		memset(longname, 'a', sizeof(longname));
		longname[tpl == 51 ? 512 : 513] = '\0';
		add_type(s, longname, BK_KIND_TYPEDEF, 0, 0, i32);
		return tpl == 51 ? "512-char name (valid)" : "513-char name";
	case 53:
		add_type(s, "a.b\xe9", BK_KIND_TYPEDEF, 0, 0, i32);
		return "dot and Latin-1 in name";
	case 54:
		add_type(s, "s_td", BK_KIND_STRUCT, 1, 0, 4);
		add_word(s, add_str(s, "a")), add_word(s, n0 + 1), add_word(s, 0);
		add_type(s, "td_s", BK_KIND_TYPEDEF, 0, 0, n0);
		return "struct containing itself through a typedef";
	case 55:
		add_type(s, NULL, BK_KIND_CONST, 0, 0, n0 + 1);
		add_type(s, NULL, BK_KIND_FUNC_PROTO, 0, 0, 0);
		add_type(s, "s_fp", BK_KIND_STRUCT, 1, 0, 8);
		add_word(s, add_str(s, "f")), add_word(s, n0), add_word(s, 0);
		return "struct member: const FUNC_PROTO";
	case 56:
		add_type(s, "v", BK_KIND_VAR, 0, 0, i32);
		add_word(s, 0);
		add_type(s, NULL, BK_KIND_FUNC_PROTO, 1, 0, 0);
		add_word(s, add_str(s, "a")), add_word(s, n0);
		return "FUNC_PROTO argument of VAR type";
	case 57:
		add_type(s, "a", BK_KIND_STRUCT, 1, 0, 8);
		add_word(s, add_str(s, "p")), add_word(s, n0 + 1), add_word(s, 0);
		add_type(s, NULL, BK_KIND_PTR, 0, 0, n0 + 2);
		add_type(s, NULL, BK_KIND_CONST, 0, 0, n0 + 1);
		return "pointer/const cycle";
	case 58:
		add_type(s, "fn", BK_KIND_FUNC, 2, 0, 0);
		return "extern FUNC";
	case 59:
		add_type(s, "s_e", BK_KIND_STRUCT, 1, 1, 4);
		add_type(s, "e", BK_KIND_ENUM, 1, 0, 4);
		add_word(s, add_str(s, "E")), add_word(s, 1);
		/* member record belongs to s_e: it was appended after e */
		return "struct record cut by an enum";
	case 60:
		add_type(s, "e", BK_KIND_ENUM, 1, 0, 4);
		add_word(s, add_str(s, "E")), add_word(s, 1);
		add_type(s, "s_e", BK_KIND_STRUCT, 1, 1, 4);
		add_word(s, add_str(s, "e")), add_word(s, n0), add_word(s, (20u << 24) | 4);
		return "enum bitfield";
	case 61:
		add_type(s, NULL, BK_KIND_RESTRICT, 0, 0, 0);
		return "restrict void (valid)";
	case 62:
		add_type(s, "fw", BK_KIND_FWD, 0, 1, 0);
		add_type(s, NULL, BK_KIND_PTR, 0, 0, n0);
		add_type(s, "td", BK_KIND_TYPEDEF, 0, 0, n0);
		return "FWD union, pointer and typedef (valid)";
	case 63:
	case 64:
	case 65:
	case 66:
	case 67:
	case 68:
	case 69:
	case 70:
	case 71:
	case 72:
	case 73:
	case 74:
	case 75:
		return special_template(s, tpl - 63, i32);
	default:
		add_type(s, NULL, BK_KIND_UNKN, 0, 0, 0);
		return "kind 0";
	}
}

/* A valid blob with every kind. */
static void build_all_kinds(struct seed *s)
{
	uint32_t i32, ch, s1, fp;

	seed_init(s, "all-kinds");
	i32 = add_type(s, "int", BK_KIND_INT, 0, 0, 4);             /* 1 */
	add_word(s, (BK_INT_SIGNED << 24) | 32);
	ch = add_type(s, "char", BK_KIND_INT, 0, 0, 1);             /* 2 */
	add_word(s, (BK_INT_CHAR << 24) | 8);
	add_type(s, NULL, BK_KIND_PTR, 0, 0, 4);                    /* 3 */
	s1 = add_type(s, "s1", BK_KIND_STRUCT, 4, 1, 24);           /* 4 */
	add_word(s, add_str(s, "a")), add_word(s, i32), add_word(s, 0);
	add_word(s, add_str(s, "b")), add_word(s, i32), add_word(s, (3u << 24) | 32);
	add_word(s, add_str(s, "p")), add_word(s, 3), add_word(s, 64);
	add_word(s, add_str(s, "arr")), add_word(s, 6), add_word(s, 128);
	add_type(s, "u1", BK_KIND_UNION, 2, 0, 8);                  /* 5 */
	add_word(s, add_str(s, "x")), add_word(s, i32), add_word(s, 0);
	add_word(s, add_str(s, "y")), add_word(s, 3), add_word(s, 0);
	add_type(s, NULL, BK_KIND_ARRAY, 0, 0, 0);                  /* 6 */
	add_word(s, ch), add_word(s, i32), add_word(s, 8);
	add_type(s, "e1", BK_KIND_ENUM, 2, 1, 4);                   /* 7 */
	add_word(s, add_str(s, "A")), add_word(s, (uint32_t)-1);
	add_word(s, add_str(s, "B")), add_word(s, 2);
	add_type(s, "fw", BK_KIND_FWD, 0, 0, 0);                    /* 8 */
	add_type(s, "myint", BK_KIND_TYPEDEF, 0, 0, i32);           /* 9 */
	add_type(s, NULL, BK_KIND_VOLATILE, 0, 0, 9);               /* 10 */
	add_type(s, NULL, BK_KIND_CONST, 0, 0, 10);                 /* 11 */
	add_type(s, NULL, BK_KIND_RESTRICT, 0, 0, 3);               /* 12 */
	fp = add_type(s, NULL, BK_KIND_FUNC_PROTO, 2, 0, i32);      /* 13 */
	add_word(s, add_str(s, "x")), add_word(s, 11);
	add_word(s, add_str(s, "s")), add_word(s, 14);
	add_type(s, NULL, BK_KIND_PTR, 0, 0, s1);                   /* 14 */
	add_type(s, "f1", BK_KIND_FUNC, 1, 0, fp);                  /* 15 */
	add_type(s, "v1", BK_KIND_VAR, 0, 0, s1);                   /* 16 */
	add_word(s, 1);
	add_type(s, ".data", BK_KIND_DATASEC, 1, 0, 32);            /* 17 */
	add_word(s, 16), add_word(s, 0), add_word(s, 24);
	add_type(s, "double", BK_KIND_FLOAT, 0, 0, 8);              /* 18 */
	add_type(s, "tag1", BK_KIND_DECL_TAG, 0, 0, s1);            /* 19 */
	add_word(s, 1);
	add_type(s, "user", BK_KIND_TYPE_TAG, 0, 0, i32);           /* 20 */
	add_type(s, NULL, BK_KIND_PTR, 0, 0, 20);                   /* 21 */
	add_type(s, "e64", BK_KIND_ENUM64, 1, 0, 8);                /* 22 */
	add_word(s, add_str(s, "BIG")), add_word(s, 0), add_word(s, 1);
	add_type(s, "tag2", BK_KIND_DECL_TAG, 0, 0, 15);            /* 23 */
	add_word(s, 1);
	add_type(s, "s2", BK_KIND_STRUCT, 2, 0, 16);                /* 24 */
	add_word(s, add_str(s, "d")), add_word(s, 18), add_word(s, 0);
	add_word(s, add_str(s, "e")), add_word(s, 7), add_word(s, 64);
}

/* Built with the writer API (bk_btf_add_*), serialized by bk_btf_serialize. */
static struct bk_btf *build_with_writer(void)
{
	struct bk_btf *w = bk_btf_new_empty(NULL);
	int i32, u8, s, p, fp, v, e, td;

	if (!w)
		return NULL;
	i32 = bk_btf_add_int(w, "int", 4, BK_INT_SIGNED);
	u8 = bk_btf_add_int(w, "unsigned char", 1, 0);
	s = bk_btf_add_struct(w, "wstruct", 16);
	bk_btf_add_field(w, "a", i32, 0, 0);
	bk_btf_add_field(w, "flags", u8, 32, 3);
	bk_btf_add_field(w, "more", u8, 35, 5);
	bk_btf_add_field(w, "next", s + 1, 64, 0);
	p = bk_btf_add_ptr(w, s);
	bk_btf_add_union(w, "wunion", 8);
	bk_btf_add_field(w, "i", i32, 0, 0);
	bk_btf_add_field(w, "p", p, 0, 0);
	e = bk_btf_add_enum(w, "wenum", 4);
	bk_btf_add_enum_value(w, "NEG", -1);
	bk_btf_add_enum_value(w, "POS", 7);
	bk_btf_add_enum64(w, "wenum64", 8, false);
	bk_btf_add_enum64_value(w, "HUGE", 1ull << 40);
	bk_btf_add_fwd(w, "wfwd", BK_FWD_UNION);
	td = bk_btf_add_typedef(w, "wtd", e);
	bk_btf_add_array(w, i32, bk_btf_add_const(w, bk_btf_add_volatile(w, td)), 3);
	bk_btf_add_restrict(w, bk_btf_add_ptr(w, bk_btf_add_type_tag(w, "user", i32)));
	fp = bk_btf_add_func_proto(w, i32);
	bk_btf_add_func_param(w, "x", p);
	bk_btf_add_func_param(w, NULL, 0);
	bk_btf_add_decl_tag(w, "wtag", bk_btf_add_func(w, "wfunc", BK_LINKAGE_GLOBAL, fp), -1);
	bk_btf_add_float(w, "double", 8);
	v = bk_btf_add_var(w, "wvar", BK_LINKAGE_GLOBAL, s);
	bk_btf_add_datasec(w, ".data.w", 16);
	bk_btf_add_datasec_var_info(w, v, 0, 16);
	bk_btf_add_decl_tag(w, "wmember", s, 2);
	bk_btf_add_type_attr(w, "address_space(1)", i32);
	return w;
}

/* ---- seeds from real BTF ---------------------------------------------- */

/* Copy the own types of btf (and its base closure, renumbered) into s. */
struct remap {
	const struct bk_btf *btf;
	uint32_t *map; /* old ID -> new ID (0: not taken) */
	struct seed *s;
};

static uint32_t map_str(struct remap *r, uint32_t off)
{
	const char *str = bk_btf_str(r->btf, off);

	return add_str(r->s, str);
}

/* Visit every type-ID field of record t (kinds 1..19) with fn. */
static void for_each_ref(const struct bk_type *t, void (*fn)(uint32_t *ref, void *ctx), void *ctx)
{
	uint8_t *p = (uint8_t *)(uintptr_t)(t + 1);
	struct bk_type *w = (struct bk_type *)(uintptr_t)t;
	unsigned vlen = bk_vlen(t);

	switch (bk_kind(t)) {
	case BK_KIND_PTR: case BK_KIND_TYPEDEF: case BK_KIND_VOLATILE: case BK_KIND_CONST:
	case BK_KIND_RESTRICT: case BK_KIND_FUNC: case BK_KIND_VAR: case BK_KIND_DECL_TAG:
	case BK_KIND_TYPE_TAG:
		fn(&w->type, ctx);
		break;
	case BK_KIND_ARRAY:
		fn((uint32_t *)p, ctx);
		fn((uint32_t *)(p + 4), ctx);
		break;
	case BK_KIND_STRUCT: case BK_KIND_UNION:
		for (unsigned i = 0; i < vlen; i++)
			fn((uint32_t *)(p + 12 * i + 4), ctx);
		break;
	case BK_KIND_FUNC_PROTO:
		fn(&w->type, ctx);
		for (unsigned i = 0; i < vlen; i++)
			fn((uint32_t *)(p + 8 * i + 4), ctx);
		break;
	case BK_KIND_DATASEC:
		for (unsigned i = 0; i < vlen; i++)
			fn((uint32_t *)(p + 12 * i), ctx);
		break;
	default:
		break;
	}
}

struct closure {
	uint32_t *queue, qlen;
	uint8_t *seen;
};

static void close_over(uint32_t *ref, void *ctx)
{
	struct closure *c = ctx;

	if (*ref && !c->seen[*ref]) {
		c->seen[*ref] = 1;
		c->queue[c->qlen++] = *ref;
	}
}

static void remap_ref(uint32_t *ref, void *ctx)
{
	struct remap *r = ctx;

	*ref = r->map[*ref];
}

/* Copy record id of btf into s with IDs and strings remapped. */
static void copy_type(struct remap *r, uint32_t id)
{
	const struct bk_type *t = bk_btf_type(r->btf, id);
	size_t sz = bk_btf_type_rec_size(r->btf, t);
	uint8_t *rec = malloc(sz);
	struct bk_type *w = (struct bk_type *)rec;
	unsigned vlen = bk_vlen(t), k = bk_kind(t);

	memcpy(rec, t, sz);
	w->name_off = map_str(r, t->name_off);
	for_each_ref(w, remap_ref, r);
	if (k == BK_KIND_STRUCT || k == BK_KIND_UNION || k == BK_KIND_ENUM64) {
		for (unsigned i = 0; i < vlen; i++) {
			uint32_t *n = (uint32_t *)(rec + 12 + 12 * i);

			*n = map_str(r, *n);
		}
	} else if (k == BK_KIND_ENUM || k == BK_KIND_FUNC_PROTO) {
		for (unsigned i = 0; i < vlen; i++) {
			uint32_t *n = (uint32_t *)(rec + 12 + 8 * i);

			*n = map_str(r, *n);
		}
	}
	buf_put(&r->s->types, rec, sz);
	r->s->nr++;
	free(rec);
}

/*
 * The own types of btf plus the base types they reach, as one blob. A
 * pointer from anywhere to a base struct or union that nothing needs by
 * value points to a FWD of the same name instead, which keeps the closure
 * small (a module's BTF otherwise reaches most of vmlinux).
 */
static bool ptr_to_base_composite(const struct bk_btf *btf, const struct bk_type *t, uint32_t start)
{
	const struct bk_type *target;

	if (bk_kind(t) != BK_KIND_PTR || !t->type || t->type >= start)
		return false;
	target = bk_btf_type(btf, t->type);
	return target && bk_is_composite(target);
}

static int standalone(const struct bk_btf *btf, struct seed *s, uint32_t max_types)
{
	uint32_t cnt = bk_btf_type_cnt(btf), start = bk_btf_start_id(btf), next = 1;
	struct closure c = { calloc(cnt, 4), 0, calloc(cnt, 1) };
	struct remap r = { btf, calloc(cnt, 4), s };
	uint8_t *want_fwd = calloc(cnt, 1);
	uint32_t *fwd_id = calloc(cnt, 4);
	int ret = -1;

	for (uint32_t id = start; id < cnt; id++)
		c.seen[id] = 1, c.queue[c.qlen++] = id;
	for (uint32_t i = 0; i < c.qlen && c.qlen <= max_types; i++) {
		const struct bk_type *t = bk_btf_type(btf, c.queue[i]);

		if (ptr_to_base_composite(btf, t, start))
			want_fwd[t->type] = 1;
		else
			for_each_ref(t, close_over, &c);
	}
	if (c.qlen > max_types)
		goto out;
	for (uint32_t id = 1; id < cnt; id++)
		if (c.seen[id])
			r.map[id] = next++;
	for (uint32_t id = 1; id < cnt; id++)
		if (want_fwd[id] && !c.seen[id])
			fwd_id[id] = next++;
	for (uint32_t id = 1; id < cnt; id++) {
		const struct bk_type *t = bk_btf_type(btf, id);

		if (!c.seen[id])
			continue;
		copy_type(&r, id);
		if (ptr_to_base_composite(btf, t, start) && !c.seen[t->type]) {
			/* re-point the record just copied at the FWD */
			uint32_t *ty = (uint32_t *)(s->types.p + s->types.len - 4);

			*ty = fwd_id[t->type];
		}
	}
	for (uint32_t id = 1; id < cnt; id++) {
		if (fwd_id[id]) {
			const struct bk_type *t = bk_btf_type(btf, id);

			add_type(s, bk_btf_str(btf, t->name_off), BK_KIND_FWD, 0,
				 bk_kind(t) == BK_KIND_UNION, 0);
		}
	}
	ret = 0;
out:
	free(c.queue);
	free(c.seen);
	free(r.map);
	free(want_fwd);
	free(fwd_id);
	return ret;
}

/* libbpf-style fixups before loading an object's BTF: DATASEC sizes, enum forwards. */
static void fixup_object(struct seed *s)
{
	for (uint32_t id = 1; id <= s->nr; id++) {
		struct bk_type *t = (struct bk_type *)(s->types.p + s->offs[id - 1]);

		if (bk_kind(t) == BK_KIND_DATASEC) {
			/* libbpf sets entry offsets from the symbols and the size from the section */
			struct bk_var_secinfo *v = (struct bk_var_secinfo *)(t + 1);
			uint32_t end = 0;

			for (unsigned i = 0; i < bk_vlen(t); i++) {
				uint32_t a = v[i].size >= 8 ? 8 : v[i].size >= 4 ? 4 : v[i].size >= 2 ? 2 : 1;

				end = (end + a - 1) / a * a;
				v[i].offset = end;
				end += v[i].size;
			}
			t->size = end ? end : 1;
		}
		if (bk_is_any_enum(t) && !t->size)
			t->size = 4;
	}
}

/*
 * Split BTF cannot be loaded, but its validation path (base types counted
 * as resolved, module rules) must survive the same mutations: run n mutated
 * copies of the module's own blob through the parser and the validator on
 * its base (crashes and sanitizer reports fail the suite).
 */
static unsigned long split_runs;

static void split_mutations(const struct bk_btf *mod, struct bk_btf *base, unsigned long n)
{
	struct bk_open_opts oo = { .sz = sizeof(oo), .base = base };
	void *data = NULL;
	size_t size = 0;

	if (bk_btf_serialize(mod, &data, &size) || size < 32)
		return;
	for (unsigned long i = 0; i < n; i++) {
		uint8_t *copy = malloc(size);
		struct bk_btf *b;
		size_t w = 24 + 4 * rnd_below((uint32_t)(size - 24) / 4);
		uint32_t v;

		memcpy(copy, data, size);
		memcpy(&v, copy + w, 4);
		v = interesting(v, bk_btf_type_cnt(mod), bk_btf_start_id(mod) + rnd_below(100), 1000);
		memcpy(copy + w, &v, 4);
		b = bk_btf_from_mem(copy, size, &oo);
		if (b) {
			struct bk_validate_opts vo = { .sz = sizeof(vo), .flags = i & 1 ? BK_VALIDATE_KERNEL_MODULE : 0 };

			bk_btf_validate(b, &vo);
			bk_btf_free(b);
		}
		free(copy);
		split_runs++;
	}
	free(data);
}

static int seed_from_btf(struct seed *s, const char *name, const struct bk_btf *btf, uint32_t max)
{
	seed_init(s, name);
	if (standalone(btf, s, max) || index_seed(s)) {
		seed_free(s);
		return -1;
	}
	return 0;
}

/* ---- driver ----------------------------------------------------------- */

static void run_seed(struct seed *s, unsigned long n)
{
	struct buf b = { 0 };
	char what[200];

	serialize(s, &b);
	judge(s->name, 6, "(seed as is)", b.p, b.len);
	if (kernel_load(b.p, b.len, false) && kernel_load(b.p, b.len, true))
		printf("# seed %s is rejected by the kernel: %s\n", s->name, klog_last());
	for (unsigned long i = 0; i < n; i++) {
		int cls;

		rng_state ^= i * 0x2545f4914f6cdd1dull + 1;
		what[0] = '\0';
		cls = (int)rnd_below(100);
		if (cls < 12)
			cls = 0;
		else if (cls < 42)
			cls = 1;
		else if (cls < 70)
			cls = 2;
		else if (cls < 80)
			cls = 3;
		else if (cls < 90)
			cls = 4;
		else if (cls < 95)
			cls = 5;
		else
			cls = 7;
		if (cls == 4) {
			struct seed t = *s;
			int tpl = (int)(i / 10 % (NR_TEMPLATES + 1));
			const char *desc;

			/* a private copy to append to */
			memset(&t.types, 0, sizeof(t.types));
			memset(&t.strs, 0, sizeof(t.strs));
			buf_put(&t.types, s->types.p, s->types.len);
			buf_put(&t.strs, s->strs.p, s->strs.len);
			desc = apply_template(&t, tpl);
			serialize(&t, &b);
			snprintf(what, sizeof(what), "template %d: %s", tpl, desc);
			free(t.types.p);
			free(t.strs.p);
			judge(s->name, cls, what, b.p, b.len);
			tpl_desc[tpl] = desc;
			tpl_stats[tpl][kernel_load(b.p, b.len, false) == 0]++;
			continue;
		}
		serialize(s, &b);
		if (cls == 0)
			mutate_header(&b, what, sizeof(what));
		else if (cls == 1 || cls == 2)
			mutate_type(s, &b, cls, what, sizeof(what));
		else if (cls == 3)
			mutate_string(s, &b, what, sizeof(what));
		else if (cls == 7) {
			char w2[200] = "";

			mutate_type(s, &b, 1 + (int)rnd_below(2), what, sizeof(what));
			mutate_type(s, &b, 1 + (int)rnd_below(2), w2, sizeof(w2));
			strncat(what, " + ", sizeof(what) - strlen(what) - 1);
			strncat(what, w2, sizeof(what) - strlen(what) - 1);
		}
		else
			mutate_bytes(&b, what, sizeof(what));
		judge(s->name, cls, what, b.p, b.len);
	}
	free(b.p);
}

/* The kernel's limits: 0xfffff types (void included) and 16 MiB. */
static void run_limits(void)
{
	static uint32_t counts[] = { 0xffffe, 0xfffff };
	if (getenv("KA_COUNTS"))
		sscanf(getenv("KA_COUNTS"), "%x,%x", &counts[0], &counts[1]);
	static const uint32_t sizes[] = { 16u << 20, (16u << 20) + 1 };
	char what[80];

	for (int i = 0; i < 2; i++) {
		struct seed s;
		struct buf b = { 0 };

		seed_init(&s, "limits");
		for (uint32_t n = 0; n < counts[i]; n++)
			add_type(&s, NULL, BK_KIND_CONST, 0, 0, 0);
		serialize(&s, &b);
		snprintf(what, sizeof(what), "%u types", counts[i]);
		judge(s.name, 6, what, b.p, b.len);
		seed_free(&s);
		free(b.p);
	}
	for (int i = 0; i < 2; i++) {
		struct seed s;
		struct buf b = { 0 };
		uint32_t fill;
		char *big;

		seed_init(&s, "limits");
		add_type(&s, "int", BK_KIND_INT, 0, 0, 4);
		add_word(&s, 32);
		/* header 24 + 16 bytes of types + strings "\0int\0" + one long string */
		fill = sizes[i] - 24 - 16 - (uint32_t)s.strs.len - 1;
		big = malloc(fill + 1);
		memset(big, 'x', fill);
		big[fill] = '\0';
		buf_put(&s.strs, big, fill + 1);
		free(big);
		serialize(&s, &b);
		snprintf(what, sizeof(what), "%zu bytes", b.len);
		judge(s.name, 6, what, b.p, b.len);
		seed_free(&s);
		free(b.p);
	}
}

static int load_one(const char *path)
{
	FILE *f = fopen(path, "rb");
	static uint8_t data[16 << 20];
	size_t n;
	int k;

	if (!f) {
		perror(path);
		return 2;
	}
	n = fread(data, 1, sizeof(data), f);
	fclose(f);
	k = kernel_load(data, n, false);
	printf("kernel: %s (%d)\n", k ? "rejects" : "accepts", k);
	if (k && !kernel_load(data, n, true))
		printf("%s\n", klog);
	printf("btfkit: %s %s\n", btfkit_check(data, n) ? "rejects:" : "accepts", first_problem);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long total = 5200, big = 12;
	struct seed seeds[16];
	int nseeds = 0, big_seeds = 0, i = 1, k;
	struct bk_btf *base = NULL;
	struct buf b = { 0 };

	if (argc == 3 && !strcmp(argv[1], "--load"))
		return load_one(argv[2]);
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-n") && i + 1 < argc)
			total = strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "-s") && i + 1 < argc)
			rng_state = strtoull(argv[++i], NULL, 0) | 1;
		else if (!strcmp(argv[i], "-b") && i + 1 < argc)
			big = strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "-v"))
			verbose = true;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: kernel_agree [-n N] [-s SEED] [-v] SAMPLE.o [VMLINUX MODULE...]\n");
		return 2;
	}

	build_all_kinds(&seeds[nseeds]);
	if (index_seed(&seeds[nseeds])) {
		printf("FAIL %s: hand-built seed does not parse\n", NAME);
		return 0;
	}
	serialize(&seeds[nseeds], &b);
	k = kernel_load(b.p, b.len, true);
	if (k == -EPERM || k == -EACCES || k == -ENOSYS) {
		printf("SKIP %s: BPF_BTF_LOAD not permitted here (%s)\n", NAME, strerror(-k));
		return 0;
	}
	if (k) {
		printf("FAIL %s: the kernel rejects the hand-built seed: %s\n", NAME, klog_last());
		return 0;
	}
	nseeds++;

	{ /* writer-built: its own serialized blob (32-byte header) and a seed */
		struct bk_btf *w = build_with_writer();
		void *data = NULL;
		size_t size = 0;

		if (!w || bk_btf_serialize(w, &data, &size)) {
			printf("FAIL %s: the writer could not build its seed\n", NAME);
			return 0;
		}
		judge("writer", 6, "(serialized as is)", data, size);
		free(data);
		if (!seed_from_btf(&seeds[nseeds], "writer", w, 1000))
			nseeds++;
		bk_btf_free(w);
	}
	{ /* the sample object */
		struct bk_btf *o = bk_btf_open(argv[i], NULL);

		if (!o || seed_from_btf(&seeds[nseeds], "sample.bpf.o", o, 100000)) {
			printf("FAIL %s: cannot read %s\n", NAME, argv[i]);
			return 0;
		}
		fixup_object(&seeds[nseeds]);
		nseeds++;
		bk_btf_free(o);
	}
	if (i + 1 < argc) {
		/* split BTF cannot be loaded: modules become standalone (see the top) */
		struct bk_open_opts oo = { .sz = sizeof(oo) };

		base = bk_btf_open(argv[i + 1], NULL);
		oo.base = base;
		/* the whole vmlinux, as a standalone blob: a few variants (large) */
		if (base && big && !seed_from_btf(&seeds[15], "vmlinux", base, 1u << 20)) {
			unsigned long before = st.variants, fa = st.false_acc, fr = st.false_rej;

			run_seed(&seeds[15], big);
			if (verbose)
				printf("# seed vmlinux: %u types, %lu variants, %lu false accepts, %lu false rejects\n",
				       seeds[15].nr, st.variants - before, st.false_acc - fa, st.false_rej - fr);
			seed_free(&seeds[15]);
			big_seeds = 1;
		}
		for (int j = i + 2; base && j < argc && nseeds < 15; j++) {
			struct bk_btf *m = bk_btf_open(argv[j], &oo);
			const char *slash = strrchr(argv[j], '/');

			if (m)
				split_mutations(m, base, 100);
			if (m && !seed_from_btf(&seeds[nseeds], slash ? slash + 1 : argv[j], m, 4000))
				nseeds++;
			else if (verbose)
				printf("# %s: not used (unreadable or closure over 4000 types)\n", argv[j]);
			bk_btf_free(m);
		}
	}

	run_limits();
	for (int j = 0; j < nseeds; j++) {
		unsigned long before_fa = st.false_acc, before_fr = st.false_rej, before = st.variants;

		run_seed(&seeds[j], total / (unsigned long)nseeds);
		if (verbose)
			printf("# seed %s: %u types, %lu variants, %lu false accepts, %lu false rejects\n",
			       seeds[j].name, seeds[j].nr, st.variants - before, st.false_acc - before_fa,
			       st.false_rej - before_fr);
	}
	if (verbose)
		for (int t = 0; t <= NR_TEMPLATES; t++)
			printf("# template %2d %-45s kernel accepted %lu, rejected %lu\n", t,
			       tpl_desc[t] ? tpl_desc[t] : "?", tpl_stats[t][1], tpl_stats[t][0]);
	if (verbose)
		for (int c = 0; c < 8; c++)
			printf("# class %-10s: kernel accepted %lu, rejected %lu\n", class_names[c],
			       st.per_class[c][1], st.per_class[c][0]);
	printf("%s %s: %lu variants of %d seeds (kernel accepted %lu, rejected %lu): %lu false accepts, %lu false rejects (+%lu known, listed above); %lu split variants validated on their base\n",
	       st.false_acc || st.false_rej ? "FAIL" : "PASS", NAME, st.variants, nseeds + big_seeds, st.kacc,
	       st.krej, st.false_acc, st.false_rej, st.known_rej, split_runs);
	for (int j = 0; j < nseeds; j++)
		seed_free(&seeds[j]);
	bk_btf_free(base);
	free(b.p);
	return 0;
}
