/*
 * main.c: trace, the host command: compiles a D script (or assembles
 * hand-written bytecode), verifies it, and runs it over a recorded stream
 * of kernel trace records (docs/trace.md).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recorded.h"
#include "trace.h"

static const char usage[] =
	"usage: trace [-qSlV] (-s script.d | -n 'program' | -A bytecode.tas) [-i stream]\n"
	"             [-p procs] [-m PID:ADDR:FILE] [-d PID] [-k ELF] [-u PID:ELF]\n"
	"             [-t stacks] [-w walltime-ns]\n"
	"  -s FILE    the D script          -n TEXT   the D program itself\n"
	"  -A FILE    bytecode in assembler syntax (verified before it runs)\n"
	"  -i FILE    recorded stream: the kernel's trace header and records\n"
	"  -p FILE    processes: lines \"tid pid execname\"\n"
	"  -m SPEC    memory image of process PID loaded at ADDR (for copyin)\n"
	"  -d PID     this consumer holds the debug capability of process PID\n"
	"  -k ELF     kernel symbols (stack(), %a)   -u PID:ELF  user symbols (ustack())\n"
	"  -t FILE    stacks of records: lines \"RECNO k|u PC...\"\n"
	"  -w NS      wall-clock time at TSC 0, in ns since the epoch\n"
	"  -q quiet   -S print the bytecode and stop   -l list probes\n"
	"  -V verify only: compile, verify, stop\n";

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 4096, n = 0;
	char *buf;

	if (!f)
		return NULL;
	buf = malloc(cap);
	while (buf) {
		size_t got = fread(buf + n, 1, cap - n - 1, f);

		n += got;
		if (got == 0)
			break;
		if (cap - n <= 1)
			buf = realloc(buf, cap *= 2);
	}
	fclose(f);
	if (buf)
		buf[n] = '\0';
	return buf;
}

static void write_stdout(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	fwrite(s, 1, n, stdout);
}

static int die(const char *msg)
{
	fflush(stdout);
	fprintf(stderr, "trace: %s\n", msg);
	return 1;
}

struct opts {
	const char *script, *program, *bytecode, *stream;
	int quiet, disasm, list, verify_only;
};

/* Options that feed the back end are applied as they come. */
static int parse_args(int argc, char **argv, struct opts *o, struct recorded *r, int64_t *wall)
{
	char err[512];
	int c, bad = 0;

	while ((c = getopt(argc, argv, "s:n:A:i:p:m:d:k:u:t:w:qSlVh")) != -1) {
		err[0] = '\0';
		switch (c) {
		case 's': o->script = optarg; break;
		case 'n': o->program = optarg; break;
		case 'A': o->bytecode = optarg; break;
		case 'i': o->stream = optarg; break;
		case 'p': bad = rec_add_procs(r, optarg, err, sizeof err); break;
		case 'm': bad = rec_add_memory(r, optarg, err, sizeof err); break;
		case 'd': bad = rec_add_debug(r, optarg, err, sizeof err); break;
		case 'k': bad = rec_add_ksyms(r, optarg, err, sizeof err); break;
		case 'u': bad = rec_add_usyms(r, optarg, err, sizeof err); break;
		case 't': bad = rec_add_stacks(r, optarg, err, sizeof err); break;
		case 'w': *wall = strtoll(optarg, NULL, 0); break;
		case 'q': o->quiet = 1; break;
		case 'S': o->disasm = 1; break;
		case 'l': o->list = 1; break;
		case 'V': o->verify_only = 1; break;
		default: fputs(usage, stderr); return 2;
		}
		if (bad)
			return die(err);
	}
	if (optind != argc || (!o->list && !!o->script + !!o->program + !!o->bytecode != 1)) {
		fputs(usage, stderr);
		return 2;
	}
	return 0;
}

/* The program from -s, -n or -A; NULL after reporting why. */
static struct tr_prog *load(const struct opts *o)
{
	char err[1024];
	const char *name = o->script ? o->script : o->bytecode ? o->bytecode : "<program>";
	char *text = o->program ? strdup(o->program) : slurp(name);
	struct tr_prog *p;

	if (!text) {
		snprintf(err, sizeof err, "%s: %s", name, strerror(errno));
		die(err);
		return NULL;
	}
	if (o->bytecode) {
		p = tr_assemble(text, name, err, sizeof err);
		if (p && !o->disasm && tr_verify(p, err, sizeof err) < 0) {
			fflush(stdout);
			fprintf(stderr, "trace: %s: the verifier refuses the program: %s\n", name, err);
			tr_prog_free(p);
			free(text);
			return NULL;
		}
	} else {
		p = tr_compile(text, name, err, sizeof err);
	}
	free(text);
	if (!p)
		die(err);
	return p;
}

int main(int argc, char **argv)
{
	struct opts o = { 0 };
	struct recorded *r = rec_new();
	struct tr_backend be;
	struct tr_session *s;
	struct tr_prog *p;
	int64_t wall = 0;
	char err[512];
	int status = parse_args(argc, argv, &o, r, &wall);

	if (status)
		goto out;
	if (o.list) {
		tr_list_probes(write_stdout, NULL);
		goto out;
	}
	p = load(&o);
	if (!p) {
		status = 1;
		goto out;
	}
	if (o.disasm || o.verify_only) {
		if (o.disasm)
			tr_disasm(p, write_stdout, NULL);
		tr_prog_free(p);
		goto out;
	}
	if (o.stream && rec_open_stream(r, o.stream, err, sizeof err) < 0) {
		status = die(err);
		tr_prog_free(p);
		goto out;
	}
	fflush(stdout);
	fprintf(stderr, "trace: %s matched %u probe%s\n", o.script ? o.script : o.bytecode ?
		o.bytecode : "program", tr_prog_matches(p), tr_prog_matches(p) == 1 ? "" : "s");
	rec_backend(r, &be);
	be.walltime_base = wall;
	s = tr_session_new(p, &be, o.quiet ? TR_QUIET : 0);
	status = tr_session_run(s);
	fflush(stdout);
	tr_session_free(s);
	tr_prog_free(p);
out:
	rec_free(r);
	return status;
}
