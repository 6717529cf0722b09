/*
 * kt_rand.h: a small deterministic PRNG (xorshift64*) for the fuzzer and
 * for test inputs; the same seed gives the same sequence on host and guest.
 */
#ifndef KT_RAND_H
#define KT_RAND_H

#include <stdint.h>

struct kt_rand {
	uint64_t s;
};

/* Seeds r; seed 0 is mapped to a fixed nonzero state (xorshift needs one). */
static inline void kt_rand_seed(struct kt_rand *r, uint64_t seed)
{
	r->s = seed ? seed : 0x9E3779B97F4A7C15ull;
}

/* The next 64 random bits. */
static inline uint64_t kt_rand_next(struct kt_rand *r)
{
	uint64_t x = r->s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	r->s = x;
	return x * 0x2545F4914F6CDD1Dull;
}

/* A number in [0, n), n > 0 (modulo bias is irrelevant here). */
static inline uint64_t kt_rand_below(struct kt_rand *r, uint64_t n)
{
	return kt_rand_next(r) % n;
}

#endif
