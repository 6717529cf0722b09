/*
 * fmt_float.c: %f %F %e %E %g %G %a %A for fmt_vformat (user space only:
 * the kernel never installs it, so never links floating point).
 *
 * Output is exact, as glibc's is: the double m * 2^e is expanded into all
 * of its decimal digits with big-integer arithmetic (to_decimal), rounded
 * half-to-even at the requested digit (round_digits), and laid out by style
 * (layout_f, layout_e, the %g choice between them). %a works on the bits.
 * A field is built as sign, body, trailing zeros and exponent suffix, so a
 * huge precision costs no buffer; emit_parts pads it to the width.
 */
#include <stdbool.h>
#include <stdint.h>

#include <mercury/fmt.h>
#include <mercury/fmt_float.h>

enum {
	LIMB = 1000000000, /* base of the big integer */
	NLIMBS = 100,      /* 900 digits: enough for 2^53 * 5^1074 */
	MAXDIG = 900,
	BODY = MAXDIG + 340, /* digits plus up to 309 integer zeros and '.' */
};

/* The exact decimal value 0.d[0]d[1]...d[n-1] * 10^dexp, digits 0..9. */
struct decimal {
	unsigned char d[MAXDIG];
	int n, dexp;
};

/* One formatted field in parts. */
struct parts {
	char sign[3]; /* "", "-", "+", " ", or "0x" after a sign for %a */
	int slen;
	char body[BODY];
	int blen;
	int zeros;    /* trailing zeros after the body */
	char suffix[8];
	int xlen;
	bool zero_ok;
};

/* Big integer little-endian in base 1e9: *n limbs, multiplied by mul. */
static void big_mul(uint32_t *limb, int *n, uint32_t mul)
{
	uint64_t carry = 0;
	int i;

	for (i = 0; i < *n; i++) {
		uint64_t v = (uint64_t)limb[i] * mul + carry;
		limb[i] = (uint32_t)(v % LIMB);
		carry = v / LIMB;
	}
	while (carry != 0) {
		limb[(*n)++] = (uint32_t)(carry % LIMB);
		carry /= LIMB;
	}
}

static uint32_t pow5(int k)
{
	uint32_t r = 1;

	while (k-- > 0)
		r *= 5;
	return r;
}

/* Expands m * 2^e2 (m != 0) exactly into decimal digits. */
static void to_decimal(uint64_t m, int e2, struct decimal *dec)
{
	uint32_t limb[NLIMBS];
	int n = 0, i, k = e2 < 0 ? -e2 : 0, top;

	for (; m != 0; m /= LIMB)
		limb[n++] = (uint32_t)(m % LIMB);
	/* m * 2^e2 = m * 2^e2 for e2 >= 0, else m * 5^k / 10^k. */
	for (i = e2; i > 0; i -= 29)
		big_mul(limb, &n, 1u << (i < 29 ? i : 29));
	for (i = k; i > 0; i -= 13)
		big_mul(limb, &n, pow5(i < 13 ? i : 13));
	dec->n = 0;
	for (i = n - 1; i >= 0; i--) {
		uint32_t v = limb[i];
		int j, w = 9;
		char tmp[9];
		for (j = 8; j >= 0; j--, v /= 10)
			tmp[j] = (char)(v % 10);
		if (i == n - 1) /* no leading zeros in the top limb */
			for (w = 9; w > 1 && tmp[9 - w] == 0; w--)
				;
		for (j = 9 - w; j < 9; j++)
			dec->d[dec->n++] = (unsigned char)tmp[j];
	}
	top = dec->n;
	dec->dexp = top - k;
	while (dec->n > 0 && dec->d[dec->n - 1] == 0)
		dec->n--;
}

/* Keeps the first `keep` digits, rounding half to even. */
static void round_digits(struct decimal *dec, int keep)
{
	int i;
	bool up, rest = false;

	if (keep >= dec->n)
		return;
	if (keep < 0) {
		dec->n = 0;
		return;
	}
	for (i = keep + 1; i < dec->n; i++)
		rest |= dec->d[i] != 0;
	up = dec->d[keep] > 5 || (dec->d[keep] == 5 &&
	     (rest || (keep > 0 && (dec->d[keep - 1] & 1))));
	dec->n = keep;
	if (!up)
		goto strip;
	for (i = keep - 1; i >= 0 && dec->d[i] == 9; i--)
		dec->d[i] = 0;
	if (i < 0) { /* 999.. became 1000.. */
		dec->d[0] = 1;
		dec->n = 1;
		dec->dexp++;
		return;
	}
	dec->d[i]++;
strip:
	while (dec->n > 0 && dec->d[dec->n - 1] == 0)
		dec->n--;
}

static int digit_at(const struct decimal *dec, int i)
{
	return i >= 0 && i < dec->n ? dec->d[i] : 0;
}

static void add(struct parts *p, char c)
{
	p->body[p->blen++] = c;
}

/* Fixed notation with prec fraction digits; the zeros past the known
   digits become p->zeros rather than body bytes. */
static void layout_f(const struct decimal *dec, int prec, bool alt, struct parts *p)
{
	int i, last;

	if (dec->dexp <= 0)
		add(p, '0');
	for (i = 0; i < dec->dexp; i++)
		add(p, (char)('0' + digit_at(dec, i)));
	if (prec > 0 || alt)
		add(p, '.');
	last = dec->n - dec->dexp; /* fraction digits that may be nonzero */
	for (i = 1; i <= prec && i <= last; i++)
		add(p, (char)('0' + digit_at(dec, dec->dexp + i - 1)));
	p->zeros = prec - (i - 1);
}

/* The exponent suffix: e, sign, at least mindig digits. */
static void layout_exp(int x, char e, int mindig, struct parts *p)
{
	int ax = x < 0 ? -x : x, n = 0;
	char tmp[6];

	p->suffix[p->xlen++] = e;
	p->suffix[p->xlen++] = x < 0 ? '-' : '+';
	do {
		tmp[n++] = (char)('0' + ax % 10);
		ax /= 10;
	} while (ax != 0);
	while (n < mindig)
		tmp[n++] = '0';
	while (n > 0)
		p->suffix[p->xlen++] = tmp[--n];
}

/* Scientific notation: one digit, prec fraction digits, exponent x. */
static void layout_e(const struct decimal *dec, int prec, bool alt, int x,
		     char e, struct parts *p)
{
	int i;

	add(p, (char)('0' + digit_at(dec, 0)));
	if (prec > 0 || alt)
		add(p, '.');
	for (i = 1; i <= prec && i < dec->n; i++)
		add(p, (char)('0' + dec->d[i]));
	p->zeros = prec - (i - 1);
	layout_exp(x, e, 2, p);
}

/* Drops %g's trailing fraction zeros (and a bare '.'). */
static void strip_g(struct parts *p)
{
	int i;
	bool dot = false;

	for (i = 0; i < p->blen; i++)
		dot |= p->body[i] == '.';
	p->zeros = 0;
	if (!dot)
		return;
	while (p->body[p->blen - 1] == '0')
		p->blen--;
	if (p->body[p->blen - 1] == '.')
		p->blen--;
}

static void format_decimal(double v, const struct fmt_spec *spec, struct parts *p)
{
	static struct decimal dec; /* 1 KiB: kept off the stack */
	uint64_t bits;
	int e, prec = spec->prec < 0 ? 6 : spec->prec, x;
	char c = spec->conv | 0x20;
	bool alt = spec->flags & FMT_ALT, upper = spec->conv != c;

	__builtin_memcpy(&bits, &v, sizeof(bits));
	e = (int)(bits >> 52 & 0x7ff);
	bits &= (1ull << 52) - 1;
	dec.n = 0;
	dec.dexp = 1;
	if (e != 0 || bits != 0)
		to_decimal(e ? bits | 1ull << 52 : bits, (e ? e : 1) - 1075, &dec);
	if (c == 'f') {
		round_digits(&dec, dec.dexp + prec);
		layout_f(&dec, prec, alt, p);
		return;
	}
	if (c == 'e') {
		round_digits(&dec, prec + 1);
		layout_e(&dec, prec, alt, dec.n ? dec.dexp - 1 : 0, upper ? 'E' : 'e', p);
		return;
	}
	/* %g: P significant digits; the exponent after rounding picks the style. */
	if (prec == 0)
		prec = 1;
	round_digits(&dec, prec);
	x = dec.n ? dec.dexp - 1 : 0;
	if (x >= -4 && x < prec)
		layout_f(&dec, prec - 1 - x, alt, p);
	else
		layout_e(&dec, prec - 1, alt, x, upper ? 'E' : 'e', p);
	if (!alt)
		strip_g(p);
}

/* %a: hexadecimal mantissa and binary exponent, rounded half to even. */
static void format_hex(double v, const struct fmt_spec *spec, struct parts *p)
{
	const char *hex = spec->conv == 'A' ? "0123456789ABCDEF" : "0123456789abcdef";
	uint64_t bits, mant, lead;
	int e, x, ndig = 13, i;

	__builtin_memcpy(&bits, &v, sizeof(bits));
	e = (int)(bits >> 52 & 0x7ff);
	mant = bits & ((1ull << 52) - 1);
	lead = e != 0;
	x = e == 0 ? (mant ? -1022 : 0) : e - 1023;
	if (spec->prec >= 0 && spec->prec < 13) {
		int shift = (13 - spec->prec) * 4;
		uint64_t rem = mant & ((1ull << shift) - 1), half = 1ull << (shift - 1);
		mant >>= shift;
		/* Ties go to even: the last kept digit, the leading one at %.0a. */
		if (rem > half || (rem == half && ((spec->prec ? mant : lead) & 1)))
			mant++;
		if (mant >> (spec->prec * 4)) { /* carried into the leading digit */
			mant &= (1ull << (spec->prec * 4)) - 1;
			lead++;
		}
		ndig = spec->prec;
	} else if (spec->prec < 0) {
		for (; ndig > 0 && (mant & 15) == 0; ndig--)
			mant >>= 4;
	}
	p->sign[p->slen++] = '0';
	p->sign[p->slen++] = spec->conv == 'A' ? 'X' : 'x';
	add(p, (char)('0' + lead));
	if (ndig > 0 || (spec->flags & FMT_ALT))
		add(p, '.');
	for (i = ndig - 1; i >= 0; i--)
		add(p, hex[(mant >> (i * 4)) & 15]);
	p->zeros = spec->prec > 13 ? spec->prec - 13 : 0;
	layout_exp(x, spec->conv == 'A' ? 'P' : 'p', 1, p);
}

static void repeat(fmt_sink sink, void *ctx, char c, int n)
{
	char chunk[32];
	int i;

	for (i = 0; i < (int)sizeof(chunk); i++)
		chunk[i] = c;
	for (; n > 0; n -= (int)sizeof(chunk))
		sink(ctx, chunk, n < (int)sizeof(chunk) ? (size_t)n : sizeof(chunk));
}

static size_t emit_parts(fmt_sink sink, void *ctx, const struct fmt_spec *spec,
			 const struct parts *p)
{
	size_t len = (size_t)p->slen + (size_t)p->blen + (size_t)p->zeros + (size_t)p->xlen;
	size_t pad = (size_t)spec->width > len ? (size_t)spec->width - len : 0;
	bool left = spec->flags & FMT_LEFT;
	bool zero = !left && (spec->flags & FMT_ZERO) && p->zero_ok;

	if (!left && !zero)
		repeat(sink, ctx, ' ', (int)pad);
	if (p->slen)
		sink(ctx, p->sign, (size_t)p->slen);
	if (zero)
		repeat(sink, ctx, '0', (int)pad);
	if (p->blen)
		sink(ctx, p->body, (size_t)p->blen);
	repeat(sink, ctx, '0', p->zeros);
	if (p->xlen)
		sink(ctx, p->suffix, (size_t)p->xlen);
	if (left)
		repeat(sink, ctx, ' ', (int)pad);
	return len + pad;
}

size_t fmt_float(fmt_sink sink, void *ctx, const struct fmt_spec *spec, va_list *ap)
{
	static struct parts p;
	double v = spec->length == FMT_LEN_BIG_L ? (double)va_arg(*ap, long double)
						 : va_arg(*ap, double);
	bool upper = spec->conv >= 'A' && spec->conv <= 'Z';

	p.slen = p.blen = p.zeros = p.xlen = 0;
	p.zero_ok = true;
	if (__builtin_signbit(v))
		p.sign[p.slen++] = '-';
	else if (spec->flags & FMT_PLUS)
		p.sign[p.slen++] = '+';
	else if (spec->flags & FMT_SPACE)
		p.sign[p.slen++] = ' ';
	if (__builtin_isnan(v) || __builtin_isinf(v)) {
		const char *s = __builtin_isnan(v) ? (upper ? "NAN" : "nan")
						   : (upper ? "INF" : "inf");
		add(&p, s[0]);
		add(&p, s[1]);
		add(&p, s[2]);
		p.zero_ok = false;
	} else if ((spec->conv | 0x20) == 'a') {
		format_hex(v, spec, &p);
	} else {
		format_decimal(v, spec, &p);
	}
	return emit_parts(sink, ctx, spec, &p);
}

void fmt_float_install(void)
{
	fmt_set_float(fmt_float);
}
