/*
 * lex.c: acid source text to tokens.
 *
 * The whole text is tokenized at once so the parser can look ahead freely.
 * Newlines are tokens only at bracket depth 0, where they end a statement
 * (acid's interactive style: `stk()` needs no semicolon); inside (), []
 * and {} they are white space. `fn:var` is one token (a local of fn).
 * Comments run from // to the end of the line, or between slash-star pairs.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const struct {
	const char *word;
	int kind;
} acid_keywords[] = {
	{ "defn", TK_DEFN }, { "local", TK_LOCALKW }, { "return", TK_RETURN },
	{ "if", TK_IF }, { "then", TK_THEN }, { "else", TK_ELSE },
	{ "while", TK_WHILE }, { "do", TK_DO }, { "loop", TK_LOOP },
	{ "head", TK_HEAD }, { "tail", TK_TAIL }, { "append", TK_APPEND },
	{ "delete", TK_DELETE }, { "complex", TK_COMPLEX }, { "aggr", TK_AGGR },
	{ "adt", TK_AGGR }, { "union", TK_UNION }, { "whatis", TK_WHATIS },
	{ "builtin", TK_BUILTIN }, { "sizeof", TK_SIZEOF },
};

static const struct {
	const char *op;
	int kind;
} acid_ops2[] = {
	{ "==", TK_EQ }, { "!=", TK_NE }, { "<=", TK_LE }, { ">=", TK_GE },
	{ "&&", TK_ANDAND }, { "||", TK_OROR }, { "<<", TK_SHL }, { ">>", TK_SHR },
	{ "++", TK_INC }, { "--", TK_DEC }, { "->", TK_ARROW }, { "+=", TK_ADDEQ },
	{ "-=", TK_SUBEQ },
};

struct acid_lexer {
	const char *s;
	int line;
	int depth;
	struct acid_tokens out;
	int cap;
};

static struct acid_token *lex_push(struct acid_lexer *lx, int kind);

/* Lexical errors become TK_ERROR tokens, so the parser reports them in
 * order, at their line, and recovers like from a syntax error. */
static void lex_fail(struct acid_lexer *lx, const char *msg)
{
	struct acid_token *t = lex_push(lx, TK_ERROR);

	t->text = acid_strdup(msg);
	if (!lx->out.error) {
		lx->out.error = t->text;
		lx->out.error_line = lx->line;
	}
}

static struct acid_token *lex_push(struct acid_lexer *lx, int kind)
{
	struct acid_token *t;

	if (lx->out.n == lx->cap) {
		lx->cap = lx->cap ? lx->cap * 2 : 64;
		lx->out.t = realloc(lx->out.t, lx->cap * sizeof *lx->out.t);
		if (!lx->out.t)
			abort();
	}
	t = &lx->out.t[lx->out.n++];
	memset(t, 0, sizeof *t);
	t->kind = kind;
	t->line = lx->line;
	t->depth = lx->depth;
	return t;
}

static int lex_escape(struct acid_lexer *lx)
{
	int c = *lx->s++;

	switch (c) {
	case 'n': return '\n';
	case 't': return '\t';
	case 'r': return '\r';
	case '0': return '\0';
	case 'b': return '\b';
	case '\\': return '\\';
	case '"': return '"';
	case '\'': return '\'';
	case '\0':
		lx->s--;
		lex_fail(lx, "escape at end of input");
		return 0;
	default:
		return c;
	}
}

static void lex_string(struct acid_lexer *lx)
{
	size_t cap = 16, n = 0;
	char *buf = malloc(cap);
	struct acid_token *t;
	int line = lx->line;

	lx->s++;
	while (*lx->s != '"') {
		int c;

		if (*lx->s == '\0' || *lx->s == '\n') {
			lex_fail(lx, "unterminated string");
			break;
		}
		c = *lx->s++;
		if (c == '\\')
			c = lex_escape(lx);
		if (n + 2 > cap && !(buf = realloc(buf, cap *= 2)))
			abort();
		buf[n++] = c;
	}
	if (*lx->s == '"')
		lx->s++;
	t = lex_push(lx, TK_STR);
	t->line = line;
	t->text = acid_strndup(buf, n);
	t->len = n;
	free(buf);
}

static void lex_char(struct acid_lexer *lx)
{
	struct acid_token *t;
	int c;

	lx->s++;
	c = (unsigned char)*lx->s;
	if (c == '\0' || c == '\n') {
		lex_fail(lx, "unterminated character constant");
		return;
	}
	lx->s++;
	if (c == '\\')
		c = lex_escape(lx);
	if (*lx->s != '\'') {
		lex_fail(lx, "character constant needs a closing '");
		return;
	}
	lx->s++;
	t = lex_push(lx, TK_CHAR);
	t->ival = c;
}

static void lex_number(struct acid_lexer *lx)
{
	const char *start = lx->s;
	char *end;
	struct acid_token *t;
	int is_float = 0;

	if (start[0] == '0' && (start[1] == 'x' || start[1] == 'X')) {
		t = lex_push(lx, TK_INT);
		t->ival = (int64_t)strtoull(start, &end, 16);
		t->text = "x";
		if (end == start + 2)
			lex_fail(lx, "hex constant has no digits");
		lx->s = end;
		return;
	}
	for (end = (char *)start; isdigit((unsigned char)*end); end++)
		;
	if (*end == '.' && isdigit((unsigned char)end[1]))
		is_float = 1;
	if (*end == 'e' || *end == 'E')
		is_float = 1;
	if (is_float) {
		t = lex_push(lx, TK_FLOAT);
		t->fval = strtod(start, &end);
	} else {
		t = lex_push(lx, TK_INT);
		t->ival = (int64_t)strtoull(start, &end, start[0] == '0' ? 8 : 10);
	}
	if (isalpha((unsigned char)*end) || *end == '_')
		lex_fail(lx, "bad number");
	lx->s = end;
}

static int lex_namechar(int c)
{
	return isalnum(c) || c == '_' || c == '$';
}

static void lex_name(struct acid_lexer *lx)
{
	const char *start = lx->s;
	struct acid_token *t;
	size_t n;

	while (lex_namechar((unsigned char)*lx->s))
		lx->s++;
	n = lx->s - start;
	/* fn:var is a local reference; "a ? b : c" does not exist in acid. */
	if (lx->s[0] == ':' && (isalpha((unsigned char)lx->s[1]) || lx->s[1] == '_')) {
		const char *v = ++lx->s;

		while (lex_namechar((unsigned char)*lx->s))
			lx->s++;
		t = lex_push(lx, TK_LOCAL);
		t->text = acid_strndup(start, n);
		t->text2 = acid_strndup(v, lx->s - v);
		return;
	}
	for (size_t i = 0; i < sizeof acid_keywords / sizeof acid_keywords[0]; i++) {
		if (strlen(acid_keywords[i].word) == n &&
		    memcmp(acid_keywords[i].word, start, n) == 0) {
			/* defn only appears at top level: an unclosed bracket
			 * before it is an error; restart the depth so the
			 * statements after it still parse. */
			if (acid_keywords[i].kind == TK_DEFN && lx->depth > 0) {
				lex_fail(lx, "unclosed bracket before defn");
				lx->depth = 0;
			}
			/* the spelling, for errors that suggest $name */
			t = lex_push(lx, acid_keywords[i].kind);
			t->text = acid_strndup(start, n);
			return;
		}
	}
	t = lex_push(lx, TK_NAME);
	t->text = acid_strndup(start, n);
}

static void lex_comment(struct acid_lexer *lx)
{
	if (lx->s[1] == '/') {
		while (*lx->s && *lx->s != '\n')
			lx->s++;
		return;
	}
	lx->s += 2;
	while (*lx->s && !(lx->s[0] == '*' && lx->s[1] == '/')) {
		if (*lx->s == '\n')
			lx->line++;
		lx->s++;
	}
	if (!*lx->s) {
		lex_fail(lx, "unterminated comment");
		return;
	}
	lx->s += 2;
}

static void lex_op(struct acid_lexer *lx)
{
	int c = *lx->s;

	for (size_t i = 0; i < sizeof acid_ops2 / sizeof acid_ops2[0]; i++) {
		if (lx->s[0] == acid_ops2[i].op[0] && lx->s[1] == acid_ops2[i].op[1]) {
			lex_push(lx, acid_ops2[i].kind);
			lx->s += 2;
			return;
		}
	}
	if (strchr("+-*/%&|^~!<>=(){}[],;.@\\", c) == NULL) {
		char msg[64];

		snprintf(msg, sizeof msg, isprint(c) ? "unexpected character '%c'"
		         : "unexpected byte 0x%02x", c & 0xff);
		lex_fail(lx, msg);
		lx->s++;
		return;
	}
	if (c == ')' || c == ']' || c == '}')
		lx->depth = lx->depth > 0 ? lx->depth - 1 : 0;
	lex_push(lx, c);
	if (c == '(' || c == '[' || c == '{')
		lx->depth++;
	lx->s++;
}

/* Tokenizes text (see the file comment); the result ends with TK_EOF. */
struct acid_tokens acid_lex(const char *text, const char *file, int line)
{
	struct acid_lexer lx = { .s = text, .line = line };

	lx.out.file = file;
	while (*lx.s) {
		int c = (unsigned char)*lx.s;

		if (c == '\n') {
			if (lx.depth == 0)
				lex_push(&lx, TK_NL);
			lx.line++;
			lx.s++;
		} else if (isspace(c)) {
			lx.s++;
		} else if (c == '/' && (lx.s[1] == '/' || lx.s[1] == '*')) {
			lex_comment(&lx);
		} else if (c == '"') {
			lex_string(&lx);
		} else if (c == '\'') {
			lex_char(&lx);
		} else if (isdigit(c) || (c == '.' && isdigit((unsigned char)lx.s[1]))) {
			lex_number(&lx);
		} else if (isalpha(c) || c == '_' || c == '$') {
			lex_name(&lx);
		} else {
			lex_op(&lx);
		}
	}
	lex_push(&lx, TK_EOF);
	return lx.out;
}

/* 1 if text is incomplete (open brackets, or an unfinished string). */
int acid_text_incomplete(const char *text)
{
	struct acid_tokens tk = acid_lex(text, "", 1);
	int open = tk.t[tk.n - 1].depth > 0;
	int unterminated = tk.error && strstr(tk.error, "unterminated comment");

	free(tk.t);
	return open || unterminated;
}
