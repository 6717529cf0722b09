/*
 * helios/bootinfo.h: what the root task is given. Its CNode has fixed
 * slots for the caps every root task needs; the BootInfo page (address in
 * rdi at entry) describes the rest: Untyped regions, the initrd frames,
 * the free slot range.
 */
#ifndef HELIOS_BOOTINFO_H
#define HELIOS_BOOTINFO_H

#include <stdint.h>

/* Fixed slots in the root task's CNode. Slot 0 of every CNode is never used. */
enum hl_root_slot {
	HL_CAP_NULL = 0,
	HL_CAP_CNODE,		/* the root CNode itself */
	HL_CAP_VSPACE,		/* the root task's VSpace */
	HL_CAP_TCB,		/* the root task's thread (all rights) */
	HL_CAP_IRQ_CONTROL,
	HL_CAP_IOPORT_CONTROL,
	HL_CAP_CONSOLE,
	HL_CAP_IPC_BUFFER,	/* frame of the root thread's IPC buffer */
	HL_CAP_BOOTINFO,	/* frame of this page */
	HL_CAP_TRACE_CONTROL,	/* tracing: ring buffer, probe switches (helios/trace.h) */
	HL_CAP_STATS,		/* read-only frame of kernel counters (helios/stats.h) */
	HL_CAP_ASID_CONTROL,	/* makes ASID pools from Untyped */
	HL_CAP_ASID_POOL,	/* the pool the root VSpace's id came from (256 ids) */
	HL_CAP_FIRST_FREE_FIXED	/* first slot after the fixed ones */
};

#define HL_BOOTINFO_MAGIC	0x4F464E49544F4F42ull	/* "BOOTINFO" */
#define HL_BOOTINFO_MAX_UNTYPED	128
#define HL_ROOT_CNODE_BITS	12	/* 4096 slots */

struct hl_slot_range {
	uint64_t first, count;		/* slots [first, first + count) */
};

struct hl_untyped_desc {
	uint64_t paddr;
	uint8_t size_bits;
	uint8_t is_device;		/* device memory: can only become frames */
	uint8_t pad[6];
};

struct hl_bootinfo {
	uint64_t magic;
	uint64_t ipc_buffer;		/* vaddr of the root thread's IPC buffer */
	uint64_t tsc_hz;		/* calibrated TSC frequency */
	uint64_t root_cnode_bits;	/* radix of the root CNode */
	struct hl_slot_range untyped;	/* Untyped caps, described by untyped_list */
	struct hl_slot_range image_frames;	/* frames of the root task's own image and stack */
	struct hl_slot_range paging;	/* page tables the kernel built for the root task */
	struct hl_slot_range initrd_frames;	/* the initrd, mapped read-only at initrd_vaddr */
	struct hl_slot_range empty;	/* free slots */
	uint64_t initrd_vaddr, initrd_size;
	uint64_t cmdline_len;
	char cmdline[512];
	struct hl_untyped_desc untyped_list[HL_BOOTINFO_MAX_UNTYPED];
};

/* Where the kernel maps things in the root task's address space. */
#define HL_ROOT_STACK_TOP	0x0000000080000000ull	/* 64 KiB stack below this */
#define HL_ROOT_STACK_SIZE	0x10000ull
#define HL_ROOT_BOOTINFO	0x0000000080001000ull
#define HL_ROOT_IPC_BUFFER	0x0000000080003000ull
#define HL_ROOT_INITRD		0x0000000100000000ull

#endif
