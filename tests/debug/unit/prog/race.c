/* race.c: four threads released together by a barrier, each calling
 * race_hit ROUNDS times, so breakpoint hits land on several threads at once. */
#include <pthread.h>
#include <stdio.h>

#define NTHREADS 4
#define ROUNDS 5

static pthread_barrier_t start;
static volatile int hits;

__attribute__((noinline)) void race_hit(int id)
{
	__atomic_add_fetch(&hits, id, __ATOMIC_SEQ_CST);
}

static void *worker(void *arg)
{
	pthread_barrier_wait(&start);
	for (int i = 0; i < ROUNDS; i++)
		race_hit((int)(long)arg);
	return NULL;
}

int main(void)
{
	pthread_t t[NTHREADS];

	pthread_barrier_init(&start, NULL, NTHREADS);
	for (long i = 0; i < NTHREADS; i++)
		pthread_create(&t[i], NULL, worker, (void *)1);
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	printf("%d\n", hits);
	return hits == NTHREADS * ROUNDS ? 0 : 1;
}
