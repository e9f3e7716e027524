/*
 * Encoder construct corpus, one struct across units (shared1.c, shared2.c):
 * struct node is defined in both (dedup merges it); struct only_two is
 * declared here and defined in shared2.c only (a FWD in unit 1 that dedup
 * resolves to the struct); typedefs repeated in both units.
 */
struct only_two;

struct node {
	struct node *next;
	struct only_two *other;
	unsigned long key;
	union {
		int i;
		void *p;
	} val;
};

typedef struct node node_t;
typedef unsigned long key_t;

struct node *node_find(struct node *head, key_t key);
int shared1_entry(int x);
int shared2_entry(int x);
