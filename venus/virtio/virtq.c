/*
 * virtq.c: split virtqueues, the driver's side (virtq.h).
 *
 * Layout in the memory given: the descriptor table, then the available
 * ring, then (at the next 4 KiB) the used ring. Free descriptors form a
 * list through their next fields; a chain's head names the request.
 */
#include <mercury/string.h>

#include "virtq.h"

#define PAGE 4096u

static size_t align_up(size_t v, size_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static size_t used_offset(uint16_t size)
{
	return align_up(16u * size + 6u + 2u * size, PAGE);
}

size_t virtq_bytes(uint16_t size)
{
	return used_offset(size) + align_up(6u + 8u * size, PAGE);
}

bool virtq_init(struct virtq *q, uint16_t size, void *mem, uint64_t pa)
{
	if (size == 0 || size > VIRTQ_MAX || (size & (size - 1)))
		return false;
	memset(q, 0, sizeof(*q));
	memset(mem, 0, virtq_bytes(size));
	q->size = size;
	q->desc = mem;
	q->avail = (void *)((uint8_t *)mem + 16u * size);
	q->used = (void *)((uint8_t *)mem + used_offset(size));
	q->desc_pa = pa;
	q->avail_pa = pa + 16u * size;
	q->used_pa = pa + used_offset(size);
	for (uint16_t i = 0; i < size; i++)
		q->desc[i].next = (uint16_t)(i + 1);
	q->nfree = size;
	return true;
}

bool virtq_add(struct virtq *q, const struct vq_buf *bufs, unsigned n, void *cookie)
{
	uint16_t head = q->free_head, d = head, last = head;

	if (n == 0 || n > q->nfree)
		return false;
	for (unsigned i = 0; i < n; i++) {
		last = d;
		q->desc[d].addr = bufs[i].pa;
		q->desc[d].len = bufs[i].len;
		q->desc[d].flags = (uint16_t)((i + 1 < n ? VQ_DESC_NEXT : 0) | (bufs[i].device_writes ? VQ_DESC_WRITE : 0));
		d = q->desc[d].next;
	}
	q->free_head = d;
	q->nfree = (uint16_t)(q->nfree - n);
	q->desc[last].next = 0;
	q->chain_len[head] = (uint16_t)n;
	q->cookie[head] = cookie;
	q->avail->ring[q->avail_idx % q->size] = head;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);	/* the ring entry before the index the device reads */
	q->avail->idx = ++q->avail_idx;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);	/* and the index before the caller's notify */
	return true;
}

/* Returns the chain at head to the free list. */
static void free_chain(struct virtq *q, uint16_t head)
{
	uint16_t d = head;

	for (uint16_t i = 1; i < q->chain_len[head]; i++)
		d = q->desc[d].next % q->size;
	q->desc[d].next = q->free_head;
	q->free_head = head;
	q->nfree = (uint16_t)(q->nfree + q->chain_len[head]);
	q->chain_len[head] = 0;
	q->cookie[head] = NULL;
}

bool virtq_pop(struct virtq *q, void **cookie, uint32_t *written)
{
	while (q->last_used != q->used->idx) {
		struct vq_used_elem e;

		__atomic_thread_fence(__ATOMIC_SEQ_CST);	/* the index before the element it covers */
		e.id = q->used->ring[q->last_used % q->size].id;
		e.len = q->used->ring[q->last_used % q->size].len;
		q->last_used++;
		if (e.id >= q->size || !q->chain_len[e.id]) {
			q->bad_used++;		/* not a request in flight: ignore it */
			continue;
		}
		*cookie = q->cookie[e.id];
		*written = e.len;
		free_chain(q, (uint16_t)e.id);
		return true;
	}
	return false;
}

unsigned virtq_in_flight(const struct virtq *q)
{
	unsigned n = 0;

	for (unsigned i = 0; i < q->size; i++)
		n += q->chain_len[i] != 0;
	return n;
}
