/*
 * mercury/runtime.h: the program runtime of libmercury (Ares user space).
 *
 * Start-up (crt0.S, start.c) takes the kernel's BootInfo (the root task)
 * or the start info spawn() wrote (any other process), sets up the console
 * streams of printf and the heap, and calls main(argc, argv, envp); its
 * return value goes to exit().
 *
 * Capability slots and kernel objects (slot.c, object.c) and mapping with
 * page tables made on demand (vm.c) need a CNode, a VSpace and Untyped
 * memory of one's own: the root task has them from BootInfo; a spawned
 * process has none of them (it holds only the caps its parent named), so
 * there these calls fail (0 or E_NOCAP).
 */
#ifndef MERCURY_RUNTIME_H
#define MERCURY_RUNTIME_H

#include <stdint.h>
#include <mercury/hl.h>
#include <mercury/start.h>

/* Set before main: exactly one of the two is non-NULL. */
extern const struct hl_bootinfo *merc_bootinfo;	/* root task */
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

/* --- slot.c: slots of the root CNode (root task only) --- */

/* The root CNode depth: a slot number is a cptr. */
#define MERC_DEPTH 64
/* An empty slot, or 0 when none is left. */
hl_cptr_t slot_alloc(void);
/* Deletes what the slot holds (if anything) and makes it free again. */
void slot_free(hl_cptr_t slot);
/* Number of empty slots of the root CNode, counted by HL_CNODE_IDENTIFY. */
uint64_t slot_count_empty(void);

/* --- object.c: kernel objects from the boot Untypeds (root task only) --- */

/* Makes one object (size_bits for Untyped and CNode) from the largest RAM
 * Untyped with room; returns its slot, or 0 with the status in *err. */
hl_cptr_t obj_alloc(uint64_t type, uint64_t size_bits, int64_t *err);
/* As obj_alloc, for objects that live for the whole run (taken from the
 * smallest Untypeds, so short-lived ones can give their memory back). */
hl_cptr_t obj_alloc_keep(uint64_t type, uint64_t size_bits, int64_t *err);
/* Deletes the object's cap and frees its slot. */
void obj_free(hl_cptr_t slot);
/* Free bytes of all boot Untypeds together (HL_UNTYPED_INFO). */
uint64_t obj_untyped_free(void);

/* --- vm.c: this program's address space (root task only) --- */

/* Maps frame at vaddr in vspace with rights and attrs (HL_MAP_*), making
 * missing page tables with obj_alloc_keep (they stay for the whole run).
 * Returns E_OK or the kernel's error. */
int64_t vm_map(hl_cptr_t frame, hl_cptr_t vspace, uint64_t vaddr, uint64_t rights,
	       uint64_t attrs);

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
