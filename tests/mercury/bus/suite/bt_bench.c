/*
 * bt_bench.c: `bus.bench=1` on the command line makes the suite measure
 * instead: bus_lookup (one call to the bus and the badged copy it mints
 * and sends), median of BT_BENCH_N, in TSC ticks (instructions under
 * tools/qemu-run --icount). The slot is emptied between lookups, outside
 * the timed part.
 */
#include "bt.h"
#include "kt_bench.h"
#include "kt_stats.h"

#define BT_BENCH_N 201

static const char *const rules[] = { "register log by logd", "lookup log by *", NULL };

int bt_bench(void)
{
	static uint64_t t[BT_BENCH_N];
	hl_cptr_t ep = kt_new(HL_OBJ_ENDPOINT, 0, "endpoint"), got = rt_slot_alloc();
	int bad = 0;

	if (!bt_start(rules, 2) || bus_register(bt.logd, "log", ep) != E_OK)
		return 1;
	for (unsigned i = 0; i < BT_BENCH_N; i++) {
		uint64_t t0 = kt_bench_tsc();

		bad |= bus_lookup(bt.fs, "log", got) != E_OK;
		t[i] = kt_bench_tsc() - t0;
		hl_cnode_delete(HL_CAP_CNODE, got, 64);
	}
	if (bad)
		return 1;
	rt_printf("bench bus_lookup %lu instructions\n", (unsigned long)kt_median(t, BT_BENCH_N));
	bt_stop();
	kt_del(ep);
	rt_slot_free(got);
	return 0;
}
