/*
 * tcp_timer.c: a connection's timers, all absolute deadlines checked by
 * net_poll: retransmission (RFC 6298 5: backoff, Karn, give up after
 * TCP_MAX_RETRIES), delayed ACK, zero-window probe, keepalive (RFC 1122
 * 4.2.3.6) and TIME-WAIT (2 MSL).
 */
#include "net_int.h"

#define TCP_MAX_RETRIES 12
#define TCP_SYN_RETRIES 6
#define TCP_KEEP_PROBES 9
#define TCP_RTO_MAX (60 * NET_SEC)

void tcp_rto_restart(struct net *n, struct tcb *t)
{
	t->t_rexmit = n->now + t->rto;
}

void tcp_init_tcb(struct net *n, struct sock *s)
{
	struct tcb *t = &s->tcb;
	uint32_t rcv = t->rsize;

	t->iss = tcp_iss(n, s->laddr, s->lport, s->raddr, s->rport);
	t->snd_una = t->iss;
	t->snd_nxt = t->snd_max = t->iss + 1;
	t->sb_seq = t->iss + 1;
	t->recover = t->iss;
	t->ssthresh = 1u << 30;
	t->rto = n->cfg.rto_min > NET_SEC ? n->cfg.rto_min : NET_SEC; /* RFC 6298 2.1 */
	t->mss_local = (uint16_t)(n->cfg.mtu - IP_HDR - TCP_HDR);
	t->mss = 536;
	t->cwnd = 4 * 536;
	t->ws_ok = true; /* until the peer's SYN says otherwise */
	while (t->rcv_wscale < 14 && (rcv >> t->rcv_wscale) > 65535)
		t->rcv_wscale++;
	t->last_rx = n->now;
	t->rtt_timing = true; /* the SYN is timed */
	t->rtt_start = n->now;
	t->rtt_seq = t->iss;
}

void tcp_drop(struct net *n, struct sock *s, int err)
{
	struct tcb *t = &s->tcb;

	if (t->state == TCP_LISTEN) /* its unaccepted children die with it */
		for (int i = 0; i < n->cfg.max_sockets; i++) {
			struct sock *c = &n->socks[i];

			if (c->type == NET_SOCK_TCP && c->tcb.listener == sock_index(n, s) && !c->tcb.accepted) {
				if (c->tcb.state != TCP_SYN_RECEIVED)
					tcp_send_rst(n, c->laddr, c->raddr, c->lport, c->rport, c->tcb.snd_nxt, 0, false);
				sock_free(n, c);
			}
		}
	t->state = TCP_CLOSED;
	t->t_rexmit = t->t_delack = t->t_keep = t->t_timewait = t->t_persist = 0;
	t->err = err;
	if (!s->user) /* closed by the user, or a child never accepted */
		sock_free(n, s);
}

void tcp_set_state(struct net *n, struct sock *s, enum tcp_state st)
{
	struct tcb *t = &s->tcb;

	t->state = st;
	if (st == TCP_TIME_WAIT) {
		t->t_rexmit = t->t_persist = t->t_keep = 0;
		t->t_timewait = n->now + 2 * n->cfg.msl;
	}
}

static void rexmit_timeout(struct net *n, struct sock *s)
{
	struct tcb *t = &s->tcb;
	int max = t->state <= TCP_SYN_RECEIVED ? TCP_SYN_RETRIES : TCP_MAX_RETRIES;

	n->st.tcp_rto_expired++;
	if (++t->retries > max) {
		tcp_drop(n, s, NET_ETIMEDOUT);
		return;
	}
	t->rto = t->rto * 2 > TCP_RTO_MAX ? TCP_RTO_MAX : t->rto * 2; /* 5.5 */
	t->rto_backed_off = true;
	t->rtt_timing = false; /* Karn */
	tcp_rto_restart(n, t);
	if (t->state == TCP_SYN_SENT || t->state == TCP_SYN_RECEIVED) {
		n->st.tcp_retransmits++;
		tcp_send_segment(n, s, t->iss, TCP_SYN | (t->state == TCP_SYN_RECEIVED ? TCP_ACK : 0), 0, 0);
		return;
	}
	/* RFC 5681 eq. 4, then go back to the first unacked byte. */
	uint32_t f = t->snd_max - t->snd_una;
	t->ssthresh = f / 2 > 2u * t->mss ? f / 2 : 2u * t->mss;
	t->cwnd = t->mss;
	t->in_recovery = false;
	t->recover = t->snd_max;
	t->dupacks = 0;
	t->nsacked = 0; /* the receiver may renege (RFC 2018 8) */
	t->snd_nxt = t->snd_una;
	tcp_output(n, s);
	if (t->snd_nxt == t->snd_una) /* nothing could go (zero window): probe */
		tcp_send_segment(n, s, t->snd_una - 1, TCP_ACK, 0, 0);
}

static void keepalive_timeout(struct net *n, struct sock *s)
{
	struct tcb *t = &s->tcb;

	if (t->keep_probes >= TCP_KEEP_PROBES) {
		tcp_drop(n, s, NET_ETIMEDOUT);
		return;
	}
	t->keep_probes++;
	/* SEG.SEQ = SND.NXT - 1 provokes an ACK (RFC 9293 3.8.4). */
	tcp_send_segment(n, s, t->snd_nxt - 1, TCP_ACK, 0, 0);
}

static uint64_t keep_deadline(const struct tcb *t)
{
	uint64_t interval = t->keep_idle < 75 * NET_SEC ? t->keep_idle : 75 * NET_SEC;

	if (!t->keep_idle || t->state != TCP_ESTABLISHED)
		return 0;
	return t->last_rx + t->keep_idle + (uint64_t)t->keep_probes * interval;
}

/* Runs whatever is due; returns the next deadline. */
uint64_t tcp_timers(struct net *n, struct sock *s)
{
	struct tcb *t = &s->tcb;
	uint64_t next = NET_NO_DEADLINE, k;

	if (t->t_timewait && t->t_timewait <= n->now) {
		tcp_drop(n, s, 0);
		return next;
	}
	if (t->t_rexmit && t->t_rexmit <= n->now)
		rexmit_timeout(n, s);
	if (s->type != NET_SOCK_TCP || t->state == TCP_CLOSED)
		return next;
	if (t->t_delack && t->t_delack <= n->now)
		tcp_send_ack(n, s);
	if (t->t_persist && t->t_persist <= n->now) {
		t->t_persist = 0;
		if (t->snd_wnd) {
			t->sws_override = true;
			tcp_output(n, s);
		} else {
			tcp_send_segment(n, s, t->snd_una - 1, TCP_ACK, 0, 0);
			if (t->persist_backoff < 6)
				t->persist_backoff++;
			t->t_persist = n->now + (t->rto << t->persist_backoff);
		}
	}
	if ((k = keep_deadline(t)) && k <= n->now) {
		keepalive_timeout(n, s);
		if (s->type != NET_SOCK_TCP || t->state == TCP_CLOSED)
			return next;
	}
	uint64_t d[] = { t->t_timewait, t->t_rexmit, t->t_delack, t->t_persist, keep_deadline(t) };
	for (unsigned i = 0; i < sizeof d / sizeof d[0]; i++)
		if (d[i] && d[i] < next)
			next = d[i];
	return next;
}

static const char *const state_names[] = {
	"CLOSED", "LISTEN", "SYN_SENT", "SYN_RECEIVED", "ESTABLISHED", "FIN_WAIT_1",
	"FIN_WAIT_2", "CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT",
};

const char *tcp_state_name(enum tcp_state st) { return state_names[st]; }
