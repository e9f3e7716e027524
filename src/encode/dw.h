/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The DWARF reader behind the encoder: a file's debug sections (dw_elf.c),
 * its units and abbreviation tables, and DIE decoding (dw_die.c). It reads
 * DWARF 2 to 5, 32- and 64-bit DWARF, either byte order, .debug_info and
 * .debug_types, with strings from .debug_str, .debug_line_str and
 * .debug_str_offsets, relocations applied for relocatable objects and
 * SHF_COMPRESSED sections inflated.
 *
 * Why our own reader and not libdw (docs/encode.md has the figures): a
 * bare libdw walk over the 14.2 million DIEs of a Debian vmlinux, reading
 * no attribute, already takes the whole time the encoder may take. Here a
 * DIE is decoded in one pass over its abbreviation's attribute list, each
 * attribute either skipped by its form or stored in a fixed slot (enum
 * dw_slot) that the encoder reads without searching.
 *
 * Invariants: every section is (data, size) in memory and every read is
 * bounds-checked against the end of the unit or section it belongs to;
 * a string handed out is NUL-terminated inside its section (string
 * sections are cut after their last NUL). Offsets stored in dw_die
 * (references) are section offsets, not yet checked to name a DIE: the
 * caller checks them against the unit list (dw_unit_of).
 */
#ifndef BTFKIT_ENCODE_DW_H
#define BTFKIT_ENCODE_DW_H

#include <gelf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "internal.h"

/* Debug sections the encoder reads. */
enum dw_sec_id {
	DS_INFO, DS_TYPES, DS_ABBREV, DS_STR, DS_LINE_STR, DS_STR_OFFSETS, DS_ADDR, DS_LOC,
	DS_LOCLISTS, DS_NR
};

struct dw_sec {
	const uint8_t *data;
	size_t size;
};

/* One unit (compile, partial, type or skeleton) of .debug_info or .debug_types. */
struct dw_unit {
	uint64_t off;        /* offset of the unit header in its section */
	uint64_t end;        /* one past the unit */
	uint64_t die_off;    /* offset of the root DIE */
	uint64_t abbrev_off; /* in .debug_abbrev */
	uint64_t sig;        /* type units: the type signature */
	uint64_t type_off;   /* type units: section offset of the type DIE */
	uint16_t version;
	uint8_t type;        /* DW_UT_* (DWARF 2-4 compile units are DW_UT_compile) */
	uint8_t addr_size;   /* 4 or 8 */
	uint8_t off_size;    /* 4 (32-bit DWARF) or 8 */
	uint8_t sec;         /* DS_INFO or DS_TYPES */
};

/* A function or per-CPU object symbol of the ELF symbol table. */
struct dw_sym {
	const char *name;
	uint64_t value;
	uint64_t size;
	uint32_t shndx;
	uint32_t idx;    /* index in the symbol table */
};

struct dw_file {
	const uint8_t *image; /* the whole file */
	size_t size;
	void *map;            /* non-NULL: image is our mapping of map_len bytes */
	size_t map_len;
	int fd;               /* the file (image is all of it), or -1: read with pread where
				 mapping pages would cost more (dw_rel.c); not owned */
	bool swap;            /* file byte order differs from the host's */
	bool big_endian;
	bool is_rel;          /* ET_REL: relocations were applied */
	uint8_t elf_class;    /* 4 or 8 (pointer size) */
	uint16_t machine;
	struct dw_sec sec[DS_NR];
	void *owned[DS_NR];   /* heap copies (relocated or inflated sections) */
	struct dw_unit *units;
	size_t nr_units;
	/* type units by signature, sorted by sig */
	struct dw_sigent { uint64_t sig; uint32_t unit; } *sigs;
	size_t nr_sigs;
	/* defined STT_FUNC symbols; STT_OBJECT symbols of .data..percpu */
	struct dw_sym *funcs;
	size_t nr_funcs;
	struct dw_sym *percpu;
	size_t nr_percpu;
	bool has_percpu;      /* the file has a .data..percpu section */
	uint64_t percpu_addr; /* its address (ET_REL: as laid out, below); percpu symbol
				 values are offsets in it */
	/*
	 * ET_REL: the address each allocated section is given when relocating,
	 * as a linker would lay them out (a nonzero, distinct range each), so
	 * that a DW_OP_addr tells which section it points into.
	 */
	uint64_t *sec_addr;
	size_t nr_sec_addr;
	uint32_t percpu_shndx;
	uint64_t percpu_sh_addr; /* its sh_addr */
	void *elf;            /* the libelf handle (symbol names point into it) */
	struct dw_rel *rel;   /* ET_REL: units' sections relocated unit by unit (dw_rel.c) */
};

/*
 * Open the ELF image data[0..size) (which must outlive the result, unless
 * map is non-NULL: then the dw_file owns the mapping) and index its units.
 * fd, when not -1, is the open file the image is all of (kept open by the
 * caller until bk__dw_close).
 * Fails with a message in diag: not ELF, no DWARF (-ENOENT), malformed
 * sections or unit headers, unsupported relocations or compression.
 */
int bk__dw_open(struct dw_file *f, const uint8_t *data, size_t size, void *map, size_t map_len,
		int fd, struct bk_diag *diag);
void bk__dw_close(struct dw_file *f);
/* The unit holding section offset off of section sec, or NULL. */
const struct dw_unit *bk__dw_unit_of(const struct dw_file *f, unsigned sec, uint64_t off);
/* The type unit of a signature, or NULL. */
const struct dw_unit *bk__dw_unit_by_sig(const struct dw_file *f, uint64_t sig);
/* Readers of a mapped section release what they passed every this many bytes. */
#define DW_RELEASE_CHUNK ((uint64_t)16 << 20)
/* Let the kernel drop cached pages of [off, end) of a mapped section (a hint). */
void bk__dw_release(const struct dw_file *f, unsigned sec, uint64_t off, uint64_t end);

/* ---- the image (dw_image.c) ---------------------------------------------- */

extern const char *const bk__dw_sec_names[DS_NR];
/* Make section id a heap copy (of the image's bytes) we may change. */
int bk__dw_own_sec(struct dw_file *f, unsigned id);
/* Give back the whole pages inside [p, p + len) (madvise MADV_DONTNEED). */
void bk__dw_drop_pages(const void *p, size_t len);
/* Drop the pages of image bytes [p, p + len) we mapped (whole pages inside only). */
void bk__dw_release_image(const struct dw_file *f, const void *p, size_t len);

/* ---- relocations (dw_rel.c) --------------------------------------------- */

/*
 * Apply relocation section rscn (header rsh) to debug section id: all at
 * once, or (lazy, and the section is .debug_info or .debug_types with its
 * relocations in offset order) unit by unit as readers hold the units.
 * Every relocation is checked here.
 */
int bk__dw_relocate(struct dw_file *f, Elf *elf, Elf_Scn *rscn, const GElf_Shdr *rsh, unsigned id,
		    bool lazy, struct bk_diag *diag);
/* While indexing: relocate the header of the unit at off of sec. */
void bk__dw_rel_header(const struct dw_file *f, unsigned sec, uint64_t off);
/* After indexing: find each unit's relocations; headers' pages dropped. */
int bk__dw_rel_index(struct dw_file *f, struct bk_diag *diag);
void bk__dw_rel_free(struct dw_file *f);

/*
 * The units one reader holds: a unit's bytes may be read only while held
 * (bk__dw_hold before reading it; a no-op unless it is relocated lazily),
 * until bk__dw_drop lets go of them all. Any number of readers (threads),
 * each with its own dw_holds.
 */
struct dw_holds {
	uint32_t *list;   /* unit indices */
	size_t n, cap;
	uint8_t *bits;    /* one bit per unit: in list */
};
int bk__dw_hold(const struct dw_file *f, const struct dw_unit *u, struct dw_holds *h);
void bk__dw_drop(const struct dw_file *f, struct dw_holds *h);
void bk__dw_holds_free(struct dw_holds *h);

/* ---- abbreviations ------------------------------------------------------ */

/* Attributes the encoder reads; every other one is skipped by its form. */
enum dw_slot {
	S_NAME, S_TYPE, S_BYTE_SIZE, S_BIT_SIZE, S_MEMBER_LOC, S_DATA_BIT_OFF, S_BIT_OFF,
	S_UPPER_BOUND, S_COUNT, S_ENCODING, S_DECLARATION, S_EXTERNAL, S_CONST_VALUE,
	S_LOCATION, S_ABSTRACT_ORIGIN, S_SPECIFICATION, S_LOW_PC, S_RANGES, S_LANGUAGE,
	S_STR_OFF_BASE, S_ADDR_BASE, S_LOCLISTS_BASE, S_IMPORT, S_CALLING_CONV, S_DWO,
	S_PRODUCER, S_NR
};
#define DW_NO_SLOT 0xff

struct dw_spec {
	uint16_t at, form;
	uint8_t slot;          /* enum dw_slot or DW_NO_SLOT */
	/*
	 * skip_n > 0: this and the next skip_n - 1 attributes are not stored
	 * and have forms of a fixed size, skip_len bytes in all: the decoder
	 * steps over them at once (most of a DIE's attributes: decl_file,
	 * decl_line, sibling, ...).
	 */
	uint8_t skip_n;
	uint16_t skip_len;
	int64_t implicit;      /* DW_FORM_implicit_const's value */
};

struct dw_abbrev {
	uint64_t code;
	uint16_t tag;
	bool children;
	uint32_t nspec;
	const struct dw_spec *spec;
};

/* One abbreviation table, indexed by code (directly when codes are dense). */
struct dw_abbrevs {
	uint64_t off;           /* offset in .debug_abbrev; UINT64_MAX: none */
	uint8_t addr_size, off_size, version; /* the unit sizes skip lengths were computed for */
	struct dw_abbrev *list; /* in table order */
	size_t nr;
	struct dw_abbrev **direct; /* code -> abbrev when dense (code < nr_direct) */
	size_t nr_direct;
	struct dw_spec *specs;
	size_t nr_specs;
};

/* Parse (or keep, when it is the same) the table of unit u. */
int bk__dw_abbrevs_load(const struct dw_file *f, struct dw_abbrevs *a, const struct dw_unit *u,
			struct bk_diag *diag);
void bk__dw_abbrevs_free(struct dw_abbrevs *a);

/* ---- DIEs ------------------------------------------------------------------ */

/* How a stored attribute value reads. */
enum dw_cls {
	C_UDATA,   /* unsigned constant, flag or address: v */
	C_SDATA,   /* signed constant: (int64_t)v */
	C_REF,     /* reference: v is an offset in the unit's section */
	C_SIG,     /* DW_FORM_ref_sig8: v is a type signature */
	C_STR,     /* string: v is a const char * */
	C_STRX,    /* string by index into .debug_str_offsets: v (resolve with dw_str) */
	C_ADDRX,   /* address by index into .debug_addr: v */
	C_BLOCK,   /* block or exprloc: v is a pointer, len its length */
	C_SECOFF,  /* DW_FORM_sec_offset: v is an offset into another section */
	C_LISTX,   /* DW_FORM_loclistx/rnglistx: v is an index */
	C_UNSUP,   /* a form we cannot follow (supplementary-file forms) */
};

struct dw_die {
	uint64_t off;                /* section offset of the DIE */
	const struct dw_abbrev *ab;  /* NULL for a null entry (end of siblings) */
	uint32_t have;               /* bit (1 << slot) per stored slot */
	uint8_t cls[S_NR];
	uint32_t len[S_NR];          /* block lengths */
	uint64_t v[S_NR];
};

static inline bool dw_has(const struct dw_die *d, enum dw_slot s)
{
	return d->have & (1u << s);
}

/* Reading context: one unit, its abbreviations and its base attributes. */
struct dw_ctx {
	const struct dw_file *f;
	const struct dw_unit *u;
	struct dw_abbrevs *abbrevs;
	const uint8_t *sec;       /* the unit's section data */
	uint64_t str_off_base;    /* DW_AT_str_offsets_base (DWARF 5; 8 by default) */
	uint64_t addr_base;
	uint64_t loclists_base;
	struct bk_diag *diag;
};

/* Set up ctx for unit u (loads its abbreviations into abbrevs). */
int bk__dw_ctx_init(struct dw_ctx *c, const struct dw_file *f, const struct dw_unit *u,
		struct dw_abbrevs *abbrevs, struct bk_diag *diag);
/* Read the unit's base attributes from its root DIE (already decoded). */
void bk__dw_ctx_bases(struct dw_ctx *c, const struct dw_die *root);
/*
 * Decode the DIE at section offset off (inside c's unit); *next receives
 * the offset of the entry that follows it (its first child if it has
 * children). 0, or -EINVAL with the reason in c->diag.
 */
int bk__dw_die_read(struct dw_ctx *c, uint64_t off, struct dw_die *d, uint64_t *next);
/* The string of a C_STR/C_STRX slot, or NULL (absent, or index out of range). */
const char *bk__dw_str(const struct dw_ctx *c, const struct dw_die *d, enum dw_slot s);
/* An unsigned constant slot (C_UDATA or C_SDATA); false if absent or not constant. */
bool bk__dw_const(const struct dw_die *d, enum dw_slot s, uint64_t *v);
/*
 * The register a parameter's location puts its value in at entry: its
 * single DW_OP_regN expression (or the first such expression of its
 * location list), or DW_OP_entry_value(DW_OP_regN). Returns N, -1 when
 * the location is something else, -2 when it has none.
 */
int bk__dw_param_reg(struct dw_ctx *c, const struct dw_die *d);
/* The address of a DW_OP_addr/DW_OP_addrx location, or false. */
bool bk__dw_var_addr(struct dw_ctx *c, const struct dw_die *d, uint64_t *addr);
/* Name of a tag for messages ("DW_TAG_structure_type", or "DW_TAG_0x4107"). */
const char *bk__dw_tag_name(unsigned tag, char *buf, size_t size);
/* Language name of a DW_LANG_* code ("c", "c++", "rust", ...) or NULL. */
const char *bk__dw_lang_name(uint64_t lang);
/* The DW_LANG_* code of name[0..len), as dw_lang_name names it; false if unknown. */
bool bk__dw_lang_code(const char *name, size_t len, uint64_t *code);

/* ---- byte readers ------------------------------------------------------ */

/* A bounded read cursor: reads past end set bad and return 0. */
struct dw_rd {
	const uint8_t *p, *end;
	bool swap;
	bool bad;
};

static inline uint8_t rd_u8(struct dw_rd *r)
{
	if (r->p >= r->end) {
		r->bad = true;
		return 0;
	}
	return *r->p++;
}

static inline uint64_t rd_fixed(struct dw_rd *r, unsigned n)
{
	uint64_t v = 0;

	if ((size_t)(r->end - r->p) < n) {
		r->bad = true;
		r->p = r->end;
		return 0;
	}
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (!r->swap && n <= 8) {
		memcpy(&v, r->p, n);
		r->p += n;
		return v;
	}
#endif
	if (r->swap == (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__)) {
		for (unsigned i = 0; i < n; i++)
			v |= (uint64_t)r->p[i] << (8 * i);
	} else {
		for (unsigned i = 0; i < n; i++)
			v = v << 8 | r->p[i];
	}
	r->p += n;
	return v;
}

static inline uint64_t rd_uleb(struct dw_rd *r)
{
	uint64_t v = 0;
	unsigned shift = 0;

	while (r->p < r->end) {
		uint8_t b = *r->p++;

		if (shift < 64)
			v |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
		if (!(b & 0x80))
			return v;
	}
	r->bad = true;
	return 0;
}

static inline int64_t rd_sleb(struct dw_rd *r)
{
	uint64_t v = 0;
	unsigned shift = 0;
	uint8_t b = 0;

	while (r->p < r->end) {
		b = *r->p++;
		if (shift < 64)
			v |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
		if (!(b & 0x80)) {
			if (shift < 64 && (b & 0x40))
				v |= ~(uint64_t)0 << shift;
			return (int64_t)v;
		}
	}
	r->bad = true;
	return 0;
}

static inline void rd_skip(struct dw_rd *r, uint64_t n)
{
	if ((uint64_t)(r->end - r->p) < n) {
		r->bad = true;
		r->p = r->end;
		return;
	}
	r->p += n;
}

#endif /* BTFKIT_ENCODE_DW_H */
