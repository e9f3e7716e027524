/*
 * Encoder construct corpus: base types, pointers, arrays, modifiers, enums,
 * forward declarations, typedefs, anonymous, packed and bitfield aggregates.
 * Every type is reached from a global variable, since compilers emit DWARF
 * only for used types. Compiled by tests/diff/encode-pahole.sh (see sets).
 */
struct all_ints {
	char c;
	signed char sc;
	unsigned char uc;
	short s;
	unsigned short us;
	int i;
	unsigned int ui;
	long l;
	unsigned long ul;
	long long ll;
	unsigned long long ull;
	_Bool b;
	__int128 i128;
	unsigned __int128 u128;
};
struct all_ints g_ints;

struct all_floats {
	float f;
	double d;
	long double ld;
};
struct all_floats g_floats;

/* ARRAY: multi-dimensional (flattened by pahole), zero-length, flexible. */
struct arrays {
	int m[2][3];
	char cube[2][3][4];
	const char *strs[5];
	char zero[0];
	int after_zero;
	int flex[];
};
struct arrays *g_arrays;
int g_matrix[3][4];
long g_zero_global[0];

/* Modifiers and their chains. */
struct mods {
	const int ci;
	volatile int vi;
	const volatile long cvl;
	int *restrict rp;
	char *const cp;
	const char *const *ccpp;
	volatile unsigned long *volatile vp;
};
struct mods *g_mods;
const int g_const_int = 3;

/* TYPEDEF chains, including typedefs of anonymous aggregates. */
typedef unsigned int u32_t;
typedef u32_t u32_alias_t;
typedef struct {
	u32_alias_t a;
} anon_struct_t;
typedef union {
	int i;
	float f;
} anon_union_t;
typedef int (*binop_t)(int, int);
anon_struct_t g_anon_struct;
anon_union_t g_anon_union;
binop_t g_binop;

/* ENUM (signed, unsigned, packed into 1 byte) and ENUM64 (both signs). */
enum e_unsigned { EU_A = 1, EU_B = 0xffffffffu };
enum e_signed { ES_NEG = -1, ES_POS = 2 };
enum e_big_unsigned { EBU_A = 1, EBU_B = 0xffffffffffffffffull };
enum e_big_signed { EBS_NEG = -2, EBS_BIG = 0x7fffffffffffffffll };
enum __attribute__((packed)) e_packed { EP_A, EP_B, EP_C = 200 };
enum { ANON_ENUM_A = 5, ANON_ENUM_B };
struct enums {
	enum e_unsigned u;
	enum e_signed s;
	enum e_big_unsigned bu;
	enum e_big_signed bs;
	enum e_packed p;
	int anon_val;
};
struct enums g_enums = { .anon_val = ANON_ENUM_B };

/* FWD: aggregates only declared here. */
struct declared_only;
union declared_union;
struct uses_fwd {
	struct declared_only *s;
	union declared_union *u;
};
struct uses_fwd g_uses_fwd;

/* Anonymous members, unions inside structs, packed and aligned layouts. */
struct anon_members {
	int x;
	struct {
		int a, b;
	};
	union {
		int i;
		float f;
	};
	struct {
		int c;
	} named_anon;
};
struct anon_members g_anon_members;

struct with_union {
	int tag;
	union {
		long l;
		double d;
		char bytes[8];
	} u;
	union inner_named {
		int a;
		char b;
	} in;
};
struct with_union g_with_union;

struct __attribute__((packed)) packed_s {
	char c;
	int i;
	long l;
};
struct packed_s g_packed;

struct aligned_s {
	char c;
	int i __attribute__((aligned(16)));
};
struct aligned_s g_aligned;

/* Bitfields: kind_flag and bit offsets, across storage units and :0. */
struct bits {
	unsigned int a : 3;
	unsigned int b : 5;
	int c : 7;
	unsigned long long d : 40;
	_Bool flag : 1;
	enum e_signed e : 4;
	unsigned : 0;
	unsigned int after_zero : 2;
	char ch;
	unsigned char uc : 3;
};
struct bits g_bits;

struct __attribute__((packed)) bits_packed {
	unsigned int a : 4;
	unsigned long long b : 60;
	char c;
};
struct bits_packed g_bits_packed;

union bits_union {
	unsigned int a : 3;
	unsigned long long b : 33;
	int whole;
};
union bits_union g_bits_union;

/* Self reference and function pointers (prototyped, unprototyped, varargs). */
struct self {
	struct self *next;
	struct self **pprev;
	int v;
};
struct self g_self;

struct fn_ptrs {
	int (*f)(int, char *);
	int (*no_args)(void);
	void (*unprototyped)();
	void (*varargs)(const char *, ...);
	struct self *(*returns_ptr)(const struct self *, int);
};
struct fn_ptrs g_fn_ptrs;

void *g_void_ptr;
char g_string[] = "corpus";
