/*
 * target_impl.h: what a target back end provides. target.c checks
 * arguments and capabilities, then calls through these operations; a NULL
 * operation means "not supported by this target".
 *
 *   target.c   the public calls and the error slot
 *   ptrace.c   local Linux processes (spawn, attach, threads)
 *   rsp.c      GDB remote serial protocol framing over TCP
 *   remote.c   the remote back end: registers, memory, run control over rsp.c
 *   elf.c      an ELF file's loaded image, read-only
 */
#ifndef ACID_TARGET_IMPL_H
#define ACID_TARGET_IMPL_H

#include "acid/target.h"

struct target_ops {
	const char *kind;
	int caps;
	int (*read_mem)(struct target *t, uint64_t addr, void *buf, size_t len);
	int (*write_mem)(struct target *t, uint64_t addr, const void *buf, size_t len);
	int (*get_regs)(struct target *t, struct acid_regs *regs);
	int (*set_reg)(struct target *t, int reg, uint64_t val);
	long (*auxv)(struct target *t, void *buf, size_t max);
	int (*cont)(struct target *t, int sig);
	int (*step)(struct target *t);
	int (*syscall)(struct target *t);
	int (*wait)(struct target *t, struct target_stop *stop);
	int (*stop)(struct target *t);
	int (*kill)(struct target *t);
	int (*bp)(struct target *t, uint64_t addr, int insert);
	int (*threads)(struct target *t, int *tids, int max);
	int (*select)(struct target *t, int tid);
	void (*close)(struct target *t);
};

struct target {
	const struct target_ops *ops;
	void *priv;		/* the back end's state */
	int pid;
	int tid;		/* selected thread */
	int alive;
	int running;		/* resumed and not yet waited for */
	char err[256];
};

/* Records the reason for a failure; returns -1 for `return target_fail(...)`. */
int target_fail(struct target *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A new target with the given operations (never NULL: aborts when out of memory). */
struct target *target_new(const struct target_ops *ops, void *priv);

#endif
