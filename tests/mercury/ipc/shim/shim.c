/*
 * shim.c: a fake transport for generated IPC code on the host. One client
 * and one server "thread" share the process: hl_call copies the message
 * (registers, IPC-buffer words, caps) into the server's view, runs the
 * bound server function with the server's IPC buffer current, then copies
 * the reply back, as Helios does between two address spaces. Caps are
 * cptr values moved into a fake CSpace: a slot records which sender cptr
 * it received, and a transfer stops at the first occupied slot (as in
 * docs/abi.md §3).
 */
#include <string.h>
#include <mercury/hl.h>

#define SHIM_SLOTS 4096

struct hl_ipc_buffer shim_client_buf, shim_server_buf;
static struct hl_ipc_buffer *current = &shim_client_buf;
static uint64_t cspace[SHIM_SLOTS];
int shim_grant = 1;
uint64_t shim_last_info, shim_last_words[HL_MSG_MAX];

static struct {
	hl_cptr_t ep;
	shim_server_fn fn;
	void *arg;
	uint64_t badge;
	hl_cptr_t slots[HL_MSG_MAX_CAPS];
} binds[8];
static unsigned nbinds;

struct hl_ipc_buffer *hl_ipc_buffer(void)
{
	return current;
}

void shim_bind(hl_cptr_t ep, shim_server_fn fn, void *arg, uint64_t badge,
	       const hl_cptr_t recv_slots[HL_MSG_MAX_CAPS])
{
	binds[nbinds].ep = ep;
	binds[nbinds].fn = fn;
	binds[nbinds].arg = arg;
	binds[nbinds].badge = badge;
	memcpy(binds[nbinds].slots, recv_slots, sizeof binds[nbinds].slots);
	nbinds++;
}

uint64_t shim_slot(hl_cptr_t slot)
{
	return slot < SHIM_SLOTS ? cspace[slot] : 0;
}

void shim_slot_clear(hl_cptr_t slot)
{
	if (slot < SHIM_SLOTS)
		cspace[slot] = 0;
}

/* Moves up to n caps from one buffer's send_caps to the other's recv_slots;
 * returns how many moved. */
static unsigned move_caps(const struct hl_ipc_buffer *from, struct hl_ipc_buffer *to, unsigned n)
{
	unsigned i;

	if (!shim_grant)
		return 0;
	for (i = 0; i < n; i++) {
		hl_cptr_t dst = to->recv_slots[i];

		if (!from->send_caps[i] || dst == 0 || dst >= SHIM_SLOTS || cspace[dst])
			break;
		cspace[dst] = from->send_caps[i];
	}
	to->recv_ncaps = i;
	return i;
}

/* Copies a message: info (caps field = what moved), registers, buffer words. */
static void deliver(struct hl_msg *dst, struct hl_ipc_buffer *dbuf, const struct hl_msg *src,
		    const struct hl_ipc_buffer *sbuf)
{
	unsigned len = hl_msg_length(src->info);
	unsigned caps = hl_msg_caps(src->info) ? move_caps(sbuf, dbuf, hl_msg_caps(src->info)) : 0;

	memcpy(dst->mr, src->mr, sizeof dst->mr);
	for (unsigned i = HL_MSG_REG_WORDS; i < len; i++)
		dbuf->mr[i] = sbuf->mr[i];
	dst->info = hl_msginfo(hl_msg_label(src->info), caps, len);
}

struct hl_result hl_call(hl_cptr_t ep, struct hl_msg *m)
{
	struct hl_msg sm;
	unsigned b;

	for (b = 0; b < nbinds && binds[b].ep != ep; b++)
		;
	if (b == nbinds)
		return (struct hl_result){ E_NOCAP, 0 };
	if (hl_msg_length(m->info) > HL_MSG_MAX)
		return (struct hl_result){ E_INVAL, 0 };
	memcpy(shim_server_buf.recv_slots, binds[b].slots, sizeof binds[b].slots);
	deliver(&sm, &shim_server_buf, m, &shim_client_buf);
	shim_last_info = sm.info;
	for (unsigned i = 0; i < HL_MSG_MAX; i++)
		shim_last_words[i] = i < HL_MSG_REG_WORDS ? sm.mr[i] : shim_server_buf.mr[i];
	current = &shim_server_buf;
	binds[b].fn(binds[b].arg, binds[b].badge, &sm);
	current = &shim_client_buf;
	if (hl_msg_length(sm.info) > HL_MSG_MAX)	/* the kernel refuses the reply */
		return (struct hl_result){ E_DEAD, 0 };
	deliver(m, &shim_client_buf, &sm, &shim_server_buf);
	return (struct hl_result){ E_OK, 0 };
}
