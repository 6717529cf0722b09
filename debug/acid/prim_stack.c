/*
 * prim_stack.c: the stack as acid data.
 *
 * strace() walks the selected thread's frames with the symbol reader's CFI
 * unwinder and returns a list of frames, each
 *   {fn, pc, sp, file, line, params, locals}
 * where params and locals are lists of {name, value}: the values are read
 * now, typed from DWARF, so the library's stk()/lstk() only print. A
 * variable the compiler optimized away reads as the string
 * "<optimized out>". fn:var locals (the host's lookup_local) use the same
 * walk to find fn's innermost frame. retval(fn) reads what fn returned.
 */
#include <stdio.h>
#include <string.h>

#include "session.h"

#define ACID_MAX_FRAMES 1024
#define ACID_MAX_VARS 256

struct frame_walk {
	struct acid_regs regs;
	int depth;              /* 0 = innermost */
	uint64_t lookup_pc;     /* pc, or return address - 1 in callers */
};

/* Starts a walk at the selected thread's registers; -1 if no registers. */
static int walk_start(struct acid_session *s, struct frame_walk *w)
{
	memset(w, 0, sizeof *w);
	if (!s->tgt || !(target_caps(s->tgt) & TARGET_CAN_REGS))
		return -1;
	if (target_get_regs(s->tgt, &w->regs) < 0)
		return -1;
	w->lookup_pc = w->regs.v[ACID_REG_RIP];
	return 0;
}

/* Moves to the caller; 0 at the outermost frame. */
static int walk_next(struct acid_session *s, struct frame_walk *w)
{
	struct acid_regs out;
	uint64_t sp = w->regs.v[ACID_REG_RSP];

	if (w->depth + 1 >= ACID_MAX_FRAMES)
		return 0;
	if (sym_unwind_step(s->sym, &w->regs, w->depth == 0, acid_sess_mem, s, &out) != 1)
		return 0;
	if (out.v[ACID_REG_RIP] == 0)
		return 0;
	/* The stack grows down: a caller's sp below ours means a broken chain. */
	if ((out.valid & (1u << ACID_REG_RSP)) && out.v[ACID_REG_RSP] < sp)
		return 0;
	w->regs = out;
	w->depth++;
	w->lookup_pc = out.v[ACID_REG_RIP] - 1;
	return 1;
}

static int readable(struct acid_session *s, uint64_t addr, uint64_t size)
{
	unsigned char b;

	if (size == 0)
		size = 1;
	return acid_sess_mem(s, addr, &b, 1) == 0 && acid_sess_mem(s, addr + size - 1, &b, 1) == 0;
}

/* The value of var in the frame of w, as an acid value (never raises). */
static struct acid_value var_value(struct acid_session *s, struct frame_walk *w,
                                   struct sym_var *var)
{
	struct acid_type *t = acid_ctype_from_sym(s, var->type);
	struct acid_type *st = acid_type_strip(t);
	struct sym_loc loc;
	char msg[300];

	if (sym_var_locate(s->sym, var, w->lookup_pc, &w->regs, acid_sess_mem, s, &loc) < 0) {
		snprintf(msg, sizeof msg, "<%s>", sym_error(s->sym));
		return acid_cstr(msg);
	}
	switch (loc.kind) {
	case SYM_LOC_ADDR:
		if (!readable(s, loc.addr, st ? st->size : 8)) {
			snprintf(msg, sizeof msg, "<unreadable 0x%llx>", (unsigned long long)loc.addr);
			return acid_cstr(msg);
		}
		if (!st)
			return acid_int((int64_t)loc.addr, 'A');
		return acid_type_load(s->a, t, loc.addr, '*');
	case SYM_LOC_REG:
		if (loc.reg < 0 || loc.reg >= ACID_NREGS || !(w->regs.valid & (1u << loc.reg)))
			return acid_cstr("<not saved>");
		return acid_value_from_bytes(s, t, &w->regs.v[loc.reg], 8);
	case SYM_LOC_VALUE:
		return acid_value_from_bytes(s, t, loc.bytes, loc.size);
	default:
		return acid_cstr("<optimized out>");
	}
}

static struct acid_value pair(const char *name, struct acid_value v)
{
	struct acid_value p = acid_list(2);

	p.l->v[0] = acid_cstr(name);
	p.l->v[1] = v;
	return p;
}

/* Params and locals of w's frame (of its inlined copy in, if not NULL) as
 * two lists of {name, value}. */
static void frame_vars(struct acid_session *s, struct frame_walk *w, const struct sym_inline *in,
                       struct acid_value *params, struct acid_value *locals)
{
	struct sym_var *vars[ACID_MAX_VARS];
	int n = in ? sym_inline_vars(s->sym, w->lookup_pc, in, vars, ACID_MAX_VARS)
	           : sym_vars_at(s->sym, w->lookup_pc, vars, ACID_MAX_VARS);

	*params = acid_list(0);
	*locals = acid_list(0);
	if (n > ACID_MAX_VARS)
		n = ACID_MAX_VARS;
	for (int i = 0; i < n; i++) {
		struct acid_value p = pair(vars[i]->name ? vars[i]->name : "?", var_value(s, w, vars[i]));

		if (vars[i]->kind == SYM_VAR_PARAM)
			*params = acid_list_append(*params, p);
		else
			*locals = acid_list_append(*locals, p);
	}
}

#define ACID_MAX_INLINE 16

/* The frames of one physical frame: its inlined copies innermost first
 * (fn is the inlined function's name, a string), then the function itself.
 * Each copy but the innermost, and the function, is at the line where the
 * copy inside it was inlined. */
static void frame_values(struct acid_session *s, struct frame_walk *w, int with_vars, int inlined,
                         struct acid_value *list, int64_t max)
{
	struct sym_inline chain[ACID_MAX_INLINE];
	int n = inlined ? sym_inline_at(s->sym, w->lookup_pc, chain, ACID_MAX_INLINE) : 0;
	struct sym_line ln;
	const char *file = "";
	int line = 0;

	if (sym_pc_line(s->sym, w->lookup_pc, &ln) == 0) {
		file = ln.file ? ln.file : "";
		line = ln.line;
	}
	for (int i = 0; i <= n && list->l->n < max; i++) {
		struct acid_value f = acid_list(7);
		struct sym_symbol fn;

		if (i < n)
			f.l->v[0] = acid_cstr(chain[i].name ? chain[i].name : "?");
		else
			f.l->v[0] = acid_int(sym_func_at(s->sym, w->lookup_pc, &fn) == 0 ? (int64_t)fn.addr : 0, 'a');
		f.l->v[1] = acid_int((int64_t)w->regs.v[ACID_REG_RIP], 'a');
		f.l->v[2] = acid_int((int64_t)w->regs.v[ACID_REG_RSP], 'Y');
		f.l->v[3] = acid_cstr(file);
		f.l->v[4] = acid_int(line, 'D');
		if (with_vars) {
			frame_vars(s, w, i < n ? &chain[i] : NULL, &f.l->v[5], &f.l->v[6]);
		} else {
			f.l->v[5] = acid_list(0);
			f.l->v[6] = acid_list(0);
		}
		*list = acid_list_append(*list, f);
		if (i < n) {	/* the caller's line is the call site */
			file = chain[i].call_file ? chain[i].call_file : file;
			line = chain[i].call_line;
		}
	}
}

/* strace([max [, withvars [, inlined [, until]]]]): the frames of the
 * selected thread, innermost first; inlined = 0 leaves out frames of
 * inlined code; the walk ends with the frame of the function named until
 * if there is one (stk() stops at "main" without reading what lies past). */
static void bi_strace(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	struct acid_session *s = acid_sess;
	struct frame_walk w;
	int64_t max = argc > 0 ? acid_need_int(a, argv[0], "strace max") : ACID_MAX_FRAMES;
	int with_vars = argc > 1 ? (int)acid_need_int(a, argv[1], "strace withvars") : 1;
	int inlined = argc > 2 ? (int)acid_need_int(a, argv[2], "strace inlined") : 1;
	const char *until = argc > 3 ? acid_need_str(a, argv[3], "strace until") : NULL;
	struct sym_symbol fn, last;

	acid_need_sym(a);
	acid_need_target(a);
	if (argc > 4)
		acid_error(a, "strace: expected at most 4 arguments");
	if (walk_start(s, &w) < 0)
		acid_error(a, "strace: cannot read registers: %s", target_error(s->tgt));
	*ret = acid_list(0);
	do {
		frame_values(s, &w, with_vars, inlined, ret, max);
		if (until && sym_func_at(s->sym, w.lookup_pc, &fn) == 0 && sym_lookup(s->sym, until, &last) == 0 &&
		    fn.addr == last.addr)
			break;
	} while (ret->l->n < max && walk_next(s, &w));
}

/* fn:var for the host: the address of var in fn's innermost active frame. */
int acid_prim_lookup_local(void *ctx, const char *fn, const char *var,
                           struct acid_value *out, char *err, size_t errlen)
{
	struct acid_session *s = ctx;
	struct frame_walk w;
	struct sym_symbol sy, want;

	if (!s->sym || walk_start(s, &w) < 0) {
		snprintf(err, errlen, "no process");
		return 0;
	}
	if (sym_lookup(s->sym, fn, &want) < 0) {
		snprintf(err, errlen, "no function %s", fn);
		return 0;
	}
	do {
		struct sym_var *vars[ACID_MAX_VARS];
		int n;

		if (sym_func_at(s->sym, w.lookup_pc, &sy) < 0 || sy.addr != want.addr)
			continue;
		n = sym_vars_at(s->sym, w.lookup_pc, vars, ACID_MAX_VARS);
		for (int i = n > ACID_MAX_VARS ? ACID_MAX_VARS - 1 : n - 1; i >= 0; i--) {
			struct sym_loc loc;

			if (!vars[i]->name || strcmp(vars[i]->name, var) != 0)
				continue;
			if (sym_var_locate(s->sym, vars[i], w.lookup_pc, &w.regs, acid_sess_mem, s, &loc) < 0) {
				snprintf(err, errlen, "%s", sym_error(s->sym));
				return 0;
			}
			if (loc.kind == SYM_LOC_OPTIMIZED) {
				snprintf(err, errlen, "optimized out here");
				return 0;
			}
			if (loc.kind == SYM_LOC_ADDR) {
				*out = acid_int((int64_t)loc.addr, 'A');
			} else if (loc.kind == SYM_LOC_REG && w.depth == 0) {
				*out = acid_int(loc.reg, 'Y');
				out->kind = AV_REG;
				return 1;
			} else {
				const void *b = loc.kind == SYM_LOC_REG ? (void *)&w.regs.v[loc.reg] : (void *)loc.bytes;

				*out = acid_int((int64_t)acid_scratch_put(s, b, loc.kind == SYM_LOC_REG ? 8 : loc.size), 'A');
			}
			out->type = acid_ctype_from_sym(s, vars[i]->type);
			return 1;
		}
		snprintf(err, errlen, "%s has no variable %s here", fn, var);
		return 0;
	} while (walk_next(s, &w));
	snprintf(err, errlen, "%s is not on the stack", fn);
	return 0;
}

/* Does t hold a float anywhere (SysV passes those in SSE registers)? */
static int has_float(const struct sym_type *t, int depth)
{
	t = sym_type_strip(t);
	if (!t || depth > 8)
		return 0;
	if (t->kind == SYM_T_BASE)
		return t->encoding == SYM_ENC_FLOAT;
	if (t->kind == SYM_T_ARRAY)
		return has_float(t->target, depth + 1);
	for (int i = 0; (t->kind == SYM_T_STRUCT || t->kind == SYM_T_UNION) && i < t->nmembers; i++)
		if (has_float(t->members[i].type, depth + 1))
			return 1;
	return 0;
}

/* retval(fn): what the function at fn has just returned, read from where
 * the SysV ABI puts it (rax, rax:rdx, or memory rax points to for larger
 * aggregates) and typed by fn's DWARF return type; {} if fn returns
 * nothing or has no DWARF. Values in SSE registers (floats) are not read: a string says so. */
static void bi_retval(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	struct acid_session *s = acid_sess;
	struct sym_type *t;
	const struct sym_type *st;
	struct acid_regs r;
	int is_void;
	uint64_t fn;

	if (argc != 1)
		acid_error(a, "retval: expected 1 argument, got %d", argc);
	fn = (uint64_t)acid_need_int(a, argv[0], "retval");
	if (sym_func_proto(acid_need_sym(a), fn, NULL, &t, &is_void, NULL, 0) < 0) {
		*ret = acid_list(0);	/* no DWARF: nothing known to print */
		return;
	}
	if (target_get_regs(acid_need_target(a), &r) < 0)
		acid_error(a, "retval: cannot read registers: %s", target_error(s->tgt));
	st = sym_type_strip(t);
	if (is_void || (st && st->kind == SYM_T_VOID)) {
		*ret = acid_list(0);
		return;
	}
	if (has_float(st, 0)) {
		*ret = acid_cstr("<in SSE registers, which acid does not read>");
		return;
	}
	if (st && (st->kind == SYM_T_STRUCT || st->kind == SYM_T_UNION || st->kind == SYM_T_ARRAY) &&
	    st->size > 16) {
		*ret = acid_type_load(a, acid_ctype_from_sym(s, t), r.v[ACID_REG_RAX], '*');
		return;
	}
	uint64_t pair[2] = { r.v[ACID_REG_RAX], r.v[ACID_REG_RDX] };
	*ret = acid_value_from_bytes(s, acid_ctype_from_sym(s, t), pair, st && st->size ? st->size : 8);
}

/* Registers strace and retval. */
void acid_prim_stack_init(struct acid *a)
{
	acid_builtin_add(a, "strace", bi_strace);
	acid_builtin_add(a, "retval", bi_retval);
}
