/*
 * pkt.h: hand-built frames for the stack's host tests (a raw node on the
 * wire sends them), with correct checksums unless a test breaks one.
 */
#ifndef NET_TEST_PKT_H
#define NET_TEST_PKT_H

#include "net_int.h"

static inline size_t pkt_eth(uint8_t *f, const uint8_t *dst, const uint8_t *src, uint16_t type)
{
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	put16(f + 12, type);
	return ETH_HDR;
}

/* IPv4 header at f+14 for plen payload bytes; returns the frame length. */
static inline size_t pkt_ip(uint8_t *f, uint32_t src, uint32_t dst, uint8_t proto, size_t plen,
			    uint16_t id, uint16_t frag)
{
	uint8_t *h = f + ETH_HDR;

	memset(h, 0, IP_HDR);
	h[0] = 0x45;
	put16(h + 2, (uint16_t)(IP_HDR + plen));
	put16(h + 4, id);
	put16(h + 6, frag);
	h[8] = 64;
	h[9] = proto;
	put32(h + 12, src);
	put32(h + 16, dst);
	put16(h + 10, net_cksum_fold(net_cksum_add(0, h, IP_HDR)));
	return ETH_HDR + IP_HDR + plen;
}

static inline size_t pkt_udp(uint8_t *f, const uint8_t *dmac, const uint8_t *smac, uint32_t src,
			     uint32_t dst, uint16_t sport, uint16_t dport, const void *d, size_t len)
{
	uint8_t *u = f + ETH_HDR + IP_HDR;

	pkt_eth(f, dmac, smac, ETH_TYPE_IP);
	put16(u, sport);
	put16(u + 2, dport);
	put16(u + 4, (uint16_t)(UDP_HDR + len));
	put16(u + 6, 0);
	memcpy(u + UDP_HDR, d, len);
	put16(u + 6, net_cksum_fold(net_cksum_add(net_pseudo_sum(src, dst, IP_PROTO_UDP,
		(uint16_t)(UDP_HDR + len)), u, UDP_HDR + len)));
	return pkt_ip(f, src, dst, IP_PROTO_UDP, UDP_HDR + len, 1, 0);
}

static inline size_t pkt_tcp(uint8_t *f, const uint8_t *dmac, const uint8_t *smac, uint32_t src,
			     uint32_t dst, uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack,
			     uint8_t flags, uint16_t win, const uint8_t *opt, size_t olen,
			     const void *d, size_t len)
{
	uint8_t *t = f + ETH_HDR + IP_HDR;
	size_t hl = TCP_HDR + ((olen + 3) & ~(size_t)3);

	pkt_eth(f, dmac, smac, ETH_TYPE_IP);
	memset(t, 0, hl);
	put16(t, sport);
	put16(t + 2, dport);
	put32(t + 4, seq);
	put32(t + 8, ack);
	t[12] = (uint8_t)(hl / 4 << 4);
	t[13] = flags;
	put16(t + 14, win);
	if (olen)
		memcpy(t + TCP_HDR, opt, olen);
	if (len)
		memcpy(t + hl, d, len);
	put16(t + 16, net_cksum_fold(net_cksum_add(net_pseudo_sum(src, dst, IP_PROTO_TCP,
		(uint16_t)(hl + len)), t, hl + len)));
	return pkt_ip(f, src, dst, IP_PROTO_TCP, hl + len, 2, 0);
}

#endif
