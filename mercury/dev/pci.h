/*
 * mercury/dev/pci.h: PCI configuration space, enumeration and BAR sizing
 * (pci.c, portable). The caller supplies the configuration accessors: in
 * Ares, the device manager's I/O port cap for 0xCF8-0xCFF (devmgr_cfg.c);
 * in host tests, a simulated bus.
 */
#ifndef MERCURY_DEV_PCI_H
#define MERCURY_DEV_PCI_H

#include <stdbool.h>
#include <stdint.h>

/* A configuration address: bus, device, function, register offset (as in
 * port 0xCF8 without the enable bit). */
#define PCI_ADDR(bus, dev, fn, off) \
	(((uint32_t)(bus) << 16) | ((uint32_t)(dev) << 11) | ((uint32_t)(fn) << 8) | ((off) & 0xFC))

/* Configuration space registers we use. */
#define PCI_VENDOR	0x00	/* vendor (low 16), device (high 16) */
#define PCI_COMMAND	0x04	/* command (low 16), status (high 16) */
#define PCI_CLASS	0x08	/* revision, prog-if, subclass, class */
#define PCI_HEADER	0x0C	/* header type in bits 16-23 */
#define PCI_BAR0	0x10
#define PCI_CAPS	0x34	/* first capability's offset (low 8) */
#define PCI_IRQ		0x3C	/* interrupt line (low 8), pin (next 8) */
#define PCI_CMD_IO	0x1u
#define PCI_CMD_MEM	0x2u
#define PCI_CMD_MASTER	0x4u	/* the function may do DMA */
#define PCI_STATUS_CAPS	0x10u	/* status bit: a capability list exists */
#define PCI_CAP_VENDOR	0x09
#define PCI_VENDOR_VIRTIO 0x1AF4

struct pci_cfg {
	uint32_t (*read)(void *ctx, uint32_t addr);
	void (*write)(void *ctx, uint32_t addr, uint32_t value);
	void *ctx;
};

enum pci_bar_kind { PCI_BAR_NONE, PCI_BAR_MEM, PCI_BAR_IO };

struct pci_bar {
	uint64_t base, size;	/* size 0: unused or unimplemented */
	uint8_t kind;		/* enum pci_bar_kind */
	bool is64, prefetch;
};

#define PCI_MAX_BARS	6

/* A virtio 1.x vendor capability (struct virtio_pci_cap): where in which
 * BAR one configuration structure lies; mult is the notify capability's
 * notify_off_multiplier. Indexed by cfg_type, 1 (common) to 4 (device). */
#define PCI_VIO_COMMON	1
#define PCI_VIO_NOTIFY	2
#define PCI_VIO_ISR	3
#define PCI_VIO_DEVICE	4
#define PCI_VIO_TYPES	5
struct pci_vio {
	bool present;
	uint8_t bar;
	uint32_t off, len, mult;
};

#define DEV_ISA_NAME_MAX 15

struct pci_dev {
	char isa[DEV_ISA_NAME_MAX + 1];	/* a legacy (ISA) device: its name; "" for PCI */
	uint8_t bus, dev, fn;
	uint16_t vendor, device;
	uint8_t class, subclass, progif, revision;
	uint8_t header;		/* header type without the multi-function bit */
	uint8_t irq_line, irq_pin;	/* pin 0: no interrupt */
	struct pci_bar bar[PCI_MAX_BARS];
	struct pci_vio vio[PCI_VIO_TYPES];	/* virtio devices only */
};

/* Enumerates every function of buses 0-255, filling up to max entries of
 * out in bus/device/function order, and sizes the BARs of type-0 headers
 * (decoding is switched off while a BAR is probed and restored after).
 * Returns the number of functions found, which may exceed max. */
int pci_scan(const struct pci_cfg *cfg, struct pci_dev *out, int max);

/* Sizes the BARs of one type-0 function at d->bus/dev/fn into d->bar. */
void pci_size_bars(const struct pci_cfg *cfg, struct pci_dev *d);

/* Reads a virtio function's vendor capabilities into d->vio (the first of
 * each type, as the virtio spec asks). The list is walked at most 48 steps
 * and only inside the configuration space, so a looping or wild list ends. */
void pci_read_virtio_caps(const struct pci_cfg *cfg, struct pci_dev *d);

/* Sets the command register bits (PCI_CMD_*) of d on. */
void pci_enable(const struct pci_cfg *cfg, const struct pci_dev *d, uint32_t bits);

/* A short name for a class code ("ethernet", "ISA bridge", ...); never NULL. */
const char *pci_class_name(uint8_t class, uint8_t subclass);

#endif
