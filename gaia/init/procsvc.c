/*
 * procsvc.c: the process service (mercury/ipc/proc.ipc, docs/proc.md).
 *
 * A proc cap is init's endpoint minted with INIT_BADGE_CLIENT of the child
 * that holds it: the badge says who asks. A client sees only the processes
 * it started; they are children here like any other (child.c) with parent
 * set to the client. create takes a free child as a handle; grant stores
 * caps into it (init's slots, moved into the process at start); start spawns
 * it with exactly those caps, its memory counted against the client's
 * budget. When a process ends (child_ended), how it ended is kept until its
 * parent waits; a wait that comes first is answered then, from a Reply
 * object the loop set aside (serve.c). A client that ends takes every
 * process it started with it (killed), and its unstarted handles.
 */
#include <mercury/printf.h>
#include <mercury/runtime.h>
#include <mercury/string.h>

#include "init.h"
#include "ipc_rt.h"
#include "proc_server.h"

#define MEM_MIN_BITS 18		/* 256 KiB: a small program and its heap */
#define MEM_MAX_BITS 24		/* 16 MiB */

struct procsvc_call {
	int client;		/* index of the asking child */
	hl_cptr_t *reply, *recv_slot;
	int deferred;
};

static struct child *by_handle(int client, uint32_t handle, int state)
{
	struct child *c;

	if (handle >= INIT_MAX_PROCS)
		return NULL;
	c = &children[handle];
	return c->state == state && c->parent == client ? c : NULL;
}

static struct child *by_pid(int client, uint64_t pid)
{
	for (int i = 0; i < INIT_MAX_PROCS; i++)
		if (children[i].parent == client && children[i].pid == pid &&
		    (children[i].state == CHILD_RUNNING || children[i].state == CHILD_ENDED))
			return &children[i];
	return NULL;
}

static unsigned mem_bits(uint32_t kib)
{
	unsigned b = MEM_MIN_BITS;

	while (b < MEM_MAX_BITS && (1ull << b) < (uint64_t)kib * 1024)
		b++;
	return b;
}

static enum hl_error on_create(void *ctx, uint64_t badge, const char *file, const uint8_t *args,
			       size_t args_len, uint32_t memory_kib, uint32_t *handle)
{
	struct procsvc_call *call = ctx;
	struct child *c;
	size_t len;

	(void)badge;
	if (!initrd_file(file, &len))
		return E_NOCAP;		/* no such file */
	if ((uint64_t)memory_kib * 1024 > (1ull << MEM_MAX_BITS) || !args_len || args[args_len - 1])
		return E_RANGE;		/* too much memory, or argv not NUL-terminated words */
	if (!(c = child_new()))
		return E_BUSY;
	c->state = CHILD_MAKING;
	c->parent = call->client;
	strlcpy(c->file, file, sizeof(c->file));
	memcpy(c->args, args, args_len);
	c->args_len = args_len;
	c->mem_bits = mem_bits(memory_kib);
	*handle = (uint32_t)(c - children);
	return E_OK;
}

static enum hl_error on_grant(void *ctx, uint64_t badge, uint32_t handle, const char *name, hl_cptr_t cap)
{
	struct procsvc_call *call = ctx;
	struct child *c = by_handle(call->client, handle, CHILD_MAKING);

	(void)badge;
	if (!c)
		return E_NOCAP;
	if (!cap || hl_cnode_identify(HL_CAP_CNODE, cap, MERC_DEPTH, NULL).status != E_OK)
		return E_INVAL;		/* the message carried no cap (or the caller had no grant right) */
	if (!*name || c->ngranted == INIT_GRANT_MAX)
		return E_RANGE;
	for (unsigned i = 0; i < c->ngranted; i++)
		if (!strcmp(c->grant_name[i], name))
			return E_EXIST;
	if (memsvc_is_cap_of(cap, call->client)) {
		/* Its own mem cap: the new process gets one of its own (a mem
		 * cap says whose address space buffers go into). */
		if (!(cap = memsvc_cap(c, INIT_MEM_QUOTA)))
			return E_NOMEM;
	} else {
		child_keep(c, cap);
		*call->recv_slot = slot_alloc();	/* ours now: receive the next into a new slot */
	}
	strlcpy(c->grant_name[c->ngranted], name, sizeof(c->grant_name[0]));
	c->grant_slot[c->ngranted++] = cap;
	return E_OK;
}

/* Splits c's NUL-separated args into argv. */
static void split_args(struct child *c, const char **argv)
{
	unsigned n = 0;

	for (size_t i = 0; i < c->args_len && n < INIT_ARGS_MAX; i += strlen(c->args + i) + 1)
		argv[n++] = c->args + i;
	argv[n] = NULL;
}

static enum hl_error on_start(void *ctx, uint64_t badge, uint32_t handle, uint64_t *pid)
{
	struct procsvc_call *call = ctx;
	struct child *c = by_handle(call->client, handle, CHILD_MAKING);
	struct child *client = &children[call->client];
	struct spawn_cap caps[INIT_GRANT_MAX];
	const char *argv[INIT_ARGS_MAX + 1];
	int err;

	(void)badge;
	if (!c)
		return E_NOCAP;
	if (client->used + (1ull << c->mem_bits) > client->budget) {
		child_free(c);		/* the caps granted to it */
		child_forget(c);
		return E_NOMEM;		/* over the client's budget */
	}
	for (unsigned i = 0; i < c->ngranted; i++)
		caps[i] = (struct spawn_cap){ c->grant_name[i], c->grant_slot[i], SPAWN_MOVE, 0 };
	split_args(c, argv);
	err = child_spawn(c, c->file, argv[0], caps, c->ngranted, argv, NULL, c->mem_bits, NULL, 0, 0);
	if (err) {
		child_free(c);
		child_forget(c);
		return (enum hl_error)err;
	}
	c->live = 1;
	c->state = CHILD_RUNNING;
	init_nlive++;
	client->used += 1ull << c->mem_bits;
	*pid = c->pid = c->p.id;
	return E_OK;
}

/* Answers a wait kept in c (the Reply set aside) with how c ended. */
static void answer_wait(struct child *c)
{
	struct hl_msg m;
	struct ipc_cursor cur;

	ipc_write_begin(&cur, &m);
	ipc_put_word(&cur, c->how);
	ipc_put_word(&cur, (uint64_t)c->code);
	ipc_put_word(&cur, c->fault);
	ipc_put_word(&cur, c->addr);
	ipc_write_end(&cur, E_OK);
	hl_reply(c->waiter, &m);
	serve_give_reply(c->waiter);
	c->waiter = 0;
}

static enum hl_error on_wait(void *ctx, uint64_t badge, uint64_t pid, uint8_t *how, int64_t *code,
			     uint64_t *fault, uint64_t *addr)
{
	struct procsvc_call *call = ctx;
	struct child *c = by_pid(call->client, pid);

	(void)badge;
	if (!c)
		return E_NOCAP;
	if (c->state == CHILD_ENDED) {
		*how = c->how, *code = c->code, *fault = c->fault, *addr = c->addr;
		child_forget(c);
		return E_OK;
	}
	if (c->waiter)
		return E_BUSY;		/* one wait at a time */
	if (!(c->waiter = serve_take_reply(call->reply)))
		return E_BUSY;		/* no Reply object left to keep the call in */
	call->deferred = 1;
	return E_OK;
}

static enum hl_error on_kill(void *ctx, uint64_t badge, uint64_t pid)
{
	struct procsvc_call *call = ctx;
	struct child *c = by_pid(call->client, pid);

	(void)badge;
	if (!c)
		return E_NOCAP;
	if (c->state == CHILD_RUNNING)
		child_end(c, PROC_HOW_KILLED, 0, 0, 0);
	return E_OK;
}

static enum hl_error on_status(void *ctx, uint64_t badge, uint64_t pid, uint8_t *state, uint8_t *how,
			       int64_t *code, uint64_t *fault, uint64_t *addr)
{
	struct procsvc_call *call = ctx;
	struct child *c = by_pid(call->client, pid);

	(void)badge;
	if (!c)
		return E_NOCAP;
	*state = (uint8_t)c->state;
	*how = c->how, *code = c->code, *fault = c->fault, *addr = c->addr;
	return E_OK;
}

static const struct proc_handlers handlers = { on_create, on_grant, on_start, on_wait, on_kill, on_status };

int procsvc_handle(int client, struct hl_msg *m, hl_cptr_t *reply, hl_cptr_t *recv_slot)
{
	struct procsvc_call call = { client, reply, recv_slot, 0 };

	if (!children[client].live || !children[client].budget) {
		ipc_reply_status(m, E_PERM);	/* a stale cap of a process that is gone */
		return 1;
	}
	proc_dispatch(&handlers, &call, INIT_BADGE_CLIENT(client), m);
	return !call.deferred;
}

/* c has ended: its parent's wait hears of it; what it started is killed. */
void procsvc_ended(struct child *c)
{
	int me = (int)(c - children);

	for (int i = 0; i < INIT_MAX_PROCS; i++) {
		struct child *k = &children[i];
		if (k->parent != me)
			continue;
		if (k->state == CHILD_RUNNING)
			child_end(k, PROC_HOW_KILLED, 0, 0, 0);
		if (k->state == CHILD_MAKING)
			child_free(k);
		if (k->waiter)
			answer_wait(k);
		child_forget(k);	/* nobody is left to wait for it */
	}
	if (c->parent >= 0) {
		children[c->parent].used -= 1ull << c->mem_bits;
		if (c->waiter) {
			answer_wait(c);
			child_forget(c);
		}
	}
}
