/*
 * ktest: the in-OS test suite of Helios, a root task printing TAP (after
 * seL4's sel4test). Each area exercises one kind of object or mechanism,
 * its successes and each documented error; around the whole run we count
 * free Untyped bytes and empty slots, and any difference is a leak.
 * Finally the kernel checks its own invariants (HL_CONSOLE_CHECK).
 */
#include "kt.h"

static const struct {
	const char *name;
	void (*run)(void);
} areas[] = {
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
};

hl_cptr_t kt_reply;
int kt_debug;

int main(const struct hl_bootinfo *bi)
{
	uint64_t free0, slots0, free1, slots1;
	struct hl_result chk;

	rt_printf("# ktest: %lu untypeds, %lu empty slots from %lu, cmdline '%s'\n",
		  (unsigned long)bi->untyped.count, (unsigned long)bi->empty.count,
		  (unsigned long)bi->empty.first, bi->cmdline);
	kt_debug = rt_cmdline_get("ktest.debug", (char[4]){ 0 }, 4) != NULL;
	hl_console_debug(HL_CAP_CONSOLE, kt_debug);
	kt_reply = rt_obj_alloc_keep(HL_OBJ_REPLY, 0, NULL);
	free0 = rt_untyped_free_total();
	slots0 = rt_empty_slots();
	kt_diag("before: %lu bytes free in Untypeds, %lu empty slots", (unsigned long)free0,
		(unsigned long)slots0);
	for (unsigned i = 0; i < sizeof(areas) / sizeof(areas[0]); i++) {
		uint64_t f = rt_untyped_free_total(), s = rt_empty_slots();

		kt_diag("area %s", areas[i].name);
		areas[i].run();
		kt_is((int64_t)(rt_untyped_free_total() - f), 0, "area %s: no Untyped bytes leaked", areas[i].name);
		kt_is((int64_t)(rt_empty_slots() - s), 0, "area %s: no slots leaked", areas[i].name);
	}
	free1 = rt_untyped_free_total();
	slots1 = rt_empty_slots();
	kt_diag("after: %lu bytes free in Untypeds, %lu empty slots", (unsigned long)free1,
		(unsigned long)slots1);
	kt_is((int64_t)free1, (int64_t)free0, "leak check: free Untyped bytes unchanged by the suite");
	kt_is((int64_t)slots1, (int64_t)slots0, "leak check: empty slots unchanged by the suite");
	chk = hl_console_check(HL_CAP_CONSOLE);
	kt_is(chk.status, E_OK, "kernel invariant check runs");
	kt_is((int64_t)chk.value, 0, "kernel invariant check finds no problem");
	return kt_done();
}
