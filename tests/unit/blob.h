/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Hand-built inputs for the parser tests: raw BTF blobs assembled word by
 * word (so that malformed ones can be made on purpose), optionally
 * byte-swapped, and minimal ELF files (ELF32 or ELF64, either byte order)
 * wrapping a blob in a .BTF section.
 *
 *	struct bt_blob b;
 *	bt_blob_init(&b, 0);                  // 0: base BTF; else start_str_off
 *	uint32_t n = bt_str(&b, "int");       // global string offset
 *	bt_type(&b, n, BK_KIND_INT, 0, 0, 4); // 12-byte common part
 *	bt_word(&b, 32);                      // trailing data
 *	data = bt_blob_raw(&b, &opts, &size); // malloc'ed image
 *	bt_blob_free(&b);
 */
#ifndef BTFKIT_TEST_BLOB_H
#define BTFKIT_TEST_BLOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bt_blob {
	uint8_t *types;
	size_t types_len, types_cap;
	char *strs;
	size_t strs_len, strs_cap;
	uint32_t str_base;    /* start_str_off of the object the blob is for */
	uint8_t layout[4 * 128];
	uint32_t layout_len;  /* bytes of kind-layout entries */
};

/* Header overrides and output options of bt_blob_raw. */
struct bt_raw_opts {
	uint32_t hdr_len;       /* 0: 24, or 32 when there is a layout */
	bool swap;              /* emit opposite-endian */
	/* raw header fields used instead of the computed ones when set */
	bool set_type_off, set_type_len, set_str_off, set_str_len, set_layout;
	uint32_t type_off, type_len, str_off, str_len, layout_off, layout_len;
};

/* str_base: 0 for base BTF (the string section starts with ""), else the
 * split's start_str_off (the section starts empty). */
void bt_blob_init(struct bt_blob *b, uint32_t str_base);
void bt_blob_free(struct bt_blob *b);
/* Append s to the string section; returns its global offset. */
uint32_t bt_str(struct bt_blob *b, const char *s);
/* Append raw bytes to the string section (no NUL added). */
void bt_str_bytes(struct bt_blob *b, const void *p, size_t n);
void bt_word(struct bt_blob *b, uint32_t w);
/* The 12-byte common part of a type record. */
void bt_type(struct bt_blob *b, uint32_t name_off, unsigned kind, uint32_t vlen, bool kflag,
	     uint32_t size_or_type);
/* One kind-layout entry (for kind number kind). */
void bt_layout(struct bt_blob *b, unsigned kind, uint8_t info_sz, uint8_t elem_sz);
/* The layout table for the 20 known kinds, as libbpf writes it. */
void bt_layout_known(struct bt_blob *b);
/*
 * The blob as a raw BTF image: header | types | layout | strings. Returns a
 * malloc'ed buffer and its size. Swapping swaps every 32-bit word of the
 * header and types, the magic and the layout flags.
 */
uint8_t *bt_blob_raw(const struct bt_blob *b, const struct bt_raw_opts *o, size_t *size);

/* ELF file around a .BTF section (and a .BTF.base section when base_btf is set). */
struct bt_elf_opts {
	bool elf32;
	bool big_endian;
	const char *sec_name;   /* default ".BTF" */
	bool shoff_past_end;    /* section header table beyond the file */
	bool btf_past_end;      /* .BTF's sh_size reaches past the file */
	uint32_t btf_sh_type;   /* 0: SHT_PROGBITS */
	uint32_t btf_sh_flags;
	uint8_t elf_class;      /* 0: from elf32 */
	const void *base_btf;   /* bytes of a second section, after .BTF */
	size_t base_len;
	const char *base_sec_name; /* default ".BTF.base" */
};
uint8_t *bt_elf(const void *btf, size_t btf_len, const struct bt_elf_opts *o, size_t *size);

/* Write data to a new temporary file; returns its path (static buffer). */
const char *bt_tmpfile(const void *data, size_t size);
/* Parse from memory; NULL on failure with diag filled. */
struct bk_btf;
struct bk_diag;
struct bk_btf *bt_parse(const void *data, size_t size, struct bk_btf *base, struct bk_diag *diag);

/* blob_kinds.c: one type of every kind, and bpftool's raw dump of it. */
void bt_all_kinds(struct bt_blob *b);
extern const char bt_all_kinds_raw[];

#endif
