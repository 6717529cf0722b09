/*
 * tcp_test.c: TCP between two stacks on a virtual wire with a fake clock
 * (wire.h): handshake and options, bulk transfer clean and under seeded
 * loss, reordering and duplication, every close path, RST and the RFC
 * 5961 checks, RTO backoff and give-up, zero-window probing, keepalive,
 * and a SYN flood that must stay within the backlog.
 */
#include "tap.h"
#include "wire.h"
#include "pkt.h"

static struct wire w;
static struct net *A, *B;

static void setup(uint32_t seed, uint32_t rcvbuf)
{
	struct net_config c;

	wire_init(&w, seed);
	wire_cfg(&c, 1);
	c.rto_min = 200 * NET_MS;
	c.tcp_rcvbuf = rcvbuf;
	A = wire_add(&w, &c);
	wire_cfg(&c, 2);
	c.rto_min = 200 * NET_MS;
	c.tcp_rcvbuf = rcvbuf;
	B = wire_add(&w, &c);
}

static struct tcb *tcb_of(struct net *n, int sd) { return &n->socks[sd].tcb; }

/* A connects to B's listener on port; returns 0 and both sockets. */
static int pair(uint16_t port, int *csd, int *ssd)
{
	int l = net_socket(B, NET_SOCK_TCP);

	net_bind(B, l, port);
	net_listen(B, l, 4);
	*csd = net_socket(A, NET_SOCK_TCP);
	net_connect(A, *csd, IP4(10, 0, 0, 2), port, w.now);
	wire_run_for(&w, 100 * NET_MS);
	*ssd = net_accept(B, l, NULL, NULL);
	net_close(B, l, w.now);
	return *ssd >= 0 && tcb_of(A, *csd)->state == TCP_ESTABLISHED ? 0 : -1;
}

static uint8_t pattern(uint64_t i) { return (uint8_t)(i * 2654435761u >> 13); }

/* Sends len bytes A->B (checking every byte as it arrives); returns bytes verified. */
static uint64_t transfer(struct net *tx, int tsd, struct net *rx, int rsd, uint64_t len, uint64_t budget)
{
	static uint8_t buf[65536];
	uint64_t sent = 0, got = 0, end = w.now + budget;
	bool bad = false;

	while (got < len && w.now < end) {
		while (sent < len) {
			size_t chunk = len - sent < sizeof buf ? (size_t)(len - sent) : sizeof buf;
			for (size_t i = 0; i < chunk; i++)
				buf[i] = pattern(sent + i);
			int r = net_send(tx, tsd, buf, chunk, w.now);
			if (r <= 0)
				break;
			sent += (uint64_t)r;
		}
		wire_run_for(&w, 2 * NET_MS);
		for (;;) {
			int r = net_recv(rx, rsd, buf, sizeof buf, w.now);
			if (r <= 0)
				break;
			for (int i = 0; i < r; i++)
				if (buf[i] != pattern(got + (uint64_t)i))
					bad = true;
			got += (uint64_t)r;
		}
	}
	return bad ? 0 : got;
}

static void test_handshake_and_transfer(void)
{
	int c, s;

	setup(1, 256 * 1024);
	ok(pair(80, &c, &s) == 0, "handshake: connect, listen, accept");
	is_int(tcb_of(A, c)->mss, 1448, "MSS option: 1460 from a 1500 MTU, less 12 for timestamps");
	ok(tcb_of(A, c)->ts_ok && tcb_of(B, s)->sack_ok, "timestamps and SACK-permitted negotiated");
	ok(tcb_of(A, c)->ws_ok && tcb_of(A, c)->snd_wscale == tcb_of(B, s)->rcv_wscale &&
	   tcb_of(B, s)->rcv_wscale == 3, "window scale negotiated (shift 3 for a 256 KiB ring)");
	struct net_pollfd p[2] = { { c, NET_POLL_OUT, 0 }, { s, NET_POLL_IN, 0 } };
	is_int(net_sock_poll(A, p, 1), 1, "poll: connected socket is writable");
	is_int(net_sock_poll(B, p + 1, 1), 0, "poll: nothing to read yet");
	uint64_t got = transfer(A, c, B, s, 4 << 20, 60 * NET_SEC);
	is_int(got, 4 << 20, "4 MiB A->B, every byte in order");
	ok(tcb_of(A, c)->cwnd > 64 * 1024, "cwnd grew past 64 KiB (%u)", tcb_of(A, c)->cwnd);
	ok(tcb_of(A, c)->srtt > 0 && tcb_of(A, c)->rto >= 200 * NET_MS, "RTT measured, RTO >= rto_min");
	is_int(transfer(B, s, A, c, 1 << 20, 60 * NET_SEC), 1 << 20, "1 MiB B->A on the same connection");
	is_int(net_stats(A)->tcp_retransmits, 0, "no retransmissions on a clean wire");
}

/* Data that arrives before accept() waits for it (a bug found against Linux). */
static void test_data_before_accept(void)
{
	char b[16];

	setup(2, 0);
	int l = net_socket(B, NET_SOCK_TCP);
	net_bind(B, l, 79);
	net_listen(B, l, 2);
	int c = net_socket(A, NET_SOCK_TCP);
	net_connect(A, c, IP4(10, 0, 0, 2), 79, w.now);
	wire_run_for(&w, 10 * NET_MS);
	net_send(A, c, "early", 5, w.now);
	net_shutdown(A, c, NET_SHUT_WR, w.now);
	wire_run_for(&w, 100 * NET_MS);
	int s = net_accept(B, l, NULL, NULL);
	ok(s >= 0 && net_recv(B, s, b, sizeof b, w.now) == 5 && !memcmp(b, "early", 5),
	   "data and FIN sent before accept() are there after it");
	is_int(net_recv(B, s, b, sizeof b, w.now), 0, "then end of stream");
	is_int(net_stats(B)->tcp_rst_tx, 0, "and no RST was sent");
}

static void test_lossy(uint32_t seed)
{
	int c, s;

	setup(seed, 64 * 1024);
	ok(pair(81, &c, &s) == 0, "seed %u: handshake", seed);
	w.loss_pct = 3;
	w.reorder_pct = 5;
	w.dup_pct = 1;
	uint64_t got = transfer(A, c, B, s, 2 << 20, 600 * NET_SEC);
	is_int(got, 2 << 20, "seed %u: 2 MiB through 3%% loss, 5%% reordering, 1%% duplicates", seed);
	ok(net_stats(A)->tcp_fast_retransmits > 0, "seed %u: fast retransmit used (%llu; %llu RTOs)", seed,
	   (unsigned long long)net_stats(A)->tcp_fast_retransmits,
	   (unsigned long long)net_stats(A)->tcp_rto_expired);
	ok(net_stats(B)->tcp_ooo_segs > 0, "seed %u: out-of-order segments held (%llu)", seed,
	   (unsigned long long)net_stats(B)->tcp_ooo_segs);
	w.loss_pct = w.reorder_pct = w.dup_pct = 0;
}

/* Both directions at once through loss: segments carrying data and SACK
   blocks must still fit the MTU (no IP fragments). */
static void test_both_ways(void)
{
	static uint8_t buf[8192];
	uint64_t sent[2] = { 0, 0 }, got[2] = { 0, 0 }, len = 1 << 20, end;
	struct net *tx[2], *rx[2];
	int tsd[2], rsd[2], c, s;
	bool bad = false;

	setup(21, 64 * 1024);
	pair(89, &c, &s);
	tx[0] = A, tsd[0] = c, rx[0] = B, rsd[0] = s;
	tx[1] = B, tsd[1] = s, rx[1] = A, rsd[1] = c;
	w.loss_pct = 3;
	w.reorder_pct = 5;
	end = w.now + 600 * NET_SEC;
	while ((got[0] < len || got[1] < len) && w.now < end) {
		for (int d = 0; d < 2; d++) {
			for (size_t i = 0; i < sizeof buf; i++)
				buf[i] = pattern(sent[d] + i);
			if (sent[d] < len) {
				size_t chunk = len - sent[d] < sizeof buf ? (size_t)(len - sent[d]) : sizeof buf;
				int r = net_send(tx[d], tsd[d], buf, chunk, w.now);
				if (r > 0)
					sent[d] += (uint64_t)r;
			}
		}
		wire_run_for(&w, 2 * NET_MS);
		for (int d = 0; d < 2; d++)
			for (int r; (r = net_recv(rx[d], rsd[d], buf, sizeof buf, w.now)) > 0; got[d] += (uint64_t)r)
				for (int i = 0; i < r; i++)
					bad |= buf[i] != pattern(got[d] + (uint64_t)i);
	}
	w.loss_pct = w.reorder_pct = 0;
	ok(!bad && got[0] == len && got[1] == len, "1 MiB each way at once through loss, intact (%llu, %llu)", (unsigned long long)got[0], (unsigned long long)got[1]);
	is_int(net_stats(A)->ip_tx_frags + net_stats(B)->ip_tx_frags, 0, "data segments with SACK blocks fit the MTU");
}

static void test_close_paths(void)
{
	int c, s;
	char b[8];

	setup(3, 0);
	pair(82, &c, &s);
	net_send(A, c, "hi", 2, w.now);
	net_shutdown(A, c, NET_SHUT_WR, w.now);
	is_str(tcp_state_name(tcb_of(A, c)->state), "FIN_WAIT_1", "active close: FIN_WAIT_1");
	wire_run_for(&w, 10 * NET_MS);
	is_str(tcp_state_name(tcb_of(A, c)->state), "FIN_WAIT_2", "then FIN_WAIT_2");
	is_str(net_sock_state(B, s), "CLOSE_WAIT", "passive side: CLOSE_WAIT");
	is_int(net_recv(B, s, b, sizeof b, w.now), 2, "data before the FIN is read");
	is_int(net_recv(B, s, b, sizeof b, w.now), 0, "then end of stream");
	is_int(net_send(B, s, "ok", 2, w.now), 2, "CLOSE_WAIT can still send");
	net_close(B, s, w.now);
	is_str(tcp_state_name(tcb_of(B, s)->state), "LAST_ACK", "LAST_ACK after close");
	wire_run_for(&w, 10 * NET_MS);
	is_str(tcp_state_name(tcb_of(A, c)->state), "TIME_WAIT", "active side: TIME_WAIT");
	is_int(B->socks[s].type, 0, "passive side freed after the last ACK");
	is_int(net_recv(A, c, b, sizeof b, w.now), 2, "TIME_WAIT: the data B sent is there");
	net_close(A, c, w.now);
	uint8_t rst_pkt[100];
	uint8_t rmac[6] = { 2, 0, 0, 0, 0, 9 };
	int raw = wire_add_raw(&w, 4);
	struct tcb *ta = tcb_of(A, c);
	size_t fl = pkt_tcp(rst_pkt, A->cfg.mac, rmac, IP4(10, 0, 0, 2), IP4(10, 0, 0, 1), 82,
			    A->socks[c].lport, ta->rcv_nxt - 1, ta->snd_nxt, TCP_FIN | TCP_ACK, 1000,
			    NULL, 0, NULL, 0);
	uint64_t sent = net_stats(A)->tx_frames;
	wire_inject(&w, raw, rst_pkt, fl);
	wire_run_for(&w, 10 * NET_MS);
	ok(net_stats(A)->tx_frames == sent + 1 && ta->state == TCP_TIME_WAIT,
	   "a retransmitted FIN in TIME_WAIT is ACKed again; B's RST for that ACK is ignored (RFC 1337)");
	free(w.nodes[--w.nnodes].captured);
	w.nodes[w.nnodes].captured = NULL;
	wire_run_for(&w, 59 * NET_SEC);
	is_str(tcp_state_name(tcb_of(A, c)->state), "TIME_WAIT", "still TIME_WAIT before 2 MSL");
	wire_run_for(&w, 2 * NET_SEC);
	is_int(A->socks[c].type, 0, "freed after 2 MSL (60 s)");

	/* Simultaneous close: both FINs cross, both go through CLOSING. */
	pair(83, &c, &s);
	net_close(A, c, w.now);
	net_close(B, s, w.now);
	ok(tcb_of(A, c)->state == TCP_FIN_WAIT_1 && tcb_of(B, s)->state == TCP_FIN_WAIT_1, "simultaneous close");
	wire_run_for(&w, 1 * NET_MS + 1);
	ok(tcb_of(A, c)->state == TCP_CLOSING, "CLOSING when the peer's FIN comes first");
	wire_run_for(&w, 10 * NET_MS);
	ok(tcb_of(A, c)->state == TCP_TIME_WAIT && tcb_of(B, s)->state == TCP_TIME_WAIT, "both TIME_WAIT");
	wire_run_for(&w, 61 * NET_SEC);

	/* Half close: A shuts its sending side, B still sends. */
	pair(84, &c, &s);
	net_shutdown(A, c, NET_SHUT_WR, w.now);
	wire_run_for(&w, 10 * NET_MS);
	is_int(net_recv(B, s, b, sizeof b, w.now), 0, "half close: B sees end of stream");
	is_int(net_send(A, c, "x", 1, w.now), -NET_EPIPE, "half close: A may not send");
	net_send(B, s, "back", 4, w.now);
	wire_run_for(&w, 100 * NET_MS);
	is_int(net_recv(A, c, b, sizeof b, w.now), 4, "half close: A still receives");
	net_close(B, s, w.now);
	net_close(A, c, w.now);
	wire_run_for(&w, 121 * NET_SEC);
	is_int(net_sockets_used(A) + net_sockets_used(B), 0, "all sockets freed");
}

static void test_refused_and_rst(void)
{
	int c, s;
	uint8_t f[200];

	setup(4, 0);
	c = net_socket(A, NET_SOCK_TCP);
	net_connect(A, c, IP4(10, 0, 0, 2), 9, w.now);
	wire_run_for(&w, 50 * NET_MS);
	is_int(net_send(A, c, "x", 1, w.now), -NET_ECONNREFUSED, "closed port: connection refused");
	is_int(net_send(A, c, "x", 1, w.now), -NET_ENOTCONN, "the error is reported once");
	net_close(A, c, w.now);

	pair(85, &c, &s);
	int raw = wire_add_raw(&w, 16);
	uint8_t rmac[6] = { 2, 0, 0, 0, 0, 9 };
	struct tcb *t = tcb_of(B, s);
	/* An in-window RST that is not exact draws a challenge ACK (RFC 5961 3.2). */
	size_t len = pkt_tcp(f, B->cfg.mac, rmac, IP4(10, 0, 0, 1), IP4(10, 0, 0, 2),
			     A->socks[c].lport, 85, t->rcv_nxt + 100, 0, TCP_RST, 0, NULL, 0, NULL, 0);
	wire_inject(&w, raw, f, len);
	wire_run_for(&w, 10 * NET_MS);
	is_str(net_sock_state(B, s), "ESTABLISHED", "blind RST inside the window: survives");
	is_int(net_stats(B)->tcp_challenge_acks, 1, "and sends a challenge ACK");
	len = pkt_tcp(f, B->cfg.mac, rmac, IP4(10, 0, 0, 1), IP4(10, 0, 0, 2), A->socks[c].lport, 85,
		      t->rcv_nxt + 5, 0, TCP_SYN, 1000, NULL, 0, NULL, 0);
	wire_inject(&w, raw, f, len);
	wire_run_for(&w, 10 * NET_MS);
	ok(tcb_of(B, s)->state == TCP_ESTABLISHED && net_stats(B)->tcp_challenge_acks == 2,
	   "SYN on an established connection: challenge ACK (RFC 5961 4.2)");
	len = pkt_tcp(f, B->cfg.mac, rmac, IP4(10, 0, 0, 1), IP4(10, 0, 0, 2), A->socks[c].lport, 85,
		      t->rcv_nxt, 0, TCP_RST, 0, NULL, 0, NULL, 0);
	wire_inject(&w, raw, f, len);
	wire_run_for(&w, 10 * NET_MS);
	is_int(net_recv(B, s, f, 1, w.now), -NET_ECONNRESET, "exact RST: connection reset");
	/* Bad checksum and bad options: counted, dropped. */
	len = pkt_tcp(f, B->cfg.mac, rmac, IP4(10, 0, 0, 1), IP4(10, 0, 0, 2), 1, 85, 1, 0, TCP_SYN,
		      1000, NULL, 0, NULL, 0);
	f[len - 3] ^= 1;
	uint64_t bad = net_stats(B)->tcp_bad;
	net_input(B, f, len, w.now);
	is_int(net_stats(B)->tcp_bad, bad + 1, "bad TCP checksum counted");
	uint8_t opt[4] = { 2, 1, 0, 0 }; /* an option of length 1 */
	len = pkt_tcp(f, B->cfg.mac, rmac, IP4(10, 0, 0, 1), IP4(10, 0, 0, 2), 1, 85, 1, 0, TCP_SYN,
		      1000, opt, 4, NULL, 0);
	net_input(B, f, len, w.now);
	is_int(net_stats(B)->tcp_bad_opt, 1, "malformed option list counted");
}

static void test_rto_backoff(void)
{
	int c, s;

	setup(5, 0);
	pair(86, &c, &s);
	struct wire_node *bn = &w.nodes[1];
	bn->n = NULL; /* B vanishes: its frames are captured instead */
	bn->captured = calloc(64, sizeof *bn->captured);
	bn->cap_max = 64;
	uint64_t t0 = w.now;
	net_send(A, c, "lost", 4, w.now);
	wire_run_for(&w, 30 * NET_SEC);
	int n = bn->ncaptured;
	ok(n >= 5, "retransmissions seen (%d)", n);
	bool doubling = true;
	for (int i = 2; i < n && i < 6; i++) {
		uint64_t d1 = bn->captured[i - 1].at - bn->captured[i - 2].at;
		uint64_t d2 = bn->captured[i].at - bn->captured[i - 1].at;
		if (d2 < 2 * d1 - 2 * NET_MS || d2 > 2 * d1 + 2 * NET_MS)
			doubling = false;
	}
	ok(doubling, "RTO doubles each time (RFC 6298 5.5)");
	ok(bn->captured[1].at - bn->captured[0].at >= 200 * NET_MS, "first RTO >= rto_min");
	wire_run_for(&w, 20 * 60 * NET_SEC);
	is_int(net_send(A, c, "x", 1, w.now), -NET_ETIMEDOUT, "gives up: timed out");
	(void)t0;
}

static void test_zero_window(void)
{
	int c, s;
	static uint8_t buf[8192];

	setup(6, 4096);
	pair(87, &c, &s);
	int sent = 0;
	for (int i = 0; i < 8; i++) {
		int r = net_send(A, c, buf, sizeof buf, w.now);
		if (r > 0)
			sent += r;
		wire_run_for(&w, 50 * NET_MS);
	}
	wire_run_for(&w, 3 * NET_SEC);
	is_int(tcb_of(A, c)->snd_wnd, 0, "receiver full: window 0");
	is_int(tcb_of(B, s)->rb_len, 4096, "its ring holds 4096 bytes");
	uint64_t before = w.sent;
	wire_run_for(&w, 5 * NET_SEC);
	ok(w.sent > before && tcb_of(A, c)->state == TCP_ESTABLISHED, "zero-window probes keep it alive");
	int got = 0;
	for (int i = 0; i < 400 && got < sent; i++) {
		int r = net_recv(B, s, buf, sizeof buf, w.now);
		if (r > 0)
			got += r;
		wire_run_for(&w, 50 * NET_MS);
	}
	is_int(got, sent, "all data arrives once the reader drains");
}

static void test_keepalive(void)
{
	int c, s;

	setup(7, 0);
	pair(88, &c, &s);
	net_setopt(A, c, NET_OPT_KEEPALIVE, 1000);
	wire_run_for(&w, 5 * NET_SEC);
	is_str(net_sock_state(A, c), "ESTABLISHED", "keepalive answered: still up");
	w.nodes[1].n = NULL;
	w.nodes[1].captured = calloc(32, sizeof(struct wire_frame));
	w.nodes[1].cap_max = 32;
	wire_run_for(&w, 20 * NET_SEC);
	is_int(w.nodes[1].ncaptured, 9, "nine unanswered probes");
	is_int(net_recv(A, c, NULL, 0, w.now), -NET_ETIMEDOUT, "then the connection times out");
}

static void test_syn_flood(void)
{
	int l, c, raw;
	uint8_t f[100];
	uint8_t rmac[6] = { 2, 0, 0, 0, 0, 9 };

	setup(8, 0);
	l = net_socket(B, NET_SOCK_TCP);
	net_bind(B, l, 90);
	net_listen(B, l, 4);
	raw = wire_add_raw(&w, 0);
	int pool = net_pool_free(B), max_used = 0;
	for (int i = 0; i < 5000; i++) {
		size_t len = pkt_tcp(f, B->cfg.mac, rmac, IP4(10, 0, 1 + i / 250, 1 + i % 250),
				     IP4(10, 0, 0, 2), (uint16_t)(1024 + i), 90, (uint32_t)i * 7919u, 0,
				     TCP_SYN, 1000, NULL, 0, NULL, 0);
		net_input(B, f, len, w.now);
		if (net_sockets_used(B) > max_used)
			max_used = net_sockets_used(B);
	}
	(void)raw;
	is_int(max_used, 5, "5000 SYNs: at most listener + backlog (4) sockets ever");
	ok(net_stats(B)->tcp_syn_evicted >= 4990, "oldest half-open recycled (%llu)",
	   (unsigned long long)net_stats(B)->tcp_syn_evicted);
	is_int(net_pool_free(B), pool, "packet pool untouched");
	c = net_socket(A, NET_SOCK_TCP);
	net_connect(A, c, IP4(10, 0, 0, 2), 90, w.now);
	wire_run_for(&w, 100 * NET_MS);
	ok(net_accept(B, l, NULL, NULL) >= 0, "a real client still gets in during the flood");
}

static void test_udp_flood(void)
{
	uint8_t f[200];
	uint8_t rmac[6] = { 2, 0, 0, 0, 0, 9 };
	uint8_t out[64];
	uint32_t from;
	uint16_t port;

	setup(9, 0);
	int u = net_socket(B, NET_SOCK_UDP);
	is_int(net_bind(B, u, 5000), 0, "udp bind");
	is_int(net_bind(B, net_socket(B, NET_SOCK_UDP), 5000), -NET_EADDRINUSE, "second bind: in use");
	int pool = net_pool_free(B);
	for (int i = 0; i < 10000; i++) {
		size_t len = pkt_udp(f, B->cfg.mac, rmac, IP4(10, 0, 0, 7), IP4(10, 0, 0, 2), 7, 5000, "flood", 5);
		net_input(B, f, len, w.now);
	}
	is_int(pool - net_pool_free(B), 8, "10000 datagrams: 8 queued (udp_queue)");
	is_int(net_stats(B)->udp_queue_drops, 9992, "the rest counted as dropped");
	is_int(net_recvfrom(B, u, out, sizeof out, &from, &port), 5, "recvfrom gets one");
	ok(from == IP4(10, 0, 0, 7) && port == 7, "with its source");
	net_close(B, u, w.now);
	is_int(net_pool_free(B), pool, "closing returns the queue to the pool");
}

int main(void)
{
	test_handshake_and_transfer();
	test_data_before_accept();
	for (uint32_t seed = 11; seed <= 13; seed++)
		test_lossy(seed);
	test_both_ways();
	test_close_paths();
	test_refused_and_rst();
	test_rto_backoff();
	test_zero_window();
	test_keepalive();
	test_syn_flood();
	test_udp_flood();
	wire_free(&w);
	return done_testing();
}
