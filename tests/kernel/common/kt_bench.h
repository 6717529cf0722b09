/*
 * kt_bench.h: what the benchmark root tasks (kbench, kobsbench) share: a
 * TSC read fenced on both sides, and the server of their IPC round trips.
 */
#ifndef KT_BENCH_H
#define KT_BENCH_H

#include <stdint.h>

/* TSC now, fenced on both sides so that the timed operation can neither
 * start before the first read nor finish after the second (under
 * -icount shift=0 a difference is the instructions retired between). */
static inline uint64_t kt_bench_tsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi) : : "memory");
	return (uint64_t)hi << 32 | lo;
}

/* A thread function that answers every call on an endpoint at once with an
 * empty message; arg packs ep | reply << 16. Does not return. */
void kt_bench_server(uint64_t arg);

#endif
