/*
 * probes.c: probe names, from the kernel's one probe table (HL_PROBES in
 * helios/trace.h) and its system call list (helios/syscall.h, through the
 * generated sysnames.h), and matching descriptions against them.
 *
 * A kernel probe "group:event" is named group:helios:FUNCTION:event in
 * DTrace's four fields; FUNCTION is the system call's name for the syscall
 * probes (taken from arg0, the call number) and empty for the others. User
 * probe id N (HL_TRACE_USER_BASE + N) is user:::N. tick-N and profile-N are
 * timers the consumer drives; BEGIN and END belong to provider dtrace.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <helios/syscall.h>

#include "internal.h"

struct kprobe {
	const char *name;	/* "group:event" */
	int nargs;
	const char *args;	/* "a,b,c" */
};

static const struct kprobe kprobes[] = {
#define KPROBE(id, group, name, scope, nargs, args) [HL_PROBE_##id] = { name, nargs, args },
	HL_PROBES(KPROBE)
#undef KPROBE
};

static const char *const sysnames[HL_SYS_COUNT] = {
#include "sysnames.h"
};

/* "group:event" split once, kept for the life of the process. */
static char kprov[HL_PROBE_COUNT][16], kname[HL_PROBE_COUNT][24];

static void split_names(void)
{
	static int done;

	if (done)
		return;
	for (int i = 0; i < HL_PROBE_COUNT; i++) {
		const char *colon = strchr(kprobes[i].name, ':');
		size_t n = colon ? (size_t)(colon - kprobes[i].name) : strlen(kprobes[i].name);

		snprintf(kprov[i], sizeof kprov[i], "%.*s", (int)n, kprobes[i].name);
		snprintf(kname[i], sizeof kname[i], "%s", colon ? colon + 1 : "");
	}
	done = 1;
}

const char *tr_syscall_name(uint64_t nr)
{
	return nr < HL_SYS_COUNT && sysnames[nr] ? sysnames[nr] : "unknown";
}

static int is_syscall_probe(uint16_t probe)
{
	return probe == HL_PROBE_SYSCALL_ENTRY || probe == HL_PROBE_SYSCALL_EXIT;
}

void tr_probe_name(uint16_t probe, uint64_t arg0, struct tr_probe_name *out)
{
	static char user_names[8][8];
	static unsigned next;

	split_names();
	if (probe < HL_PROBE_COUNT) {
		out->prov = kprov[probe];
		out->mod = "helios";
		out->func = is_syscall_probe(probe) ? tr_syscall_name(arg0) : "";
		out->name = kname[probe];
		return;
	}
	out->prov = probe >= HL_TRACE_USER_BASE ? "user" : "unknown";
	out->mod = "";
	out->func = "";
	/* A few rotating buffers: callers keep a name only until the next record. */
	snprintf(user_names[next % 8], sizeof user_names[0], "%u",
		 probe >= HL_TRACE_USER_BASE ? probe - HL_TRACE_USER_BASE : probe);
	out->name = user_names[next++ % 8];
}

int tr_probe_nargs(uint16_t probe)
{
	if (probe < HL_PROBE_COUNT)
		return kprobes[probe].nargs;
	return probe >= HL_TRACE_USER_BASE ? 4 : 0;
}

/* The i-th argument's name as the table gives it ("arg<i>" for user probes). */
const char *tr_probe_argname(uint16_t probe, int i, char *buf, size_t len)
{
	const char *p;

	snprintf(buf, len, "arg%d", i);
	if (probe >= HL_PROBE_COUNT || i >= kprobes[probe].nargs)
		return buf;
	p = kprobes[probe].args;
	for (int k = 0; k < i && p; k++) {
		p = strchr(p, ',');
		if (p)
			p++;
	}
	if (p)
		snprintf(buf, len, "%.*s", (int)strcspn(p, ","), p);
	return buf;
}

/* Shell glob: * ? and [...] (with ! or ^ to negate); the whole string must match. */
int tr_glob(const char *pat, const char *s)
{
	for (;; pat++, s++) {
		if (*pat == '*') {
			while (*pat == '*')
				pat++;
			if (!*pat)
				return 1;
			for (; *s; s++)
				if (tr_glob(pat, s))
					return 1;
			return 0;
		}
		if (!*s)
			return !*pat;
		if (*pat == '?')
			continue;
		if (*pat == '[') {
			const char *p = pat + 1;
			int neg = *p == '!' || *p == '^', hit = 0;

			p += neg;
			for (; *p && *p != ']'; p++) {
				if (p[1] == '-' && p[2] && p[2] != ']') {
					hit |= *s >= p[0] && *s <= p[2];
					p += 2;
				} else {
					hit |= *s == *p;
				}
			}
			if (!*p || hit == neg)
				return 0;
			pat = p;
			continue;
		}
		if (*pat != *s)
			return 0;
	}
}

static int field_matches(const char *pat, const char *s)
{
	return !*pat || tr_glob(pat, s);
}

int tr_pdesc_matches(const struct tr_pdesc *d, const struct tr_probe_name *n)
{
	return field_matches(d->field[0], n->prov) && field_matches(d->field[1], n->mod) &&
	       field_matches(d->field[2], n->func) && field_matches(d->field[3], n->name);
}

unsigned tr_pdesc_match_kernel(const struct tr_pdesc *d, int *nargs_max)
{
	unsigned hits = 0;
	struct tr_probe_name n;

	for (uint16_t p = 0; p < HL_PROBE_COUNT; p++) {
		uint64_t calls = is_syscall_probe(p) ? HL_SYS_COUNT : 1;

		for (uint64_t nr = 0; nr < calls; nr++) {
			tr_probe_name(p, nr, &n);
			if (!tr_pdesc_matches(d, &n))
				continue;
			hits++;
			if (nargs_max && kprobes[p].nargs > *nargs_max)
				*nargs_max = kprobes[p].nargs;
		}
	}
	return hits;
}

int tr_pdesc_user(const struct tr_pdesc *d)
{
	const char *name = d->field[3];

	if (!field_matches(d->field[0], "user") || !field_matches(d->field[1], "") ||
	    !field_matches(d->field[2], ""))
		return 0;
	if (!*name || strpbrk(name, "*?["))
		return 1;
	if (strspn(name, "0123456789") != strlen(name) || strlen(name) > 5)
		return 0;
	return atol(name) < HL_TRACE_USER_PROBES;
}

int tr_pdesc_is(const struct tr_pdesc *d, const char *name)
{
	return (!*d->field[0] || !strcmp(d->field[0], "dtrace")) && !*d->field[1] &&
	       !*d->field[2] && !strcmp(d->field[3], name);
}

/* Units of tick-N and profile-N: N with no unit is a rate in hertz. */
static const struct { const char *unit; uint64_t ns; } units[] = {
	{ "ns", 1 }, { "nsec", 1 }, { "us", 1000 }, { "usec", 1000 },
	{ "ms", 1000000 }, { "msec", 1000000 }, { "s", 1000000000ull }, { "sec", 1000000000ull },
	{ "m", 60000000000ull }, { "min", 60000000000ull }, { "h", 3600000000000ull },
	{ "hour", 3600000000000ull }, { "d", 86400000000000ull }, { "day", 86400000000000ull },
};

uint64_t tr_pdesc_timer(const struct tr_pdesc *d, int *profile, char *why, size_t whylen)
{
	const char *name = d->field[3], *p;
	uint64_t n = 0;

	if ((*d->field[0] && strcmp(d->field[0], "profile")) || *d->field[1] || *d->field[2])
		return 0;
	if (!strncmp(name, "tick-", 5))
		*profile = 0;
	else if (!strncmp(name, "profile-", 8))
		*profile = 1;
	else
		return 0;
	p = name + (*profile ? 8 : 5);
	if (*p < '0' || *p > '9') {
		snprintf(why, whylen, "%s: the interval must be a number", name);
		return 0;
	}
	for (; *p >= '0' && *p <= '9'; p++) {
		n = n * 10 + (uint64_t)(*p - '0');
		if (n > 1000000000ull) {
			snprintf(why, whylen, "%s: interval too large", name);
			return 0;
		}
	}
	if (!*p || !strcmp(p, "hz")) {
		if (n == 0 || n > 1000000000ull) {
			snprintf(why, whylen, "%s: rate must be 1 to 10^9 hz", name);
			return 0;
		}
		return 1000000000ull / n;
	}
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
		if (!strcmp(p, units[i].unit)) {
			if (n == 0) {
				snprintf(why, whylen, "%s: interval must not be 0", name);
				return 0;
			}
			return n * units[i].ns;
		}
	snprintf(why, whylen, "%s: unknown unit \"%s\" (ns us ms s m h d hz)", name, p);
	return 0;
}

void tr_list_probes(void (*write)(void *, const char *, size_t), void *ctx)
{
	char line[256], arg[32];
	struct tr_probe_name n;

	snprintf(line, sizeof line, "%5s %-10s %-8s %-16s %-10s %s\n", "ID", "PROVIDER", "MODULE",
		 "FUNCTION", "NAME", "ARGUMENTS");
	write(ctx, line, strlen(line));
	for (uint16_t p = 0; p < HL_PROBE_COUNT; p++) {
		uint64_t calls = is_syscall_probe(p) ? HL_SYS_COUNT : 1;

		for (uint64_t nr = 0; nr < calls; nr++) {
			int len;

			tr_probe_name(p, nr, &n);
			len = snprintf(line, sizeof line, "%5u %-10s %-8s %-16s %-10s", p, n.prov, n.mod,
				       n.func, n.name);
			for (int i = 0; i < kprobes[p].nargs && len < (int)sizeof line - 40; i++)
				len += snprintf(line + len, sizeof line - (size_t)len, "%s%s",
						i ? ", " : " ", tr_probe_argname(p, i, arg, sizeof arg));
			line[len++] = '\n';
			write(ctx, line, (size_t)len);
		}
	}
	snprintf(line, sizeof line, "%5s %-10s %-8s %-16s %-10s %s\n", "-", "user", "", "", "N",
		 "arg0, arg1, arg2, arg3 (user probe N, 0-32767)");
	write(ctx, line, strlen(line));
	snprintf(line, sizeof line, "%5s %-10s %-8s %-16s %-10s\n%5s %-10s %-8s %-16s %-10s\n", "-",
		 "dtrace", "", "", "BEGIN", "-", "dtrace", "", "", "END");
	write(ctx, line, strlen(line));
	snprintf(line, sizeof line, "%5s %-10s %-8s %-16s %-10s\n%5s %-10s %-8s %-16s %-10s\n", "-",
		 "profile", "", "", "tick-N", "-", "profile", "", "", "profile-N");
	write(ctx, line, strlen(line));
}
