// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Serialization: an object's own types and strings as a raw BTF blob, in
 * either byte order, written to a file atomically through file.c.
 *
 * Layout written (what libbpf writes, and what the kernel requires):
 *	header | types | [kind layout] | strings
 * with type_off = 0, str_off = type_len (+ layout_len), no gaps. The header
 * length is the one read (a parsed 24-byte header stays 24, as in libbpf),
 * 24 for objects created empty (as libbpf 1.1.2 writes), and at least 32
 * when there is a layout section. Header bytes past the known fields are
 * written as zeros. For split BTF the header describes only the split's own
 * sections; IDs and string offsets inside records are global.
 *
 * For these inputs parse -> serialize is byte-identical: any blob with that
 * layout, version 1 and flags 0 (every kernel, pahole and libbpf output).
 *
 * Opposite byte order: every known record is a sequence of 32-bit words, so
 * each word is swapped; the record's size is computed from its native info
 * word before swapping. Unknown kinds cannot be swapped (-EOPNOTSUPP), as
 * the parser cannot swap them either. Layout entries swap their u16 flags.
 */
#include <stdlib.h>

#include "write_int.h"
#include "btfkit/write.h"

int bk_btf_set_endian(struct bk_btf *btf, enum bk_endian endian)
{
	bool host_le = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;

	if (!btf || (endian != BK_ENDIAN_LITTLE && endian != BK_ENDIAN_BIG))
		return -EINVAL;
	btf->swapped = host_le != (endian == BK_ENDIAN_LITTLE);
	return 0;
}

/* Swap the 32-bit word at p (which may be unaligned: hdr_len % 4 != 0). */
static void swap_word(uint8_t *p)
{
	uint32_t w;

	memcpy(&w, p, 4);
	w = bk__bswap32(w);
	memcpy(p, &w, 4);
}

static int swap_types(const struct bk_btf *btf, uint8_t *p, size_t len)
{
	for (size_t off = 0; off < len;) {
		struct bk_type t;
		size_t rec;

		memcpy(&t, p + off, sizeof(t));
		if (bk_kind(&t) >= BK_NR_KINDS)
			return -EOPNOTSUPP;
		rec = bk__rec_size(btf, &t);
		for (size_t i = 0; i < rec; i += 4)
			swap_word(p + off + i);
		off += rec;
	}
	return 0;
}

int bk_btf_serialize(const struct bk_btf *btf, void **data, size_t *size)
{
	uint32_t hdr_len, layout_len, words[8] = { 0 };
	uint64_t total;
	uint8_t *buf, *p;
	uint16_t magic;
	int err;

	if (!btf || !data || !size)
		return -EINVAL;
	hdr_len = btf->hdr_len ? btf->hdr_len : BK_HDR_LEN_V1;
	layout_len = btf->layout_cnt * (uint32_t)sizeof(struct bk_layout);
	if (layout_len && hdr_len < BK_HDR_LEN_LAYOUT)
		hdr_len = BK_HDR_LEN_LAYOUT;
	total = (uint64_t)hdr_len + btf->types_len + layout_len + btf->strs_len;
	if (total > UINT32_MAX)
		return -E2BIG;
	buf = malloc((size_t)total);
	if (!buf)
		return -ENOMEM;

	/* header: u16 magic, u8 version 1, u8 flags 0, then u32 words */
	words[1] = hdr_len;
	words[2] = 0;
	words[3] = (uint32_t)btf->types_len;
	words[4] = (uint32_t)btf->types_len + layout_len;
	words[5] = (uint32_t)btf->strs_len;
	words[6] = layout_len ? (uint32_t)btf->types_len : 0;
	words[7] = layout_len;
	memset(buf, 0, hdr_len);
	memcpy(buf, words, hdr_len < sizeof(words) ? hdr_len : sizeof(words));
	magic = btf->swapped ? bk__bswap16(BK_MAGIC) : BK_MAGIC;
	memcpy(buf, &magic, 2);
	buf[2] = 1;
	buf[3] = 0;
	p = buf + hdr_len;
	if (btf->types_len)
		memcpy(p, btf->types, btf->types_len);
	p += btf->types_len;
	if (layout_len)
		memcpy(p, btf->layout, layout_len);
	p += layout_len;
	if (btf->strs_len)
		memcpy(p, btf->strs, btf->strs_len);

	if (btf->swapped) {
		uint8_t *l = buf + hdr_len + btf->types_len;

		err = swap_types(btf, buf + hdr_len, btf->types_len);
		if (err) {
			free(buf);
			return err;
		}
		for (uint32_t i = 1; i < 8 && 4 * (i + 1) <= hdr_len; i++)
			swap_word(buf + 4 * i);
		/* layout entries: u8 info_sz, u8 elem_sz, u16 flags */
		for (uint32_t i = 0; i < btf->layout_cnt; i++) {
			uint8_t b = l[4 * i + 2];

			l[4 * i + 2] = l[4 * i + 3];
			l[4 * i + 3] = b;
		}
	}
	*data = buf;
	*size = (size_t)total;
	return 0;
}

int bk_btf_write_file(const struct bk_btf *btf, const char *path)
{
	size_t size;
	void *data;
	int err;

	if (!path || !*path)
		return -EINVAL;
	err = bk_btf_serialize(btf, &data, &size);
	if (err)
		return err;
	err = bk_write_file(path, data, size, NULL);
	free(data);
	return err;
}
