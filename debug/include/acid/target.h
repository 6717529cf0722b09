/*
 * acid/target.h: one interface to whatever acid is debugging.
 *
 * Back ends: a local Linux process through ptrace (spawned or attached, all
 * threads), a GDB remote serial protocol server (QEMU's gdbstub, gdbserver),
 * and an ELF file alone (read-only static image, no registers, no running).
 *
 * Model: all-stop. The target is either stopped (every thread) or running;
 * target_cont/target_step/target_syscall resume it and target_wait blocks
 * until the next stop event. Memory and register calls need it stopped.
 * Breakpoints are int3 bytes the caller writes through target_write_mem
 * (acid's model; works everywhere a program is in writable RAM); targets that
 * cannot see guest int3 (QEMU's gdbstub) also offer target_bp_insert.
 *
 * Constructors report failure as text in the caller's err buffer; other
 * calls return -1 and leave the reason in target_error(t).
 */
#ifndef ACID_TARGET_H
#define ACID_TARGET_H

#include <stddef.h>
#include <stdint.h>

#include "acid/regs.h"

struct target;

/* Constructors */

/* Starts argv[0] (searched in PATH if it has no '/') with argv under
 * ptrace and runs it to its ELF entry point (after the dynamic linker, so
 * shared libraries are mapped), stopped. NULL and a message on failure. */
struct target *target_spawn(char *const argv[], char *err, size_t errlen);

/* Attaches to every thread of a running process and stops it. */
struct target *target_attach(int pid, char *err, size_t errlen);

/* Connects to a GDB remote stub at "host:port" (TCP) and stops the target. */
struct target *target_remote(const char *hostport, char *err, size_t errlen);

/* A read-only image of the ELF file's loaded segments (.bss reads as zeros):
 * static inspection without a process. */
struct target *target_elf(const char *path, char *err, size_t errlen);

/* Detaches (attached or remote) or kills (spawned) and frees t. NULL is allowed. */
void target_close(struct target *t);

/* Reason for the last failed call on t ("" if none). */
const char *target_error(struct target *t);

/* Capabilities and identity */

enum {
	TARGET_CAN_RUN = 1 << 0,	/* cont, step, stop, kill, wait */
	TARGET_CAN_REGS = 1 << 1,	/* registers exist */
	TARGET_CAN_WRITE = 1 << 2,	/* memory and registers are writable */
	TARGET_CAN_BP = 1 << 3,		/* target_bp_insert works */
	TARGET_CAN_SYSCALL = 1 << 4,	/* target_syscall works */
};

/* Bit set of TARGET_CAN_* for this back end. */
int target_caps(struct target *t);

/* "ptrace", "remote" or "elf". */
const char *target_kind(struct target *t);

/* Process id (ptrace; remote if the stub tells; 0 otherwise). */
int target_pid(struct target *t);

/* Memory and registers (of the selected thread) */

/* Reads len bytes at addr. Returns 0, or -1 if any byte is unreadable. */
int target_read_mem(struct target *t, uint64_t addr, void *buf, size_t len);

/* Writes len bytes at addr (ptrace writes even read-only text, like a debugger must). */
int target_write_mem(struct target *t, uint64_t addr, const void *buf, size_t len);

/* Reads every register of the selected thread; unknown ones are not in regs->valid. */
int target_get_regs(struct target *t, struct acid_regs *regs);

/* One register by acid_reg number. */
int target_get_reg(struct target *t, int reg, uint64_t *val);
int target_set_reg(struct target *t, int reg, uint64_t val);

/* An acid_mem_fn over target_read_mem, for the symbol reader: pass the
 * target as ctx. */
int target_mem_cb(void *ctx, uint64_t addr, void *buf, size_t len);

/* The process's auxiliary vector (raw Elf64_auxv_t array) for
 * sym_load_modules. Returns its length in bytes (at most max), or -1. */
long target_auxv(struct target *t, void *buf, size_t max);

/* Run control */

enum target_event {
	TARGET_EV_SIGNAL,	/* stopped by signal signo (SIGSTOP after target_stop, SIGSEGV, ...) */
	TARGET_EV_BREAKPOINT,	/* hit an int3 or target breakpoint; the pc is already back at its address */
	TARGET_EV_STEP,		/* a target_step finished */
	TARGET_EV_SYSCALL,	/* target_syscall stopped at a syscall entry or exit */
	TARGET_EV_EXITED,	/* the process exited with status code; the target is dead */
	TARGET_EV_KILLED,	/* the process died of signal signo; the target is dead */
};

struct target_stop {
	enum target_event event;
	int signo;		/* signal (TARGET_EV_SIGNAL, TARGET_EV_KILLED) */
	int code;		/* exit status (TARGET_EV_EXITED); 1 at a syscall entry, 0 at its exit */
	int tid;		/* thread that stopped; it becomes the selected thread */
	uint64_t pc;		/* its pc (0 once dead) */
};

/* Resumes every thread; sig (0 for none) is delivered to the selected thread. */
int target_cont(struct target *t, int sig);

/* Executes one instruction of the selected thread (other threads stay stopped). */
int target_step(struct target *t);

/* Resumes every thread until the selected one enters or leaves a system call. */
int target_syscall(struct target *t);

/* Blocks until the target stops and describes why. A signal interrupting
 * the wait (the user's ^C) makes it stop the target and keep waiting. */
int target_wait(struct target *t, struct target_stop *stop);

/* Asks a running target to stop (target_wait then reports it). */
int target_stop(struct target *t);

/* Kills the process; the target is dead afterwards. */
int target_kill(struct target *t);

/* 1 while the process exists, 0 after it exited or was killed. */
int target_alive(struct target *t);

/* Target-side breakpoints (TARGET_CAN_BP): set or clear one at addr. */
int target_bp_insert(struct target *t, uint64_t addr);
int target_bp_remove(struct target *t, uint64_t addr);

/* Threads */

/* Thread ids of the process, first the selected one. Fills up to max, returns how many exist. */
int target_threads(struct target *t, int *tids, int max);

/* Selects the thread register and step calls apply to. */
int target_select_thread(struct target *t, int tid);

/* The selected thread's id. */
int target_current_thread(struct target *t);

#endif
