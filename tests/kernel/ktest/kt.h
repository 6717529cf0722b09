/*
 * kt.h: shared helpers of the in-OS kernel test suite (ktest).
 *
 * Each area (one file each) is a function run by main.c in order; an area
 * makes its own objects and deletes them all, so kt_run_areas (common/
 * kt_suite.c) can compare free Untyped memory and empty slots around each
 * area and the whole suite. Object and thread helpers: common/kt_util.h.
 */
#ifndef KT_H
#define KT_H

#include "rt.h"
#include "kt_suite.h"
#include "kt_tap.h"
#include "kt_util.h"

#define D RT_DEPTH
#define CN HL_CAP_CNODE
#define KT_EMPTY 4094	/* a slot the runtime never hands out before the last */

/* The areas, in the order main.c runs them. */
void kt_area_console(void);
void kt_area_untyped(void);
void kt_area_cnode(void);
void kt_area_tcb(void);
void kt_area_endpoint(void);
void kt_area_reply(void);
void kt_area_notification(void);
void kt_area_vspace(void);
void kt_area_faults(void);
void kt_area_ioport(void);
void kt_area_irq(void);
void kt_area_sched(void);
void kt_area_exitstats(void);
void kt_area_debug(void);
void kt_area_trace(void);
void kt_area_review(void);
void kt_area_timer(void);

/* A Reply object for the root thread's receives (made before the leak baseline). */
extern hl_cptr_t kt_reply;
/* 1 when the command line asked for the kernel's refusal log (ktest.debug=1). */
extern int kt_debug;

/* Type of the slot's cap (HL_OBJ_NULL when empty). */
static inline uint64_t kt_type(hl_cptr_t slot)
{
	struct hl_result r = hl_cnode_identify(CN, slot, D, NULL);

	return r.status == E_OK ? (r.value & 0xFF) : HL_OBJ_NULL;
}

/* 1 when status is one of the two accepted codes. */
static inline int kt_either(int64_t st, int64_t a, int64_t b)
{
	return st == a || st == b;
}

#endif
