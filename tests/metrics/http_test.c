/*
 * http_test.c: the HTTP request parser on good and bad requests of every
 * kind, and the server core driven by hand (a fake socket layer and a
 * fake clock): keep-alive, pipelining, HEAD, errors, timeouts, a full
 * table, and a slow client that does not hold up a fast one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "tap.h"

static struct http_limits lim;

static long parse(const char *s, struct http_request *req)
{
	return http_parse_request(s, strlen(s), &lim, req);
}

static void test_good(void)
{
	struct http_request r;
	const char *s = "GET /metrics?x=1 HTTP/1.1\r\nHost: a\r\nAccept: text/plain;q=0.5 \r\n"
			"Accept: ignored\r\n\r\nGET / HTTP/1.1\r\n";
	long n = parse(s, &r);

	is_int(n, (long)(strstr(s, "\r\n\r\n") + 4 - s), "complete request: header length");
	ok(r.method == HTTP_GET && r.path_len == 8 && memcmp(r.path, "/metrics", 8) == 0,
	   "GET, path without the query");
	ok(r.accept_len == 16 && memcmp(r.accept, "text/plain;q=0.5", 16) == 0, "first Accept, trimmed");
	ok(r.keep_alive && r.version_minor == 1, "HTTP/1.1 keeps alive by default");
	n = parse("HEAD / HTTP/1.0\n\n", &r);
	ok(n == 17 && r.method == HTTP_HEAD && !r.keep_alive, "HEAD, bare LF, 1.0 closes by default");
	parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", &r);
	ok(r.keep_alive, "1.0 with keep-alive");
	parse("GET / HTTP/1.1\r\nHost: a\r\nConnection: foo, close\r\n\r\n", &r);
	ok(!r.keep_alive, "Connection: close in a list");
	n = parse("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", &r);
	is_int(n, 31, "leading empty lines skipped");
	parse("GET http://example.com/metrics HTTP/1.1\r\nHost: a\r\n\r\n", &r);
	ok(r.path_len == 8 && memcmp(r.path, "/metrics", 8) == 0, "absolute-form target");
	parse("DELETE / HTTP/1.1\r\nHost: a\r\n\r\n", &r);
	ok(r.method == HTTP_OTHER_METHOD, "other methods parse (the core answers 405)");
	parse("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 12\r\nContent-Length: 12\r\n\r\n", &r);
	is_int(r.content_length, 12, "equal duplicate Content-Length accepted");
	is_int(parse("GET / HTTP/1.1\r\nHost: a\r\n", &r), 0, "incomplete header: need more");
	is_int(parse("GET / HT", &r), 0, "incomplete request line: need more");
	is_int(parse("", &r), 0, "nothing yet");
}

static void test_bad(void)
{
	static const struct {
		const char *req;
		long want;
		const char *what;
	} cases[] = {
		{ "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", -400, "double space" },
		{ "GET / HTTP/1.1 \r\nHost: a\r\n\r\n", -400, "trailing space" },
		{ "GET /\r\n\r\n", -400, "HTTP/0.9 request" },
		{ "GET / http/1.1\r\nHost: a\r\n\r\n", -400, "lowercase version" },
		{ "GET / HTTP/2.0\r\nHost: a\r\n\r\n", -505, "HTTP/2.0" },
		{ "GET / HTTP/1.2\r\nHost: a\r\n\r\n", -505, "HTTP/1.2" },
		{ "GET / HTTP/1.10\r\nHost: a\r\n\r\n", -400, "two-digit minor" },
		{ "G(T / HTTP/1.1\r\nHost: a\r\n\r\n", -400, "non-token method" },
		{ "GET metrics HTTP/1.1\r\nHost: a\r\n\r\n", -400, "relative target" },
		{ "GET /a\x01 HTTP/1.1\r\nHost: a\r\n\r\n", -400, "control byte in target" },
		{ "GET /\x80 HTTP/1.1\r\nHost: a\r\n\r\n", -400, "non-ASCII target" },
		{ "GET / HTTP/1.1\rHost: a\r\n\r\n", -400, "bare CR in request line" },
		{ "GET / HTTP/1.1\r\nHost: a\rX: b\r\n\r\n", -400, "bare CR in a field" },
		{ "GET / HTTP/1.1\r\n\r\n", -400, "HTTP/1.1 without Host" },
		{ "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", -400, "two Hosts" },
		{ "GET / HTTP/1.1\r\nHost : a\r\n\r\n", -400, "space before colon" },
		{ "GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n  folded\r\n\r\n", -400, "obsolete line folding" },
		{ "GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n", -400, "field without colon" },
		{ "GET / HTTP/1.1\r\nHost: a\r\n: v\r\n\r\n", -400, "empty field name" },
		{ "GET / HTTP/1.1\r\nHost: a\r\nX: a\x01b\r\n\r\n", -400, "control byte in value" },
		{ "GET / HTTP/1.1\r\nHost: a\r\nX: a\x7f\r\n\r\n", -400, "DEL in value" },
		{ "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1x\r\n\r\n", -400, "bad Content-Length" },
		{ "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", -400, "negative Content-Length" },
		{ "GET / HTTP/1.1\r\nHost: a\r\nContent-Length:\r\n\r\n", -400, "empty Content-Length" },
		{ "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1, 1\r\n\r\n", -400, "Content-Length list" },
		{ "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999\r\n\r\n", -400,
		  "Content-Length overflow" },
		{ "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", -400,
		  "conflicting Content-Lengths" },
		{ "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 65537\r\n\r\n", -413, "body too large" },
		{ "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n", -501, "Transfer-Encoding" },
		{ "GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n", -501,
		  "Transfer-Encoding with Content-Length (smuggling)" },
	};
	struct http_request r;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		is_int(parse(cases[i].req, &r), cases[i].want, "%s: %ld", cases[i].what, -cases[i].want);
}

static void test_limits(void)
{
	struct http_request r;
	char *big = malloc(70000);
	int i;

	memset(big, 'a', 70000);
	memcpy(big, "GET /", 5);
	big[8100] = '\0';
	is_int(parse(big, &r), -414, "request line over 8000 bytes, unterminated: 414");
	strcpy(big + 7000, " HTTP/1.1\r\nHost: a\r\n\r\n");
	ok(parse(big, &r) > 0, "request line of 7000 bytes accepted");
	memset(big + 5, 'a', 8001 - 5);
	strcpy(big + 8001, " HTTP/1.1\r\nHost: a\r\n\r\n");
	is_int(parse(big, &r), -414, "request line of 8011 bytes: 414");
	strcpy(big, "GET / HTTP/1.1\r\nHost: a\r\nX: ");
	memset(big + strlen(big), 'b', 17000);
	big[17020] = '\0';
	is_int(parse(big, &r), -431, "header over 16 KiB, unterminated: 431");
	strcpy(big, "GET / HTTP/1.1\r\nHost: a\r\n");
	for (i = 0; i < 64; i++)
		strcat(big, "X: y\r\n");
	strcat(big, "\r\n");
	is_int(parse(big, &r), -431, "65 fields: 431");
	strcpy(big, "GET / HTTP/1.1\r\nHost: a\r\n");
	for (i = 0; i < 63; i++)
		strcat(big, "X: y\r\n");
	strcat(big, "\r\n");
	ok(parse(big, &r) > 0, "64 fields accepted");
	memset(big, '\n', 20000);
	big[20000] = '\0';
	is_int(parse(big, &r), -431, "a flood of empty lines: 431");
	free(big);
}

/* The fake socket layer: what each handle was sent, how much each send
   may take, and which handles were closed. */
enum { NH = 8 };
static struct {
	char sent[NH][1 << 16];
	size_t len[NH];
	long take[NH];		/* bytes the socket takes before it blocks */
	bool closed[NH];
} net;

static long fake_send(void *io, int h, const void *p, size_t n)
{
	size_t k;

	(void)io;
	k = net.take[h] < (long)n ? (size_t)net.take[h] : n;
	if (net.len[h] + k > sizeof net.sent[h])
		return -1;
	memcpy(net.sent[h] + net.len[h], p, k);
	net.len[h] += k;
	net.take[h] -= (long)k;
	return (long)k;
}

static void fake_close(void *io, int h)
{
	(void)io;
	net.closed[h] = true;
}

static int handled;

static void handler(void *ctx, const struct http_request *req, struct http_response *resp)
{
	(void)ctx;
	handled++;
	if (req->path_len == 4 && memcmp(req->path, "/big", 4) == 0) {
		resp->body_len = resp->body_cap + 1;
		return;
	}
	if (req->path_len != 8 || memcmp(req->path, "/metrics", 8) != 0) {
		resp->status = 404;
		resp->body_len = (size_t)snprintf(resp->body, resp->body_cap, "nope\n");
		return;
	}
	resp->content_type = "text/plain; version=0.0.4";
	resp->body_len = (size_t)snprintf(resp->body, resp->body_cap, "x 1\n");
}

static struct http_server srv;

/* Feeds s to slot as one read. */
static void feed(int slot, const char *s, uint64_t now)
{
	char *p;
	size_t room = http_conn_rbuf(&srv, slot, &p), n = strlen(s);

	if (n > room)
		n = room;
	memcpy(p, s, n);
	http_conn_received(&srv, slot, n, now);
}

static void reset_net(void)
{
	int h;

	memset(&net, 0, sizeof net);
	for (h = 0; h < NH; h++)
		net.take[h] = 1 << 20;
}

static bool sent_has(int h, const char *s)
{
	net.sent[h][net.len[h] < sizeof net.sent[h] ? net.len[h] : sizeof net.sent[h] - 1] = '\0';
	return strstr(net.sent[h], s) != NULL;
}

static int count(int h, const char *s)
{
	const char *p = net.sent[h];
	int n = 0;

	net.sent[h][net.len[h]] = '\0';
	while ((p = strstr(p, s)) != NULL)
		n++, p++;
	return n;
}

static void test_server(void)
{
	struct http_config cfg = http_config_default();
	struct http_io io = { fake_send, fake_close, NULL };
	int a, b, i;

	cfg.max_conns = 3;
	cfg.out_cap = 4096;
	reset_net();
	ok(http_server_init(&srv, &cfg, handler, NULL, &io), "server init");

	a = http_conn_open(&srv, 0, 0);
	feed(a, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", 1);
	ok(sent_has(0, "HTTP/1.1 200 OK\r\n") && sent_has(0, "Content-Length: 4\r\n\r\nx 1\n"),
	   "200 with Content-Length and body");
	ok(!net.closed[0], "kept alive");
	feed(a, "HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n", 2);
	ok(count(0, "Content-Length: 4\r\n") == 2 && count(0, "x 1\n") == 1, "HEAD: same header, no body");
	feed(a, "GET /nope HTTP/1.1\r\nHost: x\r\n\r\nPUT / HTTP/1.1\r\nHost: x\r\n\r\n"
		"GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 3);
	ok(sent_has(0, "HTTP/1.1 404 Not Found"), "404");
	ok(sent_has(0, "HTTP/1.1 405 Method Not Allowed\r\n") && sent_has(0, "Allow: GET, HEAD\r\n"),
	   "405 with Allow");
	is_int(count(0, "HTTP/1.1 200 OK"), 3, "pipelined requests answered in order");
	ok(net.closed[0] && sent_has(0, "Connection: close"), "Connection: close honoured");

	/* HTTP/1.0: closes by default; kept alive on request, and says so. */
	net.len[5] = 0;
	a = http_conn_open(&srv, 5, 5);
	feed(a, "GET /metrics HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", 5);
	ok(sent_has(5, "Connection: keep-alive\r\n") && !net.closed[5], "1.0 keep-alive answered as such");
	feed(a, "GET /metrics HTTP/1.0\r\n\r\n", 6);
	ok(sent_has(5, "Connection: close\r\n") && net.closed[5], "1.0 without it: closed");

	/* A body is read and discarded, even split across reads. */
	a = http_conn_open(&srv, 1, 10);
	feed(a, "GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n01234", 10);
	feed(a, "56789GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", 11);
	is_int(count(1, "HTTP/1.1 200 OK"), 2, "body skipped between two requests");
	http_conn_hangup(&srv, a, false);

	/* Bad requests get their status and the connection closes. */
	a = http_conn_open(&srv, 2, 20);
	feed(a, "GET / HTTP/1.1\r\nHost : x\r\n\r\n", 20);
	ok(sent_has(2, "HTTP/1.1 400 Bad Request\r\n") && net.closed[2], "400 and close");

	/* A handler that overflows its buffer: 500. */
	net.closed[2] = false;
	net.len[2] = 0;
	a = http_conn_open(&srv, 2, 21);
	feed(a, "GET /big HTTP/1.1\r\nHost: x\r\n\r\n", 21);
	ok(sent_has(2, "HTTP/1.1 500 Internal Server Error"), "page too big: 500");
	http_conn_hangup(&srv, a, false);

	/* Table full. */
	reset_net();
	a = http_conn_open(&srv, 3, 30);
	b = http_conn_open(&srv, 4, 30);
	http_conn_open(&srv, 5, 30);
	is_int(http_conn_open(&srv, 6, 30), -1, "fourth connection refused with 3 slots");
	is_int(srv.stats.refused_full, 1, "refusal counted");

	/* A slow client (3: one byte at a time) and a fast one (4). */
	feed(a, "G", 100);
	for (i = 0; i < 20; i++)
		feed(a, "E", 100 + (uint64_t)i * 200);
	feed(b, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", 200);
	ok(sent_has(4, "200 OK"), "the fast client is answered while the slow one trickles");
	http_server_tick(&srv, 5099);
	ok(!net.closed[3], "slow client still open before its deadline");
	http_server_tick(&srv, 5100);
	ok(sent_has(3, "HTTP/1.1 408 Request Timeout") && net.closed[3],
	   "5 s after its first byte, trickling or not: 408 and closed");
	ok(!net.closed[4], "the fast client is untouched");
	http_server_tick(&srv, 200 + 30000);
	ok(net.closed[4] && net.closed[5], "idle connections closed after 30 s");
	is_int(srv.stats.open, 0, "no connection left open");

	/* A client that reads nothing: the write deadline cuts it off. */
	reset_net();
	net.take[0] = 0;
	a = http_conn_open(&srv, 0, 40000);
	feed(a, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", 40000);
	ok(http_conn_wants_write(&srv, a), "response waits for a writable socket");
	net.take[0] = 10;
	http_conn_writable(&srv, a, 41000);
	net.take[0] = 0;
	http_server_tick(&srv, 50999);
	ok(!net.closed[0], "progress at 41 s moved the deadline");
	http_server_tick(&srv, 51000);
	ok(net.closed[0], "no progress for 10 s: closed");
	is_int(srv.stats.timeouts_write, 1, "counted as a write timeout");

	/* EOF after a request that is still being written: it is finished. */
	reset_net();
	net.take[1] = 0;
	a = http_conn_open(&srv, 1, 60000);
	feed(a, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", 60000);
	http_conn_hangup(&srv, a, true);
	ok(!net.closed[1], "read EOF while writing: kept until written");
	net.take[1] = 1 << 20;
	http_conn_writable(&srv, a, 60001);
	ok(sent_has(1, "x 1\n") && net.closed[1], "then written and closed");

	/* Oversized header arriving in one go: 431. */
	reset_net();
	a = http_conn_open(&srv, 2, 70000);
	{
		static char huge[20000];

		strcpy(huge, "GET / HTTP/1.1\r\nHost: x\r\nX: ");
		memset(huge + strlen(huge), 'z', sizeof huge - 1 - strlen(huge));
		feed(a, huge, 70000);
	}
	ok(sent_has(2, "HTTP/1.1 431 ") && net.closed[2], "oversized header: 431 and close");
	http_server_free(&srv);
}

int main(void)
{
	lim = http_limits_default();
	plan_no_plan();
	test_good();
	test_bad();
	test_limits();
	test_server();
	return done_testing();
}
