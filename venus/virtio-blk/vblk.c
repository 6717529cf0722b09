/*
 * vblk: the virtio-blk driver (venus/virtio-blk), virtio 1.x over the
 * modern PCI transport, one split virtqueue, INTx. It serves blockdev.ipc
 * as "blk0": each client shares a buffer once (a mem.ipc token, attached
 * with our mem cap) and the device reads and writes that buffer directly
 * at its physical address: no copy. Requests are kept in the device while
 * other calls come in (each waits in a spare Reply: mercury/dev/drvserve.c),
 * so several callers' requests overlap; with no spare left a request is
 * finished before the call returns. Nothing the device says is trusted:
 * used elements are checked (virtq.c), a status other than OK is an error
 * for that request only.
 */
#include <mercury/printf.h>
#include <mercury/runtime.h>
#include <mercury/string.h>

#include "blockdev_server.h"
#include "bus_client.h"
#include "devmgr.h"
#include "drvbuf.h"
#include "drvserve.h"
#include "ipc_rt.h"
#include "vpci.h"

static const char manifest[] __attribute__((section(".manifest"), used)) =
	"driver virtio-blk\n"
	"match vendor=1af4 device=1001   # transitional virtio-blk\n"
	"match vendor=1af4 device=1042   # virtio 1.x only\n"
	"cap bar4            # the modern transport's structures\n"
	"cap irq\n"
	"cap dma 16K         # the queue, request headers, the id\n"
	"cap mem             # clients' buffers\n"
	"serve blk0\n";

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
#define NREQ		8	/* requests in flight: the call at hand and the kept ones */
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

struct req {
	bool busy, done;
	hl_cptr_t reply;	/* a kept call, or 0 for the call at hand */
	enum hl_error result;
};


static struct vpci dev;
static struct virtq q;
static volatile uint16_t *notify;
static struct drv_dma dma;
static struct req reqs[NREQ];
static struct drv_clients clients;
static hl_cptr_t irq;
static uint64_t features, capacity;	/* capacity in 512-byte sectors */
static uint32_t block_size = 512;
static char model[41];
static struct drv_server srv;

static volatile struct dma_req *dreq(unsigned i)
{
	return (volatile struct dma_req *)(dma.va + DMA_REQS + i * sizeof(struct dma_req));
}

static uint64_t dreq_pa(unsigned i)
{
	return dma.pa + DMA_REQS + i * sizeof(struct dma_req);
}

/* Answers every request the device finished. */
static void complete_all(void)
{
	void *cookie;
	uint32_t written;

	while (virtq_pop(&q, &cookie, &written)) {
		unsigned i = (unsigned)(uintptr_t)cookie;
		struct req *r = &reqs[i];
		uint8_t st = dreq(i)->status;

		r->result = st == S_OK ? E_OK : st == S_UNSUPP ? E_INVAL : E_FAULT;
		if (r->reply) {
			struct hl_msg m = { 0, { 0, 0, 0, 0 } };

			ipc_reply_status(&m, r->result);
			drv_answer(&srv, r->reply, &m);
			r->busy = false;
		} else {
			r->done = true;
		}
	}
}

/* Waits for request i without its IRQ (start-up, or no spare Reply left). */
static enum hl_error wait_done(unsigned i)
{
	for (long spins = 0; !reqs[i].done; spins++) {
		complete_all();
		if (spins > 2000000)
			return E_FAULT;		/* the device never answered: the request stays lost */
		if (!reqs[i].done)
			hl_yield();
	}
	reqs[i].busy = false;
	return reqs[i].result;
}

/* Submits a request of type at sector with data (pa, len; 0 for none);
 * with may_keep, keeps the call at hand when a Reply is spare (answered
 * from complete_all), else waits for the device. */
static enum hl_error submit(uint32_t type, uint64_t sector, uint64_t pa, uint32_t len, bool may_keep)
{
	struct vq_buf b[3];
	unsigned n = 0, i = 0;

	while (i < NREQ && reqs[i].busy)
		i++;
	if (i == NREQ)
		return E_BUSY;
	dreq(i)->hdr = (struct hdr){ type, 0, sector };
	dreq(i)->status = 0xFF;
	b[n++] = (struct vq_buf){ dreq_pa(i), sizeof(struct hdr), false };
	if (len)
		b[n++] = (struct vq_buf){ pa, len, type == T_IN || type == T_GET_ID };
	b[n++] = (struct vq_buf){ dreq_pa(i) + offsetof(struct dma_req, status), 1, true };
	if (!virtq_add(&q, b, n, (void *)(uintptr_t)i))
		return E_BUSY;
	reqs[i] = (struct req){ true, false, may_keep ? drv_keep(&srv) : 0, E_OK };
	*notify = 0;		/* queue 0 */
	return reqs[i].reply ? E_OK : wait_done(i);
}

static enum hl_error on_info(void *ctx, uint64_t badge, uint32_t *bs, uint64_t *blocks, bool *ro, char *m)
{
	(void)ctx, (void)badge;
	*bs = block_size;
	*blocks = capacity / (block_size / 512);
	*ro = (features & F_RO) != 0;
	strlcpy(m, model, BLOCKDEV_INFO_MODEL_MAX + 1);
	return E_OK;
}

static enum hl_error on_attach(void *ctx, uint64_t badge, hl_cptr_t buffer, uint32_t *size)
{
	(void)ctx;
	return drv_client_attach(&clients, badge, buffer, size);
}

/* A read or write of count blocks at lba through the caller's buffer at offset. */
static enum hl_error transfer(uint64_t badge, uint32_t type, uint64_t lba, uint32_t count, uint32_t offset)
{
	struct drv_client *c = drv_client(&clients, badge);
	uint64_t bytes = (uint64_t)count * block_size, blocks = capacity / (block_size / 512);

	if (!c)
		return E_NOCAP;		/* no buffer attached */
	if (count == 0 || !drv_client_fits(c, offset, bytes) || lba >= blocks || count > blocks - lba)
		return E_RANGE;
	if (type == T_OUT && (features & F_RO))
		return E_PERM;
	return submit(type, lba * (block_size / 512), c->pa + offset, (uint32_t)bytes, true);
}

static enum hl_error on_read(void *ctx, uint64_t badge, uint64_t lba, uint32_t count, uint32_t offset)
{
	(void)ctx;
	return transfer(badge, T_IN, lba, count, offset);
}

static enum hl_error on_write(void *ctx, uint64_t badge, uint64_t lba, uint32_t count, uint32_t offset)
{
	(void)ctx;
	return transfer(badge, T_OUT, lba, count, offset);
}

static enum hl_error on_flush(void *ctx, uint64_t badge)
{
	(void)ctx, (void)badge;
	if (!(features & F_FLUSH))
		return E_OK;		/* no write cache to flush */
	return submit(T_FLUSH, 0, 0, 0, true);
}

static void dispatch(struct drv_server *s, uint64_t badge, struct hl_msg *m)
{
	static const struct blockdev_handlers h = { on_info, on_attach, on_read, on_write, on_flush };

	(void)s;
	blockdev_dispatch(&h, NULL, badge, m);
}

static void on_irq(struct drv_server *s)
{
	(void)s;
	vpci_isr(&dev);		/* reading clears the line */
	complete_all();
	hl_irq_handler_ack(irq);
}

static bool never(void)
{
	return false;
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
	capacity = *(volatile uint32_t *)dev.device | (uint64_t)*(volatile uint32_t *)(dev.device + 4) << 32;
	if (features & F_BLK_SIZE) {
		uint32_t bs = *(volatile uint32_t *)(dev.device + 20);

		if (bs < 512 || bs > 65536 || (bs & (bs - 1)))
			return "the device's block size is not a power of two from 512 to 64K";
		block_size = bs;
	}
	vpci_ready(&dev);
	memset(dma.va + DMA_ID, 0, 21);
	if (submit(T_GET_ID, 0, dma.pa + DMA_ID, 20, false) == E_OK)
		memcpy(model, dma.va + DMA_ID, 20);
	if (!model[0])
		strlcpy(model, "virtio-blk", sizeof(model));
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
	srv.on_irq = on_irq, srv.dispatch = dispatch;
	if (!drv_server_init(&srv) || !irq || !clients.mem || !bus || !grant) {
		printf("virtio-blk: missing a cap (irq, mem, bus, ep, reply) or DEV_GRANT\n");
		return 1;
	}
	if (dev_grant_parse(grant, &g, &why) || (why = start(&g))) {
		printf("virtio-blk: %s\n", why);
		if (dev.common)
			vpci_fail(&dev);
		return 1;
	}
	hl_irq_handler_ack(irq);
	if ((st = bus_register(bus, "blk0", srv.ep)) != E_OK) {
		printf("virtio-blk: cannot register \"blk0\" on the bus (error %d)\n", (int)st);
		return 1;
	}
	printf("virtio-blk: %lu blocks of %u bytes%s, queue of %u, '%s', serving blk0\n",
	       (unsigned long)(capacity / (block_size / 512)), block_size, features & F_RO ? " (read-only)" : "",
	       q.size, model);
	drv_serve(&srv, never);
}
