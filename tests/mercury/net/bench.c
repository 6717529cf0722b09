/*
 * bench.c: a bulk TCP transfer between two stacks in one process, over an
 * in-memory link (each frame copied once into a ring, as a NIC's DMA
 * would), with a fake clock.  Prints MiB/s; under callgrind (bench.sh)
 * the instructions spent in the stack's entry points per byte moved.
 *
 * usage: bench MIB
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "net.h"

#define RING 512

struct link {
	struct { uint16_t len; uint8_t data[1514]; } f[RING];
	unsigned head, tail;
};

static struct link to_a, to_b;

static void send_to(void *ctx, const void *frame, size_t len)
{
	struct link *l = ctx;

	if (l->tail - l->head == RING || len > 1514)
		return; /* a full ring drops, like a NIC */
	l->f[l->tail % RING].len = (uint16_t)len;
	memcpy(l->f[l->tail % RING].data, frame, len);
	l->tail++;
}

static void drain(struct link *l, struct net *n, uint64_t now)
{
	while (l->head != l->tail) {
		net_input(n, l->f[l->head % RING].data, l->f[l->head % RING].len, now);
		l->head++;
	}
}

static struct net *make(int host, struct link *out)
{
	struct net_config c = { .mac = { 2, 0, 0, 0, 0, (uint8_t)host } };
	struct net_ifops ops = { send_to, out };

	c.addr = 0x0a000000u | (uint32_t)host;
	c.mask = 0xffffff00u;
	c.tcp_sndbuf = c.tcp_rcvbuf = 256 * 1024;
	c.seed = (uint32_t)host;
	size_t sz = net_arena_size(&c);
	return net_init(aligned_alloc(16, (sz + 15) & ~(size_t)15), sz, &c, &ops);
}

int main(int argc, char **argv)
{
	static uint8_t buf[65536];
	uint64_t total = (argc > 1 ? strtoull(argv[1], NULL, 10) : 64) << 20, sent = 0, got = 0;
	uint64_t now = 1000000000;
	struct net *a = make(1, &to_b), *b = make(2, &to_a);
	struct timespec t0, t1;

	int l = net_socket(b, NET_SOCK_TCP), c = net_socket(a, NET_SOCK_TCP), s = -1;
	net_bind(b, l, 80);
	net_listen(b, l, 1);
	net_connect(a, c, 0x0a000002, 80, now);
	while (s < 0 && now < 2000000000) {
		now += 100000;
		drain(&to_b, b, now);
		drain(&to_a, a, now);
		s = net_accept(b, l, NULL, NULL);
	}
	if (s < 0) {
		fprintf(stderr, "bench: no connection\n");
		return 1;
	}
	memset(buf, 'x', sizeof buf);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (got < total) {
		if (sent < total) {
			int r = net_send(a, c, buf, total - sent < sizeof buf ? total - sent : sizeof buf, now);
			if (r > 0)
				sent += (uint64_t)r;
		}
		now += 20000; /* 20 us a turn: the delayed-ACK and RTO timers run too */
		drain(&to_b, b, now);
		for (int r; (r = net_recv(b, s, buf, sizeof buf, now)) > 0;)
			got += (uint64_t)r;
		drain(&to_a, a, now);
		net_poll(a, now);
		net_poll(b, now);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("transferred %llu bytes in %.3f s: %.1f MiB/s\n", (unsigned long long)got, secs,
	       (double)got / 1048576 / secs);
	return 0;
}
