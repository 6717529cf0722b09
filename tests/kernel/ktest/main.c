/*
 * ktest: the in-OS test suite of Helios, a root task printing TAP (after
 * seL4's sel4test). Each area exercises one kind of object or mechanism,
 * its successes and each documented error. kt_run_areas (common/
 * kt_suite.c) counts free Untyped bytes and empty slots around each area
 * and the whole run, and any difference is a leak; finally the kernel
 * checks its own invariants (HL_CONSOLE_CHECK).
 */
#include "kt.h"

static const struct kt_area areas[] = {
	{ "console and syscalls", kt_area_console },
	{ "untyped", kt_area_untyped },
	{ "cnode", kt_area_cnode },
	{ "tcb", kt_area_tcb },
	{ "endpoint", kt_area_endpoint },
	{ "reply", kt_area_reply },
	{ "notification", kt_area_notification },
	{ "vspace and frames", kt_area_vspace },
	{ "faults", kt_area_faults },
	{ "ioport", kt_area_ioport },
	{ "irq", kt_area_irq },
	{ "sched", kt_area_sched },
	{ "exit and stats", kt_area_exitstats },
	{ "debug", kt_area_debug },
	{ "trace", kt_area_trace },
	{ "timer", kt_area_timer },
	{ "review regressions", kt_area_review },
};

hl_cptr_t kt_reply;
int kt_debug;

int main(const struct hl_bootinfo *bi)
{
	rt_printf("# ktest: %lu untypeds, %lu empty slots from %lu, cmdline '%s'\n",
		  (unsigned long)bi->untyped.count, (unsigned long)bi->empty.count,
		  (unsigned long)bi->empty.first, bi->cmdline);
	kt_debug = rt_cmdline_get("ktest.debug", (char[4]){ 0 }, 4) != NULL;
	hl_console_debug(HL_CAP_CONSOLE, kt_debug);
	kt_reply = obj_alloc_keep(HL_OBJ_REPLY, 0, NULL);
	return kt_run_areas(areas, sizeof(areas) / sizeof(areas[0]));
}
