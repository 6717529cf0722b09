/* gdt.h: segment selectors and the TSS kernel stack. */
#ifndef ARCH_GDT_H
#define ARCH_GDT_H

#define SEG_KCODE	0x08
#define SEG_KDATA	0x10
#define SEG_UCODE32	0x18
#define SEG_UDATA	0x20
#define SEG_UCODE	0x28
#define SEG_TSS		0x30
#define GDT_ENTRIES	8
/* Interrupt stack table slots: vectors that can arrive on any stack, or on
 * a user-chosen one (#DB held over by MOV SS until syscall_entry, an NMI
 * or #MC there), get a known-good stack of their own. */
#define IST_DOUBLE_FAULT 1
#define IST_NMI		2
#define IST_DEBUG	3
#define IST_MACHINE_CHECK 4
#define IST_COUNT	4

#ifndef __ASSEMBLER__
#include <stdint.h>
void gdt_init(void);
void gdt_set_kernel_stack(uint64_t rsp0);
#endif

#endif
