/*
 * compile.c: the syntax tree to bytecode, with the semantic checks on the
 * way (one pass in source order): names resolve to built-ins, variables or
 * aggregations; every expression gets a type (int, string, stack) and
 * operators, assignments, subroutines and format strings must agree with
 * it; probe descriptions must match probes. A variable takes the type of
 * its first assignment (or declaration) and keeps it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"

struct comp {
	struct tr_cc *cc;
	struct tr_prog *p;
	struct tr_clause *cl;
	int nargs_max;		/* of the probes the clause matches */
	int stmt_depth;		/* > 0 inside an action's argument */
};

#define FAIL(n, ...) cc_error(c->cc, (n)->line, (n)->col, __VA_ARGS__)

static int compile_expr(struct comp *c, struct tr_node *n);

static uint32_t emit(struct comp *c, int op, int a, int b, int32_t imm)
{
	struct tr_clause *cl = c->cl;

	if (cl->len >= TR_MAX_INSNS)
		cc_error(c->cc, cl->line, cl->col, "clause too long (more than %d instructions)",
			 TR_MAX_INSNS);
	TR_GROW(cl->code, cl->len);
	cl->code[cl->len] = (struct tr_insn){ (uint8_t)op, (uint8_t)a, (uint16_t)b, imm };
	return cl->len++;
}

/* Points the jump at index j to the next instruction emitted. */
static void patch(struct comp *c, uint32_t j)
{
	c->cl->code[j].imm = (int32_t)(c->cl->len - j - 1);
}

static uint32_t add_string(struct comp *c, const char *s)
{
	struct tr_prog *p = c->p;

	for (uint32_t i = 0; i < p->nstrs; i++)
		if (!strcmp(p->strs[i], s))
			return i;
	TR_GROW(p->strs, p->nstrs);
	p->strs[p->nstrs] = tr_strdup(s);
	return p->nstrs++;
}

static void push_int(struct comp *c, int64_t v)
{
	struct tr_prog *p = c->p;

	if (v >= INT32_MIN && v <= INT32_MAX) {
		emit(c, TR_OP_PUSHI, 0, 0, (int32_t)v);
		return;
	}
	TR_GROW(p->consts, p->nconsts);
	p->consts[p->nconsts] = v;
	emit(c, TR_OP_PUSHK, 0, 0, (int32_t)p->nconsts++);
}

/* The index of name in names[n], or -1. */
static int index_of(const char *const *names, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return i;
	return -1;
}

static int builtin_id(const char *name)
{
	static const char *const names[] = {
#define B_NAME(id, name, type) name,
		TR_BUILTINS(B_NAME)
#undef B_NAME
	};

	return index_of(names, TR_B_COUNT, name);
}

static const uint8_t builtin_types[] = {
#define B_TYPE(id, name, type) type,
	TR_BUILTINS(B_TYPE)
#undef B_TYPE
};

static int find_var(struct comp *c, const char *name, int scope)
{
	for (uint32_t i = 0; i < c->p->nvars; i++)
		if (c->p->vars[i].scope == scope && !strcmp(c->p->vars[i].name, name))
			return (int)i;
	return -1;
}

static int new_var(struct comp *c, const char *name, int scope, int type)
{
	struct tr_prog *p = c->p;

	if (p->nvars >= 65535)
		cc_error(c->cc, c->cl ? c->cl->line : 1, 1, "too many variables");
	TR_GROW(p->vars, p->nvars);
	memset(&p->vars[p->nvars], 0, sizeof p->vars[0]);
	p->vars[p->nvars].name = tr_strdup(name);
	p->vars[p->nvars].scope = (uint8_t)scope;
	p->vars[p->nvars].type = (uint8_t)type;
	return (int)p->nvars++;
}

static const char *scope_prefix(int scope)
{
	return scope == TR_THREAD ? "self->" : scope == TR_CLAUSE ? "this->" : "";
}

static int scope_of(const struct tr_node *n)
{
	return n->kind == N_SELF ? TR_THREAD : n->kind == N_THIS ? TR_CLAUSE : TR_GLOBAL;
}

/* Loads a scalar variable (N_IDENT that is not a built-in, N_SELF, N_THIS). */
static int load_var(struct comp *c, struct tr_node *n)
{
	int scope = scope_of(n);
	int v = find_var(c, n->name, scope);

	if (v < 0)
		FAIL(n, "%s%s is used before it is assigned or declared", scope_prefix(scope), n->name);
	if (c->p->vars[v].nkeys)
		FAIL(n, "%s is an associative array: index it with [...]", n->name);
	emit(c, TR_OP_LDV, 0, v, 0);
	return c->p->vars[v].type;
}

static int compile_args_index(struct comp *c, struct tr_node *n)
{
	struct tr_node *k;

	if (n->nlist != 1)
		FAIL(n, "args[] takes one index");
	k = n->list[0];
	if (k->kind == N_INT && (k->ival < 0 || k->ival >= c->nargs_max))
		FAIL(k, "args[%lld]: the probes of this clause have %d argument%s", (long long)k->ival,
		     c->nargs_max, c->nargs_max == 1 ? "" : "s");
	if (compile_expr(c, k) != TR_T_INT)
		FAIL(k, "args[] index must be an integer");
	emit(c, TR_OP_LDARG, 0, 0, 0);
	return TR_T_INT;
}

/* Compiles the keys of n->list; fills types; returns how many. */
static int compile_keys(struct comp *c, struct tr_node *n, uint8_t *types, int allow_stack)
{
	if (n->nlist > TR_MAX_KEYS)
		FAIL(n, "more than %d keys", TR_MAX_KEYS);
	for (int i = 0; i < n->nlist; i++) {
		int t;

		if (n->list[i]->kind == N_AGGREF)
			FAIL(n->list[i], "an aggregation cannot be a key");
		t = compile_expr(c, n->list[i]);
		if (t == TR_T_STACK && !allow_stack)
			FAIL(n->list[i], "a stack can only be a key of an aggregation");
		types[i] = (uint8_t)t;
	}
	return n->nlist;
}

static void check_keys(struct comp *c, struct tr_node *at, const char *what, const uint8_t *want,
		       int nwant, const uint8_t *got, int ngot)
{
	if (nwant != ngot)
		FAIL(at, "%s has %d key%s, here %d", what, nwant, nwant == 1 ? "" : "s", ngot);
	for (int i = 0; i < ngot; i++)
		if (want[i] != got[i])
			FAIL(at, "%s: key %d is %s, here %s", what, i + 1, tr_type_name(want[i]),
			     tr_type_name(got[i]));
}

static int compile_index(struct comp *c, struct tr_node *n)
{
	uint8_t types[TR_MAX_KEYS];
	int v, nk;

	if (!strcmp(n->a->name, "args"))
		return compile_args_index(c, n);
	if (builtin_id(n->a->name) >= 0)
		FAIL(n, "%s is a built-in variable, not an array", n->a->name);
	v = find_var(c, n->a->name, TR_GLOBAL);
	if (v < 0)
		FAIL(n, "%s is used before it is assigned", n->a->name);
	if (!c->p->vars[v].nkeys)
		FAIL(n, "%s is not an associative array", n->a->name);
	nk = compile_keys(c, n, types, 0);
	check_keys(c, n, n->a->name, c->p->vars[v].keys, c->p->vars[v].nkeys, types, nk);
	emit(c, TR_OP_LDA, nk, v, 0);
	return c->p->vars[v].type;
}

static const struct subr {
	const char *name;
	int ret, min, max;
	int args[3];
} subrs[] = {
#define S_ROW(id, name, ret, min, max, t0, t1, t2) { name, ret, min, max, { t0, t1, t2 } },
	TR_SUBRS(S_ROW)
#undef S_ROW
};

static int is_action(const char *name)
{
	static const char *const actions[] = { "trace", "printf", "printa", "exit", "clear",
					       "trunc" };

	for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++)
		if (!strcmp(actions[i], name))
			return 1;
	return 0;
}

static int agg_func(const char *name)
{
	static const char *const names[] = {
#define A_NAME(id, name, nargs) name,
		TR_AGGFUNCS(A_NAME)
#undef A_NAME
	};

	return index_of(names, TR_A_NFUNCS, name);
}

static int compile_stack(struct comp *c, struct tr_node *n, int user)
{
	int64_t frames = TR_MAX_FRAMES;

	if (n->nlist > 1)
		FAIL(n, "%s() takes at most one argument (the number of frames)", n->name);
	if (n->nlist == 1) {
		if (n->list[0]->kind != N_INT)
			FAIL(n->list[0], "the number of frames must be a constant");
		frames = n->list[0]->ival;
		if (frames < 1 || frames > TR_MAX_FRAMES)
			FAIL(n->list[0], "%s(): 1 to %d frames", n->name, TR_MAX_FRAMES);
	}
	emit(c, TR_OP_STACK, user, 0, (int32_t)frames);
	return TR_T_STACK;
}

static int compile_call(struct comp *c, struct tr_node *n)
{
	if (!strcmp(n->name, "stack") || !strcmp(n->name, "ustack"))
		return compile_stack(c, n, n->name[0] == 'u');
	for (int s = 0; s < TR_S_COUNT; s++) {
		if (strcmp(subrs[s].name, n->name))
			continue;
		if (n->nlist < subrs[s].min || n->nlist > subrs[s].max) {
			if (subrs[s].min == subrs[s].max)
				FAIL(n, "%s() takes %d argument%s, not %d", n->name, subrs[s].min,
				     subrs[s].min == 1 ? "" : "s", n->nlist);
			FAIL(n, "%s() takes %d to %d arguments, not %d", n->name, subrs[s].min,
			     subrs[s].max, n->nlist);
		}
		for (int i = 0; i < n->nlist; i++) {
			int t;

			if (n->list[i]->kind == N_AGGREF)
				FAIL(n->list[i], "%s(): an aggregation is not a value", n->name);
			t = compile_expr(c, n->list[i]);
			if (t != subrs[s].args[i])
				FAIL(n->list[i], "%s(): argument %d must be %s, not %s", n->name, i + 1,
				     tr_type_name(subrs[s].args[i]), tr_type_name(t));
		}
		emit(c, TR_OP_CALL, n->nlist, s, 0);
		return subrs[s].ret;
	}
	if (agg_func(n->name) >= 0)
		FAIL(n, "%s() can only be assigned to an aggregation (@name = %s(...))", n->name,
		     n->name);
	if (is_action(n->name))
		FAIL(n, "%s() is an action: it has no value", n->name);
	FAIL(n, "unknown function %s()", n->name);
}

static int compare_op(const char *op, int unsigned_)
{
	static const struct { const char *op; int s, u; } ops[] = {
		{ "==", TR_OP_EQ, TR_OP_EQ }, { "!=", TR_OP_NE, TR_OP_NE },
		{ "<", TR_OP_LT, TR_OP_ULT }, { "<=", TR_OP_LE, TR_OP_ULE },
		{ ">", TR_OP_GT, TR_OP_UGT }, { ">=", TR_OP_GE, TR_OP_UGE },
	};

	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
		if (!strcmp(ops[i].op, op))
			return unsigned_ ? ops[i].u : ops[i].s;
	return -1;
}

static int arith_op(const char *op)
{
	static const struct { const char *op; int code; } ops[] = {
		{ "+", TR_OP_ADD }, { "-", TR_OP_SUB }, { "*", TR_OP_MUL }, { "/", TR_OP_DIV },
		{ "%", TR_OP_MOD }, { "&", TR_OP_AND }, { "|", TR_OP_OR }, { "^", TR_OP_XOR },
		{ "<<", TR_OP_SHL }, { ">>", TR_OP_SHR },
	};

	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
		if (!strcmp(ops[i].op, op))
			return ops[i].code;
	return -1;
}

/* a && b, a || b: short-circuit, the result is 0 or 1. */
static int compile_logical(struct comp *c, struct tr_node *n)
{
	int and = !strcmp(n->op, "&&");
	uint32_t j1, j2, end;

	if (compile_expr(c, n->a) != TR_T_INT)
		FAIL(n->a, "operand of %s must be an integer", n->op);
	j1 = emit(c, and ? TR_OP_JZ : TR_OP_JNZ, 0, 0, 0);
	if (compile_expr(c, n->b) != TR_T_INT)
		FAIL(n->b, "operand of %s must be an integer", n->op);
	j2 = emit(c, and ? TR_OP_JZ : TR_OP_JNZ, 0, 0, 0);
	emit(c, TR_OP_PUSHI, 0, 0, and);
	end = emit(c, TR_OP_JMP, 0, 0, 0);
	patch(c, j1);
	patch(c, j2);
	emit(c, TR_OP_PUSHI, 0, 0, !and);
	patch(c, end);
	return TR_T_INT;
}

static int compile_binary(struct comp *c, struct tr_node *n)
{
	int ta, tb, op;

	if (!strcmp(n->op, "&&") || !strcmp(n->op, "||"))
		return compile_logical(c, n);
	ta = compile_expr(c, n->a);
	if (!strcmp(n->op, "^^")) {
		emit(c, TR_OP_LNOT, 0, 0, 0);
		tb = compile_expr(c, n->b);
		emit(c, TR_OP_LNOT, 0, 0, 0);
		if (ta != TR_T_INT || tb != TR_T_INT)
			FAIL(n, "operands of ^^ must be integers");
		emit(c, TR_OP_XOR, 0, 0, 0);
		return TR_T_INT;
	}
	tb = compile_expr(c, n->b);
	if (ta == TR_T_STACK || tb == TR_T_STACK)
		FAIL(n, "a stack is not a value for '%s'", n->op);
	op = compare_op(n->op, 0);
	if (op >= 0) {
		if (ta != tb)
			FAIL(n, "cannot compare %s with %s", tr_type_name(ta), tr_type_name(tb));
		if (ta == TR_T_STR) {
			emit(c, TR_OP_SCMP, 0, 0, 0);
			emit(c, TR_OP_PUSHI, 0, 0, 0);
		}
		emit(c, op, 0, 0, 0);
		return TR_T_INT;
	}
	if (ta != TR_T_INT || tb != TR_T_INT)
		FAIL(n, "operands of '%s' must be integers, not %s and %s", n->op, tr_type_name(ta),
		     tr_type_name(tb));
	emit(c, arith_op(n->op), 0, 0, 0);
	return TR_T_INT;
}

static int compile_ternary(struct comp *c, struct tr_node *n)
{
	uint32_t jelse, jend;
	int tb, tc;

	if (compile_expr(c, n->a) != TR_T_INT)
		FAIL(n->a, "the condition of ?: must be an integer");
	jelse = emit(c, TR_OP_JZ, 0, 0, 0);
	tb = compile_expr(c, n->b);
	jend = emit(c, TR_OP_JMP, 0, 0, 0);
	patch(c, jelse);
	tc = compile_expr(c, n->c);
	patch(c, jend);
	if (tb != tc)
		FAIL(n, "the branches of ?: are %s and %s", tr_type_name(tb), tr_type_name(tc));
	if (tb == TR_T_STACK)
		FAIL(n, "a stack cannot be chosen with ?:");
	return tb;
}

/* The variable an lvalue names, created with type t if it is new. */
static int lvalue_var(struct comp *c, struct tr_node *lv, int t, const uint8_t *keys, int nkeys)
{
	struct tr_node *named = lv->kind == N_INDEX ? lv->a : lv;
	int scope = scope_of(named);
	int v;

	if (scope == TR_GLOBAL && (builtin_id(named->name) >= 0 || !strcmp(named->name, "args")))
		FAIL(lv, "%s is a built-in variable: it cannot be assigned", named->name);
	v = find_var(c, named->name, scope);
	if (v < 0) {
		if (t == TR_T_NONE)
			FAIL(lv, "%s%s is used before it is assigned", scope_prefix(scope), named->name);
		v = new_var(c, named->name, scope, t);
		c->p->vars[v].nkeys = (uint8_t)nkeys;
		memcpy(c->p->vars[v].keys, keys, (size_t)nkeys);
	}
	if (!!c->p->vars[v].nkeys != (lv->kind == N_INDEX))
		FAIL(lv, "%s is %san associative array", named->name,
		     c->p->vars[v].nkeys ? "" : "not ");
	if (nkeys)
		check_keys(c, lv, named->name, c->p->vars[v].keys, c->p->vars[v].nkeys, keys, nkeys);
	if (t != TR_T_NONE && t != c->p->vars[v].type)
		FAIL(lv, "%s%s is %s, it cannot hold %s", scope_prefix(scope), named->name,
		     tr_type_name(c->p->vars[v].type), tr_type_name(t));
	return v;
}

/* Key types of an index lvalue, found by compiling its keys (emitted). */
static int lvalue_keys(struct comp *c, struct tr_node *lv, uint8_t *keys)
{
	if (lv->kind != N_INDEX)
		return 0;
	if (!strcmp(lv->a->name, "args"))
		FAIL(lv, "args[] cannot be assigned");
	return compile_keys(c, lv, keys, 0);
}

static void store(struct comp *c, struct tr_node *lv, int v, int nkeys)
{
	if (lv->kind == N_INDEX)
		emit(c, TR_OP_STA, nkeys, v, 0);
	else
		emit(c, TR_OP_STV, 0, v, 0);
}

/* x = e, x op= e: leaves the stored value. */
static int compile_assign(struct comp *c, struct tr_node *n)
{
	uint8_t keys[TR_MAX_KEYS];
	int nkeys = lvalue_keys(c, n->a, keys), t, v;

	if (!strcmp(n->op, "=")) {
		if (n->b->kind == N_AGGREF)
			FAIL(n->b, "an aggregation is not a value");
		t = compile_expr(c, n->b);
		if (t == TR_T_STACK)
			FAIL(n->b, "a stack can only be a key of an aggregation");
		v = lvalue_var(c, n->a, t, keys, nkeys);
		store(c, n->a, v, nkeys);
		return t;
	}
	v = lvalue_var(c, n->a, TR_T_INT, keys, nkeys);	/* x += 1 may create x */
	t = n->a->kind == N_INDEX ? compile_index(c, n->a) : load_var(c, n->a);
	if (compile_expr(c, n->b) != TR_T_INT)
		FAIL(n->b, "'%s' needs an integer", n->op);
	{
		char op[4] = { 0 };

		memcpy(op, n->op, strlen(n->op) - 1);
		emit(c, arith_op(op), 0, 0, 0);
	}
	store(c, n->a, v, nkeys);
	return t;
}

/* ++x, x++, --x, x--. */
static int compile_incdec(struct comp *c, struct tr_node *n)
{
	struct tr_node *lv = n->a;
	uint8_t keys[TR_MAX_KEYS];
	int nkeys = 0, v, post = (int)n->ival;

	if (lv->kind != N_IDENT && lv->kind != N_SELF && lv->kind != N_THIS && lv->kind != N_INDEX)
		FAIL(n, "%s needs a variable", n->op);
	{
		/* the key types, to find or create the variable; code dropped */
		uint32_t mark = c->cl->len;

		nkeys = lvalue_keys(c, lv, keys);
		c->cl->len = mark;
	}
	v = lvalue_var(c, lv, TR_T_INT, keys, nkeys);	/* x++ may create x */
	if (lv->kind == N_INDEX && post)
		compile_index(c, lv);		/* the old value, left below */
	if (lv->kind == N_INDEX)
		lvalue_keys(c, lv, keys);
	if (lv->kind == N_INDEX) {
		compile_index(c, lv);
	} else {
		emit(c, TR_OP_LDV, 0, v, 0);
		if (post)
			emit(c, TR_OP_DUP, 0, 0, 0);
	}
	emit(c, TR_OP_PUSHI, 0, 0, 1);
	emit(c, n->op[0] == '+' ? TR_OP_ADD : TR_OP_SUB, 0, 0, 0);
	store(c, lv, v, nkeys);
	if (post)
		emit(c, TR_OP_POP, 0, 0, 0);
	return TR_T_INT;
}

static int compile_ident(struct comp *c, struct tr_node *n)
{
	int b = builtin_id(n->name);

	if (b >= 0) {
		emit(c, TR_OP_LDB, 0, b, 0);
		return builtin_types[b];
	}
	if (!strcmp(n->name, "args"))
		FAIL(n, "args must be indexed: args[0]");
	return load_var(c, n);
}

static int compile_expr(struct comp *c, struct tr_node *n)
{
	switch (n->kind) {
	case N_INT:
		push_int(c, n->ival);
		return TR_T_INT;
	case N_STR:
		emit(c, TR_OP_PUSHS, 0, 0, (int32_t)add_string(c, n->name));
		return TR_T_STR;
	case N_IDENT:
		return compile_ident(c, n);
	case N_SELF:
	case N_THIS:
		return load_var(c, n);
	case N_INDEX:
		return compile_index(c, n);
	case N_CALL:
		return compile_call(c, n);
	case N_UNARY: {
		int t = compile_expr(c, n->a);

		if (t != TR_T_INT)
			FAIL(n, "operand of unary '%s' must be an integer, not %s", n->op, tr_type_name(t));
		if (n->op[0] != '+')
			emit(c, n->op[0] == '-' ? TR_OP_NEG : n->op[0] == '~' ? TR_OP_NOT : TR_OP_LNOT, 0,
			     0, 0);
		return TR_T_INT;
	}
	case N_BINARY:
		return compile_binary(c, n);
	case N_TERNARY:
		return compile_ternary(c, n);
	case N_ASSIGN:
		return compile_assign(c, n);
	case N_INCDEC:
		return compile_incdec(c, n);
	case N_AGGREF:
		FAIL(n, "@%s: an aggregation is not a value", n->name);
	default:
		FAIL(n, "internal: not an expression");
	}
}

static int find_agg(struct comp *c, const char *name)
{
	for (uint32_t i = 0; i < c->p->naggs; i++)
		if (!strcmp(c->p->aggs[i].name, name))
			return (int)i;
	return -1;
}

static int64_t constant(struct comp *c, struct tr_node *n, const char *what)
{
	if (n->kind == N_UNARY && n->op[0] == '-')
		return (int64_t)(0 - (uint64_t)constant(c, n->a, what));	/* -INT64_MIN wraps */
	if (n->kind != N_INT)
		FAIL(n, "%s must be an integer constant", what);
	return n->ival;
}

/* lquantize(v, lo, hi[, step]): DTrace's limits on the parameters. */
static void lquantize_params(struct comp *c, struct tr_node *f, struct tr_aggdef *d)
{
	int64_t lo, hi, step = 1;

	if (f->nlist < 3 || f->nlist > 4)
		FAIL(f, "lquantize() takes (value, lower, upper[, step])");
	lo = constant(c, f->list[1], "lquantize() lower bound");
	hi = constant(c, f->list[2], "lquantize() upper bound");
	if (f->nlist == 4)
		step = constant(c, f->list[3], "lquantize() step");
	if (step <= 0)
		FAIL(f->list[f->nlist == 4 ? 3 : 0], "lquantize() step must be positive");
	if (hi <= lo)
		FAIL(f->list[2], "lquantize() upper bound must be greater than the lower bound");
	if (lo < INT32_MIN || hi > INT32_MAX)
		FAIL(f->list[1], "lquantize() bounds must fit in 32 bits");
	if ((hi - lo) / step > TR_LQUANT_MAX_LEVELS)
		FAIL(f, "lquantize() has more than %d levels", TR_LQUANT_MAX_LEVELS);
	if ((hi - lo) % step)
		FAIL(f->list[f->nlist == 4 ? 3 : 2], "lquantize() range must be a multiple of the step");
	d->lq_base = lo;
	d->lq_step = step;
	d->lq_levels = (int32_t)((hi - lo) / step);
}

static void compile_aggset(struct comp *c, struct tr_node *n)
{
	struct tr_node *f = n->c;
	struct tr_aggdef d = { 0 };
	uint8_t keys[TR_MAX_KEYS];
	int func = agg_func(f->name), nkeys, a;

	if (func < 0)
		FAIL(f, "%s() is not an aggregating function (count, sum, min, max, avg, stddev, "
			"quantize, lquantize)", f->name);
	d.func = (uint8_t)func;
	if (func == TR_A_LQUANTIZE)
		lquantize_params(c, f, &d);
	else if (f->nlist != (func == TR_A_COUNT ? 0 : 1))
		FAIL(f, "%s() takes %s", f->name, func == TR_A_COUNT ? "no arguments" : "one argument");
	nkeys = compile_keys(c, n, keys, 1);
	a = find_agg(c, n->name);
	if (a < 0) {
		d.name = tr_strdup(n->name);
		d.nkeys = (uint8_t)nkeys;
		memcpy(d.keys, keys, (size_t)nkeys);
		TR_GROW(c->p->aggs, c->p->naggs);
		c->p->aggs[c->p->naggs] = d;
		a = (int)c->p->naggs++;
	} else {
		struct tr_aggdef *o = &c->p->aggs[a];
		char what[80];

		if (o->func != d.func || o->lq_base != d.lq_base || o->lq_step != d.lq_step ||
		    o->lq_levels != d.lq_levels)
			FAIL(f, "@%s is already %s() with other parameters", n->name, f->name);
		snprintf(what, sizeof what, "@%s", n->name);
		check_keys(c, n, what, o->keys, o->nkeys, keys, nkeys);
	}
	if (func != TR_A_COUNT) {
		if (f->list[0]->kind == N_AGGREF || compile_expr(c, f->list[0]) != TR_T_INT)
			FAIL(f->list[0], "%s() needs an integer", f->name);
	}
	emit(c, TR_OP_AGG, nkeys, a, 0);
}

static int agg_arg(struct comp *c, struct tr_node *call, int i)
{
	int a;

	if (i >= call->nlist || call->list[i]->kind != N_AGGREF)
		FAIL(call, "%s() needs an aggregation (@name) as argument %d", call->name, i + 1);
	a = find_agg(c, call->list[i]->name);
	if (a < 0)
		FAIL(call->list[i], "@%s is not assigned before this point", call->list[i]->name);
	return a;
}

static int add_format(struct comp *c, struct tr_node *s, int for_printa)
{
	struct tr_fmt f;
	char why[128];

	if (s->kind != N_STR)
		FAIL(s, "the format must be a string constant");
	if (tr_fmt_parse(&f, s->name, for_printa, why, sizeof why) < 0)
		FAIL(s, "bad format: %s", why);
	TR_GROW(c->p->fmts, c->p->nfmts);
	c->p->fmts[c->p->nfmts] = f;
	return (int)c->p->nfmts++;
}

static void compile_printf(struct comp *c, struct tr_node *n)
{
	struct tr_fmt *f;
	int fi, arg = 1;

	if (n->nlist < 1)
		FAIL(n, "printf() needs a format");
	if (n->nlist - 1 > TR_MAX_ARGS)
		FAIL(n, "printf() takes at most %d arguments", TR_MAX_ARGS);
	fi = add_format(c, n->list[0], 0);
	f = &c->p->fmts[fi];
	for (int i = 0; i < f->nconv; i++) {
		int t;

		if (!f->conv[i].conv)
			continue;
		if (arg >= n->nlist)
			FAIL(n->list[0], "printf(): the format needs more than %d argument%s", n->nlist - 1,
			     n->nlist == 2 ? "" : "s");
		if (n->list[arg]->kind == N_AGGREF)
			FAIL(n->list[arg], "printf(): use printa() to print an aggregation");
		t = compile_expr(c, n->list[arg]);
		if (t != f->conv[i].type)
			FAIL(n->list[arg], "printf(): %%%c needs %s, argument %d is %s", f->conv[i].conv,
			     tr_type_name(f->conv[i].type), arg, tr_type_name(t));
		arg++;
	}
	if (arg < n->nlist)
		FAIL(n->list[arg], "printf(): argument %d has no conversion in the format", arg);
	emit(c, TR_OP_PRINTF, arg - 1, fi, 0);
}

static void compile_printa(struct comp *c, struct tr_node *n)
{
	int fi = -1, a, k = 0, has_fmt = n->nlist > 0 && n->list[0]->kind == N_STR;

	if (n->nlist != 1 + has_fmt)
		FAIL(n, "printa() takes [format,] one aggregation");
	a = agg_arg(c, n, has_fmt);
	if (has_fmt) {
		struct tr_fmt *f;

		fi = add_format(c, n->list[0], 1);
		f = &c->p->fmts[fi];
		for (int i = 0; i < f->nconv; i++) {
			struct tr_aggdef *d = &c->p->aggs[a];

			if (!f->conv[i].conv || f->conv[i].conv == '@')
				continue;
			if (k >= d->nkeys)
				FAIL(n->list[0], "printa(): the format has more conversions than @%s has keys",
				     d->name);
			if (d->keys[k] != f->conv[i].type && !(d->keys[k] == TR_T_STACK &&
							       f->conv[i].conv == 's'))
				FAIL(n->list[0], "printa(): %%%c needs %s, key %d of @%s is %s",
				     f->conv[i].conv, tr_type_name(f->conv[i].type), k + 1, d->name,
				     tr_type_name(d->keys[k]));
			k++;
		}
	}
	emit(c, TR_OP_PRINTA, 0, a, fi);
}

static void compile_action(struct comp *c, struct tr_node *n)
{
	const char *name = n->name;

	if (!strcmp(name, "printf")) {
		compile_printf(c, n);
	} else if (!strcmp(name, "printa")) {
		compile_printa(c, n);
	} else if (!strcmp(name, "trace")) {
		if (n->nlist != 1 || n->list[0]->kind == N_AGGREF)
			FAIL(n, "trace() takes one value");
		emit(c, TR_OP_TRACE, compile_expr(c, n->list[0]), 0, 0);
	} else if (!strcmp(name, "exit")) {
		if (n->nlist != 1 || n->list[0]->kind == N_AGGREF || compile_expr(c, n->list[0]) != TR_T_INT)
			FAIL(n, "exit() takes one integer (the exit status)");
		emit(c, TR_OP_EXIT, 0, 0, 0);
	} else if (!strcmp(name, "clear")) {
		if (n->nlist != 1)
			FAIL(n, "clear() takes one aggregation");
		emit(c, TR_OP_CLEAR, 0, agg_arg(c, n, 0), 0);
	} else {	/* trunc */
		int a;

		if (n->nlist < 1 || n->nlist > 2)
			FAIL(n, "trunc() takes an aggregation and optionally how many entries to keep");
		a = agg_arg(c, n, 0);
		if (n->nlist == 2 && (n->list[1]->kind == N_AGGREF || compile_expr(c, n->list[1]) != TR_T_INT))
			FAIL(n->list[1], "trunc(): the count must be an integer");
		emit(c, TR_OP_TRUNC, n->nlist == 2, a, 0);
	}
}

static void compile_block(struct comp *c, struct tr_node *b);

static void compile_statement(struct comp *c, struct tr_node *n)
{
	switch (n->kind) {
	case N_BLOCK:
		compile_block(c, n);
		return;
	case N_AGGSET:
		compile_aggset(c, n);
		return;
	case N_IF: {
		uint32_t jelse, jend;

		if (compile_expr(c, n->a) != TR_T_INT)
			FAIL(n->a, "the condition of if must be an integer");
		jelse = emit(c, TR_OP_JZ, 0, 0, 0);
		compile_block(c, n->b);
		if (!n->c) {
			patch(c, jelse);
			return;
		}
		jend = emit(c, TR_OP_JMP, 0, 0, 0);
		patch(c, jelse);
		compile_block(c, n->c);
		patch(c, jend);
		return;
	}
	case N_EXPR:
		if (n->a->kind == N_CALL && is_action(n->a->name)) {
			compile_action(c, n->a);
			return;
		}
		if (compile_expr(c, n->a) == TR_T_STACK)
			emit(c, TR_OP_PSTACK, 0, 0, 0);
		else
			emit(c, TR_OP_POP, 0, 0, 0);
		return;
	default:
		FAIL(n, "internal: not a statement");
	}
}

static void compile_block(struct comp *c, struct tr_node *b)
{
	for (int i = 0; i < b->nlist; i++)
		compile_statement(c, b->list[i]);
}

static const char *pdesc_text(const struct tr_pdesc *d, char *buf, size_t len)
{
	snprintf(buf, len, "%s:%s:%s:%s", d->field[0], d->field[1], d->field[2], d->field[3]);
	return buf;
}

/* Every description must match something; nargs_max for args[] checks. */
static void check_descriptions(struct comp *c, struct tr_ast_clause *ac)
{
	c->nargs_max = 0;
	for (int i = 0; i < ac->ndesc; i++) {
		struct tr_pdesc *d = &ac->desc[i];
		char why[128] = "", text[256];
		int profile;

		if (tr_pdesc_is(d, "BEGIN") || tr_pdesc_is(d, "END"))
			continue;
		if (tr_pdesc_timer(d, &profile, why, sizeof why)) {
			c->nargs_max = c->nargs_max > 2 ? c->nargs_max : 2;
			continue;
		}
		if (why[0])
			cc_error(c->cc, d->line, d->col, "%s", why);
		if (tr_pdesc_user(d) && c->nargs_max < 4)
			c->nargs_max = 4;
		if (!tr_pdesc_match_kernel(d, &c->nargs_max) && !tr_pdesc_user(d))
			cc_error(c->cc, d->line, d->col,
				 "probe description %s does not match any probe (see trace -l)",
				 pdesc_text(d, text, sizeof text));
	}
}

/* An empty clause does what DTrace's default action does: without -q,
 * the firing's CPU, ID and FUNCTION:NAME line (an empty printf). */
static void default_action(struct comp *c)
{
	char why[16];

	TR_GROW(c->p->fmts, c->p->nfmts);
	tr_fmt_parse(&c->p->fmts[c->p->nfmts], "", 0, why, sizeof why);
	emit(c, TR_OP_PRINTF, 0, (int)c->p->nfmts++, 0);
}

static void compile_clause(struct comp *c, struct tr_ast_clause *ac)
{
	struct tr_clause *cl;
	uint32_t skip = 0;

	TR_GROW(c->p->clauses, c->p->nclauses);
	cl = &c->p->clauses[c->p->nclauses++];
	memset(cl, 0, sizeof *cl);
	cl->desc = ac->desc;
	cl->ndesc = ac->ndesc;
	ac->desc = NULL;	/* the program owns them now */
	cl->line = ac->line;
	cl->col = ac->col;
	c->cl = cl;
	check_descriptions(c, &(struct tr_ast_clause){ .desc = cl->desc, .ndesc = cl->ndesc });
	if (ac->pred) {
		int t = compile_expr(c, ac->pred);

		if (t != TR_T_INT)
			FAIL(ac->pred, "the predicate must be an integer, not %s", tr_type_name(t));
		skip = emit(c, TR_OP_JZ, 0, 0, 0);
	}
	compile_block(c, ac->body);
	if (!ac->body->nlist)
		default_action(c);
	if (ac->pred)
		patch(c, skip);
	emit(c, TR_OP_RET, 0, 0, 0);
}

static void declare(struct comp *c, struct tr_decl *d)
{
	if (builtin_id(d->name) >= 0 || !strcmp(d->name, "args"))
		cc_error(c->cc, d->line, d->col, "%s is a built-in variable", d->name);
	if (find_var(c, d->name, d->scope) >= 0)
		cc_error(c->cc, d->line, d->col, "%s%s is declared twice", scope_prefix(d->scope), d->name);
	new_var(c, d->name, d->scope, d->type);
}

static void free_ast(struct tr_ast *ast)
{
	for (int i = 0; i < ast->nclauses; i++) {
		for (int k = 0; ast->clauses[i].desc && k < ast->clauses[i].ndesc; k++)
			for (int f = 0; f < 4; f++)
				free(ast->clauses[i].desc[k].field[f]);
		free(ast->clauses[i].desc);
	}
	for (int i = 0; i < ast->ndecls; i++)
		free(ast->decls[i].name);
	free(ast->clauses);
	free(ast->decls);
	free(ast->decl_before);
	memset(ast, 0, sizeof *ast);
}

struct tr_prog *tr_compile(const char *script, const char *name, char *err, size_t errlen)
{
	struct tr_cc cc = { .src = script, .p = script, .name = name, .line = 1, .col = 1,
			    .err = err, .errlen = errlen };
	struct tr_prog *p = tr_xalloc(sizeof *p);
	struct comp c = { .cc = &cc, .p = p };
	struct tr_ast ast = { 0 };
	int d = 0;

	p->name = tr_strdup(name);
	if (setjmp(cc.fail)) {
		free_ast(&ast);
		cc_free_arena(&cc);
		tr_prog_free(p);
		return NULL;
	}
	tr_parse(&cc, &ast);
	p->quiet = cc.quiet;
	for (int i = 0; i < ast.nclauses; i++) {
		for (; d < ast.decl_before[i]; d++)
			declare(&c, &ast.decls[d]);
		compile_clause(&c, &ast.clauses[i]);
	}
	free_ast(&ast);
	cc_free_arena(&cc);
	if (tr_verify(p, err, errlen) < 0) {
		char why[256];

		snprintf(why, sizeof why, "%s", err);
		snprintf(err, errlen, "%s: internal: the compiler made bytecode the verifier refuses: %s",
			 name, why);
		tr_prog_free(p);
		return NULL;
	}
	return p;
}

void tr_prog_free(struct tr_prog *p)
{
	if (!p)
		return;
	for (uint32_t i = 0; i < p->nstrs; i++)
		free(p->strs[i]);
	for (uint32_t i = 0; i < p->nvars; i++)
		free(p->vars[i].name);
	for (uint32_t i = 0; i < p->naggs; i++)
		free(p->aggs[i].name);
	for (uint32_t i = 0; i < p->nfmts; i++)
		tr_fmt_free(&p->fmts[i]);
	for (uint32_t i = 0; i < p->nclauses; i++) {
		for (int k = 0; k < p->clauses[i].ndesc; k++)
			for (int f = 0; f < 4; f++)
				free(p->clauses[i].desc[k].field[f]);
		free(p->clauses[i].desc);
		free(p->clauses[i].code);
	}
	free(p->consts);
	free(p->strs);
	free(p->vars);
	free(p->aggs);
	free(p->fmts);
	free(p->clauses);
	free(p->name);
	free(p);
}

unsigned tr_prog_matches(const struct tr_prog *p)
{
	unsigned n = 0;

	for (uint32_t c = 0; c < p->nclauses; c++)
		for (int d = 0; d < p->clauses[c].ndesc; d++) {
			const struct tr_pdesc *pd = &p->clauses[c].desc[d];
			char why[128];
			int profile;

			if (tr_pdesc_is(pd, "BEGIN") || tr_pdesc_is(pd, "END") ||
			    tr_pdesc_timer(pd, &profile, why, sizeof why))
				n++;
			else
				n += tr_pdesc_match_kernel(pd, NULL) + (unsigned)tr_pdesc_user(pd);
		}
	return n;
}
