/*
 * bytecode.h: the trace bytecode, what the compiler emits, the verifier
 * checks and the VM runs (docs/trace.md, "The bytecode").
 *
 * A clause is an array of fixed 8-byte instructions for a stack machine
 * whose slots are typed (integer, string, stack). Every jump is forward,
 * so a clause runs at most once through its instructions. Operands name
 * entries of the program's tables (constants, strings, variables,
 * aggregations, formats), never memory addresses.
 */
#ifndef TRACE_BYTECODE_H
#define TRACE_BYTECODE_H

#include <stdint.h>

/* One instruction: opcode, two small operands, one 32-bit immediate. */
struct tr_insn {
	uint8_t op;
	uint8_t a;
	uint16_t b;
	int32_t imm;
};

/* Slot types, as the verifier tracks them. */
enum tr_type { TR_T_NONE, TR_T_INT, TR_T_STR, TR_T_STACK };

/*
 * X(name, pops, pushes): pops/pushes -1 means "depends on the operands"
 * (the verifier computes those itself).
 */
#define TR_OPCODES(X) \
	X(NOP,    0, 0)	/* nothing */ \
	X(PUSHI,  0, 1)	/* push imm (sign-extended) */ \
	X(PUSHK,  0, 1)	/* push constant #imm */ \
	X(PUSHS,  0, 1)	/* push string constant #imm */ \
	X(POP,    1, 0)	/* drop the top slot */ \
	X(DUP,    1, 2)	/* push a copy of the top slot */ \
	X(ADD,    2, 1) X(SUB, 2, 1) X(MUL, 2, 1) \
	X(DIV,    2, 1)	/* signed; division by zero is a runtime error */ \
	X(MOD,    2, 1) \
	X(AND,    2, 1) X(OR, 2, 1) X(XOR, 2, 1) \
	X(SHL,    2, 1) X(SHR, 2, 1)	/* shift counts are taken modulo 64 */ \
	X(NEG,    1, 1) X(NOT, 1, 1)	/* -x, ~x */ \
	X(LNOT,   1, 1)	/* !x: 1 if x is 0, else 0 */ \
	X(EQ,     2, 1) X(NE, 2, 1) X(LT, 2, 1) X(LE, 2, 1) X(GT, 2, 1) X(GE, 2, 1) \
	X(ULT,    2, 1) X(ULE, 2, 1) X(UGT, 2, 1) X(UGE, 2, 1) \
	X(SCMP,   2, 1)	/* strcmp of two strings: -1, 0, 1 */ \
	X(JMP,    0, 0)	/* pc += 1 + imm, imm >= 0 */ \
	X(JZ,     1, 0)	/* pop; jump like JMP if it is 0 */ \
	X(JNZ,    1, 0) \
	X(LDV,    0, 1)	/* push scalar variable #b (global, self-> or this->) */ \
	X(STV,    1, 1)	/* store the top slot into variable #b, leave it */ \
	X(LDA,   -1, 1)	/* pop a keys, push array variable #b[keys] */ \
	X(STA,   -1, 1)	/* pop value and a keys, store, push the value */ \
	X(LDB,    0, 1)	/* push built-in variable #b (enum tr_builtin) */ \
	X(LDARG,  1, 1)	/* pop an index, push args[index] (0..9, else error) */ \
	X(CALL,  -1, 1)	/* subroutine #b (enum tr_subr) with a arguments */ \
	X(AGG,   -1, 0)	/* aggregation #b: pop a keys (and the value if it takes one) */ \
	X(TRACE,  1, 0)	/* trace(x); a = x's type (enum tr_type) */ \
	X(PRINTF,-1, 0)	/* printf with format #b and a arguments */ \
	X(PRINTA, 0, 0)	/* printa aggregation #b, format #imm (-1: none) */ \
	X(CLEAR,  0, 0)	/* clear aggregation #b */ \
	X(TRUNC, -1, 0)	/* trunc aggregation #b; a = 1: pop the count to keep */ \
	X(STACK,  0, 1)	/* push a stack: a = 0 kernel, 1 user; imm = frames */ \
	X(PSTACK, 1, 0)	/* print the stack on top (stack(), ustack() as actions) */ \
	X(EXIT,   1, 0)	/* request exit with the popped status */ \
	X(RET,    0, 0)	/* end of clause */

enum tr_op {
#define TR_OP_ENUM(n, pops, pushes) TR_OP_##n,
	TR_OPCODES(TR_OP_ENUM)
#undef TR_OP_ENUM
	TR_OP_COUNT
};

/* Built-in variables (LDB b). */
#define TR_BUILTINS(X) \
	X(PID, "pid", TR_T_INT) X(TID, "tid", TR_T_INT) X(EXECNAME, "execname", TR_T_STR) \
	X(PROBEPROV, "probeprov", TR_T_STR) X(PROBEMOD, "probemod", TR_T_STR) \
	X(PROBEFUNC, "probefunc", TR_T_STR) X(PROBENAME, "probename", TR_T_STR) \
	X(TIMESTAMP, "timestamp", TR_T_INT) X(VTIMESTAMP, "vtimestamp", TR_T_INT) \
	X(WALLTIMESTAMP, "walltimestamp", TR_T_INT) X(CPU, "cpu", TR_T_INT) \
	X(ID, "id", TR_T_INT) \
	X(ARG0, "arg0", TR_T_INT) X(ARG1, "arg1", TR_T_INT) X(ARG2, "arg2", TR_T_INT) \
	X(ARG3, "arg3", TR_T_INT) X(ARG4, "arg4", TR_T_INT) X(ARG5, "arg5", TR_T_INT) \
	X(ARG6, "arg6", TR_T_INT) X(ARG7, "arg7", TR_T_INT) X(ARG8, "arg8", TR_T_INT) \
	X(ARG9, "arg9", TR_T_INT)

enum tr_builtin {
#define TR_B_ENUM(id, name, type) TR_B_##id,
	TR_BUILTINS(TR_B_ENUM)
#undef TR_B_ENUM
	TR_B_COUNT
};

/* Subroutines (CALL b, a arguments): name, result, argument types. */
#define TR_SUBRS(X) \
	X(STRLEN,    "strlen",    TR_T_INT, 1, 1, TR_T_STR, TR_T_NONE, TR_T_NONE) \
	X(STRJOIN,   "strjoin",   TR_T_STR, 2, 2, TR_T_STR, TR_T_STR, TR_T_NONE) \
	X(SUBSTR,    "substr",    TR_T_STR, 2, 3, TR_T_STR, TR_T_INT, TR_T_INT) \
	X(LLTOSTR,   "lltostr",   TR_T_STR, 1, 1, TR_T_INT, TR_T_NONE, TR_T_NONE) \
	X(STRSTR,    "strstr",    TR_T_STR, 2, 2, TR_T_STR, TR_T_STR, TR_T_NONE) \
	X(COPYIN,    "copyin",    TR_T_INT, 2, 2, TR_T_INT, TR_T_INT, TR_T_NONE) \
	X(COPYINSTR, "copyinstr", TR_T_STR, 1, 2, TR_T_INT, TR_T_INT, TR_T_NONE)

enum tr_subr {
#define TR_S_ENUM(id, name, ret, min, max, t0, t1, t2) TR_S_##id,
	TR_SUBRS(TR_S_ENUM)
#undef TR_S_ENUM
	TR_S_COUNT
};

/* Aggregating functions. */
#define TR_AGGFUNCS(X) \
	X(COUNT, "count", 0) X(SUM, "sum", 1) X(MIN, "min", 1) X(MAX, "max", 1) \
	X(AVG, "avg", 1) X(STDDEV, "stddev", 1) X(QUANTIZE, "quantize", 1) \
	X(LQUANTIZE, "lquantize", 1)

enum tr_aggfunc {
#define TR_A_ENUM(id, name, nargs) TR_A_##id,
	TR_AGGFUNCS(TR_A_ENUM)
#undef TR_A_ENUM
	TR_A_NFUNCS
};

/* Limits the verifier enforces (and the compiler respects). */
enum {
	TR_MAX_INSNS = 8192,	/* instructions per clause */
	TR_MAX_STACK = 64,	/* slots on the VM stack */
	TR_STRSIZE = 256,	/* bytes in a string, its NUL excluded */
	TR_MAX_KEYS = 8,	/* keys of an array or aggregation */
	TR_MAX_ARGS = 16,	/* printf arguments, subroutine arguments */
	TR_MAX_FRAMES = 32,	/* frames in a stack() */
	TR_NARGS = 10,		/* arg0..arg9 */
	TR_QUANT_BUCKETS = 127,	/* quantize: 63 negative, zero, 63 positive */
	TR_LQUANT_MAX_LEVELS = 4096,
};

#endif
