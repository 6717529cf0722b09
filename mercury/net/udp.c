/*
 * udp.c: UDP (RFC 768).  Each socket queues at most cfg.udp_queue
 * datagrams of at most one pool buffer (ETH_FRAME_MAX bytes) each, so a
 * flood fills its queue and is then counted and dropped.
 */
#include "net_int.h"

static struct sock *udp_lookup(struct net *n, uint16_t port)
{
	for (int i = 0; i < n->cfg.max_sockets; i++) {
		struct sock *s = &n->socks[i];

		if (s->type == NET_SOCK_UDP && s->user && s->lport == port)
			return s;
	}
	return NULL;
}

void udp_input(struct net *n, uint32_t src, uint32_t dst, const uint8_t *p, size_t len,
	       const uint8_t *iph, size_t iplen)
{
	struct sock *s;
	struct net_buf *b;
	uint16_t ulen;

	n->st.udp_rx++;
	if (len < UDP_HDR || (ulen = get16(p + 4)) < UDP_HDR || ulen > len) {
		n->st.udp_bad++;
		return;
	}
	if (get16(p + 6) &&
	    net_cksum_fold(net_cksum_add(net_pseudo_sum(src, dst, IP_PROTO_UDP, ulen), p, ulen))) {
		n->st.udp_bad++;
		return;
	}
	s = udp_lookup(n, get16(p + 2));
	if (!s) {
		n->st.udp_no_port++;
		if (dst == n->cfg.addr)
			icmp_unreachable(n, 3, iph, iplen);
		return;
	}
	if (ulen - UDP_HDR > ETH_FRAME_MAX) {
		n->st.udp_too_big++;
		return;
	}
	if (s->nrxq >= n->cfg.udp_queue || !(b = net_buf_get(n))) {
		n->st.udp_queue_drops++;
		return;
	}
	b->addr = src;
	b->port = get16(p);
	b->len = (uint16_t)(ulen - UDP_HDR);
	memcpy(b->data, p + UDP_HDR, b->len);
	if (s->rxq_tail)
		s->rxq_tail->next = b;
	else
		s->rxq = b;
	s->rxq_tail = b;
	s->nrxq++;
}

void udp_flush(struct net *n, struct sock *s)
{
	while (s->rxq) {
		struct net_buf *b = s->rxq;

		s->rxq = b->next;
		net_buf_put(n, b);
	}
	s->rxq_tail = NULL;
	s->nrxq = 0;
}

int net_sendto(struct net *n, int sd, const void *buf, size_t len,
	       uint32_t addr, uint16_t port, uint64_t now)
{
	struct sock *s = sock_get(n, sd);
	uint8_t *u = n->tx + ETH_HDR + IP_HDR;
	uint16_t sum;
	int err;

	n->now = now;
	if (!s || s->type != NET_SOCK_UDP)
		return -NET_EBADF;
	if (len > NET_TX_MAX - ETH_HDR - IP_HDR - UDP_HDR)
		return -NET_EMSGSIZE;
	if (!port || !addr)
		return -NET_EINVAL;
	if (!s->lport && (err = net_bind(n, sd, 0)) < 0)
		return err;
	put16(u, s->lport);
	put16(u + 2, port);
	put16(u + 4, (uint16_t)(len + UDP_HDR));
	put16(u + 6, 0);
	memcpy(u + UDP_HDR, buf, len);
	sum = net_cksum_fold(net_cksum_add(net_pseudo_sum(n->cfg.addr, addr, IP_PROTO_UDP,
							   (uint16_t)(len + UDP_HDR)), u, len + UDP_HDR));
	put16(u + 6, sum ? sum : 0xffff);
	err = ip_output(n, n->cfg.addr, addr, IP_PROTO_UDP, len + UDP_HDR);
	return err < 0 ? err : (int)len;
}

int net_recvfrom(struct net *n, int sd, void *buf, size_t len, uint32_t *addr, uint16_t *port)
{
	struct sock *s = sock_get(n, sd);
	struct net_buf *b;
	size_t got;

	if (!s || s->type != NET_SOCK_UDP)
		return -NET_EBADF;
	if (!(b = s->rxq))
		return -NET_EAGAIN;
	s->rxq = b->next;
	if (!s->rxq)
		s->rxq_tail = NULL;
	s->nrxq--;
	got = b->len < len ? b->len : len; /* the rest is cut off, as with recv(2) */
	memcpy(buf, b->data, got);
	if (addr)
		*addr = b->addr;
	if (port)
		*port = b->port;
	net_buf_put(n, b);
	return (int)got;
}
