/*
 * fuzz_backend.h: a small in-memory back end for the trace fuzzers: a few
 * records of several probes, one process whose memory is a 4 KiB image
 * (readable), one without the debug capability, stacks and symbols.
 */
#ifndef TRACE_FUZZ_BACKEND_H
#define TRACE_FUZZ_BACKEND_H

#include <string.h>

#include "trace.h"

static const struct hl_trace_record fuzz_records[] = {
	{ 1000, HL_PROBE_SYSCALL_ENTRY, 0, 6, 5, { 2, 0x1000, 3, 4, 5, 6 } },
	{ 2000, HL_PROBE_IPC_CALL, 1, 5, 5, { 0xffff, 7, 3, 2, 6 } },
	{ 3000, HL_PROBE_SCHED_SWITCH, 0, 3, 0, { 5, 6, 1 } },
	{ 4000, HL_PROBE_SYSCALL_EXIT, 0, 3, 6, { 2, 0, (uint64_t)-5 } },
	{ 5000, HL_TRACE_USER_BASE + 42, 0, 4, 6, { 1, 2, 3, 4 } },
	{ 2000000, HL_PROBE_SYSCALL_ENTRY, 0, 6, 7, { 99, 0x1ff0, 0, 0, 0, 0 } },
};

struct fuzz_ctx {
	size_t next;
	unsigned char mem[4096];
};

static int fuzz_next(void *ctx, struct hl_trace_record *r, char *err, size_t errlen)
{
	struct fuzz_ctx *f = ctx;

	(void)err;
	(void)errlen;
	if (f->next >= sizeof fuzz_records / sizeof fuzz_records[0])
		return 0;
	*r = fuzz_records[f->next++];
	return 1;
}

static int fuzz_proc(void *ctx, uint32_t tid, int64_t *pid, const char **name)
{
	(void)ctx;
	if (tid == 5 || tid == 6) {
		*pid = tid - 3;
		*name = tid == 5 ? "echo" : "server";
		return TR_OK;
	}
	return TR_ENOENT;
}

static int fuzz_read(void *ctx, int64_t pid, uint64_t addr, void *buf, size_t n)
{
	struct fuzz_ctx *f = ctx;

	if (pid != 2)
		return TR_EPERM;
	if (addr < 0x1000 || addr - 0x1000 > sizeof f->mem || n > sizeof f->mem - (addr - 0x1000))
		return TR_EFAULT;
	memcpy(buf, f->mem + (addr - 0x1000), n);
	return TR_OK;
}

static int fuzz_stack(void *ctx, int user, uint64_t *pcs, int max)
{
	(void)ctx;
	for (int i = 0; i < max && i < 3; i++)
		pcs[i] = 0x401000 + (uint64_t)(16 * i + user);
	return max < 3 ? max : 3;
}

static void fuzz_write(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	(void)s;
	(void)n;
}

static void fuzz_error(void *ctx, const char *msg)
{
	(void)ctx;
	(void)msg;
}

/* Runs verified program p over the records above. */
static void fuzz_run(const struct tr_prog *p)
{
	static struct fuzz_ctx f;
	struct tr_backend be = { .ctx = &f, .tsc_hz = 1000000000, .next = fuzz_next,
				 .proc = fuzz_proc, .read_mem = fuzz_read, .stack = fuzz_stack,
				 .write = fuzz_write, .error = fuzz_error };
	struct tr_session *s;

	f.next = 0;
	memset(f.mem, 'a', sizeof f.mem - 1);
	s = tr_session_new(p, &be, 0);
	tr_session_run(s);
	tr_session_free(s);
}

#endif
