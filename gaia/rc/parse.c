/*
 * parse.c: rc's grammar.  Each function parses one level of Plan 9's
 * syn.y: body (commands separated by ; & newline), andor, pipeline,
 * unary (! @ assignments, prefix redirections), primary (compound
 * commands and simple commands), and words.  Errors longjmp to p->fail.
 */
#include "parse.h"

#include <stdio.h>
#include <string.h>

static struct node *parse_cmd(struct parser *p);
static struct node *parse_pipeline(struct parser *p);
static struct node *parse_word(struct parser *p);

#define TOK (p->lx.tok)

static void next(struct parser *p)
{
	lex_next(&p->lx);
}

static void __attribute__((noreturn)) syntax(struct parser *p)
{
	lex_error(&p->lx, p->lx.tline, p->lx.tcol, "unexpected %s", lex_token_name(&p->lx));
}

static void expect(struct parser *p, enum token t)
{
	if (TOK != t)
		syntax(p);
	next(p);
}

/* Nesting and chains (a^b^c, a|b|c) each add a level; the limit keeps
 * every later walk of the tree well inside the stack. */
static void deeper(struct parser *p, int by)
{
	p->depth += by;
	if (p->depth > PARSE_MAX_DEPTH)
		lex_error(&p->lx, p->lx.tline, p->lx.tcol, "nested too deeply");
}

static void skip_nl(struct parser *p)
{
	while (TOK == T_NL)
		next(p);
}

static struct node *mk(struct parser *p, enum node_type t)
{
	return node_new(p->lx.ar, t, p->lx.tline, p->lx.tcol);
}

static struct node *mk2(struct parser *p, enum node_type t, struct node *a, struct node *b)
{
	struct node *n = mk(p, t);

	n->a = a;
	n->b = b;
	if (a) {
		n->line = a->line;
		n->col = a->col;
	}
	return n;
}

static int is_kw(struct parser *p, const char *kw)
{
	return TOK == T_WORD && p->lx.keyword && !strcmp(p->lx.str, kw);
}

static int word_start(struct parser *p)
{
	return TOK == T_WORD || TOK == T_DOLLAR || TOK == T_COUNT || TOK == T_FLAT ||
	       TOK == T_BQUOTE || TOK == T_LPAREN;
}

/* words: a possibly empty chain of N_WORDS, ending before a non-word. */
static struct node *parse_words(struct parser *p)
{
	struct node *head = NULL, **tail = &head;

	while (word_start(p)) {
		*tail = mk(p, N_WORDS);
		(*tail)->a = parse_word(p);
		tail = &(*tail)->b;
	}
	return head;
}

/* body: commands separated by ; & or newlines, up to `end`. */
static struct node *parse_body(struct parser *p, enum token end)
{
	struct node *head = NULL, **tail = &head;

	for (;;) {
		struct node *c;

		skip_nl(p);
		if (TOK == end)
			return head;
		c = parse_cmd(p);
		if (TOK == T_AMP) {
			if (c)
				c = mk2(p, N_ASYNC, c, NULL);
			next(p);
		} else if (TOK == T_SEMI || TOK == T_NL)
			next(p);
		else if (TOK != end)
			syntax(p);
		if (c) {
			*tail = mk2(p, N_SEQ, c, NULL);
			tail = &(*tail)->b;
		}
	}
}

static struct node *parse_brace_body(struct parser *p)
{
	struct node *body;

	expect(p, T_LBRACE);
	body = parse_body(p, T_RBRACE);
	next(p);
	return body;
}

static struct node *parse_comword1(struct parser *p);

static struct node *parse_comword(struct parser *p)
{
	struct node *n;

	deeper(p, 1);
	n = parse_comword1(p);
	p->depth--;
	return n;
}

static struct node *parse_comword1(struct parser *p)
{
	struct node *n;
	enum token t = TOK;

	switch (t) {
	case T_WORD:
		n = mk(p, N_WORD);
		n->str = p->lx.str;
		n->quoted = p->lx.quoted;
		next(p);
		return n;
	case T_DOLLAR:
		n = mk(p, N_VAR);
		next(p);
		n->a = parse_comword(p);
		if (TOK == T_SUB) {
			next(p);
			n->type = N_VARSUB;
			n->b = parse_words(p);
			expect(p, T_RPAREN);
		}
		return n;
	case T_COUNT:
	case T_FLAT:
		n = mk(p, t == T_COUNT ? N_COUNT : N_FLAT);
		next(p);
		n->a = parse_comword(p);
		return n;
	case T_BQUOTE:
		n = mk(p, N_BQUOTE);
		next(p);
		n->a = parse_brace_body(p);
		return n;
	case T_LPAREN:
		n = mk(p, N_LIST);
		next(p);
		n->a = parse_words(p);
		expect(p, T_RPAREN);
		return n;
	default:
		syntax(p);
	}
}

static struct node *parse_word(struct parser *p)
{
	struct node *w = parse_comword(p);
	int links = 0;

	while (TOK == T_CARET) {
		next(p);
		deeper(p, 1);
		links++;
		w = mk2(p, N_CONCAT, w, parse_comword(p));
	}
	p->depth -= links;
	return w;
}

static struct node *parse_redir(struct parser *p)
{
	struct node *r = mk(p, N_REDIR);

	r->rtype = p->lx.rtype;
	r->fd0 = p->lx.fd0;
	r->fd1 = p->lx.fd1;
	next(p);
	if (r->rtype == R_DUP || r->rtype == R_CLOSE)
		return r;
	if (r->rtype == R_HERE) {
		if (TOK != T_WORD || strchr(p->lx.str, '\n') || !p->lx.str[0])
			lex_error(&p->lx, p->lx.tline, p->lx.tcol,
				  "here document marker must be a plain word");
		r->a = mk(p, N_WORD);
		r->a->str = p->lx.str;
		r->a->quoted = r->quoted = p->lx.quoted;
		/* before the next token, which may be the newline that
		 * starts the body */
		lex_here(&p->lx, r);
		next(p);
		return r;
	}
	if (!word_start(p))
		syntax(p);
	r->a = parse_word(p);
	return r;
}

/* Redirections after a brace: a chain through c. */
static struct node *parse_epilog(struct parser *p)
{
	struct node *head = NULL, **tail = &head;

	while (TOK == T_REDIR) {
		*tail = parse_redir(p);
		tail = &(*tail)->c;
	}
	return head;
}

/* A simple command whose first word is `first`. */
static struct node *parse_simple(struct parser *p, struct node *first)
{
	struct node *n = mk2(p, N_SIMPLE, NULL, NULL);
	struct node **wtail = &n->a, **rtail = &n->b;

	n->line = first->line;
	n->col = first->col;
	*wtail = mk2(p, N_WORDS, first, NULL);
	wtail = &(*wtail)->b;
	for (;;) {
		if (word_start(p)) {
			*wtail = mk2(p, N_WORDS, parse_word(p), NULL);
			wtail = &(*wtail)->b;
		} else if (TOK == T_REDIR) {
			*rtail = parse_redir(p);
			rtail = &(*rtail)->c;
		} else
			return n;
	}
}

/* ( body ) as in if and while. */
static struct node *parse_paren(struct parser *p)
{
	struct node *body;

	expect(p, T_LPAREN);
	body = parse_body(p, T_RPAREN);
	next(p);
	return body;
}

static struct node *parse_for(struct parser *p, struct node *n)
{
	expect(p, T_LPAREN);
	n->a = parse_word(p);
	if (is_kw(p, "in")) {
		next(p);
		n->b = parse_words(p);
	} else
		n->fd0 = 1;	/* for(i): over $* */
	expect(p, T_RPAREN);
	skip_nl(p);
	n->c = parse_cmd(p);
	return n;
}

static struct node *parse_fn(struct parser *p, struct node *n)
{
	n->a = parse_words(p);
	if (!n->a)
		syntax(p);
	if (TOK == T_LBRACE) {
		n->fd0 = 1;	/* a definition, even of an empty body */
		n->b = parse_brace_body(p);
	}
	return n;
}

/* Compound commands, ~, and simple commands; NULL for none. */
static struct node *parse_primary(struct parser *p)
{
	struct node *n;

	if (TOK == T_LBRACE) {
		n = mk(p, N_BRACE);
		n->a = parse_brace_body(p);
		n->b = parse_epilog(p);
		return n;
	}
	if (TOK == T_WORD && p->lx.keyword) {
		const char *kw = p->lx.str;
		n = mk(p, N_IF);
		next(p);
		if (!strcmp(kw, "if")) {
			if (is_kw(p, "not")) {
				next(p);
				n->type = N_IFNOT;
				skip_nl(p);
				n->a = parse_cmd(p);
				return n;
			}
			n->a = parse_paren(p);
			skip_nl(p);
			n->b = parse_cmd(p);
			return n;
		}
		if (!strcmp(kw, "for")) {
			n->type = N_FOR;
			return parse_for(p, n);
		}
		if (!strcmp(kw, "while")) {
			n->type = N_WHILE;
			n->a = parse_paren(p);
			skip_nl(p);
			n->b = parse_cmd(p);
			return n;
		}
		if (!strcmp(kw, "switch")) {
			n->type = N_SWITCH;
			n->a = parse_word(p);
			skip_nl(p);
			n->b = parse_brace_body(p);
			return n;
		}
		if (!strcmp(kw, "~")) {
			n->type = N_MATCH;
			n->a = parse_word(p);
			n->b = parse_words(p);
			return n;
		}
		if (!strcmp(kw, "fn")) {
			n->type = N_FN;
			return parse_fn(p, n);
		}
		lex_error(&p->lx, n->line, n->col, "unexpected '%s'", kw);
	}
	if (word_start(p))
		return parse_simple(p, parse_word(p));
	return NULL;
}

/* Put redirection r in front of command c. */
static struct node *prefix_redir(struct parser *p, struct node *r, struct node *c)
{
	struct node *n;

	if (c && c->type == N_SIMPLE) {
		r->c = c->b;
		c->b = r;
		return c;
	}
	n = mk2(p, c ? N_BRACE : N_SIMPLE, NULL, r);
	n->line = r->line;
	n->col = r->col;
	if (c)
		n->a = mk2(p, N_SEQ, c, NULL);
	return n;
}

/* ! @ assignments and redirections in front, each taking a pipeline. */
static struct node *parse_unary(struct parser *p)
{
	struct node *n, *w;

	if (is_kw(p, "!") || is_kw(p, "@")) {
		n = mk(p, p->lx.str[0] == '!' ? N_NOT : N_SUBSHELL);
		next(p);
		n->a = parse_pipeline(p);
		if (!n->a)
			syntax(p);
		return n;
	}
	if (TOK == T_REDIR) {
		struct node *r = parse_redir(p);
		return prefix_redir(p, r, parse_pipeline(p));
	}
	if (!word_start(p) || (TOK == T_WORD && p->lx.keyword))
		return parse_primary(p);
	w = parse_word(p);
	if (TOK != T_EQ)
		return parse_simple(p, w);
	n = mk2(p, N_ASSIGN, w, NULL);
	next(p);
	if (!word_start(p))
		syntax(p);
	n->b = parse_word(p);
	n->c = parse_pipeline(p);
	return n;
}

static struct node *parse_pipeline(struct parser *p)
{
	struct node *l = parse_unary(p);
	int links = 0;

	while (TOK == T_PIPE) {
		struct node *n = mk2(p, N_PIPE, l, NULL);
		n->fd0 = p->lx.fd0;
		n->fd1 = p->lx.fd1;
		if (!l)
			syntax(p);
		next(p);
		skip_nl(p);
		deeper(p, 1);
		links++;
		n->b = parse_unary(p);
		if (!n->b)
			syntax(p);
		l = n;
	}
	p->depth -= links;
	return l;
}

static struct node *parse_cmd(struct parser *p)
{
	struct node *l;
	int links = 1;

	deeper(p, 1);
	l = parse_pipeline(p);
	while (TOK == T_ANDAND || TOK == T_OROR) {
		struct node *n = mk2(p, TOK == T_ANDAND ? N_AND : N_OR, l, NULL);
		if (!l)
			syntax(p);
		next(p);
		skip_nl(p);
		deeper(p, 1);
		links++;
		n->b = parse_pipeline(p);
		if (!n->b)
			syntax(p);
		l = n;
	}
	p->depth -= links;
	return l;
}

void parse_init(struct parser *p, struct input *in)
{
	memset(p, 0, sizeof *p);
	lex_init(&p->lx, in, NULL, &p->fail);
}

/* line: commands separated by ; or &, up to a newline or the end. */
static struct node *parse_top(struct parser *p)
{
	struct node *head = NULL, **tail = &head;

	for (;;) {
		struct node *c = parse_cmd(p);
		if (TOK == T_AMP && c)
			c = mk2(p, N_ASYNC, c, NULL);
		else if (TOK != T_AMP && TOK != T_SEMI && TOK != T_NL && TOK != T_EOF)
			syntax(p);
		if (c) {
			*tail = mk2(p, N_SEQ, c, NULL);
			tail = &(*tail)->b;
		}
		if (TOK == T_NL || TOK == T_EOF)
			return head;
		next(p);
		if (TOK == T_NL || TOK == T_EOF)
			return head;
	}
}

enum parse_result parse_line(struct parser *p, struct arena *ar, struct node **tree)
{
	*tree = NULL;
	p->lx.ar = ar;
	p->depth = 0;
	if (setjmp(p->fail)) {
		p->lx.nhere = 0;
		return PARSE_ERROR;
	}
	next(p);
	if (TOK == T_EOF)
		return PARSE_EOF;
	*tree = parse_top(p);
	return PARSE_OK;
}

struct node *parse_string(struct arena *ar, const char *name, const char *s, char *err, size_t n)
{
	struct input in;
	struct parser p;
	struct node *head = NULL, **tail = &head, *t;
	enum parse_result r;

	if (n)
		err[0] = 0;
	input_string(&in, name, s, strlen(s));
	parse_init(&p, &in);
	while ((r = parse_line(&p, ar, &t)) == PARSE_OK) {
		if (t) {
			*tail = t;
			while (*tail)
				tail = &(*tail)->b;
		}
	}
	if (r == PARSE_ERROR) {
		snprintf(err, n, "%s", p.lx.errbuf);
		return NULL;
	}
	return head;
}
