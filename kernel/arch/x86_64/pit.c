/*
 * pit.c: the 8254 PIT, used only as a reference clock: channel 2 (gated
 * through port 0x61, no interrupt) times the TSC and LAPIC calibration and
 * the timer self-test, independently of the LAPIC.
 */
#include "cpu.h"
#include "../../arch.h"

#define PIT_HZ 1193182u
#define PIT_MAX_MS 50		/* 16-bit counter: at most 54.9 ms per run */

static void pit_wait_counts(uint16_t counts)
{
	uint8_t gate = inb(0x61);

	outb(0x61, (uint8_t)((gate & ~0x02) | 0x01));	/* speaker off, gate high */
	outb(0x43, 0xB0);				/* ch2, lo/hi, mode 0 */
	outb(0x42, counts & 0xFF);
	outb(0x42, counts >> 8);
	gate = inb(0x61);
	outb(0x61, gate & ~0x01);			/* restart the count */
	outb(0x61, gate | 0x01);
	while (!(inb(0x61) & 0x20))
		cpu_relax();
}

/* Busy-waits ms milliseconds of PIT time. */
void arch_pit_delay_ms(unsigned ms)
{
	while (ms) {
		unsigned chunk = ms > PIT_MAX_MS ? PIT_MAX_MS : ms;
		pit_wait_counts((uint16_t)(PIT_HZ * chunk / 1000));
		ms -= chunk;
	}
}
