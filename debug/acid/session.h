/*
 * session.h: the acid command's state: the interpreter, the program's
 * symbols and the target, tied together.
 *
 *   main.c       options, start-up, the script or interactive loop
 *   repl.c       interactive input with libedit (line editing, history)
 *   host.c       struct acid_host over sym + target: memory, registers, names
 *   ctypes.c     DWARF types (struct sym_type) as language types
 *   prim_proc.c  process builtins: newproc, startstop, step1, kill, threads...
 *   prim_sym.c   symbol builtins: fnbound, filepc, pcfile, pcline, follow, map...
 *   prim_stack.c strace (the stack as a list) and fn:var locals
 *   prim_sys.c   system call names and numbers for the truss library
 *   prim_dis.c   instructions as text (binutils' disassembler)
 */
#ifndef ACID_SESSION_H
#define ACID_SESSION_H

#include "acid/sym.h"
#include "acid/target.h"
#include "lang.h"

struct acid_session {
	struct acid *a;
	struct sym *sym;          /* NULL without a program */
	struct target *tgt;       /* NULL without a process or image */
	char *prog;               /* program path */
	char **argv;              /* program and arguments, for newproc */
	int argc;
	/* Bytes for values that live in no memory (registers of caller frames,
	 * DWARF implicit values): served by read_mem at ACID_SCRATCH_BASE. */
	unsigned char *scratch;
	size_t nscratch, capscratch;
	/* sym_type -> acid_type conversions, so each converts once. */
	const struct sym_type **tkeys;
	struct acid_type **tvals;
	size_t ntypes, captypes;
	/* Source files read by srcline, cached. */
	struct acid_srcfile *src;
};

/* Non-canonical on x86_64, so no real memory can live here. */
#define ACID_SCRATCH_BASE 0xacd0000000000000ULL

/* The session every builtin reaches (acid runs one session per process). */
extern struct acid_session *acid_sess;

/* Fills in the interpreter's host ops from the session. */
void acid_host_init(struct acid_session *s);
/* Copies n bytes into the scratch area; returns their address there. */
uint64_t acid_scratch_put(struct acid_session *s, const void *buf, size_t n);
/* Memory callback for the symbol reader over the current target. */
int acid_sess_mem(void *ctx, uint64_t addr, void *buf, size_t len);
/* The current target, or an acid error if there is none. */
struct target *acid_need_target(struct acid *a);
/* The symbol table, or an acid error if there is none. */
struct sym *acid_need_sym(struct acid *a);
/* After every stop: refresh shared libraries and PIE bias from the link map. */
void acid_sess_refresh_modules(struct acid_session *s);

/* The language type for a DWARF type (NULL is void). */
struct acid_type *acid_ctype_from_sym(struct acid_session *s, const struct sym_type *t);
/* A typed value from raw little-endian bytes (register or implicit
 * values): scalars directly, aggregates through the scratch area. */
struct acid_value acid_value_from_bytes(struct acid_session *s, struct acid_type *t,
                                        const void *bytes, size_t n);

/* Makes t the current target (closing the old one) and sets acid's pid. */
void acid_sess_set_target(struct acid_session *s, struct target *t);

/* The host's fn:var look-up (prim_stack.c): the address of var in the
 * innermost frame of fn; 1 found, 0 with a reason in err. */
int acid_prim_lookup_local(void *ctx, const char *fn, const char *var,
                           struct acid_value *out, char *err, size_t errlen);

void acid_prim_proc_init(struct acid *a);
void acid_prim_sym_init(struct acid *a);
void acid_prim_stack_init(struct acid *a);
void acid_prim_sys_init(struct acid *a);
void acid_prim_dis_init(struct acid *a);
/* The instruction at addr as text (prim_dis.c); its length, or -1. */
int acid_disasm(void *ctx, uint64_t addr, char *buf, size_t n);

/* Interactive loop on the terminal; returns at end of input. */
void acid_repl(struct acid_session *s);

#endif
