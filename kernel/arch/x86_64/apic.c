/*
 * apic.c: interrupt controllers and the tick. The legacy 8259 PICs are
 * remapped out of the exception range and masked; the local APIC's timer,
 * calibrated against the PIT, gives the periodic tick.
 */
#include "cpu.h"
#include "trap.h"
#include "../../arch.h"
#include "../../kernel.h"
#include "../../irq.h"

#define LAPIC_ID	0x020
#define LAPIC_EOI	0x0B0
#define LAPIC_SVR	0x0F0
#define LAPIC_LVT_TIMER	0x320
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR	0x390
#define LAPIC_TIMER_DIV	0x3E0
#define LVT_MASKED	(1u << 16)
#define LVT_PERIODIC	(1u << 17)
#define CALIBRATE_MS	20

static volatile uint32_t *lapic;
static uint64_t tsc_hz, lapic_hz;	/* lapic_hz: timer counts per second at divide-by-16 */
static volatile uint64_t ticks;

static uint32_t lapic_read(unsigned reg) { return lapic[reg / 4]; }
static void lapic_write(unsigned reg, uint32_t v) { lapic[reg / 4] = v; (void)lapic[LAPIC_ID / 4]; }

static void pic_disable(void)
{
	outb(0x20, 0x11); outb(0xA0, 0x11);	/* ICW1: init, ICW4 follows */
	outb(0x21, VEC_IRQ_BASE); outb(0xA1, VEC_IRQ_BASE + 8);
	outb(0x21, 4); outb(0xA1, 2);		/* cascade on IRQ2 */
	outb(0x21, 1); outb(0xA1, 1);		/* 8086 mode */
	outb(0x21, 0xFB); outb(0xA1, 0xFF);	/* mask everything but the cascade */
}

static void calibrate(void)
{
	lapic_write(LAPIC_TIMER_DIV, 0x3);	/* divide by 16 */
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | VEC_TIMER);
	lapic_write(LAPIC_TIMER_INIT, 0xFFFFFFFF);
	uint64_t t0 = rdtsc();
	arch_pit_delay_ms(CALIBRATE_MS);
	uint64_t t1 = rdtsc();
	uint32_t left = lapic_read(LAPIC_TIMER_CUR);
	lapic_write(LAPIC_TIMER_INIT, 0);
	tsc_hz = (t1 - t0) * 1000 / CALIBRATE_MS;
	lapic_hz = (uint64_t)(0xFFFFFFFFu - left) * 1000 / CALIBRATE_MS;
}

/* Calibrates the TSC and LAPIC timer and starts a periodic tick of hz. */
void arch_timer_init(unsigned hz)
{
	pic_disable();
	wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | (1u << 11));
	lapic = arch_map_device(rdmsr(MSR_APIC_BASE) & ~0xFFFULL);
	lapic_write(LAPIC_SVR, 0x100 | VEC_SPURIOUS);	/* software enable */
	calibrate();
	if (!lapic_hz)
		panic("LAPIC timer did not count during calibration");
	lapic_write(LAPIC_TIMER_DIV, 0x3);
	lapic_write(LAPIC_LVT_TIMER, LVT_PERIODIC | VEC_TIMER);
	lapic_write(LAPIC_TIMER_INIT, (uint32_t)(lapic_hz / hz));
}

uint64_t arch_timer_ticks(void) { return ticks; }
uint64_t arch_tsc_hz(void) { return tsc_hz; }
uint64_t arch_lapic_hz(void) { return lapic_hz; }
uint64_t arch_cycles(void) { return rdtsc(); }

static uint16_t pic_mask = 0xFFFB;	/* all masked but the cascade */

static void pic_write_mask(void)
{
	outb(0x21, pic_mask & 0xFF);
	outb(0xA1, pic_mask >> 8);
}

void arch_irq_mask(unsigned line)
{
	pic_mask |= (uint16_t)(1u << line);
	pic_write_mask();
}

void arch_irq_unmask(unsigned line)
{
	pic_mask &= (uint16_t)~(1u << line);
	pic_write_mask();
}

/* A legacy line: mask it until the driver acknowledges, EOI the PIC(s). */
static void legacy_irq(unsigned line)
{
	if (line == 7 || line == 15) {	/* spurious unless really in service */
		uint16_t port = line == 7 ? 0x20 : 0xA0;
		outb(port, 0x0B);
		if (!(inb(port) & 0x80)) {
			if (line == 15)
				outb(0x20, 0x20);
			return;
		}
	}
	arch_irq_mask(line);
	if (line >= 8)
		outb(0xA0, 0x20);
	outb(0x20, 0x20);
	irq_line_raised(line);
}

/* Handles a device or timer vector: acknowledge, then hand it on. */
void irq_dispatch(uint64_t vector)
{
	if (vector == VEC_SPURIOUS)
		return;			/* spurious interrupts take no EOI */
	if (vector >= VEC_IRQ_BASE && vector < VEC_IRQ_BASE + 16) {
		legacy_irq((unsigned)(vector - VEC_IRQ_BASE));
		return;
	}
	if (vector == VEC_TIMER)
		ticks++;
	lapic_write(LAPIC_EOI, 0);
	if (vector == VEC_TIMER)
		irq_timer_tick();
}
