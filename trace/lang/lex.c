/*
 * lex.c: tokens of D (identifiers, numbers, strings with C escapes,
 * operators, self->, this->, @aggregations), comments, and the raw scan
 * of probe descriptions. Every token carries its line and column.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytecode.h"
#include "lex.h"

struct tr_arena_block {
	struct tr_arena_block *next;
	size_t used, size;
	_Alignas(16) char data[];
};

void *cc_alloc(struct tr_cc *cc, size_t n)
{
	struct tr_arena_block *b = cc->arena;
	void *p;

	n = (n + 15) & ~(size_t)15;
	if (!b || b->size - b->used < n) {
		size_t size = n > 65536 ? n : 65536;

		b = calloc(1, sizeof *b + size);
		if (!b)
			cc_error(cc, cc->line, cc->col, "out of memory");
		b->size = size;
		b->next = cc->arena;
		cc->arena = b;
	}
	p = b->data + b->used;
	b->used += n;
	memset(p, 0, n);
	return p;
}

char *cc_strndup(struct tr_cc *cc, const char *s, size_t n)
{
	char *d = cc_alloc(cc, n + 1);

	memcpy(d, s, n);
	return d;
}

void cc_free_arena(struct tr_cc *cc)
{
	while (cc->arena) {
		struct tr_arena_block *next = cc->arena->next;

		free(cc->arena);
		cc->arena = next;
	}
}

void cc_error(struct tr_cc *cc, int line, int col, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(cc->err, cc->errlen, "%s:%d:%d: ", cc->name, line, col);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < cc->errlen)
		vsnprintf(cc->err + n, cc->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	longjmp(cc->fail, 1);
}

static void advance(struct tr_cc *cc, size_t n)
{
	for (size_t i = 0; i < n && *cc->p; i++, cc->p++) {
		if (*cc->p == '\n') {
			cc->line++;
			cc->col = 1;
		} else {
			cc->col++;
		}
	}
}

int lex_skip_space(struct tr_cc *cc)
{
	for (;;) {
		if (isspace((unsigned char)*cc->p)) {
			advance(cc, 1);
		} else if (cc->p[0] == '/' && cc->p[1] == '*') {
			int line = cc->line, col = cc->col;
			const char *end = strstr(cc->p + 2, "*/");

			if (!end)
				cc_error(cc, line, col, "comment is not closed");
			advance(cc, (size_t)(end + 2 - cc->p));
		} else if (cc->p[0] == '/' && cc->p[1] == '/') {
			advance(cc, strcspn(cc->p, "\n"));
		} else {
			return *cc->p == '\0';
		}
	}
}

/* Operators, longest first. */
static const char *const puncts[] = {
	"<<=", ">>=", "->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "^^",
	"+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=",
	"+", "-", "*", "/", "%", "&", "|", "^", "~", "!", "<", ">", "=", "?", ":", ",", ";",
	"(", ")", "[", "]", "{", "}", ".",
};

static int escape(struct tr_cc *cc, const char **pp)
{
	const char *p = *pp;
	int c = *p++;

	switch (c) {
	case 'n': c = '\n'; break;
	case 't': c = '\t'; break;
	case 'r': c = '\r'; break;
	case 'a': c = '\a'; break;
	case 'b': c = '\b'; break;
	case 'f': c = '\f'; break;
	case 'v': c = '\v'; break;
	case '\\': case '"': case '\'': case '?': break;
	case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7':
		c -= '0';
		for (int i = 0; i < 2 && *p >= '0' && *p <= '7'; i++)
			c = c * 8 + (*p++ - '0');
		break;
	case 'x':
		if (!isxdigit((unsigned char)*p))
			cc_error(cc, cc->line, cc->col, "\\x needs hex digits");
		c = 0;
		for (int i = 0; i < 2 && isxdigit((unsigned char)*p); i++, p++)
			c = c * 16 + (isdigit((unsigned char)*p) ? *p - '0' : (tolower(*p) - 'a' + 10));
		break;
	default:
		cc_error(cc, cc->line, cc->col, "unknown escape \\%c", c ? c : '0');
	}
	*pp = p;
	return c & 0xff;
}

static void lex_string(struct tr_cc *cc, struct tr_token *t)
{
	const char *p = cc->p + 1;
	char *out = cc_alloc(cc, TR_STRSIZE + 2);
	size_t n = 0;

	while (*p != '"') {
		if (!*p || *p == '\n')
			cc_error(cc, t->line, t->col, "string is not closed");
		if (*p == '\\') {
			p++;
			out[n++] = (char)escape(cc, &p);
			if (out[n - 1] == '\0')
				cc_error(cc, t->line, t->col, "a string cannot hold a NUL byte");
		} else {
			out[n++] = *p++;
		}
		if (n > TR_STRSIZE)
			cc_error(cc, t->line, t->col, "string longer than %d bytes", TR_STRSIZE);
	}
	t->kind = T_STR;
	t->str = out;
	advance(cc, (size_t)(p + 1 - cc->p));
}

static void lex_number(struct tr_cc *cc, struct tr_token *t)
{
	char *end;
	unsigned long long v = strtoull(cc->p, &end, 0);

	while (*end == 'u' || *end == 'U' || *end == 'l' || *end == 'L')
		end++;
	if (isalnum((unsigned char)*end) || *end == '_')
		cc_error(cc, t->line, t->col, "bad number \"%.*s\"", (int)(end - cc->p + 1), cc->p);
	t->kind = T_INT;
	t->ival = (int64_t)v;
	advance(cc, (size_t)(end - cc->p));
}

static void lex_char(struct tr_cc *cc, struct tr_token *t)
{
	const char *p = cc->p + 1;
	int c;

	if (*p == '\\') {
		p++;
		c = escape(cc, &p);
	} else if (*p == '\'' || !*p) {
		cc_error(cc, t->line, t->col, "empty character constant");
	} else {
		c = (unsigned char)*p++;
	}
	if (*p != '\'')
		cc_error(cc, t->line, t->col, "character constant is not closed");
	t->kind = T_INT;
	t->ival = c;
	advance(cc, (size_t)(p + 1 - cc->p));
}

static size_t ident_len(const char *p)
{
	size_t n = 0;

	while (isalnum((unsigned char)p[n]) || p[n] == '_')
		n++;
	return n;
}

static void lex_token(struct tr_cc *cc, struct tr_token *t)
{
	const char *p;

	memset(t, 0, sizeof *t);
	lex_skip_space(cc);
	t->line = cc->line;
	t->col = cc->col;
	p = cc->p;
	if (!*p) {
		t->kind = T_EOF;
		return;
	}
	if (*p == '"')
		return lex_string(cc, t);
	if (*p == '\'')
		return lex_char(cc, t);
	if (isdigit((unsigned char)*p))
		return lex_number(cc, t);
	if (*p == '@') {
		size_t n = ident_len(p + 1);

		t->kind = T_AGGNAME;
		t->str = n ? cc_strndup(cc, p + 1, n) : cc_strndup(cc, "_", 1);
		advance(cc, n + 1);
		return;
	}
	if (isalpha((unsigned char)*p) || *p == '_') {
		size_t n = ident_len(p);

		if ((n == 4 && !strncmp(p, "self", 4)) || (n == 4 && !strncmp(p, "this", 4))) {
			const char *q = p + 4;

			while (*q == ' ' || *q == '\t')
				q++;
			if (q[0] == '-' && q[1] == '>') {
				t->kind = *p == 's' ? T_SELF_ARROW : T_THIS_ARROW;
				advance(cc, (size_t)(q + 2 - p));
				return;
			}
		}
		t->kind = T_IDENT;
		t->str = cc_strndup(cc, p, n);
		advance(cc, n);
		return;
	}
	for (size_t i = 0; i < sizeof puncts / sizeof puncts[0]; i++) {
		size_t n = strlen(puncts[i]);

		if (!strncmp(p, puncts[i], n)) {
			t->kind = T_PUNCT;
			memcpy(t->text, puncts[i], n);
			advance(cc, n);
			return;
		}
	}
	if (isprint((unsigned char)*p))
		cc_error(cc, t->line, t->col, "unexpected character '%c'", *p);
	cc_error(cc, t->line, t->col, "unexpected byte 0x%02x", (unsigned char)*p);
}

void lex_next(struct tr_cc *cc)
{
	if (cc->have_peek) {
		cc->tok = cc->peek;
		cc->have_peek = 0;
		return;
	}
	lex_token(cc, &cc->tok);
}

const struct tr_token *lex_peek(struct tr_cc *cc)
{
	if (!cc->have_peek) {
		lex_token(cc, &cc->peek);
		cc->have_peek = 1;
	}
	return &cc->peek;
}

int tok_is(const struct tr_token *t, const char *s)
{
	return t->kind == T_PUNCT && !strcmp(t->text, s);
}

/* Characters of a probe description: names, globs, '-', '.', ':'. */
static int pdesc_char(int c)
{
	return isalnum(c) || strchr("_-.:*?[]!^$", c);
}

void lex_pdesc(struct tr_cc *cc)
{
	struct tr_token *t = &cc->tok;
	size_t n = 0;

	memset(t, 0, sizeof *t);
	lex_skip_space(cc);
	t->line = cc->line;
	t->col = cc->col;
	while (cc->p[n] && pdesc_char((unsigned char)cc->p[n]))
		n++;
	if (!n) {
		if (!*cc->p)
			cc_error(cc, t->line, t->col, "expected a probe description");
		cc_error(cc, t->line, t->col, "expected a probe description, found '%c'", *cc->p);
	}
	t->kind = T_PDESC;
	t->str = cc_strndup(cc, cc->p, n);
	advance(cc, n);
}
