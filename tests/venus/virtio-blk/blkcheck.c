/*
 * blkcheck: a block driver's client (tests/qemu/blk.t). It finds
 * blk0, shares a buffer, reads what the host wrote on the image, writes
 * blocks the host checks afterwards, and tries every refusal. On a
 * read-only disk (the test says which) writes must be refused.
 */
#include <mercury/printf.h>
#include <mercury/runtime.h>
#include <mercury/string.h>

#include "blockdev_client.h"
#include "bus_client.h"
#include "mem_client.h"

#define CHECK_PROG "blkcheck"
#include "os_check.h"

#define BUF (64u << 10)

static uint8_t *buf;

/* Sector i of the image the test made starts with "ares sector NNNNN\n". */
static int host_sector_ok(const uint8_t *p, unsigned i)
{
	char want[32];

	snprintf(want, sizeof(want), "ares sector %05u\n", i);
	return !memcmp(p, want, strlen(want));
}

int main(int argc, char **argv, char **envp)
{
	hl_cptr_t bus = proc_cap("bus"), mem = proc_cap("mem"), blk = slot_alloc(), token = slot_alloc();
	uint32_t bs = 0, size = 0;
	uint64_t blocks = 0, va = 0, pa = 0;
	bool read_only = false;
	char model[BLOCKDEV_INFO_MODEL_MAX + 1];
	unsigned good = 0;
	enum hl_error st;

	(void)argc, (void)argv, (void)envp;
	check(bus_wait(bus, "blk0", 10000, blk) == E_OK, "find blk0 on the bus", 0);
	st = blockdev_info(blk, &bs, &blocks, &read_only, model);
	check(st == E_OK && bs == 512 && blocks == 16384, "info: 16384 blocks of 512 bytes", (long)blocks);
	printf("blkcheck: model '%s'\n", model);	/* the test knows what each device says */
	printf("blkcheck: read-only %d\n", read_only);
	check(blockdev_read(blk, 0, 1, 0) == E_NOCAP, "a read before a buffer is shared: E_NOCAP", 0);
	check(blockdev_attach_buffer(blk, proc_cap("console"), &size) == E_NOCAP, "share a console cap: E_NOCAP", 0);
	check(mem_alloc(mem, BUF, &va, &pa, token) == E_OK, "allocate a 64 KiB buffer", 0);
	buf = (uint8_t *)va;
	st = blockdev_attach_buffer(blk, token, &size);
	check(st == E_OK && size == BUF, "share it with the driver", st == E_OK ? (long)size : -(long)st);

	check(blockdev_read(blk, 0, 128, 0) == E_OK, "read blocks 0-127 into it", 0);
	for (unsigned i = 0; i < 128; i++)
		good += host_sector_ok(buf + i * 512, i);
	check(good == 128, "every block holds what the host wrote", good);
	check(blockdev_read(blk, 16383, 1, 512) == E_OK && host_sector_ok(buf + 512, 16383),
	      "read the last block at an offset", 0);

	check(blockdev_read(blk, 0, 0, 0) == E_RANGE, "read 0 blocks: E_RANGE", 0);
	check(blockdev_read(blk, 16384, 1, 0) == E_RANGE, "read past the end: E_RANGE", 0);
	check(blockdev_read(blk, 16383, 2, 0) == E_RANGE, "read across the end: E_RANGE", 0);
	check(blockdev_read(blk, ~0ull, 2, 0) == E_RANGE, "a huge block number (no overflow): E_RANGE", 0);
	check(blockdev_read(blk, 0, 129, 0) == E_RANGE, "more than the buffer holds: E_RANGE", 0);
	check(blockdev_read(blk, 0, 1, BUF - 511) == E_RANGE, "past the buffer's end at an offset: E_RANGE", 0);
	check(blockdev_read(blk, 0, 1, 0xFFFFFFFFu) == E_RANGE, "a huge offset: E_RANGE", 0);

	for (unsigned i = 0; i < 16; i++)
		snprintf((char *)buf + i * 512, 512, "blkcheck wrote block %u\n", 1000 + i);
	st = blockdev_write(blk, 1000, 16, 0);
	if (read_only) {
		check(st == E_PERM, "a write to a read-only disk: E_PERM", st);
	} else {
		check(st == E_OK, "write blocks 1000-1015", st);
		memset(buf + 32768, 0, 8192);
		check(blockdev_read(blk, 1000, 16, 32768) == E_OK && !memcmp(buf, buf + 32768, 8192),
		      "read them back into another part of the buffer", 0);
		strcpy((char *)buf, "blkcheck done\n");
		check(blockdev_write(blk, 2000, 1, 0) == E_OK, "write block 2000", 0);
	}
	check(blockdev_flush(blk) == E_OK, "flush", 0);
	check(mem_detach(mem, va) == E_OK, "our mapping goes (the driver keeps the buffer)", 0);
	printf("blkcheck: done, %d failed\n", check_failed);
	return check_failed;
}
