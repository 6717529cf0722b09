/*
 * kt_bench.c: the benchmarks' IPC server (see kt_bench.h).
 */
#include "rt.h"
#include "kt_bench.h"

void kt_bench_server(uint64_t arg)
{
	hl_cptr_t ep = arg & 0xFFFF, reply = arg >> 16;
	struct hl_msg m = { 0, { 0, 0, 0, 0 } };

	hl_recv(ep, reply, &m);
	for (;;) {
		m.info = hl_msginfo(0, 0, 0);
		hl_reply_recv(ep, reply, &m);
	}
}
