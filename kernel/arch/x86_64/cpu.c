/*
 * cpu.c: boot-CPU set-up and the small machine services of arch.h.
 */
#include "cpu.h"
#include "gdt.h"
#include "trap.h"
#include "../../arch.h"

/* Descriptor tables, exception vectors, and the CPU features Helios relies on. */
void arch_cpu_init(void)
{
	gdt_init();
	idt_init();
	write_cr4(read_cr4() | (1 << 9) | (1 << 10));	/* OSFXSR, OSXMMEXCPT for user SSE */
}

void arch_debug_exit(int failed)
{
	outb(0xF4, failed ? 1 : 0);
}

void arch_irq_enable(void) { irq_enable(); }
void arch_irq_disable(void) { irq_disable(); }

void arch_idle(void)
{
	__asm__ volatile("sti; hlt; cli" : : : "memory");
}

void arch_halt(void)
{
	for (;;) {
		irq_disable();
		cpu_halt();
	}
}

/* Frame layout with -fno-omit-frame-pointer: [fp] = caller's fp, [fp+8] = return address. */
void arch_backtrace(uint64_t fp, void (*fn)(void *ctx, uint64_t pc), void *ctx)
{
	for (int depth = 0; fp && depth < 32; depth++) {
		/* Only follow frames inside kernel memory, aligned: a corrupt
		 * chain must not fault the dumper. */
		if (fp < 0xFFFF800000000000ULL || (fp & 7))
			break;
		uint64_t *frame = (uint64_t *)fp;
		if (!frame[1])
			break;
		fn(ctx, frame[1]);
		if (frame[0] <= fp)
			break;		/* stacks grow down: callers are above */
		fp = frame[0];
	}
}
