/*
 * builtin.c: the language-level builtins (no program needed): printing and
 * formatting, conversions, strings and lists, include/interpret, files,
 * errors, and the whatis statement. Primitives that touch a program live
 * in debug/acid/prim_*.c and register themselves the same way.
 */
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

static void need_args(struct acid *a, const char *fn, int argc, int lo, int hi)
{
	if (argc < lo || argc > hi) {
		if (lo == hi)
			acid_error(a, "%s: expected %d argument%s, got %d", fn, lo, lo == 1 ? "" : "s", argc);
		acid_error(a, "%s: expected %d to %d arguments, got %d", fn, lo, hi, argc);
	}
}

static void bi_print(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	for (int i = 0; i < argc; i++)
		acid_print_value(a, acid_out(a), argv[i]);
	fputc('\n', acid_out(a));
	*ret = acid_none();
}

static void bi_printf(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	char *s;

	need_args(a, "printf", argc, 1, 32);
	s = acid_sprintf(a, acid_need_str(a, argv[0], "printf format"), argc - 1, argv + 1);
	fputs(s, acid_out(a));
	free(s);
	*ret = acid_none();
}

static void bi_sprintf(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	char *s;

	need_args(a, "sprintf", argc, 1, 32);
	s = acid_sprintf(a, acid_need_str(a, argv[0], "sprintf format"), argc - 1, argv + 1);
	*ret = acid_cstr(s);
	free(s);
}

static void bi_fmt(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	int64_t f;

	need_args(a, "fmt", argc, 2, 2);
	f = acid_need_int(a, argv[1], "fmt format");
	if (f < 0 || f > 127 || !acid_fmt_valid((char)f))
		acid_error(a, "fmt: bad format %lld", (long long)f);
	*ret = argv[0];
	ret->fmt = (char)f;
	if (ret->kind == AV_INT)
		ret->type = NULL;   /* the format now decides what `*` reads */
}

static void bi_fmtof(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	need_args(a, "fmtof", argc, 1, 1);
	*ret = acid_int(argv[0].fmt, 'C');
}

static void bi_fmtsize(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	need_args(a, "fmtsize", argc, 1, 1);
	*ret = acid_int(acid_fmt_size(argv[0].fmt), 'D');
}

static void bi_atoi(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	need_args(a, "atoi", argc, 1, 1);
	*ret = acid_int(strtoll(acid_need_str(a, argv[0], "atoi"), NULL, 0), 'D');
}

static void bi_atof(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	need_args(a, "atof", argc, 1, 1);
	*ret = acid_float(strtod(acid_need_str(a, argv[0], "atof"), NULL));
}

static void bi_itoa(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	struct acid_value d[1];
	char *s;

	need_args(a, "itoa", argc, 1, 2);
	d[0] = acid_int(acid_need_int(a, argv[0], "itoa"), 'D');
	s = acid_sprintf(a, argc == 2 ? acid_need_str(a, argv[1], "itoa format") : "%d", 1, d);
	*ret = acid_cstr(s);
	free(s);
}

static void bi_strlen(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	need_args(a, "strlen", argc, 1, 1);
	acid_need_str(a, argv[0], "strlen");
	*ret = acid_int((int64_t)argv[0].s->len, 'D');
}

/* substr(s, start, len): clipped to the string, never an error for range. */
static void bi_substr(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	int64_t start, len, n;

	need_args(a, "substr", argc, 3, 3);
	acid_need_str(a, argv[0], "substr");
	n = (int64_t)argv[0].s->len;
	start = acid_need_int(a, argv[1], "substr start");
	len = acid_need_int(a, argv[2], "substr length");
	if (start < 0)
		start = 0;
	if (start > n)
		start = n;
	if (len < 0 || start + len > n)
		len = n - start;
	*ret = acid_str(argv[0].s->s + start, (size_t)len);
}

/* basename(path): the part after the last '/'. */
static void bi_basename(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	const char *p, *slash;

	need_args(a, "basename", argc, 1, 1);
	p = acid_need_str(a, argv[0], "basename");
	slash = strrchr(p, '/');
	*ret = acid_cstr(slash ? slash + 1 : p);
}

static void bi_error(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	(void)ret;
	need_args(a, "error", argc, 1, 1);
	acid_error(a, "%s", acid_need_str(a, argv[0], "error"));
}

static void bi_interpret(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	need_args(a, "interpret", argc, 1, 1);
	acid_run_string(a, acid_need_str(a, argv[0], "interpret"), "<interpret>", 1);
	*ret = acid_none();
}

static void bi_include(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	const char *path;

	need_args(a, "include", argc, 1, 1);
	path = acid_need_str(a, argv[0], "include");
	if (acid_run_file(a, path) < 0)
		acid_error(a, "include: cannot read %s", path);
	*ret = acid_none();
}

static void bi_access(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	need_args(a, "access", argc, 1, 1);
	*ret = acid_int(access(acid_need_str(a, argv[0], "access"), R_OK) == 0, 'D');
}

static void bi_readfile(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	const char *path;
	char *buf = NULL;
	size_t len = 0;
	FILE *f, *mem;
	char chunk[4096];
	size_t n;

	need_args(a, "readfile", argc, 1, 1);
	path = acid_need_str(a, argv[0], "readfile");
	f = fopen(path, "r");
	if (!f)
		acid_error(a, "readfile: cannot open %s", path);
	mem = open_memstream(&buf, &len);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		fwrite(chunk, 1, n, mem);
	fclose(f);
	fclose(mem);
	*ret = acid_str(buf, len);
	free(buf);
}

static void bi_match(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	struct acid_value l;

	need_args(a, "match", argc, 2, 2);
	l = argv[1];
	if (l.kind != AV_LIST)
		acid_error(a, "match: second argument must be a list");
	*ret = acid_int(-1, 'D');
	for (int i = 0; i < l.l->n; i++) {
		struct acid_value e = l.l->v[i], x = argv[0];
		int same = e.kind == AV_STR && x.kind == AV_STR ? strcmp(e.s->s, x.s->s) == 0
		         : (e.kind == AV_INT && x.kind == AV_INT && e.i == x.i);

		if (same) {
			ret->i = i;
			return;
		}
	}
}

static void bi_regexp(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	regex_t re;
	char msg[128];
	int r;

	need_args(a, "regexp", argc, 2, 2);
	r = regcomp(&re, acid_need_str(a, argv[0], "regexp pattern"), REG_EXTENDED | REG_NOSUB);
	if (r != 0) {
		regerror(r, &re, msg, sizeof msg);
		acid_error(a, "regexp: %s", msg);
	}
	r = regexec(&re, acid_need_str(a, argv[1], "regexp string"), 0, NULL, 0);
	regfree(&re);
	*ret = acid_int(r == 0, 'D');
}

/* kind(v): "integer", "float", "string", "list", "aggregate", "register". */
static void bi_kind(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	need_args(a, "kind", argc, 1, 1);
	*ret = acid_cstr(acid_kind_name(argv[0].kind));
}

static void bi_var(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	const char *name;

	need_args(a, "var", argc, 1, 1);
	name = acid_need_str(a, argv[0], "var");
	if (!acid_var_get(a, name, ret))
		*ret = acid_none();
}

static const struct {
	const char *name;
	acid_builtin_fn *fn;
} acid_lang_builtins[] = {
	{ "print", bi_print }, { "printf", bi_printf }, { "sprintf", bi_sprintf },
	{ "fmt", bi_fmt }, { "fmtof", bi_fmtof }, { "fmtsize", bi_fmtsize },
	{ "atoi", bi_atoi }, { "atof", bi_atof }, { "itoa", bi_itoa },
	{ "strlen", bi_strlen }, { "substr", bi_substr }, { "error", bi_error },
	{ "interpret", bi_interpret }, { "include", bi_include }, { "access", bi_access },
	{ "readfile", bi_readfile }, { "match", bi_match }, { "regexp", bi_regexp },
	{ "kind", bi_kind }, { "var", bi_var }, { "basename", bi_basename },
};

/* Registers the language builtins of acid_lang_builtins in a. */
void acid_builtins_init(struct acid *a)
{
	for (size_t i = 0; i < sizeof acid_lang_builtins / sizeof acid_lang_builtins[0]; i++)
		acid_builtin_add(a, acid_lang_builtins[i].name, acid_lang_builtins[i].fn);
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

static void whatis_all(struct acid *a)
{
	char **names = NULL;
	int n = 0, cap = 0;

	for (int h = 0; h < ACID_HASH; h++) {
		for (struct acid_func *f = a->funcs[h]; f; f = f->next) {
			if (n == cap) {
				cap = cap ? cap * 2 : 64;
				names = realloc(names, cap * sizeof *names);
			}
			names[n++] = f->name;
		}
	}
	qsort(names, n, sizeof *names, cmp_str);
	for (int i = 0; i < n; i++)
		fprintf(acid_out(a), "%s\n", names[i]);
	free(names);
}

static void whatis_func(struct acid *a, struct acid_func *f)
{
	FILE *o = acid_out(a);

	if (f->builtin) {
		fprintf(o, "builtin function %s\n", f->name);
		return;
	}
	fprintf(o, "defn %s(", f->name);
	for (struct acid_node *p = f->params; p; p = p->next)
		fprintf(o, "%s%s", p->str, p->next ? ", " : "");
	fprintf(o, ") // %s:%d\n", f->body->file, f->body->line);
}

static void whatis_value(struct acid *a, const char *name, struct acid_value v, int program)
{
	FILE *o = acid_out(a);

	if (program && v.type) {
		fprintf(o, "%s // at 0x%llx\n", acid_type_decl(v.type, name), (unsigned long long)v.i);
		return;
	}
	if (program && v.kind == AV_REG) {
		fprintf(o, "register %s\n", name);
		return;
	}
	if (program) {
		const struct acid_host *h = acid_host(a);
		char what[1024];

		if (h->describe && h->describe(h->ctx, name, (uint64_t)v.i, what, sizeof what) == 0)
			fprintf(o, "%s%s at 0x%llx\n", what, strstr(what, "//") ? "" : " //", (unsigned long long)v.i);
		else
			fprintf(o, "program symbol %s at 0x%llx\n", name, (unsigned long long)v.i);
		return;
	}
	fprintf(o, "%s %s %s format %c", program ? "program" : "acid",
	        acid_kind_name(v.kind), "variable", v.fmt ? v.fmt : '?');
	if (v.type)
		fprintf(o, " complex %s", v.type->name ? v.type->name : "?");
	fputc('\n', o);
}

/* whatis [name]: what name is bound to (function, variable, type, symbol). */
void acid_whatis(struct acid *a, const char *name)
{
	const struct acid_host *h = acid_host(a);
	struct acid_func *f;
	struct acid_type *t;
	struct acid_value v;
	int found = 0;

	if (!name) {
		whatis_all(a);
		return;
	}
	if ((f = acid_func_lookup(a, name))) {
		whatis_func(a, f);
		found = 1;
	}
	if (acid_var_get(a, name, &v)) {
		whatis_value(a, name, v, 0);
		found = 1;
	}
	if (h->lookup && h->lookup(h->ctx, name, &v)) {
		whatis_value(a, name, v, 1);
		found = 1;
	}
	if ((t = acid_type_find(a, name))) {
		acid_type_print_def(a, acid_out(a), t);
		found = 1;
	}
	if (!found)
		acid_error(a, "%s is not known", name);
}
