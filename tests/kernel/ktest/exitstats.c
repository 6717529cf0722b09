/*
 * exitstats.c: HL_SYS_EXIT (the fault endpoint hears HL_FAULT_EXIT with the
 * code, and a reply does not bring the thread back) and the kernel
 * counters frame (HL_CAP_STATS): read-only, consistent with BootInfo and
 * HL_UNTYPED_INFO, counting what we do.
 */
#include "kt.h"

#define ST_VA 0x5A000000ull

static void ex_exit(uint64_t arg)
{
	hl_exit(arg);
}

static void ex_area_exit(void)
{
	hl_cptr_t ep = kt_new(HL_OBJ_ENDPOINT, 0, "an endpoint");
	struct hl_msg m = { 0, { 0, 0, 0, 0 } };
	struct kt_thread t;
	struct hl_result r;

	if (!ep || !kt_spawn(&t, NULL, ex_exit, 0x77, KT_ROOT_PRIO - 1, ep))
		goto out;
	r = hl_recv(ep, kt_reply, &m);
	kt_ok(r.status == E_OK && hl_msg_label(m.info) == HL_FAULT_EXIT, "exit reaches the fault endpoint as HL_FAULT_EXIT");
	kt_is(m.mr[1], 0x77, "with the exit code in mr1");
	m.info = hl_msginfo(0, 0, 0);
	hl_reply(kt_reply, &m);
	kt_ok(kt_state(t.rt.tcb) != HL_THREAD_RUNNABLE, "a reply does not bring an exited thread back");
	kt_kill(&t);
	if (kt_spawn(&t, NULL, ex_exit, 1, KT_ROOT_PRIO + 1, 0))
		kt_is(kt_state(t.rt.tcb), HL_THREAD_INACTIVE, "a thread without fault endpoint that exits is inactive");
	kt_kill(&t);
out:
	kt_del(ep);
}

/* Free bytes of the RAM Untypeds only (the counter leaves device memory out). */
static uint64_t ex_ram_free(void)
{
	const struct hl_bootinfo *bi = rt_bootinfo;
	uint64_t total = 0;

	for (uint64_t i = 0; i < bi->untyped.count; i++)
		if (!bi->untyped_list[i].is_device)
			total += hl_untyped_info(bi->untyped.first + i, NULL).value;
	return total;
}

static void ex_stats(void)
{
	volatile const struct hl_kstats *k = (volatile const struct hl_kstats *)ST_VA;
	struct vm_tables tabs = { .n = 0 };
	uint64_t yields, refusals, ram;

	kt_is(kt_type(HL_CAP_STATS), HL_OBJ_FRAME, "HL_CAP_STATS is a frame");
	kt_is(hl_frame_map(HL_CAP_STATS, HL_CAP_VSPACE, ST_VA, HL_R_READ | HL_R_WRITE, 0).status, E_PERM,
	      "the stats frame cannot be mapped writable");
	if (!kt_is(vm_map_tables(HL_CAP_STATS, HL_CAP_VSPACE, ST_VA, HL_R_READ, 0, &tabs), E_OK,
		   "map the stats frame read-only"))
		return;
	kt_is(k->magic, HL_STATS_MAGIC, "stats magic");
	kt_is(k->ncpus, 1, "one CPU");
	kt_is(k->tsc_hz, rt_bootinfo->tsc_hz, "tsc_hz as in BootInfo");
	ram = ex_ram_free();
	kt_is(k->free_untyped_bytes, ram, "free_untyped_bytes matches HL_UNTYPED_INFO over the RAM Untypeds");
	yields = k->cpu[0].syscalls[HL_SYS_YIELD];
	refusals = k->cpu[0].refusals;
	for (int i = 0; i < 10; i++)
		hl_yield();
	hl_poll(KT_EMPTY);
	kt_is(k->cpu[0].syscalls[HL_SYS_YIELD] - yields, 10, "10 yields counted");
	kt_is(k->cpu[0].refusals - refusals, 1, "one refused call counted");
	kt_ok(k->cpu[0].timer_ticks > 0 && k->cpu[0].context_switches > 0, "timer ticks and context switches counted");
	/* The generation word is gone: each counter is one aligned word now. */
	kt_is((int64_t)k->reserved, 0, "the reserved word (once generation) reads 0");
	hl_frame_unmap(HL_CAP_STATS);
	vm_tables_free(&tabs);
}

void kt_area_exitstats(void)
{
	ex_area_exit();
	ex_stats();
}
