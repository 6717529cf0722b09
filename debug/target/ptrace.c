/*
 * ptrace.c: local Linux processes, every thread, all-stop.
 *
 * Each thread is RUNNING (we resumed it and have not seen it stop) or
 * STOPPED. A stop we did not ask for (a breakpoint, a signal, a finished
 * step) is classified the moment waitpid returns it -- rip is moved back
 * over the int3 only for a thread whose SIGTRAP says it executed one -- and
 * kept in that thread's event slot. target_wait reports one event, then
 * SIGSTOPs every other RUNNING thread and waits until each is STOPPED; any
 * that report a real event instead (two threads hitting a breakpoint at
 * once) keep it queued. While an event is queued, target_cont resumes
 * nothing and the next wait reports the queued event, so events come out
 * one at a time and no thread runs in between. A queued breakpoint whose
 * int3 was removed meanwhile is dropped: its thread just runs the original
 * instruction.
 *
 * SIGSTOPs we sent (and the one a new clone child starts with) are counted
 * in sigstop_pending and swallowed when they arrive, however late. New
 * threads come from PTRACE_O_TRACECLONE; a child's first stop may arrive
 * before or after its parent's clone event. Memory goes through
 * /proc/PID/mem (which writes even read-only text, as breakpoints need).
 * Spawned programs run with ASLR off, as under gdb, so addresses repeat
 * from run to run.
 *
 * Waits that only tidy up (all-stop, kill, detach) poll with WNOHANG and
 * give up with an error after a few seconds, so a thread that never
 * reports cannot hang acid; only pt_wait, waiting for the program, blocks.
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
#include <time.h>
#include <unistd.h>

#include "target_impl.h"

enum thread_state { TH_STOPPED, TH_RUNNING };

struct thread {
	int tid;
	enum thread_state state;
	int sigstop_pending;	/* SIGSTOPs sent to it (or its first, if new) not yet seen */
	int has_event;		/* event holds a stop not yet reported */
	struct target_stop event;
	int deliver_sig;	/* signal to pass at its next resume */
	int in_syscall;		/* between syscall entry and exit stops */
};

/* How the threads were last resumed. */
enum run_mode { RUN_CONT, RUN_SYSCALL, RUN_STEP };

struct ptproc {
	int memfd;
	int spawned;
	enum run_mode mode;
	int step_tid;		/* RUN_STEP: the one thread that runs */
	int interrupt;		/* target_stop asked: report the first of our SIGSTOPs */
	struct thread *th;
	int nth;
};

/* How long a tidying wait may go without the status it waits for. */
#define TIDY_MS 5000

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
	*th = (struct thread){ .tid = tid, .state = TH_STOPPED };
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

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* waitpid(pid, st, __WALL) that gives up after ms: returns the pid
 * reported, -1 with errno from waitpid, or 0 with errno ETIMEDOUT. The
 * poll starts fast (a stop is usually microseconds away) and backs off. */
static pid_t wait_bounded(pid_t pid, int *st, int ms)
{
	long long end = now_ms() + ms;

	for (int us = 10;; us = us < 2000 ? us * 2 : us) {
		pid_t w = waitpid(pid, st, __WALL | WNOHANG);
		if (w != 0 && !(w < 0 && errno == EINTR))
			return w;
		if (now_ms() > end) {
			errno = ETIMEDOUT;
			return 0;
		}
		usleep(us);
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

/* Resumes one STOPPED thread in the current mode; a vanished thread is not an error. */
static int resume(struct target *t, struct thread *th)
{
	struct ptproc *p = P(t);
	int req = PTRACE_CONT, sig = th->deliver_sig;

	if (p->mode == RUN_STEP)
		req = PTRACE_SINGLESTEP;
	else if (p->mode == RUN_SYSCALL && th->tid == t->tid)
		req = PTRACE_SYSCALL;
	if (ptrace(req, th->tid, 0, (void *)(long)sig) < 0 && errno != ESRCH)
		return target_fail(t, "resume thread %d: %s", th->tid, strerror(errno));
	th->deliver_sig = 0;
	th->state = TH_RUNNING;
	return 0;
}

static int queued_events(struct target *t)
{
	for (int i = 0; i < P(t)->nth; i++)
		if (P(t)->th[i].has_event)
			return 1;
	return 0;
}

/* Starts every thread in mode, unless an event is queued: then nothing runs
 * and the next wait reports it. */
static int resume_all(struct target *t, enum run_mode mode)
{
	P(t)->mode = mode;
	if (queued_events(t))
		return 0;
	for (int i = 0; i < P(t)->nth; i++)
		if (P(t)->th[i].state == TH_STOPPED && resume(t, &P(t)->th[i]) < 0)
			return -1;
	return 0;
}

/* sig goes to the selected thread at its next resume (now, unless an event is queued). */
static int pt_cont(struct target *t, int sig)
{
	struct thread *sel = thread_of(t, t->tid);

	if (sel)
		sel->deliver_sig = sig;
	return resume_all(t, RUN_CONT);
}

static int pt_syscall(struct target *t)
{
	return resume_all(t, RUN_SYSCALL);
}

/* Only the selected thread runs; the others stay stopped. */
static int pt_step(struct target *t)
{
	struct thread *th = thread_of(t, t->tid);

	if (!th)
		return target_fail(t, "step: no thread %d", t->tid);
	P(t)->mode = RUN_STEP;
	P(t)->step_tid = th->tid;
	if (th->has_event || th->state == TH_RUNNING)
		return 0;
	return resume(t, th);
}

/* Fills ev for a SIGTRAP stop of th. */
static void classify_trap(struct target *t, struct thread *th, int st, struct target_stop *ev)
{
	siginfo_t si;
	struct user_regs_struct u;
	uint8_t b;

	ev->event = TARGET_EV_SIGNAL;
	ev->signo = SIGTRAP;
	if (WSTOPSIG(st) == (SIGTRAP | 0x80)) {
		ev->event = TARGET_EV_SYSCALL;
		th->in_syscall = !th->in_syscall;
		ev->code = th->in_syscall;
		return;
	}
	if (ptrace(PTRACE_GETSIGINFO, th->tid, 0, &si) < 0 || ptrace(PTRACE_GETREGS, th->tid, 0, &u) < 0)
		return;
	if (si.si_code == SI_KERNEL && pt_read(t, u.rip - 1, &b, 1) == 0 && b == 0xcc) {
		/* it executed an int3: rip is past it, put it back on the breakpoint */
		u.rip--;
		ptrace(PTRACE_SETREGS, th->tid, 0, &u);
		ev->event = TARGET_EV_BREAKPOINT;
	} else if (si.si_code == TRAP_TRACE && P(t)->mode == RUN_STEP) {
		ev->event = TARGET_EV_STEP;
	}
}

/* Handles one wait status. Bookkeeping stops (clone events, our SIGSTOPs,
 * a new thread's first stop) are absorbed, resuming the thread if the
 * target is running (keep_stopped 0); a real stop becomes the thread's
 * queued event. */
static void collect(struct target *t, int tid, int st, int keep_stopped)
{
	struct ptproc *p = P(t);
	struct thread *th = thread_of(t, tid);
	int sig = WSTOPSIG(st), event = (unsigned)st >> 16;

	if (WIFEXITED(st) || WIFSIGNALED(st)) {
		if (tid != t->pid) {	/* a thread ended; the process goes on */
			drop_thread(t, tid);
			return;
		}
		th = add_thread(t, tid);
		th->state = TH_STOPPED;
		th->has_event = 1;
		th->event = (struct target_stop){
			.event = WIFEXITED(st) ? TARGET_EV_EXITED : TARGET_EV_KILLED,
			.code = WIFEXITED(st) ? WEXITSTATUS(st) : 0,
			.signo = WIFSIGNALED(st) ? WTERMSIG(st) : 0,
			.tid = tid,
		};
		return;
	}
	if (!WIFSTOPPED(st))
		return;
	if (!th) {	/* a clone child seen before its parent's event: its first stop */
		th = add_thread(t, tid);
		th->sigstop_pending = 1;
	}
	th->state = TH_STOPPED;
	int absorbed = 1;
	if (event == PTRACE_EVENT_CLONE) {
		unsigned long child;
		if (ptrace(PTRACE_GETEVENTMSG, tid, 0, &child) == 0 && !thread_of(t, (int)child)) {
			struct thread *c = add_thread(t, (int)child);
			c->state = TH_RUNNING;	/* until its first SIGSTOP is seen */
			c->sigstop_pending = 1;
			th = thread_of(t, tid);	/* add_thread may have moved the array */
		}
	} else if (event) {
		;	/* exec, exit: nothing to report */
	} else if (sig == SIGSTOP && th->sigstop_pending) {
		th->sigstop_pending--;
		if (p->interrupt) {	/* target_stop: this one is the reported stop */
			p->interrupt = 0;
			absorbed = 0;
			th->event = (struct target_stop){ .event = TARGET_EV_SIGNAL, .signo = SIGSTOP };
		}
	} else {
		absorbed = 0;
		th->event = (struct target_stop){ 0 };
		if (sig == SIGTRAP || sig == (SIGTRAP | 0x80))
			classify_trap(t, th, st, &th->event);
		else
			th->event = (struct target_stop){ .event = TARGET_EV_SIGNAL, .signo = sig };
	}
	if (!absorbed) {
		th->event.tid = tid;
		th->has_event = 1;
		return;
	}
	/* while stepping only the stepper runs; otherwise a queued event is about to be reported */
	if (!keep_stopped && (p->mode == RUN_STEP ? tid == p->step_tid : !queued_events(t)))
		resume(t, th);
}

/* The tid of a RUNNING thread, or 0 if none runs. */
static int first_running(struct target *t)
{
	for (int i = 0; i < P(t)->nth; i++)
		if (P(t)->th[i].state == TH_RUNNING)
			return P(t)->th[i].tid;
	return 0;
}

static int any_running(struct target *t)
{
	return first_running(t) != 0;
}

/* All-stop: SIGSTOPs every RUNNING thread and waits until none runs. Real
 * events they report on the way stay queued. Fails if a thread has not
 * stopped after TIDY_MS. */
static int stop_all(struct target *t)
{
	int st;

	for (int i = 0; i < P(t)->nth; i++) {
		struct thread *th = &P(t)->th[i];
		if (th->state == TH_RUNNING && !th->sigstop_pending) {
			if (syscall(SYS_tgkill, t->pid, th->tid, SIGSTOP) == 0)
				th->sigstop_pending++;
		}
	}
	while (any_running(t)) {
		pid_t w = wait_bounded(-1, &st, TIDY_MS);
		if (w == 0)
			return target_fail(t, "stop: thread %d did not stop", first_running(t));
		if (w < 0)
			return target_fail(t, "wait: %s", strerror(errno));
		collect(t, w, st, 1);
		/* a child found through a clone event needs no SIGSTOP: it starts with one */
	}
	return 0;
}

/* The thread whose queued event to report next: the stepping thread while
 * stepping, else the first one queued. */
static struct thread *next_event(struct target *t)
{
	struct ptproc *p = P(t);

	for (int i = 0; i < p->nth; i++) {
		struct thread *th = &p->th[i];
		if (th->has_event && (p->mode != RUN_STEP || th->tid == p->step_tid ||
				      th->event.event == TARGET_EV_EXITED || th->event.event == TARGET_EV_KILLED))
			return th;
	}
	return NULL;
}

/* A queued breakpoint stop whose int3 is gone (deleted since) is stale. */
static int stale(struct target *t, struct thread *th)
{
	struct user_regs_struct u;
	uint8_t b;

	if (th->event.event != TARGET_EV_BREAKPOINT)
		return 0;
	if (ptrace(PTRACE_GETREGS, th->tid, 0, &u) < 0 || pt_read(t, u.rip, &b, 1) < 0)
		return 0;
	return b != 0xcc;
}

static int pt_stop(struct target *t);

static int pt_wait(struct target *t, struct target_stop *stop)
{
	struct ptproc *p = P(t);
	struct thread *th;
	int st;

	for (;;) {
		if ((th = next_event(t))) {
			th->has_event = 0;
			if (!stale(t, th))
				break;
			if (p->mode == RUN_STEP)
				resume(t, th);
			else if (!queued_events(t))
				resume_all(t, p->mode);
			continue;
		}
		pid_t w = waitpid(-1, &st, __WALL);
		if (w < 0 && errno == EINTR) {	/* the user's ^C: stop and report it */
			pt_stop(t);
			continue;
		}
		if (w < 0)
			return target_fail(t, "wait: %s", strerror(errno));
		collect(t, w, st, 0);
	}
	*stop = th->event;
	if (stop->event == TARGET_EV_EXITED || stop->event == TARGET_EV_KILLED) {
		p->nth = 0;
		return 0;
	}
	p->interrupt = 0;
	if (stop_all(t) < 0)
		return -1;
	t->tid = stop->tid;
	struct acid_regs r;
	if (pt_get_regs(t, &r) == 0)
		stop->pc = r.v[ACID_REG_RIP];
	return 0;
}

/* Asks every running thread to stop; the first SIGSTOP to arrive is
 * reported. A thread with one of our SIGSTOPs still in flight gets no
 * second: a SIGSTOP sent while another is pending merges with it, and a
 * count one too high would leave stop_all waiting for a stop never sent. */
static int pt_stop(struct target *t)
{
	struct ptproc *p = P(t);

	p->interrupt = 1;
	for (int i = 0; i < p->nth; i++) {
		struct thread *th = &p->th[i];
		if (th->state == TH_RUNNING && !th->sigstop_pending &&
		    syscall(SYS_tgkill, t->pid, th->tid, SIGSTOP) == 0)
			th->sigstop_pending++;
	}
	return 0;
}

/* Reaps, without blocking, every thread of the process but the leader that
 * has exited: those we know and any in /proc/PID/task we do not (a clone
 * child not yet reported). A thread that is not our tracee gives ECHILD. */
static void reap_threads(struct target *t)
{
	char path[64];
	int st;
	DIR *dir;
	struct dirent *de;

	for (int i = P(t)->nth - 1; i >= 0; i--) {
		int tid = P(t)->th[i].tid;
		if (tid == t->pid)
			continue;
		pid_t w = waitpid(tid, &st, __WALL | WNOHANG);
		if ((w == tid && (WIFEXITED(st) || WIFSIGNALED(st))) || (w < 0 && errno == ECHILD))
			drop_thread(t, tid);
	}
	snprintf(path, sizeof path, "/proc/%d/task", t->pid);
	if (!(dir = opendir(path)))
		return;
	while ((de = readdir(dir))) {
		int tid = atoi(de->d_name);
		if (tid > 0 && tid != t->pid && !thread_of(t, tid))
			waitpid(tid, &st, __WALL | WNOHANG);
	}
	closedir(dir);
}

/* Kills the process and reaps all its threads; fails if the leader's exit
 * is not seen within TIDY_MS. SIGKILL ends even ptrace-stopped threads,
 * but each exited thread stays a zombie until we, its tracer, reap it, and
 * the kernel reports the leader's exit only once every other thread is
 * reaped: so reap them all, again and again, until the leader is. Threads
 * killed in sem_wait and the like take a while to die, so one pass is not
 * enough, and a blocking wait for the leader alone never returns. */
static int pt_kill(struct target *t)
{
	long long end = now_ms() + TIDY_MS;
	int st;

	if (kill(t->pid, SIGKILL) < 0 && errno != ESRCH)
		return target_fail(t, "kill %d: %s", t->pid, strerror(errno));
	for (int us = 10;; us = us < 2000 ? us * 2 : us) {
		reap_threads(t);
		pid_t w = waitpid(t->pid, &st, __WALL | WNOHANG);
		if (w == t->pid && (WIFEXITED(st) || WIFSIGNALED(st)))
			break;
		if (w < 0 && errno == ECHILD)	/* reaped already */
			break;
		/* else 0 (not dead yet) or a stop reported before the kill landed */
		if (now_ms() > end)
			return target_fail(t, "kill %d: the process did not exit", t->pid);
		usleep(us);
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

/* 1 if a SIGSTOP is queued for thread tid in the kernel (its SigPnd). */
static int sigstop_queued(int pid, int tid)
{
	char path[64], line[128];
	unsigned long long mask = 0;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/task/%d/status", pid, tid);
	if (!(f = fopen(path, "r")))
		return 0;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "SigPnd: %llx", &mask) == 1)
			break;
	fclose(f);
	return (mask >> (SIGSTOP - 1)) & 1;
}

/* Before detaching: lets each thread take the SIGSTOPs we sent it that are
 * still queued in the kernel, else the process would stop once let go.
 * Only a thread with one really queued is resumed (a count that is off
 * would otherwise leave us waiting on a thread running free), and each
 * wait is bounded. Other stops on the way are dropped: we are leaving. */
static void drain_sigstops(struct target *t)
{
	int st;

	for (int i = 0; i < P(t)->nth; i++) {
		struct thread *th = &P(t)->th[i];
		for (int tries = 0; th->sigstop_pending > 0 && tries < 16; tries++) {
			if (!sigstop_queued(t->pid, th->tid)) {
				th->sigstop_pending = 0;
				break;
			}
			if (ptrace(PTRACE_CONT, th->tid, 0, 0) < 0)
				break;
			if (wait_bounded(th->tid, &st, TIDY_MS) <= 0 || !WIFSTOPPED(st))
				break;
			if (WSTOPSIG(st) == SIGSTOP && ((unsigned)st >> 16) == 0)
				th->sigstop_pending--;
		}
	}
}

static void pt_close(struct target *t)
{
	struct ptproc *p = P(t);

	if (t->alive) {
		if (p->spawned) {
			pt_kill(t);
		} else {
			stop_all(t);
			drain_sigstops(t);
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
