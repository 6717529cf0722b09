/*
 * blkdrv.c: blockdev.ipc for every block driver (blkdrv.h).
 */
#include <mercury/printf.h>
#include <mercury/runtime.h>
#include <mercury/string.h>

#include "blkdrv.h"
#include "blockdev_server.h"
#include "bus_client.h"
#include "drvbuf.h"
#include "drvserve.h"
#include "ipc_rt.h"

struct req {
	bool busy, done;
	hl_cptr_t reply;	/* a kept call, or 0: someone waits for it in blkdrv_wait */
	enum hl_error result;
};

static struct blkdrv_dev *dev;
static struct drv_server srv;
static struct drv_clients clients;
static struct req reqs[BLKDRV_REQS];

void blkdrv_done(unsigned slot, enum hl_error st)
{
	struct req *r = &reqs[slot];

	if (slot >= BLKDRV_REQS || !r->busy)
		return;
	r->result = st;
	if (r->reply) {
		struct hl_msg m = { 0, { 0, 0, 0, 0 } };

		ipc_reply_status(&m, st);
		drv_answer(&srv, r->reply, &m);
		r->busy = false;
	} else {
		r->done = true;
	}
}

/* Waits for request i without its interrupt. */
static enum hl_error wait_for(unsigned i)
{
	for (long spins = 0; !reqs[i].done; spins++) {
		dev->reap();
		if (spins > 2000000) {
			reqs[i].reply = 0;	/* lost: should it end, nobody hears */
			return E_FAULT;		/* the device never answered */
		}
		if (!reqs[i].done)
			hl_yield();
	}
	reqs[i].busy = false;
	return reqs[i].result;
}

/* Starts op; keeps the call when may_keep and a Reply is spare, else waits for it. */
static enum hl_error start(enum blkdrv_op op, uint64_t lba, uint32_t count, uint64_t pa, bool may_keep)
{
	unsigned i = 0;

	dev->reap();
	while (i < BLKDRV_REQS && reqs[i].busy)
		i++;
	if (i == BLKDRV_REQS)
		return E_BUSY;
	reqs[i] = (struct req){ true, false, may_keep ? drv_keep(&srv) : 0, E_OK };
	if (!dev->submit(op, lba, count, pa, i)) {
		if (reqs[i].reply)
			drv_unkeep(&srv, reqs[i].reply);
		reqs[i].busy = false;
		return E_BUSY;
	}
	return reqs[i].reply ? E_OK : wait_for(i);
}

enum hl_error blkdrv_run(enum blkdrv_op op, uint64_t lba, uint32_t count, uint64_t pa)
{
	return start(op, lba, count, pa, false);
}

static enum hl_error on_info(void *ctx, uint64_t badge, uint32_t *bs, uint64_t *blocks, bool *ro, char *model)
{
	(void)ctx, (void)badge;
	*bs = dev->block_size;
	*blocks = dev->blocks;
	*ro = dev->read_only;
	strlcpy(model, dev->model, BLOCKDEV_INFO_MODEL_MAX + 1);
	return E_OK;
}

static enum hl_error on_attach(void *ctx, uint64_t badge, hl_cptr_t buffer, uint32_t *size)
{
	(void)ctx;
	return drv_client_attach(&clients, badge, buffer, size);
}

/* A read or write of count blocks at lba through the caller's buffer at offset. */
static enum hl_error transfer(uint64_t badge, enum blkdrv_op op, uint64_t lba, uint32_t count, uint32_t offset)
{
	struct drv_client *c = drv_client(&clients, badge);
	uint64_t bytes = (uint64_t)count * dev->block_size;

	if (!c)
		return E_NOCAP;		/* no buffer shared */
	if (count == 0 || !drv_client_fits(c, offset, bytes) || lba >= dev->blocks || count > dev->blocks - lba)
		return E_RANGE;
	if (op == BLKDRV_WRITE && dev->read_only)
		return E_PERM;
	return start(op, lba, count, c->pa + offset, true);
}

static enum hl_error on_read(void *ctx, uint64_t badge, uint64_t lba, uint32_t count, uint32_t offset)
{
	(void)ctx;
	return transfer(badge, BLKDRV_READ, lba, count, offset);
}

static enum hl_error on_write(void *ctx, uint64_t badge, uint64_t lba, uint32_t count, uint32_t offset)
{
	(void)ctx;
	return transfer(badge, BLKDRV_WRITE, lba, count, offset);
}

static enum hl_error on_flush(void *ctx, uint64_t badge)
{
	(void)ctx, (void)badge;
	return dev->can_flush ? start(BLKDRV_FLUSH, 0, 0, 0, true) : E_OK;	/* no cache: nothing to flush */
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
	dev->irq();
}

static bool never(void)
{
	return false;
}

bool blkdrv_init(struct blkdrv_dev *d, hl_cptr_t *irq)
{
	dev = d;
	clients.mem = proc_cap("mem");
	*irq = proc_cap("irq");
	srv.on_irq = on_irq, srv.dispatch = dispatch;
	if (!drv_server_init(&srv) || !*irq || !clients.mem || !proc_cap("bus")) {
		printf("%s: missing a cap (irq, mem, bus, ep, reply)\n", d->name);
		return false;
	}
	return true;
}

int blkdrv_serve(const char *bus_name)
{
	enum hl_error st;

	if ((st = bus_register(proc_cap("bus"), bus_name, srv.ep)) != E_OK) {
		printf("%s: cannot register \"%s\" on the bus (error %d)\n", dev->name, bus_name, (int)st);
		return 1;
	}
	printf("%s: %lu blocks of %u bytes%s, '%s', serving %s\n", dev->name, (unsigned long)dev->blocks,
	       dev->block_size, dev->read_only ? " (read-only)" : "", dev->model, bus_name);
	drv_serve(&srv, never);
}
