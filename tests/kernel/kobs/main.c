/*
 * kobs: the in-OS test suite of Helios' observability: kernel counters,
 * tracepoints and the trace ring, and debug IPC. A root task printing TAP,
 * run by tests/qemu/kobs.t. As ktest does, it runs its areas through
 * kt_run_areas (common/kt_suite.c), which counts free Untyped bytes and
 * empty slots around each area and the whole run, and ends with the
 * kernel's invariant check (HL_CONSOLE_CHECK).
 */
#include "ko.h"

static const struct kt_area areas[] = {
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
	hl_cptr_t f = obj_alloc_keep(HL_OBJ_FRAME, 0, NULL);
	int ok = f != 0;

	for (unsigned i = 0; ok && i < sizeof(va) / sizeof(va[0]); i++) {
		ok = vm_map(f, HL_CAP_VSPACE, va[i], HL_R_READ, 0) == E_OK;
		hl_frame_unmap(f);
	}
	return ok;
}

int main(const struct hl_bootinfo *bi)
{
	char buf[4];

	rt_printf("# kobs: %lu untypeds, %lu empty slots, cmdline '%s'\n",
		  (unsigned long)bi->untyped.count, (unsigned long)bi->empty.count, bi->cmdline);
	hl_console_debug(HL_CAP_CONSOLE, rt_cmdline_get("kobs.debug", buf, sizeof(buf)) != NULL);
	ko_reply = obj_alloc_keep(HL_OBJ_REPLY, 0, NULL);
	kt_root_prio(KT_ROOT_PRIO);
	kt_ok(ko_reply && prepare_tables(), "setup: a Reply object and the page tables of the test addresses");
	return kt_run_areas(areas, sizeof(areas) / sizeof(areas[0]));
}
