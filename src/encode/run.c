// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Running an encode: batches of units on worker threads, merged in order.
 *
 * The units are cut into batches of consecutive units, a new batch starting
 * once the current one holds half of the DWARF (at least BATCH_MIN, at
 * most BATCH_MAX bytes): the cut depends on the input alone. A batch is scanned, emitted and deduplicated by one worker
 * into a standalone BTF object. The calling thread takes the batches in
 * order and appends each to the result (bk_btf_add_btf), which is
 * deduplicated whenever the types appended since its last dedup are at
 * least as many as it had after it (so dedup work stays within a small
 * multiple of the result's size). The result stays standalone until the
 * end (a dedup on a base has a fixed cost for the base). Every step depends only on the batches' contents and order, never on
 * which thread made a batch or when: the output bytes are the same for any
 * number of threads. At most jobs batches are made ahead of the merge,
 * which bounds memory.
 *
 * Then functions and per-CPU variables are added (func.c, var.c), and
 * the result moves onto the base (finish).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "enc_int.h"
#include "btfkit/dedup.h"
#include "btfkit/write.h"
#include "write/write_int.h"

/*
 * A batch is half of the units' bytes, within these bounds: two batches give
 * two threads work; more would repeat the headers' types in each (encoded,
 * then deduplicated again in the result: 20% more work for xfs.ko at 8).
 */
#define BATCH_MIN ((uint64_t)64 << 10)
#define BATCH_MAX ((uint64_t)8 << 20)


struct batch {
	uint32_t first, end;   /* units [first, end) */
	struct bk_btf *btf;
	struct cands cands;
	struct bk_diag diag;
	int err;
	uint32_t skeletons;
	bool done;
};

struct run {
	const struct enc *e;
	struct batch *b;
	size_t nb;
	size_t next;      /* the next batch a worker takes */
	size_t merged;    /* batches merged so far */
	size_t ahead;     /* how many batches may be made ahead of the merge */
	bool stop;
	pthread_mutex_t lock;
	pthread_cond_t cond;
};

/* Deduplicate btf, following the candidates' type IDs. */
static int dedup(struct bk_btf *btf, struct cands *c, struct bk_diag *diag)
{
	struct bk_dedup_opts o = { .sz = sizeof(o), .diag = diag };
	uint32_t *map = malloc(((size_t)bk_btf_type_cnt(btf) + 1) * sizeof(*map));
	int err;

	if (!map)
		return bk__diag(diag, -ENOMEM, "out of memory");
	err = bk__btf_dedup_map(btf, &o, map);
	if (!err)
		bk__enc_cands_remap(c, map);
	free(map);
	return err;
}

/* Drop the cached pages of a batch's units, section range by range. */
static void release(const struct enc *e, const struct batch *b)
{
	const struct dw_unit *u = e->f.units;
	uint32_t i = b->first;

	while (i < b->end) {
		uint32_t j = i + 1;

		while (j < b->end && u[j].sec == u[i].sec)
			j++;
		bk__dw_release(&e->f, u[i].sec, u[i].off, u[j - 1].end);
		i = j;
	}
}

static int make_batch(const struct enc *e, struct scan *s, struct batch *b)
{
	struct bstrs strs = { (const char *)e->f.sec[DS_STR].data, e->f.sec[DS_STR].size, false,
			      NULL, NULL };
	uint64_t bytes = 0;
	int err = 0, r;

	/* a .debug_str large next to the batch (a module's): copy only what is used */
	for (uint32_t ui = b->first; ui < b->end; ui++)
		bytes += e->f.units[ui].end - e->f.units[ui].off;
	strs.compact = strs.dlen * 2 > bytes;

	s->diag = &b->diag;
	b->btf = bk_btf_new_empty(NULL);
	if (!b->btf)
		return bk__diag(&b->diag, -ENOMEM, "out of memory");
	for (uint32_t ui = b->first; ui < b->end && !err; ui++) {
		r = bk__enc_scan_unit(s, e, ui);
		if (r < 0)
			err = r;
		else if (r == 2)
			b->skeletons++;
		else if (r == 0)
			err = bk__enc_emit_unit(s, b->btf, &strs, &b->cands);
		/* emitted: nothing points into the units read any more */
		bk__enc_scan_drop(s);
	}
	release(e, b);
	/* the scan's arrays would outlive the dedup: let them go (the next batch grows its own) */
	bk__enc_scan_free(s);
	if (!err && (err = bk__enc_bstrs_install(&strs, b->btf)))
		bk__diag(&b->diag, err, "out of memory");
	/* copied: the mapped strings may go (the next batch maps what it reads) */
	bk__dw_release(&e->f, DS_STR, 0, e->f.sec[DS_STR].size);
	bk__enc_bstrs_free(&strs);
	if (!err)
		err = dedup(b->btf, &b->cands, &b->diag);
	return err;
}

static void *worker(void *arg)
{
	struct run *r = arg;
	struct scan s;

	memset(&s, 0, sizeof(s));
	pthread_mutex_lock(&r->lock);
	for (;;) {
		struct batch *b;

		while (!r->stop && r->next < r->nb && r->next >= r->merged + r->ahead)
			pthread_cond_wait(&r->cond, &r->lock);
		if (r->stop || r->next >= r->nb)
			break;
		b = &r->b[r->next++];
		pthread_mutex_unlock(&r->lock);
		b->err = make_batch(r->e, &s, b);
		pthread_mutex_lock(&r->lock);
		b->done = true;
		pthread_cond_broadcast(&r->cond);
	}
	pthread_mutex_unlock(&r->lock);
	bk__enc_scan_free(&s);
	return NULL;
}

static int cut_batches(struct run *r)
{
	const struct dw_file *f = &r->e->f;
	uint64_t bytes = 0, total = f->sec[DS_INFO].size + f->sec[DS_TYPES].size, want;

	want = total / 2 < BATCH_MIN ? BATCH_MIN : total / 2 > BATCH_MAX ? BATCH_MAX : total / 2;
	r->b = calloc(f->nr_units ? f->nr_units : 1, sizeof(*r->b));
	if (!r->b)
		return -ENOMEM;
	for (uint32_t i = 0; i < f->nr_units; i++) {
		if (!r->nb || bytes >= want) {
			r->b[r->nb].first = i;
			r->nb++;
			bytes = 0;
		}
		r->b[r->nb - 1].end = i + 1;
		bytes += f->units[i].end - f->units[i].off;
	}
	return 0;
}

struct acc {
	struct bk_btf *btf;
	struct cands cands;
	uint32_t deduped;  /* own types after the last dedup */
	uint32_t pending;  /* own types appended since */
	uint32_t skeletons;
};

/* Append batch b to the result, deduplicating on the schedule above. */
static int merge(struct acc *a, struct batch *b, struct bk_diag *diag)
{
	int first, err;

	a->skeletons += b->skeletons;
	if (!a->btf) {
		a->btf = b->btf;
		a->cands = b->cands;
		b->btf = NULL;
		memset(&b->cands, 0, sizeof(b->cands));
		a->deduped = bk_btf_nr_own_types(a->btf);
		return 0;
	}
	first = bk_btf_add_btf(a->btf, b->btf);
	if (first < 0)
		return bk__diag(diag, first, "cannot append a batch of units: %s", bk_strerror(first));
	if ((err = bk__enc_cands_append(&a->cands, &b->cands, 1, (uint32_t)first - 1)))
		return bk__diag(diag, err, "out of memory");
	a->pending += bk_btf_nr_own_types(b->btf);
	bk_btf_free(b->btf);
	b->btf = NULL;
	bk__enc_cands_free(&b->cands);
	if (a->pending >= a->deduped) {
		if ((err = dedup(a->btf, &a->cands, diag)))
			return err;
		a->deduped = bk_btf_nr_own_types(a->btf);
		a->pending = 0;
	}
	return 0;
}

/*
 * Standalone btf as split BTF on base, unchanged otherwise: IDs and string
 * offsets move up past the base's (string offset 0, the empty name, stays:
 * the base's is empty too), the strings go along as they are. Unlike
 * bk_btf_add_btf, no string is looked up in the base: the dedup that
 * follows finds the base's strings with one scan of them, and no index of
 * the base's strings is built (memory a module's encode would not need).
 */
static struct bk_btf *onto_base(struct bk_btf *btf, struct bk_btf *base, int *err)
{
	struct bk_btf *split = bk_btf_new_empty(base);
	uint32_t shift, soff;
	char *strs;

	*err = -ENOMEM;
	if (!split)
		return NULL;
	shift = split->start_id - 1;
	soff = split->start_str_off;
	strs = malloc(btf->strs_len ? btf->strs_len : 1);
	if (!strs)
		goto fail;
	memcpy(strs, btf->strs, btf->strs_len);
	bk__write_take_strs(split, strs, btf->strs_len);
	for (uint32_t i = 0; i < btf->nr_types; i++) {
		const struct bk_type *t = bk__own_type(btf, btf->start_id + i);
		size_t sz = bk__rec_size(btf, t);
		struct bk__field_iter it;
		struct bk_type *n;
		uint32_t *f;

		if ((*err = bk__write_reserve(split, sz, 1)))
			goto fail;
		n = (struct bk_type *)(split->types + split->types_len);
		memcpy(n, t, sz);
		if (bk__field_iter_init(&it, n, BK__FIELD_IDS)) {
			*err = -EOPNOTSUPP;
			goto fail;
		}
		while ((f = bk__field_iter_next(&it)))
			*f += *f ? shift : 0;
		bk__field_iter_init(&it, n, BK__FIELD_STRS);
		while ((f = bk__field_iter_next(&it)))
			*f += *f ? soff : 0;
		bk__write_commit(split, sz);
	}
	return split;
fail:
	bk_btf_free(split);
	return NULL;
}

/*
 * The end: functions and variables are decided on the standalone result
 * (its types are canonical, which the function rules compare), then, with
 * a base, everything moves onto it; one last dedup (split on the base, or
 * standalone) maps types onto the base and merges the new FUNC_PROTOs and
 * tags with the types already there.
 */
static int finish(const struct enc *e, struct acc *a, struct bk_btf *base, struct bk_diag *diag)
{
	int err;

	if (!a->btf && !(a->btf = bk_btf_new_empty(NULL)))
		return bk__diag(diag, -ENOMEM, "out of memory");
	if (a->pending && (err = dedup(a->btf, &a->cands, diag)))
		return err;
	if (a->skeletons)
		bk__enc_log(e, "%u skeleton units skipped: their DWARF is in .dwo files", a->skeletons);
	if ((err = bk__enc_func_add_all(e, a->btf, &a->cands, diag)) ||
	    (err = bk__enc_var_add_all(e, a->btf, &a->cands, diag)))
		return err;
	if (base) {
		struct bk_btf *split = onto_base(a->btf, base, &err);

		bk_btf_free(a->btf);
		a->btf = split;
		if (!split)
			return bk__diag(diag, err, "cannot put the types on the base: %s", bk_strerror(err));
	}
	/* the candidates are done with: their IDs are not followed any further */
	bk__enc_cands_free(&a->cands);
	if ((err = dedup(a->btf, &a->cands, diag)))
		return err;
	bk_btf_set_ptr_size(a->btf, e->f.elf_class);
	return bk_btf_set_endian(a->btf, e->f.big_endian ? BK_ENDIAN_BIG : BK_ENDIAN_LITTLE);
}

struct bk_btf *bk__enc_run(struct enc *e, struct bk_btf *base, unsigned jobs, struct bk_diag *diag)
{
	struct run r = { .e = e, .ahead = (size_t)jobs };
	struct acc a;
	pthread_t *tids = NULL;
	unsigned nt = 0;
	int err = 0;

	memset(&a, 0, sizeof(a));
	if (cut_batches(&r)) {
		bk__diag(diag, -ENOMEM, "out of memory");
		return NULL;
	}
	if (jobs > 1 && r.nb > 1) {
		if (jobs > r.nb)
			jobs = (unsigned)r.nb;
		tids = calloc(jobs, sizeof(*tids));
		if (!tids || pthread_mutex_init(&r.lock, NULL) || pthread_cond_init(&r.cond, NULL)) {
			free(tids);
			free(r.b);
			bk__diag(diag, -ENOMEM, "cannot start threads");
			return NULL;
		}
		for (nt = 0; nt < jobs; nt++)
			if (pthread_create(&tids[nt], NULL, worker, &r))
				break;
	}
	if (nt) {
		for (size_t i = 0; i < r.nb && !err; i++) {
			pthread_mutex_lock(&r.lock);
			while (!r.b[i].done)
				pthread_cond_wait(&r.cond, &r.lock);
			pthread_mutex_unlock(&r.lock);
			err = r.b[i].err;
			if (err)
				*diag = r.b[i].diag;
			else
				err = merge(&a, &r.b[i], diag);
			pthread_mutex_lock(&r.lock);
			r.merged++;
			if (err)
				r.stop = true;
			pthread_cond_broadcast(&r.cond);
			pthread_mutex_unlock(&r.lock);
		}
		for (unsigned i = 0; i < nt; i++)
			pthread_join(tids[i], NULL);
		pthread_mutex_destroy(&r.lock);
		pthread_cond_destroy(&r.cond);
	} else {
		struct scan s;

		memset(&s, 0, sizeof(s));
		for (size_t i = 0; i < r.nb && !err; i++) {
			err = make_batch(e, &s, &r.b[i]);
			if (err)
				*diag = r.b[i].diag;
			else
				err = merge(&a, &r.b[i], diag);
		}
		bk__enc_scan_free(&s);
	}
	if (!err)
		err = finish(e, &a, base, diag);
	for (size_t i = 0; i < r.nb; i++) {
		bk_btf_free(r.b[i].btf);
		bk__enc_cands_free(&r.b[i].cands);
	}
	free(r.b);
	free(tids);
	bk__enc_cands_free(&a.cands);
	if (err) {
		bk_btf_free(a.btf);
		return NULL;
	}
	return a.btf;
}
