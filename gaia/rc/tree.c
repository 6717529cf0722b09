/*
 * tree.c: syntax tree nodes, copying them out of a parse's arena (for
 * functions), and turning them back into rc text.  The text is what
 * whatis prints and what a subshell re-reads, so it must parse back to
 * the same tree; its spacing follows Plan 9's rc (pcmd.c) where that
 * costs nothing: {a;b}, if(c)x, for(i in l)x, while (c)x, a|b, a && b;
 * but redirections are written after the words (Plan 9 puts them first,
 * which re-reads wrongly inside a pipeline).
 */
#include "rc.h"
#include "lex.h"

#include <stdio.h>
#include <string.h>

struct node *node_new(struct arena *ar, enum node_type t, int line, int col)
{
	struct node *n = arena_alloc(ar, sizeof *n);

	n->type = t;
	n->line = line;
	n->col = col;
	return n;
}

struct node *tree_copy(struct arena *ar, const struct node *n)
{
	struct node *c;

	if (!n)
		return NULL;
	c = arena_alloc(ar, sizeof *c);
	*c = *n;
	if (n->str)
		c->str = arena_strdup(ar, n->str, strlen(n->str));
	c->a = tree_copy(ar, n->a);
	c->b = tree_copy(ar, n->b);
	c->c = tree_copy(ar, n->c);
	return c;
}

struct deparse {
	struct buf out;
	const struct node *here[LEX_MAX_HERE * 4];
	int nhere;
};

static void dp(struct deparse *d, const struct node *n);
static void dp_seq(struct deparse *d, const struct node *n, const char *sep);

static void put(struct deparse *d, const char *s)
{
	buf_adds(&d->out, s);
}

static int needs_quotes(const struct node *w)
{
	const char *s = w->str;

	if (!*s || (w->quoted && lex_is_keyword(s)))
		return 1;
	for (; *s; s++)
		if (!lex_wordchr((unsigned char)*s) || *s == '\\' || (w->quoted && strchr("*?[", *s)))
			return 1;
	return 0;
}

/* Quote s as rc would need it: 'it''s'. */
void tree_quote(struct buf *b, const char *s)
{
	buf_addc(b, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			buf_addc(b, '\'');
		buf_addc(b, *s);
	}
	buf_addc(b, '\'');
}

static void dp_word(struct deparse *d, const struct node *w)
{
	if (needs_quotes(w))
		tree_quote(&d->out, w->str);
	else
		put(d, w->str);
}

static void dp_words(struct deparse *d, const struct node *n)
{
	for (; n; n = n->b) {
		dp(d, n->a);
		if (n->b)
			put(d, " ");
	}
}

/* Here documents are written after the newline that ends their line. */
static void flush_here(struct deparse *d)
{
	int i;

	for (i = 0; i < d->nhere; i++) {
		put(d, d->here[i]->str);
		put(d, d->here[i]->a->str);
		put(d, "\n");
	}
	d->nhere = 0;
}

/* n after an operator (| > <): a leading [ would read as [fd]. */
static void dp_operand(struct deparse *d, const struct node *n)
{
	size_t at = d->out.len;

	dp(d, n);
	if (d->out.len > at && d->out.s[at] == '[') {
		buf_addc(&d->out, 0);
		memmove(d->out.s + at + 1, d->out.s + at, d->out.len - at - 1);
		d->out.s[at] = ' ';
	}
}

static void dp_fds(struct deparse *d, const struct node *r, int deflt)
{
	char tmp[48];

	if (r->rtype == R_DUP)
		snprintf(tmp, sizeof tmp, "[%d=%d]", r->fd0, r->fd1);
	else if (r->rtype == R_CLOSE)
		snprintf(tmp, sizeof tmp, "[%d=]", r->fd0);
	else if (r->fd0 != deflt)
		snprintf(tmp, sizeof tmp, "[%d]", r->fd0);
	else
		tmp[0] = 0;
	put(d, tmp);
}

static void dp_redir(struct deparse *d, const struct node *r)
{
	static const char *const ops[] = {
		[R_READ] = "<", [R_WRITE] = ">", [R_APPEND] = ">>", [R_RDWR] = "<>",
		[R_HERE] = "<<", [R_DUP] = ">", [R_CLOSE] = ">",
	};
	int in = r->rtype == R_READ || r->rtype == R_RDWR || r->rtype == R_HERE ||
		 ((r->rtype == R_DUP || r->rtype == R_CLOSE) && r->fd0 == 0);

	put(d, (r->rtype == R_DUP || r->rtype == R_CLOSE) && in ? "<" : ops[r->rtype]);
	dp_fds(d, r, in ? 0 : 1);
	if (r->rtype == R_DUP || r->rtype == R_CLOSE)
		return;
	if (r->rtype == R_HERE && r->quoted)
		tree_quote(&d->out, r->a->str);	/* a quoted marker: no $ substitution */
	else
		dp_operand(d, r->a);
	if (r->rtype == R_HERE && d->nhere < (int)(sizeof d->here / sizeof d->here[0]))
		d->here[d->nhere++] = r;
}

/* Redirections follow the words: in front, one would take in the whole
 * pipeline the command is part of. */
static void dp_redirs(struct deparse *d, const struct node *r, int space)
{
	for (; r; r = r->c, space = 1) {
		if (space)
			put(d, " ");
		dp_redir(d, r);
	}
}

static void dp_brace(struct deparse *d, const struct node *body)
{
	put(d, "{");
	dp_seq(d, body, ";");
	put(d, "}");
}

/* A command chain (N_SEQ); here documents force a newline. */
static void dp_seq(struct deparse *d, const struct node *n, const char *sep)
{
	for (; n; n = n->b) {
		dp(d, n->a);
		if (d->nhere) {
			put(d, "\n");
			flush_here(d);
		} else if (n->b)
			put(d, sep);
	}
}

static void dp_binary(struct deparse *d, const struct node *n, const char *op)
{
	dp(d, n->a);
	put(d, op);
	dp(d, n->b);
}

static void dp_pipe(struct deparse *d, const struct node *n)
{
	char tmp[48];

	dp(d, n->a);
	if (n->fd0 == 1 && n->fd1 == 0)
		put(d, "|");
	else if (n->fd1 == 0)
		snprintf(tmp, sizeof tmp, "|[%d]", n->fd0), put(d, tmp);
	else
		snprintf(tmp, sizeof tmp, "|[%d=%d]", n->fd1, n->fd0), put(d, tmp);
	dp_operand(d, n->b);
}

static void dp_var(struct deparse *d, const struct node *n, const char *op)
{
	const char *c;

	put(d, op);
	if (n->a->type == N_WORD) {
		/* a name read after $ stops at the first non-name character */
		for (c = n->a->str; *c && lex_idchr((unsigned char)*c); c++)
			;
		if (*c || !n->a->str[0])
			tree_quote(&d->out, n->a->str);
		else
			put(d, n->a->str);
	} else
		dp(d, n->a);
	if (n->type == N_VARSUB) {
		put(d, "(");
		dp_words(d, n->b);
		put(d, ")");
	}
}

static void dp_command(struct deparse *d, const struct node *n)
{
	switch (n->type) {
	case N_SIMPLE: dp_words(d, n->a); dp_redirs(d, n->b, n->a != NULL); break;
	case N_ASYNC: dp(d, n->a); put(d, "&"); break;
	case N_AND: dp_binary(d, n, " && "); break;
	case N_OR: dp_binary(d, n, " || "); break;
	case N_PIPE: dp_pipe(d, n); break;
	case N_NOT: put(d, "! "); dp(d, n->a); break;
	case N_SUBSHELL: put(d, "@ "); dp(d, n->a); break;
	case N_BRACE: dp_brace(d, n->a); dp_redirs(d, n->b, 0); break;
	case N_IF: put(d, "if("); dp_seq(d, n->a, ";"); put(d, ")"); dp(d, n->b); break;
	case N_IFNOT: put(d, "if not "); dp(d, n->a); break;
	case N_WHILE: put(d, "while ("); dp_seq(d, n->a, ";"); put(d, ")"); dp(d, n->b); break;
	case N_SWITCH: put(d, "switch "); dp(d, n->a); put(d, " "); dp_brace(d, n->b); break;
	case N_MATCH: put(d, "~ "); dp(d, n->a); if (n->b) put(d, " "); dp_words(d, n->b); break;
	case N_FOR:
		put(d, "for(");
		dp(d, n->a);
		if (!n->fd0) {
			put(d, " in");
			if (n->b)
				put(d, " ");
			dp_words(d, n->b);
		}
		put(d, ")");
		dp(d, n->c);
		break;
	case N_FN:
		put(d, "fn ");
		dp_words(d, n->a);
		if (n->fd0) {
			put(d, " ");
			dp_brace(d, n->b);
		}
		break;
	case N_ASSIGN:
		dp(d, n->a);
		put(d, "=");
		dp(d, n->b);
		if (n->c) {
			put(d, " ");
			dp(d, n->c);
		}
		break;
	default: break;
	}
}

static void dp(struct deparse *d, const struct node *n)
{
	if (!n)
		return;
	switch (n->type) {
	case N_WORD: dp_word(d, n); break;
	case N_VAR: case N_VARSUB: dp_var(d, n, "$"); break;
	case N_COUNT: dp_var(d, n, "$#"); break;
	case N_FLAT: dp_var(d, n, "$\""); break;
	case N_CONCAT: dp(d, n->a); put(d, "^"); dp(d, n->b); break;
	case N_LIST: put(d, "("); dp_words(d, n->a); put(d, ")"); break;
	case N_WORDS: dp_words(d, n); break;
	case N_BQUOTE: put(d, "`"); dp_brace(d, n->a); break;
	case N_SEQ: dp_seq(d, n, ";"); break;
	case N_REDIR: dp_redir(d, n); break;
	default: dp_command(d, n); break;
	}
}

char *tree_text(const struct node *n)
{
	struct deparse d;

	memset(&d, 0, sizeof d);
	put(&d, "");
	dp(&d, n);
	if (d.nhere) {
		put(&d, "\n");
		flush_here(&d);
	}
	return buf_take(&d.out);
}
