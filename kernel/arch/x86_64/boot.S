/*
 * boot.S: Multiboot (v1) entry, 32- to 64-bit switch, jump to the higher half.
 *
 * QEMU's -kernel loads the flat image (helios.mb) at physical 1 MiB using the
 * a.out kludge addresses below, then enters _start in 32-bit protected mode
 * with paging off, EAX = multiboot magic and EBX = physical address of the
 * multiboot info. We build just enough page tables to run at our link
 * address (identity map of the first 1 GiB for the switch, the same 1 GiB at
 * KERNEL_BASE and at the direct map), enable long mode and call kmain().
 * The real page tables are built in C (paging.c).
 */
#include "layout.h"

#define MB_MAGIC	0x1BADB002
#define MB_FLAGS	((1 << 0) | (1 << 1) | (1 << 16))	/* page-align mods, mem info, a.out kludge */

#define PHYS(sym)	((sym) - KERNEL_BASE)

	.section .multiboot, "a"
	.align 4
mb_header:
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)
	.long PHYS(mb_header)		/* header_addr */
	.long PHYS(__image_start)	/* load_addr */
	.long PHYS(__data_end)		/* load_end_addr */
	.long PHYS(__bss_end)		/* bss_end_addr */
	.long PHYS(_start)		/* entry_addr */

	.section .boot.text, "ax"
	.code32
	.globl _start
_start:
	cli
	movl %eax, PHYS(boot_mb_magic)
	movl %ebx, PHYS(boot_mb_info)
	rdtsc				/* boot time is measured from here */
	movl %eax, PHYS(boot_tsc)
	movl %edx, PHYS(boot_tsc) + 4
	movl $PHYS(boot_stack_top), %esp

	/* PD: 512 x 2 MiB pages covering physical [0, 1 GiB). */
	movl $PHYS(boot_pd), %edi
	xorl %ecx, %ecx
1:	movl %ecx, %eax
	shll $21, %eax
	orl $0x83, %eax			/* present, writable, huge */
	movl %eax, (%edi, %ecx, 8)
	movl $0, 4(%edi, %ecx, 8)
	incl %ecx
	cmpl $512, %ecx
	jne 1b

	/* PDPTs: low/direct map use entry 0, the kernel's uses entry 510. */
	movl $PHYS(boot_pd) + 3, %eax
	movl %eax, PHYS(boot_pdpt_low)
	movl %eax, PHYS(boot_pdpt_high) + 510 * 8

	/* PML4: identity (0), direct map (256), kernel (511). */
	movl $PHYS(boot_pdpt_low) + 3, %eax
	movl %eax, PHYS(boot_pml4)
	movl %eax, PHYS(boot_pml4) + 256 * 8
	movl $PHYS(boot_pdpt_high) + 3, %eax
	movl %eax, PHYS(boot_pml4) + 511 * 8

	movl $PHYS(boot_pml4), %eax
	movl %eax, %cr3
	movl %cr4, %eax
	orl $(1 << 5), %eax		/* PAE */
	movl %eax, %cr4
	movl $0xC0000080, %ecx		/* EFER: long mode, no-execute, syscall */
	rdmsr
	orl $((1 << 8) | (1 << 11) | (1 << 0)), %eax
	wrmsr
	/*
	 * CR0: paging, write protect, protected mode; caches on (CD, NW clear:
	 * some loaders leave them set, which TCG ignores and a real CPU obeys);
	 * the FPU without emulation (EM, TS clear), WAIT obeying TS (MP) and
	 * x87 errors raised as #MF (NE). With NE clear they would go to the
	 * legacy FERR#/IRQ 13 line: TCG drops them, a real CPU waits at the
	 * thread's next x87 instruction for an external interrupt.
	 */
	movl %cr0, %eax
	andl $~((1 << 30) | (1 << 29) | (1 << 3) | (1 << 2)), %eax
	orl $((1 << 31) | (1 << 16) | (1 << 5) | (1 << 1) | 1), %eax
	movl %eax, %cr0

	lgdt PHYS(boot_gdt_ptr)
	ljmp $0x08, $PHYS(long_mode)

	.code64
long_mode:
	movabsq $higher_half, %rax
	jmp *%rax

	.text
higher_half:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	xorw %ax, %ax
	movw %ax, %fs
	movw %ax, %gs
	movabsq $boot_stack_top, %rsp
	xorl %ebp, %ebp			/* ends every backtrace */
	movl boot_mb_magic(%rip), %edi
	movl boot_mb_info(%rip), %esi
	call kmain
1:	cli
	hlt
	jmp 1b

	.section .boot.data, "aw"
	.align 16
boot_gdt:
	.quad 0
	.quad 0x00209A0000000000		/* 64-bit kernel code */
	.quad 0x0000920000000000		/* kernel data */
boot_gdt_end:
boot_gdt_ptr:
	.word boot_gdt_end - boot_gdt - 1
	.long PHYS(boot_gdt)

	.globl boot_mb_magic, boot_mb_info, boot_tsc
	.align 8
boot_tsc:	.quad 0
boot_mb_magic:	.long 0
boot_mb_info:	.long 0

	.section .bss
	.align 4096
	.globl boot_pml4
boot_pml4:	.skip 4096
boot_pdpt_low:	.skip 4096
boot_pdpt_high:	.skip 4096
boot_pd:	.skip 4096
	.globl boot_stack_top
boot_stack:	.skip 16384
boot_stack_top:
