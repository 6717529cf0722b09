/*
 * target.c: the public target calls. Each checks the target's state (alive,
 * stopped) and that the back end has the operation, then delegates.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "target_impl.h"

int target_fail(struct target *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->err, sizeof t->err, fmt, ap);
	va_end(ap);
	return -1;
}

struct target *target_new(const struct target_ops *ops, void *priv)
{
	struct target *t = calloc(1, sizeof *t);

	if (!t)
		abort();
	t->ops = ops;
	t->priv = priv;
	t->alive = 1;
	return t;
}

void target_close(struct target *t)
{
	if (!t)
		return;
	if (t->ops->close)
		t->ops->close(t);
	free(t);
}

const char *target_error(struct target *t)
{
	return t ? t->err : "no target";
}

int target_caps(struct target *t)
{
	return t->ops->caps;
}

const char *target_kind(struct target *t)
{
	return t->ops->kind;
}

int target_pid(struct target *t)
{
	return t->pid;
}

int target_alive(struct target *t)
{
	return t->alive;
}

/* Common checks: the operation exists, the process lives and is stopped. */
static int ready(struct target *t, const void *op, const char *what, int need_stopped)
{
	if (!op)
		return target_fail(t, "%s: not supported by the %s target", what, t->ops->kind);
	if (!t->alive)
		return target_fail(t, "%s: the process is dead", what);
	if (need_stopped && t->running)
		return target_fail(t, "%s: the process is running", what);
	return 0;
}

int target_read_mem(struct target *t, uint64_t addr, void *buf, size_t len)
{
	if (ready(t, t->ops->read_mem, "read memory", 1) < 0)
		return -1;
	return len ? t->ops->read_mem(t, addr, buf, len) : 0;
}

int target_write_mem(struct target *t, uint64_t addr, const void *buf, size_t len)
{
	if (ready(t, t->ops->write_mem, "write memory", 1) < 0)
		return -1;
	return len ? t->ops->write_mem(t, addr, buf, len) : 0;
}

int target_mem_cb(void *ctx, uint64_t addr, void *buf, size_t len)
{
	return target_read_mem(ctx, addr, buf, len);
}

int target_get_regs(struct target *t, struct acid_regs *regs)
{
	memset(regs, 0, sizeof *regs);
	if (ready(t, t->ops->get_regs, "read registers", 1) < 0)
		return -1;
	return t->ops->get_regs(t, regs);
}

int target_get_reg(struct target *t, int reg, uint64_t *val)
{
	struct acid_regs r;

	if (reg < 0 || reg >= ACID_NREGS)
		return target_fail(t, "register %d: no such register", reg);
	if (target_get_regs(t, &r) < 0)
		return -1;
	if (!(r.valid & (1u << reg)))
		return target_fail(t, "%s: not available on this target", acid_reg_name(reg));
	*val = r.v[reg];
	return 0;
}

int target_set_reg(struct target *t, int reg, uint64_t val)
{
	if (reg < 0 || reg >= ACID_NREGS)
		return target_fail(t, "register %d: no such register", reg);
	if (ready(t, t->ops->set_reg, "write registers", 1) < 0)
		return -1;
	return t->ops->set_reg(t, reg, val);
}

long target_auxv(struct target *t, void *buf, size_t max)
{
	if (ready(t, t->ops->auxv, "auxiliary vector", 1) < 0)
		return -1;
	return t->ops->auxv(t, buf, max);
}

/* Resumptions: on success the target is running until target_wait. */
static int resumed(struct target *t, int r)
{
	if (r == 0)
		t->running = 1;
	return r;
}

int target_cont(struct target *t, int sig)
{
	if (ready(t, t->ops->cont, "continue", 1) < 0)
		return -1;
	return resumed(t, t->ops->cont(t, sig));
}

int target_step(struct target *t)
{
	if (ready(t, t->ops->step, "step", 1) < 0)
		return -1;
	return resumed(t, t->ops->step(t));
}

int target_syscall(struct target *t)
{
	if (ready(t, t->ops->syscall, "run to system call", 1) < 0)
		return -1;
	return resumed(t, t->ops->syscall(t));
}

int target_wait(struct target *t, struct target_stop *stop)
{
	memset(stop, 0, sizeof *stop);
	if (ready(t, t->ops->wait, "wait", 0) < 0)
		return -1;
	if (!t->running)
		return target_fail(t, "wait: the process is not running");
	int r = t->ops->wait(t, stop);
	t->running = 0;
	if (r == 0 && (stop->event == TARGET_EV_EXITED || stop->event == TARGET_EV_KILLED))
		t->alive = 0;
	else if (r == 0)
		t->tid = stop->tid;
	return r;
}

int target_stop(struct target *t)
{
	if (ready(t, t->ops->stop, "stop", 0) < 0)
		return -1;
	if (!t->running)
		return 0;
	return t->ops->stop(t);
}

int target_kill(struct target *t)
{
	if (ready(t, t->ops->kill, "kill", 0) < 0)
		return -1;
	int r = t->ops->kill(t);
	if (r == 0) {
		t->alive = 0;
		t->running = 0;
	}
	return r;
}

int target_bp_insert(struct target *t, uint64_t addr)
{
	if (ready(t, t->ops->bp, "target breakpoint", 1) < 0)
		return -1;
	return t->ops->bp(t, addr, 1);
}

int target_bp_remove(struct target *t, uint64_t addr)
{
	if (ready(t, t->ops->bp, "target breakpoint", 1) < 0)
		return -1;
	return t->ops->bp(t, addr, 0);
}

int target_threads(struct target *t, int *tids, int max)
{
	if (!t->ops->threads) {	/* single-threaded view */
		if (max > 0)
			tids[0] = t->tid;
		return 1;
	}
	if (ready(t, t->ops->threads, "threads", 1) < 0)
		return -1;
	return t->ops->threads(t, tids, max);
}

int target_select_thread(struct target *t, int tid)
{
	if (tid == t->tid)
		return 0;
	if (ready(t, t->ops->select, "select thread", 1) < 0)
		return -1;
	if (t->ops->select(t, tid) < 0)
		return -1;
	t->tid = tid;
	return 0;
}

int target_current_thread(struct target *t)
{
	return t->tid;
}
