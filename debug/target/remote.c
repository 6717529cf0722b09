/*
 * remote.c: a target behind a GDB remote serial protocol server: QEMU's
 * gdbstub (a whole machine, one thread per CPU) or gdbserver (a Linux
 * process). Registers come from 'g', laid out by the stub's own target
 * description (tdesc.c: qXfer:features:read, which also brings fs_base and
 * gs_base) or, without one, gdb's amd64 core order; a 'g' reply whose size
 * stops matching (QEMU switching a CPU between 32- and 64-bit register sets)
 * makes it read the description again, then fall back to the i386 layout.
 * Memory goes through 'm'/'M' in packets the stub's PacketSize allows; run
 * control through vCont when offered, else c/s; target breakpoints through
 * Z0, or Z1 (hardware) where the stub refuses Z0 -- QEMU cannot plant a
 * software breakpoint at an address paging has not mapped yet, and the
 * guest's own int3 never reaches its stub.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rsp.h"
#include "target_impl.h"
#include "tdesc.h"

#define PKT 16384
#define MAXBP 256

struct remote {
	struct rsp c;
	int vcont;		/* the stub offers vCont;c;s */
	int xml;		/* the stub offers qXfer:features:read */
	int chunk;		/* bytes per 'm'/'M', within the stub's PacketSize */
	int stepping;		/* the last resume was a single step */
	struct tdesc desc;	/* the 'g' packet's layout */
	int reloaded_for;	/* 'g' size the description was last re-read for */
	uint64_t bps[MAXBP];	/* Z0/Z1 breakpoints, to recognise stops on them */
	char bp_kind[MAXBP];	/* '0' or '1': which Z packet set it */
	int nbps;
	char buf[PKT];
};

static struct remote *R(struct target *t)
{
	return t->priv;
}

/* Sends a packet and reads its reply into R(t)->buf; returns reply length or -1. */
static int request(struct target *t, const char *pkt)
{
	struct remote *r = R(t);

	if (rsp_send(&r->c, pkt) < 0)
		return target_fail(t, "remote: connection lost sending %.20s", pkt);
	for (;;) {
		int n = rsp_recv(&r->c, r->buf, PKT, 30000);
		if (n < 0)
			return target_fail(t, "remote: no reply to %.20s", pkt);
		if (r->buf[0] != 'O' || n == 2 || strcmp(r->buf, "OK") == 0)
			return n;	/* console output ('O' + hex) is not the reply */
	}
}

static int error_reply(struct target *t, const char *what)
{
	const char *b = R(t)->buf;

	if (b[0] == 'E' && strlen(b) == 3)
		return target_fail(t, "%s: remote error %s", what, b + 1);
	if (!b[0])
		return target_fail(t, "%s: not supported by the remote stub", what);
	return 0;
}

static int rm_read(struct target *t, uint64_t addr, void *buf, size_t len)
{
	char pkt[64];
	uint8_t *out = buf;

	while (len > 0) {
		size_t n = len > (size_t)R(t)->chunk ? (size_t)R(t)->chunk : len;
		snprintf(pkt, sizeof pkt, "m%llx,%zx", (unsigned long long)addr, n);
		if (request(t, pkt) < 0 || error_reply(t, "read memory") < 0)
			return -1;
		int got = rsp_hex_decode(R(t)->buf, out, n);
		if (got <= 0)
			return target_fail(t, "cannot read memory at 0x%llx", (unsigned long long)addr);
		out += got;
		addr += got;
		len -= got;
	}
	return 0;
}

static int rm_write(struct target *t, uint64_t addr, const void *buf, size_t len)
{
	const uint8_t *in = buf;
	char *pkt = malloc(2 * 2048 + 64);

	if (!pkt)
		abort();
	while (len > 0) {
		size_t n = len > (size_t)R(t)->chunk ? (size_t)R(t)->chunk : len;
		int h = snprintf(pkt, 64, "M%llx,%zx:", (unsigned long long)addr, n);
		rsp_hex_encode(in, n, pkt + h);
		if (request(t, pkt) < 0 || strcmp(R(t)->buf, "OK") != 0) {
			free(pkt);
			return target_fail(t, "cannot write memory at 0x%llx", (unsigned long long)addr);
		}
		in += n;
		addr += n;
		len -= n;
	}
	free(pkt);
	return 0;
}

/* One qXfer object (features, auxv), its binary payload unescaped, into
 * out (at most max bytes). Returns its length, or -1 if the stub has none. */
static long xfer(struct target *t, const char *object, const char *annex, uint8_t *out, size_t max)
{
	char pkt[160];
	size_t got = 0;

	for (;;) {
		snprintf(pkt, sizeof pkt, "qXfer:%s:read:%s:%zx,%x", object, annex, got, 1000);
		int n = request(t, pkt);
		if (n < 0)
			return -1;
		const char *b = R(t)->buf;
		if (b[0] != 'm' && b[0] != 'l')
			return target_fail(t, "%s %s: not offered by the remote stub", object, annex);
		for (int i = 1; i < n && got < max; i++)
			out[got++] = b[i] == '}' && i + 1 < n ? (uint8_t)(b[++i] ^ 0x20) : (uint8_t)b[i];
		if (b[0] == 'l' || got >= max || n <= 1)
			return (long)got;
	}
}

static char *fetch_feature(void *ctx, const char *annex)
{
	size_t max = 1 << 20;
	char *doc = malloc(max + 1);

	if (!doc)
		abort();
	long n = xfer(ctx, "features", annex, (uint8_t *)doc, max);
	if (n < 0) {
		free(doc);
		return NULL;
	}
	doc[n] = 0;
	return doc;
}

/* (Re)reads the stub's register layout: its description, else amd64's core. */
static void load_layout(struct target *t)
{
	struct remote *r = R(t);
	char err[128];

	tdesc_free(&r->desc);
	if (!r->xml || tdesc_load(&r->desc, fetch_feature, t, "target.xml", err, sizeof err) < 0)
		tdesc_builtin(&r->desc, 0);
}

/* Makes the layout fit a 'g' reply of n bytes: QEMU may change the register
 * set when a CPU changes mode. Re-reads the description once per new size;
 * if the pc still lies past the reply, assumes the i386 core layout. */
static void fit_layout(struct target *t, int n)
{
	struct remote *r = R(t);

	if (n == r->desc.g_size)
		return;
	if (r->desc.from_xml && r->reloaded_for != n) {
		r->reloaded_for = n;
		load_layout(t);
	}
	const struct tdesc_reg *pc = tdesc_find(&r->desc, ACID_REG_RIP);
	if (!pc || pc->offset + pc->bits / 8 > n) {
		tdesc_free(&r->desc);
		tdesc_builtin(&r->desc, 1);
	}
}

/* The 'g' block decoded into raw (n bytes), the layout fitted to it. */
static int read_g(struct target *t, uint8_t *raw, size_t max)
{
	int n;

	if (request(t, "g") < 0 || error_reply(t, "read registers") < 0)
		return -1;
	if ((n = rsp_hex_decode(R(t)->buf, raw, max)) < 0)
		return target_fail(t, "read registers: bad reply");
	fit_layout(t, n);
	return n;
}

static int rm_get_regs(struct target *t, struct acid_regs *regs)
{
	uint8_t raw[PKT / 2];
	int n = read_g(t, raw, sizeof raw);
	const struct tdesc *d = &R(t)->desc;

	if (n < 0)
		return -1;
	for (int i = 0; i < d->n; i++) {
		const struct tdesc_reg *r = &d->regs[i];
		int size = r->bits / 8;
		uint64_t v = 0;
		if (r->acid < 0 || r->offset + size > n || (regs->valid & (1u << r->acid)))
			continue;
		memcpy(&v, raw + r->offset, size > 8 ? 8 : size);
		regs->v[r->acid] = v;
		regs->valid |= 1u << r->acid;
	}
	if (!(regs->valid & (1u << ACID_REG_RIP)))
		return target_fail(t, "read registers: reply too short");
	return 0;
}

static int rm_get_reg_pc(struct target *t, uint64_t *pc)
{
	struct acid_regs r = { 0 };

	if (rm_get_regs(t, &r) < 0)
		return -1;
	*pc = r.v[ACID_REG_RIP];
	return 0;
}

/* 'P' with the stub's register number; without 'P', the whole 'g' block back through 'G'. */
static int rm_set_reg(struct target *t, int reg, uint64_t val)
{
	char pkt[96], hex[17];
	uint8_t raw[PKT / 2];
	const struct tdesc_reg *d = tdesc_find(&R(t)->desc, reg);

	if (!d || d->bits > 64)
		return target_fail(t, "%s: not provided by the remote stub", acid_reg_name(reg));
	rsp_hex_encode((uint8_t *)&val, d->bits / 8, hex);
	snprintf(pkt, sizeof pkt, "P%x=%s", d->regnum, hex);
	if (request(t, pkt) < 0)
		return -1;
	if (strcmp(R(t)->buf, "OK") == 0)
		return 0;
	int n = read_g(t, raw, sizeof raw);
	if (n < 0)
		return -1;
	if (!(d = tdesc_find(&R(t)->desc, reg)) || d->offset + d->bits / 8 > n)
		return target_fail(t, "write %s: short register block", acid_reg_name(reg));
	memcpy(raw + d->offset, &val, d->bits / 8);
	char *g = malloc(2 * n + 2);
	if (!g)
		abort();
	g[0] = 'G';
	rsp_hex_encode(raw, n, g + 1);
	int rc = request(t, g);
	free(g);
	if (rc < 0 || strcmp(R(t)->buf, "OK") != 0)
		return target_fail(t, "write %s: refused by the remote stub", acid_reg_name(reg));
	return 0;
}

static long rm_auxv(struct target *t, void *buf, size_t max)
{
	long n = xfer(t, "auxv", "", buf, max);

	return n < 0 ? target_fail(t, "auxiliary vector: not offered by the remote stub") : n;
}

static int resume(struct target *t, const char *vcont, const char *plain)
{
	if (rsp_send(&R(t)->c, R(t)->vcont ? vcont : plain) < 0)
		return target_fail(t, "remote: connection lost");
	return 0;
}

static int rm_cont(struct target *t, int sig)
{
	char v[64], p[16];

	R(t)->stepping = 0;
	if (sig) {
		snprintf(v, sizeof v, "vCont;C%02x", sig);
		snprintf(p, sizeof p, "C%02x", sig);
		return resume(t, v, p);
	}
	return resume(t, "vCont;c", "c");
}

static int rm_step(struct target *t)
{
	char v[64];

	R(t)->stepping = 1;
	snprintf(v, sizeof v, "vCont;s:%x;c", t->tid > 0 ? t->tid : 1);
	if (!R(t)->vcont)
		return resume(t, v, "s");
	/* step only the selected thread; the others stay stopped in all-stop */
	snprintf(v, sizeof v, "vCont;s:%x", t->tid > 0 ? t->tid : 1);
	return resume(t, v, "s");
}

static void on_interrupt(void *ctx)
{
	rsp_interrupt(&R(ctx)->c);
}

/* Fills stop from a stop-reply packet. */
static void parse_stop(struct target *t, const char *b, struct target_stop *stop)
{
	unsigned sig = 0;

	if (b[0] == 'W' || b[0] == 'X') {
		sscanf(b + 1, "%2x", &sig);
		stop->event = b[0] == 'W' ? TARGET_EV_EXITED : TARGET_EV_KILLED;
		stop->code = b[0] == 'W' ? (int)sig : 0;
		stop->signo = b[0] == 'X' ? (int)sig : 0;
		return;
	}
	sscanf(b + 1, "%2x", &sig);
	stop->event = TARGET_EV_SIGNAL;
	stop->signo = (int)sig;
	const char *th = strstr(b, "thread:");
	if (th) {
		th += 7;
		if (*th == 'p' && strchr(th, '.'))
			th = strchr(th, '.') + 1;
		stop->tid = (int)strtol(th, NULL, 16);
	}
	if (!stop->tid)
		stop->tid = t->tid;
}

/* SIGTRAP: our single step, a Z0 breakpoint, or an int3 written through memory. */
static void classify(struct target *t, struct target_stop *stop)
{
	uint64_t pc;
	uint8_t b;

	if (stop->event != TARGET_EV_SIGNAL || stop->signo != SIGTRAP || rm_get_reg_pc(t, &pc) < 0)
		return;
	stop->pc = pc;
	if (R(t)->stepping) {
		stop->event = TARGET_EV_STEP;
		return;
	}
	for (int i = 0; i < R(t)->nbps; i++)
		if (R(t)->bps[i] == pc) {
			stop->event = TARGET_EV_BREAKPOINT;
			return;
		}
	if (rm_read(t, pc - 1, &b, 1) == 0 && b == 0xcc && rm_set_reg(t, ACID_REG_RIP, pc - 1) == 0) {
		stop->event = TARGET_EV_BREAKPOINT;
		stop->pc = pc - 1;
	}
}

static int rm_wait(struct target *t, struct target_stop *stop)
{
	struct remote *r = R(t);
	int n;

	r->c.interrupt = on_interrupt;
	r->c.interrupt_ctx = t;
	do
		n = rsp_recv(&r->c, r->buf, PKT, -1);
	while (n >= 0 && r->buf[0] == 'O');	/* program output */
	r->c.interrupt = NULL;
	if (n < 0)
		return target_fail(t, "remote: connection lost while running");
	parse_stop(t, r->buf, stop);
	t->tid = stop->tid;
	t->running = 0;
	/* gdbserver reports swbreak (we offered it) with the pc already moved back */
	int swbreak = stop->event == TARGET_EV_SIGNAL && strstr(r->buf, "swbreak:") != NULL;
	if (stop->event == TARGET_EV_SIGNAL) {
		char pkt[32];
		snprintf(pkt, sizeof pkt, "Hg%x", stop->tid);
		request(t, pkt);
		if (swbreak && !r->stepping)
			stop->event = TARGET_EV_BREAKPOINT;
		else
			classify(t, stop);
		uint64_t pc;
		if (!stop->pc && rm_get_reg_pc(t, &pc) == 0)
			stop->pc = pc;
	}
	return 0;
}

static int rm_stop(struct target *t)
{
	return rsp_interrupt(&R(t)->c) < 0 ? target_fail(t, "remote: connection lost") : 0;
}

static int rm_kill(struct target *t)
{
	rsp_send(&R(t)->c, "k");	/* no reply is defined */
	return 0;
}

/* Sets (Z) or clears (z) a breakpoint of kind '0' or '1'; 1 if the stub said OK. */
static int z_packet(struct target *t, int insert, char kind, uint64_t addr)
{
	char pkt[64];

	snprintf(pkt, sizeof pkt, "%c%c,%llx,1", insert ? 'Z' : 'z', kind, (unsigned long long)addr);
	if (request(t, pkt) < 0)
		return -1;
	return strcmp(R(t)->buf, "OK") == 0;
}

static int rm_bp(struct target *t, uint64_t addr, int insert)
{
	struct remote *r = R(t);
	int i, ok;

	for (i = 0; i < r->nbps && r->bps[i] != addr; i++)
		;
	if (!insert) {
		if (i == r->nbps)
			return target_fail(t, "no breakpoint at 0x%llx", (unsigned long long)addr);
		if ((ok = z_packet(t, 0, r->bp_kind[i], addr)) <= 0)
			return ok < 0 ? -1 : target_fail(t, "breakpoint removal refused");
		r->bps[i] = r->bps[--r->nbps];
		r->bp_kind[i] = r->bp_kind[r->nbps];
		return 0;
	}
	if (i < r->nbps)
		return 0;
	if (r->nbps == MAXBP)
		return target_fail(t, "more than %d target breakpoints", MAXBP);
	char kind = '0';
	if ((ok = z_packet(t, 1, kind, addr)) == 0)	/* software refused: hardware */
		ok = z_packet(t, 1, kind = '1', addr);
	if (ok <= 0)
		return ok < 0 ? -1 : error_reply(t, "breakpoint") < 0 ? -1 : target_fail(t, "breakpoint refused");
	r->bps[r->nbps] = addr;
	r->bp_kind[r->nbps++] = kind;
	return 0;
}

static int rm_threads(struct target *t, int *tids, int max)
{
	int n = 0;
	const char *q = "qfThreadInfo";

	if (max > 0)
		tids[n] = t->tid;
	n = 1;
	for (int rounds = 0; rounds < 1000; rounds++, q = "qsThreadInfo") {
		if (request(t, q) < 0)
			return -1;
		char *p = R(t)->buf;
		if (*p != 'm')
			break;
		for (p++; *p;) {
			if (*p == 'p' && strchr(p, '.'))
				p = strchr(p, '.') + 1;
			int tid = (int)strtol(p, &p, 16);
			if (tid != t->tid) {
				if (n < max)
					tids[n] = tid;
				n++;
			}
			if (*p == ',')
				p++;
			else
				break;
		}
	}
	return n;
}

static int rm_select(struct target *t, int tid)
{
	char pkt[32];

	snprintf(pkt, sizeof pkt, "Hg%x", tid);
	if (request(t, pkt) < 0)
		return -1;
	return strcmp(R(t)->buf, "OK") == 0 ? 0 : target_fail(t, "thread %d: refused by the stub", tid);
}

static void rm_close(struct target *t)
{
	if (t->alive) {
		if (t->running) {
			struct target_stop st;
			rm_stop(t);
			rm_wait(t, &st);
		}
		request(t, "D");
	}
	close(R(t)->c.fd);
	tdesc_free(&R(t)->desc);
	free(R(t));
}

static const struct target_ops remote_ops = {
	.kind = "remote",
	.caps = TARGET_CAN_RUN | TARGET_CAN_REGS | TARGET_CAN_WRITE | TARGET_CAN_BP,
	.read_mem = rm_read, .write_mem = rm_write,
	.get_regs = rm_get_regs, .set_reg = rm_set_reg, .auxv = rm_auxv,
	.cont = rm_cont, .step = rm_step, .wait = rm_wait, .stop = rm_stop, .kill = rm_kill,
	.bp = rm_bp, .threads = rm_threads, .select = rm_select, .close = rm_close,
};

struct target *target_remote(const char *hostport, char *err, size_t errlen)
{
	int fd = rsp_connect(hostport, err, errlen);
	struct remote *r;
	struct target *t;
	struct target_stop st;

	if (fd < 0)
		return NULL;
	if (!(r = calloc(1, sizeof *r)))
		abort();
	r->c.fd = fd;
	r->chunk = 2048;
	t = target_new(&remote_ops, r);
	if (request(t, "qSupported:swbreak+;xmlRegisters=i386") < 0) {
		snprintf(err, errlen, "%s: %s", hostport, t->err);
		t->alive = 0;
		target_close(t);
		return NULL;
	}
	r->xml = strstr(r->buf, "qXfer:features:read+") != NULL;
	const char *ps = strstr(r->buf, "PacketSize=");
	long psize = ps ? strtol(ps + 11, NULL, 16) : 0;
	if (psize > 64)	/* hex digits plus $, #, checksum and a margin */
		r->chunk = (int)((psize - 16) / 2 < 2048 ? (psize - 16) / 2 : 2048);
	if (request(t, "vCont?") < 0) {
		snprintf(err, errlen, "%s: %s", hostport, t->err);
		t->alive = 0;
		target_close(t);
		return NULL;
	}
	r->vcont = strstr(r->buf, ";c") && strstr(r->buf, ";s");
	if (request(t, "?") < 0) {
		snprintf(err, errlen, "%s: %s", hostport, t->err);
		t->alive = 0;
		target_close(t);
		return NULL;
	}
	parse_stop(t, r->buf, &st);
	t->tid = st.tid > 0 ? st.tid : 1;
	if (request(t, "qC") > 0 && r->buf[0] == 'Q' && r->buf[1] == 'C') {
		const char *p = r->buf + 2;
		if (*p == 'p' && strchr(p, '.')) {
			t->pid = (int)strtol(p + 1, NULL, 16);
			p = strchr(p, '.') + 1;
		}
		t->tid = (int)strtol(p, NULL, 16);
	}
	if (st.event == TARGET_EV_EXITED || st.event == TARGET_EV_KILLED)
		t->alive = 0;
	else
		load_layout(t);
	return t;
}
