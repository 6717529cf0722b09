/*
 * cases.c: the client half of the round trip: the generated ipctest stubs
 * calling the server process (server.c) over a real endpoint, and
 * hand-made requests for what the stubs never send. After each group the
 * server's request log (srv_log) shows what crossed: a call the stub
 * refused is not in it, and no handler ran ('+') for a malformed request.
 */
#include <mercury/printf.h>
#include <mercury/runtime.h>
#include <mercury/string.h>

#include "ipctest_client.h"
#include "ipcinos.h"

/* The server's log is what we expect; prints it when not. */
static int log_is(const char *want, const char *what)
{
	const char *got = srv_log();

	if (strcmp(got, want))
		printf("# server log: \"%s\"\n#     wanted: \"%s\"\n", got, want);
	return t_ok(!strcmp(got, want), "%s (server log: %s)", what, want[0] ? want : "empty");
}

/* A copy of notification note, with badge and the write right, in a new slot. */
static hl_cptr_t note_copy(hl_cptr_t note, uint64_t badge)
{
	hl_cptr_t s = slot_alloc();

	if (s && hl_cnode_mint(HL_CAP_CNODE, s, MERC_DEPTH, HL_CAP_CNODE, note, MERC_DEPTH, HL_R_WRITE,
			       badge).status != E_OK) {
		slot_free(s);
		return 0;
	}
	return s;
}

/* Type of the cap in one of our slots (0: empty) and its badge. */
static unsigned our_slot(hl_cptr_t s, uint64_t *badge)
{
	struct hl_result r = hl_cnode_identify(HL_CAP_CNODE, s, MERC_DEPTH, badge);

	return r.status == E_OK ? (unsigned)(r.value & 0xFF) : HL_OBJ_NULL;
}

/* --- scalars ------------------------------------------------------------------ */

void cases_scalars(void)
{
	uint8_t a; uint16_t b; uint32_t c; uint64_t d;
	int8_t e; int16_t f; int32_t g; int64_t h; bool t;

	srv_log();
	t_ok(ipctest_scalars(srv.client, 0xFE, 0xFFFE, 0xFFFFFFFE, UINT64_MAX - 1, -127, -32767,
			     -2147483647, -INT64_MAX, true, &a, &b, &c, &d, &e, &f, &g, &h, &t) == E_OK &&
	     a == 0xFF && b == 0xFFFF && c == 0xFFFFFFFF && d == UINT64_MAX && e == 127 &&
	     f == 32767 && g == INT32_MAX && h == INT64_MAX && !t,
	     "scalars: every type to its maximum and back (unsigned +1, signed negated, bool inverted)");
	t_ok(ipctest_scalars(srv.client, 0xFF, 0xFFFF, 0xFFFFFFFF, UINT64_MAX, INT8_MIN, INT16_MIN,
			     INT32_MIN, INT64_MIN, false, &a, &b, &c, &d, &e, &f, &g, &h, &t) == E_OK &&
	     a == 0 && b == 0 && c == 0 && d == 0 && e == INT8_MIN && f == INT16_MIN &&
	     g == INT32_MIN && h == INT64_MIN && t,
	     "scalars: unsigned maxima wrap to 0, signed minima cross sign-extended and back");
	t_ok(ipctest_scalars(srv.client, 0, 0, 0, 0, 0, 0, 0, 0, false, &a, &b, &c, &d, &e, &f, &g,
			     &h, &t) == E_OK && a == 1 && b == 1 && c == 1 && d == 1 && !e && !f &&
	     !g && !h && t, "scalars: zeros");
	log_is("scalars:0+ scalars:0+ scalars:0+", "scalars: three requests, each handled");
}

/* --- strings ------------------------------------------------------------------- */

static void strings_echo(void)
{
	char r[IPCTEST_ECHO_R_MAX + 1], big[IPCTEST_ECHO_S_MAX + 2];

	t_ok(ipctest_echo(srv.client, "hello", r) == E_OK && !strcmp(r, "olleh"),
	     "echo: a string each way (reversed)");
	t_ok(ipctest_echo(srv.client, "", r) == E_OK && !strcmp(r, ""), "echo: the empty string");
	t_ok(ipctest_echo(srv.client, "\x01\x7f\x80\xff", r) == E_OK && !strcmp(r, "\xff\x80\x7f\x01"),
	     "echo: bytes 0x01, 0x7f, 0x80, 0xff cross unchanged");
	memset(big, 'a', IPCTEST_ECHO_S_MAX);
	big[0] = 'z';
	big[IPCTEST_ECHO_S_MAX] = 0;
	t_ok(ipctest_echo(srv.client, big, r) == E_OK && strlen(r) == IPCTEST_ECHO_S_MAX &&
	     r[IPCTEST_ECHO_S_MAX - 1] == 'z', "echo: %d bytes, the default bound", IPCTEST_ECHO_S_MAX);
	big[IPCTEST_ECHO_S_MAX] = 'a', big[IPCTEST_ECHO_S_MAX + 1] = 0;
	t_ok(ipctest_echo(srv.client, big, r) == E_RANGE, "echo: %d bytes refused by the stub: E_RANGE",
	     IPCTEST_ECHO_S_MAX + 1);
	t_ok(ipctest_echo(srv.client, NULL, r) == E_INVAL, "echo: a NULL string refused: E_INVAL");
	log_is("echo:0+ echo:0+ echo:0+ echo:0+", "echo: the refused calls sent nothing");
}

static void strings_bounded(void)
{
	static char r[IPCTEST_LONGEST_R_MAX + 1], big[IPCTEST_LONGEST_S_MAX + 2];
	uint64_t n = 0;

	t_ok(ipctest_bounded(srv.client, "12345678", &n) == E_OK && n == 8, "bounded: 8 of 8 bytes");
	t_ok(ipctest_bounded(srv.client, "123456789", &n) == E_RANGE, "bounded: 9 of 8 refused: E_RANGE");
	for (int i = 0; i < IPCTEST_LONGEST_S_MAX; i++)
		big[i] = (char)('a' + i % 26);
	big[IPCTEST_LONGEST_S_MAX] = 0;
	t_ok(ipctest_longest(srv.client, big, r) == E_OK && !strcmp(r, big),
	     "longest: %d bytes each way (51 words, through both IPC buffers)", IPCTEST_LONGEST_S_MAX);
	big[IPCTEST_LONGEST_S_MAX] = 'x', big[IPCTEST_LONGEST_S_MAX + 1] = 0;
	t_ok(ipctest_longest(srv.client, big, r) == E_RANGE, "longest: %d bytes refused: E_RANGE",
	     IPCTEST_LONGEST_S_MAX + 1);
	t_ok(ipctest_longest(srv.client, "overflow", r) == E_OK && strlen(r) == IPCTEST_LONGEST_R_MAX,
	     "longest: a handler overrunning its out-string is cut at the bound by the server");
	log_is("bounded:0+ longest:0+ longest:0+", "bounded, longest: the refused calls sent nothing");
}

void cases_strings(void)
{
	srv_log();
	strings_echo();
	strings_bounded();
}

/* --- arrays ------------------------------------------------------------------------ */

void cases_arrays(void)
{
	uint8_t v8[IPCTEST_ARRAYS_V8_MAX + 1];
	int16_t v16[IPCTEST_ARRAYS_V16_MAX + 1] = { -32768, 32767, -1, 0, 1, 2, 3, 4, 5 };
	uint32_t v32[IPCTEST_ARRAYS_V32_MAX + 1] = { 1, 2, 3, 4, 0xFFFFFFFF }, w32[IPCTEST_ARRAYS_W32_MAX];
	int64_t v64[IPCTEST_ARRAYS_V64_MAX + 1] = { INT64_MIN / 2, INT64_MAX / 2, -5 }, sum = 0, want = 0;
	bool vb[IPCTEST_ARRAYS_VB_MAX + 1] = { 1, 0, 1, 1, 0, 0, 0, 0, 0, 1 }, wb[IPCTEST_ARRAYS_WB_MAX];
	size_t n32 = 0, nb = 0;
	const char *what[] = { "u8", "i16", "u32", "i64", "bool" };

	srv_log();
	for (int i = 0; i < IPCTEST_ARRAYS_V8_MAX; i++)
		v8[i] = (uint8_t)(236 + i), want += v8[i];
	for (int i = 0; i < IPCTEST_ARRAYS_V16_MAX; i++)
		want += v16[i];
	for (int i = 0; i < IPCTEST_ARRAYS_V32_MAX; i++)
		want += v32[i];
	want += v64[0] + v64[1] + v64[2] + 4;	/* and four true */
	t_ok(ipctest_arrays(srv.client, v8, 20, v16, 9, v32, 5, v64, 3, vb, 10, &sum, w32, &n32, wb,
			    &nb) == E_OK && sum == want, "arrays: every element type full, the server saw each element");
	t_ok(n32 == 5 && w32[0] == 2 && w32[4] == 0xFFFFFFFE && nb == 10 && !wb[0] && wb[1] && !wb[9],
	     "arrays: u32 and bool arrays back");
	t_ok(ipctest_arrays(srv.client, v8, 0, v16, 0, v32, 0, v64, 0, vb, 0, &sum, w32, &n32, wb,
			    &nb) == E_OK && sum == 0 && n32 == 0 && nb == 0, "arrays: all empty, both ways");
	for (int k = 0; k < 5; k++) {
		size_t len[5] = { 0, 0, 0, 0, 0 };
		size_t max[5] = { IPCTEST_ARRAYS_V8_MAX, IPCTEST_ARRAYS_V16_MAX, IPCTEST_ARRAYS_V32_MAX,
				  IPCTEST_ARRAYS_V64_MAX, IPCTEST_ARRAYS_VB_MAX };

		len[k] = max[k] + 1;
		t_ok(ipctest_arrays(srv.client, v8, len[0], v16, len[1], v32, len[2], v64, len[3], vb,
				    len[4], &sum, w32, &n32, wb, &nb) == E_RANGE,
		     "arrays: %zu %s elements (bound %zu) refused by the stub: E_RANGE", len[k], what[k], max[k]);
	}
	v32[0] = 99;
	t_ok(ipctest_arrays(srv.client, v8, 0, v16, 0, v32, 5, v64, 0, vb, 0, &sum, w32, &n32, wb,
			    &nb) == E_RANGE, "arrays: a handler's out-array over its bound is replied E_RANGE");
	log_is("arrays:0+ arrays:0+ arrays:8+", "arrays: the over-full calls sent nothing");
}

/* --- caps -------------------------------------------------------------------------- */

/* Three notification caps to the server, which signals them and sends
 * them back rotated; then replies whose caps cannot land. */
static void caps_three(hl_cptr_t note, const hl_cptr_t *n)
{
	hl_cptr_t x = slot_alloc(), y = slot_alloc(), z = slot_alloc();
	uint64_t b[3] = { 0, 0, 0 }, bx = 0, by = 0, bz = 0;
	struct hl_result r;
	bool landed;

	t_ok(ipctest_caps(srv.client, n[0], n[1], n[2], x, y, z) == E_OK, "caps: three each way");
	r = hl_poll(note);
	t_ok(r.status == E_OK && r.value == 7, "caps: the server signalled the three notifications it got (bits %lu)",
	     (unsigned long)r.value);
	t_ok(srv_arrived(b) == 3 && b[0] == 1 && b[1] == 2 && b[2] == 4,
	     "caps: they are in the server's receive slots, in order, badges 1, 2, 4");
	landed = our_slot(x, &bx) == HL_OBJ_NOTIFICATION && our_slot(y, &by) == HL_OBJ_NOTIFICATION &&
		 our_slot(z, &bz) == HL_OBJ_NOTIFICATION;
	t_ok(landed && bx == 2 && by == 4 && bz == 1,
	     "caps: three came back into our slots, rotated (badges %lu %lu %lu)",
	     (unsigned long)bx, (unsigned long)by, (unsigned long)bz);
	hl_signal(y);
	r = hl_poll(note);
	t_ok(r.status == E_OK && r.value == 4, "caps: a cap that came back works (signal through it)");
	slot_free(y);
	slot_free(z);
	y = slot_alloc(), z = slot_alloc();
	t_ok(ipctest_caps(srv.client, n[0], n[1], n[2], x, y, z) == E_INVAL &&
	     !our_slot(y, NULL) && !our_slot(z, NULL),
	     "caps: a reply whose first cap cannot land (our slot full): E_INVAL, none lands");
	hl_poll(note);
	t_ok(srv_arrived(b) == 3, "caps: the request's three still reached the server");
	slot_free(x);
	slot_free(y);
	slot_free(z);
}

/* The same call on an endpoint cap without the grant right. */
static void caps_nogrant(hl_cptr_t note, const hl_cptr_t *n)
{
	hl_cptr_t x = slot_alloc(), y = slot_alloc(), z = slot_alloc();
	uint64_t b[3];

	t_ok(ipctest_caps(srv.nogrant, n[0], n[1], n[2], x, y, z) == E_INVAL,
	     "caps: without the grant right the server gets no caps and refuses: E_INVAL");
	t_ok(srv_arrived(b) == 0 && hl_poll(note).status == E_AGAIN && !our_slot(x, NULL),
	     "caps: nothing in the server's slots, nothing signalled, nothing back");
	t_ok(ipctest_nothing(srv.nogrant) == E_OK, "caps: that endpoint cap still carries requests without caps");
	slot_free(x);
	slot_free(y);
	slot_free(z);
}

/* A cap between words; the server hands out its own endpoint, which we call. */
static void caps_mixed(hl_cptr_t note)
{
	uint16_t ids[4] = { 1, 2, 3, 0xFFFF };
	hl_cptr_t n8 = note_copy(note, 8), ep2 = slot_alloc();
	uint64_t b[3] = { 0, 0, 0 }, badge = 0, never = 0;
	bool okv = false;
	struct hl_result r;

	t_ok(ipctest_mixed(srv.client, 7, "mix", n8, ids, 4, &okv, ep2) == E_OK && okv,
	     "mixed: words, a string, a cap and an array in; the server checked them all");
	r = hl_poll(note);
	t_ok(r.status == E_OK && r.value == 8 && srv_arrived(b) == 1 && b[0] == 8,
	     "mixed: the cap between the words arrived and was signalled");
	okv = our_slot(ep2, &badge) == HL_OBJ_ENDPOINT;
	t_ok(okv && badge == SRV_BADGE_OWN,
	     "mixed: the server's endpoint cap came back (badge 0x%lx)", (unsigned long)badge);
	t_ok(ipctest_fail(ep2, 0, &never) == E_OK && never == SRV_BADGE_OWN,
	     "mixed: a call through the returned cap reaches the server with that cap's badge");
	t_ok(ipctest_fail(srv.client, 0, &never) == E_OK && never == CLIENT_BADGE,
	     "the server sees our own cap's badge (%d)", CLIENT_BADGE);
	slot_free(n8);
	slot_free(ep2);
}

void cases_caps(void)
{
	int64_t st;
	hl_cptr_t note = obj_alloc(HL_OBJ_NOTIFICATION, 0, &st);
	hl_cptr_t n[3] = { note_copy(note, 1), note_copy(note, 2), note_copy(note, 4) };

	srv_log();
	if (!t_ok(note && n[0] && n[1] && n[2], "caps: a notification and three badged copies"))
		return;
	caps_three(note, n);
	caps_nogrant(note, n);
	caps_mixed(note);
	log_is("caps:0+ caps:0+ caps:1 nothing:0+ mixed:0+ fail:0+ fail:0+",
	       "caps: each request's status; the one without caps reached no handler");
	for (int i = 0; i < 3; i++)
		slot_free(n[i]);
	obj_free(note);
}

/* --- errors -------------------------------------------------------------------------- */

void cases_errors(void)
{
	uint64_t never = 5;
	hl_cptr_t empty = slot_alloc();

	srv_log();
	t_ok(ipctest_fail(srv.client, E_PERM, &never) == E_PERM && never == 5,
	     "fail: the handler's E_PERM is the reply's status; out-parameters untouched");
	t_ok(ipctest_fail(srv.client, E_NOMEM, &never) == E_NOMEM, "fail: E_NOMEM too");
	t_ok(ipctest_fail(srv.client, 999, &never) == E_INVAL,
	     "fail: a handler status outside enum hl_error is replied E_INVAL");
	t_ok(ipctest_nothing(srv.client) == E_OK, "nothing: no words either way");
	t_ok(ipctest_nothing(empty) == E_NOCAP, "a call on an empty slot: hl_call's own E_NOCAP");
	log_is("fail:4+ fail:5+ fail:1+ nothing:0+", "errors: as the server replied them");
	slot_free(empty);
}

/* --- hand-made requests ------------------------------------------------------------ */

/* Sends label with n words (and ncaps caps from send_caps) on our client
 * cap; returns the reply's label (its status), or 1000 + hl_call's error. */
static uint64_t raw_call(uint64_t label, unsigned ncaps, unsigned n, const uint64_t *w)
{
	struct hl_msg m = { hl_msginfo(label, ncaps, n), { 0, 0, 0, 0 } };
	struct hl_result r;

	for (unsigned i = 0; i < n && i < HL_MSG_MAX; i++) {
		if (i < HL_MSG_REG_WORDS)
			m.mr[i] = w[i];
		else
			hl_ipc_buffer()->mr[i] = w[i];
	}
	r = hl_call(srv.client, &m);
	return r.status == E_OK ? hl_msg_label(m.info) : 1000 + (uint64_t)r.status;
}

static void raw_labels(void)
{
	uint64_t w[HL_MSG_MAX + 1] = { 0 };

	t_ok(raw_call(IPC_LABEL(IPCTEST_IFACE_ID, 99), 0, 0, w) == E_NOSYS, "unknown method label: E_NOSYS");
	t_ok(raw_call(IPC_LABEL(IPCTEST_IFACE_ID, ipctest_iface_desc.nmethods), 0, 0, w) == E_NOSYS,
	     "the method past the last: E_NOSYS");
	t_ok(raw_call(IPC_LABEL(IPCTEST_IFACE_ID + 1, IPCTEST_NOTHING), 0, 0, w) == E_NOSYS,
	     "another interface's label: E_NOSYS");
	t_ok(raw_call(IPCTEST_NOTHING_LABEL, 0, HL_MSG_MAX + 1, w) == 1000 + E_INVAL,
	     "65 words: the kernel refuses the call itself (E_INVAL), nothing sent");
}

static void raw_words(void)
{
	uint64_t w[HL_MSG_MAX] = { 0 };

	w[0] = 0x100;
	t_ok(raw_call(IPCTEST_SCALARS_LABEL, 0, 9, w) == E_INVAL, "malformed: a u8 word of 0x100: E_INVAL");
	w[0] = 0, w[4] = 0x80;
	t_ok(raw_call(IPCTEST_SCALARS_LABEL, 0, 9, w) == E_INVAL, "malformed: an i8 not sign-extended: E_INVAL");
	w[4] = 0, w[8] = 2;
	t_ok(raw_call(IPCTEST_SCALARS_LABEL, 0, 9, w) == E_INVAL, "malformed: a bool of 2: E_INVAL");
	w[8] = 0;
	t_ok(raw_call(IPCTEST_SCALARS_LABEL, 0, 8, w) == E_INVAL, "malformed: a word short: E_INVAL");
	t_ok(raw_call(IPCTEST_SCALARS_LABEL, 0, 10, w) == E_INVAL, "malformed: a word too many: E_INVAL");
	w[0] = 3, w[1] = 0x610062;	/* "b\0a" */
	t_ok(raw_call(IPCTEST_ECHO_LABEL, 0, 2, w) == E_INVAL, "malformed: a NUL inside a string: E_INVAL");
	w[1] = 0x71636261;	/* "abc", then 'q' in the padding */
	t_ok(raw_call(IPCTEST_ECHO_LABEL, 0, 2, w) == E_INVAL, "malformed: string padding not zero: E_INVAL");
	w[0] = 65;
	t_ok(raw_call(IPCTEST_ECHO_LABEL, 0, 10, w) == E_INVAL, "malformed: a string past its bound: E_INVAL");
	w[0] = 21, w[1] = 0;
	t_ok(raw_call(IPCTEST_ARRAYS_LABEL, 0, 12, w) == E_INVAL, "malformed: an array count past its bound: E_INVAL");
	w[0] = 0;
	t_ok(raw_call(IPCTEST_LONGEST_LABEL, 0, 1, w) == E_OK, "the same words well formed: E_OK");
}

static void raw_caps(void)
{
	int64_t st;
	hl_cptr_t note = obj_alloc(HL_OBJ_NOTIFICATION, 0, &st);
	uint64_t w[1] = { 0 }, b[3];

	hl_ipc_buffer()->send_caps[0] = note;
	t_ok(raw_call(IPCTEST_CAPS_LABEL, 1, 0, w) == E_INVAL, "malformed: one cap of three: E_INVAL");
	t_ok(srv_arrived(b) == 1, "malformed: its cap reached the server all the same");
	t_ok(raw_call(IPCTEST_NOTHING_LABEL, 1, 0, w) == E_INVAL, "malformed: a cap nothing takes: E_INVAL");
	t_ok(srv_arrived(b) == 1 && hl_poll(note).status == E_AGAIN, "malformed: arrived, not used");
	obj_free(note);
}

void cases_raw(void)
{
	srv_log();
	raw_labels();
	raw_words();
	raw_caps();
	log_is("?:12 ?:12 ?:12 scalars:1 scalars:1 scalars:1 scalars:1 scalars:1 echo:1 echo:1 echo:1 "
	       "arrays:1 longest:0+ caps:1 nothing:1",
	       "raw: unknown labels reached no handler, nor did a malformed request");
}

/* --- the names table ------------------------------------------------------------------ */

/* What the names table says label is: "method", or "?". */
static const char *name_of(uint64_t label)
{
	const struct ipc_iface_desc *d = &ipctest_iface_desc;

	if (IPC_LABEL_IFACE(label) != d->id || IPC_LABEL_METHOD(label) >= d->nmethods)
		return "?";
	return d->methods[IPC_LABEL_METHOD(label)].name;
}

void cases_names(void)
{
	static const char *const want[] = { "scalars", "echo", "bounded", "longest", "arrays",
					    "caps", "mixed", "fail", "nothing" };
	const struct ipc_iface_desc *d = &ipctest_iface_desc;
	char expect[IPCTEST_LONGEST_R_MAX + 1] = "";
	uint64_t w[HL_MSG_MAX] = { 0 };
	int named = 0;

	srv_log();
	for (uint64_t i = 0; i < d->nmethods && i < 9; i++)
		named += !strcmp(name_of(IPC_LABEL(IPCTEST_IFACE_ID, i)), want[i]) && d->methods[i].index == i;
	t_ok(d->id == IPCTEST_IFACE_ID && d->nmethods == 9 && named == 9 && !strcmp(d->name, "ipctest"),
	     "names: ipctest's table names its 9 methods by label");
	t_ok(d->methods[IPCTEST_CAPS].in_caps == 3 && d->methods[IPCTEST_CAPS].out_caps == 3 &&
	     d->methods[IPCTEST_LONGEST].out_words == 51 && d->methods[IPCTEST_SCALARS].in_words == 9,
	     "names: word and cap counts of caps, longest, scalars");
	/* One request of every method and one unknown label, then the server's
	 * log, whose names it took from the same table, against ours. */
	for (uint64_t i = 0; i < d->nmethods; i++) {
		uint64_t label = IPC_LABEL(IPCTEST_IFACE_ID, i), status = raw_call(label, 0, 0, w);
		size_t n = strlen(expect);

		snprintf(expect + n, sizeof(expect) - n, "%s%s:%lu%s", n ? " " : "", name_of(label),
			 (unsigned long)status, i == IPCTEST_NOTHING ? "+" : "");
	}
	strlcat(expect, " ?:12", sizeof(expect));
	raw_call(IPC_LABEL(IPCTEST_IFACE_ID, 0x1234), 0, 0, w);
	log_is(expect, "names: every label that crossed, resolved the same on both sides");
}

/* --- a Reply cap without the grant right ------------------------------------------- */

/* Takes the grant right off the server's Reply cap (mutate it away and
 * move it back, while the server waits in its receive): its replies then
 * go without their caps. */
void cases_reply_nogrant(void)
{
	int64_t st;
	hl_cptr_t note = obj_alloc(HL_OBJ_NOTIFICATION, 0, &st);
	hl_cptr_t n[3] = { note_copy(note, 1), note_copy(note, 2), note_copy(note, 4) };
	hl_cptr_t x = slot_alloc(), y = slot_alloc(), z = slot_alloc();
	uint64_t b[3], tmp = srv.last;
	int64_t mut, back;
	struct hl_result r;

	srv_log();
	mut = hl_cnode_mutate(srv.p.cnode, tmp, srv.depth, srv.p.cnode, srv.reply, srv.depth,
			      HL_R_ALL & ~HL_R_GRANT, 0).status;
	back = hl_cnode_move(srv.p.cnode, srv.reply, srv.depth, srv.p.cnode, tmp, srv.depth).status;
	if (!t_ok(mut == E_OK && back == E_OK && srv_slot(srv.reply, NULL) == HL_OBJ_REPLY,
		  "the server's Reply cap loses the grant right (mutate %ld, move %ld)", (long)mut, (long)back))
		return;
	t_ok(ipctest_caps(srv.client, n[0], n[1], n[2], x, y, z) == E_INVAL,
	     "caps: a reply on a Reply cap without grant comes without its caps: E_INVAL");
	r = hl_poll(note);
	t_ok(r.status == E_OK && r.value == 7 && srv_arrived(b) == 3,
	     "caps: the request's caps arrived and the handler ran");
	t_ok(!our_slot(x, NULL) && !our_slot(y, NULL) && !our_slot(z, NULL), "caps: none landed here");
	t_ok(ipctest_nothing(srv.client) == E_OK, "replies without caps go on as before");
	log_is("caps:0+ nothing:0+", "the server replied E_OK; the caps were lost on the way");
	for (int i = 0; i < 3; i++)
		slot_free(n[i]);
	slot_free(x);
	slot_free(y);
	slot_free(z);
	obj_free(note);
}
