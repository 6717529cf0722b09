/* segv.c: a golden-test program for acid that dies of SIGSEGV three calls deep. */
#include <stddef.h>

struct rec {
	int id;
	int *data;
};

__attribute__((noinline)) int peek(struct rec *r, int i)
{
	return r->data[i];	/* r->data is NULL: the fault */
}

__attribute__((noinline)) int scan(struct rec *r, int n)
{
	int s = 0;

	for (int i = 0; i < n; i++)
		s += peek(r, i);
	return s;
}

int main(void)
{
	struct rec r = { 42, NULL };

	return scan(&r, 3);
}
