/*
 * printf.c: the kernel's printf, kprintf, on the console.
 * Formatting is Mercury's fmt engine (mercury/lib/fmt.c), shared with user
 * space so that there is one implementation of printf formats.
 */
#include <stdarg.h>
#include <mercury/fmt.h>
#include "arch.h"
#include "kernel.h"

static void console_sink(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	arch_console_write(s, n);
}

/* Formats to the console; returns the number of characters written. */
int kvprintf(const char *fmt, va_list ap)
{
	return fmt_vformat(console_sink, NULL, fmt, ap);
}

int kprintf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvprintf(fmt, ap);
	va_end(ap);
	return n;
}

struct buf_sink {
	char *buf;
	size_t size, used;
};

static void buf_sink(void *ctx, const char *s, size_t n)
{
	struct buf_sink *b = ctx;

	for (size_t i = 0; i < n; i++, b->used++)
		if (b->used + 1 < b->size)
			b->buf[b->used] = s[i];
}

/* Formats into buf (always NUL-terminated when size > 0); returns the full length. */
int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	struct buf_sink b = { buf, size, 0 };
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vformat(buf_sink, &b, fmt, ap);
	va_end(ap);
	if (size)
		buf[b.used < size ? b.used : size - 1] = '\0';
	return n;
}
