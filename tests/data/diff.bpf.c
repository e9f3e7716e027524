/* Two versions of one set of types for the diff's CLI test
 * (tests/cli/diff.sh): diff-old.bpf.o is built without NEW, diff-new.bpf.o
 * with -DNEW (see tests/data/README). Every difference is on purpose; the
 * test's golden output lists them. */
typedef unsigned int u32;
typedef unsigned long long u64;

struct same { int a; long b; };

struct conn {
	int id;
#ifdef NEW
	u32 flags;                    /* added: moves what follows */
#endif
	long bytes;
#ifndef NEW
	char name[16];                /* removed */
#endif
	union {
		u32 addr4;
#ifdef NEW
		u64 addr6[2];             /* retyped inside an anonymous union */
#else
		u32 addr6[4];
#endif
	};
	struct {
		unsigned int up : 1;
#ifdef NEW
		unsigned int busy : 2;    /* a bitfield widened */
#else
		unsigned int busy : 1;
#endif
	} state;
};

enum level {
	LOW = 1,
#ifdef NEW
	MID = 5,                      /* added */
	HIGH = 10,                    /* changed */
#else
	HIGH = 9,
	MAX = 20,                     /* removed */
#endif
};

#ifdef NEW
typedef u64 handle_t;             /* retargeted */
struct added_later { int x; };
#else
typedef u32 handle_t;
struct gone { int y; };
#endif

#ifdef NEW
__attribute__((noinline)) long work(struct conn *c, handle_t h, int flags)
#else
__attribute__((noinline)) int work(struct conn *c, handle_t h)
#endif
{
	return c->id + (int)h;
}

struct same s_same;
enum level s_level;
#ifdef NEW
struct added_later s_added;
#else
struct gone s_gone;
#endif

__attribute__((section("tc"), used)) int prog(struct conn *c)
{
#ifdef NEW
	return work(c, (handle_t)s_level, 0) + s_same.a + s_added.x;
#else
	return work(c, (handle_t)s_level) + s_same.a + s_gone.y;
#endif
}
