/*
 * regs.c: names of the shared x86_64 register table and its mapping from
 * DWARF register numbers (System V psABI, figure 3.36).
 */
#include <strings.h>

#include "acid/regs.h"

static const char *const reg_names[ACID_NREGS] = {
	"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp",
	"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
	"rip", "eflags", "cs", "ss", "ds", "es", "fs", "gs",
	"fs_base", "gs_base", "orig_rax",
};

/* DWARF 0..16 are rax rdx rcx rbx rsi rdi rbp rsp r8..r15 ra. */
static const signed char dwarf_gpr[17] = {
	ACID_REG_RAX, ACID_REG_RDX, ACID_REG_RCX, ACID_REG_RBX,
	ACID_REG_RSI, ACID_REG_RDI, ACID_REG_RBP, ACID_REG_RSP,
	ACID_REG_R8, ACID_REG_R9, ACID_REG_R10, ACID_REG_R11,
	ACID_REG_R12, ACID_REG_R13, ACID_REG_R14, ACID_REG_R15,
	ACID_REG_RIP,
};

const char *acid_reg_name(int r)
{
	return r >= 0 && r < ACID_NREGS ? reg_names[r] : 0;
}

int acid_reg_lookup(const char *name)
{
	if (!strcasecmp(name, "pc"))
		return ACID_REG_RIP;
	if (!strcasecmp(name, "sp"))
		return ACID_REG_RSP;
	for (int r = 0; r < ACID_NREGS; r++)
		if (!strcasecmp(name, reg_names[r]))
			return r;
	return -1;
}

int acid_reg_from_dwarf(int d)
{
	if (d >= 0 && d <= 16)
		return dwarf_gpr[d];
	switch (d) {
	case 49: return ACID_REG_EFLAGS;
	case 50: return ACID_REG_ES;
	case 51: return ACID_REG_CS;
	case 52: return ACID_REG_SS;
	case 53: return ACID_REG_DS;
	case 54: return ACID_REG_FS;
	case 55: return ACID_REG_GS;
	case 58: return ACID_REG_FS_BASE;
	case 59: return ACID_REG_GS_BASE;
	}
	return -1;
}
