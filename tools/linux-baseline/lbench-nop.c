/*
 * lbench-nop: the program linux_spawn_exit spawns. It calls exit_group(0)
 * and nothing else, with no libc start-up, so the bench measures the
 * kernel's spawn, exec, exit and wait paths rather than glibc's
 * initialisation (built with -static -nostdlib).
 */
#include <sys/syscall.h>

void _start(void);

/* Entry point from the kernel; does not return. */
void _start(void)
{
	__asm__ volatile("syscall" : : "a"(SYS_exit_group), "D"(0) : "rcx", "r11", "memory");
	__builtin_unreachable();
}
