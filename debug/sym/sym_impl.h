/*
 * sym_impl.h: the symbol reader's private structures, shared by its files.
 *
 *   sym.c      modules, open/close, errors, ELF symbol tables, '@' reads
 *   dwarf.c    libdwarf handles and the lazy compile-unit index
 *   line.c     line tables (pc -> line, line -> pcs)
 *   prologue.c where a function's body starts (breakpoints past the prologue)
 *   type.c     DWARF types -> struct sym_type graph, C declarations
 *   func.c     function prototypes (return type, signature)
 *   var.c      variables: globals by name, params and locals at a pc
 *   loc.c      location lists and the DWARF expression stack machine
 *   unwind.c   CFI unwinding with a frame-pointer fallback
 *   debuglink.c separate debug files (build id, .gnu_debuglink)
 *   inline.c   inlined copies of functions: chains at a pc, sites by name
 *   linkmap.c  PIE bias from auxv, shared libraries from r_debug
 *   x86.c      instruction lengths and follow sets
 *
 * Nothing here is seen by acid's interpreter: it uses acid/sym.h only.
 */
#ifndef ACID_SYM_IMPL_H
#define ACID_SYM_IMPL_H

#include <libelf.h>
#include <gelf.h>
#include <libdwarf/libdwarf.h>
#include <libdwarf/dwarf.h>

#include "acid/sym.h"

/* One line-table row, link-time address. */
struct sym_row {
	uint64_t addr;
	int line;
	int file;		/* index into the CU's files[], -1 for none */
	unsigned is_stmt : 1;
	unsigned end_seq : 1;
	unsigned prologue_end : 1;	/* the compiler says the body starts here */
};

/* A compile unit: located by address ranges, loaded piecemeal. */
struct sym_cu {
	Dwarf_Off die_off;	/* offset of the CU DIE in .debug_info */
	uint64_t *ranges;	/* lo,hi pairs, link-time */
	int nranges;
	int lines_loaded;
	struct sym_row *rows;	/* sorted by address within sequences */
	int nrows;
	char **files;
	int nfiles;
};

/* A cached DIE-offset -> object map (types and function scopes). */
struct sym_map {
	uint64_t *keys;
	void **vals;
	size_t cap, n;
};

/* Where a variable's location comes from, kept until it is evaluated. */
struct sym_var_priv {
	struct sym_module *mod;
	Dwarf_Off die_off;	/* the variable's DIE */
	Dwarf_Off func_off;	/* its function's DIE, 0 for globals */
	int has_const;		/* DW_AT_const_value instead of a location */
	uint64_t const_value;
};

struct sym_module {
	char *path;
	uint64_t bias;
	int fd;
	Elf *elf;
	uint8_t *image;		/* the file, mapped read-only */
	size_t image_len;
	int is_dyn;		/* ET_DYN (PIE or shared library) */
	uint64_t entry;		/* e_entry, link-time */
	uint64_t dynamic;	/* address of _DYNAMIC, 0 if none */

	GElf_Phdr *phdrs;	/* PT_LOAD segments */
	int nphdrs;

	struct sym_symbol *by_addr;	/* functions, link-time addresses, sorted */
	int nby_addr;
	struct sym_symbol *by_name;	/* all symbols sorted by name */
	int nby_name;
	char *strings;		/* copies of symbol names */

	Dwarf_Debug dbg;	/* NULL when the file has no DWARF */
	const uint8_t *rnglists, *loclists;	/* checked by sanity.c, for dw_list_ok */
	uint64_t rnglists_len, loclists_len;
	void *dw_owned[2];	/* inflated copies of those, if they were compressed */
	struct sym_cu *cus;
	int ncus;
	int cus_loaded;
	struct sym_map types;	/* DIE offset -> struct sym_type* */
	struct sym_map scopes;	/* function DIE offset -> struct sym_scope* */
	struct sym_var **globals;	/* top-level variables sorted by name, built on demand */
	int nglobals;
	int globals_loaded;

	Dwarf_Debug cfi_dbg;	/* the file's own, for .eh_frame, when dbg is a debug file's */
	struct sym_module *debug;	/* the separate debug file dbg and the symbols came from */
	int debug_pending;	/* its DWARF is not opened yet (dw_need opens it) */
	Dwarf_Debug df_dbg;	/* the one .debug_frame was read from */

	struct sym_inline_index *inlines;	/* every inlined copy, built on demand */

	int frames_loaded;
	Dwarf_Cie *eh_cies, *df_cies;
	Dwarf_Fde *eh_fdes, *df_fdes;
	Dwarf_Signed neh_cies, ndf_cies, neh_fdes, ndf_fdes;
};

/* sym_type_complete's answers by tag kind and name (full NULL: none). */
struct sym_type_memo {
	const char *name;
	enum sym_type_kind kind;
	struct sym_type *full;
	struct sym_type_memo *next;
};

struct sym {
	struct sym_module **mods;
	struct sym_type_memo *completed;
	int nmods;
	void **allocs;		/* everything sym_alloc gave out, freed at close */
	size_t nallocs, allocs_cap;
	struct sym_type **types;	/* every type built, for freeing their arrays */
	size_t ntypes, types_cap;
	char err[256];
};

/* sym.c: module_open_plain opens one ELF file as a module (no search for
 * a debug file; its DWARF too if with_dwarf; NULL with a message in err);
 * module_close frees one. */
struct sym_module *module_open_plain(const char *path, int with_dwarf, char *err, size_t errlen);
void module_close(struct sym_module *m);

/* debuglink.c: if m is stripped and its debug file is installed, m's
 * symbols come from that file from now on, and its DWARF once dw_need is
 * first called (checking and opening a large debug file costs, and a
 * backtrace may never need more than the library's names). dw_need says
 * whether m has DWARF: call it before the first use of m->dbg. */
void debuglink_load(struct sym_module *m);
int dw_need(struct sym_module *m);

/* sym.c */
void sym_seterr(struct sym *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
struct sym_module *sym_module_at(struct sym *s, uint64_t addr);
void *sym_alloc(struct sym *s, size_t n);
struct sym_type *sym_new_type(struct sym *s);
char *sym_strdup(const char *str);

/* sanity.c: dw_sane checks m's DWARF headers (0, or -1 with a message) and
 * keeps .debug_rnglists/.debug_loclists for dw_list_ok, which says whether
 * the list at a section offset is well formed (1) or not (0). */
int dw_sane(struct sym_module *m, char *err, size_t errlen);
int dw_list_ok(struct sym_module *m, int loc, uint64_t off);

/* dwarf.c */
int dw_open(struct sym_module *m, char *err, size_t errlen);
void dw_close(struct sym_module *m);
int dw_load_cus(struct sym *s, struct sym_module *m);
struct sym_cu *dw_cu_at(struct sym *s, struct sym_module *m, uint64_t linkpc);
int dw_die(struct sym *s, struct sym_module *m, Dwarf_Off off, Dwarf_Die *die);
int dw_attr_u(struct sym_module *m, Dwarf_Die die, Dwarf_Half at, uint64_t *v);
int dw_attr_s(struct sym_module *m, Dwarf_Die die, Dwarf_Half at, int64_t *v);
int dw_attr_ref(struct sym_module *m, Dwarf_Die die, Dwarf_Half at, Dwarf_Off *off);
int dw_has_attr(struct sym_module *m, Dwarf_Die die, Dwarf_Half at);
const char *dw_name(struct sym_module *m, Dwarf_Die die);
int dw_die_ranges(struct sym_module *m, Dwarf_Die die, uint64_t **ranges, int *n);
int dw_pc_in(struct sym_module *m, Dwarf_Die die, uint64_t linkpc);
void dw_dealloc_die(struct sym_module *m, Dwarf_Die die);
Dwarf_Die dw_sibling(struct sym_module *m, Dwarf_Die die);
void dw_drop_err(struct sym_module *m, Dwarf_Error e);
int dw_func_die_at(struct sym *s, struct sym_module *m, uint64_t linkpc, Dwarf_Off *off);

/* line.c: line_row_at is the row covering link-time pc (the last of the
 * rows at its address), NULL if none; rows after it run to an end_seq row. */
int line_load(struct sym *s, struct sym_module *m, struct sym_cu *cu);
struct sym_row *line_row_at(struct sym_cu *cu, uint64_t pc);

/* type.c */
struct sym_type *type_from_die(struct sym *s, struct sym_module *m, Dwarf_Off off);

/* loc.c: pc is the lookup pc (return address - 1 in caller frames) */
int loc_eval_expr(struct sym *s, struct sym_module *m, const uint8_t *expr, size_t len,
		  const struct acid_regs *regs, uint64_t pc, acid_mem_fn mem, void *ctx,
		  const uint64_t *initial, uint64_t *result);

/* unwind.c */
int unwind_cfa(struct sym *s, const struct acid_regs *regs, uint64_t pc,
	       acid_mem_fn mem, void *ctx, uint64_t *cfa);
void unwind_free(struct sym_module *m);

/* var.c */
void var_free(struct sym_module *m);

/* inline.c */
void inline_free(struct sym_module *m);

/* map helpers (sym.c) */
void *map_get(struct sym_map *mp, uint64_t key);
int map_put(struct sym_map *mp, uint64_t key, void *val);
void map_free(struct sym_map *mp);

#endif
