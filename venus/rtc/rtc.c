/*
 * rtc: the CMOS real-time clock driver (venus/rtc). It holds exactly its
 * manifest's caps (ports 0x70-0x71, the console, and the bus, an endpoint
 * and a Reply to serve on), registers "clock" on the bus and serves
 * clock.ipc: the wall time read from the chip on every call, at its
 * one-second resolution, and setting it. No chip (a floating port, a dead
 * battery) is reported and the driver exits 0: nothing to drive.
 */
#include <mercury/printf.h>
#include <mercury/runtime.h>

#include "bus_client.h"
#include "clock_server.h"
#include "cmos.h"

static const char manifest[] __attribute__((section(".manifest"), used)) =
	"driver rtc\n"
	"match isa=rtc\n"
	"cap bar0            # the index and data ports 0x70-0x71\n"
	"serve clock\n";

#define NS 1000000000ull

static hl_cptr_t io;
static int64_t started;		/* the wall time when we started, for monotonic_ns */

static uint8_t port_read(void *ctx, uint8_t reg)
{
	(void)ctx;
	/* Bit 7 of the index masks NMIs: leave it clear, as the firmware does. */
	hl_ioport_out8(io, 0x70, reg & 0x7F);
	return (uint8_t)hl_ioport_in8(io, 0x71).value;
}

static void port_write(void *ctx, uint8_t reg, uint8_t value)
{
	(void)ctx;
	hl_ioport_out8(io, 0x70, reg & 0x7F);
	hl_ioport_out8(io, 0x71, value);
}

static const struct cmos chip = { port_read, port_write, NULL };

static int64_t wall(void)
{
	struct cmos_time t;

	return cmos_read(&chip, &t) ? -1 : cmos_to_unix(&t);
}

static enum hl_error on_now(void *ctx, uint64_t badge, uint64_t *unix_ns, uint64_t *monotonic_ns)
{
	int64_t s = wall();

	(void)ctx, (void)badge;
	if (s < 0)
		return E_FAULT;		/* the chip lost its date */
	*unix_ns = (uint64_t)s * NS;
	*monotonic_ns = s >= started ? (uint64_t)(s - started) * NS : 0;
	return E_OK;
}

static enum hl_error on_set(void *ctx, uint64_t badge, uint64_t unix_ns)
{
	struct cmos_time t;

	(void)ctx, (void)badge;
	cmos_from_unix((int64_t)(unix_ns / NS), &t);
	if (cmos_write(&chip, &t))
		return E_RANGE;		/* the chip holds 2000-2099 only */
	printf("rtc: set to %04u-%02u-%02u %02u:%02u:%02u UTC\n", t.year, t.month, t.day, t.hour,
	       t.minute, t.second);
	started = wall();		/* monotonic time starts again: there is no other clock */
	return E_OK;
}

static enum hl_error on_resolution(void *ctx, uint64_t badge, uint64_t *ns)
{
	(void)ctx, (void)badge;
	*ns = NS;
	return E_OK;
}

int main(int argc, char **argv, char **envp)
{
	static const struct clock_handlers h = { on_now, on_set, on_resolution };
	hl_cptr_t bus = proc_cap("bus"), ep = proc_cap("ep"), reply = proc_cap("reply");
	struct cmos_time t;
	enum hl_error st;

	(void)argc, (void)argv, (void)envp, (void)manifest;
	io = proc_cap("bar0");
	if (!io || !bus || !ep || !reply) {
		printf("rtc: missing a cap (bar0, bus, ep, reply)\n");
		return 1;
	}
	if (!cmos_present(&chip) || cmos_read(&chip, &t)) {
		printf("rtc: no CMOS clock with a valid date at 0x70; nothing to drive\n");
		return 0;
	}
	started = cmos_to_unix(&t);
	printf("rtc: %04u-%02u-%02u %02u:%02u:%02u UTC\n", t.year, t.month, t.day, t.hour, t.minute, t.second);
	if ((st = bus_register(bus, "clock", ep)) != E_OK) {
		printf("rtc: cannot register \"clock\" on the bus (error %d)\n", (int)st);
		return 1;
	}
	for (;;) {
		struct hl_msg m = { 0, { 0, 0, 0, 0 } };
		struct hl_result r = hl_recv(ep, reply, &m);

		if (r.status != E_OK)
			continue;
		clock_dispatch(&h, NULL, r.value, &m);
		hl_reply(reply, &m);
	}
}
