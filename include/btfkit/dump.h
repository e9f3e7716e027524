/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * btfkit output: printing BTF as bpftool-compatible raw text, JSON and C
 * (vmlinux.h-style headers). Every emitter runs over the same walk of the
 * types and writes to a caller-supplied sink. The C emitter is also
 * available as an incremental dumper object (bk_c_dumper_*).
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

/*
 * A sink writing to file descriptor fd with write(2) (retried after EINTR
 * and short writes; errors reported as -errno). The dumps hand it their
 * output in 64 KiB chunks: the fastest way to a file, pipe or terminal.
 */
BK_API struct bk_sink bk_sink_fd(int fd);

/*
 * A sink collecting output in a growing heap buffer. The dumps format
 * straight into data (no copy).
 */
struct bk_membuf {
	char *data; /* NUL-terminated after each write; free() when done */
	size_t len, cap;
};
BK_API struct bk_sink bk_sink_membuf(struct bk_membuf *mb);

/* Write s as a JSON string literal (quotes, escapes) to sink. */
BK_API int bk_json_string(const struct bk_sink *sink, const char *s);

enum bk_format {
	BK_FORMAT_RAW = 0, /* bpftool "btf dump ... format raw" text */
	BK_FORMAT_JSON = 1, /* the values of bpftool -j "btf dump" */
	BK_FORMAT_C = 2,    /* bpftool "btf dump ... format c": a vmlinux.h */
};

struct bk_dump_opts {
	size_t sz;              /* sizeof(struct bk_dump_opts) */
	enum bk_format format;
	/*
	 * Which types. Raw and JSON: with nr_ids > 0 exactly these IDs
	 * (bpftool root_id); otherwise all own types (from bk_btf_start_id(),
	 * as bpftool does for split BTF) or, with include_base, every type
	 * from ID 1. C: with nr_ids > 0 these IDs and everything they need;
	 * otherwise every type from ID 1, base types included (as bpftool),
	 * unless c_split_only.
	 */
	const uint32_t *ids;
	size_t nr_ids;
	bool include_base;
	bool pretty;            /* JSON: indent */
	/*
	 * Visit types in newer bpftool's sorted order (rank, name, hash,
	 * ID), without its bug of dropping the first sorted type.
	 */
	bool sort;
	/*
	 * C, split BTF: print only the split's own types, for a header meant
	 * to be included after the base's header printed with the same
	 * options (base types keep their names, none is redefined).
	 */
	bool c_split_only;
	const char *c_guard;    /* C: include guard macro, default __VMLINUX_H__ */
	struct bk_diag *diag;   /* optional: why a C dump failed (which type) */
};

/*
 * Print btf to sink. Returns 0, -EINVAL for an ID out of range (or, in C,
 * a member placed past the end of its struct), -EOPNOTSUPP for an
 * unsupported format or a kind the format cannot print, -ELOOP for a type
 * cycle C cannot express, -E2BIG for a struct needing over 2^20 padding
 * lines, -ENOMEM, or the sink's error. C failures fill opts->diag.
 */
BK_API int bk_dump(const struct bk_btf *btf, const struct bk_sink *sink,
		   const struct bk_dump_opts *opts);

/*
 * One C header for several split BTFs sharing one base (e.g. kernel
 * modules): base types (unless opts->c_split_only), then each module's own
 * types; a type structurally equal to one an earlier module printed is not
 * printed again, differing types with the same name get ___N suffixes.
 * opts->sort, c_split_only and c_guard apply; ids must be empty. Returns
 * -EINVAL when the BTFs do not share one base, else as bk_dump.
 */
BK_API int bk_dump_c_modules(struct bk_btf *const *btfs, size_t n, const struct bk_sink *sink,
			     const struct bk_dump_opts *opts);

/*
 * Incremental C dumper (libbpf's btf_dump use cases). Output matches what
 * bk_dump(BK_FORMAT_C) prints between its wrapper lines.
 *
 *	struct bk_c_dumper *d = bk_c_dumper_new(btf, &sink, NULL);
 *	bk_c_dumper_emit(d, ids, n);   // ids and all they need, in order
 *	bk_c_dumper_emit(d, more, m);  // only what was not emitted before
 *	bk_c_dumper_free(d);
 *
 * Names that clash get "___N" suffixes, fixed when a type is first printed.
 * Output is flushed to the sink before each call returns.
 */
struct bk_c_dumper;
struct bk_c_dumper_opts {
	size_t sz;              /* sizeof(struct bk_c_dumper_opts) */
	/*
	 * Give enums whose size C would not pick an attribute, as newer
	 * libbpf does: mode(byte) for size 1, mode(word) for size 8 unless a
	 * value needs 64 bits. Off: bpftool 7.1 output (no attribute).
	 */
	bool enum_size_attrs;
	struct bk_diag *diag;   /* optional: receives the reason an emit call failed */
};

/* sink NULL: print nothing (useful with bk_c_dumper_assume only). */
BK_API struct bk_c_dumper *bk_c_dumper_new(const struct bk_btf *btf, const struct bk_sink *sink,
					   const struct bk_c_dumper_opts *opts);
BK_API void bk_c_dumper_free(struct bk_c_dumper *d);
/*
 * Emit the definitions of ids[0..n) and of everything they need that was
 * not emitted by an earlier call. Returns 0 or an error as bk_dump (the
 * output of a failed call may stop midway).
 */
BK_API int bk_c_dumper_emit(struct bk_c_dumper *d, const uint32_t *ids, size_t n);
/* The same for IDs first..end-1, one after the other. */
BK_API int bk_c_dumper_emit_range(struct bk_c_dumper *d, uint32_t first, uint32_t end);
/*
 * Record ids[0..n) (and what they need) as emitted, as if an earlier header
 * had printed them, without printing anything.
 */
BK_API int bk_c_dumper_assume(struct bk_c_dumper *d, const uint32_t *ids, size_t n);
/*
 * A dumper for split BTF whose base is d's BTF, continuing where d stands:
 * what d emitted counts as emitted and keeps its names, new clashes get the
 * next ___N. Printing vmlinux.h with d and then the split's own types with
 * the fork gives a module header to include after vmlinux.h. NULL + errno
 * (EINVAL when split's base is not d's BTF, ENOMEM).
 */
BK_API struct bk_c_dumper *bk_c_dumper_fork(const struct bk_c_dumper *d, const struct bk_btf *split,
					    const struct bk_sink *sink);
/*
 * Print the declaration of type id with field_name as the declared name
 * ("" or NULL for an abstract declarator), e.g. "int (*cb)(void *)",
 * indenting inline anonymous definitions by indent tabs. No trailing ';'.
 */
BK_API int bk_c_dumper_emit_decl(struct bk_c_dumper *d, uint32_t id, const char *field_name,
				 int indent);

#ifdef __cplusplus
}
#endif
#endif /* BTFKIT_DUMP_H */
