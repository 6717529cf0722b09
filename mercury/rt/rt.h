/*
 * mercury/rt/rt.h: a small runtime for root tasks (the kernel test suite,
 * fuzzer and benchmarks) for what libmercury does not have yet: threads.
 *
 * Parts: crt0.S (entry, per-thread stacks), rt_console.c (printf to the
 * Console cap, exit through isa-debug-exit), rt_thread.c (threads in the
 * root VSpace or another one), rt_space.c (address spaces holding a copy
 * of the root task's image). Slots, kernel objects and mappings are
 * libmercury's (mercury/alloc.h: slot.c, object.c, vm.c), compiled into
 * librt.a with rt's flags; rt does not link libmercury's start-up, so a
 * program still links rt or libmercury, never both.
 *
 * Every thread runs on a stack of RT_STACK_SIZE bytes aligned to its size;
 * the lowest bytes hold its struct rt_tls, found from rsp.
 */
#ifndef MERCURY_RT_H
#define MERCURY_RT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <mercury/alloc.h>
#include <mercury/hl.h>

#define RT_STACK_SIZE	0x4000ull
#define RT_TLS_MAGIC	0x534c5472ull	/* "rTLS" */
#define RT_DEPTH	MERC_DEPTH	/* slot addressing in the root CNode */

/* Threads' stacks and IPC buffers: RT_MAX_THREADS areas of RT_AREA_SIZE
 * from RT_THREAD_BASE (unmapped guard, stack, IPC buffer); the last area
 * is a scratch window for copying pages. */
#define RT_THREAD_BASE	0x40000000ull
#define RT_AREA_SIZE	0x10000ull
#define RT_MAX_THREADS	31
#define RT_SCRATCH	(RT_THREAD_BASE + RT_MAX_THREADS * RT_AREA_SIZE)
#define RT_STACK_PAGES	(RT_STACK_SIZE / 4096)

/* Per-thread state at the base of each stack. */
struct rt_tls {
	uint64_t magic;
	struct hl_ipc_buffer *ipc;	/* this thread's IPC buffer */
	hl_cptr_t tcb;			/* its own TCB cap (0 for none) */
	hl_cptr_t exit_ntfn;		/* signalled when its function returns */
	struct rt_thread *thread;	/* NULL for the root thread */
	uint64_t user[4];		/* free for the program (visible to the creator) */
};

/* The boot information, set before main runs. */
extern const struct hl_bootinfo *rt_bootinfo;

/* This thread's state (from rsp). */
static inline struct rt_tls *rt_tls(void)
{
	uint64_t sp;

	__asm__("mov %%rsp, %0" : "=r"(sp));
	return (struct rt_tls *)(sp & ~(RT_STACK_SIZE - 1));
}

/* --- rt_console.c ---- */

/* printf to the kernel console; returns bytes written. */
int rt_printf(const char *fmt, ...) __attribute__((format(__printf__, 1, 2)));
int rt_vprintf(const char *fmt, va_list ap);
/* snprintf into buf (always NUL-terminated when size > 0). */
int rt_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(__printf__, 3, 4)));
/* Ends the QEMU run: status 0 = success, else failure. Does not return. */
void rt_exit(int status) __attribute__((noreturn));
/* Value of "key=value" on the kernel command line, NULL if absent; the
 * value runs to the next space (copied into buf of size n). */
const char *rt_cmdline_get(const char *key, char *buf, size_t n);

/* Slots, objects and mappings: libmercury's slot.c, object.c and vm.c
 * (mercury/alloc.h), linked into librt.a; rt_start calls merc_alloc_init. */

/* TODO: the bus suite (tests/mercury/bus/suite) still uses these two
 * names; drop them once it calls slot_alloc and slot_free. */
static inline hl_cptr_t rt_slot_alloc(void)
{
	return slot_alloc();
}

static inline void rt_slot_free(hl_cptr_t slot)
{
	slot_free(slot);
}

/* --- rt_space.c ---- */

#define RT_SPACE_MAX_PAGES	512

/* An address space holding a private copy of the root task's image. */
struct rt_space {
	hl_cptr_t vspace;
	hl_cptr_t frames[RT_SPACE_MAX_PAGES];
	unsigned npages;
	struct vm_tables tables;	/* its page tables */
};

/* Builds sp; returns E_OK or the first failure. */
int64_t rt_space_create(struct rt_space *sp);
/* Deletes everything rt_space_create made. Threads in it must be gone. */
void rt_space_destroy(struct rt_space *sp);

/* --- rt_thread.c ---- */

struct rt_thread {
	hl_cptr_t tcb;
	hl_cptr_t stack[RT_STACK_PAGES], ipc;		/* mapped in the root VSpace */
	hl_cptr_t stack2[RT_STACK_PAGES], ipc2;		/* the same, mapped in space */
	struct rt_space *space;				/* NULL: the root VSpace */
	int area;					/* index of its stack area */
	uint64_t stack_top;
	struct hl_ipc_buffer *ipcbuf;
};

/* Makes the page tables of the thread areas in the root VSpace (kept for
 * the whole run); rt_start calls it before main. */
int64_t rt_thread_init(void);
/* Makes a thread that will run fn(arg) at priority prio in space (NULL: the
 * root VSpace), sharing the root CNode, with fault endpoint fault_ep (0:
 * none) and exit notification exit_ntfn (0: none). It is not started. */
int64_t rt_thread_create(struct rt_thread *t, struct rt_space *space, void (*fn)(uint64_t),
			 uint64_t arg, uint64_t prio, hl_cptr_t fault_ep, hl_cptr_t exit_ntfn);
/* Resumes t. */
int64_t rt_thread_start(struct rt_thread *t);
/* Deletes t's TCB (whatever its state), stack and IPC buffer. */
void rt_thread_destroy(struct rt_thread *t);
/* Called when a thread's function returns: signals its exit notification
 * and suspends it. Does not return. */
void rt_thread_exit(void) __attribute__((noreturn));

/* --- crt0.S ---- */

/* Entry of threads made by rt_thread_create: rdi = arg, rsi = fn. */
void rt_thread_entry(void);

/* The program, called by crt0 on the root thread; its result is passed to rt_exit. */
int main(const struct hl_bootinfo *bi);

/* Linker symbols (user.ld). */
extern char __image_start[], __text_end[], __rodata_end[], __image_end[];
extern char __bss_start[], __bss_end[];

#endif
