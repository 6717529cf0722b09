/*
 * netdrv.c: netif.ipc for every network driver (netdrv.h).
 */
#include <mercury/printf.h>
#include <mercury/runtime.h>
#include <mercury/string.h>

#include "bus_client.h"
#include "drvbuf.h"
#include "drvserve.h"
#include "ipc_rt.h"
#include "netdrv.h"
#include "netif_server.h"

static const struct netdrv_dev *dev;
static struct drv_server srv;
static struct drv_clients clients;
static hl_cptr_t tx_wait[NETDRV_TX];	/* the call waiting for each send in the device */

void netdrv_tx_done(unsigned slot)
{
	struct hl_msg m = { 0, { 0, 0, 0, 0 } };

	if (slot >= NETDRV_TX || !tx_wait[slot])
		return;
	ipc_reply_status(&m, E_OK);
	drv_answer(&srv, tx_wait[slot], &m);
	tx_wait[slot] = 0;
}

/* Copies the oldest frame into the client's buffer at offset; its length, or -1. */
static int take(uint64_t badge, uint32_t offset)
{
	struct drv_client *c = drv_client(&clients, badge);

	return drv_client_fits(c, offset, NETDRV_FRAME_MAX) ? dev->rx_take((void *)(c->va + offset)) : -1;
}

/* A waiting receive's answer: a frame, or E_AGAIN at its timeout. */
static void fill(struct drv_server *s, struct hl_msg *m, uint32_t offset, uint64_t badge)
{
	int len = take(badge, offset);
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

static enum hl_error on_info(void *ctx, uint64_t badge, uint8_t *mac, size_t *mac_len, uint32_t *mtu, bool *link,
			     uint32_t *speed)
{
	(void)ctx, (void)badge;
	memcpy(mac, dev->mac, 6);
	*mac_len = 6;
	*mtu = NETDRV_FRAME_MAX - 14;
	*link = dev->link_up();
	*speed = dev->speed_mbps;
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
	unsigned i = 0;

	(void)ctx;
	if (!c)
		return E_NOCAP;
	if (len < NETDRV_FRAME_MIN || len > NETDRV_FRAME_MAX || !drv_client_fits(c, offset, len))
		return E_RANGE;
	dev->reap();
	while (i < NETDRV_TX && tx_wait[i])
		i++;
	if (i == NETDRV_TX || !(tx_wait[i] = drv_keep(&srv)))
		return E_BUSY;		/* sends in flight, or no spare Reply to wait in */
	if (!dev->tx(c->pa + offset, len, i)) {
		drv_unkeep(&srv, tx_wait[i]);
		tx_wait[i] = 0;
		return E_BUSY;		/* the device's queue is full */
	}
	return E_OK;
}

static enum hl_error on_receive(void *ctx, uint64_t badge, uint32_t offset, uint32_t timeout_ms, uint16_t *len)
{
	struct drv_client *c = drv_client(&clients, badge);
	int n;

	(void)ctx;
	if (!c)
		return E_NOCAP;
	if (!drv_client_fits(c, offset, NETDRV_FRAME_MAX))
		return E_RANGE;
	dev->reap();
	if ((n = take(badge, offset)) >= 0) {
		*len = (uint16_t)n;
		return E_OK;
	}
	if (!timeout_ms)
		return E_AGAIN;
	return drv_defer(&srv, offset, timeout_ms) == E_OK ? E_OK : E_BUSY;
}

static enum hl_error on_promiscuous(void *ctx, uint64_t badge, bool on)
{
	(void)ctx, (void)badge;
	return dev->promiscuous ? dev->promiscuous(on) : E_NOSYS;
}

static void dispatch(struct drv_server *s, uint64_t badge, struct hl_msg *m)
{
	static const struct netif_handlers h = { on_info, on_attach, on_send, on_receive, on_promiscuous };

	(void)s;
	netif_dispatch(&h, NULL, badge, m);
}

static void on_irq(struct drv_server *s)
{
	(void)s;
	dev->irq();
}

static bool rx_ready(void)
{
	return dev->rx_ready();
}

bool netdrv_init(const struct netdrv_dev *d, hl_cptr_t *irq)
{
	dev = d;
	clients.mem = proc_cap("mem");
	*irq = proc_cap("irq");
	srv.fill = fill, srv.on_irq = on_irq, srv.dispatch = dispatch;
	if (!drv_server_init(&srv) || !srv.timer || !*irq || !clients.mem || !proc_cap("bus")) {
		printf("%s: missing a cap (irq, mem, timer, bus, ep, reply)\n", d->name);
		return false;
	}
	return true;
}

int netdrv_serve(const struct netdrv_dev *d, const char *bus_name)
{
	enum hl_error st;

	if ((st = bus_register(proc_cap("bus"), bus_name, srv.ep)) != E_OK) {
		printf("%s: cannot register \"%s\" on the bus (error %d)\n", d->name, bus_name, (int)st);
		return 1;
	}
	printf("%s: %02x:%02x:%02x:%02x:%02x:%02x, link %s, serving %s\n", d->name, d->mac[0], d->mac[1], d->mac[2],
	       d->mac[3], d->mac[4], d->mac[5], d->link_up() ? "up" : "down", bus_name);
	drv_serve(&srv, rx_ready);
}
