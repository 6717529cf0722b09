/*
 * http_posix.c: the host back end (http_posix.h). One poll() set holds
 * the listening socket and every open connection; the events it returns
 * become calls into the core. Sockets are non-blocking, so a stalled
 * client costs one slot and never blocks the loop.
 */
#define _GNU_SOURCE	/* accept4 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http_posix.h"

static long posix_send(void *io, int fd, const void *p, size_t n)
{
	ssize_t r;

	(void)io;
	r = send(fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
	if (r >= 0)
		return (long)r;
	return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -1;
}

/* Closing with unread input makes the kernel send RST, which can destroy
   an error answer (413, 414, 431) before the client reads it: send FIN
   first and drop what has arrived. A client still sending after that may
   yet see a reset; the answer is in its receive queue by then. */
static void posix_close(void *io, int fd)
{
	char sink[4096];

	(void)io;
	shutdown(fd, SHUT_WR);
	while (recv(fd, sink, sizeof sink, MSG_DONTWAIT) > 0)
		;
	close(fd);
}

struct http_io http_posix_io(void)
{
	struct http_io io = { posix_send, posix_close, NULL };

	return io;
}

uint64_t http_posix_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int http_posix_listen(const char *addr, int port, int *bound)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	socklen_t len = sizeof sa;
	int fd, one = 1;

	if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1) {
		fprintf(stderr, "http: bad IPv4 address %s\n", addr);
		return -1;
	}
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) < 0) {
		perror("http: socket");
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(fd, 64) < 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) < 0) {
		fprintf(stderr, "http: listen on %s:%d: %s\n", addr, port, strerror(errno));
		close(fd);
		return -1;
	}
	*bound = ntohs(sa.sin_port);
	return fd;
}

static void accept_all(struct http_server *srv, int listen_fd)
{
	int fd;

	while ((fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0)
		if (http_conn_open(srv, fd, http_posix_now()) < 0)
			close(fd);	/* table full: counted by the core */
}

/* Reads what the socket has into the slot's buffer. */
static void read_some(struct http_server *srv, int slot, int fd)
{
	char *p;
	size_t room;
	ssize_t n;

	while (srv->conns[slot].state != CONN_FREE && srv->conns[slot].handle == fd &&
	       (room = http_conn_rbuf(srv, slot, &p)) > 0) {
		n = recv(fd, p, room, MSG_DONTWAIT);
		if (n > 0) {
			http_conn_received(srv, slot, (size_t)n, http_posix_now());
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
			return;
		http_conn_hangup(srv, slot, n == 0);
		return;
	}
}

int http_posix_serve(struct http_server *srv, int listen_fd, volatile sig_atomic_t *stop,
		     void (*before)(void *ctx), void *ctx)
{
	int max = srv->cfg.max_conns;
	struct pollfd *pfd = calloc((size_t)max + 1, sizeof *pfd);
	int *slot_of = calloc((size_t)max + 1, sizeof *slot_of);

	if (pfd == NULL || slot_of == NULL) {
		free(pfd);
		free(slot_of);
		return -1;
	}
	while (!*stop) {
		uint64_t wait = http_server_tick(srv, http_posix_now());
		int n = 1, i;
		char *dummy;

		if (before != NULL)
			before(ctx);
		pfd[0].fd = listen_fd;
		pfd[0].events = POLLIN;
		for (i = 0; i < max; i++) {
			if (srv->conns[i].state == CONN_FREE)
				continue;
			pfd[n].fd = srv->conns[i].handle;
			pfd[n].events = (short)((http_conn_rbuf(srv, i, &dummy) > 0 ? POLLIN : 0) |
						(http_conn_wants_write(srv, i) ? POLLOUT : 0));
			slot_of[n++] = i;
		}
		if (poll(pfd, (nfds_t)n, wait < 200 ? (int)wait : 200) < 0 && errno != EINTR) {
			perror("http: poll");
			free(pfd);
			free(slot_of);
			return -1;
		}
		for (i = 1; i < n; i++) {
			int s = slot_of[i];

			if (srv->conns[s].state == CONN_FREE || srv->conns[s].handle != pfd[i].fd)
				continue;
			if (pfd[i].revents & POLLOUT)
				http_conn_writable(srv, s, http_posix_now());
			if (pfd[i].revents & (POLLIN | POLLHUP | POLLERR))
				read_some(srv, s, pfd[i].fd);
			if (srv->conns[s].state != CONN_FREE && srv->conns[s].handle == pfd[i].fd &&
			    (pfd[i].revents & (POLLERR | POLLNVAL)))
				http_conn_hangup(srv, s, false);
		}
		if (pfd[0].revents & POLLIN)
			accept_all(srv, listen_fd);
	}
	free(pfd);
	free(slot_of);
	return 0;
}
