/*
 * mkstream.c: writes recorded streams for the trace tests and bench, in
 * the kernel's format (helios/trace.h: the ring header, then records).
 *
 *   mkstream IN.txt OUT     one record per line of IN.txt:
 *                             TSC PROBE CPU THREAD [ARG...]
 *                           PROBE is a name of HL_PROBES ("syscall:entry"),
 *                           "user:N", or a number (then nargs = the ARGs given);
 *                           "hz N" sets the header's tsc_hz (default 10^9);
 *                           '#' starts a comment
 *   mkstream -n COUNT OUT   COUNT syscall:entry records, the call number
 *                           cycling through every system call, 4 threads
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <helios/syscall.h>
#include <helios/trace.h>

static const struct { const char *name; int nargs; } probes[] = {
#define P(id, group, name, scope, nargs, args) [HL_PROBE_##id] = { name, nargs },
	HL_PROBES(P)
#undef P
};

static int probe_id(const char *s, int *nargs)
{
	char *end;
	long v;

	for (int i = 0; i < HL_PROBE_COUNT; i++)
		if (!strcmp(probes[i].name, s)) {
			*nargs = probes[i].nargs;
			return i;
		}
	if (!strncmp(s, "user:", 5)) {
		*nargs = 4;
		v = strtol(s + 5, &end, 10);
		return *end || v < 0 || v >= HL_TRACE_USER_PROBES ? -1 : (int)(HL_TRACE_USER_BASE + v);
	}
	*nargs = -1;
	v = strtol(s, &end, 0);
	return *end || v < 0 || v > 0xffff ? -1 : (int)v;
}

static void header(FILE *out, uint64_t hz, uint64_t count)
{
	struct hl_trace_header h = { .magic = HL_TRACE_MAGIC, .capacity = count, .head = count,
				     .tsc_hz = hz };

	fwrite(&h, sizeof h, 1, out);
}

static int bench_stream(long count, const char *path)
{
	FILE *out = fopen(path, "wb");

	if (!out) {
		perror(path);
		return 1;
	}
	header(out, 1000000000, (uint64_t)count);
	for (long i = 0; i < count; i++) {
		struct hl_trace_record r = { .tsc = 1000 + (uint64_t)i * 250, .probe = HL_PROBE_SYSCALL_ENTRY,
					     .cpu = 0, .nargs = 6, .thread = 1 + (uint32_t)(i % 4) };

		r.arg[0] = (uint64_t)(i % HL_SYS_COUNT);
		r.arg[1] = (uint64_t)i;
		fwrite(&r, sizeof r, 1, out);
	}
	return fclose(out) ? 1 : 0;
}

static int text_stream(const char *in_path, const char *path)
{
	FILE *in = fopen(in_path, "r"), *out;
	char line[1024];
	uint64_t hz = 1000000000;
	int lineno = 0;
	long hdr;

	if (!in || !(out = fopen(path, "wb"))) {
		perror(in ? path : in_path);
		return 1;
	}
	hdr = ftell(out);
	header(out, hz, 0);
	while (fgets(line, sizeof line, in)) {
		struct hl_trace_record r = { 0 };
		char probe[64], *p = line;
		unsigned long long tsc;
		unsigned cpu, thread;
		int used, nargs, id, n = 0;

		lineno++;
		if (strchr(line, '#'))
			*strchr(line, '#') = '\0';
		if (line[strspn(line, " \t\r\n")] == '\0')
			continue;
		if (sscanf(line, "hz %llu", &tsc) == 1) {
			hz = tsc;
			continue;
		}
		if (sscanf(line, "%llu %63s %u %u%n", &tsc, probe, &cpu, &thread, &used) != 4 ||
		    (id = probe_id(probe, &nargs)) < 0) {
			fprintf(stderr, "%s:%d: expected TSC PROBE CPU THREAD [ARG...]\n", in_path, lineno);
			return 1;
		}
		for (p += used; n < HL_TRACE_ARGS;) {
			char *end;
			unsigned long long v = strtoull(p, &end, 0);

			if (end == p)
				break;
			r.arg[n++] = v;
			p = end;
		}
		r.tsc = tsc;
		r.probe = (uint16_t)id;
		r.cpu = (uint8_t)cpu;
		r.thread = thread;
		r.nargs = (uint8_t)(nargs < 0 ? n : nargs);
		fwrite(&r, sizeof r, 1, out);
	}
	fseek(out, hdr, SEEK_SET);
	header(out, hz, 0);
	fclose(in);
	return fclose(out) ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "-n"))
		return bench_stream(atol(argv[2]), argv[3]);
	if (argc == 3)
		return text_stream(argv[1], argv[2]);
	fprintf(stderr, "usage: mkstream IN.txt OUT | mkstream -n COUNT OUT\n");
	return 2;
}
