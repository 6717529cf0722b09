/*
 * blkkill: restarts the virtio-blk driver five times through devmgr.ipc
 * while svc/blkstress writes (tests/qemu/vblkkill.t), each time once the
 * driver runs again and a while has passed.
 */
#include <mercury/printf.h>
#include <mercury/runtime.h>
#include <mercury/string.h>

#include "bus_client.h"
#include "devmgr_client.h"

#define CHECK_PROG "blkkill"
#include "os_check.h"

#define RUNNING 2

static hl_cptr_t dm;

/* The device driven by virtio-blk, or -1. */
static int find_vblk(void)
{
	uint32_t n = 0;

	devmgr_count(dm, &n);
	for (uint32_t d = 0; d < n; d++) {
		char busname[17], driver[33];
		uint16_t v, id;
		uint32_t cls;

		if (devmgr_device_info(dm, d, busname, &v, &id, &cls, driver) == E_OK && !strcmp(driver, "virtio-blk"))
			return (int)d;
	}
	return -1;
}

static int wait_running(uint32_t dev)
{
	for (long i = 0; i < 20000000; i++) {
		uint8_t state;
		uint32_t restarts;
		uint64_t pid;
		int32_t err;

		if (devmgr_driver_status(dm, dev, &state, &restarts, &pid, &err) == E_OK && state == RUNNING)
			return 1;
		hl_yield();
	}
	return 0;
}

int main(int argc, char **argv, char **envp)
{
	int dev;
	unsigned done = 0;

	(void)argc, (void)argv, (void)envp;
	dm = slot_alloc();
	check(bus_wait(proc_cap("bus"), "devmgr", 10000, dm) == E_OK, "find devmgr", 0);
	dev = find_vblk();
	check(dev >= 0, "find the virtio-blk device", dev);
	for (int k = 0; dev >= 0 && k < 5; k++) {
		if (!wait_running((uint32_t)dev))
			break;
		for (int i = 0; i < 2000 + 700 * k; i++)
			hl_yield();	/* let writes flow */
		done += devmgr_restart_driver(dm, (uint32_t)dev) == E_OK;
	}
	check(done == 5, "restarted the driver five times", done);
	return check_failed;
}
