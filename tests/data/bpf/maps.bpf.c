// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* BTF-defined maps (.maps), a map value with a spin lock, a ring buffer,
 * and read-only data next to them. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct value {
	struct bpf_spin_lock lock;
	long count;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 128);
	__type(key, int);
	__type(value, struct value);
} counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

const volatile int sample_rate = 1;

SEC("tp/syscalls/sys_enter_read")
int on_read(void *ctx)
{
	int key = 0;
	struct value *v = bpf_map_lookup_elem(&counts, &key);
	long *e;

	if (!v)
		return 0;
	bpf_spin_lock(&v->lock);
	v->count += sample_rate;
	bpf_spin_unlock(&v->lock);
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (e) {
		*e = key;
		bpf_ringbuf_submit(e, 0);
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
