// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Unit tests of the C emitter on hand-built BTF (tests/unit/btfbuild.h) and
 * on the sample object: ordering and forward declarations, inline
 * anonymous types, ___N clash suffixes, packed structs, bitfields and
 * padding, enum size attributes, declarators (function pointers, arrays),
 * type tags, the incremental dumper, single declarations and the vmlinux.h
 * wrapper. Expected texts are what bpftool 7.1 prints for the same BTF.
 */
#include <pthread.h>
#include <stdlib.h>

#include "btfbuild.h"
#include "test.h"

/* Emit ids with a fresh dumper; returns the text (caller frees). */
static char *emit(struct bk_btf *btf, const uint32_t *ids, size_t n, bool enum_attrs)
{
	struct bk_membuf mb = { 0 };
	struct bk_sink sink = bk_sink_membuf(&mb);
	struct bk_c_dumper_opts o = { .sz = sizeof(o), .enum_size_attrs = enum_attrs };
	struct bk_c_dumper *d = bk_c_dumper_new(btf, &sink, &o);
	int err;

	if (!d)
		return NULL;
	err = n ? bk_c_dumper_emit(d, ids, n) : bk_c_dumper_emit_range(d, 1, bk_btf_type_cnt(btf));
	bk_c_dumper_free(d);
	if (err) {
		free(mb.data);
		return NULL;
	}
	return mb.data ? mb.data : strdup("");
}

static char *emit_all(struct bk_btf *btf)
{
	return emit(btf, NULL, 0, false);
}

TEST(cdump_order_embedded_before_container)
{
	struct bb b;
	struct bk_btf *btf;
	char *s;
	uint32_t i, a, bs;

	bb_init(&b);
	i = bb_int(&b, "int", 4, BK_INT_SIGNED);           /* 1 */
	a = bb_comp(&b, BK_KIND_STRUCT, "a", 8, 2, false);   /* 2: embeds b (ID 3) */
	bb_member(&b, "x", i, 0, 0);
	bb_member(&b, "inner", 3, 32, 0);
	bs = bb_comp(&b, BK_KIND_STRUCT, "b", 4, 1, false);  /* 3 */
	bb_member(&b, "y", i, 0, 0);
	REQUIRE((btf = bb_open(&b)));
	(void)a;
	(void)bs;
	s = emit_all(btf);
	CHECK_STR(s, "struct b {\n\tint y;\n};\n\n"
		     "struct a {\n\tint x;\n\tstruct b inner;\n};\n\n");
	free(s);
	bk_btf_free(btf);
}

TEST(cdump_pointer_cycle_forward_declaration)
{
	struct bb b;
	struct bk_btf *btf;
	char *s;

	bb_init(&b);
	bb_comp(&b, BK_KIND_STRUCT, "node", 16, 2, false); /* 1 */
	bb_member(&b, "other", 2, 0, 0);
	bb_member(&b, "self", 4, 64, 0);
	bb_ref(&b, BK_KIND_PTR, NULL, 3);                  /* 2: struct peer * */
	bb_comp(&b, BK_KIND_STRUCT, "peer", 8, 1, false);  /* 3 */
	bb_member(&b, "back", 4, 0, 0);
	bb_ref(&b, BK_KIND_PTR, NULL, 1);                  /* 4: struct node * */
	REQUIRE((btf = bb_open(&b)));
	s = emit_all(btf);
	CHECK_STR(s, "struct peer;\n\n"
		     "struct node {\n\tstruct peer *other;\n\tstruct node *self;\n};\n\n"
		     "struct peer {\n\tstruct node *back;\n};\n\n");
	free(s);
	bk_btf_free(btf);
}

TEST(cdump_embedding_cycle_is_eloop)
{
	struct bb b;
	struct bk_btf *btf;
	struct bk_c_dumper *d;
	uint32_t id = 1;

	bb_init(&b);
	bb_comp(&b, BK_KIND_STRUCT, "a", 4, 1, false);
	bb_member(&b, "b", 2, 0, 0);
	bb_comp(&b, BK_KIND_STRUCT, "b", 4, 1, false);
	bb_member(&b, "a", 1, 0, 0);
	REQUIRE((btf = bb_open(&b)));
	REQUIRE((d = bk_c_dumper_new(btf, NULL, NULL)));
	CHECK_EQ(bk_c_dumper_emit(d, &id, 1), -ELOOP);
	bk_c_dumper_free(d);
	bk_btf_free(btf);
}

TEST(cdump_anonymous_inline_and_top_level_enum)
{
	struct bb b;
	struct bk_btf *btf;
	char *s;
	uint32_t i;

	bb_init(&b);
	i = bb_int(&b, "int", 4, BK_INT_SIGNED);           /* 1 */
	bb_comp(&b, BK_KIND_STRUCT, "outer", 12, 3, false);  /* 2 */
	bb_member(&b, "u", 3, 0, 0);
	bb_member(&b, "e", 4, 32, 0);
	bb_member(&b, "z", i, 64, 0);
	bb_comp(&b, BK_KIND_UNION, NULL, 4, 2, false);       /* 3 */
	bb_member(&b, "a", i, 0, 0);
	bb_member(&b, NULL, 5, 0, 0);
	bb_enum(&b, NULL, 4, 1, false);                      /* 4 */
	bb_enumval(&b, "E1", 1);
	bb_comp(&b, BK_KIND_STRUCT, NULL, 4, 1, false);      /* 5 */
	bb_member(&b, "deep", i, 0, 0);
	bb_enum(&b, NULL, 4, 2, true);                       /* 6: unreferenced */
	bb_enumval(&b, "TOP_A", -1);
	bb_enumval(&b, "TOP_B", 2);
	REQUIRE((btf = bb_open(&b)));
	s = emit_all(btf);
	CHECK_STR(s, "struct outer {\n"
		     "\tunion {\n"
		     "\t\tint a;\n"
		     "\t\tstruct {\n"
		     "\t\t\tint deep;\n"
		     "\t\t};\n"
		     "\t} u;\n"
		     "\tenum {\n"
		     "\t\tE1 = 1,\n"
		     "\t} e;\n"
		     "\tint z;\n"
		     "};\n\n"
		     "enum {\n\tTOP_A = -1,\n\tTOP_B = 2,\n};\n\n");
	free(s);
	bk_btf_free(btf);
}

TEST(cdump_name_clash_suffixes)
{
	struct bb b;
	struct bk_btf *btf;
	char *s;
	uint32_t i;

	bb_init(&b);
	i = bb_int(&b, "int", 4, BK_INT_SIGNED);        /* 1 */
	bb_comp(&b, BK_KIND_STRUCT, "s", 4, 1, false);    /* 2 */
	bb_member(&b, "a", i, 0, 0);
	bb_comp(&b, BK_KIND_STRUCT, "s", 8, 1, false);    /* 3 */
	bb_member(&b, "b", 5, 0, 0);
	bb_enum(&b, "e", 4, 1, false);                    /* 4 */
	bb_enumval(&b, "V", 0);
	bb_ref(&b, BK_KIND_PTR, NULL, 2);                 /* 5 */
	bb_ref(&b, BK_KIND_TYPEDEF, "V", i);              /* 6: clashes with enumerator V */
	bb_enum(&b, "e", 4, 1, false);                    /* 7: second enum e, enumerator V again */
	bb_enumval(&b, "V", 1);
	bb_type(&b, "s", BK_KIND_FWD, 0, false, 0);       /* 8: forwards keep their name */
	REQUIRE((btf = bb_open(&b)));
	s = emit_all(btf);
	CHECK_STR(s, "struct s {\n\tint a;\n};\n\n"
		     "struct s___2 {\n\tstruct s *b;\n};\n\n"
		     "enum e {\n\tV = 0,\n};\n\n"
		     "typedef int V___2;\n\n"
		     "enum e___2 {\n\tV___3 = 1,\n};\n\n"
		     "struct s;\n\n");
	free(s);
	bk_btf_free(btf);
}

TEST(cdump_packed_bitfields_padding)
{
	struct bb b;
	struct bk_btf *btf;
	char *s;
	uint32_t i, u, c, l, arr;

	bb_init(&b);
	i = bb_int(&b, "int", 4, BK_INT_SIGNED);            /* 1 */
	u = bb_int(&b, "unsigned int", 4, 0);                 /* 2 */
	c = bb_int(&b, "char", 1, BK_INT_SIGNED);            /* 3 */
	l = bb_int(&b, "long", 8, BK_INT_SIGNED);            /* 4 */
	arr = bb_array(&b, c, i, 16);                         /* 5 */
	/* struct s1 {int a; unsigned bf:3; unsigned bf2:5; long: 0; char name[16];} */
	bb_comp(&b, BK_KIND_STRUCT, "s1", 24, 4, true);         /* 6 */
	bb_member(&b, "a", i, 0, 0);
	bb_member(&b, "bf", u, 32, 3);
	bb_member(&b, "bf2", u, 35, 5);
	bb_member(&b, "name", arr, 64, 0);
	/* a 24-byte struct with only int z */
	bb_comp(&b, BK_KIND_STRUCT, "s2", 24, 1, false);       /* 7 */
	bb_member(&b, "z", i, 0, 0);
	/* packed: long at byte 1 */
	bb_comp(&b, BK_KIND_STRUCT, "p", 9, 2, false);         /* 8 */
	bb_member(&b, "c", c, 0, 0);
	bb_member(&b, "l", l, 8, 0);
	/* empty struct */
	bb_comp(&b, BK_KIND_STRUCT, "empty", 0, 0, false);     /* 9 */
	REQUIRE((btf = bb_open(&b)));
	s = emit_all(btf);
	CHECK_STR(s, "struct s1 {\n\tint a;\n\tunsigned int bf: 3;\n\tunsigned int bf2: 5;\n"
		     "\tlong: 0;\n\tchar name[16];\n};\n\n"
		     "struct s2 {\n\tint z;\n\tlong: 64;\n\tlong: 64;\n};\n\n"
		     "struct p {\n\tchar c;\n\tlong l;\n} __attribute__((packed));\n\n"
		     "struct empty {};\n\n");
	free(s);
	bk_btf_free(btf);
}

TEST(cdump_enum_size_attributes)
{
	struct bb b;
	struct bk_btf *btf;
	char *s;

	bb_init(&b);
	bb_enum(&b, "small", 1, 1, false);
	bb_enumval(&b, "S", 1);
	bb_enum(&b, "wide", 8, 1, false);
	bb_enumval(&b, "W", 2);
	REQUIRE((btf = bb_open(&b)));
	/* bpftool 7.1: no attributes */
	s = emit(btf, NULL, 0, false);
	CHECK_STR(s, "enum small {\n\tS = 1,\n};\n\nenum wide {\n\tW = 2,\n};\n\n");
	free(s);
	s = emit(btf, NULL, 0, true);
	CHECK_STR(s, "enum small {\n\tS = 1,\n} __attribute__((mode(byte)));\n\n"
		     "enum wide {\n\tW = 2,\n} __attribute__((mode(word)));\n\n");
	free(s);
	bk_btf_free(btf);
}

/* Print one declaration with the public emit_decl call. */
static char *decl(struct bk_btf *btf, uint32_t id, const char *name)
{
	struct bk_membuf mb = { 0 };
	struct bk_sink sink = bk_sink_membuf(&mb);
	struct bk_c_dumper *d = bk_c_dumper_new(btf, &sink, NULL);

	if (!d)
		return NULL;
	if (bk_c_dumper_emit_decl(d, id, name, 0)) {
		free(mb.data);
		mb.data = NULL;
	}
	bk_c_dumper_free(d);
	return mb.data ? mb.data : strdup("");
}

TEST(cdump_declarators)
{
	struct bb b;
	struct bk_btf *btf;
	uint32_t i, pi, proto, pproto, arr_pp, a3, pa3, a2, cint, vp, cp, tag, tp, va, parr, ktag, kp;
	char *s;

	bb_init(&b);
	i = bb_int(&b, "int", 4, BK_INT_SIGNED);
	pi = bb_ref(&b, BK_KIND_PTR, NULL, 0);                 /* void * */
	proto = bb_proto(&b, i, 2);                             /* int (void *, int) */
	bb_param(&b, "p", pi);
	bb_param(&b, NULL, i);
	pproto = bb_ref(&b, BK_KIND_PTR, NULL, proto);
	arr_pp = bb_array(&b, pproto, i, 4);                    /* int (*x[4])(void *p, int) */
	a3 = bb_array(&b, i, i, 3);
	pa3 = bb_ref(&b, BK_KIND_PTR, NULL, a3);                /* int (*x)[3] */
	a2 = bb_array(&b, a3, i, 2);                            /* int x[2][3] */
	cint = bb_ref(&b, BK_KIND_CONST, NULL, i);
	cp = bb_ref(&b, BK_KIND_PTR, NULL, cint);               /* const int *x */
	vp = bb_ref(&b, BK_KIND_CONST, NULL, cp);               /* const int * const x */
	tag = bb_ref(&b, BK_KIND_TYPE_TAG, "user", i);
	tp = bb_ref(&b, BK_KIND_PTR, NULL, tag);                /* int __attribute__((btf_type_tag("user"))) *x */
	va = bb_proto(&b, i, 2);                                /* int (int, ...) */
	bb_param(&b, "n", i);
	bb_param(&b, NULL, 0);
	parr = bb_ref(&b, BK_KIND_PTR, NULL, va);
	/* a type tag with kflag set is a plain attribute */
	ktag = bb_type(&b, "address_space(1)", BK_KIND_TYPE_TAG, 0, true, i);
	kp = bb_ref(&b, BK_KIND_PTR, NULL, ktag);
	REQUIRE((btf = bb_open(&b)));
	CHECK_STR((s = decl(btf, kp, "x")), "int __attribute__((address_space(1))) *x"); free(s);
	CHECK_STR((s = decl(btf, arr_pp, "x")), "int (*x[4])(void *p, int)"); free(s);
	CHECK_STR((s = decl(btf, pa3, "x")), "int (*x)[3]"); free(s);
	CHECK_STR((s = decl(btf, a2, "x")), "int x[2][3]"); free(s);
	CHECK_STR((s = decl(btf, cp, "x")), "const int *x"); free(s);
	CHECK_STR((s = decl(btf, vp, "x")), "const int * const x"); free(s);
	CHECK_STR((s = decl(btf, tp, "x")), "int __attribute__((btf_type_tag(\"user\"))) *x"); free(s);
	CHECK_STR((s = decl(btf, parr, "f")), "int (*f)(int n, ...)"); free(s);
	CHECK_STR((s = decl(btf, pproto, "")), "int (*)(void *p, int)"); free(s);
	CHECK_STR((s = decl(btf, 0, "v")), "void v"); free(s);
	CHECK_STR((s = decl(btf, pi, NULL)), "void *"); free(s);
	bk_btf_free(btf);
}

TEST(cdump_incremental_emit)
{
	struct bb b;
	struct bk_btf *btf;
	struct bk_membuf mb = { 0 };
	struct bk_sink sink = bk_sink_membuf(&mb);
	struct bk_c_dumper *d;
	uint32_t i, a, c;

	bb_init(&b);
	i = bb_int(&b, "int", 4, BK_INT_SIGNED);
	a = bb_comp(&b, BK_KIND_STRUCT, "a", 4, 1, false);
	bb_member(&b, "x", i, 0, 0);
	c = bb_comp(&b, BK_KIND_STRUCT, "c", 4, 1, false);
	bb_member(&b, "inner", a, 0, 0);
	REQUIRE((btf = bb_open(&b)));
	REQUIRE((d = bk_c_dumper_new(btf, &sink, NULL)));
	CHECK_EQ(bk_c_dumper_emit(d, &a, 1), 0);
	CHECK_STR(mb.data, "struct a {\n\tint x;\n};\n\n");
	mb.len = 0;
	CHECK_EQ(bk_c_dumper_emit(d, &a, 1), 0);
	CHECK_EQ(mb.len, 0);
	CHECK_EQ(bk_c_dumper_emit(d, &c, 1), 0);
	CHECK_STR(mb.data, "struct c {\n\tstruct a inner;\n};\n\n");
	i = bk_btf_type_cnt(btf);
	CHECK_EQ(bk_c_dumper_emit(d, &i, 1), -EINVAL);
	bk_c_dumper_free(d);
	free(mb.data);

	/* assume: recorded as emitted, nothing printed */
	mb = (struct bk_membuf){ 0 };
	REQUIRE((d = bk_c_dumper_new(btf, &sink, NULL)));
	CHECK_EQ(bk_c_dumper_assume(d, &a, 1), 0);
	CHECK_EQ(mb.len, 0);
	CHECK_EQ(bk_c_dumper_emit(d, &c, 1), 0);
	CHECK_STR(mb.data, "struct c {\n\tstruct a inner;\n};\n\n");
	bk_c_dumper_free(d);
	free(mb.data);
	bk_btf_free(btf);
}

TEST(cdump_sample_matches_bpftool)
{
	struct bk_btf *btf = bk_btf_open(bt_data("sample.bpf.o"), NULL);
	struct bk_membuf mb = { 0 };
	struct bk_sink sink = bk_sink_membuf(&mb);
	struct bk_dump_opts o = { .sz = sizeof(o), .format = BK_FORMAT_C };

	REQUIRE(btf);
	CHECK_EQ(bk_dump(btf, &sink, &o), 0);
	REQUIRE(mb.data);
	/* what bpftool 7.1 prints for these parts of the sample */
	CHECK(strstr(mb.data, "#ifndef __VMLINUX_H__\n#define __VMLINUX_H__\n\n#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n"
			      "#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)\n"
			      "#endif\n\nstruct list_head {\n") == mb.data);
	CHECK(strstr(mb.data, "\tint (*callback)(struct sample *, int, ...);\n"));
	CHECK(strstr(mb.data, "\tint __attribute__((btf_type_tag(\"user\"))) *uptr;\n"));
	CHECK(strstr(mb.data, "\tvolatile const char *name;\n\tchar buf[16][2];\n"));
	CHECK(strstr(mb.data, "\tstruct {\n\t\tint x;\n\t\tint y;\n\t} anon;\n"));
	CHECK(strstr(mb.data, "enum fwd_only;\n\nstruct packed_s {\n\tchar c;\n\tint i;\n} __attribute__((packed));\n\n"));
	CHECK(strstr(mb.data, "\tBLUE = 4294967295,\n"));
	CHECK(strstr(mb.data, "#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n#pragma clang attribute pop\n#endif\n\n"
			      "#endif /* __VMLINUX_H__ */\n"));
	free(mb.data);
	bk_btf_free(btf);
}

TEST(cdump_split_fork_and_guard)
{
	struct bb b;
	struct bk_btf *base, *split;
	struct bk_c_dumper *bd, *fd;
	struct bk_membuf mb = { 0 };
	struct bk_sink sink = bk_sink_membuf(&mb);
	struct bk_dump_opts o = { .sz = sizeof(o), .format = BK_FORMAT_C, .c_split_only = true,
				  .c_guard = "__M_H__" };
	uint32_t i;

	bb_init(&b);
	i = bb_int(&b, "int", 4, BK_INT_SIGNED);
	bb_comp(&b, BK_KIND_STRUCT, "s", 4, 1, false);
	bb_member(&b, "a", i, 0, 0);
	REQUIRE((base = bb_open(&b)));
	/* split: another struct s (a clash) embedding the base's struct s */
	bb_init_split(&b, base);
	bb_comp(&b, BK_KIND_STRUCT, "s", 8, 1, false);
	bb_member(&b, "s2", 2, 0, 0);
	REQUIRE((split = bb_open_on(&b, base)));
	CHECK_EQ(bk_dump(split, &sink, &o), 0);
	CHECK_STR(mb.data, "#ifndef __M_H__\n#define __M_H__\n\n#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n"
			   "#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)\n"
			   "#endif\n\n"
			   "struct s___2 {\n\tstruct s s2;\n\tlong: 0;\n};\n\n"
			   "#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n#pragma clang attribute pop\n#endif\n\n"
			   "#endif /* __M_H__ */\n");
	/* the same through the dumper API */
	mb.len = 0;
	REQUIRE((bd = bk_c_dumper_new(base, NULL, NULL)));
	CHECK_EQ(bk_c_dumper_emit_range(bd, 1, bk_btf_type_cnt(base)), 0);
	REQUIRE((fd = bk_c_dumper_fork(bd, split, &sink)));
	CHECK(!bk_c_dumper_fork(bd, base, &sink));
	CHECK_EQ(bk_c_dumper_emit_range(fd, bk_btf_start_id(split), bk_btf_type_cnt(split)), 0);
	CHECK_STR(mb.data, "struct s___2 {\n\tstruct s s2;\n\tlong: 0;\n};\n\n");
	bk_c_dumper_free(fd);
	bk_c_dumper_free(bd);
	free(mb.data);
	bk_btf_free(split);
	bk_btf_free(base);
}

TEST(cdump_errors_name_the_type)
{
	struct bb b;
	struct bk_btf *btf;
	struct bk_diag diag = { 0 };
	struct bk_membuf mb = { 0 };
	struct bk_sink sink = bk_sink_membuf(&mb);
	struct bk_dump_opts o = { .sz = sizeof(o), .format = BK_FORMAT_C, .diag = &diag };

	/* an embedding cycle: no C order exists */
	bb_init(&b);
	bb_comp(&b, BK_KIND_STRUCT, "a", 4, 1, false);
	bb_member(&b, "b", 2, 0, 0);
	bb_comp(&b, BK_KIND_STRUCT, "b", 4, 1, false);
	bb_member(&b, "a", 1, 0, 0);
	REQUIRE((btf = bb_open(&b)));
	CHECK_EQ(bk_dump(btf, &sink, &o), -ELOOP);
	CHECK_STR(diag.msg, "type cycle C cannot express, or types nested deeper than 512 (type [1], reached from type [1])");
	bk_btf_free(btf);

	/* a member past the end of its struct */
	memset(&diag, 0, sizeof(diag));
	bb_init(&b);
	bb_int(&b, "int", 4, BK_INT_SIGNED);
	bb_comp(&b, BK_KIND_STRUCT, "s", 4, 2, false);
	bb_member(&b, "a", 1, 0, 0);
	bb_member(&b, "far", 1, 4000000000u, 0);
	REQUIRE((btf = bb_open(&b)));
	CHECK_EQ(bk_dump(btf, &sink, &o), -EINVAL);
	CHECK_STR(diag.msg, "member 1 at bit 4000000000 is past the end of the 4-byte struct (type [2], member 1)");
	bk_btf_free(btf);

	/* a pointer cycle in a declarator */
	memset(&diag, 0, sizeof(diag));
	bb_init(&b);
	bb_ref(&b, BK_KIND_PTR, NULL, 2);
	bb_ref(&b, BK_KIND_PTR, NULL, 1);
	bb_ref(&b, BK_KIND_TYPEDEF, "loop_t", 1);
	REQUIRE((btf = bb_open(&b)));
	CHECK(bk_dump(btf, &sink, &o) < 0);
	CHECK(diag.msg[0] != 0);
	bk_btf_free(btf);
	free(mb.data);
}

TEST(cdump_several_splits_one_header)
{
	struct bb b;
	struct bk_btf *base, *s1, *s2, *mods[2];
	struct bk_membuf mb = { 0 };
	struct bk_sink sink = bk_sink_membuf(&mb);
	struct bk_dump_opts o = { .sz = sizeof(o), .format = BK_FORMAT_C, .c_split_only = true,
				  .c_guard = "__M_H__" };
	const char *body;

	bb_init(&b);
	bb_int(&b, "int", 4, BK_INT_SIGNED); /* 1 */
	REQUIRE((base = bb_open(&b)));
	/* module 1: struct same {int x;}, struct diff {int y;} */
	bb_init_split(&b, base);
	bb_comp(&b, BK_KIND_STRUCT, "same", 4, 1, false); /* 2 */
	bb_member(&b, "x", 1, 0, 0);
	bb_comp(&b, BK_KIND_STRUCT, "diff", 4, 1, false); /* 3 */
	bb_member(&b, "y", 1, 0, 0);
	REQUIRE((s1 = bb_open_on(&b, base)));
	/* module 2: struct diff {int z;}, struct same {int x;}, struct user {same; diff} */
	bb_init_split(&b, base);
	bb_comp(&b, BK_KIND_STRUCT, "diff", 4, 1, false); /* 2 */
	bb_member(&b, "z", 1, 0, 0);
	bb_comp(&b, BK_KIND_STRUCT, "same", 4, 1, false); /* 3 */
	bb_member(&b, "x", 1, 0, 0);
	bb_comp(&b, BK_KIND_STRUCT, "user", 8, 2, false); /* 4 */
	bb_member(&b, "s", 3, 0, 0);
	bb_member(&b, "d", 2, 32, 0);
	REQUIRE((s2 = bb_open_on(&b, base)));
	mods[0] = s1;
	mods[1] = s2;
	CHECK_EQ(bk_dump_c_modules(mods, 2, &sink, &o), 0);
	REQUIRE(mb.data);
	body = strstr(mb.data, "#endif\n\n") + 8;
	CHECK_STR(body, "struct same {\n\tint x;\n};\n\n"
			"struct diff {\n\tint y;\n};\n\n"
			"struct diff___2 {\n\tint z;\n};\n\n"
			"struct user {\n\tstruct same s;\n\tstruct diff___2 d;\n};\n\n"
			"#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n#pragma clang attribute pop\n#endif\n\n"
			"#endif /* __M_H__ */\n");
	/* splits on different bases are refused */
	mods[1] = base;
	CHECK_EQ(bk_dump_c_modules(mods, 2, &sink, &o), -EINVAL);
	free(mb.data);
	bk_btf_free(s2);
	bk_btf_free(s1);
	bk_btf_free(base);
}

/* The .BTF section of an ELF64 little-endian file (enough for the sample). */
static uint8_t *elf_btf(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *img = NULL, *out = NULL;
	long sz;

	if (!f || fseek(f, 0, SEEK_END) || (sz = ftell(f)) < 64 || fseek(f, 0, SEEK_SET))
		goto done;
	img = malloc((size_t)sz);
	if (!img || fread(img, 1, (size_t)sz, f) != (size_t)sz)
		goto done;
	{
		uint64_t shoff;
		uint16_t shentsize, shnum, shstrndx;
		const uint8_t *strsh;
		uint64_t stroff;

		memcpy(&shoff, img + 0x28, 8);
		memcpy(&shentsize, img + 0x3a, 2);
		memcpy(&shnum, img + 0x3c, 2);
		memcpy(&shstrndx, img + 0x3e, 2);
		strsh = img + shoff + (uint64_t)shstrndx * shentsize;
		memcpy(&stroff, strsh + 0x18, 8);
		for (unsigned i = 0; i < shnum; i++) {
			const uint8_t *sh = img + shoff + (uint64_t)i * shentsize;
			uint32_t name;
			uint64_t off, size;

			memcpy(&name, sh, 4);
			memcpy(&off, sh + 0x18, 8);
			memcpy(&size, sh + 0x20, 8);
			if (!strcmp((const char *)img + stroff + name, ".BTF")) {
				out = malloc(size);
				if (out) {
					memcpy(out, img + off, size);
					*len = size;
				}
				break;
			}
		}
	}
done:
	if (f)
		fclose(f);
	free(img);
	return out;
}

static int discard(void *ctx, const char *buf, size_t len)
{
	(void)ctx;
	(void)buf;
	(void)len;
	return 0;
}

/* Randomly mutated sample BTF: every format either prints or fails cleanly. */
TEST(cdump_mutated_inputs_never_crash)
{
	size_t len = 0;
	uint8_t *orig = elf_btf(bt_data("sample.bpf.o"), &len), *buf;
	struct bk_sink sink = { discard, NULL };
	uint64_t rng = 0x9e3779b97f4a7c15ull;
	int parsed = 0;

	REQUIRE(orig && len > 64);
	REQUIRE((buf = malloc(len)));
	for (int it = 0; it < 3000; it++) {
		struct bk_btf *btf;
		int nmut;

		memcpy(buf, orig, len);
		rng = rng * 6364136223846793005ull + 1442695040888963407ull;
		nmut = 1 + (int)((rng >> 60) & 3);
		for (int k = 0; k < nmut; k++) {
			size_t pos;

			rng = rng * 6364136223846793005ull + 1442695040888963407ull;
			pos = 24 + (size_t)((rng >> 33) % (len - 24));
			if ((rng >> 20) & 1) {
				buf[pos] = (uint8_t)(rng >> 8);
			} else {
				uint32_t v = (uint32_t)((rng >> 40) % 64);

				pos &= ~(size_t)3;
				if (pos + 4 <= len)
					memcpy(buf + pos, &v, 4);
			}
		}
		btf = bk_btf_from_mem(buf, len, NULL);
		if (!btf)
			continue;
		parsed++;
		for (int f = 0; f < 3; f++) {
			struct bk_dump_opts o = { .sz = sizeof(o), .format = (enum bk_format)f,
						  .sort = it & 1 };

			(void)bk_dump(btf, &sink, &o);
		}
		bk_btf_free(btf);
	}
	CHECK(parsed > 100);
	free(buf);
	free(orig);
}

struct deep_job {
	struct bk_btf *btf;
	int err;
	struct bk_diag diag;
};

static void *deep_run(void *arg)
{
	struct deep_job *j = arg;
	struct bk_sink sink = { discard, NULL };
	struct bk_dump_opts o = { .sz = sizeof(o), .format = BK_FORMAT_C, .diag = &j->diag };

	j->err = bk_dump(j->btf, &sink, &o);
	return NULL;
}

/* Run a C dump on a thread with a 1 MiB stack: deep input must fail, not overflow. */
static int dump_small_stack(struct bk_btf *btf, struct bk_diag *diag)
{
	struct deep_job j = { .btf = btf };
	pthread_attr_t attr;
	pthread_t th;

	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 1 << 20);
	if (pthread_create(&th, &attr, deep_run, &j))
		return -EAGAIN;
	pthread_join(th, NULL);
	pthread_attr_destroy(&attr);
	*diag = j.diag;
	return j.err;
}

TEST(cdump_deep_input_small_stack)
{
	static struct bb b; /* large: keep off the stack */
	struct bk_btf *btf;
	struct bk_diag diag;
	uint32_t i, prev;

	/* 1000 anonymous structs nested by value */
	bb_init(&b);
	i = bb_int(&b, "int", 4, BK_INT_SIGNED);
	prev = i;
	for (int k = 0; k < 1000; k++) {
		uint32_t id = bb_comp(&b, BK_KIND_STRUCT, k == 999 ? "top" : NULL, 4, 1, false);

		bb_member(&b, "m", prev, 0, 0);
		prev = id;
	}
	REQUIRE((btf = bb_open(&b)));
	CHECK_EQ(dump_small_stack(btf, &diag), -ELOOP);
	CHECK(strstr(diag.msg, "deeper than 512"));
	bk_btf_free(btf);

	/* a declarator alternating arrays and function prototypes, 1000 deep */
	bb_init(&b);
	i = bb_int(&b, "int", 4, BK_INT_SIGNED);
	prev = i;
	for (int k = 0; k < 1000; k++) {
		uint32_t p = bb_ref(&b, BK_KIND_PTR, NULL, prev);
		uint32_t a = bb_array(&b, p, i, 2);

		prev = bb_proto(&b, p, 1);
		bb_param(&b, NULL, a);
	}
	bb_ref(&b, BK_KIND_TYPEDEF, "deep_t", bb_ref(&b, BK_KIND_PTR, NULL, prev));
	REQUIRE((btf = bb_open(&b)));
	CHECK(dump_small_stack(btf, &diag) < 0);
	bk_btf_free(btf);
}
