/* trap.h: the register state saved on every interrupt and exception. */
#ifndef ARCH_TRAP_H
#define ARCH_TRAP_H

#include <stdint.h>

struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;	/* pushed by the CPU */
};

#define VEC_DE 0
#define VEC_DB 1
#define VEC_NMI 2
#define VEC_BP 3
#define VEC_UD 6
#define VEC_DF 8
#define VEC_MC 18
#define VEC_GP 13
#define VEC_PF 14
#define VEC_IRQ_BASE 32		/* legacy IRQ 0-15 (PIC remapped, masked) */
#define VEC_TIMER 48		/* LAPIC timer */
#define VEC_SPURIOUS 255

void idt_init(void);
void trap_dispatch(struct trap_frame *f);
/* fn(a, b, c) on the stack ending at top (traps.S); fn must not return. */
__attribute__((noreturn)) void arch_call_on_stack(uint64_t top, void (*fn)(uint64_t, uint64_t, uint64_t),
						  uint64_t a, uint64_t b, uint64_t c);
uint64_t arch_kernel_stack_top(void);
/* Prints the full register dump and backtrace of f. */
void trap_dump(const struct trap_frame *f);

#endif
