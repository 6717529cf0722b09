/*
 * kt_suite.c: runs a suite's areas between leak baselines (see kt_suite.h).
 */
#include "rt.h"
#include "kt_suite.h"
#include "kt_tap.h"

/* Runs one area and checks that it gave back every byte and slot it took. */
static void run_area(const struct kt_area *a)
{
	uint64_t f = obj_untyped_free(), s = slot_count_empty();

	kt_diag("area %s", a->name);
	a->run();
	kt_is((int64_t)(obj_untyped_free() - f), 0, "area %s: no Untyped bytes leaked", a->name);
	kt_is((int64_t)(slot_count_empty() - s), 0, "area %s: no slots leaked", a->name);
}

int kt_run_areas(const struct kt_area *areas, unsigned n)
{
	uint64_t free0, slots0, free1, slots1;
	struct hl_result chk;

	free0 = obj_untyped_free();
	slots0 = slot_count_empty();
	kt_diag("before: %lu bytes free in Untypeds, %lu empty slots", (unsigned long)free0,
		(unsigned long)slots0);
	for (unsigned i = 0; i < n; i++)
		run_area(&areas[i]);
	free1 = obj_untyped_free();
	slots1 = slot_count_empty();
	kt_diag("after: %lu bytes free in Untypeds, %lu empty slots", (unsigned long)free1,
		(unsigned long)slots1);
	kt_is((int64_t)free1, (int64_t)free0, "leak check: free Untyped bytes unchanged by the suite");
	kt_is((int64_t)slots1, (int64_t)slots0, "leak check: empty slots unchanged by the suite");
	chk = hl_console_check(HL_CAP_CONSOLE);
	kt_is(chk.status, E_OK, "kernel invariant check runs");
	kt_is((int64_t)chk.value, 0, "kernel invariant check finds no problem");
	return kt_done();
}
