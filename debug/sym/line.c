/*
 * line.c: line tables. A CU's table is copied out of libdwarf the first time
 * a pc in it (or a file:line) is asked about, into plain rows sorted by
 * address; file names are resolved once per file number, not per row.
 */
#include <stdlib.h>
#include <string.h>

#include "sym_impl.h"

static int cmp_row(const void *a, const void *b)
{
	const struct sym_row *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	/* at one address an end of sequence sorts before the next sequence's start */
	return (int)y->end_seq - (int)x->end_seq;
}

/* Index of the CU file-name slot for libdwarf file number fno, filled from ln on first use. */
static int file_slot(struct sym_module *m, struct sym_cu *cu, Dwarf_Unsigned fno, Dwarf_Line ln)
{
	Dwarf_Error e = NULL;
	char *name = NULL;

	if (fno > 100000)
		return 0;
	if ((int)fno >= cu->nfiles) {
		int n = fno + 1;
		if (!(cu->files = realloc(cu->files, n * sizeof *cu->files)))
			abort();
		memset(cu->files + cu->nfiles, 0, (n - cu->nfiles) * sizeof *cu->files);
		cu->nfiles = n;
	}
	if (!cu->files[fno]) {
		if (dwarf_linesrc(ln, &name, &e) == DW_DLV_OK) {
			cu->files[fno] = sym_strdup(name);
			dwarf_dealloc(m->dbg, name, DW_DLA_STRING);
		} else {
			dw_drop_err(m, e);
			cu->files[fno] = sym_strdup("?");
		}
	}
	return (int)fno;
}

int line_load(struct sym *s, struct sym_module *m, struct sym_cu *cu)
{
	Dwarf_Error e = NULL;
	Dwarf_Die die;
	Dwarf_Unsigned ver = 0;
	Dwarf_Small count = 0;
	Dwarf_Line_Context ctx = NULL;
	Dwarf_Line *lines = NULL;
	Dwarf_Signed n = 0;

	if (cu->lines_loaded)
		return 0;
	cu->lines_loaded = 1;
	if (dw_die(s, m, cu->die_off, &die) < 0)
		return -1;
	if (dwarf_srclines_b(die, &ver, &count, &ctx, &e) != DW_DLV_OK ||
	    dwarf_srclines_from_linecontext(ctx, &lines, &n, &e) != DW_DLV_OK) {
		dw_drop_err(m, e);
		if (ctx)
			dwarf_srclines_dealloc_b(ctx);
		dw_dealloc_die(m, die);
		sym_seterr(s, "%s: no line table for this unit", m->path);
		return -1;
	}
	cu->rows = calloc(n + 1, sizeof *cu->rows);
	if (!cu->rows)
		abort();
	for (Dwarf_Signed i = 0; i < n; i++) {
		Dwarf_Addr addr = 0;
		Dwarf_Unsigned lno = 0, fno = 0;
		Dwarf_Bool stmt = 0, endseq = 0;
		if (dwarf_lineaddr(lines[i], &addr, &e) != DW_DLV_OK ||
		    dwarf_lineno(lines[i], &lno, &e) != DW_DLV_OK ||
		    dwarf_line_srcfileno(lines[i], &fno, &e) != DW_DLV_OK) {
			dw_drop_err(m, e);
			e = NULL;
			continue;
		}
		dwarf_linebeginstatement(lines[i], &stmt, &e);
		dwarf_lineendsequence(lines[i], &endseq, &e);
		dw_drop_err(m, e);
		e = NULL;
		struct sym_row *r = &cu->rows[cu->nrows++];
		r->addr = addr;
		r->line = (int)lno;
		r->file = file_slot(m, cu, fno, lines[i]);
		r->is_stmt = !!stmt;
		r->end_seq = !!endseq;
	}
	dwarf_srclines_dealloc_b(ctx);
	dw_dealloc_die(m, die);
	/* sequences are contiguous address runs; sorting keeps each run's rows
	 * together because gcc never overlaps sequences */
	qsort(cu->rows, cu->nrows, sizeof *cu->rows, cmp_row);
	return 0;
}

/* The row covering link-time pc in cu, or NULL. */
static struct sym_row *row_at(struct sym_cu *cu, uint64_t pc)
{
	int lo = 0, hi = cu->nrows - 1, best = -1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		if (cu->rows[mid].addr <= pc) {
			best = mid;
			lo = mid + 1;
		} else {
			hi = mid - 1;
		}
	}
	/* several rows may share an address: report the last, as gdb does */
	if (best < 0 || cu->rows[best].end_seq || best + 1 >= cu->nrows)
		return NULL;
	return &cu->rows[best];
}

int sym_pc_line(struct sym *s, uint64_t pc, struct sym_line *out)
{
	struct sym_module *m = sym_module_at(s, pc);
	uint64_t a = pc - m->bias;
	struct sym_cu *cu = dw_cu_at(s, m, a);
	struct sym_row *r;

	if (!cu || line_load(s, m, cu) < 0)
		return -1;
	if (!(r = row_at(cu, a))) {
		sym_seterr(s, "0x%llx: no line information", (unsigned long long)pc);
		return -1;
	}
	/* the row starts where the first row with this address and line begins */
	struct sym_row *first = r;
	while (first > cu->rows && first[-1].line == r->line && first[-1].file == r->file &&
	       !first[-1].end_seq)
		first--;
	struct sym_row *next = r + 1;
	while (!next->end_seq && next->line == r->line && next->file == r->file)
		next++;
	out->file = r->file < cu->nfiles && cu->files[r->file] ? cu->files[r->file] : "?";
	out->line = r->line;
	out->addr = first->addr + m->bias;
	out->end = next->addr + m->bias;
	out->is_stmt = r->is_stmt;
	return 0;
}

/* Does recorded name match the user's file name (equal or a path suffix)? */
static int file_matches(const char *recorded, const char *want)
{
	size_t rl = strlen(recorded), wl = strlen(want);

	if (rl == wl)
		return strcmp(recorded, want) == 0;
	return rl > wl && recorded[rl - wl - 1] == '/' && strcmp(recorded + rl - wl, want) == 0;
}

/* Appends the start addresses of rows of file:line (is_stmt, first of a run) in cu. */
static int collect_line(struct sym_module *m, struct sym_cu *cu, const char *file, int line,
			uint64_t *pcs, int max, int n)
{
	for (int i = 0; i < cu->nrows; i++) {
		struct sym_row *r = &cu->rows[i];
		if (r->end_seq || r->line != line || !r->is_stmt || r->file >= cu->nfiles ||
		    !cu->files[r->file] || !file_matches(cu->files[r->file], file))
			continue;
		if (i > 0 && !cu->rows[i - 1].end_seq && cu->rows[i - 1].line == line &&
		    cu->rows[i - 1].file == r->file)
			continue;	/* continuation of the same line */
		int dup = 0;
		for (int j = 0; j < n && j < max; j++)
			dup |= pcs[j] == r->addr + m->bias;
		if (dup)
			continue;
		if (n < max)
			pcs[n] = r->addr + m->bias;
		n++;
	}
	return n;
}

/* Smallest line >= line of file that has code anywhere, or -1. */
static int next_code_line(struct sym *s, const char *file, int line)
{
	int best = -1;

	for (int i = 0; i < s->nmods; i++) {
		struct sym_module *m = s->mods[i];
		if (dw_load_cus(s, m) < 0)
			continue;
		for (int c = 0; c < m->ncus; c++) {
			struct sym_cu *cu = &m->cus[c];
			if (line_load(s, m, cu) < 0)
				continue;
			for (int k = 0; k < cu->nrows; k++) {
				struct sym_row *r = &cu->rows[k];
				if (r->line >= line && (best < 0 || r->line < best) && r->is_stmt &&
				    !r->end_seq && r->file < cu->nfiles && cu->files[r->file] &&
				    file_matches(cu->files[r->file], file))
					best = r->line;
			}
		}
	}
	return best;
}

int sym_line_pcs(struct sym *s, const char *file, int line, uint64_t *pcs, int max)
{
	int n = 0, l = next_code_line(s, file, line);

	if (l < 0) {
		sym_seterr(s, "%s:%d: no code at or after this line", file, line);
		return -1;
	}
	for (int i = 0; i < s->nmods; i++) {
		struct sym_module *m = s->mods[i];
		if (dw_load_cus(s, m) < 0)
			continue;
		for (int c = 0; c < m->ncus; c++)
			if (line_load(s, m, &m->cus[c]) == 0)
				n = collect_line(m, &m->cus[c], file, l, pcs, max, n);
	}
	return n;
}

uint64_t sym_func_body(struct sym *s, uint64_t entry)
{
	struct sym_module *m = sym_module_at(s, entry);
	uint64_t a = entry - m->bias;
	struct sym_cu *cu = dw_cu_at(s, m, a);
	struct sym_symbol f;
	struct sym_row *r;

	if (!cu || line_load(s, m, cu) < 0 || !(r = row_at(cu, a)) || sym_func_at(s, entry, &f) < 0)
		return entry;
	/* the next row after the entry's own line starts the body (gdb's rule) */
	for (struct sym_row *p = r + 1; !p->end_seq && p->addr + m->bias < f.addr + f.size; p++)
		if (p->addr > a && p->line != r->line)
			return p->addr + m->bias;
	return entry;
}
