// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Kernel acceptance of writer output (BPF_BTF_LOAD through libbpf's
 * bpf_btf_load):
 *   writer_kload [RAW_OR_ELF_BTF...]
 * 1. A BTF built with the writer that holds every kind 1..19 (INT PTR ARRAY
 *    STRUCT with a bitfield, UNION, signed ENUM, ENUM64, FWD struct/union,
 *    TYPEDEF, VOLATILE, CONST, RESTRICT, FUNC static/global, FUNC_PROTO,
 *    VAR, DATASEC, FLOAT, DECL_TAG on type/member/param, TYPE_TAG), laid out
 *    the way the kernel's validator wants it. The optional forms (enum
 *    forward = ENUM without values, TYPE_TAG and DECL_TAG with kflag, i.e.
 *    raw attributes) are probed one by one on top of it and kept when the
 *    running kernel accepts them; the final BTF with all accepted forms
 *    must load.
 * 2. Each file given is opened, re-serialized by btfkit and loaded.
 * Prints one line per load; "skip: ..." and exit 3 when loading BTF is not
 * permitted (EPERM/EACCES) or not supported; exit 1 on any rejection.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "btfkit/btf.h"
#include "btfkit/write.h"
#include "kload.h"

static int load_btf(const struct bk_btf *btf)
{
	size_t size;
	void *data;
	int err = bk_btf_serialize(btf, &data, &size);

	if (err)
		return err;
	err = kload(data, size);
	free(data);
	return err;
}

enum opt_form { OPT_ENUM_FWD, OPT_TYPE_ATTR, OPT_DECL_ATTR, NR_OPT };
static const char *const opt_names[NR_OPT] = { "enum forward", "TYPE_TAG attr (kflag)",
					       "DECL_TAG attr (kflag)" };

/* Every kind, in a kernel-valid shape; optional forms per mask. */
static struct bk_btf *build(unsigned mask)
{
	struct bk_btf *b = bk_btf_new_empty(NULL);
	int i, tt, p, arr, flt, s, fp, fn, v, w;
	int ok = 1;

	if (!b)
		return NULL;
#define A(x) ok &= (x) >= 0
	A(i = bk_btf_add_int(b, "int", 4, BK_INT_SIGNED));
	A(tt = bk_btf_add_type_tag(b, "user", i));
	A(p = bk_btf_add_ptr(b, tt));
	A(arr = bk_btf_add_array(b, i, i, 4));
	A(flt = bk_btf_add_float(b, "float", 4));
	A(s = bk_btf_add_struct(b, "s", 32));
	A(bk_btf_add_field(b, "a", i, 0, 0));
	A(bk_btf_add_field(b, "b", i, 32, 3));
	A(bk_btf_add_field(b, "p", p, 64, 0));
	A(bk_btf_add_field(b, "arr", arr, 128, 0));
	A(bk_btf_add_union(b, "u", 4));
	A(bk_btf_add_field(b, "x", i, 0, 0));
	A(bk_btf_add_field(b, "y", flt, 0, 0));
	A(bk_btf_add_enum(b, "e", 4));
	A(bk_btf_add_enum_value(b, "E_NEG", -1));
	A(bk_btf_add_enum_value(b, "E_ONE", 1));
	A(bk_btf_add_enum64(b, "e64", 8, false));
	A(bk_btf_add_enum64_value(b, "E_BIG", 1ULL << 40));
	A(bk_btf_add_fwd(b, "fs", BK_FWD_STRUCT));
	A(bk_btf_add_fwd(b, "fu", BK_FWD_UNION));
	A(bk_btf_add_typedef(b, "td", s));
	A(bk_btf_add_restrict(b, p));
	A(bk_btf_add_const(b, bk_btf_add_volatile(b, i)));
	A(fp = bk_btf_add_func_proto(b, i));
	A(bk_btf_add_func_param(b, "x", i));
	A(bk_btf_add_func_param(b, "y", p));
	A(fn = bk_btf_add_func(b, "fn", BK_LINKAGE_GLOBAL, fp));
	A(bk_btf_add_func(b, "sfn", BK_LINKAGE_STATIC, fp));
	A(v = bk_btf_add_var(b, "v", 1, i));
	A(w = bk_btf_add_var(b, "w", 0, s));
	A(bk_btf_add_datasec(b, ".data", 64));
	A(bk_btf_add_datasec_var_info(b, v, 0, 4));
	A(bk_btf_add_datasec_var_info(b, w, 8, 32));
	A(bk_btf_add_decl_tag(b, "on_struct", s, -1));
	A(bk_btf_add_decl_tag(b, "on_member", s, 1));
	A(bk_btf_add_decl_tag(b, "on_param", fn, 1));
	A(bk_btf_add_decl_tag(b, "on_var", v, -1));
	if (mask & (1u << OPT_ENUM_FWD))
		A(bk_btf_add_fwd(b, "fe", BK_FWD_ENUM));
	if (mask & (1u << OPT_TYPE_ATTR))
		A(bk_btf_add_ptr(b, bk_btf_add_type_attr(b, "address_space(1)", i)));
	if (mask & (1u << OPT_DECL_ATTR))
		A(bk_btf_add_decl_attr(b, "aligned(8)", s, -1));
#undef A
	if (!ok) {
		bk_btf_free(b);
		return NULL;
	}
	return b;
}

int main(int argc, char **argv)
{
	unsigned kinds = 0, mask = 0;
	struct bk_btf *b = build(0);
	int err, fails = 0;

	if (!b) {
		printf("FAIL: building the BTF failed\n");
		return 1;
	}
	for (uint32_t id = 1; id < bk_btf_type_cnt(b); id++)
		kinds |= 1u << bk_kind(bk_btf_type(b, id));
	err = load_btf(b);
	bk_btf_free(b);
	if (err == -EPERM || err == -EACCES || err == -ENOSYS) {
		printf("skip: BPF_BTF_LOAD not permitted here (%s)\n", strerror(-err));
		return 3;
	}
	if (kinds != ((1u << BK_NR_KINDS) - 2)) {
		printf("FAIL: the test BTF lacks some kinds (mask 0x%x)\n", kinds);
		return 1;
	}
	if (err) {
		printf("FAIL: all-kinds BTF rejected: %s: %s\n", strerror(-err), kload_log_tail());
		return 1;
	}
	printf("ok: BTF with all 19 kinds accepted\n");
	for (int o = 0; o < NR_OPT; o++) {
		b = build(1u << o);
		err = b ? load_btf(b) : -EINVAL;
		bk_btf_free(b);
		if (!err)
			mask |= 1u << o;
		printf("%s: %s%s%s\n", opt_names[o], err ? "not accepted by this kernel (" : "accepted",
		       err ? kload_log_tail() : "", err ? ")" : "");
	}
	b = build(mask);
	err = b ? load_btf(b) : -EINVAL;
	if (err) {
		printf("FAIL: BTF with every accepted form rejected: %s\n", kload_log_tail());
		fails++;
	} else {
		printf("ok: BTF with every kind and form the kernel supports accepted (%u types)\n",
		       bk_btf_type_cnt(b) - 1);
	}
	bk_btf_free(b);

	for (int a = 1; a < argc; a++) {
		struct bk_btf *f = bk_btf_open(argv[a], NULL);

		err = f ? load_btf(f) : -errno;
		if (err) {
			printf("FAIL: re-serialized %s rejected: %s: %s\n", argv[a], strerror(-err),
			       f ? kload_log_tail() : "cannot open");
			fails++;
		} else {
			printf("ok: re-serialized %s accepted (%u types)\n", argv[a],
			       bk_btf_type_cnt(f) - 1);
		}
		bk_btf_free(f);
	}
	return fails ? 1 : 0;
}
