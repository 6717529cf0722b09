/* first.c: what a new user of acid tries first (issue 15): a one-line
 * function, a function inlined twice, recursion, a global named like acid's
 * head operator, and a thread that stops while main waits in the C library.
 * With an argument "wait" it blocks in pause() to be attached to. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int head = 3;	/* reached in acid as $head */

__attribute__((noinline)) int twice(int x) { return x * 2; }

static inline int square(int v)
{
	int r = v * v;

	return r + 1;
}

__attribute__((noinline)) int squares(int a)
{
	int s = square(a);

	s += square(a + head);
	return s;
}

__attribute__((noinline)) int fact(int n)
{
	if (n <= 1)
		return 1;
	return n * fact(n - 1);
}

__attribute__((noinline)) void report(int v) { printf("worker %d\n", v); }

/* Until the main thread sleeps (in pthread_join), so that its stack is the
 * same in every run when report stops. */
static void wait_main_blocked(void)
{
	char path[64], buf[512], *p;
	FILE *f;

	snprintf(path, sizeof path, "/proc/self/task/%d/stat", (int)getpid());
	for (int i = 0; i < 5000; i++) {
		if (!(f = fopen(path, "r")))
			return;
		p = fgets(buf, sizeof buf, f) ? strrchr(buf, ')') : NULL;
		fclose(f);
		if (!p || (p[1] == ' ' && p[2] == 'S'))
			return;
		usleep(1000);
	}
}

static void *worker(void *arg)
{
	wait_main_blocked();
	report(*(int *)arg);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t;
	int v;

	if (argc > 1 && strcmp(argv[1], "wait") == 0)
		for (;;)
			pause();
	v = twice(argc + 20);
	v = squares(v);
	v += fact(argc + 3);
	pthread_create(&t, NULL, worker, &v);
	pthread_join(t, NULL);
	printf("%d %s\n", v, argv[0] ? "ok" : "");
	return 0;
}
