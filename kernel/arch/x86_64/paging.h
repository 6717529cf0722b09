/* paging.h: x86_64 page-table entry bits and the kernel's root table. */
#ifndef ARCH_PAGING_H
#define ARCH_PAGING_H

#include <stdint.h>

#define PTE_P	(1ULL << 0)
#define PTE_W	(1ULL << 1)
#define PTE_U	(1ULL << 2)
#define PTE_PWT	(1ULL << 3)
#define PTE_PCD	(1ULL << 4)
#define PTE_A	(1ULL << 5)
#define PTE_D	(1ULL << 6)
#define PTE_PS	(1ULL << 7)
#define PTE_G	(1ULL << 8)
/* Ignored by the MMU, ours: the frame cap that made this mapping had WRITE,
 * so a debugger may write the page even when it is mapped read-only (code). */
#define PTE_CAP_W (1ULL << 9)
#define PTE_NX	(1ULL << 63)
#define PTE_ADDR 0x000FFFFFFFFFF000ULL
#define LARGE_PAGE_SIZE 0x200000ULL

/* Physical address of the kernel's PML4 (its upper half is shared by every VSpace). */
uint64_t paging_kernel_root(void);

#endif
