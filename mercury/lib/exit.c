/*
 * exit.c: console output and the end of a program.
 *
 * printf's streams write to the console cap in chunks of one message. A
 * spawned process exits through HL_SYS_EXIT (its parent hears of it as an
 * HL_FAULT_EXIT message); the root task has no parent, so its exit ends
 * the QEMU run through the isa-debug-exit port.
 */
#include <helios/debugexit.h>
#include <mercury/printf.h>
#include <mercury/runtime.h>

#include "runtime_int.h"

#define DEBUG_EXIT_PORT HL_DEBUG_EXIT_PORT

hl_cptr_t merc_console;

static void console_sink(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	while (n && merc_console) {
		size_t k = n < HL_CONSOLE_CHUNK ? n : HL_CONSOLE_CHUNK;

		hl_console_write(merc_console, s, k);
		s += k;
		n -= k;
	}
}

void merc_console_init(void)
{
	print_set_output(PRINT_STDOUT, console_sink, NULL);
	print_set_output(PRINT_STDERR, console_sink, NULL);
}

static void root_exit(int code)
{
	hl_cptr_t slot = slot_alloc();
	struct hl_result r;

	if (!slot)
		slot = (1u << HL_ROOT_CNODE_BITS) - 1;
	r = hl_ioport_control_issue(HL_CAP_IOPORT_CONTROL, DEBUG_EXIT_PORT, DEBUG_EXIT_PORT,
				    HL_CAP_CNODE, slot, MERC_DEPTH);
	if (r.status == E_OK)
		r = hl_ioport_out8(slot, DEBUG_EXIT_PORT, code ? HL_DEBUG_EXIT_FAIL : HL_DEBUG_EXIT_OK);
	print_fprintf(PRINT_STDERR, "exit: cannot end the run through port 0x%x: error %ld\n",
		      DEBUG_EXIT_PORT, (long)r.status);
}

void exit(int code)
{
	if (merc_bootinfo)
		root_exit(code);
	else
		hl_exit((uint64_t)(unsigned)code);
	for (;;) {	/* refused: stop this thread for good */
		hl_tcb_suspend(merc_bootinfo ? HL_CAP_TCB : 0);
		hl_yield();
	}
}
