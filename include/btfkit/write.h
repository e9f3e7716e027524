/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * btfkit writer API: build and modify BTF, and serialize it.
 *
 * Create an object with bk_btf_new_empty(NULL) or, for split BTF,
 * bk_btf_new_empty(base); or modify a parsed one (it becomes modifiable on
 * the first write, without re-parsing). Each bk_btf_add_<kind>() returns the
 * new type's (global) ID, or -errno with the object unchanged. The
 * "append a member / value / param / entry" calls (add_field,
 * add_enum_value, add_enum64_value, add_func_param, add_datasec_var_info)
 * apply to the last own type, which must be of the matching kind, and
 * return 0.
 *
 * Strings are deduplicated on insertion; in split BTF a string present in the
 * base (or any ancestor) is not added again: its base offset is used, as
 * libbpf does, so the output is byte-compatible with libbpf's.
 *
 * Argument checks (all give -EINVAL unless noted, and leave btf unchanged):
 *  - a type ID argument must name an existing type (0, void, included).
 *    Unlike libbpf, forward references are refused, so the object always
 *    satisfies what the parser guarantees; a self-referential struct is
 *    built as C declares it: FWD S, PTR to it, then STRUCT S;
 *  - a name is required for INT, FLOAT, TYPEDEF, FWD, FUNC, VAR, DATASEC,
 *    tags and enumerators; sizes must be ones the kind allows;
 *  - an enumerator out of [INT32_MIN, UINT32_MAX] gives -ERANGE; vlen past
 *    BK_MAX_VLEN or too many types gives -E2BIG;
 *  - a parsed BTF whose header has unknown non-zero fields cannot be
 *    modified (-EOPNOTSUPP).
 * Adding to a base that already has splits on it breaks them.
 */
#ifndef BTFKIT_WRITE_H
#define BTFKIT_WRITE_H

#include "btfkit/btf.h"

#ifdef __cplusplus
extern "C" {
#endif

enum bk_fwd_kind { BK_FWD_STRUCT = 0, BK_FWD_UNION = 1, BK_FWD_ENUM = 2 };

/* Strings: offset of s (added if absent), or the offset of an existing one. */
BK_API int bk_btf_add_str(struct bk_btf *btf, const char *s);
/* Offset of s in btf or its bases, or -ENOENT. */
BK_API int bk_btf_find_str(const struct bk_btf *btf, const char *s);

BK_API int bk_btf_add_int(struct bk_btf *btf, const char *name, size_t byte_sz, int encoding);
BK_API int bk_btf_add_float(struct bk_btf *btf, const char *name, size_t byte_sz);
BK_API int bk_btf_add_ptr(struct bk_btf *btf, int ref_type_id);
BK_API int bk_btf_add_array(struct bk_btf *btf, int index_type_id, int elem_type_id, uint32_t nr_elems);

BK_API int bk_btf_add_struct(struct bk_btf *btf, const char *name, uint32_t byte_sz);
BK_API int bk_btf_add_union(struct bk_btf *btf, const char *name, uint32_t byte_sz);
/*
 * A bitfield when bit_size != 0 or bit_offset % 8 != 0; the first bitfield
 * sets the type's kflag, after which offsets are limited to 24 bits. Refused:
 * bit_size > 255; an offset that is not a multiple of 8 with bit_size 0; a bitfield or a kflag member at bit_offset >= 2^24; a
 * non-zero offset in a union.
 */
BK_API int bk_btf_add_field(struct bk_btf *btf, const char *name, int field_type_id,
			    uint32_t bit_offset, uint32_t bit_size);

/* byte_sz 1, 2, 4 or 8. The enum is unsigned until a negative value is added. */
BK_API int bk_btf_add_enum(struct bk_btf *btf, const char *name, uint32_t byte_sz);
BK_API int bk_btf_add_enum_value(struct bk_btf *btf, const char *name, int64_t value);
BK_API int bk_btf_add_enum64(struct bk_btf *btf, const char *name, uint32_t byte_sz, bool is_signed);
BK_API int bk_btf_add_enum64_value(struct bk_btf *btf, const char *name, uint64_t value);

/* STRUCT/UNION: a FWD (kflag 1 for union); ENUM: an ENUM of size 4, no values. */
BK_API int bk_btf_add_fwd(struct bk_btf *btf, const char *name, enum bk_fwd_kind kind);
BK_API int bk_btf_add_typedef(struct bk_btf *btf, const char *name, int ref_type_id);
BK_API int bk_btf_add_volatile(struct bk_btf *btf, int ref_type_id);
BK_API int bk_btf_add_const(struct bk_btf *btf, int ref_type_id);
BK_API int bk_btf_add_restrict(struct bk_btf *btf, int ref_type_id);
BK_API int bk_btf_add_type_tag(struct bk_btf *btf, const char *value, int ref_type_id);
/* TYPE_TAG with kflag=1: value is a raw __attribute__. */
BK_API int bk_btf_add_type_attr(struct bk_btf *btf, const char *value, int ref_type_id);

/* proto_type_id must be a FUNC_PROTO; the linkage is stored in vlen. */
BK_API int bk_btf_add_func(struct bk_btf *btf, const char *name, enum bk_linkage linkage,
			   int proto_type_id);
BK_API int bk_btf_add_func_proto(struct bk_btf *btf, int ret_type_id);
/* name may be NULL/"" (anonymous); type 0 with no name marks varargs. */
BK_API int bk_btf_add_func_param(struct bk_btf *btf, const char *name, int type_id);

BK_API int bk_btf_add_var(struct bk_btf *btf, const char *name, int linkage, int type_id);
BK_API int bk_btf_add_datasec(struct bk_btf *btf, const char *name, uint32_t byte_sz);
BK_API int bk_btf_add_datasec_var_info(struct bk_btf *btf, int var_type_id, uint32_t offset,
				       uint32_t byte_sz);

BK_API int bk_btf_add_decl_tag(struct bk_btf *btf, const char *value, int ref_type_id,
			       int component_idx);
/* DECL_TAG with kflag=1: value is a raw __attribute__. */
BK_API int bk_btf_add_decl_attr(struct bk_btf *btf, const char *value, int ref_type_id,
				int component_idx);

/*
 * Copy one type record from src (strings re-added to btf; type IDs copied
 * as they are, not remapped nor checked: the caller makes them valid, e.g.
 * by copying every type of src in order). Unknown kinds: -EOPNOTSUPP.
 * Returns the new ID.
 */
BK_API int bk_btf_add_type(struct bk_btf *btf, const struct bk_btf *src,
			   const struct bk_type *src_type);
/*
 * Append all of src's own types to btf, remapping src's own IDs to the new
 * ones and re-adding strings. A split src must have the same base object
 * as btf (else -EOPNOTSUPP); its references to that base are kept. src may
 * be btf itself. All-or-nothing: on error btf is unchanged. Returns the ID
 * the first appended type got (bk_btf_type_cnt(btf) before the call).
 */
BK_API int bk_btf_add_btf(struct bk_btf *btf, const struct bk_btf *src);

/*
 * Byte order for serialization (default: the input's, native for new BTF,
 * the base's for a new split). bk_btf_endian() then reports it.
 */
BK_API int bk_btf_set_endian(struct bk_btf *btf, enum bk_endian endian);

/*
 * Serialize btf (only its own types and strings, for split BTF) as raw BTF
 * in its byte order: header | types | [kind layout] | strings. The header
 * length is the parsed one (24 for new BTF, as libbpf 1.1.2 writes; 32 at
 * least with a layout section). Parsing such a blob and serializing it
 * again gives the same bytes. *data is malloc'ed, the caller frees it.
 * -EOPNOTSUPP: an unknown kind cannot be written in the other byte order.
 */
BK_API int bk_btf_serialize(const struct bk_btf *btf, void **data, size_t *size);

/*
 * Write raw BTF (bk_btf_serialize) to path atomically with bk_write_file:
 * on any error no partial file is left. Returns 0 or -errno (-EISDIR for
 * a directory).
 */
BK_API int bk_btf_write_file(const struct bk_btf *btf, const char *path);

/* ---- BPF objects: the changes libbpf makes before loading ------------- */

/* One change bk_btf_fixup_bpf_object made. Pointers valid during the callback only. */
struct bk_fixup {
	uint32_t type_id; /* the type changed (DATASEC, VAR, FUNC) or added */
	long member;      /* the DATASEC entry concerned, or -1 */
	const char *msg;  /* e.g. "DATASEC size 0 -> 112 from ELF section '.data'" */
};
typedef int (*bk_fixup_fn)(const struct bk_fixup *f, void *ctx);

struct bk_fixup_opts {
	size_t sz;            /* sizeof(struct bk_fixup_opts) */
	bk_fixup_fn cb;       /* optional: called per change; non-zero stops (and is returned) */
	void *ctx;
	struct bk_diag *diag; /* optional: why libbpf would refuse the object */
};

/*
 * Apply to btf, read from the BPF object (an ELF file with e_machine EM_BPF,
 * compressed or not) at path, the changes libbpf 1.1 makes to the object's
 * BTF when it opens it, before BPF_BTF_LOAD: DATASEC sizes from the ELF
 * sections and variable offsets from the ELF symbols (clang leaves both 0),
 * hidden variables made static, DATASEC entries sorted by offset, the
 * .kconfig and .ksyms extern sections laid out (and a VAR "dummy_ksym"
 * added for extern functions). The result is byte for byte the BTF libbpf
 * loads (without its sanitizing for kernels that lack a kind). Returns the
 * number of changes (0 when btf is not a BPF object's, or needs none), or
 * -errno where libbpf would refuse the object (-ENOENT: no ELF section or
 * symbol for a value, no BTF for an extern; -EOPNOTSUPP: an extern libbpf
 * does not support), btf then unchanged. bk_btf_fixup_bpf_mem does the same
 * with the ELF file in memory. With path NULL, the ELF file btf was read
 * from is used when btf still holds it whole (it was read from standard
 * input, a pipe or memory); else -EINVAL.
 */
BK_API int bk_btf_fixup_bpf_object(struct bk_btf *btf, const char *path,
				   const struct bk_fixup_opts *opts);
BK_API int bk_btf_fixup_bpf_mem(struct bk_btf *btf, const void *elf, size_t size,
				const struct bk_fixup_opts *opts);

/* ---- atomic output files ---------------------------------------------- */

/*
 * A file written atomically: the bytes go to a temporary file beside path
 * ("PATH.XXXXXX"), which bk_outfile_commit fsyncs and renames over path, so
 * readers see the old file or the whole new one and a failure leaves path
 * as it was. A new file gets mode 0644 minus the umask; an existing file
 * keeps its mode (and, where permitted, its owner); a symlink to a regular
 * file is kept and the file it names replaced; an existing device, FIFO or
 * socket (/dev/null) is written in place, not replaced. bk_btf_write_file
 * and the btfkit CLI write every file this way.
 *
 * Errors are -errno; with a diag, its message names the step and the errno
 * text ("cannot create output file: No such file or directory", "write
 * failed: No space left on device", "cannot rename output into place: ...")
 * without the path, which the caller adds.
 */
struct bk_outfile;

/* Start writing path. NULL and errno on failure (EISDIR for a directory). */
BK_API struct bk_outfile *bk_outfile_open(const char *path, struct bk_diag *diag);
/* The descriptor to write to (for fdopen(dup(fd)) or write()); do not close it. */
BK_API int bk_outfile_fd(const struct bk_outfile *of);
/* write() all size bytes, retrying short writes; 0 or -errno. */
BK_API int bk_outfile_write(struct bk_outfile *of, const void *data, size_t size,
			    struct bk_diag *diag);
/*
 * fsync, close and rename into place; 0 or -errno (then path is unchanged
 * and the temporary file removed). Frees of in every case.
 */
BK_API int bk_outfile_commit(struct bk_outfile *of, struct bk_diag *diag);
/* Give up: close and remove the temporary file, free of. NULL is a no-op. */
BK_API void bk_outfile_abort(struct bk_outfile *of);
/* bk_outfile_open + bk_outfile_write + bk_outfile_commit of one buffer. */
BK_API int bk_write_file(const char *path, const void *data, size_t size, struct bk_diag *diag);

#ifdef __cplusplus
}
#endif
#endif /* BTFKIT_WRITE_H */
