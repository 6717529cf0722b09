/*
 * entry.S: the syscall entry and the return to user space.
 *
 * Helios runs on one kernel stack per CPU; a thread's user registers live
 * in its TCB (struct user_context, offsets below). syscall_entry stores
 * them there directly, switches to the kernel stack and calls
 * syscall_entry_c, which never returns: the way out is user_return, which
 * loads a context and leaves by sysretq, or by iretq when every register
 * must be restored (the thread was interrupted, or its registers written).
 * GS (kernel): 0 user rsp scratch, 8 kernel stack top, 16 current context.
 */
#include "gdt.h"

#define C_RAX 0
#define C_RBX 8
#define C_RCX 16
#define C_RDX 24
#define C_RSI 32
#define C_RDI 40
#define C_RBP 48
#define C_R8 56
#define C_R9 64
#define C_R10 72
#define C_R11 80
#define C_R12 88
#define C_R13 96
#define C_R14 104
#define C_R15 112
#define C_RIP 120
#define C_RSP 128
#define C_RFLAGS 136
#define C_FULL 152

	.text
	.globl syscall_entry
syscall_entry:
	swapgs
	movq %rsp, %gs:0
	movq %gs:16, %rsp
	movq %rax, C_RAX(%rsp)
	movq %rbx, C_RBX(%rsp)
	movq %rdx, C_RDX(%rsp)
	movq %rsi, C_RSI(%rsp)
	movq %rdi, C_RDI(%rsp)
	movq %rbp, C_RBP(%rsp)
	movq %r8, C_R8(%rsp)
	movq %r9, C_R9(%rsp)
	movq %r10, C_R10(%rsp)
	movq %r12, C_R12(%rsp)
	movq %r13, C_R13(%rsp)
	movq %r14, C_R14(%rsp)
	movq %r15, C_R15(%rsp)
	movq %rcx, C_RIP(%rsp)
	movq %r11, C_RFLAGS(%rsp)
	movq %gs:0, %rcx
	movq %rcx, C_RSP(%rsp)
	movq $0, C_FULL(%rsp)
	movq %gs:8, %rsp
	xorl %ebp, %ebp
	call syscall_entry_c
	ud2

/* Loads every register both ways out share from the context at rdi
 * (not rcx and r11, which sysret takes for rip and rflags; rdi last). */
.macro load_common
	movq C_RAX(%rdi), %rax
	movq C_RBX(%rdi), %rbx
	movq C_RDX(%rdi), %rdx
	movq C_RSI(%rdi), %rsi
	movq C_RBP(%rdi), %rbp
	movq C_R8(%rdi), %r8
	movq C_R9(%rdi), %r9
	movq C_R10(%rdi), %r10
	movq C_R12(%rdi), %r12
	movq C_R13(%rdi), %r13
	movq C_R14(%rdi), %r14
	movq C_R15(%rdi), %r15
.endm

/* user_return(ctx): does not return. Interrupts are off. */
	.globl user_return
user_return:
	cmpq $0, C_FULL(%rdi)
	jne 1f
	load_common
	movq C_RIP(%rdi), %rcx
	movq C_RFLAGS(%rdi), %r11
	movq C_RSP(%rdi), %rsp
	movq C_RDI(%rdi), %rdi
	swapgs
	sysretq
1:	movq $0, C_FULL(%rdi)
	movq %gs:8, %rsp
	pushq $(SEG_UDATA | 3)
	pushq C_RSP(%rdi)
	pushq C_RFLAGS(%rdi)
	pushq $(SEG_UCODE | 3)
	pushq C_RIP(%rdi)
	load_common
	movq C_RCX(%rdi), %rcx
	movq C_R11(%rdi), %r11
	movq C_RDI(%rdi), %rdi
	swapgs
	iretq
