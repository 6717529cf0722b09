/*
 * mercury/start.h: what a spawned process finds at start-up (the ABI
 * between mercury/lib/spawn.c, which writes it at the top of the child's
 * stack, and mercury/lib/start.c, which reads it). crt0 gets its address
 * in rdi; a root task gets the kernel's BootInfo there instead, told apart
 * by the magic word.
 */
#ifndef MERCURY_START_H
#define MERCURY_START_H

#include <stdint.h>
#include <mercury/spawn.h>

#define START_MAGIC	0x5452415453435250ull	/* "PRCSTART" */

/* The child's address space below its image (prog.ld links at 0x400000). */
#define START_IPC_BUFFER	0x3ff000ull		/* one page */
#define START_STACK_TOP		0x3fe000ull		/* an unmapped page above it */
#define START_STACK_PAGES	8
#define START_STACK_LOW		(START_STACK_TOP - START_STACK_PAGES * 4096ull)
#define START_DATA_MAX		(2 * 4096)		/* start info, argv, envp and strings */

/* One cap handed over: its name and where it is in the child's CSpace. */
struct start_cap {
	char name[SPAWN_NAME_MAX];
	uint64_t cptr;
};

struct start_info {
	uint64_t magic;			/* START_MAGIC */
	uint64_t argc;
	char **argv;			/* argc pointers, then NULL */
	char **envp;			/* NULL-terminated */
	uint64_t ipc_buffer;		/* vaddr of the thread's IPC buffer */
	uint64_t tsc_hz;		/* the parent's TSC frequency */
	uint64_t ncaps;
	struct start_cap caps[SPAWN_MAX_CAPS];
	char name[SPAWN_NAME_MAX];
};

/*
 * Lays out what spawn() gives a child (mercury/lib/startinfo.c, portable):
 * struct start_info, then the argv and envp vectors, then their strings,
 * in buf (size bytes, 8-byte aligned), addressed as the child will see
 * them: the data ends at child address top, starting at *base (16-byte
 * aligned), *len bytes. o->argv NULL means { o->name }. Cap i is at cptr
 * first_cptr + i in the child. tsc_hz is left 0 for the caller. Returns
 * E_OK, or E_RANGE ("argv and environment too large") with *why set.
 */
int start_build(const struct spawn_opts *o, uint64_t top, uint64_t first_cptr, void *buf,
		size_t size, uint64_t *base, size_t *len, const char **why);

#endif
