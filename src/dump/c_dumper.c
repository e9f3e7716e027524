// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The C dumper object and its entry points: bk_c_dumper_new/free/fork, the
 * emit calls (order a requested type's dependencies with c_order.c, then
 * emit the queue with c.c), bk_dump's C format with bpftool's vmlinux.h
 * wrapper, and the split-only header (replay the base's header silently,
 * then continue on the split with a fork).
 */
#include <stddef.h>
#include <stdlib.h>

#include "c_int.h"

static int discard_write(void *ctx, const char *buf, size_t len)
{
	(void)ctx;
	(void)buf;
	(void)len;
	return 0;
}

struct bk_c_dumper *bk_c_dumper_new(const struct bk_btf *btf, const struct bk_sink *sink,
				    const struct bk_c_dumper_opts *opts)
{
	struct bk_c_dumper_opts o = { .sz = sizeof(o) };
	struct bk_c_dumper *d;
	int err;

	if (!btf) {
		errno = EINVAL;
		return NULL;
	}
	if ((err = bk__opts_get(&o, sizeof(o), opts))) {
		errno = -err;
		return NULL;
	}
	d = calloc(1, sizeof(*d));
	if (!d)
		goto nomem;
	d->btf = btf;
	d->enum_modes = o.enum_size_attrs;
	d->diag = o.diag;
	d->cnt = bk_btf_type_cnt(btf);
	d->ptr_sz = bk_btf_ptr_size(btf) ? bk_btf_ptr_size(btf) : (int)sizeof(void *);
	d->st = calloc(d->cnt, sizeof(*d->st));
	d->align = calloc(d->cnt, 1);
	d->names = calloc(d->cnt, sizeof(*d->names));
	d->o = calloc(1, sizeof(*d->o));
	if (!d->st || !d->align || !d->names || !d->o)
		goto nomem;
	if (sink) {
		d->sink = *sink;
	} else {
		d->sink.write = discard_write;
		d->quiet = true;
	}
	if (bk__out_init(d->o, &d->sink, sink ? 0 : 256))
		goto nomem;
	d->st[0].order = BK__CD_ORDERED;
	d->st[0].emit = BK__CD_EMITTED;
	err = bk__cd_mark_referenced(d);
	if (err) {
		if (d->diag)
			bk__diag(d->diag, err, "kind %u cannot be printed as C (type [%u])",
				 bk_kind(bk__cd_type(d, d->err_id)), d->err_id);
		bk_c_dumper_free(d);
		errno = -err;
		return NULL;
	}
	return d;
nomem:
	bk_c_dumper_free(d);
	errno = ENOMEM;
	return NULL;
}

void bk_c_dumper_free(struct bk_c_dumper *d)
{
	if (!d)
		return;
	if (d->names)
		for (uint32_t i = 0; i < d->cnt; i++)
			free(d->names[i]);
	free(d->names);
	free(d->st);
	free(d->align);
	if (d->o)
		bk__out_free(d->o);
	free(d->o);
	free(d->queue);
	free(d->decl_stack);
	bk__cd_names_free(&d->type_names);
	bk__cd_names_free(&d->ident_names);
	free(d);
}

static int finish(struct bk_c_dumper *d)
{
	int err;

	if (!d->quiet)
		bk__out_flush(d->o);
	err = d->err ? d->err : d->o->err;
	d->err = 0;
	return err;
}

/*
 * At the start of every call that prints: another writer may have added to
 * a membuf sink since this dumper's last call (out.h).
 */
static void start(struct bk_c_dumper *d)
{
	if (!d->quiet)
		bk__out_resume(d->o);
}

static int emit_one(struct bk_c_dumper *d, uint32_t id)
{
	int err;

	d->queue_cnt = 0;
	d->depth = 0;
	d->steps = 0;
	d->err_id = 0;
	err = bk__cd_order(d, id, false);
	if (err == -ELOOP)
		bk__cd_failf(d, err, "type cycle C cannot express, or types nested deeper than %d (type [%u], reached from type [%u])",
			     BK__CD_MAX_DEPTH, d->err_id, id);
	else if (err == -E2BIG)
		bk__cd_failf(d, err, "type graph too large to order: over %u steps (type [%u], reached from type [%u])",
			     BK__CD_MAX_STEPS, d->err_id, id);
	else if (err == -EOPNOTSUPP)
		bk__cd_failf(d, err, "kind %u cannot be printed as C (type [%u])",
			     bk_kind(bk__cd_type(d, d->err_id)), d->err_id);
	if (err < 0)
		return d->err ? d->err : err;
	for (uint32_t i = 0; i < d->queue_cnt && !d->err && !d->o->err; i++)
		bk__cd_emit_type(d, d->queue[i], 0);
	return d->err ? d->err : d->o->err;
}

static int emit_ids(struct bk_c_dumper *d, const uint32_t *ids, size_t n)
{
	int err = 0;

	for (size_t i = 0; i < n; i++)
		if (ids[i] >= d->cnt)
			return -EINVAL;
	start(d);
	for (size_t i = 0; i < n && !err; i++)
		err = emit_one(d, ids[i]);
	if (err && !d->err)
		d->err = err;
	return finish(d);
}

int bk_c_dumper_emit(struct bk_c_dumper *d, const uint32_t *ids, size_t n)
{
	return emit_ids(d, ids, n);
}

int bk_c_dumper_emit_range(struct bk_c_dumper *d, uint32_t first, uint32_t end)
{
	int err = 0;

	if (end > d->cnt || first > end)
		return -EINVAL;
	start(d);
	for (uint32_t id = first; id < end && !err; id++)
		err = emit_one(d, id);
	if (err && !d->err)
		d->err = err;
	return finish(d);
}

int bk_c_dumper_assume(struct bk_c_dumper *d, const uint32_t *ids, size_t n)
{
	bool quiet = d->quiet;
	int err;

	if (!quiet)
		bk__out_flush(d->o);
	d->quiet = true;
	err = emit_ids(d, ids, n);
	d->quiet = quiet;
	return err;
}

static int copy_map(struct bk__cd_names *dst, const struct bk__cd_names *src)
{
	if (!src->cap)
		return 0;
	dst->slots = malloc((size_t)src->cap * sizeof(*dst->slots));
	dst->ents = malloc((size_t)src->ents_cap * sizeof(*dst->ents));
	if (!dst->slots || !dst->ents)
		return -ENOMEM;
	memcpy(dst->slots, src->slots, (size_t)src->cap * sizeof(*dst->slots));
	memcpy(dst->ents, src->ents, (size_t)src->cnt * sizeof(*dst->ents));
	dst->cap = src->cap;
	dst->cnt = src->cnt;
	dst->ents_cap = src->ents_cap;
	return 0;
}

struct bk_c_dumper *bk_c_dumper_fork(const struct bk_c_dumper *d, const struct bk_btf *split,
				     const struct bk_sink *sink)
{
	struct bk_c_dumper *n;

	if (!d || !split || bk_btf_base(split) != d->btf) {
		errno = EINVAL;
		return NULL;
	}
	n = bk_c_dumper_new(split, sink, NULL);
	if (!n)
		return NULL;
	n->enum_modes = d->enum_modes;
	n->diag = d->diag;
	for (uint32_t i = 0; i < d->cnt; i++) {
		uint8_t referenced = n->st[i].referenced | d->st[i].referenced;

		n->st[i] = d->st[i];
		n->st[i].referenced = referenced;
		n->align[i] = d->align[i];
		if (d->names[i] && !(n->names[i] = strdup(d->names[i])))
			goto nomem;
	}
	if (copy_map(&n->type_names, &d->type_names) || copy_map(&n->ident_names, &d->ident_names))
		goto nomem;
	return n;
nomem:
	bk_c_dumper_free(n);
	errno = ENOMEM;
	return NULL;
}

int bk_c_dumper_emit_decl(struct bk_c_dumper *d, uint32_t id, const char *field_name, int indent)
{
	if (id >= d->cnt || indent < 0)
		return -EINVAL;
	start(d);
	d->depth = 0;
	d->steps = 0;
	bk__cd_emit_decl(d, id, field_name ? field_name : "", indent);
	return finish(d);
}

/* ---- bk_dump(BK_FORMAT_C): bpftool's vmlinux.h wrapper ---------------- */

void bk__cd_wrapper_begin(struct bk__out *o, const char *guard)
{
	bk__out_str(o, "#ifndef ");
	bk__out_str(o, guard);
	bk__out_str(o, "\n#define ");
	bk__out_str(o, guard);
	bk__out_str(o, "\n\n#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n"
		       "#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)\n"
		       "#endif\n\n");
}

void bk__cd_wrapper_end(struct bk__out *o, const char *guard)
{
	bk__out_str(o, "#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n#pragma clang attribute pop\n#endif\n\n#endif /* ");
	bk__out_str(o, guard);
	bk__out_str(o, " */\n");
}

/* Emit IDs [first, end), in sorted order when asked; quiet: print nothing. */
int bk__cd_emit_all(struct bk_c_dumper *d, uint32_t first, uint32_t end, bool sort, bool quiet)
{
	bool was_quiet = d->quiet;
	uint32_t *ids = NULL, n = 0;
	int err;

	d->quiet = quiet || was_quiet;
	if (sort) {
		err = bk__dump_sorted_ids(d->btf, first, end, &ids, &n);
		if (!err)
			err = emit_ids(d, ids, n);
		free(ids);
	} else {
		err = bk_c_dumper_emit_range(d, first, end);
	}
	d->quiet = was_quiet;
	return err;
}

int bk__dump_c(const struct bk_btf *btf, const struct bk_sink *sink, const struct bk_dump_opts *opts)
{
	const char *guard = opts->c_guard ? opts->c_guard : "__VMLINUX_H__";
	struct bk_c_dumper_opts copts = { .sz = sizeof(copts), .diag = opts->diag };
	struct bk_c_dumper *d = bk_c_dumper_new(btf, sink, &copts);
	int err = 0;

	if (!d)
		return -errno;
	bk__cd_wrapper_begin(d->o, guard);
	if (opts->nr_ids) {
		err = bk_c_dumper_emit(d, opts->ids, opts->nr_ids);
	} else if (opts->c_split_only && bk_btf_base(btf)) {
		/*
		 * Replay the base's own header silently on a dumper of the base
		 * (same order, so the same names and the same emitted set), then
		 * continue on the split with its own types.
		 */
		struct bk_c_dumper *b = bk_c_dumper_new(bk_btf_base(btf), NULL, &copts), *f = NULL;

		err = b ? bk__cd_emit_all(b, 1, b->cnt, opts->sort, true) : -errno;
		if (!err && !(f = bk_c_dumper_fork(b, btf, sink)))
			err = -errno;
		if (!err) {
			bk_c_dumper_free(d);
			d = f;
			bk__cd_wrapper_begin(d->o, guard);
			err = bk__cd_emit_all(d, bk_btf_start_id(btf), d->cnt, opts->sort, false);
		} else {
			bk_c_dumper_free(f);
		}
		bk_c_dumper_free(b);
	} else {
		err = bk__cd_emit_all(d, 1, d->cnt, opts->sort, false);
	}
	if (!err) {
		bk__cd_wrapper_end(d->o, guard);
		err = finish(d);
	}
	bk_c_dumper_free(d);
	return err;
}
