/*
 * arp.c: ARP (RFC 826) over a fixed cache.
 *
 * An entry is FREE, PENDING (a request is out; up to ARP_PENDING_MAX
 * frames wait on it, re-requested once a second, ARP_TRIES times) or VALID
 * (until cfg.arp_ttl).  When the cache is full the entry that expires
 * first is recycled.  Any ARP naming a sender we know refreshes it
 * (RFC 826's merge); a new entry is made only when we are the target.
 */
#include "net_int.h"

#define ARP_LEN 28

static struct arp_entry *arp_find(struct net *n, uint32_t ip)
{
	for (int i = 0; i < ARP_SLOTS; i++)
		if (n->arp[i].state != ARP_FREE && n->arp[i].ip == ip)
			return &n->arp[i];
	return NULL;
}

static void arp_drop_pending(struct net *n, struct arp_entry *e)
{
	while (e->pending) {
		struct net_buf *b = e->pending;

		e->pending = b->next;
		net_buf_put(n, b);
		n->st.arp_unresolved_drops++;
	}
	e->npending = 0;
}

static struct arp_entry *arp_new(struct net *n, uint32_t ip)
{
	struct arp_entry *victim = &n->arp[0];

	for (int i = 0; i < ARP_SLOTS; i++) {
		if (n->arp[i].state == ARP_FREE) {
			victim = &n->arp[i];
			break;
		}
		if (n->arp[i].deadline < victim->deadline)
			victim = &n->arp[i];
	}
	arp_drop_pending(n, victim);
	memset(victim, 0, sizeof *victim);
	victim->ip = ip;
	return victim;
}

/* Sends one ARP packet: op 1 request, 2 reply. */
static void arp_send(struct net *n, uint16_t op, const uint8_t *dst_mac, const uint8_t *tha,
		     uint32_t spa, uint32_t tpa)
{
	uint8_t f[60];
	uint8_t *a = f + ETH_HDR;

	put16(a, 1);
	put16(a + 2, ETH_TYPE_IP);
	a[4] = 6;
	a[5] = 4;
	put16(a + 6, op);
	memcpy(a + 8, n->cfg.mac, 6);
	put32(a + 14, spa);
	memcpy(a + 18, tha, 6);
	put32(a + 24, tpa);
	n->st.arp_tx++;
	eth_output(n, f, ETH_HDR + ARP_LEN, dst_mac, ETH_TYPE_ARP);
}

void arp_request(struct net *n, uint32_t sender, uint32_t target)
{
	static const uint8_t zero[6];

	arp_send(n, 1, eth_bcast, zero, sender, target);
}

/* Gratuitous ARP (an announcement, RFC 5227 2.3): our address as both
   sender and target, so neighbours refresh their caches. */
void arp_announce(struct net *n)
{
	arp_request(n, n->cfg.addr, n->cfg.addr);
}

static void arp_flush_pending(struct net *n, struct arp_entry *e)
{
	while (e->pending) {
		struct net_buf *b = e->pending;

		e->pending = b->next;
		eth_output(n, b->data, b->len, e->mac, ETH_TYPE_IP);
		net_buf_put(n, b);
	}
	e->npending = 0;
}

void arp_input(struct net *n, const uint8_t *a, size_t len)
{
	uint32_t spa, tpa;
	struct arp_entry *e;
	bool for_us;

	n->st.arp_rx++;
	if (len < ARP_LEN || get16(a) != 1 || get16(a + 2) != ETH_TYPE_IP || a[4] != 6 ||
	    a[5] != 4 || (get16(a + 6) != 1 && get16(a + 6) != 2) || (a[8] & 1)) {
		n->st.arp_bad++;
		return;
	}
	spa = get32(a + 14);
	tpa = get32(a + 24);
	for_us = n->cfg.addr && tpa == n->cfg.addr;
	if (spa == 0 || spa == IP_BCAST) /* a probe (RFC 5227) teaches nothing */
		goto reply;
	e = arp_find(n, spa);
	if (!e && for_us)
		e = arp_new(n, spa);
	if (e) {
		memcpy(e->mac, a + 8, 6);
		e->state = ARP_VALID;
		e->deadline = n->now + n->cfg.arp_ttl;
		arp_flush_pending(n, e);
	}
reply:
	if (for_us && get16(a + 6) == 1)
		arp_send(n, 2, a + 8, a + 8, n->cfg.addr, spa);
}

void arp_resolve_and_send(struct net *n, uint8_t *frame, size_t len, uint32_t nexthop)
{
	struct arp_entry *e = arp_find(n, nexthop);
	struct net_buf *b;

	if (e && e->state == ARP_VALID) {
		eth_output(n, frame, len, e->mac, ETH_TYPE_IP);
		return;
	}
	if (!e) {
		e = arp_new(n, nexthop);
		e->state = ARP_PENDING;
		e->tries = 1;
		e->deadline = n->now + NET_SEC;
		arp_request(n, n->cfg.addr, nexthop);
	}
	if (e->npending >= ARP_PENDING_MAX || !(b = net_buf_get(n))) {
		n->st.arp_queue_drops++;
		return;
	}
	memcpy(b->data, frame, len);
	b->len = (uint16_t)len;
	/* Appended, so frames leave in the order they were sent. */
	struct net_buf **tail = &e->pending;
	while (*tail)
		tail = &(*tail)->next;
	*tail = b;
	e->npending++;
}

uint64_t arp_timers(struct net *n)
{
	uint64_t next = NET_NO_DEADLINE;

	for (int i = 0; i < ARP_SLOTS; i++) {
		struct arp_entry *e = &n->arp[i];

		if (e->state == ARP_FREE)
			continue;
		if (e->deadline <= n->now) {
			if (e->state == ARP_PENDING && e->tries < ARP_TRIES) {
				e->tries++;
				e->deadline = n->now + NET_SEC;
				arp_request(n, n->cfg.addr, e->ip);
			} else {
				arp_drop_pending(n, e);
				e->state = ARP_FREE;
				continue;
			}
		}
		if (e->deadline < next)
			next = e->deadline;
	}
	return next;
}
