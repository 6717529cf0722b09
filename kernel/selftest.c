/*
 * selftest.c: the kernel's boot self-tests, printed as TAP on the serial
 * line (`selftest` on the command line). They check what the boot built:
 * memory accounting, the frame allocator, the page tables, the calibrated
 * timer and the embedded symbol table. Host-side tests read the TAP.
 */
#include <mercury/string.h>
#include "arch.h"
#include "arch/x86_64/layout.h"
#include "boot.h"
#include "frame.h"
#include "kernel.h"
#include "selftest.h"
#include "timer.h"
#include "trace.h"

static unsigned tests_run, tests_failed;

static bool check(bool cond, const char *what)
{
	tests_run++;
	if (!cond)
		tests_failed++;
	kprintf("%sok %u - %s\n", cond ? "" : "not ", tests_run, what);
	return cond;
}

static void test_memory_accounting(void)
{
	struct frame_stats s;
	uint64_t map_sum = 0, ranges_sum = 0;
	unsigned n;
	const struct mem_region *r = frame_free_ranges(&n);

	frame_get_stats(&s);
	for (unsigned i = 0; i < boot.nusable; i++)
		map_sum += boot.usable[i].end - boot.usable[i].base;
	for (unsigned i = 0; i < n; i++)
		ranges_sum += r[i].end - r[i].base;
	kprintf("# usable %lu, reserved %lu, allocated %lu, free %lu bytes\n",
		s.usable, s.reserved, s.allocated, s.free);
	check(map_sum > 0 && map_sum == s.usable, "usable memory from the multiboot map equals the allocator's usable total");
	check(s.usable == s.free + s.reserved + s.allocated, "usable = free + reserved + allocated");
	check(ranges_sum == s.free, "free ranges add up to the free total");
}

static bool frame_is_reserved(uint64_t pa)
{
	extern const char __image_start[], __image_end[];

	if (pa < 0x100000)
		return true;
	if (pa < (uint64_t)__image_end - KERNEL_BASE && pa + PAGE_SIZE > (uint64_t)__image_start - KERNEL_BASE)
		return true;
	for (unsigned i = 0; i < boot.nmodules; i++)
		if (pa < boot.modules[i].end && pa + PAGE_SIZE > boot.modules[i].base)
			return true;
	return false;
}

static void test_frame_alloc(void)
{
	enum { N = 64 };
	uint64_t got[N];
	struct frame_stats before, after;
	bool aligned = true, distinct = true, outside = true, zeroed = true;

	frame_get_stats(&before);
	for (unsigned i = 0; i < N; i++) {
		got[i] = frame_alloc();
		aligned &= got[i] && !(got[i] & (PAGE_SIZE - 1));
		outside &= !frame_is_reserved(got[i]);
		const uint64_t *p = (const uint64_t *)(DIRECT_MAP + got[i]);
		for (unsigned w = 0; w < PAGE_SIZE / 8; w++)
			zeroed &= p[w] == 0;
		for (unsigned j = 0; j < i; j++)
			distinct &= got[i] != got[j];
	}
	frame_get_stats(&after);
	check(aligned, "frame_alloc returns page-aligned frames");
	check(distinct, "frame_alloc never returns a frame twice");
	check(outside, "no frame overlaps low memory, the kernel image or a module");
	check(zeroed, "frames come zeroed");
	check(before.free - after.free == N * PAGE_SIZE && after.allocated - before.allocated == N * PAGE_SIZE,
	      "the allocator's counters move by exactly the frames taken");
}

static void test_paging(void)
{
	extern const char __text_start[];
	const uint8_t *direct = (const uint8_t *)(DIRECT_MAP + ((uint64_t)__text_start - KERNEL_BASE));

	check(memcmp(direct, __text_start, 256) == 0, "direct map and kernel mapping show the same physical bytes");
	check((uint64_t)&boot >= KERNEL_BASE, "kernel data lives in the higher half");
}

static void test_timer(void)
{
	enum { WINDOW_MS = 500 };
	uint64_t want = (uint64_t)TIMER_HZ * WINDOW_MS / 1000;

	bool within = false;

	kprintf("# tsc %lu Hz, lapic timer %lu Hz (divide 16), tick %u Hz\n", arch_tsc_hz(), arch_lapic_hz(), TIMER_HZ);
	check(arch_tsc_hz() > 0 && arch_lapic_hz() > 0, "TSC and LAPIC timer calibrated against the PIT");
	/* Under TCG a busy host can delay the timer's interrupts past the next
	 * one, and QEMU then drops ticks: a rate that is really wrong is wrong
	 * in every window, so up to six windows are tried. */
	for (unsigned attempt = 0; attempt < 6 && !within; attempt++) {
		arch_irq_enable();
		uint64_t t0 = arch_timer_ticks();
		arch_pit_delay_ms(WINDOW_MS);
		uint64_t got = arch_timer_ticks() - t0;
		arch_irq_disable();
		kprintf("# %lu ticks in %u ms of PIT time, expected %lu\n", got, WINDOW_MS, want);
		within = got * 100 >= want * 95 && got * 100 <= want * 105;
	}
	check(within, "timer ticks at the calibrated rate within 5%");
}

void kmain(uint32_t, uint32_t);

static void test_symbols(void)
{
	uint64_t off = 1;
	const char *name = ksym_lookup((uint64_t)kmain, &off);

	check(name && strcmp(name, "kmain") == 0 && off == 0, "symbol table names kmain at its address");
	name = ksym_lookup((uint64_t)test_symbols + 5, &off);
	check(name && strcmp(name, "test_symbols") == 0 && off == 5, "an address inside a function resolves to it with an offset");
	check(ksym_lookup(0x1000, &off) == NULL, "an address outside the kernel resolves to nothing");
}

static void test_probe_table(void)
{
	check(trace_table_mismatches() == 0, "every probe's argument count matches its argument names");
}

static void test_cmdline(void)
{
	check(cmdline_has("selftest") && cmdline_get("selftest")[0] == '\0', "command line: bare word present");
	check(!cmdline_has("selftes") && !cmdline_has("no-such-option"), "command line: prefixes and absent words do not match");
}

void selftest_run(void)
{
	kprintf("TAP version 13\n1..18\n");
	test_memory_accounting();
	test_frame_alloc();
	test_paging();
	test_timer();
	test_symbols();
	test_cmdline();
	test_probe_table();
	if (tests_run != 18)
		kprintf("# planned 18 tests, ran %u\n", tests_run);
	kprintf("# selftest: %u of %u failed\n", tests_failed, tests_run);
	arch_debug_exit(tests_failed != 0 || tests_run != 18);
	arch_halt();
}

__attribute__((noinline)) static void selftest_crash_page_fault(void)
{
	/* The lower half is unmapped in the kernel's own page tables. */
	*(volatile uint64_t *)0xDEAD000 = 1;
}

__attribute__((noinline)) static void selftest_crash_invalid_opcode(void)
{
	__asm__ volatile("ud2");
}

void selftest_crash(const char *how)
{
	kprintf("selftest: crashing on purpose (%s)\n", how);
	if (strcmp(how, "pf") == 0)
		selftest_crash_page_fault();
	else if (strcmp(how, "ud") == 0)
		selftest_crash_invalid_opcode();
	else
		kprintf("selftest: unknown crash kind '%s' (use pf or ud)\n", how);
}
