/* check.h: the kernel's own invariants, checked on demand (fuzzer, tests). */
#ifndef KERNEL_CHECK_H
#define KERNEL_CHECK_H

/* Checks the derivation list, run queues and IPC queues; logs and counts problems. */
unsigned kernel_check(void);

#endif
