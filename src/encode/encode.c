// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The encoder's public entry points: options (features, languages) and
 * opening the input
 * (a read-only mapping of the file, or the caller's memory). The work
 * itself is run.c's.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "enc_int.h"

static const struct { uint32_t bit; const char *name; } features[] = {
	{ BK_ENC_ENCODE_FORCE, "encode_force" }, { BK_ENC_VAR, "var" },
	{ BK_ENC_FLOAT, "float" }, { BK_ENC_DECL_TAG, "decl_tag" },
	{ BK_ENC_TYPE_TAG, "type_tag" }, { BK_ENC_ENUM64, "enum64" },
	{ BK_ENC_OPTIMIZED_FUNC, "optimized_func" }, { BK_ENC_CONSISTENT_FUNC, "consistent_func" },
};
#define NR_FEATURES (sizeof(features) / sizeof(features[0]))

const char *bk_encode_feature_name(uint32_t feature)
{
	for (size_t i = 0; i < NR_FEATURES; i++)
		if (features[i].bit == feature)
			return features[i].name;
	return NULL;
}

int bk_encode_parse_features(const char *list, uint32_t *out, struct bk_diag *diag)
{
	uint32_t set = 0;
	bool first = true;

	if (!list || !out)
		return bk__diag(diag, -EINVAL, "bad arguments");
	for (const char *p = list; *p;) {
		size_t len = strcspn(p, ",");
		char sign = 0;
		uint32_t bit = 0;

		if (*p == '+' || *p == '-')
			sign = *p++, len--;
		if (first)
			set = sign || (len == 7 && !strncmp(p, "default", 7)) || (len == 3 && !strncmp(p, "all", 3))
				      ? BK_ENC_DEFAULT : 0;
		first = false;
		if (len == 7 && !strncmp(p, "default", 7) && !sign) {
			bit = BK_ENC_DEFAULT;
		} else if (len == 3 && !strncmp(p, "all", 3) && !sign) {
			bit = BK_ENC_ALL;
		} else {
			for (size_t i = 0; i < NR_FEATURES; i++)
				if (strlen(features[i].name) == len && !strncmp(p, features[i].name, len))
					bit = features[i].bit;
		}
		if (!bit)
			return bk__diag(diag, -EINVAL, "unknown feature '%.*s'", (int)(len > 64 ? 64 : len), p);
		set = sign == '-' ? set & ~bit : set | bit;
		p += len;
		if (*p == ',')
			p++;
	}
	*out = set;
	return 0;
}

static int parse_langs(struct enc *e, const char *list, struct bk_diag *diag)
{
	size_t n = 1;

	for (const char *p = list; *p; p++)
		n += *p == ',';
	e->lang_excl = calloc(n, sizeof(*e->lang_excl));
	if (!e->lang_excl)
		return bk__diag(diag, -ENOMEM, "out of memory");
	for (const char *p = list; *p;) {
		size_t len = strcspn(p, ",");
		uint64_t code;

		if (len && !bk__dw_lang_code(p, len, &code))
			return bk__diag(diag, -EINVAL, "unknown language '%.*s'", (int)(len > 64 ? 64 : len), p);
		if (len)
			e->lang_excl[e->nr_lang_excl++] = code;
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

/* DWARF register numbers of the first integer parameters, per machine. */
static void set_param_regs(struct enc *e)
{
	static const uint8_t x86_64[] = { 5, 4, 1, 2, 8, 9 };
	static const uint8_t arm64[] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	static const uint8_t s390[] = { 2, 3, 4, 5, 6 };
	static const uint8_t riscv[] = { 10, 11, 12, 13, 14, 15, 16, 17 };
	static const uint8_t ppc64[] = { 3, 4, 5, 6, 7, 8, 9, 10 };
	static const uint8_t loongarch[] = { 4, 5, 6, 7, 8, 9, 10, 11 };

#define SET(a) (e->param_regs = (a), e->nr_param_regs = sizeof(a))
	switch (e->f.machine) {
	case 62: SET(x86_64); break;    /* EM_X86_64 */
	case 183: SET(arm64); break;    /* EM_AARCH64 */
	case 22: if (e->f.elf_class == 8) SET(s390); break;
	case 243: SET(riscv); break;
	case 21: SET(ppc64); break;
	case 258: SET(loongarch); break;
	default: break; /* registers are not checked */
	}
#undef SET
}

static int cmp_percpu(const void *a, const void *b)
{
	const struct dw_sym *x = a, *y = b;

	if (x->value != y->value)
		return x->value < y->value ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx; /* symbol table order */
}

/* o: the caller's options, already read into a full struct (bk__opts_get) */
/* fd: the file mapped at map (read with pread where that is cheaper), or -1 */
static struct bk_btf *encode(const uint8_t *data, size_t size, void *map, size_t map_len, int fd,
			     const struct bk_encode_opts *o)
{
	struct bk_diag *diag = o->diag, dummy = { 0 };
	struct enc e;
	struct bk_btf *btf = NULL;
	int err;

	if (!diag)
		diag = &dummy;
	memset(&e, 0, sizeof(e));
	e.opts = *o;
	e.features = !o->features ? BK_ENC_DEFAULT : o->features & BK_ENC_ALL;
	err = bk__dw_open(&e.f, data, size, map, map_len, fd, diag);
	if (!err)
		err = parse_langs(&e, o->lang_exclude ? o->lang_exclude : "rust", diag);
	if (!err)
		err = bk__enc_fsyms_index(&e, diag);
	if (!err) {
		set_param_regs(&e);
		/* same-address percpu symbols: the first of the symbol table wins */
		if (e.f.nr_percpu)
			qsort(e.f.percpu, e.f.nr_percpu, sizeof(*e.f.percpu), cmp_percpu);
		btf = bk__enc_run(&e, o->base, o->jobs, diag);
		if (!btf)
			err = diag->err ? diag->err : -ENOMEM;
	}
	bk__dw_close(&e.f);
	free(e.lang_excl);
	free(e.fsyms);
	if (err) {
		errno = -err;
		return NULL;
	}
	return btf;
}

/* Read the caller's options (may be NULL) into *o; -errno when refused. */
static int get_opts(struct bk_encode_opts *o, const struct bk_encode_opts *opts)
{
	memset(o, 0, sizeof(*o));
	o->sz = sizeof(*o);
	return bk__opts_get(o, sizeof(*o), opts);
}

struct bk_btf *bk_btf_encode_mem(const void *data, size_t size, const struct bk_encode_opts *opts)
{
	struct bk_encode_opts o;
	int err = get_opts(&o, opts);

	if (!err && !data)
		err = -EINVAL;
	if (err) {
		errno = -err;
		return NULL;
	}
	return encode(data, size, NULL, 0, -1, &o);
}

struct bk_btf *bk_btf_encode(const char *path, const struct bk_encode_opts *opts)
{
	struct bk_encode_opts o;
	struct bk_btf *btf;
	struct stat st;
	void *map;
	int fd, err = get_opts(&o, opts);

	if (!err && !path)
		err = -EINVAL;
	if (err) {
		errno = -err;
		return NULL;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		bk__diag(o.diag, err, "cannot open: %s", strerror(-err));
		errno = -err;
		return NULL;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || !st.st_size) {
		bool dir = !fstat(fd, &st) && S_ISDIR(st.st_mode);

		err = dir ? -EISDIR : -EINVAL;
		bk__diag(o.diag, err, dir ? "is a directory" : "not a regular, non-empty file");
		close(fd);
		errno = -err;
		return NULL;
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	err = -errno;
	if (map == MAP_FAILED) {
		close(fd);
		bk__diag(o.diag, err, "cannot map the file: %s", strerror(-err));
		errno = -err;
		return NULL;
	}
	btf = encode(map, (size_t)st.st_size, map, (size_t)st.st_size, fd, &o);
	err = errno;
	close(fd);
	errno = err;
	return btf;
}
