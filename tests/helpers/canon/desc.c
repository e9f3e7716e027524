// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Canonical type descriptions for btf_canon: see canon.h and the algorithm
 * in tests/helpers/btf_canon.c. Descriptions are built recursively through
 * anonymous types only (named types end a reference), with a busy flag per
 * type and mode against cycles and a depth bound against long chains.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canon.h"

#define MAX_DEPTH 512

static void sb_grow(struct sb *s, size_t n)
{
	if (s->len + n + 1 <= s->cap)
		return;
	while (s->len + n + 1 > s->cap)
		s->cap = s->cap ? s->cap * 2 : 128;
	s->p = realloc(s->p, s->cap);
	if (!s->p) {
		perror("btf_canon");
		exit(2);
	}
}

void canon_sb_add(struct sb *s, const char *str)
{
	size_t n = strlen(str);

	sb_grow(s, n);
	memcpy(s->p + s->len, str, n + 1);
	s->len += n;
}

void canon_sb_addf(struct sb *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	sb_grow(s, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(s->p + s->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	s->len += (size_t)n;
}

char *canon_xstrdup(const char *s)
{
	char *r = strdup(s);

	if (!r) {
		perror("btf_canon");
		exit(2);
	}
	return r;
}

void *canon_xcalloc(size_t n, size_t sz)
{
	void *r = calloc(n ? n : 1, sz);

	if (!r) {
		perror("btf_canon");
		exit(2);
	}
	return r;
}

bool canon_ignored[BK_NR_KINDS];
/* Ambiguous keys: union of both sides' duplicates, sorted. */
char **canon_ambig;
size_t canon_nr_ambig;

const char *const canon_lower[BK_NR_KINDS] = {
	"unknown", "int", "ptr", "array", "struct", "union", "enum", "fwd", "typedef",
	"volatile", "const", "restrict", "func", "func_proto", "var", "datasec", "float",
	"decl_tag", "type_tag", "enum64",
};

const char *canon_kname(unsigned kind)
{
	return kind < BK_NR_KINDS ? canon_lower[kind] : "unknown";
}

bool canon_is_named(const struct bk_btf *btf, const struct bk_type *t)
{
	switch (bk_kind(t)) {
	case BK_KIND_INT: case BK_KIND_FLOAT: case BK_KIND_FWD: case BK_KIND_TYPEDEF:
	case BK_KIND_FUNC: case BK_KIND_VAR: case BK_KIND_DATASEC: case BK_KIND_DECL_TAG:
		return true;
	case BK_KIND_STRUCT: case BK_KIND_UNION: case BK_KIND_ENUM: case BK_KIND_ENUM64: {
		const char *n = bk_btf_name(btf, t);
		return n && *n;
	}
	default:
		return false;
	}
}

static void add_name(struct sb *s, const char *n)
{
	if (!n)
		canon_sb_add(s, "<bad name>");
	else if (strchr(n, ' ') || !*n)
		canon_sb_addf(s, "'%s'", n);
	else
		canon_sb_add(s, n);
}

/* "kind name"; a FWD says which aggregate it stands for. */
void canon_add_key(struct sb *s, const struct bk_btf *btf, const struct bk_type *t)
{
	if (bk_kind(t) == BK_KIND_FWD)
		canon_sb_add(s, bk_kflag(t) ? "fwd union " : "fwd struct ");
	else
		canon_sb_addf(s, "%s ", canon_kname(bk_kind(t)));
	add_name(s, bk_btf_name(btf, t));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_ambiguous(const char *key)
{
	return canon_nr_ambig && bsearch(&key, canon_ambig, canon_nr_ambig, sizeof(*canon_ambig), cmp_str);
}

static uint64_t fnv(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return h;
}

static void add_ref(struct sb *s, struct side *sd, uint32_t id, enum mode m, int depth)
{
	const struct bk_type *t;

	if (id == 0) {
		canon_sb_add(s, "void");
		return;
	}
	t = bk_btf_type(sd->btf, id);
	if (!t) {
		canon_sb_addf(s, "<bad id %u>", id);
		return;
	}
	if (canon_is_named(sd->btf, t) && bk_kind(t) != BK_KIND_DECL_TAG) {
		struct sb k = {0};

		canon_add_key(&k, sd->btf, t);
		/* INT and FLOAT are referred to by name alone: 'unsigned int'. */
		if (bk_kind(t) == BK_KIND_INT || bk_kind(t) == BK_KIND_FLOAT)
			add_name(s, bk_btf_name(sd->btf, t));
		else
			canon_sb_add(s, k.p);
		if (m == FULL && is_ambiguous(k.p))
			canon_sb_addf(s, "#%012llx", (unsigned long long)(fnv(canon_desc(sd, id, SHALLOW, depth + 1)) >> 16));
		free(k.p);
		return;
	}
	canon_sb_add(s, "(");
	canon_sb_add(s, canon_desc(sd, id, m, depth + 1));
	canon_sb_add(s, ")");
}

static void describe(struct sb *s, struct side *sd, uint32_t id, const struct bk_type *t,
		     enum mode m, int depth)
{
	const struct bk_btf *btf = sd->btf;
	unsigned kind = bk_kind(t), vlen = bk_vlen(t), i;

	switch (kind) {
	case BK_KIND_INT: {
		unsigned enc = bk_int_encoding(t);

		canon_add_key(s, btf, t);
		canon_sb_addf(s, " size=%u bits=%u", t->size, bk_int_bits(t));
		if (bk_int_offset(t))
			canon_sb_addf(s, " offset=%u", bk_int_offset(t));
		canon_sb_addf(s, "%s%s%s", enc & BK_INT_SIGNED ? " signed" : "",
			enc & BK_INT_CHAR ? " char" : "", enc & BK_INT_BOOL ? " bool" : "");
		if (enc & ~7u)
			canon_sb_addf(s, " encoding=%#x", enc);
		break;
	}
	case BK_KIND_FLOAT:
		canon_add_key(s, btf, t);
		canon_sb_addf(s, " size=%u", t->size);
		break;
	case BK_KIND_PTR: case BK_KIND_VOLATILE: case BK_KIND_CONST: case BK_KIND_RESTRICT:
		canon_sb_addf(s, "%s ", canon_kname(kind));
		add_ref(s, sd, t->type, m, depth);
		break;
	case BK_KIND_TYPE_TAG:
		canon_sb_addf(s, "type_tag%s(", bk_kflag(t) ? "_attr" : "");
		add_name(s, bk_btf_name(btf, t));
		canon_sb_add(s, ") ");
		add_ref(s, sd, t->type, m, depth);
		break;
	case BK_KIND_TYPEDEF:
		canon_add_key(s, btf, t);
		canon_sb_add(s, " = ");
		add_ref(s, sd, t->type, m, depth);
		break;
	case BK_KIND_ARRAY: {
		const struct bk_array *a = bk_array_of(t);

		canon_sb_addf(s, "array[%u] of ", a->nelems);
		add_ref(s, sd, a->type, m, depth);
		canon_sb_add(s, " index ");
		add_ref(s, sd, a->index_type, m, depth);
		break;
	}
	case BK_KIND_STRUCT: case BK_KIND_UNION: {
		const struct bk_member *mb = bk_members(t);

		canon_add_key(s, btf, t);
		canon_sb_addf(s, " size=%u%s {", t->size, bk_kflag(t) ? " kflag" : "");
		for (i = 0; i < vlen; i++) {
			canon_sb_add(s, i ? "; " : "");
			add_name(s, bk_btf_str(btf, mb[i].name_off));
			canon_sb_add(s, ": ");
			add_ref(s, sd, mb[i].type, m, depth);
			canon_sb_addf(s, " @%u", bk_member_bit_offset(t, &mb[i]));
			if (bk_member_bitfield_size(t, &mb[i]))
				canon_sb_addf(s, ":%u", bk_member_bitfield_size(t, &mb[i]));
		}
		canon_sb_add(s, "}");
		break;
	}
	case BK_KIND_ENUM: case BK_KIND_ENUM64:
		canon_add_key(s, btf, t);
		canon_sb_addf(s, " size=%u%s {", t->size, bk_kflag(t) ? " signed" : "");
		for (i = 0; i < vlen; i++) {
			canon_sb_add(s, i ? "; " : "");
			if (kind == BK_KIND_ENUM) {
				const struct bk_enum *e = &bk_enums(t)[i];

				add_name(s, bk_btf_str(btf, e->name_off));
				if (bk_kflag(t))
					canon_sb_addf(s, "=%d", e->val);
				else
					canon_sb_addf(s, "=%u", (uint32_t)e->val);
			} else {
				const struct bk_enum64 *e = &bk_enum64s(t)[i];

				add_name(s, bk_btf_str(btf, e->name_off));
				if (bk_kflag(t))
					canon_sb_addf(s, "=%lld", (long long)bk_enum64_value(e));
				else
					canon_sb_addf(s, "=%llu", (unsigned long long)bk_enum64_value(e));
			}
		}
		canon_sb_add(s, "}");
		break;
	case BK_KIND_FWD:
		canon_add_key(s, btf, t);
		break;
	case BK_KIND_FUNC_PROTO: {
		const struct bk_param *p = bk_params(t);

		canon_sb_add(s, "func_proto (");
		for (i = 0; i < vlen; i++) {
			canon_sb_add(s, i ? ", " : "");
			if (p[i].type == 0 && p[i].name_off == 0 && i == vlen - 1) {
				canon_sb_add(s, "...");
				continue;
			}
			add_name(s, bk_btf_str(btf, p[i].name_off));
			canon_sb_add(s, ": ");
			add_ref(s, sd, p[i].type, m, depth);
		}
		canon_sb_add(s, ") -> ");
		add_ref(s, sd, t->type, m, depth);
		break;
	}
	case BK_KIND_FUNC:
		canon_add_key(s, btf, t);
		canon_sb_addf(s, " linkage=%u ", vlen);
		add_ref(s, sd, t->type, m, depth);
		break;
	case BK_KIND_VAR:
		canon_add_key(s, btf, t);
		canon_sb_addf(s, " linkage=%u ", bk_var_of(t)->linkage);
		add_ref(s, sd, t->type, m, depth);
		break;
	case BK_KIND_DATASEC: {
		const struct bk_var_secinfo *v = bk_secinfos(t);

		canon_add_key(s, btf, t);
		canon_sb_addf(s, " size=%u {", t->size);
		for (i = 0; i < vlen; i++) {
			canon_sb_add(s, i ? "; " : "");
			add_ref(s, sd, v[i].type, m, depth);
			canon_sb_addf(s, " @%u+%u", v[i].offset, v[i].size);
		}
		canon_sb_add(s, "}");
		break;
	}
	case BK_KIND_DECL_TAG:
		canon_sb_addf(s, "decl_tag%s(", bk_kflag(t) ? "_attr" : "");
		add_name(s, bk_btf_name(btf, t));
		canon_sb_addf(s, ") component=%d on ", bk_decl_tag_of(t)->component_idx);
		add_ref(s, sd, t->type, m, depth);
		break;
	default:
		canon_sb_addf(s, "unknown kind %u [%u]", kind, id);
	}
}

/* The description of id in mode m, built once. */
const char *canon_desc(struct side *sd, uint32_t id, enum mode m, int depth)
{
	struct sb s = {0};

	if (sd->desc[m][id])
		return sd->desc[m][id];
	if (sd->busy[m][id])
		return "<cycle>";
	if (depth > MAX_DEPTH)
		return "<too deep>";
	sd->busy[m][id] = 1;
	describe(&s, sd, id, bk_btf_type(sd->btf, id), m, depth);
	sd->busy[m][id] = 0;
	sd->desc[m][id] = s.p ? s.p : canon_xstrdup("");
	return sd->desc[m][id];
}

/* ---- input and ambiguity -------------------------------------------- */

int canon_open_side(struct side *sd, const char *path, const char *base_path)
{
	struct bk_diag diag = {0};
	struct bk_open_opts o = { .sz = sizeof(o), .diag = &diag };

	sd->path = path;
	if (base_path) {
		sd->base = bk_btf_open(base_path, &o);
		if (!sd->base) {
			fprintf(stderr, "btf_canon: %s: %s\n", base_path, diag.msg);
			return -1;
		}
		o.base = sd->base;
	}
	sd->btf = bk_btf_open(path, &o);
	if (!sd->btf) {
		fprintf(stderr, "btf_canon: %s: %s\n", path, diag.msg);
		return -1;
	}
	sd->cnt = bk_btf_type_cnt(sd->btf);
	sd->start = bk_btf_start_id(sd->btf);
	for (int m = 0; m < 2; m++) {
		sd->desc[m] = canon_xcalloc(sd->cnt, sizeof(char *));
		sd->busy[m] = canon_xcalloc(sd->cnt, 1);
	}
	sd->keep = canon_xcalloc(sd->cnt, sizeof(bool));
	return 0;
}

/* Keys naming more than one type (base types included) on this side. */
void canon_find_dups(struct side *sd)
{
	char **keys = canon_xcalloc(sd->cnt, sizeof(char *));
	size_t n = 0, i;

	for (uint32_t id = 1; id < sd->cnt; id++) {
		const struct bk_type *t = bk_btf_type(sd->btf, id);
		struct sb k = {0};

		if (!canon_is_named(sd->btf, t) || bk_kind(t) == BK_KIND_DECL_TAG)
			continue;
		canon_add_key(&k, sd->btf, t);
		keys[n++] = k.p;
	}
	qsort(keys, n, sizeof(*keys), cmp_str);
	sd->dups = canon_xcalloc(n, sizeof(char *));
	for (i = 0; i < n; i++) {
		if (i + 1 < n && !strcmp(keys[i], keys[i + 1]) &&
		    (!sd->nr_dups || strcmp(sd->dups[sd->nr_dups - 1], keys[i])))
			sd->dups[sd->nr_dups++] = canon_xstrdup(keys[i]);
		free(keys[i]);
	}
	free(keys);
}

void canon_merge_dups(struct side *a, struct side *b)
{
	size_t i;

	canon_ambig = canon_xcalloc(a->nr_dups + b->nr_dups, sizeof(char *));
	for (i = 0; i < a->nr_dups; i++)
		canon_ambig[canon_nr_ambig++] = a->dups[i];
	for (i = 0; i < b->nr_dups; i++)
		canon_ambig[canon_nr_ambig++] = b->dups[i];
	qsort(canon_ambig, canon_nr_ambig, sizeof(*canon_ambig), cmp_str);
}

/* ---- reachability for --ignore ---------------------------------------- */

/* Calls fn(sd, ref, arg) for each type ID the record refers to. */
static void each_ref(struct side *sd, const struct bk_type *t,
		     void (*fn)(struct side *, uint32_t, uint8_t *), uint8_t *arg)
{
	unsigned i, vlen = bk_vlen(t);

	switch (bk_kind(t)) {
	case BK_KIND_PTR: case BK_KIND_TYPEDEF: case BK_KIND_VOLATILE: case BK_KIND_CONST:
	case BK_KIND_RESTRICT: case BK_KIND_FUNC: case BK_KIND_VAR: case BK_KIND_TYPE_TAG:
	case BK_KIND_DECL_TAG:
		fn(sd, t->type, arg);
		break;
	case BK_KIND_ARRAY:
		fn(sd, bk_array_of(t)->type, arg);
		fn(sd, bk_array_of(t)->index_type, arg);
		break;
	case BK_KIND_STRUCT: case BK_KIND_UNION:
		for (i = 0; i < vlen; i++)
			fn(sd, bk_members(t)[i].type, arg);
		break;
	case BK_KIND_FUNC_PROTO:
		fn(sd, t->type, arg);
		for (i = 0; i < vlen; i++)
			fn(sd, bk_params(t)[i].type, arg);
		break;
	case BK_KIND_DATASEC:
		for (i = 0; i < vlen; i++)
			fn(sd, bk_secinfos(t)[i].type, arg);
		break;
	default:
		break;
	}
}

/* Marks anonymous own types reachable from id (iteratively, via a stack). */
static uint32_t *stack;
static size_t nr_stack;

static void push_anon(struct side *sd, uint32_t id, uint8_t *mark)
{
	const struct bk_type *t = bk_btf_type(sd->btf, id);

	if (id < sd->start || !t || mark[id] || canon_is_named(sd->btf, t))
		return;
	mark[id] = 1;
	stack[nr_stack++] = id;
}

static void mark_from(struct side *sd, uint32_t root, uint8_t *mark)
{
	nr_stack = 0;
	each_ref(sd, bk_btf_type(sd->btf, root), push_anon, mark);
	while (nr_stack) {
		uint32_t id = stack[--nr_stack];

		each_ref(sd, bk_btf_type(sd->btf, id), push_anon, mark);
	}
}

bool canon_named_ignored(struct side *sd, const struct bk_type *t)
{
	const struct bk_type *target;

	if (canon_ignored[bk_kind(t)])
		return true;
	if (bk_kind(t) != BK_KIND_DECL_TAG)
		return false;
	target = bk_btf_type(sd->btf, t->type);
	return target && canon_ignored[bk_kind(target)];
}

/*
 * Which own anonymous types are counted. Per side, each is reached from a
 * compared named type ("kept"), only from ignored ones, or from none (an
 * orphan). Kept ones count; those reached only from ignored types do not;
 * an orphan counts unless its description is that of a type the other (or
 * this) side reaches only from ignored types: pahole emits every unit's
 * types, so a FUNC_PROTO's pointer that one BTF reaches only through a FUNC
 * can be an orphan in the other, which lacks that FUNC.
 */
static uint8_t *reach(struct side *sd)
{
	uint8_t *r = canon_xcalloc(sd->cnt, 1); /* 1 ignored-only, 2 kept */
	uint8_t *all = canon_xcalloc(sd->cnt, 1), *kept = canon_xcalloc(sd->cnt, 1);

	stack = canon_xcalloc(sd->cnt, sizeof(*stack));
	for (uint32_t id = sd->start; id < sd->cnt; id++) {
		const struct bk_type *t = bk_btf_type(sd->btf, id);

		if (!canon_is_named(sd->btf, t))
			continue;
		mark_from(sd, id, all);
		if (!canon_named_ignored(sd, t))
			mark_from(sd, id, kept);
	}
	for (uint32_t id = sd->start; id < sd->cnt; id++)
		r[id] = kept[id] ? 2 : all[id];
	free(stack);
	free(all);
	free(kept);
	return r;
}

void canon_compute_keep(struct side *a, struct side *b)
{
	struct side *sides[2] = { a, b };
	uint8_t *r[2] = { reach(a), reach(b) };
	const char **ign = canon_xcalloc((size_t)a->cnt + b->cnt, sizeof(char *));
	size_t nign = 0;

	for (int k = 0; k < 2; k++)
		for (uint32_t id = sides[k]->start; id < sides[k]->cnt; id++)
			if (r[k][id] == 1)
				ign[nign++] = canon_desc(sides[k], id, FULL, 0);
	qsort(ign, nign, sizeof(*ign), cmp_str);
	for (int k = 0; k < 2; k++) {
		struct side *sd = sides[k];

		for (uint32_t id = sd->start; id < sd->cnt; id++) {
			const struct bk_type *t = bk_btf_type(sd->btf, id);
			const char *d;

			if (canon_is_named(sd->btf, t) || canon_ignored[bk_kind(t)] || r[k][id] == 1)
				continue;
			d = r[k][id] ? NULL : canon_desc(sd, id, FULL, 0);
			sd->keep[id] = !d || !nign || !bsearch(&d, ign, nign, sizeof(*ign), cmp_str);
		}
		free(r[k]);
	}
	free(ign);
}


void canon_side_free(struct side *sd)
{
	for (int m = 0; m < 2; m++) {
		for (uint32_t id = 0; id < sd->cnt && sd->desc[m]; id++)
			free(sd->desc[m][id]);
		free(sd->desc[m]);
		free(sd->busy[m]);
	}
	for (size_t i = 0; i < sd->nr_dups; i++)
		free(sd->dups[i]);
	free(sd->dups);
	free(sd->keep);
	bk_btf_free(sd->btf);
	bk_btf_free(sd->base);
}

/* FNV-1a of n bytes into h. */
static uint64_t mix(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;

	while (n--)
		h = (h ^ *c++) * 0x100000001b3ull;
	return h;
}

static uint64_t mix_str(uint64_t h, const char *s)
{
	return mix(h, s ? s : "", s ? strlen(s) + 1 : 1);
}

/* What a reference to id contributes: the kind (INT and FLOAT alike: both
 * are referred to by name alone) and the name. */
static uint64_t mix_ref(uint64_t h, const struct bk_btf *btf, uint32_t id)
{
	const struct bk_type *t = id ? bk_btf_type(btf, id) : NULL;
	unsigned k = t ? bk_kind(t) : 0;

	if (k == BK_KIND_FLOAT)
		k = BK_KIND_INT;
	h = mix(h, &k, sizeof(k));
	return mix_str(h, t ? bk_btf_name(btf, t) : "");
}

uint64_t canon_sig(const struct bk_btf *btf, uint32_t id)
{
	const struct bk_type *t = bk_btf_type(btf, id);
	uint64_t h = 0xcbf29ce484222325ull;
	unsigned k = bk_kind(t), v = bk_vlen(t), f = bk_kflag(t);

	h = mix(h, &k, sizeof(k));
	h = mix(h, &v, sizeof(v));
	h = mix(h, &f, sizeof(f));
	h = mix_str(h, bk_btf_name(btf, t));
	switch (k) {
	case BK_KIND_INT: case BK_KIND_FLOAT: case BK_KIND_STRUCT: case BK_KIND_UNION:
	case BK_KIND_ENUM: case BK_KIND_ENUM64: case BK_KIND_DATASEC:
		h = mix(h, &t->size, sizeof(t->size));
		break;
	case BK_KIND_ARRAY:
		h = mix(h, &bk_array_of(t)->nelems, sizeof(uint32_t));
		h = mix_ref(h, btf, bk_array_of(t)->type);
		break;
	case BK_KIND_FWD:
		break;
	default: /* PTR TYPEDEF modifiers FUNC FUNC_PROTO VAR tags: t->type */
		h = mix_ref(h, btf, t->type);
	}
	return h;
}
