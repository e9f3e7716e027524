// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The values of a record's fields as bpftool prints them, read through the
 * kind table (src/core/kind.c): the raw text and JSON emitters share this
 * reading and differ only in how they spell a value. A leaf of the dump
 * layer: it calls nothing but the core lookups.
 */
#include "out.h"

const char *bk__dump_name(const struct bk_btf *btf, uint32_t off)
{
	const char *s;

	if (!off)
		return "(anon)";
	s = bk_btf_str(btf, off);
	return s ? s : "(invalid)";
}

const char *bk__int_encoding_str(unsigned enc)
{
	switch (enc) {
	case 0: return "(none)";
	case BK_INT_SIGNED: return "SIGNED";
	case BK_INT_CHAR: return "CHAR";
	case BK_INT_BOOL: return "BOOL";
	default: return "UNKN";
	}
}

const char *bk__linkage_str(unsigned linkage)
{
	switch (linkage) {
	case BK_LINKAGE_STATIC: return "static";
	case BK_LINKAGE_GLOBAL: return "global";
	case BK_LINKAGE_EXTERN: return "extern";
	default: return "(unknown)";
	}
}
