/*
 * server.c: the server half of the in-OS ipctest round trip, a process the
 * root task (ipcinos.c) spawns. It serves tests/mercury/ipc/ipctest.ipc on
 * the endpoint named "ep" with the generated dispatch in an
 * hl_recv/hl_reply_recv loop.
 *
 * spawn() cannot hand over a Reply cap, and a spawned process has no CNode
 * cap to make or free slots, so the parent places a Reply object in our
 * CSpace after spawning us and sends (a plain send: we have no Reply yet)
 * where it is and which of our slots are empty. Caps that arrive stay in
 * their slots (the parent inspects them there, and proc_destroy frees
 * them): after each request that brought caps, the receive slots move on.
 *
 * Every request is logged as "method:status" (the method resolved through
 * the names table, "?" when it is not one of ipctest; '+' when a handler
 * ran), and longest("?log") returns the log and clears it: that is how the
 * client sees what crossed, and that a refused call sent nothing.
 *
 * argv[1] "warmup": exit 0 at once (the parent's first spawn).
 */
#include <mercury/printf.h>
#include <mercury/runtime.h>
#include <mercury/spawn.h>
#include <mercury/string.h>

#include "ipctest_server.h"
#include "ipcinos.h"

static hl_cptr_t own_ep;
static hl_cptr_t slot_next, slot_last;	/* receive slots not used yet */
static char log_text[IPCTEST_LONGEST_R_MAX + 1];
static bool handler_ran, log_query;

/* The method a label names in ipctest, or NULL (the names table, not the
 * generated constants: this is what a tracer would do). */
static const struct ipc_method_desc *method_of(uint64_t label)
{
	const struct ipc_iface_desc *d = &ipctest_iface_desc;

	if (IPC_LABEL_IFACE(label) != d->id || IPC_LABEL_METHOD(label) >= d->nmethods)
		return NULL;
	return &d->methods[IPC_LABEL_METHOD(label)];
}

static void log_request(uint64_t label, int status)
{
	const struct ipc_method_desc *m = method_of(label);
	size_t n = strlen(log_text);

	snprintf(log_text + n, sizeof(log_text) - n, "%s%s:%d%s", n ? " " : "", m ? m->name : "?",
		 status, handler_ran ? "+" : "");
}

/* --- handlers ------------------------------------------------------------- */

static enum hl_error on_scalars(void *ctx, uint64_t badge, uint8_t a, uint16_t b, uint32_t c,
				uint64_t d, int8_t e, int16_t f, int32_t g, int64_t h, bool t,
				uint8_t *a2, uint16_t *b2, uint32_t *c2, uint64_t *d2, int8_t *e2,
				int16_t *f2, int32_t *g2, int64_t *h2, bool *t2)
{
	(void)ctx, (void)badge;
	handler_ran = true;
	*a2 = (uint8_t)(a + 1), *b2 = (uint16_t)(b + 1), *c2 = c + 1, *d2 = d + 1;
	/* Negated in unsigned arithmetic: the minimum negates to itself, as
	 * the client expects, without signed overflow. */
	*e2 = (int8_t)(0u - (uint8_t)e), *f2 = (int16_t)(0u - (uint16_t)f);
	*g2 = (int32_t)(0u - (uint32_t)g), *h2 = (int64_t)(0ull - (uint64_t)h);
	*t2 = !t;
	return E_OK;
}

static enum hl_error on_echo(void *ctx, uint64_t badge, const char *s, char *r)
{
	size_t n = strlen(s);

	(void)ctx, (void)badge;
	handler_ran = true;
	for (size_t i = 0; i < n; i++)
		r[i] = s[n - 1 - i];
	r[n] = 0;
	return E_OK;
}

static enum hl_error on_bounded(void *ctx, uint64_t badge, const char *s, uint64_t *n)
{
	(void)ctx, (void)badge;
	handler_ran = true;
	*n = strlen(s);
	return E_OK;
}

static enum hl_error on_longest(void *ctx, uint64_t badge, const char *s, char *r)
{
	(void)ctx, (void)badge;
	if (!strcmp(s, "?log")) {	/* the client reads the log; not logged itself */
		log_query = true;
		strcpy(r, log_text);
		log_text[0] = 0;
		return E_OK;
	}
	handler_ran = true;
	if (!strcmp(s, "overflow")) {	/* a buggy handler: no NUL within the bound */
		memset(r, 'x', IPCTEST_LONGEST_R_MAX + 1);
		return E_OK;
	}
	strcpy(r, s);
	return E_OK;
}

static enum hl_error on_arrays(void *ctx, uint64_t badge, const uint8_t *v8, size_t v8_len,
			       const int16_t *v16, size_t v16_len, const uint32_t *v32,
			       size_t v32_len, const int64_t *v64, size_t v64_len, const bool *vb,
			       size_t vb_len, int64_t *sum, uint32_t *w32, size_t *w32_len,
			       bool *wb, size_t *wb_len)
{
	(void)ctx, (void)badge;
	handler_ran = true;
	*sum = 0;
	for (size_t i = 0; i < v8_len; i++)
		*sum += v8[i];
	for (size_t i = 0; i < v16_len; i++)
		*sum += v16[i];
	for (size_t i = 0; i < v32_len; i++)
		*sum += v32[i], w32[i] = v32[i] * 2;
	for (size_t i = 0; i < v64_len; i++)
		*sum += v64[i];
	for (size_t i = 0; i < vb_len; i++)
		*sum += vb[i], wb[i] = !vb[i];
	*w32_len = v32_len;
	*wb_len = v32_len == 5 && v32[0] == 99 ? IPCTEST_ARRAYS_WB_MAX + 1 : vb_len;	/* 99: break the bound */
	return E_OK;
}

/* a, b, c are notifications: signal each, send them back rotated. */
static enum hl_error on_caps(void *ctx, uint64_t badge, hl_cptr_t a, hl_cptr_t b, hl_cptr_t c,
			     hl_cptr_t *x, hl_cptr_t *y, hl_cptr_t *z)
{
	(void)ctx, (void)badge;
	handler_ran = true;
	if (hl_signal(a).status != E_OK || hl_signal(b).status != E_OK || hl_signal(c).status != E_OK)
		return E_PERM;
	*x = b, *y = c, *z = a;
	return E_OK;
}

/* ep is a notification: signal it; hand out our own endpoint. */
static enum hl_error on_mixed(void *ctx, uint64_t badge, uint32_t tag, const char *name,
			      hl_cptr_t ep, const uint16_t *ids, size_t ids_len, bool *ok,
			      hl_cptr_t *ep2)
{
	(void)ctx, (void)badge;
	handler_ran = true;
	*ok = tag == 7 && !strcmp(name, "mix") && ids_len == 4 && ids[0] == 1 && ids[3] == 0xFFFF &&
	      hl_signal(ep).status == E_OK;
	*ep2 = own_ep;
	return E_OK;
}

/* code 0: E_OK, and never is the caller's badge (whose cap it called). */
static enum hl_error on_fail(void *ctx, uint64_t badge, uint32_t code, uint64_t *never)
{
	(void)ctx;
	handler_ran = true;
	*never = code ? 1 : badge;
	return (enum hl_error)code;
}

static enum hl_error on_nothing(void *ctx, uint64_t badge)
{
	(void)ctx, (void)badge;
	handler_ran = true;
	return E_OK;
}

static const struct ipctest_handlers handlers = {
	on_scalars, on_echo, on_bounded, on_longest, on_arrays, on_caps, on_mixed, on_fail, on_nothing,
};

/* --- the loop --------------------------------------------------------------- */

/* Names the next three unused slots (0 past the last: no cap lands). */
static void name_slots(void)
{
	struct hl_ipc_buffer *b = hl_ipc_buffer();

	for (unsigned i = 0; i < HL_MSG_MAX_CAPS; i++)
		b->recv_slots[i] = slot_next + i <= slot_last ? slot_next + i : 0;
}

static void serve(hl_cptr_t ep, hl_cptr_t reply)
{
	struct hl_msg m;
	struct hl_result r;

	name_slots();
	r = hl_recv(ep, reply, &m);
	while (r.status == E_OK) {
		uint64_t label = hl_msg_label(m.info);
		unsigned caps = hl_msg_caps(m.info);	/* dispatch overwrites m */
		int status;

		handler_ran = log_query = false;
		status = ipctest_dispatch(&handlers, NULL, r.value, &m);
		if (!log_query)
			log_request(label, status);
		if (caps) {	/* they stay where they landed, even if the request was refused */
			slot_next += caps;
			name_slots();
		}
		r = hl_reply_recv(ep, reply, &m);
	}
	printf("ipcinos-server: receive failed: error %d\n", (int)r.status);
}

int main(int argc, char **argv, char **envp)
{
	struct hl_msg m = { 0 };
	struct hl_result r;
	hl_cptr_t reply;

	(void)envp;
	if (argc > 1 && !strcmp(argv[1], "warmup"))
		return 0;
	/* The parent's setup message needs no Reply: it is a send, not a call. */
	own_ep = proc_cap("ep");
	r = hl_recv(own_ep, 0, &m);
	if (r.status != E_OK || r.value != 0 || hl_msg_label(m.info) != SRV_SETUP_LABEL) {
		printf("ipcinos-server: no setup message (status %d, badge %lu)\n", (int)r.status,
		       (unsigned long)r.value);
		return 2;
	}
	reply = m.mr[0];
	slot_next = m.mr[1];
	slot_last = m.mr[2];
	serve(own_ep, reply);
	return 3;
}
