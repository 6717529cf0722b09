/*
 * crt0.S: entry of a root task and of the threads it makes.
 *
 * The kernel enters _start with rdi = the BootInfo page and rsp inside its
 * 64 KiB stack. We zero bss (in case the loader did not), move to
 * rt_root_stack, whose alignment lets rt_tls() find per-thread state from
 * rsp, and run rt_start (rt_console.c), which calls main and rt_exit.
 */
	.section .text.entry, "ax"
	.globl _start
_start:
	mov	%rdi, %r15			/* callee-saved across the loop */
	lea	__bss_start(%rip), %rdi
	lea	__bss_end(%rip), %rcx
	sub	%rdi, %rcx
	shr	$3, %rcx
	xor	%eax, %eax
	rep stosq
	lea	rt_root_stack(%rip), %rsp
	add	$0x4000, %rsp			/* RT_STACK_SIZE */
	xor	%ebp, %ebp
	mov	%r15, %rdi
	call	rt_start
1:	hlt					/* not reached: rt_start ends the run */
	jmp	1b

/* Threads start here with rdi = arg, rsi = fn, rsp = top of their stack. */
	.text
	.globl rt_thread_entry
rt_thread_entry:
	xor	%ebp, %ebp
	call	*%rsi
	call	rt_thread_exit
2:	jmp	2b

	.bss
	.balign 0x4000
	.globl rt_root_stack
rt_root_stack:
	.skip	0x4000

	.section .note.GNU-stack, "", @progbits
