/*
 * loopback.c: generated client stubs talking to generated server dispatch
 * through the fake transport of shim/ (hl_call hands the message to the
 * server in-process, moving caps through a fake CSpace). Covers every type
 * of ipctest.ipc both ways, bounds (max length passes, one more is
 * refused), caps, handler errors, malformed requests and replies, unknown
 * labels, the word layout on the wire, bus.ipc and devmgr.ipc end to end,
 * and the names tables.
 */
#include <stdint.h>
#include <string.h>
#include "tap.h"
#include "ipc_rt.h"
#include "ipctest_server.h"
#include "bus_server.h"
#include "devmgr_server.h"

enum { EP_TEST = 100, EP_NOHANDLERS = 101, EP_RAW = 102, EP_BUS = 103, EP_DEVMGR = 104 };
static unsigned calls;		/* handler invocations */
static uint64_t seen_badge;

/* --- ipctest handlers ------------------------------------------------- */

static enum hl_error t_scalars(void *ctx, uint64_t badge, uint8_t a, uint16_t b, uint32_t c,
			       uint64_t d, int8_t e, int16_t f, int32_t g, int64_t h, bool t,
			       uint8_t *a2, uint16_t *b2, uint32_t *c2, uint64_t *d2, int8_t *e2,
			       int16_t *f2, int32_t *g2, int64_t *h2, bool *t2)
{
	(void)ctx;
	calls++;
	seen_badge = badge;
	*a2 = (uint8_t)(a + 1), *b2 = (uint16_t)(b + 1), *c2 = c + 1, *d2 = d + 1;
	*e2 = (int8_t)-e, *f2 = (int16_t)-f, *g2 = -g, *h2 = -h, *t2 = !t;
	return E_OK;
}

static enum hl_error t_echo(void *ctx, uint64_t badge, const char *s, char *r)
{
	size_t n = strlen(s);

	(void)ctx, (void)badge;
	calls++;
	for (size_t i = 0; i < n; i++)
		r[i] = s[n - 1 - i];
	r[n] = 0;
	return E_OK;
}

static enum hl_error t_bounded(void *ctx, uint64_t badge, const char *s, uint64_t *n)
{
	(void)ctx, (void)badge;
	calls++;
	*n = strlen(s);
	return E_OK;
}

static enum hl_error t_longest(void *ctx, uint64_t badge, const char *s, char *r)
{
	(void)ctx, (void)badge;
	calls++;
	if (!strcmp(s, "overflow")) {	/* a buggy handler: no NUL in bounds */
		memset(r, 'x', IPCTEST_LONGEST_R_MAX + 1);
		return E_OK;
	}
	strcpy(r, s);
	return E_OK;
}

static enum hl_error t_arrays(void *ctx, uint64_t badge, const uint8_t *v8, size_t v8_len,
			      const int16_t *v16, size_t v16_len, const uint32_t *v32,
			      size_t v32_len, const int64_t *v64, size_t v64_len, const bool *vb,
			      size_t vb_len, int64_t *sum, uint32_t *w32, size_t *w32_len,
			      bool *wb, size_t *wb_len)
{
	(void)ctx, (void)badge;
	calls++;
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
	*wb_len = v32_len == 5 && v32[0] == 99 ? 11 : vb_len;	/* 99: break the bound */
	return E_OK;
}

static hl_cptr_t got_caps[3];

static enum hl_error t_caps(void *ctx, uint64_t badge, hl_cptr_t a, hl_cptr_t b, hl_cptr_t c,
			    hl_cptr_t *x, hl_cptr_t *y, hl_cptr_t *z)
{
	(void)ctx, (void)badge;
	calls++;
	got_caps[0] = a, got_caps[1] = b, got_caps[2] = c;
	*x = 501, *y = 502, *z = 503;	/* the server's own cptrs */
	return E_OK;
}

static enum hl_error t_mixed(void *ctx, uint64_t badge, uint32_t tag, const char *name,
			     hl_cptr_t ep, const uint16_t *ids, size_t ids_len, bool *okp,
			     hl_cptr_t *ep2)
{
	(void)ctx, (void)badge;
	calls++;
	*okp = tag == 7 && !strcmp(name, "mix") && shim_slot(ep) == 42 && ids_len == 4 &&
	       ids[3] == 0xFFFF;
	*ep2 = 600;
	return E_OK;
}

static enum hl_error t_fail(void *ctx, uint64_t badge, uint32_t code, uint64_t *never)
{
	(void)ctx, (void)badge;
	calls++;
	*never = 1;
	return (enum hl_error)code;
}

static enum hl_error t_nothing(void *ctx, uint64_t badge)
{
	(void)badge;
	calls++;
	return ctx == &calls ? E_OK : E_INVAL;
}

static const struct ipctest_handlers test_handlers = {
	t_scalars, t_echo, t_bounded, t_longest, t_arrays, t_caps, t_mixed, t_fail, t_nothing,
};
static const struct ipctest_handlers no_handlers;

static void serve_test(void *arg, uint64_t badge, struct hl_msg *m)
{
	ipctest_dispatch(arg, &calls, badge, m);
}

/* A server that answers with whatever raw_reply holds. */
static struct hl_msg raw_reply;
static uint64_t raw_words[HL_MSG_MAX];
static void serve_raw(void *arg, uint64_t badge, struct hl_msg *m)
{
	(void)arg, (void)badge;
	*m = raw_reply;
	for (unsigned i = HL_MSG_REG_WORDS; i < HL_MSG_MAX; i++)
		shim_server_buf.mr[i] = raw_words[i];
}

/* Sends a hand-made request to ipctest; returns the reply's label. */
static uint64_t raw_call(uint64_t label, unsigned ncaps, unsigned n, const uint64_t *w)
{
	struct hl_msg m = { hl_msginfo(label, ncaps, n), { 0, 0, 0, 0 } };

	for (unsigned i = 0; i < n && i < HL_MSG_MAX; i++) {
		if (i < HL_MSG_REG_WORDS)
			m.mr[i] = w[i];
		else
			shim_client_buf.mr[i] = w[i];
	}
	if (hl_call(EP_TEST, &m).status != E_OK)
		return 9999;
	return hl_msg_label(m.info);
}

/* --- tests --------------------------------------------------------------- */

static void test_scalars(void)
{
	uint8_t a; uint16_t b; uint32_t c; uint64_t d;
	int8_t e; int16_t f; int32_t g; int64_t h; bool t;

	is_int(ipctest_scalars(EP_TEST, 0xFE, 0xFFFE, 0xFFFFFFFE, UINT64_MAX - 1, -127, -32767,
			       -2147483647, -INT64_MAX, true, &a, &b, &c, &d, &e, &f, &g, &h, &t),
	       E_OK, "scalars: round trip at the edges");
	ok(a == 0xFF && b == 0xFFFF && c == 0xFFFFFFFF && d == UINT64_MAX, "scalars: unsigned maxima back");
	ok(e == 127 && f == 32767 && g == 2147483647 && h == INT64_MAX && !t, "scalars: signed and bool back");
	is_int(seen_badge, 77, "scalars: the handler sees the caller's badge");
	is_int(hl_msg_length(shim_last_info), 9, "scalars: one word each");
	is_int(shim_last_words[4], (uint64_t)-127, "scalars: i8 travels sign-extended");
}

static void test_strings(void)
{
	char r[IPCTEST_LONGEST_R_MAX + 1], big[IPCTEST_LONGEST_S_MAX + 2];
	uint64_t n = 0;
	unsigned before;

	is_int(ipctest_echo(EP_TEST, "hello", r), E_OK, "echo: ok");
	is_str(r, "olleh", "echo: string both ways");
	ok(hl_msg_length(shim_last_info) == 2 && shim_last_words[0] == 5 &&
	   shim_last_words[1] == 0x6f6c6c6568ull, "echo: layout is a length word, then bytes lowest first");
	is_int(ipctest_echo(EP_TEST, "", r), E_OK, "echo: empty string");
	is_str(r, "", "echo: empty string back");
	memset(big, 'a', 64);
	big[64] = 0;
	big[0] = 'z';
	is_int(ipctest_echo(EP_TEST, big, r), E_OK, "echo: default bound (64) passes");
	ok(strlen(r) == 64 && r[63] == 'z', "echo: 64 bytes back");
	big[64] = 'a', big[65] = 0;
	before = calls;
	is_int(ipctest_echo(EP_TEST, big, r), E_RANGE, "echo: 65 bytes refused by the stub");
	is_int(calls, before, "echo: nothing sent for an overlong string");
	is_int(ipctest_echo(EP_TEST, NULL, r), E_INVAL, "echo: NULL string refused");
	is_int(ipctest_bounded(EP_TEST, "12345678", &n), E_OK, "bounded: 8 of 8 bytes");
	is_int(n, 8, "bounded: length seen by the server");
	is_int(ipctest_bounded(EP_TEST, "123456789", &n), E_RANGE, "bounded: 9 of 8 refused");
	memset(big, 'q', IPCTEST_LONGEST_S_MAX);
	big[IPCTEST_LONGEST_S_MAX] = 0;
	is_int(ipctest_longest(EP_TEST, big, r), E_OK, "longest: 400 bytes (51 words) each way");
	ok(!strcmp(r, big), "longest: the same 400 bytes back");
	is_int(hl_msg_length(shim_last_info), 51, "longest: 51 words on the wire");
	is_int(ipctest_longest(EP_TEST, "overflow", r), E_OK, "longest: a handler overrunning its string is cut at the bound");
	is_int(strlen(r), IPCTEST_LONGEST_R_MAX, "longest: cut to 400");
}

static void test_arrays(void)
{
	uint8_t v8[20];
	int16_t v16[9] = { -32768, 32767, -1, 0, 1, 2, 3, 4, 5 };
	uint32_t v32[5] = { 1, 2, 3, 4, 0x7FFFFFFF }, w32[5] = { 0 };
	int64_t v64[3] = { INT64_MIN / 2, 5, -5 }, sum = 0;
	bool vb[10] = { 1, 0, 1, 1, 0, 0, 0, 0, 0, 1 }, wb[10];
	size_t n32 = 0, nb = 0;
	int64_t want = 0;

	for (int i = 0; i < 20; i++)
		v8[i] = (uint8_t)(250 + i), want += (uint8_t)(250 + i);
	want += -32768 + 32767 - 1 + 15 + 10 + 0x7FFFFFFFll + INT64_MIN / 2 + 4;
	is_int(ipctest_arrays(EP_TEST, v8, 20, v16, 9, v32, 5, v64, 3, vb, 10, &sum, w32, &n32,
			      wb, &nb), E_OK, "arrays: every element type at its bound");
	is_int(sum, want, "arrays: the server saw every element");
	ok(n32 == 5 && w32[0] == 2 && w32[4] == 0xFFFFFFFE, "arrays: u32 array back");
	ok(nb == 10 && !wb[0] && wb[1] && !wb[9], "arrays: bool array back");
	is_int(hl_msg_length(shim_last_info), 1 + 3 + 1 + 3 + 1 + 3 + 1 + 3 + 1 + 2,
	       "arrays: packed 8, 4, 2, 1 per word");
	is_int(ipctest_arrays(EP_TEST, v8, 0, v16, 0, v32, 0, v64, 0, vb, 0, &sum, w32, &n32,
			      wb, &nb), E_OK, "arrays: empty arrays");
	ok(sum == 0 && n32 == 0 && nb == 0, "arrays: empty back");
	is_int(ipctest_arrays(EP_TEST, v8, 21, v16, 0, v32, 0, v64, 0, vb, 0, &sum, w32, &n32,
			      wb, &nb), E_RANGE, "arrays: one element past the bound refused");
	v32[0] = 99;
	is_int(ipctest_arrays(EP_TEST, v8, 0, v16, 0, v32, 5, v64, 0, vb, 0, &sum, w32, &n32,
			      wb, &nb), E_RANGE, "arrays: a handler's overlong out-array replies E_RANGE");
}

static void test_caps(void)
{
	bool okv = false;
	uint16_t ids[4] = { 1, 2, 3, 0xFFFF };

	is_int(ipctest_caps(EP_TEST, 11, 12, 13, 21, 22, 23), E_OK, "caps: three each way");
	ok(got_caps[0] == 301 && got_caps[1] == 302 && got_caps[2] == 303,
	   "caps: the handler gets its receive slots");
	ok(shim_slot(301) == 11 && shim_slot(302) == 12 && shim_slot(303) == 13,
	   "caps: the slots hold the client's caps");
	ok(shim_slot(21) == 501 && shim_slot(22) == 502 && shim_slot(23) == 503,
	   "caps: the client's slots hold the server's caps");
	is_int(ipctest_caps(EP_TEST, 11, 12, 13, 21, 22, 23), E_INVAL,
	       "caps: slots already full: the request's caps do not arrive: E_INVAL");
	for (hl_cptr_t s = 301; s <= 303; s++)
		shim_slot_clear(s);
	is_int(ipctest_caps(EP_TEST, 11, 12, 13, 21, 22, 23), E_INVAL,
	       "caps: the reply's caps cannot land in full slots: E_INVAL");
	for (hl_cptr_t s = 301; s <= 303; s++)
		shim_slot_clear(s);
	for (hl_cptr_t s = 21; s <= 23; s++)
		shim_slot_clear(s);
	shim_grant = 0;
	is_int(ipctest_caps(EP_TEST, 11, 12, 13, 21, 22, 23), E_INVAL,
	       "caps: without grant no caps move: E_INVAL");
	shim_grant = 1;
	is_int(ipctest_mixed(EP_TEST, 7, "mix", 42, ids, 4, &okv, 24), E_OK, "mixed: ok");
	ok(okv && shim_slot(24) == 600, "mixed: caps between words, both ways");
	for (hl_cptr_t s = 301; s <= 303; s++)
		shim_slot_clear(s);
}

static void test_errors(void)
{
	uint64_t never = 5;

	is_int(ipctest_fail(EP_TEST, E_PERM, &never), E_PERM, "fail: the handler's status reaches the caller");
	is_int(never, 5, "fail: out-parameters untouched on error");
	is_int(ipctest_fail(EP_TEST, 999, &never), E_INVAL, "fail: a status outside enum hl_error becomes E_INVAL");
	is_int(ipctest_nothing(EP_TEST), E_OK, "nothing: no words either way, context passed");
	is_int(ipctest_nothing(EP_NOHANDLERS), E_NOSYS, "a NULL handler replies E_NOSYS");
	is_int(ipctest_nothing(999), E_NOCAP, "hl_call's own error is returned");
}

static void test_malformed(void)
{
	uint64_t w[HL_MSG_MAX] = { 0 };
	unsigned before = calls;

	is_int(raw_call(IPC_LABEL(IPCTEST_IFACE_ID, 99), 0, 0, w), E_NOSYS, "unknown method: E_NOSYS");
	is_int(raw_call(IPC_LABEL(IPCTEST_IFACE_ID + 1, IPCTEST_NOTHING), 0, 0, w), E_NOSYS,
	       "unknown interface: E_NOSYS");
	is_int(raw_call(HL_NOTIFY_LABEL, 0, 0, w), E_NOSYS, "the notification label: E_NOSYS");
	is_int(raw_call(IPCTEST_NOTHING_LABEL, 0, 1, w), E_INVAL, "a trailing word: E_INVAL");
	w[0] = 3;
	is_int(raw_call(IPCTEST_ECHO_LABEL, 0, 1, w), E_INVAL, "string words missing: E_INVAL");
	w[0] = 65;
	is_int(raw_call(IPCTEST_ECHO_LABEL, 0, 10, w), E_INVAL, "string past its bound: E_INVAL");
	w[0] = 3, w[1] = 0x610062;	/* "b\0a" */
	is_int(raw_call(IPCTEST_ECHO_LABEL, 0, 2, w), E_INVAL, "NUL inside a string: E_INVAL");
	w[0] = 3, w[1] = 0x71636261;	/* "abc" + 'q' in the padding */
	is_int(raw_call(IPCTEST_ECHO_LABEL, 0, 2, w), E_INVAL, "string padding not zero: E_INVAL");
	for (int i = 0; i < 9; i++)
		w[i] = 0;
	w[0] = 0x100;
	is_int(raw_call(IPCTEST_SCALARS_LABEL, 0, 9, w), E_INVAL, "u8 word of 0x100: E_INVAL");
	w[0] = 0, w[4] = 0x80;
	is_int(raw_call(IPCTEST_SCALARS_LABEL, 0, 9, w), E_INVAL, "i8 word not sign-extended: E_INVAL");
	w[4] = 0, w[8] = 2;
	is_int(raw_call(IPCTEST_SCALARS_LABEL, 0, 9, w), E_INVAL, "bool word of 2: E_INVAL");
	w[8] = 0;
	is_int(raw_call(IPCTEST_SCALARS_LABEL, 0, 8, w), E_INVAL, "a word short: E_INVAL");
	w[0] = 0, w[1] = 0, w[2] = 0, w[3] = 0, w[4] = 0, w[5] = 0, w[6] = 1, w[7] = 0;
	w[8] = 2;
	is_int(raw_call(IPCTEST_ARRAYS_LABEL, 0, 11, w), E_INVAL, "bool array element of 2: E_INVAL");
	w[0] = 21;
	is_int(raw_call(IPCTEST_ARRAYS_LABEL, 0, 12, w), E_INVAL, "array count past its bound: E_INVAL");
	shim_client_buf.send_caps[0] = 11;
	is_int(raw_call(IPCTEST_CAPS_LABEL, 1, 0, w), E_INVAL, "one cap of three: E_INVAL");
	shim_slot_clear(301);
	is_int(raw_call(IPCTEST_NOTHING_LABEL, 1, 0, w), E_INVAL, "an unexpected cap: E_INVAL");
	shim_slot_clear(301);
	is_int(calls, before, "no handler ran for a malformed request");
	is_int(raw_call(IPCTEST_NOTHING_LABEL, 0, HL_MSG_MAX + 1, w), 9999, "65 words: refused by the transport");
}

static void test_bad_replies(void)
{
	char r[65];

	raw_reply.info = hl_msginfo(E_OK, 0, 3);
	raw_reply.mr[0] = 2, raw_reply.mr[1] = 0x6968, raw_reply.mr[2] = 0;
	is_int(ipctest_echo(EP_RAW, "x", r), E_INVAL, "reply with a trailing word: E_INVAL");
	raw_reply.info = hl_msginfo(E_OK, 0, 2);
	is_int(ipctest_echo(EP_RAW, "x", r), E_OK, "the same reply, well formed");
	is_str(r, "hi", "the raw reply decoded");
	raw_reply.info = hl_msginfo(E_OK, 0, 1);
	is_int(ipctest_echo(EP_RAW, "x", r), E_INVAL, "reply cut short: E_INVAL");
	raw_reply.info = hl_msginfo(1000, 0, 0);
	is_int(ipctest_nothing(EP_RAW), E_INVAL, "reply label outside enum hl_error: E_INVAL");
	raw_reply.info = hl_msginfo(E_BUSY, 0, 0);
	is_int(ipctest_nothing(EP_RAW), E_BUSY, "reply label is the status");
	raw_reply.info = hl_msginfo(E_OK, 0, 0);
	is_int(ipctest_caps(EP_RAW, 11, 12, 13, 21, 22, 23), E_INVAL, "reply without its caps: E_INVAL");
	for (hl_cptr_t s = 301; s <= 303; s++)
		shim_slot_clear(s);
}

/* --- bus and devmgr, end to end ---------------------------------------- */

static struct { char name[BUS_REGISTER_NAME_MAX + 1]; uint64_t obj; } bus_names[4];

static enum hl_error b_register(void *ctx, uint64_t badge, const char *name, hl_cptr_t ep)
{
	(void)ctx, (void)badge;
	for (int i = 0; i < 4; i++)
		if (!strcmp(bus_names[i].name, name))
			return E_EXIST;
	for (int i = 0; i < 4; i++)
		if (!bus_names[i].name[0]) {
			strcpy(bus_names[i].name, name);
			bus_names[i].obj = shim_slot(ep);
			shim_slot_clear(ep);	/* the bus keeps the object */
			return E_OK;
		}
	return E_NOMEM;
}

static enum hl_error b_lookup(void *ctx, uint64_t badge, const char *name, hl_cptr_t *ep)
{
	(void)ctx, (void)badge;
	for (int i = 0; i < 4; i++)
		if (!strcmp(bus_names[i].name, name)) {
			*ep = bus_names[i].obj;
			return E_OK;
		}
	return E_NOCAP;
}

static const struct bus_handlers bus_h = { .on_register = b_register, .on_lookup = b_lookup };

static void serve_bus(void *arg, uint64_t badge, struct hl_msg *m)
{
	bus_dispatch(arg, NULL, badge, m);
}

static enum hl_error d_list(void *ctx, uint64_t badge, uint32_t first, uint32_t *ids,
			    size_t *ids_len, bool *more)
{
	(void)ctx, (void)badge;
	for (uint32_t i = 0; i < 16; i++)
		ids[i] = first + i;
	*ids_len = 16;
	*more = first < 32;
	return E_OK;
}

static const struct devmgr_handlers dev_h = { .on_list_devices = d_list };

static void serve_devmgr(void *arg, uint64_t badge, struct hl_msg *m)
{
	devmgr_dispatch(arg, NULL, badge, m);
}

static void test_bus(void)
{
	uint32_t ids[DEVMGR_LIST_DEVICES_IDS_MAX];
	size_t n = 0;
	bool more = false;
	uint32_t count;

	is_int(bus_register(EP_BUS, "log", 7), E_OK, "bus: register");
	is_int(bus_register(EP_BUS, "log", 8), E_EXIST, "bus: register twice: E_EXIST");
	shim_slot_clear(300);
	is_int(bus_lookup(EP_BUS, "log", 30), E_OK, "bus: lookup");
	is_int(shim_slot(30), 7, "bus: lookup hands back the registered cap");
	is_int(bus_lookup(EP_BUS, "nope", 31), E_NOCAP, "bus: lookup of an unknown name");
	is_int(bus_wait(EP_BUS, "log", 10, 32), E_NOSYS, "bus: unimplemented wait: E_NOSYS");
	is_int(devmgr_list_devices(EP_DEVMGR, 16, ids, &n, &more), E_OK, "devmgr: list_devices");
	ok(n == 16 && ids[0] == 16 && ids[15] == 31 && more, "devmgr: a page of ids");
	is_int(devmgr_count(EP_DEVMGR, &count), E_NOSYS, "devmgr: count has no handler");
}

static void test_names(void)
{
	const struct ipc_iface_desc *d = NULL;
	unsigned i;
	const struct ipc_method_desc *m = ipc_names_lookup(BUS_LOOKUP_LABEL, &d);

	ok(m && d && !strcmp(d->name, "bus") && !strcmp(m->name, "lookup"), "names: bus.lookup by label");
	ok(m && m->nin == 1 && !strcmp(m->in[0].name, "name") && m->in[0].type == IPC_STRING &&
	   m->in[0].max == 64, "names: in-argument name, type and bound");
	ok(m && m->nout == 1 && !strcmp(m->out[0].name, "ep") && m->out[0].type == IPC_CAP,
	   "names: out-argument");
	ok(m && m->in_words == 9 && m->out_caps == 1, "names: word and cap counts");
	m = ipc_names_lookup(DEVMGR_DRIVER_STATUS_LABEL, &d);
	ok(m && !strcmp(d->name, "devmgr") && m->nout == 4 && !strcmp(m->out[3].name, "error") &&
	   m->out[3].type == IPC_I32, "names: devmgr.driver_status");
	ok(!ipc_names_lookup(IPC_LABEL(BUS_IFACE_ID, bus_iface_desc.nmethods), &d) && d == &bus_iface_desc,
	   "names: method past the end: NULL, interface found");
	ok(!ipc_names_lookup(IPCTEST_NOTHING_LABEL, &d) && !d, "names: test interfaces are not in the OS table");
	ok(!ipc_names_lookup(HL_NOTIFY_LABEL, NULL), "names: notification label");
	is_int(ipc_names_all_count, IPC_OS_IFACES, "names: every OS interface (mercury/ipc/*.ipc) in the table");
	for (i = 1; i < ipc_names_all_count && ipc_names_all[i - 1]->id < ipc_names_all[i]->id; i++)
		;
	ok(i == ipc_names_all_count, "names: sorted by id");
	is_int(BUS_IFACE_ID, 0x5fd56df9u, "names: bus id is FNV-1a 32 of \"bus\"");
	is_int(ipctest_iface_desc.id, 0xabdb3c6du, "names: ipctest id is FNV-1a 32 of \"ipctest\"");
	is_int(BUS_LOOKUP_LABEL, 0x5fd56df90001ull, "names: label = id << 16 | method");
	ok(ipctest_iface_desc.methods[0].in_words == 9 && ipctest_iface_desc.methods[5].in_caps == 3 &&
	   ipctest_iface_desc.methods[3].out_words == 51, "names: ipctest layout counts");
}

int main(void)
{
	hl_cptr_t slots[3] = { 301, 302, 303 }, bus_slots[3] = { 300, 0, 0 };

	shim_bind(EP_TEST, serve_test, (void *)&test_handlers, 77, slots);
	shim_bind(EP_NOHANDLERS, serve_test, (void *)&no_handlers, 0, slots);
	shim_bind(EP_RAW, serve_raw, NULL, 0, slots);
	shim_bind(EP_BUS, serve_bus, (void *)&bus_h, 0, bus_slots);
	shim_bind(EP_DEVMGR, serve_devmgr, (void *)&dev_h, 0, bus_slots);
	test_scalars();
	test_strings();
	test_arrays();
	test_caps();
	test_errors();
	test_malformed();
	test_bad_replies();
	test_bus();
	test_names();
	return done_testing();
}
