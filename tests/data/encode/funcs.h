/*
 * Encoder construct corpus, functions across two units (funcs1.c,
 * funcs2.c): what both units share.
 */
struct fn_arg {
	int a;
	long b;
};

int global_fn(int a, long b);
int by_value(struct fn_arg s, int k);
int variadic_fn(int n, ...);
int knr_fn();
void no_params(void);
int funcs1_entry(int x);
int funcs2_entry(int x);
extern volatile int sink;
