/*
 * Encoder construct corpus, functions (unit 1 of 2): FUNC linkage, FUNC_PROTO
 * varargs and K&R, functions whose parameters the optimizer removes or moves
 * (static + noinline: gcc -O2 makes .isra/.constprop clones), the same
 * static name in both units with one prototype (dup_same) and with two
 * (dup_diff).
 */
#include <stdarg.h>

#include "funcs.h"

volatile int sink;

int global_fn(int a, long b)
{
	return a + (int)b;
}

int by_value(struct fn_arg s, int k)
{
	return s.a + (int)s.b + k;
}

int variadic_fn(int n, ...)
{
	va_list ap;
	int sum = 0;

	va_start(ap, n);
	while (n-- > 0)
		sum += va_arg(ap, int);
	va_end(ap);
	return sum;
}

/* K&R definition: not prototyped in DWARF, parameters still listed. */
int knr_fn(a, b)
	int a;
	char *b;
{
	return a + *b;
}

void no_params(void)
{
	sink++;
}

static __attribute__((noinline)) int static_fn(int x)
{
	return x * 3 + sink;
}

/* The first parameter is never used: -O2 drops it and "used" moves from
 * the first argument register to none / another one. */
static __attribute__((noinline)) int unused_first(int unused, int used)
{
	return used * 7 + sink;
}

/* Always called with k == 5: -O2 propagates it (.constprop). */
static __attribute__((noinline)) int const_arg(int k, int v)
{
	return k * v + sink;
}

static __attribute__((noinline)) int dup_same(int x)
{
	return x + 11 + sink;
}

static __attribute__((noinline)) int dup_diff(int x)
{
	return x - 13 + sink;
}

static __attribute__((noinline)) struct fn_arg *returns_ptr(struct fn_arg *p, unsigned long n)
{
	p->b += (long)n;
	return p;
}

int funcs1_entry(int x)
{
	struct fn_arg s = { x, 2 };
	char c = 'c';

	return static_fn(x) + unused_first(x, x + 1) + const_arg(5, x) + dup_same(x) + dup_diff(x) +
	       returns_ptr(&s, 3)->a + knr_fn(x, &c) + variadic_fn(2, x, x);
}
