/*
 * helios/objects.h: kernel object types, their sizes, and capability rights.
 */
#ifndef HELIOS_OBJECTS_H
#define HELIOS_OBJECTS_H

enum hl_obj_type {
	HL_OBJ_NULL = 0,	/* an empty slot */
	HL_OBJ_UNTYPED,		/* memory that can be retyped into objects */
	HL_OBJ_CNODE,		/* 2^n capability slots */
	HL_OBJ_TCB,		/* a thread */
	HL_OBJ_ENDPOINT,	/* synchronous IPC rendezvous */
	HL_OBJ_NOTIFICATION,	/* asynchronous signal word */
	HL_OBJ_REPLY,		/* one pending reply to a call */
	HL_OBJ_VSPACE,		/* x86_64 PML4: an address space */
	HL_OBJ_PDPT,		/* page directory pointer table (1 GiB per entry) */
	HL_OBJ_PD,		/* page directory (2 MiB per entry) */
	HL_OBJ_PT,		/* page table (4 KiB per entry) */
	HL_OBJ_FRAME,		/* 4 KiB page */
	HL_OBJ_FRAME_2M,	/* 2 MiB page */
	HL_OBJ_IRQ_CONTROL,	/* authority to create IRQ handlers */
	HL_OBJ_IRQ_HANDLER,	/* one interrupt line */
	HL_OBJ_IOPORT_CONTROL,	/* authority to create I/O port caps */
	HL_OBJ_IOPORT,		/* a range of I/O ports */
	HL_OBJ_CONSOLE,		/* the kernel console, for early output */
	HL_OBJ_TRACE_CONTROL,	/* the trace ring and the probe switches */
	HL_OBJ_ASID_CONTROL,	/* authority to make ASID pools */
	HL_OBJ_ASID_POOL,	/* address-space ids to give VSpaces (4 KiB, made by ASIDControl) */
	HL_OBJ_TIMER,		/* signals a notification after a delay, and every period */
	HL_OBJ_COUNT
};

/* log2 of object sizes in bytes (CNode: per slot; size_bits gives the slot count). */
#define HL_SLOT_BITS		6	/* one capability slot: 64 bytes */
#define HL_TCB_BITS		11
#define HL_ENDPOINT_BITS	5
#define HL_NOTIFICATION_BITS	5
#define HL_REPLY_BITS		5
#define HL_TIMER_BITS		6
#define HL_PAGE_BITS		12	/* VSpace, PDPT, PD, PT, Frame */
#define HL_LARGE_PAGE_BITS	21	/* Frame 2M */
#define HL_UNTYPED_MIN_BITS	4
#define HL_UNTYPED_MAX_BITS	47
#define HL_CNODE_MIN_BITS	1	/* radix: at least 2 slots */
#define HL_CNODE_MAX_BITS	20

/* Rights, carried by each capability. A right removed when a capability is
 * derived (mint) never comes back below it. */
#define HL_R_READ	(1u << 0)	/* endpoint: receive; notification: wait; frame: map readable */
#define HL_R_WRITE	(1u << 1)	/* endpoint: send; notification: signal; frame: map writable */
#define HL_R_GRANT	(1u << 2)	/* endpoint: send capabilities */
#define HL_R_DEBUG	(1u << 3)	/* TCB: debug operations (observability ABI) */
#define HL_R_TRACE	(1u << 4)	/* TCB: switch tracing on (observability ABI) */
#define HL_R_CONFIGURE	(1u << 5)	/* TCB: what it runs on, where its faults go, its scheduling */
#define HL_R_ALL	0x3Fu

#endif
