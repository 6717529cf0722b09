/* threads.c: a golden-test program for acid with two worker threads.
 * Worker 1 waits until worker 0 has reported, so worker 0 always reaches
 * report() first while all three threads are alive. */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

static pthread_barrier_t ready;
static sem_t turn;
static int results[2];

__attribute__((noinline)) void report(int id, int value)
{
	results[id] = value;
}

static void *worker(void *arg)
{
	int id = (int)(long)arg;

	pthread_barrier_wait(&ready);
	if (id == 1)
		sem_wait(&turn);
	report(id, (id + 1) * 100);
	if (id == 0)
		sem_post(&turn);
	return NULL;
}

int main(void)
{
	pthread_t t[2];

	sem_init(&turn, 0, 0);
	pthread_barrier_init(&ready, NULL, 2);
	for (long i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	printf("%d %d\n", results[0], results[1]);
	return 0;
}
