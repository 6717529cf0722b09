/*
 * tcp_ack.c: what an acceptable ACK does to the sender (RFC 9293
 * 3.10.7.4 "fifth"): RTT samples (RFC 6298), the send ring, the
 * congestion window (RFC 5681), fast retransmit and NewReno recovery
 * (RFC 6582) guided by the peer's SACK blocks (RFC 2018, a subset of RFC
 * 6675), limited transmit (RFC 3042), and the close states that wait for
 * our FIN to be acknowledged.
 */
#include "net_int.h"

void tcp_rtt_sample(struct net *n, struct tcb *t, uint64_t r)
{
	if (!t->srtt) {
		t->srtt = r ? r : 1;
		t->rttvar = r / 2;
	} else {
		uint64_t d = t->srtt > r ? t->srtt - r : r - t->srtt;

		t->rttvar = (3 * t->rttvar + d) / 4;
		t->srtt = (7 * t->srtt + r) / 8;
	}
	t->rto = t->srtt + (4 * t->rttvar > NET_MS ? 4 * t->rttvar : NET_MS);
	if (t->rto < n->cfg.rto_min)
		t->rto = n->cfg.rto_min;
	if (t->rto > 60 * NET_SEC)
		t->rto = 60 * NET_SEC;
}

/* RFC 5961 challenge ACKs, at most 10 a second per connection. */
void tcp_challenge_ack(struct net *n, struct sock *s)
{
	struct tcb *t = &s->tcb;

	if (n->now >= t->challenge_window + NET_SEC) {
		t->challenge_window = n->now;
		t->challenge_count = 0;
	}
	if (t->challenge_count++ < 10) {
		n->st.tcp_challenge_acks++;
		tcp_send_ack(n, s);
	}
}
/* Drops acked bytes from the send ring; the FIN, if acked, is not in it. */
static void ring_ack(struct tcb *t, uint32_t ack)
{
	uint32_t n = ack - t->sb_seq;

	if (SEQ_LEQ(ack, t->sb_seq))
		return;
	if (n > t->sb_len)
		n = t->sb_len;
	t->sb_head = (t->sb_head + n) % t->ssize;
	t->sb_len -= n;
	t->sb_seq += n;
}

/* Merges the peer's SACK blocks into the scoreboard and forgets what
   snd_una has passed.  Blocks outside (snd_una, snd_max] are ignored. */
static void sack_update(struct tcb *t, const struct tcp_seg *g)
{
	for (int b = 0; b < g->opt.nsack; b++) {
		uint32_t st = g->opt.sack[b][0], en = g->opt.sack[b][1];
		int i;

		if (!SEQ_LT(st, en) || SEQ_LEQ(en, g->ack) || SEQ_GT(en, t->snd_max))
			continue;
		for (i = 0; i < t->nsacked; i++)
			if (SEQ_LEQ(st, t->sacked[i].end) && SEQ_GEQ(en, t->sacked[i].start)) {
				if (SEQ_LT(st, t->sacked[i].start))
					t->sacked[i].start = st;
				if (SEQ_GT(en, t->sacked[i].end))
					t->sacked[i].end = en;
				break;
			}
		if (i == t->nsacked && t->nsacked < TCP_SACK_SCORE) {
			t->sacked[t->nsacked].start = st;
			t->sacked[t->nsacked++].end = en;
		}
	}
	for (int i = 0; i < t->nsacked; i++)
		if (SEQ_LEQ(t->sacked[i].end, g->ack))
			t->sacked[i--] = t->sacked[--t->nsacked];
}

/* The next hole to resend: the first byte at or after rexmit_next that
   no SACK block covers and that lies below the highest one; 0 if none. */
static uint32_t next_hole(const struct tcb *t, uint32_t *seq)
{
	uint32_t s = SEQ_GT(t->rexmit_next, t->snd_una) ? t->rexmit_next : t->snd_una;
	uint32_t high = t->snd_una, len = t->mss;
	bool moved = true;

	for (int i = 0; i < t->nsacked; i++)
		if (SEQ_GT(t->sacked[i].end, high))
			high = t->sacked[i].end;
	while (moved) {
		moved = false;
		for (int i = 0; i < t->nsacked; i++)
			if (SEQ_GEQ(s, t->sacked[i].start) && SEQ_LT(s, t->sacked[i].end)) {
				s = t->sacked[i].end;
				moved = true;
			}
	}
	if (!SEQ_LT(s, high))
		return 0;
	for (int i = 0; i < t->nsacked; i++)
		if (SEQ_GT(t->sacked[i].start, s) && t->sacked[i].start - s < len)
			len = t->sacked[i].start - s;
	if (t->sb_seq + t->sb_len - s < len)
		len = t->sb_seq + t->sb_len - s;
	*seq = s;
	return len;
}

/* Resends the next hole the scoreboard shows; false if there is none. */
static bool sack_retransmit(struct net *n, struct sock *s)
{
	struct tcb *t = &s->tcb;
	uint32_t seq, len = next_hole(t, &seq);

	if (!len)
		return false;
	n->st.tcp_retransmits++;
	t->rtt_timing = false;
	tcp_send_segment(n, s, seq, TCP_ACK, seq - t->sb_seq, len);
	t->rexmit_next = seq + len;
	return true;
}

static void fast_retransmit(struct net *n, struct sock *s)
{
	struct tcb *t = &s->tcb;
	uint32_t len = t->sb_seq + t->sb_len - t->snd_una;
	uint32_t off = t->snd_una - t->sb_seq;
	uint8_t flags = TCP_ACK;

	if (len > t->mss)
		len = t->mss;
	if (t->fin_sent && t->snd_una + len == t->sb_seq + t->sb_len)
		flags |= TCP_FIN;
	if (!len && !(flags & TCP_FIN))
		return;
	n->st.tcp_retransmits++;
	t->rtt_timing = false; /* Karn */
	tcp_send_segment(n, s, t->snd_una, flags, off, len);
	t->rexmit_next = t->snd_una + len;
}

/* ACK of new data: RTT, ring, congestion window (RFC 5681 3.1, 6582 3.2). */
static void new_ack(struct net *n, struct sock *s, uint32_t ack)
{
	struct tcb *t = &s->tcb;
	uint32_t acked = ack - t->snd_una;

	if (t->rtt_timing && SEQ_GT(ack, t->rtt_seq)) {
		tcp_rtt_sample(n, t, n->now - t->rtt_start);
		t->rtt_timing = false;
	}
	t->snd_una = ack;
	if (SEQ_LT(t->snd_nxt, ack))
		t->snd_nxt = ack;
	ring_ack(t, ack);
	t->retries = 0;
	t->rto_backed_off = false;
	if (t->in_recovery) {
		if (SEQ_GEQ(ack, t->recover)) {
			uint32_t f = tcp_flight(t);

			t->cwnd = f > t->mss ? f + t->mss : 2u * t->mss;
			if (t->cwnd > t->ssthresh)
				t->cwnd = t->ssthresh;
			t->in_recovery = false;
		} else { /* partial ACK: the next hole, unless already resent */
			if (SEQ_LEQ(t->rexmit_next, ack))
				fast_retransmit(n, s);
			else
				sack_retransmit(n, s);
			t->cwnd = t->cwnd > acked ? t->cwnd - acked : t->mss;
			if (acked >= t->mss)
				t->cwnd += t->mss;
		}
	} else if (t->cwnd < t->ssthresh) {
		t->cwnd += acked < t->mss ? acked : t->mss;
	} else {
		uint32_t inc = (uint32_t)((uint64_t)t->mss * t->mss / t->cwnd);

		t->cwnd += inc ? inc : 1;
	}
	if (t->cwnd > (1u << 30))
		t->cwnd = 1u << 30;
	t->dupacks = 0;
	if (t->snd_una == t->snd_max)
		t->t_rexmit = 0; /* RFC 6298 5.2 */
	else
		tcp_rto_restart(n, t); /* 5.3 */
}

/* Bytes the scoreboard shows above snd_una. */
static uint32_t sacked_bytes(const struct tcb *t)
{
	uint32_t sum = 0;

	for (int i = 0; i < t->nsacked; i++)
		sum += t->sacked[i].end - t->sacked[i].start;
	return sum;
}

/*
 * A duplicate ACK.  Fast retransmit on the third, or as soon as the
 * peer's SACK blocks cover three segments above the hole (RFC 6675's
 * DupThresh); before that, limited transmit (RFC 3042) sends one new
 * segment for each of the first two, so a small window still yields
 * enough duplicates.
 */
static void dup_ack(struct net *n, struct sock *s)
{
	struct tcb *t = &s->tcb;

	++t->dupacks;
	if (!t->in_recovery && SEQ_GT(t->snd_una, t->recover) &&
	    (t->dupacks >= 3 || sacked_bytes(t) >= 3u * t->mss)) {
		uint32_t f = tcp_flight(t);

		t->ssthresh = f / 2 > 2u * t->mss ? f / 2 : 2u * t->mss;
		t->recover = t->snd_max;
		t->in_recovery = true;
		n->st.tcp_fast_retransmits++;
		fast_retransmit(n, s);
		t->cwnd = t->ssthresh + 3 * t->mss;
	} else if (t->in_recovery) {
		t->cwnd += t->mss;
		/* With SACK the holes go first; without, NewReno sends new data. */
		if (!sack_retransmit(n, s))
			tcp_output(n, s);
	} else if (t->dupacks <= 2) {
		uint32_t cwnd = t->cwnd;

		t->cwnd = tcp_flight(t) + t->mss;
		tcp_output(n, s);
		t->cwnd = cwnd;
	}
}

/* Our FIN has been acked: move on (RFC 9293 3.10.7.4, "fifth"). */
static bool fin_acked(struct net *n, struct sock *s)
{
	struct tcb *t = &s->tcb;

	if (!t->fin_sent || t->snd_una != t->sb_seq + t->sb_len + 1)
		return true;
	switch (t->state) {
	case TCP_FIN_WAIT_1:
		tcp_set_state(n, s, TCP_FIN_WAIT_2);
		/* Orphaned: a peer that never closes must not hold the slot forever. */
		if (!s->user)
			t->t_timewait = n->now + 2 * n->cfg.msl;
		break;
	case TCP_CLOSING:
		tcp_set_state(n, s, TCP_TIME_WAIT);
		break;
	case TCP_LAST_ACK:
		tcp_drop(n, s, 0);
		return false;
	default:
		break;
	}
	return true;
}

/* Returns false if the segment is finished with (dropped or the socket gone). */
bool tcp_ack_input(struct net *n, struct sock *s, const struct tcp_seg *g)
{
	struct tcb *t = &s->tcb;

	if (t->state == TCP_SYN_RECEIVED) {
		if (SEQ_LEQ(g->ack, t->snd_una) || SEQ_GT(g->ack, t->snd_max)) {
			tcp_reset_for(n, g);
			return false;
		}
		t->t_rexmit = 0;
		t->retries = 0;
		tcp_set_state(n, s, TCP_ESTABLISHED);
		t->snd_una = g->ack;
		t->snd_wnd = (uint32_t)g->wnd << t->snd_wscale;
		t->max_snd_wnd = t->snd_wnd;
		t->snd_wl1 = g->seq;
		t->snd_wl2 = g->ack;
		return true;
	}
	if (SEQ_GT(g->ack, t->snd_max)) {
		tcp_send_ack(n, s);
		return false;
	}
	if (SEQ_LT(g->ack, t->snd_una - t->max_snd_wnd)) { /* RFC 5961 5.2 */
		tcp_challenge_ack(n, s);
		return false;
	}
	if (t->sack_ok)
		sack_update(t, g);
	if (SEQ_GT(g->ack, t->snd_una)) {
		new_ack(n, s, g->ack);
		tcp_update_window(t, g);
	} else {
		uint32_t old_wnd = t->snd_wnd;

		tcp_update_window(t, g);
		/* RFC 5681's duplicate; with SACK a window change does not
		   disqualify it (the peer's window grows as it buffers). */
		if (g->ack == t->snd_una && !g->len && !(g->flags & TCP_FIN) &&
		    (t->snd_wnd == old_wnd || g->opt.nsack) && tcp_flight(t))
			dup_ack(n, s);
	}
	return fin_acked(n, s);
}
