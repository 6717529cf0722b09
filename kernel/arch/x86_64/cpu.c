/*
 * cpu.c: boot-CPU set-up and the small machine services of arch.h.
 */
#include <helios/debugexit.h>

#include "cpu.h"
#include "gdt.h"
#include "trap.h"
#include "../../arch.h"
#include "../../kernel.h"

#define CR4_UMIP (1ULL << 11)
#define CR4_SMEP (1ULL << 20)
#define CR4_SMAP (1ULL << 21)

/*
 * Protections the CPU offers, when it has them: SMEP (the kernel never runs
 * user pages), SMAP (nor touches them: it reaches user memory only through
 * the direct map; entries clear RFLAGS.AC) and UMIP (user code cannot read
 * the descriptor-table registers: sgdt and friends fault).
 */
static void protect(void)
{
	uint32_t r[4];
	uint64_t cr4 = read_cr4();

	cpuid(0, 0, r);
	if (r[0] < 7)
		return;
	cpuid(7, 0, r);
	if (r[1] & (1u << 7))
		cr4 |= CR4_SMEP;
	if (r[1] & (1u << 20))
		cr4 |= CR4_SMAP;
	if (r[2] & (1u << 2))
		cr4 |= CR4_UMIP;
	write_cr4(cr4);
	kprintf("cpu: SMEP %s, SMAP %s, UMIP %s (cr4 0x%lx)\n", cr4 & CR4_SMEP ? "on" : "absent",
		cr4 & CR4_SMAP ? "on" : "absent", cr4 & CR4_UMIP ? "on" : "absent", cr4);
}

/* Descriptor tables, exception vectors, and the CPU features Helios relies on. */
void arch_cpu_init(void)
{
	gdt_init();
	idt_init();
	write_cr4(read_cr4() | (1 << 9) | (1 << 10));	/* OSFXSR, OSXMMEXCPT for user SSE */
	protect();
}

void arch_debug_exit(int failed)
{
	outb(HL_DEBUG_EXIT_PORT, failed ? HL_DEBUG_EXIT_FAIL : HL_DEBUG_EXIT_OK);
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
