// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Differential test of the writer against libbpf:
 *   writer_diff [-b BASE_BTF_FILE] [-p FILE] [-s SPLIT_FILE]
 * Drives libbpf (btf__add_*) and btfkit (bk_btf_add_*) with the same random
 * sequences of calls (fixed seeds) and requires the same result from every
 * call (the same new ID, or both refusing) and the same serialized bytes in
 * both byte orders (btf__raw_data vs bk_btf_serialize). Sequences run on a
 * new BTF, on a split over a small base built the same way in both
 * libraries, and (when BASE_BTF_FILE is given, e.g. a vmlinux) on a split
 * over that parsed base, picking names and referenced IDs from the base so
 * base string reuse is exercised. With -p, sequences also start from FILE
 * as parsed by each library (a parsed BTF modified in place), and with -s
 * from SPLIT_FILE parsed as split BTF on the -b base. Occasional invalid calls (bad sizes,
 * empty names, members for the wrong last kind, enumerators out of range)
 * must be refused by both. Sequences end with btf__add_type/bk_btf_add_type
 * and btf__add_btf/bk_btf_add_btf from a second object.
 * Prints "ok: N sequences, M calls, K bytes compared" or the mismatches.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/btf.h>

#include "btfkit/btf.h"
#include "btfkit/write.h"

struct pair {
	struct btf *l;
	struct bk_btf *k;
	int cnt;  /* type count (IDs < cnt exist) */
	int last_kind;
	int nr_protos;
	int protos[64];
};

static uint64_t rng;
static long calls, mismatches, bytes_cmp;
static bool diverged; /* the current sequence failed: stop it */
static unsigned cur_seed;
static const char *cur_mode;

static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return n ? (uint32_t)(rng % n) : 0;
}

static const char *const names[] = {
	"a", "b", "c", "foo", "bar", "int", "long unsigned int", "char", "x", "next",
	"task_struct", "list_head", "__u32", "val", "s", "u", "e", "E1", "E2", "tag",
	".data", ".bss", "fn", "v", "sk_buff", "unique_name_1", "unique_name_2",
};
#define NR_NAMES (sizeof(names) / sizeof(names[0]))

/* A name, or NULL / "" when optional says anonymity is allowed. */
static const char *pick_name(bool optional)
{
	uint32_t r = rnd(NR_NAMES + (optional ? 3 : 0));

	if (r < NR_NAMES)
		return names[r];
	return r == NR_NAMES ? NULL : "";
}

static int pick_id(struct pair *p)
{
	return (int)rnd((uint32_t)p->cnt);
}

static void mismatch(const char *what, int rl, int rk)
{
	mismatches++;
	diverged = true;
	if (mismatches <= 10)
		printf("mismatch (%s seed %u, call %ld): %s: libbpf %d, btfkit %d\n", cur_mode,
		       cur_seed, calls, what, rl, rk);
}

/* Same outcome: the same ID / offset, or both refusing. */
static void same(struct pair *p, const char *what, int rl, int rk, int kind)
{
	calls++;
	if ((rl < 0) != (rk < 0) || (rl >= 0 && rl != rk)) {
		mismatch(what, rl, rk);
		return;
	}
	if (rl > 0 && kind >= 0) {
		/* a new type */
		p->cnt = rl + 1;
		p->last_kind = kind;
		if (kind == BTF_KIND_FUNC_PROTO && p->nr_protos < 64)
			p->protos[p->nr_protos++] = rl;
	}
}

static void compare_bytes(struct pair *p)
{
	for (int e = 0; e < 2; e++) {
		const void *ld;
		void *kd;
		__u32 ln;
		size_t kn;

		btf__set_endianness(p->l, e ? BTF_BIG_ENDIAN : BTF_LITTLE_ENDIAN);
		bk_btf_set_endian(p->k, e ? BK_ENDIAN_BIG : BK_ENDIAN_LITTLE);
		ld = btf__raw_data(p->l, &ln);
		if (!ld || bk_btf_serialize(p->k, &kd, &kn)) {
			mismatch("serialize failed", ld ? 0 : -1, -1);
			continue;
		}
		if (ln != kn || memcmp(ld, kd, kn)) {
			size_t i = 0;

			while (i < ln && i < kn && ((const uint8_t *)ld)[i] == ((uint8_t *)kd)[i])
				i++;
			mismatch(e ? "big-endian bytes differ at offset" : "little-endian bytes differ at offset",
				 (int)i, (int)kn - (int)ln);
		}
		bytes_cmp += (long)kn;
		free(kd);
	}
	btf__set_endianness(p->l, BTF_LITTLE_ENDIAN);
	bk_btf_set_endian(p->k, BK_ENDIAN_LITTLE);
}

static void one_call(struct pair *p)
{
	const char *n;
	int a, b, r;
	uint32_t sz;
	int64_t v;
	uint64_t u;

	switch (rnd(24)) {
	case 0: {
		static const size_t sizes[] = { 1, 2, 4, 8, 16, 3, 0 };
		int enc = (int)rnd(8);

		sz = (uint32_t)sizes[rnd(rnd(8) ? 5 : 7)];
		n = pick_name(rnd(10) == 0);
		same(p, "add_int", btf__add_int(p->l, n, sz, enc), bk_btf_add_int(p->k, n, sz, enc),
		     BTF_KIND_INT);
		break;
	}
	case 1: {
		static const size_t sizes[] = { 2, 4, 8, 12, 16, 1, 6 };

		sz = (uint32_t)sizes[rnd(rnd(8) ? 5 : 7)];
		n = pick_name(false);
		same(p, "add_float", btf__add_float(p->l, n, sz), bk_btf_add_float(p->k, n, sz),
		     BTF_KIND_FLOAT);
		break;
	}
	case 2:
		a = pick_id(p);
		switch (rnd(5)) {
		case 0:
			same(p, "add_ptr", btf__add_ptr(p->l, a), bk_btf_add_ptr(p->k, a), BTF_KIND_PTR);
			break;
		case 1:
			same(p, "add_const", btf__add_const(p->l, a), bk_btf_add_const(p->k, a),
			     BTF_KIND_CONST);
			break;
		case 2:
			same(p, "add_volatile", btf__add_volatile(p->l, a), bk_btf_add_volatile(p->k, a),
			     BTF_KIND_VOLATILE);
			break;
		case 3:
			same(p, "add_restrict", btf__add_restrict(p->l, a), bk_btf_add_restrict(p->k, a),
			     BTF_KIND_RESTRICT);
			break;
		default:
			n = pick_name(rnd(10) == 0);
			same(p, "add_type_tag", btf__add_type_tag(p->l, n, a),
			     bk_btf_add_type_tag(p->k, n, a), BTF_KIND_TYPE_TAG);
		}
		break;
	case 3:
		a = pick_id(p);
		b = pick_id(p);
		sz = rnd(100);
		same(p, "add_array", btf__add_array(p->l, a, b, sz), bk_btf_add_array(p->k, a, b, sz),
		     BTF_KIND_ARRAY);
		break;
	case 4:
	case 5:
		n = pick_name(true);
		sz = rnd(256);
		if (rnd(2))
			same(p, "add_struct", btf__add_struct(p->l, n, sz), bk_btf_add_struct(p->k, n, sz),
			     BTF_KIND_STRUCT);
		else
			same(p, "add_union", btf__add_union(p->l, n, sz), bk_btf_add_union(p->k, n, sz),
			     BTF_KIND_UNION);
		break;
	case 6:
	case 7:
	case 8: {
		/* several members; mostly valid for the last kind */
		int k = (int)rnd(6);

		for (int i = 0; i < k; i++) {
			uint32_t off, bsz = 0;

			n = pick_name(true);
			a = pick_id(p);
			if (p->last_kind == BTF_KIND_UNION && rnd(10))
				off = 0;
			else
				off = rnd(4) ? 8 * rnd(64) : rnd(2048);
			if (!rnd(4))
				bsz = 1 + rnd(rnd(20) ? 64 : 300);
			same(p, "add_field", btf__add_field(p->l, n, a, off, bsz),
			     bk_btf_add_field(p->k, n, a, off, bsz), -1);
		}
		break;
	}
	case 9:
		n = pick_name(true);
		sz = rnd(10) ? (1u << rnd(4)) : rnd(20);
		same(p, "add_enum", btf__add_enum(p->l, n, sz), bk_btf_add_enum(p->k, n, sz), BTF_KIND_ENUM);
		break;
	case 10: {
		int k = (int)rnd(5);

		for (int i = 0; i < k; i++) {
			n = pick_name(rnd(20) == 0);
			switch (rnd(4)) {
			case 0: v = -(int64_t)rnd(1000); break;
			case 1: v = (int64_t)rnd(1u << 31) * 2; break;
			case 2: v = rnd(20) ? INT32_MIN : (int64_t)INT32_MIN - 1; break;
			default: v = rnd(20) ? (int64_t)UINT32_MAX : (int64_t)UINT32_MAX + 1;
			}
			same(p, "add_enum_value", btf__add_enum_value(p->l, n, v),
			     bk_btf_add_enum_value(p->k, n, v), -1);
		}
		break;
	}
	case 11: {
		bool s = rnd(2);

		n = pick_name(true);
		sz = rnd(10) ? (1u << rnd(4)) : rnd(20);
		same(p, "add_enum64", btf__add_enum64(p->l, n, sz, s), bk_btf_add_enum64(p->k, n, sz, s),
		     BTF_KIND_ENUM64);
		break;
	}
	case 12: {
		int k = (int)rnd(4);

		for (int i = 0; i < k; i++) {
			n = pick_name(rnd(20) == 0);
			u = ((uint64_t)rnd(UINT32_MAX) << 32) | rnd(UINT32_MAX);
			same(p, "add_enum64_value", btf__add_enum64_value(p->l, n, u),
			     bk_btf_add_enum64_value(p->k, n, u), -1);
		}
		break;
	}
	case 13: {
		int fk = (int)rnd(3);

		n = pick_name(rnd(20) == 0);
		same(p, "add_fwd", btf__add_fwd(p->l, n, (enum btf_fwd_kind)fk),
		     bk_btf_add_fwd(p->k, n, (enum bk_fwd_kind)fk),
		     fk == 2 ? BTF_KIND_ENUM : BTF_KIND_FWD);
		break;
	}
	case 14:
		n = pick_name(rnd(20) == 0);
		a = pick_id(p);
		same(p, "add_typedef", btf__add_typedef(p->l, n, a), bk_btf_add_typedef(p->k, n, a),
		     BTF_KIND_TYPEDEF);
		break;
	case 15:
		a = pick_id(p);
		same(p, "add_func_proto", btf__add_func_proto(p->l, a), bk_btf_add_func_proto(p->k, a),
		     BTF_KIND_FUNC_PROTO);
		/* add parameters: */
		/* fall through */
	case 16: {
		int k = (int)rnd(5);

		for (int i = 0; i < k; i++) {
			n = pick_name(true);
			a = pick_id(p);
			same(p, "add_func_param", btf__add_func_param(p->l, n, a),
			     bk_btf_add_func_param(p->k, n, a), -1);
		}
		break;
	}
	case 17: {
		int link = (int)rnd(3);

		if (!p->nr_protos)
			break;
		n = pick_name(rnd(20) == 0);
		a = p->protos[rnd((uint32_t)p->nr_protos)];
		same(p, "add_func", btf__add_func(p->l, n, (enum btf_func_linkage)link, a),
		     bk_btf_add_func(p->k, n, (enum bk_linkage)link, a), BTF_KIND_FUNC);
		break;
	}
	case 18: {
		int link = (int)rnd(rnd(20) ? 3 : 5);

		n = pick_name(rnd(20) == 0);
		a = pick_id(p);
		same(p, "add_var", btf__add_var(p->l, n, link, a), bk_btf_add_var(p->k, n, link, a),
		     BTF_KIND_VAR);
		break;
	}
	case 19:
		n = pick_name(rnd(20) == 0);
		sz = rnd(4096);
		same(p, "add_datasec", btf__add_datasec(p->l, n, sz), bk_btf_add_datasec(p->k, n, sz),
		     BTF_KIND_DATASEC);
		/* add entries: */
		/* fall through */
	case 20: {
		int k = (int)rnd(4);

		for (int i = 0; i < k; i++) {
			uint32_t off = rnd(4096), vsz = rnd(64);

			a = pick_id(p);
			same(p, "add_datasec_var_info", btf__add_datasec_var_info(p->l, a, off, vsz),
			     bk_btf_add_datasec_var_info(p->k, a, off, vsz), -1);
		}
		break;
	}
	case 21: {
		int idx = (int)rnd(rnd(20) ? 5 : 6) - 1 - (rnd(20) == 0);

		n = pick_name(rnd(20) == 0);
		a = pick_id(p);
		same(p, "add_decl_tag", btf__add_decl_tag(p->l, n, a, idx),
		     bk_btf_add_decl_tag(p->k, n, a, idx), BTF_KIND_DECL_TAG);
		break;
	}
	default:
		n = pick_name(false);
		if (rnd(2)) {
			r = btf__find_str(p->l, n);
			same(p, "find_str", r < 0 ? -1 : r, bk_btf_find_str(p->k, n) < 0 ? -1 :
			     bk_btf_find_str(p->k, n), -1);
		} else {
			r = btf__add_str(p->l, n);
			same(p, "add_str", r, bk_btf_add_str(p->k, n), -1);
		}
		break;
	}
}

static void run_sequence(struct pair *p, int ncalls)
{
	for (int i = 0; i < ncalls && !diverged; i++) {
		one_call(p);
		if (!rnd(50))
			compare_bytes(p);
	}
	compare_bytes(p);
}

/* The file sequences start from, parsed by both libraries (NULL: empty). */
static const char *start_file;

static bool pair_new(struct pair *p, struct btf *lbase, struct bk_btf *kbase)
{
	memset(p, 0, sizeof(*p));
	if (start_file) {
		struct bk_open_opts o = { .sz = sizeof(o), .base = kbase };

		p->l = lbase ? btf__parse_split(start_file, lbase) : btf__parse(start_file, NULL);
		p->k = bk_btf_open(start_file, &o);
	} else {
		p->l = lbase ? btf__new_empty_split(lbase) : btf__new_empty();
		p->k = bk_btf_new_empty(kbase);
	}
	if (!p->l || !p->k)
		return false;
	p->cnt = (int)btf__type_cnt(p->l);
	p->last_kind = -1;
	if (p->cnt > 1)
		p->last_kind = (int)btf_kind(btf__type_by_id(p->l, (__u32)p->cnt - 1));
	return true;
}

static void pair_free(struct pair *p)
{
	btf__free(p->l);
	bk_btf_free(p->k);
}

/* Copy: a few single types from src, then all of src (non-split src only). */
static void copy_from(struct pair *p, struct pair *src)
{
	int n = (int)btf__type_cnt(src->l), start = (int)bk_btf_start_id(src->k);

	for (int i = 0; i < 5 && n > start; i++) {
		int id = start + (int)rnd((uint32_t)(n - start));

		same(p, "add_type", btf__add_type(p->l, src->l, btf__type_by_id(src->l, (__u32)id)),
		     bk_btf_add_type(p->k, src->k, bk_btf_type(src->k, (uint32_t)id)), -1);
	}
	/* copied IDs are not remapped: keep picking only below the copies */
	same(p, "add_btf", btf__add_btf(p->l, src->l), bk_btf_add_btf(p->k, src->k), -1);
	compare_bytes(p);
}

static int run_mode(const char *mode, struct btf *lbase, struct bk_btf *kbase, int nseq,
		    int ncalls)
{
	cur_mode = mode;
	for (int s = 1; s <= nseq; s++) {
		struct pair p, q;

		cur_seed = (unsigned)s;
		diverged = false;
		rng = 0x9e3779b97f4a7c15ull * (uint64_t)s + (uint64_t)(uintptr_t)mode[0];
		const char *sf = start_file;
		bool ok = pair_new(&p, lbase, kbase);

		start_file = NULL; /* the copy source always starts empty */
		ok = pair_new(&q, NULL, NULL) && ok;
		start_file = sf;
		if (!ok) {
			printf("cannot create BTF objects (%s)\n", mode);
			return 1;
		}
		run_sequence(&p, ncalls);
		if (s % 4 == 0) {
			run_sequence(&q, ncalls / 4);
			copy_from(&p, &q);
		}
		pair_free(&q);
		pair_free(&p);
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *base_path = NULL, *parsed = NULL, *split = NULL;
	struct btf *lbase = NULL;
	struct bk_btf *kbase = NULL;
	struct pair bp;
	int c, err = 0;

	while ((c = getopt(argc, argv, "b:p:s:")) != -1) {
		switch (c) {
		case 'b': base_path = optarg; break;
		case 'p': parsed = optarg; break;
		case 's': split = optarg; break;
		default: return 2;
		}
	}
	err |= run_mode("new", NULL, NULL, 300, 300);

	/* a small base built identically in both libraries */
	rng = 42;
	cur_mode = "base";
	if (!pair_new(&bp, NULL, NULL))
		return 1;
	run_sequence(&bp, 200);
	err |= run_mode("split", bp.l, bp.k, 100, 200);
	pair_free(&bp);

	if (parsed) {
		start_file = parsed;
		err |= run_mode("parsed", NULL, NULL, 50, 300);
		start_file = NULL;
	}
	if (base_path) {
		struct bk_open_opts o = { .sz = sizeof(o) };

		lbase = btf__parse(base_path, NULL);
		kbase = bk_btf_open(base_path, &o);
		if (!lbase || !kbase) {
			printf("cannot parse base %s\n", base_path);
			return 1;
		}
		err |= run_mode("split-on-file", lbase, kbase, 20, 300);
		if (split) {
			start_file = split;
			err |= run_mode("parsed-split", lbase, kbase, 20, 300);
			start_file = NULL;
		}
		btf__free(lbase);
		bk_btf_free(kbase);
	}
	if (err)
		return 1;
	printf("%s: %ld calls, %ld bytes compared, %ld mismatches\n", mismatches ? "FAILED" : "ok",
	       calls, bytes_cmp, mismatches);
	return mismatches ? 1 : 0;
}
