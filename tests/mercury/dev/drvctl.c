/*
 * drvctl.c: a client of the device manager's driver control (svc/drvctl in
 * build/tests/drvctl.initrd, tests/qemu/drvrestart.t). Through the bus it
 * finds the devices testdrv drives, waits for each to settle (finished or
 * given up), restarts one that finished and sees it run again, and tries
 * the refusals. One "drvctl: ok|not ok" line per check; exits with the
 * number of failures.
 */
#include <mercury/printf.h>
#include <mercury/runtime.h>
#include <mercury/spawn.h>
#include <mercury/string.h>

#include "bus_client.h"
#include "devmgr_client.h"

#define CHECK_PROG "drvctl"
#include "os_check.h"

enum { NONE, RESTARTING, RUNNING, FAILED, FINISHED };

static hl_cptr_t dm;

/* The state of dev's driver once it is no longer restarting or running. */
static uint8_t settle(uint32_t dev, uint32_t *restarts)
{
	uint8_t state = NONE;
	uint64_t pid;
	int32_t err;

	for (long i = 0; i < 20000000; i++) {
		if (devmgr_driver_status(dm, dev, &state, restarts, &pid, &err) != E_OK)
			return NONE;
		if (state == FAILED || state == FINISHED)
			break;
		hl_yield();
	}
	return state;
}

int main(int argc, char **argv, char **envp)
{
	hl_cptr_t bus = proc_cap("bus");
	uint32_t n = 0, restarts = 0, again = 0, plain = UINT32_MAX;
	int finished = -1, gave_up = -1;

	(void)argc, (void)argv, (void)envp;
	dm = proc_slot(0);
	check(bus_wait(bus, "devmgr", 10000, dm) == E_OK, "find devmgr on the bus", 0);
	check(devmgr_count(dm, &n) == E_OK && n > 0, "devmgr counts devices", (long)n);
	for (uint32_t d = 0; d < n; d++) {
		char busname[17], driver[33];
		uint16_t v, id;
		uint32_t cls;
		if (devmgr_device_info(dm, d, busname, &v, &id, &cls, driver) != E_OK)
			continue;
		if (strcmp(driver, "testdrv")) {
			plain = d;
			continue;
		}
		uint8_t st = settle(d, &restarts);
		if (st == FINISHED)
			finished = (int)d;
		if (st == FAILED)
			gave_up = (int)d;
		printf("drvctl: device %u: testdrv %s after %u restarts\n", d,
		       st == FINISHED ? "finished" : st == FAILED ? "given up" : "unsettled", restarts);
	}
	check(finished >= 0 && gave_up >= 0, "one testdrv finished, one was given up", finished);
	if (finished >= 0) {
		uint8_t st;
		uint64_t pid;
		int32_t err;
		devmgr_driver_status(dm, (uint32_t)finished, &st, &restarts, &pid, &err);
		check(devmgr_restart_driver(dm, (uint32_t)finished) == E_OK, "restart the finished one", 0);
		st = settle((uint32_t)finished, &again);
		check(st == FINISHED && again == restarts + 1, "it ran again, one restart more", (long)again);
	}
	if (gave_up >= 0) {
		check(devmgr_restart_driver(dm, (uint32_t)gave_up) == E_OK, "restart the given-up one by hand", 0);
		uint8_t st = settle((uint32_t)gave_up, &again);
		check(st == FAILED, "it fails its series again", (long)again);
	}
	if (plain != UINT32_MAX)
		check(devmgr_restart_driver(dm, plain) == E_NOCAP, "restart a device without a driver: E_NOCAP", 0);
	check(devmgr_restart_driver(dm, n + 5) == E_RANGE, "restart a device past the end: E_RANGE", 0);
	uint8_t st;
	uint64_t pid;
	int32_t err;
	check(devmgr_driver_status(dm, n, &st, &restarts, &pid, &err) == E_RANGE, "status past the end: E_RANGE", 0);
	return check_failed;
}
