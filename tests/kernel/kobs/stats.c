/*
 * stats.c: the kernel counters page (HL_CAP_STATS): mapped read-only, its
 * header, syscall and invocation counters moving by exactly the calls we
 * make, free_untyped_bytes following a retype and a revoke, and a write
 * to it faulting.
 */
#include "ko.h"

static volatile const struct hl_kstats *ks = (const struct hl_kstats *)KO_STATS_VA;

static void st_writer(uint64_t arg)
{
	*(volatile uint64_t *)arg = 1;
}

static void st_counters(void)
{
	const volatile struct hl_cpu_stats *c = &ks->cpu[0];
	uint64_t n0 = c->syscalls[HL_SYS_NULL], y0 = c->syscalls[HL_SYS_YIELD];
	uint64_t call0, inv0, sw0;
	struct hl_tcb_info info;

	for (int i = 0; i < 10; i++)
		hl_null();
	kt_is((int64_t)(c->syscalls[HL_SYS_NULL] - n0), 10, "stats: 10 null syscalls count 10");
	for (int i = 0; i < 5; i++)
		hl_yield();
	kt_is((int64_t)(c->syscalls[HL_SYS_YIELD] - y0), 5, "stats: 5 yields count 5");
	call0 = c->syscalls[HL_SYS_CALL];
	inv0 = c->invocations;
	for (int i = 0; i < 7; i++)
		hl_tcb_info(HL_CAP_TCB, &info);
	call0 = c->syscalls[HL_SYS_CALL] - call0;	/* read both before printing (a console call) */
	inv0 = c->invocations - inv0;
	kt_is((int64_t)call0, 7, "stats: 7 invocations count 7 calls");
	kt_is((int64_t)inv0, 7, "stats: and 7 invocations");
	sw0 = c->context_switches;
	kt_settle();
	kt_ok(c->context_switches >= sw0, "stats: context switches never go back (%lu)",
	      (unsigned long)c->context_switches);
	kt_ok(c->timer_ticks > 0, "stats: timer ticks are counted (%lu)", (unsigned long)c->timer_ticks);
	/* The generation word is gone: each counter is one aligned word now. */
	kt_is((int64_t)ks->reserved, 0, "stats: the reserved word (once generation) reads 0");
}

/* free_untyped_bytes falls by a retype and comes back on revoke. */
static void st_untyped(void)
{
	uint64_t s0 = ks->free_untyped_bytes, t0 = obj_untyped_free(), s1, s2;
	hl_cptr_t u = kt_new(HL_OBJ_UNTYPED, 16, "a 64 KiB Untyped"), f = slot_alloc();

	if (!u || !f)
		goto out;
	s1 = ks->free_untyped_bytes;
	/* A new Untyped is still free memory: the counter loses only the padding
	 * that aligned it, i.e. what the boot Untypeds lost minus its 64 KiB. */
	kt_is((int64_t)(s0 - s1), (int64_t)(t0 - obj_untyped_free()) - 65536,
	      "stats: a child Untyped's bytes stay free; only its alignment padding leaves free_untyped_bytes");
	kt_is(hl_untyped_retype(u, HL_OBJ_FRAME, 0, CN, f, D, 1).status, E_OK,
	      "stats: retype a frame from the new Untyped");
	s2 = ks->free_untyped_bytes;
	kt_is((int64_t)(s1 - s2), 4096, "stats: free_untyped_bytes fell by the 4096 bytes retyped");
	kt_is(hl_cnode_revoke(CN, u, D).status, E_OK, "stats: revoke the Untyped");
	kt_is((int64_t)(ks->free_untyped_bytes - s2), 4096, "stats: after revoke the 4096 bytes are free again");
out:
	slot_free(f);
	kt_del(u);
}

static void st_write_faults(hl_cptr_t ep)
{
	struct kt_thread t;
	struct hl_msg m = { 0, { 0, 0, 0, 0 } };
	struct hl_result r;

	if (!kt_spawn(&t, NULL, st_writer, KO_STATS_VA + 64, KT_ROOT_PRIO - 1, ep))
		return;
	r = hl_recv(ep, ko_reply, &m);
	kt_is(r.status, E_OK, "stats: a thread writing the page faults");
	kt_is(hl_msg_label(m.info), HL_FAULT_PAGE, "stats: a page fault");
	kt_is(m.mr[1], KO_STATS_VA + 64, "stats: at the address written");
	kt_ok((m.mr[2] & 3) == 3, "stats: a write to a present page (error 0x%lx)", (unsigned long)m.mr[2]);
	kt_kill(&t);
}

void ko_area_stats(void)
{
	hl_cptr_t ep = kt_new(HL_OBJ_ENDPOINT, 0, "an endpoint");
	hl_cptr_t rw = kt_mint(HL_CAP_STATS, HL_R_ALL, 0);

	kt_is(hl_frame_map(HL_CAP_STATS, HL_CAP_VSPACE, KO_STATS_VA, HL_R_READ | HL_R_WRITE, 0).status,
	      E_PERM, "stats: mapping the counters page writable: E_PERM");
	if (rw)
		kt_is(hl_frame_map(rw, HL_CAP_VSPACE, KO_STATS_VA, HL_R_READ | HL_R_WRITE, 0).status,
		      E_PERM, "stats: a copy minted with all rights is still read-only: E_PERM");
	if (!kt_is(hl_frame_map(HL_CAP_STATS, HL_CAP_VSPACE, KO_STATS_VA, HL_R_READ, 0).status, E_OK,
		   "stats: map the counters page read-only"))
		goto out;
	kt_is((int64_t)ks->magic, (int64_t)HL_STATS_MAGIC, "stats: magic");
	kt_is((int64_t)ks->ncpus, 1, "stats: one CPU");
	kt_is((int64_t)ks->tsc_hz, (int64_t)rt_bootinfo->tsc_hz, "stats: tsc_hz as in BootInfo");
	kt_ok(ks->free_untyped_bytes > 0, "stats: free_untyped_bytes %lu", (unsigned long)ks->free_untyped_bytes);
	st_counters();
	st_untyped();
	if (ep)
		st_write_faults(ep);
	kt_ok(ks->cpu[0].faults[HL_FAULT_PAGE] >= 1, "stats: the page fault is counted by type");
	hl_frame_unmap(HL_CAP_STATS);
out:
	slot_free(rw);
	kt_del(ep);
}
