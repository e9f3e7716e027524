// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Test helper for the corpus C/JSON comparisons: one process handles many
 * modules so the base is parsed and dumped once.
 *
 *   cdump_corpus --hash < FILE          print the 64-bit FNV-1a hash of FILE
 *   cdump_corpus VMLINUX < MODULE_LIST  per module path (one a line) print
 *                                       "PATH C_HASH JSON_HASH"
 *
 * C_HASH hashes exactly what "btfkit dump -f c -B VMLINUX M" prints (the full
 * vmlinux.h plus the module's types): the base part is hashed once and its
 * hash state reused, the module's types come from a dumper forked from the
 * base dumper. When a module references an anonymous base enum that the
 * base itself never references (so a fresh dump would order the base part
 * differently) the helper falls back to a full bk_dump. JSON_HASH hashes
 * "btfkit dump -f json -B VMLINUX M". A failing module prints "PATH ERROR e".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btfkit/btf.h"
#include "btfkit/dump.h"

static uint64_t fnv(uint64_t h, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ (uint8_t)p[i]) * 0x100000001b3ull;
	return h;
}

#define FNV0 0xcbf29ce484222325ull
static const char wrapper_end[] =
	"#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n#pragma clang attribute pop\n#endif\n\n"
	"#endif /* __VMLINUX_H__ */\n";

/* Call f on each type ID that t refers to. */
static void refs(const struct bk_type *t, void (*f)(uint32_t, void *), void *ctx)
{
	unsigned vlen = bk_vlen(t);

	switch (bk_kind(t)) {
	case BK_KIND_PTR: case BK_KIND_TYPEDEF: case BK_KIND_VOLATILE: case BK_KIND_CONST:
	case BK_KIND_RESTRICT: case BK_KIND_FUNC: case BK_KIND_VAR: case BK_KIND_DECL_TAG:
	case BK_KIND_TYPE_TAG:
		f(t->type, ctx);
		break;
	case BK_KIND_ARRAY:
		f(bk_array_of(t)->type, ctx);
		break;
	case BK_KIND_STRUCT: case BK_KIND_UNION:
		for (unsigned i = 0; i < vlen; i++)
			f(bk_members(t)[i].type, ctx);
		break;
	case BK_KIND_FUNC_PROTO:
		f(t->type, ctx);
		for (unsigned i = 0; i < vlen; i++)
			f(bk_params(t)[i].type, ctx);
		break;
	case BK_KIND_DATASEC:
		for (unsigned i = 0; i < vlen; i++)
			f(bk_secinfos(t)[i].type, ctx);
		break;
	default:
		break;
	}
}

static void mark(uint32_t id, void *ctx)
{
	((uint8_t *)ctx)[id] = 1;
}

struct chk {
	const struct bk_btf *btf;
	const uint8_t *base_ref;
	uint32_t start;
	int hit;
};

static void check(uint32_t id, void *ctx)
{
	struct chk *c = ctx;
	const struct bk_type *t;

	if (id >= c->start || c->base_ref[id])
		return;
	t = bk_btf_type(c->btf, id);
	if (!t->name_off && (bk_kind(t) == BK_KIND_ENUM || bk_kind(t) == BK_KIND_ENUM64))
		c->hit = 1;
}

int main(int argc, char **argv)
{
	struct bk_btf *base;
	struct bk_c_dumper *bd;
	struct bk_membuf mb = { 0 };
	struct bk_sink sink = bk_sink_membuf(&mb);
	struct bk_dump_opts copts = { .sz = sizeof(copts), .format = BK_FORMAT_C };
	struct bk_dump_opts jopts = { .sz = sizeof(jopts), .format = BK_FORMAT_JSON };
	uint64_t prefix;
	uint8_t *base_ref;
	uint32_t start;
	char line[4096];

	if (argc == 2 && !strcmp(argv[1], "--hash")) {
		uint64_t h = FNV0;
		size_t n;

		while ((n = fread(line, 1, sizeof(line), stdin)) > 0)
			h = fnv(h, line, n);
		printf("%016llx\n", (unsigned long long)h);
		return 0;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: cdump_corpus --hash | VMLINUX < MODULE_LIST\n");
		return 2;
	}
	base = bk_btf_open(argv[1], NULL);
	if (!base) {
		perror(argv[1]);
		return 1;
	}
	start = bk_btf_type_cnt(base);
	base_ref = calloc(start, 1);
	for (uint32_t id = 1; id < start; id++)
		refs(bk_btf_type(base, id), mark, base_ref);
	/* the base header without its closing lines: the common prefix */
	bd = bk_c_dumper_new(base, &sink, NULL);
	if (!bd || bk_dump(base, &sink, &copts)) {
		fprintf(stderr, "base dump failed\n");
		return 1;
	}
	if (mb.len < sizeof(wrapper_end) - 1 ||
	    memcmp(mb.data + mb.len - (sizeof(wrapper_end) - 1), wrapper_end, sizeof(wrapper_end) - 1)) {
		fprintf(stderr, "unexpected base header end\n");
		return 1;
	}
	prefix = fnv(FNV0, mb.data, mb.len - (sizeof(wrapper_end) - 1));
	mb.len = 0;
	/* a base dumper in the state the base header leaves */
	{
		struct bk_c_dumper *q = bk_c_dumper_new(base, NULL, NULL);

		bk_c_dumper_free(bd);
		bd = q;
		if (!bd || bk_c_dumper_emit_range(bd, 1, start)) {
			fprintf(stderr, "base replay failed\n");
			return 1;
		}
	}
	while (fgets(line, sizeof(line), stdin)) {
		struct bk_open_opts oo = { .sz = sizeof(oo), .base = base };
		struct bk_btf *m;
		struct chk c;
		uint64_t ch, jh;
		int err;

		line[strcspn(line, "\n")] = 0;
		if (!line[0])
			continue;
		m = bk_btf_open(line, &oo);
		if (!m) {
			printf("%s ERROR open\n", line);
			continue;
		}
		c = (struct chk){ m, base_ref, start, 0 };
		for (uint32_t id = start; id < bk_btf_type_cnt(m); id++)
			refs(bk_btf_type(m, id), check, &c);
		mb.len = 0;
		if (c.hit) {
			err = bk_dump(m, &sink, &copts);
			ch = fnv(FNV0, mb.data ? mb.data : "", mb.len);
		} else {
			struct bk_c_dumper *f = bk_c_dumper_fork(bd, m, &sink);

			err = f ? bk_c_dumper_emit_range(f, start, bk_btf_type_cnt(m)) : -1;
			bk_c_dumper_free(f);
			ch = fnv(prefix, mb.data ? mb.data : "", mb.len);
			ch = fnv(ch, wrapper_end, sizeof(wrapper_end) - 1);
		}
		mb.len = 0;
		if (!err)
			err = bk_dump(m, &sink, &jopts);
		jh = fnv(FNV0, mb.data ? mb.data : "", mb.len);
		if (err)
			printf("%s ERROR %d\n", line, err);
		else
			printf("%s %016llx %016llx%s\n", line, (unsigned long long)ch,
			       (unsigned long long)jh, c.hit ? " full" : "");
		bk_btf_free(m);
	}
	bk_c_dumper_free(bd);
	bk_btf_free(base);
	free(base_ref);
	free(mb.data);
	return 0;
}
