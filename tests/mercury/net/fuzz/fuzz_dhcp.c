/*
 * fuzz_dhcp.c: libFuzzer target for the DHCP codec and client.  The input
 * is decoded as a message, then delivered to a client (with its xid and
 * MAC patched in, so the state machine is reached) as one reply after
 * another, each byte after the first 240 of a chunk in turn.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "net_int.h"
#include "dhcp.h"

static void sink(void *ctx, const void *f, size_t len)
{
	(void)ctx;
	(void)f;
	(void)len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t *arena;
	static size_t asize;
	struct net_config c = { .mac = { 2, 0, 0, 0, 0, 1 } };
	struct net_ifops ops = { sink, NULL };
	struct dhcp_msg m;
	struct dhcp_client d;
	uint64_t now = 1000000000;
	uint8_t buf[1600];

	dhcp_decode(data, size, &m);
	c.max_sockets = 4;
	c.tcp_sndbuf = c.tcp_rcvbuf = 1024;
	c.pkt_bufs = 8;
	if (!arena) {
		asize = net_arena_size(&c);
		arena = aligned_alloc(16, (asize + 15) & ~(size_t)15);
	}
	struct net *n = net_init(arena, asize, &c, &ops);
	dhcp_start(&d, n, now);
	/* Chunks of up to 600 bytes, each a reply from the server. */
	while (size > 0) {
		size_t len = size < 600 ? size : 600;

		memcpy(buf, data, len);
		if (len >= 240) {
			put32(buf + 4, d.xid);
			memcpy(buf + 28, c.mac, 6);
		}
		if (dhcp_decode(buf, len, &m) == 0) {
			uint8_t f[1600];
			uint8_t *u = f + ETH_HDR + IP_HDR;
			put16(u, 67);
			put16(u + 2, 68);
			put16(u + 4, (uint16_t)(len + 8));
			put16(u + 6, 0);
			memcpy(u + 8, buf, len);
			memset(f, 0xff, 6);
			memcpy(f + 6, "\2\0\0\0\0\2", 6);
			put16(f + 12, ETH_TYPE_IP);
			uint8_t *ip = f + ETH_HDR;
			memset(ip, 0, IP_HDR);
			ip[0] = 0x45;
			put16(ip + 2, (uint16_t)(IP_HDR + 8 + len));
			ip[8] = 64;
			ip[9] = IP_PROTO_UDP;
			put32(ip + 12, 0x0a000063);
			put32(ip + 16, 0xffffffff);
			put16(ip + 10, net_cksum_fold(net_cksum_add(0, ip, IP_HDR)));
			net_input(n, f, ETH_HDR + IP_HDR + 8 + len, now);
		}
		dhcp_poll(&d, now);
		now += (uint64_t)(len ? data[len - 1] : 1) * 10000000000ull;
		net_poll(n, now);
		dhcp_poll(&d, now);
		data += len;
		size -= len;
	}
	dhcp_stop(&d, now);
	return 0;
}
