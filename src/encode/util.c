// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Small containers of the encoder: growable arrays, a map from DIE keys to
 * entry indices (open addressing, linear probing, key 0 never stored: no
 * DIE sits at section offset 0), and the candidate tables of a batch or of
 * the result, which follow type IDs through appends and dedups.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "enc_int.h"

void *bk__enc_arr_push(struct arr *a, size_t esz)
{
	if (a->cnt == a->cap) {
		size_t ncap = a->cap ? a->cap * 2 : 64;
		void *n;

		if (ncap > SIZE_MAX / esz)
			return NULL;
		n = realloc(a->p, ncap * esz);
		if (!n)
			return NULL;
		a->p = n;
		a->cap = ncap;
	}
	return (char *)a->p + esz * a->cnt++;
}

void bk__enc_arr_free(struct arr *a)
{
	free(a->p);
	memset(a, 0, sizeof(*a));
}

static size_t key_hash(uint64_t k, size_t mask)
{
	k ^= k >> 29;
	k *= 0xbf58476d1ce4e5b9ull;
	k ^= k >> 32;
	return (size_t)k & mask;
}

static int keymap_grow(struct keymap *m)
{
	size_t ncap = m->cap ? m->cap * 2 : 1024;
	uint64_t *nk = calloc(ncap, sizeof(*nk));
	uint32_t *nv = malloc(ncap * sizeof(*nv));

	if (!nk || !nv) {
		free(nk);
		free(nv);
		return -ENOMEM;
	}
	for (size_t i = 0; i < m->cap; i++) {
		size_t j;

		if (!m->keys[i])
			continue;
		for (j = key_hash(m->keys[i], ncap - 1); nk[j]; j = (j + 1) & (ncap - 1))
			;
		nk[j] = m->keys[i];
		nv[j] = m->vals[i];
	}
	free(m->keys);
	free(m->vals);
	m->keys = nk;
	m->vals = nv;
	m->cap = ncap;
	return 0;
}

int bk__enc_keymap_put(struct keymap *m, uint64_t key, uint32_t val)
{
	size_t j;

	if (2 * (m->cnt + 1) > m->cap && keymap_grow(m))
		return -ENOMEM;
	for (j = key_hash(key, m->cap - 1); m->keys[j]; j = (j + 1) & (m->cap - 1)) {
		if (m->keys[j] == key) {
			m->vals[j] = val;
			return 0;
		}
	}
	m->keys[j] = key;
	m->vals[j] = val;
	m->cnt++;
	return 0;
}

uint32_t bk__enc_keymap_get(const struct keymap *m, uint64_t key)
{
	if (!m->cnt)
		return UINT32_MAX;
	for (size_t j = key_hash(key, m->cap - 1); m->keys[j]; j = (j + 1) & (m->cap - 1))
		if (m->keys[j] == key)
			return m->vals[j];
	return UINT32_MAX;
}

void bk__enc_keymap_clear(struct keymap *m)
{
	/*
	 * A map sized for the largest unit so far would cost a large memset
	 * per small unit: let it go when it is much larger than what it held.
	 */
	if (m->cap > 4096 && m->cap > 16 * (size_t)m->cnt) {
		bk__enc_keymap_free(m);
		return;
	}
	if (m->cnt)
		memset(m->keys, 0, m->cap * sizeof(*m->keys));
	m->cnt = 0;
}

void bk__enc_keymap_free(struct keymap *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

struct ablock {
	struct ablock *next;
	size_t size;
	char data[];
};

#define ABLOCK_SIZE ((size_t)64 << 10)

const char *bk__enc_arena_strdup(struct arena *a, const char *s)
{
	size_t len = strlen(s) + 1;
	char *p;

	if (!a->head || a->left < len) {
		size_t size = len > ABLOCK_SIZE ? len : ABLOCK_SIZE;
		struct ablock *b = malloc(sizeof(*b) + size);

		if (!b)
			return NULL;
		b->next = a->head;
		b->size = size;
		a->head = b;
		a->left = size;
	}
	p = a->head->data + a->head->size - a->left;
	memcpy(p, s, len);
	a->left -= len;
	return p;
}

static void arena_free(struct arena *a)
{
	while (a->head) {
		struct ablock *n = a->head->next;

		free(a->head);
		a->head = n;
	}
	a->left = 0;
}

/* Move src's blocks to dst (dst keeps filling its own head block). */
static void arena_take(struct arena *dst, struct arena *src)
{
	struct ablock *last = src->head;

	if (!last)
		return;
	while (last->next)
		last = last->next;
	if (dst->head) {
		last->next = dst->head->next;
		dst->head->next = src->head;
	} else {
		dst->head = src->head;
		dst->left = src->left;
	}
	src->head = NULL;
	src->left = 0;
}

void bk__enc_cands_free(struct cands *c)
{
	arena_free(&c->strs);
	bk__enc_arr_free(&c->funcs);
	bk__enc_arr_free(&c->params);
	bk__enc_arr_free(&c->tags);
	bk__enc_arr_free(&c->vars);
}

/* Append n elements of esz bytes; 0 or -ENOMEM. */
static int arr_append(struct arr *a, const void *src, size_t n, size_t esz)
{
	if (a->cnt + n > a->cap) {
		size_t ncap = a->cap ? a->cap : 64;
		void *p;

		while (ncap < a->cnt + n)
			ncap *= 2;
		p = realloc(a->p, ncap * esz);
		if (!p)
			return -ENOMEM;
		a->p = p;
		a->cap = ncap;
	}
	if (n)
		memcpy((char *)a->p + a->cnt * esz, src, n * esz);
	a->cnt += n;
	return 0;
}

static uint32_t shift_id(uint32_t id, uint32_t start, uint32_t shift)
{
	return id >= start ? id + shift : id;
}

int bk__enc_cands_append(struct cands *dst, struct cands *src, uint32_t start, uint32_t shift)
{
	size_t f0 = dst->funcs.cnt, p0 = dst->params.cnt, t0 = dst->tags.cnt, v0 = dst->vars.cnt;
	struct fcand *fc;
	struct fparam *fp;
	struct vcand *vc;

	if (arr_append(&dst->funcs, src->funcs.p, src->funcs.cnt, sizeof(*fc)) ||
	    arr_append(&dst->params, src->params.p, src->params.cnt, sizeof(*fp)) ||
	    arr_append(&dst->vars, src->vars.p, src->vars.cnt, sizeof(*vc)) ||
	    arr_append(&dst->tags, src->tags.p, src->tags.cnt, sizeof(struct ftag))) {
		dst->funcs.cnt = f0;
		dst->params.cnt = p0;
		dst->tags.cnt = t0;
		dst->vars.cnt = v0;
		return -ENOMEM;
	}
	fc = (struct fcand *)dst->funcs.p + f0;
	fp = (struct fparam *)dst->params.p + p0;
	vc = (struct vcand *)dst->vars.p + v0;
	for (size_t i = 0; i < src->funcs.cnt; i++) {
		fc[i].ret = shift_id(fc[i].ret, start, shift);
		fc[i].first_param += (uint32_t)p0;
		fc[i].first_tag += (uint32_t)t0;
	}
	for (size_t i = 0; i < src->params.cnt; i++)
		fp[i].type = shift_id(fp[i].type, start, shift);
	for (size_t i = 0; i < src->vars.cnt; i++) {
		vc[i].type = shift_id(vc[i].type, start, shift);
		vc[i].first_tag += (uint32_t)t0;
	}
	arena_take(&dst->strs, &src->strs);
	return 0;
}

void bk__enc_cands_remap(struct cands *c, const uint32_t *map)
{
	for (size_t i = 0; i < c->funcs.cnt; i++)
		ARR_AT(&c->funcs, struct fcand, i).ret = map[ARR_AT(&c->funcs, struct fcand, i).ret];
	for (size_t i = 0; i < c->params.cnt; i++)
		ARR_AT(&c->params, struct fparam, i).type = map[ARR_AT(&c->params, struct fparam, i).type];
	for (size_t i = 0; i < c->vars.cnt; i++)
		ARR_AT(&c->vars, struct vcand, i).type = map[ARR_AT(&c->vars, struct vcand, i).type];
}

void bk__enc_log(const struct enc *e, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (!e->opts.log)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	e->opts.log(e->opts.log_ctx, msg);
}
