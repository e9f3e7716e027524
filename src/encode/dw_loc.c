// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * DWARF location expressions and lists, only as far as the encoder needs
 * them: the register a parameter holds at function entry (the function
 * rules, docs/encode.md), and the static address of a variable (per-CPU
 * variables). Plus the names of tags and languages for messages and
 * --lang-exclude.
 *
 * A location list is walked entry by entry (.debug_loc for DWARF 2-4,
 * .debug_loclists for DWARF 5, every entry kind), bounded by its section;
 * an expression is looked at only when it is one operation, optionally
 * followed by DW_OP_stack_value.
 */
#include <stdio.h>

#include "dw.h"

#define DW_OP_addr 0x03
#define DW_OP_reg0 0x50
#define DW_OP_reg31 0x6f
#define DW_OP_regx 0x90
#define DW_OP_stack_value 0x9f
#define DW_OP_addrx 0xa1
#define DW_OP_entry_value 0xa3
#define DW_OP_GNU_entry_value 0xf3
#define DW_OP_GNU_addr_index 0xfb

/*
 * The register of expression [p, p+len): DW_OP_regN / DW_OP_regx, or
 * DW_OP_entry_value of one of those; -1 for anything else.
 */
static int expr_reg(const struct dw_file *f, const uint8_t *p, uint64_t len, int depth)
{
	struct dw_rd r = { p, p + len, f->swap, false };
	uint8_t op;
	int reg = -1;

	if (!len)
		return -1;
	if (len > 1 && p[len - 1] == DW_OP_stack_value)
		r.end--;
	op = rd_u8(&r);
	if (op >= DW_OP_reg0 && op <= DW_OP_reg31) {
		reg = op - DW_OP_reg0;
	} else if (op == DW_OP_regx) {
		uint64_t n = rd_uleb(&r);

		reg = n > 0xffff ? -1 : (int)n;
	} else if (op == DW_OP_entry_value || op == DW_OP_GNU_entry_value) {
		uint64_t sub = rd_uleb(&r);
		const uint8_t *s = r.p;

		if (r.bad || sub > (uint64_t)(r.end - r.p))
			return -1;
		rd_skip(&r, sub);
		if (depth > 1)
			return -1;
		reg = expr_reg(f, s, sub, depth + 1);
		if (reg < 0)
			return -1;
	} else {
		return -1;
	}
	return r.bad || r.p != r.end ? -1 : reg;
}

/*
 * The expression of len bytes at r (skipped): its register, -1 for none,
 * -2 when it runs past the list's section (the list ends there).
 */
static int next_expr_reg(const struct dw_file *f, struct dw_rd *r, uint64_t len)
{
	const uint8_t *e = r->p;

	rd_skip(r, len);
	if (r->bad)
		return -2;
	return expr_reg(f, e, len, 0);
}

/* DWARF 2-4 .debug_loc list at off: the first entry whose expression is a register. */
static int loc_list_reg(struct dw_ctx *c, uint64_t off)
{
	const struct dw_sec *s = &c->f->sec[DS_LOC];
	unsigned asz = c->u->addr_size;
	uint64_t all = asz == 8 ? UINT64_MAX : UINT32_MAX;
	struct dw_rd r;

	if (off >= s->size)
		return -1;
	r = (struct dw_rd){ s->data + off, s->data + s->size, c->f->swap, false };
	while (!r.bad) {
		uint64_t lo = rd_fixed(&r, asz), hi = rd_fixed(&r, asz), len;
		int reg;

		if (r.bad || (!lo && !hi))
			break;
		if (lo == all)
			continue; /* base address selection */
		len = rd_fixed(&r, 2);
		if ((reg = next_expr_reg(c->f, &r, len)) != -1)
			return reg < 0 ? -1 : reg;
	}
	return -1;
}

/* DWARF 5 .debug_loclists list at off. */
static int loclists_reg(struct dw_ctx *c, uint64_t off)
{
	const struct dw_sec *s = &c->f->sec[DS_LOCLISTS];
	unsigned asz = c->u->addr_size;
	struct dw_rd r;

	if (off >= s->size)
		return -1;
	r = (struct dw_rd){ s->data + off, s->data + s->size, c->f->swap, false };
	while (!r.bad) {
		uint8_t kind = rd_u8(&r);
		bool expr = true;
		uint64_t len;
		int reg;

		switch (kind) {
		case 0: /* DW_LLE_end_of_list */
			return -1;
		case 1: /* base_addressx */
			rd_uleb(&r);
			expr = false;
			break;
		case 2: /* startx_endx */
		case 3: /* startx_length */
		case 4: /* offset_pair */
			rd_uleb(&r);
			rd_uleb(&r);
			break;
		case 5: /* default_location */
			break;
		case 6: /* base_address */
			rd_fixed(&r, asz);
			expr = false;
			break;
		case 7: /* start_end */
			rd_fixed(&r, asz);
			rd_fixed(&r, asz);
			break;
		case 8: /* start_length */
			rd_fixed(&r, asz);
			rd_uleb(&r);
			break;
		case 9: /* GNU view pair */
			rd_uleb(&r);
			rd_uleb(&r);
			expr = false;
			break;
		default:
			return -1;
		}
		if (!expr)
			continue;
		len = rd_uleb(&r);
		if ((reg = next_expr_reg(c->f, &r, len)) != -1)
			return reg < 0 ? -1 : reg;
	}
	return -1;
}

int bk__dw_param_reg(struct dw_ctx *c, const struct dw_die *d)
{
	uint64_t v;

	if (!dw_has(d, S_LOCATION))
		return -2;
	v = d->v[S_LOCATION];
	switch (d->cls[S_LOCATION]) {
	case C_BLOCK:
		return expr_reg(c->f, (const uint8_t *)(uintptr_t)v, d->len[S_LOCATION], 0);
	case C_SECOFF:
		return c->u->version >= 5 ? loclists_reg(c, v) : loc_list_reg(c, v);
	case C_LISTX: {
		const struct dw_sec *s = &c->f->sec[DS_LOCLISTS];
		unsigned osz = c->u->off_size;
		struct dw_rd r;
		uint64_t at;

		if (v > (UINT64_MAX - c->loclists_base) / osz)
			return -1;
		at = c->loclists_base + v * osz;
		if (!bk__fits(at, osz, s->size))
			return -1;
		r = (struct dw_rd){ s->data + at, s->data + s->size, c->f->swap, false };
		v = rd_fixed(&r, osz);
		if (v > UINT64_MAX - c->loclists_base)
			return -1;
		return loclists_reg(c, c->loclists_base + v);
	}
	default:
		return -1;
	}
}

bool bk__dw_var_addr(struct dw_ctx *c, const struct dw_die *d, uint64_t *addr)
{
	const struct dw_sec *as = &c->f->sec[DS_ADDR];
	unsigned asz = c->u->addr_size;
	struct dw_rd r;
	uint8_t op;

	if (!dw_has(d, S_LOCATION) || d->cls[S_LOCATION] != C_BLOCK)
		return false;
	r = (struct dw_rd){ (const uint8_t *)(uintptr_t)d->v[S_LOCATION], NULL, c->f->swap, false };
	r.end = r.p + d->len[S_LOCATION];
	op = rd_u8(&r);
	if (op == DW_OP_addr) {
		*addr = rd_fixed(&r, asz);
	} else if (op == DW_OP_addrx || op == DW_OP_GNU_addr_index) {
		uint64_t idx = rd_uleb(&r), at;
		struct dw_rd ra;

		if (r.bad || idx > (UINT64_MAX - c->addr_base) / asz)
			return false;
		at = c->addr_base + idx * asz;
		if (!bk__fits(at, asz, as->size))
			return false;
		ra = (struct dw_rd){ as->data + at, as->data + as->size, c->f->swap, false };
		*addr = rd_fixed(&ra, asz);
	} else {
		return false;
	}
	return !r.bad && r.p == r.end;
}

static const struct { uint16_t tag; const char *name; } tag_names[] = {
	{ 0x01, "array_type" }, { 0x02, "class_type" }, { 0x04, "enumeration_type" },
	{ 0x05, "formal_parameter" }, { 0x0d, "member" }, { 0x0f, "pointer_type" },
	{ 0x10, "reference_type" }, { 0x11, "compile_unit" }, { 0x12, "string_type" },
	{ 0x13, "structure_type" }, { 0x15, "subroutine_type" }, { 0x16, "typedef" },
	{ 0x17, "union_type" }, { 0x18, "unspecified_parameters" }, { 0x19, "variant" },
	{ 0x1f, "ptr_to_member_type" }, { 0x20, "set_type" }, { 0x21, "subrange_type" },
	{ 0x24, "base_type" }, { 0x26, "const_type" }, { 0x28, "enumerator" },
	{ 0x2a, "file_type" }, { 0x2e, "subprogram" }, { 0x34, "variable" },
	{ 0x35, "volatile_type" }, { 0x37, "restrict_type" }, { 0x38, "interface_type" },
	{ 0x39, "namespace" }, { 0x3b, "unspecified_type" }, { 0x3c, "partial_unit" },
	{ 0x3d, "imported_unit" }, { 0x41, "type_unit" }, { 0x42, "rvalue_reference_type" },
	{ 0x43, "template_alias" }, { 0x44, "coarray_type" }, { 0x45, "generic_subrange" },
	{ 0x46, "dynamic_type" }, { 0x47, "atomic_type" }, { 0x4a, "skeleton_unit" },
	{ 0x4b, "immutable_type" }, { 0x6000, "LLVM_annotation" },
};

const char *bk__dw_tag_name(unsigned tag, char *buf, size_t size)
{
	for (size_t i = 0; i < sizeof(tag_names) / sizeof(tag_names[0]); i++) {
		if (tag_names[i].tag == tag) {
			snprintf(buf, size, "DW_TAG_%s", tag_names[i].name);
			return buf;
		}
	}
	snprintf(buf, size, "DW_TAG_0x%x", tag);
	return buf;
}

/* pahole's names (lang__str2int), so --lang-exclude reads the same. */
static const struct { uint16_t lang; const char *name; } lang_names[] = {
	{ 0x01, "c89" }, { 0x02, "c" }, { 0x03, "ada83" }, { 0x04, "c++" },
	{ 0x05, "cobol74" }, { 0x06, "cobol85" }, { 0x07, "fortran77" }, { 0x08, "fortran90" },
	{ 0x09, "pascal83" }, { 0x0a, "modula2" }, { 0x0b, "java" }, { 0x0c, "c99" },
	{ 0x0d, "ada95" }, { 0x0e, "fortran95" }, { 0x0f, "pli" }, { 0x10, "objc" },
	{ 0x11, "objc++" }, { 0x12, "upc" }, { 0x13, "d" }, { 0x14, "python" },
	{ 0x15, "opencl" }, { 0x16, "go" }, { 0x17, "modula3" }, { 0x18, "haskell" },
	{ 0x19, "c++03" }, { 0x1a, "c++11" }, { 0x1b, "ocaml" }, { 0x1c, "rust" },
	{ 0x1d, "c11" }, { 0x1e, "swift" }, { 0x1f, "julia" }, { 0x20, "dylan" },
	{ 0x21, "c++14" }, { 0x22, "fortran03" }, { 0x23, "fortran08" },
	{ 0x24, "renderscript" }, { 0x25, "bliss" }, { 0x2c, "c17" },
	{ 0x8001, "mips_assembler" },
};

const char *bk__dw_lang_name(uint64_t lang)
{
	for (size_t i = 0; i < sizeof(lang_names) / sizeof(lang_names[0]); i++)
		if (lang_names[i].lang == lang)
			return lang_names[i].name;
	return NULL;
}

bool bk__dw_lang_code(const char *name, size_t len, uint64_t *code)
{
	for (size_t i = 0; i < sizeof(lang_names) / sizeof(lang_names[0]); i++) {
		if (strlen(lang_names[i].name) == len && !memcmp(lang_names[i].name, name, len)) {
			*code = lang_names[i].lang;
			return true;
		}
	}
	return false;
}
