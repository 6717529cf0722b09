/*
 * vpci.c: the virtio 1.x PCI transport (vpci.h): the common configuration
 * structure's registers, device status handshake and queue set-up.
 */
#include "vpci.h"

/* struct virtio_pci_common_cfg */
#define DEV_FEATURE_SEL	0x00
#define DEV_FEATURE	0x04
#define DRV_FEATURE_SEL	0x08
#define DRV_FEATURE	0x0C
#define NUM_QUEUES	0x12
#define STATUS		0x14
#define Q_SELECT	0x16
#define Q_SIZE		0x18
#define Q_MSIX		0x1A
#define Q_ENABLE	0x1C
#define Q_NOTIFY_OFF	0x1E
#define Q_DESC		0x20
#define Q_DRIVER	0x28
#define Q_DEVICE	0x30
#define COMMON_LEN	0x38

#define S_ACKNOWLEDGE	1
#define S_DRIVER	2
#define S_DRIVER_OK	4
#define S_FEATURES_OK	8
#define S_FAILED	128
#define NO_VECTOR	0xFFFF

static uint8_t rd8(struct vpci *v, unsigned off) { return v->common[off]; }
static uint16_t rd16(struct vpci *v, unsigned off) { return *(volatile uint16_t *)(v->common + off); }
static uint32_t rd32(struct vpci *v, unsigned off) { return *(volatile uint32_t *)(v->common + off); }
static void wr8(struct vpci *v, unsigned off, uint8_t x) { v->common[off] = x; }
static void wr16(struct vpci *v, unsigned off, uint16_t x) { *(volatile uint16_t *)(v->common + off) = x; }
static void wr32(struct vpci *v, unsigned off, uint32_t x) { *(volatile uint32_t *)(v->common + off) = x; }

/* Split: some devices take only 32-bit accesses to the 64-bit fields. */
static void wr64(struct vpci *v, unsigned off, uint64_t x)
{
	wr32(v, off, (uint32_t)x);
	wr32(v, off + 4, (uint32_t)(x >> 32));
}

const char *vpci_map(struct vpci *v, const struct dev_grant *g, unsigned bar, uint64_t bar_va)
{
	static const uint32_t min_len[PCI_VIO_TYPES] = { 0, COMMON_LEN, 2, 1, 0 };
	volatile uint8_t **at[PCI_VIO_TYPES] = { NULL, &v->common, &v->notify, &v->isr, &v->device };
	uint64_t size = g->bar[bar].size;

	for (int t = PCI_VIO_COMMON; t < PCI_VIO_TYPES; t++) {
		const struct pci_vio *s = &g->vio[t];

		if (!s->present || s->bar != bar)
			return "a virtio structure is missing from the granted BAR";
		if (s->len < min_len[t] || s->off > size || s->len > size - s->off)
			return "a virtio structure lies outside its BAR";
		*at[t] = (volatile uint8_t *)(bar_va + s->off);
	}
	v->notify_mult = g->vio[PCI_VIO_NOTIFY].mult;
	v->notify_len = g->vio[PCI_VIO_NOTIFY].len;
	v->device_len = g->vio[PCI_VIO_DEVICE].len;
	return NULL;
}

const char *vpci_start(struct vpci *v, uint64_t want, uint64_t *got)
{
	uint64_t offered;

	wr8(v, STATUS, 0);
	for (int i = 0; rd8(v, STATUS) != 0; i++)
		if (i == 1000000)
			return "the device does not reset";
	wr8(v, STATUS, S_ACKNOWLEDGE);
	wr8(v, STATUS, S_ACKNOWLEDGE | S_DRIVER);
	wr32(v, DEV_FEATURE_SEL, 0);
	offered = rd32(v, DEV_FEATURE);
	wr32(v, DEV_FEATURE_SEL, 1);
	offered |= (uint64_t)rd32(v, DEV_FEATURE) << 32;
	if (!(offered & VIRTIO_F_VERSION_1))
		return "the device does not offer virtio 1 (VERSION_1)";
	*got = offered & (want | VIRTIO_F_VERSION_1);
	wr32(v, DRV_FEATURE_SEL, 0);
	wr32(v, DRV_FEATURE, (uint32_t)*got);
	wr32(v, DRV_FEATURE_SEL, 1);
	wr32(v, DRV_FEATURE, (uint32_t)(*got >> 32));
	wr8(v, STATUS, S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK);
	if (!(rd8(v, STATUS) & S_FEATURES_OK))
		return "the device refused our features";
	return NULL;
}

const char *vpci_queue(struct vpci *v, uint16_t index, struct virtq *q, uint16_t max, void *mem, uint64_t pa,
		       volatile uint16_t **notify)
{
	uint16_t size;
	uint64_t off;

	if (index >= rd16(v, NUM_QUEUES))
		return "the device has no such queue";
	wr16(v, Q_SELECT, index);
	size = rd16(v, Q_SIZE);
	if (size == 0)
		return "the queue is not available";
	while (size > max)
		size /= 2;
	if (!virtq_init(q, size, mem, pa))
		return "the queue size is not a power of two";
	wr16(v, Q_SIZE, size);
	wr16(v, Q_MSIX, NO_VECTOR);	/* interrupts through INTx and the ISR */
	wr64(v, Q_DESC, q->desc_pa);
	wr64(v, Q_DRIVER, q->avail_pa);
	wr64(v, Q_DEVICE, q->used_pa);
	off = (uint64_t)rd16(v, Q_NOTIFY_OFF) * v->notify_mult;
	if (off + 2 > v->notify_len)
		return "the queue's notify address lies outside the notify structure";
	*notify = (volatile uint16_t *)(v->notify + off);
	wr16(v, Q_ENABLE, 1);
	return NULL;
}

void vpci_ready(struct vpci *v)
{
	wr8(v, STATUS, (uint8_t)(rd8(v, STATUS) | S_DRIVER_OK));
}

void vpci_fail(struct vpci *v)
{
	wr8(v, STATUS, (uint8_t)(rd8(v, STATUS) | S_FAILED));
}

uint8_t vpci_isr(struct vpci *v)
{
	return *v->isr;
}
