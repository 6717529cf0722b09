/*
 * boot.h: what the boot loader told us, parsed once at entry into static
 * storage (so nothing points back into the loader's memory).
 */
#ifndef KERNEL_BOOT_H
#define KERNEL_BOOT_H

#include <stdint.h>
#include <stdbool.h>

#define BOOT_MAX_REGIONS 64
#define BOOT_MAX_MODULES 8

struct mem_region {
	uint64_t base, end;		/* [base, end) */
};

struct boot_module {
	uint64_t base, end;
	char name[64];
};

struct boot_params {
	struct mem_region usable[BOOT_MAX_REGIONS];	/* sorted, page-aligned, disjoint */
	unsigned nusable;
	uint64_t phys_top;				/* end of the highest usable region */
	struct boot_module modules[BOOT_MAX_MODULES];
	unsigned nmodules;
	bool have_mmap;
};

extern struct boot_params boot;

/* Parses the multiboot information; panics only if the loader is not multiboot. */
void multiboot_parse(uint32_t magic, uint32_t info_phys);

#endif
