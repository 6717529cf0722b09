/*
 * mercury/dev/blkdrv.h: what every block driver shares (blkdrv.c): the
 * server side of blockdev.ipc over a device's hooks. Clients share a
 * buffer (drvbuf.c) and the device reads and writes it where it lies; a
 * request is kept in the device while other calls come in (it waits in a
 * spare Reply, answered from blkdrv_done), so several callers' requests
 * overlap; with no spare left the call waits for its request.
 */
#ifndef MERCURY_DEV_BLKDRV_H
#define MERCURY_DEV_BLKDRV_H

#include <stdbool.h>
#include <stdint.h>
#include <mercury/hl.h>

#define BLKDRV_REQS	8	/* requests in the device at once (the call at hand and the kept ones) */

enum blkdrv_op { BLKDRV_READ, BLKDRV_WRITE, BLKDRV_FLUSH };

struct blkdrv_dev {
	const char *name;	/* for messages: "nvme", "virtio-blk" */
	uint32_t block_size;
	uint64_t blocks;
	bool read_only, can_flush;
	char model[41];
	/* Queues op on count blocks from lba, the data at physical pa (none for
	 * a flush), as slot (< BLKDRV_REQS); false when the device is full. */
	bool (*submit)(enum blkdrv_op op, uint64_t lba, uint32_t count, uint64_t pa, unsigned slot);
	/* Takes what the device finished (calls blkdrv_done). */
	void (*reap)(void);
	/* The device's interrupt: find out why, reap, acknowledge. */
	void (*irq)(void);
};

/* Takes the caps every block driver needs (ep, reply and its spares, bus,
 * mem, irq); false (printed) when one is missing. *irq: the IRQ handler. */
bool blkdrv_init(struct blkdrv_dev *d, hl_cptr_t *irq);
/* From reap: the request in slot ended with st (E_OK, or E_FAULT when the device failed it). */
void blkdrv_done(unsigned slot, enum hl_error st);
/* Runs op and waits for it, without the interrupt (start-up). */
enum hl_error blkdrv_run(enum blkdrv_op op, uint64_t lba, uint32_t count, uint64_t pa);
/* Registers bus_name and serves blockdev.ipc for ever; returns 1 (printed)
 * if the name cannot be registered. */
int blkdrv_serve(const char *bus_name);

#endif
