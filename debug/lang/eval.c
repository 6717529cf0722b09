/*
 * eval.c: expression evaluation.
 *
 * Names resolve to acid variables first, then to the program (symbols and
 * registers, through the host); `$name` skips acid variables. `*e` reads
 * process memory and `@e` the program file, with e's C type when it has one
 * and otherwise with e's format. Arithmetic results take the left operand's
 * format; `+` does not scale by a pointer's target size (acid's rule).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static struct acid_value lookup_name(struct acid *a, const char *name)
{
	const struct acid_host *h = acid_host(a);
	struct acid_value v;
	struct acid_var *var;
	const char *orig = name;

	if (name[0] != '$') {
		var = acid_var_lookup(a, name, 0);
		if (var && var->set)
			return var->v;
	} else {
		name++;
	}
	if (h->lookup && h->lookup(h->ctx, name, &v))
		return v;
	if (name != orig)
		acid_error(a, "%s: no such symbol", orig);
	acid_error(a, "%s: no such symbol or variable", name);
}

static struct acid_value lookup_local(struct acid *a, struct acid_node *n)
{
	const struct acid_host *h = acid_host(a);
	struct acid_value v;
	char err[256] = "no program";

	if (!h->lookup_local || !h->lookup_local(h->ctx, n->str, n->str2, &v, err, sizeof err))
		acid_error(a, "%s:%s: %s", n->str, n->str2, err);
	return v;
}

static struct acid_value indirect(struct acid *a, struct acid_value v, char space)
{
	const struct acid_host *h = acid_host(a);
	struct acid_type *s;

	switch (v.kind) {
	case AV_REG: {
		uint64_t r;
		char err[256] = "no program";

		if (space == '@')
			acid_error(a, "@ of a register");
		if (!h->get_reg || h->get_reg(h->ctx, (int)v.i, &r, err, sizeof err) < 0)
			acid_error(a, "register: %s", err);
		return acid_int((int64_t)r, v.fmt ? v.fmt : 'Y');
	}
	case AV_AGG:
		s = acid_type_strip(v.type);
		if (s && s->kind == AT_ARRAY)
			return acid_type_load(a, s->target, (uint64_t)v.i, space);
		acid_error(a, "indirection through a struct; use . to pick a member");
	case AV_INT:
		if (v.type)
			return acid_type_load(a, v.type, (uint64_t)v.i, space);
		/* 'i': the instruction there, as text (process memory only). */
		if (v.fmt == 'i' && space == '*' && h->disasm) {
			char text[256];

			if (h->disasm(h->ctx, (uint64_t)v.i, text, sizeof text) < 0)
				acid_error(a, "%s", text);
			return acid_cstr(text);
		}
		return acid_fmt_read(a, (uint64_t)v.i, v.fmt, space);
	default:
		acid_error(a, "indirection through a %s", acid_kind_name(v.kind));
	}
}

static struct acid_value eval_index(struct acid *a, struct acid_node *n)
{
	struct acid_value v = acid_eval(a, n->l);
	int64_t i = acid_need_int(a, acid_eval(a, n->r), "index");
	struct acid_type *s, *et;

	switch (v.kind) {
	case AV_LIST:
		if (i < 0 || i >= v.l->n)
			acid_error(a, "index %lld out of range (list of %d)", (long long)i, v.l->n);
		return v.l->v[i];
	case AV_STR:
		if (i < 0 || (size_t)i >= v.s->len)
			acid_error(a, "index %lld out of range (string of %zu)", (long long)i, v.s->len);
		return acid_int((unsigned char)v.s->s[i], 'C');
	case AV_AGG:
	case AV_INT:
		s = acid_type_strip(v.type);
		if (!s)
			acid_error(a, "index of an integer with no C type");
		et = s->kind == AT_ARRAY ? s->target : v.type;
		if (v.kind == AV_AGG && s->kind == AT_ARRAY && s->count && (uint64_t)i >= s->count)
			acid_error(a, "index %lld out of range (array of %llu)", (long long)i,
			           (unsigned long long)s->count);
		if (!acid_type_strip(et) || acid_type_strip(et)->size == 0)
			acid_error(a, "index of an object of unknown size");
		return acid_type_load(a, et, (uint64_t)v.i + i * acid_type_strip(et)->size,
		                      v.kind == AV_AGG && v.space ? v.space : '*');
	default:
		acid_error(a, "index of a %s", acid_kind_name(v.kind));
	}
}

static struct acid_value eval_list_op(struct acid *a, struct acid_node *n)
{
	struct acid_value l = acid_eval(a, n->l), r;

	if (l.kind != AV_LIST)
		acid_error(a, "%s of a %s", n->op == N_HEAD ? "head" : n->op == N_TAIL ? "tail" :
		           n->op == N_APPEND ? "append" : "delete", acid_kind_name(l.kind));
	switch (n->op) {
	case N_HEAD:
		if (l.l->n == 0)
			acid_error(a, "head of an empty list");
		return l.l->v[0];
	case N_TAIL:
		if (l.l->n == 0)
			acid_error(a, "tail of an empty list");
		r = acid_list(l.l->n - 1);
		memcpy(r.l->v, l.l->v + 1, (l.l->n - 1) * sizeof *r.l->v);
		return r;
	case N_APPEND:
		if (l.l->n >= ACID_MAX_LIST)
			acid_error(a, "list longer than %d elements", ACID_MAX_LIST);
		return acid_list_append(l, acid_eval(a, n->r));
	default: {
		int64_t i = acid_need_int(a, acid_eval(a, n->r), "delete index");

		if (i < 0 || i >= l.l->n)
			acid_error(a, "delete index %lld out of range (list of %d)", (long long)i, l.l->n);
		r = acid_list(l.l->n - 1);
		memcpy(r.l->v, l.l->v, i * sizeof *r.l->v);
		memcpy(r.l->v + i, l.l->v + i + 1, (l.l->n - i - 1) * sizeof *r.l->v);
		return r;
	}
	}
}

static int values_equal(struct acid_value x, struct acid_value y)
{
	if (x.kind == AV_STR && y.kind == AV_STR)
		return x.s->len == y.s->len && memcmp(x.s->s, y.s->s, x.s->len) == 0;
	if (x.kind == AV_LIST && y.kind == AV_LIST) {
		if (x.l->n != y.l->n)
			return 0;
		for (int i = 0; i < x.l->n; i++)
			if (!values_equal(x.l->v[i], y.l->v[i]))
				return 0;
		return 1;
	}
	if (x.kind == AV_FLOAT || y.kind == AV_FLOAT) {
		double dx = x.kind == AV_FLOAT ? x.f : (double)x.i;
		double dy = y.kind == AV_FLOAT ? y.f : (double)y.i;

		return (x.kind == AV_FLOAT || x.kind == AV_INT) &&
		       (y.kind == AV_FLOAT || y.kind == AV_INT) && dx == dy;
	}
	if ((x.kind == AV_INT || x.kind == AV_AGG) && (y.kind == AV_INT || y.kind == AV_AGG))
		return x.i == y.i;
	return x.kind == AV_NONE && y.kind == AV_NONE;
}

static struct acid_value binop_str(struct acid *a, int op, struct acid_value x, struct acid_value y)
{
	int c;

	if (op == '+') {
		struct acid_value r;

		if (y.kind != AV_STR)
			acid_error(a, "string + %s", acid_kind_name(y.kind));
		if (x.s->len + y.s->len > ACID_MAX_STRING)
			acid_error(a, "string longer than %u bytes", ACID_MAX_STRING);
		{
			char *tmp = malloc(x.s->len + y.s->len + 1);

			if (!tmp)
				acid_error(a, "out of memory");

			memcpy(tmp, x.s->s, x.s->len);
			memcpy(tmp + x.s->len, y.s->s, y.s->len);
			r = acid_str(tmp, x.s->len + y.s->len);
			free(tmp);
		}
		return r;
	}
	if (op != '<' && op != '>' && op != TK_LE && op != TK_GE)
		acid_error(a, "bad operator for strings");
	if (y.kind != AV_STR)
		acid_error(a, "comparing a string with a %s", acid_kind_name(y.kind));
	c = strcmp(x.s->s, y.s->s);
	switch (op) {
	case '<': return acid_int(c < 0, 'D');
	case '>': return acid_int(c > 0, 'D');
	case TK_LE: return acid_int(c <= 0, 'D');
	case TK_GE: return acid_int(c >= 0, 'D');
	default: acid_error(a, "bad operator for strings");
	}
}

static struct acid_value binop_float(struct acid *a, int op, double x, double y)
{
	switch (op) {
	case '+': return acid_float(x + y);
	case '-': return acid_float(x - y);
	case '*': return acid_float(x * y);
	case '/':
		if (y == 0.0)
			acid_error(a, "division by zero");
		return acid_float(x / y);
	case '%': return acid_float(fmod(x, y));
	case '<': return acid_int(x < y, 'D');
	case '>': return acid_int(x > y, 'D');
	case TK_LE: return acid_int(x <= y, 'D');
	case TK_GE: return acid_int(x >= y, 'D');
	default: acid_error(a, "bad operator for floats");
	}
}

static struct acid_value binop_int(struct acid *a, int op, struct acid_value x, int64_t y)
{
	uint64_t ux = (uint64_t)x.i;
	struct acid_value r = x;

	r.kind = AV_INT;
	switch (op) {
	case '+': r.i = (int64_t)(ux + (uint64_t)y); return r;
	case '-': r.i = (int64_t)(ux - (uint64_t)y); return r;
	case '*': r.i = (int64_t)(ux * (uint64_t)y); return r;
	case '/':
	case '%':
		if (y == 0)
			acid_error(a, "division by zero");
		if (y == -1)
			r.i = op == '/' ? (int64_t)(0 - ux) : 0;
		else
			r.i = op == '/' ? x.i / y : x.i % y;
		return r;
	case '&': r.i = x.i & y; return r;
	case '|': r.i = x.i | y; return r;
	case '^': r.i = x.i ^ y; return r;
	case TK_SHL: r.i = (int64_t)(y >= 64 ? 0 : ux << y); return r;
	case TK_SHR: r.i = (int64_t)(y >= 64 ? 0 : ux >> y); return r;
	case '<': return acid_int(x.i < y, 'D');
	case '>': return acid_int(x.i > y, 'D');
	case TK_LE: return acid_int(x.i <= y, 'D');
	case TK_GE: return acid_int(x.i >= y, 'D');
	default: acid_error(a, "bad integer operator");
	}
}

static struct acid_value eval_binop(struct acid *a, struct acid_node *n)
{
	struct acid_value x, y;
	int op = n->tok;

	if (op == TK_ANDAND || op == TK_OROR) {
		int t = acid_truth(acid_eval(a, n->l));

		if (op == TK_ANDAND ? !t : t)
			return acid_int(t, 'D');
		return acid_int(acid_truth(acid_eval(a, n->r)), 'D');
	}
	x = acid_eval(a, n->l);
	y = acid_eval(a, n->r);
	if (op == TK_EQ || op == TK_NE)
		return acid_int(values_equal(x, y) == (op == TK_EQ), 'D');
	if (x.kind == AV_STR)
		return binop_str(a, op, x, y);
	if (x.kind == AV_LIST && y.kind == AV_LIST && op == '+') {
		struct acid_value r;

		if (x.l->n + y.l->n > ACID_MAX_LIST)
			acid_error(a, "list longer than %d elements", ACID_MAX_LIST);
		r = acid_list(x.l->n + y.l->n);

		memcpy(r.l->v, x.l->v, x.l->n * sizeof *r.l->v);
		memcpy(r.l->v + x.l->n, y.l->v, y.l->n * sizeof *r.l->v);
		return r;
	}
	if (x.kind == AV_REG)
		x = (struct acid_value){ .kind = AV_INT, .fmt = 'D', .i = x.i };
	if (x.kind == AV_FLOAT || y.kind == AV_FLOAT) {
		if ((x.kind != AV_FLOAT && x.kind != AV_INT) || (y.kind != AV_FLOAT && y.kind != AV_INT))
			acid_error(a, "arithmetic on a %s and a %s", acid_kind_name(x.kind),
			           acid_kind_name(y.kind));
		return binop_float(a, op, x.kind == AV_FLOAT ? x.f : (double)x.i,
		                   y.kind == AV_FLOAT ? y.f : (double)y.i);
	}
	if ((x.kind != AV_INT && x.kind != AV_AGG) || (y.kind != AV_INT && y.kind != AV_AGG))
		acid_error(a, "arithmetic on a %s and a %s", acid_kind_name(x.kind),
		           acid_kind_name(y.kind));
	if (x.kind == AV_AGG) {
		x.kind = AV_INT;
		x.fmt = 'A';
	}
	return binop_int(a, op, x, y.i);
}

static struct acid_value eval_unop(struct acid *a, struct acid_node *n)
{
	struct acid_value v = acid_eval(a, n->l);

	if (n->tok == '!')
		return acid_int(!acid_truth(v), 'D');
	if (v.kind == AV_FLOAT && n->tok == '-')
		return acid_float(-v.f);
	if (v.kind != AV_INT)
		acid_error(a, "unary %c of a %s", n->tok, acid_kind_name(v.kind));
	v.i = n->tok == '-' ? (int64_t)(0 - (uint64_t)v.i) : ~v.i;
	return v;
}

/* Stores v into the place named by lhs. */
static void assign(struct acid *a, struct acid_node *lhs, struct acid_value v)
{
	const struct acid_host *h = acid_host(a);
	struct acid_value p;
	char err[256] = "no program";

	switch (lhs->op) {
	case N_NAME:
		if (lhs->str[0] == '$')
			acid_error(a, "cannot assign to program symbol %s", lhs->str + 1);
		acid_var_set(a, lhs->str, v);
		return;
	case N_DEREF:
		p = acid_eval(a, lhs->l);
		if (p.kind == AV_REG) {
			if (!h->set_reg || h->set_reg(h->ctx, (int)p.i, (uint64_t)acid_need_int(a, v, "register"),
			                              err, sizeof err) < 0)
				acid_error(a, "register: %s", err);
			return;
		}
		if (p.kind != AV_INT)
			acid_error(a, "store through a %s", acid_kind_name(p.kind));
		if (p.type) {
			struct acid_type *s = acid_type_strip(p.type);

			if (s->kind == AT_STRUCT || s->kind == AT_UNION || s->kind == AT_ARRAY)
				acid_error(a, "cannot store a whole struct, union or array");
			acid_fmt_write(a, (uint64_t)p.i, s->kind == AT_PTR ? 'Y' :
			               acid_fmt_size(acid_type_fmt(s)) == (int)s->size ? acid_type_fmt(s) :
			               s->size == 1 ? 'b' : s->size == 2 ? 'x' : s->size == 4 ? 'X' : 'Y', v);
			return;
		}
		acid_fmt_write(a, (uint64_t)p.i, p.fmt, v);
		return;
	case N_FILEREF:
		acid_error(a, "the program file is read-only");
	case N_INDEX: {
		struct acid_value l;
		int64_t i;

		if (lhs->l->op != N_NAME)
			acid_error(a, "can only assign to elements of a list variable");
		l = acid_eval(a, lhs->l);
		i = acid_need_int(a, acid_eval(a, lhs->r), "index");
		if (l.kind != AV_LIST)
			acid_error(a, "element assignment needs a list");
		if (i < 0 || i >= l.l->n)
			acid_error(a, "index %lld out of range (list of %d)", (long long)i, l.l->n);
		p = acid_list(l.l->n);
		memcpy(p.l->v, l.l->v, l.l->n * sizeof *p.l->v);
		p.l->v[i] = v;
		acid_var_set(a, lhs->l->str, p);
		return;
	}
	default:
		acid_error(a, "cannot assign to this expression");
	}
}

static struct acid_value eval_call(struct acid *a, struct acid_node *n, int builtin_only)
{
	struct acid_value args[32];
	struct acid_func *f = builtin_only ? acid_builtin_lookup(a, n->str)
	                                   : acid_func_lookup(a, n->str);
	int argc = 0;

	if (!f)
		acid_error(a, "%s is not a function", n->str);
	for (struct acid_node *p = n->l; p; p = p->next) {
		if (argc == 32)
			acid_error(a, "%s: more than 32 arguments", n->str);
		args[argc++] = acid_eval(a, p);
	}
	return acid_call(a, f, argc, args);
}

static struct acid_value eval_incdec(struct acid *a, struct acid_node *n)
{
	struct acid_value old = acid_eval(a, n->l), nv = old;
	int up = n->op == N_PREINC || n->op == N_POSTINC;

	if (old.kind == AV_FLOAT)
		nv.f += up ? 1 : -1;
	else if (old.kind == AV_INT)
		nv.i += up ? 1 : -1;
	else
		acid_error(a, "%s of a %s", up ? "++" : "--", acid_kind_name(old.kind));
	assign(a, n->l, nv);
	return n->op == N_PREINC || n->op == N_PREDEC ? nv : old;
}

static struct acid_value eval_cast(struct acid *a, struct acid_node *n)
{
	struct acid_type *t = acid_type_find(a, n->str);
	struct acid_value v;

	/* "(x) * y" parsed as a cast of *y: a product when x is no type. */
	if (!t && n->ival) {
		struct acid_node name = *n, mul = *n;

		name.op = N_NAME;
		mul.op = N_BINOP;
		mul.tok = '*';
		mul.l = &name;
		mul.r = n->l->l;
		return eval_binop(a, &mul);
	}
	v = acid_eval(a, n->l);
	if (!t)
		acid_error(a, "cast to unknown type %s", n->str);
	v = acid_int(acid_need_int(a, v, "cast"), 'A');
	v.type = t;
	return v;
}

/* Evaluates expression n. */
struct acid_value acid_eval(struct acid *a, struct acid_node *n)
{
	struct acid_value v;

	switch (n->op) {
	case N_INT: return acid_int(n->ival, n->fmt);
	case N_FLOAT: return acid_float(n->fval);
	case N_STR: return acid_str(n->str, n->len);
	case N_NAME: return lookup_name(a, n->str);
	case N_LOCALREF: return lookup_local(a, n);
	case N_LISTLIT: {
		int count = 0, i = 0;

		for (struct acid_node *p = n->l; p; p = p->next)
			count++;
		v = acid_list(count);
		for (struct acid_node *p = n->l; p; p = p->next)
			v.l->v[i++] = acid_eval(a, p);
		return v;
	}
	case N_CALL: return eval_call(a, n, 0);
	case N_BUILTINCALL: return eval_call(a, n, 1);
	case N_INDEX: return eval_index(a, n);
	case N_MEMBER: return acid_member(a, acid_eval(a, n->l), n->str);
	case N_UNOP: return eval_unop(a, n);
	case N_BINOP: return eval_binop(a, n);
	case N_ASSIGN:
		v = acid_eval(a, n->r);
		assign(a, n->l, v);
		return v;
	case N_OPASSIGN: {
		struct acid_node tmp = *n;

		tmp.op = N_BINOP;
		v = eval_binop(a, &tmp);
		assign(a, n->l, v);
		return v;
	}
	case N_FMT:
		v = acid_eval(a, n->l);
		v.fmt = n->fmt;
		/* An explicit format decides what `*` reads, over any C type. */
		if (v.kind == AV_INT)
			v.type = NULL;
		return v;
	case N_CAST: return eval_cast(a, n);
	case N_HEAD: case N_TAIL: case N_APPEND: case N_DELETE:
		return eval_list_op(a, n);
	case N_PREINC: case N_PREDEC: case N_POSTINC: case N_POSTDEC:
		return eval_incdec(a, n);
	case N_DEREF: return indirect(a, acid_eval(a, n->l), '*');
	case N_FILEREF: return indirect(a, acid_eval(a, n->l), '@');
	case N_ADDR:
		v = acid_eval(a, n->l);
		if (v.kind != AV_AGG)
			acid_error(a, "& needs a struct, union or array object");
		v.kind = AV_INT;
		v.fmt = 'A';
		return v;
	case N_SIZEOF: {
		struct acid_type *t = acid_type_find(a, n->str);

		if (!t)
			acid_error(a, "sizeof unknown type %s", n->str);
		return acid_int((int64_t)acid_type_strip(t)->size, 'D');
	}
	default:
		acid_error(a, "statement used as an expression");
	}
}
