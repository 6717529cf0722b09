/*
 * vblk: the virtio-blk driver (venus/virtio-blk), virtio 1.x over the
 * modern PCI transport, one split virtqueue, INTx, serving blockdev.ipc as
 * "blk0" through mercury/dev/blkdrv.c: the device reads and writes each
 * client's shared buffer at its physical address, no copy. Nothing the
 * device says is trusted: used elements are checked (virtq.c), a status
 * other than OK fails that request only.
 */
#include <mercury/printf.h>
#include <mercury/runtime.h>
#include <mercury/string.h>

#include "blkdrv.h"
#include "devmgr.h"
#include "drvbuf.h"
#include "vpci.h"

static const char manifest[] __attribute__((section(".manifest"), used)) =
	"driver virtio-blk\n"
	"match vendor=1af4 device=1001   # transitional virtio-blk\n"
	"match vendor=1af4 device=1042   # virtio 1.x only\n"
	"cap bar4            # the modern transport's structures\n"
	"cap irq\n"
	"cap dma 16K         # the queue, request headers, the id\n"
	"cap mem             # clients' buffers\n"
	"serve blk*            # blk0, or the next number free\n";

#define F_RO		(1ull << 5)
#define F_BLK_SIZE	(1ull << 6)
#define F_FLUSH		(1ull << 9)

#define T_IN		0
#define T_OUT		1
#define T_FLUSH		4
#define T_GET_ID	8
#define S_OK		0
#define S_UNSUPP	2

#define QMAX		64
#define DMA_REQS	8192	/* offsets in our DMA memory */
#define DMA_ID		12288

struct hdr {
	uint32_t type, reserved;
	uint64_t sector;
};

struct dma_req {		/* what the device reads and writes of a request, in DMA memory */
	struct hdr hdr;
	uint8_t status;
	uint8_t pad[15];
};



static struct vpci dev;
static struct virtq q;
static volatile uint16_t *notify;
static struct drv_dma dma;
static hl_cptr_t irq;
static uint64_t features;
static struct blkdrv_dev disk;

static volatile struct dma_req *dreq(unsigned i)
{
	return (volatile struct dma_req *)(dma.va + DMA_REQS + i * sizeof(struct dma_req));
}

static uint64_t dreq_pa(unsigned i)
{
	return dma.pa + DMA_REQS + i * sizeof(struct dma_req);
}

/* Each request the device finished ends with its status byte's verdict. */
static void reap(void)
{
	void *cookie;
	uint32_t written;

	while (virtq_pop(&q, &cookie, &written)) {
		unsigned i = (unsigned)(uintptr_t)cookie;
		uint8_t st = dreq(i)->status;

		blkdrv_done(i, st == S_OK ? E_OK : st == S_UNSUPP ? E_INVAL : E_FAULT);
	}
}

/* A request of type at sector with data (pa, len; 0 for none) as slot i. */
static bool queue(uint32_t type, uint64_t sector, uint64_t pa, uint32_t len, unsigned i)
{
	struct vq_buf b[3];
	unsigned n = 0;

	dreq(i)->hdr = (struct hdr){ type, 0, sector };
	dreq(i)->status = 0xFF;
	b[n++] = (struct vq_buf){ dreq_pa(i), sizeof(struct hdr), false };
	if (len)
		b[n++] = (struct vq_buf){ pa, len, type == T_IN || type == T_GET_ID };
	b[n++] = (struct vq_buf){ dreq_pa(i) + offsetof(struct dma_req, status), 1, true };
	if (!virtq_add(&q, b, n, (void *)(uintptr_t)i))
		return false;
	*notify = 0;		/* queue 0 */
	return true;
}

static bool submit(enum blkdrv_op op, uint64_t lba, uint32_t count, uint64_t pa, unsigned slot)
{
	uint32_t per = disk.block_size / 512;

	if (op == BLKDRV_FLUSH)
		return queue(T_FLUSH, 0, 0, 0, slot);
	return queue(op == BLKDRV_READ ? T_IN : T_OUT, lba * per, pa, count * disk.block_size, slot);
}

static void on_irq(void)
{
	vpci_isr(&dev);		/* reading clears the line */
	reap();
	hl_irq_handler_ack(irq);
}

/* The drive's serial (GET_ID), asked before we serve: polled, slot 0. */
static void read_model(void)
{
	void *cookie;
	uint32_t written;

	memset(dma.va + DMA_ID, 0, 21);
	if (queue(T_GET_ID, 0, dma.pa + DMA_ID, 20, 0))
		for (long i = 0; i < 2000000 && !virtq_pop(&q, &cookie, &written); i++)
			hl_yield();
	if (dreq(0)->status == S_OK)
		memcpy(disk.model, dma.va + DMA_ID, 20);
	if (!disk.model[0])
		strlcpy(disk.model, "virtio-blk", sizeof(disk.model));
}

/* Sets the device up; NULL, or why not. */
static const char *start(const struct dev_grant *g)
{
	const char *why, *bar_va = getenv("DEV_BAR4_VA");

	if (!bar_va || !drv_dma(&dma))
		return "no DEV_BAR4_VA or DEV_DMA";
	if (dma.size < 16384 || virtq_bytes(QMAX) > DMA_REQS)
		return "DMA memory too small";
	if ((why = vpci_map(&dev, g, 4, strtoul(bar_va, NULL, 16))) ||
	    (why = vpci_start(&dev, F_RO | F_BLK_SIZE | F_FLUSH, &features)) ||
	    (why = vpci_queue(&dev, 0, &q, QMAX, dma.va, dma.pa, &notify)))
		return why;
	if (dev.device_len < 24)
		return "the device configuration is too short";
	disk.block_size = 512;
	if (features & F_BLK_SIZE) {
		uint32_t bs = *(volatile uint32_t *)(dev.device + 20);

		if (bs < 512 || bs > 65536 || (bs & (bs - 1)))
			return "the device's block size is not a power of two from 512 to 64K";
		disk.block_size = bs;
	}
	disk.blocks = (*(volatile uint32_t *)dev.device | (uint64_t)*(volatile uint32_t *)(dev.device + 4) << 32) /
		      (disk.block_size / 512);
	disk.read_only = (features & F_RO) != 0;
	disk.can_flush = (features & F_FLUSH) != 0;
	vpci_ready(&dev);
	read_model();
	return NULL;
}

int main(int argc, char **argv, char **envp)
{
	const char *grant = getenv("DEV_GRANT"), *why;
	struct dev_grant g;

	(void)argc, (void)argv, (void)envp, (void)manifest;
	disk = (struct blkdrv_dev){ .name = "virtio-blk", .submit = submit, .reap = reap, .irq = on_irq };
	if (!blkdrv_init(&disk, &irq))
		return 1;
	if (!grant || dev_grant_parse(grant, &g, &why) || (why = start(&g))) {
		printf("virtio-blk: %s\n", grant ? why : "no DEV_GRANT");
		if (dev.common)
			vpci_fail(&dev);
		return 1;
	}
	hl_irq_handler_ack(irq);
	return blkdrv_serve(getenv("DEV_SERVE") ? getenv("DEV_SERVE") : "blk0");
}
