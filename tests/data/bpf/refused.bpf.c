// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* An extern that is neither __kconfig nor __ksym: libbpf refuses to open
 * the object (it must be linked first, with bpftool gen object). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern int defined_elsewhere;

SEC("tp/syscalls/sys_enter_write")
int on_write(void *ctx)
{
	return defined_elsewhere;
}

char LICENSE[] SEC("license") = "GPL";
