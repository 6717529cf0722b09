/*
 * http_posix.h: the host back end of the HTTP core, over BSD sockets and
 * poll() (http.h). The Ares back end will do the same over the network
 * service's socket interface.
 */
#ifndef METRICS_HTTP_POSIX_H
#define METRICS_HTTP_POSIX_H

#include <signal.h>

#include "http.h"

/* The struct http_io for sockets (send with MSG_NOSIGNAL, close). */
struct http_io http_posix_io(void);

/* Listens on TCP addr:port (port 0: the system picks); returns the
   socket and sets *bound to the port, or -1 with a message on stderr. */
int http_posix_listen(const char *addr, int port, int *bound);

/* Serves srv on the listening socket until *stop is set (checked at
   least every 200 ms). Each loop first calls before(ctx) if given.
   Returns 0, or -1 if poll fails. */
int http_posix_serve(struct http_server *srv, int listen_fd, volatile sig_atomic_t *stop,
		     void (*before)(void *ctx), void *ctx);

/* Milliseconds of CLOCK_MONOTONIC. */
uint64_t http_posix_now(void);

#endif
