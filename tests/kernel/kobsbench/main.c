/*
 * kobsbench: what tracing costs, as a root task (run by kobsbench-run).
 * The command line picks the measure (kobsbench.mode=):
 *
 *   noprobes    booted on build/kernel-noprobes: the cross-address-space
 *               call + reply_recv round trip, timed exactly as kbench does
 *               (median of 20000 after 2000 warm-up, minus the empty timing)
 *               -> ipc_roundtrip_cross_as_noprobes
 *   probes      on the normal kernel, under -icount: the same round trip
 *               with every probe disabled (ipc_roundtrip_cross_as_probes_off),
 *               then with the IPC group on for both threads and the ring
 *               drained between samples (trace_enabled_cost: extra
 *               instructions per record), then with every group on (the
 *               records per round trip = probe sites on the path)
 *   throughput  plain TCG: a producer fires user probes in batches, a
 *               consumer thread drains the mapped ring; records per second
 *               of wall clock (BootInfo tsc_hz) -> trace_ring_throughput
 */
#include <mercury/string.h>
#include <helios/trace.h>

#include "rt.h"
#include "kt_bench.h"
#include "kt_stats.h"

#define KB_SAMPLES 20000
#define KB_WARMUP 2000
#define KB_PRIO 100
#define RING_VA 0x61000000ull
#define UPAGE_VA 0x62000000ull
#define TP_BATCH 2048
#define TP_BATCHES 200

static uint64_t kb_samples[KB_SAMPLES];
static uint64_t kb_overhead;
static hl_cptr_t kb_ep, kb_reply;
static struct hl_trace_header *hdr;
static uint64_t capacity;

/* Times op, keeping the last KB_SAMPLES; drain runs outside the timing. */
#define KB_TIME(op, drain)						\
	do {								\
		for (unsigned i_ = 0; i_ < KB_WARMUP + KB_SAMPLES; i_++) {	\
			uint64_t t0_ = kt_bench_tsc();			\
			op;						\
			uint64_t t1_ = kt_bench_tsc();			\
			drain;						\
			if (i_ >= KB_WARMUP)				\
				kb_samples[i_ - KB_WARMUP] = t1_ - t0_;	\
		}							\
	} while (0)

static uint64_t kb_median(void)
{
	uint64_t med = kt_median(kb_samples, KB_SAMPLES);

	return med > kb_overhead ? med - kb_overhead : 0;
}

static struct hl_result tc(uint64_t label, uint64_t a0, uint64_t a1)
{
	uint64_t a[2] = { a0, a1 };

	return hl_invoke(HL_CAP_TRACE_CONTROL, label, 2, a);
}

static void groups(uint64_t on)
{
	for (uint64_t g = 0; g < HL_TRACE_GROUP_COUNT; g++)
		tc(HL_TRACE_ENABLE_GROUP, g, on);
}

/* A ring of n frames mapped at RING_VA. */
static int ring_attach(unsigned n)
{
	uint64_t a[1 + HL_TRACE_MAX_FRAMES];
	struct hl_result r;

	a[0] = n;
	for (unsigned i = 0; i < n; i++) {
		hl_cptr_t f = obj_alloc(HL_OBJ_FRAME, 0, NULL);
		if (!f || vm_map(f, HL_CAP_VSPACE, RING_VA + 4096ull * i, HL_R_READ | HL_R_WRITE,
				 0))
			return 0;
		a[1 + i] = f;
	}
	r = hl_invoke(HL_CAP_TRACE_CONTROL, HL_TRACE_SET_BUFFER, 1 + n, a);
	hdr = (struct hl_trace_header *)RING_VA;
	capacity = r.value;
	return r.status == E_OK;
}

#define ROUND_TRIP (m.info = hl_msginfo(1, 0, 0), hl_call(kb_ep, &m))

static int mode_roundtrip(int probes)
{
	struct rt_space space;
	struct rt_thread t;
	struct hl_msg m = { 0, { 0, 0, 0, 0 } };
	uint64_t off, on, h0, per_ipc, per_all;

	if (rt_space_create(&space) != E_OK ||
	    rt_thread_create(&t, &space, kt_bench_server, kb_ep | kb_reply << 16, KB_PRIO, 0, 0) != E_OK) {
		rt_printf("# kobsbench: cannot make the server\n");
		return 1;
	}
	if (probes) {
		groups(0);
		hl_tcb_op(t.tcb, HL_TCB_SET_TRACE, 1, 1);
		hl_tcb_op(HL_CAP_TCB, HL_TCB_SET_TRACE, 1, 1);
		if (!ring_attach(HL_MSG_MAX - 1)) {
			rt_printf("# kobsbench: cannot attach the ring\n");
			return 1;
		}
	}
	rt_thread_start(&t);
	KB_TIME(ROUND_TRIP, (void)0);
	off = kb_median();
	if (!probes) {
		rt_printf("bench ipc_roundtrip_cross_as_noprobes %lu instructions n=%u\n", (unsigned long)off,
			  KB_SAMPLES);
		return 0;
	}
	rt_printf("bench ipc_roundtrip_cross_as_probes_off %lu instructions n=%u\n", (unsigned long)off,
		  KB_SAMPLES);
	tc(HL_TRACE_ENABLE_GROUP, HL_TRACE_GROUP_IPC, 1);
	h0 = hdr->head;
	ROUND_TRIP;
	per_ipc = hdr->head - h0;
	KB_TIME(ROUND_TRIP, hdr->tail = hdr->head);
	on = kb_median();
	groups(1);
	hdr->tail = hdr->head;
	h0 = hdr->head;
	ROUND_TRIP;
	per_all = hdr->head - h0;
	groups(0);
	rt_printf("# kobsbench: IPC probes on: round trip %lu instructions, %lu records per round trip, "
		  "lost %lu\n", (unsigned long)on, (unsigned long)per_ipc, (unsigned long)hdr->lost);
	rt_printf("bench trace_enabled_cost %lu instructions n=%u\n",
		  (unsigned long)(per_ipc && on > off ? (on - off) / per_ipc : 0), KB_SAMPLES);
	rt_printf("bench trace_roundtrip_probe_sites %lu sites\n", (unsigned long)per_all);
	return per_ipc == 0;
}

static volatile uint64_t tp_consumed, tp_bad;
static volatile int tp_stop;

/* The consumer: reads every record in [tail, head), checks the sequence
 * numbers the producer put in arg0, gives the slots back. */
static void tp_consumer(uint64_t arg)
{
	uint64_t expect = 0;

	(void)arg;
	while (!tp_stop) {
		uint64_t head = hdr->head, tail = hdr->tail;
		for (; tail < head; tail++) {
			const struct hl_trace_record *r = (const struct hl_trace_record *)
				(RING_VA + HL_TRACE_RECORD_SIZE * hl_trace_slot(tail, capacity));
			tp_bad += r->arg[0] != expect++;
		}
		hdr->tail = tail;
		tp_consumed = expect;
		hl_yield();
	}
}

static int mode_throughput(const struct hl_bootinfo *bi)
{
	struct rt_thread t;
	hl_cptr_t up = obj_alloc(HL_OBJ_FRAME, 0, NULL);
	volatile const uint8_t *bits = (volatile const uint8_t *)UPAGE_VA;
	uint64_t seq = 0, t0, t1, n = (uint64_t)TP_BATCH * TP_BATCHES;

	if (!up || !ring_attach(HL_MSG_MAX - 1) ||
	    tc(HL_TRACE_SET_USER_PAGE, up, 0).status != E_OK ||
	    vm_map(up, HL_CAP_VSPACE, UPAGE_VA, HL_R_READ, 0) != E_OK ||
	    tc(HL_TRACE_ENABLE_USER, 1, 1).status != E_OK ||
	    rt_thread_create(&t, NULL, tp_consumer, 0, KB_PRIO, 0, 0) != E_OK) {
		rt_printf("# kobsbench: cannot set up the throughput run\n");
		return 1;
	}
	hl_tcb_set_priority(HL_CAP_TCB, HL_CAP_TCB, KB_PRIO);	/* round robin with the consumer */
	hl_tcb_op(HL_CAP_TCB, HL_TCB_SET_TRACE, 1, 1);
	rt_thread_start(&t);
	t0 = kt_bench_tsc();
	while (seq < n) {
		for (unsigned i = 0; i < TP_BATCH; i++, seq++) {
			struct hl_msg m = { 0, { seq, 0, 0, 0 } };
			if (bits[0] & 2)	/* the user probe's enable bit: a load and a branch */
				hl_sys(HL_SYS_PROBE, 1, 0, &m);
		}
		hl_yield();
	}
	while (tp_consumed < n && hdr->lost == 0)
		hl_yield();
	t1 = kt_bench_tsc();
	tp_stop = 1;
	rt_printf("# kobsbench: %lu records drained in %lu TSC ticks (tsc_hz %lu), %lu out of sequence, "
		  "%lu lost\n", (unsigned long)tp_consumed, (unsigned long)(t1 - t0), (unsigned long)bi->tsc_hz,
		  (unsigned long)tp_bad, (unsigned long)hdr->lost);
	rt_printf("bench trace_ring_throughput %lu records/s\n",
		  (unsigned long)(tp_consumed * bi->tsc_hz / (t1 - t0)));
	return tp_bad || hdr->lost;
}

int main(const struct hl_bootinfo *bi)
{
	char mode[16];

	if (!rt_cmdline_get("kobsbench.mode", mode, sizeof(mode)))
		strcpy(mode, "probes");
	kb_ep = obj_alloc(HL_OBJ_ENDPOINT, 0, NULL);
	kb_reply = obj_alloc(HL_OBJ_REPLY, 0, NULL);
	if (!kb_ep || !kb_reply)
		return 1;
	rt_printf("# kobsbench: mode %s, tsc_hz %lu\n", mode, (unsigned long)bi->tsc_hz);
	KB_TIME((void)0, (void)0);
	kb_overhead = kt_median(kb_samples, KB_SAMPLES);
	if (!strcmp(mode, "noprobes"))
		return mode_roundtrip(0);
	if (!strcmp(mode, "probes"))
		return mode_roundtrip(1);
	if (!strcmp(mode, "throughput"))
		return mode_throughput(bi);
	rt_printf("# kobsbench: unknown mode %s\n", mode);
	return 1;
}
