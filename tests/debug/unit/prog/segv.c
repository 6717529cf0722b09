/* segv.c: dies of SIGSEGV two calls below main. */
#include <stddef.h>

__attribute__((noinline)) int crash(int *p)
{
	return *p + 1;
}

__attribute__((noinline)) int middle(int x)
{
	return crash(x > 100 ? &x : NULL) + x;
}

int main(void)
{
	return middle(7) * 2;	/* not a tail call: main keeps its frame */
}
