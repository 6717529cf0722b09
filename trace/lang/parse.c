/*
 * parse.c: D's grammar, by recursive descent, into the tree of ast.h.
 *
 *   program   = { pragma | decl | clause }
 *   decl      = [ "self" | "this" ] type name ";"
 *   clause    = pdesc { "," pdesc } [ "/" expr "/" ] "{" stmts "}"
 *   stmt      = "@"name [ "[" exprs "]" ] "=" call ";" | "if" "(" expr ")" body
 *               [ "else" body ] | expr ";" | ";"
 *   expr      = C's expressions: assignment, ?:, || ^^ &&, | ^ &, == !=,
 *               < <= > >=, << >>, + -, * / %, unary, postfix, primary
 * Inside a predicate a '/' outside parentheses ends it (write (a / b)).
 */
#include <stdio.h>
#include <string.h>

#include "ast.h"

static struct tr_node *expr(struct tr_cc *cc);
static struct tr_node *statement(struct tr_cc *cc);

static struct tr_node *node(struct tr_cc *cc, int kind, const struct tr_token *at)
{
	struct tr_node *n = cc_alloc(cc, sizeof *n);

	n->kind = kind;
	n->line = at->line;
	n->col = at->col;
	return n;
}

static void list_add(struct tr_cc *cc, struct tr_node *n, struct tr_node *item)
{
	if ((n->nlist & (n->nlist - 1)) == 0) {
		struct tr_node **l = cc_alloc(cc, sizeof *l * (size_t)(n->nlist ? 2 * n->nlist : 1));

		if (n->nlist)
			memcpy(l, n->list, sizeof *l * (size_t)n->nlist);
		n->list = l;
	}
	n->list[n->nlist++] = item;
}

static const char *tok_desc(const struct tr_token *t)
{
	static char buf[64];

	switch (t->kind) {
	case T_EOF: return "end of input";
	case T_IDENT: snprintf(buf, sizeof buf, "\"%.40s\"", t->str); return buf;
	case T_INT: return "a number";
	case T_STR: return "a string";
	case T_AGGNAME: snprintf(buf, sizeof buf, "@%.40s", t->str); return buf;
	case T_SELF_ARROW: return "self->";
	case T_THIS_ARROW: return "this->";
	default: snprintf(buf, sizeof buf, "'%s'", t->text); return buf;
	}
}

static void expect(struct tr_cc *cc, const char *p)
{
	if (!tok_is(&cc->tok, p))
		cc_error(cc, cc->tok.line, cc->tok.col, "expected '%s', found %s", p, tok_desc(&cc->tok));
	lex_next(cc);
}

static char *expect_ident(struct tr_cc *cc, const char *what)
{
	char *s = cc->tok.str;

	if (cc->tok.kind != T_IDENT)
		cc_error(cc, cc->tok.line, cc->tok.col, "expected %s, found %s", what, tok_desc(&cc->tok));
	lex_next(cc);
	return s;
}

/* ( exprs ) after a function name, or [ exprs ] after an array name. */
static void arguments(struct tr_cc *cc, struct tr_node *n, const char *close)
{
	cc->paren_depth++;
	lex_next(cc);
	if (!tok_is(&cc->tok, close)) {
		for (;;) {
			if (cc->tok.kind == T_AGGNAME) {
				struct tr_node *a = node(cc, N_AGGREF, &cc->tok);

				a->name = cc->tok.str;
				lex_next(cc);
				list_add(cc, n, a);
			} else {
				list_add(cc, n, expr(cc));
			}
			if (!tok_is(&cc->tok, ","))
				break;
			lex_next(cc);
		}
	}
	cc->paren_depth--;
	expect(cc, close);
}

static struct tr_node *primary(struct tr_cc *cc)
{
	struct tr_token t = cc->tok;
	struct tr_node *n;

	switch (t.kind) {
	case T_INT:
		n = node(cc, N_INT, &t);
		n->ival = t.ival;
		lex_next(cc);
		return n;
	case T_STR:
		n = node(cc, N_STR, &t);
		n->name = t.str;
		lex_next(cc);
		return n;
	case T_SELF_ARROW:
	case T_THIS_ARROW:
		lex_next(cc);
		n = node(cc, t.kind == T_SELF_ARROW ? N_SELF : N_THIS, &t);
		n->name = expect_ident(cc, "a variable name");
		return n;
	case T_IDENT:
		lex_next(cc);
		if (tok_is(&cc->tok, "(")) {
			n = node(cc, N_CALL, &t);
			n->name = t.str;
			arguments(cc, n, ")");
			return n;
		}
		n = node(cc, N_IDENT, &t);
		n->name = t.str;
		if (tok_is(&cc->tok, "[")) {
			struct tr_node *ix = node(cc, N_INDEX, &t);

			ix->a = n;
			arguments(cc, ix, "]");
			return ix;
		}
		return n;
	case T_AGGNAME:
		cc_error(cc, t.line, t.col, "aggregation @%s can only be assigned or printed", t.str);
	default:
		if (tok_is(&t, "(")) {
			cc->paren_depth++;
			lex_next(cc);
			n = expr(cc);
			cc->paren_depth--;
			expect(cc, ")");
			return n;
		}
		cc_error(cc, t.line, t.col, "expected an expression, found %s", tok_desc(&t));
	}
}

static struct tr_node *postfix(struct tr_cc *cc)
{
	struct tr_node *n = primary(cc);

	while (tok_is(&cc->tok, "++") || tok_is(&cc->tok, "--")) {
		struct tr_node *p = node(cc, N_INCDEC, &cc->tok);

		memcpy(p->op, cc->tok.text, 3);
		p->ival = 1;
		p->a = n;
		n = p;
		lex_next(cc);
	}
	return n;
}

static struct tr_node *unary(struct tr_cc *cc)
{
	static const char *const ops[] = { "-", "+", "!", "~", "++", "--" };

	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		if (tok_is(&cc->tok, ops[i])) {
			struct tr_node *n = node(cc, i < 4 ? N_UNARY : N_INCDEC, &cc->tok);

			memcpy(n->op, cc->tok.text, 3);
			lex_next(cc);
			n->a = unary(cc);
			return n;
		}
	}
	return postfix(cc);
}

/* Binary operators by precedence level, loosest first. */
static const char *const levels[][5] = {
	{ "||", 0 }, { "^^", 0 }, { "&&", 0 }, { "|", 0 }, { "^", 0 }, { "&", 0 },
	{ "==", "!=", 0 }, { "<", "<=", ">", ">=", 0 }, { "<<", ">>", 0 }, { "+", "-", 0 },
	{ "*", "/", "%", 0 },
};
enum { NLEVELS = sizeof levels / sizeof levels[0] };

static const char *level_op(struct tr_cc *cc, int level)
{
	for (int i = 0; levels[level][i]; i++)
		if (tok_is(&cc->tok, levels[level][i])) {
			if (cc->in_predicate && !cc->paren_depth && !strcmp(levels[level][i], "/"))
				return 0;
			return levels[level][i];
		}
	return 0;
}

static struct tr_node *binary(struct tr_cc *cc, int level)
{
	struct tr_node *n;
	const char *op;

	if (level == NLEVELS)
		return unary(cc);
	n = binary(cc, level + 1);
	while ((op = level_op(cc, level))) {
		struct tr_node *b = node(cc, N_BINARY, &cc->tok);

		strcpy(b->op, op);
		lex_next(cc);
		b->a = n;
		b->b = binary(cc, level + 1);
		n = b;
	}
	return n;
}

static struct tr_node *ternary(struct tr_cc *cc)
{
	struct tr_node *n = binary(cc, 0), *t;

	if (!tok_is(&cc->tok, "?"))
		return n;
	t = node(cc, N_TERNARY, &cc->tok);
	lex_next(cc);
	t->a = n;
	cc->paren_depth++;	/* a '/' between ? and : cannot end a predicate */
	t->b = expr(cc);
	cc->paren_depth--;
	expect(cc, ":");
	t->c = ternary(cc);
	return t;
}

static int is_assign_op(const struct tr_token *t)
{
	static const char *const ops[] = { "=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=",
					    "<<=", ">>=" };

	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
		if (tok_is(t, ops[i]))
			return 1;
	return 0;
}

static struct tr_node *expr(struct tr_cc *cc)
{
	struct tr_node *n = ternary(cc), *a;

	if (!is_assign_op(&cc->tok))
		return n;
	if (n->kind != N_IDENT && n->kind != N_SELF && n->kind != N_THIS && n->kind != N_INDEX)
		cc_error(cc, cc->tok.line, cc->tok.col, "the left side of '%s' cannot be assigned",
			 cc->tok.text);
	a = node(cc, N_ASSIGN, &cc->tok);
	memcpy(a->op, cc->tok.text, 4);
	lex_next(cc);
	a->a = n;
	a->b = expr(cc);
	return a;
}

/* "@name[keys] = f(args);" */
static struct tr_node *agg_statement(struct tr_cc *cc)
{
	struct tr_node *n = node(cc, N_AGGSET, &cc->tok);

	n->name = cc->tok.str;
	lex_next(cc);
	if (tok_is(&cc->tok, "["))
		arguments(cc, n, "]");
	expect(cc, "=");
	if (cc->tok.kind != T_IDENT || !tok_is(lex_peek(cc), "("))
		cc_error(cc, cc->tok.line, cc->tok.col,
			 "an aggregation is assigned an aggregating function such as count()");
	n->c = primary(cc);
	return n;
}

/* A block; a clause's body (top) leaves the text after its '}' unread,
 * since a probe description follows, which is not made of tokens. */
static struct tr_node *block_at(struct tr_cc *cc, int top)
{
	struct tr_node *b = node(cc, N_BLOCK, &cc->tok);

	if (!tok_is(&cc->tok, "{")) {
		list_add(cc, b, statement(cc));
		return b;
	}
	lex_next(cc);
	while (!tok_is(&cc->tok, "}")) {
		if (cc->tok.kind == T_EOF)
			cc_error(cc, b->line, b->col, "'{' is not closed");
		list_add(cc, b, statement(cc));
	}
	if (!top)
		lex_next(cc);
	return b;
}

static struct tr_node *block(struct tr_cc *cc)
{
	return block_at(cc, 0);
}

/* Statements end with ';', which the last one before '}' may leave out. */
static void end_statement(struct tr_cc *cc)
{
	if (tok_is(&cc->tok, "}"))
		return;
	expect(cc, ";");
}

static struct tr_node *statement(struct tr_cc *cc)
{
	struct tr_node *n;

	if (tok_is(&cc->tok, ";")) {
		n = node(cc, N_BLOCK, &cc->tok);
		lex_next(cc);
		return n;
	}
	if (cc->tok.kind == T_IDENT && !strcmp(cc->tok.str, "if")) {
		n = node(cc, N_IF, &cc->tok);
		lex_next(cc);
		expect(cc, "(");
		cc->paren_depth++;
		n->a = expr(cc);
		cc->paren_depth--;
		expect(cc, ")");
		n->b = block(cc);
		if (cc->tok.kind == T_IDENT && !strcmp(cc->tok.str, "else")) {
			lex_next(cc);
			n->c = block(cc);
		}
		return n;
	}
	if (cc->tok.kind == T_AGGNAME) {
		n = agg_statement(cc);
	} else {
		n = node(cc, N_EXPR, &cc->tok);
		n->a = expr(cc);
	}
	end_statement(cc);
	return n;
}

/* A description's fields fill from the right: "entry" is the name,
 * "read:entry" function and name, and so on. */
static void split_pdesc(struct tr_cc *cc, struct tr_pdesc *d, const struct tr_token *t)
{
	const char *parts[5];
	size_t lens[5];
	int n = 0;
	const char *p = t->str;

	for (;;) {
		size_t len = strcspn(p, ":");

		if (n == 4)
			cc_error(cc, t->line, t->col, "probe description %s has more than four fields",
				 t->str);
		parts[n] = p;
		lens[n++] = len;
		if (!p[len])
			break;
		p += len + 1;
	}
	for (int i = 0; i < 4; i++) {
		int from = i - (4 - n);

		d->field[i] = from >= 0 ? tr_strndup(parts[from], lens[from]) : tr_strdup("");
	}
	d->line = t->line;
	d->col = t->col;
}

static void clause(struct tr_cc *cc, struct tr_ast *ast)
{
	struct tr_ast_clause *c;

	ast->clauses = tr_grow(ast->clauses, (uint32_t)ast->nclauses, sizeof *ast->clauses);
	c = &ast->clauses[ast->nclauses++];
	memset(c, 0, sizeof *c);
	c->line = cc->line;
	c->col = cc->col;
	for (;;) {
		lex_pdesc(cc);
		c->desc = tr_grow(c->desc, (uint32_t)c->ndesc, sizeof *c->desc);
		memset(&c->desc[c->ndesc], 0, sizeof *c->desc);	/* freed whole if split fails */
		split_pdesc(cc, &c->desc[c->ndesc++], &cc->tok);
		lex_skip_space(cc);
		if (*cc->p != ',')
			break;
		cc->p++, cc->col++;
	}
	lex_next(cc);
	if (tok_is(&cc->tok, "/")) {
		cc->in_predicate = 1;
		cc->paren_depth = 0;
		lex_next(cc);
		c->pred = expr(cc);
		cc->in_predicate = 0;
		expect(cc, "/");
	}
	if (cc->tok.kind == T_EOF && !cc->have_peek) {
		c->body = node(cc, N_BLOCK, &cc->tok);
		return;
	}
	if (!tok_is(&cc->tok, "{"))
		cc_error(cc, cc->tok.line, cc->tok.col, "expected '{' or a predicate, found %s",
			 tok_desc(&cc->tok));
	c->body = block_at(cc, 1);
}

static int type_word(const char *s, int *type)
{
	static const char *const ints[] = { "int", "long", "int64_t", "uint64_t", "uint32_t",
					     "int32_t", "char", "short", "unsigned", "signed" };

	if (!strcmp(s, "string")) {
		*type = TR_T_STR;
		return 1;
	}
	for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++)
		if (!strcmp(s, ints[i])) {
			*type = TR_T_INT;
			return 1;
		}
	return 0;
}

/* At the top level, is this "[self|this] type name;"? Looks at raw text. */
static int at_declaration(struct tr_cc *cc)
{
	const char *p = cc->p;
	char word[16];
	size_t n = 0;
	int type;

	while ((p[n] >= 'a' && p[n] <= 'z') || (p[n] >= '0' && p[n] <= '9') || p[n] == '_')
		n++;
	if (n == 0 || n >= sizeof word || (p[n] != ' ' && p[n] != '\t'))
		return 0;
	memcpy(word, p, n);
	word[n] = '\0';
	return type_word(word, &type) || !strcmp(word, "self") || !strcmp(word, "this");
}

static void declaration(struct tr_cc *cc, struct tr_ast *ast)
{
	struct tr_decl d = { .scope = TR_GLOBAL };
	const char *name;

	lex_next(cc);
	d.line = cc->tok.line;
	d.col = cc->tok.col;
	if (cc->tok.kind == T_IDENT && (!strcmp(cc->tok.str, "self") || !strcmp(cc->tok.str, "this"))) {
		d.scope = cc->tok.str[0] == 's' ? TR_THREAD : TR_CLAUSE;
		lex_next(cc);
	}
	if (cc->tok.kind != T_IDENT || !type_word(cc->tok.str, &d.type))
		cc_error(cc, cc->tok.line, cc->tok.col, "expected a type (int or string), found %s",
			 tok_desc(&cc->tok));
	lex_next(cc);
	while (cc->tok.kind == T_IDENT && type_word(cc->tok.str, &(int){ 0 }))
		lex_next(cc);	/* "unsigned long", "long long" */
	name = expect_ident(cc, "a variable name");
	if (!tok_is(&cc->tok, ";"))
		cc_error(cc, cc->tok.line, cc->tok.col, "expected ';' after the declaration of %s", name);
	d.name = tr_strdup(name);
	ast->decls = tr_grow(ast->decls, (uint32_t)ast->ndecls, sizeof *ast->decls);
	ast->decls[ast->ndecls++] = d;
}

static void pragma(struct tr_cc *cc)
{
	int line = cc->line, col = cc->col;
	size_t n = strcspn(cc->p, "\n");
	char text[128];

	snprintf(text, sizeof text, "%.*s", (int)(n < 127 ? n : 127), cc->p);
	if (!strncmp(text, "#!", 2) && line == 1) {
		/* an interpreter line */
	} else if (!strcmp(text, "#pragma D option quiet")) {
		cc->quiet = 1;
	} else if (!strncmp(text, "#pragma", 7)) {
		cc_error(cc, line, col, "unknown pragma (only \"#pragma D option quiet\")");
	} else {
		cc_error(cc, line, col, "there is no preprocessor: '#' starts only #pragma lines");
	}
	cc->p += n;
	cc->col += (int)n;
}

void tr_parse(struct tr_cc *cc, struct tr_ast *ast)
{
	memset(ast, 0, sizeof *ast);
	for (;;) {
		if (lex_skip_space(cc))
			break;
		ast->decl_before = tr_grow(ast->decl_before, (uint32_t)ast->nclauses,
					   sizeof *ast->decl_before);
		if (*cc->p == '#') {
			pragma(cc);
			continue;
		}
		if (at_declaration(cc)) {
			declaration(cc, ast);
			continue;
		}
		ast->decl_before[ast->nclauses] = ast->ndecls;
		clause(cc, ast);
	}
	if (!ast->nclauses)
		cc_error(cc, cc->line, cc->col, "the script has no probe clauses");
}
