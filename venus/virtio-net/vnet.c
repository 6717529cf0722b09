/*
 * vnet: the virtio-net driver (venus/virtio-net), virtio 1.x over the
 * modern PCI transport, a receive and a transmit queue, INTx. It serves
 * netif.ipc as "net0". Received frames land in our DMA memory (16 buffers
 * of 2 KiB, given back to the device once copied) and are copied into the
 * receiving client's shared buffer; a frame to send is read by the device
 * from the client's buffer itself, and the send is answered once the
 * device has used it (the call waits in a spare Reply meanwhile), so the
 * client may reuse that part of its buffer on return. Frames that come
 * while nobody waits are kept in the ring (16); more are counted dropped.
 */
#include <mercury/printf.h>
#include <mercury/runtime.h>
#include <mercury/string.h>

#include "bus_client.h"
#include "devmgr.h"
#include "drvbuf.h"
#include "drvserve.h"
#include "ipc_rt.h"
#include "netif_server.h"
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
	"serve net0\n";

#define F_MAC		(1ull << 5)
#define F_STATUS	(1ull << 16)
#define STATUS_LINK_UP	1

#define HDR_LEN		12	/* struct virtio_net_hdr with num_buffers (virtio 1) */
#define FRAME_MAX	1514
#define FRAME_MIN	14
#define NRX		16
#define NTX		8
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
static struct drv_clients clients;
static struct drv_server srv;
static hl_cptr_t irq;
static uint8_t mac[6];
static uint64_t features, dropped, rx_frames, tx_frames;

/* Receive buffers the device filled and we have not copied yet, in order. */
static struct { uint16_t buf; uint32_t len; } ready[NRX];
static unsigned nready;

/* Sends in the device: the call waiting for each (its Reply), by tx slot. */
static hl_cptr_t tx_wait[NTX];

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

		if (len < HDR_LEN + FRAME_MIN || len > HDR_LEN + FRAME_MAX || nready == NRX) {
			dropped++;	/* runt, giant, or no room: the buffer goes straight back */
			give_rx(i);
			gave = true;
			continue;
		}
		ready[nready++] = (typeof(ready[0])){ (uint16_t)i, len - HDR_LEN };
	}
	while (virtq_pop(&txq, &cookie, &len)) {
		unsigned i = (unsigned)(uintptr_t)cookie;
		struct hl_msg m = { 0, { 0, 0, 0, 0 } };

		ipc_reply_status(&m, E_OK);
		if (tx_wait[i])
			drv_answer(&srv, tx_wait[i], &m);
		tx_wait[i] = 0;
		tx_frames++;
	}
	if (gave)
		*rx_notify = 0;		/* the receive buffers given back */
}

static bool has_frame(void)
{
	return nready != 0;
}

/* Copies the oldest received frame to the client's buffer at offset; its length, or -1. */
static int take_frame(uint64_t badge, uint32_t offset)
{
	struct drv_client *c = drv_client(&clients, badge);
	uint32_t len;

	if (!nready || !drv_client_fits(c, offset, FRAME_MAX))
		return -1;
	len = ready[0].len;
	memcpy((void *)(c->va + offset), dma.va + DMA_RXBUF + ready[0].buf * RXBUF + HDR_LEN, len);
	give_rx(ready[0].buf);
	*rx_notify = 0;
	memmove(&ready[0], &ready[1], --nready * sizeof(ready[0]));
	rx_frames++;
	return (int)len;
}

/* A waiting receive's answer: a frame, or E_AGAIN at its timeout. */
static void fill(struct drv_server *s, struct hl_msg *m, uint32_t offset, uint64_t badge)
{
	int len = take_frame(badge, offset);
	struct ipc_cursor c;

	(void)s;
	if (len < 0) {
		ipc_reply_status(m, E_AGAIN);
		return;
	}
	ipc_write_begin(&c, m);
	ipc_put_word(&c, (uint64_t)len);
	ipc_write_end(&c, E_OK);
}

static enum hl_error on_info(void *ctx, uint64_t badge, uint8_t *m, size_t *m_len, uint32_t *mtu, bool *link,
			     uint32_t *speed)
{
	(void)ctx, (void)badge;
	memcpy(m, mac, 6);
	*m_len = 6;
	*mtu = FRAME_MAX - 14;
	*link = !(features & F_STATUS) || (*(volatile uint16_t *)(dev.device + 6) & STATUS_LINK_UP);
	*speed = 0;		/* virtio does not say */
	return E_OK;
}

static enum hl_error on_attach(void *ctx, uint64_t badge, hl_cptr_t buffer, uint32_t *size)
{
	(void)ctx;
	return drv_client_attach(&clients, badge, buffer, size);
}

static enum hl_error on_send(void *ctx, uint64_t badge, uint32_t offset, uint16_t len)
{
	struct drv_client *c = drv_client(&clients, badge);
	struct vq_buf b[2];
	unsigned i = 0;

	(void)ctx;
	if (!c)
		return E_NOCAP;
	if (len < FRAME_MIN || len > FRAME_MAX || !drv_client_fits(c, offset, len))
		return E_RANGE;
	reap();
	while (i < NTX && tx_wait[i])
		i++;
	if (i == NTX || txq.nfree < 2 || !(tx_wait[i] = drv_keep(&srv)))
		return E_BUSY;		/* the queue is full, or no spare Reply to wait in */
	memset(dma.va + DMA_TXHDR + i * 32, 0, HDR_LEN);	/* no offloads */
	b[0] = (struct vq_buf){ dma.pa + DMA_TXHDR + i * 32, HDR_LEN, false };
	b[1] = (struct vq_buf){ c->pa + offset, len, false };
	virtq_add(&txq, b, 2, (void *)(uintptr_t)i);	/* room checked above */
	*tx_notify = 1;		/* queue 1 */
	return E_OK;
}

static enum hl_error on_receive(void *ctx, uint64_t badge, uint32_t offset, uint32_t timeout_ms, uint16_t *len)
{
	struct drv_client *c = drv_client(&clients, badge);
	int n;

	(void)ctx;
	if (!c)
		return E_NOCAP;
	if (!drv_client_fits(c, offset, FRAME_MAX))
		return E_RANGE;
	reap();
	if ((n = take_frame(badge, offset)) >= 0) {
		*len = (uint16_t)n;
		return E_OK;
	}
	if (!timeout_ms)
		return E_AGAIN;
	return drv_defer(&srv, offset, timeout_ms) == E_OK ? E_OK : E_BUSY;
}

static enum hl_error on_promisc(void *ctx, uint64_t badge, bool on)
{
	(void)ctx, (void)badge, (void)on;
	return E_NOSYS;		/* no control queue: the device filters by our address and broadcast */
}

static void dispatch(struct drv_server *s, uint64_t badge, struct hl_msg *m)
{
	static const struct netif_handlers h = { on_info, on_attach, on_send, on_receive, on_promisc };

	(void)s;
	netif_dispatch(&h, NULL, badge, m);
}

static void on_irq(struct drv_server *s)
{
	(void)s;
	vpci_isr(&dev);
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
		mac[i] = dev.device[i];
	vpci_ready(&dev);
	for (unsigned i = 0; i < rxq.size; i++)
		give_rx(i);
	*rx_notify = 0;
	return NULL;
}

int main(int argc, char **argv, char **envp)
{
	const char *grant = getenv("DEV_GRANT"), *why;
	hl_cptr_t bus = proc_cap("bus");
	struct dev_grant g;
	enum hl_error st;

	(void)argc, (void)argv, (void)envp, (void)manifest;
	irq = proc_cap("irq"), clients.mem = proc_cap("mem");
	srv.fill = fill, srv.on_irq = on_irq, srv.dispatch = dispatch;
	if (!drv_server_init(&srv) || !srv.timer || !irq || !clients.mem || !bus || !grant) {
		printf("virtio-net: missing a cap (irq, mem, timer, bus, ep, reply) or DEV_GRANT\n");
		return 1;
	}
	if (dev_grant_parse(grant, &g, &why) || (why = start(&g))) {
		printf("virtio-net: %s\n", why);
		if (dev.common)
			vpci_fail(&dev);
		return 1;
	}
	hl_irq_handler_ack(irq);
	if ((st = bus_register(bus, "net0", srv.ep)) != E_OK) {
		printf("virtio-net: cannot register \"net0\" on the bus (error %d)\n", (int)st);
		return 1;
	}
	printf("virtio-net: %02x:%02x:%02x:%02x:%02x:%02x, link %s, queues of %u and %u, serving net0\n", mac[0],
	       mac[1], mac[2], mac[3], mac[4], mac[5],
	       !(features & F_STATUS) || (*(volatile uint16_t *)(dev.device + 6) & STATUS_LINK_UP) ? "up" : "down",
	       rxq.size, txq.size);
	drv_serve(&srv, has_frame);
}
