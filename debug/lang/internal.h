/*
 * internal.h: what the files of the language core share and nobody else
 * needs: tokens, the syntax tree, the interpreter state.
 */
#ifndef ACID_INTERNAL_H
#define ACID_INTERNAL_H

#include "lang.h"

enum acid_tok {
	TK_EOF = 0, TK_ERROR, TK_NL, TK_INT, TK_FLOAT, TK_STR, TK_CHAR, TK_NAME, TK_LOCAL,
	/* keywords */
	TK_DEFN, TK_LOCALKW, TK_RETURN, TK_IF, TK_THEN, TK_ELSE, TK_WHILE,
	TK_DO, TK_LOOP, TK_HEAD, TK_TAIL, TK_APPEND, TK_DELETE, TK_COMPLEX,
	TK_AGGR, TK_UNION, TK_WHATIS, TK_BUILTIN, TK_SIZEOF,
	/* multi-character operators; single characters are their own code */
	TK_EQ = 256, TK_NE, TK_LE, TK_GE, TK_ANDAND, TK_OROR, TK_SHL, TK_SHR,
	TK_INC, TK_DEC, TK_ARROW, TK_ADDEQ, TK_SUBEQ,
};

struct acid_token {
	int kind;
	int line;
	int depth;          /* (), [] and {} nesting before this token */
	int64_t ival;
	double fval;
	char *text;         /* names, strings (unescaped), fn of fn:var */
	char *text2;        /* var of fn:var */
	size_t len;         /* string length */
};

struct acid_tokens {
	struct acid_token *t;
	int n;
	const char *file;
	char *error;        /* first lexical error, NULL if none */
	int error_line;
};

/* Tokenizes text; lexical errors are recorded in the result, not raised. */
struct acid_tokens acid_lex(const char *text, const char *file, int line);

enum acid_nop {
	/* expressions */
	N_INT, N_FLOAT, N_STR, N_NAME, N_LOCALREF, N_LISTLIT, N_CALL, N_INDEX,
	N_MEMBER, N_UNOP, N_BINOP, N_ASSIGN, N_OPASSIGN, N_FMT, N_CAST, N_HEAD,
	N_TAIL, N_APPEND, N_DELETE, N_PREINC, N_PREDEC, N_POSTINC, N_POSTDEC,
	N_DEREF, N_FILEREF, N_ADDR, N_SIZEOF, N_BUILTINCALL,
	/* statements */
	N_BLOCK, N_EXPR, N_IF, N_WHILE, N_LOOP, N_RETURN, N_LOCAL, N_DEFN,
	N_UNDEFN, N_AGGR, N_COMPLEX, N_WHATIS, N_EMPTY,
};

struct acid_node {
	enum acid_nop op;
	int tok;                 /* operator token for N_UNOP/N_BINOP/N_OPASSIGN */
	const char *file;
	int line;
	struct acid_node *l, *r, *x;   /* operands; x: else branch, loop body */
	struct acid_node *next;        /* next in a list of args or statements */
	int64_t ival;
	double fval;
	char *str, *str2;
	size_t len;
	char fmt;
};

struct acid_parser {
	struct acid_tokens *tk;
	int pos;
	int fail_pos;       /* token where the last syntax error was found */
	jmp_buf *fail;
	char msg[256];
	int line;
};

/* Parses the next top-level statement; NULL at end of input. On a syntax
 * error longjmps to p->fail with p->msg and p->line set. */
struct acid_node *acid_parse_stmt(struct acid_parser *p);
/* Skips past the statement containing the current token (error recovery). */
void acid_parse_resync(struct acid_parser *p);

/* Variables: one binding per name (dynamic scoping saves and restores). */
struct acid_var {
	char *name;
	struct acid_value v;
	int set;
	struct acid_var *next;
};

struct acid_func {
	char *name;
	struct acid_node *params;   /* N_NAME list */
	struct acid_node *body;
	acid_builtin_fn *builtin;
	struct acid_func *next;
};

struct acid_typedef {
	struct acid_type *type;
	struct acid_typedef *next;
};

#define ACID_HASH 256

struct acid {
	struct acid_host host;
	int have_host;
	struct acid_var *vars[ACID_HASH];
	struct acid_func *funcs[ACID_HASH];
	struct acid_func *builtins[ACID_HASH];
	struct acid_typedef *types;
	jmp_buf *recover;           /* innermost statement loop */
	const struct acid_node *cur;  /* statement or expression being run */
	int errors;
	int depth;                  /* function call depth */
	long steps, step_limit;     /* statements run; 0 = unlimited */
	FILE *out, *errout;
	/* return unwinding */
	int returning;
	struct acid_value retval;
};

unsigned acid_hash(const char *s);
struct acid_var *acid_var_lookup(struct acid *a, const char *name, int create);
struct acid_func *acid_func_lookup(struct acid *a, const char *name);
struct acid_func *acid_builtin_lookup(struct acid *a, const char *name);

/* eval.c */
struct acid_value acid_eval(struct acid *a, struct acid_node *n);
/* Calls a function (acid or builtin) with evaluated arguments. */
struct acid_value acid_call(struct acid *a, struct acid_func *f, int argc,
                            struct acid_value *argv);
/* exec.c */
void acid_exec(struct acid *a, struct acid_node *n);
void acid_define(struct acid *a, struct acid_node *defn);
/* Runs tokenized text statement by statement with error recovery. */
int acid_run_tokens(struct acid *a, struct acid_tokens *tk, int print_top);
/* builtin.c */
void acid_builtins_init(struct acid *a);
/* whatis (ctype.c and exec.c) */
void acid_whatis(struct acid *a, const char *name);

#endif
