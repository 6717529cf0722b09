/*
 * tcp_usr.c: the TCP half of the socket API: connect, listen, accept,
 * send, recv, shutdown, close, options.  Each is non-blocking and leaves
 * the segments it causes to tcp_output.
 */
#include "net_int.h"

static struct sock *tcp_sock(struct net *n, int sd, uint64_t now)
{
	struct sock *s = sock_get(n, sd);

	n->now = now;
	return s && s->type == NET_SOCK_TCP ? s : NULL;
}

int net_connect(struct net *n, int sd, uint32_t addr, uint16_t port, uint64_t now)
{
	struct sock *s = tcp_sock(n, sd, now);
	int err;

	if (!s)
		return -NET_EBADF;
	if (s->tcb.state != TCP_CLOSED || !addr || !port || !n->cfg.addr)
		return -NET_EINVAL;
	if (!s->lport && (err = net_bind(n, sd, 0)) < 0)
		return err;
	s->laddr = n->cfg.addr;
	s->raddr = addr;
	s->rport = port;
	tcp_init_tcb(n, s);
	s->tcb.err = 0;
	tcp_set_state(n, s, TCP_SYN_SENT);
	tcp_send_segment(n, s, s->tcb.iss, TCP_SYN, 0, 0);
	tcp_rto_restart(n, &s->tcb);
	return 0;
}

int net_listen(struct net *n, int sd, int backlog)
{
	struct sock *s = sock_get(n, sd);

	if (!s || s->type != NET_SOCK_TCP)
		return -NET_EBADF;
	if (s->tcb.state != TCP_CLOSED || !s->lport)
		return -NET_EINVAL;
	s->backlog = backlog < 1 ? 1 : backlog > n->cfg.max_sockets ? n->cfg.max_sockets : backlog;
	s->tcb.state = TCP_LISTEN;
	return 0;
}

int net_accept(struct net *n, int sd, uint32_t *peer, uint16_t *port)
{
	struct sock *s = sock_get(n, sd);

	if (!s || s->type != NET_SOCK_TCP)
		return -NET_EBADF;
	if (s->tcb.state != TCP_LISTEN)
		return -NET_EINVAL;
	for (int i = 0; i < n->cfg.max_sockets; i++) {
		struct sock *c = &n->socks[i];

		/* CLOSE_WAIT too: the client may have sent and closed already. */
		if (c->type == NET_SOCK_TCP && c->tcb.listener == sd && !c->tcb.accepted &&
		    c->tcb.state >= TCP_ESTABLISHED) {
			c->tcb.accepted = true;
			c->user = true;
			if (peer)
				*peer = c->raddr;
			if (port)
				*port = c->rport;
			return i;
		}
	}
	return -NET_EAGAIN;
}

/* The error a failed connection reports (once), or err_if_none. */
static int take_error(struct tcb *t, int err_if_none)
{
	int e = t->err;

	if (e) {
		t->err = 0;
		return -e;
	}
	return err_if_none;
}

int net_send(struct net *n, int sd, const void *buf, size_t len, uint64_t now)
{
	struct sock *s = tcp_sock(n, sd, now);
	struct tcb *t;
	uint32_t room, pos, first;

	if (!s)
		return -NET_EBADF;
	t = &s->tcb;
	if (t->state == TCP_CLOSED)
		return take_error(t, -NET_ENOTCONN);
	if (t->fin_queued)
		return -NET_EPIPE;
	if (t->state == TCP_SYN_SENT || t->state == TCP_SYN_RECEIVED || t->state == TCP_LISTEN)
		return t->state == TCP_LISTEN ? -NET_ENOTCONN : -NET_EAGAIN;
	room = t->ssize - t->sb_len;
	if (!room)
		return -NET_EAGAIN;
	if (len > room)
		len = room;
	pos = (t->sb_head + t->sb_len) % t->ssize;
	first = t->ssize - pos < len ? t->ssize - pos : (uint32_t)len;
	memcpy(t->sbuf + pos, buf, first);
	memcpy(t->sbuf, (const uint8_t *)buf + first, len - first);
	t->sb_len += (uint32_t)len;
	tcp_output(n, s);
	return (int)len;
}

int net_recv(struct net *n, int sd, void *buf, size_t len, uint64_t now)
{
	struct sock *s = tcp_sock(n, sd, now);
	struct tcb *t;
	uint32_t got, first, before;

	if (!s)
		return -NET_EBADF;
	t = &s->tcb;
	if (!t->rb_len) {
		if (t->fin_rcvd || t->rd_shut)
			return 0;
		if (t->state == TCP_CLOSED)
			return take_error(t, 0);
		return t->state == TCP_LISTEN ? -NET_ENOTCONN : -NET_EAGAIN;
	}
	before = t->rcv_adv - t->rcv_nxt;
	got = len < t->rb_len ? (uint32_t)len : t->rb_len;
	first = t->rsize - t->rb_head < got ? t->rsize - t->rb_head : got;
	memcpy(buf, t->rbuf + t->rb_head, first);
	memcpy((uint8_t *)buf + first, t->rbuf, got - first);
	t->rb_head = (t->rb_head + got) % t->rsize;
	t->rb_len -= got;
	/* Receiver SWS avoidance (RFC 9293 3.8.6.2.2): announce the larger
	   window once it has grown by a segment or half the buffer. */
	if (t->state >= TCP_ESTABLISHED && t->state != TCP_TIME_WAIT && !t->fin_rcvd) {
		uint32_t now_wnd = tcp_rcv_window(t), step = t->rsize / 2 < t->mss ? t->rsize / 2 : t->mss;

		if (now_wnd >= before + step)
			tcp_send_ack(n, s);
	}
	return (int)got;
}

/* Queues our FIN (sent once the ring drains) and moves the state on. */
static void queue_fin(struct net *n, struct sock *s)
{
	struct tcb *t = &s->tcb;

	if (t->fin_queued)
		return;
	t->fin_queued = true;
	if (t->state == TCP_ESTABLISHED || t->state == TCP_SYN_RECEIVED)
		tcp_set_state(n, s, TCP_FIN_WAIT_1);
	else if (t->state == TCP_CLOSE_WAIT)
		tcp_set_state(n, s, TCP_LAST_ACK);
	tcp_output(n, s);
}

int net_shutdown(struct net *n, int sd, int how, uint64_t now)
{
	struct sock *s = tcp_sock(n, sd, now);

	if (!s)
		return -NET_EBADF;
	if (how < NET_SHUT_RD || how > NET_SHUT_RDWR)
		return -NET_EINVAL;
	if (s->tcb.state < TCP_SYN_RECEIVED)
		return -NET_ENOTCONN;
	if (how & NET_SHUT_RD) {
		s->tcb.rd_shut = true;
		s->tcb.rb_len = 0;
	}
	if (how & NET_SHUT_WR)
		queue_fin(n, s);
	return 0;
}

int net_close(struct net *n, int sd, uint64_t now)
{
	struct sock *s = sock_get(n, sd);
	struct tcb *t;

	n->now = now;
	if (!s)
		return -NET_EBADF;
	s->user = false;
	if (s->type == NET_SOCK_UDP) {
		sock_free(n, s);
		return 0;
	}
	t = &s->tcb;
	switch (t->state) {
	case TCP_CLOSED:
	case TCP_LISTEN:
	case TCP_SYN_SENT:
		tcp_drop(n, s, 0);
		break;
	case TCP_SYN_RECEIVED:
	case TCP_ESTABLISHED:
	case TCP_CLOSE_WAIT:
		if (t->rb_len) { /* unread data: abort, as RFC 2525 2.17 advises */
			tcp_send_rst(n, s->laddr, s->raddr, s->lport, s->rport, t->snd_nxt, 0, false);
			tcp_drop(n, s, 0);
		} else
			queue_fin(n, s);
		break;
	default: /* already closing: let it finish */
		break;
	}
	return 0;
}

int net_setopt(struct net *n, int sd, enum net_opt opt, uint64_t value)
{
	struct sock *s = sock_get(n, sd);

	if (!s || s->type != NET_SOCK_TCP)
		return -NET_EBADF;
	switch (opt) {
	case NET_OPT_NODELAY:
		s->tcb.nodelay = value != 0;
		return 0;
	case NET_OPT_KEEPALIVE:
		s->tcb.keep_idle = value * NET_MS;
		s->tcb.keep_probes = 0;
		return 0;
	}
	return -NET_EINVAL;
}
