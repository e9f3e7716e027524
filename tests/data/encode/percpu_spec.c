/*
 * Encoder construct corpus, per-CPU variables defined through a
 * declaration, as the kernel's DECLARE_PER_CPU in a header and
 * DEFINE_PER_CPU in the .c file: gcc then gives the definition no name of
 * its own, only a DW_AT_specification naming the declaration. Every
 * variable is declared first, so the one at offset 0 of .data..percpu is
 * such a definition (which one depends on the compiler's layout). In a
 * relocatable object (a module) its address was relocated and it is a
 * VAR; pahole 1.24's "offset 0 needs the DWARF name to be the symbol's"
 * check concerns unrelocated addresses only (seen in dccp, x_tables, rds).
 */
#define PERCPU __attribute__((section(".data..percpu")))

struct pcpu_counts {
	unsigned long hits;
	unsigned long misses;
};

extern long pcpu_first;
extern int pcpu_second;
extern struct pcpu_counts pcpu_counts;
extern int pcpu_zero;

PERCPU long pcpu_first = 7;
PERCPU int pcpu_second = 3;
PERCPU struct pcpu_counts pcpu_counts = { 1, 2 };
PERCPU int pcpu_zero;

int percpu_spec_entry(int x)
{
	pcpu_second += x;
	return (int)pcpu_first + pcpu_second + (int)pcpu_counts.hits + pcpu_zero;
}
