/*
 * crashy.c: a bus server process that dies (svc/crashy in the busproc
 * initrd, tests/qemu/bus.t). It registers "test/crashy" on the endpoint
 * init gave it, answers one call (label 1: mr0 + 1, and prints who called,
 * by bus whois), lets its caller run on for a while, then touches address
 * 0. init hears the fault and tells the bus it is gone.
 */
#include <mercury/printf.h>
#include <mercury/runtime.h>
#include <mercury/spawn.h>

#include "bus_client.h"

int main(int argc, char **argv, char **envp)
{
	hl_cptr_t bus = proc_cap("bus"), ep = proc_cap("ep"), reply = proc_cap("reply");
	char who[BUS_WHOIS_CLIENT_MAX + 1] = "?";
	struct hl_msg m = { 0, { 0, 0, 0, 0 } };
	struct hl_result r;
	enum hl_error st;

	(void)argc, (void)argv, (void)envp;
	if ((st = bus_register(bus, "test/crashy", ep)) != E_OK) {
		printf("crashy: register test/crashy: error %d\n", (int)st);
		return 1;
	}
	printf("crashy: registered test/crashy\n");
	r = hl_recv(ep, reply, &m);
	bus_whois(bus, r.value, who);
	printf("crashy: call label %lu from badge 0x%lx (%s)\n", (unsigned long)hl_msg_label(m.info),
	       (unsigned long)r.value, who);
	m.mr[0]++;
	m.info = hl_msginfo(0, 0, 1);
	hl_reply(reply, &m);
	for (int i = 0; i < 2000; i++)	/* the caller starts watching meanwhile */
		hl_yield();
	printf("crashy: faulting now\n");
	return *(volatile int *)0;
}
