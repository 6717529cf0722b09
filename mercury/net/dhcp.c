/*
 * dhcp.c: the DHCP client's states (RFC 2131 4.4): INIT -> SELECTING
 * (DISCOVER, take the first OFFER) -> REQUESTING (broadcast REQUEST) ->
 * BOUND; at T1 RENEWING (unicast REQUEST to the server), at T2 REBINDING
 * (broadcast), at expiry back to INIT with the address removed.  A NAK
 * restarts from INIT.  Retransmissions back off 4, 8, 16, 32, 64 s with
 * up to a second of jitter (4.1); in RENEWING and REBINDING the client
 * retries after half the time left, at least 60 s (4.4.5).
 */
#include "dhcp.h"
#include "net_int.h"

#define DHCP_SERVER_PORT 67
#define DHCP_CLIENT_PORT 68

static const char *const state_names[] = {
	"INIT", "SELECTING", "REQUESTING", "BOUND", "RENEWING", "REBINDING", "STOPPED",
};

const char *dhcp_state_name(enum dhcp_state s) { return state_names[s]; }

static uint64_t backoff(struct dhcp_client *c, uint64_t now)
{
	int shift = c->tries < 4 ? c->tries : 4;
	uint64_t jitter = net_rand(c->n) % NET_SEC;

	return now + (4 * NET_SEC << shift) - NET_SEC / 2 + jitter;
}

static void send_msg(struct dhcp_client *c, uint8_t type, uint32_t dst, uint64_t now)
{
	struct dhcp_msg m;
	uint8_t buf[DHCP_MSG_MAX];
	size_t len;

	memset(&m, 0, sizeof m);
	m.op = 1;
	m.type = type;
	m.xid = c->xid;
	m.secs = (uint16_t)((now - c->started) / NET_SEC);
	memcpy(m.chaddr, c->n->cfg.mac, NET_MAC_LEN);
	if (c->state == DHCP_RENEWING || c->state == DHCP_REBINDING || type == DHCP_RELEASE) {
		m.ciaddr = c->lease.yiaddr;
		if (type == DHCP_RELEASE)
			m.server_id = c->lease.server_id;
	} else {
		m.flags = 0x8000; /* we cannot take unicast before we have the address */
		if (type == DHCP_REQUEST) {
			m.req_ip = c->offer.yiaddr;
			m.server_id = c->offer.server_id;
		}
	}
	len = dhcp_encode(&m, buf);
	net_sendto(c->n, c->sd, buf, len, dst, DHCP_SERVER_PORT, now);
}

static void enter(struct dhcp_client *c, enum dhcp_state s, uint64_t now)
{
	c->state = s;
	c->tries = 0;
	switch (s) {
	case DHCP_INIT:
	case DHCP_SELECTING:
		c->state = DHCP_SELECTING;
		c->xid = net_rand(c->n);
		c->started = now;
		send_msg(c, DHCP_DISCOVER, IP_BCAST, now);
		c->deadline = backoff(c, now);
		break;
	case DHCP_REQUESTING:
		send_msg(c, DHCP_REQUEST, IP_BCAST, now);
		c->deadline = backoff(c, now);
		break;
	case DHCP_RENEWING:
		send_msg(c, DHCP_REQUEST, c->lease.server_id, now);
		break;
	case DHCP_REBINDING:
		send_msg(c, DHCP_REQUEST, IP_BCAST, now);
		break;
	default:
		break;
	}
}

/* The ACK: configure the stack and set the lease timers (T1, T2 default
   to 1/2 and 7/8 of the lease, RFC 2131 4.4.5). */
static void bind_lease(struct dhcp_client *c, const struct dhcp_msg *m, uint64_t now)
{
	uint64_t lease = m->lease ? m->lease : 3600;
	uint64_t t1 = m->t1 && m->t1 < lease ? m->t1 : lease / 2;
	uint64_t t2 = m->t2 && m->t2 < lease && m->t2 > t1 ? m->t2 : lease * 7 / 8;
	bool changed = c->lease.yiaddr != m->yiaddr || c->n->cfg.addr != m->yiaddr;

	c->lease = *m;
	if (!c->lease.server_id)
		c->lease.server_id = c->offer.server_id;
	c->t1 = now + t1 * NET_SEC;
	c->t2 = now + t2 * NET_SEC;
	c->expiry = now + lease * NET_SEC;
	c->state = DHCP_BOUND;
	c->deadline = c->t1;
	if (changed)
		net_set_addr(c->n, m->yiaddr, m->mask ? m->mask : 0xffffff00, m->router, now);
	net_set_dns(c->n, m->dns[0], m->dns[1]);
}

static void handle(struct dhcp_client *c, const struct dhcp_msg *m, uint64_t now)
{
	if (m->op != 2 || m->xid != c->xid || memcmp(m->chaddr, c->n->cfg.mac, NET_MAC_LEN)) {
		c->bad_msgs++;
		return;
	}
	switch (c->state) {
	case DHCP_SELECTING:
		if (m->type == DHCP_OFFER && m->yiaddr && m->server_id) {
			c->offer = *m;
			enter(c, DHCP_REQUESTING, now);
		}
		break;
	case DHCP_REQUESTING:
	case DHCP_RENEWING:
	case DHCP_REBINDING:
		if (m->type == DHCP_ACK && m->yiaddr) {
			bind_lease(c, m, now);
		} else if (m->type == DHCP_NAK) {
			net_set_addr(c->n, 0, 0, 0, now);
			memset(&c->lease, 0, sizeof c->lease);
			enter(c, DHCP_INIT, now);
		}
		break;
	default:
		break;
	}
}

/* In RENEWING and REBINDING: the next retry, half-way to limit, at least 60 s on. */
static uint64_t halfway(uint64_t now, uint64_t limit)
{
	uint64_t half = limit > now ? (limit - now) / 2 : 0;

	if (half < 60 * NET_SEC)
		half = 60 * NET_SEC;
	return now + half < limit ? now + half : limit;
}

static void timeout(struct dhcp_client *c, uint64_t now)
{
	switch (c->state) {
	case DHCP_SELECTING:
	case DHCP_REQUESTING:
		c->tries++;
		if (c->state == DHCP_REQUESTING && c->tries > 4) {
			enter(c, DHCP_INIT, now);
			return;
		}
		send_msg(c, c->state == DHCP_SELECTING ? DHCP_DISCOVER : DHCP_REQUEST, IP_BCAST, now);
		c->deadline = backoff(c, now);
		break;
	case DHCP_BOUND:
		enter(c, DHCP_RENEWING, now);
		c->deadline = halfway(now, c->t2);
		break;
	case DHCP_RENEWING:
		if (now >= c->t2) {
			enter(c, DHCP_REBINDING, now);
		} else {
			send_msg(c, DHCP_REQUEST, c->lease.server_id, now);
		}
		c->deadline = c->state == DHCP_RENEWING ? halfway(now, c->t2) : halfway(now, c->expiry);
		break;
	case DHCP_REBINDING:
		if (now >= c->expiry) {
			net_set_addr(c->n, 0, 0, 0, now);
			memset(&c->lease, 0, sizeof c->lease);
			enter(c, DHCP_INIT, now);
		} else {
			send_msg(c, DHCP_REQUEST, IP_BCAST, now);
			c->deadline = halfway(now, c->expiry);
		}
		break;
	default:
		break;
	}
}

int dhcp_start(struct dhcp_client *c, struct net *n, uint64_t now)
{
	int sd = net_socket(n, NET_SOCK_UDP), err;

	memset(c, 0, sizeof *c);
	c->n = n;
	if (sd < 0)
		return sd;
	if ((err = net_bind(n, sd, DHCP_CLIENT_PORT)) < 0) {
		net_close(n, sd, now);
		return err;
	}
	c->sd = sd;
	enter(c, DHCP_INIT, now);
	return 0;
}

uint64_t dhcp_poll(struct dhcp_client *c, uint64_t now)
{
	uint8_t buf[ETH_FRAME_MAX];
	struct dhcp_msg m;
	uint32_t from;
	uint16_t port;
	int len;

	if (c->state == DHCP_STOPPED)
		return NET_NO_DEADLINE;
	while ((len = net_recvfrom(c->n, c->sd, buf, sizeof buf, &from, &port)) >= 0) {
		if (port != DHCP_SERVER_PORT || dhcp_decode(buf, (size_t)len, &m) < 0)
			c->bad_msgs++;
		else
			handle(c, &m, now);
	}
	while (c->deadline <= now && c->state != DHCP_STOPPED)
		timeout(c, now);
	return c->deadline;
}

void dhcp_stop(struct dhcp_client *c, uint64_t now)
{
	if (c->state == DHCP_STOPPED || !c->n)
		return;
	if (c->state == DHCP_BOUND || c->state == DHCP_RENEWING || c->state == DHCP_REBINDING) {
		send_msg(c, DHCP_RELEASE, c->lease.server_id, now);
		net_set_addr(c->n, 0, 0, 0, now);
	}
	net_close(c->n, c->sd, now);
	c->state = DHCP_STOPPED;
}
