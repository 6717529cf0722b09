/*
 * fmt.c: the printf formatting engine, shared by Helios and user space.
 *
 * fmt_vformat walks the format string; literal runs go straight to the sink,
 * each '%' directive is parsed into a struct fmt_spec (parse_spec) and then
 * formatted by conversion: integers (format_int), strings and characters
 * (format_str), floating point (the hook from fmt_float.c, if installed).
 * Every field goes out through emit_padded, the one place that knows how
 * width, '-', '0' and precision zeros combine.
 *
 * Integer-only and allocation-free: safe under -mgeneral-regs-only.
 */
#include <stdint.h>

#include <mercury/fmt.h>

/* <limits.h> is unusable under -nostdinc (gcc's copy include_next's libc's). */
#define INT_MAX __INT_MAX__
#define INT_MIN (-__INT_MAX__ - 1)

_Static_assert(sizeof(size_t) == sizeof(ptrdiff_t), "z and t share a width");

/* The sink plus a running byte count. */
struct out {
	fmt_sink sink;
	void *ctx;
	size_t total;
};

static fmt_float_fn float_hook;

static void emit(struct out *o, const char *s, size_t n)
{
	if (n == 0)
		return;
	o->sink(o->ctx, s, n);
	o->total += n;
}

/* Emits n copies of c in chunks, so a huge width costs no large buffer. */
static void emit_repeat(struct out *o, char c, size_t n)
{
	char chunk[32];
	size_t i;

	for (i = 0; i < sizeof(chunk); i++)
		chunk[i] = c;
	while (n > 0) {
		size_t k = n < sizeof(chunk) ? n : sizeof(chunk);
		emit(o, chunk, k);
		n -= k;
	}
}

/* prefix, `zeros` zero digits, body; padded to the spec's width. */
static void emit_padded(struct out *o, const struct fmt_spec *spec,
			const char *prefix, size_t plen, size_t zeros,
			const char *body, size_t blen, bool zero_ok)
{
	size_t len = plen + zeros + blen;
	size_t width = spec->width > 0 ? (size_t)spec->width : 0;
	size_t pad = width > len ? width - len : 0;

	if (spec->flags & FMT_LEFT) {
		emit(o, prefix, plen);
		emit_repeat(o, '0', zeros);
		emit(o, body, blen);
		emit_repeat(o, ' ', pad);
	} else if ((spec->flags & FMT_ZERO) && zero_ok) {
		emit(o, prefix, plen);
		emit_repeat(o, '0', pad + zeros);
		emit(o, body, blen);
	} else {
		emit_repeat(o, ' ', pad);
		emit(o, prefix, plen);
		emit_repeat(o, '0', zeros);
		emit(o, body, blen);
	}
}

size_t fmt_emit_field(fmt_sink sink, void *ctx, const struct fmt_spec *spec,
		      const char *prefix, size_t prefix_len,
		      const char *body, size_t body_len, bool zero_ok)
{
	struct out o = { sink, ctx, 0 };

	emit_padded(&o, spec, prefix, prefix_len, 0, body, body_len, zero_ok);
	return o.total;
}

void fmt_set_float(fmt_float_fn fn)
{
	float_hook = fn;
}

/* Reads a decimal number, saturating at INT_MAX. */
static int parse_num(const char **p)
{
	int n = 0;

	while (**p >= '0' && **p <= '9') {
		int d = *(*p)++ - '0';
		n = n > (INT_MAX - d) / 10 ? INT_MAX : n * 10 + d;
	}
	return n;
}

static unsigned flag_bit(char c)
{
	switch (c) {
	case '-': return FMT_LEFT;
	case '0': return FMT_ZERO;
	case '+': return FMT_PLUS;
	case ' ': return FMT_SPACE;
	case '#': return FMT_ALT;
	default: return 0;
	}
}

static enum fmt_length parse_length(const char **p)
{
	const char *s = *p;
	enum fmt_length len = FMT_LEN_NONE;

	switch (*s) {
	case 'h':
		len = s[1] == 'h' ? FMT_LEN_HH : FMT_LEN_H;
		break;
	case 'l':
		len = s[1] == 'l' ? FMT_LEN_LL : FMT_LEN_L;
		break;
	case 'q': len = FMT_LEN_LL; break;
	case 'z': len = FMT_LEN_Z; break;
	case 't': len = FMT_LEN_T; break;
	case 'j': len = FMT_LEN_J; break;
	case 'L': len = FMT_LEN_BIG_L; break;
	default: return FMT_LEN_NONE;
	}
	*p += (len == FMT_LEN_HH || (len == FMT_LEN_LL && *s == 'l')) ? 2 : 1;
	return len;
}

/* Parses the directive after '%' at *p (flags, width, precision, length,
   conversion); '*' arguments are taken from ap. Leaves *p after it. */
static void parse_spec(const char **p, struct fmt_spec *spec, va_list *ap)
{
	const char *s = *p;
	unsigned bit;

	spec->flags = 0;
	while ((bit = flag_bit(*s)) != 0) {
		spec->flags |= bit;
		s++;
	}
	spec->width = 0;
	if (*s == '*') {
		int w = va_arg(*ap, int);
		s++;
		if (w < 0) {
			spec->flags |= FMT_LEFT;
			w = w == INT_MIN ? INT_MAX : -w;
		}
		spec->width = w;
	} else {
		spec->width = parse_num(&s);
	}
	spec->prec = -1;
	if (*s == '.') {
		s++;
		if (*s == '*') {
			int pr = va_arg(*ap, int);
			s++;
			spec->prec = pr < 0 ? -1 : pr;
		} else {
			spec->prec = parse_num(&s);
		}
	}
	spec->length = parse_length(&s);
	spec->conv = *s;
	if (*s != '\0')
		s++;
	*p = s;
}

static intmax_t arg_signed(enum fmt_length len, va_list *ap)
{
	switch (len) {
	case FMT_LEN_HH: return (signed char)va_arg(*ap, int);
	case FMT_LEN_H: return (short)va_arg(*ap, int);
	case FMT_LEN_L: return va_arg(*ap, long);
	case FMT_LEN_LL:
	case FMT_LEN_BIG_L: return va_arg(*ap, long long);
	case FMT_LEN_Z:
	case FMT_LEN_T: return va_arg(*ap, ptrdiff_t);
	case FMT_LEN_J: return va_arg(*ap, intmax_t);
	default: return va_arg(*ap, int);
	}
}

static uintmax_t arg_unsigned(enum fmt_length len, va_list *ap)
{
	switch (len) {
	case FMT_LEN_HH: return (unsigned char)va_arg(*ap, unsigned);
	case FMT_LEN_H: return (unsigned short)va_arg(*ap, unsigned);
	case FMT_LEN_L: return va_arg(*ap, unsigned long);
	case FMT_LEN_LL:
	case FMT_LEN_BIG_L: return va_arg(*ap, unsigned long long);
	case FMT_LEN_Z:
	case FMT_LEN_T: return va_arg(*ap, size_t);
	case FMT_LEN_J: return va_arg(*ap, uintmax_t);
	default: return va_arg(*ap, unsigned);
	}
}

/* Writes v in base backwards ending at end; returns the digit count. */
static size_t digits_of(char *end, uintmax_t v, unsigned base, bool upper)
{
	const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	size_t n = 0;

	while (v != 0) {
		*--end = set[v % base];
		v /= base;
		n++;
	}
	return n;
}

/* d i u o x X p, already read into magnitude v and sign. */
static void format_int(struct out *o, const struct fmt_spec *spec,
		       uintmax_t v, bool negative)
{
	char buf[3 * sizeof(uintmax_t) + 2];
	char *end = buf + sizeof(buf);
	char prefix[3];
	size_t plen = 0, ndig, zeros = 0;
	char c = spec->conv;
	unsigned base = c == 'o' ? 8 : (c == 'x' || c == 'X' || c == 'p') ? 16 : 10;
	bool is_signed = c == 'd' || c == 'i';

	ndig = digits_of(end, v, base, c == 'X');
	if (spec->prec < 0 && v == 0) {
		*(end - 1) = '0';
		ndig = 1;
	}
	if (spec->prec > 0 && (size_t)spec->prec > ndig)
		zeros = (size_t)spec->prec - ndig;
	if (negative)
		prefix[plen++] = '-';
	else if (is_signed && (spec->flags & FMT_PLUS))
		prefix[plen++] = '+';
	else if (is_signed && (spec->flags & FMT_SPACE))
		prefix[plen++] = ' ';
	if (c == 'p' || ((spec->flags & FMT_ALT) && v != 0 && base == 16)) {
		prefix[plen++] = '0';
		prefix[plen++] = c == 'X' ? 'X' : 'x';
	}
	/* '#' with 'o': the first digit must be a zero. */
	if (c == 'o' && (spec->flags & FMT_ALT) && zeros == 0 &&
	    (ndig == 0 || *(end - ndig) != '0'))
		zeros = 1;
	emit_padded(o, spec, prefix, plen, zeros, end - ndig, ndig,
		    spec->prec < 0);
}

static size_t bounded_len(const char *s, int prec)
{
	size_t n = 0;

	while ((prec < 0 || n < (size_t)prec) && s[n] != '\0')
		n++;
	return n;
}

static void format_str(struct out *o, const struct fmt_spec *spec,
		       const char *s)
{
	if (s == NULL)
		s = "(null)";
	emit_padded(o, spec, "", 0, 0, s, bounded_len(s, spec->prec), false);
}

static bool is_float_conv(char c)
{
	switch (c) {
	case 'f': case 'F': case 'e': case 'E':
	case 'g': case 'G': case 'a': case 'A':
		return true;
	default:
		return false;
	}
}

/* Formats one parsed directive; start..end is its text, printed verbatim
   when the conversion is unknown or unavailable. */
static void format_one(struct out *o, const struct fmt_spec *spec,
		       va_list *ap, const char *start, const char *end)
{
	char ch;

	switch (spec->conv) {
	case 'd':
	case 'i': {
		intmax_t v = arg_signed(spec->length, ap);
		format_int(o, spec, v < 0 ? -(uintmax_t)v : (uintmax_t)v, v < 0);
		return;
	}
	case 'u': case 'o': case 'x': case 'X':
		format_int(o, spec, arg_unsigned(spec->length, ap), false);
		return;
	case 'p': {
		uintptr_t v = (uintptr_t)va_arg(*ap, void *);
		if (v == 0)
			emit_padded(o, spec, "", 0, 0, "(nil)", 5, false);
		else
			format_int(o, spec, v, false);
		return;
	}
	case 's':
		format_str(o, spec, va_arg(*ap, const char *));
		return;
	case 'c':
		ch = (char)va_arg(*ap, int);
		emit_padded(o, spec, "", 0, 0, &ch, 1, false);
		return;
	case '%':
		emit(o, "%", 1);
		return;
	case 'n':
		(void)va_arg(*ap, void *);
		break;
	default:
		if (is_float_conv(spec->conv) && float_hook != NULL) {
			o->total += float_hook(o->sink, o->ctx, spec, ap);
			return;
		}
		break;
	}
	emit(o, start, (size_t)(end - start));
}

int fmt_vformat(fmt_sink sink, void *ctx, const char *fmt, va_list ap)
{
	struct out o = { sink, ctx, 0 };
	struct fmt_spec spec;
	va_list aq;
	const char *p = fmt;

	/* A local copy, so its address can be passed on (va_list may be an
	   array type, which decays when passed as a parameter). */
	va_copy(aq, ap);
	while (*p != '\0') {
		const char *lit = p, *start;

		while (*p != '\0' && *p != '%')
			p++;
		emit(&o, lit, (size_t)(p - lit));
		if (*p == '\0')
			break;
		start = p++;
		parse_spec(&p, &spec, &aq);
		format_one(&o, &spec, &aq, start, p);
	}
	va_end(aq);
	return o.total > INT_MAX ? -1 : (int)o.total;
}

int fmt_format(fmt_sink sink, void *ctx, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vformat(sink, ctx, fmt, ap);
	va_end(ap);
	return n;
}
