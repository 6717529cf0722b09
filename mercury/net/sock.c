/*
 * sock.c: the socket table: allocation, binding, ephemeral ports, poll.
 * The TCP calls are in tcp_usr.c, the UDP ones in udp.c.
 *
 * A socket slot stays in use after net_close while its TCP connection
 * finishes (FIN exchange, TIME_WAIT); it is freed by tcp_drop then.
 */
#include "net_int.h"

struct sock *sock_get(struct net *n, int sd)
{
	if (sd < 0 || sd >= n->cfg.max_sockets || !n->socks[sd].type || !n->socks[sd].user)
		return NULL;
	return &n->socks[sd];
}

int sock_index(const struct net *n, const struct sock *s) { return (int)(s - n->socks); }

struct sock *sock_alloc(struct net *n, uint8_t type)
{
	for (int i = 0; i < n->cfg.max_sockets; i++) {
		struct sock *s = &n->socks[i];

		if (!s->type) {
			uint8_t *sb = s->tcb.sbuf, *rb = s->tcb.rbuf;
			uint32_t ss = s->tcb.ssize, rs = s->tcb.rsize;

			memset(s, 0, sizeof *s);
			s->tcb.sbuf = sb;
			s->tcb.rbuf = rb;
			s->tcb.ssize = ss;
			s->tcb.rsize = rs;
			s->tcb.listener = -1;
			s->type = type;
			return s;
		}
	}
	return NULL;
}

void sock_free(struct net *n, struct sock *s)
{
	if (s->type == NET_SOCK_UDP)
		udp_flush(n, s);
	s->type = 0;
	s->user = false;
}

static bool port_in_use(struct net *n, uint8_t type, uint16_t port)
{
	for (int i = 0; i < n->cfg.max_sockets; i++)
		if (n->socks[i].type == type && n->socks[i].lport == port)
			return true;
	return false;
}

uint16_t sock_ephemeral(struct net *n, uint8_t type)
{
	for (int tries = 0; tries < 16384; tries++) {
		uint16_t p = n->next_port;

		n->next_port = n->next_port == 65535 ? 49152 : n->next_port + 1;
		if (!port_in_use(n, type, p))
			return p;
	}
	return 0;
}

int net_socket(struct net *n, enum net_sock_type type)
{
	struct sock *s;

	if (type != NET_SOCK_TCP && type != NET_SOCK_UDP)
		return -NET_EINVAL;
	if (!(s = sock_alloc(n, (uint8_t)type)))
		return -NET_ENOMEM;
	s->user = true;
	return sock_index(n, s);
}

int net_bind(struct net *n, int sd, uint16_t port)
{
	struct sock *s = sock_get(n, sd);

	if (!s)
		return -NET_EBADF;
	if (s->lport || (s->type == NET_SOCK_TCP && s->tcb.state != TCP_CLOSED))
		return -NET_EINVAL;
	if (!port && !(port = sock_ephemeral(n, s->type)))
		return -NET_EADDRINUSE;
	if (port_in_use(n, s->type, port))
		return -NET_EADDRINUSE;
	s->lport = port;
	return 0;
}

static short tcp_revents(struct net *n, struct sock *s)
{
	struct tcb *t = &s->tcb;
	short r = 0;

	if (t->err)
		return NET_POLL_ERR;
	if (t->state == TCP_LISTEN) {
		for (int i = 0; i < n->cfg.max_sockets; i++) {
			struct sock *c = &n->socks[i];

			if (c->type == NET_SOCK_TCP && c->tcb.listener == sock_index(n, s) &&
			    !c->tcb.accepted && c->tcb.state >= TCP_ESTABLISHED)
				return NET_POLL_IN;
		}
		return 0;
	}
	if (t->rb_len || t->fin_rcvd || t->rd_shut)
		r |= NET_POLL_IN;
	if ((t->state == TCP_ESTABLISHED || t->state == TCP_CLOSE_WAIT) && !t->fin_queued &&
	    t->sb_len < t->ssize)
		r |= NET_POLL_OUT;
	if (t->state == TCP_CLOSED || (t->fin_rcvd && t->fin_queued))
		r |= NET_POLL_HUP;
	return r;
}

int net_sock_poll(struct net *n, struct net_pollfd *fds, int nfds)
{
	int ready = 0;

	for (int i = 0; i < nfds; i++) {
		struct sock *s = sock_get(n, fds[i].sd);
		short r;

		if (!s)
			r = NET_POLL_ERR;
		else if (s->type == NET_SOCK_UDP)
			r = (s->rxq ? NET_POLL_IN : 0) | NET_POLL_OUT;
		else
			r = tcp_revents(n, s);
		fds[i].revents = r & (fds[i].events | NET_POLL_ERR | NET_POLL_HUP);
		ready += fds[i].revents != 0;
	}
	return ready;
}

const char *net_sock_state(struct net *n, int sd)
{
	struct sock *s = sock_get(n, sd);

	if (!s)
		return "FREE";
	if (s->type == NET_SOCK_UDP)
		return "UDP";
	return tcp_state_name(s->tcb.state);
}
