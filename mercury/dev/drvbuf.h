/*
 * mercury/dev/drvbuf.h: memory a driver works with (drvbuf.c): its own DMA
 * memory (DEV_DMA) and the buffers its clients share with it (mem.ipc
 * tokens, attached with the driver's mem cap), one per client, known by the
 * client's badge.
 */
#ifndef MERCURY_DEV_DRVBUF_H
#define MERCURY_DEV_DRVBUF_H

#include <stdbool.h>
#include <stdint.h>
#include <mercury/hl.h>

struct drv_dma {
	uint8_t *va;
	uint64_t pa, size;
};

/* Reads DEV_DMA (paddr:size:vaddr); false when it is missing or malformed. */
bool drv_dma(struct drv_dma *d);

#define DRV_CLIENTS 16

struct drv_client {
	uint64_t badge, va, pa;
	uint32_t size;		/* 0: a free entry */
};

struct drv_clients {
	hl_cptr_t mem;
	struct drv_client c[DRV_CLIENTS];
};

/* The buffer of the client with badge, or NULL when it shared none. */
struct drv_client *drv_client(struct drv_clients *cs, uint64_t badge);
/* Attaches the buffer of token for the client with badge (detaching its
 * earlier one); E_BUSY when every entry is taken, else mem_attach's status. */
enum hl_error drv_client_attach(struct drv_clients *cs, uint64_t badge, hl_cptr_t token, uint32_t *size);
/* Whether [offset, offset + len) lies inside the client's buffer. */
bool drv_client_fits(const struct drv_client *c, uint64_t offset, uint64_t len);

#endif
