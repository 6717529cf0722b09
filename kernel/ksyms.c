/*
 * ksyms.c: the kernel's own symbol table, embedded at build time.
 *
 * tools/ksyms-gen turns `nm -n` of a first link into an assembly table in
 * section .ksyms; the second link includes it (the linker script places
 * .ksyms after all code, so no function moves). Entries are sorted by
 * address; names are offsets into one string pool.
 */
#include <mercury/symtab.h>
#include "arch.h"
#include "kernel.h"

extern const uint64_t ksym_count;
extern const struct symtab_entry ksym_table[];
extern const char ksym_names[];
extern const char __text_start[], __text_end[];

/* Returns the name of the function containing pc, or NULL outside the kernel's text. */
const char *ksym_lookup(uint64_t pc, uint64_t *offset)
{
	return symtab_lookup(ksym_table, ksym_count, ksym_names, (uint64_t)__text_start,
			     (uint64_t)__text_end, pc, offset);
}

static void print_pc(unsigned n, uint64_t pc, uint64_t lookup_pc)
{
	uint64_t off;
	const char *name = ksym_lookup(lookup_pc, &off);

	if (name)
		kprintf("  #%u 0x%016lx %s+0x%lx\n", n, pc, name, off + (pc - lookup_pc));
	else
		kprintf("  #%u 0x%016lx ?\n", n, pc);
}

/* A return address follows its call, which may end the function (a call
 * to a noreturn function): name the function that holds the call. */
static void print_return_address(void *ctx, uint64_t pc)
{
	unsigned *n = ctx;

	print_pc((*n)++, pc, pc - 1);
}

/* Prints frame n: an interrupted pc, or a return address. */
void ksym_print_frame(unsigned n, uint64_t pc, bool is_return)
{
	print_pc(n, pc, is_return ? pc - 1 : pc);
}

/* Prints the frame-pointer chain from fp, numbering frames from first. */
void ksym_print_chain(unsigned first, uint64_t fp)
{
	arch_backtrace(fp, print_return_address, &first);
}

/* Prints pc (if not 0) as frame #0, then the frame-pointer chain from fp. */
void ksym_print_backtrace(uint64_t pc, uint64_t fp)
{
	kprintf("backtrace:\n");
	if (pc)
		ksym_print_frame(0, pc, false);
	ksym_print_chain(pc ? 1 : 0, fp);
}
