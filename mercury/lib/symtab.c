/*
 * symtab.c: looking an address up in an embedded symbol table (binary
 * search for the last symbol at or below it). Integer-only and free of
 * other dependencies: the kernel compiles it too.
 */
#include <mercury/symtab.h>

const char *symtab_lookup(const struct symtab_entry *table, uint64_t count, const char *names,
			  uint64_t text_start, uint64_t text_end, uint64_t pc, uint64_t *offset)
{
	uint64_t lo = 0, hi = count;

	if (pc < text_start || pc >= text_end || !count)
		return 0;
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (table[mid].addr <= pc)
			lo = mid;
		else
			hi = mid;
	}
	if (table[lo].addr > pc)
		return 0;
	if (offset)
		*offset = pc - table[lo].addr;
	return names + table[lo].name;
}
