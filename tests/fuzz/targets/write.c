// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Fuzz target "write": the writer's round trip. The first byte picks extra
 * steps, the rest is raw BTF. What parses must serialize, the result must
 * parse back to the same types (equal raw dumps), serializing that again
 * must give the same bytes, and a blob already in the writer's canonical
 * layout must come back byte for byte (the promise in btfkit/write.h).
 * Optional steps: the other byte order; a copy through bk_btf_add_btf into a
 * new object; types appended in place to the parsed object.
 */
#include <stdlib.h>
#include <string.h>

#include "../fuzz.h"
#include "btfkit/write.h"

/*
 * True when data is in the layout the serializer writes (header | types |
 * [layout] | strings, version 1, flags 0, nothing after the strings and
 * zeros past the known header fields), so serialize must reproduce it.
 */
static bool canonical(const uint8_t *data, size_t size)
{
	uint32_t w[8] = { 0 }, hdr_len;
	bool swap = data[0] == 0xeb;

	if (size < 24)
		return false;
	memcpy(&hdr_len, data + 4, 4);
	if (swap)
		hdr_len = __builtin_bswap32(hdr_len);
	if (hdr_len != 24 && hdr_len != 32)
		return false;
	if (size < hdr_len)
		return false;
	memcpy(w, data, hdr_len);
	for (int i = 1; i < 8 && swap; i++)
		w[i] = __builtin_bswap32(w[i]);
	if (data[2] != 1 || data[3] != 0 || w[2] != 0)
		return false;
	if (hdr_len == 32 && w[7]) {
		if (w[6] != w[3] || w[4] != w[3] + w[7])
			return false;
	} else if (w[4] != w[3] || (hdr_len == 32 && w[6])) {
		return false;
	}
	return (uint64_t)hdr_len + w[4] + w[5] == size;
}

/* The dump text s (freed) with every '' replaced by '(anon)'. */
static char *anon_empty(char *s)
{
	size_t n = 0, len;
	char *out, *o;

	if (!s)
		return NULL;
	len = strlen(s);
	for (const char *p = s; (p = strstr(p, "''")); p += 2)
		n++;
	out = malloc(len + 6 * n + 1);
	FZ_ASSERT(out != NULL);
	o = out;
	for (const char *p = s; *p;) {
		if (p[0] == '\'' && p[1] == '\'') {
			memcpy(o, "'(anon)'", 8);
			o += 8;
			p += 2;
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
	free(s);
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bk_btf *btf;
	uint8_t ctl;

	if (size < 3)
		return 0;
	ctl = data[0];
	data++;
	size--;
	if (!((data[0] == 0x9f && data[1] == 0xeb) || (data[0] == 0xeb && data[1] == 0x9f)))
		return 0;
	btf = bk_btf_from_mem(data, size, NULL);
	if (!btf)
		return 0;
	fz_round_trip(btf, canonical(data, size) ? data : NULL, size);

	if (ctl & 1) {
		bool le = bk_btf_endian(btf) == BK_ENDIAN_LITTLE;

		FZ_ASSERT(bk_btf_set_endian(btf, le ? BK_ENDIAN_BIG : BK_ENDIAN_LITTLE) == 0);
		fz_round_trip(btf, NULL, 0);
		bk_btf_set_endian(btf, le ? BK_ENDIAN_LITTLE : BK_ENDIAN_BIG);
	}
	if (ctl & 2) {
		struct bk_btf *copy = bk_btf_new_empty(NULL);
		int first;

		FZ_ASSERT(copy != NULL);
		first = bk_btf_add_btf(copy, btf);
		if (first >= 0) {
			/* an empty name at a non-zero offset becomes offset 0: '(anon)' */
			char *a = anon_empty(fz_dump_raw(btf)), *b = anon_empty(fz_dump_raw(copy));

			FZ_ASSERT(bk_btf_type_cnt(copy) == bk_btf_type_cnt(btf));
			FZ_ASSERT(a && b && !strcmp(a, b));
			free(a);
			free(b);
			fz_round_trip(copy, NULL, 0);
		} else {
			/* all or nothing */
			FZ_ASSERT(bk_btf_type_cnt(copy) == 1);
		}
		bk_btf_free(copy);
	}
	if (ctl & 4) {
		uint32_t cnt = bk_btf_type_cnt(btf);
		int i = bk_btf_add_int(btf, "fz_int", 4, 1), p, s;

		if (i > 0) {
			FZ_ASSERT((uint32_t)i == cnt);
			p = bk_btf_add_ptr(btf, (int)(ctl >> 3) % (i + 1));
			s = bk_btf_add_struct(btf, "fz_s", 16);
			FZ_ASSERT(p > 0 && s > 0);
			FZ_ASSERT(bk_btf_add_field(btf, "a", i, 0, 0) == 0);
			FZ_ASSERT(bk_btf_add_field(btf, "b", p, 64, 0) == 0);
			FZ_ASSERT(bk_btf_find(btf, "fz_s", BK_KIND_STRUCT) >= 1);
			fz_queries(btf);
			fz_round_trip(btf, NULL, 0);
		} else {
			FZ_ASSERT(bk_btf_type_cnt(btf) == cnt);
		}
	}
	bk_btf_free(btf);
	return 0;
}
