/*
 * Encoder construct corpus, per-CPU variables: VAR + DATASEC
 * ".data..percpu", placed as the kernel's DEFINE_PER_CPU does (a variable in
 * section .data..percpu). Global and static ones, scalars, structs and
 * arrays; an ordinary global (not per-CPU: no VAR under the 6.1 rules).
 */
#define PERCPU __attribute__((section(".data..percpu")))

struct pcpu_stats {
	unsigned long packets;
	unsigned long bytes;
	int cpu;
};

PERCPU int pcpu_int;
PERCPU long pcpu_long = 7;
PERCPU struct pcpu_stats pcpu_stats;
PERCPU unsigned int pcpu_array[4];
PERCPU const char *pcpu_name;
static PERCPU int pcpu_static = 3;
int not_percpu = 1;

int percpu_entry(int x)
{
	pcpu_static += x;
	return pcpu_static + pcpu_int + (int)pcpu_long + pcpu_stats.cpu + (int)pcpu_array[1] +
	       not_percpu + (pcpu_name != 0);
}
