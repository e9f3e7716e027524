// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * One descriptor per kind (struct bk__kind in internal.h): the facts about a
 * kind's record that every layer reads instead of switching over kinds —
 * its name, its size (fixed trailing bytes, bytes per vlen element), where
 * its type-ID and string-offset fields are, its class flags and its fields
 * by the names bpftool prints them under. Adding a kind means one entry
 * here (plus whatever behaviour of its own the validator, dedup and the C
 * printer need, which lives with them).
 *
 * Type-ID fields are one arithmetic run of 32-bit words: field i (of
 * id_fixed + vlen * id_per_elem) is word id_first + i * id_stride of the
 * record. Every kind fits: a single target is word 2; an ARRAY's element
 * and index types words 3 and 4; member types words 4, 7, 10, ...; a
 * FUNC_PROTO's return type word 2 and its parameter types 4, 6, ...; a
 * DATASEC's entry types 3, 6, 9, ... String fields: the name (word 0), and
 * with BK__KF_ELEM_NAMED the first word of each trailing element.
 */
#include "internal.h"

#define W(type, field) ((uint8_t)(offsetof(type, field) / 4))
#define F(key, word, form) { key, sizeof(key) - 1, word, form }

static const struct bk__kfield int_fields[] = {
	F("size", 2, BK__F_U32), F("bits_offset", 3, BK__F_INT_OFFSET),
	F("nr_bits", 3, BK__F_INT_BITS), F("encoding", 3, BK__F_INT_ENCODING),
};
static const struct bk__kfield type_fields[] = { F("type_id", 2, BK__F_U32) };
static const struct bk__kfield array_fields[] = {
	F("type_id", 3 + W(struct bk_array, type), BK__F_U32),
	F("index_type_id", 3 + W(struct bk_array, index_type), BK__F_U32),
	F("nr_elems", 3 + W(struct bk_array, nelems), BK__F_U32),
};
static const struct bk__kfield sized_vlen_fields[] = { F("size", 2, BK__F_U32), F("vlen", 1, BK__F_VLEN) };
static const struct bk__kfield member_fields[] = {
	F("name", W(struct bk_member, name_off), BK__F_NAME),
	F("type_id", W(struct bk_member, type), BK__F_U32),
	F("bits_offset", W(struct bk_member, offset), BK__F_BIT_OFFSET),
	F("bitfield_size", W(struct bk_member, offset), BK__F_BITFIELD_SIZE),
};
static const struct bk__kfield enum_fields[] = {
	F("encoding", 1, BK__F_SIGNEDNESS), F("size", 2, BK__F_U32), F("vlen", 1, BK__F_VLEN),
};
static const struct bk__kfield enumerator_fields[] = {
	F("name", W(struct bk_enum, name_off), BK__F_NAME), F("val", W(struct bk_enum, val), BK__F_ENUM_VAL),
};
static const struct bk__kfield enumerator64_fields[] = {
	F("name", W(struct bk_enum64, name_off), BK__F_NAME),
	F("val", W(struct bk_enum64, val_lo32), BK__F_ENUM64_VAL),
};
static const struct bk__kfield fwd_fields[] = { F("fwd_kind", 1, BK__F_FWD_KIND) };
static const struct bk__kfield func_fields[] = { F("type_id", 2, BK__F_U32), F("linkage", 1, BK__F_FUNC_LINKAGE) };
static const struct bk__kfield proto_fields[] = { F("ret_type_id", 2, BK__F_U32), F("vlen", 1, BK__F_VLEN) };
static const struct bk__kfield param_fields[] = {
	F("name", W(struct bk_param, name_off), BK__F_NAME), F("type_id", W(struct bk_param, type), BK__F_U32),
};
static const struct bk__kfield var_fields[] = {
	F("type_id", 2, BK__F_U32), F("linkage", 3 + W(struct bk_var, linkage), BK__F_VAR_LINKAGE),
};
static const struct bk__kfield secinfo_fields[] = {
	F("type_id", W(struct bk_var_secinfo, type), BK__F_U32),
	F("offset", W(struct bk_var_secinfo, offset), BK__F_U32),
	F("size", W(struct bk_var_secinfo, size), BK__F_U32),
};
static const struct bk__kfield size_fields[] = { F("size", 2, BK__F_U32) };
static const struct bk__kfield decl_tag_fields[] = {
	F("type_id", 2, BK__F_U32), F("component_idx", 3 + W(struct bk_decl_tag, component_idx), BK__F_I32),
};

_Static_assert(sizeof(struct bk__kind) == 64, "a kind's entry is 64 bytes: an index is a shift");

#define NAME(s) .name = s, .name_len = sizeof(s) - 1
#define FIELDS(a) .fields = a, .nr_fields = sizeof(a) / sizeof(a[0])
#define ELEMS(key, a) .elems_key = key, .elem_fields = a, .nr_elem_fields = sizeof(a) / sizeof(a[0])
/* type-ID fields: the run of words first, first + stride, ... (see above) */
#define IDS(first, stride, fixed, per_elem) \
	.id_first = first, .id_stride = stride, .id_fixed = fixed, .id_per_elem = per_elem
/* one target in word 2 */
#define TARGET IDS(2, 1, 1, 0)

const struct bk__kind bk__kinds[BK_NR_KINDS] = {
	[BK_KIND_UNKN] = { NAME("UNKNOWN") },
	[BK_KIND_INT] = { NAME("INT"), .info_sz = 4, .flags = BK__KF_SIZED | BK__KF_SCALAR,
			  FIELDS(int_fields) },
	[BK_KIND_PTR] = { NAME("PTR"), TARGET, FIELDS(type_fields) },
	[BK_KIND_ARRAY] = { NAME("ARRAY"), .info_sz = sizeof(struct bk_array),
			    IDS(3 + W(struct bk_array, type), 1, 2, 0), FIELDS(array_fields) },
	[BK_KIND_STRUCT] = { NAME("STRUCT"), .elem_sz = sizeof(struct bk_member),
			     .flags = BK__KF_SIZED | BK__KF_COMPOSITE | BK__KF_ELEM_NAMED,
			     IDS(3 + W(struct bk_member, type), 3, 0, 1), .elem_noun = "member",
			     FIELDS(sized_vlen_fields), ELEMS("members", member_fields) },
	[BK_KIND_UNION] = { NAME("UNION"), .elem_sz = sizeof(struct bk_member),
			    .flags = BK__KF_SIZED | BK__KF_COMPOSITE | BK__KF_ELEM_NAMED,
			    IDS(3 + W(struct bk_member, type), 3, 0, 1), .elem_noun = "member",
			    FIELDS(sized_vlen_fields), ELEMS("members", member_fields) },
	[BK_KIND_ENUM] = { NAME("ENUM"), .elem_sz = sizeof(struct bk_enum),
			   .flags = BK__KF_SIZED | BK__KF_SCALAR | BK__KF_ENUM | BK__KF_ELEM_NAMED,
			   .elem_noun = "enumerator", FIELDS(enum_fields),
			   ELEMS("values", enumerator_fields) },
	[BK_KIND_FWD] = { NAME("FWD"), FIELDS(fwd_fields) },
	[BK_KIND_TYPEDEF] = { NAME("TYPEDEF"), .flags = BK__KF_SIZE_OF_TARGET, TARGET,
			      FIELDS(type_fields) },
	[BK_KIND_VOLATILE] = { NAME("VOLATILE"), .flags = BK__KF_MOD | BK__KF_SIZE_OF_TARGET,
			       TARGET, FIELDS(type_fields) },
	[BK_KIND_CONST] = { NAME("CONST"), .flags = BK__KF_MOD | BK__KF_SIZE_OF_TARGET, TARGET,
			    FIELDS(type_fields) },
	[BK_KIND_RESTRICT] = { NAME("RESTRICT"), .flags = BK__KF_MOD | BK__KF_SIZE_OF_TARGET,
			       TARGET, FIELDS(type_fields) },
	[BK_KIND_FUNC] = { NAME("FUNC"), TARGET, FIELDS(func_fields) },
	[BK_KIND_FUNC_PROTO] = { NAME("FUNC_PROTO"), .elem_sz = sizeof(struct bk_param),
				 .flags = BK__KF_ELEM_NAMED,
				 IDS(2, 2, 1, 1), .elem_noun = "param", FIELDS(proto_fields),
				 ELEMS("params", param_fields) },
	[BK_KIND_VAR] = { NAME("VAR"), .info_sz = sizeof(struct bk_var),
			  .flags = BK__KF_SIZE_OF_TARGET, TARGET, FIELDS(var_fields) },
	[BK_KIND_DATASEC] = { NAME("DATASEC"), .elem_sz = sizeof(struct bk_var_secinfo),
			      .flags = BK__KF_SIZED, IDS(3 + W(struct bk_var_secinfo, type), 3, 0, 1),
			      .elem_noun = "entry", FIELDS(sized_vlen_fields),
			      ELEMS("vars", secinfo_fields) },
	[BK_KIND_FLOAT] = { NAME("FLOAT"), .flags = BK__KF_SIZED | BK__KF_SCALAR,
			    FIELDS(size_fields) },
	[BK_KIND_DECL_TAG] = { NAME("DECL_TAG"), .info_sz = sizeof(struct bk_decl_tag),
			       .flags = BK__KF_SIZE_OF_TARGET, TARGET, FIELDS(decl_tag_fields) },
	[BK_KIND_TYPE_TAG] = { NAME("TYPE_TAG"), .flags = BK__KF_MOD | BK__KF_SIZE_OF_TARGET,
			       TARGET, FIELDS(type_fields) },
	[BK_KIND_ENUM64] = { NAME("ENUM64"), .elem_sz = sizeof(struct bk_enum64),
			     .flags = BK__KF_SIZED | BK__KF_SCALAR | BK__KF_ENUM | BK__KF_ELEM_NAMED,
			     .elem_noun = "enumerator", FIELDS(enum_fields),
			     ELEMS("values", enumerator64_fields) },
};

const char *bk_kind_name(unsigned kind)
{
	return kind < BK_NR_KINDS ? bk__kinds[kind].name : "UNKNOWN";
}
