/*
 * arch.h: what the portable kernel needs from the machine. One
 * implementation per architecture, in arch/<name>/.
 */
#ifndef KERNEL_ARCH_H
#define KERNEL_ARCH_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

void arch_console_init(void);
void arch_console_write(const char *s, unsigned long n);

/* Descriptor tables and exception vectors for the boot CPU. */
void arch_cpu_init(void);

/* Builds the kernel's page tables: the image and a direct map of all memory. */
void arch_paging_init(uint64_t phys_top);

/* Maps a device page (uncached) into the direct map and returns its address. */
void *arch_map_device(uint64_t paddr);

/* Calibrates the TSC and LAPIC timer against the PIT and starts the tick. */
void arch_timer_init(unsigned hz);
uint64_t arch_timer_ticks(void);
uint64_t arch_tsc_hz(void);
uint64_t arch_lapic_hz(void);
uint64_t arch_cycles(void);

/* Busy-waits ms milliseconds measured by the PIT (independent of the LAPIC). */
void arch_pit_delay_ms(unsigned ms);

/* Tells QEMU's isa-debug-exit device to end the run (0 = success). Returns if absent. */
void arch_debug_exit(int failed);

void arch_irq_enable(void);
void arch_irq_disable(void);
/* Waits for the next interrupt. */
void arch_idle(void);
/* Stops this CPU for good: interrupts off, halt forever. */
__attribute__((noreturn)) void arch_halt(void);

/* Walks frame pointers from fp, calling fn(ctx, return address) per frame. */
void arch_backtrace(uint64_t fp, void (*fn)(void *ctx, uint64_t pc), void *ctx);

/* User threads: syscall MSRs and per-CPU state; entering a thread (does not return). */
struct tcb;
void arch_user_init(void);
__attribute__((noreturn)) void arch_enter_user(struct tcb *t);
void arch_fpu_forget(struct tcb *t);
/* Returns to t, the thread that just entered, without switching anything. */
__attribute__((noreturn)) void arch_return_same(struct tcb *t);
/* Loads the page-table root at physical cr3 / returns the loaded one. */
void arch_set_root(uint64_t cr3);
uint64_t arch_current_root(void);
/* Reads and clears DR6, the cause of a debug exception. */
uint64_t arch_read_dr6(void);
uint32_t arch_port_access(uint16_t port, unsigned width, bool out, uint32_t value);

#endif
