/*
 * mercury/symtab.h: the symbol table a program (or the kernel) carries of
 * itself, made at build time by tools/ksyms-gen from a first link (section
 * .ksyms: addresses sorted, names in one pool). Shared by Helios and user
 * space, for backtraces with function names.
 */
#ifndef MERCURY_SYMTAB_H
#define MERCURY_SYMTAB_H

#include <stdint.h>

struct symtab_entry {
	uint64_t addr;
	uint64_t name;		/* offset into the name pool */
};

/*
 * The name of the function containing pc, given the table (count entries,
 * sorted by address) and its name pool; NULL if pc is outside
 * [text_start, text_end) or below the first symbol. *offset (if not NULL)
 * gets pc's distance from the symbol.
 */
const char *symtab_lookup(const struct symtab_entry *table, uint64_t count, const char *names,
			  uint64_t text_start, uint64_t text_end, uint64_t pc, uint64_t *offset);

#endif
