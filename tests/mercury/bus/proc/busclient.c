/*
 * busclient.c: a bus client process (svc/busclient in the busproc initrd,
 * tests/qemu/bus.t). Through the bus it waits for "test/crashy" and calls
 * it, looks up "devmgr" and calls count() on it, then watches
 * "test/crashy" until its server dies: the watch must end E_DEAD, and the
 * copy it held must be revoked. Prints one "busclient: ok|not ok" line per
 * check; exits with the number of failures.
 */
#include <mercury/printf.h>
#include <mercury/runtime.h>
#include <mercury/spawn.h>

#include "bus_client.h"
#include "devmgr_client.h"

static int failed;

static void check(int ok, const char *what, long v)
{
	printf("busclient: %s - %s (%ld)\n", ok ? "ok" : "not ok", what, v);
	failed += !ok;
}

int main(int argc, char **argv, char **envp)
{
	hl_cptr_t bus = proc_cap("bus"), crashy = proc_slot(0), dm = proc_slot(1);
	struct hl_msg m = { hl_msginfo(1, 0, 1), { 41, 0, 0, 0 } };
	enum hl_error st;
	uint32_t n = 0;

	(void)argc, (void)argv, (void)envp;
	st = bus_wait(bus, "test/crashy", 5000, crashy);
	check(st == E_OK, "wait for test/crashy", st);
	st = (enum hl_error)hl_call(crashy, &m).status;
	check(st == E_OK && m.mr[0] == 42, "call test/crashy: 41 + 1", (long)m.mr[0]);
	st = bus_lookup(bus, "devmgr", dm);
	check(st == E_OK, "lookup devmgr", st);
	st = devmgr_count(dm, &n);
	check(st == E_OK && n > 0, "devmgr count() through the bus", (long)n);
	st = bus_watch(bus, "test/crashy");
	check(st == E_DEAD, "watch test/crashy ends E_DEAD when its server faults", st);
	m = (struct hl_msg){ hl_msginfo(1, 0, 1), { 1, 0, 0, 0 } };
	st = (enum hl_error)hl_call(crashy, &m).status;
	check(st == E_NOCAP, "the old copy of test/crashy is revoked", st);
	st = bus_lookup(bus, "test/crashy", crashy);
	check(st == E_NOCAP, "test/crashy is no longer registered", st);
	return failed;
}
