/*
 * ipcgen.h: the IPC interface generator's shared definitions.
 *
 * Four stages, one file each: lex.c turns a .ipc file into tokens, parse.c
 * builds struct iface (and checks names and types), layout.c computes each
 * method's message words and caps and refuses what does not fit one
 * message, gen_*.c write the client stubs, server dispatch and names
 * tables. main.c runs them. Every error is "file:line:col: message" and
 * ends the run with exit status 1.
 */
#ifndef IPCGEN_H
#define IPCGEN_H

#include <stdint.h>
#include <stdio.h>
#include <helios/syscall.h>
#include "../ipc_names.h"

#define IPC_STRING_DEFAULT_MAX	64	/* bytes of a `string` without [<=N] */
#define IPC_MAX_PARAMS		32

enum tok_kind {
	TOK_EOF, TOK_IDENT, TOK_NUMBER, TOK_STRING, TOK_ARROW, TOK_LE,
	TOK_PUNCT,	/* one of { } ( ) [ ] : ; , */
};

struct token {
	enum tok_kind kind;
	int line, col;
	char *text;		/* identifier, punctuation, or string contents */
	uint64_t number;
};

struct lexer {
	const char *path;
	const char *src;
	size_t pos;
	int line, col;
};

struct param {
	char *name;
	enum ipc_type type;
	int is_array;
	unsigned max;		/* strings: bytes; arrays: elements */
	int line, col;
};

struct method {
	char *name;
	char *doc;
	int line, col;
	unsigned index;
	unsigned nin, nout;
	struct param in[IPC_MAX_PARAMS], out[IPC_MAX_PARAMS];
	unsigned in_words, out_words, in_caps, out_caps;	/* layout.c */
};

struct iface {
	char *name;
	char *doc;
	int line, col;
	uint32_t id;
	unsigned nmethods;
	struct method *methods;
};

/* Reports path:line:col: message on stderr and exits with status 1. */
void die_at(const char *path, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5), noreturn));
/* Reports ipcgen: message on stderr and exits with status 1. */
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void *xcalloc(size_t n, size_t size);
char *xstrdup(const char *s);

void lex_init(struct lexer *lx, const char *path, const char *src);
/* The next token; lexical errors do not return. */
struct token lex_next(struct lexer *lx);

/* Parses the one interface of a file (named after it); does not return on error. */
struct iface *parse_file(const char *path, const char *src);
uint32_t ipc_fnv1a32(const char *s);

/* Computes every method's words and caps; refuses what does not fit. */
void layout_check(const char *path, struct iface *ifc);
/* Most words a parameter takes in a message. */
unsigned layout_param_words(const struct param *p);

const char *type_name(enum ipc_type t);
/* The C type of one value (an element, for arrays) of t. */
const char *type_ctype(enum ipc_type t);

/* Writers: each creates dir/<iface>_<what>.{c,h}. */
void gen_client(const char *dir, const struct iface *ifc);
void gen_server(const char *dir, const struct iface *ifc);
void gen_names(const char *dir, const struct iface *ifc);
void gen_names_all(const char *out, struct iface **ifcs, unsigned n);

/* Opens dir/name for writing (dies on failure); gen_close checks the write. */
FILE *gen_open(const char *dir, const char *name, char *path, size_t pathsz);
void gen_close(FILE *f, const char *path);
/* s in upper case (for macros). */
void upper(char *dst, size_t n, const char *s);
/* The "what file is this" comment at the top of a generated file. */
void gen_banner(FILE *f, const char *file, const struct iface *ifc, const char *what);
/* Creates dir/<iface>_<kind> ("names.c") and writes its banner. */
FILE *gen_create(const char *dir, const struct iface *ifc, const char *kind, const char *what,
		 char *path, size_t pathsz);
/* Creates dir/<iface>_<side>.h ("client", "server"): banner and the opening
 * of its include guard; gen_close_header writes the end of the guard. */
FILE *gen_open_header(const char *dir, const struct iface *ifc, const char *side,
		      const char *what, char *path, size_t pathsz);
void gen_close_header(FILE *f, const char *path);
/* Creates dir/<iface>_<side>.c: banner, then ipc_rt.h and its own header included. */
FILE *gen_open_source(const char *dir, const struct iface *ifc, const char *side,
		      const char *what, char *path, size_t pathsz);
/* s as a C string literal. */
void gen_cstring(FILE *f, const char *s);
/* The C type of one value of p (bool for IPC_BOOL). */
const char *param_ctype(const struct param *p);
/* IFACE_METHOD_PARAM_MAX, the bound of a string or array. */
void gen_max_macro(FILE *f, const struct iface *ifc, const struct method *m,
		   const struct param *p);
/* One parameter as C: for the client stub (handler 0) or the handler. */
void gen_param_decl(FILE *f, const struct param *p, int out, int handler);
/* ", " and every parameter of m, in then out. */
void gen_params(FILE *f, const struct method *m, int handler);
/* "IPC_U32" ... */
const char *type_enum(enum ipc_type t);
/* Statements packing p: the client's request or the server's reply (client 0). */
void gen_put(FILE *f, const struct iface *ifc, const struct method *m,
	     const struct param *p, int client);
/* Statements unpacking p: into the client's out-pointers or the server's locals. */
void gen_get(FILE *f, const struct iface *ifc, const struct method *m,
	     const struct param *p, int client);

#endif
