// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A blob with one type of each of the 19 kinds (IDs 1..19 in kind order),
 * a signed ENUM64 [20] and an unsigned ENUM [21], and the bpftool raw dump of it, checked
 * against `bpftool btf dump file` when the golden text was written.
 */
#include "blob.h"
#include "test.h"

void bt_all_kinds(struct bt_blob *b)
{
	uint32_t s;

	s = bt_str(b, "int");
	bt_type(b, s, BK_KIND_INT, 0, 0, 4);                      /* [1] */
	bt_word(b, (BK_INT_SIGNED << 24) | 32);
	bt_type(b, 0, BK_KIND_PTR, 0, 0, 1);                      /* [2] */
	bt_type(b, 0, BK_KIND_ARRAY, 0, 0, 0);                    /* [3] */
	bt_word(b, 1);
	bt_word(b, 1);
	bt_word(b, 4);
	s = bt_str(b, "s");
	bt_type(b, s, BK_KIND_STRUCT, 3, 1, 8);                   /* [4] */
	bt_word(b, bt_str(b, "a"));
	bt_word(b, 1);
	bt_word(b, 0);
	bt_word(b, bt_str(b, "b"));
	bt_word(b, 1);
	bt_word(b, (3u << 24) | 32);
	bt_word(b, 0);
	bt_word(b, 5);
	bt_word(b, 35);
	bt_type(b, 0, BK_KIND_UNION, 1, 0, 4);                    /* [5] */
	bt_word(b, bt_str(b, "x"));
	bt_word(b, 1);
	bt_word(b, 0);
	s = bt_str(b, "e");
	bt_type(b, s, BK_KIND_ENUM, 2, 1, 4);                     /* [6] */
	bt_word(b, bt_str(b, "A"));
	bt_word(b, (uint32_t)-1);
	bt_word(b, bt_str(b, "B"));
	bt_word(b, 2);
	bt_type(b, bt_str(b, "f"), BK_KIND_FWD, 0, 1, 0);         /* [7] */
	bt_type(b, bt_str(b, "t"), BK_KIND_TYPEDEF, 0, 0, 1);     /* [8] */
	bt_type(b, 0, BK_KIND_VOLATILE, 0, 0, 1);                 /* [9] */
	bt_type(b, 0, BK_KIND_CONST, 0, 0, 9);                    /* [10] */
	bt_type(b, 0, BK_KIND_RESTRICT, 0, 0, 2);                 /* [11] */
	bt_type(b, 0, BK_KIND_FUNC_PROTO, 2, 0, 1);               /* [12] */
	bt_word(b, bt_str(b, "p"));
	bt_word(b, 2);
	bt_word(b, 0);
	bt_word(b, 0);
	bt_type(b, bt_str(b, "fn"), BK_KIND_FUNC, 1, 0, 12);      /* [13] */
	bt_type(b, bt_str(b, "v"), BK_KIND_VAR, 0, 0, 1);         /* [14] */
	bt_word(b, 1);
	bt_type(b, bt_str(b, ".data"), BK_KIND_DATASEC, 1, 0, 4); /* [15] */
	bt_word(b, 14);
	bt_word(b, 0);
	bt_word(b, 4);
	bt_type(b, bt_str(b, "float"), BK_KIND_FLOAT, 0, 0, 4);   /* [16] */
	bt_type(b, bt_str(b, "tag"), BK_KIND_DECL_TAG, 0, 0, 4);  /* [17] */
	bt_word(b, 1);
	bt_type(b, bt_str(b, "user"), BK_KIND_TYPE_TAG, 0, 0, 1); /* [18] */
	s = bt_str(b, "e64");
	bt_type(b, s, BK_KIND_ENUM64, 2, 0, 8);                   /* [19] */
	bt_word(b, bt_str(b, "X"));
	bt_word(b, 1);
	bt_word(b, 1);
	bt_word(b, bt_str(b, "Y"));
	bt_word(b, 0xffffffff);
	bt_word(b, 0xffffffff);
	s = bt_str(b, "s64");
	bt_type(b, s, BK_KIND_ENUM64, 1, 1, 8);                   /* [20] signed */
	bt_word(b, bt_str(b, "M"));
	bt_word(b, (uint32_t)-2);
	bt_word(b, 0xffffffff);
	s = bt_str(b, "u32e");
	bt_type(b, s, BK_KIND_ENUM, 1, 0, 4);                     /* [21] unsigned */
	bt_word(b, bt_str(b, "U"));
	bt_word(b, 0xffffffff);
}

const char bt_all_kinds_raw[] =
	"[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED\n"
	"[2] PTR '(anon)' type_id=1\n"
	"[3] ARRAY '(anon)' type_id=1 index_type_id=1 nr_elems=4\n"
	"[4] STRUCT 's' size=8 vlen=3\n"
	"\t'a' type_id=1 bits_offset=0\n"
	"\t'b' type_id=1 bits_offset=32 bitfield_size=3\n"
	"\t'(anon)' type_id=5 bits_offset=35\n"
	"[5] UNION '(anon)' size=4 vlen=1\n"
	"\t'x' type_id=1 bits_offset=0\n"
	"[6] ENUM 'e' encoding=SIGNED size=4 vlen=2\n"
	"\t'A' val=-1\n"
	"\t'B' val=2\n"
	"[7] FWD 'f' fwd_kind=union\n"
	"[8] TYPEDEF 't' type_id=1\n"
	"[9] VOLATILE '(anon)' type_id=1\n"
	"[10] CONST '(anon)' type_id=9\n"
	"[11] RESTRICT '(anon)' type_id=2\n"
	"[12] FUNC_PROTO '(anon)' ret_type_id=1 vlen=2\n"
	"\t'p' type_id=2\n"
	"\t'(anon)' type_id=0\n"
	"[13] FUNC 'fn' type_id=12 linkage=global\n"
	"[14] VAR 'v' type_id=1, linkage=global\n"
	"[15] DATASEC '.data' size=4 vlen=1\n"
	"\ttype_id=14 offset=0 size=4 (VAR 'v')\n"
	"[16] FLOAT 'float' size=4\n"
	"[17] DECL_TAG 'tag' type_id=4 component_idx=1\n"
	"[18] TYPE_TAG 'user' type_id=1\n"
	"[19] ENUM64 'e64' encoding=UNSIGNED size=8 vlen=2\n"
	"\t'X' val=4294967297ULL\n"
	"\t'Y' val=18446744073709551615ULL\n"
	"[20] ENUM64 's64' encoding=SIGNED size=8 vlen=1\n"
	"\t'M' val=-2LL\n"
	"[21] ENUM 'u32e' encoding=UNSIGNED size=4 vlen=1\n"
	"\t'U' val=4294967295\n";
