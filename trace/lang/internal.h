/*
 * internal.h: the program (what compile.c and asm.c build, verify.c
 * checks, vm.c runs) and the helpers the engine's files share.
 */
#ifndef TRACE_INTERNAL_H
#define TRACE_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "bytecode.h"
#include "trace.h"

/* Variable scopes. */
enum tr_scope { TR_GLOBAL, TR_THREAD, TR_CLAUSE };

struct tr_var {
	char *name;
	uint8_t scope;		/* enum tr_scope */
	uint8_t type;		/* enum tr_type of the value */
	uint8_t nkeys;		/* > 0: an associative array (global only) */
	uint8_t keys[TR_MAX_KEYS];
};

struct tr_aggdef {
	char *name;		/* without the @; "_" for the bare @ */
	uint8_t func;		/* enum tr_aggfunc */
	uint8_t nkeys;
	uint8_t keys[TR_MAX_KEYS];
	int64_t lq_base, lq_step;	/* lquantize */
	int32_t lq_levels;
};

/* One piece of a format: literal text, or one conversion. */
struct tr_conv {
	char *text;		/* literal (conv == 0) or the whole conversion "%-8d" */
	char conv;		/* d i u x X o c s S p a @ or 0 */
	char agg_conv;		/* for %@: the conversion after the @ */
	uint8_t type;		/* what it consumes: TR_T_INT, TR_T_STR, TR_T_NONE (%@) */
	uint8_t flags_minus;	/* for %S and %a, which the engine pads itself */
	int width;		/* -1: none */
};

struct tr_fmt {
	char *src;		/* as written, for messages */
	int nconv;
	struct tr_conv *conv;
};

/* A probe description provider:module:function:name (globs allowed). */
struct tr_pdesc {
	char *field[4];
	int line, col;
};

struct tr_clause {
	struct tr_pdesc *desc;
	int ndesc;
	int line, col;		/* of the clause, for runtime errors */
	struct tr_insn *code;
	uint32_t len;
	uint32_t nlocals;	/* this-> variables it may use */
};

struct tr_prog {
	char *name;		/* the script's file name */
	int64_t *consts;
	uint32_t nconsts;
	char **strs;
	uint32_t nstrs;
	struct tr_var *vars;
	uint32_t nvars;
	struct tr_aggdef *aggs;
	uint32_t naggs;
	struct tr_fmt *fmts;
	uint32_t nfmts;
	struct tr_clause *clauses;
	uint32_t nclauses;
	int quiet;		/* #pragma D option quiet */
};

/* Growable tables: TR_GROW(p->strs, p->nstrs) makes room for one more. */
void *tr_grow(void *array, uint32_t count, size_t size);
#define TR_GROW(arr, n) ((arr) = tr_grow((arr), (n), sizeof *(arr)))

char *tr_strdup(const char *s);
char *tr_strndup(const char *s, size_t n);
void *tr_xalloc(size_t n);	/* zeroed; aborts the process when memory runs out */

/* Formats: parse (0, or -1 with why), and the names of types. */
int tr_fmt_parse(struct tr_fmt *f, const char *src, int for_printa, char *why, size_t whylen);
void tr_fmt_free(struct tr_fmt *f);
const char *tr_type_name(int type);

/* Probe table access (probes.c). */
struct tr_probe_name {
	const char *prov, *mod, *func, *name;
};
int tr_glob(const char *pattern, const char *s);
/* The name of kernel or user probe id as it fires with first argument arg0. */
void tr_probe_name(uint16_t probe, uint64_t arg0, struct tr_probe_name *out);
int tr_probe_nargs(uint16_t probe);
const char *tr_probe_argname(uint16_t probe, int i, char *buf, size_t len);
/* Every concrete name a description could match: calls fn for each kernel
 * probe (syscall probes once per system call); returns how many matched. */
unsigned tr_pdesc_match_kernel(const struct tr_pdesc *d, int *nargs_min);
int tr_pdesc_matches(const struct tr_pdesc *d, const struct tr_probe_name *n);
/* Timer probes tick-N / profile-N: interval in ns, 0 if d is not one. */
uint64_t tr_pdesc_timer(const struct tr_pdesc *d, int *profile, char *why, size_t whylen);
int tr_pdesc_is(const struct tr_pdesc *d, const char *name);	/* BEGIN, END */
int tr_pdesc_user(const struct tr_pdesc *d);	/* may match user probes */
const char *tr_syscall_name(uint64_t nr);

/* An opcode's name in lower case (buf: 16 bytes). */
const char *tr_op_name(int op, char *buf);

/* printf through a write function, at most 1 KiB at a time. */
void tr_vwritef(void (*write)(void *, const char *, size_t), void *ctx, const char *fmt, va_list ap);

/* printf-style appending to a bounded buffer. */
struct tr_buf {
	char *p;
	size_t len, cap;
};
void tr_bprintf(struct tr_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tr_bputs(struct tr_buf *b, const char *s);

#endif
