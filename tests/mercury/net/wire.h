/*
 * wire.h: a virtual Ethernet for the stack's host tests.  Up to four
 * stacks (or raw frame sinks) share one segment; frames travel through a
 * queue with a fixed delay, and a seeded relay may drop, duplicate or
 * reorder them.  The clock is fake: wire_run advances it to the next
 * frame or timer, so retransmission timeouts take no real time.
 */
#ifndef NET_TEST_WIRE_H
#define NET_TEST_WIRE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "net.h"

#define WIRE_MAX_NODES 4
#define WIRE_QUEUE 4096

struct wire_frame {
	int from;
	uint64_t at;
	uint16_t len;
	uint8_t data[1518];
};

struct wire_node {
	struct net *n;
	void *arena;
	struct wire *w;
	int id;
	/* frames addressed to a raw node are kept here for the test to read */
	struct wire_frame *captured;
	int ncaptured, cap_max;
};

struct wire {
	struct wire_node nodes[WIRE_MAX_NODES];
	int nnodes;
	struct wire_frame *q;
	int nq;
	uint64_t now, delay;
	unsigned loss_pct, reorder_pct, dup_pct;
	uint32_t rng;
	uint64_t sent, dropped, reordered;
};

static inline uint32_t wire_rand(struct wire *w)
{
	w->rng ^= w->rng << 13;
	w->rng ^= w->rng >> 17;
	w->rng ^= w->rng << 5;
	return w->rng;
}

static inline void wire_push(struct wire *w, int from, const void *f, size_t len, uint64_t at)
{
	if (w->nq == WIRE_QUEUE || len > 1518)
		return;
	struct wire_frame *e = &w->q[w->nq++];
	e->from = from;
	e->at = at;
	e->len = (uint16_t)len;
	memcpy(e->data, f, len);
}

static void wire_send(void *ctx, const void *f, size_t len)
{
	struct wire_node *nd = ctx;
	struct wire *w = nd->w;
	uint64_t at = w->now + w->delay;

	w->sent++;
	if (w->loss_pct && wire_rand(w) % 100 < w->loss_pct) {
		w->dropped++;
		return;
	}
	if (w->reorder_pct && wire_rand(w) % 100 < w->reorder_pct) {
		at += w->delay * 3; /* overtaken by the frames after it */
		w->reordered++;
	}
	wire_push(w, nd->id, f, len, at);
	if (w->dup_pct && wire_rand(w) % 100 < w->dup_pct)
		wire_push(w, nd->id, f, len, at + 1);
}

/* Frees what wire_init and wire_add* allocated. */
static inline void wire_free(struct wire *w)
{
	for (int i = 0; i < w->nnodes; i++) {
		free(w->nodes[i].arena);
		free(w->nodes[i].captured);
	}
	free(w->q);
	memset(w, 0, sizeof *w);
}

static inline void wire_init(struct wire *w, uint32_t seed)
{
	wire_free(w);
	w->q = calloc(WIRE_QUEUE, sizeof *w->q);
	w->rng = seed ? seed : 1;
	w->delay = 1000000; /* 1 ms */
	w->now = 1000000000;
}

/* Adds a stack with the given config (mac and address filled by the caller). */
static inline struct net *wire_add(struct wire *w, struct net_config *cfg)
{
	struct wire_node *nd = &w->nodes[w->nnodes];
	size_t sz = net_arena_size(cfg);
	struct net_ifops ops = { wire_send, nd };

	nd->w = w;
	nd->id = w->nnodes++;
	nd->arena = aligned_alloc(16, (sz + 15) & ~(size_t)15);
	nd->n = net_init(nd->arena, sz, cfg, &ops);
	return nd->n;
}

/* Adds a raw node: frames it receives are captured; it sends with wire_inject. */
static inline int wire_add_raw(struct wire *w, int cap)
{
	struct wire_node *nd = &w->nodes[w->nnodes];

	nd->w = w;
	nd->id = w->nnodes++;
	nd->captured = calloc((size_t)cap, sizeof *nd->captured);
	nd->cap_max = cap;
	return nd->id;
}

static inline void wire_inject(struct wire *w, int from, const void *f, size_t len)
{
	wire_push(w, from, f, len, w->now + w->delay);
}

static inline void wire_deliver(struct wire *w, const struct wire_frame *f)
{
	for (int i = 0; i < w->nnodes; i++) {
		struct wire_node *nd = &w->nodes[i];

		if (i == f->from)
			continue;
		if (nd->n)
			net_input(nd->n, f->data, f->len, w->now);
		else if (nd->ncaptured < nd->cap_max)
			nd->captured[nd->ncaptured++] = *f;
	}
}

/* Runs until the clock reaches until: frames in order of arrival time,
   timers at their deadlines. */
static inline void wire_run(struct wire *w, uint64_t until)
{
	for (;;) {
		uint64_t next = until;
		int best = -1;

		for (int i = 0; i < w->nnodes; i++)
			if (w->nodes[i].n) {
				uint64_t d = net_poll(w->nodes[i].n, w->now);
				if (d < next)
					next = d;
			}
		for (int i = 0; i < w->nq; i++)
			if (w->q[i].at <= next && (best < 0 || w->q[i].at < w->q[best].at)) {
				best = i;
				next = w->q[i].at;
			}
		if (next > until)
			break;
		if (best < 0 && next <= w->now && next != until)
			next = w->now + 1; /* a timer due now was run by the poll above */
		if (next > w->now)
			w->now = next;
		if (best >= 0) {
			struct wire_frame f = w->q[best];

			memmove(&w->q[best], &w->q[best + 1], (size_t)(w->nq - best - 1) * sizeof *w->q);
			w->nq--;
			wire_deliver(w, &f);
		} else if (next == until) {
			break;
		}
	}
	if (w->now < until)
		w->now = until;
}

static inline void wire_run_for(struct wire *w, uint64_t ns) { wire_run(w, w->now + ns); }

#define IP4(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

static inline void wire_cfg(struct net_config *c, int host)
{
	memset(c, 0, sizeof *c);
	uint8_t mac[6] = { 0x02, 0, 0, 0, 0, (uint8_t)host };
	memcpy(c->mac, mac, 6);
	c->addr = IP4(10, 0, 0, host);
	c->mask = IP4(255, 255, 255, 0);
	c->seed = 1234 + (uint32_t)host;
}

#endif
