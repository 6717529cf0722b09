/*
 * trace.h: the trace language engine, as a library (docs/trace.md).
 *
 * tr_compile turns a D script into a program (tables plus one bytecode
 * clause per probe clause); tr_verify proves each clause safe; a session
 * runs a verified program over a stream of kernel trace records that a
 * back end delivers (a recorded file on the host, later the live ring on
 * Ares). Everything the engine needs from its surroundings goes through
 * struct tr_backend, so a new source of records is a new back end only.
 */
#ifndef TRACE_TRACE_H
#define TRACE_TRACE_H

#include <stddef.h>
#include <stdint.h>

#include <helios/trace.h>

struct tr_prog;
struct tr_session;

/* Answers of back-end calls that may fail. */
enum tr_status { TR_OK = 0, TR_EFAULT = -1, TR_EPERM = -2, TR_ENOENT = -3 };

struct tr_backend {
	void *ctx;
	uint64_t tsc_hz;		/* TSC ticks per second (the ring header's) */
	int64_t walltime_base;		/* ns since the epoch at TSC 0 */
	/* The next record: 1, 0 at the end of the stream, -1 with err set. */
	int (*next)(void *ctx, struct hl_trace_record *rec, char *err, size_t errlen);
	/* The process of a thread: pid and program name (TR_ENOENT: unknown). */
	int (*proc)(void *ctx, uint32_t tid, int64_t *pid, const char **execname);
	/* Read a process's memory: TR_EPERM without its debug capability. */
	int (*read_mem)(void *ctx, int64_t pid, uint64_t addr, void *buf, size_t n);
	/* The stack of the record just delivered: pcs, innermost first. */
	int (*stack)(void *ctx, int user, uint64_t *pcs, int max);
	/* Name pc as "module`symbol+0xoff" into buf; TR_ENOENT if unknown. */
	int (*symbol)(void *ctx, int user, int64_t pid, uint64_t pc, char *buf, size_t len);
	/* Output of the script, and error reports (one line each, no newline). */
	void (*write)(void *ctx, const char *s, size_t n);
	void (*error)(void *ctx, const char *msg);
};

/*
 * Compiles script (NUL-terminated) read from file name; NULL on error with
 * "name:line:col: what" in err. The program is verified before it is
 * returned (a compiler bug would otherwise run unchecked).
 */
struct tr_prog *tr_compile(const char *script, const char *name, char *err, size_t errlen);

/* Reads a program written in the bytecode assembler (docs/trace.md); NULL
 * with err set if the text is malformed. The result is *not* verified. */
struct tr_prog *tr_assemble(const char *text, const char *name, char *err, size_t errlen);

/* 0 if every clause of p is safe to run, else -1 with the reason in err. */
int tr_verify(const struct tr_prog *p, char *err, size_t errlen);

/* Writes the program's tables and bytecode in assembler syntax. */
void tr_disasm(const struct tr_prog *p, void (*write)(void *, const char *, size_t), void *ctx);

/* Number of concrete probes the program's descriptions match. */
unsigned tr_prog_matches(const struct tr_prog *p);

void tr_prog_free(struct tr_prog *p);

/* Session flags. */
enum { TR_QUIET = 1 };

/* A session over verified program p (which must outlive it). */
struct tr_session *tr_session_new(const struct tr_prog *p, const struct tr_backend *be, unsigned flags);

/*
 * Fires BEGIN, every record (and the timers the records' times pass), END,
 * then prints the aggregations not printed yet. Returns the exit status:
 * exit()'s argument, 0 at the end of the stream, 1 if the stream failed.
 */
int tr_session_run(struct tr_session *s);

/* Records seen and runtime errors reported so far. */
uint64_t tr_session_records(const struct tr_session *s);
uint64_t tr_session_errors(const struct tr_session *s);

void tr_session_free(struct tr_session *s);

/* Lists every probe (provider:module:function:name and arguments). */
void tr_list_probes(void (*write)(void *, const char *, size_t), void *ctx);

#endif
