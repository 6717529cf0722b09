/*
 * rt_console.c: start-up, console output and the end of a run.
 *
 * Output is formatted by Mercury's fmt_vformat into a stack buffer and
 * written through the Console cap in chunks, so a line from one thread
 * usually reaches the console in one piece. The run ends by writing the
 * status to QEMU's isa-debug-exit port (0xF4), through an IOPort cap
 * issued from the IOPortControl cap.
 */
#include <helios/debugexit.h>
#include <mercury/fmt.h>
#include <mercury/string.h>

#include "rt.h"

#define DEBUG_EXIT_PORT HL_DEBUG_EXIT_PORT

const struct hl_bootinfo *rt_bootinfo;

struct hl_ipc_buffer *hl_ipc_buffer(void)
{
	return rt_tls()->ipc;
}

struct con_out {
	char buf[HL_CONSOLE_CHUNK];
	size_t len;
	int total;
};

static void con_flush(struct con_out *o)
{
	if (o->len)
		hl_console_write(HL_CAP_CONSOLE, o->buf, o->len);
	o->len = 0;
}

static void con_sink(void *ctx, const char *s, size_t n)
{
	struct con_out *o = ctx;

	for (size_t i = 0; i < n; i++) {
		if (o->len == sizeof(o->buf))
			con_flush(o);
		o->buf[o->len++] = s[i];
	}
	o->total += (int)n;
}

int rt_vprintf(const char *fmt, va_list ap)
{
	struct con_out o;

	o.len = 0;
	o.total = 0;
	fmt_vformat(con_sink, &o, fmt, ap);
	con_flush(&o);
	return o.total;
}

int rt_printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = rt_vprintf(fmt, ap);
	va_end(ap);
	return n;
}

struct str_out {
	char *p;
	size_t room;
	int total;
};

static void str_sink(void *ctx, const char *s, size_t n)
{
	struct str_out *o = ctx;

	for (size_t i = 0; i < n; i++)
		if (o->room > 1) {
			*o->p++ = s[i];
			o->room--;
		}
	o->total += (int)n;
}

int rt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	struct str_out o = { buf, size, 0 };
	va_list ap;

	va_start(ap, fmt);
	fmt_vformat(str_sink, &o, fmt, ap);
	va_end(ap);
	if (size)
		*o.p = '\0';
	return o.total;
}

void rt_exit(int status)
{
	hl_cptr_t slot = slot_alloc();
	struct hl_result r;

	if (!slot)	/* all used: try the last slot, which rt hands out last */
		slot = (1u << HL_ROOT_CNODE_BITS) - 1;
	r = hl_ioport_control_issue(HL_CAP_IOPORT_CONTROL, DEBUG_EXIT_PORT, DEBUG_EXIT_PORT,
				    HL_CAP_CNODE, slot, RT_DEPTH);
	if (r.status == E_OK)
		r = hl_ioport_out8(slot, DEBUG_EXIT_PORT, status ? HL_DEBUG_EXIT_FAIL : HL_DEBUG_EXIT_OK);
	/* Where the port does nothing (Bochs), tools/bochs-run reads the status here. */
	rt_printf("rt: cannot end the run (status %d) through port 0x%x: error %ld; stopping\n",
		  status ? 1 : 0, DEBUG_EXIT_PORT, (long)r.status);
	for (;;) {
		hl_tcb_suspend(HL_CAP_TCB);
		hl_yield();
	}
}

const char *rt_cmdline_get(const char *key, char *buf, size_t n)
{
	const char *p = rt_bootinfo->cmdline;
	const char *end = p + strnlen(p, sizeof(rt_bootinfo->cmdline));
	size_t klen = strlen(key);

	while (p < end) {
		const char *w = p;

		while (p < end && *p != ' ')
			p++;
		if ((size_t)(p - w) > klen && !memcmp(w, key, klen) && w[klen] == '=') {
			size_t len = (size_t)(p - w) - klen - 1;

			if (len >= n)
				len = n - 1;
			memcpy(buf, w + klen + 1, len);
			buf[len] = '\0';
			return buf;
		}
		while (p < end && *p == ' ')
			p++;
	}
	return NULL;
}

/* Called by crt0 on the root stack: sets up this thread's state, runs main
 * and ends the run with its result. */
void rt_start(const struct hl_bootinfo *bi);
void rt_start(const struct hl_bootinfo *bi)
{
	struct rt_tls *tls = rt_tls();

	tls->magic = RT_TLS_MAGIC;
	tls->ipc = (struct hl_ipc_buffer *)(bi->ipc_buffer ? bi->ipc_buffer : HL_ROOT_IPC_BUFFER);
	tls->tcb = HL_CAP_TCB;
	rt_bootinfo = bi;
	if (bi->magic != HL_BOOTINFO_MAGIC) {
		rt_printf("rt: bad BootInfo magic 0x%lx at %p\n", (unsigned long)bi->magic, (void *)bi);
		rt_exit(1);
	}
	merc_alloc_init(bi);
	if (rt_thread_init() != E_OK)
		rt_printf("rt: no page tables for thread stacks; threads will fail\n");
	rt_exit(main(bi));
}
