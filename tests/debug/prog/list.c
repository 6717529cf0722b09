/* list.c: a golden-test program for acid: structs, a linked list, arrays,
 * enums, recursion and calls through several frames. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum color { RED, GREEN = 5, BLUE };

struct point {
	int x, y;
};

struct node {
	int val;
	const char *name;
	enum color color;
	struct point where;
	struct node *next;
};

int counter = 7;
int table[5] = { 1, 2, 3, 5, 8 };
char greeting[16] = "hello, acid";
struct point origin = { 3, -4 };
struct node *list;

static struct node *push(struct node *list, int val, const char *name)
{
	struct node *n = calloc(1, sizeof *n);

	n->val = val;
	n->name = name;
	n->color = val % 2 ? GREEN : BLUE;
	n->where.x = val * 10;
	n->where.y = -val;
	n->next = list;
	return n;
}

__attribute__((noinline)) int add(int a, int b)
{
	int sum = a + b;

	counter += sum;
	return sum;
}

__attribute__((noinline)) int total(struct node *n)
{
	int t = 0;

	while (n) {
		t = add(t, n->val);
		n = n->next;
	}
	return t;
}

__attribute__((noinline)) int depth(int n)
{
	if (n == 0)
		return total(list);
	return depth(n - 1) + 1;
}

int main(int argc, char **argv)
{
	int result;

	list = push(list, 1, "one");
	list = push(list, 2, "two");
	list = push(list, 3, "three");
	result = depth(argc + 1);
	printf("result %d counter %d %s\n", result, counter, argv[0] ? "ok" : "");
	return 0;
}

/* After main, so adding them moved no line the other goldens name. */
typedef struct point point_t;
point_t corner = { 7, 8 };
union word {
	int i;
	char c[4];
} word = { 0x44434241 };
struct flags {
	unsigned a : 3, b : 5;
	int c : 4;
} flags = { 5, 17, -3 };
