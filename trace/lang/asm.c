/*
 * asm.c: the program as text, both ways: tr_disasm writes a program's
 * tables and clauses (trace -S), tr_assemble reads the same syntax back
 * (trace -A), so bytecode can be written by hand, in particular to show
 * what the verifier refuses. The syntax, one item a line, ';' to the end
 * of a line is a comment:
 *   quiet
 *   const N                      string "text"
 *   var NAME global|self|this int|string [keys T,T...]
 *   agg NAME FUNC [BASE STEP LEVELS] [keys T,T...]   (T: int string stack)
 *   format "text"                aformat "text" (printa's, %@ allowed)
 *   clause DESC[,DESC...]
 *     OP A B IMM                 (missing operands are 0)
 *   end
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char *const aggfunc_names[] = {
#define A_NAME(id, name, nargs) name,
	TR_AGGFUNCS(A_NAME)
#undef A_NAME
};

static const char *const builtin_names[] = {
#define B_NAME(id, name, type) name,
	TR_BUILTINS(B_NAME)
#undef B_NAME
};

static const char *const scope_names[] = { "global", "self", "this" };

struct writer {
	void (*write)(void *, const char *, size_t);
	void *ctx;
};

static void wf(struct writer *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void wf(struct writer *w, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tr_vwritef(w->write, w->ctx, fmt, ap);
	va_end(ap);
}

static void quoted(struct writer *w, const char *s)
{
	wf(w, "\"");
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			wf(w, "\\%c", *s);
		else if (*s == '\n')
			wf(w, "\\n");
		else if (*s == '\t')
			wf(w, "\\t");
		else if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			wf(w, "\\%03o", (unsigned char)*s);
		else
			wf(w, "%c", *s);
	}
	wf(w, "\"");
}

static void keys(struct writer *w, const uint8_t *k, int n)
{
	for (int i = 0; i < n; i++)
		wf(w, "%s%s", i ? "," : " keys ", tr_type_name(k[i]));
}

/* What an instruction's operands name, as a comment. */
static void operand_note(struct writer *w, const struct tr_prog *p, const struct tr_insn *in,
			 uint32_t pc)
{
	switch (in->op) {
	case TR_OP_PUSHS:
		if (in->imm >= 0 && (uint32_t)in->imm < p->nstrs) {
			wf(w, "\t; ");
			quoted(w, p->strs[in->imm]);
		}
		break;
	case TR_OP_LDV: case TR_OP_STV: case TR_OP_LDA: case TR_OP_STA:
		if (in->b < p->nvars)
			wf(w, "\t; %s%s", in->b < p->nvars && p->vars[in->b].scope == TR_THREAD ? "self->" :
			   p->vars[in->b].scope == TR_CLAUSE ? "this->" : "", p->vars[in->b].name);
		break;
	case TR_OP_LDB:
		if (in->b < TR_B_COUNT)
			wf(w, "\t; %s", builtin_names[in->b]);
		break;
	case TR_OP_AGG: case TR_OP_PRINTA: case TR_OP_CLEAR: case TR_OP_TRUNC:
		if (in->b < p->naggs)
			wf(w, "\t; @%s", p->aggs[in->b].name);
		break;
	case TR_OP_JMP: case TR_OP_JZ: case TR_OP_JNZ:
		wf(w, "\t; to %lld", (long long)pc + 1 + in->imm);
		break;
	default:
		break;
	}
}

void tr_disasm(const struct tr_prog *p, void (*write)(void *, const char *, size_t), void *ctx)
{
	struct writer w = { write, ctx };
	char name[16];

	if (p->quiet)
		wf(&w, "quiet\n");
	for (uint32_t i = 0; i < p->nconsts; i++)
		wf(&w, "const %lld\n", (long long)p->consts[i]);
	for (uint32_t i = 0; i < p->nstrs; i++) {
		wf(&w, "string ");
		quoted(&w, p->strs[i]);
		wf(&w, "\n");
	}
	for (uint32_t i = 0; i < p->nvars; i++) {
		const struct tr_var *v = &p->vars[i];

		wf(&w, "var %s %s %s", v->name, v->scope < 3 ? scope_names[v->scope] : "?",
		   tr_type_name(v->type));
		keys(&w, v->keys, v->nkeys);
		wf(&w, "\n");
	}
	for (uint32_t i = 0; i < p->naggs; i++) {
		const struct tr_aggdef *a = &p->aggs[i];

		wf(&w, "agg %s %s", a->name, a->func < TR_A_NFUNCS ? aggfunc_names[a->func] : "?");
		if (a->func == TR_A_LQUANTIZE)
			wf(&w, " %lld %lld %d", (long long)a->lq_base, (long long)a->lq_step, a->lq_levels);
		keys(&w, a->keys, a->nkeys);
		wf(&w, "\n");
	}
	for (uint32_t i = 0; i < p->nfmts; i++) {
		int agg = 0;

		for (int k = 0; k < p->fmts[i].nconv; k++)
			agg |= p->fmts[i].conv[k].conv == '@';
		wf(&w, agg ? "aformat " : "format ");
		quoted(&w, p->fmts[i].src);
		wf(&w, "\n");
	}
	for (uint32_t c = 0; c < p->nclauses; c++) {
		const struct tr_clause *cl = &p->clauses[c];

		wf(&w, "clause ");
		for (int d = 0; d < cl->ndesc; d++)
			wf(&w, "%s%s:%s:%s:%s", d ? "," : "", cl->desc[d].field[0], cl->desc[d].field[1],
			   cl->desc[d].field[2], cl->desc[d].field[3]);
		wf(&w, "\n");
		for (uint32_t pc = 0; pc < cl->len; pc++) {
			const struct tr_insn *in = &cl->code[pc];

			wf(&w, "%4u\t%-7s %u %u %d", pc, tr_op_name(in->op, name), in->a, in->b, in->imm);
			operand_note(&w, p, in, pc);
			wf(&w, "\n");
		}
		wf(&w, "end\n");
	}
}

/* --- the assembler --- */

struct reader {
	const char *name;
	int line;
	char *err;
	size_t errlen;
};

static int fail(struct reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct reader *r, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(r->err, r->errlen, "%s:%d: ", r->name, r->line);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < r->errlen)
		vsnprintf(r->err + n, r->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/* A quoted string with C escapes at *pp; NULL on error. */
static char *read_quoted(struct reader *r, const char **pp)
{
	const char *p = *pp;
	char buf[4 * TR_STRSIZE];
	size_t n = 0;

	while (isspace((unsigned char)*p))
		p++;
	if (*p++ != '"')
		return fail(r, "expected a quoted string"), NULL;
	while (*p && *p != '"') {
		int c = (unsigned char)*p++;

		if (c == '\\') {
			c = (unsigned char)*p++;
			if (c == 'n') c = '\n';
			else if (c == 't') c = '\t';
			else if (c >= '0' && c <= '7') {
				c -= '0';
				for (int i = 0; i < 2 && *p >= '0' && *p <= '7'; i++)
					c = c * 8 + (*p++ - '0');
			} else if (c != '\\' && c != '"')
				return fail(r, "unknown escape"), NULL;
		}
		if (n >= sizeof buf - 1 || c == 0)
			return fail(r, "string too long or holding NUL"), NULL;
		buf[n++] = (char)c;
	}
	if (*p != '"')
		return fail(r, "string is not closed"), NULL;
	*pp = p + 1;
	return tr_strndup(buf, n);
}

static int type_of(const char *s, int len)
{
	if (len == 3 && !strncmp(s, "int", 3))
		return TR_T_INT;
	if (len == 6 && !strncmp(s, "string", 6))
		return TR_T_STR;
	if (len == 5 && !strncmp(s, "stack", 5))
		return TR_T_STACK;
	return -1;
}

/* "keys int,string" at p, or nothing. */
static int read_keys(struct reader *r, const char *p, uint8_t *k, uint8_t *n)
{
	*n = 0;
	while (isspace((unsigned char)*p))
		p++;
	if (!*p)
		return 0;
	if (strncmp(p, "keys ", 5))
		return fail(r, "expected \"keys T,...\", found \"%s\"", p);
	for (p += 5; *p;) {
		int len = (int)strcspn(p, ", \t"), t = type_of(p, len);

		if (t < 0 || *n >= TR_MAX_KEYS)
			return fail(r, "bad key type or more than %d keys", TR_MAX_KEYS);
		k[(*n)++] = (uint8_t)t;
		p += len;
		p += strspn(p, ", \t");
	}
	return 0;
}

static int read_var(struct reader *r, struct tr_prog *p, const char *args)
{
	char name[64], scope[16], type[16];
	int used = 0, sc = -1, t;
	struct tr_var *v;

	if (sscanf(args, "%63s %15s %15s%n", name, scope, type, &used) != 3)
		return fail(r, "var NAME SCOPE TYPE [keys ...]");
	for (int i = 0; i < 3; i++)
		if (!strcmp(scope, scope_names[i]))
			sc = i;
	t = type_of(type, (int)strlen(type));
	if (sc < 0 || t < 0)
		return fail(r, "bad scope \"%s\" or type \"%s\"", scope, type);
	TR_GROW(p->vars, p->nvars);
	v = &p->vars[p->nvars++];
	memset(v, 0, sizeof *v);
	v->name = tr_strdup(name);
	v->scope = (uint8_t)sc;
	v->type = (uint8_t)t;
	return read_keys(r, args + used, v->keys, &v->nkeys);
}

static int read_agg(struct reader *r, struct tr_prog *p, const char *args)
{
	char name[64], func[16];
	int used = 0, f = -1;
	struct tr_aggdef *a;

	if (sscanf(args, "%63s %15s%n", name, func, &used) != 2)
		return fail(r, "agg NAME FUNC [BASE STEP LEVELS] [keys ...]");
	for (int i = 0; i < TR_A_NFUNCS; i++)
		if (!strcmp(func, aggfunc_names[i]))
			f = i;
	if (f < 0)
		return fail(r, "unknown aggregating function \"%s\"", func);
	TR_GROW(p->aggs, p->naggs);
	a = &p->aggs[p->naggs++];
	memset(a, 0, sizeof *a);
	a->name = tr_strdup(name);
	a->func = (uint8_t)f;
	args += used;
	if (f == TR_A_LQUANTIZE) {
		long long base, step;
		int levels;

		if (sscanf(args, "%lld %lld %d%n", &base, &step, &levels, &used) != 3)
			return fail(r, "lquantize needs BASE STEP LEVELS");
		a->lq_base = base;
		a->lq_step = step;
		a->lq_levels = levels;
		args += used;
	}
	return read_keys(r, args, a->keys, &a->nkeys);
}

static int read_format(struct reader *r, struct tr_prog *p, const char *args, int printa)
{
	char *s = read_quoted(r, &args), why[128];
	int bad;

	if (!s)
		return -1;
	TR_GROW(p->fmts, p->nfmts);
	bad = tr_fmt_parse(&p->fmts[p->nfmts], s, printa, why, sizeof why) < 0;
	free(s);
	if (bad)
		return fail(r, "bad format: %s", why);
	p->nfmts++;
	return 0;
}

static int read_clause(struct reader *r, struct tr_prog *p, const char *args)
{
	struct tr_clause *cl;
	char *descs = tr_strdup(args), *save = NULL;

	TR_GROW(p->clauses, p->nclauses);
	cl = &p->clauses[p->nclauses++];
	memset(cl, 0, sizeof *cl);
	cl->line = r->line;
	cl->col = 1;
	for (char *d = strtok_r(descs, ", \t", &save); d; d = strtok_r(NULL, ", \t", &save)) {
		struct tr_pdesc *pd;
		char *f = d;

		TR_GROW(cl->desc, (uint32_t)cl->ndesc);
		pd = &cl->desc[cl->ndesc++];
		pd->line = r->line;
		pd->col = 1;
		for (int i = 0; i < 4; i++) {
			size_t n = strcspn(f, ":");

			pd->field[i] = tr_strndup(f, i == 3 ? strlen(f) : n);
			f += f[n] && i < 3 ? n + 1 : n;
		}
	}
	free(descs);
	if (!cl->ndesc)
		return fail(r, "clause needs a probe description");
	return 0;
}

static int read_insn(struct reader *r, struct tr_clause *cl, const char *text)
{
	char op[16], name[16];
	long long a = 0, b = 0, imm = 0;
	int n, code = -1;

	n = sscanf(text, "%15s %lld %lld %lld", op, &a, &b, &imm);
	if (n < 1)
		return fail(r, "expected an instruction");
	for (int i = 0; i < TR_OP_COUNT; i++)
		if (!strcmp(op, tr_op_name(i, name)))
			code = i;
	if (code < 0)
		return fail(r, "unknown instruction \"%s\"", op);
	if (a < 0 || a > 255 || b < 0 || b > 65535 || imm < INT32_MIN || imm > INT32_MAX)
		return fail(r, "operand out of range (a: 0-255, b: 0-65535, imm: 32 bits)");
	if (cl->len >= 65536)
		return fail(r, "clause too long");
	TR_GROW(cl->code, cl->len);
	cl->code[cl->len++] = (struct tr_insn){ (uint8_t)code, (uint8_t)a, (uint16_t)b, (int32_t)imm };
	return 0;
}

static int read_line(struct reader *r, struct tr_prog *p, char *line, struct tr_clause **in_clause)
{
	char *q = line, word[16];
	int n = 0;

	/* a ';' outside quotes starts a comment */
	for (int quote = 0; *q; q++) {
		if (*q == '"' && (q == line || q[-1] != '\\'))
			quote = !quote;
		if (*q == ';' && !quote) {
			*q = '\0';
			break;
		}
	}
	if (sscanf(line, "%15s%n", word, &n) != 1)
		return 0;
	q = line + n;
	if (*in_clause) {
		if (!strcmp(word, "end")) {
			*in_clause = NULL;
			return 0;
		}
		/* disassembly puts the index first: skip it */
		if (isdigit((unsigned char)word[0]))
			return read_insn(r, *in_clause, q);
		return read_insn(r, *in_clause, line);
	}
	if (!strcmp(word, "quiet"))
		p->quiet = 1;
	else if (!strcmp(word, "const")) {
		TR_GROW(p->consts, p->nconsts);
		p->consts[p->nconsts++] = strtoll(q, NULL, 0);
	} else if (!strcmp(word, "string")) {
		char *s = read_quoted(r, (const char **)&q);

		if (!s)
			return -1;
		TR_GROW(p->strs, p->nstrs);
		p->strs[p->nstrs++] = s;
	} else if (!strcmp(word, "var"))
		return read_var(r, p, q);
	else if (!strcmp(word, "agg"))
		return read_agg(r, p, q);
	else if (!strcmp(word, "format") || !strcmp(word, "aformat"))
		return read_format(r, p, q, word[0] == 'a');
	else if (!strcmp(word, "clause")) {
		if (read_clause(r, p, q) < 0)
			return -1;
		*in_clause = &p->clauses[p->nclauses - 1];
	} else
		return fail(r, "unknown directive \"%s\"", word);
	return 0;
}

struct tr_prog *tr_assemble(const char *text, const char *name, char *err, size_t errlen)
{
	struct tr_prog *p = tr_xalloc(sizeof *p);
	struct reader r = { name, 0, err, errlen };
	struct tr_clause *in_clause = NULL;

	p->name = tr_strdup(name);
	while (*text) {
		size_t n = strcspn(text, "\n");
		char *line = tr_strndup(text, n);
		int bad;

		r.line++;
		bad = read_line(&r, p, line, &in_clause);
		free(line);
		if (bad) {
			tr_prog_free(p);
			return NULL;
		}
		text += n + (text[n] == '\n');
	}
	if (in_clause) {
		fail(&r, "clause without end");
		tr_prog_free(p);
		return NULL;
	}
	return p;
}
