/*
 * prim_proc.c: process control builtins, the ctl verbs of acid's /proc
 * model mapped onto the target interface.
 *
 *   newproc(args)     start the program (args: a string or a list), stopped at entry
 *   attach(pid)       attach to a running process
 *   startstop([sig])  resume all threads and wait for the next stop
 *   step1()           execute one instruction of the selected thread
 *   sysstop()         resume until the thread enters or leaves a system call
 *   procstart([sig]) / procstop() / waitstop()   the asynchronous halves
 *   prockill()        kill the process
 *   status(), reason(), threads(), setthread(tid), curthread(),
 *   targetkind(), targetcaps(), bpinsert(addr), bpremove(addr), regval(name)
 * Every stop is described as {what, signo or exit code, tid, pc} with what
 * one of "signal" "breakpoint" "step" "syscall" "exited" "killed".
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "session.h"

static struct acid_value acid_last_stop;

static const char *event_name(enum target_event e)
{
	switch (e) {
	case TARGET_EV_SIGNAL: return "signal";
	case TARGET_EV_BREAKPOINT: return "breakpoint";
	case TARGET_EV_STEP: return "step";
	case TARGET_EV_SYSCALL: return "syscall";
	case TARGET_EV_EXITED: return "exited";
	default: return "killed";
	}
}

static struct acid_value stop_value(const struct target_stop *st)
{
	struct acid_value v = acid_list(4);

	v.l->v[0] = acid_cstr(event_name(st->event));
	v.l->v[1] = acid_int(st->event == TARGET_EV_EXITED || st->event == TARGET_EV_SYSCALL
	                     ? st->code : st->signo, 'D');
	v.l->v[2] = acid_int(st->tid, 'D');
	v.l->v[3] = acid_int((int64_t)st->pc, 'a');
	return v;
}

/* Every caller resumes the program: flush first, so what acid printed
 * comes before whatever the program prints to the same output. */
static struct target *need_running(struct acid *a)
{
	struct target *t = acid_need_target(a);

	fflush(acid_out(a));

	if (!(target_caps(t) & TARGET_CAN_RUN))
		acid_error(a, "the %s target cannot run", target_kind(t));
	if (!target_alive(t))
		acid_error(a, "the process is gone: start a new one with new()");
	return t;
}

static struct acid_value wait_stop(struct acid *a, struct target *t, int refresh)
{
	struct target_stop st;

	if (target_wait(t, &st) < 0)
		acid_error(a, "wait: %s", target_error(t));
	acid_last_stop = stop_value(&st);
	if (refresh && st.event != TARGET_EV_EXITED && st.event != TARGET_EV_KILLED)
		acid_sess_refresh_modules(acid_sess);
	return acid_last_stop;
}

/* Makes t the current target and sets acid's pid (see session.h). */
void acid_sess_set_target(struct acid_session *s, struct target *t)
{
	if (s->tgt != t)
		target_close(s->tgt);
	s->tgt = t;
	acid_var_set(s->a, "pid", acid_int(target_pid(t), 'D'));
	acid_sess_refresh_modules(s);
}

/* Splits a command line at blanks (no quoting: pass a list for that). */
static char **split_args(struct acid *a, struct acid_value v)
{
	char **argv;
	int n = 0;

	if (v.kind == AV_LIST) {
		argv = acid_alloc((v.l->n + 1) * sizeof *argv);
		for (int i = 0; i < v.l->n; i++)
			argv[n++] = acid_strdup(acid_need_str(a, v.l->v[i], "newproc argument"));
	} else {
		char *s = acid_strdup(acid_need_str(a, v, "newproc")), *tok, *save;

		argv = acid_alloc((strlen(s) / 2 + 2) * sizeof *argv);
		for (tok = strtok_r(s, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save))
			argv[n++] = tok;
	}
	if (n == 0)
		acid_error(a, "newproc: no program");
	argv[n] = NULL;
	return argv;
}

static void bi_newproc(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	char err[512];
	struct target *t;
	char **args;

	if (argc != 1)
		acid_error(a, "newproc: expected 1 argument");
	args = split_args(a, argv[0]);
	/* Kill the old process first: it may hold resources the new one needs. */
	target_close(acid_sess->tgt);
	acid_sess->tgt = NULL;
	t = target_spawn(args, err, sizeof err);
	if (!t)
		acid_error(a, "newproc: %s", err);
	acid_sess_set_target(acid_sess, t);
	*ret = acid_int(target_pid(t), 'D');
}

static void bi_attach(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	char err[512];
	struct target *t;

	if (argc != 1)
		acid_error(a, "attach: expected 1 argument");
	t = target_attach((int)acid_need_int(a, argv[0], "attach pid"), err, sizeof err);
	if (!t)
		acid_error(a, "attach: %s", err);
	acid_sess_set_target(acid_sess, t);
	*ret = acid_int(target_pid(t), 'D');
}

static int opt_signal(struct acid *a, int argc, struct acid_value *argv, const char *fn)
{
	if (argc > 1)
		acid_error(a, "%s: expected at most 1 argument", fn);
	return argc ? (int)acid_need_int(a, argv[0], "signal") : 0;
}

static void bi_startstop(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	struct target *t = need_running(a);

	if (target_cont(t, opt_signal(a, argc, argv, "startstop")) < 0)
		acid_error(a, "startstop: %s", target_error(t));
	*ret = wait_stop(a, t, 1);
}

static void bi_procstart(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	struct target *t = need_running(a);

	if (target_cont(t, opt_signal(a, argc, argv, "procstart")) < 0)
		acid_error(a, "procstart: %s", target_error(t));
	*ret = acid_none();
}

static void bi_waitstop(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	(void)argv;
	if (argc)
		acid_error(a, "waitstop: expected no arguments");
	*ret = wait_stop(a, need_running(a), 1);
}

static void bi_procstop(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	struct target *t = need_running(a);

	(void)argv;
	if (argc)
		acid_error(a, "procstop: expected no arguments");
	if (target_stop(t) < 0)
		acid_error(a, "procstop: %s", target_error(t));
	*ret = acid_none();
}

static void bi_step1(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	struct target *t = need_running(a);

	(void)argv;
	if (argc)
		acid_error(a, "step1: expected no arguments");
	if (target_step(t) < 0)
		acid_error(a, "step1: %s", target_error(t));
	*ret = wait_stop(a, t, 0);
}

static void bi_sysstop(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	struct target *t = need_running(a);

	(void)argv;
	if (argc)
		acid_error(a, "sysstop: expected no arguments");
	if (!(target_caps(t) & TARGET_CAN_SYSCALL))
		acid_error(a, "sysstop: the %s target cannot stop at system calls", target_kind(t));
	if (target_syscall(t) < 0)
		acid_error(a, "sysstop: %s", target_error(t));
	*ret = wait_stop(a, t, 0);
}

static void bi_prockill(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	struct target *t = need_running(a);

	(void)argv;
	if (argc)
		acid_error(a, "prockill: expected no arguments");
	if (target_kill(t) < 0)
		acid_error(a, "prockill: %s", target_error(t));
	*ret = acid_none();
}

static void bi_status(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	struct target *t = acid_sess->tgt;

	(void)argv;
	if (argc)
		acid_error(a, "status: expected no arguments");
	if (!t)
		*ret = acid_cstr("None");
	else if (!(target_caps(t) & TARGET_CAN_RUN))
		*ret = acid_cstr("Static");
	else
		*ret = acid_cstr(target_alive(t) ? "Stopped" : "Dead");
}

static void bi_reason(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	(void)argv;
	if (argc)
		acid_error(a, "reason: expected no arguments");
	*ret = acid_last_stop.kind == AV_LIST ? acid_last_stop : acid_list(0);
}

static void bi_threads(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	struct target *t = need_running(a);
	int tids[256];
	int n = target_threads(t, tids, 256);

	(void)argv;
	if (argc)
		acid_error(a, "threads: expected no arguments");
	if (n < 0)
		acid_error(a, "threads: %s", target_error(t));
	if (n > 256)
		n = 256;
	*ret = acid_list(n);
	for (int i = 0; i < n; i++)
		ret->l->v[i] = acid_int(tids[i], 'D');
}

static void bi_setthread(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	struct target *t = need_running(a);

	if (argc != 1)
		acid_error(a, "setthread: expected 1 argument");
	if (target_select_thread(t, (int)acid_need_int(a, argv[0], "setthread tid")) < 0)
		acid_error(a, "setthread: %s", target_error(t));
	*ret = acid_none();
}

static void bi_curthread(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	(void)argv;
	if (argc)
		acid_error(a, "curthread: expected no arguments");
	*ret = acid_int(target_current_thread(need_running(a)), 'D');
}

static void bi_targetkind(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	(void)argv;
	(void)argc;
	(void)a;
	*ret = acid_cstr(acid_sess->tgt ? target_kind(acid_sess->tgt) : "none");
}

static void bi_targetcaps(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	int caps = acid_sess->tgt ? target_caps(acid_sess->tgt) : 0;
	struct acid_value l = acid_list(0);
	static const struct { int bit; const char *name; } names[] = {
		{ TARGET_CAN_RUN, "run" }, { TARGET_CAN_REGS, "regs" }, { TARGET_CAN_WRITE, "write" },
		{ TARGET_CAN_BP, "bp" }, { TARGET_CAN_SYSCALL, "syscall" },
	};

	(void)argv;
	(void)argc;
	(void)a;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (caps & names[i].bit)
			l = acid_list_append(l, acid_cstr(names[i].name));
	*ret = l;
}

static void bp_call(struct acid *a, int argc, struct acid_value *argv, int insert)
{
	struct target *t = need_running(a);
	uint64_t addr;

	if (argc != 1)
		acid_error(a, "%s: expected 1 argument", insert ? "bpinsert" : "bpremove");
	addr = (uint64_t)acid_need_int(a, argv[0], "address");
	if ((insert ? target_bp_insert(t, addr) : target_bp_remove(t, addr)) < 0)
		acid_error(a, "%s: %s", insert ? "bpinsert" : "bpremove", target_error(t));
}

static void bi_bpinsert(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	bp_call(a, argc, argv, 1);
	*ret = acid_none();
}

static void bi_bpremove(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	bp_call(a, argc, argv, 0);
	*ret = acid_none();
}

/* regval(name): the value of register name ("RAX", "PC") in the selected thread. */
static void bi_regval(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	struct target *t = acid_need_target(a);
	const char *name;
	uint64_t v;
	int r;

	if (argc != 1)
		acid_error(a, "regval: expected 1 argument");
	name = acid_need_str(a, argv[0], "regval");
	r = strcmp(name, "PC") == 0 ? ACID_REG_RIP : strcmp(name, "SP") == 0 ? ACID_REG_RSP
	    : acid_reg_lookup(name);
	if (r < 0)
		acid_error(a, "regval: no register %s", name);
	if (target_get_reg(t, r, &v) < 0)
		acid_error(a, "regval: %s", target_error(t));
	*ret = acid_int((int64_t)v, 'Y');
}

static const struct {
	const char *name;
	acid_builtin_fn *fn;
} acid_proc_builtins[] = {
	{ "regval", bi_regval },
	{ "newproc", bi_newproc }, { "attach", bi_attach }, { "startstop", bi_startstop },
	{ "procstart", bi_procstart }, { "waitstop", bi_waitstop }, { "procstop", bi_procstop },
	{ "step1", bi_step1 }, { "sysstop", bi_sysstop }, { "prockill", bi_prockill },
	{ "status", bi_status }, { "reason", bi_reason }, { "threads", bi_threads },
	{ "setthread", bi_setthread }, { "curthread", bi_curthread },
	{ "targetkind", bi_targetkind }, { "targetcaps", bi_targetcaps },
	{ "bpinsert", bi_bpinsert }, { "bpremove", bi_bpremove },
};

/* Registers the process builtins listed at the top of this file. */
void acid_prim_proc_init(struct acid *a)
{
	for (size_t i = 0; i < sizeof acid_proc_builtins / sizeof acid_proc_builtins[0]; i++)
		acid_builtin_add(a, acid_proc_builtins[i].name, acid_proc_builtins[i].fn);
}
