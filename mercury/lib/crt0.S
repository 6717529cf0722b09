/*
 * crt0.S: entry of every Mercury program. rdi holds the kernel's BootInfo
 * (root task) or the start info spawn() wrote (any other process); the
 * stack is the kernel's or the one spawn() mapped. merc_start (start.c)
 * tells them apart, runs main and exits.
 */
	.section .text.entry, "ax"
	.globl _start
	.type _start, @function
_start:
	xor	%ebp, %ebp		/* ends the backtrace's frame chain */
	and	$-16, %rsp
	call	merc_start
	ud2				/* merc_start does not return */
	.size _start, . - _start

	.section .note.GNU-stack, "", @progbits
