/*
 * helios/trace.h: the trace record and ring formats, and the probe table.
 *
 * Every probe, kernel or user, writes one fixed-size record into a ring the
 * consumer supplied (HL_TRACE_SET_BUFFER). The ring is made of 4 KiB
 * frames; slot 0 of frame 0 is the header, every other 64-byte slot is a
 * record, in order across the frames. The kernel only advances head; the
 * consumer reads records [tail, head) and advances tail: no syscall per
 * record. A full ring never blocks: the record is counted as lost, and the
 * next record written is preceded by an HL_PROBE_LOST record giving how
 * many were lost since the last one.
 */
#ifndef HELIOS_TRACE_H
#define HELIOS_TRACE_H

#include <stdint.h>

#define HL_TRACE_MAGIC		0x45434152544C48ull	/* "HLTRACE" */
#define HL_TRACE_MAX_FRAMES	63	/* count + one cptr each fit in HL_MSG_MAX words */
#define HL_TRACE_RECORD_SIZE	64
#define HL_TRACE_ARGS		6
#define HL_TRACE_USER_BASE	0x8000u		/* user probe ids are HL_TRACE_USER_BASE + id */
#define HL_TRACE_USER_PROBES	(4096 * 8)	/* bits in the user-probe enable page */

struct hl_trace_header {
	uint64_t magic;
	uint64_t capacity;		/* records the ring holds */
	volatile uint64_t head;		/* records written so far (kernel) */
	volatile uint64_t tail;		/* records consumed so far (consumer) */
	volatile uint64_t lost;		/* records lost in all */
	uint64_t tsc_hz;
	uint64_t pad[2];
};

struct hl_trace_record {
	uint64_t tsc;			/* time stamp counter when the probe fired */
	uint16_t probe;			/* HL_PROBE_* or HL_TRACE_USER_BASE + user id */
	uint8_t cpu;
	uint8_t nargs;
	uint32_t thread;		/* thread id (0: no thread, e.g. idle) */
	uint64_t arg[HL_TRACE_ARGS];
};

_Static_assert(sizeof(struct hl_trace_record) == HL_TRACE_RECORD_SIZE, "record size");

/* Record n (counting from 0 since the ring was set up) lives in slot
 * 1 + n % capacity, slots counted across the frames in order. */
static inline unsigned long hl_trace_slot(uint64_t n, uint64_t capacity)
{
	return 1 + (unsigned long)(n % capacity);
}

/* Probe groups, for HL_TRACE_ENABLE_GROUP. */
enum hl_trace_group {
	HL_TRACE_GROUP_SYSCALL, HL_TRACE_GROUP_IPC, HL_TRACE_GROUP_SCHED, HL_TRACE_GROUP_IRQ,
	HL_TRACE_GROUP_FAULT, HL_TRACE_GROUP_CAP, HL_TRACE_GROUP_THREAD, HL_TRACE_GROUP_PAGE,
	HL_TRACE_GROUP_COUNT
};

/* Scope: THREAD probes record only for threads with tracing switched on
 * (HL_TCB_SET_TRACE); GLOBAL probes record whatever runs. */
#define HL_TRACE_THREAD 0
#define HL_TRACE_GLOBAL 1

/*
 * The one definition of every kernel probe:
 *   P(ID, group, "name", scope, number of arguments, "comma-separated argument names")
 * (the kernel's boot self-test checks the count against the names)
 * The kernel's TRACE(ID, ...) sites and the consumers' name tables both
 * expand this list, so they cannot disagree.
 */
#define HL_PROBES(P) \
	P(LOST,           SYSCALL, "trace:lost",      HL_TRACE_GLOBAL, 1, "count") \
	P(SYSCALL_ENTRY,  SYSCALL, "syscall:entry",   HL_TRACE_THREAD, 6, "nr,cptr,info,mr0,mr1,mr2") \
	P(SYSCALL_EXIT,   SYSCALL, "syscall:exit",    HL_TRACE_THREAD, 3, "nr,status,value") \
	P(IPC_SEND,       IPC,     "ipc:send",        HL_TRACE_THREAD, 5, "endpoint,badge,label,length,to") \
	P(IPC_CALL,       IPC,     "ipc:call",        HL_TRACE_THREAD, 5, "endpoint,badge,label,length,to") \
	P(IPC_RECV,       IPC,     "ipc:recv",        HL_TRACE_THREAD, 5, "endpoint,badge,label,length,from") \
	P(IPC_REPLY,      IPC,     "ipc:reply",       HL_TRACE_THREAD, 3, "caller,label,length") \
	P(IPC_SIGNAL,     IPC,     "ipc:signal",      HL_TRACE_THREAD, 2, "notification,badge") \
	P(SCHED_SWITCH,   SCHED,   "sched:switch",    HL_TRACE_GLOBAL, 3, "from,to,reason") \
	P(IRQ,            IRQ,     "irq:line",        HL_TRACE_GLOBAL, 2, "line,count") \
	P(FAULT,          FAULT,   "fault:user",      HL_TRACE_THREAD, 4, "type,address,error,rip") \
	P(CAP_RETYPE,     CAP,     "cap:retype",      HL_TRACE_THREAD, 4, "type,bits,count,paddr") \
	P(CAP_COPY,       CAP,     "cap:copy",        HL_TRACE_THREAD, 3, "type,rights,badge") \
	P(CAP_DELETE,     CAP,     "cap:delete",      HL_TRACE_THREAD, 3, "type,object,last") \
	P(CAP_REVOKE,     CAP,     "cap:revoke",      HL_TRACE_THREAD, 2, "type,object") \
	P(THREAD_CREATE,  THREAD,  "thread:create",   HL_TRACE_THREAD, 1, "thread") \
	P(THREAD_EXIT,    THREAD,  "thread:exit",     HL_TRACE_THREAD, 2, "thread,code") \
	P(THREAD_SUSPEND, THREAD,  "thread:suspend",  HL_TRACE_THREAD, 1, "thread") \
	P(THREAD_RESUME,  THREAD,  "thread:resume",   HL_TRACE_THREAD, 1, "thread") \
	P(PAGE_MAP,       PAGE,    "page:map",        HL_TRACE_THREAD, 3, "vaddr,paddr,bits") \
	P(PAGE_UNMAP,     PAGE,    "page:unmap",      HL_TRACE_THREAD, 2, "vaddr,paddr")

enum hl_probe {
#define HL_PROBE_ENUM(id, group, name, scope, nargs, args) HL_PROBE_##id,
	HL_PROBES(HL_PROBE_ENUM)
#undef HL_PROBE_ENUM
	HL_PROBE_COUNT
};

/* Scheduler switch reasons (SCHED_SWITCH arg 2). */
enum hl_switch_reason { HL_SWITCH_BLOCK, HL_SWITCH_PREEMPT, HL_SWITCH_YIELD, HL_SWITCH_IPC };

#endif
