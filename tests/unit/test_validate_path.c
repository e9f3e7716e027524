// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bk_btf_validate_path: what btfkit's parser refuses is reported in the
 * kernel's words, with the parser's account after them: malformed headers,
 * sections, string sections and records (checked on the raw bytes), and
 * references and names out of range (left to the validator).
 */
#include <stdlib.h>
#include <unistd.h>

#include "blob.h"
#include "btfkit/validate.h"
#include "test.h"

struct vp {
	int n;
	char msg[4][600];
	long long pos[4];
	uint32_t id[4];
};

static int vp_collect(const struct bk_problem *p, void *ctx)
{
	struct vp *g = ctx;

	if (g->n < 4) {
		snprintf(g->msg[g->n], sizeof(g->msg[0]), "%s", p->msg);
		g->pos[g->n] = p->byte_offset;
		g->id[g->n] = p->type_id;
	}
	g->n++;
	return 0;
}

/* Validate the raw blob b (with header overrides o) from a file. */
static int vp_run(struct bt_blob *b, const struct bt_raw_opts *o, size_t cut, struct vp *g)
{
	struct bk_validate_opts vo = { .sz = sizeof(vo), .cb = vp_collect, .ctx = g };
	struct bk_diag diag = { 0 };
	size_t n;
	uint8_t *raw = bt_blob_raw(b, o, &n);
	char path[64];
	int r;

	if (cut && cut < n)
		n = cut;
	snprintf(path, sizeof(path), "%s", bt_tmpfile(raw, n));
	memset(g, 0, sizeof(*g));
	r = bk_btf_validate_path(path, NULL, &vo, &diag);
	unlink(path);
	free(raw);
	return r;
}

/* int and a struct holding it: a valid base to mangle */
static void vp_base(struct bt_blob *b)
{
	bt_blob_init(b, 0);
	bt_type(b, bt_str(b, "int"), BK_KIND_INT, 0, false, 4);
	bt_word(b, (1u << 24) | 32);
	bt_type(b, bt_str(b, "s"), BK_KIND_STRUCT, 1, false, 4);
	bt_word(b, bt_str(b, "a"));
	bt_word(b, 1);
	bt_word(b, 0);
}

/* One case: mangle the base blob, then the count and first message expected. */
struct vcase {
	const char *name;
	struct bt_raw_opts o;
	int kind; /* what to add to the blob (see add_case) */
	size_t cut; /* keep only this many bytes (0: all) */
	int count;
	const char *msg;
};

static void add_case(struct bt_blob *b, int kind)
{
	switch (kind) {
	case 1: /* a PTR to a type that does not exist */
		bt_type(b, 0, BK_KIND_PTR, 0, false, 99);
		break;
	case 2: /* a name offset past the strings */
		bt_type(b, 5000, BK_KIND_STRUCT, 0, false, 0);
		break;
	case 3: /* a FUNC_PROTO whose second argument does not exist */
		bt_type(b, 0, BK_KIND_FUNC_PROTO, 2, false, 1);
		bt_word(b, bt_str(b, "x"));
		bt_word(b, 1);
		bt_word(b, bt_str(b, "y"));
		bt_word(b, 77);
		break;
	case 4: /* a FUNC_PROTO returning a type that does not exist */
		bt_type(b, 0, BK_KIND_FUNC_PROTO, 0, false, 77);
		break;
	case 5: /* a STRUCT with vlen 2 and one member's bytes */
		bt_type(b, bt_str(b, "t"), BK_KIND_STRUCT, 2, false, 8);
		bt_word(b, 0);
		bt_word(b, 1);
		bt_word(b, 0);
		break;
	case 6: /* kind 25 */
		bt_type(b, 0, 25, 0, false, 0);
		break;
	case 8: /* a last string without its NUL */
		bt_str_bytes(b, "xyz", 3);
		break;
	case 7: /* a member of a type that does not exist */
		bt_type(b, bt_str(b, "u"), BK_KIND_STRUCT, 1, false, 4);
		bt_word(b, 0);
		bt_word(b, 50);
		bt_word(b, 0);
		break;
	}
}

TEST(validate_path_kernel_words)
{
	static const struct vcase cases[] = {
		{ "hdr_len past the data", { 0 }, 0, 20, 1,
		  "btf_header not found: truncated BTF header: 20 bytes, need at least 24 (byte offset 0)" },
		{ "type section past the end", { .set_type_len = true, .type_len = 4000 }, 0, 0, 1,
		  "Total section length too long: type section (offset 0, length 4000) runs past the end of the data (49 bytes after the header) (byte offset 8)" },
		{ "strings past the end", { .set_str_len = true, .str_len = 4000 }, 0, 0, 1,
		  "Total section length too long: string section (offset 40, length 4000) runs past the end of the data (49 bytes after the header) (byte offset 16)" },
		{ "sections overlap", { .set_str_off = true, .str_off = 8 }, 0, 0, 1,
		  "Section overlap found: type section (offset 0, length 40) overlaps or follows the string section (offset 8) (byte offset 8)" },
		{ "string section not NUL-terminated", { 0 }, 8, 0, 1,
		  "Invalid string section: string section is not NUL-terminated (byte offset 75)" },
		{ "PTR past the last type", { 0 }, 1, 0, 1, "Invalid type_id" },
		{ "name offset past the strings", { 0 }, 2, 0, 1, "Invalid name_offset:5000" },
		{ "arg past the last type", { 0 }, 3, 0, 1, "Invalid arg#2" },
		{ "return past the last type", { 0 }, 4, 0, 1, "Invalid return type" },
		{ "record cut short", { 0 }, 5, 0, 1,
		  "meta_left:12 meta_needed:24: STRUCT record with vlen 2 needs 36 bytes but only 24 are left in the type section (type [3], byte offset 64)" },
		{ "unknown kind", { 0 }, 6, 0, 1,
		  "Invalid kind:25: unknown kind 25 and no kind layout describes it (type [3], byte offset 64)" },
		{ "member past the last type", { 0 }, 7, 0, 1, "Invalid member" },
		/* the other byte order: checked in the data's order, as a kernel of that order would */
		{ "opposite-endian, string section not NUL-terminated", { .swap = true }, 8, 0, 1,
		  "Invalid string section: string section is not NUL-terminated (byte offset 75)" },
		{ "opposite-endian, unknown kind", { .swap = true }, 6, 0, 1,
		  "Invalid kind:25: unknown kind 25 and no kind layout describes it (type [3], byte offset 64)" },
		{ "opposite-endian, type section past the end", { .swap = true, .set_type_len = true, .type_len = 4000 }, 0, 0, 1,
		  "Total section length too long: type section (offset 0, length 4000) runs past the end of the data (49 bytes after the header) (byte offset 8)" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct bt_blob b;
		struct vp g;
		int r;

		vp_base(&b);
		add_case(&b, cases[i].kind);
		r = vp_run(&b, &cases[i].o, cases[i].cut, &g);
		bt_blob_free(&b);
		if (r != cases[i].count || strcmp(g.msg[0], cases[i].msg))
			fprintf(stderr, "%s: %d problems, first '%s' (id %u, byte offset %lld)\n", cases[i].name, r, g.msg[0], g.id[0], g.pos[0]);
		if (r != cases[i].count || strcmp(g.msg[0], cases[i].msg))
			bt_fail(__FILE__, __LINE__, "%s: %d problems, first '%s' (id %u, byte offset %lld); expected %d, '%s'",
				cases[i].name, r, g.msg[0], g.id[0], g.pos[0], cases[i].count, cases[i].msg);
	}
}

TEST(validate_path_clean_and_errors)
{
	struct bk_validate_opts vo = { .sz = sizeof(vo) };
	struct bk_diag diag = { 0 };

	CHECK_EQ(bk_btf_validate_path(bt_data("validate-ok.btf"), NULL, &vo, &diag), 0);
	CHECK_EQ(bk_btf_validate_path(bt_data("sample.bpf.o"), NULL, &vo, &diag), 5);
	CHECK_EQ(bk_btf_validate_path("/nonexistent", NULL, &vo, &diag), -ENOENT);
	CHECK_STR(diag.msg, "cannot open: No such file or directory");
	CHECK_EQ(bk_btf_validate_path(NULL, NULL, &vo, &diag), -EINVAL);
	/* options read with bk__opts_get: too short refused, NULL the defaults */
	{
		size_t tiny = 4;

		CHECK_EQ(bk_btf_validate_path(bt_data("validate-ok.btf"), NULL, (const void *)&tiny, &diag), -EINVAL);
		CHECK_EQ(bk_btf_validate_path(bt_data("sample.bpf.o"), NULL, NULL, &diag), 5);
	}
}
