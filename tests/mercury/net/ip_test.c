/*
 * ip_test.c: the layers under TCP, one stack against a raw node on the
 * virtual wire: Ethernet filtering, ARP (replies, cache, timeouts,
 * pending queue, retries, gratuitous ARP), IPv4 header checks,
 * reassembly (orders, overlap, oversize, timeout, slot exhaustion),
 * ICMP echo both ways, UDP (checksums, port unreachable, large
 * datagrams fragmented).  Every malformed packet must be counted.
 */
#include "tap.h"
#include "wire.h"
#include "pkt.h"

static struct wire w;
static struct net *A;
static int R;
static const uint8_t rmac[6] = { 2, 0, 0, 0, 0, 9 };
#define RIP IP4(10, 0, 0, 9)
#define AIP IP4(10, 0, 0, 1)

static void setup(void)
{
	struct net_config c;

	wire_init(&w, 42);
	wire_cfg(&c, 1);
	c.gateway = IP4(10, 0, 0, 254);
	A = wire_add(&w, &c);
	R = wire_add_raw(&w, 256);
	wire_run_for(&w, NET_MS); /* the gratuitous ARP goes out */
}

static struct wire_frame *captured(int i) { return &w.nodes[R].captured[i]; }
static int ncap(void) { return w.nodes[R].ncaptured; }
static void clear(void) { w.nodes[R].ncaptured = 0; }

static size_t arp_pkt(uint8_t *f, uint16_t op, const uint8_t *dst, uint32_t spa, uint32_t tpa)
{
	uint8_t *a = f + ETH_HDR;

	pkt_eth(f, dst, rmac, ETH_TYPE_ARP);
	put16(a, 1);
	put16(a + 2, ETH_TYPE_IP);
	a[4] = 6;
	a[5] = 4;
	put16(a + 6, op);
	memcpy(a + 8, rmac, 6);
	put32(a + 14, spa);
	memset(a + 18, 0, 6);
	put32(a + 24, tpa);
	return ETH_HDR + 28;
}

/* Teaches A the raw node's MAC (an ARP request from it). */
static void learn(void)
{
	uint8_t f[64];

	net_input(A, f, arp_pkt(f, 1, eth_bcast, RIP, AIP), w.now);
	wire_run_for(&w, 2 * NET_MS); /* A's reply */
	clear();
}

static void test_cksum_and_eth(void)
{
	/* RFC 1071's example words 0001 f203 f4f5 f6f7 sum to ddf2. */
	uint8_t v[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
	is_int(net_cksum_fold(net_cksum_add(0, v, sizeof v)), (uint16_t)~0xddf2, "RFC 1071 checksum example");
	uint8_t odd[] = { 0x12, 0x34, 0x56 };
	is_int(net_cksum_add(0, odd, 3), 0x1234 + 0x5600, "odd length padded with zero");

	/* The word-at-a-time sum against the definition, over many lengths. */
	static uint8_t big[2000];
	uint32_t x = 1;
	bool same = true;
	for (size_t i = 0; i < sizeof big; i++) {
		x = x * 1103515245 + 12345;
		big[i] = (uint8_t)(x >> 16);
	}
	for (size_t len = 0; len < sizeof big && same; len += 1 + len / 7) {
		uint64_t ref = 0x1234;
		for (size_t i = 0; i < len; i += 2)
			ref += (uint32_t)big[i] << 8 | (i + 1 < len ? big[i + 1] : 0);
		same = net_cksum_fold((uint32_t)(ref % 0xffff ? ref % 0xffff : 0xffff)) ==
		       net_cksum_fold(net_cksum_add(0x1234, big, len));
	}
	ok(same, "fast checksum equals the definition for lengths 0..2000");

	uint8_t f[64] = { 0 };
	setup();
	net_input(A, f, 10, w.now);
	is_int(net_stats(A)->rx_bad_eth, 1, "runt frame counted");
	uint8_t other[6] = { 2, 1, 1, 1, 1, 1 };
	pkt_eth(f, other, rmac, ETH_TYPE_IP);
	net_input(A, f, 60, w.now);
	is_int(net_stats(A)->rx_not_for_us, 1, "frame for another MAC ignored");
	pkt_eth(f, A->cfg.mac, rmac, 0x86dd);
	net_input(A, f, 60, w.now);
	is_int(net_stats(A)->rx_other_type, 1, "IPv6 counted as another type (not done)");
}

static void test_arp(void)
{
	uint8_t f[256];
	uint8_t junk[4] = { 1, 2, 3, 4 };

	setup();
	ok(ncap() == 1 && get16(captured(0)->data + 12) == ETH_TYPE_ARP &&
	   get32(captured(0)->data + 14 + 14) == AIP && get32(captured(0)->data + 14 + 24) == AIP,
	   "gratuitous ARP at start (sender = target = our address)");
	clear();
	net_input(A, f, arp_pkt(f, 1, eth_bcast, RIP, AIP), w.now);
	wire_run_for(&w, 2 * NET_MS);
	ok(ncap() == 1 && get16(captured(0)->data + 14 + 6) == 2 && !memcmp(captured(0)->data, rmac, 6),
	   "ARP request for us: a unicast reply");
	clear();
	size_t len = arp_pkt(f, 1, eth_bcast, RIP, AIP);
	f[ETH_HDR + 4] = 8;
	net_input(A, f, len, w.now);
	is_int(net_stats(A)->arp_bad, 1, "ARP with a bad hardware length counted");
	net_input(A, f, 20, w.now);
	is_int(net_stats(A)->arp_bad, 2, "short ARP counted");
	/* The cache: a datagram to RIP goes straight out. */
	int u = net_socket(A, NET_SOCK_UDP);
	net_sendto(A, u, junk, 4, RIP, 9, w.now);
	wire_run_for(&w, 2 * NET_MS);
	ok(ncap() == 1 && get16(captured(0)->data + 12) == ETH_TYPE_IP, "cached: sent without asking");
	clear();
	wire_run_for(&w, 61 * NET_SEC);
	net_sendto(A, u, junk, 4, RIP, 9, w.now);
	wire_run_for(&w, 2 * NET_MS);
	ok(ncap() == 1 && get16(captured(0)->data + 12) == ETH_TYPE_ARP, "after 60 s the entry expired: ARP again");
	net_input(A, f, arp_pkt(f, 2, A->cfg.mac, RIP, AIP), w.now);
	clear();
	/* Pending queue: at most 4 frames wait for the answer, in order. */
	for (int i = 0; i < 6; i++) {
		junk[0] = (uint8_t)i;
		net_sendto(A, u, junk, 4, IP4(10, 0, 0, 77), 9, w.now);
	}
	is_int(net_stats(A)->arp_queue_drops, 2, "6 datagrams to an unresolved address: 2 over the queue dropped");
	net_input(A, f, arp_pkt(f, 2, A->cfg.mac, IP4(10, 0, 0, 77), AIP), w.now);
	wire_run_for(&w, 2 * NET_MS);
	int in_order = 0;
	for (int i = 0; i < ncap(); i++)
		if (get16(captured(i)->data + 12) == ETH_TYPE_IP && captured(i)->data[42] == in_order)
			in_order++;
	is_int(in_order, 4, "the reply releases the 4 queued, in order");
	clear();
	/* Unanswered: three requests, a second apart, then the queue is dropped. */
	net_sendto(A, u, junk, 4, IP4(10, 0, 0, 78), 9, w.now);
	wire_run_for(&w, 5 * NET_SEC);
	int reqs = 0;
	for (int i = 0; i < ncap(); i++)
		reqs += get16(captured(i)->data + 12) == ETH_TYPE_ARP;
	is_int(reqs, 3, "an unanswered address: 3 requests");
	is_int(net_stats(A)->arp_unresolved_drops, 1, "then its queued frame is dropped and counted");
	clear();
	/* Off-link goes to the gateway. */
	net_sendto(A, u, junk, 4, IP4(192, 168, 1, 1), 9, w.now);
	wire_run_for(&w, 2 * NET_MS);
	ok(ncap() == 1 && get32(captured(0)->data + 14 + 24) == IP4(10, 0, 0, 254), "off-link: ARP for the gateway");
	clear();
	net_set_addr(A, IP4(10, 0, 0, 5), IP4(255, 255, 255, 0), 0, w.now);
	wire_run_for(&w, 2 * NET_MS);
	ok(ncap() == 1 && get32(captured(0)->data + 14 + 14) == IP4(10, 0, 0, 5), "new address: gratuitous ARP");
}

static void test_ip_checks(void)
{
	uint8_t f[200];
	size_t len;

	setup();
	learn();
	len = pkt_udp(f, A->cfg.mac, rmac, RIP, AIP, 1, 2, "x", 1);
	f[ETH_HDR + 10] ^= 0xff;
	net_input(A, f, len, w.now);
	is_int(net_stats(A)->ip_bad_cksum, 1, "bad IP checksum counted");
	len = pkt_udp(f, A->cfg.mac, rmac, RIP, AIP, 1, 2, "x", 1);
	f[ETH_HDR] = 0x65;
	net_input(A, f, len, w.now);
	is_int(net_stats(A)->ip_bad_header, 1, "version 6 in an IPv4 frame counted");
	len = pkt_udp(f, A->cfg.mac, rmac, RIP, AIP, 1, 2, "x", 1);
	put16(f + ETH_HDR + 2, 200);
	net_input(A, f, len, w.now);
	is_int(net_stats(A)->ip_bad_header, 2, "total length past the frame counted");
	len = pkt_udp(f, A->cfg.mac, rmac, RIP, AIP, 1, 2, "x", 1);
	f[ETH_HDR] = 0x44;
	net_input(A, f, len, w.now);
	is_int(net_stats(A)->ip_bad_header, 3, "IHL below 5 counted");
	len = pkt_udp(f, A->cfg.mac, rmac, IP4(255, 255, 255, 255), AIP, 1, 2, "x", 1);
	net_input(A, f, len, w.now);
	is_int(net_stats(A)->ip_bad_header, 4, "broadcast source dropped");
	len = pkt_udp(f, A->cfg.mac, rmac, RIP, IP4(10, 0, 0, 3), 1, 2, "x", 1);
	net_input(A, f, len, w.now);
	is_int(net_stats(A)->ip_not_for_us, 1, "another host's address dropped");
	len = pkt_ip(f, RIP, AIP, 99, 4, 1, 0);
	pkt_eth(f, A->cfg.mac, rmac, ETH_TYPE_IP);
	net_input(A, f, len, w.now);
	wire_run_for(&w, 2 * NET_MS);
	ok(net_stats(A)->ip_bad_proto == 1 && ncap() == 1 && captured(0)->data[34] == 3 &&
	   captured(0)->data[35] == 2, "unknown protocol: ICMP protocol unreachable");
	clear();
	len = pkt_udp(f, A->cfg.mac, rmac, RIP, AIP, 1, 2, "x", 1);
	f[len - 1] ^= 1;
	net_input(A, f, len, w.now);
	is_int(net_stats(A)->udp_bad, 1, "bad UDP checksum counted");
	len = pkt_udp(f, A->cfg.mac, rmac, RIP, AIP, 1, 2, "x", 1);
	put16(f + 38, 100);
	net_input(A, f, len, w.now);
	is_int(net_stats(A)->udp_bad, 2, "UDP length past the datagram counted");
	len = pkt_udp(f, A->cfg.mac, rmac, RIP, AIP, 1, 2, "x", 1);
	net_input(A, f, len, w.now);
	wire_run_for(&w, 2 * NET_MS);
	ok(net_stats(A)->udp_no_port == 1 && ncap() == 1 && captured(0)->data[34] == 3 &&
	   captured(0)->data[35] == 3, "closed UDP port: ICMP port unreachable");
	clear();
	len = pkt_udp(f, A->cfg.mac, rmac, RIP, IP4(10, 0, 0, 255), 1, 2, "x", 1);
	net_input(A, f, len, w.now);
	wire_run_for(&w, 2 * NET_MS);
	is_int(ncap(), 0, "no ICMP error for a broadcast datagram");
}

/* Sends a UDP datagram of len bytes to A as fragments of step bytes, in the given order. */
static void send_frags(uint16_t id, size_t len, size_t step, const int *order, int n)
{
	static uint8_t dg[9000], f[1600];

	put16(dg, 7);
	put16(dg + 2, 5000);
	put16(dg + 4, (uint16_t)len);
	put16(dg + 6, 0);
	for (size_t i = 8; i < len; i++)
		dg[i] = (uint8_t)i;
	put16(dg + 6, net_cksum_fold(net_cksum_add(net_pseudo_sum(RIP, AIP, IP_PROTO_UDP, (uint16_t)len), dg, len)));
	for (int k = 0; k < n; k++) {
		size_t off = (size_t)order[k] * step, chunk = len - off < step ? len - off : step;
		bool more = off + chunk < len;

		pkt_eth(f, A->cfg.mac, rmac, ETH_TYPE_IP);
		memcpy(f + ETH_HDR + IP_HDR, dg + off, chunk);
		size_t fl = pkt_ip(f, RIP, AIP, IP_PROTO_UDP, chunk, id, (uint16_t)(off / 8 | (more ? 0x2000 : 0)));
		net_input(A, f, fl, w.now);
	}
}

static void test_reassembly(void)
{
	static uint8_t got[2000];
	int fwd[] = { 0, 1, 2 }, rev[] = { 2, 1, 0 }, dup[] = { 0, 1, 1, 2 }, part[] = { 0, 2 };

	setup();
	learn();
	int u = net_socket(A, NET_SOCK_UDP);
	net_bind(A, u, 5000);
	send_frags(1, 1200, 480, fwd, 3);
	int r = net_recvfrom(A, u, got, sizeof got, NULL, NULL);
	bool same = r == 1192;
	for (int i = 0; same && i < r; i++)
		same = got[i] == (uint8_t)(i + 8);
	ok(same && net_stats(A)->ip_reassembled == 1, "3 fragments in order reassembled, data intact");
	send_frags(2, 1200, 480, rev, 3);
	is_int(net_recvfrom(A, u, got, sizeof got, NULL, NULL), 1192, "in reverse order too");
	send_frags(3, 1200, 480, dup, 4);
	ok(net_recvfrom(A, u, got, sizeof got, NULL, NULL) == -NET_EAGAIN && net_stats(A)->ip_frag_drops == 1,
	   "an overlapping fragment drops the datagram (teardrop)");
	uint64_t drops = net_stats(A)->ip_frag_drops;
	send_frags(4, 1200, 484, fwd, 3);
	ok(net_stats(A)->ip_frag_drops > drops && net_recvfrom(A, u, got, sizeof got, NULL, NULL) == -NET_EAGAIN,
	   "fragments not a multiple of 8 are dropped");
	wire_run_for(&w, 31 * NET_SEC); /* the leftovers of those time out */
	uint64_t touts = net_stats(A)->ip_frag_timeouts;
	send_frags(5, 1200, 480, part, 2);
	wire_run_for(&w, 29 * NET_SEC);
	is_int(net_stats(A)->ip_frag_timeouts, touts, "an incomplete datagram is kept for 29 s");
	wire_run_for(&w, 2 * NET_SEC);
	is_int(net_stats(A)->ip_frag_timeouts, touts + 1, "and has timed out at 31 s");
	drops = net_stats(A)->ip_frag_drops;
	for (int i = 0; i < 10; i++)
		send_frags((uint16_t)(100 + i), 1200, 480, part, 2);
	int used = 0;
	for (int i = 0; i < REASS_SLOTS; i++)
		used += A->reass[i].used;
	ok(used == REASS_SLOTS && net_stats(A)->ip_frag_drops == drops + 10 - REASS_SLOTS,
	   "10 incomplete datagrams: %d slots, the oldest given up", REASS_SLOTS);
	/* Ping of death: an offset that would end past 65535. */
	uint8_t f[100];
	pkt_eth(f, A->cfg.mac, rmac, ETH_TYPE_IP);
	size_t fl = pkt_ip(f, RIP, AIP, IP_PROTO_UDP, 16, 9, 8189);
	drops = net_stats(A)->ip_frag_drops;
	net_input(A, f, fl, w.now);
	is_int(net_stats(A)->ip_frag_drops, drops + 1, "a fragment past the reassembly limit is dropped");
	send_frags(6, 9000, 1480, (int[]){ 0, 1, 2, 3, 4, 5, 6 }, 7);
	ok(net_stats(A)->ip_frag_drops >= drops + 2 && net_recvfrom(A, u, got, sizeof got, NULL, NULL) == -NET_EAGAIN,
	   "a datagram over 8 KiB is dropped");
}

static void test_icmp_udp(void)
{
	uint8_t f[200];
	struct net_ping_reply r;
	struct net_config c;

	setup();
	learn();
	uint8_t *m = f + ETH_HDR + IP_HDR;
	pkt_eth(f, A->cfg.mac, rmac, ETH_TYPE_IP);
	m[0] = 8;
	m[1] = 0;
	put16(m + 2, 0);
	put16(m + 4, 0x1234);
	put16(m + 6, 7);
	memcpy(m + 8, "payload", 7);
	put16(m + 2, net_cksum_fold(net_cksum_add(0, m, 15)));
	size_t len = pkt_ip(f, RIP, AIP, IP_PROTO_ICMP, 15, 5, 0);
	net_input(A, f, len, w.now);
	wire_run_for(&w, 2 * NET_MS);
	uint8_t *e = captured(0)->data + ETH_HDR + IP_HDR;
	ok(ncap() == 1 && e[0] == 0 && get16(e + 4) == 0x1234 && get16(e + 6) == 7 && !memcmp(e + 8, "payload", 7) &&
	   net_cksum_fold(net_cksum_add(0, e, 15)) == 0, "echo request: a reply with id, seq, data, checksum");
	clear();
	m[8] ^= 1;
	net_input(A, f, len, w.now);
	is_int(net_stats(A)->icmp_bad, 1, "bad ICMP checksum counted");

	/* Two stacks ping each other, the big one in fragments. */
	wire_cfg(&c, 2);
	struct net *B = wire_add(&w, &c);
	static uint8_t big[4000];
	is_int(net_ping(B, AIP, 1, 1, big, sizeof big, w.now), 0, "a 4000-byte ping is sent (fragmented)");
	wire_run_for(&w, 20 * NET_MS);
	ok(net_ping_reply(B, &r) == 0 && r.from == AIP && r.len == 4000, "and its reply reassembled");
	ok(net_stats(B)->ip_tx_frags == 3 && net_stats(A)->ip_reassembled >= 1, "3 fragments each way");
	is_int(net_ping_reply(B, &r), -NET_EAGAIN, "one reply only");
	is_int(net_ping(B, AIP, 1, 1, big, 9000, w.now), -NET_EMSGSIZE, "over 8 KiB: too big");

	int ua = net_socket(A, NET_SOCK_UDP), ub = net_socket(B, NET_SOCK_UDP);
	uint8_t buf[3000];
	uint32_t from;
	uint16_t port;
	net_bind(A, ua, 53);
	is_int(net_sendto(B, ub, "query", 5, AIP, 53, w.now), 5, "sendto");
	wire_run_for(&w, 5 * NET_MS);
	ok(net_recvfrom(A, ua, buf, sizeof buf, &from, &port) == 5 && from == IP4(10, 0, 0, 2) &&
	   port == B->socks[ub].lport, "recvfrom: data and source");
	is_int(net_recvfrom(A, ua, buf, sizeof buf, NULL, NULL), -NET_EAGAIN, "then nothing");
	is_int(net_sendto(B, ub, big, 2000, AIP, 53, w.now), 2000, "a 2000-byte datagram is fragmented");
	wire_run_for(&w, 5 * NET_MS);
	is_int(net_stats(A)->udp_too_big, 1, "one bigger than a pool buffer is counted and dropped");
	is_int(net_recvfrom(A, 99, buf, 1, NULL, NULL), -NET_EBADF, "bad socket: EBADF");
	is_int(net_socket(A, 7), -NET_EINVAL, "bad socket type: EINVAL");
	is_str(net_strerror(-NET_ECONNRESET), "connection reset", "net_strerror");
}

int main(void)
{
	test_cksum_and_eth();
	test_arp();
	test_ip_checks();
	test_reassembly();
	test_icmp_udp();
	wire_free(&w);
	return done_testing();
}
