// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Live BTF objects through the bpf() system call (include/btfkit/live.h).
 *
 * The kernel numbers its BTF objects; BPF_BTF_GET_NEXT_ID walks the IDs in
 * ascending order, BPF_BTF_GET_FD_BY_ID opens one, BPF_OBJ_GET_INFO_BY_FD
 * describes it (size, name, whether the kernel made it). Programs and maps
 * name the BTF they use in their own info (btf_id), so one walk over each
 * attributes them. An ID that vanishes between two calls (ENOENT) is
 * skipped: the list is a snapshot of a moving system. A module's BTF is
 * split BTF on vmlinux: its base_id is the kernel object named "vmlinux".
 */
#include <linux/bpf.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "internal.h"
#include "btfkit/live.h"

static int sys_bpf(int cmd, union bpf_attr *a)
{
	return (int)syscall(__NR_bpf, cmd, a, sizeof(*a));
}

/* The next ID after id of an object kind (BPF_*_GET_NEXT_ID); -ENOENT at the end. */
static int next_id(int cmd, uint32_t id, uint32_t *next)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.start_id = id;
	if (sys_bpf(cmd, &a) < 0)
		return -errno;
	*next = a.next_id;
	return 0;
}

static int fd_by_id(int cmd, uint32_t id)
{
	union bpf_attr a;
	int fd;

	memset(&a, 0, sizeof(a));
	if (cmd == BPF_BTF_GET_FD_BY_ID)
		a.btf_id = id;
	else if (cmd == BPF_PROG_GET_FD_BY_ID)
		a.prog_id = id;
	else
		a.map_id = id;
	fd = sys_bpf(cmd, &a);
	return fd < 0 ? -errno : fd;
}

static int obj_info(int fd, void *info, uint32_t len)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = (uint32_t)fd;
	a.info.info_len = len;
	a.info.info = (uint64_t)(uintptr_t)info;
	return sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &a) < 0 ? -errno : 0;
}

static int add_id(uint32_t **v, uint32_t *n, uint32_t id)
{
	uint32_t *nv = realloc(*v, (*n + 1) * sizeof(*nv));

	if (!nv)
		return -ENOMEM;
	nv[(*n)++] = id;
	*v = nv;
	return 0;
}

static struct bk_live_btf *find_id(struct bk_live_btf *list, int n, uint32_t id)
{
	for (int i = 0; i < n; i++)
		if (list[i].id == id)
			return &list[i];
	return NULL;
}

/* Attribute every program (prog) or map to the BTF it uses. */
static int attribute(struct bk_live_btf *list, int n, bool prog)
{
	uint32_t id = 0;
	int err;

	while (!(err = next_id(prog ? BPF_PROG_GET_NEXT_ID : BPF_MAP_GET_NEXT_ID, id, &id))) {
		struct bpf_prog_info pi;
		struct bpf_map_info mi;
		struct bk_live_btf *b;
		int fd = fd_by_id(prog ? BPF_PROG_GET_FD_BY_ID : BPF_MAP_GET_FD_BY_ID, id);

		if (fd == -ENOENT)
			continue;
		if (fd < 0)
			return fd;
		memset(&pi, 0, sizeof(pi));
		memset(&mi, 0, sizeof(mi));
		err = prog ? obj_info(fd, &pi, sizeof(pi)) : obj_info(fd, &mi, sizeof(mi));
		close(fd);
		if (err == -ENOENT)
			continue;
		if (err)
			return err;
		b = find_id(list, n, prog ? pi.btf_id : mi.btf_id);
		if (b && (err = prog ? add_id(&b->prog_ids, &b->nr_progs, id)
				     : add_id(&b->map_ids, &b->nr_maps, id)))
			return err;
	}
	return err == -ENOENT ? 0 : err;
}

int bk_live_btf_list(struct bk_live_btf **out)
{
	struct bk_live_btf *list = NULL, *vml = NULL;
	uint32_t id = 0;
	int n = 0, err;

	*out = NULL;
	while (!(err = next_id(BPF_BTF_GET_NEXT_ID, id, &id))) {
		struct bpf_btf_info info;
		struct bk_live_btf *nl, *b;
		char name[64] = "";
		int fd = fd_by_id(BPF_BTF_GET_FD_BY_ID, id);

		if (fd == -ENOENT)
			continue;
		if (fd < 0) {
			err = fd;
			break;
		}
		memset(&info, 0, sizeof(info));
		info.name = (uint64_t)(uintptr_t)name;
		info.name_len = sizeof(name);
		err = obj_info(fd, &info, sizeof(info));
		close(fd);
		if (err == -ENOENT)
			continue;
		if (err)
			break;
		nl = realloc(list, (size_t)(n + 1) * sizeof(*nl));
		if (!nl) {
			err = -ENOMEM;
			break;
		}
		list = nl;
		b = &list[n++];
		memset(b, 0, sizeof(*b));
		b->id = info.id;
		b->size = info.btf_size;
		b->kernel = info.kernel_btf;
		name[sizeof(name) - 1] = '\0';
		memcpy(b->name, name, sizeof(b->name));
	}
	if (err == -ENOENT)
		err = 0;
	for (int i = 0; !err && i < n; i++)
		if (list[i].kernel && !strcmp(list[i].name, "vmlinux"))
			vml = &list[i];
	for (int i = 0; !err && vml && i < n; i++)
		if (list[i].kernel && &list[i] != vml)
			list[i].base_id = vml->id;
	if (!err)
		err = attribute(list, n, true);
	if (!err)
		err = attribute(list, n, false);
	if (err) {
		bk_live_btf_free(list, n);
		return err;
	}
	*out = list;
	return n;
}

void bk_live_btf_free(struct bk_live_btf *list, int n)
{
	for (int i = 0; list && i < n; i++) {
		free(list[i].prog_ids);
		free(list[i].map_ids);
	}
	free(list);
}

struct bk_btf *bk_live_btf_open(uint32_t id, const struct bk_open_opts *opts)
{
	struct bk_open_opts o = { .sz = sizeof(o) };
	struct bpf_btf_info info;
	struct bk_diag *diag;
	struct bk_btf *btf;
	void *data = NULL;
	int fd, err = bk__opts_get(&o, sizeof(o), opts);

	if (err) {
		errno = -err;
		return NULL;
	}
	diag = o.diag;
	fd = fd_by_id(BPF_BTF_GET_FD_BY_ID, id);
	if (fd < 0) {
		bk__diag(diag, fd, "cannot open BTF object %u: %s", id, strerror(-fd));
		errno = -fd;
		return NULL;
	}
	/* the size first, then the bytes (the object cannot change: BTF is immutable) */
	memset(&info, 0, sizeof(info));
	err = obj_info(fd, &info, sizeof(info));
	if (!err) {
		uint32_t size = info.btf_size;

		data = malloc(size ? size : 1);
		memset(&info, 0, sizeof(info));
		info.btf = (uint64_t)(uintptr_t)data;
		info.btf_size = size;
		err = !data ? -ENOMEM : obj_info(fd, &info, sizeof(info));
	}
	close(fd);
	if (err) {
		free(data);
		bk__diag(diag, err, "cannot read BTF object %u: %s", id, strerror(-err));
		errno = -err;
		return NULL;
	}
	btf = bk_btf_from_mem(data, info.btf_size, opts);
	free(data);
	return btf;
}
