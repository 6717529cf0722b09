/*
 * traps.S: the 256 interrupt and exception entry stubs.
 *
 * Each stub pushes an error code (a zero where the CPU pushes none) and its
 * vector, then trap_common saves every general register into a struct
 * trap_frame (trap.h) and calls trap_dispatch(frame). Entries from user mode
 * swap in the kernel's GS base.
 */
#include "gdt.h"

/* Vectors for which the CPU pushes an error code. */
#define HAS_ERROR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

	.text
	.globl trap_common
trap_common:
	/* Flags as the kernel wants them: AC clear (SMAP holds even when user
	 * code set AC before an interrupt), DF clear, TF clear. */
	pushq $2
	popfq
	testb $3, 24(%rsp)		/* saved CS: from user mode? */
	jz 1f
	swapgs
1:	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, %rdi
	/* A frame-pointer link to the interrupted code, so backtraces cross traps. */
	pushq 136(%rsp)			/* rip */
	pushq %rbp
	movq %rsp, %rbp
	call trap_dispatch
	addq $16, %rsp
	.globl trap_return
trap_return:
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	addq $16, %rsp			/* vector, error code */
	testb $3, 8(%rsp)
	jz 2f
	swapgs
2:	iretq

/* arch_call_on_stack(top, fn, a, b, c): fn(a, b, c) on the stack ending at
 * top; fn does not return. */
	.globl arch_call_on_stack
arch_call_on_stack:
	movq %rdi, %rsp
	movq %rsi, %rax
	movq %rdx, %rdi
	movq %rcx, %rsi
	movq %r8, %rdx
	xorl %ebp, %ebp
	call *%rax
	ud2

.macro stub v
	.align 16
trap_stub_\v:
	.if !HAS_ERROR(\v)
	pushq $0
	.endif
	pushq $\v
	jmp trap_common
.endm

	.align 16
	.globl trap_stubs_start
trap_stubs_start:
.altmacro
.set v, 0
.rept 256
	stub %v
	.set v, v + 1
.endr
