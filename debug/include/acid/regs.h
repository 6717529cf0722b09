/*
 * acid/regs.h: the one x86_64 register table shared by the symbol reader
 * (unwinding, DWARF locations) and every target back end.
 *
 * Numbers follow gdb's amd64 order for the general registers; st/xmm are
 * left out (acid reads integer state only), fs_base/gs_base/orig_rax follow.
 * All values are held as 64-bit integers whatever the hardware width.
 */
#ifndef ACID_REGS_H
#define ACID_REGS_H

#include <stddef.h>
#include <stdint.h>

enum acid_reg {
	ACID_REG_RAX, ACID_REG_RBX, ACID_REG_RCX, ACID_REG_RDX,
	ACID_REG_RSI, ACID_REG_RDI, ACID_REG_RBP, ACID_REG_RSP,
	ACID_REG_R8, ACID_REG_R9, ACID_REG_R10, ACID_REG_R11,
	ACID_REG_R12, ACID_REG_R13, ACID_REG_R14, ACID_REG_R15,
	ACID_REG_RIP, ACID_REG_EFLAGS,
	ACID_REG_CS, ACID_REG_SS, ACID_REG_DS, ACID_REG_ES, ACID_REG_FS, ACID_REG_GS,
	ACID_REG_FS_BASE, ACID_REG_GS_BASE,
	ACID_REG_ORIG_RAX,	/* Linux: syscall number at a syscall stop */
	ACID_NREGS
};

/* A register set; bit r of valid says whether v[r] is known (unwinding
 * recovers only some registers in caller frames). */
struct acid_regs {
	uint64_t v[ACID_NREGS];
	uint32_t valid;
};

/* Reads len bytes of target memory at addr into buf; returns 0, or -1 if
 * any byte is unreadable. The callback type every memory reader uses. */
typedef int (*acid_mem_fn)(void *ctx, uint64_t addr, void *buf, size_t len);

/* Lower-case name of register r ("rax", "rip", "fs_base"), NULL if r is out of range. */
const char *acid_reg_name(int r);

/* Register number for a name, case-insensitive ("RIP" and "rip"; "pc" and
 * "sp" are aliases of rip and rsp); -1 if unknown. */
int acid_reg_lookup(const char *name);

/* acid register number for a DWARF x86_64 register number, -1 if the DWARF
 * register is not in the table (xmm, st, ...). DWARF 16 (return address) maps to rip. */
int acid_reg_from_dwarf(int dwarf_reg);

#endif
