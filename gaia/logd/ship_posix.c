/*
 * ship_posix.c: UDP and TCP transports for the shipper (ship_posix.h).
 *
 * TCP sockets are non-blocking: open starts the connect, and send reports
 * 0 until it completes. Before each send the socket is polled: a FIN or
 * RST from the collector (it closes connections when it stops) turns into
 * -1 here, before a record is written into a dead connection, so a
 * restart loses no record that was still queued. Records written in the
 * moment between the collector's exit and its FIN arriving can still be
 * lost: plain TCP syslog has no application-level acknowledgement (RELP
 * exists for that).
 */
#define _GNU_SOURCE		/* POLLRDHUP */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ship_posix.h"

uint64_t ship_posix_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int posix_open(void *ctx)
{
	struct ship_posix *sp = ctx;
	int fd = socket(AF_INET, (sp->tcp ? SOCK_STREAM : SOCK_DGRAM) | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	sp->connected = false;
	if (connect(fd, (struct sockaddr *)&sp->addr, sizeof sp->addr) < 0 && errno != EINPROGRESS) {
		close(fd);
		return -1;
	}
	return fd;
}

/* TCP: 1 if writable and alive, 0 if not yet, -1 if broken or closed. */
static int tcp_state(struct ship_posix *sp, int fd)
{
	struct pollfd p = { fd, POLLOUT | POLLIN | POLLRDHUP, 0 };
	char c;
	int err = 0;
	socklen_t len = sizeof err;

	if (poll(&p, 1, 0) < 0)
		return errno == EINTR ? 0 : -1;
	if (p.revents & (POLLERR | POLLHUP | POLLRDHUP))
		return -1;
	if (p.revents & POLLIN) {
		ssize_t n = recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);

		if (n == 0 || (n < 0 && errno != EAGAIN))
			return -1;
		while (recv(fd, &c, 1, MSG_DONTWAIT) > 0)
			;	/* collectors send nothing; drop it */
	}
	if (!(p.revents & POLLOUT))
		return 0;
	if (!sp->connected) {
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0 || err != 0)
			return -1;
		sp->connected = true;
	}
	return 1;
}

static long posix_send(void *ctx, int fd, const void *p, size_t n)
{
	struct ship_posix *sp = ctx;
	ssize_t r;

	if (sp->tcp) {
		int st = tcp_state(sp, fd);

		if (st <= 0)
			return st;
	}
	r = send(fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
	if (r >= 0)
		return (long)r;
	if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR || errno == ENOBUFS)
		return 0;
	return -1;	/* UDP: ECONNREFUSED from an ICMP port unreachable */
}

static void posix_close(void *ctx, int fd)
{
	(void)ctx;
	close(fd);
}

bool ship_posix_transport(struct ship_posix *sp, const char *addr, int port, bool tcp,
			  struct ship_transport *out)
{
	memset(sp, 0, sizeof *sp);
	sp->addr.sin_family = AF_INET;
	sp->addr.sin_port = htons((uint16_t)port);
	sp->tcp = tcp;
	if (inet_pton(AF_INET, addr, &sp->addr.sin_addr) != 1)
		return false;
	out->open = posix_open;
	out->send = posix_send;
	out->close = posix_close;
	out->ctx = sp;
	out->stream = tcp;
	return true;
}
