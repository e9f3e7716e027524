// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Hand-built raw BTF blobs and ELF files for the parser tests: see blob.h. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "blob.h"
#include "test.h"

static void *grow(void *p, size_t *cap, size_t need)
{
	if (need <= *cap)
		return p;
	while (*cap < need)
		*cap = *cap ? *cap * 2 : 256;
	p = realloc(p, *cap);
	if (!p)
		abort();
	return p;
}

void bt_blob_init(struct bt_blob *b, uint32_t str_base)
{
	memset(b, 0, sizeof(*b));
	b->str_base = str_base;
	if (!str_base)
		bt_str_bytes(b, "", 1);
}

void bt_blob_free(struct bt_blob *b)
{
	free(b->types);
	free(b->strs);
	memset(b, 0, sizeof(*b));
}

void bt_str_bytes(struct bt_blob *b, const void *p, size_t n)
{
	b->strs = grow(b->strs, &b->strs_cap, b->strs_len + n);
	memcpy(b->strs + b->strs_len, p, n);
	b->strs_len += n;
}

uint32_t bt_str(struct bt_blob *b, const char *s)
{
	uint32_t off = b->str_base + (uint32_t)b->strs_len;

	bt_str_bytes(b, s, strlen(s) + 1);
	return off;
}

void bt_word(struct bt_blob *b, uint32_t w)
{
	b->types = grow(b->types, &b->types_cap, b->types_len + 4);
	memcpy(b->types + b->types_len, &w, 4);
	b->types_len += 4;
}

void bt_type(struct bt_blob *b, uint32_t name_off, unsigned kind, uint32_t vlen, bool kflag,
	     uint32_t size_or_type)
{
	bt_word(b, name_off);
	bt_word(b, bk_info(kind, vlen, kflag));
	bt_word(b, size_or_type);
}

void bt_layout(struct bt_blob *b, unsigned kind, uint8_t info_sz, uint8_t elem_sz)
{
	uint8_t *e = b->layout + 4 * kind;

	e[0] = info_sz;
	e[1] = elem_sz;
	e[2] = e[3] = 0;
	if (4 * (kind + 1) > b->layout_len)
		b->layout_len = 4 * (kind + 1);
}

void bt_layout_known(struct bt_blob *b)
{
	static const uint8_t sz[BK_NR_KINDS][2] = {
		[BK_KIND_INT] = { 4, 0 },	 [BK_KIND_ARRAY] = { 12, 0 },
		[BK_KIND_STRUCT] = { 0, 12 },	 [BK_KIND_UNION] = { 0, 12 },
		[BK_KIND_ENUM] = { 0, 8 },	 [BK_KIND_FUNC_PROTO] = { 0, 8 },
		[BK_KIND_VAR] = { 4, 0 },	 [BK_KIND_DATASEC] = { 0, 12 },
		[BK_KIND_DECL_TAG] = { 4, 0 }, [BK_KIND_ENUM64] = { 0, 12 },
	};

	for (unsigned k = 0; k < BK_NR_KINDS; k++)
		bt_layout(b, k, sz[k][0], sz[k][1]);
}

static void put32(uint8_t *p, uint32_t v, bool swap)
{
	if (swap)
		v = __builtin_bswap32(v);
	memcpy(p, &v, 4);
}

uint8_t *bt_blob_raw(const struct bt_blob *b, const struct bt_raw_opts *o, size_t *size)
{
	static const struct bt_raw_opts def;
	uint32_t hdr_len, type_off, type_len, str_off, str_len, layout_off, layout_len;
	size_t data_len;
	uint8_t *out;
	uint16_t magic = BK_MAGIC;

	if (!o)
		o = &def;
	hdr_len = o->hdr_len ? o->hdr_len : (b->layout_len ? 32 : 24);
	type_off = 0;
	type_len = (uint32_t)b->types_len;
	layout_off = b->layout_len ? type_len : 0;
	layout_len = b->layout_len;
	str_off = type_len + layout_len;
	str_len = (uint32_t)b->strs_len;
	data_len = (size_t)str_off + str_len;
	if (o->set_type_off)
		type_off = o->type_off;
	if (o->set_type_len)
		type_len = o->type_len;
	if (o->set_str_off)
		str_off = o->str_off;
	if (o->set_str_len)
		str_len = o->str_len;
	if (o->set_layout) {
		layout_off = o->layout_off;
		layout_len = o->layout_len;
	}
	out = calloc(1, hdr_len + data_len + 1);
	if (!out)
		abort();
	if (o->swap)
		magic = __builtin_bswap16(magic);
	memcpy(out, &magic, 2);
	out[2] = 1;
	put32(out + 4, hdr_len, o->swap);
	if (hdr_len >= 24) {
		put32(out + 8, type_off, o->swap);
		put32(out + 12, type_len, o->swap);
		put32(out + 16, str_off, o->swap);
		put32(out + 20, str_len, o->swap);
	}
	if (hdr_len >= 32) {
		put32(out + 24, layout_off, o->swap);
		put32(out + 28, layout_len, o->swap);
	}
	for (size_t i = 0; i < b->types_len; i += 4) {
		uint32_t w;

		memcpy(&w, b->types + i, 4);
		put32(out + hdr_len + i, w, o->swap);
	}
	for (uint32_t i = 0; i < b->layout_len; i += 4) {
		uint8_t *e = out + hdr_len + b->types_len + i;

		memcpy(e, b->layout + i, 4);
		if (o->swap) {
			uint8_t t = e[2];

			e[2] = e[3];
			e[3] = t;
		}
	}
	if (b->strs_len)
		memcpy(out + hdr_len + b->types_len + b->layout_len, b->strs, b->strs_len);
	*size = hdr_len + data_len;
	return out;
}

static void put(uint8_t *p, uint64_t v, int width, bool be)
{
	for (int i = 0; i < width; i++) {
		int shift = be ? 8 * (width - 1 - i) : 8 * i;

		p[i] = (uint8_t)(v >> shift);
	}
}

uint8_t *bt_elf(const void *btf, size_t btf_len, const struct bt_elf_opts *o, size_t *size)
{
	static const struct bt_elf_opts def;
	const char *name, *bname;
	bool e32, be;
	size_t ehsz, shsz, btf_off, base_off, shstr_off, shstr_len, sh_off, total, bname_off;
	int nsec;
	char shstr[96];
	uint8_t *out, *sh;
	int aw;

	if (!o)
		o = &def;
	name = o->sec_name ? o->sec_name : ".BTF";
	e32 = o->elf32;
	be = o->big_endian;
	aw = e32 ? 4 : 8;
	ehsz = e32 ? 52 : 64;
	shsz = e32 ? 40 : 64;
	/* ".shstrtab" at 1, the BTF section's name at 11 */
	memset(shstr, 0, sizeof(shstr));
	memcpy(shstr + 1, ".shstrtab", 9);
	snprintf(shstr + 11, sizeof(shstr) - 11, "%s", name);
	shstr_len = 11 + strlen(name) + 1;
	bname = o->base_sec_name ? o->base_sec_name : ".BTF.base";
	bname_off = shstr_len;
	nsec = 3;
	if (o->base_btf) {
		snprintf(shstr + bname_off, sizeof(shstr) - bname_off, "%s", bname);
		shstr_len += strlen(bname) + 1;
		nsec = 4;
	}
	btf_off = ehsz;
	base_off = btf_off + btf_len;
	shstr_off = base_off + (o->base_btf ? o->base_len : 0);
	sh_off = (shstr_off + shstr_len + 7) & ~(size_t)7;
	total = sh_off + (size_t)nsec * shsz;
	out = calloc(1, total);
	if (!out)
		abort();
	memcpy(out, "\177ELF", 4);
	out[4] = o->elf_class ? o->elf_class : e32 ? 1 : 2;
	out[5] = be ? 2 : 1;
	out[6] = 1;
	put(out + 16, 1, 2, be);   /* ET_REL */
	put(out + 18, 247, 2, be); /* EM_BPF */
	put(out + 20, 1, 4, be);
	put(out + (e32 ? 32 : 40), o->shoff_past_end ? total + 4096 : sh_off, aw, be);
	put(out + (e32 ? 40 : 52), ehsz, 2, be);
	put(out + (e32 ? 46 : 58), shsz, 2, be);
	put(out + (e32 ? 48 : 60), (uint64_t)nsec, 2, be);
	put(out + (e32 ? 50 : 62), 1, 2, be);
	memcpy(out + btf_off, btf, btf_len);
	if (o->base_btf && o->base_len)
		memcpy(out + base_off, o->base_btf, o->base_len);
	memcpy(out + shstr_off, shstr, shstr_len);
	for (int i = 1; i < nsec; i++) {
		uint64_t off = i == 1 ? shstr_off : btf_off;
		uint64_t len = i == 1 ? shstr_len : btf_len;

		if (i == 3) {
			sh = out + sh_off + (size_t)i * shsz;
			put(sh, bname_off, 4, be);
			put(sh + 4, 1, 4, be);
			put(sh + (e32 ? 16 : 24), base_off, aw, be);
			put(sh + (e32 ? 20 : 32), o->base_len, aw, be);
			put(sh + (e32 ? 32 : 48), 1, aw, be);
			continue;
		}

		if (i == 2 && o->btf_past_end)
			len = total + 100;
		sh = out + sh_off + (size_t)i * shsz;
		put(sh, i == 1 ? 1 : 11, 4, be);          /* sh_name */
		put(sh + 4, i == 1 ? 3 : o->btf_sh_type ? o->btf_sh_type : 1, 4, be); /* STRTAB / PROGBITS */
		if (i == 2)
			put(sh + 8, o->btf_sh_flags, e32 ? 4 : 8, be);
		put(sh + (e32 ? 16 : 24), off, aw, be);   /* sh_offset */
		put(sh + (e32 ? 20 : 32), len, aw, be);   /* sh_size */
		put(sh + (e32 ? 32 : 48), 1, aw, be);     /* sh_addralign */
	}
	*size = total;
	return out;
}

const char *bt_tmpfile(const void *data, size_t size)
{
	static char path[64];
	int fd;

	snprintf(path, sizeof(path), "/tmp/btfkit-unit.XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		abort();
	if (size && write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);
	return path;
}

struct bk_btf *bt_parse(const void *data, size_t size, struct bk_btf *base, struct bk_diag *diag)
{
	struct bk_open_opts o = { .sz = sizeof(o), .base = base, .diag = diag };

	if (diag)
		memset(diag, 0, sizeof(*diag));
	return bk_btf_from_mem(data, size, &o);
}
