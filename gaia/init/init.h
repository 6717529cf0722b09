/*
 * gaia/init/init.h: the root task (boot/init, the first ELF of the initrd).
 *
 *   init.c     start-up: the bus, the device manager, svc/, then serving them
 *   serve.c    the one loop: devhost requests, faults and exits, proc requests
 *   child.c    the processes init started: spawning, keeping, reaping
 *   devhost.c  the devhost interface: starting drivers the device manager
 *              chose, with exactly the caps of their grant
 *   procsvc.c  the process service (proc.ipc) for whoever holds a proc cap
 *   memsvc.c   shared memory (mem.ipc) for whoever holds a mem cap
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
#define INIT_SHARED_VA	0x30000000000ull	/* shared buffers (memsvc.c), 256 KiB windows */
#define INIT_BAR_MAX	(4u << 20)	/* largest MMIO BAR mapped (4K frames) */

/* Badges on init_ep: the device manager's devhost cap, each child's fault
 * endpoint, and each child's proc cap (the process service's client). */
#define INIT_BADGE_DEVMGR	1
#define INIT_BADGE_PROC(i)	(0x100u + (i))
#define INIT_BADGE_CLIENT(i)	(0x10000u + (i))
#define INIT_BADGE_MEM(i)	(0x20000u + (i))	/* a child's mem cap */
#define INIT_BADGE_TOKEN(i)	(0x30000u + (i))	/* a shared buffer's token (no rights) */

#define INIT_MAX_PROCS		32
#define INIT_CHILD_SLOTS	600	/* frames and tables a driver's mappings use */
#define INIT_GRANT_MAX		14	/* caps a proc client grants (spawn's 16, less bus and proc) */
#define INIT_ARGS_MAX		16
#define INIT_PROC_BUDGET	(8ull << 20)	/* memory each svc/ program may start processes with */
#define INIT_MEM_QUOTA		(2ull << 20)	/* shared memory each holder of a mem cap may allocate */

/* How a process ended (proc.ipc wait). */
enum { PROC_HOW_EXITED = 1, PROC_HOW_FAULTED, PROC_HOW_KILLED };
/* A child's life (proc.ipc status). */
enum child_state { CHILD_FREE, CHILD_MAKING, CHILD_RUNNING, CHILD_ENDED };

struct child {
	struct proc p;
	int live, is_driver, resident;	/* live: the process exists */
	int on_bus;			/* admitted under its fault badge */
	hl_cptr_t slots[INIT_CHILD_SLOTS];	/* ours to free when it is gone */
	unsigned nslots;
	hl_cptr_t dma;			/* its DMA Untyped */
	hl_cptr_t devmem[6];		/* its BARs' device Untypeds (devmem.c), given back with it */

	int driver;			/* a driver: its record in devhost.c, else -1 */

	/* the process service */
	int state;			/* enum child_state */
	int parent;			/* the proc client that started it, or -1 (init) */
	uint64_t pid;			/* its first thread's id (outlives the process) */
	uint8_t how;			/* CHILD_ENDED: PROC_HOW_*, code or fault type and address */
	int64_t code;
	uint64_t fault, addr;
	hl_cptr_t waiter;		/* its parent's wait, answered when it ends */
	uint64_t budget, used;		/* as a proc client: bytes it may use, and uses */
	uint64_t mem_quota, mem_used;	/* as a mem client: shared bytes it may allocate, and has */
	uint64_t mem_windows;		/* its shared area's windows in use (memsvc.c) */
	char file[65], args[401];	/* CHILD_MAKING: what create and grant gave */
	size_t args_len;
	unsigned mem_bits, ngranted;
	char grant_name[INIT_GRANT_MAX][32];
	hl_cptr_t grant_slot[INIT_GRANT_MAX];
};

extern struct child children[INIT_MAX_PROCS];
extern int init_nlive;			/* children that are not resident */

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
/* A block taken is free again (every frame made from it deleted). */
void devmem_give(hl_cptr_t cap);

/* --- devhost.c --- */
/* Starts the process file with caps, argv and envp, memory of 2^mem_bits,
 * faults to init_ep with badge; extra (or NULL) gives cspace_bits and
 * self; fills p. Prints and returns the error. */
int init_spawn_opts(const char *file, const char *name, const struct spawn_cap *caps, unsigned ncaps,
		    const char *const *argv, const char *const *envp, unsigned mem_bits, uint64_t badge,
		    const struct spawn_opts *extra, struct proc *p);
/* --- child.c --- */
/* A free entry (cleared, no parent), or NULL. */
struct child *child_new(void);
/* An endpoint and a Reply (to move) from the pool for a server child, in
 * caps[n], caps[n + 1] and slots[0..1]. Returns 0 or -1. */
int server_caps(struct spawn_cap *caps, unsigned n, hl_cptr_t *slots);
/* Keeps slot s for c, freed with it; -1 when c's list is full. */
int child_keep(struct child *c, hl_cptr_t s);
/* Maps frame in c at va, making page tables from c's own memory (kept
 * for c). Returns the kernel's status. */
int64_t child_map(struct child *c, hl_cptr_t frame, uint64_t va, uint64_t rights, uint64_t attrs);
/* Spawns file into c (fault badge by its index): a bus client if on_bus and
 * the bus is up, a proc client with proc_budget bytes if that is not 0. */
int child_spawn(struct child *c, const char *file, const char *name, const struct spawn_cap *caps,
		unsigned ncaps, const char *const *argv, const char *const *envp, unsigned mem_bits,
		const struct spawn_opts *extra, int on_bus, uint64_t proc_budget);
/* Everything of c goes back (the process, what init kept for it); its
 * entry stays as it is. */
void child_free(struct child *c);
/* The entry can be used again. */
void child_forget(struct child *c);
/* Stops c, takes everything back and records how it ended (PROC_HOW_*). */
void child_end(struct child *c, int how, int64_t code, uint64_t fault, uint64_t addr);
/* Handles the fault or exit message of child c. */
void child_reap(struct child *c, const struct hl_msg *m);
/* Process memory from the pool, and back (kept for the next of its size). */
hl_cptr_t mem_take(unsigned bits, int64_t *st);
void mem_give(hl_cptr_t ut);
/* Ends the run: every child destroyed, the pool's loss printed. */
void init_finish(uint64_t ram_before);

/* Starts file as a child of ours (reaped by init_serve; a bus client
 * named name with a "bus" cap added once the bus is up; resident: ended
 * only with the run). moved: slots whose caps it is given with SPAWN_MOVE
 * (or any slot it owns), freed after it ends. Returns the child's index
 * (its fault and bus badge is INIT_BADGE_PROC of it), or -1 (printed). */
int init_start(const char *file, const char *name, const struct spawn_cap *caps, unsigned ncaps,
	       const char *const *argv, unsigned mem_bits, const struct spawn_opts *extra, int resident,
	       const hl_cptr_t *moved, unsigned nmoved, uint64_t proc_budget);
/* The handlers of devhost.ipc; whether the device manager said done. */
extern const struct devhost_handlers devhost_handlers;
int devhost_devmgr_done(void);
/* Driver supervision: d's process ended (how: PROC_HOW_*); the restart
 * timer fired; how many restarts wait for their time. */
void devhost_driver_ended(int d, int how, int64_t code, uint64_t fault, uint64_t addr);
void devhost_timer(void);
int devhost_restarts_pending(void);
/* Makes the restart timer and its notification, bound to our thread. */
void devhost_init(void);

/* --- serve.c --- */
/* Serves init_ep (see serve.c), receiving with reply. With exit_when_idle,
 * once devmgr is done and every child that is not resident has ended,
 * destroys the resident ones, prints the RAM lost since ram_before and
 * ends the run. */
void init_serve(hl_cptr_t ep, hl_cptr_t reply, int exit_when_idle, uint64_t ram_before);
/* Sets the Reply object *current aside (returned) and puts a spare in its
 * place; 0 when none is spare. */
hl_cptr_t serve_take_reply(hl_cptr_t *current);
/* A Reply set aside is free again. */
void serve_give_reply(hl_cptr_t r);

/* --- procsvc.c --- */
/* Handles a proc request of client (child index); returns 0 when the
 * reply is kept for later. May replace *reply and take *recv_slot. */
int procsvc_handle(int client, struct hl_msg *m, hl_cptr_t *reply, hl_cptr_t *recv_slot);
/* c ended: answers its parent's wait, ends what c started. */
void procsvc_ended(struct child *c);

/* --- memsvc.c --- */
/* Handles a mem request of client (child index). */
void memsvc_handle(int client, struct hl_msg *m);
/* A mem cap for c (kept for c) with quota bytes to allocate, or 0. */
hl_cptr_t memsvc_cap(struct child *c, uint64_t quota);
/* Whether cap is the mem cap of child client. */
int memsvc_is_cap_of(hl_cptr_t cap, int client);
/* c is gone: its mappings go (and buffers nobody else maps), its charge ends. */
void memsvc_gone(struct child *c);

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
