/*
 * helios/stats.h: kernel counters, in a frame the holder of the stats cap
 * (HL_CAP_STATS) maps read-only. The kernel updates them as it runs; each
 * counter is one aligned word, so every single read is consistent (one CPU).
 */
#ifndef HELIOS_STATS_H
#define HELIOS_STATS_H

#include <stdint.h>
#include <helios/syscall.h>

#define HL_STATS_MAX_CPUS	1
#define HL_STATS_IRQ_LINES	16
#define HL_STATS_FAULT_TYPES	16

struct hl_cpu_stats {
	uint64_t syscalls[HL_SYS_COUNT];	/* by syscall number */
	uint64_t invocations;			/* object invocations (HL_SYS_CALL on objects) */
	uint64_t ipc_messages;			/* messages delivered through endpoints */
	uint64_t notifications;			/* signals delivered */
	uint64_t context_switches;
	uint64_t irqs[HL_STATS_IRQ_LINES];	/* device interrupts by line */
	uint64_t timer_ticks;
	uint64_t faults[HL_STATS_FAULT_TYPES];	/* by enum hl_fault_type */
	uint64_t idle_cycles;			/* TSC ticks spent waiting for interrupts */
	uint64_t refusals;			/* calls refused with an error */
	uint64_t log_dropped;			/* kernel messages dropped by the rate limit */
};

struct hl_kstats {
	uint64_t magic;				/* HL_STATS_MAGIC */
	uint64_t ncpus;
	uint64_t tsc_hz;
	uint64_t free_untyped_bytes;		/* RAM not yet made into objects: free bytes of every
						   RAM Untyped, a child Untyped counting as free */
	uint64_t reserved;
	struct hl_cpu_stats cpu[HL_STATS_MAX_CPUS];
};

#define HL_STATS_MAGIC 0x5354415453484cull	/* "LHSTATS" */

#endif
