/*
 * Encoder construct corpus, BTF annotations (clang only; gcc 12 ignores
 * these attributes): btf_decl_tag on a struct, member, typedef, function,
 * parameter and per-CPU variable; btf_type_tag on pointers, one and two
 * tags deep.
 */
#define TAG(x) __attribute__((btf_decl_tag(x)))
#define USER __attribute__((btf_type_tag("user")))
#define RCU __attribute__((btf_type_tag("rcu")))
#define PERCPU __attribute__((section(".data..percpu")))

struct tagged {
	int a TAG("member_tag");
	int USER *up;
	int USER RCU *two;
	struct tagged RCU *next;
} TAG("struct_tag");

typedef int tagged_int TAG("typedef_tag");

union tagged_union {
	int i;
	long l TAG("union_member_tag");
} TAG("union_tag");

struct tagged g_tagged;
tagged_int g_tagged_int;
union tagged_union g_tagged_union;
PERCPU int pcpu_tagged TAG("var_tag");

int tagged_fn(int x TAG("param_tag"), char USER *buf) TAG("func_tag");
int tagged_fn(int x, char USER *buf)
{
	return x + *buf + g_tagged.a + pcpu_tagged;
}
