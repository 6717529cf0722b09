/* irq.h: interrupt dispatch between the arch layer and the kernel proper. */
#ifndef KERNEL_IRQ_H
#define KERNEL_IRQ_H

#include <stdint.h>

/* Called by the trap layer for every non-exception vector. */
void irq_dispatch(uint64_t vector);
/* Called on every timer tick, after the interrupt is acknowledged. */
void irq_timer_tick(void);

#endif
