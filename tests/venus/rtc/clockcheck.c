/*
 * clockcheck: a client of the RTC driver (svc/clockcheck in
 * build/tests/rtc.initrd, tests/qemu/rtc.t). It waits for "clock" on the
 * bus, prints the time, sets a new one and reads it back, and tries a date
 * the chip cannot hold. One "clockcheck: ok|not ok" line per check.
 */
#include <mercury/printf.h>
#include <mercury/runtime.h>
#include <mercury/spawn.h>

#include "bus_client.h"
#include "clock_client.h"

#define CHECK_PROG "clockcheck"
#include "os_check.h"

#define NS 1000000000ull


int main(int argc, char **argv, char **envp)
{
	hl_cptr_t bus = proc_cap("bus"), clock = proc_slot(0);
	uint64_t unix_ns = 0, mono = 0, res = 0, later = 0;
	enum hl_error st;

	(void)argc, (void)argv, (void)envp;
	check(bus_wait(bus, "clock", 10000, clock) == E_OK, "find clock on the bus", 0);
	st = clock_now(clock, &unix_ns, &mono);
	check(st == E_OK, "now()", st);
	printf("clockcheck: now %lu\n", (unsigned long)(unix_ns / NS));
	check(clock_resolution(clock, &res) == E_OK && res == NS, "resolution is one second", (long)res);
	/* 2030-01-02 03:04:05 UTC */
	check(clock_set(clock, 1893553445ull * NS) == E_OK, "set 2030-01-02 03:04:05", 0);
	st = clock_now(clock, &later, &mono);
	check(st == E_OK && later / NS >= 1893553445 && later / NS <= 1893553447, "now() reads it back",
	      (long)(later / NS));
	check(mono < 3 * NS, "monotonic time restarts with the new date", (long)mono);
	/* 2100-01-01: past what the chip holds. */
	check(clock_set(clock, 4102444800ull * NS) == E_RANGE, "set 2100-01-01: E_RANGE", 0);
	check(clock_set(clock, 0) == E_RANGE, "set 1970 (before 2000): E_RANGE", 0);
	st = clock_now(clock, &later, &mono);
	check(st == E_OK && later / NS >= 1893553445 && later / NS <= 1893553450, "a refused set changed nothing",
	      (long)(later / NS));
	return check_failed;
}
