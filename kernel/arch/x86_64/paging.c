/*
 * paging.c: the kernel's own page tables. Every physical byte up to the top
 * of memory is mapped at DIRECT_MAP with 2 MiB pages (no-execute); the
 * kernel image is mapped at KERNEL_BASE with 4 KiB pages carrying the
 * right permissions: text read-only and executable, rodata read-only,
 * data and bss writable and no-execute. The boot identity map is dropped.
 */
#include "cpu.h"
#include "layout.h"
#include "paging.h"
#include "../../arch.h"
#include "../../frame.h"
#include "../../kernel.h"

extern const char __image_start[], __text_start[], __text_end[], __image_end[];

static uint64_t *kernel_pml4;
static uint64_t kernel_pml4_phys;

static uint64_t *table_of(uint64_t entry)
{
	return (uint64_t *)(DIRECT_MAP + (entry & PTE_ADDR));
}

/* Returns the entry for va at the given level (3 = PML4 ... 0 = PT),
 * creating the tables above it. */
static uint64_t *walk_create(uint64_t *pml4, uint64_t va, int level)
{
	uint64_t *table = pml4;

	for (int l = 3; l > level; l--) {
		uint64_t *e = &table[(va >> (12 + 9 * l)) & 511];
		if (!(*e & PTE_P)) {
			uint64_t pa = frame_alloc();
			if (!pa)
				panic("paging: out of memory for kernel page tables");
			*e = pa | PTE_P | PTE_W;
		}
		if (*e & PTE_PS)
			panic("paging: 0x%lx already mapped by a large page", va);
		table = table_of(*e);
	}
	return &table[(va >> (12 + 9 * level)) & 511];
}

static void map_image(void)
{
	uint64_t text = (uint64_t)__text_start, text_end = (uint64_t)__text_end;
	extern const char __rodata_end[];

	for (uint64_t va = (uint64_t)__image_start & ~0xFFFULL; va < (uint64_t)__image_end; va += PAGE_SIZE) {
		uint64_t flags = PTE_P | PTE_G;
		if (va < text || va >= text_end)
			flags |= PTE_NX;
		if (va >= (uint64_t)__rodata_end || va < (uint64_t)__text_start)
			flags |= PTE_W;		/* data, bss and the boot section */
		*walk_create(kernel_pml4, va, 0) = (va - KERNEL_BASE) | flags;
	}
}

void arch_paging_init(uint64_t phys_top)
{
	kernel_pml4_phys = frame_alloc();
	kernel_pml4 = (uint64_t *)(DIRECT_MAP + kernel_pml4_phys);
	for (uint64_t pa = 0; pa < ALIGN_UP(phys_top, LARGE_PAGE_SIZE); pa += LARGE_PAGE_SIZE)
		*walk_create(kernel_pml4, DIRECT_MAP + pa, 1) = pa | PTE_P | PTE_W | PTE_PS | PTE_G | PTE_NX;
	map_image();
	write_cr3(kernel_pml4_phys);
}

/* Returns the entry that maps va, at whatever level maps it, or NULL. */
static uint64_t *walk_find(uint64_t *pml4, uint64_t va)
{
	uint64_t *table = pml4;

	for (int l = 3;; l--) {
		uint64_t *e = &table[(va >> (12 + 9 * l)) & 511];
		if (!(*e & PTE_P))
			return NULL;
		if (l == 0 || (*e & PTE_PS))
			return e;
		table = table_of(*e);
	}
}

void *arch_map_device(uint64_t paddr)
{
	uint64_t va = DIRECT_MAP + (paddr & ~0xFFFULL);

	if (!walk_find(kernel_pml4, va)) {
		*walk_create(kernel_pml4, va, 0) = (paddr & ~0xFFFULL) | PTE_P | PTE_W | PTE_PCD |
						   PTE_PWT | PTE_NX | PTE_G;
		invlpg(va);
	}
	return (void *)(DIRECT_MAP + paddr);
}

uint64_t paging_kernel_root(void)
{
	return kernel_pml4_phys;
}
