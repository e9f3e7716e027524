// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * DWARF abbreviation tables and DIE decoding: the reader's hot path.
 *
 * An abbreviation table is parsed once per unit into arrays (codes are
 * nearly always dense, so code -> abbreviation is one array index). Each
 * attribute spec carries the slot its value goes to (enum dw_slot), or
 * DW_NO_SLOT; decoding a DIE is then one pass over its specs, each value
 * read by its form and either stored or skipped. Strings and addresses given
 * by index (DWARF 5 strx/addrx) are kept as indices and resolved on use,
 * because the root DIE may name its string base after its name.
 *
 * Every read is bounded by the end of the unit (struct dw_rd), so a DIE
 * cannot run into the next unit; a reference inside a unit (ref1..ref8,
 * ref_udata) must fall inside it, and is stored as a section offset.
 * Location expressions are read only for what the encoder asks: the
 * register a parameter arrives in, the address of a variable.
 */
#include <stdio.h>
#include <stdlib.h>

#include "dw.h"

#define DW_FORM_addr 0x01
#define DW_FORM_block2 0x03
#define DW_FORM_block4 0x04
#define DW_FORM_data2 0x05
#define DW_FORM_data4 0x06
#define DW_FORM_data8 0x07
#define DW_FORM_string 0x08
#define DW_FORM_block 0x09
#define DW_FORM_block1 0x0a
#define DW_FORM_data1 0x0b
#define DW_FORM_flag 0x0c
#define DW_FORM_sdata 0x0d
#define DW_FORM_strp 0x0e
#define DW_FORM_udata 0x0f
#define DW_FORM_ref_addr 0x10
#define DW_FORM_ref1 0x11
#define DW_FORM_ref2 0x12
#define DW_FORM_ref4 0x13
#define DW_FORM_ref8 0x14
#define DW_FORM_ref_udata 0x15
#define DW_FORM_indirect 0x16
#define DW_FORM_sec_offset 0x17
#define DW_FORM_exprloc 0x18
#define DW_FORM_flag_present 0x19
#define DW_FORM_strx 0x1a
#define DW_FORM_addrx 0x1b
#define DW_FORM_ref_sup4 0x1c
#define DW_FORM_strp_sup 0x1d
#define DW_FORM_data16 0x1e
#define DW_FORM_line_strp 0x1f
#define DW_FORM_ref_sig8 0x20
#define DW_FORM_implicit_const 0x21
#define DW_FORM_loclistx 0x22
#define DW_FORM_rnglistx 0x23
#define DW_FORM_ref_sup8 0x24
#define DW_FORM_strx1 0x25
#define DW_FORM_strx2 0x26
#define DW_FORM_strx3 0x27
#define DW_FORM_strx4 0x28
#define DW_FORM_addrx1 0x29
#define DW_FORM_addrx2 0x2a
#define DW_FORM_addrx3 0x2b
#define DW_FORM_addrx4 0x2c
#define DW_FORM_GNU_addr_index 0x1f01
#define DW_FORM_GNU_str_index 0x1f02
#define DW_FORM_GNU_ref_alt 0x1f20
#define DW_FORM_GNU_strp_alt 0x1f21

static uint8_t slot_of(uint64_t at)
{
	switch (at) {
	case 0x03: return S_NAME;
	case 0x49: return S_TYPE;
	case 0x0b: return S_BYTE_SIZE;
	case 0x0d: return S_BIT_SIZE;
	case 0x38: return S_MEMBER_LOC;
	case 0x6b: return S_DATA_BIT_OFF;
	case 0x0c: return S_BIT_OFF;
	case 0x2f: return S_UPPER_BOUND;
	case 0x37: return S_COUNT;
	case 0x3e: return S_ENCODING;
	case 0x3c: return S_DECLARATION;
	case 0x3f: return S_EXTERNAL;
	case 0x1c: return S_CONST_VALUE;
	case 0x02: return S_LOCATION;
	case 0x31: return S_ABSTRACT_ORIGIN;
	case 0x47: return S_SPECIFICATION;
	case 0x11: return S_LOW_PC;
	case 0x55: return S_RANGES;
	case 0x13: return S_LANGUAGE;
	case 0x72: return S_STR_OFF_BASE;
	case 0x73: case 0x2133: return S_ADDR_BASE;
	case 0x8c: return S_LOCLISTS_BASE;
	case 0x18: return S_IMPORT;
	case 0x36: return S_CALLING_CONV;
	case 0x76: case 0x2130: return S_DWO;
	case 0x25: return S_PRODUCER;
	default: return DW_NO_SLOT;
	}
}

void bk__dw_abbrevs_free(struct dw_abbrevs *a)
{
	free(a->list);
	free(a->direct);
	free(a->specs);
	memset(a, 0, sizeof(*a));
	a->off = UINT64_MAX;
}

static int cmp_code(const void *x, const void *y)
{
	const struct dw_abbrev *a = *(const struct dw_abbrev *const *)x;
	const struct dw_abbrev *b = *(const struct dw_abbrev *const *)y;

	return a->code < b->code ? -1 : a->code > b->code;
}

/* Bytes a form always takes in unit u, or -1 when its length varies or it is stored. */
static int fixed_size(unsigned form, const struct dw_unit *u)
{
	switch (form) {
	case DW_FORM_flag_present: case DW_FORM_implicit_const:
		return 0;
	case DW_FORM_data1: case DW_FORM_ref1: case DW_FORM_flag: case DW_FORM_strx1:
	case DW_FORM_addrx1:
		return 1;
	case DW_FORM_data2: case DW_FORM_ref2: case DW_FORM_strx2: case DW_FORM_addrx2:
		return 2;
	case DW_FORM_strx3: case DW_FORM_addrx3:
		return 3;
	case DW_FORM_data4: case DW_FORM_ref4: case DW_FORM_strx4: case DW_FORM_addrx4:
	case DW_FORM_ref_sup4:
		return 4;
	case DW_FORM_data8: case DW_FORM_ref8: case DW_FORM_ref_sig8: case DW_FORM_ref_sup8:
		return 8;
	case DW_FORM_data16:
		return 16;
	case DW_FORM_addr:
		return u->addr_size;
	case DW_FORM_strp: case DW_FORM_line_strp: case DW_FORM_sec_offset:
	case DW_FORM_strp_sup: case DW_FORM_GNU_ref_alt: case DW_FORM_GNU_strp_alt:
		return u->off_size;
	case DW_FORM_ref_addr:
		return u->version == 2 ? u->addr_size : u->off_size;
	default:
		return -1;
	}
}

/* Mark the runs of unstored fixed-size attributes of every abbreviation. */
static void plan_skips(struct dw_abbrevs *a, const struct dw_unit *u)
{
	for (size_t i = 0; i < a->nr; i++) {
		struct dw_spec *sp = (struct dw_spec *)a->list[i].spec;
		uint32_t n = a->list[i].nspec;

		for (uint32_t j = 0; j < n;) {
			uint32_t k = j, len = 0;
			int sz;

			while (k < n && k - j < 255 && sp[k].slot == DW_NO_SLOT &&
			       (sz = fixed_size(sp[k].form, u)) >= 0 && len + (uint32_t)sz <= 0xffff) {
				len += (uint32_t)sz;
				k++;
			}
			sp[j].skip_n = (uint8_t)(k - j);
			sp[j].skip_len = (uint16_t)len;
			j = k > j ? k : j + 1;
		}
	}
}

int bk__dw_abbrevs_load(const struct dw_file *f, struct dw_abbrevs *a, const struct dw_unit *u,
			struct bk_diag *diag)
{
	uint64_t off = u->abbrev_off;
	const struct dw_sec *s = &f->sec[DS_ABBREV];
	struct dw_rd r;
	size_t nab = 0, nspec = 0, cap_ab = 64, cap_spec = 256;
	uint64_t max_code = 0;
	size_t *first = NULL;

	if (a->off == off && a->list && a->addr_size == u->addr_size && a->off_size == u->off_size &&
	    a->version == u->version)
		return 0;
	bk__dw_abbrevs_free(a);
	if (off >= s->size)
		return bk__diag(diag, -EINVAL, "abbreviation table offset 0x%llx is outside .debug_abbrev (%zu bytes)",
				(unsigned long long)off, s->size);
	r = (struct dw_rd){ s->data + off, s->data + s->size, false, false };
	a->list = malloc(cap_ab * sizeof(*a->list));
	a->specs = malloc(cap_spec * sizeof(*a->specs));
	first = malloc(cap_ab * sizeof(*first));
	if (!a->list || !a->specs || !first)
		goto nomem;
	for (;;) {
		struct dw_abbrev *ab;
		uint64_t code = rd_uleb(&r), tag;

		if (r.bad)
			goto bad;
		if (!code)
			break;
		if (nab == cap_ab) {
			void *n1 = realloc(a->list, 2 * cap_ab * sizeof(*a->list));
			void *n2 = n1 ? realloc(first, 2 * cap_ab * sizeof(*first)) : NULL;

			if (n1)
				a->list = n1;
			if (!n2)
				goto nomem;
			first = n2;
			cap_ab *= 2;
		}
		ab = &a->list[nab];
		ab->code = code;
		tag = rd_uleb(&r);
		ab->tag = tag > 0xffff ? 0xffff : (uint16_t)tag;
		ab->children = rd_u8(&r) != 0;
		ab->nspec = 0;
		first[nab] = nspec;
		for (;;) {
			uint64_t at = rd_uleb(&r), form = rd_uleb(&r);
			struct dw_spec *sp;

			if (r.bad)
				goto bad;
			if (!at && !form)
				break;
			if (nspec == cap_spec) {
				void *n = realloc(a->specs, 2 * cap_spec * sizeof(*a->specs));

				if (!n)
					goto nomem;
				a->specs = n;
				cap_spec *= 2;
			}
			sp = &a->specs[nspec++];
			sp->at = at > 0xffff ? 0xffff : (uint16_t)at;
			sp->form = form > 0xffff ? 0xffff : (uint16_t)form;
			sp->slot = slot_of(at);
			sp->skip_n = 0;
			sp->skip_len = 0;
			sp->implicit = form == DW_FORM_implicit_const ? rd_sleb(&r) : 0;
			ab->nspec++;
		}
		if (code > max_code)
			max_code = code;
		nab++;
	}
	/* specs may have moved while growing: point each abbreviation at its own */
	for (size_t i = 0; i < nab; i++)
		a->list[i].spec = a->specs + first[i];
	free(first);
	first = NULL;
	a->nr = nab;
	a->nr_specs = nspec;
	a->off = off;
	a->addr_size = u->addr_size;
	a->off_size = u->off_size;
	a->version = (uint8_t)u->version;
	plan_skips(a, u);
	if (max_code <= 4 * nab + 256) {
		a->nr_direct = max_code + 1;
		a->direct = calloc(a->nr_direct, sizeof(*a->direct));
		if (!a->direct)
			goto nomem;
		for (size_t i = nab; i-- > 0;)
			a->direct[a->list[i].code] = &a->list[i]; /* the first of a code wins */
	} else {
		a->direct = malloc((nab ? nab : 1) * sizeof(*a->direct));
		if (!a->direct)
			goto nomem;
		for (size_t i = 0; i < nab; i++)
			a->direct[i] = &a->list[i];
		qsort(a->direct, nab, sizeof(*a->direct), cmp_code);
		a->nr_direct = 0;
	}
	return 0;
nomem:
	free(first);
	bk__dw_abbrevs_free(a);
	return bk__diag(diag, -ENOMEM, "out of memory reading abbreviations");
bad:
	free(first);
	bk__dw_abbrevs_free(a);
	return bk__diag(diag, -EINVAL, "abbreviation table at 0x%llx runs past the end of .debug_abbrev",
			(unsigned long long)off);
}

static const struct dw_abbrev *find_abbrev(const struct dw_abbrevs *a, uint64_t code)
{
	size_t lo = 0, hi = a->nr;

	if (a->nr_direct)
		return code < a->nr_direct ? a->direct[code] : NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (a->direct[mid]->code < code)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < a->nr && a->direct[lo]->code == code ? a->direct[lo] : NULL;
}

int bk__dw_ctx_init(struct dw_ctx *c, const struct dw_file *f, const struct dw_unit *u,
		struct dw_abbrevs *abbrevs, struct bk_diag *diag)
{
	int err;

	c->f = f;
	c->u = u;
	c->abbrevs = abbrevs;
	c->sec = f->sec[u->sec].data;
	c->diag = diag;
	c->str_off_base = u->version >= 5 ? (u->off_size == 8 ? 16 : 8) : 0;
	c->addr_base = u->version >= 5 ? (u->off_size == 8 ? 16 : 8) : 0;
	c->loclists_base = 0;
	err = bk__dw_abbrevs_load(f, abbrevs, u, diag);
	if (err)
		return bk__diag(diag, err, "unit 0x%llx: %s", (unsigned long long)u->off, diag ? diag->msg : "");
	return 0;
}

void bk__dw_ctx_bases(struct dw_ctx *c, const struct dw_die *root)
{
	if (dw_has(root, S_STR_OFF_BASE))
		c->str_off_base = root->v[S_STR_OFF_BASE];
	if (dw_has(root, S_ADDR_BASE))
		c->addr_base = root->v[S_ADDR_BASE];
	if (dw_has(root, S_LOCLISTS_BASE))
		c->loclists_base = root->v[S_LOCLISTS_BASE];
}

static int die_err(struct dw_ctx *c, uint64_t off, const char *what, unsigned long long x)
{
	return bk__diag(c->diag, -EINVAL, "unit 0x%llx, DIE 0x%llx: %s (0x%llx)",
			(unsigned long long)c->u->off, (unsigned long long)off, what, x);
}

int bk__dw_die_read(struct dw_ctx *c, uint64_t off, struct dw_die *d, uint64_t *next)
{
	const struct dw_unit *u = c->u;
	struct dw_rd r;
	const struct dw_abbrev *ab;
	uint64_t code;

	if (off < u->die_off || off >= u->end)
		return die_err(c, off, "DIE offset outside its unit", off);
	r = (struct dw_rd){ c->sec + off, c->sec + u->end, c->f->swap, false };
	d->off = off;
	d->have = 0;
	code = rd_uleb(&r);
	if (r.bad)
		return die_err(c, off, "truncated DIE", 0);
	if (!code) {
		d->ab = NULL;
		*next = off + (uint64_t)(r.p - (c->sec + off));
		return 0;
	}
	ab = find_abbrev(c->abbrevs, code);
	if (!ab)
		return die_err(c, off, "unknown abbreviation code", code);
	d->ab = ab;
	for (uint32_t i = 0; i < ab->nspec; i++) {
		const struct dw_spec *sp = &ab->spec[i];
		uint64_t v = 0, len = 0;
		uint8_t cls = C_UDATA;
		unsigned form = sp->form;
		int indirect = 0;

		if (sp->skip_n) {
			/* a run of attributes nobody reads, of fixed sizes */
			if ((size_t)(r.end - r.p) < sp->skip_len) {
				r.bad = true;
				break;
			}
			r.p += sp->skip_len;
			i += sp->skip_n - 1u;
			continue;
		}
again:
		switch (form) {
		case DW_FORM_addr:
			v = rd_fixed(&r, u->addr_size);
			break;
		case DW_FORM_data1: case DW_FORM_ref1: case DW_FORM_flag: case DW_FORM_strx1:
		case DW_FORM_addrx1:
			v = rd_u8(&r);
			break;
		case DW_FORM_data2: case DW_FORM_ref2: case DW_FORM_strx2: case DW_FORM_addrx2:
			v = rd_fixed(&r, 2);
			break;
		case DW_FORM_strx3: case DW_FORM_addrx3:
			v = rd_fixed(&r, 3);
			break;
		case DW_FORM_data4: case DW_FORM_ref4: case DW_FORM_strx4: case DW_FORM_addrx4:
		case DW_FORM_ref_sup4:
			v = rd_fixed(&r, 4);
			break;
		case DW_FORM_data8: case DW_FORM_ref8: case DW_FORM_ref_sig8: case DW_FORM_ref_sup8:
			v = rd_fixed(&r, 8);
			break;
		case DW_FORM_data16:
			rd_skip(&r, 16);
			cls = C_UNSUP;
			break;
		case DW_FORM_sdata:
			v = (uint64_t)rd_sleb(&r);
			cls = C_SDATA;
			break;
		case DW_FORM_udata: case DW_FORM_ref_udata: case DW_FORM_strx: case DW_FORM_addrx:
		case DW_FORM_loclistx: case DW_FORM_rnglistx: case DW_FORM_GNU_addr_index:
		case DW_FORM_GNU_str_index:
			v = rd_uleb(&r);
			break;
		case DW_FORM_string:
			v = (uintptr_t)r.p;
			cls = C_STR;
			{
				const uint8_t *z = memchr(r.p, 0, (size_t)(r.end - r.p));

				if (!z)
					return die_err(c, off, "unterminated string", 0);
				r.p = z + 1;
			}
			break;
		case DW_FORM_strp: case DW_FORM_line_strp: {
			const struct dw_sec *s = &c->f->sec[form == DW_FORM_strp ? DS_STR : DS_LINE_STR];

			v = rd_fixed(&r, u->off_size);
			if (r.bad)
				break;
			if (v >= s->size)
				return die_err(c, off, form == DW_FORM_strp ? "string offset outside .debug_str"
									    : "string offset outside .debug_line_str", v);
			v = (uintptr_t)(s->data + v);
			cls = C_STR;
			break;
		}
		case DW_FORM_ref_addr:
			v = rd_fixed(&r, u->version == 2 ? u->addr_size : u->off_size);
			cls = C_REF;
			break;
		case DW_FORM_sec_offset:
			v = rd_fixed(&r, u->off_size);
			cls = C_SECOFF;
			break;
		case DW_FORM_strp_sup: case DW_FORM_GNU_ref_alt: case DW_FORM_GNU_strp_alt:
			v = rd_fixed(&r, u->off_size);
			cls = C_UNSUP;
			break;
		case DW_FORM_block1:
			len = rd_u8(&r);
			goto block;
		case DW_FORM_block2:
			len = rd_fixed(&r, 2);
			goto block;
		case DW_FORM_block4:
			len = rd_fixed(&r, 4);
			goto block;
		case DW_FORM_block: case DW_FORM_exprloc:
			len = rd_uleb(&r);
block:
			v = (uintptr_t)r.p;
			cls = C_BLOCK;
			rd_skip(&r, len);
			break;
		case DW_FORM_flag_present:
			v = 1;
			break;
		case DW_FORM_implicit_const:
			v = (uint64_t)sp->implicit;
			cls = C_SDATA;
			break;
		case DW_FORM_indirect:
			form = (unsigned)rd_uleb(&r);
			if (++indirect > 4 || r.bad)
				return die_err(c, off, "bad DW_FORM_indirect", form);
			goto again;
		default:
			return die_err(c, off, "unknown attribute form", form);
		}
		if (sp->slot == DW_NO_SLOT)
			continue;
		switch (form) {
		case DW_FORM_ref1: case DW_FORM_ref2: case DW_FORM_ref4: case DW_FORM_ref8:
		case DW_FORM_ref_udata:
			if (v >= u->end - u->off)
				return die_err(c, off, "reference outside its unit", v);
			v += u->off;
			cls = C_REF;
			break;
		case DW_FORM_ref_sig8:
			cls = C_SIG;
			break;
		case DW_FORM_strx: case DW_FORM_strx1: case DW_FORM_strx2: case DW_FORM_strx3:
		case DW_FORM_strx4: case DW_FORM_GNU_str_index:
			cls = C_STRX;
			break;
		case DW_FORM_addrx: case DW_FORM_addrx1: case DW_FORM_addrx2: case DW_FORM_addrx3:
		case DW_FORM_addrx4: case DW_FORM_GNU_addr_index:
			cls = C_ADDRX;
			break;
		case DW_FORM_loclistx: case DW_FORM_rnglistx:
			cls = C_LISTX;
			break;
		case DW_FORM_data4: case DW_FORM_data8:
			/* DWARF 2 and 3: a location list pointer */
			if (sp->slot == S_LOCATION && u->version < 4)
				cls = C_SECOFF;
			break;
		default:
			break;
		}
		d->v[sp->slot] = v;
		d->cls[sp->slot] = cls;
		d->len[sp->slot] = (uint32_t)(len > UINT32_MAX ? UINT32_MAX : len);
		d->have |= 1u << sp->slot;
	}
	if (r.bad)
		return die_err(c, off, "DIE runs past the end of its unit", u->end);
	*next = off + (uint64_t)(r.p - (c->sec + off));
	return 0;
}

const char *bk__dw_str(const struct dw_ctx *c, const struct dw_die *d, enum dw_slot s)
{
	const struct dw_sec *so = &c->f->sec[DS_STR_OFFSETS], *st = &c->f->sec[DS_STR];
	unsigned osz = c->u->off_size;
	struct dw_rd r;
	uint64_t at, off;

	if (!dw_has(d, s))
		return NULL;
	if (d->cls[s] == C_STR)
		return (const char *)(uintptr_t)d->v[s];
	if (d->cls[s] != C_STRX)
		return NULL;
	if (d->v[s] > (UINT64_MAX - c->str_off_base) / osz)
		return NULL;
	at = c->str_off_base + d->v[s] * osz;
	if (!bk__fits(at, osz, so->size))
		return NULL;
	r = (struct dw_rd){ so->data + at, so->data + so->size, c->f->swap, false };
	off = rd_fixed(&r, osz);
	return off < st->size ? (const char *)st->data + off : NULL;
}

bool bk__dw_const(const struct dw_die *d, enum dw_slot s, uint64_t *v)
{
	if (!dw_has(d, s) || (d->cls[s] != C_UDATA && d->cls[s] != C_SDATA))
		return false;
	*v = d->v[s];
	return true;
}
