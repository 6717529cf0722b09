/*
 * mercury/dev/netdrv.h: what every network driver shares (netdrv.c): the
 * server side of netif.ipc over a device's hooks. Clients share a buffer
 * (drvbuf.c); a send hands the device the frame where it lies in the
 * client's buffer and is answered once the device is done with it (the
 * call waits in a spare Reply); a receive copies the oldest received frame
 * into the client's buffer, waiting up to its timeout (drvserve.c).
 */
#ifndef MERCURY_DEV_NETDRV_H
#define MERCURY_DEV_NETDRV_H

#include <stdbool.h>
#include <stdint.h>
#include <mercury/hl.h>

#define NETDRV_FRAME_MIN	14
#define NETDRV_FRAME_MAX	1514
#define NETDRV_TX		8	/* sends in the device at once */

struct netdrv_dev {
	const char *name;	/* for messages: "e1000", "virtio-net" */
	uint8_t mac[6];
	uint32_t speed_mbps;	/* 0: unknown */
	/* Copies the oldest received frame to dst (room >= 1514 bytes) and gives
	 * its buffer back to the device; its length, or -1 when none waits. */
	int (*rx_take)(void *dst);
	bool (*rx_ready)(void);
	/* Queues the frame at physical pa for sending as slot (netdrv_tx_done
	 * says when it went); false when the device's queue is full. */
	bool (*tx)(uint64_t pa, uint16_t len, unsigned slot);
	/* Takes what the device finished: received frames, sent ones. */
	void (*reap)(void);
	/* The device's interrupt: find out why, reap, acknowledge. */
	void (*irq)(void);
	bool (*link_up)(void);
	enum hl_error (*promiscuous)(bool on);	/* NULL: E_NOSYS */
};

/* Takes the caps every network driver needs (ep, reply and its spares,
 * timer, bus, mem, irq); false (printed) when one is missing. *irq: the
 * IRQ handler cap. */
bool netdrv_init(const struct netdrv_dev *d, hl_cptr_t *irq);
/* From reap: the send in slot is done; its caller hears E_OK. */
void netdrv_tx_done(unsigned slot);
/* Registers bus_name and serves netif.ipc for ever; returns 1 (printed)
 * if the name cannot be registered. */
int netdrv_serve(const struct netdrv_dev *d, const char *bus_name);

#endif
