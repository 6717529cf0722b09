/*
 * fuzz_http.c: libFuzzer target for the HTTP request parser and the
 * server core (make fuzz-metrics-http). The input is parsed whole, then
 * fed to a connection in chunks whose sizes come from the input itself,
 * with time advancing, so the core's buffering, pipelining, body skipping
 * and deadlines all see it. Any crash, leak or sanitizer report is a bug;
 * a request that parses must also satisfy the parser's contract. The
 * input is also an Accept header for the format negotiation.
 */
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "metrics.h"

static long sink_send(void *io, int h, const void *p, size_t n)
{
	(void)io, (void)h, (void)p;
	return (long)(n > 7 ? n / 2 : n);	/* partial writes too */
}

static void sink_close(void *io, int h)
{
	(void)io, (void)h;
}

static void handler(void *ctx, const struct http_request *req, struct http_response *resp)
{
	(void)ctx;
	if (req->path_len > 0 && req->path[0] == '/' && req->path_len % 3 == 0)
		resp->body_len = resp->body_cap + 1;	/* the 500 path */
	else
		resp->body_len = req->path_len < resp->body_cap ? req->path_len : 0;
	if (resp->body_len > 0 && resp->body_len <= resp->body_cap)
		memcpy(resp->body, req->path, resp->body_len);
}

static void check_contract(const uint8_t *data, size_t size, const struct http_limits *lim)
{
	struct http_request req;
	long r = http_parse_request((const char *)data, size, lim, &req);

	if (r > 0) {
		const char *base = (const char *)data;

		if ((size_t)r > size || (size_t)r > lim->header_bytes ||
		    req.path < base || req.path + req.path_len > base + r ||
		    (req.accept != NULL && (req.accept < base || req.accept + req.accept_len > base + r)) ||
		    req.content_length > lim->body_bytes || (req.version_minor != 0 && req.version_minor != 1))
			abort();
	} else if (r != 0 && r != -400 && r != -413 && r != -414 && r != -431 && r != -501 && r != -505)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct http_server srv;
	static bool ready;
	struct http_limits small = { 40, 120, 4, 16 };
	struct http_io io = { sink_send, sink_close, NULL };
	uint64_t now = 0;
	size_t off = 0;
	int slot;

	{
		char *accept = malloc(size + 1);
		enum metrics_format f;

		if (accept == NULL)
			abort();
		memcpy(accept, data, size);
		accept[size] = '\0';
		if (metrics_negotiate(accept, &f) && f != METRICS_TEXT_004 && f != METRICS_OPENMETRICS)
			abort();
		free(accept);
	}
	check_contract(data, size, &small);
	{
		struct http_limits def = http_limits_default();
		check_contract(data, size, &def);
	}
	if (!ready) {
		struct http_config cfg = http_config_default();

		cfg.max_conns = 2;
		cfg.out_cap = 1024;
		cfg.limits = small;
		if (!http_server_init(&srv, &cfg, handler, NULL, &io))
			abort();
		ready = true;
	}
	slot = http_conn_open(&srv, 1, now);
	if (slot < 0)
		abort();	/* every run closes its connection */
	while (off < size && srv.conns[slot].state != CONN_FREE) {
		size_t n = 1 + data[off] % 37, room;
		char *p;

		now += data[off] % 3 == 0 ? 3000 : 1;
		if ((room = http_conn_rbuf(&srv, slot, &p)) == 0) {
			http_conn_writable(&srv, slot, now);
			http_server_tick(&srv, now);
			if (http_conn_rbuf(&srv, slot, &p) == 0)
				break;
			continue;
		}
		if (n > size - off)
			n = size - off;
		if (n > room)
			n = room;
		memcpy(p, data + off, n);
		off += n;
		http_conn_received(&srv, slot, n, now);
		if (srv.conns[slot].state != CONN_FREE)
			http_conn_writable(&srv, slot, now);
		http_server_tick(&srv, now);
	}
	if (srv.conns[slot].state != CONN_FREE)
		http_conn_hangup(&srv, slot, false);
	if (srv.stats.open != 0)
		abort();
	return 0;
}
