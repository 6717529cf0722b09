/*
 * args.c: a row's argument words. Each kind is mostly well-formed for the
 * worker's CSpace (a cap of the right type, a free slot with the depth its
 * CNode cap needs, an aligned address in the mapping areas, a port of its
 * range), sometimes just off (a full slot, a depth too many, an unaligned
 * address, a count of 0), and one word in KF_WILD is replaced by anything
 * from the pool. Message lengths are mostly exact, sometimes short or too long.
 */
#include <mercury/string.h>

#include "kf.h"

#define KF_WILD 24	/* one word in 24 is wild */

static uint64_t below(struct kt_rand *r, uint64_t n)
{
	return kt_rand_below(r, n);
}

static int chance(struct kt_rand *r, unsigned one_in)
{
	return kt_rand_below(r, one_in) == 0;
}

uint64_t kf_word(struct kt_rand *r)
{
	switch (below(r, 12)) {
	case 0: return below(r, KF_SLOTS);			/* a slot */
	case 1: return S_END + below(r, KF_SLOTS - S_END);
	case 2: return below(r, 2) ? 64 : KF_RADIX;		/* a depth */
	case 3: return below(r, HL_OBJ_COUNT + 2);		/* an object type */
	case 4: return below(r, 24);				/* size bits, priorities, counts */
	case 5: return KF_MAP_BASE + (below(r, 1024) << 12);	/* a page in the area */
	case 6: return KF_MAP_BASE + (below(r, 4) << 21);	/* a 2 MiB boundary */
	case 7: return KF_PORT_LO + below(r, 20) - 2;		/* around the ports */
	case 8: return below(r, 4) ? below(r, 256) : 1000 + below(r, 2);
	case 9: return HL_R_ALL & kt_rand_next(r);		/* rights */
	case 10: return 0;
	default: return kt_rand_next(r);			/* anything */
	}
}

static int fits(const struct kf_page *p, unsigned s, uint32_t mask, int empty)
{
	unsigned t = p->ty[s];

	return empty ? t == 0 && s >= S_END : t && (!mask || (mask & T(t)));
}

/* A slot the worker made (past the stock) believed to hold a type in mask, or 0. */
static uint64_t made(struct kt_rand *r, const struct kf_page *p, uint32_t mask)
{
	unsigned n = 0, k;

	for (unsigned s = S_END; s < KF_SLOTS; s++)
		n += fits(p, s, mask, 0);
	k = n ? (unsigned)below(r, n) : 0;
	for (unsigned s = S_END; n && s < KF_SLOTS; s++)
		if (fits(p, s, mask, 0) && k-- == 0)
			return s;
	return 0;
}

/* A slot whose believed type is in mask (0: any non-empty), or an empty one,
 * each such slot as likely as the others; 0 if there is none. */
static uint64_t find(struct kt_rand *r, const struct kf_page *p, uint32_t mask, int empty)
{
	unsigned n = 0, k;

	for (unsigned s = 1; s < KF_SLOTS; s++)
		n += fits(p, s, mask, empty);
	if (!n)
		return 0;
	k = (unsigned)below(r, n);
	for (unsigned s = 1; s < KF_SLOTS; s++)
		if (fits(p, s, mask, empty) && k-- == 0)
			return s;
	return 0;
}

uint64_t kf_pick(struct kt_rand *r, const struct kf_page *p, uint32_t mask)
{
	uint64_t s;

	switch (below(r, 25)) {
	case 0: return 0;
	case 1: return kf_word(r);
	case 2: case 3: return 1 + below(r, KF_SLOTS - 1);	/* anything, perhaps empty */
	}
	s = find(r, p, mask, 0);
	return s ? s : 1 + below(r, KF_SLOTS - 1);
}

static uint64_t free_slot(struct kt_rand *r, const struct kf_page *p)
{
	uint64_t s;

	switch (below(r, 20)) {
	case 0: return 0;				/* slot 0: E_NOCAP */
	case 1: return KF_SLOTS + below(r, 64);		/* past the radix */
	case 2: case 3: return find(r, p, 0, 0);	/* occupied: E_EXIST */
	}
	s = find(r, p, 0, 1);
	return s ? s : S_END + below(r, KF_SLOTS - S_END);
}

static uint64_t full_slot(struct kt_rand *r, const struct kf_page *p)
{
	uint64_t s;

	if (chance(r, 10))
		return free_slot(r, p);
	s = find(r, p, 0, 0);
	return s ? s : 1 + below(r, KF_SLOTS - 1);
}

/* The depth that names a slot through this CNode cap of the worker's stock. */
static uint64_t depth_for(struct kt_rand *r, uint64_t cn)
{
	uint64_t d = cn == S_CN0 ? KF_RADIX : cn == S_CN2 ? 2 : cn == S_CN4 ? 4 : 64;

	if (chance(r, 16))
		d = below(r, 4) ? d + below(r, 3) - 1 : below(r, 70);
	return d;
}

/* index in the CNode cap cn: its own slots for the small CNodes. */
static uint64_t index_in(struct kt_rand *r, const struct kf_page *p, uint64_t cn, int full)
{
	if (cn == S_CN2 || cn == S_CN4)
		return below(r, cn == S_CN2 ? 5 : 17);
	return full ? full_slot(r, p) : free_slot(r, p);
}

/* root, index, depth of a slot (through the stock CNode caps, mostly S_CN). */
static void triple(struct kt_rand *r, const struct kf_page *p, uint64_t *w, int full)
{
	static const uint64_t roots[] = { S_CN, S_CN, S_CN, S_CN, S_CN, S_CN0, S_CN0, S_CN4, S_CN2 };
	uint64_t cn = chance(r, 20) ? kf_pick(r, p, T(HL_OBJ_CNODE)) : roots[below(r, 9)];

	w[0] = cn;
	w[1] = index_in(r, p, cn, full);
	w[2] = depth_for(r, cn);
}

static const uint8_t retypable[] = {
	HL_OBJ_ENDPOINT, HL_OBJ_ENDPOINT, HL_OBJ_NOTIFICATION, HL_OBJ_NOTIFICATION, HL_OBJ_REPLY,
	HL_OBJ_REPLY, HL_OBJ_CNODE, HL_OBJ_CNODE, HL_OBJ_TCB, HL_OBJ_FRAME, HL_OBJ_FRAME, HL_OBJ_PT,
	HL_OBJ_PD, HL_OBJ_PDPT, HL_OBJ_VSPACE, HL_OBJ_UNTYPED, HL_OBJ_UNTYPED, HL_OBJ_FRAME_2M,
	HL_OBJ_TIMER,
};

static uint64_t bits_for(struct kt_rand *r, uint64_t type)
{
	if (chance(r, 20))
		return below(r, 2) ? below(r, 70) : kt_rand_next(r);
	if (type == HL_OBJ_UNTYPED)
		return 4 + below(r, 13);
	if (type == HL_OBJ_CNODE)
		return 1 + below(r, 6);
	return below(r, 4) ? 0 : below(r, 30);
}

/* A victim program: kf_victim making one system call for ever, on a cap
 * of the kind that call wants; sometimes a garbage start instead. */
void kf_victim_regs(struct kt_rand *r, const struct kf_page *p, struct hl_regs *g)
{
	static const uint8_t calls[] = {
		HL_SYS_RECV, HL_SYS_RECV, HL_SYS_REPLY_RECV, HL_SYS_REPLY_RECV, HL_SYS_CALL,
		HL_SYS_CALL, HL_SYS_SEND, HL_SYS_NBRECV, HL_SYS_WAIT, HL_SYS_SIGNAL, HL_SYS_YIELD,
	};
	uint64_t nr = calls[below(r, sizeof(calls))];
	uint32_t mask = nr == HL_SYS_WAIT || nr == HL_SYS_SIGNAL ? T(HL_OBJ_NOTIFICATION)
								 : T(HL_OBJ_ENDPOINT);

	memset(g, 0, sizeof(*g));
	g->rip = (uint64_t)kf_victim;
	g->rsp = (uint64_t)kf_vstack[below(r, KF_VSTACKS)] + KF_VSTACK_SIZE - 8;
	g->rflags = 0x202;
	g->rdi = nr;
	g->rsi = kf_pick(r, p, mask);
	g->rdx = kf_pick(r, p, T(HL_OBJ_REPLY));
	switch (below(r, 16)) {
	case 0: g->rip = kf_word(r); break;			/* it faults */
	case 1: g->rsp = kf_word(r); break;
	case 2: g->fs_base = kt_rand_next(r); break;		/* E_RANGE unless small */
	case 3: g->rip = (uint64_t)kf_worker + below(r, 64); break;	/* mid-instruction */
	}
}

/* Bytes of a console write: dots, so nothing it prints looks like TAP. */
static unsigned text(struct kt_rand *r, uint64_t *w)
{
	uint64_t n = below(r, 24);
	unsigned words = (unsigned)((n + 7) / 8);

	w[0] = chance(r, 10) ? n + 8 + below(r, 600) : n;	/* sometimes more than sent */
	for (unsigned i = 0; i < words; i++)
		w[1 + i] = 0x2e2e2e2e2e2e2e2eull;
	return 1 + words;
}

static uint64_t vaddr(struct kt_rand *r, unsigned align_bits)
{
	uint64_t base = below(r, 4) ? KF_MAP_BASE : KF_MAP_FAR;
	/* Mostly the first 16 pages, where the debug calls look too. */
	uint64_t pages = below(r, 2) ? 16 : 1024;
	uint64_t va = align_bits == 21 ? base + (below(r, 4) << 21) : base + (below(r, pages) << 12);

	switch (below(r, 24)) {
	case 0: return va + 8 * (1 + below(r, 511));		/* unaligned */
	case 1: return (1ull << 47) + (below(r, 16) << 12);	/* not user */
	case 2: return va + (1ull << 21) * below(r, 512);	/* elsewhere in the 1 GiB */
	}
	return va;
}

static uint64_t dbg_vaddr(struct kt_rand *r, const struct kf_page *p, int write)
{
	if (p->nmapped && below(r, 2))	/* where a frame of its was mapped lately */
		return p->mapped[below(r, p->nmapped < 8 ? p->nmapped : 8)] + 8 * below(r, 520);
	switch (below(r, write ? 8 : 12)) {
	case 0: return (uint64_t)kf_vstack[below(r, KF_VSTACKS)] + 8 * below(r, 120);
	case 1: return (1ull << 47) - 8 * below(r, 4);		/* runs past user space */
	case 2: return kf_word(r);
	case 8: case 9: return (uint64_t)kf_worker + below(r, 256);	/* code */
	case 10: return (uint64_t)kf_victim + below(r, 64);
	case 11: return rt_tls()->thread ? (uint64_t)rt_tls() + 8 * below(r, 512) : 0;	/* a stack */
	}
	return KF_MAP_BASE + (below(r, 16) << 12) + 8 * below(r, 520);
}

/* Draws argument kind k (with parameter par) into w; returns the words used. */
static unsigned draw_arg(struct kt_rand *r, const struct kf_page *p, struct kf_call *c,
			 unsigned kind, unsigned par, uint64_t *w, uint64_t *type)
{
	switch (kind) {
	case K_WORD: w[0] = kf_word(r); return 1;
	case K_CAP: w[0] = kf_pick(r, p, par ? T(par) : 0); return 1;
	case K_CAP0: w[0] = chance(r, 4) ? 0 : kf_pick(r, p, T(par)); return 1;
	case K_DST: triple(r, p, w, 0); return 3;
	case K_SRC: triple(r, p, w, 1); return 3;
	case K_IDX: case K_IDXFULL:
		w[0] = index_in(r, p, c->cptr, kind == K_IDXFULL);
		w[1] = depth_for(r, c->cptr);
		return 2;
	case K_TYPE:
		*type = chance(r, 12) ? below(r, HL_OBJ_COUNT + 3) : retypable[below(r, sizeof(retypable))];
		w[0] = *type;
		return 1;
	case K_BITS: w[0] = bits_for(r, *type); return 1;
	case K_COUNT: w[0] = below(r, 16) ? 1 + (below(r, 3) ? 0 : below(r, 4)) : below(r, 2) * 257; return 1;
	case K_RIGHTS: w[0] = below(r, 3) ? HL_R_ALL : below(r, HL_R_ALL + 1); return 1;
	case K_BADGE: w[0] = below(r, 3) ? 0 : below(r, 2) ? 1 + below(r, 8) : KF_GUARD + below(r, 10) - 4; return 1;
	case K_GUARD: w[0] = below(r, 3) ? KF_GUARD : below(r, 2) ? 60 + below(r, 3) : below(r, 70); return 1;
	case K_VADDR: {
		unsigned bits = par;
		if (!bits)	/* a frame: its own size */
			bits = p->ty[c->cptr < KF_SLOTS ? c->cptr : 0] == HL_OBJ_FRAME_2M ? 21 : 12;
		w[0] = vaddr(r, bits);
		return 1;
	}
	case K_MAPRIGHTS: {
		static const uint8_t m[] = { HL_R_READ, HL_R_READ, HL_R_READ, HL_R_READ | HL_R_WRITE,
					     HL_R_READ | HL_R_WRITE, HL_R_WRITE, 0, HL_R_ALL };
		w[0] = m[below(r, sizeof(m))];
		return 1;
	}
	case K_ATTRS: w[0] = below(r, 2) ? 0 : chance(r, 8) ? below(r, 16) : below(r, 2) ? HL_MAP_EXEC : below(r, 4); return 1;
	case K_PRIO:
		switch (below(r, 8)) {
		case 0: w[0] = 0; break;
		case 1: w[0] = KF_PRIO + 1 + below(r, 205); break;	/* above any MCP here */
		case 2: case 3: w[0] = below(r, KF_PRIO); break;
		default: w[0] = KF_PRIO;
		}
		return 1;
	case K_SLICE: w[0] = below(r, 8) ? 1 + below(r, 5) : below(r, 2) * 1001; return 1;
	case K_BOOL: w[0] = below(r, 2); return 1;
	case K_ZERO: w[0] = 0; return 1;
	case K_REGS: {
		struct hl_regs g;
		kf_victim_regs(r, p, &g);
		w[0] = below(r, 5) != 0;
		memcpy(&w[1], &g, sizeof(g));
		return 1 + HL_REGS_WORDS;
	}
	case K_IPCVA:
		w[0] = KF_MAP_BASE + (below(r, 3) ? 0 : below(r, 4) ? 8 * below(r, 437) : below(r, 4096));
		return 1;
	case K_TLS: w[0] = below(r, 6) ? 0x1000 * below(r, 1024) : kf_word(r); return 1;
	case K_DBGVA: w[0] = dbg_vaddr(r, p, par); return 1;
	case K_DBGLEN: w[0] = below(r, 12) ? below(r, 64) : below(r, 2) ? HL_DEBUG_MAX_BYTES + below(r, 2) : 0; return 1;
	case K_BYTES: {
		unsigned n = 8;
		for (unsigned i = 0; i < n; i++)
			w[i] = kt_rand_next(r);
		return n;
	}
	case K_BRKSLOT: w[0] = below(r, 10) ? below(r, 4) : 4 + below(r, 10); return 1;
	case K_BRKKIND: { static const uint8_t k[] = { 0, 1, 3, 0, 1, 3, 2 }; w[0] = k[below(r, 7)]; return 1; }
	case K_BRKLEN: { static const uint8_t l[] = { 1, 2, 4, 8, 1, 8, 3, 0 }; w[0] = l[below(r, 8)]; return 1; }
	case K_IRQ: w[0] = below(r, 10) ? 3 + below(r, 13) : below(r, 20); return 1;
	case K_PORTS:
		w[0] = KF_PORT_LO + below(r, 16);
		w[1] = w[0] + below(r, 4);
		switch (below(r, 10)) {
		case 0: w[1] = w[0] - 1 - below(r, 4); break;		/* first > last */
		case 1: w[0] = 0x20 + below(r, 2); w[1] = w[0] + below(r, 4); break;	/* the 8259 */
		case 2: w[1] = 0x10000 + below(r, 100); break;
		}
		return 2;
	case K_PORT: w[0] = KF_PORT_LO + below(r, 18) - 1 - (par > 1 ? below(r, par) : 0); return 1;
	case K_FRAMES: {
		unsigned n = below(r, 8) ? 1 + (unsigned)below(r, 4) : (unsigned)below(r, 2) * 64;
		w[0] = n;
		for (unsigned i = 0; i < n && i < 8; i++)
			w[1 + i] = kf_pick(r, p, T(HL_OBJ_FRAME));
		return 1 + (n < 8 ? n : 8);
	}
	case K_PROBE: w[0] = below(r, 10) ? below(r, HL_PROBE_COUNT) : HL_PROBE_COUNT + below(r, 4); return 1;
	case K_GROUP: w[0] = below(r, 10) ? below(r, HL_TRACE_GROUP_COUNT) : HL_TRACE_GROUP_COUNT + below(r, 4); return 1;
	case K_UPROBE: w[0] = below(r, 10) ? below(r, 64) : HL_TRACE_USER_PROBES + below(r, 4); return 1;
	case K_TEXT: return text(r, w);
	case K_NEWVS: {
		uint64_t s = below(r, 2) ? made(r, p, T(HL_OBJ_VSPACE)) : 0;
		w[0] = s ? s : below(r, 3) ? S_VS_NEW : kf_pick(r, p, T(HL_OBJ_VSPACE));
		return 1;
	}
	case K_USEC:
		if (par && below(r, 2))
			w[0] = 0;	/* once */
		else
			w[0] = below(r, 16) ? below(r, 4) * 1000 * below(r, 30) : (1ull << 40) + below(r, 2);
		return 1;
	case K_OWNVS: w[0] = below(r, 2) ? S_VS : kf_pick(r, p, T(HL_OBJ_VSPACE)); return 1;
	}
	return 0;
}

/* An ISSUE that would succeed only ever gets ports of KF_PORT_LO..HI: a
 * worker must never hold the debug-exit port, the PIT or the console. */
static void safe_ports(struct kt_rand *r, struct kf_call *c)
{
	uint64_t first = c->w[0], last = c->w[1];
	int accepted = first <= last && last <= 0xFFFF &&
		       !((first <= 0x21 && last >= 0x20) || (first <= 0xA1 && last >= 0xA0));

	if (accepted && (first < KF_PORT_LO || last > KF_PORT_HI)) {
		/* Mostly the ports no child was given (those are held: E_BUSY). */
		c->w[0] = below(r, 4) ? KF_PORT_LO + 4 * KF_CHILDREN + below(r, 4) : KF_PORT_LO + below(r, 8);
		c->w[1] = c->w[0] + below(r, KF_PORT_HI + 1 - c->w[0]);
	}
}

/* A plain IPC message: label, length, caps to send and slots to receive into. */
static void message(struct kt_rand *r, const struct kf_page *p, struct hl_ipc_buffer *b,
		    struct kf_call *c)
{
	unsigned len = below(r, 10) ? (unsigned)below(r, 7) : chance(r, 4) ? 65 + (unsigned)below(r, 60)
									   : (unsigned)below(r, 65);
	unsigned caps = below(r, 5) ? 0 : 1 + (unsigned)below(r, 3);

	c->info = hl_msginfo(below(r, 4) ? below(r, 8) : kt_rand_next(r) >> 12, caps, len);
	for (unsigned i = 0; i < HL_MSG_MAX; i++)
		c->w[i] = kf_word(r);
	c->n = len;
	for (unsigned i = 0; i < HL_MSG_MAX_CAPS; i++) {
		b->send_caps[i] = kf_pick(r, p, 0);
		b->recv_slots[i] = free_slot(r, p);
	}
}

void kf_draw(struct kt_rand *r, struct kf_page *p, const struct kf_row *rw,
	     struct hl_ipc_buffer *b, struct kf_call *c)
{
	uint64_t type = 0;
	unsigned n = 0;

	memset(c, 0, sizeof(*c));
	c->cptr = rw->targets ? kf_pick(r, p, rw->targets) : kf_word(r);
	if (rw->targets == T(HL_OBJ_CNODE) && below(r, 3))
		c->cptr = below(r, 4) ? S_CN : S_CN0;	/* mostly its own CNode */
	c->reply = kf_pick(r, p, T(HL_OBJ_REPLY));
	if (rw->nr == HL_SYS_RECV || rw->nr == HL_SYS_NBRECV || rw->nr == HL_SYS_REPLY_RECV)
		c->reply = chance(r, 6) ? 0 : c->reply;
	if (rw->nr == HL_SYS_COUNT)
		c->cptr = kf_pick(r, p, 0);
	if (rw->flags & KF_MSG) {
		message(r, p, b, c);
		return;
	}
	for (unsigned i = 0; i < KF_MAX_ARGS && rw->arg[i] && n < HL_MSG_MAX; i++)
		n += draw_arg(r, p, c, rw->arg[i] & 0xFF, rw->arg[i] >> 8, &c->w[n], &type);
	if (!(rw->flags & KF_TAME))
		for (unsigned i = 0; i < n; i++)
			if (chance(r, KF_WILD))
				c->w[i] = kf_word(r);
	if (rw->label == HL_IOPORT_CONTROL_ISSUE)
		safe_ports(r, c);
	c->n = n;
	switch (below(r, 32)) {
	case 0: case 1: if (n) n = (unsigned)below(r, n); break;	/* short */
	case 2: n = 65 + (unsigned)below(r, 63); break;			/* too long */
	case 3: n = (unsigned)below(r, 65); break;
	}
	if (rw->flags & KF_TAME)
		n = c->n;
	c->info = hl_msginfo(rw->label ? rw->label : (kt_rand_next(r) & 0xFF) | 0x1000, 0, n);
}
