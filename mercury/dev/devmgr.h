/*
 * mercury/dev/devmgr.h: the device manager's decisions (devmgr.c,
 * portable): which driver each PCI function gets, and the grant, the text
 * that says exactly which resources that driver is handed. The grant is
 * what the starter turns into caps and what the driver reads back from its
 * environment (DEV_GRANT), so both sides agree on one description:
 *
 *	pci=00:03.0 id=8086:100e bar0=mem:febc0000:20000 bar2=io:c000:40 irq=11 dma=10000
 *
 *	isa=rtc bar0=io:70:2 irq=8
 *
 * (numbers hex; a BAR is kind:base:size; irq is the ISA line; dma the size;
 * a legacy device is named instead of placed, its port ranges as BARs).
 */
#ifndef MERCURY_DEV_DEVMGR_H
#define MERCURY_DEV_DEVMGR_H

#include <stddef.h>

#include "manifest.h"
#include "pci.h"

#define DEV_GRANT_MAX	256

struct dev_driver {
	const char *file;		/* in the initrd, e.g. "drv/testdrv" */
	struct manifest man;
};

/* What a grant names, parsed back (dev_grant_parse). */
struct dev_grant {
	char isa[DEV_ISA_NAME_MAX + 1];	/* a legacy device's name ("" for PCI) */
	uint8_t bus, dev, fn;
	uint16_t vendor, device;
	struct { uint8_t kind; uint64_t base, size; } bar[PCI_MAX_BARS];	/* kind: PCI_BAR_* */
	int irq;			/* -1: none */
	uint32_t dma;			/* 0: none */
	struct pci_vio vio[PCI_VIO_TYPES];	/* virtio: where its structures are (vioN=bar:off:len[:mult]) */
};

/* The index in drv of the driver whose manifest matches d most specifically
 * (the first listed on a tie), or -1 for none. */
int dev_choose(const struct pci_dev *d, const struct dev_driver *drv, int ndrv);

/* Writes the grant of manifest m for device d into buf (size n). Returns 0,
 * or -1 with *why set when d cannot give what m asks (a BAR it does not
 * implement, an interrupt it does not use or that is not an ISA line). */
int dev_grant(const struct pci_dev *d, const struct manifest *m, char *buf, size_t n,
	      const char **why);

/* Parses a grant; returns 0, or -1 with *why set. */
int dev_grant_parse(const char *s, struct dev_grant *g, const char **why);

/* One line describing d: "00:03.0 8086:100e class 02.00.00 ethernet". */
void dev_describe(const struct pci_dev *d, char *buf, size_t n);

#endif
