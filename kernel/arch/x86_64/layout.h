/*
 * layout.h: the kernel's virtual memory layout (see docs/memory.md).
 * Shared by assembly and C.
 */
#ifndef ARCH_LAYOUT_H
#define ARCH_LAYOUT_H

/* Kernel image: linked at KERNEL_BASE + its physical load address (1 MiB). */
#define KERNEL_BASE	0xFFFFFFFF80000000
#define KERNEL_PHYS	0x100000

/* Every physical byte is mapped at DIRECT_MAP + paddr. */
#define DIRECT_MAP	0xFFFF800000000000

/* User space is the lower half, below this address. */
#define USER_TOP	0x0000800000000000

#endif
