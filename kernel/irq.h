/* irq.h: interrupt dispatch between the arch layer and the kernel proper. */
#ifndef KERNEL_IRQ_H
#define KERNEL_IRQ_H

#include <stdint.h>

#define IRQ_LINES 16		/* legacy ISA lines, through the 8259 */

/* Called by the trap layer for every non-exception vector. */
void irq_dispatch(uint64_t vector);
/* Called on every timer tick, after the interrupt is acknowledged. */
void irq_timer_tick(void);
/* A device line fired (already acknowledged at the controller and masked). */
void irq_line_raised(unsigned line);

struct notification;
void irq_forget_notification(struct notification *n);

/* The interrupt controller, for the IRQ objects. */
void arch_irq_mask(unsigned line);
void arch_irq_unmask(unsigned line);

#endif
