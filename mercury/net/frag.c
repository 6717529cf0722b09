/*
 * frag.c: IPv4 reassembly, bounded: REASS_SLOTS datagrams at once, each at
 * most REASS_MAX bytes, each dropped after cfg.reass_timeout.  Received
 * 8-byte blocks are marked in a bitmap; a fragment overlapping any block
 * already held drops the whole datagram (the teardrop class of attacks
 * lives in overlap handling, and RFC 5722 makes the same choice for IPv6).
 * When all slots are busy the oldest datagram is given up.
 */
#include "net_int.h"

static void reass_drop(struct net *n, struct reass *r)
{
	r->used = false;
	n->st.ip_frag_drops++;
}

static struct reass *reass_slot(struct net *n, uint32_t src, uint32_t dst, uint8_t proto, uint16_t id)
{
	struct reass *oldest = &n->reass[0], *free = NULL;

	for (int i = 0; i < REASS_SLOTS; i++) {
		struct reass *r = &n->reass[i];

		if (r->used && r->src == src && r->dst == dst && r->proto == proto && r->id == id)
			return r;
		if (!r->used && !free)
			free = r;
		if (r->deadline < oldest->deadline)
			oldest = r;
	}
	if (!free) {
		reass_drop(n, oldest);
		free = oldest;
	}
	free->used = true;
	free->src = src;
	free->dst = dst;
	free->proto = proto;
	free->id = id;
	free->total = 0;
	free->have = 0;
	free->deadline = n->now + n->cfg.reass_timeout;
	memset(free->seen, 0, sizeof free->seen);
	return free;
}

/* Marks blocks [first, last) seen; false if any already was. */
static bool mark_blocks(struct reass *r, uint32_t first, uint32_t last)
{
	for (uint32_t b = first; b < last; b++)
		if (r->seen[b / 8] & (1u << (b % 8)))
			return false;
	for (uint32_t b = first; b < last; b++)
		r->seen[b / 8] |= (uint8_t)(1u << (b % 8));
	return true;
}

const uint8_t *frag_input(struct net *n, const uint8_t *ip, size_t hlen, size_t len, size_t *plen)
{
	uint16_t fl = get16(ip + 6);
	uint32_t off = (uint32_t)(fl & 0x1fff) * 8;
	uint32_t dlen = (uint32_t)(len - hlen);
	bool more = fl & 0x2000;
	struct reass *r;

	/* Checked before taking a slot, so bogus fragments evict nothing.
	   Every fragment but the last carries a multiple of 8 bytes. */
	if (off + dlen > REASS_MAX || (more && (dlen == 0 || dlen % 8))) {
		n->st.ip_frag_drops++;
		return NULL;
	}
	r = reass_slot(n, get32(ip + 12), get32(ip + 16), ip[9], get16(ip + 4));
	if ((!more && r->total) || (r->total && off + dlen > r->total)) {
		reass_drop(n, r);
		return NULL;
	}
	if (!mark_blocks(r, off / 8, (off + dlen + 7) / 8)) {
		reass_drop(n, r);
		return NULL;
	}
	if (!more) {
		r->total = off + dlen;
		/* A block marked past the end means a fragment there lied. */
		for (uint32_t b = (r->total + 7) / 8; b < REASS_MAX / 8; b++)
			if (r->seen[b / 8] & (1u << (b % 8))) {
				reass_drop(n, r);
				return NULL;
			}
	}
	memcpy(r->data + off, ip + hlen, dlen);
	r->have += dlen;
	if (!r->total || r->have != r->total)
		return NULL;
	r->used = false;
	n->st.ip_reassembled++;
	*plen = r->total;
	return r->data;
}

uint64_t frag_timers(struct net *n)
{
	uint64_t next = NET_NO_DEADLINE;

	for (int i = 0; i < REASS_SLOTS; i++) {
		struct reass *r = &n->reass[i];

		if (!r->used)
			continue;
		if (r->deadline <= n->now) {
			r->used = false;
			n->st.ip_frag_timeouts++;
		} else if (r->deadline < next)
			next = r->deadline;
	}
	return next;
}
