/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Internal definitions shared by the library's files. Nothing here is part
 * of the public API; cross-file functions are named bk__<module>_<what> and
 * are hidden from the shared library by -fvisibility=hidden and the version
 * script.
 *
 * Storage model (see docs/design.md):
 *  - A BTF object keeps its own types as native-endian wire records in one
 *    contiguous buffer (types), with type_offs[i] the byte offset of own type
 *    start_id + i. Its own strings are one buffer (strs) of strs_len bytes.
 *  - Parsed objects start read-only: types and strs point into the input
 *    image (a private file mapping or a heap copy). The first modification
 *    copies them into growable heap buffers (bk__btf_make_writable).
 *  - A split object borrows its base; IDs below start_id and string offsets
 *    below start_str_off are looked up in the base (which may itself be
 *    split). Everything stored in records is global.
 */
#ifndef BTFKIT_INTERNAL_H
#define BTFKIT_INTERNAL_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "btfkit/btf.h"

#define BK_HIDDEN __attribute__((visibility("hidden")))
#define BK_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* The input image a parsed object was read from. */
struct bk__image {
	uint8_t *data;   /* whole file (or decompressed copy), writable privately */
	size_t size;
	void *map;       /* non-NULL when data is an mmap'ed region */
	size_t map_len;
	bool owned;      /* data was malloc'ed by us */
	bool readonly;   /* data is mapped read-only (parsing must copy to change it) */
	bool whole_elf;  /* data is the whole ELF file the object was parsed from */
};

struct bk__names;  /* name index, names.c */
struct bk__strset; /* string dedup set, strset.c */

struct bk_btf {
	struct bk_btf *base;      /* borrowed (owned when owns_base), may be NULL */
	bool owns_base;           /* base is the distilled base read from .BTF.base */
	/*
	 * Parsed with BK__OPEN_UNCHECKED: own type IDs and name offsets were
	 * not checked against the base (the kernel's module loader does not
	 * check them either). Such an object is only for the validator and
	 * src/distill/check.c, never handed to users: IDs may be >= the type
	 * count and names may be out of range or mid-string.
	 */
	bool unchecked_refs;
	uint32_t start_id;        /* first own ID: bk_btf_type_cnt(base) or 1 */
	uint32_t start_str_off;   /* base's start_str_off + base's strs_len */
	uint32_t nr_types;        /* own types */

	uint8_t *types;           /* own type records, native byte order */
	size_t types_len;
	size_t types_cap;         /* 0 while types points into the image */
	uint32_t *type_offs;      /* nr_types entries */
	uint32_t type_offs_cap;

	char *strs;               /* own string section */
	size_t strs_len;
	size_t strs_cap;          /* 0 while strs points into the image */

	struct bk_layout *layout; /* own kind-layout section, native order */
	uint32_t layout_cnt;
	bool layout_owned;

	/* header as read (or to be written) */
	uint32_t hdr_len;
	uint32_t hdr_type_off, hdr_str_off, hdr_layout_off;
	bool hdr_extra;           /* non-zero bytes past the known header */

	bool swapped;             /* input was opposite-endian */
	int ptr_sz;               /* 0 = not yet guessed */
	enum bk_source source;
	uint64_t file_off;        /* offset of the blob in its file (diagnostics) */
	uint32_t raw_size;        /* size of the blob as read */

	struct bk__image img;
	struct bk__names *names;   /* lazily built */
	/*
	 * Lazily built by the writer (src/write/write_int.h). When strs equals its
	 * data, the set owns the string buffer; code that replaces strs must
	 * free the set and set it to NULL.
	 */
	struct bk__strset *strset;
};

/* ---- core/buf.c ------------------------------------------------------------ */
/*
 * Make *buf (an array of elem-byte elements, *cap of them) hold at least
 * need elements, doubling from min_cap: 0, or -ENOMEM / -E2BIG (size
 * overflow) with the buffer unchanged.
 */
BK_HIDDEN int bk__grow(void **buf, size_t *cap, size_t need, size_t elem, size_t min_cap);

/* ---- core/diag.c ----------------------------------------------------------- */
/* Record err and a formatted message into diag (may be NULL); returns err. */
BK_HIDDEN int bk__diag(struct bk_diag *diag, int err, const char *fmt, ...) BK_PRINTF(3, 4);

/* ---- core/kind.c ----------------------------------------------------------- */
/*
 * One descriptor per known kind, bk__kinds[kind] (kind < BK_NR_KINDS; kinds
 * past that are sized by the kind-layout section and have no other facts).
 */
enum {
	BK__KF_SIZED = 1 << 0,          /* the common word is a byte size */
	BK__KF_SCALAR = 1 << 1,         /* INT ENUM ENUM64 FLOAT: aligned as their size */
	BK__KF_MOD = 1 << 2,            /* CONST VOLATILE RESTRICT TYPE_TAG: qualify a target */
	BK__KF_COMPOSITE = 1 << 3,      /* STRUCT UNION: members */
	BK__KF_ENUM = 1 << 4,           /* ENUM ENUM64: enumerators */
	BK__KF_SIZE_OF_TARGET = 1 << 5, /* as big as its target (typedef, modifiers, VAR, DECL_TAG) */
	BK__KF_ELEM_NAMED = 1 << 6,     /* each trailing element starts with a name offset */
};

/* How a field's value is read (struct bk__kfield). */
enum bk__form {
	BK__F_U32,            /* the word */
	BK__F_I32,            /* the word, signed */
	BK__F_VLEN,           /* vlen of the info word */
	BK__F_INT_OFFSET,     /* INT data word: bits 16-23 */
	BK__F_INT_BITS,       /* INT data word: bits 0-7 */
	BK__F_INT_ENCODING,   /* INT data word: bits 24-27, as bpftool names them */
	BK__F_SIGNEDNESS,     /* kflag: "SIGNED" or "UNSIGNED" */
	BK__F_FWD_KIND,       /* kflag: "union" or "struct" */
	BK__F_FUNC_LINKAGE,   /* vlen of the info word as a linkage */
	BK__F_VAR_LINKAGE,    /* the word as a linkage */
	BK__F_NAME,           /* a name offset */
	BK__F_BIT_OFFSET,     /* a member's offset word, decoded through the kflag */
	BK__F_BITFIELD_SIZE,  /* a member's bitfield size through the kflag (0: none) */
	BK__F_ENUM_VAL,       /* an enumerator value, signed with the kflag */
	BK__F_ENUM64_VAL,     /* words w (low) and w + 1 (high), signed with the kflag */
};

/*
 * A field by the name bpftool prints it under: word is the 32-bit word it
 * is read from, counted from the record's start for the record's own
 * fields (the info word is word 1) and from the element's start for the
 * fields of each trailing element.
 */
struct bk__kfield {
	char key[16];    /* NUL-padded: printers may copy all 16 bytes */
	uint8_t key_len;
	uint8_t word;
	uint8_t form;  /* enum bk__form */
};

struct bk__kind {
	_Alignas(64) char name[16];    /* as bpftool prints it: "STRUCT", NUL-padded
					* (printers may copy all 16 bytes); 64-byte
					* entries: an index is a shift */
	uint8_t name_len;
	uint8_t info_sz;               /* trailing bytes after the common 12 */
	uint8_t elem_sz;               /* bytes per vlen element */
	uint8_t flags;                 /* BK__KF_* */
	/*
	 * Type-ID fields: id_fixed + vlen * id_per_elem of them, field i at
	 * 32-bit word id_first + i * id_stride of the record (kind.c).
	 */
	uint8_t id_first, id_fixed, id_per_elem;
	int8_t id_stride;
	const char *elem_noun;         /* "member", "param": for messages */
	const struct bk__kfield *fields, *elem_fields;
	uint8_t nr_fields, nr_elem_fields;
	const char *elems_key;         /* the list of elements: "members" */
};
BK_HIDDEN extern const struct bk__kind bk__kinds[BK_NR_KINDS];

/* Does known kind have all of flags? (false for unknown kinds) */
static inline bool bk__kind_is(unsigned kind, unsigned flags)
{
	return kind < BK_NR_KINDS && (bk__kinds[kind].flags & flags) == flags;
}

/* Record size of a known kind. */
static inline size_t bk__kind_rec_size(const struct bk_type *t)
{
	const struct bk__kind *k = &bk__kinds[bk_kind(t)];

	return sizeof(*t) + k->info_sz + (size_t)bk_vlen(t) * k->elem_sz;
}

/*
 * The type-ID fields of a record of a known kind: returns how many, *first
 * the first, *stride the distance in words to the next.
 */
static inline uint32_t bk__kind_ids(const struct bk_type *t, const uint32_t **first,
				    int32_t *stride)
{
	const struct bk__kind *k = &bk__kinds[bk_kind(t)];

	*first = (const uint32_t *)t + k->id_first;
	*stride = k->id_stride;
	return k->id_fixed + (k->id_per_elem ? bk_vlen(t) : 0);
}

/* ---- core/object.c --------------------------------------------------------- */
/* A new object on base (may be NULL): start_id and start_str_off set. */
BK_HIDDEN struct bk_btf *bk__btf_alloc(struct bk_btf *base);
/* Unmap or free an image and clear it. */
BK_HIDDEN void bk__image_release(struct bk__image *img);
/* Copy types, strings and layout into growable heap buffers (first change). */
BK_HIDDEN int bk__btf_make_writable(struct bk_btf *btf);

/* ---- core/btf.c ------------------------------------------------------------ */
/* Record size of t using the kind table or the (own or inherited) layout. */
BK_HIDDEN size_t bk__rec_size(const struct bk_btf *btf, const struct bk_type *t);
/* Kind layout entry for an unknown kind, searching the base chain. */
BK_HIDDEN const struct bk_layout *bk__find_layout(const struct bk_btf *btf, unsigned kind);
/* Own type by global ID, no bounds check beyond an assert-like guard. */
static inline struct bk_type *bk__own_type(const struct bk_btf *btf, uint32_t id)
{
	return (struct bk_type *)(btf->types + btf->type_offs[id - btf->start_id]);
}
/* Total string bytes visible to btf (base chain plus own). */
static inline uint32_t bk__str_end(const struct bk_btf *btf)
{
	return btf->start_str_off + (uint32_t)btf->strs_len;
}
/*
 * Whether off (below bk__str_end(btf)) starts a string of btf's chain. Split
 * BTF naming the middle of a base string is refused by the parser (the sign
 * of a wrong base), so nothing may write such an offset either.
 */
static inline bool bk__str_starts(const struct bk_btf *btf, uint32_t off)
{
	while (btf->base && off < btf->start_str_off)
		btf = btf->base;
	return off == btf->start_str_off || btf->strs[off - btf->start_str_off - 1] == '\0';
}

/* ---- input/open.c ---------------------------------------------------------- */
/* Internal open flags, beyond enum bk_open_flags (masked out of public calls). */
#define BK__OPEN_UNCHECKED (1u << 30) /* BTF without a distilled base: unchecked_refs */
/*
 * The BTF bytes of the file at path, found as bk_btf_open finds them (raw,
 * an ELF file's .BTF, decompressed first), as a heap copy the caller frees,
 * unparsed; *file_off is where they start in the (decompressed) file. For
 * the validator, to check BTF the parser refuses.
 */
BK_HIDDEN int bk__btf_read_blob(const char *path, uint8_t **blob, size_t *size, uint64_t *file_off,
				struct bk_diag *diag);
/* bk_btf_open with internal flags (opts->flags is ignored). */
BK_HIDDEN struct bk_btf *bk__btf_open(const char *path, const struct bk_open_opts *opts,
				      unsigned flags);
/*
 * For bk_btf_open_many (open_many.c): the object bk_btf_open makes of an
 * ELF file without .BTF.base whose .BTF (found as eb says) was read into
 * blob, a heap buffer of eb->len bytes it takes over in every case. NULL
 * on failure, with no message: the caller opens the file again with
 * bk_btf_open for it.
 */
struct bk__elf_btf;
BK_HIDDEN struct bk_btf *bk__btf_from_elf_btf(uint8_t *blob, const struct bk__elf_btf *eb,
					      struct bk_btf *base, unsigned flags);

/* ---- core/query.c --------------------------------------------------------- */
/*
 * bk_btf_resolve_size following at most limit modifier/typedef/array links
 * (-ELOOP beyond): the public call allows the type count, the C dumper 31 (32 lookups,
 * as libbpf's btf__resolve_size makes).
 */
BK_HIDDEN int64_t bk__resolve_size(const struct bk_btf *btf, uint32_t id, uint32_t limit);
/*
 * bk_btf_align with the caller's pointer size and nesting bound; memo
 * (optional, one byte per type ID, zeroed before the first call) keeps
 * struct results between calls, failures included (the C printer's).
 * Returns the alignment or -EINVAL (no alignment: void, functions, a
 * zero-size scalar), -ELOOP (a struct containing itself, nesting deeper
 * than max_depth) or -E2BIG (over the member budget).
 */
BK_HIDDEN int bk__align(const struct bk_btf *btf, uint32_t id, int ptr_sz, int max_depth,
			int8_t *memo);

/* ---- core/parse.c ---------------------------------------------------------- */
/*
 * Parse a raw BTF blob at data[0..size) into btf (whose base and start IDs
 * are set). data must stay valid as long as btf, and may be modified in
 * place (byte swapping) when writable; otherwise a copy is made.
 */
BK_HIDDEN int bk__parse_raw(struct bk_btf *btf, uint8_t *data, size_t size, bool writable,
			    struct bk_diag *diag);

/* ---- input/elf.c ------------------------------------------------------------ */
/*
 * Where an ELF file's BTF lies: .BTF at off/len and, when the file has one
 * (has_base), the distilled base .BTF.base at base_off/base_len; ptr_sz is
 * 4 or 8 from the ELF class.
 */
struct bk__elf_btf {
	size_t off, len;
	size_t base_off, base_len;
	bool has_base;
	int ptr_sz;
};
/* Find the BTF sections of the ELF image data[0..size). */
BK_HIDDEN int bk__elf_find_sections(const uint8_t *data, size_t size, struct bk__elf_btf *out,
				    struct bk_diag *diag);
/*
 * The same for an ELF file of size bytes open on fd (read with pread);
 * head holds its first min(size, 64) bytes (the ELF header). size may be
 * BK__SIZE_UNKNOWN: then reading past the end of the file, or more than
 * BK__FAST_READ_MAX bytes at once, gives -EAGAIN (nothing else set), and
 * the caller tries again with the size.
 */
#define BK__SIZE_UNKNOWN SIZE_MAX
#define BK__FAST_READ_MAX ((size_t)1 << 20)
BK_HIDDEN int bk__elf_find_sections_fd(int fd, const uint8_t *head, size_t size,
				       struct bk__elf_btf *out, struct bk_diag *diag);
/*
 * The same from bytes read ahead: head (64 bytes: the ELF header) and
 * win[0..win_len) at file offset win_off (win may be NULL), with no way to
 * read more (for bk_btf_open_many, which batches the reads of many files).
 * -EAGAIN: more bytes are needed; *want_len of them at *want_off when a
 * read would give them (0: the file size is needed, or a read too big).
 * Other errors come without a message: the caller opens such a file with
 * bk_btf_open, which says what is wrong.
 */
BK_HIDDEN int bk__elf_find_sections_ahead(const uint8_t *head, const uint8_t *win,
					  uint64_t win_off, size_t win_len,
					  struct bk__elf_btf *out, uint64_t *want_off,
					  size_t *want_len);
/* Only .BTF (off, len) and the pointer size, of an image (tests use it). */
BK_HIDDEN int bk__elf_find_btf(const uint8_t *data, size_t size, size_t *off, size_t *len,
			       int *ptr_sz, struct bk_diag *diag);

/* ---- input/decompress.c ----------------------------------------------------- */
enum bk__compress {
	BK__COMP_NONE, BK__COMP_XZ, BK__COMP_ZSTD, BK__COMP_GZIP, BK__COMP_BZIMAGE,
	BK__COMP_LZ4, BK__COMP_LZ4_LEGACY, BK__COMP_BZIP2, BK__COMP_LZMA,
};
BK_HIDDEN enum bk__compress bk__detect_compression(const uint8_t *data, size_t size);
/* Decompress into a new heap buffer (at most BK__MAX_DECOMPRESSED bytes). */
#define BK__MAX_DECOMPRESSED ((size_t)1 << 30)
BK_HIDDEN int bk__decompress(const uint8_t *data, size_t size, uint8_t **out, size_t *out_len,
			     struct bk_diag *diag);

/* ---- core/names.c ---------------------------------------------------------- */
BK_HIDDEN void bk__names_free(struct bk__names *names);
/* Index own type id, just appended (no-op while no index is built). */
BK_HIDDEN void bk__names_add(struct bk_btf *btf, uint32_t id);
/* Drop the index (types were replaced or renumbered); rebuilt on next use. */
BK_HIDDEN void bk__names_invalidate(struct bk_btf *btf);

/* ---- core/strset.c --------------------------------------------------------- */
/*
 * A set of NUL-terminated strings stored back to back in one buffer, with a
 * hash index from string to offset. Used by the writer (string dedup on
 * insertion) and by dedup (string compaction).
 */
BK_HIDDEN struct bk__strset *bk__strset_new(size_t expect);
BK_HIDDEN void bk__strset_free(struct bk__strset *set);
/* Index an existing string section: every string start becomes findable. */
BK_HIDDEN int bk__strset_index(struct bk__strset *set, const char *data, size_t len);
/* Offset of s in the set, or -ENOENT. */
BK_HIDDEN int64_t bk__strset_find(const struct bk__strset *set, const char *s, size_t len);
/* Offset of s, appended when absent; -ENOMEM, -E2BIG on failure. */
BK_HIDDEN int64_t bk__strset_add(struct bk__strset *set, const char *s, size_t len);
BK_HIDDEN const char *bk__strset_data(const struct bk__strset *set);
BK_HIDDEN size_t bk__strset_len(const struct bk__strset *set);
/* Give the buffer to the caller (who frees it) and reset the set. */
BK_HIDDEN char *bk__strset_steal(struct bk__strset *set, size_t *len, size_t *cap);

/* ---- core/iter.c ---------------------------------------------------------- */
/*
 * Iterate over the type-ID fields or the string-offset fields of one record:
 *	struct bk__field_iter it;
 *	uint32_t *f;
 *	if ((err = bk__field_iter_init(&it, t, BK__FIELD_IDS)))
 *		return err;  // -EOPNOTSUPP for unknown kinds
 *	while ((f = bk__field_iter_next(&it)))
 *		*f = remap(*f);
 */
enum bk__field_kind { BK__FIELD_IDS, BK__FIELD_STRS };
struct bk__field_iter {
	uint32_t *one;   /* a single field before the run (the name), or NULL */
	uint32_t *next;  /* next field of the run */
	int32_t stride;  /* words between fields of the run */
	uint32_t left;   /* fields of the run not yet visited */
};
BK_HIDDEN int bk__field_iter_init(struct bk__field_iter *it, struct bk_type *t,
				  enum bk__field_kind which);
BK_HIDDEN uint32_t *bk__field_iter_next(struct bk__field_iter *it);

/* ---- dedup/dedup.c --------------------------------------------------------- */
struct bk_dedup_opts;
/*
 * bk_btf_dedup that also reports where every type went: id_map (NULL, or
 * bk_btf_type_cnt(btf) entries, the count before the call) receives for
 * each ID the final ID of its canonical type (base IDs map to themselves).
 * Written only on success.
 */
BK_HIDDEN int bk__btf_dedup_map(struct bk_btf *btf, const struct bk_dedup_opts *opts,
				uint32_t *id_map);

/* ---- bits ------------------------------------------------------------- */
/*
 * Bits set in x. Written out: without -mpopcnt, __builtin_popcountll is a
 * call into libgcc (__popcountdi2: 3.4% of 'btfkit stats' over a tree).
 */
static inline uint32_t bk__popcount64(uint64_t x)
{
	x = x - ((x >> 1) & 0x5555555555555555ull);
	x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
	return (uint32_t)((x * 0x0101010101010101ull) >> 56);
}

/* ---- hash ------------------------------------------------------------- */
/*
 * 32-bit string hash, shared by the name indexes, strset and dedup's string
 * phase: 8 bytes a multiply (the byte-at-a-time FNV-1a it replaced was the
 * top function of a one-module split dedup, hashing the base's strings).
 * Host byte order: the values never leave the process.
 */
static inline uint32_t bk__str_hash(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull ^ len, w;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		memcpy(&w, s + i, 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15ull;
		h ^= h >> 32;
	}
	for (w = 0; i < len; i++)
		w = w << 8 | (uint8_t)s[i];
	h = (h ^ w) * 0xbf58476d1ce4e5b9ull;
	return (uint32_t)(h ^ (h >> 32));
}

/* ---- options structs ---------------------------------------------------- */
/*
 * Every public options struct starts with size_t sz, the caller's
 * sizeof(struct ...): the one way the library reads one is to copy the
 * caller's struct over a local one holding the defaults,
 *	struct bk_dump_opts o = { .sz = sizeof(o) };	// the defaults
 *	if ((err = bk__opts_get(&o, sizeof(o), opts)))	// opts may be NULL
 *		return err;
 * so a caller built against an older, shorter struct gets the defaults for
 * the fields it does not have, and one built against a newer struct is
 * refused only when it sets a field this library does not know. A field
 * the library writes back (an out field) is written only where
 * bk__opts_has says the caller's struct has it.
 */
/* Are bytes [from, to) of p all zero? */
static inline bool bk__opts_tail_zero(const void *p, size_t from, size_t to)
{
	for (const unsigned char *c = (const unsigned char *)p + from, *e = (const unsigned char *)p + to;
	     c < e; c++)
		if (*c)
			return false;
	return true;
}

/*
 * Copy the caller's options src (may be NULL: defaults kept) into dst, a
 * struct of known bytes holding the defaults. -EINVAL when src's size is
 * smaller than the size field, -EOPNOTSUPP when it sets bytes past known.
 */
static inline int bk__opts_get(void *dst, size_t known, const void *src)
{
	size_t sz;

	if (!src)
		return 0;
	memcpy(&sz, src, sizeof(sz));
	if (sz < sizeof(size_t))
		return -EINVAL;
	if (sz > known && !bk__opts_tail_zero(src, known, sz))
		return -EOPNOTSUPP;
	memcpy((char *)dst + sizeof(size_t), (const char *)src + sizeof(size_t),
	       (sz < known ? sz : known) - sizeof(size_t));
	memcpy(dst, &known, sizeof(known));
	return 0;
}

/*
 * Does the caller's options struct (may be NULL) reach byte end, so that
 * an out field ending there may be written? For fields a struct returns.
 */
static inline bool bk__opts_has(const void *opts, size_t end)
{
	size_t sz;

	if (!opts)
		return false;
	memcpy(&sz, opts, sizeof(sz));
	return sz >= end;
}

/* ---- helpers ---------------------------------------------------------- */
static inline uint32_t bk__bswap32(uint32_t v) { return __builtin_bswap32(v); }
static inline uint16_t bk__bswap16(uint16_t v) { return __builtin_bswap16(v); }

/* Overflow-checked a + b <= limit for sizes. */
static inline bool bk__fits(uint64_t off, uint64_t len, uint64_t limit)
{
	return off <= limit && len <= limit - off;
}

#endif /* BTFKIT_INTERNAL_H */
