/*
 * tcp_out.c: building and sending segments.  tcp_output sends what the
 * send ring holds, as far as min(cwnd, peer window) allows, in MSS-sized
 * segments (Nagle unless NODELAY), then the FIN once the ring is drained.
 * Retransmission re-reads the ring: data stays there until it is ACKed.
 */
#include "net_int.h"

uint32_t tcp_rcv_window(const struct tcb *t) { return t->rsize - t->rb_len; }
uint32_t tcp_flight(const struct tcb *t) { return t->snd_nxt - t->snd_una; }

/* Keyed hash of the 4-tuple plus a 4-microsecond clock (RFC 6528). */
uint32_t tcp_iss(struct net *n, uint32_t la, uint16_t lp, uint32_t ra, uint16_t rp)
{
	uint64_t h = n->cfg.seed * 0x9e3779b97f4a7c15ull ^ 0xa0761d6478bd642full;
	uint64_t v[3] = { la, ra, (uint64_t)lp << 16 | rp };

	for (int i = 0; i < 3; i++) {
		h ^= v[i];
		h *= 0xff51afd7ed558ccdull;
		h ^= h >> 33;
	}
	return (uint32_t)h + (uint32_t)(n->now / 4000);
}

static void copy_from_ring(const struct tcb *t, uint8_t *dst, uint32_t off, uint32_t len)
{
	uint32_t pos = (t->sb_head + off) % t->ssize;
	uint32_t first = t->ssize - pos < len ? t->ssize - pos : len;

	memcpy(dst, t->sbuf + pos, first);
	memcpy(dst + first, t->sbuf, len - first);
}

static size_t put_ts(struct net *n, struct tcb *t, uint8_t *o)
{
	o[0] = 1;
	o[1] = 1;
	o[2] = 8;
	o[3] = 10;
	put32(o + 4, (uint32_t)(n->now / NET_MS)); /* a 1 ms clock */
	put32(o + 8, t->ts_recent);
	return 12;
}

/* MSS, window scale, SACK-permitted and timestamps: offered on a SYN,
   echoed on a SYN-ACK only if the peer's SYN had them. */
static size_t put_syn_opts(struct net *n, struct tcb *t, uint8_t *o, bool is_synack)
{
	size_t i = 0;

	o[i++] = 2;
	o[i++] = 4;
	put16(o + i, t->mss_local);
	i += 2;
	if (!is_synack || t->ws_ok) {
		o[i++] = 1;
		o[i++] = 3;
		o[i++] = 3;
		o[i++] = t->rcv_wscale;
	}
	if (!is_synack || t->sack_ok) {
		o[i++] = 1;
		o[i++] = 1;
		o[i++] = 4;
		o[i++] = 2;
	}
	if (!is_synack || t->ts_ok)
		i += put_ts(n, t, o + i);
	return i;
}

/* SACK blocks (RFC 2018 4) for the out-of-order ranges held, the most
   recently changed first; room is the option space left. */
static size_t put_sack(struct tcb *t, uint8_t *o, size_t room)
{
	int max = (int)((room - 4) / 8), k = 0;
	size_t i = 4;

	if (!t->sack_ok || !t->nooo || max <= 0)
		return 0;
	o[0] = 1;
	o[1] = 1;
	o[2] = 5;
	for (int j = -1; j < t->nooo && k < max; j++) {
		int r = j < 0 ? t->ooo_recent : j;

		if (r >= t->nooo || (j >= 0 && r == t->ooo_recent))
			continue;
		put32(o + i, t->ooo[r].start);
		put32(o + i + 4, t->ooo[r].end);
		i += 8;
		k++;
	}
	o[3] = (uint8_t)(i - 2);
	return i;
}

/* The window to advertise, scaled, and the right edge it implies. */
static uint16_t adv_window(struct tcb *t, bool syn)
{
	uint32_t w = tcp_rcv_window(t);
	uint32_t shift = syn ? 0 : t->rcv_wscale;

	w >>= shift;
	if (w > 65535)
		w = 65535;
	t->rcv_adv = t->rcv_nxt + (w << shift);
	return (uint16_t)w;
}

/*
 * Sends one segment of dlen bytes from ring offset off (relative to
 * sb_seq), with sequence number seq and flags.  SYN segments carry our
 * options.  Any segment with ACK clears the pending delayed ACK.
 */
int tcp_send_segment(struct net *n, struct sock *s, uint32_t seq, uint8_t flags,
		     uint32_t off, uint32_t dlen)
{
	struct tcb *t = &s->tcb;
	uint8_t *h = n->tx + ETH_HDR + IP_HDR;
	size_t hlen = TCP_HDR;
	size_t total;

	put16(h, s->lport);
	put16(h + 2, s->rport);
	put32(h + 4, seq);
	put32(h + 8, (flags & TCP_ACK) ? t->rcv_nxt : 0);
	if (flags & TCP_SYN)
		hlen += put_syn_opts(n, t, h + TCP_HDR, flags & TCP_ACK);
	else {
		if (t->ts_ok)
			hlen += put_ts(n, t, h + hlen);
		/* SACK blocks only in the room the MTU leaves beside the data. */
		size_t room = n->cfg.mtu - IP_HDR - hlen > dlen ? n->cfg.mtu - IP_HDR - hlen - dlen : 0;
		if (room > 60 - hlen)
			room = 60 - hlen;
		if ((flags & TCP_ACK) && room >= 12)
			hlen += put_sack(t, h + hlen, room);
	}
	while (hlen % 4)
		h[hlen++] = 0;
	h[12] = (uint8_t)(hlen / 4 << 4);
	h[13] = flags;
	put16(h + 14, adv_window(t, flags & TCP_SYN));
	put16(h + 16, 0);
	put16(h + 18, 0);
	if (dlen)
		copy_from_ring(t, h + hlen, off, dlen);
	total = hlen + dlen;
	put16(h + 16, net_cksum_fold(net_cksum_add(
		net_pseudo_sum(s->laddr, s->raddr, IP_PROTO_TCP, (uint16_t)total), h, total)));
	if (flags & TCP_ACK) {
		t->t_delack = 0;
		t->unacked_segs = 0;
	}
	return ip_output(n, s->laddr, s->raddr, IP_PROTO_TCP, total);
}

void tcp_send_ack(struct net *n, struct sock *s)
{
	tcp_send_segment(n, s, s->tcb.snd_nxt, TCP_ACK, 0, 0);
}

void tcp_send_rst(struct net *n, uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport,
		  uint32_t seq, uint32_t ack, bool with_ack)
{
	uint8_t *h = n->tx + ETH_HDR + IP_HDR;

	if (!n->cfg.addr)
		return;
	put16(h, sport);
	put16(h + 2, dport);
	put32(h + 4, seq);
	put32(h + 8, with_ack ? ack : 0);
	h[12] = TCP_HDR / 4 << 4;
	h[13] = TCP_RST | (with_ack ? TCP_ACK : 0);
	put16(h + 14, 0);
	put16(h + 16, 0);
	put16(h + 18, 0);
	put16(h + 16, net_cksum_fold(net_cksum_add(
		net_pseudo_sum(src, dst, IP_PROTO_TCP, TCP_HDR), h, TCP_HDR)));
	n->st.tcp_rst_tx++;
	ip_output(n, src, dst, IP_PROTO_TCP, TCP_HDR);
}

static bool can_send_data(enum tcp_state st)
{
	return st == TCP_ESTABLISHED || st == TCP_CLOSE_WAIT || st == TCP_FIN_WAIT_1 ||
	       st == TCP_CLOSING || st == TCP_LAST_ACK;
}

void tcp_output(struct net *n, struct sock *s)
{
	struct tcb *t = &s->tcb;
	uint32_t wnd, end = t->sb_seq + t->sb_len;

	if (!can_send_data(t->state))
		return;
	wnd = t->snd_wnd < t->cwnd ? t->snd_wnd : t->cwnd;
	while (SEQ_LEQ(t->snd_nxt, end)) {
		uint32_t off = t->snd_nxt - t->sb_seq;
		uint32_t avail = t->sb_len - off;
		uint32_t flight = tcp_flight(t);
		uint32_t usable = wnd > flight ? wnd - flight : 0;
		uint32_t len = avail < usable ? avail : usable;
		bool fin;
		uint8_t flags = TCP_ACK;

		if (len > t->mss)
			len = t->mss;
		fin = t->fin_queued && len == avail;
		if (!len && !fin)
			break;
		/* The FIN needs no window, but waits behind unsent data. */
		/* Sender SWS avoidance: no small segment while more data waits,
		   unless it fills half the largest window the peer offered. */
		if (len < t->mss && len < avail && len < t->max_snd_wnd / 2 && !t->sws_override)
			break;
		if (len && len < t->mss && flight && !t->nodelay && !fin)
			break; /* Nagle (RFC 9293 3.7.4) */
		if (len == avail)
			flags |= TCP_PSH;
		if (fin)
			flags |= TCP_FIN;
		if (!t->rtt_timing && SEQ_GEQ(t->snd_nxt, t->snd_max) && len) {
			t->rtt_timing = true;
			t->rtt_seq = t->snd_nxt;
			t->rtt_start = n->now;
		}
		if (SEQ_LT(t->snd_nxt, t->snd_max))
			n->st.tcp_retransmits++;
		tcp_send_segment(n, s, t->snd_nxt, flags, off, len);
		t->snd_nxt += len + fin;
		if (fin)
			t->fin_sent = true;
		if (SEQ_GT(t->snd_nxt, t->snd_max))
			t->snd_max = t->snd_nxt;
		if (!t->t_rexmit)
			tcp_rto_restart(n, t);
		if (fin)
			break;
	}
	t->sws_override = false;
	/* Data waits with nothing in flight (a closed window, or one too small
	   to fill): the persist timer probes a zero window (RFC 9293 3.8.6.1)
	   and overrides SWS avoidance for a small one (3.8.6.2.1). */
	if (SEQ_LT(t->snd_nxt, end) && !tcp_flight(t) && !t->t_persist)
		t->t_persist = n->now + (t->rto << t->persist_backoff);
}
