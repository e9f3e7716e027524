// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The values of a record's fields as bpftool prints them, read through the
 * kind table (src/core/kind.c): the raw text and JSON emitters share this
 * reading and differ only in how they spell a value. A leaf of the dump
 * layer: it calls nothing but the core lookups.
 */
#include "out.h"

const char bk__dump_lits[BK__NR_LITS][BK__LIT_SZ] = {
	[BK__LIT_ANON] = "(anon)", [BK__LIT_INVALID] = "(invalid)",
	[BK__LIT_UNSIGNED] = "UNSIGNED", [BK__LIT_SIGNED] = "SIGNED",
	[BK__LIT_STRUCT] = "struct", [BK__LIT_UNION] = "union",
	[BK__LIT_ENC_NONE] = "(none)", [BK__LIT_ENC_CHAR] = "CHAR", [BK__LIT_ENC_BOOL] = "BOOL",
	[BK__LIT_ENC_UNKN] = "UNKN",
	[BK__LIT_STATIC] = "static", [BK__LIT_GLOBAL] = "global", [BK__LIT_EXTERN] = "extern",
	[BK__LIT_LINKAGE_UNKN] = "(unknown)",
};

const char *bk__dump_name(const struct bk_btf *btf, uint32_t off)
{
	const char *end;

	return bk__dump_name_end(btf, off, &end);
}

const char *bk__int_encoding_str(unsigned enc)
{
	switch (enc) {
	case 0: return bk__dump_lits[BK__LIT_ENC_NONE];
	case BK_INT_SIGNED: return bk__dump_lits[BK__LIT_SIGNED];
	case BK_INT_CHAR: return bk__dump_lits[BK__LIT_ENC_CHAR];
	case BK_INT_BOOL: return bk__dump_lits[BK__LIT_ENC_BOOL];
	default: return bk__dump_lits[BK__LIT_ENC_UNKN];
	}
}

const char *bk__linkage_str(unsigned linkage)
{
	switch (linkage) {
	case BK_LINKAGE_STATIC: return bk__dump_lits[BK__LIT_STATIC];
	case BK_LINKAGE_GLOBAL: return bk__dump_lits[BK__LIT_GLOBAL];
	case BK_LINKAGE_EXTERN: return bk__dump_lits[BK__LIT_EXTERN];
	default: return bk__dump_lits[BK__LIT_LINKAGE_UNKN];
	}
}
