/*
 * kt_tap.c: TAP results for in-OS suites (see kt_tap.h), printed through
 * the runtime's console printf. A result line is built whole first, so
 * that it reaches the console in one write.
 */
#include <stdarg.h>

#include <mercury/fmt.h>
#include "rt.h"
#include "kt_tap.h"

static unsigned ntests, nfailed;

struct line {
	char buf[200];
	unsigned len;
};

static void line_sink(void *ctx, const char *s, size_t n)
{
	struct line *l = ctx;

	for (size_t i = 0; i < n; i++)
		if (l->len < sizeof(l->buf) - 1)
			l->buf[l->len++] = s[i];
}

static void result(int cond, const char *fmt, va_list ap, const char *extra)
{
	struct line l = { .len = 0 };

	ntests++;
	if (!cond)
		nfailed++;
	fmt_format(line_sink, &l, "%sok %u - ", cond ? "" : "not ", ntests);
	fmt_vformat(line_sink, &l, fmt, ap);
	l.buf[l.len] = '\0';
	rt_printf("%s\n%s", l.buf, extra ? extra : "");
}

int kt_ok(int cond, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	result(cond, fmt, ap, NULL);
	va_end(ap);
	return cond;
}

int kt_is(int64_t got, int64_t want, const char *fmt, ...)
{
	char extra[96];
	va_list ap;

	extra[0] = '\0';
	if (got != want)
		rt_snprintf(extra, sizeof(extra), "#   got %ld (0x%lx), want %ld (0x%lx)\n",
			    (long)got, (unsigned long)got, (long)want, (unsigned long)want);
	va_start(ap, fmt);
	result(got == want, fmt, ap, extra);
	va_end(ap);
	return got == want;
}

void kt_diag(const char *fmt, ...)
{
	va_list ap;

	rt_printf("# ");
	va_start(ap, fmt);
	rt_vprintf(fmt, ap);
	va_end(ap);
	rt_printf("\n");
}

int kt_done(void)
{
	rt_printf("1..%u\n", ntests);
	if (nfailed)
		rt_printf("# %u of %u checks failed\n", nfailed, ntests);
	return nfailed ? 1 : 0;
}

unsigned kt_count(void)
{
	return ntests;
}

unsigned kt_failures(void)
{
	return nfailed;
}
