/*
 * net.c: the stack as a whole: carving the arena (net_init), the entry
 * points the caller drives (net_input, net_poll) and configuration.
 *
 * Arena layout: struct net, the socket table, the packet pool, then each
 * socket's TCP send and receive rings.  Nothing is allocated after this.
 */
#include "net_int.h"

static void apply_defaults(struct net_config *c)
{
	if (!c->mtu)
		c->mtu = 1500;
	if (!c->ttl)
		c->ttl = 64;
	if (!c->max_sockets)
		c->max_sockets = 16;
	if (!c->tcp_sndbuf)
		c->tcp_sndbuf = 64 * 1024;
	if (!c->tcp_rcvbuf)
		c->tcp_rcvbuf = 64 * 1024;
	if (!c->pkt_bufs)
		c->pkt_bufs = 64;
	if (!c->udp_queue)
		c->udp_queue = 8;
	if (!c->rto_min)
		c->rto_min = NET_SEC;
	if (!c->msl)
		c->msl = 30 * NET_SEC;
	if (!c->delack)
		c->delack = 40 * NET_MS;
	if (!c->arp_ttl)
		c->arp_ttl = 60 * NET_SEC;
	if (!c->reass_timeout)
		c->reass_timeout = 30 * NET_SEC;
}

#define ALIGN16(x) (((x) + 15) & ~(size_t)15)

size_t net_arena_size(const struct net_config *cfg)
{
	struct net_config c = *cfg;

	apply_defaults(&c);
	return ALIGN16(sizeof(struct net)) + ALIGN16(sizeof(struct sock) * c.max_sockets) +
	       ALIGN16(sizeof(struct net_buf)) * c.pkt_bufs +
	       (size_t)c.max_sockets * (ALIGN16(c.tcp_sndbuf) + ALIGN16(c.tcp_rcvbuf));
}

static bool config_ok(const struct net_config *c)
{
	return c->mtu >= 576 && c->mtu <= 1500 && c->max_sockets <= 1024 &&
	       c->tcp_sndbuf >= 1024 && c->tcp_rcvbuf >= 1024 &&
	       c->tcp_sndbuf <= (1u << 30) && c->tcp_rcvbuf <= (1u << 30);
}

struct net *net_init(void *arena, size_t len, const struct net_config *cfg,
		     const struct net_ifops *ops)
{
	struct net_config c = *cfg;
	uint8_t *p = arena;
	struct net *n;

	apply_defaults(&c);
	if (!arena || ((uintptr_t)arena & 15) || !ops || !ops->send || !config_ok(&c) ||
	    len < net_arena_size(&c))
		return NULL;
	memset(arena, 0, ALIGN16(sizeof(struct net)) + ALIGN16(sizeof(struct sock) * c.max_sockets));
	n = (struct net *)p;
	p += ALIGN16(sizeof(struct net));
	n->cfg = c;
	n->ops = *ops;
	n->rng = c.seed ? c.seed : 0x2545f491u;
	n->ip_id = (uint16_t)net_rand(n);
	n->next_port = 49152 + net_rand(n) % 16384;
	n->socks = (struct sock *)p;
	p += ALIGN16(sizeof(struct sock) * c.max_sockets);
	for (int i = 0; i < c.pkt_bufs; i++) {
		net_buf_put(n, (struct net_buf *)p);
		p += ALIGN16(sizeof(struct net_buf));
	}
	for (int i = 0; i < c.max_sockets; i++) {
		struct tcb *t = &n->socks[i].tcb;

		t->sbuf = p;
		t->ssize = c.tcp_sndbuf;
		p += ALIGN16(c.tcp_sndbuf);
		t->rbuf = p;
		t->rsize = c.tcp_rcvbuf;
		p += ALIGN16(c.tcp_rcvbuf);
	}
	n->announce = c.addr != 0;
	return n;
}

void net_input(struct net *n, const void *frame, size_t len, uint64_t now)
{
	n->now = now;
	n->st.rx_frames++;
	n->st.rx_bytes += len;
	eth_input(n, frame, len);
}

static uint64_t earliest(uint64_t a, uint64_t b) { return a < b ? a : b; }

uint64_t net_poll(struct net *n, uint64_t now)
{
	uint64_t next = NET_NO_DEADLINE;

	n->now = now;
	if (n->announce) {
		n->announce = false;
		arp_announce(n);
	}
	next = earliest(next, arp_timers(n));
	next = earliest(next, frag_timers(n));
	for (int i = 0; i < n->cfg.max_sockets; i++)
		if (n->socks[i].type == NET_SOCK_TCP)
			next = earliest(next, tcp_timers(n, &n->socks[i]));
	return next;
}

void net_set_addr(struct net *n, uint32_t addr, uint32_t mask, uint32_t gw, uint64_t now)
{
	n->now = now;
	n->cfg.addr = addr;
	n->cfg.mask = mask;
	n->cfg.gateway = gw;
	if (addr)
		arp_announce(n);
}

void net_set_dns(struct net *n, uint32_t dns0, uint32_t dns1)
{
	n->cfg.dns[0] = dns0;
	n->cfg.dns[1] = dns1;
}

const struct net_config *net_config(const struct net *n) { return &n->cfg; }
const struct net_stats *net_stats(const struct net *n) { return &n->st; }
int net_pool_free(const struct net *n) { return n->nfree; }

int net_sockets_used(const struct net *n)
{
	int used = 0;

	for (int i = 0; i < n->cfg.max_sockets; i++)
		used += n->socks[i].type != 0;
	return used;
}
