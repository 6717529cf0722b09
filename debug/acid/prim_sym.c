/*
 * prim_sym.c: symbol, line and instruction builtins.
 *
 *   fnbound(addr)     {start, end} of the function holding addr, {} if none
 *   funcbody(addr)    first address after the prologue of the function at addr
 *   inlined(addr)     where each inlined copy starts of the function addr starts
 *   inlinedat(addr)   the inlined copies addr is in, innermost first, as
 *                     {name, entry, callfile, callline}
 *   filepc(where)     address of "file:line" (or filepc(file, line))
 *   pcfile(addr)      source file of addr, "" if unknown
 *   pcline(addr)      source line of addr, 0 if unknown
 *   pcstmt(addr)      1 if a statement starts at addr (where step stops), -1 if
 *                     a line-table row that is not a statement starts there, 0 if
 *                     addr is inside a row (or has no line)
 *   pcrange(addr)     {start, end} of the code of addr's line around it, {} if none
 *   follow(addr)      the addresses that may run after the instruction at addr
 *   insnlen(addr)     length of the instruction at addr
 *   iscall(addr)      return address if the instruction is a call, else 0
 *   map()             the loaded modules as {{path, bias}...}; map(path, bias) adds one
 *   srcline(file, n)  line n of a source file, "" if there is none
 *   symbols(regexp)   {{name, addr}...} of the program's symbols that match
 */
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "session.h"

static void nargs(struct acid *a, const char *fn, int argc, int want)
{
	if (argc != want)
		acid_error(a, "%s: expected %d argument%s, got %d", fn, want, want == 1 ? "" : "s", argc);
}

static void bi_fnbound(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	struct sym_symbol sy;

	nargs(a, "fnbound", argc, 1);
	if (sym_func_at(acid_need_sym(a), (uint64_t)acid_need_int(a, argv[0], "fnbound"), &sy) < 0) {
		*ret = acid_list(0);
		return;
	}
	*ret = acid_list(2);
	ret->l->v[0] = acid_int((int64_t)sy.addr, 'a');
	ret->l->v[1] = acid_int((int64_t)(sy.addr + sy.size), 'a');
}

static void bi_funcbody(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	nargs(a, "funcbody", argc, 1);
	*ret = acid_int((int64_t)sym_func_body(acid_need_sym(a),
	                (uint64_t)acid_need_int(a, argv[0], "funcbody")), 'a');
}

#define ACID_MAX_SITES 1024

/* The function that starts at addr: an ELF symbol, or an inlined copy. */
static const char *func_named_at(struct sym *s, uint64_t addr)
{
	struct sym_symbol sy;

	if (sym_func_at(s, addr, &sy) == 0 && sy.addr == addr)
		return sy.name;
	return sym_inline_site_name(s, addr);
}

static void bi_inlined(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	static uint64_t pcs[ACID_MAX_SITES];
	struct sym *s = acid_need_sym(a);
	const char *name;
	int n = 0;

	nargs(a, "inlined", argc, 1);
	name = func_named_at(s, (uint64_t)acid_need_int(a, argv[0], "inlined"));
	if (name)
		n = sym_inline_sites(s, name, pcs, ACID_MAX_SITES);
	if (n > ACID_MAX_SITES)
		n = ACID_MAX_SITES;
	*ret = acid_list(n);
	for (int i = 0; i < n; i++)
		ret->l->v[i] = acid_int((int64_t)pcs[i], 'a');
}

static void bi_inlinedat(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	struct sym_inline chain[16];
	int n;

	nargs(a, "inlinedat", argc, 1);
	n = sym_inline_at(acid_need_sym(a), (uint64_t)acid_need_int(a, argv[0], "inlinedat"), chain, 16);
	if (n > 16)
		n = 16;
	*ret = acid_list(n);
	for (int i = 0; i < n; i++) {
		struct acid_value c = acid_list(4);

		c.l->v[0] = acid_cstr(chain[i].name ? chain[i].name : "?");
		c.l->v[1] = acid_int((int64_t)chain[i].entry, 'a');
		c.l->v[2] = acid_cstr(chain[i].call_file ? chain[i].call_file : "");
		c.l->v[3] = acid_int(chain[i].call_line, 'D');
		ret->l->v[i] = c;
	}
}

static void bi_filepc(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	char file[1024];
	const char *colon;
	int64_t line;
	uint64_t pc;
	int n;

	if (argc == 2) {
		snprintf(file, sizeof file, "%s", acid_need_str(a, argv[0], "filepc file"));
		line = acid_need_int(a, argv[1], "filepc line");
	} else {
		const char *where;

		nargs(a, "filepc", argc, 1);
		where = acid_need_str(a, argv[0], "filepc");
		colon = strrchr(where, ':');
		if (!colon || colon == where)
			acid_error(a, "filepc: expected \"file:line\", got \"%s\"", where);
		snprintf(file, sizeof file, "%.*s", (int)(colon - where), where);
		line = strtol(colon + 1, NULL, 10);
	}
	n = sym_line_pcs(acid_need_sym(a), file, (int)line, &pc, 1);
	if (n <= 0)
		acid_error(a, "filepc: no code at %s:%lld", file, (long long)line);
	*ret = acid_int((int64_t)pc, 'a');
}

static void bi_pcfile(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	struct sym_line ln;

	nargs(a, "pcfile", argc, 1);
	if (sym_pc_line(acid_need_sym(a), (uint64_t)acid_need_int(a, argv[0], "pcfile"), &ln) < 0)
		*ret = acid_cstr("");
	else
		*ret = acid_cstr(ln.file ? ln.file : "");
}

static void bi_pcline(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	struct sym_line ln;

	nargs(a, "pcline", argc, 1);
	if (sym_pc_line(acid_need_sym(a), (uint64_t)acid_need_int(a, argv[0], "pcline"), &ln) < 0)
		*ret = acid_int(0, 'D');
	else
		*ret = acid_int(ln.line, 'D');
}

static void bi_pcstmt(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	struct sym_line ln;

	nargs(a, "pcstmt", argc, 1);
	if (sym_pc_line(acid_need_sym(a), (uint64_t)acid_need_int(a, argv[0], "pcstmt"), &ln) < 0)
		*ret = acid_int(0, 'D');
	else
		*ret = acid_int(ln.at_stmt ? 1 : ln.at_row ? -1 : 0, 'D');
}

static void bi_pcrange(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	struct sym_line ln;

	nargs(a, "pcrange", argc, 1);
	if (sym_pc_line(acid_need_sym(a), (uint64_t)acid_need_int(a, argv[0], "pcrange"), &ln) < 0) {
		*ret = acid_list(0);
		return;
	}
	*ret = acid_list(2);
	ret->l->v[0] = acid_int((int64_t)ln.addr, 'a');
	ret->l->v[1] = acid_int((int64_t)ln.end, 'a');
}

static void bi_follow(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	struct target *t = acid_need_target(a);
	struct acid_regs regs;
	uint64_t next[4];
	int n;

	nargs(a, "follow", argc, 1);
	if (target_get_regs(t, &regs) < 0)
		acid_error(a, "follow: %s", target_error(t));
	n = sym_follow((uint64_t)acid_need_int(a, argv[0], "follow"), &regs, acid_sess_mem,
	               acid_sess, next, 4);
	if (n < 0)
		acid_error(a, "follow: cannot decode the instruction");
	*ret = acid_list(n > 4 ? 4 : n);
	for (int i = 0; i < ret->l->n; i++)
		ret->l->v[i] = acid_int((int64_t)next[i], 'a');
}

static void bi_insnlen(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	int n;

	nargs(a, "insnlen", argc, 1);
	n = sym_insn_len((uint64_t)acid_need_int(a, argv[0], "insnlen"), acid_sess_mem, acid_sess);
	if (n < 0)
		acid_error(a, "insnlen: cannot decode the instruction");
	*ret = acid_int(n, 'D');
}

static void bi_iscall(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	uint64_t after = 0;
	int r;

	nargs(a, "iscall", argc, 1);
	r = sym_insn_is_call((uint64_t)acid_need_int(a, argv[0], "iscall"), acid_sess_mem,
	                     acid_sess, &after);
	if (r < 0)
		acid_error(a, "iscall: cannot decode the instruction");
	*ret = acid_int(r ? (int64_t)after : 0, 'a');
}

static void bi_map(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	struct sym *s = acid_need_sym(a);
	int n;

	if (argc == 2) {
		const char *path = acid_need_str(a, argv[0], "map path");

		if (sym_add_module(s, path, (uint64_t)acid_need_int(a, argv[1], "map bias")) < 0)
			acid_error(a, "map: %s: %s", path, sym_error(s));
	} else if (argc != 0) {
		acid_error(a, "map: expected no arguments, or a path and a bias");
	}
	n = sym_nmodules(s);
	*ret = acid_list(n);
	for (int i = 0; i < n; i++) {
		uint64_t bias = 0;
		const char *path = sym_module_path(s, i, &bias);
		struct acid_value m = acid_list(2);

		m.l->v[0] = acid_cstr(path ? path : "");
		m.l->v[1] = acid_int((int64_t)bias, 'A');
		ret->l->v[i] = m;
	}
}

struct acid_srcfile {
	char *path;
	char **lines;
	int nlines;
	struct acid_srcfile *next;
};

static struct acid_srcfile *src_load(const char *path)
{
	struct acid_srcfile *f;
	FILE *fp;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int capl = 0;

	for (f = acid_sess->src; f; f = f->next)
		if (strcmp(f->path, path) == 0)
			return f;
	f = acid_alloc(sizeof *f);
	f->path = acid_strdup(path);
	f->next = acid_sess->src;
	acid_sess->src = f;
	fp = fopen(path, "r");
	if (!fp)
		return f;
	while ((n = getline(&line, &cap, fp)) >= 0) {
		if (n > 0 && line[n - 1] == '\n')
			line[n - 1] = '\0';
		if (f->nlines == capl) {
			capl = capl ? capl * 2 : 256;
			f->lines = realloc(f->lines, capl * sizeof *f->lines);
		}
		f->lines[f->nlines++] = acid_strdup(line);
	}
	free(line);
	fclose(fp);
	return f;
}

static void bi_srcline(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	struct acid_srcfile *f;
	int64_t n;

	nargs(a, "srcline", argc, 2);
	f = src_load(acid_need_str(a, argv[0], "srcline file"));
	n = acid_need_int(a, argv[1], "srcline line");
	*ret = acid_cstr(n >= 1 && n <= f->nlines ? f->lines[n - 1] : "");
}

struct sym_match {
	regex_t re;
	struct acid_value list;
};

static int symbols_one(void *ctx, const struct sym_symbol *sy)
{
	struct sym_match *m = ctx;
	struct acid_value p;

	if (regexec(&m->re, sy->name, 0, NULL, 0) != 0)
		return 0;
	p = acid_list(2);
	p.l->v[0] = acid_cstr(sy->name);
	p.l->v[1] = acid_int((int64_t)sy->addr, 'A');
	m->list = acid_list_append(m->list, p);
	return m->list.l->n >= 10000;
}

static void bi_symbols(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	struct sym_match m;

	nargs(a, "symbols", argc, 1);
	if (regcomp(&m.re, acid_need_str(a, argv[0], "symbols pattern"), REG_EXTENDED | REG_NOSUB))
		acid_error(a, "symbols: bad regular expression");
	m.list = acid_list(0);
	sym_symbols(acid_need_sym(a), symbols_one, &m);
	regfree(&m.re);
	*ret = m.list;
}

static const struct {
	const char *name;
	acid_builtin_fn *fn;
} acid_sym_builtins[] = {
	{ "fnbound", bi_fnbound }, { "funcbody", bi_funcbody }, { "inlined", bi_inlined }, { "inlinedat", bi_inlinedat },
	{ "filepc", bi_filepc },
	{ "pcfile", bi_pcfile }, { "pcline", bi_pcline }, { "pcstmt", bi_pcstmt }, { "pcrange", bi_pcrange },
	{ "follow", bi_follow },
	{ "insnlen", bi_insnlen }, { "iscall", bi_iscall }, { "map", bi_map },
	{ "srcline", bi_srcline }, { "symbols", bi_symbols },
};

/* Registers the symbol builtins listed at the top of this file. */
void acid_prim_sym_init(struct acid *a)
{
	for (size_t i = 0; i < sizeof acid_sym_builtins / sizeof acid_sym_builtins[0]; i++)
		acid_builtin_add(a, acid_sym_builtins[i].name, acid_sym_builtins[i].fn);
}
