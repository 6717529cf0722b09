/*
 * lang.h: the acid language core.
 *
 * Four layers, each its own file:
 *   lex.c     text -> tokens (with file:line and bracket depth)
 *   parse.c   tokens -> syntax tree (struct acid_node)
 *   eval.c    expressions; exec.c statements, functions and error recovery
 *   value.c / format.c / print.c / ctype.c   values, formats, printing, C types
 * The language knows nothing of processes or symbol tables: it reaches them
 * through struct acid_host (memory, registers, symbol look-ups), which the
 * acid command fills in from the sym and target libraries.  Builtins are C
 * functions registered by name (builtin.c for the language-level ones).
 *
 * Memory: strings, lists and syntax trees live in one arena that is freed
 * only as a whole; an acid session is a short-lived process (docs/acid.md).
 */
#ifndef ACID_LANG_H
#define ACID_LANG_H

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct acid;
struct acid_node;
struct acid_type;

enum acid_vkind {
	AV_NONE,  /* no value (a function that returned nothing) */
	AV_INT,   /* integer; with a type, the address of an object of that type */
	AV_FLOAT,
	AV_STR,
	AV_LIST,
	AV_AGG,   /* struct, union or array object living in memory at .i */
	AV_REG,   /* a register cell: .i is the register number; `*` reads it */
};

struct acid_str {
	size_t len;
	char s[];
};

struct acid_list {
	int n;
	struct acid_value *v;
};

struct acid_value {
	enum acid_vkind kind;
	char fmt;                /* format letter: print style and `*`/`@` size */
	char space;              /* for AV_AGG: '*' process memory, '@' file */
	struct acid_type *type;  /* see enum acid_vkind */
	struct acid_type *ctype; /* C type of a scalar loaded from memory, for printing */
	union {
		int64_t i;
		double f;
		struct acid_str *s;
		struct acid_list *l;
	};
};

/* C types, from DWARF (via the host) or from acid `aggr` definitions. */
enum acid_tkind {
	AT_BASE, AT_PTR, AT_STRUCT, AT_UNION, AT_ARRAY, AT_ENUM,
	AT_TYPEDEF, AT_QUAL, AT_FUNC, AT_VOID,
};

struct acid_member {
	const char *name;
	uint64_t off;
	struct acid_type *type;  /* NULL for acid aggr members given by format */
	char fmt;
	int bitsize;             /* 0 unless a bit field */
	int bitoff;              /* bit offset from off, little-endian */
};

struct acid_enumerator {
	const char *name;
	int64_t value;
};

struct acid_type {
	enum acid_tkind kind;
	const char *name;        /* "int", "node" (tag), typedef name, "const" */
	uint64_t size;
	char fmt;                /* base types: format letter matching size/sign */
	struct acid_type *target;  /* PTR, ARRAY element, TYPEDEF, QUAL, FUNC return */
	uint64_t count;          /* ARRAY: element count (0 = unknown) */
	int nmember;
	struct acid_member *member;
	int nenum;
	struct acid_enumerator *enumerator;
};

/* The host: how the language reaches the debugged program. Each op returns
 * 0 on success or -1 after writing a reason to err (errlen bytes). */
struct acid_host {
	void *ctx;
	int (*read_mem)(void *ctx, uint64_t addr, void *buf, size_t n, char *err, size_t errlen);
	int (*write_mem)(void *ctx, uint64_t addr, const void *buf, size_t n, char *err, size_t errlen);
	int (*read_file)(void *ctx, uint64_t addr, void *buf, size_t n, char *err, size_t errlen);
	int (*get_reg)(void *ctx, int regno, uint64_t *val, char *err, size_t errlen);
	int (*set_reg)(void *ctx, int regno, uint64_t val, char *err, size_t errlen);
	/* A name the program defines (symbol or register); 1 found, 0 not. */
	int (*lookup)(void *ctx, const char *name, struct acid_value *out);
	/* fn:var, a local of the innermost active frame of fn; 1 found, 0 not. */
	int (*lookup_local)(void *ctx, const char *fn, const char *var,
	                    struct acid_value *out, char *err, size_t errlen);
	/* Symbolic name for an address ("main+0x1c"); 0 on success. */
	int (*addr_name)(void *ctx, uint64_t addr, char *buf, size_t n);
	/* A C type by name ("struct node", "node", "int"); NULL if none. */
	struct acid_type *(*type_named)(void *ctx, const char *name);
	/* What the program symbol at addr is, as C ("int add(int a, int b)"),
	 * for whatis; 0 on success, -1 if the program does not say. */
	int (*describe)(void *ctx, const char *name, uint64_t addr, char *buf, size_t n);
	/* Name of register regno for printing; NULL if unknown. */
	const char *(*reg_name)(void *ctx, int regno);
	/* The instruction at addr as text into buf (the 'i' format); its
	 * length in bytes, or -1 with a reason in buf. */
	int (*disasm)(void *ctx, uint64_t addr, char *buf, size_t n);
};

typedef void acid_builtin_fn(struct acid *a, int argc, struct acid_value *argv,
                             struct acid_value *ret);

/* ---- interpreter (exec.c) ---- */

/* Creates an interpreter with the language builtins and an empty host. */
struct acid *acid_new(void);
/* Sets the host ops (copied); before it, `*` and symbols fail with an error. */
void acid_set_host(struct acid *a, const struct acid_host *host);
/* Registers C builtin fn under name, replacing any earlier one. */
void acid_builtin_add(struct acid *a, const char *name, acid_builtin_fn *fn);
/* Runs acid source text; errors are reported as file:line and the next
 * statement runs. Returns the number of errors. line is text's first line. */
int acid_run_string(struct acid *a, const char *text, const char *file, int line);
/* Runs the file at path like acid_run_string; -1 if it cannot be read. */
int acid_run_file(struct acid *a, const char *path);
/* 1 if text is incomplete (open brackets, or an unfinished string). */
int acid_text_incomplete(const char *text);
/* Calls acid function name with args if defined; 1 if called, 0 if not. */
int acid_call_hook(struct acid *a, const char *name, int argc,
                   struct acid_value *argv, struct acid_value *ret);
/* Reports a runtime error at the current statement and unwinds to the
 * innermost recovery point (the statement loop). Does not return. */
void acid_error(struct acid *a, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 2, 3)));
/* Stream for program output (default stdout) and errors (default stderr). */
void acid_set_output(struct acid *a, FILE *out, FILE *errout);
FILE *acid_out(struct acid *a);
/* Sets or reads an acid global variable by name. */
void acid_var_set(struct acid *a, const char *name, struct acid_value v);
int acid_var_get(struct acid *a, const char *name, struct acid_value *out);
/* The host passed to acid_set_host (for builtins in other files). */
const struct acid_host *acid_host(struct acid *a);
/* Total errors reported so far. */
int acid_error_count(struct acid *a);
/* Makes every statement past the n-th (0: no limit) an error, so a fuzzer
 * or a test can run untrusted scripts without hanging on `while 1 do ;`. */
void acid_set_step_limit(struct acid *a, long n);

/* ---- values (value.c) ---- */
/* Zeroed memory from the session's arena; aborts when exhausted. */
void *acid_alloc(size_t n);
char *acid_strdup(const char *s);
char *acid_strndup(const char *s, size_t n);
/* Frees all arena memory: only once no interpreter is alive (the fuzzer
 * runs each input in a fresh one). */
void acid_arena_reset(void);
/* Limits on a single string's bytes and a list's elements. */
#define ACID_MAX_STRING (16u << 20)
#define ACID_MAX_LIST (1 << 20)
struct acid_value acid_int(int64_t i, char fmt);
struct acid_value acid_float(double f);
struct acid_value acid_str(const char *s, size_t len);
struct acid_value acid_cstr(const char *s);
struct acid_value acid_list(int n);   /* n elements, all AV_NONE */
struct acid_value acid_none(void);
/* A new list of l's elements plus v at the end. */
struct acid_value acid_list_append(struct acid_value l, struct acid_value v);
/* 1 if v is true in a condition: non-zero number, non-empty string/list. */
int acid_truth(struct acid_value v);
/* Value of v as an integer, or an error naming what (e.g. "argument 1"). */
int64_t acid_need_int(struct acid *a, struct acid_value v, const char *what);
const char *acid_need_str(struct acid *a, struct acid_value v, const char *what);
const char *acid_kind_name(enum acid_vkind k);

/* ---- formats (format.c) ---- */
/* Bytes `*` reads for format f; 0 for formats that read a string. */
int acid_fmt_size(char f);
/* 1 if f is a known format letter. */
int acid_fmt_valid(char f);
/* Reads a value of format f at addr through the host ('*' memory, '@' file). */
struct acid_value acid_fmt_read(struct acid *a, uint64_t addr, char f, char space);
/* Writes v at addr with format f's size. */
void acid_fmt_write(struct acid *a, uint64_t addr, char f, struct acid_value v);
/* Reads size bytes at addr (little-endian) into an integer, errors unwind. */
uint64_t acid_read_uint(struct acid *a, uint64_t addr, int size, char space);
/* Reads a NUL-terminated string of at most max bytes at addr. */
struct acid_value acid_read_cstr(struct acid *a, uint64_t addr, size_t max, char space);

/* ---- printing (print.c) ---- */
/* Writes v to f as its format says (structs print like C initialisers). */
void acid_print_value(struct acid *a, FILE *f, struct acid_value v);
/* Formats v into a new string, as acid_print_value would print it. */
char *acid_value_string(struct acid *a, struct acid_value v);
/* printf-like: fmt with %d %i %u %x %X %o %c %s %a %f %g %e %v %%. */
char *acid_sprintf(struct acid *a, const char *fmt, int argc, struct acid_value *argv);

/* ---- C types (ctype.c) ---- */
/* Follows typedefs and qualifiers. */
struct acid_type *acid_type_strip(struct acid_type *t);
/* C spelling of t around name ("struct node *next"); new string. */
char *acid_type_decl(struct acid_type *t, const char *name);
/* Value of the object of type t at addr: scalars are read, aggregates
 * become AV_AGG, pointers keep their target type. */
struct acid_value acid_type_load(struct acid *a, struct acid_type *t, uint64_t addr, char space);
/* Member name of the object v (AV_AGG, or AV_INT holding the address of a
 * struct); errors if there is none. */
struct acid_value acid_member(struct acid *a, struct acid_value v, const char *name);
/* The acid type defined by aggr/complex or from the host, by name. */
struct acid_type *acid_type_find(struct acid *a, const char *name);
void acid_type_define(struct acid *a, struct acid_type *t);
/* Format letter for a scalar type of this size and signedness. */
char acid_type_fmt(struct acid_type *t);
/* Writes the C definition of a struct/union/enum type (whatis). */
void acid_type_print_def(struct acid *a, FILE *f, struct acid_type *t);

#endif
