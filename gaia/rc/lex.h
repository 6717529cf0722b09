/*
 * lex.h: tokens.  The lexer follows Plan 9 rc: it inserts the free caret
 * between adjacent word pieces, marks '(' right after a $name as a
 * subscript, reads here documents at the newline that ends their line,
 * and reports errors with line:col through the parser's jmp_buf.
 */
#ifndef RC_LEX_H
#define RC_LEX_H

#include <setjmp.h>
#include "input.h"
#include "rc.h"

enum token {
	T_EOF, T_NL, T_WORD, T_SEMI, T_AMP, T_PIPE, T_ANDAND, T_OROR, T_REDIR,
	T_LPAREN, T_RPAREN, T_LBRACE, T_RBRACE, T_CARET, T_EQ, T_BQUOTE,
	T_DOLLAR, T_COUNT, T_FLAT, T_SUB,
};

enum { LEX_MAX_HERE = 32 };

struct lexer {
	struct input *in;
	struct arena *ar;
	int look[2], nlook;	/* pushed-back bytes */
	int line, col;		/* position of the next byte */
	int lastword, lastdol;	/* Plan 9's free-caret state */
	/* the current token */
	enum token tok;
	int tline, tcol;
	char *str;
	int quoted, keyword;
	int rtype, fd0, fd1;
	/* here documents waiting for the end of their line */
	struct node *here[LEX_MAX_HERE];
	int nhere;
	jmp_buf *fail;
	char errbuf[256];
};

void lex_init(struct lexer *lx, struct input *in, struct arena *ar, jmp_buf *fail);
/* Read the next token into lx. */
void lex_next(struct lexer *lx);
/* Report a syntax error at line:col and longjmp to lx->fail. */
void lex_error(struct lexer *lx, int line, int col, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 4, 5)));
/* Queue a here document to be read at the next newline. */
void lex_here(struct lexer *lx, struct node *redir);
/* Skip the rest of the current line (after an error, interactively). */
void lex_skip_line(struct lexer *lx);
/* A printable name for the current token. */
const char *lex_token_name(struct lexer *lx);
/* Is c a character that can appear in an unquoted word? */
int lex_wordchr(int c);
/* Can c be part of a variable name after $ (letters, digits, _, *, UTF-8)? */
int lex_idchr(int c);
/* Is s a keyword? */
int lex_is_keyword(const char *s);

#endif
