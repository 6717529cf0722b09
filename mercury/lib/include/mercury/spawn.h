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

/* rights = SPAWN_MOVE: the cap itself moves into the child (with all its
 * rights and its badge) instead of a copy: the way to give a child an
 * Untyped or a Reply, which cannot be copied. The parent's slot is left
 * empty and must stay free: proc_destroy() (and a failed spawn()) revokes
 * the moved cap, so everything the child made from it is gone, and moves
 * it back there. A moved Untyped thus comes back whole, every byte free. */
#define SPAWN_MOVE	0x80u

/* One capability handed to the child. */
struct spawn_cap {
	const char *name;	/* the child's proc_cap(name) finds it */
	hl_cptr_t cap;		/* in the parent's CSpace */
	uint8_t rights;		/* rights the copy keeps (HL_R_ALL: all of them), or SPAWN_MOVE */
	uint64_t badge;		/* mint the copy with this badge (0: plain copy; SPAWN_MOVE: 0) */
};

/* The names of the caps spawn_opts.self adds after the named ones. */
#define SPAWN_SELF_CNODE	"self.cnode"	/* its CSpace root, guarded: (slot, 64) works */
#define SPAWN_SELF_VSPACE	"self.vspace"
#define SPAWN_SELF_TCB		"self.tcb"	/* its first thread; all rights */
#define SPAWN_SELF_CAPS		3
/* The cap a spawned process finds its ASID pool under, if it was given one. */
#define SPAWN_ASID_POOL		"asid.pool"
#define SPAWN_CSPACE_BITS	5		/* default: 32 slots for named caps and free ones */
#define SPAWN_CSPACE_BITS_MAX	10

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
	hl_cptr_t asid_pool;			/* gives its VSpace an id (0: the root task's
						   HL_CAP_ASID_POOL, or our own SPAWN_ASID_POOL) */
	hl_cptr_t fault_ep;			/* where its faults and exit go (0: none) */
	uint64_t fault_badge;			/* the badge they carry */
	unsigned cspace_bits;			/* the child's CSpace has 2^bits slots (0: SPAWN_CSPACE_BITS) */
	int self;				/* also hand it caps to itself (SPAWN_SELF_*), counted in SPAWN_MAX_CAPS */
	int self_cnode;				/* without self: hand it only its CSpace root (SPAWN_SELF_CNODE),
						   so it can delete and move its own caps (slot_free) */
};

struct proc {
	char name[SPAWN_NAME_MAX];
	hl_cptr_t tcb;		/* the child's thread (all rights: debug, trace) */
	hl_cptr_t cnode;	/* its CSpace root */
	hl_cptr_t vspace;
	hl_cptr_t memory;	/* the Untyped everything came from */
	uint64_t fault_badge;
	uint64_t id;		/* the kernel's thread id of its first thread */
	unsigned cspace_bits;	/* its CSpace has 2^cspace_bits slots */
	unsigned cspace_depth;	/* (index, depth) of a child cptr under cnode */
	hl_cptr_t moved_from[SPAWN_MAX_CAPS];	/* cap i was moved from this parent slot (0: copied) */
};

/* Builds and starts a process. Returns E_OK, or an error with *why set to a
 * static reason (a malformed ELF, too little memory, too many caps, ...);
 * on failure nothing is left behind. */
int spawn(const struct spawn_opts *o, struct proc *p, const char **why);

/* Stops the process, revokes and moves back every cap moved into it
 * (SPAWN_MOVE; one the child moved or deleted itself is not), and gives
 * back every byte of its memory Untyped. */
int proc_destroy(struct proc *p);

/* In the child: the slot of the cap handed over under name, or 0. */
hl_cptr_t proc_cap(const char *name);

/* In the child: the cptr of the i-th empty slot of its CSpace (the slots
 * after its named caps), or 0 past the end or if it was given no caps.
 * Use them to receive caps (bus_lookup) or to make objects in. */
hl_cptr_t proc_slot(unsigned i);

/* In a child spawned with spawn_opts.self: the CSpace guard size to give
 * hl_tcb_configure() with the self.cnode cap for a new thread, or -1. */
int proc_cspace_guard(void);

/* In a child spawned with spawn_opts.self: configures tcb (a TCB it made
 * from an Untyped it was given) to run in its own CSpace and VSpace, with
 * no IPC buffer and no fault endpoint, and starts it at fn(arg) on the
 * stack [stack, stack + size). The thread keeps the new TCB's priority, 0:
 * it runs only when nothing else wants the CPU. fn must not return.
 * Returns E_OK, or the error of the step that failed. */
int proc_thread(hl_cptr_t tcb, void (*fn)(uint64_t), uint64_t arg, void *stack, size_t size);

#endif
