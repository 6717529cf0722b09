/*
 * pci.c: PCI enumeration over configuration accessors.
 *
 * Brute force over every bus, device and function (8192 probes of the
 * vendor register) rather than following bridges: it finds devices behind
 * bridges a firmware numbered oddly and costs a few ms. BARs are sized the
 * usual way: write all ones, read back the mask, restore, with memory and
 * I/O decoding off meanwhile so the device never answers at the probe
 * address.
 */
#include "pci.h"

static uint32_t cfg_rd(const struct pci_cfg *c, const struct pci_dev *d, uint32_t off)
{
	return c->read(c->ctx, PCI_ADDR(d->bus, d->dev, d->fn, off));
}

static void cfg_wr(const struct pci_cfg *c, const struct pci_dev *d, uint32_t off, uint32_t v)
{
	c->write(c->ctx, PCI_ADDR(d->bus, d->dev, d->fn, off), v);
}

/* Probes BAR i; returns how many BAR registers it used (2 for 64-bit). */
static int size_bar(const struct pci_cfg *c, struct pci_dev *d, int i)
{
	uint32_t off = PCI_BAR0 + 4 * (uint32_t)i;
	uint32_t lo = cfg_rd(c, d, off), mlo, hi = 0, mhi = 0xFFFFFFFFu;
	struct pci_bar *b = &d->bar[i];

	cfg_wr(c, d, off, 0xFFFFFFFFu);
	mlo = cfg_rd(c, d, off);
	cfg_wr(c, d, off, lo);
	if (lo & 1) {
		uint32_t mask = mlo & 0xFFFFFFFCu;

		/* Ports decode 16 bits; devices may leave the upper ones zero. */
		if (mask & 0xFFFFu) {
			b->kind = PCI_BAR_IO;
			b->base = lo & 0xFFFCu;
			b->size = (uint64_t)(~(mask | 0xFFFF0000u) & 0xFFFFu) + 1;
		}
		return 1;
	}
	b->is64 = ((lo >> 1) & 3) == 2;
	b->prefetch = (lo >> 3) & 1;
	if (b->is64 && i < PCI_MAX_BARS - 1) {
		hi = cfg_rd(c, d, off + 4);
		cfg_wr(c, d, off + 4, 0xFFFFFFFFu);
		mhi = cfg_rd(c, d, off + 4);
		cfg_wr(c, d, off + 4, hi);
	} else if (b->is64) {
		b->is64 = false;	/* a 64-bit BAR cannot start in the last slot */
		return 1;
	}
	uint64_t mask = ((uint64_t)mhi << 32) | (mlo & 0xFFFFFFF0u);

	if ((mlo & 0xFFFFFFF0u) || (b->is64 && mhi)) {
		b->kind = PCI_BAR_MEM;
		b->base = ((uint64_t)hi << 32) | (lo & 0xFFFFFFF0u);
		b->size = ~mask + 1;
	}
	return b->is64 ? 2 : 1;
}

void pci_size_bars(const struct pci_cfg *c, struct pci_dev *d)
{
	uint32_t cmd = cfg_rd(c, d, PCI_COMMAND);

	for (int i = 0; i < PCI_MAX_BARS; i++)
		d->bar[i] = (struct pci_bar){ 0, 0, PCI_BAR_NONE, false, false };
	cfg_wr(c, d, PCI_COMMAND, cmd & ~(uint32_t)(PCI_CMD_IO | PCI_CMD_MEM) & 0xFFFFu);
	for (int i = 0; i < PCI_MAX_BARS;)
		i += size_bar(c, d, i);
	cfg_wr(c, d, PCI_COMMAND, cmd & 0xFFFFu);
}

static uint8_t cfg_rd8(const struct pci_cfg *c, const struct pci_dev *d, uint32_t off)
{
	return (uint8_t)(cfg_rd(c, d, off & ~3u) >> ((off & 3) * 8));
}

void pci_read_virtio_caps(const struct pci_cfg *c, struct pci_dev *d)
{
	uint32_t at;

	for (int i = 0; i < PCI_VIO_TYPES; i++)
		d->vio[i] = (struct pci_vio){ false, 0, 0, 0, 0 };
	if (!((cfg_rd(c, d, PCI_COMMAND) >> 16) & PCI_STATUS_CAPS))
		return;
	at = cfg_rd8(c, d, PCI_CAPS) & 0xFC;
	for (int steps = 0; steps < 48 && at >= 0x40 && at <= 0x100 - 16; steps++) {
		uint8_t id = cfg_rd8(c, d, at), type = cfg_rd8(c, d, at + 3), bar = cfg_rd8(c, d, at + 4);

		if (id == PCI_CAP_VENDOR && type >= PCI_VIO_COMMON && type < PCI_VIO_TYPES && bar < PCI_MAX_BARS &&
		    !d->vio[type].present) {
			struct pci_vio *v = &d->vio[type];

			v->present = true;
			v->bar = bar;
			v->off = cfg_rd(c, d, at + 8);
			v->len = cfg_rd(c, d, at + 12);
			v->mult = type == PCI_VIO_NOTIFY && at <= 0x100 - 20 ? cfg_rd(c, d, at + 16) : 0;
		}
		at = cfg_rd8(c, d, at + 1) & 0xFC;
	}
}

void pci_enable(const struct pci_cfg *c, const struct pci_dev *d, uint32_t bits)
{
	cfg_wr(c, d, PCI_COMMAND, (cfg_rd(c, d, PCI_COMMAND) | bits) & 0xFFFFu);
}

/* Reads the identity of a present function into d. */
static void read_function(const struct pci_cfg *c, struct pci_dev *d, uint32_t id)
{
	uint32_t cls = cfg_rd(c, d, PCI_CLASS), irq = cfg_rd(c, d, PCI_IRQ);

	d->vendor = id & 0xFFFF;
	d->device = id >> 16;
	d->revision = cls & 0xFF;
	d->progif = (cls >> 8) & 0xFF;
	d->subclass = (cls >> 16) & 0xFF;
	d->class = cls >> 24;
	d->header = (cfg_rd(c, d, PCI_HEADER) >> 16) & 0x7F;
	d->irq_line = irq & 0xFF;
	d->irq_pin = (irq >> 8) & 0xFF;
	if (d->header == 0)
		pci_size_bars(c, d);
	if (d->header == 0 && d->vendor == PCI_VENDOR_VIRTIO)
		pci_read_virtio_caps(c, d);
	if (d->header != 0)
		for (int i = 0; i < PCI_MAX_BARS; i++)
			d->bar[i] = (struct pci_bar){ 0, 0, PCI_BAR_NONE, false, false };
}

int pci_scan(const struct pci_cfg *c, struct pci_dev *out, int max)
{
	int n = 0;

	for (unsigned bus = 0; bus < 256; bus++)
		for (unsigned dev = 0; dev < 32; dev++)
			for (unsigned fn = 0; fn < 8; fn++) {
				struct pci_dev tmp = { .bus = bus, .dev = dev, .fn = fn };
				uint32_t id = cfg_rd(c, &tmp, PCI_VENDOR);

				if ((id & 0xFFFF) == 0xFFFF) {
					if (fn == 0)
						break;	/* no device: no other functions */
					continue;
				}
				read_function(c, &tmp, id);
				if (n < max)
					out[n] = tmp;
				n++;
				/* Functions 1-7 exist only on multi-function devices. */
				if (fn == 0 && !((cfg_rd(c, &tmp, PCI_HEADER) >> 16) & 0x80))
					break;
			}
	return n;
}

const char *pci_class_name(uint8_t class, uint8_t subclass)
{
	static const struct { uint8_t class, subclass; const char *name; } names[] = {
		{ 0x01, 0x01, "IDE controller" }, { 0x01, 0x06, "SATA controller" },
		{ 0x01, 0x08, "NVMe controller" }, { 0x01, 0x00, "SCSI controller" },
		{ 0x02, 0x00, "ethernet" }, { 0x03, 0x00, "VGA display" },
		{ 0x03, 0x80, "display" }, { 0x04, 0x01, "audio" }, { 0x04, 0x03, "audio" },
		{ 0x06, 0x00, "host bridge" }, { 0x06, 0x01, "ISA bridge" },
		{ 0x06, 0x04, "PCI bridge" }, { 0x06, 0x80, "bridge" },
		{ 0x07, 0x00, "serial controller" }, { 0x0C, 0x03, "USB controller" },
		{ 0x0C, 0x05, "SMBus" }, { 0x00, 0x00, "unclassified" },
	};
	static const char *const classes[] = {
		"unclassified", "storage", "network", "display", "multimedia", "memory",
		"bridge", "communication", "system", "input", "docking", "processor",
		"serial bus", "wireless",
	};

	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].class == class && names[i].subclass == subclass)
			return names[i].name;
	if (class < sizeof(classes) / sizeof(classes[0]))
		return classes[class];
	return "other";
}
