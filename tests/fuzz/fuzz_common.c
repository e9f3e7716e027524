// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * What every fuzz target does with an object that parsed (see fuzz.h): walk
 * all types through the public queries and print them in every format (the
 * layout view included), compare it with itself and with nothing (the
 * diff), checking the documented invariants on the way. Output goes to a sink that
 * only counts bytes, so the printers run at full speed. Also the input
 * layouts shared by the split, dedup and validate targets (fz_split_at,
 * fz_open_ctl_base).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "btfkit/distill.h"
#include "btfkit/diff.h"
#include "btfkit/layout.h"
#include "btfkit/write.h"
#include "fuzz.h"

void fz_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: invariant violated: %s\n", file, line, what);
	abort();
}

bool fz_split_at(const uint8_t **data, size_t *size, size_t *base_len)
{
	if (*size < 4)
		return false;
	*base_len = fz_le32(*data) % (*size - 4 + 1);
	*data += 4;
	*size -= 4;
	return true;
}

bool fz_open_ctl_base(const uint8_t **data, size_t *size, struct bk_open_opts *opts,
		      struct bk_btf **base)
{
	uint8_t ctl;
	size_t base_len;

	*base = NULL;
	if (*size < 1)
		return false;
	ctl = (*data)[0];
	(*data)++;
	(*size)--;
	if (!(ctl & 1))
		return true;
	if (!fz_split_at(data, size, &base_len))
		return false;
	*base = bk_btf_from_mem(*data, base_len, opts);
	if (!*base)
		return false;
	opts->base = *base;
	*data += base_len;
	*size -= base_len;
	return true;
}

void fz_queries(const struct bk_btf *btf)
{
	uint32_t cnt = bk_btf_type_cnt(btf), start = bk_btf_start_id(btf);
	struct bk_btf_layout_info li;
	int ptr = bk_btf_ptr_size(btf);

	FZ_ASSERT(ptr == 0 || ptr == 4 || ptr == 8);
	FZ_ASSERT(start >= 1 && cnt >= start);
	FZ_ASSERT(bk_btf_type(btf, cnt) == NULL);
	bk_btf_layout_info(btf, &li);
	FZ_ASSERT(li.type_len % 4 == 0);
	for (uint32_t id = 0; id < cnt; id++) {
		const struct bk_type *t = bk_btf_type(btf, id);
		const char *name;
		int64_t sz;
		int r;

		FZ_ASSERT(t != NULL);
		name = bk_btf_name(btf, t);
		/* the parser guarantees every own name offset is valid */
		FZ_ASSERT(name != NULL || id < start);
		if (id)
			FZ_ASSERT(bk_btf_type_rec_size(btf, t) >= 12);
		r = bk_btf_resolve(btf, id);
		FZ_ASSERT(r < 0 || (uint32_t)r < cnt);
		if (r >= 0) {
			const struct bk_type *rt = bk_btf_type(btf, (uint32_t)r);

			FZ_ASSERT(!bk_is_mod(rt) && bk_kind(rt) != BK_KIND_TYPEDEF);
		}
		r = bk_btf_skip_mods(btf, id);
		FZ_ASSERT(r < 0 || (uint32_t)r < cnt);
		if (r >= 0)
			FZ_ASSERT(!bk_is_mod(bk_btf_type(btf, (uint32_t)r)));
		sz = bk_btf_resolve_size(btf, id);
		FZ_ASSERT(sz >= -4095 && sz <= UINT32_MAX);
		r = bk_btf_align(btf, id);
		FZ_ASSERT(r >= -4095 && r != 0);
		if (name && *name && id >= start) {
			int k = (int)bk_kind(t);
			uint32_t ids[4];
			int f = bk_btf_find(btf, name, -1), n;

			FZ_ASSERT(f >= 1 && (uint32_t)f <= id);
			f = bk_btf_find(btf, name, k);
			FZ_ASSERT(f >= 1 && (uint32_t)f <= id);
			n = bk_btf_find_all(btf, name, k, ids, 4);
			FZ_ASSERT(n >= 1);
			for (int i = 1; i < n && i < 4; i++)
				FZ_ASSERT(ids[i] > ids[i - 1]);
		}
	}
	/* a name no type has is not found (the fuzzer may learn to add it) */
	{
		static const char absent[] = "\x01no such name";
		int f = bk_btf_find(btf, absent, -1);

		FZ_ASSERT(f == -ENOENT ||
			  (f > 0 && !strcmp(bk_btf_name(btf, bk_btf_type(btf, (uint32_t)f)), absent)));
	}
}

static int count_write(void *ctx, const char *buf, size_t len)
{
	size_t *total = ctx;

	FZ_ASSERT(len > 0 && buf != NULL);
	*total += len;
	return 0;
}

static int fail_write(void *ctx, const char *buf, size_t len)
{
	(void)ctx;
	(void)buf;
	(void)len;
	return -EIO;
}

/*
 * The layout view over btf: every format on all types, with options from
 * ctl (cache-line size, expand, a hole filter), and the computed layout of
 * every struct and union checked for consistency.
 */
static void fz_layout_all(const struct bk_btf *btf, uint8_t c0, uint8_t c1)
{
	static const uint32_t lines[] = { 64, 1, 32, 4096 };
	static const enum bk_layout_format formats[] = { BK_LAYOUT_TEXT, BK_LAYOUT_SIZES, BK_LAYOUT_JSON };
	struct bk_layout_opts o = {
		.sz = sizeof(o),
		.cacheline = lines[(c0 >> 4) & 3],
		.expand = c0 & 64,
		.min_holes = c1 & 3,
	};
	uint32_t cnt = bk_btf_type_cnt(btf);
	struct bk_layout_ctx *c;
	size_t total;

	for (size_t f = 0; f < sizeof(formats) / sizeof(formats[0]); f++) {
		struct bk_sink sink = { count_write, &total };
		int err;

		if (formats[f] == BK_LAYOUT_JSON && !(c0 & 128))
			continue; /* the JSON walk repeats the text's: half the inputs */
		o.format = formats[f];
		err = bk_layout_dump(btf, &sink, &o);
		FZ_ASSERT(err == 0 || err == -ELOOP || err == -E2BIG);
	}
	c = bk_layout_ctx_new(btf, &o);
	FZ_ASSERT(c != NULL);
	for (uint32_t id = 1; id < cnt; id++) {
		const struct bk_type *t = bk_btf_type(btf, id);
		const struct bk_struct_layout *l;
		uint32_t sum, holes;
		int err;

		if (!bk_is_composite(t))
			continue;
		err = bk_layout_get(c, id, &l);
		FZ_ASSERT(err == 0 || err == -ELOOP);
		if (err)
			continue;
		FZ_ASSERT(l->id == id && l->size == t->size && l->nr_members == bk_vlen(t));
		FZ_ASSERT(l->natural_align >= 1);
		sum = l->pre_hole > 0 ? (uint32_t)l->pre_hole : 0;
		holes = l->pre_hole > 0;
		for (uint32_t i = 0; i < l->nr_members; i++) {
			const struct bk_member_layout *m = &l->members[i];

			FZ_ASSERT(m->name != NULL);
			FZ_ASSERT(!m->bitfield_size || !m->size || m->bitfield_offset < (uint64_t)m->size * 8);
			FZ_ASSERT(!m->align || (m->align & (m->align - 1)) == 0);
			if (m->hole > 0) {
				sum += (uint32_t)m->hole;
				holes++;
			}
		}
		FZ_ASSERT(sum == l->sum_holes && holes == l->nr_holes);
		FZ_ASSERT(bk_kind(t) == BK_KIND_STRUCT || (!l->nr_holes && !l->padding));
	}
	bk_layout_ctx_free(c);
}

/*
 * The diff over btf: against itself nothing differs (or the input is refused
 * as too deep or too large to spell); against an empty BTF every entry is a
 * removal. Both printed to a counting sink.
 */
static void fz_diff(const struct bk_btf *btf, uint8_t c0)
{
	struct bk_btf *empty = bk_btf_new_empty(NULL);
	struct bk_diff *d = bk_diff_new(btf, btf, NULL);
	size_t total = 0;
	struct bk_sink sink = { count_write, &total };

	FZ_ASSERT(d || errno == ELOOP || errno == E2BIG || errno == ENOMEM);
	if (d) {
		FZ_ASSERT(bk_diff_count(d) == 0);
		FZ_ASSERT(bk_diff_print(d, &sink, c0 & 16 ? BK_DIFF_JSON : BK_DIFF_TEXT) == 0);
		bk_diff_free(d);
	}
	if (!empty)
		return;
	d = bk_diff_new(btf, empty, NULL);
	FZ_ASSERT(d || errno == ELOOP || errno == E2BIG || errno == ENOMEM);
	if (d) {
		for (size_t i = 0; i < bk_diff_count(d); i++)
			FZ_ASSERT(bk_diff_entry(d, i)->op == '-' && bk_diff_entry(d, i)->new_id == 0);
		FZ_ASSERT(bk_diff_unchanged(d) == 0);
		FZ_ASSERT(bk_diff_print(d, &sink, c0 & 16 ? BK_DIFF_TEXT : BK_DIFF_JSON) == 0);
		bk_diff_free(d);
	}
	bk_btf_free(empty);
}

void fz_dump_all(const struct bk_btf *btf, const uint8_t *ctl, size_t ctl_len)
{
	static const enum bk_format formats[] = { BK_FORMAT_RAW, BK_FORMAT_JSON, BK_FORMAT_C };
	uint32_t cnt = bk_btf_type_cnt(btf), ids[4];
	uint8_t c0 = ctl_len ? ctl[0] : 0;
	size_t nr_ids = 0, total;
	int err;

	for (size_t i = 1; i < ctl_len && nr_ids < 4; i += 2)
		ids[nr_ids++] = (uint32_t)(ctl[i] | (uint32_t)(i + 1 < ctl_len ? ctl[i + 1] : 0) << 8) % cnt;

	for (size_t f = 0; f < sizeof(formats) / sizeof(formats[0]); f++) {
		struct bk_dump_opts o = {
			.sz = sizeof(o),
			.format = formats[f],
			.include_base = c0 & 1,
			.pretty = c0 & 2,
		};
		struct bk_sink sink = { count_write, &total };

		total = 0;
		err = bk_dump(btf, &sink, &o);
		FZ_ASSERT(err == 0 || err == -EOPNOTSUPP || formats[f] != BK_FORMAT_RAW);
		if (err == -EOPNOTSUPP)
			continue;
		/*
		 * A failing sink stops the dump and its error comes back (or,
		 * for input the format refuses, that error: output is
		 * buffered, so the refusal may come before the first write).
		 */
		if (total && (c0 & 4)) {
			struct bk_sink bad = { fail_write, NULL };
			int e = bk_dump(btf, &bad, &o);

			FZ_ASSERT(e == -EIO || (err < 0 && e == err));
		}
		if (nr_ids) {
			o.ids = ids;
			o.nr_ids = nr_ids;
			bk_dump(btf, &sink, &o);
		}
	}
	/* an ID past the end is refused */
	{
		struct bk_dump_opts o = { .sz = sizeof(o), .ids = &cnt, .nr_ids = 1 };
		struct bk_sink sink = { count_write, &total };

		FZ_ASSERT(bk_dump(btf, &sink, &o) == -EINVAL);
	}
	fz_layout_all(btf, c0, ctl_len > 1 ? ctl[1] : 0);
	fz_diff(btf, c0);
	/* the membuf sink holds exactly the text, NUL-terminated */
	if (c0 & 8) {
		struct bk_membuf mb = { 0 };
		struct bk_sink sink = bk_sink_membuf(&mb);

		if (bk_dump(btf, &sink, NULL) == 0 && mb.data)
			FZ_ASSERT(strlen(mb.data) == mb.len);
		free(mb.data);
	}
}

char *fz_dump_raw(const struct bk_btf *btf)
{
	struct bk_membuf mb = { 0 };
	struct bk_sink sink = bk_sink_membuf(&mb);

	if (bk_dump(btf, &sink, NULL)) {
		free(mb.data);
		return NULL;
	}
	return mb.data ? mb.data : strdup("");
}

/* Serialize btf, parse the result; both dumps and a second serialization agree. */
void fz_round_trip(const struct bk_btf *btf, const uint8_t *orig, size_t orig_len)
{
	struct bk_diag diag = { 0 };
	struct bk_open_opts opts = { .sz = sizeof(opts), .base = (struct bk_btf *)bk_btf_base(btf), .diag = &diag };
	void *d1 = NULL, *d2 = NULL;
	size_t n1, n2;
	struct bk_btf *again;
	char *a, *b;
	int err;

	err = bk_btf_serialize(btf, &d1, &n1);
	if (err == -EOPNOTSUPP) /* unknown kind in the other byte order */
		return;
	FZ_ASSERT(err == 0);
	if (orig)
		FZ_ASSERT(n1 == orig_len && !memcmp(d1, orig, n1));
	again = bk_btf_from_mem(d1, n1, &opts);
	if (!again) {
		fprintf(stderr, "serialized BTF does not parse: %s\n", diag.msg);
		FZ_ASSERT(again != NULL);
	}
	FZ_ASSERT(bk_btf_type_cnt(again) == bk_btf_type_cnt(btf));
	FZ_ASSERT(bk_btf_endian(again) == bk_btf_endian(btf));
	a = fz_dump_raw(btf);
	b = fz_dump_raw(again);
	FZ_ASSERT(a && b && !strcmp(a, b));
	free(a);
	free(b);
	FZ_ASSERT(bk_btf_serialize(again, &d2, &n2) == 0);
	FZ_ASSERT(n2 == n1 && !memcmp(d1, d2, n1));
	free(d1);
	free(d2);
	bk_btf_free(again);
}

struct bk_btf *fz_open_as_file(const uint8_t *data, size_t size, struct bk_btf *base,
			       struct bk_diag *diag)
{
	static int fd = -1;
	static char path[64];
	struct bk_open_opts opts = { .sz = sizeof(opts), .base = base, .diag = diag };

	if (fd < 0) {
		fd = memfd_create("btfkit-fuzz", MFD_CLOEXEC);
		FZ_ASSERT(fd >= 0);
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	FZ_ASSERT(ftruncate(fd, 0) == 0);
	for (size_t done = 0; done < size;) {
		ssize_t n = pwrite(fd, data + done, size - done, (off_t)done);

		FZ_ASSERT(n > 0);
		done += (size_t)n;
	}
	return bk_btf_open(path, &opts);
}

uint8_t *fz_elf_image(const uint8_t *data, size_t size)
{
	uint8_t *img = size >= 4 ? malloc(size) : NULL;

	if (img) {
		memcpy(img, data, size);
		memcpy(img, "\177ELF", 4);
	}
	return img;
}

void fz_check_file_agrees(const struct bk_btf *mem, const uint8_t *data, size_t size)
{
	struct bk_diag diag = { 0 };
	/* a module read on its own .BTF.base is read so again, not relocated */
	bool own_base = mem && !bk_btf_has_distilled_base(mem);
	struct bk_btf *file = fz_open_as_file(data, size,
					      (struct bk_btf *)(own_base ? bk_btf_base(mem) : NULL), &diag);

	if (!mem != !file)
		fprintf(stderr, "from memory: %s, from a file: %s\n", mem ? "ok" : "failed",
			file ? "ok" : diag.msg);
	FZ_ASSERT(!mem == !file);
	if (mem) {
		char *a = fz_dump_raw(mem), *b = fz_dump_raw(file);

		FZ_ASSERT(bk_btf_source(file) == bk_btf_source(mem));
		FZ_ASSERT(bk_btf_ptr_size(file) == bk_btf_ptr_size(mem));
		FZ_ASSERT(a && b && !strcmp(a, b));
		free(a);
		free(b);
	}
	bk_btf_free(file);
}

void fz_exercise(const struct bk_btf *btf, const uint8_t *ctl, size_t ctl_len)
{
	fz_queries(btf);
	fz_dump_all(btf, ctl, ctl_len);
}
