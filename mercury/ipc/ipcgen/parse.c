/*
 * parse.c: one interface per .ipc file, by recursive descent.
 *
 *   file   = "interface" NAME [DOC] "{" { method } "}"
 *   method = NAME "(" [params] ")" "->" "(" [params] ")" [DOC] ";"
 *   params = param { "," param }
 *   param  = NAME ":" type
 *   type   = scalar [ "[" "<=" N "]" ] | "string" [ "[" "<=" N "]" ] | "cap"
 *
 * Names are checked here (duplicates, C keywords, names the generated code
 * uses itself); sizes are layout.c's business.
 */
#include <stdlib.h>
#include <string.h>
#include "ipcgen.h"

struct parser {
	struct lexer lx;
	struct token tok;
};

static const char *const type_names[IPC_TYPE_COUNT] = {
	"u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64", "bool", "string", "cap",
};
static const char *const type_ctypes[IPC_TYPE_COUNT] = {
	"uint8_t", "uint16_t", "uint32_t", "uint64_t", "int8_t", "int16_t", "int32_t",
	"int64_t", "uint8_t", "char", "hl_cptr_t",
};

/* C keywords (C11 and GNU), which cannot name a parameter or an interface. */
static const char *const c_keywords[] = {
	"auto", "break", "case", "char", "const", "continue", "default", "do", "double",
	"else", "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long",
	"register", "restrict", "return", "short", "signed", "sizeof", "static", "struct",
	"switch", "typedef", "union", "unsigned", "void", "volatile", "while", "asm",
	"typeof", "_Bool", "_Complex", "_Imaginary", "_Alignas", "_Alignof", "_Atomic",
	"_Generic", "_Noreturn", "_Static_assert", "_Thread_local", "bool", "true", "false",
	NULL,
};

const char *type_name(enum ipc_type t) { return type_names[t]; }
const char *type_ctype(enum ipc_type t) { return type_ctypes[t]; }

uint32_t ipc_fnv1a32(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}

static int is_keyword(const char *s)
{
	for (int i = 0; c_keywords[i]; i++)
		if (!strcmp(s, c_keywords[i]))
			return 1;
	return 0;
}

/* How a token reads in "found ..." */
static const char *describe(const struct token *t, char *buf, size_t n)
{
	switch (t->kind) {
	case TOK_EOF: return "end of file";
	case TOK_NUMBER: snprintf(buf, n, "number %llu", (unsigned long long)t->number); break;
	case TOK_STRING: return "a string";
	case TOK_IDENT: snprintf(buf, n, "'%s'", t->text); break;
	default: snprintf(buf, n, "'%s'", t->text); break;
	}
	return buf;
}

static void next(struct parser *p)
{
	p->tok = lex_next(&p->lx);
}

static void __attribute__((noreturn)) expected(struct parser *p, const char *what)
{
	char buf[80];

	die_at(p->lx.path, p->tok.line, p->tok.col, "expected %s, found %s", what,
	       describe(&p->tok, buf, sizeof buf));
}

static int is_punct(const struct parser *p, const char *s)
{
	return p->tok.kind == TOK_PUNCT && !strcmp(p->tok.text, s);
}

static void expect_punct(struct parser *p, const char *s, const char *what)
{
	if (!is_punct(p, s))
		expected(p, what);
	next(p);
}

static char *expect_ident(struct parser *p, const char *what)
{
	char *s;

	if (p->tok.kind != TOK_IDENT)
		expected(p, what);
	s = p->tok.text;
	next(p);
	return s;
}

/* "[" "<=" N "]" after a type: the bound. */
static unsigned parse_bound(struct parser *p)
{
	int line, col;
	unsigned max;

	next(p);
	if (p->tok.kind != TOK_LE)
		expected(p, "'<=' in a bound");
	next(p);
	line = p->tok.line;
	col = p->tok.col;
	if (p->tok.kind != TOK_NUMBER)
		expected(p, "a number after '<='");
	if (p->tok.number < 1 || p->tok.number > 65535)
		die_at(p->lx.path, line, col, "bound %llu out of range (1 to 65535)",
		       (unsigned long long)p->tok.number);
	max = (unsigned)p->tok.number;
	next(p);
	expect_punct(p, "]", "']' after the bound");
	return max;
}

static void parse_type(struct parser *p, struct param *pa)
{
	int line = p->tok.line, col = p->tok.col, t;
	char *name = expect_ident(p, "a type");

	for (t = 0; t < IPC_TYPE_COUNT; t++)
		if (!strcmp(name, type_names[t]))
			break;
	if (t == IPC_TYPE_COUNT)
		die_at(p->lx.path, line, col, "unknown type '%s'", name);
	pa->type = (enum ipc_type)t;
	pa->max = t == IPC_STRING ? IPC_STRING_DEFAULT_MAX : 0;
	if (!is_punct(p, "["))
		return;
	if (t == IPC_CAP)
		die_at(p->lx.path, p->tok.line, p->tok.col,
		       "arrays of cap are not supported (a message carries at most %d caps)",
		       HL_MSG_MAX_CAPS);
	pa->max = parse_bound(p);
	pa->is_array = t != IPC_STRING;
}

/* Whether name is the length parameter of array a (a_len). */
static int is_len_of(const char *name, const struct param *a)
{
	size_t n = strlen(a->name);

	return a->is_array && !strncmp(name, a->name, n) && !strcmp(name + n, "_len");
}

/* Refuses a parameter name the generated C could not use. */
static void check_param_name(const char *path, const struct method *m, const struct param *pa)
{
	const struct param *all[2] = { m->in, m->out };
	unsigned counts[2] = { m->nin, m->nout };

	if (is_keyword(pa->name))
		die_at(path, pa->line, pa->col, "parameter name '%s' is a C keyword", pa->name);
	if (!strncmp(pa->name, "ipc_", 4))
		die_at(path, pa->line, pa->col,
		       "parameter name '%s': the prefix ipc_ is reserved for generated code",
		       pa->name);
	for (int d = 0; d < 2; d++)
		for (unsigned i = 0; i < counts[d]; i++) {
			const struct param *o = &all[d][i];
			if (!strcmp(o->name, pa->name))
				die_at(path, pa->line, pa->col,
				       "duplicate parameter '%s' (first at %d:%d)", pa->name,
				       o->line, o->col);
			if (is_len_of(pa->name, o) || is_len_of(o->name, pa))
				die_at(path, pa->line, pa->col,
				       "parameter '%s' clashes with '%s' (an array's length is <name>_len)",
				       pa->name, o->name);
		}
}

/* "(" [param {"," param}] ")" into ps; *n counts them. */
static void parse_params(struct parser *p, struct method *m, struct param *ps, unsigned *n)
{
	expect_punct(p, "(", "'('");
	if (is_punct(p, ")")) {
		next(p);
		return;
	}
	for (;;) {
		struct param pa = { 0 };

		pa.line = p->tok.line;
		pa.col = p->tok.col;
		pa.name = expect_ident(p, "a parameter name");
		expect_punct(p, ":", "':' after the parameter name");
		parse_type(p, &pa);
		check_param_name(p->lx.path, m, &pa);
		if (*n == IPC_MAX_PARAMS)
			die_at(p->lx.path, pa.line, pa.col, "too many parameters (more than %d)",
			       IPC_MAX_PARAMS);
		ps[(*n)++] = pa;
		if (is_punct(p, ")"))
			break;
		expect_punct(p, ",", "',' or ')' in the parameter list");
	}
	next(p);
}

static void parse_method(struct parser *p, struct iface *ifc)
{
	struct method *m;

	if (ifc->nmethods == 0xFFFF)
		die_at(p->lx.path, p->tok.line, p->tok.col, "too many methods (more than 65535)");
	ifc->methods = realloc(ifc->methods, (ifc->nmethods + 1) * sizeof *ifc->methods);
	if (!ifc->methods)
		die("out of memory");
	m = &ifc->methods[ifc->nmethods];
	memset(m, 0, sizeof *m);
	m->line = p->tok.line;
	m->col = p->tok.col;
	m->name = expect_ident(p, "a method name or '}'");
	m->index = ifc->nmethods;
	for (unsigned i = 0; i < ifc->nmethods; i++)
		if (!strcmp(ifc->methods[i].name, m->name))
			die_at(p->lx.path, m->line, m->col, "duplicate method '%s' (first at %d:%d)",
			       m->name, ifc->methods[i].line, ifc->methods[i].col);
	parse_params(p, m, m->in, &m->nin);
	if (p->tok.kind != TOK_ARROW)
		expected(p, "'->' after the parameters");
	next(p);
	parse_params(p, m, m->out, &m->nout);
	m->doc = "";
	if (p->tok.kind == TOK_STRING) {
		m->doc = p->tok.text;
		next(p);
	}
	expect_punct(p, ";", "';' after the method");
	ifc->nmethods++;
}

/* Checks that path's base name is <name>.ipc. */
static void check_file_name(const char *path, const struct iface *ifc)
{
	const char *base = strrchr(path, '/');
	size_t n = strlen(ifc->name);

	base = base ? base + 1 : path;
	if (strncmp(base, ifc->name, n) || strcmp(base + n, ".ipc"))
		die_at(path, ifc->line, ifc->col,
		       "interface '%s' must be in a file named %s.ipc", ifc->name, ifc->name);
}

struct iface *parse_file(const char *path, const char *src)
{
	struct parser p;
	struct iface *ifc = xcalloc(1, sizeof *ifc);

	lex_init(&p.lx, path, src);
	next(&p);
	if (p.tok.kind != TOK_IDENT || strcmp(p.tok.text, "interface"))
		expected(&p, "'interface'");
	next(&p);
	ifc->line = p.tok.line;
	ifc->col = p.tok.col;
	ifc->name = expect_ident(&p, "an interface name");
	if (is_keyword(ifc->name))
		die_at(path, ifc->line, ifc->col, "interface name '%s' is a C keyword", ifc->name);
	check_file_name(path, ifc);
	ifc->doc = "";
	if (p.tok.kind == TOK_STRING) {
		ifc->doc = p.tok.text;
		next(&p);
	}
	expect_punct(&p, "{", "'{' after the interface name");
	while (!is_punct(&p, "}")) {
		if (p.tok.kind == TOK_EOF)
			expected(&p, "a method name or '}'");
		parse_method(&p, ifc);
	}
	next(&p);
	if (p.tok.kind != TOK_EOF)
		expected(&p, "end of file after the interface (one interface per file)");
	ifc->id = ipc_fnv1a32(ifc->name);
	return ifc;
}
