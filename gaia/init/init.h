/*
 * gaia/init/init.h: the root task (boot/init, the first ELF of the initrd).
 *
 *   init.c     start-up: the bus, the device manager, then serving them
 *   devhost.c  the devhost interface: starting drivers the device manager
 *              chose, with exactly the caps of their grant
 *   devmem.c   device memory: splitting the device Untypeds down to a BAR
 *   initrd.c   files of the initrd
 */
#ifndef GAIA_INIT_H
#define GAIA_INIT_H

#include <stddef.h>
#include <stdint.h>
#include <mercury/spawn.h>

/* Where a driver finds what it was given (also in its environment). */
#define INIT_BAR_VA(i)	(0x10000000000ull + (uint64_t)(i) * 0x40000000ull)	/* 1 GiB each */
#define INIT_DMA_VA	0x20000000000ull
#define INIT_BAR_MAX	(4u << 20)	/* largest MMIO BAR mapped (4K frames) */

/* Fault badges: one per process, above the devhost client badge. */
#define INIT_BADGE_DEVMGR	1
#define INIT_BADGE_PROC(i)	(0x100u + (i))

/* --- initrd.c --- */
/* The file's bytes in the initrd, or NULL. */
const void *initrd_file(const char *name, size_t *len);
/* Calls fn for every regular file whose name starts with prefix. */
void initrd_each(const char *prefix, void (*fn)(const char *name, const void *data, size_t len, void *ctx),
		 void *ctx);

/* --- devmem.c --- */
/* Reads the device Untypeds of BootInfo. */
void devmem_init(void);
/* An Untyped cap covering exactly [paddr, paddr + 2^bits) of device memory
 * (split off the boot device Untypeds), or 0 with *why set. */
hl_cptr_t devmem_take(uint64_t paddr, unsigned bits, const char **why);

/* --- devhost.c --- */
/* Starts the process file with caps, argv and envp, memory of 2^mem_bits,
 * faults to init_ep with badge; extra (or NULL) gives cspace_bits and
 * self; fills p. Prints and returns the error. */
int init_spawn_opts(const char *file, const char *name, const struct spawn_cap *caps, unsigned ncaps,
		    const char *const *argv, const char *const *envp, unsigned mem_bits, uint64_t badge,
		    const struct spawn_opts *extra, struct proc *p);
/* Starts file as a child of ours (reaped by devhost_serve; a bus client
 * named name with a "bus" cap added once the bus is up; resident: ended
 * only with the run). moved: slots whose caps it is given with SPAWN_MOVE
 * (or any slot it owns), freed after it ends. Returns the child's index
 * (its fault and bus badge is INIT_BADGE_PROC of it), or -1 (printed). */
int init_start(const char *file, const char *name, const struct spawn_cap *caps, unsigned ncaps,
	       const char *const *argv, unsigned mem_bits, const struct spawn_opts *extra, int resident,
	       const hl_cptr_t *moved, unsigned nmoved);
/* Serves the devhost interface on ep (badge INIT_BADGE_DEVMGR) and the
 * fault messages of every process, receiving with reply. With
 * exit_when_idle, once devmgr is done and every child that is not
 * resident has ended, destroys the resident ones, prints the RAM lost
 * since ram_before and ends the run. */
void devhost_serve(hl_cptr_t ep, hl_cptr_t reply, int exit_when_idle, uint64_t ram_before);

/* --- init.c --- */
/* Prints which of the names init's policy lets be registered are (when
 * the device manager is done). */
void init_bus_names(void);
/* Free bytes of the process pool. */
uint64_t init_ram_free(void);
/* One object retyped from the process pool (every process, its DMA memory
 * and IRQ notifications come from it, so its free bytes after every
 * process has ended show any leak); 0 with *st set on failure. */
hl_cptr_t pool_alloc(uint64_t type, unsigned bits, int64_t *st);

extern hl_cptr_t init_ep;		/* devhost requests and fault messages */
extern hl_cptr_t init_bus_ep;		/* the bus's endpoint (0: no bus) */
extern hl_cptr_t init_bus_owner;	/* it minted with badge 1, the owner (0: no bus) */
extern hl_cptr_t init_pool;		/* the Untyped processes are made from */
#define INIT_POOL_BITS	25		/* 32 MiB */
extern unsigned init_priority;		/* ours; children run below it */

#endif
