/*
 * http.h: a small HTTP/1.1 server for /metrics (docs/metrics.md, "HTTP").
 *
 * Two portable layers and a back end:
 *   http_parse.c   the request parser: request line and header fields
 *                  with size limits; answers which status a bad request
 *                  gets (400, 413, 414, 431, 501, 505).
 *   http_server.c  the core: a table of connections, each a small state
 *                  machine (reading, writing) fed by events the back end
 *                  reports (accepted, bytes in, writable, peer closed,
 *                  time passed). No threads, no blocking: a slow or
 *                  oversized client runs into its own limits and deadline
 *                  and is cut off, and the others never wait for it.
 *   http_posix.c   the host back end: BSD sockets and poll().
 * The core never reads a clock: the back end passes "now" in
 * milliseconds, so tests drive time by hand.
 */
#ifndef METRICS_HTTP_H
#define METRICS_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Limits of one request; defaults in http_limits_default(). */
struct http_limits {
	size_t request_line;	/* bytes in the request line, CRLF excluded (414) */
	size_t header_bytes;	/* bytes from the request line to the blank line (431) */
	int header_fields;	/* number of header fields (431) */
	size_t body_bytes;	/* Content-Length accepted and discarded (413) */
};

enum http_method { HTTP_GET, HTTP_HEAD, HTTP_OTHER_METHOD };

/* A parsed request. Strings point into the caller's buffer, which must
   outlive the request; they are not NUL-terminated. */
struct http_request {
	enum http_method method;
	const char *path;	/* the target's path, query stripped */
	size_t path_len;
	const char *accept;	/* the first Accept field's value, or NULL */
	size_t accept_len;
	int version_minor;	/* HTTP/1.0 or HTTP/1.1 */
	bool keep_alive;	/* persistent after this request */
	size_t content_length;	/* body bytes following the header */
	size_t header_len;	/* bytes of the request up to its blank line */
};

/* Defaults: 8000-byte request line (RFC 9112 §3), 16 KiB of header, 64
   fields, 64 KiB of discarded body. */
struct http_limits http_limits_default(void);

/*
 * Parses the request at the start of buf[0..len). Returns 0 if the
 * request is not complete yet (and no limit is exceeded), a positive
 * header length when it is complete (req filled), or minus the status
 * the client gets: -400 malformed, -413 body too large, -414 request line
 * too long, -431 header too large or too many fields, -501 a
 * Transfer-Encoding, -505 an HTTP version other than 1.0 and 1.1.
 * Leading empty lines are skipped (RFC 9112 §2.2) and counted in the
 * header length.
 */
long http_parse_request(const char *buf, size_t len, const struct http_limits *lim,
			struct http_request *req);

/* The reason phrase of a status code ("Not Found"), "" if unknown. */
const char *http_reason(int status);

/* What a handler fills in. The core has pointed body at the connection's
   output buffer of body_cap bytes; writing past it is not possible, and a
   handler that needs more sets body_len beyond body_cap (the client then
   gets 500). */
struct http_response {
	int status;
	const char *content_type;	/* static string */
	char *body;
	size_t body_len, body_cap;
};

/* Called for each request that parsed; for HEAD the core sends only the
   header of what the handler produced. */
typedef void (*http_handler)(void *ctx, const struct http_request *req, struct http_response *resp);

/* What the core needs from its back end. send returns the bytes it took
   (0 when the socket would block) or -1 on an error; close ends the
   connection (the core forgets the slot right after). */
struct http_io {
	long (*send)(void *io, int handle, const void *p, size_t n);
	void (*close)(void *io, int handle);
	void *io;
};

struct http_config {
	int max_conns;
	size_t out_cap;		/* per connection: response header and body */
	uint64_t request_ms;	/* from a request's first byte to its blank line (408) */
	uint64_t idle_ms;	/* a kept-alive connection with no request */
	uint64_t write_ms;	/* without any progress sending a response */
	struct http_limits limits;
};

/* Defaults: 32 connections, 1 MiB out, 5 s request, 30 s idle, 10 s write. */
struct http_config http_config_default(void);

/* Counters of the core; the metrics service exposes them. */
struct http_stats {
	uint64_t accepted, refused_full;	/* connections */
	uint64_t requests, responses[6];	/* responses by class: [2] = 2xx ... */
	uint64_t timeouts_request, timeouts_idle, timeouts_write;
	uint64_t bytes_in, bytes_out;
	int open;
};

enum conn_state { CONN_FREE, CONN_READING, CONN_WRITING };

struct http_conn {
	enum conn_state state;
	int handle;
	char *in;		/* header_bytes + 1: one byte over tells "too big" */
	size_t in_len;
	size_t body_skip;	/* body bytes still to discard */
	char *out;
	size_t out_off, out_end;	/* bytes [out_off, out_end) still to send */
	bool close_after;
	bool eof;		/* the peer will send no more */
	bool http10;		/* the request being answered was HTTP/1.0 */
	uint64_t deadline;
	int deadline_kind;	/* which timeout, for the counters */
};

struct http_server {
	struct http_config cfg;
	struct http_conn *conns;
	http_handler handler;
	void *handler_ctx;
	struct http_io io;
	struct http_stats stats;
};

/* Sets up srv; allocates the connection table and buffers (the only
   allocation). Returns false if memory is short. */
bool http_server_init(struct http_server *srv, const struct http_config *cfg,
		      http_handler handler, void *ctx, const struct http_io *io);
void http_server_free(struct http_server *srv);

/* A new connection with the back end's handle: returns its slot, or -1 if
   the table is full (the back end closes it; counted). */
int http_conn_open(struct http_server *srv, int handle, uint64_t now);

/* Where the back end may read into for slot: sets *p and returns the room
   (0: do not read now). */
size_t http_conn_rbuf(struct http_server *srv, int slot, char **p);

/* n bytes were read into the buffer http_conn_rbuf gave. */
void http_conn_received(struct http_server *srv, int slot, size_t n, uint64_t now);

/* The peer closed its side (read_eof: read returned 0) or the socket
   failed (read_eof false). After an EOF a response being sent still goes
   out; then, or at once if none is, the connection closes. */
void http_conn_hangup(struct http_server *srv, int slot, bool read_eof);

/* The socket can take more output. */
void http_conn_writable(struct http_server *srv, int slot, uint64_t now);

/* True if the slot has output waiting (poll for writability). */
bool http_conn_wants_write(const struct http_server *srv, int slot);

/* Enforces deadlines at time now; returns the milliseconds until the next
   one (UINT64_MAX if none). */
uint64_t http_server_tick(struct http_server *srv, uint64_t now);

#endif
