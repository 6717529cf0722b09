/*
 * exec.c: statements, functions, variables and error recovery.
 *
 * Scoping is dynamic, as in acid: a function's parameters and `local`s
 * shadow the global binding of the same name until the function returns.
 * Shadowed bindings wait on a save stack; a runtime error unwinds it back to
 * the mark of the statement loop that catches the error, so an interactive
 * session never loses its globals. acid_error() reports file:line of the
 * statement being run and longjmps to that loop (acid_run_tokens).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define ACID_MAX_DEPTH 400

struct acid_saved {
	struct acid_var *var;
	struct acid_value v;
	int set;
};

/* The save stack for dynamic scoping (one per process: acid is single-threaded). */
static struct acid_saved *acid_save;
static int acid_nsave, acid_capsave;

/* Bucket of name s in the variable and function tables (djb2). */
unsigned acid_hash(const char *s)
{
	unsigned h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h % ACID_HASH;
}

/* The binding of name; with create, a new unset one if there is none,
 * else NULL. */
struct acid_var *acid_var_lookup(struct acid *a, const char *name, int create)
{
	unsigned h = acid_hash(name);
	struct acid_var *v;

	for (v = a->vars[h]; v; v = v->next)
		if (strcmp(v->name, name) == 0)
			return v;
	if (!create)
		return NULL;
	v = acid_alloc(sizeof *v);
	v->name = acid_strdup(name);
	v->next = a->vars[h];
	a->vars[h] = v;
	return v;
}

/* Sets acid global name to v. */
void acid_var_set(struct acid *a, const char *name, struct acid_value v)
{
	struct acid_var *var = acid_var_lookup(a, name, 1);

	var->v = v;
	var->set = 1;
}

/* 1 and *out if name is set. */
int acid_var_get(struct acid *a, const char *name, struct acid_value *out)
{
	struct acid_var *var = acid_var_lookup(a, name, 0);

	if (!var || !var->set)
		return 0;
	*out = var->v;
	return 1;
}

static struct acid_func *func_find(struct acid_func **tab, const char *name)
{
	for (struct acid_func *f = tab[acid_hash(name)]; f; f = f->next)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

/* The acid function name, else the builtin name; NULL if neither. */
struct acid_func *acid_func_lookup(struct acid *a, const char *name)
{
	struct acid_func *f = func_find(a->funcs, name);

	return f ? f : func_find(a->builtins, name);
}

/* The C builtin name, ignoring acid definitions (for `builtin f()`). */
struct acid_func *acid_builtin_lookup(struct acid *a, const char *name)
{
	return func_find(a->builtins, name);
}

/* Registers builtin fn as name. */
void acid_builtin_add(struct acid *a, const char *name, acid_builtin_fn *fn)
{
	struct acid_func *f = func_find(a->builtins, name);

	if (!f) {
		unsigned h = acid_hash(name);

		f = acid_alloc(sizeof *f);
		f->name = acid_strdup(name);
		f->next = a->builtins[h];
		a->builtins[h] = f;
	}
	f->builtin = fn;
}

/* Defines (or replaces) the acid function of an N_DEFN node. */
void acid_define(struct acid *a, struct acid_node *defn)
{
	struct acid_func *f = func_find(a->funcs, defn->str);

	if (!f) {
		unsigned h = acid_hash(defn->str);

		f = acid_alloc(sizeof *f);
		f->name = acid_strdup(defn->str);
		f->next = a->funcs[h];
		a->funcs[h] = f;
	}
	f->params = defn->l;
	f->body = defn->r;
}

static void undefine(struct acid *a, const char *name)
{
	struct acid_func **p;

	for (p = &a->funcs[acid_hash(name)]; *p; p = &(*p)->next) {
		if (strcmp((*p)->name, name) == 0) {
			*p = (*p)->next;
			return;
		}
	}
	acid_error(a, "%s is not a defined function", name);
}

/* Creates an interpreter with the language builtins. */
struct acid *acid_new(void)
{
	struct acid *a = acid_alloc(sizeof *a);

	a->out = stdout;
	a->errout = stderr;
	acid_builtins_init(a);
	return a;
}

/* Copies host's ops into a; they reach the program from then on. */
void acid_set_host(struct acid *a, const struct acid_host *host)
{
	a->host = *host;
	a->have_host = 1;
}

/* a's host ops (all NULL until acid_set_host). */
const struct acid_host *acid_host(struct acid *a)
{
	return &a->host;
}

/* Where printing and error reports go. */
void acid_set_output(struct acid *a, FILE *out, FILE *errout)
{
	a->out = out;
	a->errout = errout;
}

/* The stream printing goes to. */
FILE *acid_out(struct acid *a)
{
	return a->out;
}

/* Errors reported since a was created. */
int acid_error_count(struct acid *a)
{
	return a->errors;
}

/* Limits a to n more statements (0: none); see lang.h. */
void acid_set_step_limit(struct acid *a, long n)
{
	a->step_limit = n;
	a->steps = 0;
}

static void report(struct acid *a, const char *file, int line, const char *msg)
{
	fflush(a->out);
	if (file)
		fprintf(a->errout, "%s:%d: %s\n", file, line, msg);
	else
		fprintf(a->errout, "acid: %s\n", msg);
	fflush(a->errout);
	a->errors++;
}

/* Reports msg at the current statement and unwinds (see file comment). */
void acid_error(struct acid *a, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	report(a, a->cur ? a->cur->file : NULL, a->cur ? a->cur->line : 0, msg);
	if (!a->recover) {
		fputs("acid: error outside any statement loop\n", a->errout);
		exit(1);
	}
	longjmp(*a->recover, 2);
}

static void save_binding(struct acid_var *v)
{
	if (acid_nsave == acid_capsave) {
		acid_capsave = acid_capsave ? acid_capsave * 2 : 64;
		acid_save = realloc(acid_save, acid_capsave * sizeof *acid_save);
		if (!acid_save)
			abort();
	}
	acid_save[acid_nsave].var = v;
	acid_save[acid_nsave].v = v->v;
	acid_save[acid_nsave].set = v->set;
	acid_nsave++;
}

static void restore_bindings(int mark)
{
	while (acid_nsave > mark) {
		struct acid_saved *s = &acid_save[--acid_nsave];

		s->var->v = s->v;
		s->var->set = s->set;
	}
}

/* Calls f with argv (see internal.h). */
struct acid_value acid_call(struct acid *a, struct acid_func *f, int argc,
                            struct acid_value *argv)
{
	struct acid_value ret = acid_none();
	const struct acid_node *cur = a->cur;
	struct acid_node *p;
	int n = 0, mark = acid_nsave;

	if (f->builtin) {
		f->builtin(a, argc, argv, &ret);
		return ret;
	}
	for (p = f->params; p; p = p->next)
		n++;
	if (n != argc)
		acid_error(a, "%s: expected %d argument%s, got %d", f->name, n, n == 1 ? "" : "s", argc);
	if (a->depth >= ACID_MAX_DEPTH)
		acid_error(a, "%s: calls nested too deeply (over %d)", f->name, ACID_MAX_DEPTH);
	n = 0;
	for (p = f->params; p; p = p->next) {
		struct acid_var *v = acid_var_lookup(a, p->str, 1);

		save_binding(v);
		v->v = argv[n++];
		v->set = 1;
	}
	a->depth++;
	acid_exec(a, f->body);
	a->depth--;
	if (a->returning) {
		ret = a->retval;
		a->returning = 0;
	}
	restore_bindings(mark);
	a->cur = cur;
	return ret;
}

static void exec_local(struct acid *a, struct acid_node *n)
{
	for (struct acid_node *v = n->l; v; v = v->next) {
		struct acid_var *var = acid_var_lookup(a, v->str, 1);

		/* At top level a local is simply a global. */
		if (a->depth > 0)
			save_binding(var);
		var->set = 0;
	}
}

static struct acid_type *aggr_type(struct acid *a, struct acid_node *n)
{
	struct acid_type *t = acid_alloc(sizeof *t);
	int count = 0, i = 0;

	t->kind = n->ival ? AT_UNION : AT_STRUCT;
	t->name = n->str;
	for (struct acid_node *m = n->l; m; m = m->next)
		count++;
	t->nmember = count;
	t->member = acid_alloc((count ? count : 1) * sizeof *t->member);
	for (struct acid_node *m = n->l; m; m = m->next, i++) {
		struct acid_member *mm = &t->member[i];
		uint64_t end;

		mm->name = m->str;
		mm->off = (uint64_t)m->ival;
		mm->fmt = m->fmt;
		if (m->str2) {
			mm->type = acid_type_find(a, m->str2);
			if (!mm->type)
				acid_error(a, "aggr %s: unknown type %s for member %s", n->str, m->str2, m->str);
		}
		end = mm->off + (mm->type ? mm->type->size : (uint64_t)acid_fmt_size(mm->fmt));
		if (end > t->size)
			t->size = end;
	}
	return t;
}

static void exec_complex(struct acid *a, struct acid_node *n)
{
	struct acid_type *t = acid_type_find(a, n->str);

	if (!t)
		acid_error(a, "complex: unknown type %s", n->str);
	for (struct acid_node *v = n->l; v; v = v->next) {
		struct acid_value val;

		if (v->op == N_LOCALREF)
			acid_error(a, "complex: locals take their type from DWARF");
		val = acid_eval(a, v);
		if (val.kind != AV_INT && val.kind != AV_AGG)
			acid_error(a, "complex: %s does not hold an address", v->str);
		val.kind = AV_INT;
		val.type = t;
		val.fmt = 'A';
		acid_var_set(a, v->str, val);
	}
}

/* Runs statement n (a->returning stops blocks and loops early). */
void acid_exec(struct acid *a, struct acid_node *n)
{
	struct acid_value v;

	if (!n)
		return;
	a->cur = n;
	if (a->step_limit && ++a->steps > a->step_limit)
		acid_error(a, "step limit of %ld statements reached", a->step_limit);
	switch (n->op) {
	case N_BLOCK:
		for (struct acid_node *s = n->l; s && !a->returning; s = s->next)
			acid_exec(a, s);
		break;
	case N_EXPR:
		acid_eval(a, n->l);
		break;
	case N_IF:
		if (acid_truth(acid_eval(a, n->l)))
			acid_exec(a, n->r);
		else
			acid_exec(a, n->x);
		break;
	case N_WHILE:
		while (!a->returning && acid_truth(acid_eval(a, n->l)))
			acid_exec(a, n->x);
		break;
	case N_LOOP: {
		int64_t lo = acid_need_int(a, acid_eval(a, n->l), "loop start");
		int64_t hi = acid_need_int(a, acid_eval(a, n->r), "loop end");

		for (int64_t i = lo; i <= hi && !a->returning; i++)
			acid_exec(a, n->x);
		break;
	}
	case N_RETURN:
		v = n->l ? acid_eval(a, n->l) : acid_none();
		a->retval = v;
		a->returning = 1;
		break;
	case N_LOCAL:
		exec_local(a, n);
		break;
	case N_DEFN:
		acid_define(a, n);
		break;
	case N_UNDEFN:
		undefine(a, n->str);
		break;
	case N_AGGR:
		acid_type_define(a, aggr_type(a, n));
		break;
	case N_COMPLEX:
		exec_complex(a, n);
		break;
	case N_WHATIS:
		if (n->l)
			acid_error(a, "whatis: use whatis fn then lstk() for locals");
		acid_whatis(a, n->str);
		break;
	default:
		acid_eval(a, n);
		break;
	}
}

static int is_assignment(struct acid_node *n)
{
	return n->op == N_ASSIGN || n->op == N_OPASSIGN || n->op == N_PREINC ||
	       n->op == N_PREDEC || n->op == N_POSTINC || n->op == N_POSTDEC;
}

/* Top level: expression statements print their value, through an acid
 * function named after the value's C type when there is one. */
static void exec_top(struct acid *a, struct acid_node *n)
{
	struct acid_value v;
	struct acid_func *printer;

	if (n->op != N_EXPR || is_assignment(n->l)) {
		acid_exec(a, n);
		return;
	}
	a->cur = n;
	v = acid_eval(a, n->l);
	if (v.kind == AV_NONE)
		return;
	if (v.type && v.type->name && (printer = func_find(a->funcs, v.type->name))) {
		acid_call(a, printer, 1, &v);
		return;
	}
	acid_print_value(a, a->out, v);
	fputc('\n', a->out);
}

/* A syntax error at or just after a keyword that is also a program symbol
 * (`bpset(head)`) most likely meant the symbol: say how to spell it. */
static void keyword_hint(struct acid *a, struct acid_parser *p)
{
	const struct acid_host *h = acid_host(a);
	struct acid_value v;

	for (int i = p->fail_pos; i >= 0 && i >= p->fail_pos - 1; i--) {
		struct acid_token *t = &p->tk->t[i < p->tk->n ? i : p->tk->n - 1];
		size_t len = strlen(p->msg);

		if (t->kind < TK_DEFN || t->kind > TK_SIZEOF || !t->text ||
		    !h->lookup || !h->lookup(h->ctx, t->text, &v))
			continue;
		snprintf(p->msg + len, sizeof p->msg - len,
		         " (%s is an acid keyword: the program symbol is spelled $%s)", t->text, t->text);
		return;
	}
}

/* Runs tokenized source statement by statement (see file comment). */
int acid_run_tokens(struct acid *a, struct acid_tokens *tk, int print_top)
{
	struct acid_parser p = { .tk = tk };
	jmp_buf jb;
	jmp_buf *saved = a->recover;
	const struct acid_node *cur = a->cur;
	int mark = acid_nsave, depth = a->depth;
	volatile int errors = 0;

	p.fail = &jb;
	a->recover = &jb;
	switch (setjmp(jb)) {
	case 0:
		break;
	case 1:   /* syntax error: the parser stopped inside the statement */
		keyword_hint(a, &p);
		report(a, tk->file, p.line, p.msg);
		errors++;
		acid_parse_resync(&p);
		break;
	default:  /* runtime error: already reported, parser is past it */
		errors++;
		restore_bindings(mark);
		a->depth = depth;
		a->returning = 0;
		break;
	}
	for (;;) {
		struct acid_node *n = acid_parse_stmt(&p);

		if (!n)
			break;
		if (print_top)
			exec_top(a, n);
		else
			acid_exec(a, n);
		a->returning = 0;
	}
	a->recover = saved;
	a->cur = cur;
	return errors;
}

/* Runs acid source text. */
int acid_run_string(struct acid *a, const char *text, const char *file, int line)
{
	struct acid_tokens tk = acid_lex(text, acid_strdup(file), line);
	int errors;

	/* Trees and token texts live in the arena (function bodies keep
	 * pointing into them); only the token array itself goes. */
	errors = acid_run_tokens(a, &tk, 1);
	free(tk.t);
	return errors;
}

/* Runs the file at path; -1 if unreadable. */
int acid_run_file(struct acid *a, const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0, len = 0, n;
	int r;

	if (!f)
		return -1;
	do {
		if (len + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			buf = realloc(buf, cap);
			if (!buf)
				abort();
		}
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
	} while (n > 0);
	fclose(f);
	buf[len] = '\0';
	r = acid_run_string(a, buf, path, 1);
	free(buf);
	return r;
}

/* Calls acid function name if defined (see lang.h). */
int acid_call_hook(struct acid *a, const char *name, int argc,
                   struct acid_value *argv, struct acid_value *ret)
{
	struct acid_func *f = func_find(a->funcs, name);
	struct acid_value r;
	jmp_buf jb, *saved = a->recover;
	int mark = acid_nsave, depth = a->depth;

	if (!f)
		return 0;
	if (saved) {
		r = acid_call(a, f, argc, argv);
	} else {
		a->recover = &jb;
		if (setjmp(jb)) {
			restore_bindings(mark);
			a->depth = depth;
			a->returning = 0;
			a->recover = NULL;
			return 1;
		}
		r = acid_call(a, f, argc, argv);
		a->recover = NULL;
	}
	if (ret)
		*ret = r;
	return 1;
}
