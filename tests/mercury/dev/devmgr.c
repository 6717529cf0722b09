/*
 * Host tests of mercury/dev/devmgr.c: choosing the most specific driver,
 * writing grants (and refusing what a device cannot give), parsing them
 * back, and refusing malformed grants.
 */
#include <stdint.h>
#include <string.h>
#include "rename.h"
#include "devmgr.h"
#include "unrename.h"
#include "tap.h"

static struct pci_dev e1000(void)
{
	struct pci_dev d;

	memset(&d, 0, sizeof(d));
	d.bus = 0, d.dev = 3, d.fn = 0, d.vendor = 0x8086, d.device = 0x100E, d.class = 2;
	d.bar[0] = (struct pci_bar){ 0xFEBC0000u, 0x20000, PCI_BAR_MEM, false, false };
	d.bar[2] = (struct pci_bar){ 0xC000, 0x40, PCI_BAR_IO, false, false };
	d.irq_line = 11, d.irq_pin = 1;
	return d;
}

static void man(struct manifest *m, const char *s)
{
	char err[100];

	if (manifest_parse(s, strlen(s), m, err, sizeof(err)))
		diag("manifest: %s", err);
}

static void bad_grant(const char *s, const char *want)
{
	struct dev_grant g;
	const char *why = "";
	int r = dev_grant_parse(s, &g, &why);

	if (!ok(r == -1 && strstr(why, want), "grant refused: '%s'", s))
		diag("got %d '%s'", r, why);
}

int main(void)
{
	struct dev_driver drv[3];
	struct pci_dev d = e1000();
	struct dev_grant g;
	const char *why;
	char buf[DEV_GRANT_MAX], small[20];

	plan(49);
	memset(drv, 0, sizeof(drv));
	man(&drv[0].man, "driver netclass\nmatch class=02\n");
	man(&drv[1].man, "driver e1000\nmatch vendor=8086 device=100e\ncap bar0\ncap bar2\ncap irq\ncap dma 64K\n");
	man(&drv[2].man, "driver ahci\nmatch class=01 subclass=06\n");

	is_int(dev_choose(&d, drv, 3), 1, "vendor/device driver beats the class driver");
	is_int(dev_choose(&d, drv, 1), 0, "class driver alone matches");
	d.class = 3;
	is_int(dev_choose(&d, drv, 1), -1, "no driver: -1");
	is_int(dev_choose(&d, drv, 0), -1, "no drivers at all: -1");
	d = e1000();

	ok(dev_grant(&d, &drv[1].man, buf, sizeof(buf), &why) == 0, "grant written");
	is_str(buf, "pci=00:03.0 id=8086:100e bar0=mem:febc0000:20000 bar2=io:c000:40 irq=b dma=10000",
	       "grant text");
	ok(dev_grant(&d, &drv[0].man, buf, sizeof(buf), &why) == 0, "grant of a driver with no caps");
	is_str(buf, "pci=00:03.0 id=8086:100e", "only the device named");
	ok(dev_grant(&d, &drv[1].man, small, sizeof(small), &why) == -1 && strstr(why, "too long"),
	   "grant longer than the buffer refused");
	drv[0].man.bars = 2;
	ok(dev_grant(&d, &drv[0].man, buf, sizeof(buf), &why) == -1 && strstr(why, "BAR the device"),
	   "BAR the device lacks refused");
	drv[0].man.bars = 0, drv[0].man.irq = true;
	d.irq_pin = 0;
	ok(dev_grant(&d, &drv[0].man, buf, sizeof(buf), &why) == -1 && strstr(why, "IRQ the device"),
	   "IRQ of a device without a pin refused");
	d.irq_pin = 1, d.irq_line = 0xFF;
	ok(dev_grant(&d, &drv[0].man, buf, sizeof(buf), &why) == -1 && strstr(why, "not an ISA"),
	   "interrupt line 255 (unrouted) refused");
	d.irq_line = 2;
	ok(dev_grant(&d, &drv[0].man, buf, sizeof(buf), &why) == -1, "line 2 (cascade) refused");

	ok(dev_grant_parse("pci=00:03.0 id=8086:100e bar0=mem:febc0000:20000 bar2=io:c000:40 irq=b dma=10000",
			   &g, &why) == 0, "grant parses");
	ok(g.bus == 0 && g.dev == 3 && g.fn == 0 && g.vendor == 0x8086 && g.device == 0x100E, "device");
	ok(g.bar[0].kind == PCI_BAR_MEM && g.bar[0].base == 0xFEBC0000u && g.bar[0].size == 0x20000, "bar0");
	ok(g.bar[2].kind == PCI_BAR_IO && g.bar[2].base == 0xC000 && g.bar[2].size == 0x40, "bar2");
	ok(g.bar[1].kind == PCI_BAR_NONE && g.irq == 11 && g.dma == 0x10000, "irq, dma, no bar1");
	ok(dev_grant_parse("pci=ff:1f.7 id=ffff:ffff", &g, &why) == 0 && g.irq == -1 && !g.dma,
	   "largest ids, nothing granted");
	bad_grant("", "required");
	bad_grant("id=8086:100e", "required");
	bad_grant("pci=00:20.0 id=1:1", "bad pci=");
	bad_grant("pci=00:03.8 id=1:1", "bad pci=");
	bad_grant("pci=00:03.0 id=10000:1", "bad id=");
	bad_grant("pci=00:03.0 id=1:1 bar6=io:1:1", "unknown word");
	bad_grant("pci=00:03.0 id=1:1 bar0=rom:1:1", "kind");
	bad_grant("pci=00:03.0 id=1:1 bar0=io:fff0:20", "bad BAR range");
	bad_grant("pci=00:03.0 id=1:1 bar0=mem:ffffffffffff0000:20000", "bad BAR range");
	bad_grant("pci=00:03.0 id=1:1 bar0=io:c000:0", "bad BAR range");
	bad_grant("pci=00:03.0 id=1:1 bar0=io:c000:4 bar0=io:c000:4", "twice");
	bad_grant("pci=00:03.0 id=1:1 irq=2", "bad irq=");
	bad_grant("pci=00:03.0 id=1:1 dma=1001", "bad dma=");
	bad_grant("pci=00:03.0x id=1:1", "bad pci=");

	/* virtio: the map of its structures, only into BARs the manifest names. */
	struct pci_dev vd = { .vendor = 0x1AF4, .device = 0x1001, .dev = 4, .irq_line = 10, .irq_pin = 1 };
	struct manifest vm;
	vd.bar[4] = (struct pci_bar){ 0xFE000000u, 0x4000, PCI_BAR_MEM, true, true };
	vd.vio[1] = (struct pci_vio){ true, 4, 0, 0x1000, 0 };
	vd.vio[2] = (struct pci_vio){ true, 4, 0x3000, 0x1000, 4 };
	vd.vio[3] = (struct pci_vio){ true, 4, 0x1000, 0x1000, 0 };
	vd.vio[4] = (struct pci_vio){ true, 1, 0x2000, 0x1000, 0 };	/* in a BAR not granted */
	man(&vm, "driver vblk\nmatch vendor=1af4 device=1001\ncap bar4\ncap irq\ncap dma 16K\n");
	ok(dev_grant(&vd, &vm, buf, sizeof(buf), &why) == 0, "virtio grant written");
	is_str(buf, "pci=00:04.0 id=1af4:1001 bar4=mem:fe000000:4000 irq=a dma=4000 vio1=4:0:1000 vio2=4:3000:1000:4 "
	       "vio3=4:1000:1000", "virtio grant text: no structure in an ungranted BAR");
	ok(dev_grant_parse(buf, &g, &why) == 0 && g.vio[1].present && g.vio[2].off == 0x3000 && g.vio[2].mult == 4 &&
	   g.vio[3].len == 0x1000 && !g.vio[4].present, "virtio grant parses back");
	bad_grant("pci=00:03.0 id=1:1 vio2=4:3000:1000", "bad vioN=");
	bad_grant("pci=00:03.0 id=1:1 vio1=6:0:1000", "bad vioN=");
	bad_grant("pci=00:03.0 id=1:1 vio1=4:0:1000 vio1=4:0:1000", "bad vioN=");
	bad_grant("pci=00:03.0 id=1:1 vio5=4:0:1000", "unknown word");
	bad_grant("pci=00:03.0 id=1:1 vio3=4:0:100000000", "bad vioN=");

	/* Legacy devices: named, their port ranges as BARs. */
	struct pci_dev rtc = { .isa = "rtc", .irq_line = 8, .irq_pin = 1 };
	struct manifest rm;
	rtc.bar[0] = (struct pci_bar){ 0x70, 2, PCI_BAR_IO, false, false };
	man(&rm, "driver rtc\nmatch isa=rtc\ncap bar0\ncap irq\nserve clock\n");
	ok(dev_grant(&rtc, &rm, buf, sizeof(buf), &why) == 0, "ISA grant written");
	is_str(buf, "isa=rtc bar0=io:70:2 irq=8", "ISA grant text");
	ok(dev_grant_parse(buf, &g, &why) == 0 && !strcmp(g.isa, "rtc") && g.bar[0].base == 0x70 &&
	   g.bar[0].size == 2 && g.irq == 8, "ISA grant parses back");
	dev_describe(&rtc, buf, sizeof(buf));
	is_str(buf, "isa rtc io 70-71 irq 8", "ISA device described");
	bad_grant("isa=rtc pci=00:03.0 id=1:1", "required");
	bad_grant("isa=", "bad isa=");
	bad_grant("isa=abcdefghijklmnopq", "bad isa=");
	bad_grant("isa=rtc isa=com2", "bad isa=");
	return done_testing();
}
