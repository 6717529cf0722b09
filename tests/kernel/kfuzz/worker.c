/*
 * worker.c: a fuzz worker's loop. Each round picks a row of the call table,
 * draws its arguments against the worker's view of its CSpace (ty[]), makes
 * the call and counts the status in the coverage matrix. The view follows
 * what the calls did (a retype, copy or move re-identifies its destination;
 * a received cap its slot) and is refreshed a few slots at a time, since the
 * other worker of the child and the supervisor change the CSpace too.
 *
 * The rights oracle: for a row whose E_OK needs rights on the named cap
 * (for FRAME_MAP: the rights it asks for), the cap is identified before the
 * call; an E_OK without them is counted as a violation (unless the slot
 * changed meanwhile).
 *
 * State (PRNG, counts, view) lives in the kf_page, so a restart by the
 * supervisor carries on the same sequence.
 */
#include <mercury/string.h>

#include "kf.h"

uint8_t kf_vstack[KF_VSTACKS][KF_VSTACK_SIZE] __attribute__((aligned(16)));

void kf_victim(uint64_t nr, uint64_t cptr, uint64_t reply)
{
	for (;;) {
		struct hl_msg m = { hl_msginfo(0xF00, 0, 2), { nr, cptr, 0, 0 } };

		hl_sys(nr, cptr, reply, &m);
		hl_yield();	/* a call that does not block must not hog the CPU */
	}
}

/* type | rights << 8 of own slot s, or ~0 when it cannot be told. */
static uint64_t identify(uint64_t s)
{
	struct hl_result r;

	if (!s || s >= KF_SLOTS)
		return ~0ull;
	r = hl_cnode_identify(S_CN, s, 64, NULL);
	return r.status == E_OK ? r.value & 0xFFFF : ~0ull;
}

static void learn(struct kf_page *p, uint64_t s)
{
	uint64_t v = identify(s);

	if (v != ~0ull)
		p->ty[s] = (uint8_t)(v & 0xFF);
}

/* An own slot named by (root, index, depth), or 0. */
static uint64_t own_slot(uint64_t root, uint64_t idx, uint64_t depth)
{
	if ((root == S_CN && depth == 64) || (root == S_CN0 && depth == KF_RADIX))
		return idx < KF_SLOTS ? idx : 0;
	return 0;
}

/* After a successful call: what it changed in the view. */
static void follow(struct kf_page *p, const struct kf_row *rw, const struct kf_call *c,
		   struct hl_ipc_buffer *b, uint64_t info)
{
	uint64_t d = 0;

	switch (rw->label) {
	case HL_UNTYPED_RETYPE:
		d = own_slot(c->w[2], c->w[3], c->w[4]);
		for (uint64_t i = 0; d && i < c->w[5] && d + i < KF_SLOTS; i++)
			learn(p, d + i);
		return;
	case HL_CNODE_MOVE: case HL_CNODE_MUTATE:
		learn(p, own_slot(c->w[2], c->w[3], c->w[4]));
		/* fall through */
	case HL_CNODE_COPY: case HL_CNODE_MINT:
	case HL_CNODE_DELETE: case HL_CNODE_REVOKE: case HL_CNODE_IDENTIFY:
		if (c->cptr == S_CN || c->cptr == S_CN0)
			learn(p, own_slot(c->cptr, c->w[0], c->w[1]));
		return;
	case HL_FRAME_MAP:
		p->mapped[p->nmapped++ % 8] = c->w[1];
		return;
	case HL_IRQ_CONTROL_GET:
		learn(p, own_slot(c->w[1], c->w[2], c->w[3]));
		return;
	case HL_ASID_CONTROL_MAKE_POOL:
		learn(p, own_slot(c->w[1], c->w[2], c->w[3]));
		return;
	case HL_IOPORT_CONTROL_ISSUE:
		learn(p, own_slot(c->w[2], c->w[3], c->w[4]));
		return;
	}
	if (rw->label == 0 && hl_msg_caps(info))
		for (unsigned i = 0; i < hl_msg_caps(info) && i < HL_MSG_MAX_CAPS; i++)
			learn(p, b->recv_slots[i]);
}

/* One call of row k. */
static void one(struct kt_rand *r, struct kf_page *p, struct hl_ipc_buffer *b, unsigned k)
{
	const struct kf_row *rw = &kf_rows[k];
	struct kf_call c;
	struct hl_msg m;
	uint64_t nr = rw->nr, before = ~0ull, need = rw->need, st;

	kf_draw(r, p, rw, b, &c);
	/* A row that cannot succeed is made only on the types it is about (a
	 * stray label on an endpoint is just a message). */
	if ((rw->flags & KF_NO_OK) && rw->targets &&
	    !((before = identify(c.cptr)) != ~0ull && (rw->targets & T(before & 0xFF))))
		return;
	if (nr == HL_SYS_COUNT)
		nr = HL_SYS_COUNT + kt_rand_below(r, 3) * kt_rand_below(r, 100);
	if (nr == HL_SYS_EXIT || nr == HL_SYS_PROBE)
		c.cptr = c.w[0];
	m.info = c.info;
	for (unsigned i = 0; i < HL_MSG_REG_WORDS; i++)
		m.mr[i] = c.w[i];
	for (unsigned i = HL_MSG_REG_WORDS; i < HL_MSG_MAX; i++)
		b->mr[i] = c.w[i];
	if (rw->label == HL_FRAME_MAP)	/* a mapping needs the rights it asks for */
		need = c.w[2] & (HL_R_READ | HL_R_WRITE);
	if (need)
		before = identify(c.cptr);
	/* Counted before it is made: a call that stops us is not retried. */
	p->rng = r->s;
	p->last_row = k;
	p->done++;
	st = (uint64_t)hl_sys(nr, c.cptr, c.reply, &m).status;
	p->cov[k][st < E_COUNT ? st : E_COUNT]++;
	if (st != E_OK)
		return;
	if (need && before != ~0ull && (rw->targets & T(before & 0xFF)) &&
	    ((before >> 8) & need) != need && identify(c.cptr) == before) {
		p->violations++;
		p->viol_row = k;
		p->viol_rights = before;
	}
	follow(p, rw, &c, b, m.info);
}

void kf_worker(uint64_t page)
{
	struct kf_page *p = (struct kf_page *)page;
	struct hl_ipc_buffer *b = rt_tls()->ipc;
	struct kt_rand r;

	r.s = p->rng;
	for (;;) {
		one(&r, p, b, (unsigned)kt_rand_below(&r, kf_nrows));
		/* A few slots of the view re-identified every 16 calls. */
		if ((p->done & 15) == 0)
			for (unsigned i = 0; i < 4; i++) {
				p->refresh = 1 + p->refresh % (KF_SLOTS - 1);
				learn(p, p->refresh);
			}
	}
}
