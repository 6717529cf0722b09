/* threads.c: three threads that each reach worker_stop; for thread tests. */
#include <pthread.h>
#include <stdio.h>

static volatile int counter;

__attribute__((noinline)) void worker_stop(int id)
{
	__atomic_add_fetch(&counter, id, __ATOMIC_SEQ_CST);
}

static void *worker(void *arg)
{
	worker_stop((int)(long)arg);
	return NULL;
}

int main(void)
{
	pthread_t t[3];

	for (long i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, worker, (void *)(i + 1));
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	printf("%d\n", counter);
	return 0;
}
