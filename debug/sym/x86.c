/*
 * x86.c: just enough x86_64 decoding for a debugger: instruction lengths
 * (prefixes, REX, VEX/EVEX, one/two/three-byte opcode maps, ModRM/SIB,
 * displacements, immediates) and the follow set of control transfers
 * (jcc, jmp, call, ret, loop, indirect jmp/call through registers or
 * memory). acid's step and next are built on these in the library.
 */
#include <string.h>

#include "sym_impl.h"

struct insn {
	uint8_t b[15];
	int len;		/* bytes decoded so far, then the total */
	int rex, opsize16, addr32, seg;	/* prefixes; seg is 0x64 (fs) or 0x65 (gs) */
	int map;		/* 0 one-byte, 1 0F, 2 0F38, 3 0F3A */
	uint8_t op;
	int has_modrm, modrm_at;
	int disp_at, disp_len;
	int imm_at, imm_len;
};

/* One-byte opcodes with a ModRM byte, as a 256-bit set. */
static const uint32_t modrm1[8] = {
	0x0f0f0f0f, 0x0f0f0f0f, 0x00000000, 0x00000a0c,	/* 00-3f ALU; 62-63, 69, 6b */
	0x0000ffff, 0x00000000, 0xff0f00f3, 0xc0c00000	/* 80-8f; c0 c1 c4 c5 c6 c7, d0-d3 d8-df; f6 f7 fe ff */
};

/* Two-byte (0F xx) opcodes WITHOUT a ModRM byte. */
static int no_modrm2(uint8_t op)
{
	return (op >= 0x04 && op <= 0x09) || op == 0x0b || op == 0x0e || (op >= 0x30 && op <= 0x37) ||
	       op == 0x77 || (op >= 0x80 && op <= 0x8f) || op == 0xa0 || op == 0xa1 || op == 0xa2 ||
	       op == 0xa8 || op == 0xa9 || op == 0xaa || (op >= 0xc8 && op <= 0xcf);
}

static int bit(const uint32_t *set, uint8_t op)
{
	return (set[op >> 5] >> (op & 31)) & 1;
}

/* Immediate size of a one-byte opcode (reg is ModRM.reg for group opcodes). */
static int imm1(const struct insn *in, int reg)
{
	uint8_t op = in->op;
	int z = in->opsize16 ? 2 : 4;

	if (op < 0x40 && (op & 7) == 4)
		return 1;
	if (op < 0x40 && (op & 7) == 5)
		return z;
	if ((op >= 0x70 && op <= 0x7f) || (op >= 0xb0 && op <= 0xb7) || (op >= 0xe0 && op <= 0xe7))
		return 1;
	if (op >= 0xb8 && op <= 0xbf)
		return (in->rex & 8) ? 8 : z;
	if (op >= 0xa0 && op <= 0xa3)
		return in->addr32 ? 4 : 8;
	switch (op) {
	case 0x6a: case 0x6b: case 0x80: case 0x82: case 0x83: case 0xa8: case 0xc0: case 0xc1:
	case 0xc6: case 0xcd: case 0xeb:
		return 1;
	case 0x68: case 0x69: case 0x81: case 0xa9: case 0xc7: case 0xe8: case 0xe9:
		return z;
	case 0xc2: case 0xca: return 2;
	case 0xc8: return 3;
	case 0xf6: return reg < 2 ? 1 : 0;
	case 0xf7: return reg < 2 ? z : 0;
	}
	return 0;
}

static int imm2(uint8_t op)
{
	if (op >= 0x80 && op <= 0x8f)
		return 4;
	return (op >= 0x70 && op <= 0x73) || op == 0xa4 || op == 0xac || op == 0xba || op == 0xc2 ||
	       (op >= 0xc4 && op <= 0xc6) ? 1 : 0;
}

/* Lengths of ModRM's SIB and displacement, recorded in in. */
static int modrm_tail(struct insn *in, acid_mem_fn mem, void *ctx, uint64_t pc)
{
	uint8_t mrm = in->b[in->modrm_at], mod = mrm >> 6, rm = mrm & 7;
	int at = in->modrm_at + 1;

	if (mod != 3 && rm == 4) {	/* SIB */
		if (mem(ctx, pc + at, &in->b[at], 1) < 0)
			return -1;
		if (mod == 0 && (in->b[at] & 7) == 5)
			in->disp_len = 4;
		at++;
	}
	if (mod == 0 && rm == 5)
		in->disp_len = 4;	/* rip-relative */
	else if (mod == 1)
		in->disp_len = 1;
	else if (mod == 2)
		in->disp_len = 4;
	in->disp_at = at;
	return at + in->disp_len;
}

static int decode(uint64_t pc, acid_mem_fn mem, void *ctx, struct insn *in)
{
	int i = 0, vex = 0;
	uint8_t c;

	memset(in, 0, sizeof *in);
	if (mem(ctx, pc, in->b, 1) < 0)
		return -1;
	for (;; i++) {	/* legacy prefixes */
		if (i >= 14 || (i > 0 && mem(ctx, pc + i, &in->b[i], 1) < 0))
			return -1;
		c = in->b[i];
		if (c == 0x66) in->opsize16 = 1;
		else if (c == 0x67) in->addr32 = 1;
		else if (c == 0x64 || c == 0x65) in->seg = c;
		else if (!(c == 0xf0 || c == 0xf2 || c == 0xf3 || c == 0x2e || c == 0x36 || c == 0x3e || c == 0x26))
			break;
	}
	if ((c & 0xf0) == 0x40) {	/* REX */
		in->rex = c;
		if (++i, mem(ctx, pc + i, &in->b[i], 1) < 0)
			return -1;
		c = in->b[i];
	}
	if (c == 0xc5 || c == 0xc4 || c == 0x62) {	/* VEX2, VEX3, EVEX */
		int n = c == 0xc5 ? 1 : c == 0xc4 ? 2 : 3;
		if (mem(ctx, pc + i + 1, &in->b[i + 1], n + 1) < 0)
			return -1;
		in->map = c == 0xc5 ? 1 : (in->b[i + 1] & (c == 0x62 ? 3 : 0x1f));
		if (in->map < 1 || in->map > 3)
			return -1;
		i += n + 1;
		vex = 1;
	} else if (c == 0x0f) {
		if (++i, mem(ctx, pc + i, &in->b[i], 1) < 0)
			return -1;
		in->map = 1;
		if (in->b[i] == 0x38 || in->b[i] == 0x3a) {
			in->map = in->b[i] == 0x38 ? 2 : 3;
			if (++i, mem(ctx, pc + i, &in->b[i], 1) < 0)
				return -1;
		}
	}
	in->op = in->b[i++];
	if (in->map == 0)
		in->has_modrm = bit(modrm1, in->op);
	else if (in->map == 1)
		in->has_modrm = vex ? in->op != 0x77 : !no_modrm2(in->op);
	else
		in->has_modrm = 1;
	int end = i, reg = 0;
	if (in->has_modrm) {
		in->modrm_at = i;
		if (mem(ctx, pc + i, &in->b[i], 1) < 0 || (end = modrm_tail(in, mem, ctx, pc)) < 0)
			return -1;
		reg = (in->b[i] >> 3) & 7;
	}
	in->imm_at = end;
	in->imm_len = in->map == 0 ? imm1(in, reg) : in->map == 1 ? imm2(in->op) : in->map == 3;
	if (vex && in->map == 1 && in->op >= 0x80 && in->op <= 0x8f)
		in->imm_len = 0;	/* VEX 0F 8x are not jumps */
	in->len = end + in->imm_len;
	if (in->len > 15 || mem(ctx, pc + i, &in->b[i], in->len - i) < 0)
		return -1;
	return in->len;
}

int sym_insn_len(uint64_t pc, acid_mem_fn mem, void *ctx)
{
	struct insn in;

	return decode(pc, mem, ctx, &in);
}

static int64_t sext(const uint8_t *p, int n)
{
	int64_t v = 0;

	if (n == 1) v = (int8_t)p[0];
	else if (n == 2) v = (int16_t)(p[0] | p[1] << 8);
	else if (n == 4) v = (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
	return v;
}

/* Register operand r (0-15, REX-extended) of a decoded instruction. */
static int gpr(const struct acid_regs *regs, int r, uint64_t *v)
{
	static const int order[16] = {
		ACID_REG_RAX, ACID_REG_RCX, ACID_REG_RDX, ACID_REG_RBX, ACID_REG_RSP, ACID_REG_RBP,
		ACID_REG_RSI, ACID_REG_RDI, ACID_REG_R8, ACID_REG_R9, ACID_REG_R10, ACID_REG_R11,
		ACID_REG_R12, ACID_REG_R13, ACID_REG_R14, ACID_REG_R15,
	};
	if (!(regs->valid & (1u << order[r])))
		return -1;
	*v = regs->v[order[r]];
	return 0;
}

/* The target of an indirect jmp/call: a register or the 8 bytes at the effective address. */
static int indirect(const struct insn *in, uint64_t pc, const struct acid_regs *regs,
		    acid_mem_fn mem, void *ctx, uint64_t *target)
{
	uint8_t mrm = in->b[in->modrm_at], mod = mrm >> 6, rm = mrm & 7;
	uint64_t ea = 0, v;

	if (mod == 3)
		return gpr(regs, rm | ((in->rex & 1) << 3), target);
	int64_t disp = sext(&in->b[in->disp_at], in->disp_len);
	if (rm == 4) {
		uint8_t sib = in->b[in->modrm_at + 1];
		int base = (sib & 7) | ((in->rex & 1) << 3), idx = ((sib >> 3) & 7) | ((in->rex & 2) << 2);
		if (idx != 4) {
			if (gpr(regs, idx, &v) < 0)
				return -1;
			ea += v << (sib >> 6);
		}
		if (!(mod == 0 && (sib & 7) == 5)) {
			if (gpr(regs, base, &v) < 0)
				return -1;
			ea += v;
		}
	} else if (mod == 0 && rm == 5) {
		ea = pc + in->len;
	} else {
		if (gpr(regs, rm | ((in->rex & 1) << 3), &v) < 0)
			return -1;
		ea = v;
	}
	ea += disp;
	if (in->seg) {
		int r = in->seg == 0x64 ? ACID_REG_FS_BASE : ACID_REG_GS_BASE;
		if (!(regs->valid & (1u << r)))
			return -1;
		ea += regs->v[r];
	}
	if (in->addr32)
		ea &= 0xffffffff;
	return mem(ctx, ea, target, 8);
}

int sym_follow(uint64_t pc, const struct acid_regs *regs, acid_mem_fn mem, void *ctx,
	       uint64_t *next, int max)
{
	struct insn in;
	uint64_t after, t;
	int n = 0;

	if (decode(pc, mem, ctx, &in) < 0 || max < 2)
		return -1;
	after = pc + in.len;
	int64_t rel = sext(&in.b[in.imm_at], in.imm_len);
	int reg = in.has_modrm ? (in.b[in.modrm_at] >> 3) & 7 : 0;
	if (in.map == 0 && ((in.op >= 0x70 && in.op <= 0x7f) || (in.op >= 0xe0 && in.op <= 0xe3))) {
		next[n++] = after;	/* conditional: both ways */
		next[n++] = after + rel;
	} else if (in.map == 1 && in.op >= 0x80 && in.op <= 0x8f && in.imm_len == 4) {
		next[n++] = after;
		next[n++] = after + rel;
	} else if (in.map == 0 && (in.op == 0xe8 || in.op == 0xe9 || in.op == 0xeb)) {
		next[n++] = after + rel;
	} else if (in.map == 0 && (in.op == 0xc3 || in.op == 0xc2)) {
		if (!(regs->valid & (1u << ACID_REG_RSP)) || mem(ctx, regs->v[ACID_REG_RSP], &t, 8) < 0)
			return -1;
		next[n++] = t;
	} else if (in.map == 0 && in.op == 0xff && (reg == 2 || reg == 4)) {
		if (indirect(&in, pc, regs, mem, ctx, &t) < 0)
			return -1;
		next[n++] = t;
	} else {
		next[n++] = after;
	}
	return n;
}

int sym_insn_is_call(uint64_t pc, acid_mem_fn mem, void *ctx, uint64_t *ret)
{
	struct insn in;

	if (decode(pc, mem, ctx, &in) < 0)
		return -1;
	int reg = in.has_modrm ? (in.b[in.modrm_at] >> 3) & 7 : 0;
	if (in.map == 0 && (in.op == 0xe8 || (in.op == 0xff && (reg == 2 || reg == 3)))) {
		*ret = pc + in.len;
		return 1;
	}
	return 0;
}
