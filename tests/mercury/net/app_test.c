/*
 * app_test.c: the DHCP client and DNS resolver against fake servers on
 * the virtual wire (a raw node that decodes what the stack sends and
 * answers as a test chooses), and their codecs against malformed input.
 */
#include "tap.h"
#include "wire.h"
#include "pkt.h"
#include "dhcp.h"
#include "dns.h"

static struct wire w;
static struct net *A;
static int R;
static const uint8_t smac[6] = { 2, 0, 0, 0, 0, 0x99 };
#define SIP IP4(10, 0, 0, 99)

static void setup(uint32_t addr)
{
	struct net_config c;

	wire_init(&w, 7);
	wire_cfg(&c, 1);
	c.addr = addr;
	if (!addr)
		c.mask = 0;
	A = wire_add(&w, &c);
	R = wire_add_raw(&w, 512);
}

/* The UDP payload of captured frame i if it goes to port; else NULL. */
static const uint8_t *udp_to(int i, uint16_t port, size_t *len, uint32_t *dst)
{
	const uint8_t *f = w.nodes[R].captured[i].data;

	if (get16(f + 12) != ETH_TYPE_IP || f[ETH_HDR + 9] != IP_PROTO_UDP ||
	    get16(f + ETH_HDR + IP_HDR + 2) != port)
		return NULL;
	*len = get16(f + ETH_HDR + IP_HDR + 4) - UDP_HDR;
	if (dst)
		*dst = get32(f + ETH_HDR + 16);
	return f + ETH_HDR + IP_HDR + UDP_HDR;
}

/* The fake servers answer ARP for their addresses, like any host. */
static void arp_responder(int i)
{
	const uint8_t *f = w.nodes[R].captured[i].data, *a = f + ETH_HDR;
	uint8_t r[60];
	uint32_t tpa = get32(a + 24);

	if (get16(f + 12) != ETH_TYPE_ARP || get16(a + 6) != 1 || (tpa != SIP && tpa != IP4(10, 0, 0, 98)))
		return;
	memset(r, 0, sizeof r);
	pkt_eth(r, f + 6, smac, ETH_TYPE_ARP);
	uint8_t *x = r + ETH_HDR;
	put16(x, 1); put16(x + 2, ETH_TYPE_IP); x[4] = 6; x[5] = 4; put16(x + 6, 2);
	memcpy(x + 8, smac, 6); put32(x + 14, tpa);
	memcpy(x + 18, a + 8, 6); memcpy(x + 24, a + 14, 4);
	wire_inject(&w, R, r, 60);
}

/* --- DHCP --- */
static struct dhcp_client dc;
static int server_mode; /* 0 silent, 1 answer, 2 NAK requests */
static int discovers, requests, unicast_requests;
static uint32_t last_ciaddr;

static void dhcp_reply(const struct dhcp_msg *req, uint8_t type)
{
	struct dhcp_msg m;
	uint8_t buf[DHCP_MSG_MAX], f[700];

	memset(&m, 0, sizeof m);
	m.op = 2;
	m.type = type;
	m.xid = req->xid;
	memcpy(m.chaddr, req->chaddr, 6);
	if (type != DHCP_NAK) {
		m.yiaddr = IP4(10, 0, 0, 42);
		m.mask = IP4(255, 255, 255, 0);
		m.router = IP4(10, 0, 0, 254);
		m.dns[0] = SIP;
		m.dns[1] = IP4(10, 0, 0, 98);
		m.lease = 1000;
	}
	m.server_id = SIP;
	size_t len = dhcp_encode(&m, buf);
	size_t fl = pkt_udp(f, eth_bcast, smac, SIP, IP_BCAST, 67, 68, buf, len);
	wire_inject(&w, R, f, fl);
}

static void dhcp_server(void)
{
	for (int i = 0; i < w.nodes[R].ncaptured; i++) {
		size_t len;
		uint32_t dst;
		const uint8_t *p = udp_to(i, 67, &len, &dst);
		struct dhcp_msg m;

		arp_responder(i);
		if (!p || dhcp_decode(p, len, &m) < 0)
			continue;
		if (m.type == DHCP_DISCOVER) {
			discovers++;
			if (server_mode)
				dhcp_reply(&m, DHCP_OFFER);
		} else if (m.type == DHCP_REQUEST) {
			requests++;
			unicast_requests += dst == SIP;
			last_ciaddr = m.ciaddr;
			if (server_mode)
				dhcp_reply(&m, server_mode == 2 ? DHCP_NAK : DHCP_ACK);
		}
	}
	w.nodes[R].ncaptured = 0;
}

static void dhcp_run(uint64_t ns)
{
	uint64_t end = w.now + ns;

	while (w.now < end) {
		uint64_t d = dhcp_poll(&dc, w.now), step = 10 * NET_MS;
		if (d > w.now && d - w.now < step)
			step = d - w.now;
		wire_run_for(&w, step ? step : 1);
		dhcp_server();
	}
	dhcp_poll(&dc, w.now);
}

static void test_dhcp_codec(void)
{
	struct dhcp_msg m, d;
	uint8_t b[DHCP_MSG_MAX];

	memset(&m, 0, sizeof m);
	m.op = 2;
	m.type = DHCP_ACK;
	m.xid = 0xdeadbeef;
	m.yiaddr = IP4(1, 2, 3, 4);
	m.lease = 60;
	m.dns[0] = 5;
	m.dns[1] = 6;
	size_t len = dhcp_encode(&m, b);
	ok(dhcp_decode(b, len, &d) == 0 && d.xid == m.xid && d.yiaddr == m.yiaddr && d.lease == 60 &&
	   d.dns[1] == 6, "DHCP encode/decode round trip");
	is_int(dhcp_decode(b, 200, &d), -NET_EPROTO, "DHCP: short message rejected");
	b[236] ^= 1;
	is_int(dhcp_decode(b, len, &d), -NET_EPROTO, "DHCP: bad magic cookie rejected");
	b[236] ^= 1;
	b[241] = 200; /* option 53's length runs past the end */
	is_int(dhcp_decode(b, len, &d), -NET_EPROTO, "DHCP: an option past the end rejected");
	len = dhcp_encode(&m, b);
	b[240] = 0; b[241] = 0; b[242] = 0; /* pad over the type */
	is_int(dhcp_decode(b, len, &d), -NET_EPROTO, "DHCP: no message type rejected");
	len = dhcp_encode(&m, b);
	b[243] = 51; b[244] = 3;
	is_int(dhcp_decode(b, len, &d), -NET_EPROTO, "DHCP: lease option of length 3 rejected");
	/* Overload: the type lives in the file field. */
	memset(&m, 0, sizeof m);
	m.op = 2;
	m.type = DHCP_OFFER;
	len = dhcp_encode(&m, b);
	b[240] = 52; b[241] = 1; b[242] = 1; b[243] = 255;
	b[108] = 53; b[109] = 1; b[110] = DHCP_OFFER; b[111] = 255;
	ok(dhcp_decode(b, len, &d) == 0 && d.type == DHCP_OFFER, "DHCP: option overload into file honoured");
}

static void test_dhcp_client(void)
{
	setup(0);
	server_mode = 1;
	discovers = requests = unicast_requests = 0;
	is_int(dhcp_start(&dc, A, w.now), 0, "DHCP start");
	dhcp_run(100 * NET_MS);
	const struct net_config *c = net_config(A);
	ok(dc.state == DHCP_BOUND && c->addr == IP4(10, 0, 0, 42) && c->gateway == IP4(10, 0, 0, 254) &&
	   c->dns[0] == SIP && c->dns[1] == IP4(10, 0, 0, 98), "DISCOVER, OFFER, REQUEST, ACK: bound and configured");
	is_int(discovers * 10 + requests, 11, "one DISCOVER, one REQUEST");
	uint64_t bound = w.now;
	dhcp_run(499 * NET_SEC);
	is_int(requests, 1, "no renewal before T1 (500 s)");
	dhcp_run(2 * NET_SEC);
	ok(requests == 2 && unicast_requests == 1 && last_ciaddr == IP4(10, 0, 0, 42) && dc.state == DHCP_BOUND,
	   "at T1: a unicast REQUEST with ciaddr, ACKed: bound again");
	(void)bound;
	server_mode = 0;
	dhcp_run(499 * NET_SEC);
	is_str(dhcp_state_name(dc.state), "RENEWING", "server gone: RENEWING after the next T1");
	dhcp_run(400 * NET_SEC);
	is_str(dhcp_state_name(dc.state), "REBINDING", "REBINDING after T2 (875 s)");
	ok(unicast_requests >= 3, "renewals were unicast (%d)", unicast_requests);
	dhcp_run(130 * NET_SEC);
	ok(dc.state == DHCP_SELECTING && net_config(A)->addr == 0, "lease over: address dropped, DISCOVER again");
	dhcp_stop(&dc, w.now);
	dhcp_start(&dc, A, w.now);
	int d0 = discovers;
	dhcp_run(13 * NET_SEC);
	is_int(discovers - d0, 3, "a silent server: DISCOVER at 0, about 4 and 12 s (backoff)");
	server_mode = 2;
	int r0 = requests;
	dhcp_run(20 * NET_SEC);
	ok(requests > r0 && dc.state != DHCP_BOUND && net_config(A)->addr == 0, "each REQUEST NAKed: never bound");
	/* A reply for someone else's transaction is ignored. */
	server_mode = 0;
	dhcp_run(100 * NET_MS);
	uint32_t bad = dc.bad_msgs;
	enum dhcp_state before = dc.state;
	struct dhcp_msg m = { .op = 2, .type = DHCP_OFFER, .xid = dc.xid + 1, .yiaddr = 1, .server_id = SIP };
	memcpy(m.chaddr, A->cfg.mac, 6);
	server_mode = 0;
	dhcp_reply(&m, DHCP_OFFER);
	dhcp_run(10 * NET_MS);
	ok(dc.bad_msgs == bad + 1 && dc.state == before, "wrong xid: ignored and counted (%u, %s)", dc.bad_msgs - bad, dhcp_state_name(dc.state));
	dhcp_stop(&dc, w.now);
	is_int(net_sockets_used(A), 0, "dhcp_stop closes its socket");
}

/* --- DNS --- */
static size_t put_name(uint8_t *b, const char *name)
{
	size_t pos = 0;

	while (*name) {
		const char *dot = strchr(name, '.');
		size_t l = dot ? (size_t)(dot - name) : strlen(name);
		b[pos++] = (uint8_t)l;
		memcpy(b + pos, name, l);
		pos += l;
		name += l + (dot != NULL);
	}
	b[pos++] = 0;
	return pos;
}

/* A response header and question for qname; returns the length so far. */
static size_t resp(uint8_t *b, uint16_t id, const char *qname, int rcode, int ancount)
{
	memset(b, 0, 12);
	put16(b, id);
	b[2] = 0x81;
	b[3] = 0x80 | (uint8_t)rcode;
	put16(b + 4, 1);
	put16(b + 6, (uint16_t)ancount);
	size_t p = 12 + put_name(b + 12, qname);
	put16(b + p, 1);
	put16(b + p + 2, 1);
	return p + 4;
}

static size_t rr(uint8_t *b, size_t p, const uint8_t *name, size_t nlen, uint16_t type,
		 const uint8_t *rd, size_t rdlen)
{
	memcpy(b + p, name, nlen);
	p += nlen;
	put16(b + p, type);
	put16(b + p + 2, 1);
	put32(b + p + 4, 300);
	put16(b + p + 8, (uint16_t)rdlen);
	memcpy(b + p + 10, rd, rdlen);
	return p + 10 + rdlen;
}

static void test_dns_codec(void)
{
	uint8_t b[600], ptr_q[2] = { 0xc0, 12 };
	uint8_t a1[4] = { 1, 2, 3, 4 };
	struct dns_answer a;
	char name[DNS_NAME_MAX];
	size_t p;

	int n = dns_encode_query(b, sizeof b, 0x1234, "www.example.com");
	ok(n == 12 + 17 + 4 && b[12] == 3 && !memcmp(b + 13, "www", 3) && b[2] == 1 && get16(b + 4) == 1,
	   "query: header, labels, QTYPE A");
	is_int(dns_encode_query(b, sizeof b, 1, "a..b"), -NET_EINVAL, "query: empty label refused");
	char longl[80];
	memset(longl, 'x', 64);
	longl[64] = 0;
	is_int(dns_encode_query(b, sizeof b, 1, longl), -NET_EINVAL, "query: 64-byte label refused");

	p = resp(b, 7, "www.example.com", 0, 1);
	p = rr(b, p, ptr_q, 2, 1, a1, 4);
	ok(dns_decode_answer(b, p, 7, "WWW.example.com", &a) == 0 && a.naddrs == 1 && a.addrs[0] == IP4(1, 2, 3, 4) &&
	   a.ttl == 300, "A record through a compression pointer (names compared without case)");
	is_int(dns_decode_answer(b, p, 8, "www.example.com", &a), -NET_EPROTO, "wrong id rejected");
	is_int(dns_decode_answer(b, p, 7, "ftp.example.com", &a), -NET_EPROTO, "wrong question rejected");
	is_int(dns_decode_answer(b, p - 1, 7, "www.example.com", &a), -NET_EPROTO, "RDATA past the end rejected");
	b[3] = 0x83;
	is_int(dns_decode_answer(b, p, 7, "www.example.com", &a), -NET_ENOENT, "NXDOMAIN");
	b[3] = 0x82;
	is_int(dns_decode_answer(b, p, 7, "www.example.com", &a), -NET_EPROTO, "SERVFAIL");
	b[3] = 0x80;
	b[2] |= 2;
	is_int(dns_decode_answer(b, p, 7, "www.example.com", &a), -NET_EPROTO, "truncated (no TCP fallback)");

	/* www -> cdn.example.net -> edge (compressed against the first) -> A */
	uint8_t cdn[32], edge[8];
	size_t cl = put_name(cdn, "cdn.example.net");
	p = resp(b, 9, "www.example.com", 0, 3);
	size_t cdn_at = p + 12;
	p = rr(b, p, ptr_q, 2, 5, cdn, cl);
	edge[0] = 4;
	memcpy(edge + 1, "edge", 4);
	edge[5] = 0xc0;
	edge[6] = (uint8_t)cdn_at;
	uint8_t cdn_ptr[2] = { 0xc0, (uint8_t)cdn_at };
	size_t edge_at = p + 12;
	p = rr(b, p, cdn_ptr, 2, 5, edge, 7);
	uint8_t edge_ptr[2] = { 0xc0, (uint8_t)edge_at };
	p = rr(b, p, edge_ptr, 2, 1, a1, 4);
	ok(dns_decode_answer(b, p, 9, "www.example.com", &a) == 0 && a.naddrs == 1 && a.cnames == 2 &&
	   !strcmp(a.name, "edge.cdn.example.net"), "CNAME chain of two, names compressed in RDATA (%s)", a.name);

	/* Pointer attacks. */
	uint8_t m[64] = { 0 };
	m[12] = 0xc0; m[13] = 12; /* points at itself */
	p = 12;
	is_int(dns_read_name(m, 14, &p, name), -NET_EPROTO, "pointer to itself rejected");
	m[12] = 0xc0; m[13] = 20;
	p = 12;
	is_int(dns_read_name(m, 30, &p, name), -NET_EPROTO, "forward pointer rejected");
	m[12] = 0x80;
	p = 12;
	is_int(dns_read_name(m, 30, &p, name), -NET_EPROTO, "reserved label type rejected");
	m[12] = 10; memcpy(m + 13, "abc", 3);
	p = 12;
	is_int(dns_read_name(m, 16, &p, name), -NET_EPROTO, "label past the end rejected");
	/* A chain of 20 backward pointers: over the jump limit. */
	uint8_t chain[64];
	chain[0] = 0;
	for (int i = 0; i < 20; i++) {
		chain[1 + 2 * i] = 0xc0;
		chain[2 + 2 * i] = (uint8_t)(i == 0 ? 0 : 1 + 2 * (i - 1));
	}
	p = 1 + 2 * 19;
	is_int(dns_read_name(chain, 41, &p, name), -NET_EPROTO, "20 jumps: over the limit of 16");
	p = 1 + 2 * 10;
	ok(dns_read_name(chain, 41, &p, name) == 0 && name[0] == 0 && p == 23, "11 jumps: fine, position after the first");
	/* A name longer than 255 bytes. */
	uint8_t big[400];
	size_t q = 0;
	for (int i = 0; i < 5; i++) {
		big[q++] = 60;
		memset(big + q, 'a', 60);
		q += 60;
	}
	big[q++] = 0;
	p = 0;
	is_int(dns_read_name(big, q, &p, name), -NET_EPROTO, "a 305-byte name rejected");
	/* An A record with 5 bytes of RDATA. */
	uint8_t a5[5] = { 1, 2, 3, 4, 5 };
	p = resp(b, 7, "x.y", 0, 1);
	p = rr(b, p, ptr_q, 2, 1, a5, 5);
	is_int(dns_decode_answer(b, p, 7, "x.y", &a), -NET_EPROTO, "A record with RDLENGTH 5 rejected");
	/* A CNAME loop. */
	uint8_t self_ptr[2] = { 0xc0, 12 };
	p = resp(b, 7, "x.y", 0, 1);
	p = rr(b, p, ptr_q, 2, 5, self_ptr, 2);
	is_int(dns_decode_answer(b, p, 7, "x.y", &a), -NET_EPROTO, "CNAME to itself: a loop, rejected");
}

static int dns_mode; /* 0 silent, 1 answer A, 2 answer with a bare CNAME first */
static int queries;
static uint32_t servers_seen[8];

static void dns_server(void)
{
	uint8_t b[512], f[700];
	uint8_t ptr_q[2] = { 0xc0, 12 }, a1[4] = { 10, 1, 1, 1 };

	for (int i = 0; i < w.nodes[R].ncaptured; i++) {
		size_t len;
		uint32_t dst;
		const uint8_t *p = udp_to(i, 53, &len, &dst);
		char name[DNS_NAME_MAX];
		size_t pos = 12;

		arp_responder(i);
		if (!p || dns_read_name(p, len, &pos, name) < 0)
			continue;
		servers_seen[queries++ % 8] = dst;
		const uint8_t *f0 = w.nodes[R].captured[i].data;
		uint16_t sport = get16(f0 + ETH_HDR + IP_HDR);
		size_t n;
		if (dns_mode == 0)
			continue;
		if (dns_mode == 2 && !strcmp(name, "alias.test")) {
			uint8_t t[16];
			size_t tl = put_name(t, "real.test");
			n = rr(b, resp(b, get16(p), name, 0, 1), ptr_q, 2, 5, t, tl);
		} else {
			n = rr(b, resp(b, get16(p), name, 0, 1), ptr_q, 2, 1, a1, 4);
		}
		size_t fl = pkt_udp(f, A->cfg.mac, smac, dst, IP4(10, 0, 0, 1), 53, sport, b, n);
		wire_inject(&w, R, f, fl);
	}
	w.nodes[R].ncaptured = 0;
}

static struct dns_resolver rs;

static int dns_wait(int h, struct dns_answer *a, uint64_t ns)
{
	uint64_t end = w.now + ns;
	int r;

	while ((r = dns_result(&rs, h, a)) == -NET_EAGAIN && w.now < end) {
		dns_poll(&rs, w.now);
		wire_run_for(&w, 10 * NET_MS);
		dns_server();
	}
	return r;
}

static void test_dns_resolver(void)
{
	struct dns_answer a;
	uint8_t f[100];

	setup(IP4(10, 0, 0, 1));
	/* The raw node answers ARP for both servers (as if each were a host). */
	for (int s = 0; s < 2; s++) {
		uint8_t *x = f + ETH_HDR;
		pkt_eth(f, A->cfg.mac, smac, ETH_TYPE_ARP);
		put16(x, 1); put16(x + 2, ETH_TYPE_IP); x[4] = 6; x[5] = 4; put16(x + 6, 1);
		memcpy(x + 8, smac, 6); put32(x + 14, s ? IP4(10, 0, 0, 98) : SIP);
		memset(x + 18, 0, 6); put32(x + 24, IP4(10, 0, 0, 1));
		net_input(A, f, ETH_HDR + 28, w.now);
	}
	net_set_dns(A, SIP, IP4(10, 0, 0, 98));
	is_int(dns_init(&rs, A), 0, "resolver socket");
	dns_mode = 1;
	int h = dns_lookup(&rs, "host.test", w.now);
	ok(dns_wait(h, &a, 5 * NET_SEC) == 0 && a.naddrs == 1 && a.addrs[0] == IP4(10, 1, 1, 1), "lookup answered");
	dns_mode = 2;
	h = dns_lookup(&rs, "alias.test", w.now);
	ok(dns_wait(h, &a, 5 * NET_SEC) == 0 && a.addrs[0] == IP4(10, 1, 1, 1) && !strcmp(a.name, "real.test"),
	   "a bare CNAME answer: asks again for its target");
	dns_mode = 0;
	queries = 0;
	uint64_t t0 = w.now;
	h = dns_lookup(&rs, "silent.test", w.now);
	is_int(dns_wait(h, &a, 60 * NET_SEC), -NET_ETIMEDOUT, "no answer: timed out");
	ok(queries == 4 && servers_seen[0] == SIP && servers_seen[1] == IP4(10, 0, 0, 98),
	   "4 tries, alternating servers (%d)", queries);
	ok(w.now - t0 >= 15 * NET_SEC && w.now - t0 < 16 * NET_SEC, "after 1 + 2 + 4 + 8 s");
	/* A forged answer from the wrong port or id is ignored. */
	dns_mode = 0;
	h = dns_lookup(&rs, "forged.test", w.now);
	uint8_t b[100];
	uint8_t ptr_q[2] = { 0xc0, 12 }, a1[4] = { 6, 6, 6, 6 };
	size_t n = rr(b, resp(b, (uint16_t)(rs.q[h].id + 1), "forged.test", 0, 1), ptr_q, 2, 1, a1, 4);
	size_t fl = pkt_udp(f, A->cfg.mac, smac, SIP, IP4(10, 0, 0, 1), 53, A->socks[rs.sd].lport, b, n);
	net_input(A, f, fl, w.now);
	dns_poll(&rs, w.now);
	ok(rs.bad_msgs >= 1 && dns_result(&rs, h, &a) == -NET_EAGAIN, "an answer with the wrong id is ignored");
	for (int i = 0; i < DNS_QUERIES; i++)
		dns_lookup(&rs, "many.test", w.now);
	is_int(dns_lookup(&rs, "one.more", w.now), -NET_ENOMEM, "at most DNS_QUERIES lookups at once");
	dns_close(&rs, w.now);
}

int main(void)
{
	test_dhcp_codec();
	test_dhcp_client();
	test_dns_codec();
	test_dns_resolver();
	wire_free(&w);
	return done_testing();
}
