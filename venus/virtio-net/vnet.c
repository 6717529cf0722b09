/*
 * vnet: the virtio-net driver (venus/virtio-net), virtio 1.x over the
 * modern PCI transport, a receive and a transmit queue, INTx, serving
 * netif.ipc as "net0" through mercury/dev/netdrv.c. Received frames land
 * in our DMA memory (16 buffers of 2 KiB, given back to the device once
 * copied out); a frame to send is read by the device from the client's
 * buffer where it lies. Frames that come while nobody receives wait in
 * the ring (16); runts and giants are dropped and counted.
 */
#include <mercury/printf.h>
#include <mercury/runtime.h>
#include <mercury/string.h>

#include "devmgr.h"
#include "drvbuf.h"
#include "netdrv.h"
#include "vpci.h"

static const char manifest[] __attribute__((section(".manifest"), used)) =
	"driver virtio-net\n"
	"match vendor=1af4 device=1000   # transitional virtio-net\n"
	"match vendor=1af4 device=1041   # virtio 1.x only\n"
	"cap bar4            # the modern transport's structures\n"
	"cap irq\n"
	"cap dma 64K         # the queues, headers and receive buffers\n"
	"cap mem             # clients' buffers\n"
	"cap timer           # receive timeouts\n"
	"serve net*            # net0, or the next number free\n";

#define F_MAC		(1ull << 5)
#define F_STATUS	(1ull << 16)
#define STATUS_LINK_UP	1

#define HDR_LEN		12	/* struct virtio_net_hdr with num_buffers (virtio 1) */
#define NRX		16
#define NTX		NETDRV_TX
#define RXBUF		2048

/* Our DMA memory: the two queues' rings, transmit headers, receive buffers. */
#define DMA_RXQ		0
#define DMA_TXQ		8192
#define DMA_TXHDR	16384
#define DMA_RXBUF	20480
#define DMA_NEED	(DMA_RXBUF + NRX * RXBUF)

static struct vpci dev;
static struct virtq rxq, txq;
static volatile uint16_t *rx_notify, *tx_notify;
static struct drv_dma dma;
static hl_cptr_t irq;
static struct netdrv_dev nic;
static uint64_t features, dropped;

/* Receive buffers the device filled and we have not copied yet, in order. */
static struct { uint16_t buf; uint32_t len; } ready[NRX];
static unsigned nready;

static void give_rx(unsigned i)
{
	struct vq_buf b = { dma.pa + DMA_RXBUF + i * RXBUF, RXBUF, true };

	virtq_add(&rxq, &b, 1, (void *)(uintptr_t)i);
}

/* Takes what the device finished on both queues. */
static void reap(void)
{
	void *cookie;
	uint32_t len;
	bool gave = false;

	while (virtq_pop(&rxq, &cookie, &len)) {
		unsigned i = (unsigned)(uintptr_t)cookie;

		if (len < HDR_LEN + NETDRV_FRAME_MIN || len > HDR_LEN + NETDRV_FRAME_MAX || nready == NRX) {
			dropped++;	/* runt, giant, or no room: the buffer goes straight back */
			give_rx(i);
			gave = true;
			continue;
		}
		ready[nready++] = (typeof(ready[0])){ (uint16_t)i, len - HDR_LEN };
	}
	while (virtq_pop(&txq, &cookie, &len))
		netdrv_tx_done((unsigned)(uintptr_t)cookie);
	if (gave)
		*rx_notify = 0;		/* the receive buffers given back */
}

static bool rx_ready(void)
{
	return nready != 0;
}

static int rx_take(void *dst)
{
	uint32_t len;

	if (!nready)		/* netdrv reaped before asking */
		return -1;
	len = ready[0].len;
	memcpy(dst, dma.va + DMA_RXBUF + ready[0].buf * RXBUF + HDR_LEN, len);
	give_rx(ready[0].buf);
	*rx_notify = 0;
	memmove(&ready[0], &ready[1], --nready * sizeof(ready[0]));
	return (int)len;
}

static bool tx_send(uint64_t pa, uint16_t len, unsigned slot)
{
	struct vq_buf b[2] = {
		{ dma.pa + DMA_TXHDR + slot * 32, HDR_LEN, false },
		{ pa, len, false },
	};

	memset(dma.va + DMA_TXHDR + slot * 32, 0, HDR_LEN);	/* no offloads */
	if (!virtq_add(&txq, b, 2, (void *)(uintptr_t)slot))
		return false;
	*tx_notify = 1;		/* queue 1 */
	return true;
}

static bool link_up(void)
{
	return !(features & F_STATUS) || (*(volatile uint16_t *)(dev.device + 6) & STATUS_LINK_UP);
}

static void on_irq(void)
{
	vpci_isr(&dev);		/* reading clears the line */
	reap();
	hl_irq_handler_ack(irq);
}

static const char *start(const struct dev_grant *g)
{
	const char *why, *bar_va = getenv("DEV_BAR4_VA");

	if (!bar_va || !drv_dma(&dma))
		return "no DEV_BAR4_VA or DEV_DMA";
	if (dma.size < DMA_NEED || virtq_bytes(NRX) > DMA_TXQ - DMA_RXQ || virtq_bytes(NTX) > DMA_TXHDR - DMA_TXQ)
		return "DMA memory too small";
	if ((why = vpci_map(&dev, g, 4, strtoul(bar_va, NULL, 16))) ||
	    (why = vpci_start(&dev, F_MAC | F_STATUS, &features)) ||
	    (why = vpci_queue(&dev, 0, &rxq, NRX, dma.va + DMA_RXQ, dma.pa + DMA_RXQ, &rx_notify)) ||
	    (why = vpci_queue(&dev, 1, &txq, NTX, dma.va + DMA_TXQ, dma.pa + DMA_TXQ, &tx_notify)))
		return why;
	if (!(features & F_MAC))
		return "the device has no MAC address of its own";
	if (dev.device_len < 8)
		return "the device configuration is too short";
	for (int i = 0; i < 6; i++)
		nic.mac[i] = dev.device[i];
	vpci_ready(&dev);
	for (unsigned i = 0; i < rxq.size; i++)
		give_rx(i);
	*rx_notify = 0;
	return NULL;
}

int main(int argc, char **argv, char **envp)
{
	const char *grant = getenv("DEV_GRANT"), *why;
	struct dev_grant g;

	(void)argc, (void)argv, (void)envp, (void)manifest;
	nic = (struct netdrv_dev){ "virtio-net", { 0 }, 0, rx_take, rx_ready, tx_send, reap, on_irq, link_up, NULL };
	if (!netdrv_init(&nic, &irq))
		return 1;
	if (!grant || dev_grant_parse(grant, &g, &why) || (why = start(&g))) {
		printf("virtio-net: %s\n", grant ? why : "no DEV_GRANT");
		if (dev.common)
			vpci_fail(&dev);
		return 1;
	}
	hl_irq_handler_ack(irq);
	return netdrv_serve(&nic, getenv("DEV_SERVE") ? getenv("DEV_SERVE") : "net0");
}
