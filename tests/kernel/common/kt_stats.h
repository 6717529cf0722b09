/*
 * kt_stats.h: medians of samples, for the benchmarks.
 */
#ifndef KT_STATS_H
#define KT_STATS_H

#include <stddef.h>
#include <stdint.h>

/* Sorts v[0..n) ascending and returns its median (the lower middle for even n;
 * 0 for n == 0). */
uint64_t kt_median(uint64_t *v, size_t n);

#endif
