// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Fixtures of the distill and relocate tests: libbpf's selftest base and
 * split (prog_tests/btf_distill.c, distilled_base), their raw dumps before
 * and after distilling and relocating, and shared checks.
 */
#include <stdlib.h>

#include "distill_fix.h"
#include "test.h"
#include "btfkit/distill.h"
#include "btfkit/write.h"

/* Raw dump of every type (base ones too) as a heap string. */
char *dump_all(const struct bk_btf *btf)
{
	struct bk_membuf mb = { 0 };
	struct bk_sink sink = bk_sink_membuf(&mb);
	struct bk_dump_opts o = { .sz = sizeof(o), .include_base = true };

	if (bk_dump(btf, &sink, &o)) {
		free(mb.data);
		return NULL;
	}
	return mb.data ? mb.data : strdup("");
}

/* libbpf's selftest base for distilled_base: 17 types. */
struct bk_btf *selftest_base(void)
{
	struct bk_btf *b = bk_btf_new_empty(NULL);

	bk_btf_add_int(b, "int", 4, BK_INT_SIGNED);   /* [1] */
	bk_btf_add_ptr(b, 1);                         /* [2] int * */
	bk_btf_add_struct(b, "s1", 8);                /* [3] struct s1 { int *f1; } */
	bk_btf_add_field(b, "f1", 2, 0, 0);
	bk_btf_add_struct(b, "", 12);                 /* [4] struct { int f1; struct s1 f2; } */
	bk_btf_add_field(b, "f1", 1, 0, 0);
	bk_btf_add_field(b, "f2", 3, 32, 0);
	bk_btf_add_int(b, "unsigned int", 4, 0);      /* [5] */
	bk_btf_add_union(b, "u1", 12);                /* [6] union u1 { int f1; int *f2; } */
	bk_btf_add_field(b, "f1", 1, 0, 0);
	bk_btf_add_field(b, "f2", 2, 0, 0);
	bk_btf_add_union(b, "", 4);                   /* [7] union { int f1; } */
	bk_btf_add_field(b, "f1", 1, 0, 0);
	bk_btf_add_enum(b, "e1", 4);                  /* [8] enum e1 { v1 = 1 } */
	bk_btf_add_enum_value(b, "v1", 1);
	bk_btf_add_enum(b, "", 4);                    /* [9] enum { av1 = 2 } */
	bk_btf_add_enum_value(b, "av1", 2);
	bk_btf_add_enum64(b, "e641", 8, true);        /* [10] enum64 e641 { v1 = 1024 } */
	bk_btf_add_enum64_value(b, "v1", 1024);
	bk_btf_add_enum64(b, "", 8, true);            /* [11] enum64 { v1 = 1025 } */
	bk_btf_add_enum64_value(b, "v1", 1025);
	bk_btf_add_struct(b, "unneeded", 4);          /* [12] */
	bk_btf_add_field(b, "f1", 1, 0, 0);
	bk_btf_add_struct(b, "embedded", 4);          /* [13] */
	bk_btf_add_field(b, "f1", 1, 0, 0);
	bk_btf_add_func_proto(b, 1);                  /* [14] int (*)(int p1) */
	bk_btf_add_func_param(b, "p1", 1);
	bk_btf_add_array(b, 1, 1, 3);                 /* [15] int[3] */
	bk_btf_add_struct(b, "from_proto", 4);        /* [16] */
	bk_btf_add_field(b, "f1", 1, 0, 0);
	bk_btf_add_union(b, "u1", 4);                 /* [17] union u1 { int f1; } */
	bk_btf_add_field(b, "f1", 1, 0, 0);
	return b;
}

const char selftest_base_raw[] =
	"[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED\n"
	"[2] PTR '(anon)' type_id=1\n"
	"[3] STRUCT 's1' size=8 vlen=1\n"
	"\t'f1' type_id=2 bits_offset=0\n"
	"[4] STRUCT '(anon)' size=12 vlen=2\n"
	"\t'f1' type_id=1 bits_offset=0\n"
	"\t'f2' type_id=3 bits_offset=32\n"
	"[5] INT 'unsigned int' size=4 bits_offset=0 nr_bits=32 encoding=(none)\n"
	"[6] UNION 'u1' size=12 vlen=2\n"
	"\t'f1' type_id=1 bits_offset=0\n"
	"\t'f2' type_id=2 bits_offset=0\n"
	"[7] UNION '(anon)' size=4 vlen=1\n"
	"\t'f1' type_id=1 bits_offset=0\n"
	"[8] ENUM 'e1' encoding=UNSIGNED size=4 vlen=1\n"
	"\t'v1' val=1\n"
	"[9] ENUM '(anon)' encoding=UNSIGNED size=4 vlen=1\n"
	"\t'av1' val=2\n"
	"[10] ENUM64 'e641' encoding=SIGNED size=8 vlen=1\n"
	"\t'v1' val=1024LL\n"
	"[11] ENUM64 '(anon)' encoding=SIGNED size=8 vlen=1\n"
	"\t'v1' val=1025LL\n"
	"[12] STRUCT 'unneeded' size=4 vlen=1\n"
	"\t'f1' type_id=1 bits_offset=0\n"
	"[13] STRUCT 'embedded' size=4 vlen=1\n"
	"\t'f1' type_id=1 bits_offset=0\n"
	"[14] FUNC_PROTO '(anon)' ret_type_id=1 vlen=1\n"
	"\t'p1' type_id=1\n"
	"[15] ARRAY '(anon)' type_id=1 index_type_id=1 nr_elems=3\n"
	"[16] STRUCT 'from_proto' size=4 vlen=1\n"
	"\t'f1' type_id=1 bits_offset=0\n"
	"[17] UNION 'u1' size=4 vlen=1\n"
	"\t'f1' type_id=1 bits_offset=0\n";

/* The selftest's split on that base: [18]..[29]. */
struct bk_btf *selftest_split(struct bk_btf *base)
{
	struct bk_btf *s = bk_btf_new_empty(base);

	bk_btf_add_ptr(s, 3);                         /* [18] struct s1 * */
	bk_btf_add_ptr(s, 4);                         /* [19] struct (anon) * */
	bk_btf_add_const(s, 6);                       /* [20] const union u1 */
	bk_btf_add_restrict(s, 7);                    /* [21] restrict union (anon) */
	bk_btf_add_volatile(s, 8);                    /* [22] volatile enum e1 */
	bk_btf_add_typedef(s, "et", 9);               /* [23] typedef enum (anon) et */
	bk_btf_add_const(s, 10);                      /* [24] const enum64 e641 */
	bk_btf_add_ptr(s, 11);                        /* [25] enum64 (anon) * */
	bk_btf_add_struct(s, "with_embedded", 4);     /* [26] { struct embedded f1; } */
	bk_btf_add_field(s, "f1", 13, 0, 0);
	bk_btf_add_func(s, "fn", BK_LINKAGE_STATIC, 14); /* [27] */
	bk_btf_add_typedef(s, "arraytype", 15);       /* [28] */
	bk_btf_add_func_proto(s, 1);                  /* [29] int (*)(struct from_proto p1) */
	bk_btf_add_func_param(s, "p1", 16);
	return s;
}

const char selftest_split_raw[] =
	"[18] PTR '(anon)' type_id=3\n"
	"[19] PTR '(anon)' type_id=4\n"
	"[20] CONST '(anon)' type_id=6\n"
	"[21] RESTRICT '(anon)' type_id=7\n"
	"[22] VOLATILE '(anon)' type_id=8\n"
	"[23] TYPEDEF 'et' type_id=9\n"
	"[24] CONST '(anon)' type_id=10\n"
	"[25] PTR '(anon)' type_id=11\n"
	"[26] STRUCT 'with_embedded' size=4 vlen=1\n"
	"\t'f1' type_id=13 bits_offset=0\n"
	"[27] FUNC 'fn' type_id=14 linkage=static\n"
	"[28] TYPEDEF 'arraytype' type_id=15\n"
	"[29] FUNC_PROTO '(anon)' ret_type_id=1 vlen=1\n"
	"\t'p1' type_id=16\n";

/* distilled_base: what btf__distill_base gives for the selftest split. */
const char distilled_raw[] =
	"[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED\n"
	"[2] STRUCT 's1' size=8 vlen=0\n"
	"[3] UNION 'u1' size=12 vlen=0\n"
	"[4] ENUM 'e1' encoding=UNSIGNED size=4 vlen=0\n"
	"[5] ENUM 'e641' encoding=UNSIGNED size=8 vlen=0\n"
	"[6] STRUCT 'embedded' size=4 vlen=0\n"
	"[7] STRUCT 'from_proto' size=4 vlen=0\n"
	"[8] PTR '(anon)' type_id=2\n"
	"[9] PTR '(anon)' type_id=20\n"
	"[10] CONST '(anon)' type_id=3\n"
	"[11] RESTRICT '(anon)' type_id=21\n"
	"[12] VOLATILE '(anon)' type_id=4\n"
	"[13] TYPEDEF 'et' type_id=22\n"
	"[14] CONST '(anon)' type_id=5\n"
	"[15] PTR '(anon)' type_id=23\n"
	"[16] STRUCT 'with_embedded' size=4 vlen=1\n"
	"\t'f1' type_id=6 bits_offset=0\n"
	"[17] FUNC 'fn' type_id=24 linkage=static\n"
	"[18] TYPEDEF 'arraytype' type_id=25\n"
	"[19] FUNC_PROTO '(anon)' ret_type_id=1 vlen=1\n"
	"\t'p1' type_id=7\n"
	"[20] STRUCT '(anon)' size=12 vlen=2\n"
	"\t'f1' type_id=1 bits_offset=0\n"
	"\t'f2' type_id=2 bits_offset=32\n"
	"[21] UNION '(anon)' size=4 vlen=1\n"
	"\t'f1' type_id=1 bits_offset=0\n"
	"[22] ENUM '(anon)' encoding=UNSIGNED size=4 vlen=1\n"
	"\t'av1' val=2\n"
	"[23] ENUM64 '(anon)' encoding=SIGNED size=8 vlen=1\n"
	"\t'v1' val=1025LL\n"
	"[24] FUNC_PROTO '(anon)' ret_type_id=1 vlen=1\n"
	"\t'p1' type_id=1\n"
	"[25] ARRAY '(anon)' type_id=1 index_type_id=1 nr_elems=3\n";

/* ... and after btf__relocate onto the selftest base again. */
const char relocated_raw[] =
	"[18] PTR '(anon)' type_id=3\n"
	"[19] PTR '(anon)' type_id=30\n"
	"[20] CONST '(anon)' type_id=6\n"
	"[21] RESTRICT '(anon)' type_id=31\n"
	"[22] VOLATILE '(anon)' type_id=8\n"
	"[23] TYPEDEF 'et' type_id=32\n"
	"[24] CONST '(anon)' type_id=10\n"
	"[25] PTR '(anon)' type_id=33\n"
	"[26] STRUCT 'with_embedded' size=4 vlen=1\n"
	"\t'f1' type_id=13 bits_offset=0\n"
	"[27] FUNC 'fn' type_id=34 linkage=static\n"
	"[28] TYPEDEF 'arraytype' type_id=35\n"
	"[29] FUNC_PROTO '(anon)' ret_type_id=1 vlen=1\n"
	"\t'p1' type_id=16\n"
	"[30] STRUCT '(anon)' size=12 vlen=2\n"
	"\t'f1' type_id=1 bits_offset=0\n"
	"\t'f2' type_id=3 bits_offset=32\n"
	"[31] UNION '(anon)' size=4 vlen=1\n"
	"\t'f1' type_id=1 bits_offset=0\n"
	"[32] ENUM '(anon)' encoding=UNSIGNED size=4 vlen=1\n"
	"\t'av1' val=2\n"
	"[33] ENUM64 '(anon)' encoding=SIGNED size=8 vlen=1\n"
	"\t'v1' val=1025LL\n"
	"[34] FUNC_PROTO '(anon)' ret_type_id=1 vlen=1\n"
	"\t'p1' type_id=1\n"
	"[35] ARRAY '(anon)' type_id=1 index_type_id=1 nr_elems=3\n";

/* Relocation errors leave the split unchanged; check the message too. */
void check_reloc_fails(struct bk_btf *ds, struct bk_btf *onto, int err, const char *msg_part)
{
	struct bk_diag diag = { 0 };
	struct bk_relocate_opts ro = { .sz = sizeof(ro), .diag = &diag };
	const struct bk_btf *old_base = bk_btf_base(ds);
	char *before = dump_all(ds), *after;

	CHECK_EQ(bk_btf_relocate(ds, onto, &ro), err);
	CHECK_EQ(diag.err, err);
	if (!strstr(diag.msg, msg_part))
		bt_fail(__FILE__, __LINE__, "message '%s' lacks '%s'", diag.msg, msg_part);
	CHECK(bk_btf_base(ds) == old_base);
	after = dump_all(ds);
	CHECK_STR(after, before);
	free(before);
	free(after);
}

