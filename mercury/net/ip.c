/*
 * ip.c: IPv4 (RFC 791) for a host: header checks and dispatch on input;
 * routing (on-link or via the gateway), fragmentation and ARP on output.
 * We never forward, so TTL is only set, never decremented.
 */
#include "net_int.h"

bool ip_is_local(const struct net *n, uint32_t dst)
{
	uint32_t bcast = n->cfg.addr | ~n->cfg.mask;

	if (dst == IP_BCAST)
		return true;
	if (!n->cfg.addr) /* unconfigured: DHCP's offer may be unicast to the new address */
		return true;
	return dst == n->cfg.addr || (n->cfg.mask && dst == bcast);
}

static bool bad_source(const struct net *n, uint32_t src)
{
	uint32_t bcast = n->cfg.addr | ~n->cfg.mask;

	return src == IP_BCAST || (src >> 28) == 0xe || (n->cfg.addr && n->cfg.mask && src == bcast);
}

void ip_input(struct net *n, const uint8_t *p, size_t len)
{
	size_t hlen, tlen;
	uint32_t src, dst;
	const uint8_t *payload;
	size_t plen;

	n->st.ip_rx++;
	if (len < IP_HDR || p[0] >> 4 != 4) {
		n->st.ip_bad_header++;
		return;
	}
	hlen = (size_t)(p[0] & 15) * 4;
	tlen = get16(p + 2);
	if (hlen < IP_HDR || tlen < hlen || tlen > len) {
		n->st.ip_bad_header++;
		return;
	}
	if (net_cksum_fold(net_cksum_add(0, p, hlen)) != 0) {
		n->st.ip_bad_cksum++;
		return;
	}
	src = get32(p + 12);
	dst = get32(p + 16);
	if (bad_source(n, src)) {
		n->st.ip_bad_header++;
		return;
	}
	if (!ip_is_local(n, dst)) {
		n->st.ip_not_for_us++;
		return;
	}
	payload = p + hlen;
	plen = tlen - hlen;
	if (get16(p + 6) & 0x3fff) { /* MF or an offset: a fragment */
		n->st.ip_frag_rx++;
		payload = frag_input(n, p, hlen, tlen, &plen);
		if (!payload)
			return;
	}
	switch (p[9]) {
	case IP_PROTO_ICMP:
		icmp_input(n, src, dst, payload, plen);
		break;
	case IP_PROTO_UDP:
		udp_input(n, src, dst, payload, plen, p, tlen);
		break;
	case IP_PROTO_TCP:
		tcp_input(n, src, dst, payload, plen);
		break;
	default:
		n->st.ip_bad_proto++;
		if (dst == n->cfg.addr)
			icmp_unreachable(n, 2, p, tlen);
	}
}

static void ip_header(struct net *n, uint8_t *h, uint32_t src, uint32_t dst, uint8_t proto,
		      size_t plen, uint16_t id, uint16_t frag)
{
	h[0] = 0x45;
	h[1] = 0;
	put16(h + 2, (uint16_t)(IP_HDR + plen));
	put16(h + 4, id);
	put16(h + 6, frag);
	h[8] = n->cfg.ttl;
	h[9] = proto;
	put16(h + 10, 0);
	put32(h + 12, src);
	put32(h + 16, dst);
	put16(h + 10, net_cksum_fold(net_cksum_add(0, h, IP_HDR)));
}

/* Hands a frame to ARP for its next hop, or broadcasts it. */
static int ip_send_frame(struct net *n, uint8_t *frame, size_t len, uint32_t dst)
{
	uint32_t bcast = n->cfg.addr | ~n->cfg.mask;
	uint32_t hop = dst;

	if (dst == IP_BCAST || (n->cfg.mask && dst == bcast)) {
		eth_output(n, frame, len, eth_bcast, ETH_TYPE_IP);
		return 0;
	}
	if (!n->cfg.addr)
		return -NET_EINVAL;
	if ((dst & n->cfg.mask) != (n->cfg.addr & n->cfg.mask)) {
		if (!n->cfg.gateway)
			return -NET_EINVAL;
		hop = n->cfg.gateway;
	}
	arp_resolve_and_send(n, frame, len, hop);
	return 0;
}

int ip_output(struct net *n, uint32_t src, uint32_t dst, uint8_t proto, size_t plen)
{
	size_t max = (size_t)(n->cfg.mtu - IP_HDR) & ~(size_t)7;
	uint16_t id = n->ip_id++;
	int err = 0;

	if (plen + IP_HDR <= n->cfg.mtu) {
		ip_header(n, n->tx + ETH_HDR, src, dst, proto, plen, id, 0x4000 /* DF */);
		return ip_send_frame(n, n->tx, ETH_HDR + IP_HDR + plen, dst);
	}
	if (plen > NET_TX_MAX - ETH_HDR - IP_HDR)
		return -NET_EMSGSIZE;
	for (size_t off = 0; off < plen && !err; off += max) {
		size_t chunk = plen - off < max ? plen - off : max;
		uint16_t frag = (uint16_t)(off / 8) | (off + chunk < plen ? 0x2000 : 0);

		memcpy(n->txfrag + ETH_HDR + IP_HDR, n->tx + ETH_HDR + IP_HDR + off, chunk);
		ip_header(n, n->txfrag + ETH_HDR, src, dst, proto, chunk, id, frag);
		n->st.ip_tx_frags++;
		err = ip_send_frame(n, n->txfrag, ETH_HDR + IP_HDR + chunk, dst);
	}
	return err;
}
