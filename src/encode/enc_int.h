/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Internals of the DWARF -> BTF encoder (docs/encode.md).
 *
 * Pipeline: the units of the file are cut into batches of consecutive units
 * (by size, so the cut depends on the input only). A batch is encoded into
 * its own standalone BTF object, one unit after the other: scan_unit.c walks
 * a unit's DIEs into entries (one per BTF type the unit produces, in DIE
 * order) and candidates (functions, per-CPU variables); emit.c turns the
 * entries into records. The batch is then deduplicated. Batches run on
 * worker threads; the driver (run.c) appends them to the result in
 * batch order and deduplicates it on a schedule fixed by type counts, so
 * the output bytes do not depend on the number of threads. Functions,
 * variables and their tags are added at the end (func.c, var.c), once
 * every unit is known: the function rules compare instances across units.
 *
 * Type IDs held in the candidate tables (return and parameter types,
 * variable types) follow the types through every dedup and append
 * (remap with the dedup's ID map).
 */
#ifndef BTFKIT_ENCODE_INT_H
#define BTFKIT_ENCODE_INT_H

#include "btfkit/encode.h"
#include "dw.h"

/* A growable array: cnt elements of size esz in p (grown by arr_push). */
struct arr {
	void *p;
	size_t cnt, cap;
};
/* Room for one more element of esz bytes; its address or NULL (-ENOMEM). */
void *bk__enc_arr_push(struct arr *a, size_t esz);
void bk__enc_arr_free(struct arr *a);
#define ARR_AT(a, type, i) (((type *)(a)->p)[i])

/* Function symbols by name (exact, and clones such as foo.isra.0 as "foo"). */
struct fsym {
	const char *name;   /* exact symbol name, or the part before the '.' */
	uint32_t len;
	uint32_t exact;     /* exact-name symbols */
	uint32_t addrs;     /* distinct addresses among the exact ones */
	uint32_t clones;    /* symbols name.suffix (suffix not cold/part) */
	const char *clone;  /* the first of those */
};

/* What an encode reads and decides with; read-only while workers run. */
struct enc {
	struct dw_file f;
	uint32_t features;      /* BK_ENC_* */
	uint64_t *lang_excl;    /* DW_LANG codes skipped */
	size_t nr_lang_excl;
	struct fsym *fsyms;     /* hash table, nr_fsyms_cap slots (name NULL = empty) */
	size_t fsyms_cap;
	bool have_fsyms;        /* the file has function symbols at all */
	const uint8_t *param_regs; /* DWARF registers of the first parameters */
	unsigned nr_param_regs;
	struct bk_encode_opts opts; /* the caller's, read with bk__opts_get */
};

/* fsym.c: build the function-symbol index of e->f (e->fsyms), -errno */
int bk__enc_fsyms_index(struct enc *e, struct bk_diag *diag);
/* The symbol entry of a function name, or NULL. */
const struct fsym *bk__enc_fsym(const struct enc *e, const char *name);
/* A note for the caller's log (opts->log), e.g. a skipped function; main thread only. */
void bk__enc_log(const struct enc *e, const char *fmt, ...) BK_PRINTF(2, 3);

/* ---- candidates, as the tables of a batch and of the result keep them ---- */

enum {
	FC_VARARG = 1,     /* a trailing ... */
	FC_CODE = 2,       /* an instance with code (not an abstract instance) */
	FC_EXTERNAL = 4,   /* DW_AT_external */
	FC_NOCALL = 8,     /* DW_AT_calling_convention DW_CC_nocall */
	FC_REORDERED = 16, /* parameters listed in another order than their origins */
};

struct fcand {
	const char *name;
	uint32_t ret;          /* return type ID (0 void) */
	uint32_t first_param;  /* in params */
	uint32_t nr_params;
	uint32_t first_tag;    /* in tags: DECL_TAGs of the function and its parameters */
	uint32_t nr_tags;
	uint32_t unit;         /* index of the unit in the file */
	uint64_t die;
	uint8_t flags;
};

/* A parameter: reg is the register it arrives in, -1 elsewhere, -2 no location. */
struct fparam {
	const char *name;
	uint32_t type;
	int8_t reg;
};

struct ftag {
	const char *value;
	int32_t comp;          /* -1 the function/variable, else the parameter index */
};

struct vcand {
	uint64_t off;          /* offset in .data..percpu */
	uint32_t sym;          /* index in f.percpu */
	uint32_t type;
	uint32_t first_tag, nr_tags;
	uint32_t unit;
	uint64_t die;
	bool external;
};

/*
 * Copies of strings in blocks that never move (so pointers to them stay
 * good when the blocks change hands): the candidates' names live here, not
 * in the input, whose pages would otherwise be read back in at the end.
 */
struct arena {
	struct ablock *head;
	size_t left;           /* free bytes at the end of head */
};
/* A copy of s in a, or NULL (-ENOMEM). */
const char *bk__enc_arena_strdup(struct arena *a, const char *s);

/* Functions, parameters, tags and variables of a batch (and of the result). */
struct cands {
	struct arr funcs, params, tags, vars;
	struct arena strs;     /* their names and tag values */
};
void bk__enc_cands_free(struct cands *c);
/* Append src to dst (which takes src's strings), type IDs shifted: IDs >= start move by shift. */
int bk__enc_cands_append(struct cands *dst, struct cands *src, uint32_t start, uint32_t shift);
/* Rewrite every type ID through map (a dedup's ID map). */
void bk__enc_cands_remap(struct cands *c, const uint32_t *map);

/*
 * The string section of a batch while it is built (bstrs.c): a NUL, then
 * .debug_str as it is (a name pointing into it needs no lookup: its
 * offset is where it points), then the other strings (inline
 * DW_FORM_string names, ...), deduplicated. Dedup later keeps only the
 * strings the types use, once. With compact, the strings used are marked
 * instead, and only they are copied when the batch is done (the records'
 * offsets rewritten): for files whose .debug_str is large next to a batch.
 */
struct bstrs {
	const char *dstr;
	size_t dlen;
	bool compact;
	uint64_t *used;        /* compact: a bit per .debug_str byte, set where a used string starts */
	struct bk__strset *extra;
};
/* The offset of s in the batch's strings, 0 for NULL or ""; 0 or -errno. */
int bk__enc_bstrs_off(struct bstrs *b, const char *s, uint32_t *off);
/* Give btf the batch's strings (and reset b); 0 or -ENOMEM. */
int bk__enc_bstrs_install(struct bstrs *b, struct bk_btf *btf);
void bk__enc_bstrs_free(struct bstrs *b);

/* ---- a unit, scanned (scan*.c) and emitted (emit.c) ------------------- */

/* A reference: a DIE key (section offset, KEY_TYPES for .debug_types), 0 = void, or an entry. */
#define KEY_TYPES (1ull << 63)
#define REF_ENT (1ull << 62)
#define IS_ENT(r) (((r) & (KEY_TYPES | REF_ENT)) == REF_ENT)

enum {
	E_ALIAS = 100,         /* no type of its own: stands for its ref (atomic, ...) */
	E_VOID,                /* stands for void (unspecified_type) */
};

enum {
	EF_DWARF2_BITS = 1,    /* some member needs its DW_AT_bit_offset converted */
	EF_SIGNED = 2,         /* an enum's underlying type is signed */
	EF_UNSIGNED = 4,       /* an enum's underlying type is known unsigned */
};

struct ent {
	uint64_t key;          /* the DIE (0 for made-up types) */
	uint64_t ref;          /* referenced type */
	const char *name;
	uint32_t size;         /* byte size; ARRAY: element count */
	uint32_t data;         /* INT: encoding word; DECL_TAG: component; ENUM: value size */
	uint32_t kids, nkids;  /* first kid (a list through kid.next), count */
	uint32_t last_kid;
	uint8_t kind;          /* BK_KIND_*, E_ALIAS or E_VOID */
	uint8_t flags;
	bool kflag;
	bool dims;             /* ARRAY: a dimension was seen */
};

/* A member, enumerator or parameter. */
struct kid {
	const char *name;
	uint64_t ref;          /* type; enumerator: value */
	uint64_t bit_off;      /* member: bit offset, or byte offset with a DWARF 2 bit_offset */
	uint32_t bits;         /* member: bitfield size */
	uint32_t next;         /* next kid of the same entry, UINT32_MAX at the end */
	uint32_t dw2_off;      /* DWARF 2 DW_AT_bit_offset */
	uint32_t dw2_size;     /* DWARF 2 member DW_AT_byte_size (0 absent) */
	bool dw2;              /* bit_off holds the byte offset; convert with dw2_* */
	bool neg;              /* enumerator given signed */
};

/* Key -> entry index, open addressing. */
struct keymap {
	uint64_t *keys;
	uint32_t *vals;
	size_t cap, cnt;
};
int bk__enc_keymap_put(struct keymap *m, uint64_t key, uint32_t val);
/* The value of key, or UINT32_MAX. */
uint32_t bk__enc_keymap_get(const struct keymap *m, uint64_t key);
void bk__enc_keymap_clear(struct keymap *m);
void bk__enc_keymap_free(struct keymap *m);

/* A function candidate while its unit is scanned: references by key. */
struct sfunc {
	uint64_t die;
	uint64_t origin;       /* DW_AT_abstract_origin / DW_AT_specification key, or 0 */
	const char *name;
	uint64_t ret;          /* key; resolved through origin when absent */
	bool has_ret;
	uint32_t first_param, nr_params;
	uint32_t first_tag, nr_tags;
	uint8_t flags;
	bool dead;             /* dropped (unnamed parameter, no symbol, ...) */
};

struct sparam {
	uint64_t die;
	uint64_t origin;
	const char *name;
	uint64_t type;
	bool has_type;
	int8_t reg;
};

struct svar {
	uint64_t die;
	uint64_t spec;         /* DW_AT_specification key, or 0 */
	uint64_t type;         /* key */
	uint64_t off;
	uint32_t sym;
	uint32_t first_tag, nr_tags;
	bool has_type;
	bool external;
};

/* The state of scanning one unit, reused from unit to unit by a worker. */
struct scan {
	const struct enc *e;
	struct dw_ctx ctx;          /* the unit being walked */
	struct dw_abbrevs abbrevs;
	struct dw_ctx fctx;         /* another unit, whose DIEs the unit refers to */
	struct dw_abbrevs fabbrevs;
	struct dw_holds holds;      /* units read for the unit (until bk__enc_scan_drop) */
	uint32_t unit;              /* index of the unit */
	bool rust;                  /* the unit's language is Rust */
	struct arr ents, kids;      /* struct ent, struct kid */
	struct keymap map;          /* DIE key -> entry */
	struct arr funcs, params, tags, vars; /* sfunc, sparam, ftag, svar */
	struct arr todo;            /* uint64_t keys of DIEs of other units to encode */
	struct arr imports;         /* uint64_t keys of imported units' roots */
	struct keymap seen;         /* keys queued in todo / imports */
	struct arr frames;
	struct arr ids, tmp;        /* emit.c: entry -> type ID; a struct's members */
	struct bstrs *strs;         /* emit.c: the batch's strings */
	uint32_t int_ent;           /* the unit's "int" (array index type), UINT32_MAX */
	struct bk_diag *diag;
};

void bk__enc_scan_free(struct scan *s);
/* The unit is emitted: let go of the units read for it (their bytes may go). */
void bk__enc_scan_drop(struct scan *s);
/*
 * Scan unit index ui of e->f into s (cleared first). Returns 0; 1 when the
 * unit is skipped (a language excluded, a partial or type unit, read only
 * through references to it); 2 for a skeleton unit (its DWARF is in a .dwo
 * file); or -errno with s->diag set.
 */
int bk__enc_scan_unit(struct scan *s, const struct enc *e, uint32_t ui);
/* Add the scanned unit's types to btf (strings in strs) and its candidates to out. */
int bk__enc_emit_unit(struct scan *s, struct bk_btf *btf, struct bstrs *strs, struct cands *out);

/* ---- the run (run.c) and the end: functions and variables (func.c, var.c) */

/* Encode e's file (opened, options set): the BTF, or NULL with diag set. */
struct bk_btf *bk__enc_run(struct enc *e, struct bk_btf *base, unsigned jobs, struct bk_diag *diag);

/* Decide which candidate functions get a FUNC and add them (with tags). */
int bk__enc_func_add_all(const struct enc *e, struct bk_btf *btf, struct cands *c, struct bk_diag *diag);
/* Add the per-CPU VARs, their tags and the .data..percpu DATASEC. */
int bk__enc_var_add_all(const struct enc *e, struct bk_btf *btf, struct cands *c, struct bk_diag *diag);

#endif /* BTFKIT_ENCODE_INT_H */
