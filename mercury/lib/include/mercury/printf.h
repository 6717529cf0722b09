/*
 * printf.h: the user-space printf family of libmercury, built on fmt.h.
 *
 * The string functions (snprintf, ...) are standard. Output streams are not
 * FILEs (stdio belongs to Luna): a stream is a sink function installed at
 * start-up with print_set_output(), normally the console write syscall.
 */
#ifndef MERCURY_PRINTF_H
#define MERCURY_PRINTF_H

#include <stdarg.h>
#include <stddef.h>

#include <mercury/fmt.h>

enum print_stream { PRINT_STDOUT, PRINT_STDERR, PRINT_NSTREAMS };

/* Standard C: format into buf, writing at most size bytes including the
   NUL (none if size is 0). Return the length the full output would have. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(__printf__, 3, 4)));
/* Unbounded variants: the caller guarantees buf is large enough. */
int vsprintf(char *buf, const char *fmt, va_list ap);
int sprintf(char *buf, const char *fmt, ...)
	__attribute__((format(__printf__, 2, 3)));

/* Routes a stream to sink(ctx, ...). Until set, a stream discards output.
   Not thread-safe: call at start-up. */
void print_set_output(enum print_stream s, fmt_sink sink, void *ctx);

/* Formats to a stream; each call reaches the sink in as few writes as a
   256-byte buffer allows. Returns the bytes produced (-1 on overflow). */
int print_vfprintf(enum print_stream s, const char *fmt, va_list ap);
int print_fprintf(enum print_stream s, const char *fmt, ...)
	__attribute__((format(__printf__, 2, 3)));

/* Standard C printf and vprintf, on PRINT_STDOUT. */
int vprintf(const char *fmt, va_list ap);
int printf(const char *fmt, ...) __attribute__((format(__printf__, 1, 2)));

#endif
