// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The BTF object's lifecycle: allocation on a base (start_id and
 * start_str_off follow from the base), the empty object the writer starts
 * from, freeing (the image it was read from, the indexes built on it, a
 * base it owns), and the switch from read-only parsed data to growable heap
 * buffers on the first modification (bk__btf_make_writable).
 */
#include <stdlib.h>
#include <sys/mman.h>

#include "internal.h"

struct bk_btf *bk__btf_alloc(struct bk_btf *base)
{
	struct bk_btf *btf = calloc(1, sizeof(*btf));

	if (!btf)
		return NULL;
	btf->base = base;
	btf->start_id = base ? bk_btf_type_cnt(base) : 1;
	btf->start_str_off = base ? bk__str_end(base) : 0;
	btf->source = BK_SOURCE_NEW;
	if (base)
		btf->swapped = base->swapped;
	return btf;
}

void bk__image_release(struct bk__image *img)
{
	if (img->map)
		munmap(img->map, img->map_len);
	else if (img->owned)
		free(img->data);
	memset(img, 0, sizeof(*img));
}

void bk_btf_free(struct bk_btf *btf)
{
	if (!btf)
		return;
	bk__names_free(btf->names);
	if (btf->types_cap)
		free(btf->types);
	/* With a writer string set, the set owns the buffer strs points to. */
	if (btf->strs_cap && !(btf->strset && btf->strs == bk__strset_data(btf->strset)))
		free(btf->strs);
	bk__strset_free(btf->strset);
	if (btf->layout_owned)
		free(btf->layout);
	free(btf->type_offs);
	bk__image_release(&btf->img);
	if (btf->owns_base)
		bk_btf_free(btf->base);
	free(btf);
}

struct bk_btf *bk_btf_new_empty(struct bk_btf *base)
{
	struct bk_btf *btf = bk__btf_alloc(base);

	if (!btf) {
		errno = ENOMEM;
		return NULL;
	}
	/* The classic header, as libbpf 1.1.2 writes for new BTF. */
	btf->hdr_len = BK_HDR_LEN_V1;
	btf->ptr_sz = base ? 0 : (int)sizeof(void *);
	/* A base BTF's string section starts with the empty string. */
	if (!base) {
		btf->strs = calloc(1, 64);
		if (!btf->strs) {
			free(btf);
			errno = ENOMEM;
			return NULL;
		}
		btf->strs_cap = 64;
		btf->strs_len = 1;
	}
	return btf;
}

int bk__btf_make_writable(struct bk_btf *btf)
{
	if (!btf->types_cap) {
		size_t cap = btf->types_len ? btf->types_len : 64;
		uint8_t *t = malloc(cap);

		if (!t)
			return -ENOMEM;
		if (btf->types_len)
			memcpy(t, btf->types, btf->types_len);
		btf->types = t;
		btf->types_cap = cap;
	}
	if (!btf->strs_cap) {
		size_t cap = btf->strs_len ? btf->strs_len : 64;
		char *s = malloc(cap);

		if (!s)
			return -ENOMEM;
		if (btf->strs_len)
			memcpy(s, btf->strs, btf->strs_len);
		btf->strs = s;
		btf->strs_cap = cap;
	}
	if (btf->layout_cnt && !btf->layout_owned) {
		struct bk_layout *l = malloc(btf->layout_cnt * sizeof(*l));

		if (!l)
			return -ENOMEM;
		memcpy(l, btf->layout, btf->layout_cnt * sizeof(*l));
		btf->layout = l;
		btf->layout_owned = true;
	}
	return 0;
}
