/* threads.c: a golden-test program for acid with two worker threads that
 * meet at a barrier, so both are alive when the first reaches report(). */
#include <pthread.h>
#include <stdio.h>

static pthread_barrier_t ready;
static int results[2];

__attribute__((noinline)) void report(int id, int value)
{
	results[id] = value;
}

static void *worker(void *arg)
{
	int id = (int)(long)arg;

	pthread_barrier_wait(&ready);
	report(id, (id + 1) * 100);
	return NULL;
}

int main(void)
{
	pthread_t t[2];

	pthread_barrier_init(&ready, NULL, 2);
	for (long i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	printf("%d %d\n", results[0], results[1]);
	return 0;
}
