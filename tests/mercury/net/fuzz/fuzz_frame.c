/*
 * fuzz_frame.c: libFuzzer target for the stack's input path (Ethernet,
 * ARP, IPv4 and reassembly, ICMP, UDP, TCP and its options).  The input
 * is a list of frames, each prefixed by a 2-byte length and a 1-byte
 * clock step; IPv4 header and ICMP/UDP/TCP checksums are fixed up so the
 * parsers beyond them are reached.  The stack has a TCP listener (port
 * 80, whose accepted connections are read and written), a connection
 * being opened to 10.0.0.2:80, and a UDP socket on 53.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "net_int.h"

static void sink(void *ctx, const void *f, size_t len)
{
	(void)ctx;
	(void)f;
	(void)len;
}

static void fix_checksums(uint8_t *f, size_t len)
{
	uint8_t *ip = f + ETH_HDR;
	size_t hl, tl;

	if (len < ETH_HDR + IP_HDR || get16(f + 12) != ETH_TYPE_IP || ip[0] >> 4 != 4)
		return;
	hl = (size_t)(ip[0] & 15) * 4;
	tl = get16(ip + 2);
	if (hl < IP_HDR || hl > len - ETH_HDR)
		return;
	put16(ip + 10, 0);
	put16(ip + 10, net_cksum_fold(net_cksum_add(0, ip, hl)));
	if (tl < hl || tl > len - ETH_HDR || (get16(ip + 6) & 0x3fff))
		return;
	uint8_t *p = ip + hl;
	size_t pl = tl - hl;
	uint32_t src = get32(ip + 12), dst = get32(ip + 16);
	if (ip[9] == IP_PROTO_TCP && pl >= TCP_HDR) {
		put16(p + 16, 0);
		put16(p + 16, net_cksum_fold(net_cksum_add(net_pseudo_sum(src, dst, 6, (uint16_t)pl), p, pl)));
	} else if (ip[9] == IP_PROTO_UDP && pl >= UDP_HDR && get16(p + 4) >= UDP_HDR && get16(p + 4) <= pl) {
		put16(p + 6, 0);
		put16(p + 6, net_cksum_fold(net_cksum_add(net_pseudo_sum(src, dst, 17, get16(p + 4)), p, get16(p + 4))));
	} else if (ip[9] == IP_PROTO_ICMP && pl >= 8) {
		put16(p + 2, 0);
		put16(p + 2, net_cksum_fold(net_cksum_add(0, p, pl)));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t *arena;
	static size_t asize;
	struct net_config c = { .mac = { 2, 0, 0, 0, 0, 1 } };
	struct net_ifops ops = { sink, NULL };
	uint64_t now = 1000000000;
	uint8_t f[ETH_FRAME_MAX + 4], buf[4096];

	c.addr = 0x0a000001;
	c.mask = 0xffffff00;
	c.gateway = 0x0a0000fe;
	c.max_sockets = 8;
	c.tcp_sndbuf = c.tcp_rcvbuf = 8192;
	c.pkt_bufs = 16;
	c.seed = 1;
	if (!arena) {
		asize = net_arena_size(&c);
		arena = aligned_alloc(16, (asize + 15) & ~(size_t)15);
	}
	struct net *n = net_init(arena, asize, &c, &ops);
	int l = net_socket(n, NET_SOCK_TCP), u = net_socket(n, NET_SOCK_UDP), k = net_socket(n, NET_SOCK_TCP);
	net_bind(n, l, 80);
	net_listen(n, l, 2);
	net_bind(n, u, 53);
	net_connect(n, k, 0x0a000002, 80, now);
	while (size >= 3) {
		size_t len = get16(data) % (sizeof f), step = data[2];

		data += 3;
		size -= 3;
		if (len > size)
			len = size;
		memcpy(f, data, len);
		fix_checksums(f, len);
		net_input(n, f, len, now);
		data += len;
		size -= len;
		now += step * step * 10000000ull; /* up to ~650 s: timers fire */
		net_poll(n, now);
		int a = net_accept(n, l, NULL, NULL);
		for (int s = 0; s < 8; s++) {
			if (net_recv(n, s, buf, sizeof buf, now) > 0)
				net_send(n, s, buf, 100, now);
			net_recvfrom(n, s, buf, sizeof buf, NULL, NULL);
		}
		if (a >= 0 && (step & 1))
			net_close(n, a, now);
		if (step == 255)
			net_send(n, k, "x", 1, now);
	}
	return 0;
}
