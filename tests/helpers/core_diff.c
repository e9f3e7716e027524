// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * core_diff: field-by-field round trip of btfkit's reader against libbpf's.
 * For every file named on standard input (one path a line), parsed alone or
 * split on BASE (-B), it opens the file with bk_btf_open and with
 * btf__parse / btf__parse_split and checks that both see the same BTF:
 *  - type count, first own ID, byte order, pointer size;
 *  - for every own type: kind, name (offset and string), kflag, vlen,
 *    size/type, and every kind's trailing data — INT encoding/offset/bits,
 *    ARRAY elem/index/nelems, members (name, type, bit offset, bitfield
 *    size), enumerators (name, value, signedness), ENUM64 values, FUNC
 *    linkage, params (name, type), VAR linkage, datasec entries (type,
 *    offset, size), DECL_TAG component index;
 *  - bk_btf_resolve_size and bk_btf_align against btf__resolve_size and
 *    btf__align_of for every own type;
 *  - name lookups: for EVERY named own type, bk_btf_find(name, kind) equals
 *    the lowest ID with that name and kind in libbpf's reading (base first,
 *    then own types; tracked in a hash table built from libbpf's types);
 *    and, because libbpf's own lookup is a linear scan, on a sample against
 *    btf__find_by_name_kind itself: the last named own type of every 2nd
 *    file, the first of every 8th file, every 500th own type (every 40th
 *    of a file read alone), bk_btf_find(name, -1) against btf__find_by_name
 *    for every 128th file, and a name that exists nowhere for every 16th.
 *
 *	core_diff [-B BASE] < list
 *
 * Prints "DIFF FILE: type [ID]: what: libbpf X, btfkit Y" for the first few
 * differences of a file, and at the end "checked N files, T types,
 * L lookups, S size/align queries, K differ". Exit 0 when all agree.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "btfkit/btf.h"

static unsigned long nr_types, nr_lookups, nr_queries;
static unsigned diffs_in_file;
static const char *cur_file;

static int quiet_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

static void diff(uint32_t id, const char *what, long long lb, long long bk)
{
	if (diffs_in_file++ < 5)
		printf("DIFF %s: type [%u]: %s: libbpf %lld, btfkit %lld\n", cur_file, id, what, lb, bk);
}

static void diff_str(uint32_t id, const char *what, const char *lb, const char *bk)
{
	if (diffs_in_file++ < 5)
		printf("DIFF %s: type [%u]: %s: libbpf '%s', btfkit '%s'\n", cur_file, id, what,
		       lb ? lb : "(null)", bk ? bk : "(null)");
}

#define EQ(what, a, b)                                                        \
	do {                                                                  \
		long long _a = (long long)(a), _b = (long long)(b);           \
		if (_a != _b)                                                 \
			diff(id, what, _a, _b);                               \
	} while (0)

/* A string offset: same offset, and both libraries give the same string. */
static void eq_name(uint32_t id, const char *what, const struct btf *lb, uint32_t lb_off,
		    const struct bk_btf *bk, uint32_t bk_off)
{
	const char *a = btf__name_by_offset(lb, lb_off), *b = bk_btf_str(bk, bk_off);

	if (lb_off != bk_off)
		diff(id, what, lb_off, bk_off);
	else if (!a || !b || strcmp(a, b))
		diff_str(id, what, a, b);
}

static void compare_type(const struct btf *lb, const struct bk_btf *bk, uint32_t id)
{
	const struct btf_type *a = btf__type_by_id(lb, id);
	const struct bk_type *b = bk_btf_type(bk, id);
	unsigned vlen;

	if (!a || !b) {
		diff(id, "present", a != NULL, b != NULL);
		return;
	}
	nr_types++;
	EQ("kind", btf_kind(a), bk_kind(b));
	EQ("kflag", btf_kflag(a), bk_kflag(b));
	EQ("vlen", btf_vlen(a), bk_vlen(b));
	eq_name(id, "name", lb, a->name_off, bk, b->name_off);
	EQ("size/type", a->size, b->size);
	if (btf_kind(a) != bk_kind(b) || btf_vlen(a) != bk_vlen(b))
		return;
	vlen = bk_vlen(b);
	switch (bk_kind(b)) {
	case BK_KIND_INT:
		EQ("int encoding", btf_int_encoding(a), bk_int_encoding(b));
		EQ("int bits_offset", btf_int_offset(a), bk_int_offset(b));
		EQ("int nr_bits", btf_int_bits(a), bk_int_bits(b));
		break;
	case BK_KIND_ARRAY:
		EQ("array type", btf_array(a)->type, bk_array_of(b)->type);
		EQ("array index_type", btf_array(a)->index_type, bk_array_of(b)->index_type);
		EQ("array nelems", btf_array(a)->nelems, bk_array_of(b)->nelems);
		break;
	case BK_KIND_STRUCT:
	case BK_KIND_UNION:
		for (unsigned i = 0; i < vlen; i++) {
			const struct btf_member *ma = btf_members(a) + i;
			const struct bk_member *mb = bk_members(b) + i;

			eq_name(id, "member name", lb, ma->name_off, bk, mb->name_off);
			EQ("member type", ma->type, mb->type);
			EQ("member bit offset", btf_member_bit_offset(a, i), bk_member_bit_offset(b, mb));
			EQ("member bitfield size", btf_member_bitfield_size(a, i),
			   bk_member_bitfield_size(b, mb));
		}
		break;
	case BK_KIND_ENUM:
		for (unsigned i = 0; i < vlen; i++) {
			const struct btf_enum *ea = btf_enum(a) + i;
			const struct bk_enum *eb = bk_enums(b) + i;

			eq_name(id, "enumerator name", lb, ea->name_off, bk, eb->name_off);
			/* libbpf reads the value signed or unsigned through kflag */
			if (btf_kflag(a))
				EQ("enumerator value", (int32_t)ea->val, eb->val);
			else
				EQ("enumerator value", (uint32_t)ea->val, (uint32_t)eb->val);
		}
		break;
	case BK_KIND_ENUM64:
		for (unsigned i = 0; i < vlen; i++) {
			const struct btf_enum64 *ea = btf_enum64(a) + i;
			const struct bk_enum64 *eb = bk_enum64s(b) + i;

			eq_name(id, "enumerator name", lb, ea->name_off, bk, eb->name_off);
			if (btf_enum64_value(ea) != bk_enum64_value(eb))
				diff(id, "enum64 value", (long long)btf_enum64_value(ea),
				     (long long)bk_enum64_value(eb));
		}
		break;
	case BK_KIND_FUNC:
		EQ("func linkage", btf_vlen(a), bk_vlen(b));
		break;
	case BK_KIND_FUNC_PROTO:
		for (unsigned i = 0; i < vlen; i++) {
			const struct btf_param *pa = btf_params(a) + i;
			const struct bk_param *pb = bk_params(b) + i;

			eq_name(id, "param name", lb, pa->name_off, bk, pb->name_off);
			EQ("param type", pa->type, pb->type);
		}
		break;
	case BK_KIND_VAR:
		EQ("var linkage", btf_var(a)->linkage, bk_var_of(b)->linkage);
		break;
	case BK_KIND_DATASEC:
		for (unsigned i = 0; i < vlen; i++) {
			const struct btf_var_secinfo *va = btf_var_secinfos(a) + i;
			const struct bk_var_secinfo *vb = bk_secinfos(b) + i;

			EQ("datasec entry type", va->type, vb->type);
			EQ("datasec entry offset", va->offset, vb->offset);
			EQ("datasec entry size", va->size, vb->size);
		}
		break;
	case BK_KIND_DECL_TAG:
		EQ("decl_tag component_idx", btf_decl_tag(a)->component_idx,
		   bk_decl_tag_of(b)->component_idx);
		break;
	default:
		break;
	}
	/* record size: btfkit's record for this ID starts where libbpf's does */
	if (id + 1 < btf__type_cnt(lb) && id + 1 >= bk_btf_start_id(bk))
		EQ("record size",
		   (const char *)btf__type_by_id(lb, id + 1) - (const char *)a,
		   (long long)bk_btf_type_rec_size(bk, b));
}

static void compare_queries(const struct btf *lb, const struct bk_btf *bk, uint32_t id)
{
	long long la, ba;

	nr_queries++;
	EQ("resolve_size", btf__resolve_size(lb, id), bk_btf_resolve_size(bk, id));
	la = btf__align_of(lb, id);
	ba = bk_btf_align(bk, id);
	/*
	 * For kinds without an alignment (FUNC, VAR, DATASEC, void, ...)
	 * libbpf 1.1 returns 0 and sets errno to EINVAL; btfkit returns
	 * -EINVAL as every btfkit query does.
	 */
	if (la == 0 && ba == -EINVAL)
		ba = 0;
	EQ("align", la, ba);
}

static void lookup(const struct btf *lb, const struct bk_btf *bk, const char *name, int kind)
{
	long long a, b;

	nr_lookups++;
	if (kind >= 0) {
		a = btf__find_by_name_kind(lb, name, (uint32_t)kind);
		b = bk_btf_find(bk, name, kind);
	} else {
		a = btf__find_by_name(lb, name);
		b = bk_btf_find(bk, name, -1);
	}
	if (a != b) {
		if (diffs_in_file++ < 5)
			printf("DIFF %s: find '%s' kind %d: libbpf %lld, btfkit %lld\n", cur_file, name,
			       kind, a, b);
	}
}

/*
 * Lowest ID per (name, kind) as read by libbpf: an open-addressing table of
 * IDs, names looked up through the btf they belong to. The base's table is
 * built once; each file gets its own for its own types.
 */
struct first_ids {
	const struct btf *btf;
	uint32_t *ids;
	uint32_t mask;
};

static uint32_t name_hash(const char *s, unsigned kind)
{
	uint32_t h = 2166136261u ^ kind;

	while (*s)
		h = (h ^ (uint8_t)*s++) * 16777619u;
	return h;
}

static void first_ids_init(struct first_ids *f, const struct btf *btf, uint32_t from, uint32_t to)
{
	uint32_t size = 64;

	while (size < 2 * (to - from) + 1)
		size <<= 1;
	f->btf = btf;
	f->mask = size - 1;
	f->ids = calloc(size, sizeof(uint32_t));
	if (!f->ids)
		abort();
	for (uint32_t id = from; id < to; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const char *name = btf__name_by_offset(btf, t->name_off);
		uint32_t h;

		if (!t->name_off || !name)
			continue;
		for (h = name_hash(name, btf_kind(t)) & f->mask; f->ids[h]; h = (h + 1) & f->mask) {
			const struct btf_type *o = btf__type_by_id(btf, f->ids[h]);

			if (btf_kind(o) == btf_kind(t) && !strcmp(btf__name_by_offset(btf, o->name_off), name))
				break;
		}
		if (!f->ids[h])
			f->ids[h] = id; /* IDs ascend: the first one stays */
	}
}

static uint32_t first_ids_get(const struct first_ids *f, const char *name, unsigned kind)
{
	if (!f->ids)
		return 0;
	for (uint32_t h = name_hash(name, kind) & f->mask; f->ids[h]; h = (h + 1) & f->mask) {
		const struct btf_type *o = btf__type_by_id(f->btf, f->ids[h]);

		if (btf_kind(o) == kind && !strcmp(btf__name_by_offset(f->btf, o->name_off), name))
			return f->ids[h];
	}
	return 0;
}

static struct first_ids base_first;
static unsigned long nr_index_checks;

/* Compare one file; returns 0 if both libraries agree. */
static int compare_file(const char *path, struct btf *lbase, struct bk_btf *bbase,
			unsigned long fileno)
{
	struct bk_diag dg = { 0 };
	struct bk_open_opts o = { .sz = sizeof(o), .base = bbase, .diag = &dg };
	struct btf *lb;
	struct bk_btf *bk;
	uint32_t id = 0, start, cnt, first_named = 0, last_named = 0, step;
	char missing[64];

	cur_file = path;
	diffs_in_file = 0;
	lb = lbase ? btf__parse_split(path, lbase) : btf__parse(path, NULL);
	bk = bk_btf_open(path, &o);
	if (!lb || !bk) {
		printf("ERR %s: libbpf %s, btfkit %s\n", path, lb ? "ok" : strerror(errno),
		       bk ? "ok" : dg.msg);
		btf__free(lb);
		bk_btf_free(bk);
		return 1;
	}
	start = lbase ? btf__type_cnt(lbase) : 1;
	cnt = btf__type_cnt(lb);
	EQ("type count", cnt, bk_btf_type_cnt(bk));
	EQ("start id", start, bk_btf_start_id(bk));
	EQ("byte order (0 little)", btf__endianness(lb) == BTF_BIG_ENDIAN, bk_btf_endian(bk) == BK_ENDIAN_BIG);
	EQ("pointer size", btf__pointer_size(lb), bk_btf_ptr_size(bk));
	if (cnt != bk_btf_type_cnt(bk))
		goto out;
	step = lbase ? 500 : 40;
	{
		struct first_ids own;

		first_ids_init(&own, lb, start, cnt);
		for (id = start; id < cnt; id++) {
			const struct btf_type *t = btf__type_by_id(lb, id);
			const char *name = btf__name_by_offset(lb, t->name_off);
			uint32_t want;

			if (!t->name_off || !name || !*name)
				continue;
			want = first_ids_get(&base_first, name, btf_kind(t));
			if (!want)
				want = first_ids_get(&own, name, btf_kind(t));
			nr_index_checks++;
			if (bk_btf_find(bk, name, (int)btf_kind(t)) != (int)want && diffs_in_file++ < 5)
				printf("DIFF %s: find '%s' kind %u: lowest ID in libbpf's reading %u, btfkit %d\n",
				       cur_file, name, btf_kind(t), want, bk_btf_find(bk, name, (int)btf_kind(t)));
		}
		free(own.ids);
	}
	for (id = start; id < cnt; id++) {
		const struct btf_type *t = btf__type_by_id(lb, id);

		compare_type(lb, bk, id);
		compare_queries(lb, bk, id);
		if (t->name_off) {
			if (!first_named)
				first_named = id;
			last_named = id;
			if ((id - start) % step == step - 1)
				lookup(lb, bk, btf__name_by_offset(lb, t->name_off), btf_kind(t));
		}
	}
	id = 0;
	if (first_named) {
		const struct btf_type *t = btf__type_by_id(lb, first_named);

		if (fileno % 8 == 1)
			lookup(lb, bk, btf__name_by_offset(lb, t->name_off), btf_kind(t));
		if (fileno % 128 == 1)
			lookup(lb, bk, btf__name_by_offset(lb, t->name_off), -1);
		t = btf__type_by_id(lb, last_named);
		if (fileno % 2 == 1)
			lookup(lb, bk, btf__name_by_offset(lb, t->name_off), btf_kind(t));
	}
	if (fileno % 16 == 1) {
		snprintf(missing, sizeof(missing), "no_such_type_%lu", fileno);
		lookup(lb, bk, missing, BK_KIND_STRUCT);
	}
out:
	btf__free(lb);
	bk_btf_free(bk);
	return diffs_in_file != 0;
}

int main(int argc, char **argv)
{
	const char *base_path = NULL;
	struct btf *lbase = NULL;
	struct bk_btf *bbase = NULL;
	unsigned long files = 0, bad = 0;
	char line[4096];
	int c;

	while ((c = getopt(argc, argv, "B:")) != -1) {
		if (c != 'B') {
			fprintf(stderr, "usage: core_diff [-B BASE] < list\n");
			return 2;
		}
		base_path = optarg;
	}
	libbpf_set_print(quiet_print);
	if (base_path) {
		struct bk_diag dg = { 0 };
		struct bk_open_opts o = { .sz = sizeof(o), .diag = &dg };

		lbase = btf__parse(base_path, NULL);
		bbase = bk_btf_open(base_path, &o);
		if (!lbase || !bbase) {
			printf("ERR %s: cannot open base (libbpf %s, btfkit %s)\n", base_path,
			       lbase ? "ok" : strerror(errno), bbase ? "ok" : dg.msg);
			return 1;
		}
		first_ids_init(&base_first, lbase, 1, btf__type_cnt(lbase));
	}
	while (fgets(line, sizeof(line), stdin)) {
		size_t l = strlen(line);

		if (l && line[l - 1] == '\n')
			line[--l] = '\0';
		if (!l)
			continue;
		files++;
		bad += (unsigned long)compare_file(line, lbase, bbase, files);
		fflush(stdout);
	}
	btf__free(lbase);
	bk_btf_free(bbase);
	free(base_first.ids);
	printf("checked %lu files, %lu types, %lu lookups, %lu size/align queries, %lu differ; %lu name lookups checked against libbpf's types\n",
	       files, nr_types, nr_lookups, nr_queries, bad, nr_index_checks);
	return bad ? 1 : 0;
}
