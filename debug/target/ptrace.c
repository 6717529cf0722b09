/*
 * ptrace.c: local Linux processes. All-stop: when any thread reports an
 * event, every other thread is stopped with SIGSTOP before target_wait
 * returns; an event another thread reported meanwhile is kept and delivered
 * by the next wait without resuming it. New threads are followed through
 * PTRACE_O_TRACECLONE. Memory goes through /proc/PID/mem (which writes even
 * read-only text, as breakpoints need). Spawned programs run with ASLR off,
 * as under gdb, so addresses repeat from run to run.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include "target_impl.h"

struct thread {
	int tid;
	int pending;		/* a wait status not yet reported, or -1 */
	int stop_expected;	/* we sent SIGSTOP that has not arrived yet */
	int in_syscall;		/* between syscall entry and exit stops */
	int running;		/* resumed by us and not yet seen stopped */
};

struct ptproc {
	int memfd;
	int spawned;
	struct thread *th;
	int nth;
};

static struct ptproc *P(struct target *t)
{
	return t->priv;
}

static struct thread *thread_of(struct target *t, int tid)
{
	for (int i = 0; i < P(t)->nth; i++)
		if (P(t)->th[i].tid == tid)
			return &P(t)->th[i];
	return NULL;
}

static struct thread *add_thread(struct target *t, int tid)
{
	struct ptproc *p = P(t);
	struct thread *th = thread_of(t, tid);

	if (th)
		return th;
	if (!(p->th = realloc(p->th, (p->nth + 1) * sizeof *p->th)))
		abort();
	th = &p->th[p->nth++];
	*th = (struct thread){ .tid = tid, .pending = -1 };
	return th;
}

static void drop_thread(struct target *t, int tid)
{
	struct ptproc *p = P(t);

	for (int i = 0; i < p->nth; i++)
		if (p->th[i].tid == tid) {
			p->th[i] = p->th[--p->nth];
			return;
		}
}

static int pt_read(struct target *t, uint64_t addr, void *buf, size_t len)
{
	ssize_t n = pread(P(t)->memfd, buf, len, (off_t)addr);

	if (n != (ssize_t)len)
		return target_fail(t, "cannot read %zu bytes at 0x%llx", len, (unsigned long long)addr);
	return 0;
}

static int pt_write(struct target *t, uint64_t addr, const void *buf, size_t len)
{
	ssize_t n = pwrite(P(t)->memfd, buf, len, (off_t)addr);

	if (n != (ssize_t)len)
		return target_fail(t, "cannot write %zu bytes at 0x%llx", len, (unsigned long long)addr);
	return 0;
}

/* user_regs_struct field offsets in acid register order. */
#define U(f) (int)(offsetof(struct user_regs_struct, f) / 8)
static const int user_slot[ACID_NREGS] = {
	U(rax), U(rbx), U(rcx), U(rdx), U(rsi), U(rdi), U(rbp), U(rsp),
	U(r8), U(r9), U(r10), U(r11), U(r12), U(r13), U(r14), U(r15),
	U(rip), U(eflags), U(cs), U(ss), U(ds), U(es), U(fs), U(gs),
	U(fs_base), U(gs_base), U(orig_rax),
};

static int pt_get_regs(struct target *t, struct acid_regs *regs)
{
	struct user_regs_struct u;

	if (ptrace(PTRACE_GETREGS, t->tid, 0, &u) < 0)
		return target_fail(t, "read registers of thread %d: %s", t->tid, strerror(errno));
	for (int r = 0; r < ACID_NREGS; r++)
		regs->v[r] = ((unsigned long long *)&u)[user_slot[r]];
	regs->valid = (1u << ACID_NREGS) - 1;
	return 0;
}

static int pt_set_reg(struct target *t, int reg, uint64_t val)
{
	struct user_regs_struct u;

	if (ptrace(PTRACE_GETREGS, t->tid, 0, &u) < 0)
		return target_fail(t, "read registers of thread %d: %s", t->tid, strerror(errno));
	((unsigned long long *)&u)[user_slot[reg]] = val;
	if (ptrace(PTRACE_SETREGS, t->tid, 0, &u) < 0)
		return target_fail(t, "write %s: %s", acid_reg_name(reg), strerror(errno));
	return 0;
}

static long pt_auxv(struct target *t, void *buf, size_t max)
{
	char path[64];
	int fd;
	ssize_t n;

	snprintf(path, sizeof path, "/proc/%d/auxv", t->pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return target_fail(t, "%s: %s", path, strerror(errno));
	n = read(fd, buf, max);
	close(fd);
	return n < 0 ? target_fail(t, "%s: %s", path, strerror(errno)) : n;
}

/* Resumes one thread unless it holds an unreported event. */
static int resume(struct target *t, struct thread *th, int req, int sig)
{
	if (th->pending != -1)
		return 0;
	if (ptrace(req, th->tid, 0, (void *)(long)sig) < 0 && errno != ESRCH)
		return target_fail(t, "resume thread %d: %s", th->tid, strerror(errno));
	th->running = 1;
	return 0;
}

static int resume_all(struct target *t, int req_selected, int sig)
{
	for (int i = 0; i < P(t)->nth; i++) {
		struct thread *th = &P(t)->th[i];
		int self = th->tid == t->tid;
		if (resume(t, th, self ? req_selected : PTRACE_CONT, self ? sig : 0) < 0)
			return -1;
	}
	return 0;
}

static int pt_cont(struct target *t, int sig)
{
	return resume_all(t, PTRACE_CONT, sig);
}

static int pt_syscall(struct target *t)
{
	return resume_all(t, PTRACE_SYSCALL, 0);
}

static int pt_step(struct target *t)
{
	struct thread *th = thread_of(t, t->tid);

	if (!th)
		return target_fail(t, "step: no thread %d", t->tid);
	if (th->pending != -1)
		return 0;
	if (ptrace(PTRACE_SINGLESTEP, th->tid, 0, 0) < 0)
		return target_fail(t, "step thread %d: %s", th->tid, strerror(errno));
	th->running = 1;
	/* other threads stay stopped: mark so wait only waits for this one */
	return 0;
}

/* Stops every thread other than except (already stopped); events they
 * report instead of our SIGSTOP are kept as pending. */
static void stop_others(struct target *t, int except)
{
	for (int i = 0; i < P(t)->nth; i++) {
		struct thread *th = &P(t)->th[i];
		int st;
		if (th->tid == except || th->pending != -1 || !th->running)
			continue;	/* a thread we did not resume cannot report a stop */
		th->running = 0;
		syscall(SYS_tgkill, t->pid, th->tid, SIGSTOP);
		for (;;) {
			pid_t w = waitpid(th->tid, &st, __WALL);
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0 || WIFEXITED(st) || WIFSIGNALED(st)) {
				th->pending = w < 0 ? -1 : st;
				break;
			}
			if (WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP && (st >> 16) == 0)
				break;
			th->pending = st;	/* a real event: report it later */
			th->stop_expected = 1;
			break;
		}
	}
}

/* Classifies a SIGTRAP stop of thread tid into stop; 0 if it is ours to report. */
static void classify_trap(struct target *t, int tid, int st, struct target_stop *stop)
{
	siginfo_t si;
	uint8_t b;
	struct thread *th = thread_of(t, tid);

	stop->event = TARGET_EV_SIGNAL;
	stop->signo = SIGTRAP;
	if (WSTOPSIG(st) == (SIGTRAP | 0x80)) {
		stop->event = TARGET_EV_SYSCALL;
		th->in_syscall = !th->in_syscall;
		stop->code = th->in_syscall;
		return;
	}
	if (ptrace(PTRACE_GETSIGINFO, tid, 0, &si) < 0)
		return;
	if (si.si_code == TRAP_TRACE) {
		stop->event = TARGET_EV_STEP;
	} else if (si.si_code == SI_KERNEL || si.si_code == TRAP_BRKPT) {
		/* int3 leaves rip after the 0xcc byte: put it back on the breakpoint */
		int saved = t->tid;
		t->tid = tid;
		uint64_t pc;
		struct acid_regs r;
		if (pt_get_regs(t, &r) == 0) {
			pc = r.v[ACID_REG_RIP];
			if (si.si_code == SI_KERNEL && pt_read(t, pc - 1, &b, 1) == 0 && b == 0xcc) {
				pt_set_reg(t, ACID_REG_RIP, pc - 1);
				stop->event = TARGET_EV_BREAKPOINT;
			} else if (si.si_code == TRAP_BRKPT) {
				stop->event = TARGET_EV_BREAKPOINT;
			}
		}
		t->tid = saved;
	}
}

/* Turns one wait status into a stop report; returns 1 to report, 0 to keep waiting. */
static int handle_status(struct target *t, int tid, int st, struct target_stop *stop)
{
	struct thread *th = thread_of(t, tid);

	if (WIFEXITED(st) || WIFSIGNALED(st)) {
		if (tid != t->pid) {	/* a thread ended; the process goes on */
			drop_thread(t, tid);
			return 0;
		}
		stop->event = WIFEXITED(st) ? TARGET_EV_EXITED : TARGET_EV_KILLED;
		stop->code = WIFEXITED(st) ? WEXITSTATUS(st) : 0;
		stop->signo = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
		stop->tid = tid;
		return 1;
	}
	if (!WIFSTOPPED(st))
		return 0;
	if (!th) {	/* a clone child seen before its parent's event */
		th = add_thread(t, tid);
		th->stop_expected = 1;
	}
	th->running = 1;	/* until we decide to report this stop */
	int sig = WSTOPSIG(st), event = st >> 16;
	if (event == PTRACE_EVENT_CLONE) {
		unsigned long child;
		if (ptrace(PTRACE_GETEVENTMSG, tid, 0, &child) == 0) {
			struct thread *c = add_thread(t, (int)child);
			c->stop_expected = 1;
			c->running = 1;
		}
		ptrace(PTRACE_CONT, tid, 0, 0);
		return 0;
	}
	if (event == PTRACE_EVENT_EXIT || event == PTRACE_EVENT_EXEC) {
		ptrace(PTRACE_CONT, tid, 0, 0);
		return 0;
	}
	if (sig == SIGSTOP && th->stop_expected) {	/* our own stop (or a new thread's first) */
		th->stop_expected = 0;
		ptrace(PTRACE_CONT, tid, 0, 0);
		return 0;
	}
	th->running = 0;
	stop->tid = tid;
	if (sig == SIGTRAP || sig == (SIGTRAP | 0x80)) {
		classify_trap(t, tid, st, stop);
	} else {
		stop->event = TARGET_EV_SIGNAL;
		stop->signo = sig;
	}
	return 1;
}

static int pt_wait(struct target *t, struct target_stop *stop)
{
	int st;
	pid_t w;

	for (;;) {
		w = -1;
		for (int i = 0; i < P(t)->nth && w < 0; i++)	/* events kept from the last stop first */
			if (P(t)->th[i].pending != -1) {
				w = P(t)->th[i].tid;
				st = P(t)->th[i].pending;
				P(t)->th[i].pending = -1;
			}
		if (w < 0) {
			w = waitpid(-1, &st, __WALL);
			if (w < 0 && errno == EINTR) {	/* the user's ^C: stop and report it */
				kill(t->pid, SIGSTOP);
				continue;
			}
			if (w < 0)
				return target_fail(t, "wait: %s", strerror(errno));
		}
		if (handle_status(t, w, st, stop))
			break;
	}
	if (stop->event == TARGET_EV_EXITED || stop->event == TARGET_EV_KILLED) {
		P(t)->nth = 0;
		return 0;
	}
	stop_others(t, stop->tid);
	t->tid = stop->tid;
	struct acid_regs r;
	if (pt_get_regs(t, &r) == 0)
		stop->pc = r.v[ACID_REG_RIP];
	return 0;
}

static int pt_stop(struct target *t)
{
	if (kill(t->pid, SIGSTOP) < 0)
		return target_fail(t, "stop: %s", strerror(errno));
	return 0;
}

static int pt_kill(struct target *t)
{
	int st;

	kill(t->pid, SIGKILL);
	/* reap the threads, then the leader, so none is left a zombie */
	for (int i = 0; i < P(t)->nth; i++)
		if (P(t)->th[i].tid != t->pid)
			waitpid(P(t)->th[i].tid, &st, __WALL | WNOHANG);
	for (;;) {
		pid_t w = waitpid(t->pid, &st, __WALL);
		if ((w < 0 && errno != EINTR) || (w > 0 && (WIFEXITED(st) || WIFSIGNALED(st))))
			break;
	}
	P(t)->nth = 0;
	return 0;
}

static int pt_threads(struct target *t, int *tids, int max)
{
	int n = 0;

	if (max > 0)
		tids[n] = t->tid;
	n = 1;
	for (int i = 0; i < P(t)->nth; i++)
		if (P(t)->th[i].tid != t->tid) {
			if (n < max)
				tids[n] = P(t)->th[i].tid;
			n++;
		}
	return n;
}

static int pt_select(struct target *t, int tid)
{
	if (!thread_of(t, tid))
		return target_fail(t, "thread %d: no such thread", tid);
	return 0;
}

static void pt_close(struct target *t)
{
	struct ptproc *p = P(t);

	if (t->alive) {
		if (p->spawned) {
			pt_kill(t);
		} else {
			if (t->running)
				pt_stop(t);
			for (int i = 0; i < p->nth; i++)
				ptrace(PTRACE_DETACH, p->th[i].tid, 0, 0);
		}
	}
	if (p->memfd >= 0)
		close(p->memfd);
	free(p->th);
	free(p);
}

static const struct target_ops ptrace_ops = {
	.kind = "ptrace",
	.caps = TARGET_CAN_RUN | TARGET_CAN_REGS | TARGET_CAN_WRITE | TARGET_CAN_SYSCALL,
	.read_mem = pt_read, .write_mem = pt_write,
	.get_regs = pt_get_regs, .set_reg = pt_set_reg, .auxv = pt_auxv,
	.cont = pt_cont, .step = pt_step, .syscall = pt_syscall, .wait = pt_wait,
	.stop = pt_stop, .kill = pt_kill, .threads = pt_threads, .select = pt_select,
	.close = pt_close,
};

/* Wraps a stopped, traced pid in a target. */
static struct target *make(int pid, int spawned, char *err, size_t errlen)
{
	struct ptproc *p = calloc(1, sizeof *p);
	char path[64];

	if (!p)
		abort();
	snprintf(path, sizeof path, "/proc/%d/mem", pid);
	if ((p->memfd = open(path, O_RDWR | O_CLOEXEC)) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		free(p);
		return NULL;
	}
	p->spawned = spawned;
	struct target *t = target_new(&ptrace_ops, p);
	t->pid = t->tid = pid;
	add_thread(t, pid);
	return t;
}

/* Runs a just-exec'd process to its ELF entry with a temporary int3. */
static int run_to_entry(struct target *t, char *err, size_t errlen)
{
	uint64_t auxv[128], entry = 0;
	long n = pt_auxv(t, auxv, sizeof auxv);
	uint8_t orig, cc = 0xcc;
	struct target_stop stop;

	for (long i = 0; i + 1 < n / 8; i += 2)
		if (auxv[i] == AT_ENTRY)
			entry = auxv[i + 1];
	if (!entry || pt_read(t, entry, &orig, 1) < 0 || pt_write(t, entry, &cc, 1) < 0) {
		snprintf(err, errlen, "cannot plant a breakpoint at the entry point: %s", t->err);
		return -1;
	}
	if (target_cont(t, 0) < 0 || target_wait(t, &stop) < 0 || stop.event != TARGET_EV_BREAKPOINT) {
		snprintf(err, errlen, "the program did not reach its entry point%s",
			 stop.event == TARGET_EV_EXITED ? " (it exited)" : "");
		return -1;
	}
	return pt_write(t, entry, &orig, 1);
}

struct target *target_spawn(char *const argv[], char *err, size_t errlen)
{
	int st, pfd[2];
	pid_t pid;

	if (!argv || !argv[0]) {
		snprintf(err, errlen, "spawn: no program");
		return NULL;
	}
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return NULL;
	}
	if ((pid = fork()) < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		return NULL;
	}
	if (pid == 0) {
		int e;
		close(pfd[0]);
		personality(ADDR_NO_RANDOMIZE);
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		execvp(argv[0], argv);
		e = errno;	/* tell the parent why exec failed */
		if (write(pfd[1], &e, sizeof e) < 0)
			_exit(126);
		_exit(127);
	}
	close(pfd[1]);
	int e = 0;
	ssize_t got = read(pfd[0], &e, sizeof e);
	close(pfd[0]);
	if (waitpid(pid, &st, __WALL) < 0 || got > 0 || !WIFSTOPPED(st)) {
		snprintf(err, errlen, "%s: %s", argv[0], got > 0 ? strerror(e) : "did not start");
		waitpid(pid, &st, 0);
		return NULL;
	}
	ptrace(PTRACE_SETOPTIONS, pid, 0,
	       PTRACE_O_TRACECLONE | PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL);
	struct target *t = make(pid, 1, err, errlen);
	if (!t) {
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		return NULL;
	}
	if (run_to_entry(t, err, errlen) < 0) {
		target_close(t);
		return NULL;
	}
	return t;
}

struct target *target_attach(int pid, char *err, size_t errlen)
{
	char path[64];
	int tids[4096], n = 0, st;
	struct target *t;

	if (pid <= 0) {
		snprintf(err, errlen, "attach: bad pid %d", pid);
		return NULL;
	}
	snprintf(path, sizeof path, "/proc/%d/task", pid);
	DIR *dir = opendir(path);
	struct dirent *de;
	if (!dir) {
		snprintf(err, errlen, "attach %d: no such process", pid);
		return NULL;
	}
	while (n < 4096 && (de = readdir(dir)))
		if (de->d_name[0] != '.')
			tids[n++] = atoi(de->d_name);
	closedir(dir);
	if (n == 0) {
		snprintf(err, errlen, "attach %d: no such process", pid);
		return NULL;
	}
	for (int i = 0; i < n; i++) {
		if (ptrace(PTRACE_ATTACH, tids[i], 0, 0) < 0) {
			snprintf(err, errlen, "attach %d: %s", tids[i], strerror(errno));
			for (int j = 0; j < i; j++)
				ptrace(PTRACE_DETACH, tids[j], 0, 0);
			return NULL;
		}
		while (waitpid(tids[i], &st, __WALL) < 0 && errno == EINTR)
			;
		ptrace(PTRACE_SETOPTIONS, tids[i], 0, PTRACE_O_TRACECLONE | PTRACE_O_TRACESYSGOOD);
	}
	if (!(t = make(pid, 0, err, errlen))) {
		for (int i = 0; i < n; i++)
			ptrace(PTRACE_DETACH, tids[i], 0, 0);
		return NULL;
	}
	for (int i = 0; i < n; i++)
		add_thread(t, tids[i]);
	return t;
}
