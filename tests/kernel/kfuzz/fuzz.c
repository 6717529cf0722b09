/*
 * fuzz.c: the fuzz thread. Each round picks a system call number (now and
 * then an invalid one), a cptr (mostly a slot of its own 64-slot CNode,
 * sometimes a wild number), a message info (for calls, mostly a real
 * invocation label) and argument words drawn from a pool of interesting
 * values (slot numbers, depths, object types, sizes, page-aligned addresses
 * in its mapping area, ports, small numbers, random bits); words past the
 * fourth and the cap-transfer fields go to the IPC buffer. It runs in its
 * own address space with only the caps the root gave it, so whatever it
 * breaks is its own; the kernel must refuse what is wrong and never fall.
 */
#include "kf.h"
#include "kt_rand.h"

static const uint64_t kf_labels[] = {
	HL_UNTYPED_RETYPE, HL_UNTYPED_INFO,
	HL_CNODE_COPY, HL_CNODE_MINT, HL_CNODE_MOVE, HL_CNODE_MUTATE, HL_CNODE_DELETE,
	HL_CNODE_REVOKE, HL_CNODE_IDENTIFY,
	HL_TCB_CONFIGURE, HL_TCB_SET_PRIORITY, HL_TCB_SET_MCP, HL_TCB_READ_REGISTERS,
	HL_TCB_WRITE_REGISTERS, HL_TCB_RESUME, HL_TCB_SUSPEND, HL_TCB_SET_TLS_BASE,
	HL_TCB_BIND_NOTIFICATION, HL_TCB_UNBIND_NOTIFICATION, HL_TCB_SET_TIMESLICE, HL_TCB_INFO,
	HL_PAGE_TABLE_MAP, HL_PAGE_TABLE_UNMAP, HL_FRAME_MAP, HL_FRAME_UNMAP, HL_FRAME_PADDR,
	HL_IRQ_CONTROL_GET, HL_IRQ_HANDLER_SET_NOTIFICATION, HL_IRQ_HANDLER_ACK,
	HL_IOPORT_CONTROL_ISSUE, HL_IOPORT_IN8, HL_IOPORT_IN16, HL_IOPORT_IN32,
	HL_IOPORT_OUT8, HL_IOPORT_OUT16, HL_IOPORT_OUT32,
	HL_CONSOLE_DEBUG, HL_CONSOLE_CHECK,
};
#define KF_NLABELS (sizeof(kf_labels) / sizeof(kf_labels[0]))

/* An argument word: usually something the kernel will look at closely. */
static uint64_t kf_word(struct kt_rand *r)
{
	switch (kt_rand_below(r, 12)) {
	case 0: return kt_rand_below(r, KF_SLOTS);		/* a slot */
	case 1: return kt_rand_below(r, KF_SLOTS);
	case 2: return kt_rand_below(r, 2) ? 64 : KF_RADIX;	/* a depth */
	case 3: return kt_rand_below(r, HL_OBJ_COUNT + 2);	/* an object type */
	case 4: return kt_rand_below(r, 24);			/* size bits, priorities, counts */
	case 5: return KF_MAP_BASE + (kt_rand_below(r, 1024) << 12);	/* a page in its area */
	case 6: return KF_MAP_BASE + (kt_rand_below(r, 4) << 21);	/* a 2 MiB boundary */
	case 7: return 0x80 + kt_rand_below(r, 4) - 1;		/* around its I/O port */
	case 8: return kt_rand_below(r, 4) ? kt_rand_below(r, 256) : 1000 + kt_rand_below(r, 2);
	case 9: return HL_R_ALL & kt_rand_next(r);		/* rights */
	case 10: return 0;
	default: return kt_rand_next(r);			/* anything */
	}
}

static uint64_t kf_cptr(struct kt_rand *r)
{
	uint64_t k = kt_rand_below(r, 16);

	if (k < 14)
		return kt_rand_below(r, KF_SLOTS);
	return k == 14 ? kt_rand_next(r) : kt_rand_below(r, 4096);
}

/* One random call, drawn into *m and the IPC buffer; returns its number. */
struct kf_call {
	uint64_t nr, cptr, reply;
};

static struct kf_call kf_draw(struct kt_rand *r, struct hl_ipc_buffer *b, struct hl_msg *mp)
{
	uint64_t nr = kt_rand_below(r, 20) ? kt_rand_below(r, HL_SYS_COUNT) : kt_rand_next(r) % 64;
	uint64_t label = kt_rand_below(r, 8) ? kf_labels[kt_rand_below(r, KF_NLABELS)] : kt_rand_below(r, 200);
	unsigned len = kt_rand_below(r, 10) ? (unsigned)kt_rand_below(r, 12) : (unsigned)kt_rand_below(r, 128);
	struct hl_msg m;
	struct kf_call c;

	if (label == HL_CONSOLE_DEBUG)
		label = HL_CONSOLE_CHECK;	/* the refusal log would flood the console */
	m.info = hl_msginfo(label, kt_rand_below(r, 8) ? 0 : (unsigned)kt_rand_below(r, 4), len);
	if (kt_rand_below(r, 50) == 0)
		m.info = kt_rand_next(r);
	for (unsigned i = 0; i < 4; i++)
		m.mr[i] = kf_word(r);
	for (unsigned i = 4; i < 24; i++)
		b->mr[i] = kf_word(r);
	for (unsigned i = 0; i < HL_MSG_MAX_CAPS; i++) {
		b->send_caps[i] = kf_cptr(r);
		b->recv_slots[i] = kf_cptr(r);
	}
	c.nr = nr;
	c.cptr = kf_cptr(r);
	c.reply = kf_cptr(r);
	*mp = m;
	return c;
}

void kf_fuzz(uint64_t arg)
{
	struct rt_tls *tls = rt_tls();
	struct hl_ipc_buffer *b = tls->ipc;
	uint64_t target = tls->user[KF_TARGET];
	struct kt_rand r;

	(void)arg;
	/* The state lives in rt_tls, so that a restart by the root (after we
	 * exited or faulted through some random call) carries on the sequence. */
	r.s = tls->user[KF_STATE];
	for (uint64_t i = tls->user[KF_DONE]; target == 0 || i < target; i++) {
		struct hl_msg m;
		struct kf_call c = kf_draw(&r, b, &m);
		uint64_t st;

		/* Counted before it is made: a call that stops us is not retried. */
		tls->user[KF_STATE] = r.s;
		tls->user[KF_DONE] = i + 1;
		st = (uint64_t)hl_sys(c.nr, c.cptr, c.reply, &m).status;
		kf_hist(tls)[st < E_COUNT ? st : E_COUNT]++;
	}
	__asm__ volatile("ud2");	/* tells the root, through our fault endpoint */
}
