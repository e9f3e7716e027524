/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * btfkit core API: the BTF wire format, the BTF object, parsing and queries.
 *
 * Conventions (see HACKING.md):
 *  - Public names start with bk_ (functions, types) or BK_ (constants).
 *  - Functions that act return int: >= 0 is a value (an ID, an offset, a
 *    count), < 0 is -errno: -EINVAL malformed input or bad argument,
 *    -ENOMEM, -ENOENT not found, -E2BIG over a limit, -EOPNOTSUPP unknown
 *    kind or extension, -ERANGE a value that does not fit.
 *  - Constructors return NULL and set errno; if the caller passed a
 *    struct bk_diag, it receives the human-readable reason.
 *  - Options structs start with size_t sz = sizeof(the struct), so they can
 *    grow: NULL options mean the defaults; fields a caller's older struct
 *    lacks get their defaults; a size below sizeof(size_t) is -EINVAL, and
 *    a newer struct setting a field this library does not know is
 *    -EOPNOTSUPP (errno for constructors).
 *  - Type IDs and string offsets are global: in a split BTF, IDs below
 *    bk_btf_start_id() and string offsets below bk_btf_start_str_off() are
 *    the base's, and every lookup transparently reaches into the base.
 */
#ifndef BTFKIT_BTF_H
#define BTFKIT_BTF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define BK_API __attribute__((visibility("default")))

#define BKIT_VERSION_MAJOR 0
#define BKIT_VERSION_MINOR 1
#define BKIT_VERSION_PATCH 0
#define BKIT_VERSION_STRING "0.1.0"

/* ---- wire format ------------------------------------------------------ */

#define BK_MAGIC 0xEB9F
#define BK_HDR_LEN_V1 24     /* classic header */
#define BK_HDR_LEN_LAYOUT 32 /* header with the kind-layout section */
#define BK_MAX_VLEN 0xffffff
#define BK_MAX_KIND 0x7f

enum bk_kind {
	BK_KIND_UNKN = 0,
	BK_KIND_INT = 1,
	BK_KIND_PTR = 2,
	BK_KIND_ARRAY = 3,
	BK_KIND_STRUCT = 4,
	BK_KIND_UNION = 5,
	BK_KIND_ENUM = 6,
	BK_KIND_FWD = 7,
	BK_KIND_TYPEDEF = 8,
	BK_KIND_VOLATILE = 9,
	BK_KIND_CONST = 10,
	BK_KIND_RESTRICT = 11,
	BK_KIND_FUNC = 12,
	BK_KIND_FUNC_PROTO = 13,
	BK_KIND_VAR = 14,
	BK_KIND_DATASEC = 15,
	BK_KIND_FLOAT = 16,
	BK_KIND_DECL_TAG = 17,
	BK_KIND_TYPE_TAG = 18,
	BK_KIND_ENUM64 = 19,
	BK_NR_KINDS = 20,
};

/* INT encoding bits (bits 24-27 of the INT's trailing word). */
#define BK_INT_SIGNED (1u << 0)
#define BK_INT_CHAR (1u << 1)
#define BK_INT_BOOL (1u << 2)

enum bk_linkage { BK_LINKAGE_STATIC = 0, BK_LINKAGE_GLOBAL = 1, BK_LINKAGE_EXTERN = 2 };

/* The 12-byte record every type starts with. */
struct bk_type {
	uint32_t name_off;
	/* bits 0-23 vlen, bits 24-30 kind, bit 31 kflag */
	uint32_t info;
	union {
		uint32_t size; /* INT ENUM STRUCT UNION DATASEC FLOAT ENUM64 */
		uint32_t type; /* PTR TYPEDEF modifiers FUNC FUNC_PROTO VAR tags */
	};
};

struct bk_array { uint32_t type, index_type, nelems; };
struct bk_member { uint32_t name_off, type, offset; };
struct bk_enum { uint32_t name_off; int32_t val; };
struct bk_enum64 { uint32_t name_off, val_lo32, val_hi32; };
struct bk_param { uint32_t name_off, type; };
struct bk_var { uint32_t linkage; };
struct bk_var_secinfo { uint32_t type, offset, size; };
struct bk_decl_tag { int32_t component_idx; };

/* One entry of the optional kind-layout section. */
struct bk_layout { uint8_t info_sz, elem_sz; uint16_t flags; };

/* ---- inline accessors on records ------------------------------------ */
/*
 * Records are in host byte order: the parser swaps opposite-endian input
 * once, so every field read through these (and bk_btf_type) is a plain
 * host integer whatever the file's byte order. The trailing data of a
 * record follows it in memory (t + 1).
 */

static inline unsigned bk_kind(const struct bk_type *t) { return (t->info >> 24) & 0x7f; }
static inline unsigned bk_vlen(const struct bk_type *t) { return t->info & 0xffffff; }
static inline bool bk_kflag(const struct bk_type *t) { return t->info >> 31; }
static inline uint32_t bk_info(unsigned kind, unsigned vlen, bool kflag)
{
	return ((uint32_t)kflag << 31) | ((uint32_t)(kind & 0x7f) << 24) | (vlen & 0xffffff);
}
static inline bool bk_is_composite(const struct bk_type *t)
{
	return bk_kind(t) == BK_KIND_STRUCT || bk_kind(t) == BK_KIND_UNION;
}
static inline bool bk_is_any_enum(const struct bk_type *t)
{
	return bk_kind(t) == BK_KIND_ENUM || bk_kind(t) == BK_KIND_ENUM64;
}
static inline bool bk_is_mod(const struct bk_type *t)
{
	unsigned k = bk_kind(t);
	return k == BK_KIND_VOLATILE || k == BK_KIND_CONST || k == BK_KIND_RESTRICT ||
	       k == BK_KIND_TYPE_TAG;
}
static inline uint32_t bk_int_data(const struct bk_type *t) { return *(const uint32_t *)(t + 1); }
static inline unsigned bk_int_encoding(const struct bk_type *t) { return (bk_int_data(t) >> 24) & 0x0f; }
static inline unsigned bk_int_offset(const struct bk_type *t) { return (bk_int_data(t) >> 16) & 0xff; }
static inline unsigned bk_int_bits(const struct bk_type *t) { return bk_int_data(t) & 0xff; }
static inline const struct bk_array *bk_array_of(const struct bk_type *t)
{
	return (const struct bk_array *)(const void *)(t + 1);
}
static inline const struct bk_member *bk_members(const struct bk_type *t)
{
	return (const struct bk_member *)(const void *)(t + 1);
}
static inline const struct bk_enum *bk_enums(const struct bk_type *t)
{
	return (const struct bk_enum *)(const void *)(t + 1);
}
static inline const struct bk_enum64 *bk_enum64s(const struct bk_type *t)
{
	return (const struct bk_enum64 *)(const void *)(t + 1);
}
static inline const struct bk_param *bk_params(const struct bk_type *t)
{
	return (const struct bk_param *)(const void *)(t + 1);
}
static inline const struct bk_var *bk_var_of(const struct bk_type *t)
{
	return (const struct bk_var *)(const void *)(t + 1);
}
static inline const struct bk_var_secinfo *bk_secinfos(const struct bk_type *t)
{
	return (const struct bk_var_secinfo *)(const void *)(t + 1);
}
static inline const struct bk_decl_tag *bk_decl_tag_of(const struct bk_type *t)
{
	return (const struct bk_decl_tag *)(const void *)(t + 1);
}
static inline uint64_t bk_enum64_value(const struct bk_enum64 *e)
{
	return ((uint64_t)e->val_hi32 << 32) | e->val_lo32;
}
/* Member bit offset and bitfield size, decoded through the parent's kflag. */
static inline uint32_t bk_member_bit_offset(const struct bk_type *t, const struct bk_member *m)
{
	return bk_kflag(t) ? m->offset & 0xffffff : m->offset;
}
static inline uint32_t bk_member_bitfield_size(const struct bk_type *t, const struct bk_member *m)
{
	return bk_kflag(t) ? m->offset >> 24 : 0;
}

/* ---- diagnostics ------------------------------------------------------ */

/*
 * Filled by a failing call that was given one. msg says what is wrong and
 * where, e.g. "name offset 9999 out of range (type [12], member 3, byte
 * offset 412)". Byte offsets count from the start of the input file.
 */
struct bk_diag {
	int err;        /* the negative errno also returned */
	char msg[512];
};

/* ---- the BTF object --------------------------------------------------- */

struct bk_btf;

enum bk_endian { BK_ENDIAN_LITTLE = 0, BK_ENDIAN_BIG = 1 };

enum bk_source {
	BK_SOURCE_RAW = 0,   /* raw BTF blob */
	BK_SOURCE_ELF = 1,   /* .BTF section of an ELF file */
	BK_SOURCE_NEW = 2,   /* created empty, not parsed */
};

enum bk_open_flags {
	/*
	 * A module whose ELF file has a distilled base (.BTF.base) stays split
	 * on it even when a base is given (see btfkit/distill.h); the caller
	 * may relocate it later with bk_btf_relocate.
	 */
	BK_OPEN_KEEP_DISTILLED = 1u << 0,
};

struct bk_open_opts {
	size_t sz;            /* sizeof(struct bk_open_opts), for ABI growth */
	struct bk_btf *base;  /* borrowed base for split BTF; must outlive the result */
	struct bk_diag *diag; /* optional: receives the reason on failure */
	unsigned flags;       /* enum bk_open_flags */
};

/*
 * Open BTF from a file. The format is detected by content: raw BTF in either
 * byte order, an ELF file's .BTF section (ELF32/ELF64, either byte order), or
 * either of those compressed with xz, lzma, zstd, gzip, lz4 (frame or legacy
 * format) or bzip2, or a bzImage (vmlinuz) holding a compressed vmlinux. An
 * ELF file with a .BTF.base section (a module built with a distilled base)
 * is read as split BTF on that base, which the result owns; given a base,
 * it is relocated onto it instead (unless BK_OPEN_KEEP_DISTILLED), and
 * failing that the open fails with the reason. Returns NULL and sets errno on failure
 * (EINVAL malformed, ENOENT no such file or no .BTF section, ENOMEM, E2BIG
 * input over the size limits).
 */
BK_API struct bk_btf *bk_btf_open(const char *path, const struct bk_open_opts *opts);
/*
 * bk_btf_open of each of paths[0..n) with the same opts: out[i] gets the
 * object, or NULL with errs[i] = -errno, exactly as bk_btf_open(paths[i])
 * would (opts->diag is not filled: open a failed file with bk_btf_open
 * for its message). For many files, such as a kernel's modules on
 * vmlinux: their system calls are batched through io_uring where the
 * kernel allows it (falling back to one bk_btf_open per file), which is
 * faster where system calls are dear (page-table isolation). Returns 0,
 * or -EINVAL (NULL arrays) / -EOPNOTSUPP (opts) with nothing opened. Any
 * number of threads may call it at once on one frozen base
 * (bk_btf_freeze).
 */
BK_API int bk_btf_open_many(const char *const *paths, size_t n, struct bk_btf **out, int *errs,
			    const struct bk_open_opts *opts);
/* The same from memory; data is copied (or kept by reference, never changed). */
BK_API struct bk_btf *bk_btf_from_mem(const void *data, size_t size, const struct bk_open_opts *opts);
/* Create an empty BTF (base == NULL) or an empty split BTF on base. */
BK_API struct bk_btf *bk_btf_new_empty(struct bk_btf *base);
BK_API void bk_btf_free(struct bk_btf *btf);

/* Counts: type_cnt is the last ID + 1, base types included (void counts). */
BK_API uint32_t bk_btf_type_cnt(const struct bk_btf *btf);
BK_API uint32_t bk_btf_start_id(const struct bk_btf *btf);
BK_API uint32_t bk_btf_nr_own_types(const struct bk_btf *btf);
BK_API uint32_t bk_btf_start_str_off(const struct bk_btf *btf);
BK_API const struct bk_btf *bk_btf_base(const struct bk_btf *btf);

/* The type with this (global) ID, or NULL when out of range. ID 0 is void. */
BK_API const struct bk_type *bk_btf_type(const struct bk_btf *btf, uint32_t id);
/* The string at this (global) offset, or NULL when out of range. */
BK_API const char *bk_btf_str(const struct bk_btf *btf, uint32_t off);
/* A type's name ("" for anonymous, NULL if its name offset is invalid). */
BK_API const char *bk_btf_name(const struct bk_btf *btf, const struct bk_type *t);
/* Size in bytes of a record (12 plus trailing data), or 0 for unknown kinds. */
BK_API size_t bk_btf_type_rec_size(const struct bk_btf *btf, const struct bk_type *t);

/*
 * Name lookup through an index built on first use (over base and split).
 * kind < 0 matches any kind. Returns the lowest matching ID or -ENOENT.
 */
BK_API int bk_btf_find(const struct bk_btf *btf, const char *name, int kind);
/*
 * All IDs with this name (and kind, if >= 0) in ascending order: writes up
 * to cap IDs into ids and returns how many match in total (may exceed cap).
 */
BK_API int bk_btf_find_all(const struct bk_btf *btf, const char *name, int kind,
			   uint32_t *ids, size_t cap);

/*
 * Build now what lookups on btf (and its bases) build on first use: the
 * name index and the pointer size guess. Afterwards any number of threads
 * may read btf at once without locks: query it, dump or validate it, open
 * split BTF on it and read that. Modifying btf (adding types, dedup) is
 * never safe while others read it. Returns 0 or -ENOMEM.
 */
BK_API int bk_btf_freeze(const struct bk_btf *btf);

/* Follow modifiers (const, volatile, restrict, type tags) and typedefs. */
BK_API int bk_btf_resolve(const struct bk_btf *btf, uint32_t id);
/* Follow modifiers only (typedefs are kept). */
BK_API int bk_btf_skip_mods(const struct bk_btf *btf, uint32_t id);
/* Size in bytes of the type, resolving modifiers, typedefs and arrays. */
BK_API int64_t bk_btf_resolve_size(const struct bk_btf *btf, uint32_t id);
/* Natural alignment in bytes, as C compilers lay the type out. */
BK_API int bk_btf_align(const struct bk_btf *btf, uint32_t id);
/* Pointer size (4 or 8), guessed from ELF class or a 'long' INT; 0 unknown. */
BK_API int bk_btf_ptr_size(const struct bk_btf *btf);
BK_API int bk_btf_set_ptr_size(struct bk_btf *btf, int size);
/* Byte order of the input (or of output for new BTF). */
BK_API enum bk_endian bk_btf_endian(const struct bk_btf *btf);
BK_API enum bk_source bk_btf_source(const struct bk_btf *btf);

/* Header and section sizes as read (or as they would be written). */
struct bk_btf_layout_info {
	uint32_t hdr_len;
	uint32_t type_off, type_len;
	uint32_t str_off, str_len;
	uint32_t layout_off, layout_len;
	uint32_t raw_size;   /* total blob size */
	uint32_t nr_strings; /* NUL-terminated strings in the own section */
};
BK_API void bk_btf_layout_info(const struct bk_btf *btf, struct bk_btf_layout_info *out);

/* Kind name as bpftool prints it ("STRUCT", ...); "UNKNOWN" outside 0..19. */
BK_API const char *bk_kind_name(unsigned kind);

/* Library version string, e.g. "0.1.0". */
BK_API const char *bk_version(void);
/* A short description of a negative errno returned by btfkit. */
BK_API const char *bk_strerror(int err);

#ifdef __cplusplus
}
#endif
#endif /* BTFKIT_BTF_H */
