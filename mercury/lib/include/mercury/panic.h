/*
 * mercury/panic.h: ending a program on a broken invariant, with a
 * backtrace of the program symbolized from the symbol table linked into it
 * (tools/ksyms-gen, the second pass of mercury_prog in lib.mk).
 */
#ifndef MERCURY_PANIC_H
#define MERCURY_PANIC_H

#include <stdint.h>

/* Prints "panic: <message>" and a backtrace on the console, then exits
 * with PANIC_EXIT_CODE. Does not return. */
void panic(const char *fmt, ...) __attribute__((noreturn, format(__printf__, 1, 2)));
#define PANIC_EXIT_CODE 134

/* Prints the frames of the calling function and its callers, from the
 * frame-pointer chain (programs build with -fno-omit-frame-pointer). */
void panic_backtrace(void);

/* The function containing pc, or NULL; *offset gets pc's offset in it. */
const char *panic_symbol(uint64_t pc, uint64_t *offset);

#define assert(e) ((e) ? (void)0 : panic("assertion failed: %s (%s:%d, %s)", #e, \
					  __FILE__, __LINE__, __func__))

#endif
