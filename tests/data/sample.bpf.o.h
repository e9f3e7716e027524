#ifndef __VMLINUX_H__
#define __VMLINUX_H__

#ifndef BPF_NO_PRESERVE_ACCESS_INDEX
#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)
#endif

struct list_head {
	struct list_head *next;
	struct list_head *prev;
};

typedef unsigned int u32;

union value {
	u32 u;
	int i;
	float f;
	char bytes[4];
};

enum color {
	RED = 0,
	GREEN = 5,
	BLUE = 4294967295,
};

enum big {
	BIG_A = 0,
	BIG_B = 1,
};

struct opaque;

typedef _Bool bool;

typedef unsigned long long u64;

struct sample {
	int a;
	unsigned int flags: 3;
	unsigned int mode: 5;
	long long wide;
	volatile const char *name;
	char buf[16][2];
	struct list_head node;
	union value v;
	enum color c;
	enum big b;
	struct opaque *op;
	int __attribute__((btf_type_tag("user"))) *uptr;
	double d;
	bool ok;
	int (*callback)(struct sample *, int, ...);
	struct {
		int x;
		int y;
	} anon;
	u64 tagged;
};

enum fwd_only;

struct packed_s {
	char c;
	int i;
} __attribute__((packed));

#ifndef BPF_NO_PRESERVE_ACCESS_INDEX
#pragma clang attribute pop
#endif

#endif /* __VMLINUX_H__ */
