/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * btfkit output: printing BTF as bpftool-compatible raw text (and, as the
 * emitters grow, JSON and C). Every emitter runs over the same walk of the
 * types and writes to a caller-supplied sink.
 */
#ifndef BTFKIT_DUMP_H
#define BTFKIT_DUMP_H

#include <stdio.h>

#include "btfkit/btf.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Where output goes. write() receives len > 0 bytes and returns 0 or a
 * negative errno, which aborts the dump and is returned by it.
 */
struct bk_sink {
	int (*write)(void *ctx, const char *buf, size_t len);
	void *ctx;
};

/* A sink writing to a stdio stream (fwrite; errors reported as -EIO). */
BK_API struct bk_sink bk_sink_file(FILE *f);

/* A sink collecting output in a growing heap buffer. */
struct bk_membuf {
	char *data; /* NUL-terminated after each write; free() when done */
	size_t len, cap;
};
BK_API struct bk_sink bk_sink_membuf(struct bk_membuf *mb);

enum bk_format {
	BK_FORMAT_RAW = 0, /* bpftool "btf dump ... format raw" text */
	BK_FORMAT_JSON = 1,
	BK_FORMAT_C = 2,
};

struct bk_dump_opts {
	size_t sz;              /* sizeof(struct bk_dump_opts) */
	enum bk_format format;
	/*
	 * Which types: with nr_ids > 0 exactly these IDs (bpftool root_id);
	 * otherwise all own types (from bk_btf_start_id(), as bpftool does
	 * for split BTF) or, with include_base, every type from ID 1.
	 */
	const uint32_t *ids;
	size_t nr_ids;
	bool include_base;
	bool pretty;            /* JSON: indent */
};

/*
 * Print btf to sink. Returns 0, -EINVAL for an ID out of range or an
 * unsupported format, or the sink's error.
 */
BK_API int bk_dump(const struct bk_btf *btf, const struct bk_sink *sink,
		   const struct bk_dump_opts *opts);

#ifdef __cplusplus
}
#endif
#endif /* BTFKIT_DUMP_H */
