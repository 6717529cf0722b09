/*
 * kf.h: the syscall fuzzer's parts.
 *
 *   rows.c    the call table: one row per system call and invocation label,
 *             saying what its cptr names and what each argument word is
 *   args.c    draws a row's argument words (mostly well-formed, a controlled
 *             fraction wild) from the worker's view of its CSpace
 *   worker.c  a fuzz worker's loop, and the victim loop threads can be sent to
 *   world.c   the supervisor's world: children (own CNode, VSpace, workers),
 *             their stock of caps of every type, restarts and refills
 *   tick.c    the supervisor's clock (the RTC's periodic interrupt)
 *   cover.c   the coverage matrix (row x status) and its checks
 *   main.c    the root task: build, supervise, report, tear down, leak check
 */
#ifndef KF_H
#define KF_H

#include "rt.h"
#include "kt_rand.h"

/* A child's CNode: 2^KF_RADIX slots. Workers run with guard KF_GUARD, so a
 * plain slot number with depth 64 names a slot, as in the root CNode. */
#define KF_RADIX 8
#define KF_SLOTS (1u << KF_RADIX)
#define KF_GUARD (64 - KF_RADIX)

#define KF_CHILDREN 3		/* address spaces, each with its own CNode */
#define KF_PER_CHILD 2		/* workers sharing a child's CSpace and VSpace */
#define KF_WORKERS (KF_CHILDREN * KF_PER_CHILD)
#define KF_PRIO 50		/* workers, victims and the supervisor */

/* Where fuzzed mappings go: below the PD the thread stacks already use
 * (a PT is missing), and in the second 512 GiB (a PDPT is missing). */
#define KF_MAP_BASE 0x60000000ull
#define KF_MAP_FAR 0x8000000000ull
/* The ports workers may ever hold (issued per child, and the only ranges an
 * ISSUE may succeed on): POST and DMA page registers, harmless to poke. */
#define KF_PORT_LO 0x80
#define KF_PORT_HI 0x8F
_Static_assert(KF_PORT_LO + 4 * KF_CHILDREN + 3 <= KF_PORT_HI, "4 ports per child, some left over");
/* The supervisor's view of the read-only canary frame (workers get READ). */
#define KF_CANARY_VA 0x58000000ull
/* The supervisor's view of the kernel counters page (HL_CAP_STATS). */
#define KF_STATS_VA 0x58001000ull

/*
 * The stock of each child's CNode: slot -> what the supervisor keeps there.
 * The workers' view of their CSpace starts from this; everything after
 * S_END is free for retypes, copies and received caps.
 */
enum kf_slot {
	S_CN = 1,	/* own CNode, guard KF_GUARD: (S_CN, i, 64) names slot i */
	S_CN0,		/* own CNode, guard 0: (S_CN0, i, KF_RADIX) */
	S_CN2,		/* a 4-slot CNode */
	S_CN4,		/* a 16-slot CNode */
	S_ASIDCTL,	/* ASIDControl */
	S_ASIDPOOL,	/* an ASID pool the supervisor made from the child's stock Untyped */
	S_VS,		/* own VSpace */
	S_VS_OTHER,	/* the next child's VSpace */
	S_VS_SPARE,	/* an empty VSpace */
	S_VS_NEW,	/* an empty VSpace without an address-space id yet */
	S_EP0, S_EP1,	/* endpoints shared by every child */
	S_EP_BADGED,	/* EP0 badged with the child's number */
	S_EP_RO, S_EP_WO, S_EP_NOGRANT,	/* EP1 with reduced rights */
	S_NT0, S_NT1,	/* shared notifications */
	S_NT_BADGED,	/* NT0, badged, write only */
	S_NT_RO,	/* NT1, read only */
	S_REPLY0, S_REPLY1, S_REPLY2,
	S_TIMER,
	S_UT,		/* 64 KiB Untyped for the workers' retypes */
	S_UT_SMALL,	/* 4 KiB */
	S_TCB_W0, S_TCB_W1,	/* the child's two workers, all rights */
	S_TCB_NODEBUG,		/* worker 0 without DEBUG, TRACE and CONFIGURE */
	S_TCB_OTHER,		/* worker 0 of the next child, READ|WRITE only */
	S_TCB_V0, S_TCB_V1,	/* victims: threads running kf_victim */
	S_PT, S_PD, S_PDPT,
	S_FR0, S_FR1,	/* 4 KiB frames, all rights */
	S_FR_RO,	/* FR0 read only */
	S_FR2M,		/* a 2 MiB frame: the last stock object made from the stock Untyped
			   (it fills it to the end) */
	S_CANARY,	/* the supervisor's canary frame, read only */
	S_STATS,	/* the kernel counters page (read only) */
	S_IRQCTL, S_IRQH,	/* IRQControl, a handler the supervisor claimed */
	S_IOCTL, S_IOPORT,	/* IOPortControl, the child's port range */
	S_CONSOLE, S_TRACE,
	S_END
};

/* Object type of each stock slot (its initial type, for the workers' view). */
extern const uint8_t kf_stock_type[S_END];

/* --- rows.c --- */

/* Argument kinds; a row's argument list is kinds with a parameter byte. */
enum kf_kind {
	K_END,
	K_WORD,		/* anything from the interesting-values pool */
	K_CAP,		/* a cptr, mostly of type p (0: any non-empty slot) */
	K_CAP0,		/* as K_CAP, or 0 ("none") */
	K_DST,		/* root, index, depth of a slot, mostly free (3 words) */
	K_SRC,		/* root, index, depth of a slot, mostly full (3 words) */
	K_IDX,		/* index, depth in the invoked CNode, mostly free (2 words) */
	K_IDXFULL,	/* the same, mostly full */
	K_TYPE,		/* an object type to retype */
	K_BITS,		/* size bits, fitting the K_TYPE before it */
	K_COUNT,	/* an object count */
	K_RIGHTS,	/* a rights mask */
	K_BADGE,	/* a badge (or a CNode guard size) */
	K_GUARD,	/* a CSpace guard size */
	K_VADDR,	/* a page in the mapping areas, aligned to 2^p */
	K_MAPRIGHTS,	/* rights for a mapping */
	K_ATTRS,	/* HL_MAP_* */
	K_PRIO,
	K_SLICE,
	K_BOOL,
	K_ZERO,
	K_REGS,		/* resume flag and struct hl_regs: a victim program (20 words) */
	K_IPCVA,	/* an IPC buffer address */
	K_TLS,		/* an FS base */
	K_DBGVA,	/* a debug address: p = 1 for writes (never code) */
	K_DBGLEN,	/* a debug length */
	K_BYTES,	/* fill the rest of the message with data words */
	K_BRKSLOT, K_BRKKIND, K_BRKLEN,
	K_IRQ,		/* an IRQ line */
	K_PORTS,	/* first, last (2 words) */
	K_PORT,		/* a port for in/out */
	K_FRAMES,	/* a count and that many frame cptrs */
	K_PROBE, K_GROUP, K_UPROBE,
	K_TEXT,		/* a console byte count and harmless bytes */
	K_OWNVS,	/* a VSpace cptr, mostly the worker's own (S_VS) */
	K_USEC,		/* a delay in microseconds (p = 1: a period, often 0) */
	K_NEWVS,	/* a VSpace cptr, mostly one without an id (made by the worker, S_VS_NEW) */
};
#define A(kind, p) ((uint16_t)((kind) | (p) << 8))
#define KF_MAX_ARGS 10

struct kf_row {
	const char *name;
	uint8_t nr;		/* HL_SYS_* */
	uint16_t label;		/* invocation label (HL_SYS_CALL on a kernel object) */
	uint32_t targets;	/* object types the cptr should name (bit per HL_OBJ_*) */
	uint8_t need;		/* rights the named cap must carry for E_OK (the rights oracle) */
	uint8_t flags;		/* KF_* */
	uint16_t arg[KF_MAX_ARGS];
};
#define KF_TAME 1		/* no wild argument words (console flooding, ...) */
#define KF_MSG 2		/* a plain IPC message: random label, words and caps */
#define KF_NO_OK 4		/* E_OK cannot come back (listed with the reason in cover.c) */
#define T(x) (1u << (x))

extern const struct kf_row kf_rows[];
extern const unsigned kf_nrows;
#define KF_MAX_ROWS 96
#define KF_NST (E_COUNT + 1)	/* statuses; the last counts anything else */

/* --- worker.c / args.c --- */

/*
 * A worker's state, at the base of its stack after its rt_tls (the stack
 * is mapped in the root VSpace too, so the supervisor reads it): its PRNG,
 * its view of its CSpace, what it did.
 */
struct kf_page {
	uint64_t magic;
	uint64_t id;		/* worker number */
	uint64_t child;		/* child number */
	uint64_t rng;		/* PRNG state */
	uint64_t done;		/* calls made */
	uint64_t last_row;	/* the row of the call in progress */
	uint64_t violations;	/* rights oracle: E_OK without the needed right */
	uint64_t viol_row, viol_rights;
	uint64_t refresh;	/* next slot to re-identify */
	uint64_t mapped[8];	/* where its last frame maps went (debug calls aim there) */
	uint64_t nmapped;
	uint8_t ty[KF_SLOTS];	/* what it believes each slot holds */
	uint32_t cov[KF_MAX_ROWS][KF_NST];
};
#define KF_PAGE_MAGIC 0x6b66757a7a706721ull
#define KF_PAGE_OFFSET 256	/* after struct rt_tls */

static inline struct kf_page *kf_page_of(uint64_t stack_top)
{
	return (struct kf_page *)(stack_top - RT_STACK_SIZE + KF_PAGE_OFFSET);
}

/* One call drawn for a row: its cptr, reply cptr, message info and words
 * (kf_draw also fills the IPC buffer's cap fields for plain messages). */
struct kf_call {
	uint64_t cptr, reply, info;
	uint64_t w[HL_MSG_MAX];
	unsigned n;		/* argument words drawn */
};
void kf_draw(struct kt_rand *r, struct kf_page *p, const struct kf_row *rw,
	     struct hl_ipc_buffer *b, struct kf_call *c);
/* An interesting word. */
uint64_t kf_word(struct kt_rand *r);
/* A cptr in the worker's view, mostly of one of the types in mask. */
uint64_t kf_pick(struct kt_rand *r, const struct kf_page *p, uint32_t mask);

/* The worker's loop: arg is the address of its kf_page. Never returns. */
void kf_worker(uint64_t page);
/* A victim's loop: makes system call nr on cptr (with reply) for ever.
 * Entered through WRITE_REGISTERS with rdi, rsi, rdx set. */
void kf_victim(uint64_t nr, uint64_t cptr, uint64_t reply) __attribute__((noreturn));
/* Stacks for victims, in each address space's private copy of bss. */
#define KF_VSTACKS 4
#define KF_VSTACK_SIZE 1024
extern uint8_t kf_vstack[KF_VSTACKS][KF_VSTACK_SIZE];
/* A victim's registers (a program of one system call), for K_REGS and the supervisor. */
void kf_victim_regs(struct kt_rand *r, const struct kf_page *p, struct hl_regs *regs);

/* --- world.c --- */

struct kf_worker {
	struct rt_thread t;
	struct kf_page *page;	/* in the root's view of its stack */
	hl_cptr_t fep;		/* the supervisor's fault endpoint, badged 1 + id */
	uint64_t last_done, still, restarts, exits;
	int want_restart;
};

struct kf_child {
	hl_cptr_t cnode;	/* root slot: its CNode, guard 0 */
	hl_cptr_t stock_ut;	/* root slot: Untyped its stock objects are made from */
	hl_cptr_t irqh, ioport;	/* root slots: its IRQ handler and port range */
	struct rt_space space;
	uint64_t refills, refill_fail, stock_revokes;
};

struct kf_world {
	hl_cptr_t arena;	/* every fuzzed object descends from it */
	hl_cptr_t fep;		/* the supervisor's fault endpoint */
	hl_cptr_t ep[2], nt[2];
	hl_cptr_t canary;	/* the canary frame, mapped at KF_CANARY_VA */
	hl_cptr_t tick;		/* the supervisor's clock notification */
	hl_cptr_t stats;	/* a copy of HL_CAP_STATS, mapped at KF_STATS_VA */
	struct vm_tables tables;	/* root page tables for the canary */
	struct kf_child child[KF_CHILDREN];
	struct kf_worker w[KF_WORKERS];
	struct kt_rand rng;	/* the supervisor's own choices */
	uint64_t seed;
	uint64_t victim_starts, faults_seen;
};

/* Builds the world; returns the number of steps that failed. */
int kf_world_build(struct kf_world *wd, uint64_t seed);
/* Refills every empty stock slot of child c (and restarts its victims). */
void kf_refill(struct kf_world *wd, unsigned c);
/* Gives worker w a fresh start: configuration, priority, registers. */
int64_t kf_restart(struct kf_world *wd, unsigned w);
/* Stops every worker (suspends them; the supervisor keeps running). */
void kf_stop_all(struct kf_world *wd);
/* Deletes everything; returns the number of steps that failed. */
int kf_world_destroy(struct kf_world *wd);
/* Did the canary frame keep its pattern? */
int kf_canary_intact(const struct kf_world *wd);

/* --- tick.c: the supervisor's clock (RTC line 8 signalling ntfn, ~1 kHz) --- */

int64_t kf_tick_start(hl_cptr_t ntfn);
void kf_tick_wait(void);
void kf_tick_stop(void);

/* --- cover.c --- */

/* Prints the matrix as TAP comments and the coverage checks as TAP lines. */
void kf_cover_report(const struct kf_world *wd);

#endif
