/*
 * rsp.c: GDB remote serial protocol framing over a TCP socket: $data#cs
 * packets with + acks, '}' escapes and run-length '*' expansion in replies,
 * a raw ^C byte for interrupts. remote.c speaks the packets.
 */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rsp.h"

int rsp_connect(const char *hostport, char *err, size_t errlen)
{
	char host[256];
	const char *colon = strrchr(hostport, ':');
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res, *ai;
	int fd = -1, r, one = 1;

	if (!colon || colon == hostport || !colon[1] || (size_t)(colon - hostport) >= sizeof host) {
		snprintf(err, errlen, "%s: expected host:port", hostport);
		return -1;
	}
	memcpy(host, hostport, colon - hostport);
	host[colon - hostport] = 0;
	if ((r = getaddrinfo(host, colon + 1, &hints, &res)) != 0) {
		snprintf(err, errlen, "%s: %s", hostport, gai_strerror(r));
		return -1;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		if ((fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol)) < 0)
			continue;
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		r = errno;
		close(fd);
		fd = -1;
		errno = r;
	}
	freeaddrinfo(res);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", hostport, strerror(errno));
		return -1;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	return fd;
}

/* One byte, waiting at most timeout_ms (-1 forever). Returns the byte, -1 on error or timeout. */
static int getbyte(struct rsp *c, int timeout_ms)
{
	if (c->pos == c->len) {
		struct pollfd pf = { c->fd, POLLIN, 0 };
		int r;
		while ((r = poll(&pf, 1, timeout_ms)) < 0 && errno == EINTR && c->interrupt)
			c->interrupt(c->interrupt_ctx);
		if (r <= 0)
			return -1;
		ssize_t n = read(c->fd, c->inbuf, sizeof c->inbuf);
		if (n <= 0)
			return -1;
		c->len = n;
		c->pos = 0;
	}
	return c->inbuf[c->pos++];
}

static int hexval(int ch)
{
	if (ch >= '0' && ch <= '9') return ch - '0';
	if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
	return -1;
}

int rsp_send(struct rsp *c, const char *data)
{
	size_t n = strlen(data);
	char *pkt = malloc(n + 5);
	unsigned sum = 0;

	if (!pkt)
		abort();
	for (size_t i = 0; i < n; i++)
		sum += (uint8_t)data[i];
	snprintf(pkt, n + 5, "$%s#%02x", data, sum & 0xff);
	for (int tries = 0; tries < 3; tries++) {
		if (write(c->fd, pkt, n + 4) != (ssize_t)(n + 4))
			break;
		int ack = getbyte(c, 10000);
		if (ack == '+') {
			free(pkt);
			return 0;
		}
		if (ack != '-')
			break;
	}
	free(pkt);
	return -1;
}

int rsp_recv(struct rsp *c, char *buf, size_t len, int timeout_ms)
{
	for (;;) {
		int ch;
		size_t n = 0;
		unsigned sum = 0;
		while ((ch = getbyte(c, timeout_ms)) != '$')
			if (ch < 0)
				return -1;
		while ((ch = getbyte(c, 10000)) >= 0 && ch != '#') {
			sum += ch;
			if (ch == '*' && n > 0) {	/* run-length: repeat the last byte */
				int rep = getbyte(c, 10000);
				if (rep < 0)
					return -1;
				sum += rep;
				for (int k = 0; k < rep - 29 && n + 1 < len; k++, n++)
					buf[n] = buf[n - 1];
				continue;
			}
			if (n + 1 < len)
				buf[n++] = (char)ch;
		}
		int h = hexval(getbyte(c, 10000)), l = hexval(getbyte(c, 10000));
		if (ch < 0 || h < 0 || l < 0)
			return -1;
		buf[n] = 0;
		if (((h << 4) | l) == (int)(sum & 0xff)) {
			if (write(c->fd, "+", 1) != 1)
				return -1;
			return (int)n;
		}
		if (write(c->fd, "-", 1) != 1)
			return -1;
	}
}

int rsp_interrupt(struct rsp *c)
{
	return write(c->fd, "\003", 1) == 1 ? 0 : -1;
}

int rsp_hex_decode(const char *hex, uint8_t *out, size_t max)
{
	size_t n = 0;

	for (; hex[0] && hex[1] && n < max; hex += 2) {
		int h = hexval(hex[0]), l = hexval(hex[1]);
		if (h < 0 || l < 0)
			return -1;
		out[n++] = (uint8_t)(h << 4 | l);
	}
	return (int)n;
}

void rsp_hex_encode(const uint8_t *in, size_t n, char *out)
{
	static const char dig[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = dig[in[i] >> 4];
		out[2 * i + 1] = dig[in[i] & 15];
	}
	out[2 * n] = 0;
}
