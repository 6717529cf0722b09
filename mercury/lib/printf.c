/*
 * printf.c: the user-space printf family over fmt_vformat.
 *
 * Two kinds of sink: a string sink (snprintf and friends) that copies what
 * fits and counts the rest, and a buffered stream sink (printf) that
 * gathers output in a stack buffer so one call usually becomes one write.
 * Every entry point installs the floating-point conversions (fmt_float.c),
 * which only user space links.
 */
#include <stdint.h>

#include <mercury/fmt_float.h>
#include <mercury/printf.h>

struct str_out {
	char *buf;
	size_t room; /* bytes still writable, excluding the final NUL */
};

static void str_sink(void *ctx, const char *s, size_t n)
{
	struct str_out *o = ctx;
	size_t k = n < o->room ? n : o->room;
	size_t i;

	for (i = 0; i < k; i++)
		o->buf[i] = s[i];
	o->buf += k;
	o->room -= k;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct str_out o = { buf, size > 0 ? size - 1 : 0 };
	int n;

	fmt_float_install();
	n = fmt_vformat(str_sink, &o, fmt, ap);

	if (size > 0)
		*o.buf = '\0';
	return n;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int vsprintf(char *buf, const char *fmt, va_list ap)
{
	/* room = all of the address space above buf: the caller vouched. */
	struct str_out o = { buf, UINTPTR_MAX - (uintptr_t)buf };
	int n;

	fmt_float_install();
	n = fmt_vformat(str_sink, &o, fmt, ap);

	*o.buf = '\0';
	return n;
}

int sprintf(char *buf, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsprintf(buf, fmt, ap);
	va_end(ap);
	return n;
}

struct stream {
	fmt_sink sink;
	void *ctx;
};

static struct stream streams[PRINT_NSTREAMS];

void print_set_output(enum print_stream s, fmt_sink sink, void *ctx)
{
	if ((unsigned)s < PRINT_NSTREAMS) {
		streams[s].sink = sink;
		streams[s].ctx = ctx;
	}
}

struct buf_out {
	const struct stream *to;
	size_t n;
	char buf[256];
};

static void buf_flush(struct buf_out *o)
{
	if (o->n > 0 && o->to->sink != NULL)
		o->to->sink(o->to->ctx, o->buf, o->n);
	o->n = 0;
}

static void buf_sink(void *ctx, const char *s, size_t n)
{
	struct buf_out *o = ctx;

	while (n > 0) {
		size_t k = sizeof(o->buf) - o->n;
		size_t i;

		if (k > n)
			k = n;
		for (i = 0; i < k; i++)
			o->buf[o->n + i] = s[i];
		o->n += k;
		s += k;
		n -= k;
		if (o->n == sizeof(o->buf))
			buf_flush(o);
	}
}

int print_vfprintf(enum print_stream s, const char *fmt, va_list ap)
{
	struct buf_out o;
	int n;

	if ((unsigned)s >= PRINT_NSTREAMS)
		return -1;
	fmt_float_install();
	o.to = &streams[s];
	o.n = 0;
	n = fmt_vformat(buf_sink, &o, fmt, ap);
	buf_flush(&o);
	return n;
}

int print_fprintf(enum print_stream s, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = print_vfprintf(s, fmt, ap);
	va_end(ap);
	return n;
}

int vprintf(const char *fmt, va_list ap)
{
	return print_vfprintf(PRINT_STDOUT, fmt, ap);
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}
