/*
 * Host tests of venus/virtio/virtq.c against a simulated device that reads
 * the available ring and descriptor chains the way a virtio device does and
 * writes the used ring, including a device that misbehaves.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "virtq.h"
#include "tap.h"

static uint16_t dev_seen;	/* the device's position in the available ring */

/* The device finishes the next request offered: walks its chain, checks
 * the flags, and puts (head, written) in the used ring. Returns the
 * chain's length, or -1 if nothing is offered. */
static int device_step(struct virtq *q, uint32_t written, int *writes)
{
	uint16_t head, d, n = 0;

	if (dev_seen == q->avail->idx)
		return -1;
	head = d = q->avail->ring[dev_seen++ % q->size];
	*writes = 0;
	for (;;) {
		n++;
		*writes += !!(q->desc[d].flags & VQ_DESC_WRITE);
		if (!(q->desc[d].flags & VQ_DESC_NEXT))
			break;
		d = q->desc[d].next;
	}
	q->used->ring[q->used->idx % q->size] = (struct vq_used_elem){ head, written };
	q->used->idx++;
	return n;
}

int main(void)
{
	struct virtq q;
	void *mem = aligned_alloc(4096, 3 * 4096);
	uint64_t pa = 0x100000;
	struct vq_buf req[3] = { { 0x5000, 16, false }, { 0x9000, 512, true }, { 0x6000, 1, true } };
	void *cookie;
	uint32_t len;
	int writes = 0, k = 0;

	plan(22);
	ok(!virtq_init(&q, 0, mem, pa) && !virtq_init(&q, 6, mem, pa) && !virtq_init(&q, 512, mem, pa),
	   "sizes 0, 6 (not a power of two) and 512 refused");
	is_int(virtq_bytes(8), 8192, "a queue of 8 takes two pages");
	ok(virtq_init(&q, 8, mem, pa), "a queue of 8");
	ok(q.avail_pa == pa + 128 && q.used_pa == pa + 4096, "rings laid out: avail after the table, used at the next page");
	ok(!virtq_pop(&q, &cookie, &len), "nothing used yet");
	ok(virtq_add(&q, req, 3, (void *)1), "a chain of three");
	ok(q.desc[0].addr == 0x5000 && q.desc[0].flags == VQ_DESC_NEXT && q.desc[2].flags == VQ_DESC_WRITE,
	   "descriptors: addresses and flags");
	is_int(device_step(&q, 513, &writes), 3, "the device walks a chain of three");
	is_int(writes, 2, "  two of them device-writable");
	ok(virtq_pop(&q, &cookie, &len) && cookie == (void *)1 && len == 513, "popped with its cookie and length");
	is_int(q.nfree, 8, "every descriptor free again");

	/* Fill the queue: 2 chains of 3, then 2 descriptors are left. */
	ok(virtq_add(&q, req, 3, (void *)2) && virtq_add(&q, req, 3, (void *)3), "two chains in flight");
	ok(!virtq_add(&q, req, 3, (void *)4), "a third does not fit: refused");
	ok(virtq_add(&q, req, 2, (void *)5), "a chain of two does");
	is_int(virtq_in_flight(&q), 3, "three requests in flight");
	while (device_step(&q, 1, &writes) > 0)
		k++;
	is_int(k, 3, "the device finishes all three");
	k = 0;
	while (virtq_pop(&q, &cookie, &len))
		k += (int)(uintptr_t)cookie;
	is_int(k, 2 + 3 + 5, "all three popped, each once");
	ok(q.nfree == 8 && virtq_in_flight(&q) == 0, "nothing in flight, nothing lost");

	/* A misbehaving device: a used element for a descriptor not in flight, and an id past the queue. */
	q.used->ring[q.used->idx % 8] = (struct vq_used_elem){ 3, 0 };
	q.used->idx++;
	q.used->ring[q.used->idx % 8] = (struct vq_used_elem){ 4000, 0 };
	q.used->idx++;
	ok(!virtq_pop(&q, &cookie, &len), "bogus used elements give nothing");
	is_int(q.bad_used, 2, "  and are counted");
	/* Many rounds wrap the 16-bit indices and the ring. */
	k = 0;
	for (int i = 0; i < 70000; i++) {
		virtq_add(&q, req, 1, (void *)6);
		dev_seen = (uint16_t)(q.avail->idx - 1);
		device_step(&q, 0, &writes);
		k += virtq_pop(&q, &cookie, &len) && cookie == (void *)6;
	}
	is_int(k, 70000, "70000 requests through (indices wrap)");
	is_int(q.nfree, 8, "  every descriptor free at the end");
	free(mem);
	return done_testing();
}
