/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * btfkit live BTF objects: the BTF the running kernel holds (vmlinux, every
 * loaded module's BTF, BTF that programs loaded with BPF_BTF_LOAD), listed
 * through the bpf() system call as 'bpftool btf list' lists them. Needs the
 * privilege bpf() asks for (CAP_BPF or CAP_SYS_ADMIN, usually root).
 */
#ifndef BTFKIT_LIVE_H
#define BTFKIT_LIVE_H

#include "btfkit/btf.h"

#ifdef __cplusplus
extern "C" {
#endif

struct bk_live_btf {
	uint32_t id;        /* the kernel's BTF object ID (what BPF programs pass) */
	uint32_t size;      /* bytes of its raw BTF */
	bool kernel;        /* vmlinux or a module's BTF (not loaded by a program) */
	char name[64];      /* "vmlinux", the module's name, or "" */
	uint32_t base_id;   /* the object it is split BTF on (a module's: vmlinux), 0 for none */
	uint32_t *prog_ids; /* programs using it, ascending */
	uint32_t nr_progs;
	uint32_t *map_ids;  /* maps using it, ascending */
	uint32_t nr_maps;
};

/*
 * List the live BTF objects in ascending ID order (BPF_BTF_GET_NEXT_ID,
 * BPF_BTF_GET_FD_BY_ID, BPF_OBJ_GET_INFO_BY_FD; the programs and maps using
 * each found the same way). Objects that go away while the list is made are
 * left out. Returns the count (*out to free with bk_live_btf_free), or
 * -errno: -EPERM without the privilege, -ENOSYS without bpf().
 */
BK_API int bk_live_btf_list(struct bk_live_btf **out);
BK_API void bk_live_btf_free(struct bk_live_btf *list, int n);

/*
 * Open live BTF object id as a BTF object (split BTF on base when base is
 * not NULL; a module's BTF needs vmlinux's). NULL and errno on failure.
 */
BK_API struct bk_btf *bk_live_btf_open(uint32_t id, const struct bk_open_opts *opts);

#ifdef __cplusplus
}
#endif
#endif /* BTFKIT_LIVE_H */
