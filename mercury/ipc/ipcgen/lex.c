/*
 * lex.c: tokens of the interface language. Comments run from '#' or "//"
 * to the end of the line, or between slash-star and star-slash; strings
 * ("...", doc strings) stay on one line and know \" and \\.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "ipcgen.h"

void lex_init(struct lexer *lx, const char *path, const char *src)
{
	lx->path = path;
	lx->src = src;
	lx->pos = 0;
	lx->line = 1;
	lx->col = 1;
}

static char peek(const struct lexer *lx, size_t ahead)
{
	size_t i;

	for (i = 0; i < ahead; i++)
		if (!lx->src[lx->pos + i])
			return 0;
	return lx->src[lx->pos + ahead];
}

static char advance(struct lexer *lx)
{
	char c = lx->src[lx->pos++];

	if (c == '\n') {
		lx->line++;
		lx->col = 1;
	} else {
		lx->col++;
	}
	return c;
}

/* Skips blanks and comments. */
static void skip_space(struct lexer *lx)
{
	for (;;) {
		char c = peek(lx, 0);

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			advance(lx);
		} else if (c == '#' || (c == '/' && peek(lx, 1) == '/')) {
			while (peek(lx, 0) && peek(lx, 0) != '\n')
				advance(lx);
		} else if (c == '/' && peek(lx, 1) == '*') {
			int line = lx->line, col = lx->col;

			advance(lx);
			advance(lx);
			while (!(peek(lx, 0) == '*' && peek(lx, 1) == '/')) {
				if (!peek(lx, 0))
					die_at(lx->path, line, col, "unterminated comment");
				advance(lx);
			}
			advance(lx);
			advance(lx);
		} else {
			return;
		}
	}
}

static struct token lex_string(struct lexer *lx, struct token t)
{
	size_t cap = 16, n = 0;
	char *s = xcalloc(cap, 1);

	advance(lx);
	for (;;) {
		char c = peek(lx, 0);

		if (c == 0 || c == '\n')
			die_at(lx->path, t.line, t.col, "unterminated string");
		advance(lx);
		if (c == '"')
			break;
		if (c == '\\') {
			c = peek(lx, 0);
			if (c != '"' && c != '\\')
				die_at(lx->path, lx->line, lx->col - 1,
				       "unknown escape '\\%c' in string (only \\\" and \\\\)",
				       isprint((unsigned char)c) ? c : '?');
			advance(lx);
		} else if (!isprint((unsigned char)c)) {
			die_at(lx->path, lx->line, lx->col - 1, "control character in string");
		}
		if (n + 2 > cap)
			s = realloc(s, cap *= 2);
		if (!s)
			die("out of memory");
		s[n++] = c;
	}
	s[n] = 0;
	t.kind = TOK_STRING;
	t.text = s;
	return t;
}

static struct token lex_number(struct lexer *lx, struct token t)
{
	unsigned base = 10;
	uint64_t v = 0;
	int digits = 0;

	if (peek(lx, 0) == '0' && (peek(lx, 1) == 'x' || peek(lx, 1) == 'X')) {
		base = 16;
		advance(lx);
		advance(lx);
	}
	while (isalnum((unsigned char)peek(lx, 0))) {
		char c = advance(lx);
		unsigned d = isdigit((unsigned char)c) ? (unsigned)(c - '0')
			   : isxdigit((unsigned char)c) ? (unsigned)(tolower(c) - 'a' + 10) : 99;

		if (d >= base)
			die_at(lx->path, t.line, t.col, "bad number");
		if (v > (UINT64_MAX - d) / base)
			die_at(lx->path, t.line, t.col, "number too large");
		v = v * base + d;
		digits++;
	}
	if (!digits)
		die_at(lx->path, t.line, t.col, "bad number");
	t.kind = TOK_NUMBER;
	t.number = v;
	return t;
}

struct token lex_next(struct lexer *lx)
{
	struct token t = { TOK_EOF, 0, 0, NULL, 0 };
	char c;

	skip_space(lx);
	t.line = lx->line;
	t.col = lx->col;
	c = peek(lx, 0);
	if (!c)
		return t;
	if (isalpha((unsigned char)c) || c == '_') {
		size_t start = lx->pos;

		while (isalnum((unsigned char)peek(lx, 0)) || peek(lx, 0) == '_')
			advance(lx);
		t.kind = TOK_IDENT;
		t.text = xcalloc(lx->pos - start + 1, 1);
		memcpy(t.text, lx->src + start, lx->pos - start);
		return t;
	}
	if (isdigit((unsigned char)c))
		return lex_number(lx, t);
	if (c == '"')
		return lex_string(lx, t);
	if ((c == '-' && peek(lx, 1) == '>') || (c == '<' && peek(lx, 1) == '=')) {
		t.kind = c == '-' ? TOK_ARROW : TOK_LE;
		t.text = xstrdup(c == '-' ? "->" : "<=");
		advance(lx);
		advance(lx);
		return t;
	}
	if (strchr("{}()[]:;,", c)) {
		char p[2] = { c, 0 };

		advance(lx);
		t.kind = TOK_PUNCT;
		t.text = xstrdup(p);
		return t;
	}
	if (isprint((unsigned char)c))
		die_at(lx->path, t.line, t.col, "unexpected character '%c'", c);
	die_at(lx->path, t.line, t.col, "unexpected byte 0x%02x", (unsigned char)c);
}
