/*
 * mercury/runtime.h: the program runtime of libmercury (Ares user space).
 *
 * Start-up (crt0.S, start.c) takes the kernel's BootInfo (the root task)
 * or the start info spawn() wrote (any other process), sets up the console
 * streams of printf and the heap, and calls main(argc, argv, envp); its
 * return value goes to exit().
 *
 * Capability slots and kernel objects (slot.c, object.c) and mapping with
 * page tables made on demand (vm.c), declared in mercury/alloc.h, need a
 * CNode, a VSpace and Untyped memory of one's own: the root task has them
 * from BootInfo; a spawned process has none of them (it holds only the
 * caps its parent named), so there these calls fail (0 or E_NOCAP).
 */
#ifndef MERCURY_RUNTIME_H
#define MERCURY_RUNTIME_H

#include <stdint.h>
#include <mercury/alloc.h>
#include <mercury/hl.h>
#include <mercury/start.h>

/* Set before main: exactly one of merc_bootinfo (the root task,
 * mercury/alloc.h) and merc_start_info is non-NULL. */
extern const struct start_info *merc_start_info;	/* spawned process */

/* The program. */
int main(int argc, char **argv, char **envp);

/* Ends the program with code: a spawned process exits (its parent gets
 * HL_FAULT_EXIT with code); the root task ends the QEMU run through
 * isa-debug-exit (0: success). Does not return. */
void exit(int code) __attribute__((noreturn));

/* The value of name in the environment, or NULL. */
char *getenv(const char *name);

/* The console cap printf writes to (0: output is dropped). */
extern hl_cptr_t merc_console;

/* --- time.c --- */

/* TSC ticks per second (from BootInfo or the parent), 0 if unknown. */
extern uint64_t merc_tsc_hz;
/* The time stamp counter. */
static inline uint64_t time_tsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}
/* Nanoseconds since boot (from the TSC), 0 if its rate is unknown. */
uint64_t time_ns(void);

#endif
