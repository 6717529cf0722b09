/*
 * stats.c: the counters page. It is page-aligned and page-sized so that
 * mapping it shows user space nothing else of the kernel.
 */
#include "arch.h"
#include "arch/x86_64/layout.h"
#include "kernel.h"
#include "stats.h"

union stats_page {
	struct hl_kstats s;
	uint8_t page[4096];
};

_Static_assert(sizeof(struct hl_kstats) <= 4096, "counters fit one page");

static union stats_page page __attribute__((aligned(4096)));
extern struct hl_kstats kstats __attribute__((alias("page")));

uint64_t stats_page_paddr(void)
{
	return (uint64_t)&page - KERNEL_BASE;
}

void stats_init(void)
{
	kstats.magic = HL_STATS_MAGIC;
	kstats.ncpus = 1;
	kstats.tsc_hz = arch_tsc_hz();
}
