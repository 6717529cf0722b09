/*
 * icmp.c: ICMP (RFC 792): echo replies to requests, echo requests sent
 * by net_ping with their replies queued for net_ping_reply, and the
 * destination-unreachable errors the other layers ask for.
 */
#include "net_int.h"

#define ICMP_ECHO_REPLY 0
#define ICMP_UNREACH 3
#define ICMP_ECHO 8

static void icmp_send(struct net *n, uint32_t dst, size_t len)
{
	uint8_t *m = n->tx + ETH_HDR + IP_HDR;

	put16(m + 2, 0);
	put16(m + 2, net_cksum_fold(net_cksum_add(0, m, len)));
	ip_output(n, n->cfg.addr, dst, IP_PROTO_ICMP, len);
}

static void queue_reply(struct net *n, uint32_t src, const uint8_t *p, size_t len)
{
	struct net_ping_reply *r;

	if (n->nping == PING_QUEUE) { /* keep the newest */
		n->ping_head = (n->ping_head + 1) % PING_QUEUE;
		n->nping--;
	}
	r = &n->pings[(n->ping_head + n->nping++) % PING_QUEUE];
	r->from = src;
	r->id = get16(p + 4);
	r->seq = get16(p + 6);
	r->len = (uint16_t)(len - 8);
	r->when = n->now;
}

void icmp_input(struct net *n, uint32_t src, uint32_t dst, const uint8_t *p, size_t len)
{
	n->st.icmp_rx++;
	if (len < 8 || net_cksum_fold(net_cksum_add(0, p, len)) != 0) {
		n->st.icmp_bad++;
		return;
	}
	if (p[0] == ICMP_ECHO && p[1] == 0) {
		/* No replies to broadcast pings (RFC 1122 3.2.2.6 allows silence)
		   nor before we have an address. */
		if (dst != n->cfg.addr || !n->cfg.addr || len > NET_TX_MAX - ETH_HDR - IP_HDR)
			return;
		memmove(n->tx + ETH_HDR + IP_HDR, p, len);
		n->tx[ETH_HDR + IP_HDR] = ICMP_ECHO_REPLY;
		icmp_send(n, src, len);
		n->st.icmp_echo_replied++;
	} else if (p[0] == ICMP_ECHO_REPLY) {
		queue_reply(n, src, p, len);
	}
	/* Errors are counted as received and otherwise ignored: TCP treats
	   them as soft (RFC 1122 4.2.3.9) and relies on its timers. */
}

void icmp_unreachable(struct net *n, uint8_t code, const uint8_t *ip, size_t ip_len)
{
	uint8_t *m = n->tx + ETH_HDR + IP_HDR;
	size_t hlen = (size_t)(ip[0] & 15) * 4;
	size_t quote = ip_len < hlen + 8 ? ip_len : hlen + 8;

	/* Never about fragments after the first, nor to non-unicast sources
	   (RFC 1122 3.2.2); ip_input filtered broadcast and multicast ones. */
	if (get16(ip + 6) & 0x1fff || !n->cfg.addr)
		return;
	m[0] = ICMP_UNREACH;
	m[1] = code;
	put32(m + 4, 0);
	memmove(m + 8, ip, quote);
	n->st.icmp_unreach_tx++;
	icmp_send(n, get32(ip + 12), 8 + quote);
}

int net_ping(struct net *n, uint32_t dst, uint16_t id, uint16_t seq,
	     const void *data, size_t len, uint64_t now)
{
	uint8_t *m = n->tx + ETH_HDR + IP_HDR;

	n->now = now;
	if (len > NET_TX_MAX - ETH_HDR - IP_HDR - 8)
		return -NET_EMSGSIZE;
	if (!n->cfg.addr)
		return -NET_EINVAL;
	m[0] = ICMP_ECHO;
	m[1] = 0;
	put16(m + 4, id);
	put16(m + 6, seq);
	if (len)
		memcpy(m + 8, data, len);
	put16(m + 2, 0);
	put16(m + 2, net_cksum_fold(net_cksum_add(0, m, len + 8)));
	return ip_output(n, n->cfg.addr, dst, IP_PROTO_ICMP, len + 8);
}

int net_ping_reply(struct net *n, struct net_ping_reply *out)
{
	if (!n->nping)
		return -NET_EAGAIN;
	*out = n->pings[n->ping_head];
	n->ping_head = (n->ping_head + 1) % PING_QUEUE;
	n->nping--;
	return 0;
}
