/*
 * The bus's in-OS suite: names, policy, waits and timeouts, a crashing
 * server, and a generated interface round trip over a real endpoint, each
 * an area with its own bus and leak check (tests/kernel/common/kt_suite.c).
 */
#include "bt.h"

static const struct kt_area areas[] = {
	{ "names", bt_area_names },
	{ "policy", bt_area_policy },
	{ "wait", bt_area_wait },
	{ "crash", bt_area_crash },
};

int main(const struct hl_bootinfo *bi)
{
	if (rt_cmdline_get("bus.bench", (char[4]){ 0 }, 4))
		return bt_bench();
	rt_printf("# bustest: tsc %lu Hz, cmdline '%s'\n", (unsigned long)bi->tsc_hz, bi->cmdline);
	return kt_run_areas(areas, sizeof(areas) / sizeof(areas[0]));
}
