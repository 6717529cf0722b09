/*
 * http_server.c: the event-driven HTTP/1.1 core (http.h).
 *
 * Each connection is READING (bytes accumulate in its input buffer until
 * a request parses) or WRITING (one response goes out from its output
 * buffer; later pipelined requests wait in the input buffer, answered in
 * order). Every state has one deadline:
 *   reading, nothing buffered   idle_ms after the last response (closed)
 *   reading, a request begun    request_ms after its first byte (408);
 *                               a trickling client does not extend it
 *   writing                     write_ms after the last progress (closed)
 * A response is laid out as [reserve | header | body]: the handler writes
 * the body first, then the header is placed right before it, so it goes
 * out with a single send per writable event and no copy.
 */
#include <stdlib.h>
#include <string.h>

#include "http.h"

enum { HEADER_RESERVE = 512 };
enum deadline_kind { DL_IDLE, DL_REQUEST, DL_WRITE };

struct http_config http_config_default(void)
{
	struct http_config c = { 32, 1 << 20, 5000, 30000, 10000, http_limits_default() };

	return c;
}

bool http_server_init(struct http_server *srv, const struct http_config *cfg,
		      http_handler handler, void *ctx, const struct http_io *io)
{
	int i;

	memset(srv, 0, sizeof *srv);
	srv->cfg = *cfg;
	srv->handler = handler;
	srv->handler_ctx = ctx;
	srv->io = *io;
	if (cfg->max_conns <= 0 || cfg->out_cap <= HEADER_RESERVE)
		return false;
	srv->conns = calloc((size_t)cfg->max_conns, sizeof *srv->conns);
	if (srv->conns == NULL)
		return false;
	for (i = 0; i < cfg->max_conns; i++) {
		srv->conns[i].in = malloc(cfg->limits.header_bytes + 1);
		srv->conns[i].out = malloc(cfg->out_cap);
		if (srv->conns[i].in == NULL || srv->conns[i].out == NULL) {
			http_server_free(srv);
			return false;
		}
	}
	return true;
}

void http_server_free(struct http_server *srv)
{
	int i;

	if (srv->conns == NULL)
		return;
	for (i = 0; i < srv->cfg.max_conns; i++) {
		free(srv->conns[i].in);
		free(srv->conns[i].out);
	}
	free(srv->conns);
	srv->conns = NULL;
}

static void set_deadline(struct http_server *srv, struct http_conn *c, int kind, uint64_t now)
{
	uint64_t ms = kind == DL_IDLE ? srv->cfg.idle_ms : kind == DL_REQUEST ? srv->cfg.request_ms
									      : srv->cfg.write_ms;
	c->deadline = now + ms;
	c->deadline_kind = kind;
}

static void conn_close(struct http_server *srv, struct http_conn *c)
{
	srv->io.close(srv->io.io, c->handle);
	c->state = CONN_FREE;
	srv->stats.open--;
}

int http_conn_open(struct http_server *srv, int handle, uint64_t now)
{
	int i;

	for (i = 0; i < srv->cfg.max_conns; i++) {
		struct http_conn *c = &srv->conns[i];

		if (c->state != CONN_FREE)
			continue;
		c->state = CONN_READING;
		c->handle = handle;
		c->in_len = c->body_skip = 0;
		c->out_off = c->out_end = 0;
		c->close_after = c->eof = c->http10 = false;
		set_deadline(srv, c, DL_IDLE, now);
		srv->stats.accepted++;
		srv->stats.open++;
		return i;
	}
	srv->stats.refused_full++;
	return -1;
}

/* Appends "name: value\r\n" style text to the header being built. */
static void hdr_put(char *h, size_t *n, const char *s)
{
	size_t m = strlen(s);

	if (*n + m <= HEADER_RESERVE) {
		memcpy(h + *n, s, m);
		*n += m;
	}
}

static void hdr_put_size(char *h, size_t *n, size_t v)
{
	char num[24];
	int i = sizeof num;

	num[--i] = '\0';
	do {
		num[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	hdr_put(h, n, num + i);
}

/* Places the status line and header before the body already at
   out + HEADER_RESERVE; send_body false for HEAD. */
static void queue_response(struct http_server *srv, struct http_conn *c,
			   const struct http_response *r, bool send_body, uint64_t now)
{
	char h[HEADER_RESERVE];
	size_t n = 0;

	hdr_put(h, &n, "HTTP/1.1 ");
	hdr_put_size(h, &n, (size_t)r->status);
	hdr_put(h, &n, " ");
	hdr_put(h, &n, http_reason(r->status));
	hdr_put(h, &n, "\r\nContent-Type: ");
	hdr_put(h, &n, r->content_type);
	hdr_put(h, &n, "\r\nContent-Length: ");
	hdr_put_size(h, &n, r->body_len);
	if (r->status == 405)
		hdr_put(h, &n, "\r\nAllow: GET, HEAD");
	/* HTTP/1.0 closes unless told otherwise, so say it when we keep it. */
	hdr_put(h, &n, c->close_after ? "\r\nConnection: close\r\n\r\n" :
		       c->http10 ? "\r\nConnection: keep-alive\r\n\r\n" : "\r\n\r\n");
	memcpy(c->out + HEADER_RESERVE - n, h, n);
	c->out_off = HEADER_RESERVE - n;
	c->out_end = HEADER_RESERVE + (send_body ? r->body_len : 0);
	c->state = CONN_WRITING;
	set_deadline(srv, c, DL_WRITE, now);
	srv->stats.responses[r->status / 100 < 6 ? r->status / 100 : 0]++;
}

/* An error answer with a one-line body; the connection closes after it
   unless the request itself was complete and well-formed (404, 405). */
static void queue_error(struct http_server *srv, struct http_conn *c, int status, bool close,
			bool send_body, uint64_t now)
{
	struct http_response r = { status, "text/plain; charset=utf-8", c->out + HEADER_RESERVE, 0,
				   srv->cfg.out_cap - HEADER_RESERVE };
	const char *reason = http_reason(status);

	r.body_len = strlen(reason) + 1;
	memcpy(r.body, reason, r.body_len - 1);
	r.body[r.body_len - 1] = '\n';
	c->close_after = c->close_after || close;
	queue_response(srv, c, &r, send_body, now);
}

/* Runs the handler for a parsed request. */
static void dispatch(struct http_server *srv, struct http_conn *c, const struct http_request *req,
		     uint64_t now)
{
	struct http_response r = { 200, "text/plain; charset=utf-8", c->out + HEADER_RESERVE, 0,
				   srv->cfg.out_cap - HEADER_RESERVE };

	srv->stats.requests++;
	c->close_after = !req->keep_alive;
	c->http10 = req->version_minor == 0;
	if (req->method == HTTP_OTHER_METHOD) {
		queue_error(srv, c, 405, false, true, now);
		return;
	}
	srv->handler(srv->handler_ctx, req, &r);
	if (r.body_len > r.body_cap) {
		queue_error(srv, c, 500, false, req->method != HTTP_HEAD, now);
		return;
	}
	queue_response(srv, c, &r, req->method != HTTP_HEAD, now);
}

/* Drops body bytes and parses what is buffered, queueing the answer to
   at most one request (the next waits until this response is out); the
   caller then sends it with http_conn_writable. */
static void process_input(struct http_server *srv, struct http_conn *c, uint64_t now)
{
	struct http_request req;
	long r;

	if (c->body_skip > 0) {
		size_t n = c->body_skip < c->in_len ? c->body_skip : c->in_len;

		memmove(c->in, c->in + n, c->in_len - n);
		c->in_len -= n;
		c->body_skip -= n;
		if (c->body_skip > 0)
			return;
	}
	if (c->in_len == 0)
		return;
	r = http_parse_request(c->in, c->in_len, &srv->cfg.limits, &req);
	if (r == 0)
		return;
	if (r < 0) {
		c->in_len = 0;
		queue_error(srv, c, (int)-r, true, true, now);
		return;
	}
	/* The handler may read req's strings in c->in: consume after. */
	dispatch(srv, c, &req, now);
	memmove(c->in, c->in + r, c->in_len - (size_t)r);
	c->in_len -= (size_t)r;
	c->body_skip = req.content_length;
}

size_t http_conn_rbuf(struct http_server *srv, int slot, char **p)
{
	struct http_conn *c = &srv->conns[slot];
	size_t cap = srv->cfg.limits.header_bytes + 1;

	if (c->state == CONN_FREE || c->eof || c->in_len >= cap)
		return 0;
	*p = c->in + c->in_len;
	return cap - c->in_len;
}

void http_conn_received(struct http_server *srv, int slot, size_t n, uint64_t now)
{
	struct http_conn *c = &srv->conns[slot];
	bool had_request = c->in_len > c->body_skip;

	if (c->state == CONN_FREE || n == 0)
		return;
	srv->stats.bytes_in += n;
	c->in_len += n;
	if (c->state != CONN_READING)
		return;		/* pipelined: kept for after this response */
	if (!had_request && c->in_len > c->body_skip)
		set_deadline(srv, c, DL_REQUEST, now);
	/* Parse only when a line is complete or the buffer is full. */
	if (memchr(c->in + c->in_len - n, '\n', n) != NULL || c->in_len > srv->cfg.limits.header_bytes ||
	    c->body_skip > 0)
		process_input(srv, c, now);
	if (c->state == CONN_WRITING)
		http_conn_writable(srv, slot, now);
}

void http_conn_hangup(struct http_server *srv, int slot, bool read_eof)
{
	struct http_conn *c = &srv->conns[slot];

	if (c->state == CONN_FREE)
		return;
	if (read_eof && c->state == CONN_WRITING) {
		/* A client may shut down its side after the request: the
		   answer still goes out, then the connection closes. */
		c->eof = c->close_after = true;
		return;
	}
	conn_close(srv, c);
}

/*
 * Sends what the socket takes. When a response is out, the connection
 * closes or goes back to reading, and a pipelined request already
 * buffered is answered in the same loop (a loop, not recursion: a buffer
 * can hold hundreds of small requests).
 */
void http_conn_writable(struct http_server *srv, int slot, uint64_t now)
{
	struct http_conn *c = &srv->conns[slot];

	while (c->state == CONN_WRITING) {
		while (c->out_off < c->out_end) {
			long n = srv->io.send(srv->io.io, c->handle, c->out + c->out_off,
					      c->out_end - c->out_off);

			if (n < 0) {
				conn_close(srv, c);
				return;
			}
			if (n == 0)
				return;
			c->out_off += (size_t)n;
			srv->stats.bytes_out += (uint64_t)n;
			set_deadline(srv, c, DL_WRITE, now);
		}
		if (c->close_after) {
			conn_close(srv, c);
			return;
		}
		c->state = CONN_READING;
		set_deadline(srv, c, c->in_len > c->body_skip ? DL_REQUEST : DL_IDLE, now);
		process_input(srv, c, now);
	}
}

bool http_conn_wants_write(const struct http_server *srv, int slot)
{
	const struct http_conn *c = &srv->conns[slot];

	return c->state == CONN_WRITING && c->out_off < c->out_end;
}

uint64_t http_server_tick(struct http_server *srv, uint64_t now)
{
	uint64_t next = UINT64_MAX;
	int i;

	for (i = 0; i < srv->cfg.max_conns; i++) {
		struct http_conn *c = &srv->conns[i];

		if (c->state == CONN_FREE)
			continue;
		if (now >= c->deadline) {
			if (c->deadline_kind == DL_REQUEST && c->state == CONN_READING) {
				srv->stats.timeouts_request++;
				c->in_len = 0;
				queue_error(srv, c, 408, true, true, now);
				http_conn_writable(srv, i, now);
			} else {
				if (c->deadline_kind == DL_IDLE)
					srv->stats.timeouts_idle++;
				else
					srv->stats.timeouts_write++;
				conn_close(srv, c);
			}
			if (c->state == CONN_FREE)
				continue;
		}
		if (c->deadline <= now)
			next = 0;
		else if (c->deadline - now < next)
			next = c->deadline - now;
	}
	return next;
}
