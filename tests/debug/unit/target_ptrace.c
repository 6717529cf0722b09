/*
 * target_ptrace.c: local processes through ptrace with the symbol reader:
 * spawn at entry, PIE bias and libraries from the link map, int3
 * breakpoints, CFI backtraces and variables at -O0 and -O2, single step
 * against the follow set, a segfault, threads, attach, and refusals.
 */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "acidtest.h"

static struct sym *load(const char *path, struct target *t)
{
	char err[256];
	uint8_t auxv[1024];
	struct sym *s = sym_open(path, err, sizeof err);
	long n = target_auxv(t, auxv, sizeof auxv);

	if (s && n > 0)
		sym_load_modules(s, auxv, n, target_mem_cb, t);
	return s;
}

static int64_t var_int(struct sym *s, struct target *t, struct acid_regs *r, uint64_t pc,
		       const char *name, int *found)
{
	struct sym_var *vars[32];
	int n = sym_vars_at(s, pc, vars, 32);
	struct sym_loc loc;
	int64_t v = 0;

	*found = 0;
	for (int i = 0; i < n && i < 32; i++) {
		if (strcmp(vars[i]->name, name) || sym_var_locate(s, vars[i], pc, r, target_mem_cb, t, &loc) < 0)
			continue;
		if (loc.kind == SYM_LOC_ADDR && target_read_mem(t, loc.addr, &v, 4) == 0)
			*found = 1;
		else if (loc.kind == SYM_LOC_REG && (r->valid & (1u << loc.reg)))
			v = r->v[loc.reg], *found = 1;
		else if (loc.kind == SYM_LOC_VALUE)
			memcpy(&v, loc.bytes, 4), *found = 1;
		v = (int32_t)v;
	}
	return v;
}

static void check_symprog(const char *opt)
{
	char err[256], bt[512];
	char *argv[] = { prog_path("symprog", opt), NULL };
	struct target *t = target_spawn(argv, err, sizeof err);
	struct target_stop st;
	struct acid_regs frames[16];
	struct sym_symbol leaf, f;
	struct bp b;
	uint64_t pc;

	if (!ok(t != NULL, "%s: spawned (%s)", opt, t ? "" : err))
		return;
	struct sym *s = load(argv[0], t);
	ok(s && sym_nmodules(s) >= 2, "%s: link map gives %d modules", opt, s ? sym_nmodules(s) : 0);
	int libc = 0;
	for (int i = 1; s && i < sym_nmodules(s); i++)
		libc |= strstr(sym_module_path(s, i, NULL), "libc.so") != NULL;
	ok(libc, "%s: libc is among them", opt);
	ok(target_get_reg(t, ACID_REG_RIP, &pc) == 0 && sym_func_at(s, pc, &f) == 0 && strcmp(f.name, "_start") == 0,
	   "%s: stopped at _start", opt);
	ok(sym_lookup(s, "leaf", &leaf) == 0 && leaf.addr > 0x500000000000ull, "%s: PIE bias applied to leaf", opt);

	/* breakpoint at leaf's entry: args are in registers, CFI has to unwind */
	ok(bp_set(t, &b, leaf.addr) == 0, "%s: breakpoint planted", opt);
	ok(target_cont(t, 0) == 0 && target_wait(t, &st) == 0 && st.event == TARGET_EV_BREAKPOINT &&
	   st.pc == leaf.addr, "%s: stops at the breakpoint on leaf", opt);
	int n = backtrace(s, t, bt, sizeof bt, frames, 16);
	if (strcmp(opt, "O0") == 0)
		ok(strncmp(bt, "leaf recurse recurse recurse recurse main", 41) == 0, "%s: backtrace %s", opt, bt);
	else
		ok(strncmp(bt, "leaf recurse", 12) == 0 && strstr(bt, " main"), "%s: backtrace %s", opt, bt);
	ok(strstr(bt, "__libc_start") != NULL && n < 16, "%s: unwinding ends in libc start code (%d frames)", opt, n);

	int found;
	if (strcmp(opt, "O2") == 0) {	/* at -O0 the prologue has not stored it yet */
		int64_t depth = var_int(s, t, &frames[0], leaf.addr, "depth", &found);
		ok(found && depth == 0, "%s: leaf's depth at entry is 0 (%lld)", opt, (long long)depth);
	} else {
		int64_t nv = var_int(s, t, &frames[2], frames[2].v[ACID_REG_RIP] - 1, "n", &found);
		ok(found && nv == 1, "%s: frame 2's n is 1", opt);
		int64_t lv = var_int(s, t, &frames[2], frames[2].v[ACID_REG_RIP] - 1, "local", &found);
		ok(found && lv == 2, "%s: frame 2's local is 2", opt);
	}

	/* one instruction: lands where the follow set said */
	uint64_t next[2];
	struct acid_regs r;
	bp_clear(t, &b);	/* else follow decodes the int3 */
	target_get_regs(t, &r);
	int nn = sym_follow(r.v[ACID_REG_RIP], &r, target_mem_cb, t, next, 2);
	ok(target_step(t) == 0 && target_wait(t, &st) == 0 && st.event == TARGET_EV_STEP, "%s: stepped", opt);
	ok(nn >= 1 && (st.pc == next[0] || (nn == 2 && st.pc == next[1])), "%s: step landed in the follow set", opt);

	ok(cont_wait(t, NULL, &st) == 0 && st.event == TARGET_EV_EXITED && st.code == 0, "%s: runs to exit 0", opt);
	ok(!target_alive(t) && target_read_mem(t, leaf.addr, &pc, 1) < 0, "%s: a dead target refuses reads", opt);
	target_close(t);
	sym_close(s);
}

static void check_segv(void)
{
	char err[256], bt[512];
	char *argv[] = { prog_path("segv", "O2"), NULL };
	struct target *t = target_spawn(argv, err, sizeof err);
	struct target_stop st;
	struct acid_regs fr[8];

	if (!ok(t != NULL, "segv: spawned"))
		return;
	struct sym *s = load(argv[0], t);
	ok(target_cont(t, 0) == 0 && target_wait(t, &st) == 0 && st.event == TARGET_EV_SIGNAL && st.signo == SIGSEGV,
	   "segv: stops with SIGSEGV");
	backtrace(s, t, bt, sizeof bt, fr, 8);
	ok(strncmp(bt, "crash middle main", 17) == 0, "segv: backtrace at the fault: %s", bt);
	ok(target_kill(t) == 0 && !target_alive(t), "segv: killed");
	target_close(t);
	sym_close(s);
}

static void check_threads(void)
{
	char err[256], bt[512];
	char *argv[] = { prog_path("threads", "O0"), NULL };
	struct target *t = target_spawn(argv, err, sizeof err);
	struct target_stop st;
	struct sym_symbol ws;
	struct bp b;
	struct acid_regs fr[8];
	int tids[3] = { 0 }, distinct = 1, maxthreads = 0, all_bp = 1;

	if (!ok(t != NULL, "threads: spawned"))
		return;
	struct sym *s = load(argv[0], t);
	sym_lookup(s, "worker_stop", &ws);
	bp_set(t, &b, ws.addr);
	for (int i = 0; i < 3; i++) {
		int tt[16];
		if (cont_wait(t, i ? &b : NULL, &st) < 0 || st.event != TARGET_EV_BREAKPOINT) {
			all_bp = 0;
			break;
		}
		tids[i] = st.tid;
		int n = target_threads(t, tt, 16);
		maxthreads = n > maxthreads ? n : maxthreads;
		for (int j = 0; j < i; j++)
			distinct &= tids[j] != tids[i];
		if (i == 0) {
			backtrace(s, t, bt, sizeof bt, fr, 8);
			ok(strncmp(bt, "worker_stop worker", 18) == 0, "threads: thread backtrace %s", bt);
		}
	}
	ok(all_bp && distinct && tids[0] != target_pid(t), "threads: three threads hit the breakpoint");
	ok(maxthreads >= 2, "threads: %d threads listed at once", maxthreads);
	ok(target_select_thread(t, 999999) < 0, "threads: selecting a missing thread fails");
	uint64_t pc;
	target_get_reg(t, ACID_REG_RIP, &pc);
	bp_clear(t, &b);
	ok(cont_wait(t, NULL, &st) == 0 && st.event == TARGET_EV_EXITED && st.code == 0, "threads: exits 0");
	target_close(t);
	sym_close(s);
}

/* 1 if every thread of pid other than tid is in a ptrace stop ('t'). */
static int others_stopped(int pid, const int *tids, int n)
{
	for (int i = 0; i < n; i++) {
		char path[64], buf[256];
		snprintf(path, sizeof path, "/proc/%d/task/%d/stat", pid, tids[i]);
		FILE *f = fopen(path, "r");
		if (!f)
			continue;	/* it exited */
		char *r = fgets(buf, sizeof buf, f), *paren = r ? strrchr(buf, ')') : NULL;
		fclose(f);
		if (!paren || paren[2] != 't')
			return 0;
	}
	return 1;
}

/* Four threads hit one breakpoint together: every hit is reported once,
 * one at a time, on the breakpoint, with all threads stopped; a breakpoint
 * removed while hits are still queued loses none of the program's work. */
static void check_race(const char *opt, int hits_before_clear)
{
	char err[256];
	char *argv[] = { prog_path("race", opt), NULL };
	struct target *t = target_spawn(argv, err, sizeof err);
	struct target_stop st;
	struct sym_symbol rh;
	struct bp b;
	int hits = 0, on_bp = 1, stopped = 1, tidset[16] = { 0 }, ntid = 0;

	if (!ok(t != NULL, "race %s: spawned", opt))
		return;
	struct sym *s = load(argv[0], t);
	ok(sym_lookup(s, "race_hit", &rh) == 0 && bp_set(t, &b, rh.addr) == 0, "race %s: breakpoint on race_hit", opt);
	while (hits < hits_before_clear) {
		if (cont_wait(t, hits ? &b : NULL, &st) < 0 || st.event != TARGET_EV_BREAKPOINT)
			break;
		hits++;
		on_bp &= st.pc == rh.addr;
		int tt[16], n = target_threads(t, tt, 16), seen = 0;
		stopped &= others_stopped(target_pid(t), tt, n < 16 ? n : 16);
		for (int i = 0; i < ntid; i++)
			seen |= tidset[i] == st.tid;
		if (!seen && ntid < 16)
			tidset[ntid++] = st.tid;
	}
	ok(hits == hits_before_clear, "race %s: %d of %d breakpoint hits reported (last event %d)", opt, hits,
	   hits_before_clear, st.event);
	ok(on_bp, "race %s: every hit has the pc on the breakpoint", opt);
	ok(stopped, "race %s: all threads stopped at every report", opt);
	ok(ntid >= 2, "race %s: hits came from %d threads", opt, ntid);
	bp_clear(t, &b);
	ok(cont_wait(t, NULL, &st) == 0 && st.event == TARGET_EV_EXITED && st.code == 0,
	   "race %s: queued hits of a removed breakpoint dropped; exits 0 (event %d code %d)", opt, st.event, st.code);
	target_close(t);
	sym_close(s);
}

static void check_attach_and_errors(void)
{
	char err[256];
	char *bad[] = { "/nonexistent/program", NULL };
	pid_t child = fork();

	if (child == 0) {
		execlp("sleep", "sleep", "30", (char *)NULL);
		_exit(1);
	}
	usleep(200000);
	struct target *t = target_attach(child, err, sizeof err);
	uint64_t sp;
	ok(t && target_get_reg(t, ACID_REG_RSP, &sp) == 0 && sp > 0, "attach: registers read (%s)", t ? "" : err);
	ok(t && target_syscall(t) == 0, "attach: resumed to the next system call");
	if (t)
		target_stop(t);
	struct target_stop st;
	ok(t && target_wait(t, &st) == 0, "attach: stopped again");
	target_close(t);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);

	ok(target_spawn(bad, err, sizeof err) == NULL && strstr(err, "No such file"), "spawn refuses: %s", err);
	ok(target_attach(0, err, sizeof err) == NULL, "attach 0 refused: %s", err);
	ok(target_attach(999999999, err, sizeof err) == NULL, "attach to no process refused: %s", err);
	ok(target_remote("127.0.0.1:1", err, sizeof err) == NULL, "remote to a closed port refused: %s", err);
	ok(target_remote("nonsense", err, sizeof err) == NULL, "remote without a port refused: %s", err);
}

int main(void)
{
	check_symprog("O0");
	check_symprog("O2");
	check_segv();
	alarm(40);	/* a hang in the thread test must not stall make check */
	check_threads();
	check_race("O0", 20);	/* every hit (4 threads x 5 rounds) */
	check_race("O2", 9);	/* then the rest run free */
	alarm(0);
	check_attach_and_errors();
	return done_testing();
}
