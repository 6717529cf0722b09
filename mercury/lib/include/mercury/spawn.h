/*
 * mercury/spawn.h: starting and ending processes (the contract; the
 * implementation is mercury/lib/spawn.c).
 *
 * A process is a new VSpace, CSpace (one CNode) and TCB made from an
 * Untyped the parent gives (all of the process's memory comes from it, so
 * proc_destroy returns every byte by revoking it), running a static ELF64
 * image validated by elf_plan(). The parent names exactly the caps the
 * child gets; the child finds each by name with proc_cap(). The child's
 * faults and its exit arrive at the parent's fault endpoint as fault
 * messages (helios/invoke.h: HL_FAULT_*; exit is HL_FAULT_EXIT with the
 * code in mr1) carrying the badge the parent chose.
 */
#ifndef MERCURY_SPAWN_H
#define MERCURY_SPAWN_H

#include <stddef.h>
#include <stdint.h>
#include <mercury/hl.h>

#define SPAWN_MAX_CAPS	16
#define SPAWN_NAME_MAX	32

/* One capability handed to the child. */
struct spawn_cap {
	const char *name;	/* the child's proc_cap(name) finds it */
	hl_cptr_t cap;		/* in the parent's CSpace */
	uint8_t rights;		/* rights the copy keeps (HL_R_ALL: all of them) */
	uint64_t badge;		/* mint the copy with this badge (0: plain copy) */
};

struct spawn_opts {
	const char *name;			/* for logs and traces */
	const void *image;			/* the ELF file in memory */
	size_t image_len;
	const char *const *argv;		/* NULL-terminated; argv[0] is the program name */
	const char *const *envp;		/* NULL-terminated, or NULL */
	const struct spawn_cap *caps;
	unsigned ncaps;
	unsigned priority;			/* at most the parent's MCP */
	hl_cptr_t memory;			/* Untyped the process is built from, and lives on */
	hl_cptr_t fault_ep;			/* where its faults and exit go (0: none) */
	uint64_t fault_badge;			/* the badge they carry */
};

struct proc {
	char name[SPAWN_NAME_MAX];
	hl_cptr_t tcb;		/* the child's thread (all rights: debug, trace) */
	hl_cptr_t cnode;	/* its CSpace root */
	hl_cptr_t vspace;
	hl_cptr_t memory;	/* the Untyped everything came from */
	uint64_t fault_badge;
	uint64_t id;		/* the kernel's thread id of its first thread */
};

/* Builds and starts a process. Returns E_OK, or an error with *why set to a
 * static reason (a malformed ELF, too little memory, too many caps, ...);
 * on failure nothing is left behind. */
int spawn(const struct spawn_opts *o, struct proc *p, const char **why);

/* Stops the process and gives back every byte of its memory Untyped. */
int proc_destroy(struct proc *p);

/* In the child: the slot of the cap handed over under name, or 0. */
hl_cptr_t proc_cap(const char *name);

#endif
