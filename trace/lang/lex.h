/*
 * lex.h: the D lexer and the compiler's shared state (errors, arena).
 *
 * The parser pulls tokens one at a time; at the start of a clause it asks
 * for a probe description instead, which is scanned raw (globs, dashes and
 * colons are part of it).
 */
#ifndef TRACE_LEX_H
#define TRACE_LEX_H

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>

enum tr_tok {
	T_EOF, T_IDENT, T_INT, T_STR, T_PDESC,
	T_SELF_ARROW,		/* self-> */
	T_THIS_ARROW,		/* this-> */
	T_AGGNAME,		/* @name or bare @ */
	T_PUNCT,		/* text holds the operator */
};

struct tr_token {
	int kind;
	int line, col;
	char text[4];		/* T_PUNCT: up to three characters */
	char *str;		/* T_IDENT, T_STR (decoded), T_PDESC, T_AGGNAME */
	int64_t ival;
};

/* An arena: everything the compiler allocates dies with it. */
struct tr_arena_block;

struct tr_cc {
	const char *src, *p;	/* script, current position */
	const char *name;
	int line, col;
	jmp_buf fail;
	char *err;
	size_t errlen;
	struct tr_arena_block *arena;
	struct tr_token tok;	/* current token */
	struct tr_token peek;	/* one-token lookahead (kind T_EOF + line 0: none) */
	int have_peek;
	int quiet;		/* #pragma D option quiet */
	int in_predicate;	/* the parser is in /.../: a depth-0 '/' closes it */
	int paren_depth;
};

void *cc_alloc(struct tr_cc *cc, size_t n);
char *cc_strndup(struct tr_cc *cc, const char *s, size_t n);
void cc_free_arena(struct tr_cc *cc);

/* Reports "name:line:col: message" and unwinds to tr_compile. */
__attribute__((noreturn, format(printf, 4, 5)))
void cc_error(struct tr_cc *cc, int line, int col, const char *fmt, ...);

/* Advance to the next token (cc->tok). */
void lex_next(struct tr_cc *cc);
/* Look at the token after cc->tok without consuming it. */
const struct tr_token *lex_peek(struct tr_cc *cc);
/* Skip blanks and comments; 1 if at end of input. */
int lex_skip_space(struct tr_cc *cc);
/* Scan a probe description at the current position into cc->tok. */
void lex_pdesc(struct tr_cc *cc);
/* 1 if the current token is punctuation s. */
int tok_is(const struct tr_token *t, const char *s);

#endif
