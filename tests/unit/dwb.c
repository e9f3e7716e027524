// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The DWARF builder of the encoder's unit tests (dwb.h): byte buffers for
 * each section, fixups for references, and an ELF64 little-endian
 * container. Test code only: allocation failures abort.
 */
#include <dwarf.h>
#include <elf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dwb.h"

struct buf {
	uint8_t *p;
	size_t len, cap;
};

struct fixup {
	size_t pos;   /* in .debug_info */
	unsigned id;
	bool addr;    /* ref_addr (section offset) rather than ref4 (unit-relative) */
};

struct dwsym {
	char *name;
	bool func, global, percpu;
	uint64_t value, size;
};

struct dwb {
	unsigned version;
	struct buf abbrev, info, str;
	unsigned next_code;
	size_t unit_start;
	unsigned root_code, pu_code, tu_code;
	unsigned tu_type;     /* the type unit's type DIE id, 0 outside one */
	size_t tu_type_pos;   /* where its type_offset goes */
	size_t *ids;        /* id -> .debug_info offset (SIZE_MAX unset) */
	unsigned nr_ids;
	struct fixup *fix;
	size_t nr_fix, cap_fix;
	struct dwsym *syms;
	size_t nr_syms;
};

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		abort();
	return p;
}

static void put(struct buf *b, const void *p, size_t n)
{
	if (!n)
		return;
	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2 + 64;
		b->p = xrealloc(b->p, b->cap);
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
}

static void put_uleb(struct buf *b, uint64_t v)
{
	do {
		uint8_t c = v & 0x7f;

		v >>= 7;
		if (v)
			c |= 0x80;
		put(b, &c, 1);
	} while (v);
}

static void put_sleb(struct buf *b, int64_t v)
{
	for (;;) {
		uint8_t c = v & 0x7f;

		v >>= 7;
		if ((v == 0 && !(c & 0x40)) || (v == -1 && (c & 0x40))) {
			put(b, &c, 1);
			return;
		}
		c |= 0x80;
		put(b, &c, 1);
	}
}

static void put_le(struct buf *b, uint64_t v, unsigned n)
{
	uint8_t x[8];

	for (unsigned i = 0; i < n; i++)
		x[i] = (uint8_t)(v >> (8 * i));
	put(b, x, n);
}

struct dwb *dwb_new(unsigned version)
{
	struct dwb *b = calloc(1, sizeof(*b));

	if (!b)
		abort();
	b->version = version;
	b->next_code = 1;
	put(&b->str, "", 1);
	b->root_code = dwb_abbrev(b, DW_TAG_compile_unit, true, DW_AT_name, DW_FORM_string,
				  DW_AT_language, DW_FORM_data2, 0);
	b->pu_code = dwb_abbrev(b, DW_TAG_partial_unit, true, DW_AT_name, DW_FORM_string, 0);
	b->tu_code = dwb_abbrev(b, DW_TAG_type_unit, true, DW_AT_language, DW_FORM_data2, 0);
	return b;
}

void dwb_free(struct dwb *b)
{
	if (!b)
		return;
	free(b->abbrev.p);
	free(b->info.p);
	free(b->str.p);
	free(b->ids);
	free(b->fix);
	for (size_t i = 0; i < b->nr_syms; i++)
		free(b->syms[i].name);
	free(b->syms);
	free(b);
}

unsigned dwb_abbrev(struct dwb *b, unsigned tag, bool children, ...)
{
	unsigned code = b->next_code++;
	uint8_t ch = children;
	va_list ap;

	/* the table's terminating 0 is rewritten each time: drop it first */
	if (b->abbrev.len)
		b->abbrev.len--;
	put_uleb(&b->abbrev, code);
	put_uleb(&b->abbrev, tag);
	put(&b->abbrev, &ch, 1);
	va_start(ap, children);
	for (;;) {
		unsigned at = va_arg(ap, unsigned), form;

		if (!at)
			break;
		form = va_arg(ap, unsigned);
		put_uleb(&b->abbrev, at);
		put_uleb(&b->abbrev, form);
	}
	va_end(ap);
	put_uleb(&b->abbrev, 0);
	put_uleb(&b->abbrev, 0);
	put_uleb(&b->abbrev, 0);
	return code;
}

void dwb_implicit(struct dwb *b, int64_t v)
{
	/* insert the value before the (0, 0) pair and the table's 0 */
	b->abbrev.len -= 3;
	put_sleb(&b->abbrev, v);
	put_uleb(&b->abbrev, 0);
	put_uleb(&b->abbrev, 0);
	put_uleb(&b->abbrev, 0);
}

static void header(struct dwb *b, uint8_t ut)
{
	b->unit_start = b->info.len;
	put_le(&b->info, 0, 4); /* length, patched at the end */
	put_le(&b->info, b->version, 2);
	if (b->version >= 5) {
		uint8_t asz = 8;

		put(&b->info, &ut, 1);
		put(&b->info, &asz, 1);
		put_le(&b->info, 0, 4);
	} else {
		uint8_t asz = 8;

		put_le(&b->info, 0, 4);
		put(&b->info, &asz, 1);
	}
}

void dwb_cu_begin(struct dwb *b, unsigned lang)
{
	header(b, DW_UT_compile);
	dwb_die(b, b->root_code, 0);
	dwb_str(b, "t.c");
	dwb_u16(b, (uint16_t)lang);
}

void dwb_pu_begin(struct dwb *b)
{
	header(b, DW_UT_partial);
	dwb_die(b, b->pu_code, 0);
	dwb_str(b, "partial");
}

void dwb_tu_begin(struct dwb *b, uint64_t sig, unsigned type_id)
{
	header(b, DW_UT_type);
	put_le(&b->info, sig, 8);
	b->tu_type = type_id;
	b->tu_type_pos = b->info.len;
	put_le(&b->info, 0, 4);
	dwb_die(b, b->tu_code, 0);
	dwb_u16(b, DW_LANG_C11);
}

void dwb_ref_sig8(struct dwb *b, uint64_t sig)
{
	put_le(&b->info, sig, 8);
}

void dwb_cu_end(struct dwb *b)
{
	uint32_t len;

	dwb_end(b);
	len = (uint32_t)(b->info.len - b->unit_start - 4);
	memcpy(b->info.p + b->unit_start, &len, 4);
	if (b->tu_type && b->tu_type < b->nr_ids && b->ids[b->tu_type] != SIZE_MAX) {
		uint32_t v = (uint32_t)(b->ids[b->tu_type] - b->unit_start);

		memcpy(b->info.p + b->tu_type_pos, &v, 4);
		b->tu_type = 0;
	}
	for (size_t i = 0; i < b->nr_fix; i++) {
		struct fixup *f = &b->fix[i];
		uint32_t v;

		if (f->addr || f->pos < b->unit_start || f->id >= b->nr_ids || b->ids[f->id] == SIZE_MAX)
			continue;
		v = (uint32_t)(b->ids[f->id] - b->unit_start);
		memcpy(b->info.p + f->pos, &v, 4);
	}
}

void dwb_die(struct dwb *b, unsigned code, unsigned id)
{
	if (id) {
		if (id >= b->nr_ids) {
			b->ids = xrealloc(b->ids, (id + 1) * sizeof(*b->ids));
			for (unsigned i = b->nr_ids; i <= id; i++)
				b->ids[i] = SIZE_MAX;
			b->nr_ids = id + 1;
		}
		b->ids[id] = b->info.len;
	}
	put_uleb(&b->info, code);
}

void dwb_end(struct dwb *b)
{
	put_uleb(&b->info, 0);
}

void dwb_u8(struct dwb *b, uint8_t v) { put(&b->info, &v, 1); }
void dwb_u16(struct dwb *b, uint16_t v) { put_le(&b->info, v, 2); }
void dwb_u32(struct dwb *b, uint32_t v) { put_le(&b->info, v, 4); }
void dwb_u64(struct dwb *b, uint64_t v) { put_le(&b->info, v, 8); }
void dwb_uleb(struct dwb *b, uint64_t v) { put_uleb(&b->info, v); }
void dwb_sleb(struct dwb *b, int64_t v) { put_sleb(&b->info, v); }
void dwb_bytes(struct dwb *b, const void *p, size_t n) { put(&b->info, p, n); }

void dwb_str(struct dwb *b, const char *s)
{
	put(&b->info, s, strlen(s) + 1);
}

void dwb_strp(struct dwb *b, const char *s)
{
	put_le(&b->info, b->str.len, 4);
	put(&b->str, s, strlen(s) + 1);
}

static void ref(struct dwb *b, unsigned id, bool addr)
{
	if (b->nr_fix == b->cap_fix) {
		b->cap_fix = b->cap_fix * 2 + 16;
		b->fix = xrealloc(b->fix, b->cap_fix * sizeof(*b->fix));
	}
	b->fix[b->nr_fix++] = (struct fixup){ b->info.len, id, addr };
	put_le(&b->info, 0, 4);
}

void dwb_ref4(struct dwb *b, unsigned id) { ref(b, id, false); }
void dwb_ref_addr(struct dwb *b, unsigned id) { ref(b, id, true); }

void dwb_expr(struct dwb *b, const uint8_t *p, size_t n)
{
	put_uleb(&b->info, n);
	put(&b->info, p, n);
}

void dwb_sym(struct dwb *b, const char *name, bool func, bool global, bool percpu, uint64_t value,
	     uint64_t size)
{
	b->syms = xrealloc(b->syms, (b->nr_syms + 1) * sizeof(*b->syms));
	b->syms[b->nr_syms++] = (struct dwsym){ strdup(name), func, global, percpu, value, size };
}

size_t dwb_info_pos(const struct dwb *b)
{
	return b->info.len;
}

void dwb_poke(struct dwb *b, size_t pos, uint8_t v)
{
	if (pos < b->info.len)
		b->info.p[pos] = v;
}

enum { S_NULL, S_TEXT, S_PERCPU, S_ABBREV, S_INFO, S_STR, S_SYMTAB, S_STRTAB, S_SHSTRTAB, S_NR };

uint8_t *dwb_elf(struct dwb *b, size_t *size)
{
	static const char *const names[S_NR] = {
		"", ".text", ".data..percpu", ".debug_abbrev", ".debug_info", ".debug_str",
		".symtab", ".strtab", ".shstrtab",
	};
	struct buf sec[S_NR] = { 0 }, out = { 0 };
	Elf64_Shdr sh[S_NR];
	Elf64_Ehdr eh;
	size_t off[S_NR], nlocal = 1;

	for (size_t i = 0; i < b->nr_fix; i++) {
		uint32_t v;

		if (!b->fix[i].addr || b->fix[i].id >= b->nr_ids || b->ids[b->fix[i].id] == SIZE_MAX)
			continue;
		v = (uint32_t)b->ids[b->fix[i].id];
		memcpy(b->info.p + b->fix[i].pos, &v, 4);
	}
	put_le(&sec[S_TEXT], 0xc3c3c3c3c3c3c3c3ull, 8);
	put_le(&sec[S_PERCPU], 0, 8);
	put(&sec[S_ABBREV], b->abbrev.p, b->abbrev.len);
	put(&sec[S_INFO], b->info.p, b->info.len);
	put(&sec[S_STR], b->str.p, b->str.len);
	put(&sec[S_STRTAB], "", 1);
	for (unsigned i = 0; i < S_NR; i++) {
		off[i] = sec[S_SHSTRTAB].len;
		put(&sec[S_SHSTRTAB], names[i], strlen(names[i]) + 1);
	}
	{
		Elf64_Sym z = { 0 };

		put(&sec[S_SYMTAB], &z, sizeof(z));
	}
	/* locals first, as ELF wants */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < b->nr_syms; i++) {
			const struct dwsym *s = &b->syms[i];
			Elf64_Sym e = { 0 };

			if (s->global != (pass == 1))
				continue;
			e.st_name = (uint32_t)sec[S_STRTAB].len;
			put(&sec[S_STRTAB], s->name, strlen(s->name) + 1);
			e.st_info = ELF64_ST_INFO(s->global ? STB_GLOBAL : STB_LOCAL,
						  s->func ? STT_FUNC : STT_OBJECT);
			e.st_shndx = s->percpu ? S_PERCPU : S_TEXT;
			e.st_value = s->value;
			e.st_size = s->size;
			put(&sec[S_SYMTAB], &e, sizeof(e));
			nlocal += !s->global;
		}
	}
	memset(&eh, 0, sizeof(eh));
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_type = ET_EXEC;
	eh.e_machine = EM_X86_64;
	eh.e_version = EV_CURRENT;
	eh.e_ehsize = sizeof(eh);
	eh.e_shentsize = sizeof(Elf64_Shdr);
	eh.e_shnum = S_NR;
	eh.e_shstrndx = S_SHSTRTAB;
	put(&out, &eh, sizeof(eh));
	memset(sh, 0, sizeof(sh));
	for (unsigned i = 1; i < S_NR; i++) {
		while (out.len % 8)
			put(&out, "", 1);
		sh[i].sh_name = (uint32_t)off[i];
		sh[i].sh_type = i == S_SYMTAB ? SHT_SYMTAB : i >= S_STRTAB ? SHT_STRTAB : SHT_PROGBITS;
		sh[i].sh_offset = out.len;
		sh[i].sh_size = sec[i].len;
		sh[i].sh_addralign = 1;
		if (i == S_TEXT)
			sh[i].sh_flags = SHF_ALLOC | SHF_EXECINSTR, sh[i].sh_addr = 0x1000;
		if (i == S_PERCPU)
			sh[i].sh_flags = SHF_ALLOC | SHF_WRITE;
		if (i == S_SYMTAB) {
			sh[i].sh_link = S_STRTAB;
			sh[i].sh_info = (uint32_t)nlocal;
			sh[i].sh_entsize = sizeof(Elf64_Sym);
			sh[i].sh_addralign = 8;
		}
		put(&out, sec[i].p, sec[i].len);
	}
	while (out.len % 8)
		put(&out, "", 1);
	((Elf64_Ehdr *)out.p)->e_shoff = out.len;
	put(&out, sh, sizeof(sh));
	for (unsigned i = 0; i < S_NR; i++)
		free(sec[i].p);
	*size = out.len;
	return out.p;
}
