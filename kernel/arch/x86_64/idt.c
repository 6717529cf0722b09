/*
 * idt.c: the interrupt descriptor table. Every vector points at its stub in
 * traps.S (16 bytes apart); the double fault, NMI, #DB and #MC run on
 * stacks of their own (gdt.h).
 */
#include <stdint.h>
#include "gdt.h"
#include "trap.h"

struct idt_gate {
	uint16_t offset_lo, selector;
	uint8_t ist, type;
	uint16_t offset_mid;
	uint32_t offset_hi, reserved;
} __attribute__((packed));

static struct idt_gate idt[256] __attribute__((aligned(16)));
extern const char trap_stubs_start[];

static void set_gate(int v, int ist, int dpl)
{
	uint64_t addr = (uint64_t)trap_stubs_start + 16 * (uint64_t)v;

	idt[v] = (struct idt_gate){
		.offset_lo = addr & 0xFFFF,
		.selector = SEG_KCODE,
		.ist = (uint8_t)ist,
		.type = (uint8_t)(0x8E | (dpl << 5)),	/* present interrupt gate */
		.offset_mid = (addr >> 16) & 0xFFFF,
		.offset_hi = (uint32_t)(addr >> 32),
	};
}

/* Fills and loads the IDT. */
void idt_init(void)
{
	struct { uint16_t limit; uint64_t base; } __attribute__((packed)) ptr;

	for (int v = 0; v < 256; v++)
		set_gate(v, 0, 0);
	set_gate(VEC_DF, IST_DOUBLE_FAULT, 0);
	set_gate(VEC_NMI, IST_NMI, 0);
	set_gate(VEC_DB, IST_DEBUG, 0);
	set_gate(VEC_MC, IST_MACHINE_CHECK, 0);
	set_gate(VEC_BP, 0, 3);		/* int3 is allowed from user mode */
	ptr.limit = sizeof(idt) - 1;
	ptr.base = (uint64_t)idt;
	__asm__ volatile("lidt %0" : : "m"(ptr));
}
