/*
 * panic.c: panic, assert and backtraces.
 *
 * Frames are followed through the saved rbp chain (crt0 starts it at 0);
 * each return address is named from the program's own symbol table
 * (ksym_*, sorted by address, made by tools/ksyms-gen from the first link
 * pass). The heap's corruption reports arrive here too.
 */
#include <stdarg.h>
#include <mercury/heap.h>
#include <mercury/panic.h>
#include <mercury/printf.h>
#include <mercury/runtime.h>
#include <mercury/symtab.h>

#include "runtime_int.h"

extern const uint64_t ksym_count;
extern const struct symtab_entry ksym_table[];
extern const char ksym_names[];
extern const char __image_start[], __text_end[];

const char *panic_symbol(uint64_t pc, uint64_t *offset)
{
	return symtab_lookup(ksym_table, ksym_count, ksym_names, (uint64_t)__image_start,
			     (uint64_t)__text_end, pc, offset);
}

void panic_backtrace(void)
{
	const uint64_t *fp = __builtin_frame_address(0);

	/* Frames live on the stack, which grows down: each caller's frame is
	 * higher, which also stops a corrupt chain from looping. */
	for (int depth = 0; fp && depth < 32; depth++) {
		uint64_t ret = fp[1], off = 0;
		const char *name = panic_symbol(ret - 1, &off);

		if (!ret)
			break;
		print_fprintf(PRINT_STDERR, "  #%d 0x%lx %s+0x%lx\n", depth, (unsigned long)ret,
			      name ? name : "?", (unsigned long)(off + 1));
		if ((const uint64_t *)fp[0] <= fp)
			break;
		fp = (const uint64_t *)fp[0];
	}
}

void panic(const char *fmt, ...)
{
	va_list ap;

	print_fprintf(PRINT_STDERR, "panic: ");
	va_start(ap, fmt);
	print_vfprintf(PRINT_STDERR, fmt, ap);
	va_end(ap);
	print_fprintf(PRINT_STDERR, "\n");
	panic_backtrace();
	exit(PANIC_EXIT_CODE);
}

static void heap_panic(const char *msg)
{
	panic("%s", msg);
}

/* Start-up routes the heap's reports here. */
void merc_panic_init(void)
{
	heap_set_panic(heap_panic);
}
