/*
 * blkstress: writes a stream of blocks to blk0 while svc/blkkill restarts
 * the driver under it (tests/qemu/vblkkill.t). Block b gets "blkstress
 * block b\n"; a write that fails because the driver went (E_DEAD, E_NOCAP)
 * is retried once the driver is back on the bus and the buffer is shared
 * again. It stops past block 2000 once it has lived through five restarts
 * (or at the disk's end) and prints the last block it wrote; the test then
 * checks the image: every block up to it written, none after.
 */
#include <mercury/printf.h>
#include <mercury/runtime.h>
#include <mercury/string.h>

#include "blockdev_client.h"
#include "bus_client.h"
#include "mem_client.h"

#define CHECK_PROG "blkstress"
#include "os_check.h"

static hl_cptr_t bus, blk, token;

/* Finds blk0 (again) and shares the buffer with it. */
static enum hl_error connect(void)
{
	uint32_t size;
	enum hl_error st;

	slot_free(blk);
	blk = slot_alloc();
	if ((st = bus_wait(bus, "blk0", 20000, blk)) != E_OK)
		return st;
	return blockdev_attach_buffer(blk, token, &size);
}

int main(int argc, char **argv, char **envp)
{
	hl_cptr_t mem = proc_cap("mem");
	uint64_t va, pa, blocks = 0;
	uint32_t bs, b = 0, reconnects = 0, retries = 0;
	bool ro;
	char model[BLOCKDEV_INFO_MODEL_MAX + 1];
	enum hl_error st;

	(void)argc, (void)argv, (void)envp;
	bus = proc_cap("bus"), token = slot_alloc();
	check(mem_alloc(mem, 4096, &va, &pa, token) == E_OK, "allocate a buffer", 0);
	check(connect() == E_OK, "find blk0 and share the buffer", 0);
	check(blockdev_info(blk, &bs, &blocks, &ro, model) == E_OK && blocks > 2000, "info", (long)blocks);
	for (; b < blocks && (b <= 2000 || reconnects < 5); b++) {
		snprintf((char *)va, 512, "blkstress block %u\n", b);
		while ((st = blockdev_write(blk, b, 1, 0)) != E_OK) {
			if (st != E_DEAD && st != E_NOCAP) {
				check(0, "a write failed other than by the driver going", st);
				return check_failed;
			}
			retries++;
			while ((st = connect()) != E_OK)
				if (st != E_DEAD && st != E_NOCAP && st != E_AGAIN) {
					check(0, "reconnect", st);
					return check_failed;
				}
			reconnects++;
		}
	}
	check(reconnects >= 5, "lived through five restarts of the driver", reconnects);
	check(blockdev_flush(blk) == E_OK, "flush", 0);
	printf("blkstress: wrote blocks 0-%u, %u reconnects, %u retries\n", b - 1, reconnects, retries);
	return check_failed;
}
