/*
 * verify.c: unit tests of the trace verifier (trace/lang/verify.c).
 *
 * Programs are built here instruction by instruction: the compiler's
 * output must pass; each unsafe program (every rule the verifier states)
 * must be refused with a reason that names it. The verifier is also
 * checked against the compiler: mutating one compiled instruction into
 * something unsafe (a backward jump, a forged string, an index past a
 * table) must be caught.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "tap.h"

/* diag() for after a failed ok(): ok(...) || note(...); */
__attribute__((format(printf, 1, 2)))
static int note(const char *fmt, ...)
{
	char buf[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	diag("%s", buf);
	return 0;
}

/* A program with one clause of the given code and a few tables. */
static struct tr_prog *prog(const struct tr_insn *code, uint32_t len)
{
	struct tr_prog *p = tr_xalloc(sizeof *p);
	struct tr_clause *cl;
	char why[64];

	p->name = tr_strdup("unit");
	p->nstrs = 1;
	p->strs = tr_xalloc(sizeof *p->strs);
	p->strs[0] = tr_strdup("hello");
	p->nvars = 3;
	p->vars = tr_xalloc(sizeof *p->vars * 3);
	p->vars[0] = (struct tr_var){ tr_strdup("i"), TR_GLOBAL, TR_T_INT, 0, { 0 } };
	p->vars[1] = (struct tr_var){ tr_strdup("s"), TR_THREAD, TR_T_STR, 0, { 0 } };
	p->vars[2] = (struct tr_var){ tr_strdup("a"), TR_GLOBAL, TR_T_INT, 2, { TR_T_INT, TR_T_STR } };
	p->naggs = 1;
	p->aggs = tr_xalloc(sizeof *p->aggs);
	p->aggs[0] = (struct tr_aggdef){ .name = tr_strdup("q"), .func = TR_A_SUM, .nkeys = 1,
					 .keys = { TR_T_STR } };
	p->nfmts = 1;
	p->fmts = tr_xalloc(sizeof *p->fmts);
	tr_fmt_parse(&p->fmts[0], "%d %s\n", 0, why, sizeof why);
	p->nclauses = 1;
	p->clauses = tr_xalloc(sizeof *p->clauses);
	cl = &p->clauses[0];
	cl->ndesc = 1;
	cl->desc = tr_xalloc(sizeof *cl->desc);
	for (int f = 0; f < 3; f++)
		cl->desc[0].field[f] = tr_strdup("");
	cl->desc[0].field[3] = tr_strdup("BEGIN");
	cl->len = len;
	cl->code = tr_xalloc(sizeof *code * (len ? len : 1));
	memcpy(cl->code, code, sizeof *code * len);
	return p;
}

#define I(op, a, b, imm) { TR_OP_##op, a, b, imm }
#define LEN(c) (uint32_t)(sizeof c / sizeof c[0])

/* Verifies code; want NULL: must pass; else must fail naming want. */
static void expect(const struct tr_insn *code, uint32_t len, const char *want, const char *what)
{
	struct tr_prog *p = prog(code, len);
	char err[512] = "";
	int r = tr_verify(p, err, sizeof err);

	if (!want)
		(void)(ok(r == 0, "accepts %s", what) || note("refused: %s", err));
	else
		(void)(ok(r < 0 && strstr(err, want), "refuses %s", what) || note("got %d: %s", r, err));
	tr_prog_free(p);
}

static void safe_programs(void)
{
	static const struct tr_insn printf_ok[] = { I(PUSHI, 0, 0, 1), I(PUSHS, 0, 0, 0),
						    I(PRINTF, 2, 0, 0), I(RET, 0, 0, 0) };
	static const struct tr_insn branches[] = { I(LDV, 0, 0, 0), I(JZ, 0, 0, 2), I(PUSHI, 0, 0, 1),
						   I(JMP, 0, 0, 1), I(PUSHI, 0, 0, 2), I(STV, 0, 0, 0),
						   I(POP, 0, 0, 0), I(RET, 0, 0, 0) };
	static const struct tr_insn arrays[] = { I(PUSHI, 0, 0, 1), I(PUSHS, 0, 0, 0),
						 I(PUSHI, 0, 0, 7), I(STA, 2, 2, 0), I(POP, 0, 0, 0),
						 I(PUSHS, 0, 0, 0), I(LDB, 0, TR_B_ARG0, 0),
						 I(AGG, 1, 0, 0), I(RET, 0, 0, 0) };

	expect(printf_ok, LEN(printf_ok), NULL, "printf with matching arguments");
	expect(branches, LEN(branches), NULL, "a diamond of forward jumps");
	expect(arrays, LEN(arrays), NULL, "array stores and an aggregation");
}

static void unsafe_programs(void)
{
	static const struct tr_insn back[] = { I(NOP, 0, 0, 0), I(JMP, 0, 0, -2), I(RET, 0, 0, 0) };
	static const struct tr_insn past[] = { I(JMP, 0, 0, 1), I(RET, 0, 0, 0) };
	static const struct tr_insn under[] = { I(POP, 0, 0, 0), I(RET, 0, 0, 0) };
	static const struct tr_insn forged[] = { I(PUSHI, 0, 0, 1), I(PUSHI, 0, 0, 0x1000),
						 I(PRINTF, 2, 0, 0), I(RET, 0, 0, 0) };
	static const struct tr_insn scmp_int[] = { I(PUSHI, 0, 0, 1), I(PUSHS, 0, 0, 0),
						   I(SCMP, 0, 0, 0), I(POP, 0, 0, 0), I(RET, 0, 0, 0) };
	static const struct tr_insn badvar[] = { I(LDV, 0, 3, 0), I(POP, 0, 0, 0), I(RET, 0, 0, 0) };
	static const struct tr_insn scalar_as_array[] = { I(PUSHI, 0, 0, 1), I(LDA, 1, 0, 0),
							  I(POP, 0, 0, 0), I(RET, 0, 0, 0) };
	static const struct tr_insn wrong_key[] = { I(PUSHS, 0, 0, 0), I(PUSHS, 0, 0, 0),
						    I(LDA, 2, 2, 0), I(POP, 0, 0, 0), I(RET, 0, 0, 0) };
	static const struct tr_insn badconst[] = { I(PUSHK, 0, 0, 0), I(POP, 0, 0, 0), I(RET, 0, 0, 0) };
	static const struct tr_insn badstr[] = { I(PUSHS, 0, 0, -1), I(POP, 0, 0, 0), I(RET, 0, 0, 0) };
	static const struct tr_insn badop[] = { { 200, 0, 0, 0 }, I(RET, 0, 0, 0) };
	static const struct tr_insn reserved[] = { I(POP, 1, 0, 0), I(RET, 0, 0, 0) };
	static const struct tr_insn noret[] = { I(NOP, 0, 0, 0) };
	static const struct tr_insn leftover[] = { I(PUSHI, 0, 0, 0), I(RET, 0, 0, 0) };
	static const struct tr_insn unreachable[] = { I(RET, 0, 0, 0), I(RET, 0, 0, 0) };
	static const struct tr_insn mismatch[] = { I(PUSHI, 0, 0, 0), I(JZ, 0, 0, 1),
						   I(PUSHS, 0, 0, 0), I(RET, 0, 0, 0) };
	static const struct tr_insn aggkeys[] = { I(PUSHI, 0, 0, 1), I(AGG, 0, 0, 0), I(RET, 0, 0, 0) };
	static const struct tr_insn badagg[] = { I(CLEAR, 0, 9, 0), I(RET, 0, 0, 0) };
	static const struct tr_insn badfmt[] = { I(PRINTF, 0, 4, 0), I(RET, 0, 0, 0) };
	static const struct tr_insn fmtcount[] = { I(PUSHI, 0, 0, 1), I(PRINTF, 1, 0, 0), I(RET, 0, 0, 0) };
	static const struct tr_insn badsubr[] = { I(CALL, 0, 99, 0), I(POP, 0, 0, 0), I(RET, 0, 0, 0) };
	static const struct tr_insn badbuiltin[] = { I(LDB, 0, 999, 0), I(POP, 0, 0, 0), I(RET, 0, 0, 0) };
	static const struct tr_insn frames[] = { I(STACK, 0, 0, 0), I(PSTACK, 0, 0, 0), I(RET, 0, 0, 0) };
	static const struct tr_insn stackval[] = { I(STACK, 1, 0, 4), I(EXIT, 0, 0, 0), I(RET, 0, 0, 0) };
	static const struct tr_insn tracetype[] = { I(PUSHI, 0, 0, 1), I(TRACE, 9, 0, 0), I(RET, 0, 0, 0) };
	struct tr_insn deep[TR_MAX_STACK + 2];

	expect(back, LEN(back), "backward jump", "a backward jump");
	expect(past, LEN(past), "past the end", "a jump past the end");
	expect(under, LEN(under), "underflow", "a stack underflow");
	expect(forged, LEN(forged), "must be string", "an integer used as a string");
	expect(scmp_int, LEN(scmp_int), "must be string", "comparing an integer as a string");
	expect(badvar, LEN(badvar), "variable 3 does not exist", "a variable past the table");
	expect(scalar_as_array, LEN(scalar_as_array), "is not an array", "a scalar indexed");
	expect(wrong_key, LEN(wrong_key), "must be int", "a key of the wrong type");
	expect(badconst, LEN(badconst), "constant 0 does not exist", "a constant past the table");
	expect(badstr, LEN(badstr), "string -1 does not exist", "a negative string index");
	expect(badop, LEN(badop), "unknown opcode 200", "an unknown opcode");
	expect(reserved, LEN(reserved), "reserved operand", "a non-zero reserved field");
	expect(noret, LEN(noret), "last instruction must be ret", "a clause without ret");
	expect(leftover, LEN(leftover), "at ret", "values left at ret");
	expect(unreachable, LEN(unreachable), "unreachable", "dead code");
	expect(mismatch, LEN(mismatch), "differs between the paths", "paths that disagree");
	expect(aggkeys, LEN(aggkeys), "has 1 keys, not 0", "an aggregation with too few keys");
	expect(badagg, LEN(badagg), "aggregation 9 does not exist", "an aggregation past the table");
	expect(badfmt, LEN(badfmt), "format 4 does not exist", "a format past the table");
	expect(fmtcount, LEN(fmtcount), "takes 2 arguments, not 1", "printf short of arguments");
	expect(badsubr, LEN(badsubr), "subroutine 99 does not exist", "an unknown subroutine");
	expect(badbuiltin, LEN(badbuiltin), "built-in variable 999", "an unknown built-in");
	expect(frames, LEN(frames), "frames", "a stack of 0 frames");
	expect(stackval, LEN(stackval), "must be int", "a stack used as a number");
	expect(tracetype, LEN(tracetype), "bad type 9", "trace of no type");
	deep[0] = (struct tr_insn)I(PUSHI, 0, 0, 1);
	for (int i = 1; i <= TR_MAX_STACK; i++)
		deep[i] = (struct tr_insn)I(DUP, 0, 0, 0);
	deep[TR_MAX_STACK + 1] = (struct tr_insn)I(RET, 0, 0, 0);
	expect(deep, LEN(deep), "overflow", "a stack deeper than the limit");
	expect(NULL, 0, "no instructions", "an empty clause");
}

static void tables(void)
{
	static const struct tr_insn ret[] = { I(RET, 0, 0, 0) };
	struct tr_prog *p = prog(ret, 1);
	char err[512] = "";

	free(p->strs[0]);
	p->strs[0] = malloc(TR_STRSIZE + 2);
	memset(p->strs[0], 'x', TR_STRSIZE + 1);
	p->strs[0][TR_STRSIZE + 1] = '\0';
	(void)(ok(tr_verify(p, err, sizeof err) < 0 && strstr(err, "longer than"), "refuses a long string")
		|| note("%s", err));
	p->strs[0][3] = '\0';
	p->vars[1].nkeys = 1;	/* a thread-local array */
	(void)(ok(tr_verify(p, err, sizeof err) < 0 && strstr(err, "only global arrays"),
	   "refuses a thread-local array") || note("%s", err));
	p->vars[1].nkeys = 0;
	p->aggs[0].func = TR_A_LQUANTIZE;
	p->aggs[0].lq_step = 0;
	(void)(ok(tr_verify(p, err, sizeof err) < 0 && strstr(err, "lquantize"),
	   "refuses lquantize with step 0") || note("%s", err));
	tr_prog_free(p);
}

/* Compiled programs pass; one mutated instruction must not. */
static void against_compiler(void)
{
	static const char script[] =
		"syscall:::entry /arg0 > 2 && execname == \"echo\"/ { @[probefunc] = sum(arg1); "
		"self->t = timestamp; x = arg0 ? \"a\" : \"b\"; printf(\"%d %s\\n\", arg0, x); }";
	char err[512] = "";
	struct tr_prog *p = tr_compile(script, "m.d", err, sizeof err);
	struct tr_clause *cl;
	int jumps = 0, njumps = 0;

	(void)(ok(p != NULL, "the compiler's output verifies") || note("%s", err));
	if (!p)
		return;
	cl = &p->clauses[0];
	for (uint32_t i = 0; i < cl->len; i++) {
		struct tr_insn saved = cl->code[i];

		if (saved.op == TR_OP_JZ || saved.op == TR_OP_JNZ || saved.op == TR_OP_JMP) {
			cl->code[i].imm = -1 - (int32_t)i;	/* back to instruction 0 */
			jumps += tr_verify(p, err, sizeof err) < 0 && strstr(err, "backward");
			jumps--;
			njumps++;
		}
		if (saved.op == TR_OP_PUSHS) {
			cl->code[i].op = TR_OP_PUSHI;	/* an integer where a string was */
			(void)(ok(tr_verify(p, err, sizeof err) < 0, "a forged string at %u is refused", i)
				|| note("accepted"));
		}
		if (saved.op == TR_OP_LDV || saved.op == TR_OP_STV) {
			cl->code[i].b = (uint16_t)p->nvars;
			(void)(ok(tr_verify(p, err, sizeof err) < 0 && strstr(err, "does not exist"),
			   "a variable past the table at %u is refused", i) || note("%s", err));
		}
		cl->code[i] = saved;
	}
	ok(njumps > 2 && jumps == 0, "every jump turned backward is refused (%d jumps)", njumps);
	(void)(ok(tr_verify(p, err, sizeof err) == 0, "the restored program verifies again") || note("%s", err));
	tr_prog_free(p);
}

int main(void)
{
	plan_no_plan();
	safe_programs();
	unsafe_programs();
	tables();
	against_compiler();
	return done_testing();
}
