/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * btfkit validator: checks BTF against the rules of the Linux kernel's BTF
 * loader (kernel/bpf/btf.c), so a file that passes loads with BPF_BTF_LOAD
 * (base BTF) or as module BTF on its base (split BTF).
 *
 * Unlike the kernel, which stops at the first problem, the validator reports
 * every problem it finds through a callback: one per broken type (the first
 * rule the type breaks, in the kernel's order), one per broken member,
 * enumerator or section entry where the kernel checks members, and one per
 * header or section problem. A type that depends on a broken type is not
 * reported again. Messages use the kernel's wording ("Invalid name",
 * "Loop detected", "Member exceeds struct_size", ...).
 *
 * What is checked, in the kernel's order:
 *  1. size: at most 16 MiB (base BTF only, as BPF_BTF_LOAD);
 *  2. header: length, zero bytes past the 24 known ones, magic, version
 *     1, flags 0, sections tiling the data (BTF in the other byte order
 *     than the host's is checked as a kernel of its own byte order would
 *     check it: a big-endian BTF validates on a little-endian host);
 *  3. string section: last, NUL-terminated, at most 16 MiB, starting with
 *     NUL (base BTF);
 *  4. type section: 4-byte aligned, not empty (base BTF); per type (the
 *     kernel's "meta" checks): info bits, kind, name offset, and per-kind
 *     names, sizes, vlen, kflag, linkage, encodings, member offsets and
 *     datasec entries; at most 0xfffff types (void included);
 *  5. the resolve pass over own types: loops through non-pointer edges,
 *     resolving depth (32), sized types where a size is needed, array index
 *     and element types, members fitting their struct, FUNC/FUNC_PROTO
 *     arguments, DATASEC entries, DECL_TAG targets and component indices;
 *  6. type tags: every modifier chain has its TYPE_TAGs first;
 *  7. BPF special fields: structs holding bpf_spin_lock, bpf_list_head,
 *     bpf_list_node, bpf_rb_root or bpf_rb_node members (the subset of the
 *     kernel's rules that btfkit models; see src/validate/validate_special.c).
 * For split BTF the kernel's module path (btf_parse_module) skips the type
 * section checks of step 4's first line and the resolve pass; btfkit runs
 * the resolve pass on split BTF too, unless BK_VALIDATE_KERNEL_MODULE is
 * given (base types count as resolved, as the kernel's base is trusted).
 */
#ifndef BTFKIT_VALIDATE_H
#define BTFKIT_VALIDATE_H

#include "btfkit/btf.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Kernel limits the validator enforces. */
#define BK_KERNEL_MAX_SIZE (16u * 1024 * 1024) /* BTF_MAX_SIZE */
#define BK_KERNEL_MAX_TYPES 0xfffffu            /* BTF_MAX_TYPE, void included */
#define BK_KERNEL_MAX_NAME_OFFSET 0xffffffu     /* BTF_MAX_NAME_OFFSET */
#define BK_KERNEL_MAX_RESOLVE_DEPTH 32          /* MAX_RESOLVE_DEPTH */
#define BK_KERNEL_MAX_NAME_LEN 512              /* KSYM_NAME_LEN */

/* One problem. Pointers are valid only during the callback. */
struct bk_problem {
	uint32_t type_id;    /* the type, or 0 for header and section problems */
	unsigned kind;       /* its BK_KIND_* (0 when type_id is 0) */
	const char *name;    /* its name, "" when anonymous, NULL when type_id is 0 */
	long member;         /* member, enumerator, param or entry index, or -1 */
	long long byte_offset; /* in the input file, or -1 when unknown */
	int err;             /* the -errno the kernel returns (-EINVAL, -E2BIG, ...) */
	const char *msg;     /* the kernel's wording, e.g. "Invalid member bits_offset" */
};

/* Called once per problem, in order; return non-zero to stop validating. */
typedef int (*bk_problem_fn)(const struct bk_problem *p, void *ctx);

enum bk_validate_flags {
	/* Split BTF: check only what the kernel checks for module BTF (no resolve pass). */
	BK_VALIDATE_KERNEL_MODULE = 1u << 0,
};

struct bk_validate_opts {
	size_t sz;         /* sizeof(struct bk_validate_opts), for ABI growth */
	bk_problem_fn cb;  /* may be NULL: only count */
	void *ctx;
	unsigned flags;    /* enum bk_validate_flags */
};

/*
 * Validate btf (its own types; a split BTF's base is trusted). The header is
 * checked as read from the input for parsed objects, or as it would be
 * written for new or modified ones. Returns the number of problems found
 * (0: the kernel accepts it), or -ENOMEM, or -EINVAL for bad arguments.
 */
BK_API int bk_btf_validate(const struct bk_btf *btf, const struct bk_validate_opts *opts);

/*
 * Validate the BTF of the file at path (anything bk_btf_open reads; split
 * on base when base is not NULL) as the kernel would see it. Unlike
 * bk_btf_open then bk_btf_validate, what btfkit's libbpf-compatible parser
 * refuses is still reported in the kernel's words: type references and
 * name offsets out of range by the validator ("Invalid type_id", "Invalid
 * arg#N", "Invalid name_offset:N", ...); a malformed header, section,
 * string section or record by the kernel's header and record checks on
 * the raw bytes ("Invalid magic", "Unsupported section found", "Section
 * overlap found", "Total section length too long", "Invalid string
 * section", "meta_left:N meta_needed:M", "Invalid kind:N", ...), with the
 * parser's detail after the kernel's words: "Invalid string section: string
 * section is not NUL-terminated (byte offset 4113)". Returns the number of
 * problems, or -errno when the file cannot be read at all or has no BTF
 * (diag says why).
 */
BK_API int bk_btf_validate_path(const char *path, struct bk_btf *base,
				const struct bk_validate_opts *opts, struct bk_diag *diag);

/* "type [12] STRUCT 'foo', member 3, byte offset 412": where p is, for messages. */
BK_API int bk_problem_where(const struct bk_problem *p, char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif /* BTFKIT_VALIDATE_H */
