/*
 * venus/virtio/virtq.h: split virtqueues (virtio 1.x, section 2.7), the
 * driver's side, portable (virtq.c; host-tested against a simulated
 * device). The rings live in memory the caller gives with its physical
 * address (a driver's DMA memory); buffers are named by physical address.
 * Nothing the device writes is trusted: a used element naming a
 * descriptor that is not in flight is counted and dropped.
 */
#ifndef VENUS_VIRTQ_H
#define VENUS_VIRTQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VIRTQ_MAX	256
#define VQ_DESC_NEXT	1
#define VQ_DESC_WRITE	2	/* the device writes this buffer */

struct vq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags, next;
};

struct vq_avail {
	uint16_t flags, idx;
	uint16_t ring[];
};

struct vq_used_elem {
	uint32_t id, len;
};

struct vq_used {
	uint16_t flags, idx;
	struct vq_used_elem ring[];
};

/* One buffer of a request: physical address, length, device-writable. */
struct vq_buf {
	uint64_t pa;
	uint32_t len;
	bool device_writes;
};

struct virtq {
	uint16_t size;
	volatile struct vq_desc *desc;
	volatile struct vq_avail *avail;
	volatile struct vq_used *used;
	uint64_t desc_pa, avail_pa, used_pa;
	uint16_t free_head, nfree, last_used, avail_idx;
	uint16_t chain_len[VIRTQ_MAX];	/* in flight: descriptors of the chain at each head (0: free) */
	void *cookie[VIRTQ_MAX];
	uint64_t bad_used;		/* used elements the device should not have written */
};

/* Bytes of memory (from a 4 KiB-aligned start) the rings of size take. */
size_t virtq_bytes(uint16_t size);
/* Lays the rings of a queue of size (a power of two, 1..VIRTQ_MAX) out in
 * mem (virtq_bytes(size) bytes, physical address pa) and frees every
 * descriptor. Returns false for a bad size. */
bool virtq_init(struct virtq *q, uint16_t size, void *mem, uint64_t pa);
/* Makes bufs[0..n) one chain, offered to the device with cookie. Returns
 * false (nothing done) when fewer than n descriptors are free. */
bool virtq_add(struct virtq *q, const struct vq_buf *bufs, unsigned n, void *cookie);
/* The next request the device finished: its cookie and the bytes it wrote;
 * false when none is waiting. */
bool virtq_pop(struct virtq *q, void **cookie, uint32_t *written);
/* Requests in flight. */
unsigned virtq_in_flight(const struct virtq *q);

#endif
