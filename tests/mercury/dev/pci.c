/*
 * Host tests of mercury/dev/pci.c over a simulated configuration space:
 * functions with 32-bit, 64-bit, I/O and absent BARs that answer the
 * all-ones probe with their size masks, a multi-function device, a device
 * on a bus past 0, a bridge header; sizing must restore BARs and the
 * command register.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "rename.h"
#include "pci.h"
#include "unrename.h"
#include "tap.h"

struct sim_fn {
	uint8_t bus, dev, fn;
	uint32_t regs[64];
	uint32_t barmask[6];	/* writable bits of each BAR register */
	int cmd_writes;
	int probed_while_decoding;	/* a BAR written with decoding on */
};

static struct sim_fn sim[8];
static int nsim;

static struct sim_fn *find(uint32_t a)
{
	for (int i = 0; i < nsim; i++)
		if (PCI_ADDR(sim[i].bus, sim[i].dev, sim[i].fn, 0) == (a & ~0xFFu))
			return &sim[i];
	return NULL;
}

static uint32_t sim_read(void *ctx, uint32_t a)
{
	struct sim_fn *f = find(a);

	(void)ctx;
	return f ? f->regs[(a & 0xFF) / 4] : 0xFFFFFFFFu;
}

static void sim_write(void *ctx, uint32_t a, uint32_t v)
{
	struct sim_fn *f = find(a);
	unsigned r = (a & 0xFF) / 4;

	(void)ctx;
	if (!f)
		return;
	if (r >= 4 && r < 10) {
		uint32_t m = f->barmask[r - 4];

		if (f->regs[1] & (PCI_CMD_IO | PCI_CMD_MEM))
			f->probed_while_decoding++;
		f->regs[r] = (v & m) | (f->regs[r] & ~m);
	} else if (r == 1) {
		f->cmd_writes++;
		f->regs[1] = (f->regs[1] & 0xFFFF0000u) | (v & 0xFFFF);
	}
}

static struct sim_fn *add(uint8_t bus, uint8_t dev, uint8_t fn, uint16_t ven, uint16_t did,
			  uint32_t class_rev, uint8_t header)
{
	struct sim_fn *f = &sim[nsim++];

	memset(f, 0, sizeof(*f));
	f->bus = bus, f->dev = dev, f->fn = fn;
	f->regs[0] = (uint32_t)did << 16 | ven;
	f->regs[1] = 0x0007;	/* I/O, memory, bus master on */
	f->regs[2] = class_rev;
	f->regs[3] = (uint32_t)header << 16;
	return f;
}

/* A virtio vendor capability at off: type, BAR, offset, length (and the
 * notify multiplier), next pointing at the next one. */
static void vcap(struct sim_fn *f, unsigned off, uint8_t next, uint8_t type, uint8_t bar, uint32_t at,
		 uint32_t len, uint32_t mult)
{
	f->regs[off / 4] = PCI_CAP_VENDOR | (uint32_t)next << 8 | (type == 2 ? 20u : 16u) << 16 | (uint32_t)type << 24;
	f->regs[off / 4 + 1] = bar;
	f->regs[off / 4 + 2] = at;
	f->regs[off / 4 + 3] = len;
	if (type == 2)
		f->regs[off / 4 + 4] = mult;
}

static void caps_list(struct sim_fn *f, uint8_t first)
{
	f->regs[1] |= (uint32_t)PCI_STATUS_CAPS << 16;
	f->regs[PCI_CAPS / 4] = first;
}

int main(void)
{
	struct pci_cfg cfg = { sim_read, sim_write, NULL };
	struct pci_dev d[8];
	struct sim_fn *f;
	int n;

	plan(45);

	/* 00:00.0 host bridge; 00:01.0-.1 multi-function ISA bridge + IDE;
	 * 00:03.0 e1000-like (MMIO 128K, I/O 64 ports); 00:04.0 with a
	 * 64-bit prefetchable BAR of 16K above 4G; 01:00.0 behind a bridge;
	 * 00:05.0 a PCI-PCI bridge (header 1). */
	add(0, 0, 0, 0x8086, 0x1237, 0x06000002, 0);
	add(0, 1, 0, 0x8086, 0x7000, 0x06010000, 0x80);
	f = add(0, 1, 1, 0x8086, 0x7010, 0x01018000, 0);
	f->regs[4 + 4] = 0xC041; f->barmask[4] = 0xFFFFFFF0u;	/* BAR4: 16 ports */
	f = add(0, 3, 0, 0x8086, 0x100E, 0x02000003, 0);
	f->regs[4] = 0xFEBC0000u; f->barmask[0] = 0xFFFE0000u;	/* 128K MMIO */
	f->regs[6] = 0xC001; f->barmask[2] = 0xFFFFFFC0u;	/* 64 ports */
	f->regs[15] = 0x0000010B;				/* pin A, line 11 */
	f = add(0, 4, 0, 0x1AF4, 0x1041, 0x02000001, 0);
	f->regs[8] = 0x0000000Cu; f->barmask[4] = 0xFFFFC000u;	/* 64-bit prefetchable */
	f->regs[9] = 0x00000008u; f->barmask[5] = 0xFFFFFFFFu;
	caps_list(f, 0x40);	/* as QEMU's: common, a second common (ignored), notify, isr, device */
	vcap(f, 0x40, 0x50, 1, 4, 0x0, 0x1000, 0);
	vcap(f, 0x50, 0x60, 1, 2, 0x5000, 0x10, 0);
	vcap(f, 0x60, 0x78, 2, 4, 0x3000, 0x1000, 4);
	vcap(f, 0x78, 0x88, 3, 4, 0x1000, 0x1000, 0);
	vcap(f, 0x88, 0x00, 4, 4, 0x2000, 0x1000, 0);
	add(0, 5, 0, 0x8086, 0x244E, 0x06040000, 1);
	f = add(1, 0, 0, 0x1B36, 0x0001, 0x0780000A, 0);
	f->regs[4] = 0xFE000000u; f->barmask[0] = 0xFFFFF000u;	/* 4K */

	n = pci_scan(&cfg, d, 8);
	is_int(n, 7, "scan finds 7 functions");
	ok(d[0].vendor == 0x8086 && d[0].device == 0x1237 && d[0].class == 6 && d[0].subclass == 0,
	   "host bridge identity");
	ok(d[1].dev == 1 && d[1].fn == 0 && d[2].dev == 1 && d[2].fn == 1,
	   "multi-function device: function 1 found");
	is_int(d[2].progif, 0x80, "prog-if read");
	ok(d[2].bar[4].kind == PCI_BAR_IO && d[2].bar[4].base == 0xC040 && d[2].bar[4].size == 16,
	   "IDE BAR4: 16 ports at 0xc040");
	ok(d[3].bar[0].kind == PCI_BAR_MEM && d[3].bar[0].base == 0xFEBC0000u &&
	   d[3].bar[0].size == 0x20000, "e1000 BAR0: 128K MMIO at 0xfebc0000");
	ok(!d[3].bar[0].is64 && !d[3].bar[0].prefetch, "BAR0 32-bit, not prefetchable");
	is_int(d[3].bar[1].kind, PCI_BAR_NONE, "unimplemented BAR1 is none");
	ok(d[3].bar[2].kind == PCI_BAR_IO && d[3].bar[2].base == 0xC000 && d[3].bar[2].size == 64,
	   "e1000 BAR2: 64 ports at 0xc000");
	ok(d[3].irq_line == 11 && d[3].irq_pin == 1, "interrupt line 11, pin A");
	is_int(d[3].revision, 3, "revision");
	ok(d[4].bar[4].kind == PCI_BAR_MEM && d[4].bar[4].is64 && d[4].bar[4].prefetch,
	   "virtio BAR4: 64-bit prefetchable");
	ok(d[4].bar[4].base == 0x800000000ull && d[4].bar[4].size == 0x4000,
	   "64-bit BAR: base above 4G and size from both halves");
	is_int(d[4].bar[5].kind, PCI_BAR_NONE, "upper half of a 64-bit BAR is not a BAR");
	ok(d[4].vio[1].present && d[4].vio[1].bar == 4 && d[4].vio[1].off == 0 && d[4].vio[1].len == 0x1000,
	   "virtio common configuration: BAR4 at 0, 4K (the second one ignored)");
	ok(d[4].vio[2].present && d[4].vio[2].off == 0x3000 && d[4].vio[2].mult == 4,
	   "virtio notify: BAR4 at 0x3000, multiplier 4");
	ok(d[4].vio[3].off == 0x1000 && d[4].vio[4].off == 0x2000 && d[4].vio[4].len == 0x1000,
	   "virtio ISR and device configuration");
	ok(!d[3].vio[1].present, "no virtio capabilities read for a non-virtio device");
	ok(d[5].header == 1 && d[5].bar[0].kind == PCI_BAR_NONE, "bridge header: BARs not sized");
	ok(d[6].bus == 1 && d[6].class == 7 && d[6].bar[0].size == 4096, "device on bus 1 found and sized");

	/* Probing left every register as it was and never probed while decoding. */
	for (int i = 0; i < nsim; i++) {
		if (sim[i].probed_while_decoding)
			break;
		if (i == nsim - 1)
			ok(1, "BARs probed only with decoding off");
	}
	is_int(sim[3].regs[4], 0xFEBC0000u, "BAR0 restored");
	is_int(sim[3].regs[6], 0xC001, "BAR2 restored");
	is_int(sim[4].regs[9], 8, "64-bit upper half restored");
	is_int(sim[3].regs[1] & 0xFFFF, 7, "command register restored");
	ok(sim[3].cmd_writes == 2, "command written twice (off, restore)");

	/* max smaller than the count: no overflow, full count returned. */
	memset(d, 0xAA, sizeof(d));
	n = pci_scan(&cfg, d, 2);
	is_int(n, 7, "count with a small array");
	ok(((unsigned char *)&d[2])[0] == 0xAA, "nothing written past max");

	/* An empty bus. */
	nsim = 0;
	is_int(pci_scan(&cfg, d, 8), 0, "empty bus: nothing found");

	/* A 64-bit BAR in the last slot is refused as 64-bit. */
	f = add(0, 0, 0, 0x1234, 0x5678, 0xFF000000, 0);
	f->regs[9] = 0x4; f->barmask[5] = 0xFFFFF000u;
	n = pci_scan(&cfg, d, 8);
	ok(n == 1 && !d[0].bar[5].is64 && d[0].bar[5].kind == PCI_BAR_NONE,
	   "64-bit BAR in slot 5: ignored, not read past the header");
	is_int(d[0].class, 0xFF, "class 0xff");

	/* Bad capability lists end: a loop, a pointer into the header, a BAR past 5. */
	nsim = 0;
	f = add(0, 0, 0, 0x1AF4, 0x1001, 0x01000000, 0);
	caps_list(f, 0x40);
	vcap(f, 0x40, 0x40, 1, 0, 0x10, 0x20, 0);
	n = pci_scan(&cfg, d, 8);
	ok(n == 1 && d[0].vio[1].present && d[0].vio[1].off == 0x10, "a list that loops on itself ends");
	f->regs[PCI_CAPS / 4] = 0x10;
	pci_scan(&cfg, d, 8);
	ok(!d[0].vio[1].present, "a list starting inside the header is not read");
	f->regs[PCI_CAPS / 4] = 0xFC;
	pci_scan(&cfg, d, 8);
	ok(!d[0].vio[1].present, "a capability that would run past the space is not read");
	f->regs[PCI_CAPS / 4] = 0x40;
	vcap(f, 0x40, 0, 4, 6, 0, 0x100, 0);
	pci_scan(&cfg, d, 8);
	ok(!d[0].vio[4].present, "a capability naming BAR 6 is ignored");
	pci_enable(&cfg, &d[0], PCI_CMD_MASTER);
	ok((f->regs[1] & 0xFFFF) == 7 && (f->regs[1] >> 16) == PCI_STATUS_CAPS, "enable: bus master on, status kept");
	nsim = 0;
	f = add(0, 0, 0, 0x1234, 0x5678, 0xFF000000, 0);
	f->regs[9] = 0x4; f->barmask[5] = 0xFFFFF000u;

	/* Single-function device: functions 1-7 are not probed even if they answer. */
	add(0, 0, 1, 0x1234, 0x9999, 0x02000000, 0);
	is_int(pci_scan(&cfg, d, 8), 1, "function 1 of a single-function device ignored");

	is_str(pci_class_name(6, 0), "host bridge", "class name: host bridge");
	is_str(pci_class_name(6, 1), "ISA bridge", "class name: ISA bridge");
	is_str(pci_class_name(2, 0), "ethernet", "class name: ethernet");
	is_str(pci_class_name(1, 6), "SATA controller", "class name: SATA");
	is_str(pci_class_name(2, 0x80), "network", "class name: by class only");
	is_str(pci_class_name(0x40, 0), "other", "class name: unknown class");
	is_str(pci_class_name(0xFF, 0), "other", "class name: 0xff");
	ok(pci_class_name(3, 0) != NULL, "class name never NULL");
	return done_testing();
}
