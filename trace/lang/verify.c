/*
 * verify.c: proves a program safe to run before any clause of it runs.
 *
 * The tables first: strings bounded and terminated, variables, aggregations
 * and formats well formed. Then each clause in one forward pass (every jump
 * is forward, so when instruction i is reached every path into it has been
 * seen): the opcode and its operands are valid, unused fields are zero, the
 * stack never underflows nor passes TR_MAX_STACK, each slot has the type
 * the instruction needs, paths that meet agree on the stack, every
 * instruction is reachable, the last one is ret and the stack is empty
 * there. What the verifier cannot know (a divisor, a dynamic args[] index,
 * an address for copyin) the VM checks when it runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct vstate {
	int reached;
	int depth;
	uint8_t type[TR_MAX_STACK];
};

struct verifier {
	const struct tr_prog *p;
	char *err;
	size_t errlen;
	uint32_t clause, pc;
	struct vstate *st;	/* one per instruction */
	struct vstate cur;
};

static const char *const op_names[] = {
#define OP_NAME(n, pops, pushes) #n,
	TR_OPCODES(OP_NAME)
#undef OP_NAME
};

static const struct { int ret, min, max, args[3]; } subr_sig[] = {
#define S_SIG(id, name, ret, min, max, t0, t1, t2) { ret, min, max, { t0, t1, t2 } },
	TR_SUBRS(S_SIG)
#undef S_SIG
};

static const uint8_t builtin_type[] = {
#define B_TYPE(id, name, type) type,
	TR_BUILTINS(B_TYPE)
#undef B_TYPE
};

static const int agg_takes_value[] = {
#define A_N(id, name, nargs) nargs,
	TR_AGGFUNCS(A_N)
#undef A_N
};

/* The op's name in lower case, for messages. */
static const char *opname(int op, char *buf)
{
	size_t i = 0;

	if (op < 0 || op >= TR_OP_COUNT)
		return "?";
	for (; op_names[op][i] && i < 15; i++)
		buf[i] = (char)(op_names[op][i] | 0x20);
	buf[i] = '\0';
	return buf;
}

__attribute__((format(printf, 2, 3)))
static int reject(struct verifier *v, const char *fmt, ...)
{
	va_list ap;
	char name[16];
	int n;

	if (v->st) {
		const struct tr_insn *in = &v->p->clauses[v->clause].code[v->pc];

		n = snprintf(v->err, v->errlen, "clause %u, instruction %u (%s): ", v->clause + 1, v->pc,
			     opname(in->op, name));
	} else {
		n = snprintf(v->err, v->errlen, "program: ");
	}
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < v->errlen)
		vsnprintf(v->err + n, v->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static int valid_value_type(int t)
{
	return t == TR_T_INT || t == TR_T_STR;
}

static int check_tables(struct verifier *v)
{
	const struct tr_prog *p = v->p;

	for (uint32_t i = 0; i < p->nstrs; i++)
		if (!p->strs[i] || strnlen(p->strs[i], TR_STRSIZE + 1) > TR_STRSIZE)
			return reject(v, "string %u is longer than %d bytes", i, TR_STRSIZE);
	for (uint32_t i = 0; i < p->nvars; i++) {
		const struct tr_var *var = &p->vars[i];

		if (var->scope > TR_CLAUSE || !valid_value_type(var->type))
			return reject(v, "variable %u has a bad scope or type", i);
		if (var->nkeys > TR_MAX_KEYS || (var->nkeys && var->scope != TR_GLOBAL))
			return reject(v, "variable %u: bad keys (only global arrays, at most %d keys)", i,
				      TR_MAX_KEYS);
		for (int k = 0; k < var->nkeys; k++)
			if (!valid_value_type(var->keys[k]))
				return reject(v, "variable %u: key %d has a bad type", i, k);
	}
	for (uint32_t i = 0; i < p->naggs; i++) {
		const struct tr_aggdef *a = &p->aggs[i];

		if (a->func >= TR_A_NFUNCS || a->nkeys > TR_MAX_KEYS)
			return reject(v, "aggregation %u: bad function or too many keys", i);
		for (int k = 0; k < a->nkeys; k++)
			if (!valid_value_type(a->keys[k]) && a->keys[k] != TR_T_STACK)
				return reject(v, "aggregation %u: key %d has a bad type", i, k);
		if (a->func == TR_A_LQUANTIZE &&
		    (a->lq_step <= 0 || a->lq_levels < 1 || a->lq_levels > TR_LQUANT_MAX_LEVELS ||
		     a->lq_base < INT32_MIN || a->lq_base > INT32_MAX ||
		     a->lq_step > INT32_MAX))
			return reject(v, "aggregation %u: bad lquantize parameters", i);
	}
	for (uint32_t i = 0; i < p->nfmts; i++) {
		const struct tr_fmt *f = &p->fmts[i];

		if (f->nconv < 0 || f->nconv > 4 * TR_MAX_ARGS + 1)
			return reject(v, "format %u has too many pieces", i);
		for (int k = 0; k < f->nconv; k++) {
			const struct tr_conv *c = &f->conv[k];

			if (!c->text || strlen(c->text) > TR_STRSIZE)
				return reject(v, "format %u: piece %d is missing or too long", i, k);
			if (c->conv && !strchr("diuxXocsSpa@", c->conv))
				return reject(v, "format %u: bad conversion", i);
			if (c->conv && c->conv != '@' && !valid_value_type(c->type))
				return reject(v, "format %u: bad conversion type", i);
		}
	}
	return 0;
}

static int pop(struct verifier *v, int want, const char *what)
{
	int t;

	if (v->cur.depth == 0)
		return reject(v, "stack underflow (needs %s)", what);
	t = v->cur.type[--v->cur.depth];
	if (want != TR_T_NONE && t != want)
		return reject(v, "%s must be %s, the stack holds %s", what, tr_type_name(want),
			      tr_type_name(t));
	return t;
}

static int push(struct verifier *v, int type)
{
	if (v->cur.depth >= TR_MAX_STACK)
		return reject(v, "stack overflow (more than %d slots)", TR_MAX_STACK);
	v->cur.type[v->cur.depth++] = (uint8_t)type;
	return 0;
}

/* Pops n keys (the last key on top) and checks them against types. */
static int pop_keys(struct verifier *v, const uint8_t *types, int n)
{
	for (int k = n - 1; k >= 0; k--)
		if (pop(v, types[k], "a key") < 0)
			return -1;
	return 0;
}

/* The state flows from the current instruction into target. */
static int flow(struct verifier *v, uint32_t target)
{
	struct vstate *t = &v->st[target];

	if (!t->reached) {
		*t = v->cur;
		t->reached = 1;
		return 0;
	}
	if (t->depth != v->cur.depth || memcmp(t->type, v->cur.type, (size_t)t->depth))
		return reject(v, "the stack at instruction %u differs between the paths into it", target);
	return 0;
}

static int check_jump(struct verifier *v, const struct tr_insn *in, uint32_t len)
{
	uint64_t target;

	if (in->imm < 0)
		return reject(v, "backward jump (offset %d): loops are not allowed", in->imm);
	target = (uint64_t)v->pc + 1 + (uint64_t)in->imm;
	if (target >= len)
		return reject(v, "jump past the end of the clause (to %llu of %u)",
			      (unsigned long long)target, len);
	if (in->op != TR_OP_JMP && pop(v, TR_T_INT, "the condition") < 0)
		return -1;
	return flow(v, (uint32_t)target);
}

static int check_var(struct verifier *v, const struct tr_insn *in, int array)
{
	const struct tr_var *var;

	if (in->b >= v->p->nvars)
		return reject(v, "variable %u does not exist (the program has %u)", in->b, v->p->nvars);
	var = &v->p->vars[in->b];
	if (!!var->nkeys != array)
		return reject(v, "variable %u is %san array", in->b, array ? "not " : "");
	if (array && in->a != var->nkeys)
		return reject(v, "variable %u has %u keys, not %u", in->b, var->nkeys, in->a);
	return 0;
}

static int check_format(struct verifier *v, const struct tr_fmt *f, int nargs)
{
	int want = 0;

	for (int i = 0; i < f->nconv; i++)
		want += f->conv[i].conv && f->conv[i].conv != '@';
	if (want != nargs)
		return reject(v, "the format takes %d arguments, not %d", want, nargs);
	for (int i = f->nconv - 1; i >= 0; i--)
		if (f->conv[i].conv && f->conv[i].conv != '@' &&
		    pop(v, f->conv[i].type, "a printf argument") < 0)
			return -1;
	return 0;
}

static int check_printa(struct verifier *v, const struct tr_insn *in)
{
	const struct tr_aggdef *a = &v->p->aggs[in->b];
	const struct tr_fmt *f;
	int k = 0;

	if (in->imm == -1)
		return 0;
	if (in->imm < 0 || (uint32_t)in->imm >= v->p->nfmts)
		return reject(v, "format %d does not exist", in->imm);
	f = &v->p->fmts[in->imm];
	for (int i = 0; i < f->nconv; i++) {
		const struct tr_conv *c = &f->conv[i];

		if (!c->conv || c->conv == '@')
			continue;
		if (k >= a->nkeys)
			return reject(v, "the format has more conversions than the aggregation has keys");
		if (a->keys[k] != c->type && !(a->keys[k] == TR_T_STACK && c->conv == 's'))
			return reject(v, "conversion %d does not fit key %d", i, k);
		k++;
	}
	return 0;
}

static int check_agg_ref(struct verifier *v, const struct tr_insn *in)
{
	if (in->b >= v->p->naggs)
		return reject(v, "aggregation %u does not exist (the program has %u)", in->b,
			      v->p->naggs);
	return 0;
}

static int check_call(struct verifier *v, const struct tr_insn *in)
{
	if (in->b >= TR_S_COUNT)
		return reject(v, "subroutine %u does not exist", in->b);
	if (in->a < subr_sig[in->b].min || in->a > subr_sig[in->b].max)
		return reject(v, "subroutine %u takes %d to %d arguments, not %u", in->b,
			      subr_sig[in->b].min, subr_sig[in->b].max, in->a);
	for (int i = in->a - 1; i >= 0; i--)
		if (pop(v, subr_sig[in->b].args[i], "a subroutine argument") < 0)
			return -1;
	return push(v, subr_sig[in->b].ret);
}

/* Operand fields an instruction does not use must be zero. */
static int check_unused(struct verifier *v, const struct tr_insn *in)
{
	static const uint8_t uses[TR_OP_COUNT] = {	/* 1: a, 2: b, 4: imm */
		[TR_OP_PUSHI] = 4, [TR_OP_PUSHK] = 4, [TR_OP_PUSHS] = 4, [TR_OP_JMP] = 4,
		[TR_OP_JZ] = 4, [TR_OP_JNZ] = 4, [TR_OP_LDV] = 2, [TR_OP_STV] = 2,
		[TR_OP_LDA] = 3, [TR_OP_STA] = 3, [TR_OP_LDB] = 2, [TR_OP_CALL] = 3,
		[TR_OP_AGG] = 3, [TR_OP_PRINTF] = 3, [TR_OP_PRINTA] = 6, [TR_OP_CLEAR] = 2,
		[TR_OP_TRUNC] = 3, [TR_OP_STACK] = 5, [TR_OP_TRACE] = 1,
	};
	uint8_t u = uses[in->op];

	if ((!(u & 1) && in->a) || (!(u & 2) && in->b) || (!(u & 4) && in->imm))
		return reject(v, "reserved operand fields must be zero");
	return 0;
}

static int check_insn(struct verifier *v, const struct tr_insn *in, uint32_t len)
{
	const struct tr_prog *p = v->p;
	int t;

	if (in->op >= TR_OP_COUNT)
		return reject(v, "unknown opcode %u", in->op);
	if (check_unused(v, in) < 0)
		return -1;
	switch (in->op) {
	case TR_OP_NOP:
		return 0;
	case TR_OP_PUSHI:
		return push(v, TR_T_INT);
	case TR_OP_PUSHK:
		if (in->imm < 0 || (uint32_t)in->imm >= p->nconsts)
			return reject(v, "constant %d does not exist (the program has %u)", in->imm,
				      p->nconsts);
		return push(v, TR_T_INT);
	case TR_OP_PUSHS:
		if (in->imm < 0 || (uint32_t)in->imm >= p->nstrs)
			return reject(v, "string %d does not exist (the program has %u)", in->imm, p->nstrs);
		return push(v, TR_T_STR);
	case TR_OP_POP:
		return pop(v, TR_T_NONE, "a value") < 0 ? -1 : 0;
	case TR_OP_DUP:
		if ((t = pop(v, TR_T_NONE, "a value")) < 0 || push(v, t) < 0)
			return -1;
		return push(v, t);
	case TR_OP_ADD: case TR_OP_SUB: case TR_OP_MUL: case TR_OP_DIV: case TR_OP_MOD:
	case TR_OP_AND: case TR_OP_OR: case TR_OP_XOR: case TR_OP_SHL: case TR_OP_SHR:
	case TR_OP_EQ: case TR_OP_NE: case TR_OP_LT: case TR_OP_LE: case TR_OP_GT: case TR_OP_GE:
	case TR_OP_ULT: case TR_OP_ULE: case TR_OP_UGT: case TR_OP_UGE:
		if (pop(v, TR_T_INT, "an operand") < 0 || pop(v, TR_T_INT, "an operand") < 0)
			return -1;
		return push(v, TR_T_INT);
	case TR_OP_NEG: case TR_OP_NOT: case TR_OP_LNOT: case TR_OP_LDARG:
		if (pop(v, TR_T_INT, "the operand") < 0)
			return -1;
		return push(v, TR_T_INT);
	case TR_OP_SCMP:
		if (pop(v, TR_T_STR, "a string") < 0 || pop(v, TR_T_STR, "a string") < 0)
			return -1;
		return push(v, TR_T_INT);
	case TR_OP_JMP: case TR_OP_JZ: case TR_OP_JNZ:
		return check_jump(v, in, len);
	case TR_OP_LDV:
		if (check_var(v, in, 0) < 0)
			return -1;
		return push(v, p->vars[in->b].type);
	case TR_OP_STV:
		if (check_var(v, in, 0) < 0 || pop(v, p->vars[in->b].type, "the stored value") < 0)
			return -1;
		return push(v, p->vars[in->b].type);
	case TR_OP_LDA:
		if (check_var(v, in, 1) < 0 || pop_keys(v, p->vars[in->b].keys, in->a) < 0)
			return -1;
		return push(v, p->vars[in->b].type);
	case TR_OP_STA:
		if (check_var(v, in, 1) < 0 || pop(v, p->vars[in->b].type, "the stored value") < 0 ||
		    pop_keys(v, p->vars[in->b].keys, in->a) < 0)
			return -1;
		return push(v, p->vars[in->b].type);
	case TR_OP_LDB:
		if (in->b >= TR_B_COUNT)
			return reject(v, "built-in variable %u does not exist", in->b);
		return push(v, builtin_type[in->b]);
	case TR_OP_CALL:
		return check_call(v, in);
	case TR_OP_AGG:
		if (check_agg_ref(v, in) < 0)
			return -1;
		if (in->a != p->aggs[in->b].nkeys)
			return reject(v, "aggregation %u has %u keys, not %u", in->b, p->aggs[in->b].nkeys,
				      in->a);
		if (agg_takes_value[p->aggs[in->b].func] && pop(v, TR_T_INT, "the value") < 0)
			return -1;
		return pop_keys(v, p->aggs[in->b].keys, in->a);
	case TR_OP_TRACE:
		if (in->a != TR_T_INT && in->a != TR_T_STR && in->a != TR_T_STACK)
			return reject(v, "bad type %u for the traced value", in->a);
		return pop(v, in->a, "the traced value") < 0 ? -1 : 0;
	case TR_OP_PRINTF:
		if (in->b >= p->nfmts)
			return reject(v, "format %u does not exist", in->b);
		return check_format(v, &p->fmts[in->b], in->a);
	case TR_OP_PRINTA:
		return check_agg_ref(v, in) < 0 ? -1 : check_printa(v, in);
	case TR_OP_CLEAR:
		return check_agg_ref(v, in);
	case TR_OP_TRUNC:
		if (check_agg_ref(v, in) < 0)
			return -1;
		if (in->a > 1)
			return reject(v, "operand a must be 0 or 1");
		return in->a ? (pop(v, TR_T_INT, "the count") < 0 ? -1 : 0) : 0;
	case TR_OP_STACK:
		if (in->a > 1 || in->imm < 1 || in->imm > TR_MAX_FRAMES)
			return reject(v, "bad stack: kind %u, %d frames (1 to %d)", in->a, in->imm,
				      TR_MAX_FRAMES);
		return push(v, TR_T_STACK);
	case TR_OP_PSTACK:
		return pop(v, TR_T_STACK, "the printed stack") < 0 ? -1 : 0;
	case TR_OP_EXIT:
		return pop(v, TR_T_INT, "the exit status") < 0 ? -1 : 0;
	case TR_OP_RET:
		if (v->cur.depth)
			return reject(v, "the stack holds %d slots at ret, not 0", v->cur.depth);
		return 0;
	}
	return reject(v, "unknown opcode %u", in->op);
}

static int check_clause(struct verifier *v, const struct tr_clause *cl)
{
	if (!cl->code || cl->len == 0)
		return reject(v, "clause %u has no instructions", v->clause + 1);
	if (cl->len > TR_MAX_INSNS)
		return reject(v, "clause %u has %u instructions (at most %d)", v->clause + 1, cl->len,
			      TR_MAX_INSNS);
	v->st = calloc(cl->len, sizeof *v->st);
	if (!v->st)
		return reject(v, "out of memory");
	v->st[0].reached = 1;
	for (v->pc = 0; v->pc < cl->len; v->pc++) {
		const struct tr_insn *in = &cl->code[v->pc];

		if (!v->st[v->pc].reached)
			return reject(v, "unreachable instruction");
		v->cur = v->st[v->pc];
		if (check_insn(v, in, cl->len) < 0)
			return -1;
		if (in->op == TR_OP_RET || in->op == TR_OP_JMP)
			continue;
		if (v->pc + 1 == cl->len)
			return reject(v, "the last instruction must be ret");
		if (flow(v, v->pc + 1) < 0)
			return -1;
	}
	return 0;
}

int tr_verify(const struct tr_prog *p, char *err, size_t errlen)
{
	struct verifier v = { .p = p, .err = err, .errlen = errlen };

	if (check_tables(&v) < 0)
		return -1;
	if (p->nclauses == 0) {
		snprintf(err, errlen, "program: no clauses");
		return -1;
	}
	for (v.clause = 0; v.clause < p->nclauses; v.clause++) {
		int r = check_clause(&v, &p->clauses[v.clause]);

		free(v.st);
		v.st = NULL;
		if (r < 0)
			return -1;
	}
	return 0;
}

const char *tr_op_name(int op, char *buf)
{
	return opname(op, buf);
}
