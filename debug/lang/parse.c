/*
 * parse.c: tokens to syntax trees, by recursive descent.
 *
 * Statements: expression, { block }, if/then/else, while/do, loop a,b do,
 * return, local, defn (and `defn name` to delete), aggr/union, complex,
 * whatis. A statement ends at ';', a newline at depth 0, '}' or the end.
 * Expressions follow C precedence; acid adds head, tail, append, delete,
 * `*` (process memory) and `@` (program file) indirection, `x\F` (format)
 * and `fn:var` locals. Errors longjmp to p->fail with file:line set.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static struct acid_node *parse_expr(struct acid_parser *p);
static struct acid_node *parse_assign(struct acid_parser *p);
static struct acid_node *parse_unary(struct acid_parser *p);
static struct acid_node *parse_stmt_in(struct acid_parser *p);

static struct acid_token *peek(struct acid_parser *p)
{
	struct acid_token *t = &p->tk->t[p->pos];

	if (t->kind == TK_ERROR) {
		snprintf(p->msg, sizeof p->msg, "%s", t->text);
		p->line = t->line;
		p->fail_pos = p->pos;
		p->pos++;
		longjmp(*p->fail, 1);
	}
	return t;
}

static struct acid_token *peek_at(struct acid_parser *p, int ahead)
{
	int i = p->pos + ahead;

	return &p->tk->t[i < p->tk->n ? i : p->tk->n - 1];
}

static struct acid_token *advance(struct acid_parser *p)
{
	struct acid_token *t = peek(p);

	if (t->kind != TK_EOF)
		p->pos++;
	return t;
}

static const char *tok_name(int kind)
{
	static char buf[8];

	switch (kind) {
	case TK_EOF: return "end of input";
	case TK_NL: return "newline";
	case TK_INT: case TK_FLOAT: case TK_CHAR: return "number";
	case TK_STR: return "string";
	case TK_NAME: case TK_LOCAL: return "name";
	default:
		if (kind < 256 && kind > TK_SIZEOF) {
			snprintf(buf, sizeof buf, "'%c'", kind);
			return buf;
		}
		return kind < 256 ? "keyword" : "operator";
	}
}

static void __attribute__((noreturn, format(printf, 2, 3)))
parse_fail(struct acid_parser *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->msg, sizeof p->msg, fmt, ap);
	va_end(ap);
	p->line = peek(p)->line;
	p->fail_pos = p->pos;
	longjmp(*p->fail, 1);
}

static void expect(struct acid_parser *p, int kind, const char *what)
{
	if (peek(p)->kind != kind)
		parse_fail(p, "syntax error: expected %s, found %s", what,
		           tok_name(peek(p)->kind));
	advance(p);
}

static int accept(struct acid_parser *p, int kind)
{
	if (peek(p)->kind != kind)
		return 0;
	advance(p);
	return 1;
}

static void skip_nl(struct acid_parser *p)
{
	while (peek(p)->kind == TK_NL)
		advance(p);
}

static struct acid_node *node(struct acid_parser *p, enum acid_nop op)
{
	struct acid_node *n = acid_alloc(sizeof *n);

	n->op = op;
	n->file = p->tk->file;
	n->line = peek(p)->line;
	return n;
}

static struct acid_node *node2(struct acid_parser *p, enum acid_nop op,
                               struct acid_node *l, struct acid_node *r)
{
	struct acid_node *n = node(p, op);

	n->l = l;
	n->r = r;
	if (l)
		n->line = l->line;
	return n;
}

static char *expect_name(struct acid_parser *p, const char *what)
{
	if (peek(p)->kind != TK_NAME)
		parse_fail(p, "syntax error: expected %s, found %s", what,
		           tok_name(peek(p)->kind));
	return advance(p)->text;
}

/* Comma-separated expressions up to close; returns the first, chained. */
static struct acid_node *parse_exprlist(struct acid_parser *p, int close)
{
	struct acid_node *first = NULL, **tail = &first;

	if (accept(p, close))
		return NULL;
	for (;;) {
		*tail = parse_assign(p);
		tail = &(*tail)->next;
		if (accept(p, close))
			return first;
		expect(p, ',', "',' or closing bracket");
	}
}

static int starts_operand(int kind)
{
	return kind == TK_NAME || kind == TK_LOCAL || kind == TK_INT ||
	       kind == TK_FLOAT || kind == TK_STR || kind == TK_CHAR || kind == '(';
}

/* "(T)", "(T *)" or "(struct T)" followed by an operand: a cast. "(T) *x"
 * is a cast too, marked ambiguous (*ambig): it multiplies if T is no type. */
static int cast_ahead(struct acid_parser *p, int *len, char **name, int *ambig)
{
	int i = 1;
	int ptr = 0;
	static char buf[256];

	if (peek_at(p, i)->kind == TK_UNION && peek_at(p, i + 1)->kind == TK_NAME) {
		snprintf(buf, sizeof buf, "union %s", peek_at(p, i + 1)->text);
		i += 2;
	} else if (peek_at(p, i)->kind != TK_NAME) {
		return 0;
	} else if (peek_at(p, i + 1)->kind == TK_NAME &&
	    (!strcmp(peek_at(p, i)->text, "struct") || !strcmp(peek_at(p, i)->text, "enum"))) {
		snprintf(buf, sizeof buf, "%s %s", peek_at(p, i)->text, peek_at(p, i + 1)->text);
		i += 2;
	} else {
		snprintf(buf, sizeof buf, "%s", peek_at(p, i)->text);
		i++;
	}
	while (peek_at(p, i)->kind == '*') {
		i++;
		ptr = 1;
	}
	if (peek_at(p, i)->kind != ')')
		return 0;
	*ambig = 0;
	if (peek_at(p, i + 1)->kind == '*')
		*ambig = !ptr && i == 2;
	else if (!starts_operand(peek_at(p, i + 1)->kind))
		return 0;
	*len = i + 1;
	*name = acid_strdup(buf);
	return 1;
}

static struct acid_node *parse_primary(struct acid_parser *p)
{
	struct acid_token *t = peek(p);
	struct acid_node *n;

	switch (t->kind) {
	case TK_INT:
	case TK_CHAR:
		n = node(p, N_INT);
		n->ival = t->ival;
		n->fmt = t->kind == TK_CHAR ? 'C' : (t->text && t->text[0] == 'x') ? 'X' : 'D';
		advance(p);
		return n;
	case TK_FLOAT:
		n = node(p, N_FLOAT);
		n->fval = t->fval;
		advance(p);
		return n;
	case TK_STR:
		n = node(p, N_STR);
		n->str = t->text;
		n->len = t->len;
		advance(p);
		return n;
	case TK_NAME:
		n = node(p, N_NAME);
		n->str = t->text;
		advance(p);
		return n;
	case TK_LOCAL:
		n = node(p, N_LOCALREF);
		n->str = t->text;
		n->str2 = t->text2;
		advance(p);
		return n;
	case '(':
		advance(p);
		n = parse_expr(p);
		expect(p, ')', "')'");
		return n;
	case '{':
		n = node(p, N_LISTLIT);
		advance(p);
		n->l = parse_exprlist(p, '}');
		return n;
	case TK_BUILTIN:
		advance(p);
		n = node(p, N_BUILTINCALL);
		n->str = expect_name(p, "builtin function name");
		expect(p, '(', "'('");
		n->l = parse_exprlist(p, ')');
		return n;
	default:
		parse_fail(p, "syntax error: expected an expression, found %s", tok_name(t->kind));
	}
}

static struct acid_node *parse_postfix(struct acid_parser *p)
{
	struct acid_node *n = parse_primary(p), *m;

	for (;;) {
		switch (peek(p)->kind) {
		case '(':
			if (n->op != N_NAME)
				parse_fail(p, "syntax error: only a name can be called");
			advance(p);
			m = node2(p, N_CALL, NULL, NULL);
			m->line = n->line;
			m->str = n->str;
			m->l = parse_exprlist(p, ')');
			n = m;
			break;
		case '[':
			advance(p);
			n = node2(p, N_INDEX, n, parse_expr(p));
			expect(p, ']', "']'");
			break;
		case '.':
		case TK_ARROW:
			advance(p);
			n = node2(p, N_MEMBER, n, NULL);
			n->str = expect_name(p, "member name");
			break;
		case TK_INC:
			advance(p);
			n = node2(p, N_POSTINC, n, NULL);
			break;
		case TK_DEC:
			advance(p);
			n = node2(p, N_POSTDEC, n, NULL);
			break;
		case '\\': {
			const char *f;

			advance(p);
			f = expect_name(p, "format letter");
			if (strlen(f) != 1 || !acid_fmt_valid(f[0]))
				parse_fail(p, "bad format '%s'", f);
			n = node2(p, N_FMT, n, NULL);
			n->fmt = f[0];
			break;
		}
		default:
			return n;
		}
	}
}

static struct acid_node *parse_unary(struct acid_parser *p)
{
	struct acid_token *t = peek(p);
	struct acid_node *n;
	int len, ambig;
	char *tname;

	switch (t->kind) {
	case '-': case '!': case '~':
		advance(p);
		n = node2(p, N_UNOP, parse_unary(p), NULL);
		n->tok = t->kind;
		return n;
	case '+':
		advance(p);
		return parse_unary(p);
	case '*':
		advance(p);
		return node2(p, N_DEREF, parse_unary(p), NULL);
	case '@':
		advance(p);
		return node2(p, N_FILEREF, parse_unary(p), NULL);
	case '&':
		advance(p);
		return node2(p, N_ADDR, parse_unary(p), NULL);
	case TK_INC:
		advance(p);
		return node2(p, N_PREINC, parse_unary(p), NULL);
	case TK_DEC:
		advance(p);
		return node2(p, N_PREDEC, parse_unary(p), NULL);
	case TK_HEAD:
		advance(p);
		return node2(p, N_HEAD, parse_unary(p), NULL);
	case TK_TAIL:
		advance(p);
		return node2(p, N_TAIL, parse_unary(p), NULL);
	case TK_APPEND:
	case TK_DELETE: {
		enum acid_nop op = t->kind == TK_APPEND ? N_APPEND : N_DELETE;
		struct acid_node *l;

		advance(p);
		l = parse_unary(p);
		expect(p, ',', "',' after the list");
		return node2(p, op, l, parse_unary(p));
	}
	case TK_SIZEOF:
		advance(p);
		n = node(p, N_SIZEOF);
		expect(p, '(', "'('");
		if (peek(p)->kind == TK_UNION || (peek(p)->kind == TK_NAME &&
		    (!strcmp(peek(p)->text, "struct") || !strcmp(peek(p)->text, "enum")))) {
			char buf[256];

			snprintf(buf, sizeof buf, "%s ", peek(p)->kind == TK_UNION ? "union" : peek(p)->text);
			advance(p);
			strncat(buf, expect_name(p, "type name"), sizeof buf - strlen(buf) - 1);
			n->str = acid_strdup(buf);
		} else {
			n->str = expect_name(p, "type name");
		}
		expect(p, ')', "')'");
		return n;
	case '(':
		if (cast_ahead(p, &len, &tname, &ambig)) {
			p->pos += len;
			n = node2(p, N_CAST, parse_unary(p), NULL);
			n->str = tname;
			n->ival = ambig;
			return n;
		}
		break;
	}
	return parse_postfix(p);
}

static const struct {
	int level;
	int tok;
} acid_binops[] = {
	{ 1, TK_OROR }, { 2, TK_ANDAND }, { 3, '|' }, { 4, '^' }, { 5, '&' },
	{ 6, TK_EQ }, { 6, TK_NE }, { 7, '<' }, { 7, '>' }, { 7, TK_LE }, { 7, TK_GE },
	{ 8, TK_SHL }, { 8, TK_SHR }, { 9, '+' }, { 9, '-' }, { 10, '*' }, { 10, '/' },
	{ 10, '%' },
};

static int binop_level(int tok)
{
	for (size_t i = 0; i < sizeof acid_binops / sizeof acid_binops[0]; i++)
		if (acid_binops[i].tok == tok)
			return acid_binops[i].level;
	return 0;
}

/* Precedence climbing over acid_binops; all are left-associative. */
static struct acid_node *parse_binary(struct acid_parser *p, int min)
{
	struct acid_node *l = parse_unary(p);

	for (;;) {
		int tok = peek(p)->kind, lv = binop_level(tok);
		struct acid_node *n;

		if (lv == 0 || lv < min)
			return l;
		advance(p);
		n = node2(p, N_BINOP, l, parse_binary(p, lv + 1));
		n->tok = tok;
		l = n;
	}
}

static struct acid_node *parse_assign(struct acid_parser *p)
{
	struct acid_node *l = parse_binary(p, 1), *n;
	int tok = peek(p)->kind;

	if (tok == '=') {
		advance(p);
		return node2(p, N_ASSIGN, l, parse_assign(p));
	}
	if (tok == TK_ADDEQ || tok == TK_SUBEQ) {
		advance(p);
		n = node2(p, N_OPASSIGN, l, parse_assign(p));
		n->tok = tok == TK_ADDEQ ? '+' : '-';
		return n;
	}
	return l;
}

static struct acid_node *parse_expr(struct acid_parser *p)
{
	return parse_assign(p);
}

static void end_stmt(struct acid_parser *p)
{
	int k = peek(p)->kind;

	if (k == ';' || k == TK_NL) {
		advance(p);
		return;
	}
	if (k == '}' || k == TK_EOF || k == TK_ELSE)
		return;
	parse_fail(p, "syntax error: unexpected %s", tok_name(k));
}

static struct acid_node *parse_block(struct acid_parser *p)
{
	struct acid_node *n = node(p, N_BLOCK), **tail = &n->l;

	expect(p, '{', "'{'");
	while (!accept(p, '}')) {
		if (peek(p)->kind == TK_EOF)
			parse_fail(p, "syntax error: missing '}'");
		*tail = parse_stmt_in(p);
		if (*tail)
			tail = &(*tail)->next;
	}
	return n;
}

static struct acid_node *parse_defn(struct acid_parser *p)
{
	struct acid_node *n = node(p, N_DEFN), **tail = &n->l;

	n->str = expect_name(p, "function name");
	if (peek(p)->kind != '(') {
		n->op = N_UNDEFN;
		end_stmt(p);
		return n;
	}
	advance(p);
	if (!accept(p, ')')) {
		for (;;) {
			struct acid_node *a = node(p, N_NAME);

			a->str = expect_name(p, "parameter name");
			*tail = a;
			tail = &a->next;
			if (accept(p, ')'))
				break;
			expect(p, ',', "',' or ')'");
		}
	}
	skip_nl(p);
	n->r = parse_block(p);
	return n;
}

/* aggr Name { 'X' 0 field; Type 8 field; ... }; */
static struct acid_node *parse_aggr(struct acid_parser *p, int is_union)
{
	struct acid_node *n = node(p, N_AGGR), **tail = &n->l;

	n->ival = is_union;
	n->str = expect_name(p, "type name");
	skip_nl(p);
	expect(p, '{', "'{'");
	while (!accept(p, '}')) {
		struct acid_node *m = node(p, N_NAME);

		if (peek(p)->kind == TK_CHAR) {
			m->fmt = (char)advance(p)->ival;
			if (!acid_fmt_valid(m->fmt))
				parse_fail(p, "bad format '%c' in aggr", m->fmt);
		} else {
			m->str2 = expect_name(p, "member format or type");
		}
		if (peek(p)->kind != TK_INT)
			parse_fail(p, "syntax error: expected member offset");
		m->ival = advance(p)->ival;
		m->str = expect_name(p, "member name");
		expect(p, ';', "';'");
		*tail = m;
		tail = &m->next;
	}
	accept(p, ';');
	return n;
}

/* complex Type var, var...; */
static struct acid_node *parse_complex(struct acid_parser *p)
{
	struct acid_node *n = node(p, N_COMPLEX), **tail = &n->l;

	n->str = expect_name(p, "type name");
	do {
		struct acid_node *v;

		if (peek(p)->kind == TK_LOCAL) {
			v = parse_primary(p);
		} else {
			v = node(p, N_NAME);
			v->str = expect_name(p, "variable name");
		}
		*tail = v;
		tail = &v->next;
	} while (accept(p, ','));
	end_stmt(p);
	return n;
}

static struct acid_node *parse_if(struct acid_parser *p)
{
	struct acid_node *n = node(p, N_IF);
	int save;

	n->l = parse_expr(p);
	skip_nl(p);
	expect(p, TK_THEN, "'then'");
	skip_nl(p);
	n->r = parse_stmt_in(p);
	/* "else" may follow on a later line at top level. */
	save = p->pos;
	skip_nl(p);
	if (accept(p, TK_ELSE)) {
		skip_nl(p);
		n->x = parse_stmt_in(p);
	} else {
		p->pos = save;
	}
	return n;
}

static struct acid_node *parse_loopish(struct acid_parser *p, int is_loop)
{
	struct acid_node *n = node(p, is_loop ? N_LOOP : N_WHILE);

	n->l = parse_expr(p);
	if (is_loop) {
		expect(p, ',', "',' between loop bounds");
		n->r = parse_expr(p);
	}
	skip_nl(p);
	expect(p, TK_DO, "'do'");
	skip_nl(p);
	n->x = parse_stmt_in(p);
	return n;
}

/* At a statement's start, '{' opens a block unless it is a list literal:
 * empty, or holding a ',' and no ';' directly inside it. */
static int brace_is_list(struct acid_parser *p)
{
	int depth = peek(p)->depth + 1, comma = 0;

	for (int i = 1;; i++) {
		struct acid_token *t = peek_at(p, i);

		if (t->kind == TK_EOF)
			return 0;
		if (t->kind == '}' && t->depth == depth - 1)
			return comma || i == 1;
		if (t->depth != depth)
			continue;
		if (t->kind == ';')
			return 0;
		if (t->kind == ',')
			comma = 1;
	}
}

static struct acid_node *parse_stmt_in(struct acid_parser *p)
{
	struct acid_token *t = peek(p);
	struct acid_node *n;

	switch (t->kind) {
	case TK_NL:
	case ';':
		advance(p);
		return NULL;
	case '{':
		if (brace_is_list(p))
			break;
		return parse_block(p);
	case TK_IF:
		advance(p);
		return parse_if(p);
	case TK_WHILE:
		advance(p);
		return parse_loopish(p, 0);
	case TK_LOOP:
		advance(p);
		return parse_loopish(p, 1);
	case TK_RETURN:
		advance(p);
		n = node(p, N_RETURN);
		if (peek(p)->kind != ';' && peek(p)->kind != TK_NL &&
		    peek(p)->kind != '}' && peek(p)->kind != TK_EOF)
			n->l = parse_expr(p);
		end_stmt(p);
		return n;
	case TK_LOCALKW:
		advance(p);
		n = node(p, N_LOCAL);
		{
			struct acid_node **tail = &n->l;

			do {
				struct acid_node *v = node(p, N_NAME);

				v->str = expect_name(p, "local variable name");
				*tail = v;
				tail = &v->next;
			} while (accept(p, ','));
		}
		end_stmt(p);
		return n;
	case TK_DEFN:
		advance(p);
		return parse_defn(p);
	case TK_AGGR:
	case TK_UNION:
		advance(p);
		return parse_aggr(p, t->kind == TK_UNION);
	case TK_COMPLEX:
		advance(p);
		return parse_complex(p);
	case TK_WHATIS:
		advance(p);
		n = node(p, N_WHATIS);
		if (peek(p)->kind == TK_NAME)
			n->str = advance(p)->text;
		else if (peek(p)->kind == TK_LOCAL)
			n->l = parse_primary(p);
		end_stmt(p);
		return n;
	default:
		break;
	}
	n = node(p, N_EXPR);
	n->l = parse_expr(p);
	n->line = n->l->line;
	end_stmt(p);
	return n;
}

/* Parses the next top-level statement; NULL at end of input. */
struct acid_node *acid_parse_stmt(struct acid_parser *p)
{
	for (;;) {
		struct acid_node *n;

		if (peek(p)->kind == TK_EOF)
			return NULL;
		if (peek(p)->kind == '}' || peek(p)->kind == ')' || peek(p)->kind == ']')
			parse_fail(p, "syntax error: unbalanced %s", tok_name(peek(p)->kind));
		n = parse_stmt_in(p);
		if (n)
			return n;
	}
}

/* Skips to the end of the statement holding the current token: the next
 * ';' or newline at the depth where the statement started. */
void acid_parse_resync(struct acid_parser *p)
{
	/* Top-level statements start at depth 0; stop at the first end of
	 * statement back at that depth. Error tokens are skipped silently. */
	while (p->tk->t[p->pos].kind != TK_EOF) {
		struct acid_token *t = &p->tk->t[p->pos];

		/* A defn always starts a fresh top-level statement. */
		if (t->kind == TK_DEFN && t != &p->tk->t[p->fail_pos])
			return;
		p->pos++;

		if ((t->kind == TK_NL || t->kind == ';') && t->depth == 0)
			return;
		if (t->kind == '}' && t->depth == 0)
			return;
	}
}
