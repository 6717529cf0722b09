/*
 * stats.h: the kernel counters (helios/stats.h), kept in one page of the
 * kernel image that the root task gets as a read-only frame cap.
 */
#ifndef KERNEL_STATS_H
#define KERNEL_STATS_H

#include <helios/stats.h>

extern struct hl_kstats kstats;
#define STAT(field) (kstats.cpu[0].field)

/* Physical address of the counters page (for the root task's stats cap). */
uint64_t stats_page_paddr(void);
void stats_init(void);

#endif
