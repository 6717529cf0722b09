/*
 * gdt.c: segment descriptors and the TSS for the boot CPU.
 *
 * The order is fixed by syscall/sysret (see STAR in syscall.c): kernel code,
 * kernel data, then an empty slot (where sysret's 32-bit user code would
 * be), user data, user code.
 */
#include <stdint.h>
#include <mercury/string.h>
#include "gdt.h"

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

static uint64_t gdt[GDT_ENTRIES] __attribute__((aligned(16)));
static struct tss tss __attribute__((aligned(16)));

/* One stack per IST slot (gdt.h): a kernel stack overflow still dumps, and
 * #DB, NMI and #MC never run on the stack they interrupted. */
static uint8_t ist_stack[IST_COUNT][8192] __attribute__((aligned(16)));

static void set_tss_descriptor(void)
{
	uint64_t base = (uint64_t)&tss, limit = sizeof(tss) - 1;

	gdt[SEG_TSS >> 3] = (limit & 0xFFFF) | ((base & 0xFFFFFF) << 16) |
			    (0x89ULL << 40) | (((limit >> 16) & 0xF) << 48) |
			    (((base >> 24) & 0xFF) << 56);
	gdt[(SEG_TSS >> 3) + 1] = base >> 32;
}

/* Loads the GDT and TSS and reloads every segment register. */
void gdt_init(void)
{
	struct { uint16_t limit; uint64_t base; } __attribute__((packed)) ptr;

	gdt[SEG_KCODE >> 3] = 0x00209A0000000000;	/* 64-bit, DPL 0 */
	gdt[SEG_KDATA >> 3] = 0x0000920000000000;
	gdt[SEG_UCODE32 >> 3] = 0;	/* sysret's layout needs the slot; empty, or compat-mode
					   syscall would enter ring 0 at CSTAR */
	gdt[SEG_UDATA >> 3] = 0x0000F20000000000;	/* DPL 3 */
	gdt[SEG_UCODE >> 3] = 0x0020FA0000000000;	/* 64-bit, DPL 3 */
	memset(&tss, 0, sizeof(tss));
	for (unsigned i = 0; i < IST_COUNT; i++)
		tss.ist[i] = (uint64_t)(ist_stack[i] + sizeof(ist_stack[i]));
	tss.iomap_base = sizeof(tss);			/* no I/O bitmap: ports need IOPL */
	set_tss_descriptor();

	ptr.limit = sizeof(gdt) - 1;
	ptr.base = (uint64_t)gdt;
	__asm__ volatile(
		"lgdt %0\n\t"
		"pushq %1\n\t"
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"
		"1:\n\t"
		"movw %w2, %%ds\n\t"
		"movw %w2, %%es\n\t"
		"movw %w2, %%ss\n\t"
		"ltr %w3\n\t"
		: : "m"(ptr), "i"((uint64_t)SEG_KCODE), "r"(SEG_KDATA), "r"(SEG_TSS)
		: "rax", "memory");
}

/* Sets the stack the CPU switches to on an interrupt from user mode. */
void gdt_set_kernel_stack(uint64_t rsp0)
{
	tss.rsp[0] = rsp0;
}
