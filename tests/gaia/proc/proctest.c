/*
 * proctest: the process service's in-OS suite, a program of svc/ started by
 * init with a proc cap (docs/proc.md). It starts bin/pchild in its ways
 * (exit, fault, spin until killed, check its caps) and tries every error:
 * TAP on the console, relayed by tests/qemu/proc.t; init then ends the run
 * and prints what the process pool lost (0).
 */
#include <mercury/printf.h>
#include <mercury/runtime.h>
#include <mercury/string.h>

#include "os_tap.h"
#include "proc_client.h"

static hl_cptr_t svc;

/* argv words joined with NULs into buf; returns the length. */
static size_t pack(uint8_t *buf, const char *const *argv)
{
	size_t len = 0;

	for (; *argv; argv++) {
		size_t l = strlen(*argv) + 1;
		memcpy(buf + len, *argv, l);
		len += l;
	}
	return len;
}

/* create + grant console (if give_console) + start; the status of the first failing step. */
static int64_t run(const char *const *argv, uint32_t kib, int give_console, uint64_t *pid)
{
	uint8_t args[400];
	uint32_t h;
	enum hl_error st = proc_create(svc, "bin/pchild", args, pack(args, argv), kib, &h);

	if (st == E_OK && give_console)
		st = proc_grant(svc, h, "console", proc_cap("console"));
	if (st == E_OK)
		st = proc_start(svc, h, pid);
	return st;
}

static void waits_for(uint64_t pid, int how, int64_t code, uint64_t fault, const char *what)
{
	uint8_t h = 0;
	int64_t c = 0;
	uint64_t f = 0, a = 0;
	enum hl_error st = proc_wait(svc, pid, &h, &c, &f, &a);

	is(st, E_OK, what);
	is(h, how, "  how it ended");
	is(c, code, "  its exit code");
	is((int64_t)f, (int64_t)fault, "  its fault type");
}

static void lifecycle(void)
{
	uint64_t pid = 0;
	uint8_t state, how;
	int64_t code;
	uint64_t fault, addr;

	is(run((const char *[]){ "pchild", "exit", "7", NULL }, 512, 1, &pid), E_OK, "start pchild exit 7");
	waits_for(pid, 1, 7, 0, "wait: it exited");
	is(proc_wait(svc, pid, &how, &code, &fault, &addr), E_NOCAP, "a second wait: E_NOCAP (collected)");

	is(run((const char *[]){ "pchild", "fault", NULL }, 512, 0, &pid), E_OK, "start pchild fault");
	waits_for(pid, 2, 0, HL_FAULT_PAGE, "wait: it faulted");

	is(run((const char *[]){ "pchild", "spin", NULL }, 512, 0, &pid), E_OK, "start pchild spin");
	is(proc_status(svc, pid, &state, &how, &code, &fault, &addr), E_OK, "status of a running process");
	is(state, 2, "  state 2: running");
	is(proc_kill(svc, pid), E_OK, "kill it");
	is(proc_status(svc, pid, &state, &how, &code, &fault, &addr), E_OK, "status after kill");
	is(state, 3, "  state 3: ended");
	waits_for(pid, 3, 0, 0, "wait: it was killed");
	is(proc_kill(svc, pid), E_NOCAP, "kill a collected pid: E_NOCAP");
}

static void exact_caps(void)
{
	uint8_t args[400];
	const char *argv[] = { "pchild", "caps", "console", "mine", NULL };
	uint64_t pid = 0;
	uint32_t h;

	is(proc_create(svc, "bin/pchild", args, pack(args, argv), 512, &h), E_OK, "create pchild caps");
	is(proc_grant(svc, h, "console", proc_cap("console")), E_OK, "grant console");
	is(proc_grant(svc, h, "mine", proc_cap("ep")), E_OK, "grant our endpoint as mine");
	is(proc_grant(svc, h, "mine", proc_cap("ep")), E_EXIST, "the same name twice: E_EXIST");
	is(proc_grant(svc, h, "", proc_cap("ep")), E_RANGE, "an empty name: E_RANGE");
	is(proc_start(svc, h, &pid), E_OK, "start it");
	waits_for(pid, 1, 0, 0, "it holds exactly console and mine, no bus or proc cap");
	is(proc_grant(svc, h, "late", proc_cap("ep")), E_NOCAP, "grant to a started handle: E_NOCAP");
}

static void refusals(void)
{
	uint8_t args[400];
	const char *argv[] = { "pchild", NULL };
	size_t len = pack(args, argv);
	uint32_t h;
	uint64_t pid, fault, addr;
	uint8_t how;
	int64_t code;

	is(proc_create(svc, "bin/none", args, len, 512, &h), E_NOCAP, "create a file not there: E_NOCAP");
	is(proc_create(svc, "bin/pchild", args, len, 1u << 20, &h), E_RANGE, "create with 1 GiB: E_RANGE");
	is(proc_create(svc, "bin/pchild", (const uint8_t *)"pchild", 6, 512, &h), E_RANGE,
	   "args not NUL-terminated: E_RANGE");
	is(proc_create(svc, "bin/pchild", args, 0, 512, &h), E_RANGE, "no argv[0]: E_RANGE");
	is(proc_grant(svc, 31, "x", proc_cap("ep")), E_NOCAP, "grant to a handle never made: E_NOCAP");
	is(proc_grant(svc, 1000, "x", proc_cap("ep")), E_NOCAP, "grant to handle 1000: E_NOCAP");
	is(proc_start(svc, 1000, &pid), E_NOCAP, "start handle 1000: E_NOCAP");
	is(proc_wait(svc, 12345, &how, &code, &fault, &addr), E_NOCAP, "wait for a pid not ours: E_NOCAP");
	is(proc_kill(svc, 1), E_NOCAP, "kill pid 1 (the root thread, not ours): E_NOCAP");
	is(proc_create(svc, "bin/pchild", args, len, 512, &h), E_OK, "create one more");
	is(proc_grant(svc, h, "nothing", 0), E_INVAL, "grant without a cap: E_INVAL");
	is(proc_start(svc, h, &pid), E_OK, "it still starts");
	waits_for(pid, 1, 99, 0, "and exits 99 (no argument)");
}

/* The budget (8 MiB for svc/ programs): two of 4 MiB fit, a third does not. */
static void budget(void)
{
	uint64_t a = 0, b = 0, c = 0;
	const char *spin[] = { "pchild", "spin", NULL };

	is(run(spin, 4096, 0, &a), E_OK, "start a 4 MiB process");
	is(run(spin, 4096, 0, &b), E_OK, "and a second");
	is(run(spin, 4096, 0, &c), E_NOMEM, "a third is over the budget: E_NOMEM");
	is(proc_kill(svc, a), E_OK, "kill the first");
	waits_for(a, 3, 0, 0, "  collected");
	is(run(spin, 4096, 0, &c), E_OK, "now a third fits");
	is(proc_kill(svc, b), E_OK, "kill the others");
	is(proc_kill(svc, c), E_OK, "");
	waits_for(b, 3, 0, 0, "  collected");
	waits_for(c, 3, 0, 0, "  collected");
}

static void many(void)
{
	unsigned good = 0;

	for (int i = 0; i < 40; i++) {
		uint64_t pid;
		uint8_t how;
		int64_t code;
		uint64_t f, a;
		if (run((const char *[]){ "pchild", "exit", "3", NULL }, 256, 0, &pid) == E_OK &&
		    proc_wait(svc, pid, &how, &code, &f, &a) == E_OK && how == 1 && code == 3)
			good++;
	}
	is(good, 40, "40 start and wait cycles (more than init's process table)");
}

int main(int argc, char **argv, char **envp)
{
	(void)argc, (void)argv, (void)envp;
	svc = proc_cap("proc");
	ok(svc != 0, "proctest holds a proc cap");
	if (svc) {
		lifecycle();
		exact_caps();
		refusals();
		budget();
		many();
	}
	return os_tap_done("proctest");
}
