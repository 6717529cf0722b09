/*
 * serve.c: init's one loop. Everything init is asked arrives on init_ep,
 * told apart by badge: the device manager's devhost requests, the fault
 * and exit messages of every child, the proc requests of whoever holds
 * a proc cap and the mem requests of whoever holds a mem cap. A proc wait may be answered later: its Reply object is kept
 * (procsvc.c) and the loop receives with a fresh one.
 */
#include <mercury/printf.h>
#include <mercury/runtime.h>

#include "devhost_server.h"
#include "init.h"
#include "ipc_rt.h"
#include "mem_server.h"
#include "proc_server.h"

#define SPARE_REPLIES 8

static hl_cptr_t spare[SPARE_REPLIES];
static unsigned nspare;

hl_cptr_t serve_take_reply(hl_cptr_t *current)
{
	hl_cptr_t kept = *current;

	if (!nspare)
		return 0;
	*current = spare[--nspare];
	return kept;
}

void serve_give_reply(hl_cptr_t r)
{
	spare[nspare++] = r;
}

static void make_spares(void)
{
	int64_t st;

	while (nspare < SPARE_REPLIES && (spare[nspare] = obj_alloc_keep(HL_OBJ_REPLY, 0, &st)))
		nspare++;
}

void init_serve(hl_cptr_t ep, hl_cptr_t reply, int exit_when_idle, uint64_t ram_before)
{
	hl_cptr_t recv_slot = slot_alloc();

	make_spares();
	devhost_init();
	for (;;) {
		struct hl_msg m = { 0, { 0, 0, 0, 0 } };
		struct hl_result r;
		uint64_t badge;
		int reply_now = 1;

		hl_ipc_buffer()->recv_slots[0] = recv_slot;
		r = hl_recv(ep, reply, &m);
		badge = r.value;
		if (r.status != E_OK)
			continue;
		if (hl_msg_label(m.info) == HL_NOTIFY_LABEL) {
			devhost_timer();	/* the restart timer (our bound notification) */
			ipc_reply_status(&m, E_INVAL);	/* a call posing as one gets an answer */
		} else if (badge >= INIT_BADGE_PROC(0) && badge < INIT_BADGE_PROC(INIT_MAX_PROCS)) {
			struct child *c = &children[badge - INIT_BADGE_PROC(0)];

			if (c->live)
				child_reap(c, &m);
			m.info = hl_msginfo(0, 0, 0);
		} else if (badge >= INIT_BADGE_CLIENT(0) && badge < INIT_BADGE_CLIENT(INIT_MAX_PROCS)) {
			reply_now = procsvc_handle((int)(badge - INIT_BADGE_CLIENT(0)), &m, &reply, &recv_slot);
		} else if (badge >= INIT_BADGE_MEM(0) && badge < INIT_BADGE_MEM(INIT_MAX_PROCS)) {
			memsvc_handle((int)(badge - INIT_BADGE_MEM(0)), &m);
		} else {
			devhost_dispatch(&devhost_handlers, NULL, badge, &m);
		}
		if (recv_slot)	/* a cap the handler did not take (it takes a slot by replacing it) */
			hl_cnode_delete(HL_CAP_CNODE, recv_slot, MERC_DEPTH);
		if (reply_now)
			hl_reply(reply, &m);	/* to a gone caller: nothing happens */
		if (exit_when_idle && devhost_devmgr_done() && init_nlive == 0 && !devhost_restarts_pending())
			init_finish(ram_before);
	}
}
