// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Kernel-grade validation, part 1: the size limit, the header and section
 * layout, the string section, the per-type "meta" checks and the type-tag
 * order, each as the kernel's BTF loader (kernel/bpf/btf.c: btf_parse_hdr,
 * btf_check_sec_info, btf_parse_str_sec, btf_parse_type_sec,
 * btf_check_meta and the per-kind check_meta callbacks,
 * btf_check_type_tags) applies them. The resolve pass is in
 * validate_resolve.c. See include/btfkit/validate.h for the list of rules.
 *
 * Invariants relied on: the object was parsed (src/core/parse.c), so own records
 * tile the type section with the kernel's record sizes, every name offset is
 * < bk__str_end(btf), every referenced ID is < bk_btf_type_cnt(btf) and
 * every string ends in NUL. An object parsed unchecked (bk_btf_validate_path,
 * src/distill/check.c) keeps only the first and last: names and IDs are
 * looked up through bounds-checked calls (the resolve pass's T()), and the
 * special-field pass, which does not, runs only after the resolve pass
 * found nothing (so every reference was vetted). Nothing here recurses; the type-tag walk is
 * bounded by 32 steps per chain, as in the kernel.
 *
 * The kernel stops at the first problem. Here each check that fails is
 * reported and validation goes on with the next type; a type whose meta
 * check fails is marked FAILED so the resolve pass does not report the
 * consequences again.
 */
#include <stdio.h>
#include <stdlib.h>

#include "validate_int.h"

#define KERNEL_HDR_LEN 24u  /* sizeof(struct btf_header) in the kernel */
#define INFO_MASK 0x9f00ffffu
#define INT_MASK 0x0fffffffu
#define ENOTSUPP_KERNEL 524 /* the kernel's ENOTSUPP */

/* ---- names (the identifier rule is in report.c) ---------------------- */

/*
 * btf_name_valid_section (DATASEC names): not empty, at most 512 bytes,
 * every byte printable in the kernel's Latin-1 ctype table (space
 * included; 0-31, 127 and 128-159 are not).
 */
static bool section_name_valid(const struct bk_btf *btf, uint32_t off)
{
	const char *s = bk_btf_str(btf, off);
	size_t i;

	if (!s || !s[0])
		return false;
	for (i = 0; s[i] && i < BK_KERNEL_MAX_NAME_LEN; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 32 || c == 127 || (c >= 128 && c < 160))
			return false;
	}
	return !s[i];
}

static bool name_off_valid(const struct bk__vctx *v, uint32_t off)
{
	return off <= BK_KERNEL_MAX_NAME_OFFSET && off < bk__str_end(v->btf);
}

/* ---- header, sections, strings --------------------------------------- */

struct vhdr {
	uint16_t magic;
	uint8_t version, flags;
	uint32_t hdr_len, type_off, type_len, str_off, str_len;
};

/* The blob as read, when the object was parsed and not modified since. */
static const uint8_t *input_blob(const struct bk_btf *btf, uint32_t *size)
{
	if (btf->source == BK_SOURCE_NEW || !btf->img.data || btf->strs_cap)
		return NULL;
	if (!bk__fits(btf->file_off, btf->raw_size, btf->img.size))
		return NULL;
	*size = btf->raw_size;
	return btf->img.data + btf->file_off;
}

/* Sections as they would be written: header | types | [layout] | strings. */
static void synth_header(const struct bk_btf *btf, struct vhdr *h, uint32_t *size,
			 bool *extra_nonzero)
{
	uint32_t layout_len = btf->layout_cnt * (uint32_t)sizeof(struct bk_layout);

	memset(h, 0, sizeof(*h));
	h->magic = BK_MAGIC;
	h->version = 1;
	h->hdr_len = btf->hdr_len;
	h->type_len = (uint32_t)btf->types_len;
	h->str_off = h->type_len + layout_len;
	h->str_len = (uint32_t)btf->strs_len;
	*size = h->hdr_len + h->str_off + h->str_len;
	/* A layout section needs the layout fields of a 32-byte header. */
	*extra_nonzero = layout_len != 0 || btf->hdr_extra;
}

/*
 * The header, section and string checks, on the blob as read (blob, size
 * bytes at file offset pos) or, with blob NULL, on the header btf would be
 * written with. Returns false when a problem stops the kernel's parse.
 */
bool bk__vcheck_header(struct bk__vctx *v, const struct bk_btf *btf, const uint8_t *blob,
		       uint32_t size, uint64_t pos, bool split, bool swapped)
{
	bool extra_nonzero = false, ok = true;
	uint32_t words[6] = { 0 };
	struct vhdr h;

	if (blob && !split && size > BK_KERNEL_MAX_SIZE)
		bk__vreport(v, 0, -1, -1, -E2BIG,
			    "BTF is %u bytes, over the kernel's limit of %u (BTF_MAX_SIZE)",
			    size, BK_KERNEL_MAX_SIZE);
	if (!blob) {
		synth_header(btf, &h, &size, &extra_nonzero);
		pos = btf->file_off;
		if (!split && size > BK_KERNEL_MAX_SIZE)
			bk__vreport(v, 0, -1, -1, -E2BIG,
				    "BTF is %u bytes, over the kernel's limit of %u (BTF_MAX_SIZE)",
				    size, BK_KERNEL_MAX_SIZE);
		if (extra_nonzero)
			bk__vreport(v, 0, -1, -1, -E2BIG, "Unsupported btf_header");
	} else {
		/*
		 * Opposite-endian input (swapped) is checked as a kernel of its
		 * own byte order would check it (a big-endian BTF validates on a
		 * little-endian host): header words are read in the data's order.
		 */
		if (size < 8) {
			bk__vreport(v, 0, -1, (long long)pos, -EINVAL, "hdr_len not found");
			return false;
		}
		memcpy(&h.magic, blob, 2);
		if (swapped)
			h.magic = __builtin_bswap16(h.magic);
		if (h.magic != BK_MAGIC) {
			/* the kernel reads hdr_len first, but this says more */
			bk__vreport(v, 0, -1, (long long)pos, -EINVAL, "Invalid magic");
			return false;
		}
		memcpy(&h.hdr_len, blob + 4, 4);
		if (swapped)
			h.hdr_len = __builtin_bswap32(h.hdr_len);
		if (size < h.hdr_len) {
			bk__vreport(v, 0, -1, (long long)pos + 4, -EINVAL,
				    "btf_header not found");
			return false;
		}
		if (h.hdr_len > 4096) {
			/* bpf_check_uarg_tail_zero()'s "silly large" limit */
			bk__vreport(v, 0, -1, (long long)pos + 4, -E2BIG,
				    "Unsupported btf_header");
		} else {
			for (uint32_t i = KERNEL_HDR_LEN; i < h.hdr_len; i++) {
				if (blob[i]) {
					bk__vreport(v, 0, -1, (long long)(pos + i), -E2BIG,
						    "Unsupported btf_header");
					break;
				}
			}
		}
		memcpy(words, blob, h.hdr_len < KERNEL_HDR_LEN ? h.hdr_len : KERNEL_HDR_LEN);
		for (int i = 0; swapped && i < 6; i++)
			words[i] = __builtin_bswap32(words[i]);
		h.version = blob[2];
		h.flags = blob[3];
		h.type_off = words[2];
		h.type_len = words[3];
		h.str_off = words[4];
		h.str_len = words[5];
	}
	if (h.version != 1)
		bk__vreport(v, 0, -1, (long long)pos + 2, -ENOTSUPP_KERNEL,
			    "Unsupported version");
	if (h.flags)
		bk__vreport(v, 0, -1, (long long)pos + 3, -ENOTSUPP_KERNEL,
			    "Unsupported flags");
	if (!split && size == h.hdr_len) {
		bk__vreport(v, 0, -1, (long long)pos, -EINVAL, "No data");
		return false;
	}

	/*
	 * btf_check_sec_info: the two sections, sorted by offset (then length,
	 * comparing as the kernel does through an int difference; on a tie
	 * its heap sort puts the string section first), must tile the data.
	 */
	{
		struct { uint32_t off, len; } sec[2] = { { h.type_off, h.type_len },
							 { h.str_off, h.str_len } }, tmp;
		uint32_t total = 0, expected = size - h.hdr_len;
		int c = (int)(sec[0].off - sec[1].off);
		long long hpos = (long long)pos;
		const char *bad = NULL;

		if (!c)
			c = (int)(sec[0].len - sec[1].len);
		if (c >= 0) {
			tmp = sec[0];
			sec[0] = sec[1];
			sec[1] = tmp;
		}
		for (int i = 0; i < 2 && !bad; i++) {
			if (expected < sec[i].off)
				bad = "Invalid section offset";
			else if (total < sec[i].off)
				bad = "Unsupported section found";
			else if (total > sec[i].off)
				bad = "Section overlap found";
			else if (expected - total < sec[i].len)
				bad = "Total section length too long";
			else
				total += sec[i].len;
		}
		if (!bad && expected != total)
			bad = "Unsupported section found";
		if (bad) {
			bk__vreport(v, 0, -1, hpos + 8, -EINVAL, "%s", bad);
			return false;
		}
	}

	/* btf_parse_str_sec */
	{
		long long spos = (long long)(pos + h.hdr_len + h.str_off);

		if ((uint64_t)h.hdr_len + h.str_off + h.str_len != size) {
			bk__vreport(v, 0, -1, spos, -EINVAL, "String section is not at the end");
			ok = false;
		} else if (!split || h.str_len) {
			const char *s = blob ? NULL : btf->strs;

			if (!h.str_len || h.str_len - 1 > BK_KERNEL_MAX_NAME_OFFSET ||
			    (blob && blob[size - 1]) ||
			    (!split && (blob ? blob[h.hdr_len + h.str_off] : s[0]))) {
				bk__vreport(v, 0, -1, spos, -EINVAL, "Invalid string section");
				ok = false;
			}
		}
	}

	/* btf_parse_type_sec (not run for module BTF) */
	if (!split) {
		if (h.type_off & 3)
			bk__vreport(v, 0, -1, (long long)pos + 8, -EINVAL, "Unaligned type_off");
		if (!h.type_len)
			bk__vreport(v, 0, -1, (long long)pos + 12, -EINVAL, "No type found");
	}
	return ok;
}

static void check_header(struct bk__vctx *v)
{
	const struct bk_btf *btf = v->btf;
	uint32_t size = 0;
	const uint8_t *blob = input_blob(btf, &size);

	bk__vcheck_header(v, btf, blob, size, btf->file_off, btf->base != NULL, btf->swapped);
}

/* ---- per-type meta checks -------------------------------------------- */

#define FAIL(...)                                                    \
	do {                                                         \
		bk__vreport(v, id, -1, bk__vpos(v, id, 0), -EINVAL, __VA_ARGS__); \
		return false;                                        \
	} while (0)

static bool check_int(struct bk__vctx *v, uint32_t id, const struct bk_type *t)
{
	uint32_t data = bk_int_data(t), nr_bits;
	unsigned enc;

	if (bk_vlen(t))
		FAIL("vlen != 0");
	if (bk_kflag(t))
		FAIL("Invalid btf_info kind_flag");
	if (data & ~INT_MASK)
		FAIL("Invalid int_data:%x", data);
	nr_bits = (data & 0xff) + ((data >> 16) & 0xff);
	if (nr_bits > 128)
		FAIL("nr_bits exceeds 128");
	if ((nr_bits + 7) / 8 > t->size)
		FAIL("nr_bits exceeds type_size");
	enc = (data >> 24) & 0x0f;
	if (enc && enc != BK_INT_SIGNED && enc != BK_INT_CHAR && enc != BK_INT_BOOL) {
		bk__vreport(v, id, -1, bk__vpos(v, id, 0), -ENOTSUPP_KERNEL, "Unsupported encoding");
		return false;
	}
	return true;
}

static bool check_ref(struct bk__vctx *v, uint32_t id, const struct bk_type *t)
{
	unsigned k = bk_kind(t);

	if (bk_vlen(t))
		FAIL("vlen != 0");
	if (bk_kflag(t) && k != BK_KIND_TYPE_TAG)
		FAIL("Invalid btf_info kind_flag");
	if (t->type > BK_KERNEL_MAX_TYPES)
		FAIL("Invalid type_id");
	if (k == BK_KIND_TYPEDEF) {
		if (!t->name_off || !bk__vname_valid(v->btf, t->name_off))
			FAIL("Invalid name");
	} else if (k == BK_KIND_TYPE_TAG) {
		const char *s = bk_btf_str(v->btf, t->name_off);

		if (!s || !s[0])
			FAIL("Invalid name");
	} else if (t->name_off) {
		FAIL("Invalid name");
	}
	return true;
}

static bool check_fwd(struct bk__vctx *v, uint32_t id, const struct bk_type *t)
{
	if (bk_vlen(t))
		FAIL("vlen != 0");
	if (t->type)
		FAIL("type != 0");
	if (!t->name_off || !bk__vname_valid(v->btf, t->name_off))
		FAIL("Invalid name");
	return true;
}

static bool check_array(struct bk__vctx *v, uint32_t id, const struct bk_type *t)
{
	const struct bk_array *a = bk_array_of(t);

	if (t->name_off)
		FAIL("Invalid name");
	if (bk_vlen(t))
		FAIL("vlen != 0");
	if (bk_kflag(t))
		FAIL("Invalid btf_info kind_flag");
	if (t->size)
		FAIL("size != 0");
	if (!a->type || a->type > BK_KERNEL_MAX_TYPES)
		FAIL("Invalid elem");
	if (!a->index_type || a->index_type > BK_KERNEL_MAX_TYPES)
		FAIL("Invalid index");
	return true;
}

static bool check_struct(struct bk__vctx *v, uint32_t id, const struct bk_type *t)
{
	bool is_union = bk_kind(t) == BK_KIND_UNION, ok = true;
	const struct bk_member *m = bk_members(t);
	uint32_t last = 0;

	if (t->name_off && !bk__vname_valid(v->btf, t->name_off))
		FAIL("Invalid name");
	/* Every bad member is reported; the kernel stops at the first. */
	for (unsigned i = 0; i < bk_vlen(t) && !v->stop; i++, m++) {
		uint32_t off = bk_member_bit_offset(t, m);
		const char *bad = NULL;

		if (!name_off_valid(v, m->name_off)) {
			bk__vreport(v, id, (long)i, bk__vpos(v, id, 12 + 12 * (size_t)i), -EINVAL,
				    "Invalid member name_offset:%u", m->name_off);
			ok = false;
			continue;
		}
		if (m->name_off && !bk__vname_valid(v->btf, m->name_off))
			bad = "Invalid name";
		else if (!m->type || m->type > BK_KERNEL_MAX_TYPES)
			bad = "Invalid type_id";
		else if ((is_union && off) || last > off)
			bad = "Invalid member bits_offset";
		else if (off / 8 + !!(off % 8) > t->size)
			bad = "Member bits_offset exceeds its struct size";
		if (bad) {
			bk__vreport(v, id, (long)i, bk__vpos(v, id, 12 + 12 * (size_t)i), -EINVAL,
				    "%s", bad);
			ok = false;
		}
		last = off;
	}
	return ok;
}

static bool check_enum(struct bk__vctx *v, uint32_t id, const struct bk_type *t)
{
	size_t esz = bk__kinds[bk_kind(t)].elem_sz;
	const uint8_t *e = (const uint8_t *)(t + 1);
	bool ok = true;

	if (t->size > 8 || !t->size || (t->size & (t->size - 1)))
		FAIL("Unexpected size");
	if (t->name_off && !bk__vname_valid(v->btf, t->name_off))
		FAIL("Invalid name");
	for (unsigned i = 0; i < bk_vlen(t) && !v->stop; i++, e += esz) {
		uint32_t name_off;

		memcpy(&name_off, e, 4);
		if (!name_off_valid(v, name_off)) {
			bk__vreport(v, id, (long)i, bk__vpos(v, id, 12 + esz * i), -EINVAL,
				    "Invalid name_offset:%u", name_off);
			ok = false;
		} else if (!name_off || !bk__vname_valid(v->btf, name_off)) {
			bk__vreport(v, id, (long)i, bk__vpos(v, id, 12 + esz * i), -EINVAL, "Invalid name");
			ok = false;
		}
	}
	return ok;
}

static bool check_func_proto(struct bk__vctx *v, uint32_t id, const struct bk_type *t)
{
	if (t->name_off)
		FAIL("Invalid name");
	if (bk_kflag(t))
		FAIL("Invalid btf_info kind_flag");
	return true;
}

static bool check_func(struct bk__vctx *v, uint32_t id, const struct bk_type *t)
{
	if (!t->name_off || !bk__vname_valid(v->btf, t->name_off))
		FAIL("Invalid name");
	if (bk_vlen(t) > BK_LINKAGE_GLOBAL)
		FAIL("Invalid func linkage");
	if (bk_kflag(t))
		FAIL("Invalid btf_info kind_flag");
	return true;
}

static bool check_var(struct bk__vctx *v, uint32_t id, const struct bk_type *t)
{
	uint32_t linkage = bk_var_of(t)->linkage;

	if (bk_vlen(t))
		FAIL("vlen != 0");
	if (bk_kflag(t))
		FAIL("Invalid btf_info kind_flag");
	if (!t->name_off || !bk__vname_valid(v->btf, t->name_off))
		FAIL("Invalid name");
	if (!t->type || t->type > BK_KERNEL_MAX_TYPES)
		FAIL("Invalid type_id");
	if (linkage != BK_LINKAGE_STATIC && linkage != BK_LINKAGE_GLOBAL)
		FAIL("Linkage not supported");
	return true;
}

static bool check_datasec(struct bk__vctx *v, uint32_t id, const struct bk_type *t)
{
	const struct bk_var_secinfo *s = bk_secinfos(t);
	uint64_t last_end = 0, sum = 0;
	bool ok = true;

	if (!t->size)
		FAIL("size == 0");
	if (bk_kflag(t))
		FAIL("Invalid btf_info kind_flag");
	if (!t->name_off || !section_name_valid(v->btf, t->name_off))
		FAIL("Invalid name");
	for (unsigned i = 0; i < bk_vlen(t) && !v->stop; i++, s++) {
		const char *bad = NULL;

		if (!s->type || s->type > BK_KERNEL_MAX_TYPES)
			bad = "Invalid type_id";
		else if (s->offset < last_end || s->offset >= t->size)
			bad = "Invalid offset";
		else if (!s->size || s->size > t->size)
			bad = "Invalid size";
		else if ((uint64_t)s->offset + s->size > t->size)
			bad = "Invalid offset+size";
		if (bad) {
			bk__vreport(v, id, (long)i, bk__vpos(v, id, 12 + 12 * (size_t)i), -EINVAL,
				    "%s", bad);
			ok = false;
		}
		last_end = (uint64_t)s->offset + s->size;
		sum += s->size;
	}
	if (ok && t->size < sum)
		FAIL("Invalid btf_info size");
	return ok;
}

static bool check_float(struct bk__vctx *v, uint32_t id, const struct bk_type *t)
{
	if (bk_vlen(t))
		FAIL("vlen != 0");
	if (bk_kflag(t))
		FAIL("Invalid btf_info kind_flag");
	if (t->size != 2 && t->size != 4 && t->size != 8 && t->size != 12 && t->size != 16)
		FAIL("Invalid type_size");
	return true;
}

static bool check_decl_tag(struct bk__vctx *v, uint32_t id, const struct bk_type *t)
{
	const char *s = bk_btf_str(v->btf, t->name_off);

	if (!s || !s[0])
		FAIL("Invalid value");
	if (bk_vlen(t))
		FAIL("vlen != 0");
	if (bk_decl_tag_of(t)->component_idx < -1)
		FAIL("Invalid component_idx");
	return true;
}

/* Each kind's own rules (the kernel's btf_kind_operations.check_meta). */
typedef bool meta_check(struct bk__vctx *v, uint32_t id, const struct bk_type *t);
static meta_check *const meta_checks[BK_NR_KINDS] = {
	[BK_KIND_INT] = check_int,
	[BK_KIND_PTR] = check_ref,
	[BK_KIND_TYPEDEF] = check_ref,
	[BK_KIND_VOLATILE] = check_ref,
	[BK_KIND_CONST] = check_ref,
	[BK_KIND_RESTRICT] = check_ref,
	[BK_KIND_TYPE_TAG] = check_ref,
	[BK_KIND_ARRAY] = check_array,
	[BK_KIND_STRUCT] = check_struct,
	[BK_KIND_UNION] = check_struct,
	[BK_KIND_ENUM] = check_enum,
	[BK_KIND_ENUM64] = check_enum,
	[BK_KIND_FWD] = check_fwd,
	[BK_KIND_FUNC_PROTO] = check_func_proto,
	[BK_KIND_FUNC] = check_func,
	[BK_KIND_VAR] = check_var,
	[BK_KIND_DATASEC] = check_datasec,
	[BK_KIND_FLOAT] = check_float,
	[BK_KIND_DECL_TAG] = check_decl_tag,
};

/* btf_check_meta: the common part, then the kind's own rules. */
static bool check_meta(struct bk__vctx *v, uint32_t id, const struct bk_type *t)
{
	unsigned k = bk_kind(t);

	if (t->info & ~INFO_MASK)
		FAIL("Invalid btf_info:%x", t->info);
	if (k == BK_KIND_UNKN || k >= BK_NR_KINDS)
		FAIL("Invalid kind:%u", k);
	if (!name_off_valid(v, t->name_off))
		FAIL("Invalid name_offset:%u", t->name_off);
	return meta_checks[k](v, id, t);
}

static void check_all_metas(struct bk__vctx *v)
{
	for (uint32_t id = v->start_id; id < v->type_cnt && !v->stop; id++) {
		if (id == BK_KERNEL_MAX_TYPES) {
			bk__vreport(v, id, -1, bk__vpos(v, id, 0), -E2BIG, "Exceeded max num of types");
			for (; id < v->type_cnt; id++)
				v->state[id - v->start_id] = BK__V_FAILED;
			return;
		}
		if (!check_meta(v, id, bk__own_type(v->btf, id)))
			v->state[id - v->start_id] = BK__V_FAILED;
	}
}

/* ---- type tags (btf_check_type_tags) --------------------------------- */

static void check_type_tags(struct bk__vctx *v)
{
	const struct bk_btf *btf = v->btf;
	uint32_t good_id = v->start_id - 1;

	for (uint32_t i = v->start_id; i < v->type_cnt && !v->stop; i++) {
		const struct bk_type *t = bk__own_type(btf, i);
		uint32_t cur = i;
		int limit = 32;
		bool in_tags;

		if (!bk__v_is_modifier(bk_kind(t)))
			continue;
		if (v->state[i - v->start_id] == BK__V_FAILED)
			continue; /* already reported */
		in_tags = bk_kind(t) == BK_KIND_TYPE_TAG;
		while (t && bk__v_is_modifier(bk_kind(t))) {
			if (!limit--) {
				bk__vreport(v, i, -1, bk__vpos(v, i, 0), -ELOOP,
					    "Max chain length or cycle detected");
				break;
			}
			if (bk_kind(t) == BK_KIND_TYPE_TAG) {
				if (!in_tags) {
					bk__vreport(v, i, -1, bk__vpos(v, i, 0), -EINVAL,
						    "Type tags don't precede modifiers");
					break;
				}
			} else {
				in_tags = false;
			}
			if (cur <= good_id)
				break;
			cur = t->type;
			t = bk_btf_type(btf, cur);
			if (!t) /* only in unchecked objects: the kernel fails silently */
				bk__vreport(v, i, -1, bk__vpos(v, i, 0), -EINVAL,
					    "Invalid type_id (a modifier chain reaches [%u], past the last type [%u]: the kernel's type-tag check rejects it without a message)",
					    cur, v->type_cnt - 1);
		}
		good_id = i;
	}
}

/* ---- entry point ------------------------------------------------------ */

int bk_btf_validate(const struct bk_btf *btf, const struct bk_validate_opts *opts)
{
	struct bk_validate_opts o = { .sz = sizeof(o) };
	struct bk__vctx v = { .btf = btf };
	uint32_t n;
	int err = 0;

	if (!btf)
		return -EINVAL;
	if ((err = bk__opts_get(&o, sizeof(o), opts)))
		return err;
	opts = &o;
	v.opts = opts;
	v.start_id = bk_btf_start_id(btf);
	v.type_cnt = bk_btf_type_cnt(btf);
	v.types_pos = btf->file_off + btf->hdr_len + btf->hdr_type_off;
	n = btf->nr_types;
	v.state = calloc(n ? n : 1, 1);
	v.res_id = calloc(n ? n : 1, sizeof(uint32_t));
	v.res_size = calloc(n ? n : 1, sizeof(uint32_t));
	if (!v.state || !v.res_id || !v.res_size) {
		err = -ENOMEM;
		goto out;
	}
	check_header(&v);
	check_all_metas(&v);
	/*
	 * Module BTF read unchecked (module check): only the module loader's
	 * checks; the special-field pass needs references the resolve pass
	 * has vetted.
	 */
	if (btf->unchecked_refs && btf->base && (opts->flags & BK_VALIDATE_KERNEL_MODULE)) {
		check_type_tags(&v);
		err = v.count;
		goto out;
	}
	if (!btf->base || !(opts->flags & BK_VALIDATE_KERNEL_MODULE)) {
		err = bk__vresolve_all(&v);
		if (err)
			goto out;
	}
	check_type_tags(&v);
	if (!v.count)
		bk__vspecial_all(&v);
	err = v.count;
out:
	free(v.state);
	free(v.res_id);
	free(v.res_size);
	return err;
}
