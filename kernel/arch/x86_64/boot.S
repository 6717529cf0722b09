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

/* CPUID 0x80000001 EDX: NX (20), long mode (29). Not SYSCALL (11): Intel
 * CPUs report it only to 64-bit code, and every 64-bit CPU has it there. */
#define CPUID_EXT_NEEDED ((1 << 20) | (1 << 29))
/* CPUID 1 EDX: TSC (4), MSR (5), PAE (6), APIC (9), FXSR (24), SSE (25), SSE2 (26). */
#define CPUID_STD_NEEDED ((1 << 4) | (1 << 5) | (1 << 6) | (1 << 9) | (1 << 24) | (1 << 25) | (1 << 26))

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

	/*
	 * The CPU must have what the kernel uses before it can say anything:
	 * without long mode or NX the EFER write below raises #GP on a real
	 * CPU (QEMU's TCG drops the bit instead, and NX page bits then become
	 * reserved ones), and either way the machine resets in silence. Check
	 * CPUID, and say what is missing.
	 */
	movl $PHYS(no_cpu_ext), %esi
	movl $0x80000000, %eax
	cpuid
	cmpl $0x80000001, %eax
	jb no_cpu
	movl $PHYS(no_cpu_lm), %esi
	movl $0x80000001, %eax
	cpuid
	andl $CPUID_EXT_NEEDED, %edx
	cmpl $CPUID_EXT_NEEDED, %edx
	jne no_cpu
	movl $PHYS(no_cpu_std), %esi
	movl $1, %eax
	cpuid
	andl $CPUID_STD_NEEDED, %edx
	cmpl $CPUID_STD_NEEDED, %edx
	jne no_cpu

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

	/* Prints the string at esi on COM1, reports failure to QEMU's
	 * debug-exit port (nothing elsewhere) and stops. */
no_cpu:
	movw $0x3FD, %dx		/* line status: wait for an empty transmitter */
1:	inb %dx, %al
	testb $0x20, %al
	jz 1b
	movb (%esi), %al
	testb %al, %al
	jz 2f
	movw $0x3F8, %dx
	outb %al, %dx
	incl %esi
	jmp no_cpu
2:	movb $1, %al
	outb %al, $0xF4
3:	hlt
	jmp 3b

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

no_cpu_ext:	.asciz "Helios: this CPU has no CPUID leaf 0x80000001 (no long mode); stopping\r\n"
no_cpu_lm:	.asciz "Helios: this CPU lacks long mode or NX (CPUID 0x80000001 EDX bits 29, 20); stopping\r\n"
no_cpu_std:	.asciz "Helios: this CPU lacks TSC, MSR, PAE, APIC, FXSR, SSE or SSE2 (CPUID 1 EDX); stopping\r\n"

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
