/* A BPF program whose BTF exercises every kind clang emits: compiled with
 * `clang -g -O2 -target bpf -c sample.bpf.c -o sample.bpf.o` (see
 * tests/data/README). The object is the quick start's fallback sample and a
 * fixture for ELF parsing and dumps. */
typedef unsigned int u32;
typedef unsigned long long u64;
typedef _Bool bool;

#define __tag(x) __attribute__((btf_decl_tag(x)))
#define __ttag(x) __attribute__((btf_type_tag(x)))

enum color { RED, GREEN = 5, BLUE = -1 };
enum big { BIG_A = 0x100000000ULL, BIG_B = 1 };
enum fwd_only;

struct list_head { struct list_head *next, *prev; };
struct opaque;

union value {
	u32 u;
	int i;
	float f;
	char bytes[4];
};

struct sample {
	int a;
	unsigned int flags : 3;
	unsigned int mode : 5;
	long long wide;
	const volatile char *name;
	char buf[16][2];
	struct list_head node;
	union value v;
	enum color c;
	enum big b;
	struct opaque *op;
	int __ttag("user") *uptr;
	double d;
	bool ok;
	int (*callback)(struct sample *s, int, ...);
	struct {
		int x, y;
	} anon;
	u64 tagged __tag("member_tag");
} __tag("struct_tag") __attribute__((aligned(8)));

struct packed_s {
	char c;
	int i;
} __attribute__((packed));

struct sample global_sample __attribute__((section(".data")));
int counter __attribute__((section(".bss")));
const int limit __attribute__((section(".rodata"))) = 42;
struct packed_s packed_var __attribute__((section(".data")));
enum fwd_only *fwd_ptr __attribute__((section(".bss")));

static __attribute__((noinline)) int helper(struct sample *s __tag("param_tag"), int n)
{
	return s->a + n + (int)s->wide + s->c + s->b + packed_var.i;
}

__attribute__((section("tc"), used)) int prog(struct sample *ctx)
{
	counter++;
	return helper(ctx, limit) + global_sample.a + (fwd_ptr != 0);
}

char LICENSE[] __attribute__((section("license"))) = "GPL";
