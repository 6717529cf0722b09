/*
 * klog.c: kernel messages caused by user actions (a fault with nowhere to
 * go, a thread that lost its address space). Any task can cause them as
 * often as it likes, and the kernel prints with interrupts off, so they
 * are rate-limited: a burst of KLOG_BURST, then KLOG_PER_SECOND a second.
 * What is dropped is counted in the stats page and said once output
 * resumes. (The refusal log, hl_debug, is not limited: the Console cap's
 * holder asked for every line.)
 */
#include <stdarg.h>
#include "arch.h"
#include "kernel.h"
#include "stats.h"
#include "timer.h"

#define KLOG_BURST	20
#define KLOG_PER_SECOND	10
#define KLOG_TICKS_PER_TOKEN (TIMER_HZ / KLOG_PER_SECOND)

static unsigned tokens = KLOG_BURST;
static uint64_t last_refill;	/* timer tick of the last token added */
static uint64_t unreported;	/* dropped since the last line that got out */

static bool klog_allow(void)
{
	uint64_t now = STAT(timer_ticks), earned = (now - last_refill) / KLOG_TICKS_PER_TOKEN;

	if (earned) {
		tokens = tokens + earned > KLOG_BURST ? KLOG_BURST : tokens + (unsigned)earned;
		last_refill += earned * KLOG_TICKS_PER_TOKEN;
	}
	if (!tokens) {
		STAT(log_dropped)++;
		unreported++;
		return false;
	}
	tokens--;
	return true;
}

void klog_user(const char *fmt, ...)
{
	va_list ap;

	if (!klog_allow())
		return;
	if (unreported) {
		kprintf("helios: %lu messages dropped (rate limit)\n", unreported);
		unreported = 0;
	}
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
}
