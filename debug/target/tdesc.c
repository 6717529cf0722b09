/*
 * tdesc.c: target descriptions. A stub's XML names each register with its
 * size and (optionally) number; registers fill the 'g' packet in number
 * order, numbers counting on from the last one across <xi:include>d
 * files. acid needs only the names it knows (regs.h), in either the amd64
 * spelling (rax, rip) or the i386 one (eax, eip), which QEMU uses while a
 * CPU runs in 32-bit mode on some versions. The parser reads attributes
 * out of <reg .../> and <xi:include href=.../> tags and skips comments; it
 * is no general XML parser and need not be.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "acid/regs.h"
#include "tdesc.h"

/* i386 spellings of acid registers (the amd64 ones come from acid_reg_lookup). */
static const struct { const char *name; int reg; } i386_names[] = {
	{ "eax", ACID_REG_RAX }, { "ebx", ACID_REG_RBX }, { "ecx", ACID_REG_RCX }, { "edx", ACID_REG_RDX },
	{ "esi", ACID_REG_RSI }, { "edi", ACID_REG_RDI }, { "ebp", ACID_REG_RBP }, { "esp", ACID_REG_RSP },
	{ "eip", ACID_REG_RIP },
};

static int acid_of(const char *name)
{
	if (!strcasecmp(name, "pc") || !strcasecmp(name, "sp"))
		return -1;	/* aliases in acid, never stub register names */
	for (size_t i = 0; i < sizeof i386_names / sizeof i386_names[0]; i++)
		if (!strcasecmp(name, i386_names[i].name))
			return i386_names[i].reg;
	return acid_reg_lookup(name);
}

static void add(struct tdesc *d, const char *name, int regnum, int bits)
{
	if (!(d->regs = realloc(d->regs, (d->n + 1) * sizeof *d->regs)))
		abort();
	struct tdesc_reg *r = &d->regs[d->n++];
	snprintf(r->name, sizeof r->name, "%s", name);
	r->regnum = regnum;
	r->bits = bits;
	r->acid = acid_of(name);
}

/* Value of attribute attr inside the tag [tag, end), into out. */
static int attr(const char *tag, const char *end, const char *attr, char *out, size_t outlen)
{
	size_t al = strlen(attr);

	for (const char *p = tag; p + al + 2 < end; p++) {
		if (strncmp(p, attr, al) || p[al] != '=' || (p[al + 1] != '"' && p[al + 1] != '\'') ||
		    (p > tag && p[-1] != ' ' && p[-1] != '\t' && p[-1] != '\n'))
			continue;
		const char *v = p + al + 2, *q = memchr(v, p[al + 1], end - v);
		if (!q || (size_t)(q - v) >= outlen)
			return -1;
		memcpy(out, v, q - v);
		out[q - v] = 0;
		return 0;
	}
	return -1;
}

static int parse(struct tdesc *d, tdesc_fetch_fn fetch, void *ctx, const char *annex, int depth, int *next)
{
	char *doc, val[64];

	if (depth > 8 || !(doc = fetch(ctx, annex)))
		return -1;
	for (char *p = doc; (p = strchr(p, '<'));) {
		if (!strncmp(p, "<!--", 4)) {	/* QEMU comments registers out */
			char *e = strstr(p, "-->");
			p = e ? e + 3 : p + strlen(p);
			continue;
		}
		char *end = strchr(p, '>');
		if (!end)
			break;
		if (!strncmp(p, "<reg", 4) && (p[4] == ' ' || p[4] == '\t' || p[4] == '\n')) {
			char name[32];
			int bits, regnum = *next;
			if (attr(p, end, "name", name, sizeof name) == 0 && attr(p, end, "bitsize", val, sizeof val) == 0 &&
			    (bits = atoi(val)) > 0 && bits % 8 == 0) {
				if (attr(p, end, "regnum", val, sizeof val) == 0)
					regnum = atoi(val);
				add(d, name, regnum, bits);
				*next = regnum + 1;
			}
		} else if (!strncmp(p, "<xi:include", 11) && attr(p, end, "href", val, sizeof val) == 0) {
			parse(d, fetch, ctx, val, depth + 1, next);
		}
		p = end + 1;
	}
	free(doc);
	return 0;
}

static int by_regnum(const void *a, const void *b)
{
	return ((const struct tdesc_reg *)a)->regnum - ((const struct tdesc_reg *)b)->regnum;
}

static void lay_out(struct tdesc *d)
{
	int off = 0;

	qsort(d->regs, d->n, sizeof *d->regs, by_regnum);
	for (int i = 0; i < d->n; i++) {
		d->regs[i].offset = off;
		off += d->regs[i].bits / 8;
	}
	d->g_size = off;
}

int tdesc_load(struct tdesc *d, tdesc_fetch_fn fetch, void *ctx, const char *annex, char *err, size_t errlen)
{
	int next = 0;

	memset(d, 0, sizeof *d);
	if (parse(d, fetch, ctx, annex, 0, &next) < 0 || d->n == 0 || !tdesc_find(d, ACID_REG_RIP)) {
		snprintf(err, errlen, "target description %s: %s", annex,
			 d->n ? "no program counter" : "unreadable or has no registers");
		tdesc_free(d);
		return -1;
	}
	lay_out(d);
	d->from_xml = 1;
	return 0;
}

void tdesc_builtin(struct tdesc *d, int i386)
{
	static const char *const amd64[] = { "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp",
		"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "rip" };
	static const char *const x86[] = { "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi", "eip" };
	static const char *const segs[] = { "eflags", "cs", "ss", "ds", "es", "fs", "gs" };
	int n = 0;

	memset(d, 0, sizeof *d);
	if (i386)
		for (size_t i = 0; i < sizeof x86 / sizeof x86[0]; i++, n++)
			add(d, x86[i], n, 32);
	else
		for (size_t i = 0; i < sizeof amd64 / sizeof amd64[0]; i++, n++)
			add(d, amd64[i], n, 64);
	for (size_t i = 0; i < sizeof segs / sizeof segs[0]; i++, n++)
		add(d, segs[i], n, 32);
	lay_out(d);
}

const struct tdesc_reg *tdesc_find(const struct tdesc *d, int r)
{
	for (int i = 0; i < d->n; i++)
		if (d->regs[i].acid == r)
			return &d->regs[i];
	return NULL;
}

void tdesc_free(struct tdesc *d)
{
	free(d->regs);
	memset(d, 0, sizeof *d);
}
