/*
 * Encoder construct corpus, functions (unit 2 of 2): dup_same has the same
 * prototype as in funcs1.c, dup_diff a different one (inconsistent across
 * units); global_fn's prototype from the shared header; a function whose
 * parameter is a struct passed by value.
 */
#include "funcs.h"

static __attribute__((noinline)) int dup_same(int x)
{
	return x + 17 + sink;
}

static __attribute__((noinline)) long dup_diff(long x, long y)
{
	return x * y + sink;
}

static __attribute__((noinline)) int takes_struct(struct fn_arg s)
{
	return s.a + sink;
}

int funcs2_entry(int x)
{
	struct fn_arg s = { x, 4 };

	no_params();
	return dup_same(x) + (int)dup_diff(x, 3) + takes_struct(s) + by_value(s, 1) +
	       global_fn(x, 2);
}
