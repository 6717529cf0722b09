/*
 * loc.c: where variables live. Picks the location-list entry for a pc and
 * runs the DWARF expression stack machine over libdwarf's decoded operators
 * (libdwarf decodes, it does not evaluate). Covers what gcc 12 emits at -O2:
 * registers, breg/fbreg, DW_OP_call_frame_cfa, arithmetic and branches,
 * stack_value, implicit_value, pieces, and entry values at a function's
 * first instruction. The same machine evaluates CFI expressions for unwind.c.
 */
#include <stdlib.h>
#include <string.h>

#include "sym_impl.h"

#define STACK_MAX 64

struct eval {
	struct sym *s;
	struct sym_module *m;
	const struct acid_regs *regs;
	uint64_t pc;		/* run-time lookup pc */
	acid_mem_fn mem;
	void *ctx;
	Dwarf_Off func_off;	/* for DW_OP_fbreg and entry values */
	uint64_t stack[STACK_MAX];
	int sp;
	int depth;		/* nesting of frame-base evaluations */
};

/* What one expression (or one piece of it) left behind. */
enum result { R_ADDR, R_REG, R_VALUE, R_BYTES, R_EMPTY };

struct piece {
	enum result kind;
	uint64_t v;		/* address, register number or value */
	const uint8_t *bytes;	/* R_BYTES */
	size_t nbytes;
};

static int fail(struct eval *ev, const char *what, unsigned op)
{
	sym_seterr(ev->s, "DWARF expression: %s (op 0x%x)", what, op);
	return -1;
}

static int push(struct eval *ev, uint64_t v)
{
	if (ev->sp >= STACK_MAX)
		return fail(ev, "stack overflow", 0);
	ev->stack[ev->sp++] = v;
	return 0;
}

static int reg_value(struct eval *ev, int dwreg, uint64_t *v)
{
	int r = acid_reg_from_dwarf(dwreg);

	if (r < 0 || !(ev->regs->valid & (1u << r)))
		return fail(ev, "register not available in this frame", dwreg);
	*v = ev->regs->v[r];
	return 0;
}

static int eval_desc(struct eval *ev, Dwarf_Locdesc_c desc, Dwarf_Unsigned nops, struct sym_loc *loc);

/* Evaluates attribute at of die (a location expression or list) at ev->pc. */
static int eval_attr(struct eval *ev, Dwarf_Die die, Dwarf_Half at, struct sym_loc *loc)
{
	struct sym_module *m = ev->m;
	Dwarf_Attribute a;
	Dwarf_Error e = NULL;
	Dwarf_Loc_Head_c head = NULL;
	Dwarf_Unsigned count = 0;
	uint64_t linkpc = ev->pc - m->bias;
	int r = 1;

	if (dwarf_attr(die, at, &a, &e) != DW_DLV_OK) {
		dw_drop_err(m, e);
		loc->kind = SYM_LOC_OPTIMIZED;
		return 0;
	}
	Dwarf_Half form = 0;
	Dwarf_Off off = 0;
	if (dwarf_whatform(a, &form, &e) == DW_DLV_OK && form == DW_FORM_sec_offset &&
	    dwarf_global_formref(a, &off, &e) == DW_DLV_OK && !dw_list_ok(m, 1, off)) {
		dwarf_dealloc(m->dbg, a, DW_DLA_ATTR);
		return fail(ev, "corrupt location list", at);	/* libdwarf would read it blindly */
	}
	dw_drop_err(m, e);
	e = NULL;
	if (dwarf_get_loclist_c(a, &head, &count, &e) != DW_DLV_OK) {
		dw_drop_err(m, e);
		dwarf_dealloc(m->dbg, a, DW_DLA_ATTR);
		return fail(ev, "unreadable location", at);
	}
	unsigned kind = DW_LKIND_expression;
	dwarf_get_loclist_head_kind(head, &kind, &e);
	for (Dwarf_Unsigned i = 0; i < count && r > 0; i++) {
		Dwarf_Small lle = 0, src = 0;
		Dwarf_Unsigned rawlo, rawhi, nops = 0, eoff, doff;
		Dwarf_Bool unavail = 0;
		Dwarf_Addr lo = 0, hi = 0;
		Dwarf_Locdesc_c desc = NULL;
		if (dwarf_get_locdesc_entry_d(head, i, &lle, &rawlo, &rawhi, &unavail, &lo, &hi,
					      &nops, &desc, &src, &eoff, &doff, &e) != DW_DLV_OK) {
			dw_drop_err(m, e);
			e = NULL;
			r = fail(ev, "bad location list entry", at);
			break;
		}
		if (kind != DW_LKIND_expression && (unavail || linkpc < lo || linkpc >= hi))
			continue;
		ev->sp = 0;
		r = eval_desc(ev, desc, nops, loc);
	}
	if (r > 0)
		loc->kind = SYM_LOC_OPTIMIZED;	/* no entry covers pc */
	dwarf_loc_head_c_dealloc(head);
	dwarf_dealloc(m->dbg, a, DW_DLA_ATTR);
	return r < 0 ? -1 : 0;
}

/* DW_AT_frame_base of the current function, as a value. */
static int frame_base(struct eval *ev, uint64_t *fb)
{
	struct eval sub = *ev;
	struct sym_loc loc;
	Dwarf_Die fn;
	int r;

	if (!ev->func_off || ev->depth > 2)
		return fail(ev, "no frame base here", DW_OP_fbreg);
	if (dw_die(ev->s, ev->m, ev->func_off, &fn) < 0)
		return -1;
	sub.sp = 0;
	sub.depth++;
	r = eval_attr(&sub, fn, DW_AT_frame_base, &loc);
	dw_dealloc_die(ev->m, fn);
	if (r < 0)
		return -1;
	switch (loc.kind) {
	case SYM_LOC_ADDR: *fb = loc.addr; return 0;
	case SYM_LOC_REG:
		if (!(ev->regs->valid & (1u << loc.reg)))
			return fail(ev, "frame base register not available", loc.reg);
		*fb = ev->regs->v[loc.reg];
		return 0;
	case SYM_LOC_VALUE: memcpy(fb, loc.bytes, 8); return 0;
	default: return fail(ev, "frame base optimized out", DW_OP_fbreg);
	}
}

/* DW_OP_entry_value: only known at the function's first instruction, where
 * the registers still hold what the caller passed. */
static int entry_value(struct eval *ev, const uint8_t *block, Dwarf_Unsigned len, uint64_t *v)
{
	struct sym_symbol f;
	struct sym_loc loc;

	if (!block || len == 0 || sym_func_at(ev->s, ev->pc, &f) < 0 || f.addr != ev->pc)
		return 1;	/* not recoverable: optimized out */
	if (loc_eval_expr(ev->s, ev->m, block, len, ev->regs, ev->pc, ev->mem, ev->ctx, NULL, v) == 0)
		return 0;
	if (block[0] >= DW_OP_reg0 && block[0] <= DW_OP_reg31)
		return reg_value(ev, block[0] - DW_OP_reg0, v) < 0 ? 1 : 0;
	(void)loc;
	return 1;
}

static int binop(struct eval *ev, Dwarf_Small op)
{
	if (ev->sp < 2)
		return fail(ev, "stack underflow", op);
	uint64_t b = ev->stack[--ev->sp], a = ev->stack[ev->sp - 1], r;
	switch (op) {
	case DW_OP_plus: r = a + b; break;
	case DW_OP_minus: r = a - b; break;
	case DW_OP_mul: r = a * b; break;
	case DW_OP_div: if (!b) return fail(ev, "division by zero", op); r = (uint64_t)((int64_t)a / (int64_t)b); break;
	case DW_OP_mod: if (!b) return fail(ev, "division by zero", op); r = a % b; break;
	case DW_OP_and: r = a & b; break;
	case DW_OP_or: r = a | b; break;
	case DW_OP_xor: r = a ^ b; break;
	case DW_OP_shl: r = b < 64 ? a << b : 0; break;
	case DW_OP_shr: r = b < 64 ? a >> b : 0; break;
	case DW_OP_shra: r = (uint64_t)((int64_t)a >> (b < 64 ? b : 63)); break;
	case DW_OP_eq: r = a == b; break;
	case DW_OP_ne: r = a != b; break;
	case DW_OP_lt: r = (int64_t)a < (int64_t)b; break;
	case DW_OP_gt: r = (int64_t)a > (int64_t)b; break;
	case DW_OP_le: r = (int64_t)a <= (int64_t)b; break;
	case DW_OP_ge: r = (int64_t)a >= (int64_t)b; break;
	default: return fail(ev, "unsupported operator", op);
	}
	ev->stack[ev->sp - 1] = r;
	return 0;
}

/* Runs one operator; sets *jump to a byte offset for skip/bra, *res when the
 * operator ends a location (register, stack value, implicit value). */
static int step_op(struct eval *ev, Dwarf_Small op, Dwarf_Unsigned o1, Dwarf_Unsigned o2,
		   struct piece *res, int64_t *jump)
{
	uint64_t v;
	uint8_t buf[8] = { 0 };

	if (op >= DW_OP_lit0 && op <= DW_OP_lit31)
		return push(ev, op - DW_OP_lit0);
	if (op >= DW_OP_reg0 && op <= DW_OP_reg31) {
		res->kind = R_REG;
		res->v = op - DW_OP_reg0;
		return 0;
	}
	if (op >= DW_OP_breg0 && op <= DW_OP_breg31)
		return reg_value(ev, op - DW_OP_breg0, &v) < 0 ? -1 : push(ev, v + o1);
	switch (op) {
	case DW_OP_addr: return push(ev, o1 + ev->m->bias);
	case DW_OP_const1u: case DW_OP_const2u: case DW_OP_const4u: case DW_OP_const8u:
	case DW_OP_const1s: case DW_OP_const2s: case DW_OP_const4s: case DW_OP_const8s:
	case DW_OP_constu: case DW_OP_consts:
		return push(ev, o1);
	case DW_OP_regx: res->kind = R_REG; res->v = o1; return 0;
	case DW_OP_bregx: return reg_value(ev, (int)o1, &v) < 0 ? -1 : push(ev, v + o2);
	case DW_OP_fbreg: return frame_base(ev, &v) < 0 ? -1 : push(ev, v + o1);
	case DW_OP_call_frame_cfa:
		return unwind_cfa(ev->s, ev->regs, ev->pc, ev->mem, ev->ctx, &v) < 0 ? -1 : push(ev, v);
	case DW_OP_stack_value:
		if (ev->sp < 1)
			return fail(ev, "stack underflow", op);
		res->kind = R_VALUE;
		res->v = ev->stack[ev->sp - 1];
		return 0;
	case DW_OP_implicit_value:
		res->kind = R_BYTES;
		res->bytes = (const uint8_t *)(uintptr_t)o2;
		res->nbytes = o1;
		return 0;
	case DW_OP_entry_value: case DW_OP_GNU_entry_value: {
		int r = entry_value(ev, (const uint8_t *)(uintptr_t)o2, o1, &v);
		if (r)
			return r < 0 ? -1 : 1;	/* 1: optimized out */
		return push(ev, v);
	}
	case DW_OP_plus_uconst:
		if (ev->sp < 1)
			return fail(ev, "stack underflow", op);
		ev->stack[ev->sp - 1] += o1;
		return 0;
	case DW_OP_deref: case DW_OP_deref_size: {
		size_t n = op == DW_OP_deref ? 8 : o1;
		if (ev->sp < 1 || n > 8)
			return fail(ev, "bad dereference", op);
		if (ev->mem(ev->ctx, ev->stack[ev->sp - 1], buf, n) < 0)
			return fail(ev, "cannot read memory", op);
		memcpy(&v, buf, 8);
		ev->stack[ev->sp - 1] = v;
		return 0;
	}
	case DW_OP_dup: return ev->sp < 1 ? fail(ev, "stack underflow", op) : push(ev, ev->stack[ev->sp - 1]);
	case DW_OP_drop: if (ev->sp < 1) return fail(ev, "stack underflow", op); ev->sp--; return 0;
	case DW_OP_over: return ev->sp < 2 ? fail(ev, "stack underflow", op) : push(ev, ev->stack[ev->sp - 2]);
	case DW_OP_pick: return (int)o1 >= ev->sp ? fail(ev, "stack underflow", op) : push(ev, ev->stack[ev->sp - 1 - o1]);
	case DW_OP_swap:
		if (ev->sp < 2)
			return fail(ev, "stack underflow", op);
		v = ev->stack[ev->sp - 1];
		ev->stack[ev->sp - 1] = ev->stack[ev->sp - 2];
		ev->stack[ev->sp - 2] = v;
		return 0;
	case DW_OP_rot:
		if (ev->sp < 3)
			return fail(ev, "stack underflow", op);
		v = ev->stack[ev->sp - 1];
		ev->stack[ev->sp - 1] = ev->stack[ev->sp - 2];
		ev->stack[ev->sp - 2] = ev->stack[ev->sp - 3];
		ev->stack[ev->sp - 3] = v;
		return 0;
	case DW_OP_neg: case DW_OP_not: case DW_OP_abs:
		if (ev->sp < 1)
			return fail(ev, "stack underflow", op);
		v = ev->stack[ev->sp - 1];
		ev->stack[ev->sp - 1] = op == DW_OP_neg ? -v : op == DW_OP_not ? ~v : ((int64_t)v < 0 ? -v : v);
		return 0;
	case DW_OP_skip: *jump = (int64_t)o1; return 0;
	case DW_OP_bra:
		if (ev->sp < 1)
			return fail(ev, "stack underflow", op);
		if (ev->stack[--ev->sp])
			*jump = (int64_t)o1;
		return 0;
	case DW_OP_nop: return 0;
	}
	return binop(ev, op);
}

/* Copies one finished piece of n bytes into loc->bytes at *at. */
static int put_piece(struct eval *ev, const struct piece *p, size_t n, struct sym_loc *loc, size_t *at)
{
	uint8_t buf[SYM_LOC_MAX] = { 0 };
	uint64_t v;

	if (*at + n > SYM_LOC_MAX)
		return fail(ev, "value too large for pieces", DW_OP_piece);
	switch (p->kind) {
	case R_ADDR:
		if (ev->mem(ev->ctx, p->v, buf, n) < 0)
			return fail(ev, "cannot read memory", DW_OP_piece);
		break;
	case R_REG:
		if (reg_value(ev, (int)p->v, &v) < 0 || n > 8) {
			loc->partial = 1;	/* e.g. an xmm register acid cannot read */
			break;
		}
		memcpy(buf, &v, n);
		break;
	case R_VALUE: memcpy(buf, &p->v, n > 8 ? 8 : n); break;
	case R_BYTES: memcpy(buf, p->bytes, n < p->nbytes ? n : p->nbytes); break;
	case R_EMPTY: loc->partial = 1; break;
	}
	memcpy(loc->bytes + *at, buf, n);
	*at += n;
	return 0;
}

/* Turns what a whole (piece-less) expression left into loc. */
static int finish(struct eval *ev, struct piece *p, struct sym_loc *loc)
{
	switch (p->kind) {
	case R_EMPTY:
		if (ev->sp == 0) {
			loc->kind = SYM_LOC_OPTIMIZED;
			return 0;
		}
		loc->kind = SYM_LOC_ADDR;
		loc->addr = ev->stack[ev->sp - 1];
		return 0;
	case R_REG: {
		int r = acid_reg_from_dwarf((int)p->v);
		if (r < 0)
			return fail(ev, "value is in a register acid does not read", (unsigned)p->v);
		loc->kind = SYM_LOC_REG;
		loc->reg = r;
		return 0;
	}
	case R_VALUE:
		loc->kind = SYM_LOC_VALUE;
		loc->size = 8;
		memcpy(loc->bytes, &p->v, 8);
		return 0;
	case R_BYTES:
		loc->kind = SYM_LOC_VALUE;
		loc->size = p->nbytes < SYM_LOC_MAX ? p->nbytes : SYM_LOC_MAX;
		memcpy(loc->bytes, p->bytes, loc->size);
		return 0;
	default:
		return fail(ev, "bad result", 0);
	}
}

/* Evaluates one location description; 0 with loc set, -1 on error. */
static int eval_desc(struct eval *ev, Dwarf_Locdesc_c desc, Dwarf_Unsigned nops, struct sym_loc *loc)
{
	struct piece cur = { .kind = R_EMPTY };
	size_t at = 0, steps = 0;
	int pieces = 0;
	Dwarf_Error e = NULL;

	memset(loc, 0, sizeof *loc);
	for (Dwarf_Unsigned i = 0; i < nops; i++) {
		Dwarf_Small op = 0;
		Dwarf_Unsigned o1 = 0, o2 = 0, o3 = 0, off = 0;
		int64_t jump = INT64_MIN;
		if (++steps > 10000)
			return fail(ev, "expression does not terminate", 0);
		if (dwarf_get_location_op_value_c(desc, i, &op, &o1, &o2, &o3, &off, &e) != DW_DLV_OK) {
			dw_drop_err(ev->m, e);
			return fail(ev, "undecodable operator", 0);
		}
		if (op == DW_OP_piece) {
			if (cur.kind == R_EMPTY && ev->sp)
				cur = (struct piece){ .kind = R_ADDR, .v = ev->stack[ev->sp - 1] };
			if (put_piece(ev, &cur, o1, loc, &at) < 0)
				return -1;
			pieces = 1;
			cur.kind = R_EMPTY;
			ev->sp = 0;
			continue;
		}
		int r = step_op(ev, op, o1, o2, &cur, &jump);
		if (r < 0)
			return -1;
		if (r > 0) {	/* unrecoverable value: the whole thing is optimized out */
			memset(loc, 0, sizeof *loc);
			loc->kind = SYM_LOC_OPTIMIZED;
			return 0;
		}
		if (jump != INT64_MIN) {
			/* branch targets are byte offsets from the next operator */
			Dwarf_Unsigned next_off = off, o;
			Dwarf_Small op2;
			Dwarf_Unsigned a, b, c;
			if (i + 1 < nops && dwarf_get_location_op_value_c(desc, i + 1, &op2, &a, &b, &c, &o, &e) == DW_DLV_OK)
				next_off = o;
			dw_drop_err(ev->m, e);
			e = NULL;
			uint64_t target = next_off + jump;
			Dwarf_Unsigned k;
			for (k = 0; k < nops; k++)
				if (dwarf_get_location_op_value_c(desc, k, &op2, &a, &b, &c, &o, &e) == DW_DLV_OK && o == target)
					break;
			dw_drop_err(ev->m, e);
			e = NULL;
			if (k >= nops && target != next_off)
				return fail(ev, "branch out of expression", op);
			i = (k >= nops ? nops : k) - 1;
		}
	}
	if (!pieces)
		return finish(ev, &cur, loc);
	loc->kind = SYM_LOC_VALUE;
	loc->size = at;
	return 0;
}

int loc_eval_expr(struct sym *s, struct sym_module *m, const uint8_t *expr, size_t len,
		  const struct acid_regs *regs, uint64_t pc, acid_mem_fn mem, void *ctx,
		  const uint64_t *initial, uint64_t *result)
{
	struct eval ev = { .s = s, .m = m, .regs = regs, .pc = pc, .mem = mem, .ctx = ctx };
	Dwarf_Loc_Head_c head = NULL;
	Dwarf_Unsigned count = 0, nops = 0, rawlo, rawhi, eoff, doff;
	Dwarf_Error e = NULL;
	Dwarf_Small lle, src;
	Dwarf_Bool unavail;
	Dwarf_Addr lo, hi;
	Dwarf_Locdesc_c desc;
	struct sym_loc loc;
	int r = -1;

	if (!m->dbg)
		return fail(&ev, "no DWARF to decode with", 0);
	if (dwarf_loclist_from_expr_c(m->dbg, (Dwarf_Ptr)expr, len, 8, 4, 5, &head, &count, &e) != DW_DLV_OK ||
	    dwarf_get_locdesc_entry_d(head, 0, &lle, &rawlo, &rawhi, &unavail, &lo, &hi, &nops, &desc,
				      &src, &eoff, &doff, &e) != DW_DLV_OK) {
		dw_drop_err(m, e);
		if (head)
			dwarf_loc_head_c_dealloc(head);
		return fail(&ev, "undecodable expression", 0);
	}
	if (initial)	/* a CFI register rule starts with the CFA pushed */
		push(&ev, *initial);
	if (eval_desc(&ev, desc, nops, &loc) == 0) {
		r = 0;
		if (loc.kind == SYM_LOC_ADDR)
			*result = loc.addr;
		else if (loc.kind == SYM_LOC_VALUE)
			memcpy(result, loc.bytes, 8);
		else if (loc.kind == SYM_LOC_REG && (regs->valid & (1u << loc.reg)))
			*result = regs->v[loc.reg];
		else
			r = fail(&ev, "expression has no value", 0);
	}
	dwarf_loc_head_c_dealloc(head);
	return r;
}

int sym_var_locate(struct sym *s, const struct sym_var *var, uint64_t pc,
		   const struct acid_regs *regs, acid_mem_fn mem, void *ctx,
		   struct sym_loc *loc)
{
	struct sym_var_priv *p = var->priv;
	struct eval ev = { .s = s, .m = p->mod, .regs = regs, .pc = pc, .mem = mem, .ctx = ctx,
			   .func_off = p->func_off };
	Dwarf_Die die;
	int r;

	memset(loc, 0, sizeof *loc);
	if (p->has_const) {
		loc->kind = SYM_LOC_VALUE;
		loc->size = 8;
		memcpy(loc->bytes, &p->const_value, 8);
		return 0;
	}
	if (dw_die(s, p->mod, p->die_off, &die) < 0)
		return -1;
	r = eval_attr(&ev, die, DW_AT_location, loc);
	dw_dealloc_die(p->mod, die);
	return r;
}
