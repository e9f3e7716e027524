/*
 * Encoder construct corpus, struct across units (unit 1 of 2): struct
 * only_two is a declaration here; struct conflict has the same name as a
 * different struct in shared2.c (two STRUCT conflict after dedup).
 */
#include "shared.h"

struct conflict {
	int a;
};

struct holder {
	node_t *head;
	struct only_two *fwd_only;
	struct conflict c;
};
struct holder g_holder1;

struct node *node_find(struct node *head, key_t key)
{
	while (head && head->key != key)
		head = head->next;
	return head;
}

int shared1_entry(int x)
{
	return node_find(g_holder1.head, (key_t)x) != 0;
}
