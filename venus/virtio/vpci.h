/*
 * venus/virtio/vpci.h: the virtio 1.x PCI transport (section 4.1), over
 * the BAR init mapped for the driver and the structure map the device
 * manager put in the grant (vioN=bar:off:len[:mult], mercury/dev/devmgr.h).
 * vpci.c; every call touches only the BAR's mapping.
 */
#ifndef VENUS_VPCI_H
#define VENUS_VPCI_H

#include <stdint.h>

#include "devmgr.h"
#include "virtq.h"

#define VIRTIO_F_VERSION_1	(1ull << 32)

struct vpci {
	volatile uint8_t *common, *isr, *device;
	volatile uint8_t *notify;
	uint32_t notify_mult, notify_len, device_len;
};

/* Finds the common, notify, ISR and device structures of g in BAR bar,
 * mapped at bar_va; NULL, or why not (one missing, or outside the BAR). */
const char *vpci_map(struct vpci *v, const struct dev_grant *g, unsigned bar, uint64_t bar_va);
/* Resets the device and negotiates: VERSION_1 and those of want the device
 * offers (*got); NULL, or why not. */
const char *vpci_start(struct vpci *v, uint64_t want, uint64_t *got);
/* Sets up queue index as q, of the device's size capped at max, its rings
 * in mem (physical pa); *notify is where to write index to kick it. */
const char *vpci_queue(struct vpci *v, uint16_t index, struct virtq *q, uint16_t max, void *mem, uint64_t pa,
		       volatile uint16_t **notify);
/* The driver is ready: the device may start. */
void vpci_ready(struct vpci *v);
/* Tells the device the driver gave up (status FAILED). */
void vpci_fail(struct vpci *v);
/* Reads (and so clears) the interrupt status: bit 0 a queue, bit 1 the configuration. */
uint8_t vpci_isr(struct vpci *v);

#endif
