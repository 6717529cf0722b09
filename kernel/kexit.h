/* kexit.h: leaving the kernel towards user space. */
#ifndef KERNEL_KEXIT_H
#define KERNEL_KEXIT_H

#include <stdint.h>

/* Chooses a thread and returns to it, idling until there is one. Does not return. */
__attribute__((noreturn)) void kernel_exit(void);
/* A user thread took an exception: deliver it as a fault, then leave. Does not return. */
__attribute__((noreturn)) void user_exception(uint64_t vector, uint64_t error, uint64_t addr);

#endif
