// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Unit tests of the encoder (src/encode): hand-made DWARF (dwb.h) for each
 * construct and each rule, compared with the raw dump of what it gives;
 * and bad DWARF, which must fail with a message naming the unit and DIE.
 * The compiled-C corpus against pahole is tests/diff/encode-pahole.sh.
 */
#include <dwarf.h>
#include <stdlib.h>

#include "btfkit/encode.h"
#include "btfkit/write.h"
#include "dwb.h"
#include "test.h"

#define DW_TAG_LLVM_annotation 0x6000

/* The abbreviations most tests use. */
struct fx {
	struct dwb *b;
	unsigned base, ptr, vptr, cnst, vol, tdef, st, st_anon, st_decl, un, un_decl, mem, mem_bf,
		mem_dw2, en, en_decl, enr, enr_u, arr, sub, sub_cnt, subr, subr_void, sparam, unspec,
		fn, fn_static, fn_decl, fn_origin, fparam, fparam_noloc, fparam_origin, var, var_decl,
		var_spec, annot, atomic, unspec_type;
};

static void fx_init(struct fx *x, unsigned version)
{
	struct dwb *b = dwb_new(version);

	x->b = b;
	x->base = dwb_abbrev(b, DW_TAG_base_type, false, DW_AT_name, DW_FORM_strp, DW_AT_byte_size,
			     DW_FORM_data1, DW_AT_encoding, DW_FORM_data1, 0);
	x->ptr = dwb_abbrev(b, DW_TAG_pointer_type, true, DW_AT_byte_size, DW_FORM_data1, DW_AT_type,
			    DW_FORM_ref4, 0);
	x->vptr = dwb_abbrev(b, DW_TAG_pointer_type, false, DW_AT_byte_size, DW_FORM_data1, 0);
	x->cnst = dwb_abbrev(b, DW_TAG_const_type, false, DW_AT_type, DW_FORM_ref4, 0);
	x->vol = dwb_abbrev(b, DW_TAG_volatile_type, false, DW_AT_type, DW_FORM_ref4, 0);
	x->tdef = dwb_abbrev(b, DW_TAG_typedef, true, DW_AT_name, DW_FORM_strp, DW_AT_type,
			     DW_FORM_ref4, 0);
	x->st = dwb_abbrev(b, DW_TAG_structure_type, true, DW_AT_name, DW_FORM_strp, DW_AT_byte_size,
			   DW_FORM_data1, 0);
	x->st_anon = dwb_abbrev(b, DW_TAG_structure_type, true, DW_AT_byte_size, DW_FORM_data1, 0);
	x->st_decl = dwb_abbrev(b, DW_TAG_structure_type, false, DW_AT_name, DW_FORM_strp,
				DW_AT_declaration, DW_FORM_flag_present, 0);
	x->un = dwb_abbrev(b, DW_TAG_union_type, true, DW_AT_name, DW_FORM_strp, DW_AT_byte_size,
			   DW_FORM_data1, 0);
	x->un_decl = dwb_abbrev(b, DW_TAG_union_type, false, DW_AT_name, DW_FORM_string,
				DW_AT_declaration, DW_FORM_flag_present, 0);
	x->mem = dwb_abbrev(b, DW_TAG_member, true, DW_AT_name, DW_FORM_strp, DW_AT_type, DW_FORM_ref4,
			    DW_AT_data_member_location, DW_FORM_data1, 0);
	x->mem_bf = dwb_abbrev(b, DW_TAG_member, false, DW_AT_name, DW_FORM_string, DW_AT_type,
			       DW_FORM_ref4, DW_AT_bit_size, DW_FORM_data1, DW_AT_data_bit_offset,
			       DW_FORM_data2, 0);
	x->mem_dw2 = dwb_abbrev(b, DW_TAG_member, false, DW_AT_name, DW_FORM_string, DW_AT_type,
				DW_FORM_ref4, DW_AT_byte_size, DW_FORM_data1, DW_AT_bit_size,
				DW_FORM_data1, DW_AT_bit_offset, DW_FORM_data1,
				DW_AT_data_member_location, DW_FORM_data1, 0);
	x->en = dwb_abbrev(b, DW_TAG_enumeration_type, true, DW_AT_name, DW_FORM_strp,
			   DW_AT_byte_size, DW_FORM_data1, DW_AT_type, DW_FORM_ref4, 0);
	x->en_decl = dwb_abbrev(b, DW_TAG_enumeration_type, false, DW_AT_name, DW_FORM_strp,
				DW_AT_declaration, DW_FORM_flag_present, 0);
	x->enr = dwb_abbrev(b, DW_TAG_enumerator, false, DW_AT_name, DW_FORM_strp,
			    DW_AT_const_value, DW_FORM_sdata, 0);
	x->enr_u = dwb_abbrev(b, DW_TAG_enumerator, false, DW_AT_name, DW_FORM_strp,
			      DW_AT_const_value, DW_FORM_data8, 0);
	x->arr = dwb_abbrev(b, DW_TAG_array_type, true, DW_AT_type, DW_FORM_ref4, 0);
	x->sub = dwb_abbrev(b, DW_TAG_subrange_type, false, DW_AT_upper_bound, DW_FORM_sdata, 0);
	x->sub_cnt = dwb_abbrev(b, DW_TAG_subrange_type, false, DW_AT_count, DW_FORM_udata, 0);
	x->subr = dwb_abbrev(b, DW_TAG_subroutine_type, true, DW_AT_prototyped, DW_FORM_flag_present,
			     DW_AT_type, DW_FORM_ref4, 0);
	x->subr_void = dwb_abbrev(b, DW_TAG_subroutine_type, true, DW_AT_prototyped,
				  DW_FORM_flag_present, 0);
	x->sparam = dwb_abbrev(b, DW_TAG_formal_parameter, false, DW_AT_type, DW_FORM_ref4, 0);
	x->unspec = dwb_abbrev(b, DW_TAG_unspecified_parameters, false, 0);
	x->fn = dwb_abbrev(b, DW_TAG_subprogram, true, DW_AT_external, DW_FORM_flag_present,
			   DW_AT_name, DW_FORM_strp, DW_AT_type, DW_FORM_ref4, DW_AT_low_pc,
			   DW_FORM_addr, DW_AT_high_pc, DW_FORM_data8, 0);
	x->fn_static = dwb_abbrev(b, DW_TAG_subprogram, true, DW_AT_name, DW_FORM_strp, DW_AT_type,
				  DW_FORM_ref4, DW_AT_low_pc, DW_FORM_addr, DW_AT_high_pc,
				  DW_FORM_data8, 0);
	x->fn_decl = dwb_abbrev(b, DW_TAG_subprogram, true, DW_AT_external, DW_FORM_flag_present,
				DW_AT_name, DW_FORM_strp, DW_AT_type, DW_FORM_ref4, DW_AT_declaration,
				DW_FORM_flag_present, 0);
	x->fn_origin = dwb_abbrev(b, DW_TAG_subprogram, true, DW_AT_abstract_origin, DW_FORM_ref4,
				  DW_AT_low_pc, DW_FORM_addr, DW_AT_high_pc, DW_FORM_data8, 0);
	x->fparam = dwb_abbrev(b, DW_TAG_formal_parameter, true, DW_AT_name, DW_FORM_strp,
			       DW_AT_type, DW_FORM_ref4, DW_AT_location, DW_FORM_exprloc, 0);
	x->fparam_noloc = dwb_abbrev(b, DW_TAG_formal_parameter, false, DW_AT_name, DW_FORM_strp,
				     DW_AT_type, DW_FORM_ref4, 0);
	x->fparam_origin = dwb_abbrev(b, DW_TAG_formal_parameter, false, DW_AT_abstract_origin,
				      DW_FORM_ref4, DW_AT_location, DW_FORM_exprloc, 0);
	x->var = dwb_abbrev(b, DW_TAG_variable, true, DW_AT_name, DW_FORM_strp, DW_AT_type,
			    DW_FORM_ref4, DW_AT_external, DW_FORM_flag_present, DW_AT_location,
			    DW_FORM_exprloc, 0);
	x->var_decl = dwb_abbrev(b, DW_TAG_variable, false, DW_AT_name, DW_FORM_strp, DW_AT_type,
				 DW_FORM_ref4, DW_AT_external, DW_FORM_flag_present,
				 DW_AT_declaration, DW_FORM_flag_present, 0);
	x->var_spec = dwb_abbrev(b, DW_TAG_variable, false, DW_AT_specification, DW_FORM_ref4,
				 DW_AT_location, DW_FORM_exprloc, 0);
	x->annot = dwb_abbrev(b, DW_TAG_LLVM_annotation, false, DW_AT_name, DW_FORM_strp,
			      DW_AT_const_value, DW_FORM_strp, 0);
	x->atomic = dwb_abbrev(b, DW_TAG_atomic_type, false, DW_AT_type, DW_FORM_ref4, 0);
	x->unspec_type = dwb_abbrev(b, DW_TAG_unspecified_type, false, DW_AT_name, DW_FORM_strp, 0);
}

/* DIE helpers: each writes one DIE (and its values) with the fixture's abbreviations. */
static void base(struct fx *x, unsigned id, const char *name, uint8_t size, uint8_t enc)
{
	dwb_die(x->b, x->base, id);
	dwb_strp(x->b, name);
	dwb_u8(x->b, size);
	dwb_u8(x->b, enc);
}

static void ref_die(struct fx *x, unsigned code, unsigned id, unsigned to)
{
	dwb_die(x->b, code, id);
	dwb_ref4(x->b, to);
}

static void ptr(struct fx *x, unsigned id, unsigned to)
{
	dwb_die(x->b, x->ptr, id);
	dwb_u8(x->b, 8);
	dwb_ref4(x->b, to);
	dwb_end(x->b);
}

static void member(struct fx *x, const char *name, unsigned type, uint8_t off)
{
	dwb_die(x->b, x->mem, 0);
	dwb_strp(x->b, name);
	dwb_ref4(x->b, type);
	dwb_u8(x->b, off);
	dwb_end(x->b);
}

/* A function with code at addr and one parameter in DWARF register reg (-1: no location). */
static void func1(struct fx *x, bool external, const char *name, unsigned ret, uint64_t addr,
		  const char *pname, unsigned ptype, int reg)
{
	dwb_die(x->b, external ? x->fn : x->fn_static, 0);
	dwb_strp(x->b, name);
	dwb_ref4(x->b, ret);
	dwb_u64(x->b, addr);
	dwb_u64(x->b, 8);
	if (pname && reg >= 0) {
		uint8_t op = (uint8_t)(DW_OP_reg0 + reg);

		dwb_die(x->b, x->fparam, 0);
		dwb_strp(x->b, pname);
		dwb_ref4(x->b, ptype);
		dwb_expr(x->b, &op, 1);
		dwb_end(x->b);
	} else if (pname) {
		dwb_die(x->b, x->fparam_noloc, 0);
		dwb_strp(x->b, pname);
		dwb_ref4(x->b, ptype);
	}
	dwb_end(x->b);
}

static struct bk_btf *encode(struct fx *x, uint32_t features, struct bk_diag *diag, unsigned jobs)
{
	struct bk_encode_opts o = { .sz = sizeof(o), .features = features, .diag = diag, .jobs = jobs };
	struct bk_btf *btf;
	uint8_t *img;
	size_t size;

	img = dwb_elf(x->b, &size);
	btf = bk_btf_encode_mem(img, size, &o);
	free(img);
	return btf;
}

/* Encode x's DWARF and compare the raw dump with want. */
#define CHECK_ENCODE(x, features, want)                                      \
	do {                                                                 \
		struct bk_diag _d = { 0 };                                   \
		struct bk_btf *_bt = encode((x), (features), &_d, 0);         \
		char *_s = _bt ? bt_dump_raw(_bt) : NULL;                      \
		if (!_bt)                                                   \
			bt_fail(__FILE__, __LINE__, "encode failed: %s", _d.msg); \
		else                                                         \
			CHECK_STR(_s, want);                                 \
		free(_s);                                                    \
		bk_btf_free(_bt);                                             \
	} while (0)

/* Encode must fail with -err and a message containing want. */
#define CHECK_ENCODE_ERR(x, errno_, want)                                    \
	do {                                                                 \
		struct bk_diag _d = { 0 };                                   \
		struct bk_btf *_bt = encode((x), 0, &_d, 0);                  \
		CHECK(!_bt);                                                  \
		CHECK_EQ(_d.err, -(errno_));                                 \
		if (!strstr(_d.msg, want))                                   \
			bt_fail(__FILE__, __LINE__, "message [%s] lacks [%s]", _d.msg, want); \
		bk_btf_free(_bt);                                             \
	} while (0)

TEST(encode_base_types)
{
	struct fx x;

	fx_init(&x, 5);
	dwb_cu_begin(x.b, DW_LANG_C11);
	base(&x, 1, "int", 4, DW_ATE_signed);
	base(&x, 2, "char", 1, DW_ATE_signed_char);
	base(&x, 3, "_Bool", 1, DW_ATE_boolean);
	base(&x, 4, "long unsigned int", 8, DW_ATE_unsigned);
	base(&x, 5, "double", 8, DW_ATE_float);
	base(&x, 6, "__int128", 16, DW_ATE_signed);
	base(&x, 7, "DW_ATE_unsigned_24", 3, DW_ATE_unsigned);
	dwb_cu_end(x.b);
	CHECK_ENCODE(&x, 0,
		     "[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED\n"
		     "[2] INT 'char' size=1 bits_offset=0 nr_bits=8 encoding=SIGNED\n"
		     "[3] INT '_Bool' size=1 bits_offset=0 nr_bits=8 encoding=BOOL\n"
		     "[4] INT 'long unsigned int' size=8 bits_offset=0 nr_bits=64 encoding=(none)\n"
		     "[5] FLOAT 'double' size=8\n"
		     "[6] INT '__int128' size=16 bits_offset=0 nr_bits=128 encoding=SIGNED\n"
		     "[7] INT '__SANITIZED_FAKE_INT__' size=4 bits_offset=0 nr_bits=32 encoding=(none)\n");
	/* without the float feature, as pahole 1.24 without --btf_gen_floats */
	CHECK_ENCODE(&x, BK_ENC_VAR,
		     "[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED\n"
		     "[2] INT 'char' size=1 bits_offset=0 nr_bits=8 encoding=SIGNED\n"
		     "[3] INT '_Bool' size=1 bits_offset=0 nr_bits=8 encoding=BOOL\n"
		     "[4] INT 'long unsigned int' size=8 bits_offset=0 nr_bits=64 encoding=(none)\n"
		     "[5] INT 'double' size=8 bits_offset=0 nr_bits=64 encoding=(none)\n"
		     "[6] INT '__int128' size=16 bits_offset=0 nr_bits=128 encoding=SIGNED\n"
		     "[7] INT '__SANITIZED_FAKE_INT__' size=4 bits_offset=0 nr_bits=32 encoding=(none)\n");
	dwb_free(x.b);
}

TEST(encode_structs_and_references)
{
	struct fx x;

	fx_init(&x, 5);
	dwb_cu_begin(x.b, DW_LANG_C11);
	base(&x, 1, "int", 4, DW_ATE_signed);
	/* struct list { struct list *next; const volatile int v; }; */
	dwb_die(x.b, x.st, 2);
	dwb_strp(x.b, "list");
	dwb_u8(x.b, 16);
	member(&x, "next", 3, 0);
	member(&x, "v", 5, 8);
	dwb_end(x.b);
	ptr(&x, 3, 2);
	ref_die(&x, x.cnst, 4, 1);
	ref_die(&x, x.vol, 5, 4);
	/* typedef struct { int a; } anon_t; an anonymous union inside a struct */
	dwb_die(x.b, x.tdef, 6);
	dwb_strp(x.b, "anon_t");
	dwb_ref4(x.b, 7);
	dwb_end(x.b);
	dwb_die(x.b, x.st_anon, 7);
	dwb_u8(x.b, 8);
	member(&x, "a", 1, 0);
	dwb_die(x.b, x.un, 8);
	dwb_strp(x.b, "u");
	dwb_u8(x.b, 4);
	member(&x, "i", 1, 0);
	member(&x, "j", 1, 0);
	dwb_end(x.b);
	member(&x, "u", 8, 4);
	dwb_end(x.b);
	/* declarations: FWD (union: kflag), and a pointer to void */
	dwb_die(x.b, x.st_decl, 9);
	dwb_strp(x.b, "opaque");
	dwb_die(x.b, x.un_decl, 10);
	dwb_str(x.b, "uopaque");
	dwb_die(x.b, x.vptr, 11);
	dwb_u8(x.b, 8);
	/* _Atomic int: no BTF of its own; unspecified_type (nullptr_t): void */
	ref_die(&x, x.atomic, 12, 1);
	ptr(&x, 13, 12);
	dwb_die(x.b, x.unspec_type, 14);
	dwb_strp(x.b, "decltype(nullptr)");
	ptr(&x, 15, 14);
	dwb_cu_end(x.b);
	CHECK_ENCODE(&x, 0,
		     "[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED\n"
		     "[2] STRUCT 'list' size=16 vlen=2\n"
		     "\t'next' type_id=3 bits_offset=0\n"
		     "\t'v' type_id=5 bits_offset=64\n"
		     "[3] PTR '(anon)' type_id=2\n"
		     "[4] CONST '(anon)' type_id=1\n"
		     "[5] VOLATILE '(anon)' type_id=4\n"
		     "[6] TYPEDEF 'anon_t' type_id=7\n"
		     "[7] STRUCT '(anon)' size=8 vlen=2\n"
		     "\t'a' type_id=1 bits_offset=0\n"
		     "\t'u' type_id=8 bits_offset=32\n"
		     "[8] UNION 'u' size=4 vlen=2\n"
		     "\t'i' type_id=1 bits_offset=0\n"
		     "\t'j' type_id=1 bits_offset=0\n"
		     "[9] FWD 'opaque' fwd_kind=struct\n"
		     "[10] FWD 'uopaque' fwd_kind=union\n"
		     "[11] PTR '(anon)' type_id=0\n"
		     "[12] PTR '(anon)' type_id=1\n");
	dwb_free(x.b);
}

TEST(encode_bitfields)
{
	struct fx x;

	for (unsigned version = 2; version <= 5; version += 3) {
		fx_init(&x, version);
		dwb_cu_begin(x.b, DW_LANG_C11);
		base(&x, 1, "unsigned int", 4, DW_ATE_unsigned);
		base(&x, 2, "long int", 8, DW_ATE_signed);
		/* struct bf { unsigned a:3, b:5; long c; } */
		dwb_die(x.b, x.st, 3);
		dwb_strp(x.b, "bf");
		dwb_u8(x.b, 16);
		if (version >= 4) {
			dwb_die(x.b, x.mem_bf, 0);
			dwb_str(x.b, "a");
			dwb_ref4(x.b, 1);
			dwb_u8(x.b, 3);
			dwb_u16(x.b, 0);
			dwb_die(x.b, x.mem_bf, 0);
			dwb_str(x.b, "b");
			dwb_ref4(x.b, 1);
			dwb_u8(x.b, 5);
			dwb_u16(x.b, 3);
		} else {
			/* DWARF 2: bit_offset counts from the top of the 4-byte unit */
			dwb_die(x.b, x.mem_dw2, 0);
			dwb_str(x.b, "a");
			dwb_ref4(x.b, 1);
			dwb_u8(x.b, 4);
			dwb_u8(x.b, 3);
			dwb_u8(x.b, 29);
			dwb_u8(x.b, 0);
			dwb_die(x.b, x.mem_dw2, 0);
			dwb_str(x.b, "b");
			dwb_ref4(x.b, 1);
			dwb_u8(x.b, 4);
			dwb_u8(x.b, 5);
			dwb_u8(x.b, 24);
			dwb_u8(x.b, 0);
		}
		member(&x, "c", 2, 8);
		dwb_end(x.b);
		dwb_cu_end(x.b);
		CHECK_ENCODE(&x, 0,
			     "[1] INT 'unsigned int' size=4 bits_offset=0 nr_bits=32 encoding=(none)\n"
			     "[2] INT 'long int' size=8 bits_offset=0 nr_bits=64 encoding=SIGNED\n"
			     "[3] STRUCT 'bf' size=16 vlen=3\n"
			     "\t'a' type_id=1 bits_offset=0 bitfield_size=3\n"
			     "\t'b' type_id=1 bits_offset=3 bitfield_size=5\n"
			     "\t'c' type_id=2 bits_offset=64\n");
		dwb_free(x.b);
	}
}

TEST(encode_enums)
{
	struct fx x;

	fx_init(&x, 5);
	dwb_cu_begin(x.b, DW_LANG_C11);
	base(&x, 1, "int", 4, DW_ATE_signed);
	base(&x, 2, "long unsigned int", 8, DW_ATE_unsigned);
	base(&x, 3, "long int", 8, DW_ATE_signed);
	dwb_die(x.b, x.en, 4);
	dwb_strp(x.b, "color");
	dwb_u8(x.b, 4);
	dwb_ref4(x.b, 1);
	dwb_die(x.b, x.enr, 0);
	dwb_strp(x.b, "RED");
	dwb_sleb(x.b, 0);
	dwb_die(x.b, x.enr, 0);
	dwb_strp(x.b, "NONE");
	dwb_sleb(x.b, -1);
	dwb_end(x.b);
	dwb_die(x.b, x.en, 5);
	dwb_strp(x.b, "big");
	dwb_u8(x.b, 8);
	dwb_ref4(x.b, 2);
	dwb_die(x.b, x.enr_u, 0);
	dwb_strp(x.b, "BIG");
	dwb_u64(x.b, 0x100000001ull);
	dwb_end(x.b);
	dwb_die(x.b, x.en, 6);
	dwb_strp(x.b, "sbig");
	dwb_u8(x.b, 8);
	dwb_ref4(x.b, 3);
	dwb_die(x.b, x.enr, 0);
	dwb_strp(x.b, "SBIG");
	dwb_sleb(x.b, -0x100000000ll);
	dwb_end(x.b);
	dwb_die(x.b, x.en_decl, 7);
	dwb_strp(x.b, "later");
	dwb_cu_end(x.b);
	CHECK_ENCODE(&x, 0,
		     "[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED\n"
		     "[2] INT 'long unsigned int' size=8 bits_offset=0 nr_bits=64 encoding=(none)\n"
		     "[3] INT 'long int' size=8 bits_offset=0 nr_bits=64 encoding=SIGNED\n"
		     "[4] ENUM 'color' encoding=SIGNED size=4 vlen=2\n"
		     "\t'RED' val=0\n"
		     "\t'NONE' val=-1\n"
		     "[5] ENUM64 'big' encoding=UNSIGNED size=8 vlen=1\n"
		     "\t'BIG' val=4294967297ULL\n"
		     "[6] ENUM64 'sbig' encoding=SIGNED size=8 vlen=1\n"
		     "\t'SBIG' val=-4294967296LL\n"
		     "[7] ENUM 'later' encoding=UNSIGNED size=4 vlen=0\n");
	/* without enum64 (pahole --skip_encoding_btf_enum64): 32-bit values */
	CHECK_ENCODE(&x, BK_ENC_FLOAT,
		     "[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED\n"
		     "[2] INT 'long unsigned int' size=8 bits_offset=0 nr_bits=64 encoding=(none)\n"
		     "[3] INT 'long int' size=8 bits_offset=0 nr_bits=64 encoding=SIGNED\n"
		     "[4] ENUM 'color' encoding=SIGNED size=4 vlen=2\n"
		     "\t'RED' val=0\n"
		     "\t'NONE' val=-1\n"
		     "[5] ENUM 'big' encoding=UNSIGNED size=8 vlen=1\n"
		     "\t'BIG' val=1\n"
		     "[6] ENUM 'sbig' encoding=SIGNED size=8 vlen=1\n"
		     "\t'SBIG' val=0\n"
		     "[7] ENUM 'later' encoding=UNSIGNED size=4 vlen=0\n");
	dwb_free(x.b);
}

TEST(encode_arrays_and_protos)
{
	struct fx x;

	fx_init(&x, 4);
	dwb_cu_begin(x.b, DW_LANG_C11);
	base(&x, 1, "char", 1, DW_ATE_signed_char);
	/* char m[2][3]; char flex[]; char zero[0] (one ARRAY for both); no "int" in the unit: one is made */
	dwb_die(x.b, x.arr, 2);
	dwb_ref4(x.b, 1);
	dwb_die(x.b, x.sub, 0);
	dwb_sleb(x.b, 1);
	dwb_die(x.b, x.sub_cnt, 0);
	dwb_uleb(x.b, 3);
	dwb_end(x.b);
	dwb_die(x.b, x.arr, 3);
	dwb_ref4(x.b, 1);
	dwb_die(x.b, dwb_abbrev(x.b, DW_TAG_subrange_type, false, 0), 0);
	dwb_end(x.b);
	dwb_die(x.b, x.arr, 4);
	dwb_ref4(x.b, 1);
	dwb_die(x.b, x.sub, 0);
	dwb_sleb(x.b, -1);
	dwb_end(x.b);
	/* char (*)(char, ...), void (*)(void) */
	dwb_die(x.b, x.subr, 5);
	dwb_ref4(x.b, 1);
	ref_die(&x, x.sparam, 0, 1);
	dwb_die(x.b, x.unspec, 0);
	dwb_end(x.b);
	dwb_die(x.b, x.subr_void, 6);
	dwb_end(x.b);
	dwb_cu_end(x.b);
	CHECK_ENCODE(&x, 0,
		     "[1] INT 'char' size=1 bits_offset=0 nr_bits=8 encoding=SIGNED\n"
		     "[2] ARRAY '(anon)' type_id=1 index_type_id=6 nr_elems=6\n"
		     "[3] ARRAY '(anon)' type_id=1 index_type_id=6 nr_elems=0\n"
		     "[4] FUNC_PROTO '(anon)' ret_type_id=1 vlen=2\n"
		     "\t'(anon)' type_id=1\n"
		     "\t'(anon)' type_id=0\n"
		     "[5] FUNC_PROTO '(anon)' ret_type_id=0 vlen=0\n"
		     "[6] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED\n");
	dwb_free(x.b);
}

/*
 * Functions: f1 (external, symbol), f2 (static, no symbol: no FUNC), f3
 * (declaration only: none), f4 (an unnamed parameter: none), moved (its
 * parameter in rsi instead of rdi), twice (static, in two units, two
 * addresses), clone (only a symbol clone.isra.0), inline (abstract instance
 * plus an out-of-line copy through DW_AT_abstract_origin).
 */
static void funcs_dwarf(struct fx *x)
{
	uint8_t rdi = DW_OP_reg5;

	dwb_cu_begin(x->b, DW_LANG_C11);
	base(x, 1, "int", 4, DW_ATE_signed);
	func1(x, true, "f1", 1, 0x1000, "a", 1, 5);
	func1(x, false, "f2", 1, 0x1010, "b", 1, 5);
	dwb_die(x->b, x->fn_decl, 0);
	dwb_strp(x->b, "f3");
	dwb_ref4(x->b, 1);
	ref_die(x, x->sparam, 0, 1);
	dwb_end(x->b);
	dwb_die(x->b, x->fn, 0);
	dwb_strp(x->b, "f4");
	dwb_ref4(x->b, 1);
	dwb_u64(x->b, 0x1020);
	dwb_u64(x->b, 8);
	ref_die(x, x->sparam, 0, 1);
	dwb_end(x->b);
	func1(x, true, "moved", 1, 0x1030, "m", 1, 4);
	func1(x, false, "twice", 1, 0x1040, "t", 1, 5);
	func1(x, false, "clone", 1, 0x1050, "c", 1, -1);
	/* the abstract instance of inl (no code), then a copy that points at it */
	dwb_die(x->b, dwb_abbrev(x->b, DW_TAG_subprogram, true, DW_AT_name, DW_FORM_strp,
				 DW_AT_type, DW_FORM_ref4, DW_AT_inline, DW_FORM_data1, 0), 10);
	dwb_strp(x->b, "inl");
	dwb_ref4(x->b, 1);
	dwb_u8(x->b, DW_INL_inlined);
	dwb_die(x->b, x->fparam_noloc, 11);
	dwb_strp(x->b, "i");
	dwb_ref4(x->b, 1);
	dwb_end(x->b);
	dwb_die(x->b, x->fn_origin, 0);
	dwb_ref4(x->b, 10);
	dwb_u64(x->b, 0x1060);
	dwb_u64(x->b, 8);
	dwb_die(x->b, x->fparam_origin, 0);
	dwb_ref4(x->b, 11);
	dwb_expr(x->b, &rdi, 1);
	dwb_end(x->b);
	dwb_cu_end(x->b);
	/* a second unit: twice again (another prototype) */
	dwb_cu_begin(x->b, DW_LANG_C11);
	base(x, 20, "int", 4, DW_ATE_signed);
	base(x, 21, "long int", 8, DW_ATE_signed);
	func1(x, false, "twice", 20, 0x1070, "t", 21, 5);
	dwb_cu_end(x->b);
	dwb_sym(x->b, "f1", true, true, false, 0x1000, 8);
	dwb_sym(x->b, "f3", true, true, false, 0x1010, 8);
	dwb_sym(x->b, "f4", true, true, false, 0x1020, 8);
	dwb_sym(x->b, "moved", true, true, false, 0x1030, 8);
	dwb_sym(x->b, "twice", true, false, false, 0x1040, 8);
	dwb_sym(x->b, "twice", true, false, false, 0x1070, 8);
	dwb_sym(x->b, "clone.isra.0", true, false, false, 0x1050, 8);
	dwb_sym(x->b, "inl", true, false, false, 0x1060, 8);
}

TEST(encode_functions)
{
	struct fx x;

	fx_init(&x, 5);
	funcs_dwarf(&x);
	/* the current kernel's rules: moved, twice (two addresses), clone (lost its parameter) skipped */
	CHECK_ENCODE(&x, 0,
		     "[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED\n"
		     "[2] INT 'long int' size=8 bits_offset=0 nr_bits=64 encoding=SIGNED\n"
		     "[3] FUNC_PROTO '(anon)' ret_type_id=1 vlen=1\n"
		     "\t'a' type_id=1\n"
		     "[4] FUNC 'f1' type_id=3 linkage=static\n"
		     "[5] FUNC_PROTO '(anon)' ret_type_id=1 vlen=1\n"
		     "\t'i' type_id=1\n"
		     "[6] FUNC 'inl' type_id=5 linkage=static\n");
	/* pahole 1.24's: exact symbol names, the first unit's instance */
	CHECK_ENCODE(&x, BK_ENC_VAR,
		     "[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED\n"
		     "[2] INT 'long int' size=8 bits_offset=0 nr_bits=64 encoding=SIGNED\n"
		     "[3] FUNC_PROTO '(anon)' ret_type_id=1 vlen=1\n"
		     "\t'a' type_id=1\n"
		     "[4] FUNC 'f1' type_id=3 linkage=static\n"
		     "[5] FUNC_PROTO '(anon)' ret_type_id=1 vlen=1\n"
		     "\t'i' type_id=1\n"
		     "[6] FUNC 'inl' type_id=5 linkage=static\n"
		     "[7] FUNC_PROTO '(anon)' ret_type_id=1 vlen=1\n"
		     "\t'm' type_id=1\n"
		     "[8] FUNC 'moved' type_id=7 linkage=static\n"
		     "[9] FUNC_PROTO '(anon)' ret_type_id=1 vlen=1\n"
		     "\t't' type_id=1\n"
		     "[10] FUNC 'twice' type_id=9 linkage=static\n");
	dwb_free(x.b);
}

static void log_line(void *ctx, const char *msg)
{
	char *buf = ctx;
	size_t len = strlen(buf);

	snprintf(buf + len, 4096 - len, "%s\n", msg);
}

TEST(encode_function_log)
{
	struct bk_diag d = { 0 };
	char log[4096] = "";
	struct bk_encode_opts o = { .sz = sizeof(o), .diag = &d, .log = log_line, .log_ctx = log };
	struct bk_btf *btf;
	struct fx x;
	uint8_t *img;
	size_t size;

	fx_init(&x, 5);
	funcs_dwarf(&x);
	img = dwb_elf(x.b, &size);
	btf = bk_btf_encode_mem(img, size, &o);
	REQUIRE(btf);
	CHECK_STR(log, "skip FUNC clone: optimized-param (only a clone symbol, whose signature changed, DIE 0xe0)\n"
		       "skip FUNC moved: moved-param (parameter 0 in an unexpected register, DIE 0x94)\n"
		       "skip FUNC twice: name-duplicate (2 functions of this name at different addresses)\n");
	bk_btf_free(btf);
	free(img);
	dwb_free(x.b);
}

/* No function symbols at all: external functions only (pahole's rule). */
TEST(encode_functions_without_symbols)
{
	struct fx x;

	fx_init(&x, 4);
	dwb_cu_begin(x.b, DW_LANG_C99);
	base(&x, 1, "int", 4, DW_ATE_signed);
	func1(&x, true, "ext", 1, 0x1000, "a", 1, 5);
	func1(&x, false, "stat", 1, 0x1010, "b", 1, 5);
	dwb_cu_end(x.b);
	CHECK_ENCODE(&x, 0,
		     "[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED\n"
		     "[2] FUNC_PROTO '(anon)' ret_type_id=1 vlen=1\n"
		     "\t'a' type_id=1\n"
		     "[3] FUNC 'ext' type_id=2 linkage=static\n");
	dwb_free(x.b);
}

TEST(encode_percpu_vars)
{
	uint8_t loc[9] = { DW_OP_addr, 0x10 };
	struct fx x;

	fx_init(&x, 5);
	dwb_cu_begin(x.b, DW_LANG_C11);
	base(&x, 1, "int", 4, DW_ATE_signed);
	base(&x, 2, "long int", 8, DW_ATE_signed);
	/* pcpu_a at offset 0x10 (global), pcpu_b at 0 (static, a definition naming
	 * its declaration: not taken at offset 0), other (not per-CPU) */
	dwb_die(x.b, x.var, 0);
	dwb_strp(x.b, "pcpu_a");
	dwb_ref4(x.b, 2);
	dwb_expr(x.b, loc, sizeof(loc));
	dwb_end(x.b);
	dwb_die(x.b, x.var_decl, 3);
	dwb_strp(x.b, "pcpu_b");
	dwb_ref4(x.b, 1);
	dwb_die(x.b, x.var_spec, 0);
	dwb_ref4(x.b, 3);
	loc[1] = 0;
	dwb_expr(x.b, loc, sizeof(loc));
	dwb_die(x.b, x.var, 0);
	dwb_strp(x.b, "pcpu_c");
	dwb_ref4(x.b, 1);
	loc[1] = 0x20;
	dwb_expr(x.b, loc, sizeof(loc));
	dwb_end(x.b);
	dwb_cu_end(x.b);
	dwb_sym(x.b, "pcpu_a", false, true, true, 0x10, 8);
	dwb_sym(x.b, "pcpu_b", false, true, true, 0, 4);
	dwb_sym(x.b, "pcpu_c", false, false, true, 0x20, 4);
	CHECK_ENCODE(&x, 0,
		     "[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED\n"
		     "[2] INT 'long int' size=8 bits_offset=0 nr_bits=64 encoding=SIGNED\n"
		     "[3] VAR 'pcpu_a' type_id=2, linkage=global\n"
		     "[4] VAR 'pcpu_c' type_id=1, linkage=global\n"
		     "[5] DATASEC '.data..percpu' size=36 vlen=2\n"
		     "\ttype_id=3 offset=16 size=8 (VAR 'pcpu_a')\n"
		     "\ttype_id=4 offset=32 size=4 (VAR 'pcpu_c')\n");
	/* without var: none */
	CHECK_ENCODE(&x, BK_ENC_FLOAT,
		     "[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED\n"
		     "[2] INT 'long int' size=8 bits_offset=0 nr_bits=64 encoding=SIGNED\n");
	dwb_free(x.b);
}

TEST(encode_tags)
{
	struct fx x;

	fx_init(&x, 5);
	dwb_cu_begin(x.b, DW_LANG_C11);
	base(&x, 1, "int", 4, DW_ATE_signed);
	/*
	 * struct s { int a __tag("m"); } __tag("s"); int __type_tag("t1")
	 * __type_tag("t2") *p: PTR -> t2 -> t1 -> int, as pahole and the kernel read it
	 */
	dwb_die(x.b, x.st, 2);
	dwb_strp(x.b, "s");
	dwb_u8(x.b, 4);
	dwb_die(x.b, x.mem, 0);
	dwb_strp(x.b, "a");
	dwb_ref4(x.b, 1);
	dwb_u8(x.b, 0);
	dwb_die(x.b, x.annot, 0);
	dwb_strp(x.b, "btf_decl_tag");
	dwb_strp(x.b, "m");
	dwb_end(x.b);
	dwb_die(x.b, x.annot, 0);
	dwb_strp(x.b, "btf_decl_tag");
	dwb_strp(x.b, "s");
	dwb_end(x.b);
	dwb_die(x.b, x.ptr, 3);
	dwb_u8(x.b, 8);
	dwb_ref4(x.b, 1);
	dwb_die(x.b, x.annot, 0);
	dwb_strp(x.b, "btf_type_tag");
	dwb_strp(x.b, "t1");
	dwb_die(x.b, x.annot, 0);
	dwb_strp(x.b, "btf_type_tag");
	dwb_strp(x.b, "t2");
	dwb_end(x.b);
	/* typedef int td __tag("td"); */
	dwb_die(x.b, x.tdef, 4);
	dwb_strp(x.b, "td");
	dwb_ref4(x.b, 1);
	dwb_die(x.b, x.annot, 0);
	dwb_strp(x.b, "btf_decl_tag");
	dwb_strp(x.b, "td");
	dwb_end(x.b);
	/* int f(int x __tag("p")) __tag("f") */
	dwb_die(x.b, x.fn, 0);
	dwb_strp(x.b, "f");
	dwb_ref4(x.b, 1);
	dwb_u64(x.b, 0x1000);
	dwb_u64(x.b, 8);
	dwb_die(x.b, x.fparam, 0);
	dwb_strp(x.b, "x");
	dwb_ref4(x.b, 3);
	dwb_expr(x.b, (const uint8_t[]){ DW_OP_reg5 }, 1);
	dwb_die(x.b, x.annot, 0);
	dwb_strp(x.b, "btf_decl_tag");
	dwb_strp(x.b, "p");
	dwb_end(x.b);
	dwb_die(x.b, x.annot, 0);
	dwb_strp(x.b, "btf_decl_tag");
	dwb_strp(x.b, "f");
	dwb_end(x.b);
	dwb_cu_end(x.b);
	dwb_sym(x.b, "f", true, true, false, 0x1000, 8);
	CHECK_ENCODE(&x, 0,
		     "[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED\n"
		     "[2] STRUCT 's' size=4 vlen=1\n"
		     "\t'a' type_id=1 bits_offset=0\n"
		     "[3] DECL_TAG 'm' type_id=2 component_idx=0\n"
		     "[4] DECL_TAG 's' type_id=2 component_idx=-1\n"
		     "[5] PTR '(anon)' type_id=7\n"
		     "[6] TYPE_TAG 't1' type_id=1\n"
		     "[7] TYPE_TAG 't2' type_id=6\n"
		     "[8] TYPEDEF 'td' type_id=1\n"
		     "[9] DECL_TAG 'td' type_id=8 component_idx=-1\n"
		     "[10] FUNC_PROTO '(anon)' ret_type_id=1 vlen=1\n"
		     "\t'x' type_id=5\n"
		     "[11] FUNC 'f' type_id=10 linkage=static\n"
		     "[12] DECL_TAG 'p' type_id=11 component_idx=0\n"
		     "[13] DECL_TAG 'f' type_id=11 component_idx=-1\n");
	/* without decl_tag and type_tag */
	CHECK_ENCODE(&x, BK_ENC_VAR,
		     "[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED\n"
		     "[2] STRUCT 's' size=4 vlen=1\n"
		     "\t'a' type_id=1 bits_offset=0\n"
		     "[3] PTR '(anon)' type_id=1\n"
		     "[4] TYPEDEF 'td' type_id=1\n"
		     "[5] FUNC_PROTO '(anon)' ret_type_id=1 vlen=1\n"
		     "\t'x' type_id=3\n"
		     "[6] FUNC 'f' type_id=5 linkage=static\n");
	dwb_free(x.b);
}

/* Types of other units: a partial unit imported, a type unit by signature. */
TEST(encode_other_units)
{
	struct fx x;

	fx_init(&x, 5);
	dwb_pu_begin(x.b);
	base(&x, 1, "int", 4, DW_ATE_signed);
	dwb_die(x.b, x.st, 2);
	dwb_strp(x.b, "shared");
	dwb_u8(x.b, 4);
	member(&x, "a", 1, 0);
	dwb_end(x.b);
	dwb_cu_end(x.b);
	dwb_tu_begin(x.b, 0x1234567890abcdefull, 3);
	base(&x, 4, "long int", 8, DW_ATE_signed);
	dwb_die(x.b, x.st, 3);
	dwb_strp(x.b, "from_tu");
	dwb_u8(x.b, 8);
	member(&x, "l", 4, 0);
	dwb_end(x.b);
	dwb_cu_end(x.b);
	dwb_cu_begin(x.b, DW_LANG_C11);
	dwb_die(x.b, dwb_abbrev(x.b, DW_TAG_imported_unit, false, DW_AT_import, DW_FORM_ref_addr, 0), 0);
	dwb_ref_addr(x.b, 1);
	dwb_die(x.b, dwb_abbrev(x.b, DW_TAG_pointer_type, false, DW_AT_byte_size, DW_FORM_data1,
				DW_AT_type, DW_FORM_ref_sig8, 0), 5);
	dwb_u8(x.b, 8);
	dwb_ref_sig8(x.b, 0x1234567890abcdefull);
	dwb_die(x.b, dwb_abbrev(x.b, DW_TAG_pointer_type, false, DW_AT_byte_size, DW_FORM_data1,
				DW_AT_type, DW_FORM_ref_addr, 0), 6);
	dwb_u8(x.b, 8);
	dwb_ref_addr(x.b, 2);
	dwb_cu_end(x.b);
	CHECK_ENCODE(&x, 0,
		     "[1] PTR '(anon)' type_id=3\n"
		     "[2] PTR '(anon)' type_id=4\n"
		     "[3] STRUCT 'from_tu' size=8 vlen=1\n"
		     "\t'l' type_id=5 bits_offset=0\n"
		     "[4] STRUCT 'shared' size=4 vlen=1\n"
		     "\t'a' type_id=6 bits_offset=0\n"
		     "[5] INT 'long int' size=8 bits_offset=0 nr_bits=64 encoding=SIGNED\n"
		     "[6] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED\n");
	dwb_free(x.b);
}

/* A module's types on its base: only what the base lacks is in the split. */
TEST(encode_split_on_base)
{
	struct bk_diag d = { 0 };
	struct bk_encode_opts o = { .sz = sizeof(o), .diag = &d };
	struct bk_btf *basebtf, *mod;
	struct fx x, y;
	uint8_t *img;
	size_t size;
	char *s;

	fx_init(&x, 5);
	dwb_cu_begin(x.b, DW_LANG_C11);
	base(&x, 1, "int", 4, DW_ATE_signed);
	dwb_die(x.b, x.st, 2);
	dwb_strp(x.b, "common");
	dwb_u8(x.b, 8);
	member(&x, "p", 3, 0);
	dwb_end(x.b);
	ptr(&x, 3, 2);
	dwb_cu_end(x.b);
	img = dwb_elf(x.b, &size);
	basebtf = bk_btf_encode_mem(img, size, &o);
	free(img);
	REQUIRE(basebtf);

	fx_init(&y, 4);
	dwb_cu_begin(y.b, DW_LANG_C11);
	base(&y, 1, "int", 4, DW_ATE_signed);
	dwb_die(y.b, y.st, 2);
	dwb_strp(y.b, "common");
	dwb_u8(y.b, 8);
	member(&y, "p", 3, 0);
	dwb_end(y.b);
	ptr(&y, 3, 2);
	dwb_die(y.b, y.st, 4);
	dwb_strp(y.b, "mine");
	dwb_u8(y.b, 12);
	member(&y, "c", 3, 0);
	member(&y, "n", 1, 8);
	dwb_end(y.b);
	dwb_cu_end(y.b);
	img = dwb_elf(y.b, &size);
	o.base = basebtf;
	mod = bk_btf_encode_mem(img, size, &o);
	free(img);
	REQUIRE(mod);
	CHECK_EQ(bk_btf_start_id(mod), 4);
	s = bt_dump_raw(mod);
	CHECK_STR(s, "[4] STRUCT 'mine' size=12 vlen=2\n"
		     "\t'c' type_id=3 bits_offset=0\n"
		     "\t'n' type_id=1 bits_offset=64\n");
	free(s);
	bk_btf_free(mod);
	bk_btf_free(basebtf);
	dwb_free(x.b);
	dwb_free(y.b);
}

TEST(encode_lang_exclude)
{
	struct bk_diag d = { 0 };
	struct bk_encode_opts o = { .sz = sizeof(o), .diag = &d };
	struct bk_btf *btf;
	struct fx x;
	uint8_t *img;
	size_t size;

	fx_init(&x, 5);
	dwb_cu_begin(x.b, DW_LANG_Rust);
	base(&x, 1, "u64", 8, DW_ATE_unsigned);
	dwb_cu_end(x.b);
	dwb_cu_begin(x.b, DW_LANG_C_plus_plus);
	base(&x, 2, "bool", 1, DW_ATE_boolean);
	dwb_cu_end(x.b);
	img = dwb_elf(x.b, &size);
	/* default: Rust units skipped, as the kernel build asks */
	btf = bk_btf_encode_mem(img, size, &o);
	REQUIRE(btf);
	CHECK_EQ(bk_btf_nr_own_types(btf), 1);
	CHECK(bk_btf_find(btf, "bool", BK_KIND_INT) > 0);
	bk_btf_free(btf);
	o.lang_exclude = "";
	btf = bk_btf_encode_mem(img, size, &o);
	REQUIRE(btf);
	CHECK_EQ(bk_btf_nr_own_types(btf), 2);
	bk_btf_free(btf);
	o.lang_exclude = "c++,rust";
	btf = bk_btf_encode_mem(img, size, &o);
	REQUIRE(btf);
	CHECK_EQ(bk_btf_nr_own_types(btf), 0);
	bk_btf_free(btf);
	o.lang_exclude = "c++,cobol2030";
	CHECK(!bk_btf_encode_mem(img, size, &o));
	CHECK_EQ(d.err, -EINVAL);
	CHECK_STR(d.msg, "unknown language 'cobol2030'");
	free(img);
	dwb_free(x.b);
}

/*
 * Enough units for several batches (the input is cut by size): the bytes
 * must not depend on the number of threads.
 */
TEST(encode_deterministic_across_jobs)
{
	struct bk_diag d = { 0 };
	struct bk_btf *one, *many;
	void *a = NULL, *b = NULL;
	size_t la = 0, lb = 0;
	struct fx x;
	char name[32];

	fx_init(&x, 5);
	for (unsigned u = 0; u < 300; u++) {
		dwb_cu_begin(x.b, DW_LANG_C11);
		base(&x, 0, "int", 4, DW_ATE_signed);
		/* the same struct in every unit, and one of the unit's own */
		for (unsigned k = 0; k < 2; k++) {
			snprintf(name, sizeof(name), k ? "own_%u" : "common_%u", k ? u : u % 7);
			dwb_die(x.b, x.st, 0);
			dwb_strp(x.b, name);
			dwb_u8(x.b, 4);
			dwb_die(x.b, x.mem_bf, 0);
			dwb_str(x.b, "a_member_with_a_long_inline_name_to_make_the_unit_larger");
			dwb_ref4(x.b, 1000 + u);
			dwb_u8(x.b, 4);
			dwb_u16(x.b, 0);
			dwb_end(x.b);
		}
		base(&x, 1000 + u, "unsigned int", 4, DW_ATE_unsigned);
		dwb_cu_end(x.b);
	}
	one = encode(&x, 0, &d, 1);
	many = encode(&x, 0, &d, 3);
	REQUIRE(one && many);
	CHECK_EQ(bk_btf_nr_own_types(one), 2 + 7 + 300);
	CHECK(!bk_btf_serialize(one, &a, &la) && !bk_btf_serialize(many, &b, &lb));
	CHECK(la == lb && a && b && !memcmp(a, b, la));
	free(a);
	free(b);
	bk_btf_free(one);
	bk_btf_free(many);
	dwb_free(x.b);
}

TEST(encode_features)
{
	struct bk_diag d = { 0 };
	uint32_t f = 0;

	CHECK_EQ(bk_encode_parse_features("var,float", &f, &d), 0);
	CHECK_EQ(f, BK_ENC_VAR | BK_ENC_FLOAT);
	CHECK_EQ(bk_encode_parse_features("default", &f, &d), 0);
	CHECK_EQ(f, BK_ENC_DEFAULT);
	CHECK_EQ(bk_encode_parse_features("-consistent_func", &f, &d), 0);
	CHECK_EQ(f, BK_ENC_DEFAULT & ~BK_ENC_CONSISTENT_FUNC);
	CHECK_EQ(bk_encode_parse_features("+var,-var,enum64", &f, &d), 0);
	CHECK_EQ(f, BK_ENC_DEFAULT & ~BK_ENC_VAR);
	CHECK_EQ(bk_encode_parse_features("", &f, &d), 0);
	CHECK_EQ(f, 0);
	CHECK_EQ(bk_encode_parse_features("var,bogus", &f, &d), -EINVAL);
	CHECK_STR(d.msg, "unknown feature 'bogus'");
	CHECK_STR(bk_encode_feature_name(BK_ENC_CONSISTENT_FUNC), "consistent_func");
	CHECK(!bk_encode_feature_name(BK_ENC_NONE));
}

/* Bad input: a message naming the unit and DIE, nothing returned. */
TEST(encode_errors)
{
	static const uint8_t junk[64] = "not an ELF file";
	struct bk_diag d = { 0 };
	struct bk_encode_opts o = { .sz = sizeof(o), .diag = &d };
	struct fx x;
	size_t pos;

	CHECK(!bk_btf_encode_mem(junk, sizeof(junk), &o));
	CHECK_EQ(d.err, -EINVAL);
	CHECK_STR(d.msg, "not an ELF file");
	CHECK(!bk_btf_encode("/nonexistent/file", &o));
	CHECK_EQ(errno, ENOENT);

	/* no .debug_info at all */
	{
		struct dwb *b = dwb_new(5);
		uint8_t *img;
		size_t size;

		img = dwb_elf(b, &size);
		CHECK(!bk_btf_encode_mem(img, size, &o));
		CHECK_EQ(d.err, -ENOENT);
		CHECK_STR(d.msg, "no DWARF: the file has no .debug_info section");
		free(img);
		dwb_free(b);
	}

	/* a type reference to a DIE that is not a type */
	fx_init(&x, 5);
	dwb_cu_begin(x.b, DW_LANG_C11);
	dwb_die(x.b, x.var_decl, 1);
	dwb_strp(x.b, "v");
	dwb_ref4(x.b, 1);
	ptr(&x, 2, 1);
	dwb_cu_end(x.b);
	CHECK_ENCODE_ERR(&x, EINVAL, "unit 0x0, DIE 0x");
	CHECK_ENCODE_ERR(&x, EINVAL, "which is not a type");
	dwb_free(x.b);

	/* a reference past the end of its unit */
	fx_init(&x, 4);
	dwb_cu_begin(x.b, DW_LANG_C11);
	ptr(&x, 1, 99);
	pos = dwb_info_pos(x.b) - 5;
	dwb_cu_end(x.b);
	dwb_poke(x.b, pos, 0xff);
	dwb_poke(x.b, pos + 1, 0xff);
	CHECK_ENCODE_ERR(&x, EINVAL, "reference outside its unit");
	dwb_free(x.b);

	/* an unknown abbreviation code, a DIE running past its unit */
	fx_init(&x, 5);
	dwb_cu_begin(x.b, DW_LANG_C11);
	pos = dwb_info_pos(x.b);
	base(&x, 1, "int", 4, DW_ATE_signed);
	dwb_cu_end(x.b);
	dwb_poke(x.b, pos, 0x7f);
	CHECK_ENCODE_ERR(&x, EINVAL, "unknown abbreviation code (0x7f)");
	/* a unit longer than the section */
	dwb_poke(x.b, pos, (uint8_t)x.base);
	dwb_poke(x.b, 3, 0x40);
	CHECK_ENCODE_ERR(&x, EINVAL, "unit at .debug_info+0x0: length 1073741847 runs past the section");
	dwb_free(x.b);
	/* a block running past the end of its unit */
	fx_init(&x, 5);
	dwb_cu_begin(x.b, DW_LANG_C11);
	dwb_die(x.b, dwb_abbrev(x.b, DW_TAG_variable, false, DW_AT_location, DW_FORM_block1, 0), 0);
	dwb_u8(x.b, 200);
	dwb_cu_end(x.b);
	CHECK_ENCODE_ERR(&x, EINVAL, "runs past the end of its unit");
	dwb_free(x.b);

	/* a form no DWARF version has; a version we do not read */
	fx_init(&x, 5);
	dwb_die(x.b, dwb_abbrev(x.b, DW_TAG_base_type, false, DW_AT_name, 0x7e, 0), 0);
	dwb_free(x.b);
	{
		struct dwb *b = dwb_new(5);
		unsigned bad = dwb_abbrev(b, DW_TAG_base_type, false, DW_AT_name, 0x7e, 0);

		dwb_cu_begin(b, DW_LANG_C11);
		dwb_die(b, bad, 0);
		dwb_u8(b, 0);
		dwb_cu_end(b);
		x.b = b;
		CHECK_ENCODE_ERR(&x, EINVAL, "unknown attribute form (0x7e)");
		dwb_free(b);
	}
	{
		struct dwb *b = dwb_new(6);

		dwb_cu_begin(b, DW_LANG_C11);
		dwb_cu_end(b);
		x.b = b;
		CHECK_ENCODE_ERR(&x, EINVAL, "DWARF version 6 is not supported");
		dwb_free(b);
	}

	/* a DWARF type BTF cannot say: pointer to member */
	fx_init(&x, 5);
	dwb_cu_begin(x.b, DW_LANG_C_plus_plus);
	dwb_die(x.b, dwb_abbrev(x.b, DW_TAG_ptr_to_member_type, false, 0), 0);
	dwb_cu_end(x.b);
	CHECK_ENCODE_ERR(&x, EOPNOTSUPP, "(DW_TAG_ptr_to_member_type): a DWARF type the encoder does not support");
	dwb_free(x.b);
}
