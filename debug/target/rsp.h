/*
 * rsp.h: GDB remote serial protocol packet layer (rsp.c) used by remote.c.
 */
#ifndef ACID_RSP_H
#define ACID_RSP_H

#include <stddef.h>
#include <stdint.h>

struct rsp {
	int fd;
	uint8_t inbuf[4096];
	size_t pos, len;
	void (*interrupt)(void *ctx);	/* called when a signal interrupts a wait */
	void *interrupt_ctx;
};

/* Connects to "host:port"; returns the socket, or -1 with a message in err. */
int rsp_connect(const char *hostport, char *err, size_t errlen);

/* Sends one packet and waits for its '+' ack; 0 or -1. */
int rsp_send(struct rsp *c, const char *data);

/* Receives one packet's payload (unescaped of run-length encoding) into buf,
 * NUL-terminated; waits at most timeout_ms (-1: forever). Returns its length or -1. */
int rsp_recv(struct rsp *c, char *buf, size_t len, int timeout_ms);

/* Sends the out-of-band ^C that asks a running target to stop. */
int rsp_interrupt(struct rsp *c);

/* Hex helpers: decode up to max bytes (returns count, -1 on a bad digit); encode n bytes. */
int rsp_hex_decode(const char *hex, uint8_t *out, size_t max);
void rsp_hex_encode(const uint8_t *in, size_t n, char *out);

#endif
