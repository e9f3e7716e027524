// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Per-kind facts: record layout (fixed trailing bytes and the size of each
 * of vlen trailing elements) and the names bpftool prints for kinds.
 */
#include "internal.h"

const struct bk__kind_layout bk__kind_layouts[BK_NR_KINDS] = {
	[BK_KIND_UNKN] = { 0, 0 },
	[BK_KIND_INT] = { sizeof(uint32_t), 0 },
	[BK_KIND_PTR] = { 0, 0 },
	[BK_KIND_ARRAY] = { sizeof(struct bk_array), 0 },
	[BK_KIND_STRUCT] = { 0, sizeof(struct bk_member) },
	[BK_KIND_UNION] = { 0, sizeof(struct bk_member) },
	[BK_KIND_ENUM] = { 0, sizeof(struct bk_enum) },
	[BK_KIND_FWD] = { 0, 0 },
	[BK_KIND_TYPEDEF] = { 0, 0 },
	[BK_KIND_VOLATILE] = { 0, 0 },
	[BK_KIND_CONST] = { 0, 0 },
	[BK_KIND_RESTRICT] = { 0, 0 },
	[BK_KIND_FUNC] = { 0, 0 },
	[BK_KIND_FUNC_PROTO] = { 0, sizeof(struct bk_param) },
	[BK_KIND_VAR] = { sizeof(struct bk_var), 0 },
	[BK_KIND_DATASEC] = { 0, sizeof(struct bk_var_secinfo) },
	[BK_KIND_FLOAT] = { 0, 0 },
	[BK_KIND_DECL_TAG] = { sizeof(struct bk_decl_tag), 0 },
	[BK_KIND_TYPE_TAG] = { 0, 0 },
	[BK_KIND_ENUM64] = { 0, sizeof(struct bk_enum64) },
};

static const char *const kind_names[BK_NR_KINDS] = {
	[BK_KIND_UNKN] = "UNKNOWN",	 [BK_KIND_INT] = "INT",
	[BK_KIND_PTR] = "PTR",		 [BK_KIND_ARRAY] = "ARRAY",
	[BK_KIND_STRUCT] = "STRUCT",	 [BK_KIND_UNION] = "UNION",
	[BK_KIND_ENUM] = "ENUM",	 [BK_KIND_FWD] = "FWD",
	[BK_KIND_TYPEDEF] = "TYPEDEF",	 [BK_KIND_VOLATILE] = "VOLATILE",
	[BK_KIND_CONST] = "CONST",	 [BK_KIND_RESTRICT] = "RESTRICT",
	[BK_KIND_FUNC] = "FUNC",	 [BK_KIND_FUNC_PROTO] = "FUNC_PROTO",
	[BK_KIND_VAR] = "VAR",		 [BK_KIND_DATASEC] = "DATASEC",
	[BK_KIND_FLOAT] = "FLOAT",	 [BK_KIND_DECL_TAG] = "DECL_TAG",
	[BK_KIND_TYPE_TAG] = "TYPE_TAG", [BK_KIND_ENUM64] = "ENUM64",
};

const char *bk_kind_name(unsigned kind)
{
	return kind < BK_NR_KINDS ? kind_names[kind] : "UNKNOWN";
}
