// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * distill_corpus: distilled bases of real modules (tests/corpus/distill.sh).
 * Module paths come as arguments or, without any, one per line on stdin.
 *
 *   roundtrip VMLINUX [MOD...]
 *	Per module (split on VMLINUX): bk_btf_distill_base, serialize the
 *	distilled base and split, parse them back (as .BTF.base and .BTF are
 *	read), relocate onto VMLINUX and compare with the original split: the
 *	first own types must be the original's, record for record, and the
 *	types appended after them must be the base types §8 moves into the
 *	split (anonymous composites and enums, arrays, typedefs, pointers,
 *	modifiers, prototypes, type tags reached from the module without
 *	passing through a named struct or union), in base-ID order. Type IDs
 *	are compared through that correspondence, strings by content. This
 *	collection is recomputed here from the rules, independently of
 *	src/distill. Prints "FAIL MOD: why" lines and a summary line
 *	"roundtrip: N modules, M failed, T distilled base types, S moved".
 *   cross VMLINUX OTHER [-k] [MOD...]
 *	Distill on VMLINUX and relocate onto OTHER. Prints, per module,
 *	"ok MOD" or "norel MOD: reason" after one "miss MOD: why" line per
 *	distilled type without a single match; for relocated modules the kernel's
 *	module checks (bk_btf_validate, BK_VALIDATE_KERNEL_MODULE) must pass
 *	("bad MOD: problem" otherwise) and, with -k, the module's BTF made
 *	standalone (its own types plus every OTHER type they reach) must load
 *	with BPF_BTF_LOAD ("noload MOD: errno and the log's last line"; exit 3
 *	with "skip: ..." when loading BTF is not permitted). Ends with
 *	"cross: N modules, R relocated, C checked, L loaded".
 *   fixture DIR
 *	Write libbpf's distilled_base selftest BTF (BTF-REFERENCE.md §8) as raw
 *	files for the CLI tests: DIR/base.btf (17 types), DIR/split.btf (split
 *	on it), DIR/small.btf (a base with 'int' and 's1' of another size only).
 * Exit 0 when nothing failed (norel lines are results, not failures),
 * 1 otherwise.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "btfkit/btf.h"
#include "btfkit/distill.h"
#include "btfkit/validate.h"
#include "btfkit/write.h"
#include "internal.h"

static bool moves_to_split(const struct bk_type *t)
{
	switch (bk_kind(t)) {
	case BK_KIND_INT:
	case BK_KIND_FLOAT:
	case BK_KIND_FWD:
		return false;
	case BK_KIND_STRUCT:
	case BK_KIND_UNION:
	case BK_KIND_ENUM:
	case BK_KIND_ENUM64:
		return !t->name_off;
	default:
		return true;
	}
}

/* The §8 collection: which base types a split reaches (mark[id] = 1). */
static void collect(const struct bk_btf *s, uint8_t *mark)
{
	uint32_t start = bk_btf_start_id(s), cnt = bk_btf_type_cnt(s), top = 0;
	uint32_t *stack = malloc(((size_t)cnt + 1) * sizeof(*stack));

	for (uint32_t id = start; id < cnt; id++)
		stack[top++] = id;
	while (top) {
		struct bk_type *t = (struct bk_type *)bk_btf_type(s, stack[--top]);
		struct bk__field_iter it;
		uint32_t *f;

		if (bk__field_iter_init(&it, t, BK__FIELD_IDS))
			continue;
		while ((f = bk__field_iter_next(&it))) {
			const struct bk_type *bt;

			if (!*f || *f >= start || mark[*f])
				continue;
			mark[*f] = 1;
			bt = bk_btf_type(s, *f);
			if (!(bk_is_composite(bt) && bt->name_off))
				stack[top++] = *f;
		}
	}
	free(stack);
}

struct cmp {
	const struct bk_btf *orig, *rel;
	uint32_t start, n_own;
	uint32_t *moved;   /* appended index -> original base ID */
	uint32_t n_moved;
	char why[512];
};

static uint32_t rel_to_orig(const struct cmp *c, uint32_t id)
{
	if (id < c->start + c->n_own)
		return id;
	return c->moved[id - c->start - c->n_own];
}

/* Record oid of orig equals record rid of rel, through the correspondence. */
static bool same_rec(struct cmp *c, uint32_t oid, uint32_t rid)
{
	const struct bk_type *o = bk_btf_type(c->orig, oid), *r = bk_btf_type(c->rel, rid);
	size_t on = bk_btf_type_rec_size(c->orig, o), rn = bk_btf_type_rec_size(c->rel, r);
	uint8_t *ob, *rb;
	struct bk__field_iter oi, ri;
	uint32_t *of, *rf;
	bool ok = false;

	if (on != rn || !on) {
		snprintf(c->why, sizeof(c->why), "[%u] record size %zu, original [%u] %zu", rid, rn, oid, on);
		return false;
	}
	ob = malloc(on);
	rb = malloc(rn);
	memcpy(ob, o, on);
	memcpy(rb, r, rn);
	bk__field_iter_init(&oi, (struct bk_type *)ob, BK__FIELD_IDS);
	bk__field_iter_init(&ri, (struct bk_type *)rb, BK__FIELD_IDS);
	while ((of = bk__field_iter_next(&oi)) && (rf = bk__field_iter_next(&ri))) {
		if (rel_to_orig(c, *rf) != *of) {
			snprintf(c->why, sizeof(c->why), "[%u] refers to [%u] (original [%u]), original [%u] to [%u]",
				 rid, *rf, rel_to_orig(c, *rf), oid, *of);
			goto out;
		}
		*of = *rf = 0;
	}
	bk__field_iter_init(&oi, (struct bk_type *)ob, BK__FIELD_STRS);
	bk__field_iter_init(&ri, (struct bk_type *)rb, BK__FIELD_STRS);
	while ((of = bk__field_iter_next(&oi)) && (rf = bk__field_iter_next(&ri))) {
		const char *os = *of ? bk_btf_str(c->orig, *of) : "";
		const char *rs = *rf ? bk_btf_str(c->rel, *rf) : "";

		if (!os || !rs || strcmp(os, rs)) {
			snprintf(c->why, sizeof(c->why), "[%u] string '%s', original [%u] '%s'", rid,
				 rs ? rs : "?", oid, os ? os : "?");
			goto out;
		}
		*of = *rf = 0;
	}
	ok = !memcmp(ob, rb, on);
	if (!ok)
		snprintf(c->why, sizeof(c->why), "[%u] record differs from original [%u]", rid, oid);
out:
	free(ob);
	free(rb);
	return ok;
}

static int reparse(const struct bk_btf *db, const struct bk_btf *ds, struct bk_btf **pdb,
		   struct bk_btf **pds, struct bk_diag *diag)
{
	struct bk_open_opts o = { .sz = sizeof(o), .diag = diag };
	void *bd = NULL, *sd = NULL;
	size_t bn, sn;
	int err;

	*pdb = *pds = NULL;
	if ((err = bk_btf_serialize(db, &bd, &bn)) || (err = bk_btf_serialize(ds, &sd, &sn)))
		goto out;
	*pdb = bk_btf_from_mem(bd, bn, &o);
	if (!*pdb) {
		err = -errno;
		goto out;
	}
	o.base = *pdb;
	*pds = bk_btf_from_mem(sd, sn, &o);
	if (!*pds)
		err = -errno;
out:
	free(bd);
	free(sd);
	return err;
}

static long n_types, n_moved;

/* 0 ok, else prints a FAIL line and returns 1. */
static int roundtrip_one(struct bk_btf *vml, const char *path)
{
	struct bk_diag diag = { 0 };
	struct bk_open_opts o = { .sz = sizeof(o), .base = vml, .diag = &diag };
	struct bk_distill_opts dopts = { .sz = sizeof(dopts), .diag = &diag };
	struct bk_relocate_opts ropts = { .sz = sizeof(ropts), .diag = &diag };
	struct bk_btf *s, *db = NULL, *ds = NULL, *pdb = NULL, *pds = NULL;
	struct cmp c = { 0 };
	uint8_t *mark = NULL;
	int ret = 1;

	s = bk_btf_open(path, &o);
	if (!s) {
		printf("FAIL %s: open: %s\n", path, diag.msg);
		return 1;
	}
	if (bk_btf_distill_base(s, &db, &ds, &dopts)) {
		printf("FAIL %s: distill: %s\n", path, diag.msg);
		goto out;
	}
	if (reparse(db, ds, &pdb, &pds, &diag)) {
		printf("FAIL %s: distilled output does not parse back: %s\n", path, diag.msg);
		goto out;
	}
	if (bk_btf_relocate(pds, vml, &ropts)) {
		printf("FAIL %s: relocate: %s\n", path, diag.msg);
		goto out;
	}
	c.orig = s;
	c.rel = pds;
	c.start = bk_btf_start_id(s);
	c.n_own = bk_btf_nr_own_types(s);
	mark = calloc(c.start, 1);
	c.moved = calloc(c.start, sizeof(*c.moved));
	collect(s, mark);
	for (uint32_t id = 1; id < c.start; id++)
		if (mark[id] && moves_to_split(bk_btf_type(s, id)))
			c.moved[c.n_moved++] = id;
	n_types += bk_btf_type_cnt(db) - 1;
	n_moved += c.n_moved;
	if (bk_btf_start_id(pds) != c.start ||
	    bk_btf_nr_own_types(pds) != c.n_own + c.n_moved) {
		printf("FAIL %s: relocated split has %u types from [%u], expected %u + %u moved from [%u]\n",
		       path, bk_btf_nr_own_types(pds), bk_btf_start_id(pds), c.n_own, c.n_moved, c.start);
		goto out;
	}
	for (uint32_t i = 0; i < c.n_own + c.n_moved; i++) {
		uint32_t rid = c.start + i, oid = i < c.n_own ? rid : c.moved[i - c.n_own];

		if (!same_rec(&c, oid, rid)) {
			printf("FAIL %s: %s\n", path, c.why);
			goto out;
		}
	}
	ret = 0;
out:
	free(mark);
	free(c.moved);
	bk_btf_free(pds);
	bk_btf_free(pdb);
	bk_btf_free(ds);
	bk_btf_free(db);
	bk_btf_free(s);
	return ret;
}

/* ---- cross ---------------------------------------------------------------- */

static char log_buf[1 << 20];

/* The own types of s plus the base types they reach, standalone. */
static struct bk_btf *standalone(const struct bk_btf *s)
{
	uint32_t start = bk_btf_start_id(s), cnt = bk_btf_type_cnt(s), top = 0, next = 1;
	uint8_t *seen = calloc(cnt, 1);
	uint32_t *stack = malloc((size_t)cnt * sizeof(*stack)), *map = calloc(cnt, sizeof(*map));
	struct bk_btf *out = bk_btf_new_empty(NULL);

	for (uint32_t id = start; id < cnt; id++) {
		seen[id] = 1;
		stack[top++] = id;
	}
	while (top) {
		struct bk__field_iter it;
		uint32_t *f;

		bk__field_iter_init(&it, (struct bk_type *)bk_btf_type(s, stack[--top]), BK__FIELD_IDS);
		while ((f = bk__field_iter_next(&it)))
			if (*f && !seen[*f]) {
				seen[*f] = 1;
				stack[top++] = *f;
			}
	}
	for (uint32_t id = 1; id < cnt; id++)
		if (seen[id])
			map[id] = next++;
	for (uint32_t id = 1; id < cnt && out; id++) {
		int nid;

		if (!seen[id])
			continue;
		nid = bk_btf_add_type(out, s, bk_btf_type(s, id));
		if (nid < 0) {
			bk_btf_free(out);
			out = NULL;
			break;
		}
	}
	for (uint32_t i = 0; out && i < out->nr_types; i++) {
		struct bk__field_iter it;
		uint32_t *f;

		bk__field_iter_init(&it, bk__own_type(out, 1 + i), BK__FIELD_IDS);
		while ((f = bk__field_iter_next(&it)))
			*f = map[*f];
	}
	free(seen);
	free(stack);
	free(map);
	return out;
}

/* 0 loaded, -errno otherwise (log in log_buf). */
static int kload(const struct bk_btf *b)
{
	LIBBPF_OPTS(bpf_btf_load_opts, opts, .log_buf = log_buf, .log_size = sizeof(log_buf),
		    .log_level = 1);
	void *data;
	size_t size;
	int fd, err;

	if ((err = bk_btf_serialize(b, &data, &size)))
		return err;
	log_buf[0] = '\0';
	fd = bpf_btf_load(data, size, NULL);
	if (fd < 0) {
		err = -errno;
		fd = bpf_btf_load(data, size, &opts);
	}
	if (fd >= 0)
		close(fd);
	free(data);
	return fd >= 0 ? 0 : err;
}

static const char *log_tail(void)
{
	size_t n = strlen(log_buf);

	while (n && log_buf[n - 1] == '\n')
		log_buf[--n] = '\0';
	while (n && log_buf[n - 1] != '\n')
		n--;
	return log_buf + n;
}

static int first_problem(const struct bk_problem *p, void *ctx)
{
	char where[256];

	bk_problem_where(p, where, sizeof(where));
	snprintf(ctx, 512, "%s (%s)", p->msg, where);
	return 1;
}

static long n_rel, n_checked, n_loaded;
static bool kernel_denied;

static int print_miss(void *ctx, uint32_t dist_id, const char *msg)
{
	(void)dist_id;
	printf("miss %s: %s\n", (const char *)ctx, msg);
	return 0;
}

static int cross_one(struct bk_btf *vml, struct bk_btf *other, bool load, const char *path)
{
	struct bk_diag diag = { 0 };
	struct bk_open_opts o = { .sz = sizeof(o), .base = vml, .diag = &diag };
	struct bk_relocate_opts ropts = { .sz = sizeof(ropts), .diag = &diag, .cb = print_miss,
					  .cb_ctx = (void *)path };
	struct bk_btf *s, *db = NULL, *ds = NULL, *st = NULL;
	char problem[512] = "";
	struct bk_validate_opts vo = { .sz = sizeof(vo), .cb = first_problem, .ctx = problem,
				       .flags = BK_VALIDATE_KERNEL_MODULE };
	int ret = 1, err;

	s = bk_btf_open(path, &o);
	if (!s) {
		printf("FAIL %s: open: %s\n", path, diag.msg);
		return 1;
	}
	if (bk_btf_distill_base(s, &db, &ds, NULL)) {
		printf("FAIL %s: distill failed\n", path);
		goto out;
	}
	if (bk_btf_relocate(ds, other, &ropts)) {
		printf("norel %s: %s\n", path, diag.msg);
		ret = 0;
		goto out;
	}
	n_rel++;
	if (bk_btf_validate(ds, &vo)) {
		printf("bad %s: %s\n", path, problem);
		goto out;
	}
	n_checked++;
	if (load && !kernel_denied) {
		st = standalone(ds);
		if (!st) {
			printf("FAIL %s: cannot make standalone\n", path);
			goto out;
		}
		err = kload(st);
		if (err == -EPERM || err == -EACCES || err == -ENOSYS) {
			kernel_denied = true;
		} else if (err) {
			printf("noload %s: %s: %s\n", path, strerror(-err), log_tail());
			goto out;
		} else {
			n_loaded++;
		}
	}
	printf("ok %s\n", path);
	ret = 0;
out:
	bk_btf_free(st);
	bk_btf_free(ds);
	bk_btf_free(db);
	bk_btf_free(s);
	return ret;
}

static struct bk_btf *open_base(const char *path)
{
	struct bk_diag diag = { 0 };
	struct bk_open_opts o = { .sz = sizeof(o), .diag = &diag };
	struct bk_btf *b = bk_btf_open(path, &o);

	if (!b)
		fprintf(stderr, "%s: %s\n", path, diag.msg);
	return b;
}

/* Run fn over argv[i..] or, without any, stdin's lines; number of failures. */
static long each_module(int argc, char **argv, int i, int (*fn)(void *, const char *), void *ctx,
			long *count)
{
	char line[4096];
	long bad = 0;

	if (i < argc) {
		for (; i < argc; i++, (*count)++)
			bad += fn(ctx, argv[i]);
		return bad;
	}
	while (fgets(line, sizeof(line), stdin)) {
		line[strcspn(line, "\n")] = '\0';
		if (!*line)
			continue;
		bad += fn(ctx, line);
		(*count)++;
	}
	return bad;
}

struct cross_ctx {
	struct bk_btf *vml, *other;
	bool load;
};

static int do_roundtrip(void *ctx, const char *path)
{
	return roundtrip_one(ctx, path);
}

static int do_cross(void *ctx, const char *path)
{
	struct cross_ctx *x = ctx;

	return cross_one(x->vml, x->other, x->load, path);
}

static int write_to(const struct bk_btf *b, const char *dir, const char *name)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return bk_btf_write_file(b, path);
}

/* The selftest's base and split (see tests/unit/distill_fix.c). */
static int fixture(const char *dir)
{
	struct bk_btf *b = bk_btf_new_empty(NULL), *s, *small = bk_btf_new_empty(NULL);
	int err;

	bk_btf_add_int(b, "int", 4, BK_INT_SIGNED);
	bk_btf_add_ptr(b, 1);
	bk_btf_add_struct(b, "s1", 8);
	bk_btf_add_field(b, "f1", 2, 0, 0);
	bk_btf_add_struct(b, "", 12);
	bk_btf_add_field(b, "f1", 1, 0, 0);
	bk_btf_add_field(b, "f2", 3, 32, 0);
	bk_btf_add_int(b, "unsigned int", 4, 0);
	bk_btf_add_union(b, "u1", 12);
	bk_btf_add_field(b, "f1", 1, 0, 0);
	bk_btf_add_field(b, "f2", 2, 0, 0);
	bk_btf_add_union(b, "", 4);
	bk_btf_add_field(b, "f1", 1, 0, 0);
	bk_btf_add_enum(b, "e1", 4);
	bk_btf_add_enum_value(b, "v1", 1);
	bk_btf_add_enum(b, "", 4);
	bk_btf_add_enum_value(b, "av1", 2);
	bk_btf_add_enum64(b, "e641", 8, true);
	bk_btf_add_enum64_value(b, "v1", 1024);
	bk_btf_add_enum64(b, "", 8, true);
	bk_btf_add_enum64_value(b, "v1", 1025);
	bk_btf_add_struct(b, "unneeded", 4);
	bk_btf_add_field(b, "f1", 1, 0, 0);
	bk_btf_add_struct(b, "embedded", 4);
	bk_btf_add_field(b, "f1", 1, 0, 0);
	bk_btf_add_func_proto(b, 1);
	bk_btf_add_func_param(b, "p1", 1);
	bk_btf_add_array(b, 1, 1, 3);
	bk_btf_add_struct(b, "from_proto", 4);
	bk_btf_add_field(b, "f1", 1, 0, 0);
	bk_btf_add_union(b, "u1", 4);
	bk_btf_add_field(b, "f1", 1, 0, 0);
	s = bk_btf_new_empty(b);
	bk_btf_add_ptr(s, 3);
	bk_btf_add_ptr(s, 4);
	bk_btf_add_const(s, 6);
	bk_btf_add_restrict(s, 7);
	bk_btf_add_volatile(s, 8);
	bk_btf_add_typedef(s, "et", 9);
	bk_btf_add_const(s, 10);
	bk_btf_add_ptr(s, 11);
	bk_btf_add_struct(s, "with_embedded", 4);
	bk_btf_add_field(s, "f1", 13, 0, 0);
	bk_btf_add_func(s, "fn", BK_LINKAGE_STATIC, 14);
	bk_btf_add_typedef(s, "arraytype", 15);
	bk_btf_add_func_proto(s, 1);
	bk_btf_add_func_param(s, "p1", 16);
	bk_btf_add_int(small, "int", 4, BK_INT_SIGNED);
	bk_btf_add_struct(small, "s1", 16);
	err = write_to(b, dir, "base.btf") || write_to(s, dir, "split.btf") ||
	      write_to(small, dir, "small.btf");
	bk_btf_free(s);
	bk_btf_free(b);
	bk_btf_free(small);
	return err ? 1 : 0;
}

int main(int argc, char **argv)
{
	long n = 0, bad;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 3 && !strcmp(argv[1], "roundtrip")) {
		struct bk_btf *vml = open_base(argv[2]);

		if (!vml)
			return 1;
		bad = each_module(argc, argv, 3, do_roundtrip, vml, &n);
		printf("roundtrip: %ld modules, %ld failed, %ld distilled base types, %ld moved into the splits\n",
		       n, bad, n_types, n_moved);
		bk_btf_free(vml);
		return bad ? 1 : 0;
	}
	if (argc >= 4 && !strcmp(argv[1], "cross")) {
		struct cross_ctx x = { open_base(argv[2]), open_base(argv[3]), false };
		int i = 4;

		if (!x.vml || !x.other)
			return 1;
		if (i < argc && !strcmp(argv[i], "-k")) {
			x.load = true;
			i++;
		}
		bad = each_module(argc, argv, i, do_cross, &x, &n);
		printf("cross: %ld modules, %ld relocated, %ld checked, %ld loaded\n", n, n_rel,
		       n_checked, n_loaded);
		bk_btf_free(x.vml);
		bk_btf_free(x.other);
		if (kernel_denied) {
			printf("skip: loading BTF is not permitted here\n");
			return bad ? 1 : 3;
		}
		return bad ? 1 : 0;
	}
	if (argc == 3 && !strcmp(argv[1], "fixture"))
		return fixture(argv[2]);
	fprintf(stderr, "usage: distill_corpus roundtrip VMLINUX [MOD...]\n"
			"       distill_corpus cross VMLINUX OTHER [-k] [MOD...]\n"
			"       distill_corpus fixture DIR\n");
	return 2;
}
