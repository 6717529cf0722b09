/*
 * kobs: the in-OS test suite of Helios' observability: kernel counters,
 * tracepoints and the trace ring, and debug IPC. A root task printing TAP,
 * run by tests/qemu/kobs.t. As ktest does, it counts free Untyped bytes
 * and empty slots around each area and the whole run, and ends with the
 * kernel's invariant check (HL_CONSOLE_CHECK).
 */
#include "ko.h"

static const struct {
	const char *name;
	void (*run)(void);
} areas[] = {
	{ "stats", ko_area_stats },
	{ "trace", ko_area_trace },
	{ "debug", ko_area_debug },
};

hl_cptr_t ko_reply;

/* The page tables of the areas' fixed addresses, made once for the run
 * (before the baseline) so that mapping there later costs no memory. */
static int prepare_tables(void)
{
	static const uint64_t va[] = { KO_STATS_VA, KO_RING_VA, KO_UPAGE_VA, KO_SCRATCH_VA };
	hl_cptr_t f = rt_obj_alloc_keep(HL_OBJ_FRAME, 0, NULL);
	int ok = f != 0;

	for (unsigned i = 0; ok && i < sizeof(va) / sizeof(va[0]); i++) {
		ok = rt_map(f, HL_CAP_VSPACE, va[i], HL_R_READ, 0, NULL) == E_OK;
		hl_frame_unmap(f);
	}
	return ok;
}

int main(const struct hl_bootinfo *bi)
{
	uint64_t free0, slots0, free1, slots1;
	struct hl_result chk;
	char buf[4];

	rt_printf("# kobs: %lu untypeds, %lu empty slots, cmdline '%s'\n",
		  (unsigned long)bi->untyped.count, (unsigned long)bi->empty.count, bi->cmdline);
	hl_console_debug(HL_CAP_CONSOLE, rt_cmdline_get("kobs.debug", buf, sizeof(buf)) != NULL);
	ko_reply = rt_obj_alloc_keep(HL_OBJ_REPLY, 0, NULL);
	ko_root_prio(KO_PRIO);
	kt_ok(ko_reply && prepare_tables(), "setup: a Reply object and the page tables of the test addresses");
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
