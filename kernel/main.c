/*
 * main.c: Helios starts here, called by boot.S in long mode on the boot
 * stack. Each line below is one step of bringing the machine up.
 */
#include "arch.h"
#include "boot.h"
#include "frame.h"
#include "initrd.h"
#include "irq.h"
#include "syscall.h"
#include "ipc.h"
#include "kernel.h"
#include "kexit.h"
#include "root.h"
#include "sched.h"
#include "selftest.h"
#include "stats.h"
#include "timer.h"

static void banner(void)
{
	uint64_t now = arch_cycles();

	kprintf("Helios microkernel (Ares) for x86_64\n");
	kprintf("boot: banner after %lu TSC ticks since kernel entry, %lu since reset "
		"(instructions under -icount)\n", now - boot_tsc, now);
}

static void memory_summary(void)
{
	struct frame_stats s;

	for (unsigned i = 0; i < boot.nusable; i++)
		kprintf("memory: usable [0x%012lx, 0x%012lx) %lu KiB\n", boot.usable[i].base,
			boot.usable[i].end, (boot.usable[i].end - boot.usable[i].base) >> 10);
	frame_get_stats(&s);
	kprintf("memory: %lu KiB usable, %lu KiB reserved, %lu KiB free\n", s.usable >> 10,
		s.reserved >> 10, s.free >> 10);
}

void irq_timer_tick(void)
{
	STAT(timer_ticks)++;
	timer_tick();
	sched_tick();
}

void kmain(uint32_t mb_magic, uint32_t mb_info)
{
	arch_console_init();			/* COM1, so every later step can report */
	banner();
	multiboot_parse(mb_magic, mb_info);	/* command line, memory map, modules */
	kprintf("cmdline: %s\n", cmdline_all());
	arch_cpu_init();			/* GDT, TSS, IDT: exceptions now dump */
	frame_init();				/* boot-time frame allocator */
	arch_paging_init(boot.phys_top);	/* direct map and kernel image, own tables */
	memory_summary();
	arch_timer_init(TIMER_HZ);		/* PIT-calibrated LAPIC tick */
	initrd_init();				/* find and list the initrd */
	if (cmdline_has("crash"))
		selftest_crash(cmdline_get("crash"));
	if (cmdline_has("selftest"))
		selftest_run();
	hl_debug = cmdline_has("hl_debug");	/* log every refused call with its reason */
	arch_user_init();			/* syscall entry, per-CPU block, FPU */
	stats_init();				/* the counters page */
	if (root_task_start())			/* all remaining authority to user space */
		kernel_exit();
	kprintf("helios: nothing more to do; idle\n");
	if (cmdline_has("poweroff"))		/* tests: end the run once booted */
		arch_debug_exit(0);
	for (;;)
		arch_idle();
}
