// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Externs libbpf lays out: .kconfig variables of every supported type and
 * alignment (sorted by libbpf), typed and untyped .ksyms variables, and
 * kernel functions (kfuncs) with unnamed parameters. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h> /* enum libbpf_tristate too */

extern int LINUX_KERNEL_VERSION __kconfig;
extern _Bool CONFIG_BPF_SYSCALL __kconfig __weak;
extern unsigned long long CONFIG_HZ __kconfig __weak;
extern char CONFIG_DEFAULT_HOSTNAME[16] __kconfig __weak;
extern enum libbpf_tristate CONFIG_BPF_JIT __kconfig __weak;
extern short CONFIG_SHORT_VALUE __kconfig __weak;
extern const int bpf_prog_active __ksym;
extern void bpf_rcu_read_lock(void) __ksym;
extern void bpf_rcu_read_unlock(void) __ksym;
extern struct task_struct *bpf_task_acquire(struct task_struct *) __ksym;
extern void bpf_task_release(struct task_struct *) __ksym;

long seen;

SEC("tp_btf/sched_switch")
int on_switch(unsigned long long *ctx)
{
	struct task_struct *t = (void *)ctx[1];

	seen += LINUX_KERNEL_VERSION + CONFIG_BPF_SYSCALL + CONFIG_HZ + CONFIG_DEFAULT_HOSTNAME[0] +
		CONFIG_BPF_JIT + CONFIG_SHORT_VALUE + bpf_prog_active;
	bpf_rcu_read_lock();
	t = bpf_task_acquire(t);
	if (t)
		bpf_task_release(t);
	bpf_rcu_read_unlock();
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
