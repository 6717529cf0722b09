/*
 * netcheck: a network driver's client (tests/qemu/nic.t, where QEMU's
 * socket netdev joins the NIC to the test's UDP socket). It finds net0,
 * shares a buffer, sends five frames the test reads, receives the test's
 * frames and echoes each back, and tries every refusal.
 */
#include <mercury/printf.h>
#include <mercury/runtime.h>
#include <mercury/string.h>

#include "bus_client.h"
#include "mem_client.h"
#include "netif_client.h"

#define CHECK_PROG "netcheck"
#include "os_check.h"

#define ETHERTYPE 0x88B5	/* IEEE local experimental */

static uint8_t *buf, mac[6];

/* A frame to dst at offset: our address, the test's ethertype, then text. */
static uint16_t frame(uint32_t offset, const uint8_t *dst, const char *text)
{
	uint8_t *f = buf + offset;
	size_t n = strlen(text);

	memcpy(f, dst, 6);
	memcpy(f + 6, mac, 6);
	f[12] = ETHERTYPE >> 8, f[13] = ETHERTYPE & 0xFF;
	memcpy(f + 14, text, n);
	return (uint16_t)(n + 14 < 60 ? 60 : n + 14);	/* padded to Ethernet's minimum */
}

int main(int argc, char **argv, char **envp)
{
	static const uint8_t bcast[6] = { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };
	hl_cptr_t bus = proc_cap("bus"), mem = proc_cap("mem"), net = slot_alloc(), token = slot_alloc();
	uint64_t va, pa;
	uint32_t mtu = 0, speed, size = 0;
	size_t mac_len = 0;
	bool link = false;
	uint16_t len = 0;
	unsigned good = 0;
	enum hl_error st;

	(void)argc, (void)argv, (void)envp;
	check(bus_wait(bus, "net0", 10000, net) == E_OK, "find net0 on the bus", 0);
	st = netif_info(net, mac, &mac_len, &mtu, &link, &speed);
	check(st == E_OK && mac_len == 6 && mtu == 1500, "info: a MAC address and MTU 1500", (long)mtu);
	printf("netcheck: mac %02x:%02x:%02x:%02x:%02x:%02x link %d\n", mac[0], mac[1], mac[2], mac[3], mac[4], mac[5],
	       link);
	check(netif_send(net, 0, 60) == E_NOCAP, "send before a buffer is shared: E_NOCAP", 0);
	check(netif_attach(net, proc_cap("console"), &size) == E_NOCAP, "share a console cap: E_NOCAP", 0);
	check(mem_alloc(mem, 16384, &va, &pa, token) == E_OK, "allocate a 16 KiB buffer", 0);
	buf = (uint8_t *)va;
	check(netif_attach(net, token, &size) == E_OK && size == 16384, "share it with the driver", (long)size);
	check(netif_send(net, 0, 13) == E_RANGE, "send 13 bytes (shorter than a header): E_RANGE", 0);
	check(netif_send(net, 0, 1515) == E_RANGE, "send 1515 bytes (over the MTU): E_RANGE", 0);
	check(netif_send(net, 16384 - 59, 60) == E_RANGE, "send past the buffer's end: E_RANGE", 0);
	check(netif_receive(net, 16384 - 1000, 0, &len) == E_RANGE, "receive where a frame would not fit: E_RANGE", 0);
	check(netif_receive(net, 0, 0, &len) == E_AGAIN, "receive with nothing there, no wait: E_AGAIN", 0);
	check(netif_receive(net, 0, 50, &len) == E_AGAIN, "receive with nothing there, 50 ms: E_AGAIN", 0);
	st = netif_set_promiscuous(net, true);
	printf("netcheck: promiscuous %d\n", st);	/* the test knows which device can */
	if (st == E_OK)
		check(netif_set_promiscuous(net, false) == E_OK, "promiscuous mode off again", 0);

	for (unsigned i = 0; i < 5; i++) {
		char text[32];

		snprintf(text, sizeof(text), "netcheck frame %u", i);
		good += netif_send(net, 2048 * (i % 4), frame(2048 * (i % 4), bcast, text)) == E_OK;
	}
	check(good == 5, "send five frames", good);
	printf("netcheck: sent 5\n");
	good = 0;
	for (unsigned i = 0; i < 5; i++) {
		char want[32], echo[48];

		snprintf(want, sizeof(want), "host frame %u", i);
		if (netif_receive(net, 8192, 20000, &len) != E_OK || len < 14 + strlen(want) ||
		    memcmp(buf + 8192, mac, 6) || memcmp(buf + 8192 + 14, want, strlen(want)))
			continue;
		good++;
		snprintf(echo, sizeof(echo), "echo: %s", want);
		netif_send(net, 0, frame(0, buf + 8192 + 6, echo));
	}
	check(good == 5, "received the test's five frames (the runt before them dropped) and echoed each", good);
	printf("netcheck: done, %d failed\n", check_failed);
	return check_failed;
}
