/*
 * unwind.c: one frame up the stack. The CFI row for the pc (.eh_frame first,
 * then .debug_frame; libdwarf runs the CFA program, we apply its rules)
 * gives the CFA and where the caller's registers were saved. Without CFI we
 * fall back to the frame-pointer chain, or to [rsp] at a function's first
 * instruction, so code built without unwind tables still gets a backtrace.
 */
#include <stdlib.h>
#include <string.h>

#include "sym_impl.h"

#define NCOLS 17		/* DWARF registers 0..16 hold all acid unwinds */

/* .eh_frame of the file itself, .debug_frame of wherever its DWARF came from. */
static Dwarf_Debug eh_dbg(struct sym_module *m)
{
	return m->cfi_dbg ? m->cfi_dbg : m->dbg;
}

static void load_frames(struct sym_module *m)
{
	Dwarf_Error e = NULL;

	if (m->frames_loaded || !eh_dbg(m))
		return;
	m->frames_loaded = 1;
	if (dwarf_get_fde_list_eh(eh_dbg(m), &m->eh_cies, &m->neh_cies, &m->eh_fdes, &m->neh_fdes, &e) != DW_DLV_OK) {
		dw_drop_err(m, e);
		e = NULL;
		m->eh_fdes = NULL;
	}
	m->df_dbg = m->dbg;
	if (m->dbg && dwarf_get_fde_list(m->dbg, &m->df_cies, &m->ndf_cies, &m->df_fdes, &m->ndf_fdes, &e) != DW_DLV_OK) {
		dw_drop_err(m, e);
		m->df_fdes = NULL;
	}
}

void unwind_free(struct sym_module *m)
{
	if (m->eh_fdes)
		dwarf_fde_cie_list_dealloc(eh_dbg(m), m->eh_cies, m->neh_cies, m->eh_fdes, m->neh_fdes);
	if (m->df_fdes)
		dwarf_fde_cie_list_dealloc(m->df_dbg, m->df_cies, m->ndf_cies, m->df_fdes, m->ndf_fdes);
	m->eh_fdes = m->df_fdes = NULL;
}

/* The CFI row at link-time pc: fills table and returns 0, or -1 when no FDE covers pc. */
static int cfi_row(struct sym_module *m, uint64_t linkpc, Dwarf_Regtable3 *tab)
{
	Dwarf_Fde *lists[2] = { m->eh_fdes, m->df_fdes };
	Dwarf_Error e = NULL;

	load_frames(m);
	lists[0] = m->eh_fdes;
	lists[1] = m->df_fdes;
	for (int i = 0; i < 2; i++) {
		Dwarf_Fde fde;
		Dwarf_Addr lo, hi, row;
		if (!lists[i])
			continue;
		if (dwarf_get_fde_at_pc(lists[i], linkpc, &fde, &lo, &hi, &e) != DW_DLV_OK) {
			dw_drop_err(m, e);
			e = NULL;
			continue;
		}
		if (dwarf_get_fde_info_for_all_regs3(fde, linkpc, tab, &row, &e) == DW_DLV_OK)
			return 0;
		dw_drop_err(m, e);
		e = NULL;
	}
	return -1;
}

static int rule_value(struct sym *s, struct sym_module *m, const Dwarf_Regtable_Entry3 *r,
		      const struct acid_regs *in, uint64_t pc, acid_mem_fn mem, void *ctx,
		      uint64_t cfa, int col, uint64_t *v)
{
	int64_t off = (int64_t)r->dw_offset_or_block_len;
	uint64_t a;

	if (r->dw_regnum == DW_FRAME_UNDEFINED_VAL)
		return -1;
	if (r->dw_regnum == DW_FRAME_SAME_VAL && r->dw_value_type == DW_EXPR_OFFSET && !r->dw_offset_relevant) {
		int ar = acid_reg_from_dwarf(col);
		if (ar < 0 || !(in->valid & (1u << ar)))
			return -1;
		*v = in->v[ar];
		return 0;
	}
	switch (r->dw_value_type) {
	case DW_EXPR_OFFSET:
		if (!r->dw_offset_relevant) {	/* in another register */
			int ar = acid_reg_from_dwarf(r->dw_regnum);
			if (ar < 0 || !(in->valid & (1u << ar)))
				return -1;
			*v = in->v[ar];
			return 0;
		}
		return mem(ctx, cfa + off, v, 8);
	case DW_EXPR_VAL_OFFSET:
		*v = cfa + off;
		return 0;
	case DW_EXPR_EXPRESSION:
		if (loc_eval_expr(s, m, r->dw_block_ptr, r->dw_offset_or_block_len, in, pc, mem, ctx, &cfa, &a) < 0)
			return -1;
		return mem(ctx, a, v, 8);
	case DW_EXPR_VAL_EXPRESSION:
		return loc_eval_expr(s, m, r->dw_block_ptr, r->dw_offset_or_block_len, in, pc, mem, ctx, &cfa, v);
	}
	return -1;
}

static int cfa_of(struct sym *s, struct sym_module *m, const Dwarf_Regtable3 *tab,
		  const struct acid_regs *in, uint64_t pc, acid_mem_fn mem, void *ctx, uint64_t *cfa)
{
	const Dwarf_Regtable_Entry3 *c = &tab->rt3_cfa_rule;

	if (c->dw_value_type == DW_EXPR_EXPRESSION || c->dw_value_type == DW_EXPR_VAL_EXPRESSION)
		return loc_eval_expr(s, m, c->dw_block_ptr, c->dw_offset_or_block_len, in, pc, mem, ctx, NULL, cfa);
	int ar = acid_reg_from_dwarf(c->dw_regnum);
	if (ar < 0 || !(in->valid & (1u << ar))) {
		sym_seterr(s, "CFA register %d not available", c->dw_regnum);
		return -1;
	}
	*cfa = in->v[ar] + (c->dw_offset_relevant ? (int64_t)c->dw_offset_or_block_len : 0);
	return 0;
}

int unwind_cfa(struct sym *s, const struct acid_regs *regs, uint64_t pc,
	       acid_mem_fn mem, void *ctx, uint64_t *cfa)
{
	struct sym_module *m = sym_module_at(s, pc);
	Dwarf_Regtable_Entry3 rules[NCOLS];
	Dwarf_Regtable3 tab = { .rt3_reg_table_size = NCOLS, .rt3_rules = rules };

	if (cfi_row(m, pc - m->bias, &tab) < 0) {
		sym_seterr(s, "0x%llx: no call frame information", (unsigned long long)pc);
		return -1;
	}
	return cfa_of(s, m, &tab, regs, pc, mem, ctx, cfa);
}

/* Applies a CFI row: 1 with out filled, 0 at the outermost frame, -1 on error. */
static int unwind_cfi(struct sym *s, struct sym_module *m, const Dwarf_Regtable3 *tab,
		      const struct acid_regs *in, uint64_t pc, acid_mem_fn mem, void *ctx,
		      struct acid_regs *out)
{
	uint64_t cfa, v;

	if (cfa_of(s, m, tab, in, pc, mem, ctx, &cfa) < 0)
		return -1;
	memset(out, 0, sizeof *out);
	for (int col = 0; col < NCOLS; col++) {
		int ar = acid_reg_from_dwarf(col);
		if (ar >= 0 && rule_value(s, m, &tab->rt3_rules[col], in, pc, mem, ctx, cfa, col, &v) == 0) {
			out->v[ar] = v;
			out->valid |= 1u << ar;
		}
	}
	if (!(out->valid & (1u << ACID_REG_RIP)) || out->v[ACID_REG_RIP] == 0)
		return 0;	/* return address undefined: the outermost frame (_start, thread entry) */
	out->v[ACID_REG_RSP] = cfa;
	out->valid |= 1u << ACID_REG_RSP;
	/* segment registers do not change across calls */
	for (int r = ACID_REG_CS; r <= ACID_REG_GS_BASE; r++)
		if (in->valid & (1u << r)) {
			out->v[r] = in->v[r];
			out->valid |= 1u << r;
		}
	return 1;
}

/* No CFI: at a function's first instruction the return address is at [rsp];
 * elsewhere follow the saved-rbp chain. */
static int unwind_fp(struct sym *s, const struct acid_regs *in, int innermost,
		     acid_mem_fn mem, void *ctx, struct acid_regs *out)
{
	uint64_t pc = in->v[ACID_REG_RIP], sp = in->v[ACID_REG_RSP], fp = in->v[ACID_REG_RBP];
	uint64_t frame[2];
	struct sym_symbol f;

	memset(out, 0, sizeof *out);
	out->valid = in->valid & ((1u << ACID_REG_RBX) | (1u << ACID_REG_R12) | (1u << ACID_REG_R13) |
				  (1u << ACID_REG_R14) | (1u << ACID_REG_R15));
	for (int r = 0; r < ACID_NREGS; r++)
		if (out->valid & (1u << r))
			out->v[r] = in->v[r];
	if (innermost && sym_func_at(s, pc, &f) == 0 && f.addr == pc && (in->valid & (1u << ACID_REG_RSP))) {
		if (mem(ctx, sp, &out->v[ACID_REG_RIP], 8) < 0)
			return 0;
		out->v[ACID_REG_RSP] = sp + 8;
		out->v[ACID_REG_RBP] = fp;
		out->valid |= (1u << ACID_REG_RIP) | (1u << ACID_REG_RSP) | (1u << ACID_REG_RBP);
		return out->v[ACID_REG_RIP] != 0;
	}
	if (!(in->valid & (1u << ACID_REG_RBP)) || fp == 0 || (fp & 7) ||
	    ((in->valid & (1u << ACID_REG_RSP)) && fp < sp) || mem(ctx, fp, frame, 16) < 0)
		return 0;
	out->v[ACID_REG_RBP] = frame[0];
	out->v[ACID_REG_RIP] = frame[1];
	out->v[ACID_REG_RSP] = fp + 16;
	out->valid |= (1u << ACID_REG_RIP) | (1u << ACID_REG_RSP) | (1u << ACID_REG_RBP);
	return frame[1] != 0;
}

int sym_unwind_step(struct sym *s, const struct acid_regs *in, int innermost,
		    acid_mem_fn mem, void *ctx, struct acid_regs *out)
{
	Dwarf_Regtable_Entry3 rules[NCOLS];
	Dwarf_Regtable3 tab = { .rt3_reg_table_size = NCOLS, .rt3_rules = rules };
	uint64_t pc;
	int r;

	if (!(in->valid & (1u << ACID_REG_RIP)) || in->v[ACID_REG_RIP] == 0)
		return 0;
	/* a caller's pc is a return address: look up the call instruction itself */
	pc = in->v[ACID_REG_RIP] - (innermost ? 0 : 1);
	struct sym_module *m = sym_module_at(s, pc);
	if (cfi_row(m, pc - m->bias, &tab) == 0)
		r = unwind_cfi(s, m, &tab, in, pc, mem, ctx, out);
	else
		r = unwind_fp(s, in, innermost, mem, ctx, out);
	/* a frame must move up the stack, or we would loop forever */
	if (r > 0 && (in->valid & (1u << ACID_REG_RSP)) && out->v[ACID_REG_RSP] <= in->v[ACID_REG_RSP] && !innermost)
		return 0;
	return r;
}
