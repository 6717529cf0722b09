/*
 * testdrv: a driver that only checks what it was given. Its manifest
 * matches QEMU's e1000 (-device e1000). It checks that it holds exactly
 * the caps its manifest names (console, bar1, irq, irq.note) and nothing
 * else, that its grant describes them, that it can read and write the
 * device's registers through the mapped MMIO BAR0 (STATUS shows the link
 * up; a receive descriptor base register written with the DMA address reads
 * back), that its I/O BAR1 answers (QEMU's e1000 I/O window reads as 0)
 * but no port outside it does, and that its DMA memory is mapped. Prints
 * each result and exits 0 only if all passed (the root task reports it).
 *
 * To test supervision, the device's MAC address picks a way to fail (the
 * device keeps its registers while drivers come and go): last byte 0x99,
 * fault on the first two runs (counted in the device's TDBAL register),
 * then run as usual; 0x98, fault every time.
 */
#include <mercury/printf.h>
#include <mercury/runtime.h>
#include <mercury/string.h>

#include "devmgr.h"

static const char manifest[] __attribute__((section(".manifest"), used)) =
	"driver testdrv\n"
	"match vendor=8086 device=100e   # QEMU's e1000\n"
	"cap bar0                        # registers, MMIO\n"
	"cap bar1                        # the same registers through I/O ports\n"
	"cap irq\n"
	"cap dma 16K\n";

#define E1000_STATUS	0x8
#define E1000_RDBAL	0x2800	/* receive descriptor base, low half */
#define E1000_STATUS_LU	0x2	/* link up */
#define E1000_TDBAL	0x3800	/* transmit descriptor base, low half: our run counter */
#define E1000_RAH0	0x5404	/* receive address high: MAC bytes 4 and 5 */
#define V_FIRST		33	/* the slots spawn puts named caps in (cptr 32 | i) */
#define V_LAST		63

static int failures;

/* The supervision tests' failures, chosen by the MAC's last byte. */
static void crash_if_asked(volatile uint32_t *regs)
{
	unsigned mode = (regs[E1000_RAH0 / 4] >> 8) & 0xFF, runs = regs[E1000_TDBAL / 4];

	if (mode != 0x98 && mode != 0x99)
		return;
	regs[E1000_TDBAL / 4] = runs + 1;
	if (mode == 0x98 || runs < 2) {
		printf("testdrv: run %u: faulting on purpose (MAC ends in %02x)\n", runs + 1, mode);
		__asm__ volatile("movl %0, 0x10" : : "r"(runs) : "memory");	/* page 0 is never mapped */
	}
	printf("testdrv: run %u: working this time\n", runs + 1);
}

static void check(int cond, const char *what)
{
	printf("testdrv: %s %s\n", cond ? "ok" : "FAILED", what);
	if (!cond)
		failures++;
}

/* Counts the occupied slots of our CSpace: an invocation on an empty slot
 * fails E_NOCAP, on anything else with another status. */
static int count_caps(void)
{
	int n = 0;

	for (hl_cptr_t c = V_FIRST; c <= V_LAST; c++)
		if (hl_invoke(c, HL_UNTYPED_INFO, 0, NULL).status != E_NOCAP)
			n++;
	return n;
}

int main(int argc, char **argv, char **envp)
{
	const char *grant = getenv("DEV_GRANT"), *bar0 = getenv("DEV_BAR0_VA"), *dma = getenv("DEV_DMA");
	hl_cptr_t io = proc_cap("bar1"), irq = proc_cap("irq"), note = proc_cap("irq.note");
	struct dev_grant g;
	const char *why = "";
	volatile uint32_t *regs;
	uint32_t mmio;

	(void)argc, (void)argv, (void)envp, (void)manifest;
	printf("testdrv: started with %s\n", grant ? grant : "(no DEV_GRANT)");
	check(grant && dev_grant_parse(grant, &g, &why) == 0, "grant parses");
	check(g.vendor == 0x8086 && g.device == 0x100E, "grant names an e1000");
	check(proc_cap("console") && io && irq && note, "caps console, bar1, irq, irq.note present");
	check(count_caps() == 5 && proc_cap("self.cnode"),
	      "exactly 5 caps in the CSpace (the manifest's and its own CNode, nothing else)");
	check(!proc_cap("pci") && !proc_cap("bar0") && !proc_cap("host"), "no pci, bar0 or host cap");
	check(hl_poll(note).status == E_AGAIN, "irq.note is a notification, nothing pending");
	check(hl_irq_handler_ack(irq).status == E_OK, "irq handler acknowledges");

	check(bar0 != NULL, "DEV_BAR0_VA set");
	if (!bar0 || g.bar[1].kind != PCI_BAR_IO)
		return 1;
	regs = (volatile uint32_t *)strtoul(bar0, NULL, 16);
	crash_if_asked(regs);
	mmio = regs[E1000_STATUS / 4];
	printf("testdrv: STATUS 0x%x through MMIO BAR0\n", mmio);
	check(mmio != 0xFFFFFFFFu && (mmio & E1000_STATUS_LU), "device register read: STATUS says link up");
	regs[E1000_RDBAL / 4] = 0x12345000u;
	check(regs[E1000_RDBAL / 4] == 0x12345000u, "device register written and read back (RDBAL)");
	regs[E1000_RDBAL / 4] = 0;
	check(hl_ioport_out(io, HL_IOPORT_OUT32, g.bar[1].base, E1000_STATUS).status == E_OK &&
	      hl_ioport_in(io, HL_IOPORT_IN32, g.bar[1].base + 4).status == E_OK, "I/O BAR1 ports answer");
	check(hl_ioport_in(io, HL_IOPORT_IN32, 0xCFC).status != E_OK, "PCI configuration ports refused");
	check(hl_ioport_in(io, HL_IOPORT_IN8, g.bar[1].base + g.bar[1].size).status != E_OK,
	      "port just past BAR1 refused");

	check(dma != NULL, "DEV_DMA set");
	if (dma) {
		char *end;
		uint64_t paddr = strtoul(dma, &end, 16), size = strtoul(end + 1, &end, 16);
		volatile uint64_t *va = (volatile uint64_t *)strtoul(end + 1, NULL, 16);

		va[0] = 0x1234567890ABCDEFull;
		va[size / 8 - 1] = paddr;
		check(paddr && !(paddr & 0xFFF) && size == 16384, "DMA: 16K at a page-aligned physical address");
		check(va[0] == 0x1234567890ABCDEFull && va[size / 8 - 1] == paddr, "DMA memory mapped read/write");
	}
	printf("testdrv: %s\n", failures ? "some checks FAILED" : "all checks passed");
	return failures ? 1 : 0;
}
