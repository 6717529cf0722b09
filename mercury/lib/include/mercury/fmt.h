/*
 * fmt.h: the formatting engine behind the whole printf family.
 *
 * Shared by Helios and user space, so it is freestanding and integer-only.
 * Output goes to a sink function in pieces; the engine never buffers and
 * never allocates. Floating point (%f %e %g %a) is not compiled in here:
 * user space installs a hook (fmt_float.c) with fmt_set_float(), so the
 * kernel, which has no SSE, never links float code.
 */
#ifndef MERCURY_FMT_H
#define MERCURY_FMT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* Receives the next n bytes of output (not NUL-terminated). */
typedef void (*fmt_sink)(void *ctx, const char *s, size_t n);

/* Flags of one conversion, as parsed from the format string. */
enum {
	FMT_LEFT = 1 << 0,  /* '-' */
	FMT_ZERO = 1 << 1,  /* '0' */
	FMT_PLUS = 1 << 2,  /* '+' */
	FMT_SPACE = 1 << 3, /* ' ' */
	FMT_ALT = 1 << 4,   /* '#' */
};

/* Length modifiers. */
enum fmt_length {
	FMT_LEN_NONE, FMT_LEN_HH, FMT_LEN_H, FMT_LEN_L, FMT_LEN_LL,
	FMT_LEN_Z, FMT_LEN_T, FMT_LEN_J, FMT_LEN_BIG_L,
};

/* One parsed conversion specification. */
struct fmt_spec {
	unsigned flags;          /* FMT_* bits */
	int width;               /* minimum field width, 0 if none */
	int prec;                /* precision, -1 if none */
	enum fmt_length length;
	char conv;               /* conversion character, e.g. 'f' */
};

/*
 * Formats one floating-point conversion (f F e E g G a A): takes its
 * argument from *ap and writes the padded field to sink. Returns the
 * number of bytes produced.
 */
typedef size_t (*fmt_float_fn)(fmt_sink sink, void *ctx,
			       const struct fmt_spec *spec, va_list *ap);

/*
 * Formats fmt with the arguments in ap, sending the output to sink(ctx, ...).
 * Conversions: d i u x X o p s c %, flags - 0 + space #, width and precision
 * (digits or *), length modifiers hh h l ll z t j (L as ll for integers).
 * Floating-point conversions go to the hook installed by fmt_set_float();
 * without one they print literally (e.g. "%f"). Unknown conversions and %n
 * (refused: it writes memory) are printed as written and consume nothing,
 * except that %n consumes its pointer. Returns the number of bytes produced,
 * or -1 if that exceeds INT_MAX.
 */
int fmt_vformat(fmt_sink sink, void *ctx, const char *fmt, va_list ap);

/* fmt_vformat with variable arguments. */
int fmt_format(fmt_sink sink, void *ctx, const char *fmt, ...)
	__attribute__((format(__printf__, 3, 4)));

/* Installs the floating-point formatter (NULL removes it). Not thread-safe:
   call once at start-up. */
void fmt_set_float(fmt_float_fn fn);

/*
 * Writes one field: prefix (sign, "0x"), then body, padded to spec->width
 * as spec->flags ask. Zero padding goes between prefix and body, and only if
 * zero_ok (e.g. not for "inf"). Returns the number of bytes produced.
 * Exposed for fmt_float.c.
 */
size_t fmt_emit_field(fmt_sink sink, void *ctx, const struct fmt_spec *spec,
		      const char *prefix, size_t prefix_len,
		      const char *body, size_t body_len, bool zero_ok);

#endif
