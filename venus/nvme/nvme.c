/*
 * nvme: the NVMe driver (venus/nvme), an admin queue pair and one I/O
 * queue pair, INTx, namespace 1, serving blockdev.ipc as "blk0" through
 * mercury/dev/blkdrv.c. Data moves by PRP straight to and from the
 * client's shared buffer (physically contiguous, so PRP1, PRP2 or a PRP
 * list of its pages); each request slot has a PRP list page of its own.
 * Completions are told by their phase bit; a command id names the slot,
 * and one the controller should not have answered is counted and dropped.
 */
#include <mercury/printf.h>
#include <mercury/runtime.h>
#include <mercury/string.h>

#include "blkdrv.h"
#include "drvbuf.h"

static const char manifest[] __attribute__((section(".manifest"), used)) =
	"driver nvme\n"
	"match class=01 subclass=08 progif=02   # NVM Express\n"
	"cap bar0            # the controller's registers and doorbells\n"
	"cap irq\n"
	"cap dma 64K         # the queues, identify data, PRP lists\n"
	"cap mem             # clients' buffers\n"
	"serve blk*            # blk0, or the next number free\n";

#define CAP	0x00
#define VS	0x08
#define INTMC	0x10
#define CC	0x14
#define CSTS	0x1C
#define AQA	0x24
#define ASQ	0x28
#define ACQ	0x30
#define DOORBELLS 0x1000

#define CC_EN		1u
#define CC_IOSQES	(6u << 16)	/* 64-byte submission entries */
#define CC_IOCQES	(4u << 20)	/* 16-byte completions */
#define CSTS_RDY	1u
#define CSTS_CFS	2u

#define OP_FLUSH	0x00
#define OP_WRITE	0x01
#define OP_READ		0x02
#define OP_CREATE_SQ	0x01
#define OP_CREATE_CQ	0x05
#define OP_IDENTIFY	0x06

#define QSIZE		16	/* entries per queue */
#define ADMIN_CID	0xFFF0	/* admin commands; I/O commands' ids are blkdrv slots */
#define PAGE		4096u

/* DMA memory, one page each: admin SQ, admin CQ, I/O SQ, I/O CQ,
 * identify data, then a PRP list page per request slot. */
#define DMA_ASQ		0
#define DMA_ACQ		4096
#define DMA_IOSQ	8192
#define DMA_IOCQ	12288
#define DMA_ID		16384
#define DMA_PRP		20480
#define DMA_NEED	(DMA_PRP + BLKDRV_REQS * PAGE)

struct sqe {
	uint8_t opcode, flags;
	uint16_t cid;
	uint32_t nsid;
	uint64_t rsvd, mptr, prp1, prp2;
	uint32_t cdw10, cdw11, cdw12, cdw13, cdw14, cdw15;
};

struct cqe {
	uint32_t result, rsvd;
	uint16_t sq_head, sq_id, cid, status;
};

struct queue {
	volatile struct sqe *sq;
	volatile struct cqe *cq;
	uint16_t sq_tail, cq_head;
	uint8_t phase;
	unsigned qid;
};

static volatile uint8_t *regs;
static struct drv_dma dma;
static struct queue admin, io;
static uint32_t dstrd;		/* doorbell stride, bytes */
static hl_cptr_t irq;
static uint64_t bogus;		/* completions that named no command of ours */
static struct blkdrv_dev disk;

static uint32_t rd32(unsigned r) { return *(volatile uint32_t *)(regs + r); }
static uint64_t rd64(unsigned r) { return rd32(r) | (uint64_t)rd32(r + 4) << 32; }
static void wr32(unsigned r, uint32_t v) { *(volatile uint32_t *)(regs + r) = v; }
static void wr64(unsigned r, uint64_t v) { wr32(r, (uint32_t)v); wr32(r + 4, (uint32_t)(v >> 32)); }

static void sq_doorbell(struct queue *q)
{
	wr32(DOORBELLS + (2 * q->qid) * dstrd, q->sq_tail);
}

static void cq_doorbell(struct queue *q)
{
	wr32(DOORBELLS + (2 * q->qid + 1) * dstrd, q->cq_head);
}

static void push(struct queue *q, const struct sqe *e)
{
	q->sq[q->sq_tail] = *e;
	q->sq_tail = (uint16_t)((q->sq_tail + 1) % QSIZE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);	/* the entry before the doorbell */
	sq_doorbell(q);
}

/* The next new completion of q, consumed, or false. */
static bool pop(struct queue *q, struct cqe *out)
{
	volatile struct cqe *c = &q->cq[q->cq_head];

	if ((c->status & 1) != q->phase)
		return false;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	*out = (struct cqe){ c->result, 0, c->sq_head, c->sq_id, c->cid, c->status };
	if (++q->cq_head == QSIZE)
		q->cq_head = 0, q->phase ^= 1;
	cq_doorbell(q);
	return true;
}

/* Runs an admin command and waits for it (start-up only); E_OK, or E_FAULT. */
static enum hl_error admin_run(struct sqe *e)
{
	struct cqe c;

	e->cid = ADMIN_CID;
	push(&admin, e);
	for (long i = 0; i < 4000000; i++) {
		if (pop(&admin, &c))
			return c.cid == ADMIN_CID && !(c.status >> 1) ? E_OK : E_FAULT;
		hl_yield();
	}
	return E_FAULT;
}

static void reap(void)
{
	struct cqe c;

	while (pop(&io, &c)) {
		if (c.cid >= BLKDRV_REQS) {
			bogus++;
			continue;
		}
		blkdrv_done(c.cid, c.status >> 1 ? E_FAULT : E_OK);
	}
}

/* Points e at bytes from pa: PRP1, and PRP2 or slot's PRP list. */
static void prps(struct sqe *e, uint64_t pa, uint64_t bytes, unsigned slot)
{
	uint64_t first = PAGE - (pa & (PAGE - 1)), next = (pa & ~(uint64_t)(PAGE - 1)) + PAGE;
	volatile uint64_t *list = (volatile uint64_t *)(dma.va + DMA_PRP + slot * PAGE);

	e->prp1 = pa;
	if (bytes <= first)
		return;
	if (bytes - first <= PAGE) {
		e->prp2 = next;
		return;
	}
	for (unsigned i = 0; first + (uint64_t)i * PAGE < bytes; i++)
		list[i] = next + (uint64_t)i * PAGE;
	e->prp2 = dma.pa + DMA_PRP + slot * PAGE;
}

static bool submit(enum blkdrv_op op, uint64_t lba, uint32_t count, uint64_t pa, unsigned slot)
{
	struct sqe e = { 0 };

	(void)sizeof(char[QSIZE > BLKDRV_REQS ? 1 : -1]);	/* the queue never fills: it outnumbers the slots */
	e.cid = (uint16_t)slot;
	e.nsid = 1;
	if (op == BLKDRV_FLUSH) {
		e.opcode = OP_FLUSH;
	} else {
		e.opcode = op == BLKDRV_READ ? OP_READ : OP_WRITE;
		prps(&e, pa, (uint64_t)count * disk.block_size, slot);
		e.cdw10 = (uint32_t)lba, e.cdw11 = (uint32_t)(lba >> 32);
		e.cdw12 = count - 1;	/* 0-based */
	}
	push(&io, &e);
	return true;
}

static void on_irq(void)
{
	reap();
	hl_irq_handler_ack(irq);
}

static const char *wait_ready(bool ready, uint64_t cap)
{
	long limit = (long)((cap >> 24) & 0xFF) * 500000 + 100000;	/* CAP.TO, in 500 ms units, spun */

	for (long i = 0; (rd32(CSTS) & CSTS_RDY) != (ready ? CSTS_RDY : 0); i++) {
		if (rd32(CSTS) & CSTS_CFS)
			return "the controller reports a fatal status";
		if (i > limit)
			return ready ? "the controller does not become ready" : "the controller does not stop";
		hl_yield();
	}
	return NULL;
}

static const char *start(void)
{
	const char *bar = getenv("DEV_BAR0_VA"), *why;
	uint8_t *id;
	uint64_t cap;
	unsigned lbads;
	struct sqe e;

	if (!bar || !drv_dma(&dma))
		return "no DEV_BAR0_VA or DEV_DMA";
	if (dma.size < DMA_NEED)
		return "DMA memory too small";
	regs = (volatile uint8_t *)strtoul(bar, NULL, 16);
	cap = rd64(CAP);
	dstrd = 4u << ((cap >> 32) & 0xF);
	if (((cap >> 48) & 0xF) > 0)
		return "the controller's smallest page is over 4 KiB";
	if ((cap & 0xFFFF) + 1 < QSIZE)
		return "the controller's queues are too short";
	wr32(CC, 0);
	if ((why = wait_ready(false, cap)))
		return why;
	memset(dma.va, 0, DMA_PRP);
	admin = (struct queue){ (void *)(dma.va + DMA_ASQ), (void *)(dma.va + DMA_ACQ), 0, 0, 1, 0 };
	wr32(AQA, (QSIZE - 1) << 16 | (QSIZE - 1));
	wr64(ASQ, dma.pa + DMA_ASQ);
	wr64(ACQ, dma.pa + DMA_ACQ);
	wr32(CC, CC_EN | CC_IOSQES | CC_IOCQES);	/* NVM command set, 4 KiB pages */
	if ((why = wait_ready(true, cap)))
		return why;
	wr32(INTMC, 1);		/* INTx on */

	id = dma.va + DMA_ID;
	e = (struct sqe){ .opcode = OP_IDENTIFY, .prp1 = dma.pa + DMA_ID, .cdw10 = 1 };	/* the controller */
	if (admin_run(&e) != E_OK)
		return "identify controller failed";
	memcpy(disk.model, id + 24, 40);	/* MN, space-padded */
	for (int i = 39; i >= 0 && disk.model[i] == ' '; i--)
		disk.model[i] = '\0';
	e = (struct sqe){ .opcode = OP_IDENTIFY, .nsid = 1, .prp1 = dma.pa + DMA_ID, .cdw10 = 0 };	/* namespace 1 */
	if (admin_run(&e) != E_OK)
		return "identify namespace 1 failed (no namespace?)";
	disk.blocks = *(uint64_t *)id;
	lbads = id[128 + 4 * (id[26] & 0xF) + 2];
	if (lbads < 9 || lbads > 16)
		return "the namespace's block size is not 512 B to 64 KiB";
	disk.block_size = 1u << lbads;
	disk.can_flush = true;

	io = (struct queue){ (void *)(dma.va + DMA_IOSQ), (void *)(dma.va + DMA_IOCQ), 0, 0, 1, 1 };
	e = (struct sqe){ .opcode = OP_CREATE_CQ, .prp1 = dma.pa + DMA_IOCQ, .cdw10 = (QSIZE - 1) << 16 | 1,
			  .cdw11 = 1u << 1 | 1 };	/* interrupts on, contiguous */
	if (admin_run(&e) != E_OK)
		return "create I/O completion queue failed";
	e = (struct sqe){ .opcode = OP_CREATE_SQ, .prp1 = dma.pa + DMA_IOSQ, .cdw10 = (QSIZE - 1) << 16 | 1,
			  .cdw11 = 1u << 16 | 1 };	/* to CQ 1, contiguous */
	if (admin_run(&e) != E_OK)
		return "create I/O submission queue failed";
	return NULL;
}

int main(int argc, char **argv, char **envp)
{
	const char *why;

	(void)argc, (void)argv, (void)envp, (void)manifest;
	disk = (struct blkdrv_dev){ .name = "nvme", .submit = submit, .reap = reap, .irq = on_irq };
	if (!blkdrv_init(&disk, &irq))
		return 1;
	if ((why = start())) {
		printf("nvme: %s\n", why);
		return 1;
	}
	hl_irq_handler_ack(irq);
	return blkdrv_serve(getenv("DEV_SERVE") ? getenv("DEV_SERVE") : "blk0");
}
