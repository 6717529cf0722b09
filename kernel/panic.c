/*
 * panic.c: the end of the line for a broken kernel invariant. Prints the
 * reason and a symbolized backtrace, reports failure to QEMU's debug-exit
 * device (so a test run ends at once) and halts.
 */
#include <stdarg.h>
#include "arch.h"
#include "kernel.h"

void panic(const char *fmt, ...)
{
	va_list ap;

	arch_irq_disable();
	kprintf("\nPANIC: ");
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
	kprintf("\n");
	ksym_print_backtrace(0, (uint64_t)__builtin_frame_address(0));
	arch_debug_exit(1);
	arch_halt();
}
