/*
 * ko.h: shared parts of kobs, the in-OS test suite of Helios'
 * observability ABI (helios/trace.h, helios/stats.h, the debug methods of
 * helios/invoke.h). Areas: stats.c (the counters page), trace.c (the ring,
 * probes, groups, user probes, lost records), debug.c (a debugger in one
 * address space driving a target in another). main.c runs them between a
 * leak baseline and the kernel's own invariant check (kt_run_areas). The
 * object and thread helpers are the ones ktest uses (common/kt_util.h).
 */
#ifndef KO_H
#define KO_H

#include <helios/trace.h>
#include <helios/stats.h>
#include "rt.h"
#include "kt_suite.h"
#include "kt_tap.h"
#include "kt_util.h"

#define D RT_DEPTH
#define CN HL_CAP_CNODE

/* Virtual addresses the areas use in the root VSpace (the runtime keeps
 * below 0x40000000 for the image and 0x40000000.. for thread areas). */
#define KO_STATS_VA	0x60000000ull
#define KO_RING_VA	0x61000000ull	/* up to HL_TRACE_MAX_FRAMES pages */
#define KO_UPAGE_VA	0x62000000ull
#define KO_SCRATCH_VA	0x63000000ull

void ko_area_stats(void);
void ko_area_trace(void);
void ko_area_debug(void);

/* A Reply object for the root thread's receives (made before the baseline). */
extern hl_cptr_t ko_reply;

/* The thread's id (HL_TCB_INFO), 0 on error. */
uint64_t ko_thread_id(hl_cptr_t tcb);

/* Invocation helpers for the observability methods. */
struct hl_result ko_call(hl_cptr_t obj, uint64_t label, unsigned n, uint64_t a0, uint64_t a1,
			 uint64_t a2, uint64_t a3);
/* HL_SYS_PROBE(id, a0..a3). */
struct hl_result ko_probe(uint64_t id, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3);

/* The trace ring as the consumer sees it (ko_util.c). */
struct ko_ring {
	hl_cptr_t frames[HL_TRACE_MAX_FRAMES];
	unsigned n;
	struct hl_trace_header *hdr;
	uint64_t capacity;
};
/* Makes n frames, maps them at KO_RING_VA and attaches them as the ring. */
int64_t ko_ring_attach(struct ko_ring *r, unsigned n);
/* Detaches the ring and frees its frames. */
void ko_ring_free(struct ko_ring *r);
/* Record number seq (since the ring was attached). */
const struct hl_trace_record *ko_ring_at(const struct ko_ring *r, uint64_t seq);
/* Marks everything written so far as consumed. */
void ko_ring_drain(struct ko_ring *r);
/* Switches every kernel probe off. */
void ko_probes_off(void);

#endif
