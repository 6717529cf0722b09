/*
 * acid/sym.h: the symbol reader, the C API behind acid's symbol, line,
 * type and unwinding builtins.
 *
 * A struct sym holds one program: its executable (module 0) plus any shared
 * libraries added with a load bias. ELF symbols come from libelf, DWARF
 * (4 and 5) from libdwarf; DWARF is read lazily, one compile unit at a time,
 * so opening a large program is cheap.
 *
 * Conventions:
 *  - Addresses in and out are run-time addresses (module bias applied).
 *  - Strings, types and variables returned are owned by the struct sym and
 *    stay valid until sym_close.
 *  - Constructors report failure as text in the caller's err buffer; other
 *    calls return -1 (or NULL) and leave the reason in sym_error(s).
 *  - Corrupt or truncated input is refused with a message, never a crash.
 */
#ifndef ACID_SYM_H
#define ACID_SYM_H

#include <stddef.h>
#include <stdint.h>

#include "acid/regs.h"

struct sym;
struct sym_type;
struct sym_var;

/* Opening and modules */

/* Opens the ELF at path as module 0 with bias 0. Returns NULL and a message
 * in err if the file is unreadable, not x86_64 ELF, truncated or its DWARF
 * is corrupt. A file without DWARF opens (ELF symbols only). */
struct sym *sym_open(const char *path, char *err, size_t errlen);

/* Frees everything the sym owns. NULL is allowed. */
void sym_close(struct sym *s);

/* Last error message of a failed call on s ("" if none). */
const char *sym_error(struct sym *s);

/* Sets the load bias of a module (PIE executable: run-time minus link-time address). */
void sym_set_bias(struct sym *s, int module, uint64_t bias);

/* Adds a shared library mapped with the given bias. Returns its module
 * index, the existing index if path is already loaded, or -1. */
int sym_add_module(struct sym *s, const char *path, uint64_t bias);

/* Number of modules, and each one's path and bias (NULL if index is bad). */
int sym_nmodules(struct sym *s);
const char *sym_module_path(struct sym *s, int module, uint64_t *bias);

/* From a running process's auxiliary vector (raw Elf64_auxv_t array, as
 * target_auxv gives it) and its memory: sets module 0's PIE bias from
 * AT_ENTRY, then walks the dynamic linker's link map (r_debug via DT_DEBUG)
 * and adds every library not yet loaded. Safe to call at every stop.
 * Returns the number of modules added, or -1. */
int sym_load_modules(struct sym *s, const void *auxv, size_t auxvlen,
		     acid_mem_fn mem, void *ctx);

/* Reads the program file's view of memory (acid's '@'): bytes of the
 * loaded segments of whichever module covers addr, zeros for .bss.
 * Returns 0, or -1 if any byte is outside every module's segments. */
int sym_read_image(struct sym *s, uint64_t addr, void *buf, size_t len);

/* Symbols */

enum sym_kind { SYM_FUNC, SYM_DATA };

struct sym_symbol {
	const char *name;
	uint64_t addr;		/* run-time address */
	uint64_t size;
	enum sym_kind kind;
	int module;
};

/* Calls fn for every defined function and data symbol of every module (ELF
 * .symtab, or .dynsym when stripped); stops early if fn returns non-zero.
 * Returns fn's non-zero value or 0. */
int sym_symbols(struct sym *s, int (*fn)(void *ctx, const struct sym_symbol *), void *ctx);

/* Finds a function or data symbol by name (module 0 first, then libraries);
 * returns 0 and fills out, or -1. */
int sym_lookup(struct sym *s, const char *name, struct sym_symbol *out);

/* The function containing pc: fills out (name, start, size) and returns 0, or -1.
 * fnbound is {out.addr, out.addr + out.size}. */
int sym_func_at(struct sym *s, uint64_t pc, struct sym_symbol *out);

/* Where a breakpoint on the function at entry goes, as gdb 13 places it: a
 * prologue_end row, else the row after a frame-pointer set-up, else the
 * entry itself (frameless code). The entry if unknown. */
uint64_t sym_func_body(struct sym *s, uint64_t entry);

/* The prototype of the function containing pc, from DWARF: its return type
 * (*is_void set when it returns nothing) and, if sig is not NULL, its C
 * signature with parameter names ("int add(int a, int b)"), named as (an
 * alias), or as DWARF names it if as is NULL. Returns 0, or -1 when no
 * DWARF describes the function. */
int sym_func_proto(struct sym *s, uint64_t pc, const char *as, struct sym_type **ret, int *is_void,
		   char *sig, size_t siglen);

/* Inlined code */

/* One inlined copy of a function that a pc is in. */
struct sym_inline {
	const char *name;	/* the inlined function (NULL if DWARF does not say) */
	uint64_t entry;		/* where this copy starts */
	const char *call_file;	/* where it was inlined into its caller; NULL if unknown */
	int call_line;
	uint64_t scope, func;	/* for sym_inline_vars: the copy's DIE and its function's */
};

/* The inlined copies pc is in, innermost first: fills up to max and
 * returns how many (0 when pc is in no inlined code). */
int sym_inline_at(struct sym *s, uint64_t pc, struct sym_inline *out, int max);

/* Parameters then locals of the inlined copy in at pc, as sym_vars_at. */
int sym_inline_vars(struct sym *s, uint64_t pc, const struct sym_inline *in,
		    struct sym_var **vars, int max);

/* Entry pcs of every inlined copy of the function called name in the
 * program (module 0), each once; fills up to max, returns how many. */
int sym_inline_sites(struct sym *s, const char *name, uint64_t *pcs, int max);

/* The function an inlined copy starting at pc is a copy of (the first in
 * the program's order if several start there), NULL if none does. */
const char *sym_inline_site_name(struct sym *s, uint64_t pc);

/* Lines */

struct sym_line {
	const char *file;	/* as the compiler recorded it, usually a full path */
	int line;
	uint64_t addr;		/* first address of this line-table row */
	uint64_t end;		/* first address past it */
	int is_stmt;
	int at_row;		/* the pc is the first address of a row */
	int at_stmt;		/* ... of a row that is a statement: step stops here */
};

/* The source line for pc: of several rows at one address the last, or the
 * last that is a statement (gdb's choice). Returns 0, or -1 when pc has no
 * line information. */
int sym_pc_line(struct sym *s, uint64_t pc, struct sym_line *out);

/* Addresses where code for file:line starts (one per is_stmt row, in
 * address order). file matches a recorded name by equality or as a path
 * suffix ("prog.c" matches "/src/prog.c"). If the line has no code the next
 * line that has code is used. Fills up to max, returns how many exist, -1 on error. */
int sym_line_pcs(struct sym *s, const char *file, int line, uint64_t *pcs, int max);

/* Types (a graph; members and targets point at other types in the same sym) */

enum sym_type_kind {
	SYM_T_VOID, SYM_T_BASE, SYM_T_POINTER, SYM_T_STRUCT, SYM_T_UNION,
	SYM_T_ARRAY, SYM_T_ENUM, SYM_T_TYPEDEF, SYM_T_CONST, SYM_T_VOLATILE,
	SYM_T_FUNC
};

enum sym_encoding { SYM_ENC_SIGNED, SYM_ENC_UNSIGNED, SYM_ENC_FLOAT, SYM_ENC_BOOL,
		    SYM_ENC_SCHAR, SYM_ENC_UCHAR };

struct sym_type;
struct sym_var;

struct sym_member {
	const char *name;	/* NULL for an anonymous struct/union member */
	struct sym_type *type;
	uint64_t offset;	/* byte offset in the aggregate */
	int bit_size;		/* 0 unless a bit field */
	int bit_offset;		/* bit field: bits from the least significant bit of the byte at offset */
};

struct sym_enumerator {
	const char *name;
	int64_t value;
};

struct sym_type {
	enum sym_type_kind kind;
	const char *name;	/* tag or type name; NULL if anonymous */
	uint64_t size;		/* bytes; 0 for void, functions and incomplete types */
	enum sym_encoding encoding;	/* SYM_T_BASE and SYM_T_ENUM */
	struct sym_type *target;	/* pointee, typedef'd/qualified type, element, return type; NULL means void */
	uint64_t count;		/* SYM_T_ARRAY: elements (0 if unknown) */
	int nmembers;		/* SYM_T_STRUCT, SYM_T_UNION */
	struct sym_member *members;
	int nenums;		/* SYM_T_ENUM */
	struct sym_enumerator *enums;
	int nparams;		/* SYM_T_FUNC */
	struct sym_type **params;
	int incomplete;		/* a declaration only; sym_type_complete may find the definition */
	int module;		/* the module whose DWARF describes it */
};

/* Skips typedefs, const and volatile. NULL stays NULL (void). */
const struct sym_type *sym_type_strip(const struct sym_type *t);

/* For an incomplete struct/union/enum, the complete type of the same name
 * from any compile unit of t's module or of the program (module 0);
 * otherwise t itself. */
struct sym_type *sym_type_complete(struct sym *s, struct sym_type *t);

/* Finds a type by C name: "int", "list_t", "struct node", "union u", "enum color". NULL if none. */
struct sym_type *sym_type_lookup(struct sym *s, const char *name);

/* The same in one module only (0 is the program), or in all if module is -1. */
struct sym_type *sym_type_lookup_in(struct sym *s, const char *name, int module);

/* Writes t as a C declaration of name ("struct node *next", "int a[10]",
 * "int (*fn)(int, char *)"); name may be NULL or "" for the bare type name.
 * Returns the length it needed (like snprintf). */
int sym_type_decl(const struct sym_type *t, const char *name, char *buf, size_t len);

/* Variables and their locations */

enum sym_var_kind { SYM_VAR_GLOBAL, SYM_VAR_PARAM, SYM_VAR_LOCAL };

struct sym_var {
	const char *name;
	struct sym_type *type;	/* NULL if the compiler gave none */
	enum sym_var_kind kind;
	const char *decl_file;	/* may be NULL */
	int decl_line;
	struct sym_var_priv *priv;	/* the reader's location data */
};

/* A global (or file-static) variable by name; NULL if none. */
struct sym_var *sym_var_lookup(struct sym *s, const char *name);

/* Parameters (first, in declaration order) then locals in scope at pc
 * (innermost lexical blocks last) of the function containing pc, without
 * those of inlined copies in it (sym_inline_vars has them). Fills up
 * to max pointers, returns how many exist, -1 on error (see sym_error). */
int sym_vars_at(struct sym *s, uint64_t pc, struct sym_var **vars, int max);

enum sym_loc_kind {
	SYM_LOC_ADDR,		/* in memory at addr */
	SYM_LOC_REG,		/* in register reg (an acid_reg number) */
	SYM_LOC_VALUE,		/* no storage; the value is bytes[0..size) */
	SYM_LOC_OPTIMIZED	/* optimized out at this pc */
};

#define SYM_LOC_MAX 64		/* largest composite value assembled from pieces */

struct sym_loc {
	enum sym_loc_kind kind;
	uint64_t addr;
	int reg;
	size_t size;
	uint8_t bytes[SYM_LOC_MAX];
	int partial;		/* SYM_LOC_VALUE from pieces some of which are optimized out */
};

/* Where var lives in the frame whose registers are regs. pc selects the
 * location-list entry: the frame's pc for the innermost frame, return
 * address minus one for callers. Evaluates the DWARF expression (frame base,
 * DW_OP_call_frame_cfa, entry values where recoverable, pieces) reading
 * memory through mem. Returns 0 with loc filled (possibly SYM_LOC_OPTIMIZED),
 * or -1 when the expression cannot be evaluated (reason in sym_error). */
int sym_var_locate(struct sym *s, const struct sym_var *var, uint64_t pc,
		   const struct acid_regs *regs, acid_mem_fn mem, void *ctx,
		   struct sym_loc *loc);

/* Unwinding */

/* Given the registers of one frame, computes its caller's registers using
 * CFI (.eh_frame, then .debug_frame) of the module containing the pc, or the
 * frame-pointer chain when there is none. Callee-saved registers the CFI
 * does not restore are marked invalid in out. Returns 1 with out filled, 0
 * when in is the outermost frame (no CFI return address, pc 0, or a return
 * address of 0), -1 on error. */
int sym_unwind_step(struct sym *s, const struct acid_regs *in, int innermost,
		    acid_mem_fn mem, void *ctx, struct acid_regs *out);

/* Instructions */

/* Length in bytes of the x86_64 instruction at pc (read through mem), -1 if undecodable. */
int sym_insn_len(uint64_t pc, acid_mem_fn mem, void *ctx);

/* The follow set: every address the instruction at pc may transfer control
 * to, given regs (needed for indirect jumps, calls and ret). Fills up to
 * max (2 suffice for x86), returns how many, -1 if undecodable. */
int sym_follow(uint64_t pc, const struct acid_regs *regs, acid_mem_fn mem, void *ctx,
	       uint64_t *next, int max);

/* 1 if the instruction at pc is a call (direct or indirect), setting *ret to
 * the address after it; 0 if not; -1 if undecodable. next() uses this. */
int sym_insn_is_call(uint64_t pc, acid_mem_fn mem, void *ctx, uint64_t *ret);

#endif
