// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The walker shared by the emitters: it selects the types to print (the
 * given IDs, or the own types of a split BTF as bpftool does, or all
 * types; in ID order or sorted) and hands each to the format's emitter
 * (raw.c, json.c). The C format needs the ordering of its dumper (c.c) and
 * is dispatched there.
 */
#include <stdlib.h>

#include "out.h"

static const struct bk__emitter *emitter_for(enum bk_format f)
{
	switch (f) {
	case BK_FORMAT_RAW: return &bk__raw_emitter;
	case BK_FORMAT_JSON: return &bk__json_emitter;
	default: return NULL;
	}
}

int bk_dump(const struct bk_btf *btf, const struct bk_sink *sink, const struct bk_dump_opts *opts)
{
	struct bk_dump_opts copy = { .sz = sizeof(copy) };
	const struct bk__emitter *em;
	uint32_t cnt = bk_btf_type_cnt(btf), first, *ids = NULL, n = 0;
	struct bk__out o;
	int err;

	if ((err = bk__opts_get(&copy, sizeof(copy), opts)))
		return err;
	opts = &copy;
	for (size_t i = 0; i < opts->nr_ids; i++)
		if (opts->ids[i] >= cnt)
			return -EINVAL;
	if (opts->format == BK_FORMAT_C)
		return bk__dump_c(btf, sink, opts);
	em = emitter_for(opts->format);
	if (!em)
		return -EOPNOTSUPP;
	/* Every failure but the sink's comes before the first byte is written. */
	first = opts->include_base ? 1 : bk_btf_start_id(btf);
	if (!opts->nr_ids && opts->sort && (err = bk__dump_sorted_ids(btf, first, cnt, &ids, &n)))
		return err;
	if ((err = bk__out_init(&o, sink, 0)))
		goto out;
	if (em->begin)
		em->begin(&o, opts);
	if (opts->nr_ids) {
		for (size_t i = 0; i < opts->nr_ids && !o.err; i++)
			em->type(&o, btf, opts->ids[i], bk_btf_type(btf, opts->ids[i]), opts);
	} else if (opts->sort) {
		for (uint32_t i = 0; i < n && !o.err; i++)
			em->type(&o, btf, ids[i], bk_btf_type(btf, ids[i]), opts);
	} else {
		for (uint32_t id = first; id < cnt && !o.err; id++)
			em->type(&o, btf, id, bk_btf_type(btf, id), opts);
	}
	if (em->end)
		em->end(&o, opts);
	bk__out_flush(&o);
	err = o.err;
out:
	bk__out_free(&o);
	free(ids);
	return err;
}
