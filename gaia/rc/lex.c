/*
 * lex.c: rc's lexer.  Bytes come from an input; tokens go to parse.c.
 * Free carets and subscripts follow Plan 9's lex.c: after a word, a
 * following '(' is a subscript and a following word piece ($, ', `,
 * or a word character) gets a '^' inserted before it.
 */
#include "lex.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const keywords[] = {
	"for", "in", "while", "if", "not", "switch", "fn", "~", "!", "@",
};

int lex_is_keyword(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
		if (!strcmp(s, keywords[i]))
			return 1;
	return 0;
}

int lex_wordchr(int c)
{
	return c >= 0 && !strchr("\n \t#;&|^$=`'{}()<>", c) && c != 0;
}

int lex_idchr(int c)
{
	return c >= 0 && (c >= 0x80 || c == '_' || c == '*' ||
			  (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
}

void lex_init(struct lexer *lx, struct input *in, struct arena *ar, jmp_buf *fail)
{
	memset(lx, 0, sizeof *lx);
	lx->in = in;
	lx->ar = ar;
	lx->line = 1;
	lx->col = 1;
	lx->fail = fail;
}

void lex_error(struct lexer *lx, int line, int col, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(lx->errbuf, sizeof lx->errbuf, "%s:%d:%d: syntax error: %s",
		 lx->in->name, line, col, msg);
	longjmp(*lx->fail, 1);
}

static int peekc(struct lexer *lx)
{
	if (!lx->nlook)
		lx->look[lx->nlook++] = input_getc(lx->in);
	return lx->look[lx->nlook - 1];
}

/* The byte after the next one (fills two of look-ahead). */
static int peek2(struct lexer *lx)
{
	int c1;

	if (lx->nlook == 2)
		return lx->look[0];
	c1 = peekc(lx);
	lx->look[0] = input_getc(lx->in);
	lx->look[1] = c1;
	lx->nlook = 2;
	return lx->look[0];
}

static int getc_(struct lexer *lx)
{
	int c = peekc(lx);

	lx->nlook--;
	if (c == '\n') {
		lx->line++;
		lx->col = 1;
	} else if (c >= 0)
		lx->col++;
	return c;
}

/* Blanks, tabs, and backslash-newline (which counts as a blank). */
static void skip_white(struct lexer *lx)
{
	for (;;) {
		int c = peekc(lx);
		if (c == ' ' || c == '\t')
			getc_(lx);
		else if (c == '\\' && peek2(lx) == '\n') {
			getc_(lx);
			getc_(lx);
		} else
			return;
	}
}

static void skip_comment(struct lexer *lx)
{
	if (peekc(lx) != '#')
		return;
	while (peekc(lx) != '\n' && peekc(lx) >= 0)
		getc_(lx);
}

void lex_skip_line(struct lexer *lx)
{
	if (lx->tok == T_NL || lx->tok == T_EOF)
		return;
	while (peekc(lx) != '\n' && peekc(lx) >= 0)
		getc_(lx);
	if (peekc(lx) == '\n')
		getc_(lx);
	lx->nhere = 0;
}

void lex_here(struct lexer *lx, struct node *redir)
{
	if (lx->nhere == LEX_MAX_HERE)
		lex_error(lx, redir->line, redir->col, "too many here documents on one line");
	redir->str = arena_strdup(lx->ar, "", 0);	/* if input ends first */
	lx->here[lx->nhere++] = redir;
}

/* Read the bodies of the pending here documents, up to their markers. */
static void read_here_docs(struct lexer *lx)
{
	int i;

	for (i = 0; i < lx->nhere; i++) {
		struct node *r = lx->here[i];
		const char *marker = r->a->str;
		struct buf body = {0}, line = {0};
		int c;

		buf_adds(&body, "");
		for (;;) {
			buf_adds(&line, "");
			while ((c = getc_(lx)) >= 0 && c != '\n')
				buf_addc(&line, (char)c);
			if (!strcmp(line.s, marker) || (c < 0 && line.len == 0))
				break;
			buf_add(&body, line.s, line.len);
			buf_addc(&body, '\n');
			line.len = 0;
			if (c < 0)
				break;
		}
		free(line.s);
		r->str = arena_strdup(lx->ar, body.s, body.len);
		free(body.s);
	}
	lx->nhere = 0;
}

/* [n], [n=m] or [n=] after a redirection or pipe; returns 0 if absent. */
static int read_fds(struct lexer *lx, int *fd0, int *fd1, int *has_eq)
{
	int n, line = lx->line, col = lx->col;

	*has_eq = 0;
	if (peekc(lx) != '[')
		return 0;
	getc_(lx);
	if (peekc(lx) < '0' || peekc(lx) > '9')
		lex_error(lx, line, col, "bad file descriptor in [...]");
	for (n = 0; peekc(lx) >= '0' && peekc(lx) <= '9';)
		if ((n = n * 10 + (getc_(lx) - '0')) >= 100000)
			lex_error(lx, line, col, "file descriptor number too large");
	*fd0 = n;
	*fd1 = -1;
	if (peekc(lx) == '=') {
		getc_(lx);
		*has_eq = 1;
		if (peekc(lx) >= '0' && peekc(lx) <= '9') {
			for (n = 0; peekc(lx) >= '0' && peekc(lx) <= '9';)
				if ((n = n * 10 + (getc_(lx) - '0')) >= 100000)
					lex_error(lx, line, col, "file descriptor number too large");
			*fd1 = n;
		}
	}
	if (getc_(lx) != ']')
		lex_error(lx, line, col, "missing ] in file descriptor");
	return 1;
}

static void lex_redir(struct lexer *lx, int c)
{
	int eq;

	lx->tok = T_REDIR;
	if (c == '<') {
		lx->fd0 = 0;
		if (peekc(lx) == '<') {
			getc_(lx);
			lx->rtype = R_HERE;
		} else if (peekc(lx) == '>') {
			getc_(lx);
			lx->rtype = R_RDWR;
		} else
			lx->rtype = R_READ;
	} else {
		lx->fd0 = 1;
		lx->rtype = R_WRITE;
		if (peekc(lx) == '>') {
			getc_(lx);
			lx->rtype = R_APPEND;
		}
	}
	if (read_fds(lx, &lx->fd0, &lx->fd1, &eq) && eq) {
		if (lx->rtype == R_HERE || lx->rtype == R_APPEND || lx->rtype == R_RDWR)
			lex_error(lx, lx->tline, lx->tcol, "bad redirection");
		lx->rtype = lx->fd1 < 0 ? R_CLOSE : R_DUP;
	}
}

static void lex_pipe(struct lexer *lx)
{
	int eq, a, b;

	if (peekc(lx) == '|') {
		getc_(lx);
		lx->tok = T_OROR;
		return;
	}
	lx->tok = T_PIPE;
	lx->fd0 = 1;
	lx->fd1 = 0;
	/* |[n]: the left's n into the right's 0; |[a=b]: the left's b into
	 * the right's a. */
	if (read_fds(lx, &a, &b, &eq)) {
		if (eq && b < 0)
			lex_error(lx, lx->tline, lx->tcol, "bad pipe [n=]");
		lx->fd0 = eq ? b : a;
		lx->fd1 = eq ? a : 0;
	}
}

static void lex_quoted(struct lexer *lx)
{
	struct buf b = {0};
	int c;

	buf_adds(&b, "");
	for (;;) {
		c = getc_(lx);
		if (c < 0) {
			free(b.s);
			lex_error(lx, lx->tline, lx->tcol, "unterminated quote");
		}
		if (c == '\'') {
			if (peekc(lx) != '\'')
				break;
			getc_(lx);
		}
		buf_addc(&b, (char)c);
	}
	lx->str = arena_strdup(lx->ar, b.s, b.len);
	free(b.s);
	lx->tok = T_WORD;
	lx->quoted = 1;
}

static void lex_word(struct lexer *lx, int dollar)
{
	struct buf b = {0};

	buf_adds(&b, "");
	while (dollar ? lex_idchr(peekc(lx)) : lex_wordchr(peekc(lx)))
		buf_addc(&b, (char)getc_(lx));
	lx->str = arena_strdup(lx->ar, b.s, b.len);
	free(b.s);
	lx->tok = T_WORD;
	lx->keyword = !dollar && lex_is_keyword(lx->str);
}

/* The single-character and operator tokens. */
static int lex_operator(struct lexer *lx, int c)
{
	switch (c) {
	case -1: lx->tok = T_EOF; return 1;
	case '\n': lx->tok = T_NL; return 1;
	case ';': lx->tok = T_SEMI; return 1;
	case '^': lx->tok = T_CARET; return 1;
	case '=': lx->tok = T_EQ; return 1;
	case '`': lx->tok = T_BQUOTE; return 1;
	case '(': lx->tok = T_LPAREN; return 1;
	case ')': lx->tok = T_RPAREN; return 1;
	case '{': lx->tok = T_LBRACE; return 1;
	case '}': lx->tok = T_RBRACE; return 1;
	case '|': lex_pipe(lx); return 1;
	case '<': case '>': lex_redir(lx, c); return 1;
	case '&':
		lx->tok = T_AMP;
		if (peekc(lx) == '&') {
			getc_(lx);
			lx->tok = T_ANDAND;
		}
		return 1;
	case '$':
		lx->tok = T_DOLLAR;
		if (peekc(lx) == '#') {
			getc_(lx);
			lx->tok = T_COUNT;
		} else if (peekc(lx) == '"') {
			getc_(lx);
			lx->tok = T_FLAT;
		}
		return 1;
	}
	return 0;
}

void lex_next(struct lexer *lx)
{
	int c, dollar = lx->lastdol;

	lx->str = NULL;
	lx->quoted = lx->keyword = 0;
	lx->tline = lx->line;
	lx->tcol = lx->col;
	if (lx->lastword) {
		lx->lastword = 0;
		c = peekc(lx);
		if (c == '(') {
			getc_(lx);
			lx->lastdol = 0;
			lx->tok = T_SUB;
			return;
		}
		if (lex_wordchr(c) || c == '\'' || c == '`' || c == '$') {
			lx->lastdol = 0;
			lx->tok = T_CARET;
			return;
		}
	}
	lx->lastdol = 0;
	skip_white(lx);
	skip_comment(lx);
	lx->tline = lx->line;
	lx->tcol = lx->col;
	c = peekc(lx);
	if (c == '\'') {
		getc_(lx);
		lex_quoted(lx);
		lx->lastword = 1;
		return;
	}
	if (lex_wordchr(c)) {
		lex_word(lx, dollar);
		if (!lx->str[0])	/* $ followed by a non-name character */
			lex_error(lx, lx->tline, lx->tcol, "bad variable name after $");
		lx->lastword = !lx->keyword;	/* if(, for(, while( */
		return;
	}
	getc_(lx);
	if (!lex_operator(lx, c))
		lex_error(lx, lx->tline, lx->tcol, "unexpected character 0x%02x", c & 0xff);
	if (lx->tok == T_DOLLAR || lx->tok == T_COUNT || lx->tok == T_FLAT)
		lx->lastdol = 1;
	if (lx->tok == T_NL && lx->nhere)
		read_here_docs(lx);
}

const char *lex_token_name(struct lexer *lx)
{
	static char name[64];

	switch (lx->tok) {
	case T_EOF: return "end of input";
	case T_NL: return "newline";
	case T_WORD:
		snprintf(name, sizeof name, "'%.40s'", lx->str);
		return name;
	case T_SEMI: return "';'";
	case T_AMP: return "'&'";
	case T_PIPE: return "'|'";
	case T_ANDAND: return "'&&'";
	case T_OROR: return "'||'";
	case T_REDIR: return "redirection";
	case T_LPAREN: return "'('";
	case T_RPAREN: return "')'";
	case T_LBRACE: return "'{'";
	case T_RBRACE: return "'}'";
	case T_CARET: return "'^'";
	case T_EQ: return "'='";
	case T_BQUOTE: return "'`'";
	case T_DOLLAR: return "'$'";
	case T_COUNT: return "'$#'";
	case T_FLAT: return "'$\"'";
	case T_SUB: return "'(' (subscript)";
	}
	return "token";
}
