/*
 * kfuzz: the syscall fuzzer, a root task printing TAP.
 *
 * The root thread builds the world (world.c: KF_CHILDREN address spaces,
 * each with its own CNode and KF_PER_CHILD workers, victims, and a stock of
 * caps of every type), then supervises: each sweep
 * (once per tick of its clock, tick.c, one priority above the workers)
 * drains the fault endpoint (a worker that faulted or exited), restarts
 * workers that are stopped, blocked or starved, refills the children's
 * stock, and yields. When the calls or the seconds asked for are done it
 * stops the workers, prints the coverage matrix and its checks (cover.c),
 * checks the oracles (the read-only canary frame, the rights oracle) and
 * the kernel's invariants, tears everything down and checks that every
 * Untyped byte and root slot came back.
 *
 * Command line: kfuzz.seed=N (default 1); kfuzz.calls=N (default 100000;
 * 0 = no limit); kfuzz.secs=S (default 0 = no limit; guest seconds). With
 * neither limit it runs until stopped, printing progress.
 */
#include <mercury/string.h>

#include "kf.h"
#include "kt_tap.h"

static struct kf_world world;

static uint64_t kf_arg(const char *key, uint64_t def)
{
	char buf[24];

	return rt_cmdline_get(key, buf, sizeof(buf)) ? strtoull(buf, NULL, 0) : def;
}

static uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static uint64_t total_calls(void)
{
	uint64_t n = 0;

	for (unsigned w = 0; w < KF_WORKERS; w++)
		n += world.w[w].page->done;
	return n;
}

static unsigned row_of(const char *name)
{
	for (unsigned k = 0; k < kf_nrows; k++) {
		const char *a = kf_rows[k].name, *b = name;
		while (*a && *a == *b)
			a++, b++;
		if (!*a && !*b)
			return k;
	}
	return 0;
}

/* Faults and exits of workers reach the supervisor's fault endpoint; it
 * takes them without a Reply, which leaves the worker stopped. An exit is
 * the E_OK of its row (the call never returns to count it). */
static void drain_faults(void)
{
	static unsigned exit_row;
	struct hl_msg m = { 0, { 0, 0, 0, 0 } };
	struct hl_result r;

	if (!exit_row)
		exit_row = row_of("SYS_EXIT");
	while ((r = hl_nbrecv(world.fep, 0, &m)).status == E_OK) {
		uint64_t w = r.value - 1;
		world.faults_seen++;
		if (w >= KF_WORKERS)
			continue;
		if (hl_msg_label(m.info) == HL_FAULT_EXIT && world.w[w].page->last_row == exit_row) {
			world.w[w].page->cov[exit_row][E_OK]++;
			world.w[w].exits++;
		}
		world.w[w].want_restart = 1;
	}
}

/* Restarts workers that faulted, or made no call for two ticks and are
 * stopped, blocked or starved (or spin for half a second: corrupted code). */
static void check_workers(void)
{
	for (unsigned w = 0; w < KF_WORKERS; w++) {
		struct kf_worker *k = &world.w[w];
		struct hl_tcb_info info;

		if (k->page->done != k->last_done) {
			k->last_done = k->page->done;
			k->still = 0;
		} else {
			k->still++;
		}
		if (!k->want_restart && k->still < 2)
			continue;
		if (!k->want_restart && k->still < 500 &&
		    hl_tcb_info(k->t.tcb, &info).status == E_OK && info.state == HL_THREAD_RUNNABLE &&
		    info.priority == KF_PRIO)
			continue;	/* ready at full priority: its turn will come */
		kf_restart(&world, w);
	}
}

/* What the kernel counted meanwhile: evidence of the paths reached. */
static void kernel_counts(const struct hl_cpu_stats *before)
{
	const struct hl_cpu_stats *now = &((const struct hl_kstats *)KF_STATS_VA)->cpu[0];
	static const char *const fault[] = { "", "page", "gp", "ud", "de", "breakpoint", "other",
					     "step", "watch", "exit" };
	char line[300];
	int n = rt_snprintf(line, sizeof(line), "# kfuzz kernel: %lu IPC messages, %lu signals, %lu "
			    "switches; faults:", (unsigned long)(now->ipc_messages - before->ipc_messages),
			    (unsigned long)(now->notifications - before->notifications),
			    (unsigned long)(now->context_switches - before->context_switches));

	for (unsigned f = 1; f < sizeof(fault) / sizeof(fault[0]) && n < (int)sizeof(line); f++)
		n += rt_snprintf(line + n, sizeof(line) - n, " %s %lu", fault[f],
				 (unsigned long)(now->faults[f] - before->faults[f]));
	rt_printf("%s\n", line);
}

static void report(uint64_t t0, uint64_t hz, const char *what)
{
	uint64_t calls = total_calls(), restarts = 0, ms = (rdtsc() - t0) / (hz / 1000 ? hz / 1000 : 1);
	uint64_t refills = 0, revokes = 0;

	for (unsigned w = 0; w < KF_WORKERS; w++)
		restarts += world.w[w].restarts;
	for (unsigned c = 0; c < KF_CHILDREN; c++) {
		refills += world.child[c].refills;
		revokes += world.child[c].stock_revokes;
	}
	/* On a line of its own: the workers' console writes leave no newline. */
	rt_printf("\n# kfuzz %s: %lu calls in %lu ms guest time (%lu calls/s), %lu worker restarts, "
		  "%lu faults and exits, %lu victim starts, %lu refills, %lu stock revokes\n", what,
		  (unsigned long)calls, (unsigned long)ms, (unsigned long)(ms ? calls * 1000 / ms : 0),
		  (unsigned long)restarts, (unsigned long)world.faults_seen,
		  (unsigned long)world.victim_starts, (unsigned long)refills, (unsigned long)revokes);
}

/* Supervises until the calls or the time asked for are done; returns 1 then. */
static int supervise(uint64_t calls, uint64_t secs)
{
	uint64_t hz = rt_bootinfo->tsc_hz, t0 = rdtsc(), next_refill = t0, next_report = t0;
	uint64_t end = secs ? t0 + secs * hz : 0, refill_every = hz / 50, report_every = 10 * hz;

	for (;;) {
		uint64_t now = rdtsc();

		if ((calls && total_calls() >= calls) || (end && now >= end))
			break;
		drain_faults();
		check_workers();
		if (now >= next_refill) {
			for (unsigned c = 0; c < KF_CHILDREN; c++)
				kf_refill(&world, c);
			next_refill = now + refill_every;
		}
		if (now >= next_report) {
			if (next_report != t0)
				report(t0, hz, "progress");
			next_report = now + report_every;
		}
		kf_tick_wait();
	}
	kf_stop_all(&world);
	report(t0, hz, "done");
	return 1;
}

int main(const struct hl_bootinfo *bi)
{
	uint64_t seed = kf_arg("kfuzz.seed", 1), calls = kf_arg("kfuzz.calls", 100000);
	uint64_t secs = kf_arg("kfuzz.secs", 0);
	uint64_t free0 = obj_untyped_free(), slots0 = slot_count_empty(), viol = 0;
	struct hl_result chk;

	(void)bi;
	rt_printf("# kfuzz: seed %lu, %lu calls, %lu s (kfuzz.seed=, kfuzz.calls=, kfuzz.secs=; 0 = no "
		  "limit): %u address spaces, %u workers, %u rows\n", (unsigned long)seed,
		  (unsigned long)calls, (unsigned long)secs, KF_CHILDREN, KF_WORKERS, kf_nrows);
	hl_console_debug(HL_CAP_CONSOLE, 1);	/* explain any refusal while building */
	int bad = kf_world_build(&world, seed);
	hl_console_debug(HL_CAP_CONSOLE, 0);
	if (!kt_is(bad, 0, "build the world: %u children, each with its CNode, VSpace, %u workers "
		   "and a stock of every cap type", KF_CHILDREN, KF_PER_CHILD))
		return kt_done();
	hl_tcb_set_priority(HL_CAP_TCB, HL_CAP_TCB, KF_PRIO + 1);
	struct hl_cpu_stats before = ((const struct hl_kstats *)KF_STATS_VA)->cpu[0];
	kt_ok(supervise(calls, secs), "the workers made their calls");
	kernel_counts(&before);
	kf_cover_report(&world);

	for (unsigned w = 0; w < KF_WORKERS; w++) {
		const struct kf_page *p = world.w[w].page;
		viol += p->violations;
		if (p->violations)
			kt_diag("kfuzz: worker %u: %s returned E_OK on a cap with rights 0x%lx (type %lu), "
				"without the rights it needs", w, kf_rows[p->viol_row].name,
				(unsigned long)(p->viol_rights >> 8), (unsigned long)(p->viol_rights & 0xFF));
	}
	kt_is((int64_t)viol, 0, "rights oracle: no call succeeded without the rights its cap needs");
	kt_ok(kf_canary_intact(&world), "the canary frame workers hold read-only is unchanged");
	chk = hl_console_check(HL_CAP_CONSOLE);
	kt_ok(chk.status == E_OK && chk.value == 0, "kernel invariants hold after fuzzing (%lu problems)",
	      (unsigned long)chk.value);

	kt_is(kf_world_destroy(&world), 0, "revoke the arena and delete the children: everything goes");
	kt_is((int64_t)obj_untyped_free(), (int64_t)free0, "no Untyped bytes leaked");
	kt_is((int64_t)slot_count_empty(), (int64_t)slots0, "no slots leaked");
	chk = hl_console_check(HL_CAP_CONSOLE);
	kt_ok(chk.status == E_OK && chk.value == 0, "kernel invariants hold after teardown");
	return kt_done();
}
