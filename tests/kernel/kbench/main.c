/*
 * kbench: kernel microbenchmarks as a root task.
 *
 * Each figure is the median over KB_SAMPLES timed iterations (after
 * KB_WARMUP untimed ones) of the TSC difference around one operation,
 * minus the median of an empty timing (two back-to-back reads), so under
 * QEMU's -icount shift=0 (TSC = instructions retired) it is the exact
 * instruction count of the path. With kbench.unit=ns on the command line
 * the figures are converted to nanoseconds with BootInfo's tsc_hz and
 * named *_ns (the plain-TCG run of tests/kernel/kbench/kbench-run).
 *
 *   null_syscall            HL_SYS_NULL
 *   ipc_roundtrip_same_as   call + reply_recv, server thread in our VSpace
 *   ipc_roundtrip_cross_as  the same with the server in a second VSpace
 *   notification_roundtrip  signal + wait against a partner doing wait + signal
 *   yield_switch            one yield that switches to another thread (half
 *                           of a yield round trip between two threads)
 */
#include <mercury/string.h>

#include "rt.h"
#include "kt_bench.h"
#include "kt_stats.h"

#define KB_SAMPLES 20000
#define KB_WARMUP 2000
#define KB_PRIO 100

static uint64_t kb_samples[KB_SAMPLES];
static uint64_t kb_overhead;
static int kb_ns;
static hl_cptr_t kb_ep, kb_reply, kb_ping, kb_pong;

/* Prints one figure: median of the samples minus the timing overhead,
 * divided by div (for figures that time several operations). */
static void kb_report(const char *name, unsigned div)
{
	uint64_t med = kt_median(kb_samples, KB_SAMPLES);

	med = med > kb_overhead ? med - kb_overhead : 0;
	med /= div;
	if (kb_ns)
		rt_printf("bench %s_ns %lu ns n=%u\n", name,
			  (unsigned long)(med * 1000000000ull / rt_bootinfo->tsc_hz), KB_SAMPLES);
	else
		rt_printf("bench %s %lu instructions n=%u\n", name, (unsigned long)med, KB_SAMPLES);
}

/* Times op KB_WARMUP + KB_SAMPLES times, keeping the last KB_SAMPLES. */
#define KB_TIME(op)							\
	do {								\
		for (unsigned i_ = 0; i_ < KB_WARMUP + KB_SAMPLES; i_++) {	\
			uint64_t t0_ = kt_bench_tsc();			\
			op;						\
			uint64_t t1_ = kt_bench_tsc();			\
			if (i_ >= KB_WARMUP)				\
				kb_samples[i_ - KB_WARMUP] = t1_ - t0_;	\
		}							\
	} while (0)

static void kb_pinger(uint64_t arg)
{
	(void)arg;
	for (;;) {
		hl_wait(kb_ping);
		hl_signal(kb_pong);
	}
}

static void kb_yielder(uint64_t arg)
{
	(void)arg;
	for (;;)
		hl_yield();
}

static int kb_ipc(struct rt_space *space, const char *name)
{
	struct rt_thread t;
	struct hl_msg m = { 0, { 0, 0, 0, 0 } };

	if (rt_thread_create(&t, space, kt_bench_server, kb_ep | kb_reply << 16, KB_PRIO, 0, 0) != E_OK ||
	    rt_thread_start(&t) != E_OK) {
		rt_printf("# kbench: cannot start the %s server\n", name);
		return 1;
	}
	KB_TIME((m.info = hl_msginfo(1, 0, 0), hl_call(kb_ep, &m)));
	kb_report(name, 1);
	rt_thread_destroy(&t);
	return 0;
}

static int kb_thread(void (*fn)(uint64_t), const char *name, unsigned div,
		     void (*op)(void))
{
	struct rt_thread t;

	if (rt_thread_create(&t, NULL, fn, 0, KB_PRIO, 0, 0) != E_OK || rt_thread_start(&t) != E_OK) {
		rt_printf("# kbench: cannot start the %s partner\n", name);
		return 1;
	}
	KB_TIME(op());
	kb_report(name, div);
	rt_thread_destroy(&t);
	return 0;
}

static void kb_notify_op(void)
{
	hl_signal(kb_ping);
	hl_wait(kb_pong);
}

static void kb_yield_op(void)
{
	hl_yield();
}

int main(const struct hl_bootinfo *bi)
{
	char buf[8];
	struct rt_space space;
	int fails = 0;

	kb_ns = rt_cmdline_get("kbench.unit", buf, sizeof(buf)) && !strcmp(buf, "ns");
	kb_ep = obj_alloc(HL_OBJ_ENDPOINT, 0, NULL);
	kb_reply = obj_alloc(HL_OBJ_REPLY, 0, NULL);
	kb_ping = obj_alloc(HL_OBJ_NOTIFICATION, 0, NULL);
	kb_pong = obj_alloc(HL_OBJ_NOTIFICATION, 0, NULL);
	if (!kb_ep || !kb_reply || !kb_ping || !kb_pong) {
		rt_printf("# kbench: cannot make its objects\n");
		return 1;
	}
	rt_printf("# kbench: tsc_hz %lu, %u samples after %u warm-up, unit %s\n",
		  (unsigned long)bi->tsc_hz, KB_SAMPLES, KB_WARMUP, kb_ns ? "ns" : "instructions");
	KB_TIME((void)0);
	kb_overhead = kt_median(kb_samples, KB_SAMPLES);
	rt_printf("# kbench: timing overhead %lu ticks (subtracted)\n", (unsigned long)kb_overhead);

	KB_TIME(hl_null());
	kb_report("null_syscall", 1);
	fails += kb_ipc(NULL, "ipc_roundtrip_same_as");
	if (rt_space_create(&space) == E_OK)
		fails += kb_ipc(&space, "ipc_roundtrip_cross_as");
	else
		fails++;
	rt_space_destroy(&space);
	fails += kb_thread(kb_pinger, "notification_roundtrip", 1, kb_notify_op);
	fails += kb_thread(kb_yielder, "yield_switch", 2, kb_yield_op);
	return fails != 0;
}
