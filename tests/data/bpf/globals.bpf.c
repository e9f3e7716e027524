// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Global data of every kind libbpf lays out: .data, .bss, .rodata, custom
 * .data.* sections, static and hidden variables, arrays and structs. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct pair {
	int a;
	long b;
};

int counter;
long total = 1;
const volatile int limit = 10;
const volatile char greeting[] = "hello";
static int s_calls;
static long s_sum = 3;
__attribute__((visibility("hidden"))) int hidden_flag = 1;
struct pair last_pair = { 1, 2 };
char buffer[64];
int in_custom SEC(".data.custom") = 4;
long in_custom2 SEC(".data.custom") = 5;
struct pair zeroed SEC(".bss.extra");

SEC("tp/syscalls/sys_enter_write")
int on_write(void *ctx)
{
	counter++;
	total += limit + greeting[1] + s_calls++ + s_sum + hidden_flag;
	last_pair.a += in_custom + in_custom2 + buffer[counter & 63] + zeroed.a;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
