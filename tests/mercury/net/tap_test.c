/*
 * tap_test.c: the stack against Linux on a tap device (docs/net.md,
 * "Tests").  The stack runs in this process; a seeded relay between the
 * tap and the stack can drop and reorder frames.  Linux pings the stack
 * and the stack pings Linux (also with fragmented datagrams), TCP runs
 * both ways against socat with checksums compared, clean and through the
 * relay's loss, then DHCP and DNS against dnsmasq.
 *
 * Skips (TAP "1..0 # SKIP") when it cannot make a tap device.  The
 * interface is named after the pid, as is its /24, so parallel runs do not
 * clash; it goes away when the fd is closed.  NET_TAP_MIB sets the size of
 * the large transfers (default 100).
 */
#define _GNU_SOURCE
#include "tap.h"
#include "tapdev.h"
#include "net.h"
#include "dhcp.h"
#include "dns.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define RELAY_MAX 2048

struct held { uint64_t at; uint16_t len; uint8_t to_stack; uint8_t data[1518]; };

static struct {
	int fd;
	struct net *n;
	char ifname[16], dir[64];
	uint32_t host_ip, stack_ip; /* Linux's end, the stack's */
	char host_s[20], stack_s[20], prefix[16];
	/* relay */
	unsigned loss_pct, reorder_pct;
	uint32_t rng;
	struct held *q;
	int nq;
	uint64_t dropped, reordered;
	pid_t kids[16];
	int nkids;
} T;

static uint32_t rnd(void)
{
	T.rng ^= T.rng << 13;
	T.rng ^= T.rng >> 17;
	T.rng ^= T.rng << 5;
	return T.rng;
}

static void deliver(int to_stack, const uint8_t *f, size_t len)
{
	if (to_stack)
		net_input(T.n, f, len, host_now());
	else if (write(T.fd, f, len) < 0 && errno != EAGAIN)
		diag("tap write: %s", strerror(errno));
}

/* The relay: each frame is dropped, held back (overtaken by later ones)
   or passed straight on. */
static void relay(int to_stack, const void *f, size_t len)
{
	if (T.loss_pct && rnd() % 100 < T.loss_pct) {
		T.dropped++;
		return;
	}
	if (T.reorder_pct && rnd() % 100 < T.reorder_pct && T.nq < RELAY_MAX && len <= 1518) {
		struct held *h = &T.q[T.nq++];

		h->at = host_now() + 2000000;
		h->len = (uint16_t)len;
		h->to_stack = (uint8_t)to_stack;
		memcpy(h->data, f, len);
		T.reordered++;
		return;
	}
	deliver(to_stack, f, len);
}

static void stack_send(void *ctx, const void *f, size_t len)
{
	(void)ctx;
	relay(0, f, len);
}

static uint64_t release_held(uint64_t now)
{
	uint64_t next = UINT64_MAX;

	for (int i = 0; i < T.nq; i++) {
		if (T.q[i].at <= now) {
			struct held h = T.q[i];

			T.q[i--] = T.q[--T.nq];
			deliver(h.to_stack, h.data, h.len);
		} else if (T.q[i].at < next)
			next = T.q[i].at;
	}
	return next;
}

/* One turn of the loop: timers, held frames, then frames from the tap
   (waiting at most max_ns for one). */
static void pump(uint64_t max_ns)
{
	static uint8_t f[2048];
	uint64_t now = host_now(), next = net_poll(T.n, now), h = release_held(now);
	int ms;

	if (h < next)
		next = h;
	if (next > now + max_ns)
		next = now + max_ns;
	ms = next <= now ? 0 : (int)((next - now + 999999) / 1000000);
	struct pollfd p = { T.fd, POLLIN, 0 };
	if (poll(&p, 1, ms) > 0)
		for (int i = 0; i < 256; i++) {
			ssize_t r = read(T.fd, f, sizeof f);
			if (r <= 0)
				break;
			relay(1, f, (size_t)r);
		}
}

static void pump_for(uint64_t ns)
{
	uint64_t end = host_now() + ns;

	while (host_now() < end)
		pump(end - host_now());
}

static pid_t spawn(const char *log, ...)
{
	char *argv[32];
	va_list ap;
	int i = 0;
	char path[128];

	va_start(ap, log);
	while (i < 31 && (argv[i] = va_arg(ap, char *)))
		i++;
	va_end(ap);
	argv[i] = NULL;
	snprintf(path, sizeof path, "%s/%s.log", T.dir, log);
	pid_t pid = host_spawn(argv, path);
	int slot = 0;
	while (slot < T.nkids && T.kids[slot] > 0)
		slot++;
	if (slot < 16) {
		T.kids[slot] = pid;
		if (slot == T.nkids)
			T.nkids++;
	}
	return pid;
}

/* Pumps until pid exits or timeout; returns its status or -1. */
static int wait_child(pid_t pid, uint64_t timeout)
{
	uint64_t end = host_now() + timeout;
	int st;

	while (host_now() < end) {
		if (host_reaped(pid, &st)) {
			for (int i = 0; i < T.nkids; i++)
				if (T.kids[i] == pid)
					T.kids[i] = 0;
			return st;
		}
		pump(5000000);
	}
	host_kill(pid);
	return -1;
}

static void cleanup(void)
{
	for (int i = 0; i < T.nkids; i++)
		if (T.kids[i] > 0)
			host_kill(T.kids[i]);
	T.nkids = 0;
	if (T.fd > 0)
		close(T.fd);
	T.fd = -1;
	if (T.dir[0]) {
		char cmd[128];
		snprintf(cmd, sizeof cmd, "rm -rf %s", T.dir);
		if (system(cmd) != 0)
			diag("could not remove %s", T.dir);
	}
}

static void on_signal(int sig)
{
	cleanup();
	signal(sig, SIG_DFL);
	raise(sig);
}

static uint8_t pattern(uint64_t i) { return (uint8_t)(i * 2654435761u >> 13); }

static uint64_t fnv_add(uint64_t h, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}
#define FNV_INIT 0xcbf29ce484222325ull

static int have(const char *prog)
{
	char cmd[128];

	snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", prog);
	return system(cmd) == 0;
}

static void test_ping(void)
{
	struct net_ping_reply r;
	int got = 0, st;

	st = wait_child(spawn("ping", "ping", "-c", "3", "-i", "0.2", "-W", "2", T.stack_s, NULL),
			20 * 1000000000ull);
	is_int(st, 0, "Linux pings the stack");
	st = wait_child(spawn("ping-big", "ping", "-c", "2", "-s", "4000", "-W", "2", T.stack_s, NULL),
			20 * 1000000000ull);
	is_int(st, 0, "Linux pings the stack with 4000 bytes (fragments both ways)");
	for (uint16_t seq = 1; seq <= 3; seq++)
		net_ping(T.n, T.host_ip, 77, seq, "ares", 4, host_now());
	uint64_t end = host_now() + 3 * 1000000000ull;
	while (got < 3 && host_now() < end) {
		pump(10000000);
		while (net_ping_reply(T.n, &r) == 0)
			got += r.from == T.host_ip && r.id == 77;
	}
	is_int(got, 3, "the stack pings Linux: 3 replies");
	static uint8_t big[3000];
	net_ping(T.n, T.host_ip, 78, 1, big, sizeof big, host_now());
	got = 0;
	end = host_now() + 3 * 1000000000ull;
	while (!got && host_now() < end) {
		pump(10000000);
		while (net_ping_reply(T.n, &r) == 0)
			got = r.id == 78 && r.len == sizeof big;
	}
	ok(got, "the stack pings Linux with 3000 bytes and reassembles the reply");
}

/* Sends len pattern bytes on sd, then closes; returns bytes sent. */
static uint64_t send_all(int sd, uint64_t len, uint64_t timeout)
{
	static uint8_t buf[65536];
	uint64_t sent = 0, end = host_now() + timeout;

	while (sent < len && host_now() < end) {
		size_t chunk = len - sent < sizeof buf ? (size_t)(len - sent) : sizeof buf;
		for (size_t i = 0; i < chunk; i++)
			buf[i] = pattern(sent + i);
		int r = net_send(T.n, sd, buf, chunk, host_now());
		if (r > 0)
			sent += (uint64_t)r;
		else if (r != -NET_EAGAIN)
			break;
		else
			pump(2000000);
	}
	net_close(T.n, sd, host_now());
	return sent;
}

/* Reads sd to end of stream; returns the byte count, hash in *h. */
static uint64_t recv_all(int sd, uint64_t *h, uint64_t timeout)
{
	static uint8_t buf[65536];
	uint64_t got = 0, end = host_now() + timeout;

	*h = FNV_INIT;
	while (host_now() < end) {
		int r = net_recv(T.n, sd, buf, sizeof buf, host_now());
		if (r > 0) {
			*h = fnv_add(*h, buf, (size_t)r);
			got += (uint64_t)r;
		} else if (r == -NET_EAGAIN)
			pump(2000000);
		else
			break;
	}
	return got;
}

static uint64_t file_hash(const char *path, uint64_t *len)
{
	static uint8_t buf[65536];
	FILE *f = fopen(path, "rb");
	uint64_t h = FNV_INIT;
	size_t r;

	*len = 0;
	if (!f)
		return 0;
	while ((r = fread(buf, 1, sizeof buf, f)) > 0) {
		h = fnv_add(h, buf, r);
		*len += r;
	}
	fclose(f);
	return h;
}

static void write_pattern_file(const char *path, uint64_t len)
{
	static uint8_t buf[65536];
	FILE *f = fopen(path, "wb");

	for (uint64_t off = 0; f && off < len; off += sizeof buf) {
		size_t chunk = len - off < sizeof buf ? (size_t)(len - off) : sizeof buf;
		for (size_t i = 0; i < chunk; i++)
			buf[i] = pattern(off + i);
		fwrite(buf, 1, chunk, f);
	}
	if (f)
		fclose(f);
}

static uint64_t pattern_hash(uint64_t len)
{
	static uint8_t buf[65536];
	uint64_t h = FNV_INIT;

	for (uint64_t off = 0; off < len; off += sizeof buf) {
		size_t chunk = len - off < sizeof buf ? (size_t)(len - off) : sizeof buf;
		for (size_t i = 0; i < chunk; i++)
			buf[i] = pattern(off + i);
		h = fnv_add(h, buf, chunk);
	}
	return h;
}

/* Connects to Linux's listener, retrying while it starts up. */
static int connect_retry(uint16_t port)
{
	uint64_t end = host_now() + 5 * 1000000000ull;

	while (host_now() < end) {
		int sd = net_socket(T.n, NET_SOCK_TCP);
		struct net_pollfd p = { sd, NET_POLL_OUT, 0 };

		net_connect(T.n, sd, T.host_ip, port, host_now());
		while (host_now() < end && !net_sock_poll(T.n, &p, 1))
			pump(2000000);
		if (p.revents & NET_POLL_OUT)
			return sd;
		net_close(T.n, sd, host_now());
		pump_for(100000000);
	}
	return -1;
}

/* Stack -> Linux: the stack connects to socat, which writes a file. */
static void tcp_to_linux(const char *what, uint64_t len, uint16_t port)
{
	char listen[64], out[128];
	uint64_t t0, flen, h;

	snprintf(listen, sizeof listen, "TCP4-LISTEN:%u,bind=%s,reuseaddr", port, T.host_s);
	snprintf(out, sizeof out, "%s/in-%u", T.dir, port);
	snprintf(out + strlen(out), sizeof out - strlen(out), "%s", "");
	char create[160];
	snprintf(create, sizeof create, "CREATE:%s", out);
	pid_t pid = spawn("socat-listen", "socat", "-u", listen, create, NULL);
	int sd = connect_retry(port);
	ok(sd >= 0, "%s: the stack connects to a Linux listener", what);
	t0 = host_now();
	uint64_t sent = sd >= 0 ? send_all(sd, len, 300 * 1000000000ull) : 0;
	int st = wait_child(pid, 120 * 1000000000ull);
	double secs = (double)(host_now() - t0) / 1e9;
	h = file_hash(out, &flen);
	ok(st == 0 && sent == len && flen == len && h == pattern_hash(len),
	   "%s: %llu bytes stack -> Linux, checksum equal", what, (unsigned long long)len);
	diag("%s: stack -> Linux %.1f MiB/s (%.2f s)", what, (double)len / 1048576 / secs, secs);
	unlink(out);
}

/* Linux -> stack: socat connects to the stack's listener and sends a file. */
static void tcp_from_linux(const char *what, uint64_t len, uint16_t port)
{
	char src[128], dst[64];
	uint64_t h, t0;
	int l = net_socket(T.n, NET_SOCK_TCP), c = -1;

	net_bind(T.n, l, port);
	net_listen(T.n, l, 4);
	snprintf(src, sizeof src, "%s/out-%u", T.dir, port);
	write_pattern_file(src, len);
	snprintf(dst, sizeof dst, "TCP4:%s:%u", T.stack_s, port);
	char open_[160];
	snprintf(open_, sizeof open_, "OPEN:%s", src);
	pid_t pid = spawn("socat-connect", "socat", "-u", open_, dst, NULL);
	uint64_t end = host_now() + 10 * 1000000000ull;
	while (c < 0 && host_now() < end) {
		c = net_accept(T.n, l, NULL, NULL);
		if (c < 0)
			pump(2000000);
	}
	if (!ok(c >= 0, "%s: Linux connects to the stack's listener", what))
		diag("sockets in use %d, SYN drops %llu", net_sockets_used(T.n),
		     (unsigned long long)net_stats(T.n)->tcp_syn_drops);
	t0 = host_now();
	uint64_t got = c >= 0 ? recv_all(c, &h, 300 * 1000000000ull) : 0;
	double secs = (double)(host_now() - t0) / 1e9;
	int st = wait_child(pid, 30 * 1000000000ull);
	ok(st == 0 && got == len && h == pattern_hash(len),
	   "%s: %llu bytes Linux -> stack, checksum equal", what, (unsigned long long)len);
	diag("%s: Linux -> stack %.1f MiB/s (%.2f s)", what, (double)len / 1048576 / secs, secs);
	if (c >= 0)
		net_close(T.n, c, host_now());
	net_close(T.n, l, host_now());
	unlink(src);
}

/* An echo: socat's listener sends back what the stack sends. */
static void tcp_echo(void)
{
	char listen[64];
	static uint8_t buf[4096];
	const char *msg = "hello from Ares\n";
	size_t got = 0;

	snprintf(listen, sizeof listen, "TCP4-LISTEN:7100,bind=%s,reuseaddr", T.host_s);
	pid_t pid = spawn("socat-echo", "socat", listen, "PIPE", NULL);
	int sd = connect_retry(7100);
	net_send(T.n, sd, msg, strlen(msg), host_now());
	uint64_t end = host_now() + 5 * 1000000000ull;
	while (got < strlen(msg) && host_now() < end) {
		int r = net_recv(T.n, sd, buf + got, sizeof buf - got, host_now());
		if (r > 0)
			got += (size_t)r;
		else
			pump(2000000);
	}
	ok(got == strlen(msg) && !memcmp(buf, msg, got), "echo through socat's PIPE");
	net_close(T.n, sd, host_now());
	wait_child(pid, 5 * 1000000000ull);
}

/* Pumps the stack with the DHCP client and resolver until done() or timeout. */
static void pump_clients(struct dhcp_client *d, struct dns_resolver *r, uint64_t timeout,
			 int (*done)(void *), void *arg)
{
	uint64_t end = host_now() + timeout;

	while (host_now() < end && !done(arg)) {
		uint64_t now = host_now(), next = now + 50000000;
		if (d) {
			uint64_t x = dhcp_poll(d, now);
			if (x < next)
				next = x;
		}
		if (r) {
			uint64_t x = dns_poll(r, now);
			if (x < next)
				next = x;
		}
		pump(next > now ? next - now : 0);
	}
}

static int is_bound(void *arg) { return ((struct dhcp_client *)arg)->state == DHCP_BOUND; }

struct lookup { struct dns_resolver *r; int h, err; struct dns_answer a; bool done; };
static int lookup_done(void *arg)
{
	struct lookup *l = arg;

	if (!l->done && (l->err = dns_result(l->r, l->h, &l->a)) != -NET_EAGAIN)
		l->done = true;
	return l->done;
}

static struct lookup resolve(struct dns_resolver *r, const char *name)
{
	struct lookup l = { r, dns_lookup(r, name, host_now()), 0, { 0 }, false };

	if (l.h < 0) {
		l.err = l.h;
		l.done = true;
	}
	pump_clients(NULL, r, 10 * 1000000000ull, lookup_done, &l);
	return l;
}

/* DHCP and DNS against dnsmasq on the tap. */
static void test_dhcp_dns(void)
{
	char range[96], listen[40], lf[96], pf[96];
	struct dhcp_client d;
	struct dns_resolver r;

	snprintf(range, sizeof range, "--dhcp-range=%s50,%s60,255.255.255.0,300", T.prefix, T.prefix);
	snprintf(listen, sizeof listen, "--listen-address=%s", T.host_s);
	snprintf(lf, sizeof lf, "--dhcp-leasefile=%s/leases", T.dir);
	snprintf(pf, sizeof pf, "--pid-file=%s/dnsmasq.pid", T.dir);
	char iface[40];
	snprintf(iface, sizeof iface, "--interface=%s", T.ifname);
	pid_t pid = spawn("dnsmasq", "dnsmasq", "--no-daemon", "--conf-file=/dev/null", iface,
			  "--bind-interfaces", "--except-interface=lo", listen, range, lf, pf, "--no-resolv", "--no-hosts",
			  "--local=/ares.test/", "--host-record=target.ares.test,10.9.8.7",
			  "--host-record=target.ares.test,10.9.8.8",
			  "--cname=alias.ares.test,target.ares.test",
			  "--cname=alias2.ares.test,alias.ares.test", NULL);
	pump_for(500 * 1000000ull);
	int st;
	if (host_reaped(pid, &st)) {
		for (int i = 0; i < T.nkids; i++)
			if (T.kids[i] == pid)
				T.kids[i] = 0;
		for (int i = 0; i < 9; i++)
			ok(1, "# SKIP dnsmasq could not start (status %d; port 53 or 67 in use?)", st);
		return;
	}
	net_set_addr(T.n, 0, 0, 0, host_now());
	ok(dhcp_start(&d, T.n, host_now()) == 0, "DHCP client started without an address");
	pump_clients(&d, NULL, 20 * 1000000000ull, is_bound, &d);
	const struct net_config *c = net_config(T.n);
	uint32_t lo = (T.host_ip & 0xffffff00) | 50, hi = (T.host_ip & 0xffffff00) | 60;
	ok(d.state == DHCP_BOUND && c->addr >= lo && c->addr <= hi,
	   "DHCP: bound to %u.%u.%u.%u from dnsmasq's range", c->addr >> 24, c->addr >> 16 & 255,
	   c->addr >> 8 & 255, c->addr & 255);
	ok(c->mask == 0xffffff00 && c->gateway == T.host_ip && c->dns[0] == T.host_ip,
	   "DHCP: mask, router and DNS server from the ACK");
	ok(d.lease.lease == 300 && d.t1 > host_now(), "DHCP: 300 s lease, T1 set");
	struct net_ping_reply pr;
	net_ping(T.n, T.host_ip, 90, 1, "x", 1, host_now());
	int got = 0;
	uint64_t end = host_now() + 3 * 1000000000ull;
	while (!got && host_now() < end) {
		pump_clients(&d, NULL, 10000000, is_bound, &d);
		pump(10000000);
		while (net_ping_reply(T.n, &pr) == 0)
			got = pr.id == 90;
	}
	ok(got, "ping from the leased address");

	dns_init(&r, T.n);
	struct lookup l = resolve(&r, "target.ares.test");
	ok(l.err == 0 && l.a.naddrs == 2 &&
	   ((l.a.addrs[0] == 0x0a090807 && l.a.addrs[1] == 0x0a090808) ||
	    (l.a.addrs[1] == 0x0a090807 && l.a.addrs[0] == 0x0a090808)),
	   "DNS: target.ares.test has two A records (err %d, %d addrs)", l.err, l.a.naddrs);
	l = resolve(&r, "alias2.ares.test");
	ok(l.err == 0 && l.a.naddrs == 2 && l.a.cnames + r.q[l.h].hops >= 2 &&
	   !strcmp(l.a.name, "target.ares.test"), "DNS: a CNAME chain of two ends at target (err %d)", l.err);
	l = resolve(&r, "nosuch.ares.test");
	is_int(l.err, -NET_ENOENT, "DNS: an unknown name is NXDOMAIN");
	dns_close(&r, host_now());
	dhcp_stop(&d, host_now());
	ok(net_config(T.n)->addr == 0, "DHCP: RELEASE gives the address up");
}

int main(void)
{
	char why[160], cidr[32];
	uint64_t mib = getenv("NET_TAP_MIB") ? strtoull(getenv("NET_TAP_MIB"), NULL, 10) : 100;
	unsigned pid = (unsigned)getpid();

	T.fd = -1;
	snprintf(T.ifname, sizeof T.ifname, "arnet%u", pid % 100000);
	T.fd = tap_open(T.ifname, why, sizeof why);
	if (T.fd < 0) {
		printf("1..0 # SKIP cannot create a tap device (%s)\n", why);
		return 0;
	}
	if (!have("socat") || !have("dnsmasq") || !have("ping")) {
		close(T.fd);
		printf("1..0 # SKIP needs socat, dnsmasq and ping (make deps)\n");
		return 0;
	}
	atexit(cleanup);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);
	/* 10.(100 + pid % 100).(pid / 100 % 250).0/24 */
	snprintf(T.prefix, sizeof T.prefix, "10.%u.%u.", 100 + pid % 100, pid / 100 % 250);
	snprintf(T.host_s, sizeof T.host_s, "%s1", T.prefix);
	snprintf(T.stack_s, sizeof T.stack_s, "%s2", T.prefix);
	T.host_ip = (10u << 24) | (100 + pid % 100) << 16 | (pid / 100 % 250) << 8 | 1;
	T.stack_ip = T.host_ip + 1;
	snprintf(cidr, sizeof cidr, "%s/24", T.host_s);
	snprintf(T.dir, sizeof T.dir, "/tmp/net-tap-%u", pid);
	mkdir(T.dir, 0700);
	if (tap_configure(T.ifname, cidr) < 0) {
		printf("1..0 # SKIP cannot configure %s (ip addr/link failed)\n", T.ifname);
		return 0;
	}
	T.rng = 0x5eed;
	T.q = calloc(RELAY_MAX, sizeof *T.q);

	struct net_config cfg = { .mac = { 0x02, 0x41, 0x52, 0x45, 0x53, 0x01 } };
	cfg.addr = T.stack_ip;
	cfg.mask = 0xffffff00;
	cfg.gateway = T.host_ip;
	cfg.tcp_sndbuf = cfg.tcp_rcvbuf = 1 << 20;
	cfg.rto_min = 200 * 1000000ull;
	cfg.seed = pid;
	size_t sz = net_arena_size(&cfg);
	void *arena = aligned_alloc(16, (sz + 15) & ~(size_t)15);
	struct net_ifops ops = { stack_send, NULL };
	T.n = net_init(arena, sz, &cfg, &ops);
	ok(T.n != NULL, "stack on %s, %s (Linux %s)", T.ifname, T.stack_s, T.host_s);
	if (getenv("NET_TAP_PCAP")) /* a debugging aid: tcpdump the tap into that file */
		spawn("tcpdump", "tcpdump", "-i", T.ifname, "-s", "128", "-w", getenv("NET_TAP_PCAP"), NULL);
	pump_for(300 * 1000000ull); /* the gratuitous ARP, Linux's IPv6 chatter */

	test_ping();
	tcp_echo();
	tcp_to_linux("clean", 1 << 20, 7001);
	tcp_from_linux("clean", 1 << 20, 7002);
	tcp_to_linux("large", mib << 20, 7003);
	tcp_from_linux("large", mib << 20, 7004);
	T.loss_pct = 2;
	T.reorder_pct = 3;
	tcp_to_linux("2% loss, 3% reordering", (mib / 4 + 1) << 20, 7005);
	tcp_from_linux("2% loss, 3% reordering", (mib / 4 + 1) << 20, 7006);
	diag("relay dropped %llu and reordered %llu frames", (unsigned long long)T.dropped,
	     (unsigned long long)T.reordered);
	ok(T.dropped > 10 && T.reordered > 10, "the relay did drop and reorder");
	T.loss_pct = T.reorder_pct = 0;
	test_dhcp_dns();
	const struct net_stats *s = net_stats(T.n);
	diag("stack: %llu retransmits, %llu fast retransmits, %llu RTOs, %llu out-of-order",
	     (unsigned long long)s->tcp_retransmits, (unsigned long long)s->tcp_fast_retransmits,
	     (unsigned long long)s->tcp_rto_expired, (unsigned long long)s->tcp_ooo_segs);
	if (getenv("NET_TAP_KEEP")) {
		char cmd[160];
		snprintf(cmd, sizeof cmd, "cat %s/*.log", T.dir);
		if (system(cmd)) {}
	}
	cleanup();
	free(T.q);
	free(arena);
	return done_testing();
}
