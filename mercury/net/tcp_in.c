/*
 * tcp_in.c: segment arrival (RFC 9293 3.10.7), in its order: header and
 * checksum, lookup, then by state: LISTEN (a bounded SYN backlog),
 * SYN-SENT, and the synchronized states (sequence check, RST and SYN per
 * RFC 5961, the ACK (tcp_ack.c), data into the receive ring, FIN).
 */
#include "net_int.h"

static struct sock *tcp_lookup(struct net *n, const struct tcp_seg *g)
{
	struct sock *listener = NULL;

	for (int i = 0; i < n->cfg.max_sockets; i++) {
		struct sock *s = &n->socks[i];

		if (s->type != NET_SOCK_TCP || s->lport != g->dport || s->tcb.state == TCP_CLOSED)
			continue;
		if (s->tcb.state == TCP_LISTEN)
			listener = s;
		else if (s->rport == g->sport && s->raddr == g->src && s->laddr == g->dst)
			return s;
	}
	return listener;
}

void tcp_reset_for(struct net *n, const struct tcp_seg *g)
{
	if (g->flags & TCP_RST)
		return;
	if (g->flags & TCP_ACK)
		tcp_send_rst(n, g->dst, g->src, g->dport, g->sport, g->ack, 0, false);
	else
		tcp_send_rst(n, g->dst, g->src, g->dport, g->sport, 0,
			     g->seq + g->len + !!(g->flags & TCP_SYN) + !!(g->flags & TCP_FIN), true);
}

/* The options of the peer's SYN: its MSS and window scale. */
static void take_syn_opts(struct net *n, struct tcb *t, const struct tcp_seg *g)
{
	uint16_t ours = (uint16_t)(n->cfg.mtu - IP_HDR - TCP_HDR);

	t->mss = g->opt.has_mss ? g->opt.mss : 536;
	if (t->mss > ours)
		t->mss = ours;
	if (t->mss < 64)
		t->mss = 64;
	t->ws_ok = g->opt.has_ws && t->ws_ok;
	t->sack_ok = g->opt.sack_ok;
	t->ts_ok = g->opt.has_ts;
	t->ts_recent = g->opt.tsval;
	if (t->ts_ok)
		t->mss -= 12; /* every segment carries the option */
	t->snd_wscale = t->ws_ok ? g->opt.ws : 0;
	if (!t->ws_ok)
		t->rcv_wscale = 0;
	t->irs = g->seq;
	t->rcv_nxt = g->seq + 1;
	/* RFC 5681 3.1 initial window. */
	t->cwnd = t->mss > 2190 ? 2u * t->mss : t->mss > 1095 ? 3u * t->mss : 4u * t->mss;
}

void tcp_update_window(struct tcb *t, const struct tcp_seg *g)
{
	if (SEQ_LT(t->snd_wl1, g->seq) || (t->snd_wl1 == g->seq && SEQ_LEQ(t->snd_wl2, g->ack))) {
		t->snd_wnd = (uint32_t)g->wnd << ((g->flags & TCP_SYN) ? 0 : t->snd_wscale);
		t->snd_wl1 = g->seq;
		t->snd_wl2 = g->ack;
		if (t->snd_wnd > t->max_snd_wnd)
			t->max_snd_wnd = t->snd_wnd;
		if (t->snd_wnd)
			t->t_persist = 0, t->persist_backoff = 0;
	}
}

static int count_children(struct net *n, int li, struct sock **oldest_half_open)
{
	int count = 0;

	*oldest_half_open = NULL;
	for (int i = 0; i < n->cfg.max_sockets; i++) {
		struct sock *c = &n->socks[i];

		if (c->type != NET_SOCK_TCP || c->tcb.listener != li || c->tcb.accepted)
			continue;
		count++;
		if (c->tcb.state == TCP_SYN_RECEIVED &&
		    (!*oldest_half_open || c->tcb.born < (*oldest_half_open)->tcb.born))
			*oldest_half_open = c;
	}
	return count;
}

/* LISTEN: a SYN makes a child in SYN-RECEIVED, within the backlog.  When
   the backlog is full the oldest half-open child is recycled (RFC 4987
   3.4), so a flood cannot lock out a real client for longer than one
   handshake; if every child is established the SYN is dropped. */
static void listen_input(struct net *n, struct sock *l, const struct tcp_seg *g)
{
	struct sock *c, *old;
	struct tcb *t;

	if (g->flags & TCP_RST)
		return;
	if (g->flags & TCP_ACK) {
		tcp_reset_for(n, g);
		return;
	}
	if (!(g->flags & TCP_SYN) || g->dst != n->cfg.addr)
		return;
	if (count_children(n, sock_index(n, l), &old) >= l->backlog) {
		if (!old) {
			n->st.tcp_syn_drops++;
			return;
		}
		n->st.tcp_syn_evicted++;
		sock_free(n, old);
	}
	if (!(c = sock_alloc(n, NET_SOCK_TCP))) {
		n->st.tcp_syn_drops++;
		return;
	}
	c->lport = l->lport;
	c->laddr = g->dst;
	c->raddr = g->src;
	c->rport = g->sport;
	t = &c->tcb;
	tcp_init_tcb(n, c);
	t->listener = sock_index(n, l);
	t->born = n->now;
	t->nodelay = l->tcb.nodelay;
	t->keep_idle = l->tcb.keep_idle;
	take_syn_opts(n, t, g);
	t->snd_wnd = g->wnd;
	t->max_snd_wnd = g->wnd;
	t->snd_wl1 = g->seq;
	tcp_set_state(n, c, TCP_SYN_RECEIVED);
	tcp_send_segment(n, c, t->iss, TCP_SYN | TCP_ACK, 0, 0);
	tcp_rto_restart(n, t);
}

static void synsent_input(struct net *n, struct sock *s, const struct tcp_seg *g)
{
	struct tcb *t = &s->tcb;
	bool ack_ok = (g->flags & TCP_ACK) && SEQ_GT(g->ack, t->iss) && SEQ_LEQ(g->ack, t->snd_max);

	if ((g->flags & TCP_ACK) && !ack_ok) {
		tcp_reset_for(n, g);
		return;
	}
	if (g->flags & TCP_RST) {
		if (ack_ok)
			tcp_drop(n, s, NET_ECONNREFUSED);
		return;
	}
	if (!(g->flags & TCP_SYN))
		return;
	take_syn_opts(n, t, g);
	t->snd_wl1 = g->seq - 1; /* so this segment's window is taken */
	if (!ack_ok) { /* simultaneous open */
		tcp_set_state(n, s, TCP_SYN_RECEIVED);
		tcp_send_segment(n, s, t->iss, TCP_SYN | TCP_ACK, 0, 0);
		return;
	}
	t->snd_una = g->ack;
	tcp_update_window(t, g);
	if (t->rtt_timing && t->retries == 0) /* Karn: not from a retransmitted SYN */
		tcp_rtt_sample(n, t, n->now - t->rtt_start);
	t->rtt_timing = false;
	t->retries = 0;
	t->t_rexmit = 0;
	if (t->rto_backed_off && t->rto < 3 * NET_SEC) /* RFC 6298 5.7 */
		t->rto = 3 * NET_SEC;
	tcp_set_state(n, s, TCP_ESTABLISHED);
	tcp_send_ack(n, s);
	tcp_output(n, s);
}

/* RFC 9293 3.10.7.4's acceptability test. */
static bool seq_acceptable(const struct tcb *t, const struct tcp_seg *g, uint32_t seglen)
{
	uint32_t wnd = tcp_rcv_window(t);

	if (SEQ_GT(t->rcv_adv, t->rcv_nxt + wnd))
		wnd = t->rcv_adv - t->rcv_nxt; /* what we promised still counts */
	if (!seglen)
		return wnd ? SEQ_GEQ(g->seq, t->rcv_nxt) && SEQ_LT(g->seq, t->rcv_nxt + wnd)
			   : g->seq == t->rcv_nxt;
	if (!wnd)
		return false;
	return (SEQ_GEQ(g->seq, t->rcv_nxt) && SEQ_LT(g->seq, t->rcv_nxt + wnd)) ||
	       (SEQ_GEQ(g->seq + seglen - 1, t->rcv_nxt) && SEQ_LT(g->seq + seglen - 1, t->rcv_nxt + wnd));
}


/* Out-of-order bytes [seq, seq+len) already copied into the ring: note the range. */
static bool ooo_add(struct tcb *t, uint32_t start, uint32_t end)
{
	for (int i = 0; i < t->nooo; i++) {
		if (SEQ_LEQ(start, t->ooo[i].end) && SEQ_GEQ(end, t->ooo[i].start)) {
			if (SEQ_LT(start, t->ooo[i].start))
				t->ooo[i].start = start;
			if (SEQ_GT(end, t->ooo[i].end))
				t->ooo[i].end = end;
			t->ooo_recent = i;
			/* It may now touch the next one: merge all that overlap. */
			for (int j = 0; j < t->nooo; j++) {
				if (j == i || SEQ_GT(t->ooo[j].start, t->ooo[i].end) ||
				    SEQ_LT(t->ooo[j].end, t->ooo[i].start))
					continue;
				if (SEQ_LT(t->ooo[j].start, t->ooo[i].start))
					t->ooo[i].start = t->ooo[j].start;
				if (SEQ_GT(t->ooo[j].end, t->ooo[i].end))
					t->ooo[i].end = t->ooo[j].end;
				t->ooo[j] = t->ooo[--t->nooo];
				if (i == t->nooo)
					i = j;
				t->ooo_recent = i;
				j = -1;
			}
			return true;
		}
	}
	if (t->nooo == TCP_OOO_RANGES)
		return false;
	t->ooo_recent = t->nooo;
	t->ooo[t->nooo].start = start;
	t->ooo[t->nooo++].end = end;
	return true;
}

/* rcv_nxt advanced: absorb out-of-order ranges it reached. */
static void ooo_advance(struct tcb *t)
{
	for (int i = 0; i < t->nooo; i++) {
		if (SEQ_GT(t->ooo[i].start, t->rcv_nxt))
			continue;
		if (SEQ_GT(t->ooo[i].end, t->rcv_nxt)) {
			t->rb_len += t->ooo[i].end - t->rcv_nxt;
			t->rcv_nxt = t->ooo[i].end;
		}
		t->ooo[i] = t->ooo[--t->nooo];
		i = -1;
	}
}

static void ring_store(struct tcb *t, uint32_t off, const uint8_t *d, uint32_t len)
{
	uint32_t pos = (t->rb_head + t->rb_len + off) % t->rsize;
	uint32_t first = t->rsize - pos < len ? t->rsize - pos : len;

	memcpy(t->rbuf + pos, d, first);
	memcpy(t->rbuf, d + first, len - first);
}

/* Data of an acceptable segment: trimmed to what is new and what fits. */
static void data_input(struct net *n, struct sock *s, const struct tcp_seg *g, bool *ack_now)
{
	struct tcb *t = &s->tcb;
	uint32_t seq = g->seq, len = g->len;
	const uint8_t *d = g->data;
	uint32_t space = tcp_rcv_window(t);

	if (SEQ_LT(seq, t->rcv_nxt)) {
		uint32_t skip = t->rcv_nxt - seq;

		if (skip >= len) {
			n->st.tcp_dup_segs++;
			*ack_now = true;
			return;
		}
		seq += skip, d += skip, len -= skip;
	}
	uint32_t off = seq - t->rcv_nxt;
	if (off >= space) {
		*ack_now = true;
		return;
	}
	if (len > space - off)
		len = space - off;
	if (off) {
		n->st.tcp_ooo_segs++;
		*ack_now = true; /* a duplicate ACK tells the sender (RFC 5681 4.2) */
		if (ooo_add(t, seq, seq + len))
			ring_store(t, off, d, len);
		return;
	}
	ring_store(t, 0, d, len);
	t->rb_len += len;
	t->rcv_nxt += len;
	if (t->nooo) {
		ooo_advance(t);
		*ack_now = true; /* a hole was filled */
	}
	if (++t->unacked_segs >= 2) /* every second segment (RFC 5681 4.2) */
		*ack_now = true;
}

static void fin_input(struct net *n, struct sock *s)
{
	struct tcb *t = &s->tcb;

	t->rcv_nxt++;
	t->fin_rcvd = true;
	t->ooo_fin = false;
	switch (t->state) {
	case TCP_SYN_RECEIVED:
	case TCP_ESTABLISHED:
		tcp_set_state(n, s, TCP_CLOSE_WAIT);
		break;
	case TCP_FIN_WAIT_1:
		tcp_set_state(n, s, TCP_CLOSING);
		break;
	case TCP_FIN_WAIT_2:
		tcp_set_state(n, s, TCP_TIME_WAIT);
		break;
	case TCP_TIME_WAIT:
		t->t_timewait = n->now + 2 * n->cfg.msl;
		break;
	default:
		break;
	}
}

static void sync_input(struct net *n, struct sock *s, const struct tcp_seg *g)
{
	struct tcb *t = &s->tcb;
	uint32_t seglen = g->len + !!(g->flags & TCP_SYN) + !!(g->flags & TCP_FIN);
	bool ack_now = false;

	if (t->state == TCP_SYN_RECEIVED && (g->flags & TCP_SYN) && !(g->flags & TCP_ACK) &&
	    g->seq == t->irs) { /* our SYN-ACK was lost: say it again */
		tcp_send_segment(n, s, t->iss, TCP_SYN | TCP_ACK, 0, 0);
		return;
	}
	/* RFC 7323 4.3: remember the TSval of a segment at or before RCV.NXT. */
	if (t->ts_ok && g->opt.has_ts && SEQ_LEQ(g->seq, t->rcv_nxt) &&
	    SEQ_GEQ(g->opt.tsval, t->ts_recent))
		t->ts_recent = g->opt.tsval;
	if (!seq_acceptable(t, g, seglen)) {
		n->st.tcp_outside_window++;
		if (!(g->flags & TCP_RST))
			tcp_send_ack(n, s);
		return;
	}
	if (g->flags & TCP_RST) { /* RFC 5961 3.2 */
		if (t->state == TCP_TIME_WAIT) /* no TIME-WAIT assassination (RFC 1337) */
			return;
		if (g->seq != t->rcv_nxt)
			tcp_challenge_ack(n, s);
		else
			tcp_drop(n, s, t->state == TCP_SYN_RECEIVED ? 0 : NET_ECONNRESET);
		return;
	}
	if (g->flags & TCP_SYN) { /* RFC 5961 4.2 */
		tcp_challenge_ack(n, s);
		return;
	}
	if (!(g->flags & TCP_ACK) || !tcp_ack_input(n, s, g))
		return;
	t->last_rx = n->now;
	t->keep_probes = 0;
	if (g->len) {
		if (t->state != TCP_ESTABLISHED && t->state != TCP_FIN_WAIT_1 &&
		    t->state != TCP_FIN_WAIT_2) {
			ack_now = true; /* data after the peer's FIN: ignore it */
		} else if ((!s->user && (t->listener < 0 || t->accepted)) || t->rd_shut) {
			/* Nobody will read it (RFC 9293 3.10.7.4 "seventh"; Linux does the same). */
			tcp_send_rst(n, s->laddr, s->raddr, s->lport, s->rport, t->snd_nxt, 0, false);
			tcp_drop(n, s, NET_ECONNRESET);
			return;
		} else {
			data_input(n, s, g, &ack_now);
		}
	}
	if (g->flags & TCP_FIN && !t->fin_rcvd) {
		uint32_t fseq = g->seq + g->len;

		if (fseq == t->rcv_nxt)
			fin_input(n, s);
		else if (SEQ_GT(fseq, t->rcv_nxt)) {
			t->ooo_fin = true;
			t->ooo_fin_seq = fseq;
		}
		ack_now = true;
	} else if (t->ooo_fin && t->ooo_fin_seq == t->rcv_nxt) {
		fin_input(n, s);
		ack_now = true;
	} else if (g->flags & TCP_FIN) {
		ack_now = true; /* a retransmitted FIN: ACK it again */
		if (t->state == TCP_TIME_WAIT)
			t->t_timewait = n->now + 2 * n->cfg.msl;
	}
	if (s->type != NET_SOCK_TCP)
		return;
	if (ack_now)
		tcp_send_ack(n, s);
	else if (g->len && !t->t_delack)
		t->t_delack = n->now + n->cfg.delack;
	tcp_output(n, s);
}

static bool parse(struct net *n, uint32_t src, uint32_t dst, const uint8_t *p, size_t len,
		  struct tcp_seg *g)
{
	size_t hlen;

	if (len < TCP_HDR || (hlen = (size_t)(p[12] >> 4) * 4) < TCP_HDR || hlen > len ||
	    net_cksum_fold(net_cksum_add(net_pseudo_sum(src, dst, IP_PROTO_TCP, (uint16_t)len), p, len))) {
		n->st.tcp_bad++;
		return false;
	}
	if (!tcp_parse_opts(p + TCP_HDR, hlen - TCP_HDR, &g->opt)) {
		n->st.tcp_bad_opt++;
		return false;
	}
	g->src = src;
	g->dst = dst;
	g->sport = get16(p);
	g->dport = get16(p + 2);
	g->seq = get32(p + 4);
	g->ack = get32(p + 8);
	g->flags = p[13] & 0x3f;
	g->wnd = get16(p + 14);
	g->data = p + hlen;
	g->len = (uint32_t)(len - hlen);
	if (!g->sport || !g->dport || (g->flags & TCP_SYN && g->flags & TCP_FIN)) {
		n->st.tcp_bad++;
		return false;
	}
	return true;
}

void tcp_input(struct net *n, uint32_t src, uint32_t dst, const uint8_t *p, size_t len)
{
	struct tcp_seg g;
	struct sock *s;

	n->st.tcp_rx++;
	if (len > 65535 || !parse(n, src, dst, p, len, &g))
		return;
	if (dst != n->cfg.addr) { /* no TCP to broadcast addresses */
		n->st.tcp_bad++;
		return;
	}
	s = tcp_lookup(n, &g);
	if (!s) {
		n->st.tcp_no_port++;
		tcp_reset_for(n, &g);
		return;
	}
	switch (s->tcb.state) {
	case TCP_LISTEN:
		listen_input(n, s, &g);
		break;
	case TCP_SYN_SENT:
		synsent_input(n, s, &g);
		break;
	default:
		sync_input(n, s, &g);
	}
}
