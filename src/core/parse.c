// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Raw BTF parsing: header, sections, byte order, type records and the
 * sanity checks every consumer relies on.
 *
 * The input is untrusted. Every offset and length is checked with 64-bit
 * arithmetic before use, and a record is sized from its kind (or the
 * kind-layout section for kinds we do not know) before any of its payload is
 * read. After parsing these invariants hold, so later code may index without
 * re-checking:
 *  - own types tile the type section exactly; each record is whole;
 *  - every string offset in an own type (names of types, members, params,
 *    enumerators) is < bk__str_end(btf), and the string section ends in NUL;
 *  - every referenced type ID is < bk_btf_type_cnt(btf);
 *  - every FUNC points at a FUNC_PROTO.
 * (The last three are skipped for objects marked unchecked_refs, which only
 * the validator sees; see internal.h.)
 * The kernel's stricter rules (identifier syntax, sizes, loops) belong to
 * validate.c, not here: this parser accepts what libbpf accepts, so that
 * btfkit can print anything bpftool can.
 *
 * Opposite-endian input is swapped in place: the 12-byte common part first
 * (its kind and vlen size the record), then the payload by kind.
 */
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"

struct raw_hdr {
	uint16_t magic;
	uint8_t version;
	uint8_t flags;
	uint32_t hdr_len;
	uint32_t type_off, type_len;
	uint32_t str_off, str_len;
	uint32_t layout_off, layout_len;
};

#define HDR_FIXED 24u

/* Byte offset in the input file of p, a pointer into the type section. */
static uint64_t file_pos(const struct bk_btf *btf, const uint8_t *types, const void *p)
{
	return btf->file_off + btf->hdr_len + btf->hdr_type_off +
	       (uint64_t)((const uint8_t *)p - types);
}

static int parse_header(struct bk_btf *btf, const uint8_t *data, size_t size,
			struct raw_hdr *h, struct bk_diag *diag)
{
	uint32_t words[8] = { 0 };
	uint16_t magic;
	size_t n;

	if (size < 8)
		return bk__diag(diag, -EINVAL,
				"truncated BTF header: %zu bytes, need at least %u (byte offset %llu)",
				size, HDR_FIXED, (unsigned long long)btf->file_off);
	memcpy(&magic, data, 2);
	if (magic == BK_MAGIC)
		btf->swapped = false;
	else if (magic == bk__bswap16(BK_MAGIC))
		btf->swapped = true;
	else
		return bk__diag(diag, -EINVAL, "bad BTF magic 0x%04x, expected 0xeb9f (byte offset %llu)",
				magic, (unsigned long long)btf->file_off);
	memcpy(&h->hdr_len, data + 4, 4);
	if (btf->swapped)
		h->hdr_len = bk__bswap32(h->hdr_len);
	if (h->hdr_len < HDR_FIXED)
		return bk__diag(diag, -EINVAL,
				"BTF header length %u is smaller than the minimum %u (byte offset %llu)",
				h->hdr_len, HDR_FIXED, (unsigned long long)btf->file_off + 4);
	if (size < HDR_FIXED)
		return bk__diag(diag, -EINVAL,
				"truncated BTF header: %zu bytes, need at least %u (byte offset %llu)",
				size, HDR_FIXED, (unsigned long long)btf->file_off);
	if (h->hdr_len > size)
		return bk__diag(diag, -EINVAL,
				"BTF header length %u is larger than the data (%zu bytes) (byte offset %llu)",
				h->hdr_len, size, (unsigned long long)btf->file_off + 4);
	n = h->hdr_len < sizeof(words) ? h->hdr_len : sizeof(words);
	memcpy(words, data, n);
	if (btf->swapped)
		for (size_t i = 1; i < 8; i++)
			words[i] = bk__bswap32(words[i]);
	h->magic = BK_MAGIC;
	h->version = data[2];
	h->flags = data[3];
	h->type_off = words[2];
	h->type_len = words[3];
	h->str_off = words[4];
	h->str_len = words[5];
	h->layout_off = h->hdr_len >= 28 ? words[6] : 0;
	h->layout_len = h->hdr_len >= 32 ? words[7] : 0;
	for (size_t i = sizeof(words); i < h->hdr_len; i++) {
		if (data[i]) {
			btf->hdr_extra = true;
			break;
		}
	}
	return 0;
}

static int check_sections(struct bk_btf *btf, const struct raw_hdr *h, size_t size,
			  struct bk_diag *diag)
{
	uint64_t data_len = size - h->hdr_len;
	unsigned long long hpos = btf->file_off;

	if (!bk__fits(h->str_off, h->str_len, data_len))
		return bk__diag(diag, -EINVAL,
				"string section (offset %u, length %u) runs past the end of the data (%llu bytes after the header) (byte offset %llu)",
				h->str_off, h->str_len, (unsigned long long)data_len, hpos + 16);
	if (!bk__fits(h->type_off, h->type_len, data_len))
		return bk__diag(diag, -EINVAL,
				"type section (offset %u, length %u) runs past the end of the data (%llu bytes after the header) (byte offset %llu)",
				h->type_off, h->type_len, (unsigned long long)data_len, hpos + 8);
	if ((uint64_t)h->type_off + h->type_len > h->str_off)
		return bk__diag(diag, -EINVAL,
				"type section (offset %u, length %u) overlaps or follows the string section (offset %u) (byte offset %llu)",
				h->type_off, h->type_len, h->str_off, hpos + 8);
	if (h->type_off % 4)
		return bk__diag(diag, -EINVAL, "type section offset %u is not 4-byte aligned (byte offset %llu)",
				h->type_off, hpos + 8);
	if (h->type_len % 4)
		return bk__diag(diag, -EINVAL, "type section length %u is not a multiple of 4 (byte offset %llu)",
				h->type_len, hpos + 12);
	if (h->layout_len) {
		if (h->layout_off % 4 || h->layout_len % 4)
			return bk__diag(diag, -EINVAL,
					"kind layout section (offset %u, length %u) is not 4-byte aligned (byte offset %llu)",
					h->layout_off, h->layout_len, hpos + 24);
		if (h->layout_off < (uint64_t)h->type_off + h->type_len ||
		    (uint64_t)h->layout_off + h->layout_len > h->str_off)
			return bk__diag(diag, -EINVAL,
					"kind layout section (offset %u, length %u) overlaps the type or string section (byte offset %llu)",
					h->layout_off, h->layout_len, hpos + 24);
	}
	return 0;
}

static int check_strings(struct bk_btf *btf, const struct raw_hdr *h, const char *strs,
			 struct bk_diag *diag)
{
	unsigned long long pos = btf->file_off + h->hdr_len + h->str_off;

	if (h->str_len == 0) {
		if (btf->base)
			return 0;
		return bk__diag(diag, -EINVAL,
				"string section is empty: base BTF probably missing, this looks like split BTF (byte offset %llu)",
				pos);
	}
	if (h->str_len - 1 > 0x7fffffffu)
		return bk__diag(diag, -E2BIG, "string section too large: %u bytes (byte offset %llu)",
				h->str_len, pos);
	if (strs[h->str_len - 1] != '\0')
		return bk__diag(diag, -EINVAL,
				"string section is not NUL-terminated (byte offset %llu)",
				pos + h->str_len - 1);
	if (!btf->base && strs[0] != '\0')
		return bk__diag(diag, -EINVAL,
				"string section does not start with NUL: base BTF probably missing, this looks like split BTF (byte offset %llu)",
				pos);
	if ((uint64_t)btf->start_str_off + h->str_len > UINT32_MAX)
		return bk__diag(diag, -E2BIG, "string section too large for its base (byte offset %llu)", pos);
	return 0;
}

static void swap_layout(struct bk_layout *l, uint32_t cnt)
{
	for (uint32_t i = 0; i < cnt; i++)
		l[i].flags = bk__bswap16(l[i].flags);
}

/* Swap the payload of a record whose common part is already native. */
static void swap_payload(struct bk_type *t, size_t rec_size)
{
	uint32_t *w = (uint32_t *)(t + 1);
	size_t n = (rec_size - sizeof(*t)) / 4;

	/* Every known payload is an array of 32-bit words. */
	for (size_t i = 0; i < n; i++)
		w[i] = bk__bswap32(w[i]);
}

/*
 * Context for the per-type checks: names must be < str_end, IDs < type_cnt.
 * For split BTF, a name pointing into the base must land at the start of a
 * base string; otherwise the split was almost certainly read against the
 * wrong base (libbpf does not check this and prints garbage names).
 */
struct check_ctx {
	struct bk_btf *btf;
	const uint8_t *blob;
	uint32_t str_end;
	uint32_t type_cnt;
	struct bk_diag *diag;
	/* the nearest base's strings: global offsets base_start.. */
	const char *base_strs;
	uint32_t base_start;
};

static const char *wrong_base_hint(const struct bk_btf *btf)
{
	return btf->base ? ": does this split BTF belong to this base?"
			 : ": base BTF probably missing";
}

static int check_name(struct check_ctx *c, uint32_t id, uint32_t off, const char *what, long idx,
		      const void *where) __attribute__((noinline));
static int check_name(struct check_ctx *c, uint32_t id, uint32_t off, const char *what, long idx,
		      const void *where)
{
	struct bk_btf *btf = c->btf;
	char elem[48] = "";

	if (off < c->str_end) {
		/* In the base: must be the start of a string. */
		if (off >= btf->start_str_off || off == 0 || bk__str_starts(btf->base, off))
			return 0;
		if (idx >= 0)
			snprintf(elem, sizeof(elem), ", %s %ld", what, idx);
		return bk__diag(c->diag, -EINVAL,
				"name offset %u points into the middle of a base string%s (type [%u]%s, byte offset %llu)",
				off, wrong_base_hint(btf), id, elem,
				(unsigned long long)file_pos(btf, c->blob, where));
	}
	if (idx >= 0)
		snprintf(elem, sizeof(elem), ", %s %ld", what, idx);
	return bk__diag(c->diag, -EINVAL,
			"name offset %u out of range (string section ends at %u)%s (type [%u]%s, byte offset %llu)",
			off, c->str_end, off >= c->str_end && btf->base ? wrong_base_hint(btf) : "",
			id, elem, (unsigned long long)file_pos(btf, c->blob, where));
}

static int bad_id(struct check_ctx *c, uint32_t id, uint32_t ref, const char *what, long idx,
		  const void *where) __attribute__((cold, noinline));
static int bad_id(struct check_ctx *c, uint32_t id, uint32_t ref, const char *what, long idx,
		  const void *where)
{
	char elem[48] = "";

	if (idx >= 0)
		snprintf(elem, sizeof(elem), ", %s %ld", what, idx);
	return bk__diag(c->diag, -EINVAL,
			"referenced type ID %u out of range (last ID is %u)%s (type [%u]%s, byte offset %llu)",
			ref, c->type_cnt - 1, c->btf->base ? wrong_base_hint(c->btf) : "", id, elem,
			(unsigned long long)file_pos(c->btf, c->blob, where));
}

#define CHECK_ID(ref, what, idx, where)                                       \
	do {                                                                   \
		if ((ref) >= c->type_cnt)                                      \
			return bad_id(c, id, (ref), what, idx, where);         \
	} while (0)

/*
 * The common case inline: an own string, or the start of a string of a
 * one-level base (the byte before it is a NUL). Anything else goes to
 * check_name, which reports or walks a deeper base chain. Only type names
 * get the start-of-string test: it costs a cache miss per name, member
 * names are the bulk of them, and a split read on the wrong base is caught
 * by its type names alone (hundreds of them land mid-string).
 * CHECK_NAME_RANGE is the plain range check for the other names.
 */
#define CHECK_NAME(off, what, idx, where)                                     \
	do {                                                                   \
		uint32_t _o = (off);                                           \
		if (_o >= c->str_end ||                                        \
		    (_o < base_str_end && _o &&                                \
		     !(_o > c->base_start && c->base_strs[_o - c->base_start - 1] == '\0'))) \
			if ((err = check_name(c, id, _o, what, idx, where)))   \
				return err;                                    \
	} while (0)

#define CHECK_NAME_RANGE(off, what, idx, where)                               \
	do {                                                                   \
		if ((off) >= c->str_end)                                       \
			if ((err = check_name(c, id, (off), what, idx, where))) \
				return err;                                    \
	} while (0)

/*
 * The exact check of one own type, field by field in record order (the
 * name, the fixed type IDs, then each element's name and type ID, then a
 * FUNC's target), reporting the first problem. parse_types runs it over
 * every type only when its quick pass found something suspect.
 */
static int check_type(struct check_ctx *c, uint32_t id, const struct bk_type *t)
{
	uint32_t base_str_end = c->btf->start_str_off;
	const struct bk__kind *k;
	const uint32_t *p, *e;
	int32_t stride;
	unsigned n;
	int err;

	CHECK_NAME(t->name_off, "", -1, t);
	if (bk_kind(t) >= BK_NR_KINDS)
		return 0;
	k = &bk__kinds[bk_kind(t)];
	n = k->elem_sz ? bk_vlen(t) : 0;
	e = (const uint32_t *)((const uint8_t *)(t + 1) + k->info_sz);
	bk__kind_ids(t, &p, &stride);
	for (unsigned i = 0; i < k->id_fixed; i++, p += stride)
		CHECK_ID(*p, "", -1, p);
	for (unsigned i = 0; i < n; i++, e += k->elem_sz / 4) {
		if (k->flags & BK__KF_ELEM_NAMED)
			CHECK_NAME_RANGE(*e, k->elem_noun, (long)i, e);
		if (k->id_per_elem) {
			CHECK_ID(*p, k->elem_noun, (long)i, p);
			p += stride;
		}
	}
	if (bk_kind(t) == BK_KIND_FUNC) {
		const struct bk_type *fp = bk_btf_type(c->btf, t->type);

		if (bk_kind(fp) != BK_KIND_FUNC_PROTO)
			return bk__diag(c->diag, -EINVAL,
					"FUNC refers to type [%u] which is %s, not FUNC_PROTO (type [%u], byte offset %llu)",
					t->type, bk_kind_name(bk_kind(fp)), id,
					(unsigned long long)file_pos(c->btf, c->blob, &t->type));
	}
	return 0;
}

static int check_all_types(struct bk_btf *btf, const uint8_t *blob, struct bk_diag *diag)
{
	struct check_ctx c = {
		.btf = btf,
		.blob = blob,
		.str_end = bk__str_end(btf),
		.type_cnt = bk_btf_type_cnt(btf),
		.diag = diag,
		.base_strs = btf->base ? btf->base->strs : NULL,
		.base_start = btf->base ? btf->base->start_str_off : UINT32_MAX,
	};
	int err;

	for (uint32_t i = 0; i < btf->nr_types; i++) {
		uint32_t id = btf->start_id + i;

		err = check_type(&c, id, bk__own_type(btf, id));
		if (err)
			return err;
	}
	return 0;
}

/*
 * The quick check parse_types makes of each record while it is in cache:
 * nothing is reported, a problem only makes q->suspect true (names, a
 * FUNC's target) or q->max_ref too large (type IDs: the number of types is
 * not known yet), and check_all_types then finds and reports the first
 * problem in the order it always had.
 */
struct quick {
	uint32_t str_end;       /* names must be below */
	uint32_t base_str_end;  /* names below are the base's ... */
	uint32_t base_start;    /* ... and, from here, the nearest base's: */
	const char *base_strs;  /* the start of one of its strings */
	uint32_t max_ref;       /* largest type ID referenced */
	bool suspect;
};

static inline void quick_check(struct quick *q, const struct bk_btf *btf, const uint8_t *types,
			       const uint32_t *offs, uint32_t id, const struct bk_type *t,
			       unsigned kind, uint32_t vlen)
{
	const struct bk__kind *k = &bk__kinds[kind];
	const uint32_t *w = (const uint32_t *)t, *p;
	uint32_t o = t->name_off, m = q->max_ref;

	/* as CHECK_NAME: out of range, or (split) not the start of a base string */
	if (o >= q->str_end ||
	    (o < q->base_str_end && o && !(o > q->base_start && q->base_strs[o - q->base_start - 1] == '\0')))
		q->suspect = true;
	/* the type-ID run (stride >= 1) */
	p = w + k->id_first;
	for (const uint32_t *end = p + (k->id_fixed + k->id_per_elem * vlen) * k->id_stride; p < end;
	     p += k->id_stride)
		m = *p > m ? *p : m;
	q->max_ref = m;
	if (k->flags & BK__KF_ELEM_NAMED) {
		const uint32_t *e = w + 3 + k->info_sz / 4;
		uint32_t ew = k->elem_sz / 4, top = 0;

		for (const uint32_t *end = e + vlen * ew; e < end; e += ew)
			top = *e > top ? *e : top;
		if (top >= q->str_end)
			q->suspect = true;
	}
	if (kind == BK_KIND_FUNC) {
		/* a target already read (or the base's); any other: the exact pass */
		const struct bk_type *fp = NULL;

		if (t->type >= btf->start_id && t->type < id)
			fp = (const struct bk_type *)(types + offs[t->type - btf->start_id]);
		else if (t->type && t->type < btf->start_id)
			fp = bk_btf_type(btf->base, t->type);
		if (!fp || bk_kind(fp) != BK_KIND_FUNC_PROTO)
			q->suspect = true;
	}
}

/*
 * Size every record (swapping it first when the input is opposite-endian)
 * and record its offset, checking it quickly on the way (quick_check); when
 * that found anything, check_all_types reports the first problem.
 */
static int parse_types(struct bk_btf *btf, uint8_t *types, uint32_t len,
		       struct bk_diag *diag)
{
	uint32_t cap = len / 12 + 1, n = 0, off = 0;
	struct quick q = {
		.str_end = bk__str_end(btf),
		.base_str_end = btf->start_str_off,
		.base_start = btf->base ? btf->base->start_str_off : UINT32_MAX,
		.base_strs = btf->base ? btf->base->strs : NULL,
	};
	uint32_t *offs;

	offs = malloc((size_t)cap * sizeof(*offs));
	if (!offs)
		return bk__diag(diag, -ENOMEM, "out of memory");
	while (off < len) {
		struct bk_type *t = (struct bk_type *)(types + off);
		uint32_t id = btf->start_id + n, vlen = 0;
		unsigned kind;
		size_t rec;

		if (len - off < sizeof(*t)) {
			free(offs);
			return bk__diag(diag, -EINVAL,
					"type record truncated: %u bytes left in the type section, need 12 (type [%u], byte offset %llu)",
					len - off, id, (unsigned long long)file_pos(btf, types, t));
		}
		if (btf->swapped) {
			t->name_off = bk__bswap32(t->name_off);
			t->info = bk__bswap32(t->info);
			t->size = bk__bswap32(t->size);
		}
		if (bk_kind(t) == BK_KIND_UNKN) {
			/* void is implicit; libbpf rejects such a record too */
			free(offs);
			return bk__diag(diag, -EINVAL,
					"record of kind 0 (UNKN): void is implicit and has no record (type [%u], byte offset %llu)",
					id, (unsigned long long)file_pos(btf, types, t));
		}
		kind = bk_kind(t);
		if (kind >= BK_NR_KINDS) {
			const struct bk_layout *l = bk__find_layout(btf, bk_kind(t));

			if (!l) {
				free(offs);
				return bk__diag(diag, -EOPNOTSUPP,
						"unknown kind %u and no kind layout describes it (type [%u], byte offset %llu)",
						bk_kind(t), id, (unsigned long long)file_pos(btf, types, t));
			}
			if (btf->swapped) {
				free(offs);
				return bk__diag(diag, -EOPNOTSUPP,
						"unknown kind %u in opposite-endian BTF cannot be byte-swapped (type [%u], byte offset %llu)",
						bk_kind(t), id, (unsigned long long)file_pos(btf, types, t));
			}
			/* checked here, on use, as libbpf does: records stay 4-aligned */
			if (l->info_sz % 4 || l->elem_sz % 4) {
				free(offs);
				return bk__diag(diag, -EINVAL,
						"kind layout entry for kind %u has sizes %u/%u that are not multiples of 4 (type [%u], byte offset %llu)",
						bk_kind(t), l->info_sz, l->elem_sz, id,
						(unsigned long long)file_pos(btf, types, t));
			}
			rec = bk__rec_size(btf, t);
		} else {
			vlen = bk_vlen(t);
			rec = sizeof(*t) + bk__kinds[kind].info_sz + (size_t)vlen * bk__kinds[kind].elem_sz;
		}
		if (rec > len - off) {
			free(offs);
			return bk__diag(diag, -EINVAL,
					"%s record with vlen %u needs %zu bytes but only %u are left in the type section (type [%u], byte offset %llu)",
					bk_kind_name(bk_kind(t)), bk_vlen(t), rec, len - off, id,
					(unsigned long long)file_pos(btf, types, t));
		}
		if (btf->swapped)
			swap_payload(t, rec);
		if (id == UINT32_MAX) {
			free(offs);
			return bk__diag(diag, -E2BIG, "too many types (type [%u])", id);
		}
		if (kind < BK_NR_KINDS)
			quick_check(&q, btf, types, offs, id, t, kind, vlen);
		else if (t->name_off >= q.str_end || t->name_off < q.base_str_end)
			q.suspect = true; /* (the exact pass checks its name) */
		offs[n++] = off;
		off += (uint32_t)rec;
	}
	btf->type_offs = offs;
	btf->type_offs_cap = cap;
	btf->nr_types = n;
	if (!btf->unchecked_refs && (q.suspect || q.max_ref >= bk_btf_type_cnt(btf)))
		return check_all_types(btf, types, diag);
	return 0;
}

int bk__parse_raw(struct bk_btf *btf, uint8_t *data, size_t size, bool writable,
		  struct bk_diag *diag)
{
	struct raw_hdr h = { 0 };
	uint8_t *sec;
	int err;

	if (size > UINT32_MAX)
		return bk__diag(diag, -E2BIG, "BTF data too large: %zu bytes", size);
	err = parse_header(btf, data, size, &h, diag);
	if (err)
		return err;
	if ((btf->swapped || ((uintptr_t)data & 3) || (h.hdr_len & 3)) && !writable) {
		/* We must change or realign the data: work on a private copy. */
		uint8_t *copy = malloc(size);

		if (!copy)
			return bk__diag(diag, -ENOMEM, "out of memory");
		memcpy(copy, data, size);
		btf->img.data = copy;
		btf->img.size = size;
		btf->img.owned = true;
		data = copy;
	}
	err = check_sections(btf, &h, size, diag);
	if (err)
		return err;
	btf->hdr_len = h.hdr_len;
	btf->hdr_type_off = h.type_off;
	btf->hdr_str_off = h.str_off;
	btf->hdr_layout_off = h.layout_off;
	btf->raw_size = (uint32_t)size;

	sec = data + h.hdr_len;
	btf->strs = (char *)sec + h.str_off;
	btf->strs_len = h.str_len;
	err = check_strings(btf, &h, btf->strs, diag);
	if (err)
		return err;

	if (h.layout_len) {
		uint8_t *l = sec + h.layout_off;

		if ((uintptr_t)l & 1) {
			btf->layout = malloc(h.layout_len);
			if (!btf->layout)
				return bk__diag(diag, -ENOMEM, "out of memory");
			memcpy(btf->layout, l, h.layout_len);
			btf->layout_owned = true;
		} else {
			btf->layout = (struct bk_layout *)l;
		}
		btf->layout_cnt = h.layout_len / (uint32_t)sizeof(struct bk_layout);
		if (btf->swapped)
			swap_layout(btf->layout, btf->layout_cnt);
	}

	btf->types = sec + h.type_off;
	btf->types_len = h.type_len;
	if ((uintptr_t)btf->types & 3) {
		/* hdr_len not a multiple of 4: realign the type section. */
		uint8_t *t = malloc(h.type_len ? h.type_len : 1);

		if (!t)
			return bk__diag(diag, -ENOMEM, "out of memory");
		memcpy(t, btf->types, h.type_len);
		btf->types = t;
		btf->types_cap = h.type_len ? h.type_len : 1;
	}
	return parse_types(btf, btf->types, h.type_len, diag);
}
