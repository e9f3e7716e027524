/*
 * Encoder construct corpus, struct across units (unit 2 of 2): defines
 * struct only_two, and a struct conflict unlike shared1.c's.
 */
#include "shared.h"

struct only_two {
	struct node *back;
	int weight;
};

struct conflict {
	long b;
	char name[4];
};

struct holder2 {
	struct only_two two;
	struct conflict c;
	node_t n;
};
struct holder2 g_holder2;

int shared2_entry(int x)
{
	return node_find(&g_holder2.n, (key_t)x) != 0;
}
