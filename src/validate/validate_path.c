// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bk_btf_validate_path: validate the BTF of a file as the kernel would see
 * it, including what btfkit's parser refuses before the validator could
 * look.
 *
 * The parser is libbpf's: it refuses references to missing types and name
 * offsets outside the strings, and malformed headers, sections and records.
 * The kernel reports each of those in its own words. So the file is opened
 * unchecked (BK__OPEN_UNCHECKED: references and names are left to the
 * validator, whose resolve pass reports them as the kernel does: "Invalid
 * type_id", "Invalid arg#N", "Invalid return type", "Invalid name_offset:N"
 * ...). If it still does not parse, the BTF bytes are read unparsed and
 * given the kernel's header, section and string checks ("Invalid magic",
 * "Unsupported btf_header", "Section overlap found", "Total section length
 * too long", "Invalid string section", ...) and its walk over the type
 * records ("meta_left:N meta_needed:M", "Invalid btf_info:X", "Invalid
 * kind:N"); the problem that stops the kernel gets the parser's account of
 * it appended. Only when neither finds it (something the kernel would not
 * read the same way) is the parser's message the problem.
 */
#include <stdlib.h>

#include "validate_int.h"

#define INFO_MASK 0x9f00ffffu

/* A 32-bit word of blob at off, in the data's byte order. */
static uint32_t rd32(const uint8_t *blob, uint32_t off, bool swapped)
{
	uint32_t w;

	memcpy(&w, blob + off, 4);
	return swapped ? bk__bswap32(w) : w;
}

/*
 * btf_check_all_metas' first steps on raw records (in the data's byte
 * order, after the header checks passed): room for the record, info bits,
 * kind. Returns false at the first problem, as the kernel stops there.
 */
static bool check_raw_types(struct bk__vctx *v, const uint8_t *blob, uint32_t size, uint64_t pos,
			    bool swapped)
{
	uint32_t hdr_len = rd32(blob, 4, swapped), type_off = rd32(blob, 8, swapped),
		 type_len = rd32(blob, 12, swapped), off, end, id = 1;

	if (hdr_len < 24 || !bk__fits((uint64_t)hdr_len + type_off, type_len, size))
		return true; /* the header checks said what there is to say */
	off = hdr_len + type_off;
	end = off + type_len;
	for (; off < end; id++) {
		uint32_t left = end - off, info, kind;
		uint64_t need;

		if (left < sizeof(struct bk_type)) {
			bk__vreport(v, 0, -1, (long long)(pos + off), -EINVAL,
				    "meta_left:%u meta_needed:%zu", left, sizeof(struct bk_type));
			return false;
		}
		info = rd32(blob, off + 4, swapped);
		kind = (info >> 24) & 0x7f;
		if (info & ~INFO_MASK) {
			bk__vreport(v, 0, -1, (long long)(pos + off), -EINVAL, "Invalid btf_info:%x", info);
			return false;
		}
		if (kind == BK_KIND_UNKN || kind >= BK_NR_KINDS) {
			bk__vreport(v, 0, -1, (long long)(pos + off), -EINVAL, "Invalid kind:%u", kind);
			return false;
		}
		need = sizeof(struct bk_type) + bk__kinds[kind].info_sz +
		       (uint64_t)(info & 0xffff) * bk__kinds[kind].elem_sz;
		if (left < need) {
			bk__vreport(v, 0, -1, (long long)(pos + off), -EINVAL,
				    "meta_left:%u meta_needed:%llu", left - (uint32_t)sizeof(struct bk_type),
				    (unsigned long long)need - sizeof(struct bk_type));
			return false;
		}
		off += (uint32_t)need;
	}
	return true;
}

/*
 * Header and records of blob; the number of problems (and where the fatal
 * one is). Opposite-endian data (its magic byte-swapped) is checked in its
 * own byte order, as the validator checks a parsed opposite-endian object.
 */
static int check_raw(struct bk__vctx *v, const uint8_t *blob, size_t size, uint64_t pos, bool split)
{
	bool swapped = size >= 2 && blob[0] == 0xeb && blob[1] == 0x9f;
	uint32_t n = size > UINT32_MAX ? UINT32_MAX : (uint32_t)size;

	if (bk__vcheck_header(v, NULL, blob, n, pos, split, swapped))
		check_raw_types(v, blob, n, pos, swapped);
	return v->count;
}

int bk_btf_validate_path(const char *path, struct bk_btf *base, const struct bk_validate_opts *opts,
			 struct bk_diag *diag)
{
	struct bk_validate_opts vo = { .sz = sizeof(vo) }, count_only = { .sz = sizeof(vo) };
	struct bk_diag local = { 0 };
	struct bk_open_opts o = { .sz = sizeof(o), .base = base };
	struct bk__vctx v = { .opts = &count_only };
	struct bk_btf *btf;
	uint8_t *blob = NULL;
	size_t size;
	uint64_t pos;
	int n, err;

	if (!path)
		return -EINVAL;
	if ((err = bk__opts_get(&vo, sizeof(vo), opts)))
		return err;
	if (!diag)
		diag = &local;
	o.diag = diag;
	btf = bk__btf_open(path, &o, BK__OPEN_UNCHECKED);
	if (btf) {
		n = bk_btf_validate(btf, &vo);
		bk_btf_free(btf);
		return n;
	}
	switch (-diag->err) {
	case ENOENT: /* no such file, or no .BTF section */
	case EISDIR:
	case EACCES:
	case ENOMEM:
	case EIO:
		return diag->err;
	}
	err = bk__btf_read_blob(path, &blob, &size, &pos, &local);
	if (err) /* the open's reason stands */
		return diag->err;
	/* first count, to know which problem stops the kernel's parse */
	n = check_raw(&v, blob, size, pos, base != NULL);
	memset(&v, 0, sizeof(v));
	v.opts = &vo;
	v.detail = diag->msg;
	v.detail_at = n;
	if (n) {
		check_raw(&v, blob, size, pos, base != NULL);
	} else {
		/* the kernel would read it otherwise: the parser's reason is the problem */
		v.detail = NULL;
		bk__vreport(&v, 0, -1, -1, diag->err, "%s", diag->msg);
	}
	free(blob);
	return v.count;
}
