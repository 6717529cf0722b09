/*
 * kf.h: the syscall fuzzer's two halves. main.c (the root task) builds a
 * small world of capabilities, runs fuzz.c's thread in it and watches;
 * fuzz.c makes random syscalls and invocations with random arguments.
 */
#ifndef KF_H
#define KF_H

#include "rt.h"

/* The fuzzer's CNode: 2^KF_RADIX slots, resolved with a guard so that a
 * plain slot number with depth 64 names a slot, as in the root CNode. */
#define KF_RADIX 6
#define KF_SLOTS (1u << KF_RADIX)
#define KF_GUARD (64 - KF_RADIX)

/* Where the fuzzer may map things (its own image and stack lie elsewhere). */
#define KF_MAP_BASE 0x60000000ull

/* Words of the fuzz thread's rt_tls user[] area shared with the root:
 * calls made, calls wanted (0: forever), PRNG state (the seed at first). */
enum { KF_DONE, KF_TARGET, KF_STATE };

/* How many calls returned each status (E_COUNT: anything else), kept in
 * the fuzz thread's stack page just above its rt_tls, where the root sees it. */
static inline uint64_t *kf_hist(struct rt_tls *tls)
{
	return (uint64_t *)((char *)tls + 256);
}

/* The fuzz thread: arg unused; reads its PRNG state and call counts from
 * its rt_tls, keeps them there, and ends with ud2 so that its fault
 * endpoint (held by the root) learns it finished. */
void kf_fuzz(uint64_t arg);

#endif
