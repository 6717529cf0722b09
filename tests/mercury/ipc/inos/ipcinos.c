/*
 * ipcinos.c: the in-OS round trip of a generated interface, a root task
 * printing TAP (run by tests/qemu/ipc.t).
 *
 * We spawn ipcinos-server (server.c), which serves ipctest
 * (tests/mercury/ipc/ipctest.ipc) with the generated dispatch in its own
 * address space and CSpace, and act as its client through the generated
 * stubs over a real endpoint (cases.c: every type at its edges, strings,
 * arrays, caps both ways and without the grant right, handler errors,
 * unknown and malformed requests, the names table). Here: setting the
 * server up (its Reply object and slots, which spawn() cannot hand over),
 * looking into its CSpace, and the end: the server never faulted, every
 * Untyped byte and slot is back, and the kernel's invariants hold.
 *
 * TODO: place the server's Reply object and find its free slots through
 * spawn() once it can move a Reply cap into a child and name the child's
 * empty slots; at this commit it cannot, so setup() does both by hand
 * through the child's CNode cap (struct proc).
 */
#include <mercury/printf.h>
#include <mercury/runtime.h>
#include <mercury/string.h>

#include "ipctest_client.h"
#include "ipcinos.h"

#define SRV_MEM_BITS	20	/* the server's Untyped: 1 MiB */
#define SRV_FAULT_BADGE	0x5f

struct srv srv;
static hl_cptr_t fault_ep, fault_reply;

/* HL_CNODE_IDENTIFY: type of the cap (0 when empty or unresolved), badge, bits. */
static unsigned identify(hl_cptr_t cn, uint64_t idx, uint64_t depth, uint64_t *badge, uint64_t *bits)
{
	uint64_t a[2] = { idx, depth }, out[2] = { 0, 0 };
	struct hl_result r = hl_invoke_out(cn, HL_CNODE_IDENTIFY, 2, a, out, 2);

	if (badge)
		*badge = out[0];
	if (bits)
		*bits = out[1];
	return r.status == E_OK ? (unsigned)(r.value & 0xFF) : HL_OBJ_NULL;
}

/* A server cptr is also our path to its slot from p.cnode (spawn.c: the
 * thread's guard and the radices of its two CNodes add up to 64). */
unsigned srv_slot(uint64_t cptr, uint64_t *badge)
{
	return identify(srv.p.cnode, cptr, srv.depth, badge, NULL);
}

unsigned srv_arrived(uint64_t *b)
{
	unsigned n = 0;

	while (n < HL_MSG_MAX_CAPS && srv.next + n <= srv.last && srv_slot(srv.next + n, &b[n]))
		n++;
	srv.next += n;
	return n;
}

const char *srv_log(void)
{
	static char log[IPCTEST_LONGEST_R_MAX + 1];

	if (ipctest_longest(srv.client, "?log", log) != E_OK)
		log[0] = 0;
	return log;
}

/* Spawns the server (argv[1] mode) at one priority below ours, so it runs
 * only once we block. */
static int start(const char *mode, hl_cptr_t mem, const struct spawn_cap *caps, unsigned ncaps)
{
	const char *const argv[] = { "ipcinos-server", mode, NULL };
	struct hl_tcb_info self;
	const char *why = "image missing";
	struct spawn_opts o = {
		.name = "ipcinos-server", .argv = argv, .caps = caps, .ncaps = ncaps,
		.memory = mem, .fault_ep = fault_ep, .fault_badge = SRV_FAULT_BADGE,
	};
	int err;

	hl_tcb_info(HL_CAP_TCB, &self);
	o.priority = (unsigned)self.priority - 1;
	err = t_image("ipc/server", &o.image, &o.image_len) ? E_INVAL : spawn(&o, &srv.p, &why);
	if (err)
		printf("# spawn: error %d: %s\n", err, why);
	return err;
}

/* The first spawn maps spawn()'s scratch window, whose page tables stay:
 * done before the leak check's first count. The server exits 0 at once. */
static int warm_up(void)
{
	int64_t st;
	hl_cptr_t mem = obj_alloc(HL_OBJ_UNTYPED, SRV_MEM_BITS, &st);
	struct hl_msg m = { 0 };
	struct hl_result r;
	int ok;

	if (!mem || start("warmup", mem, NULL, 0) != E_OK)
		return 0;
	r = hl_recv(fault_ep, fault_reply, &m);
	ok = r.status == E_OK && r.value == SRV_FAULT_BADGE && hl_msg_label(m.info) == HL_FAULT_EXIT &&
	     m.mr[1] == 0;
	ok &= proc_destroy(&srv.p) == E_OK;
	obj_free(mem);
	return ok;
}

/* Makes our endpoint caps, spawns the server with its own, places a Reply
 * object in its CSpace and sends it the setup message. */
static int setup(hl_cptr_t mem)
{
	int64_t st;
	uint64_t radix, vbits, ncaps = 2;
	struct hl_msg m;
	struct spawn_cap caps[] = {
		{ "console", HL_CAP_CONSOLE, HL_R_ALL, 0 },
		{ "ep", 0, HL_R_READ | HL_R_WRITE | HL_R_GRANT, SRV_BADGE_OWN },	/* set below */
	};

	srv.ep = obj_alloc(HL_OBJ_ENDPOINT, 0, &st);
	srv.client = slot_alloc();
	srv.nogrant = slot_alloc();
	if (!srv.ep || !srv.client || !srv.nogrant ||
	    hl_cnode_mint(HL_CAP_CNODE, srv.client, MERC_DEPTH, HL_CAP_CNODE, srv.ep, MERC_DEPTH,
			  HL_R_WRITE | HL_R_GRANT, CLIENT_BADGE).status != E_OK ||
	    hl_cnode_mint(HL_CAP_CNODE, srv.nogrant, MERC_DEPTH, HL_CAP_CNODE, srv.ep, MERC_DEPTH,
			  HL_R_WRITE, NOGRANT_BADGE).status != E_OK)
		return 0;
	caps[1].cap = srv.ep;
	if (start("serve", mem, caps, ncaps) != E_OK)
		return 0;
	/* The server's CSpace: P (p.cnode), whose slot 1 is V, whose slots
	 * 1..ncaps hold the named caps. Its cptr of V slot i is our path. */
	if (identify(HL_CAP_CNODE, srv.p.cnode, MERC_DEPTH, NULL, &radix) != HL_OBJ_CNODE ||
	    identify(srv.p.cnode, 1, radix, NULL, &vbits) != HL_OBJ_CNODE)
		return 0;
	srv.depth = radix + vbits;
	srv.next = (1ull << vbits) | (ncaps + 2);
	srv.last = (1ull << vbits) | ((1ull << vbits) - 1);
	srv.reply = srv.next - 1;
	if (hl_untyped_retype(mem, HL_OBJ_REPLY, 0, srv.p.cnode, srv.reply, srv.depth, 1).status != E_OK)
		return 0;
	m.info = hl_msginfo(SRV_SETUP_LABEL, 0, 3);
	m.mr[0] = srv.reply, m.mr[1] = srv.next, m.mr[2] = srv.last;
	return hl_send(srv.ep, &m).status == E_OK;
}

/* After the server is destroyed: everything we made is gone. */
static void teardown(hl_cptr_t mem, uint64_t free0, uint64_t slots0)
{
	struct hl_msg m = { 0 };
	struct hl_result r = hl_nbrecv(fault_ep, fault_reply, &m);

	t_ok(r.status == E_AGAIN, "the server never faulted or exited (status %d, label %lu)",
	     (int)r.status, (unsigned long)hl_msg_label(m.info));
	t_ok(proc_destroy(&srv.p) == E_OK, "proc_destroy the server");
	t_ok(hl_untyped_info(mem, NULL).value == 1ull << SRV_MEM_BITS,
	     "every byte of the server's Untyped back (its Reply object too)");
	obj_free(mem);
	slot_free(srv.client);
	slot_free(srv.nogrant);
	obj_free(srv.ep);
	t_ok(obj_untyped_free() == free0, "no Untyped byte lost (%lu free before, %lu after)",
	     (unsigned long)free0, (unsigned long)obj_untyped_free());
	t_ok(slot_count_empty() == slots0, "no slot lost (%lu empty before, %lu after)",
	     (unsigned long)slots0, (unsigned long)slot_count_empty());
	r = hl_console_check(HL_CAP_CONSOLE);
	t_ok(r.status == E_OK && r.value == 0, "kernel invariants hold (HL_CONSOLE_CHECK: %lu problems)",
	     (unsigned long)r.value);
}

int main(int argc, char **argv, char **envp)
{
	uint64_t free0, slots0;
	hl_cptr_t mem;
	int64_t st;
	int ok;

	(void)argc, (void)argv, (void)envp;
	fault_ep = obj_alloc_keep(HL_OBJ_ENDPOINT, 0, &st);
	fault_reply = obj_alloc_keep(HL_OBJ_REPLY, 0, &st);
	if (!fault_ep || !fault_reply || !warm_up()) {
		printf("Bail out! no fault endpoint, or the warm-up spawn failed\n");
		return 1;
	}
	free0 = obj_untyped_free();
	slots0 = slot_count_empty();
	mem = obj_alloc(HL_OBJ_UNTYPED, SRV_MEM_BITS, &st);
	ok = mem && setup(mem);
	if (!t_ok(ok, "server spawned, given a Reply object and %lu empty slots",
		  (unsigned long)(srv.last - srv.next + 1))) {
		printf("Bail out! no server\n");
		return 1;
	}
	cases_scalars();
	cases_strings();
	cases_arrays();
	cases_caps();
	cases_errors();
	cases_raw();
	cases_names();
	cases_reply_nogrant();	/* last: the server's replies lose the grant right for good */
	teardown(mem, free0, slots0);
	return t_done("ipcinos");
}
