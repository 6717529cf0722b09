/* symprog.c: a small program for the symbol-reader and target unit tests:
 * structs, unions, enums, typedefs, arrays, a linked list, recursion and
 * arguments that -O2 keeps in registers. Tests refer to lines by the
 * LINE-markers in comments. */
#include <stdio.h>
#include <stdlib.h>

enum color { RED, GREEN = 5, BLUE };

typedef struct node {
	int value;
	struct node *next;
} node_t;

union number {
	int i;
	float f;
};

struct point {
	short x, y;
	enum color c;
	unsigned flag : 3;
	char name[8];
};

struct point origin = { 1, 2, BLUE, 5, "origin" };
int table[10] = { 0, 1, 4, 9, 16, 25, 36, 49, 64, 81 };
node_t *list_head;
static volatile int sink;

__attribute__((noinline)) int leaf(int depth, const char *tag)
{
	sink = depth;	/* LINE:leaf */
	return depth + (tag[0] == 'x');
}

__attribute__((noinline)) int recurse(int n, node_t *l)
{
	int local = n * 2;

	if (n == 0)
		return leaf(local, "done");
	return recurse(n - 1, l) + local;
}

static node_t *push(node_t *l, int v)
{
	node_t *n = malloc(sizeof *n);

	n->value = v;
	n->next = l;
	return n;
}

int main(int argc, char **argv)
{
	union number num = { .i = 42 };
	int sum = 0;

	for (int i = 0; i < 3; i++)
		list_head = push(list_head, i * 10);
	sum = recurse(3, list_head);	/* LINE:call */
	printf("%d %d %s\n", sum, num.i + origin.x + table[argc], argv[0] ? "ok" : "");
	return 0;
}
