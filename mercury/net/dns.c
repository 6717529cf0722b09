/*
 * dns.c: the stub resolver's lookups (see dns.h): up to DNS_QUERIES at
 * once on one UDP socket, matched by id, source address and port 53.
 */
#include "dns.h"
#include "net_int.h"

#define DNS_PORT 53
#define DNS_TRIES 4

int dns_init(struct dns_resolver *r, struct net *n)
{
	memset(r, 0, sizeof *r);
	r->n = n;
	r->sd = net_socket(n, NET_SOCK_UDP);
	if (r->sd < 0)
		return r->sd;
	return net_bind(n, r->sd, 0);
}

static uint32_t server_of(struct dns_resolver *r, struct dns_query *q)
{
	const uint32_t *d = r->n->cfg.dns;

	return d[1] && (q->server & 1) ? d[1] : d[0];
}

static void finish(struct dns_query *q, int err)
{
	q->done = true;
	q->err = err;
}

static void send_query(struct dns_resolver *r, struct dns_query *q, uint64_t now)
{
	uint8_t buf[DNS_MSG_MAX];
	int len = dns_encode_query(buf, sizeof buf, q->id, q->name);
	uint32_t srv = server_of(r, q);

	if (len < 0 || !srv) {
		finish(q, len < 0 ? len : -NET_EINVAL);
		return;
	}
	net_sendto(r->n, r->sd, buf, (size_t)len, srv, DNS_PORT, now);
	q->deadline = now + (NET_SEC << q->tries);
}

int dns_lookup(struct dns_resolver *r, const char *name, uint64_t now)
{
	size_t n = strlen(name);

	if (n == 0 || n >= DNS_NAME_MAX)
		return -NET_EINVAL;
	for (int i = 0; i < DNS_QUERIES; i++) {
		struct dns_query *q = &r->q[i];

		if (q->used)
			continue;
		memset(q, 0, sizeof *q);
		q->used = true;
		q->id = (uint16_t)net_rand(r->n);
		memcpy(q->name, name, n + 1);
		if (q->name[n - 1] == '.') /* a trailing dot: the name is already absolute */
			q->name[n - 1] = 0;
		send_query(r, q, now);
		return i;
	}
	return -NET_ENOMEM;
}

static void handle(struct dns_resolver *r, const uint8_t *m, size_t len, uint32_t from, uint64_t now)
{
	for (int i = 0; i < DNS_QUERIES; i++) {
		struct dns_query *q = &r->q[i];
		struct dns_answer a;
		int err;

		if (!q->used || q->done || len < 2 || get16(m) != q->id || from != server_of(r, q))
			continue;
		err = dns_decode_answer(m, len, q->id, q->name, &a);
		if (err == -NET_EPROTO && !(len > 3 && (m[2] & 0x02))) {
			r->bad_msgs++; /* a forged or broken answer: keep waiting */
			return;
		}
		if (err == 0 && !a.naddrs && a.cnames && q->hops + a.cnames < DNS_MAX_CNAMES) {
			/* The chain left the answer without an address: ask for its end. */
			q->hops += a.cnames;
			strcpy(q->name, a.name);
			q->id = (uint16_t)net_rand(r->n);
			q->tries = 0;
			send_query(r, q, now);
			return;
		}
		if (err == 0 && !a.naddrs)
			err = -NET_ENOENT;
		q->ans = a;
		finish(q, err);
		return;
	}
	r->bad_msgs++;
}

uint64_t dns_poll(struct dns_resolver *r, uint64_t now)
{
	uint8_t buf[ETH_FRAME_MAX];
	uint64_t next = NET_NO_DEADLINE;
	uint32_t from;
	uint16_t port;
	int len;

	while ((len = net_recvfrom(r->n, r->sd, buf, sizeof buf, &from, &port)) >= 0) {
		if (port == DNS_PORT)
			handle(r, buf, (size_t)len, from, now);
		else
			r->bad_msgs++;
	}
	for (int i = 0; i < DNS_QUERIES; i++) {
		struct dns_query *q = &r->q[i];

		if (!q->used || q->done)
			continue;
		if (q->deadline <= now) {
			if (++q->tries >= DNS_TRIES) {
				finish(q, -NET_ETIMEDOUT);
				continue;
			}
			q->server++;
			send_query(r, q, now);
		}
		if (!q->done && q->deadline < next)
			next = q->deadline;
	}
	return next;
}

int dns_result(struct dns_resolver *r, int h, struct dns_answer *out)
{
	struct dns_query *q;

	if (h < 0 || h >= DNS_QUERIES || !r->q[h].used)
		return -NET_EINVAL;
	q = &r->q[h];
	if (!q->done)
		return -NET_EAGAIN;
	if (out)
		*out = q->ans;
	q->used = false;
	return q->err;
}

void dns_close(struct dns_resolver *r, uint64_t now)
{
	net_close(r->n, r->sd, now);
	r->sd = -1;
}
