/*
 * var.c: variables. A function's parameters and locals are read once per
 * function DIE into a scope (each local remembers the address ranges of its
 * innermost lexical block); globals are indexed by name across all CUs the
 * first time one is asked for. Out-of-line copies of inlined functions name
 * their variables through DW_AT_abstract_origin, which is followed here.
 */
#include <stdlib.h>
#include <string.h>

#include "sym_impl.h"

struct scoped {
	struct sym_var *var;
	uint64_t *ranges;	/* innermost lexical block; NULL = whole function */
	int nranges;
};

struct sym_scope {
	struct scoped *v;
	int n;
};

/* Name, type and declaration line, looking through abstract origins and specifications. */
static void describe(struct sym *s, struct sym_module *m, Dwarf_Die die, struct sym_var *v, int depth)
{
	Dwarf_Off off;
	Dwarf_Die other;
	uint64_t u;

	if (!v->name)
		v->name = dw_name(m, die);
	if (!v->type && dw_attr_ref(m, die, DW_AT_type, &off) == 0)
		v->type = type_from_die(s, m, off);
	if (!v->decl_line && dw_attr_u(m, die, DW_AT_decl_line, &u) == 0)
		v->decl_line = (int)u;
	if (depth > 4)
		return;
	if (dw_attr_ref(m, die, DW_AT_abstract_origin, &off) == 0 ||
	    dw_attr_ref(m, die, DW_AT_specification, &off) == 0) {
		Dwarf_Error e = NULL;
		if (dwarf_offdie_b(m->dbg, off, 1, &other, &e) == DW_DLV_OK) {
			describe(s, m, other, v, depth + 1);
			dw_dealloc_die(m, other);
		}
		dw_drop_err(m, e);
	}
}

static struct sym_var *make_var(struct sym *s, struct sym_module *m, Dwarf_Die die,
				enum sym_var_kind kind, Dwarf_Off func_off)
{
	struct sym_var *v = sym_alloc(s, sizeof *v);
	struct sym_var_priv *p = sym_alloc(s, sizeof *p);
	Dwarf_Error e = NULL;
	int64_t cv;

	v->kind = kind;
	v->priv = p;
	p->mod = m;
	p->func_off = func_off;
	if (dwarf_dieoffset(die, &p->die_off, &e) != DW_DLV_OK)
		dw_drop_err(m, e);
	if (!dw_has_attr(m, die, DW_AT_location) && dw_attr_s(m, die, DW_AT_const_value, &cv) == 0) {
		p->has_const = 1;
		p->const_value = (uint64_t)cv;
	}
	describe(s, m, die, v, 0);
	return v;
}

struct collect {
	struct sym *s;
	struct sym_module *m;
	Dwarf_Off func_off;
	struct scoped *params, *locals;
	int nparams, nlocals;
};

static void add(struct scoped **v, int *n, struct scoped sv)
{
	if (!(*v = realloc(*v, (*n + 1) * sizeof **v)))
		abort();
	(*v)[(*n)++] = sv;
}

/* Collects parameters and variables below die; ranges is the innermost block's. */
static void collect(struct collect *c, Dwarf_Die die, uint64_t *ranges, int nranges, int depth)
{
	struct sym_module *m = c->m;
	Dwarf_Error e = NULL;
	Dwarf_Die ch = NULL, next;

	if (depth > 32 || dwarf_child(die, &ch, &e) != DW_DLV_OK) {
		dw_drop_err(m, e);
		return;
	}
	while (ch) {
		Dwarf_Half tag = 0;
		dwarf_tag(ch, &tag, &e);
		dw_drop_err(m, e);
		e = NULL;
		if (tag == DW_TAG_formal_parameter && depth == 0) {
			add(&c->params, &c->nparams,
			    (struct scoped){ make_var(c->s, m, ch, SYM_VAR_PARAM, c->func_off), NULL, 0 });
		} else if (tag == DW_TAG_variable) {
			add(&c->locals, &c->nlocals,
			    (struct scoped){ make_var(c->s, m, ch, SYM_VAR_LOCAL, c->func_off), ranges, nranges });
		} else if (tag == DW_TAG_lexical_block) {
			uint64_t *r;
			int n;
			dw_die_ranges(m, ch, &r, &n);
			if (n) {	/* kept for the scope's lifetime */
				uint64_t *keep = sym_alloc(c->s, n * 2 * sizeof *keep);
				memcpy(keep, r, n * 2 * sizeof *keep);
				collect(c, ch, keep, n, depth + 1);
			} else {
				collect(c, ch, ranges, nranges, depth + 1);
			}
			free(r);
		}
		next = dw_sibling(m, ch);
		dw_dealloc_die(m, ch);
		ch = next;
	}
}

/* The variables of the DIE at scope_off (a function, or an inlined copy
 * in function func_off), collected once. */
static struct sym_scope *scope_of(struct sym *s, struct sym_module *m, Dwarf_Off scope_off, Dwarf_Off func_off)
{
	struct sym_scope *sc = map_get(&m->scopes, scope_off);
	struct collect c = { s, m, func_off, NULL, NULL, 0, 0 };
	Dwarf_Die fn;

	if (sc)
		return sc;
	if (dw_die(s, m, scope_off, &fn) < 0)
		return NULL;
	collect(&c, fn, NULL, 0, 0);
	dw_dealloc_die(m, fn);
	sc = sym_alloc(s, sizeof *sc);
	sc->n = c.nparams + c.nlocals;
	sc->v = sym_alloc(s, (sc->n + 1) * sizeof *sc->v);
	if (c.nparams)
		memcpy(sc->v, c.params, c.nparams * sizeof *sc->v);
	if (c.nlocals)
		memcpy(sc->v + c.nparams, c.locals, c.nlocals * sizeof *sc->v);
	free(c.params);
	free(c.locals);
	map_put(&m->scopes, scope_off, sc);
	return sc;
}

/* The variables of sc in scope at link-time a. */
static int vars_in(struct sym_scope *sc, uint64_t a, struct sym_var **vars, int max)
{
	int n = 0;

	for (int i = 0; i < sc->n; i++) {
		int in = sc->v[i].nranges == 0;
		for (int j = 0; j < sc->v[i].nranges && !in; j++)
			in = a >= sc->v[i].ranges[2 * j] && a < sc->v[i].ranges[2 * j + 1];
		if (!in || !sc->v[i].var->name)
			continue;
		if (n < max)
			vars[n] = sc->v[i].var;
		n++;
	}
	return n;
}

int sym_vars_at(struct sym *s, uint64_t pc, struct sym_var **vars, int max)
{
	struct sym_module *m = sym_module_at(s, pc);
	Dwarf_Off off;
	struct sym_scope *sc;

	if (dw_func_die_at(s, m, pc - m->bias, &off) < 0 || !(sc = scope_of(s, m, off, off)))
		return -1;
	return vars_in(sc, pc - m->bias, vars, max);
}

int sym_inline_vars(struct sym *s, uint64_t pc, const struct sym_inline *in,
		    struct sym_var **vars, int max)
{
	struct sym_module *m = sym_module_at(s, pc);
	struct sym_scope *sc = scope_of(s, m, in->scope, in->func);

	return sc ? vars_in(sc, pc - m->bias, vars, max) : -1;
}

static int cmp_var(const void *a, const void *b)
{
	return strcmp((*(struct sym_var *const *)a)->name, (*(struct sym_var *const *)b)->name);
}

static void index_globals(struct sym *s, struct sym_module *m)
{
	m->globals_loaded = 1;
	if (dw_load_cus(s, m) < 0)
		return;
	for (int c = 0; c < m->ncus; c++) {
		Dwarf_Die cu, ch = NULL, next;
		Dwarf_Error e = NULL;
		if (dw_die(s, m, m->cus[c].die_off, &cu) < 0)
			continue;
		if (dwarf_child(cu, &ch, &e) != DW_DLV_OK) {
			dw_drop_err(m, e);
			e = NULL;
			ch = NULL;
		}
		while (ch) {
			Dwarf_Half tag = 0;
			dwarf_tag(ch, &tag, &e);
			dw_drop_err(m, e);
			e = NULL;
			if (tag == DW_TAG_variable && !dw_has_attr(m, ch, DW_AT_declaration) &&
			    (dw_has_attr(m, ch, DW_AT_location) || dw_has_attr(m, ch, DW_AT_const_value))) {
				struct sym_var *v = make_var(s, m, ch, SYM_VAR_GLOBAL, 0);
				if (v->name) {
					if (!(m->globals = realloc(m->globals, (m->nglobals + 1) * sizeof *m->globals)))
						abort();
					m->globals[m->nglobals++] = v;
				}
			}
			next = dw_sibling(m, ch);
			dw_dealloc_die(m, ch);
			ch = next;
		}
		dw_dealloc_die(m, cu);
	}
	qsort(m->globals, m->nglobals, sizeof *m->globals, cmp_var);
}

static int module_has_data(struct sym_module *m, const char *name)
{
	int lo = 0, hi = m->nby_name - 1;

	while (lo <= hi) {	/* by_name is sorted by strcmp */
		int mid = (lo + hi) / 2, c = strcmp(m->by_name[mid].name, name);
		if (c == 0) {
			for (int i = mid; i >= 0 && strcmp(m->by_name[i].name, name) == 0; i--)
				if (m->by_name[i].kind == SYM_DATA)
					return 1;
			for (int i = mid + 1; i < m->nby_name && strcmp(m->by_name[i].name, name) == 0; i++)
				if (m->by_name[i].kind == SYM_DATA)
					return 1;
			return 0;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return 0;
}

struct sym_var *sym_var_lookup(struct sym *s, const char *name)
{
	struct sym_var key = { .name = name }, *kp = &key;

	for (int i = 0; i < s->nmods; i++) {
		struct sym_module *m = s->mods[i];
		/* a library's globals (all of libc's, typed) are indexed only
		 * when its symbol table has a data symbol of that name */
		if (i > 0 && !module_has_data(m, name))
			continue;
		if (!m->globals_loaded)
			index_globals(s, m);
		struct sym_var **hit = bsearch(&kp, m->globals, m->nglobals, sizeof kp, cmp_var);
		if (hit)
			return *hit;
	}
	sym_seterr(s, "%s: no such variable", name);
	return NULL;
}

void var_free(struct sym_module *m)
{
	map_free(&m->scopes);	/* scopes themselves came from sym_alloc */
	free(m->globals);
	m->globals = NULL;
}
