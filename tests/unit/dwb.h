/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A DWARF builder for the encoder's unit tests: hand-made .debug_abbrev,
 * .debug_info and .debug_str in an ELF64 little-endian image (ET_EXEC,
 * x86-64), with a symbol table and a .data..percpu section, so a test says
 * exactly which DIEs, forms and symbols the encoder sees, well formed or
 * not. Values are written in the order the abbreviation lists them:
 *
 *	struct dwb *b = dwb_new(5);
 *	unsigned a_int = dwb_abbrev(b, DW_TAG_base_type, false, DW_AT_name, DW_FORM_strp,
 *				    DW_AT_byte_size, DW_FORM_data1, DW_AT_encoding, DW_FORM_data1, 0);
 *	dwb_cu_begin(b, DW_LANG_C11);
 *	dwb_die(b, a_int, 1);                  // DIE id 1
 *	dwb_strp(b, "int"); dwb_u8(b, 4); dwb_u8(b, DW_ATE_signed);
 *	dwb_cu_end(b);
 *	img = dwb_elf(b, &size);
 *
 * A reference (dwb_ref4) names a DIE id; ids are resolved when the unit
 * ends (unit-relative, as DW_FORM_ref4 is), dwb_ref_addr when the image is
 * made (section offsets). Ids are global to the builder.
 */
#ifndef BTFKIT_TEST_DWB_H
#define BTFKIT_TEST_DWB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dwb;

struct dwb *dwb_new(unsigned version);
void dwb_free(struct dwb *b);
/* An abbreviation: tag, children flag, then (attribute, form) pairs ending with 0. Returns its code. */
unsigned dwb_abbrev(struct dwb *b, unsigned tag, bool children, ...);
/* DW_FORM_implicit_const's value for the last abbreviation's last attribute. */
void dwb_implicit(struct dwb *b, int64_t v);
/* Start a compile unit (root DIE: name "t.c", language lang); its children follow. */
void dwb_cu_begin(struct dwb *b, unsigned lang);
/* Close the root's children and the unit. */
void dwb_cu_end(struct dwb *b);
/* Start a partial unit (dwz; DWARF 5 unit type DW_UT_partial), closed with dwb_cu_end. */
void dwb_pu_begin(struct dwb *b);
/*
 * Start a type unit (DWARF 5, DW_UT_type) of signature sig whose type DIE
 * is the DIE named type_id (written later in the unit); dwb_cu_end closes it.
 */
void dwb_tu_begin(struct dwb *b, uint64_t sig, unsigned type_id);
/* A DIE with abbreviation code; id > 0 names it for references. */
void dwb_die(struct dwb *b, unsigned code, unsigned id);
/* The null entry closing a DIE's children. */
void dwb_end(struct dwb *b);
void dwb_u8(struct dwb *b, uint8_t v);
void dwb_u16(struct dwb *b, uint16_t v);
void dwb_u32(struct dwb *b, uint32_t v);
void dwb_u64(struct dwb *b, uint64_t v);
void dwb_uleb(struct dwb *b, uint64_t v);
void dwb_sleb(struct dwb *b, int64_t v);
void dwb_str(struct dwb *b, const char *s);   /* DW_FORM_string */
void dwb_strp(struct dwb *b, const char *s);  /* DW_FORM_strp: into .debug_str */
void dwb_ref4(struct dwb *b, unsigned id);     /* DW_FORM_ref4 */
void dwb_ref_addr(struct dwb *b, unsigned id); /* DW_FORM_ref_addr */
void dwb_ref_sig8(struct dwb *b, uint64_t sig); /* DW_FORM_ref_sig8 */
void dwb_bytes(struct dwb *b, const void *p, size_t n);
/* An exprloc (DW_FORM_exprloc) holding n bytes. */
void dwb_expr(struct dwb *b, const uint8_t *p, size_t n);
/* A symbol: a function in .text or an object in .data..percpu (percpu true). */
void dwb_sym(struct dwb *b, const char *name, bool func, bool global, bool percpu, uint64_t value,
	     uint64_t size);
/* The ELF image (malloc'ed; the caller frees it); *size its length. */
uint8_t *dwb_elf(struct dwb *b, size_t *size);
/* The .debug_info offset where the next byte goes (to corrupt on purpose). */
size_t dwb_info_pos(const struct dwb *b);
/* Overwrite .debug_info byte at pos. */
void dwb_poke(struct dwb *b, size_t pos, uint8_t v);

#endif
