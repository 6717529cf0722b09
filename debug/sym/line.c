/*
 * line.c: line tables. A CU's table is copied out of libdwarf the first time
 * a pc in it (or a file:line) is asked about, into plain rows sorted by
 * address; file names are resolved once per file number, not per row, by
 * our own path builder (file_path) rather than libdwarf's dwarf_linesrc,
 * which trusts the header's directory numbers.
 */
#include <stdio.h>
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

/* dir and name joined by exactly one '/' (libdwarf's _dwarf_pathjoinl rule);
 * frees dir. An empty dir yields name unchanged. */
static char *path_join(char *dir, const char *name)
{
	size_t dl = strlen(dir);

	if (!dl) {
		free(dir);
		return sym_strdup(name);
	}
	int dslash = dir[dl - 1] == '/', nslash = name[0] == '/';
	if (dslash && nslash)
		name++;
	size_t len = dl + strlen(name) + 2;
	char *p = malloc(len);
	if (!p)
		abort();
	snprintf(p, len, "%s%s%s", dir, dslash || nslash ? "" : "/", name);
	free(dir);
	return p;
}

/* Directory dirno of the line table in ctx: "" for none (DWARF 2-4 number 0),
 * NULL if the number is out of range. DWARF 5 counts directories from 0,
 * earlier versions from 1 with 0 meaning the compilation directory. */
static const char *include_dir(struct sym_module *m, Dwarf_Line_Context ctx, Dwarf_Unsigned ver,
			       Dwarf_Unsigned dirno)
{
	Dwarf_Error e = NULL;
	Dwarf_Signed ndirs = 0;
	const char *dir = NULL;

	if (ver < 5 && dirno == 0)
		return "";
	if (dwarf_srclines_include_dir_count(ctx, &ndirs, &e) != DW_DLV_OK || ndirs < 0 ||
	    dirno >= (Dwarf_Unsigned)ndirs + (ver < 5) ||
	    dwarf_srclines_include_dir_data(ctx, (Dwarf_Signed)dirno, &dir, &e) != DW_DLV_OK) {
		dw_drop_err(m, e);
		return NULL;
	}
	return dir;
}

/* The path of file number fno in the line table ctx, built as dwarf_linesrc
 * builds it (compilation directory, include directory, file name; an
 * absolute part restarts the path) but with every index checked first:
 * libdwarf 20210528 reads one past its directory array when a DWARF 5 file
 * entry names directory number == count. NULL if fno or its directory is
 * out of range. Caller frees. */
static char *file_path(struct sym_module *m, Dwarf_Line_Context ctx, Dwarf_Unsigned ver,
		       Dwarf_Unsigned fno)
{
	Dwarf_Error e = NULL;
	Dwarf_Signed base = 0, count = 0, end = 0;
	Dwarf_Unsigned dirno = 0;
	const char *name = NULL, *dir, *comp = NULL;

	if (dwarf_srclines_files_indexes(ctx, &base, &count, &end, &e) != DW_DLV_OK ||
	    base < 0 || fno < (Dwarf_Unsigned)base || end < 0 || fno >= (Dwarf_Unsigned)end ||
	    dwarf_srclines_files_data_b(ctx, (Dwarf_Signed)fno, &name, &dirno, NULL, NULL, NULL, &e) != DW_DLV_OK) {
		dw_drop_err(m, e);
		return NULL;
	}
	if (!name)
		return NULL;
	if (name[0] == '/')
		return sym_strdup(name);
	if (!(dir = include_dir(m, ctx, ver, dirno)))
		return NULL;
	char *path = sym_strdup("");
	if (dir[0] != '/' && dwarf_srclines_comp_dir(ctx, &comp, &e) == DW_DLV_OK && comp)
		path = path_join(path, comp);
	dw_drop_err(m, e);
	if (dir[0])
		path = path_join(path, dir);
	return path_join(path, name);
}

/* More file names than any real unit has: a corrupt header, refused. */
enum { MAX_FILES = 1 << 16 };

/* Index of the CU file-name slot for file number fno, its path filled in on
 * first use; -1 if fno names no file. files[] has one slot per file number
 * the table's header allows, so a corrupt row cannot make it grow. */
static int file_slot(struct sym_module *m, struct sym_cu *cu, Dwarf_Line_Context ctx,
		     Dwarf_Unsigned ver, Dwarf_Unsigned fno)
{
	if (fno >= (Dwarf_Unsigned)cu->nfiles)
		return -1;
	if (!cu->files[fno]) {
		char *path = file_path(m, ctx, ver, fno);
		if (!path)
			return -1;
		cu->files[fno] = path;
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
	Dwarf_Signed n = 0, base = 0, nfiles = 0, end = 0;

	if (cu->lines_loaded)
		return 0;
	cu->lines_loaded = 1;
	if (dw_die(s, m, cu->die_off, &die) < 0)
		return -1;
	if (dwarf_srclines_b(die, &ver, &count, &ctx, &e) != DW_DLV_OK ||
	    dwarf_srclines_from_linecontext(ctx, &lines, &n, &e) != DW_DLV_OK ||
	    dwarf_srclines_files_indexes(ctx, &base, &nfiles, &end, &e) != DW_DLV_OK) {
		dw_drop_err(m, e);
		if (ctx)
			dwarf_srclines_dealloc_b(ctx);
		dw_dealloc_die(m, die);
		sym_seterr(s, "%s: no line table for this unit", m->path);
		return -1;
	}
	if (end < 0 || end > MAX_FILES) {
		dwarf_srclines_dealloc_b(ctx);
		dw_dealloc_die(m, die);
		sym_seterr(s, "%s: corrupt line table: %lld file names", m->path, (long long)nfiles);
		return -1;
	}
	cu->nfiles = (int)end;
	cu->files = calloc(end + 1, sizeof *cu->files);
	cu->rows = calloc(n + 1, sizeof *cu->rows);
	if (!cu->rows || !cu->files)
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
		Dwarf_Bool pend = 0, ebegin = 0;
		Dwarf_Unsigned isa = 0, discr = 0;
		dwarf_linebeginstatement(lines[i], &stmt, &e);
		dwarf_lineendsequence(lines[i], &endseq, &e);
		dwarf_prologue_end_etc(lines[i], &pend, &ebegin, &isa, &discr, &e);
		dw_drop_err(m, e);
		e = NULL;
		struct sym_row *r = &cu->rows[cu->nrows++];
		r->addr = addr;
		r->line = (int)lno;
		r->file = file_slot(m, cu, ctx, ver, fno);
		r->is_stmt = !!stmt;
		r->end_seq = !!endseq;
		r->prologue_end = !!pend;
	}
	/* every file name, not only those rows use: DW_AT_call_file of
	 * inlined copies names files by the same numbers */
	for (Dwarf_Signed f = base > 0 ? base : 0; f < end; f++)
		file_slot(m, cu, ctx, ver, (Dwarf_Unsigned)f);
	dwarf_srclines_dealloc_b(ctx);
	dw_dealloc_die(m, die);
	/* sequences are contiguous address runs; sorting keeps each run's rows
	 * together because gcc never overlaps sequences */
	qsort(cu->rows, cu->nrows, sizeof *cu->rows, cmp_row);
	return 0;
}

/* The path of r's file, or NULL if the row names none. */
static const char *row_file(struct sym_cu *cu, struct sym_row *r)
{
	return r->file >= 0 && r->file < cu->nfiles ? cu->files[r->file] : NULL;
}

/* The row covering link-time pc in cu, or NULL (see sym_impl.h). */
struct sym_row *line_row_at(struct sym_cu *cu, uint64_t pc)
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
	/* several rows may share an address: report the last, as gdb does,
	 * or the last that is a statement if it is not one */
	if (best < 0 || cu->rows[best].end_seq || best + 1 >= cu->nrows)
		return NULL;
	for (int i = best; !cu->rows[best].is_stmt && i >= 0 && cu->rows[i].addr == cu->rows[best].addr &&
	     !cu->rows[i].end_seq; i--)
		if (cu->rows[i].is_stmt)
			return &cu->rows[i];
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
	if (!(r = line_row_at(cu, a))) {
		sym_seterr(s, "0x%llx: no line information", (unsigned long long)pc);
		return -1;
	}
	/* the row starts where the first row with this address and line begins */
	struct sym_row *first = r;
	while (first > cu->rows && first[-1].line == r->line && first[-1].file == r->file &&
	       !first[-1].end_seq)
		first--;
	struct sym_row *next = r + 1;
	while (!next->end_seq && (next->addr == r->addr || (next->line == r->line && next->file == r->file)))
		next++;
	out->file = row_file(cu, r) ? row_file(cu, r) : "?";
	out->line = r->line;
	out->addr = first->addr + m->bias;
	out->end = next->addr + m->bias;
	out->is_stmt = r->is_stmt;
	out->at_row = r->addr == a;
	out->at_stmt = r->is_stmt && r->addr == a;
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
		if (r->end_seq || r->line != line || !r->is_stmt || !row_file(cu, r) ||
		    !file_matches(row_file(cu, r), file))
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
				    !r->end_seq && row_file(cu, r) && file_matches(row_file(cu, r), file))
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
