/*
 * number.c: sample values as the shortest decimal that reads back as the
 * same double.
 *
 * Integers below 2^53 (most counters) take a fast path. Anything else goes
 * through the free-format algorithm of Steele & White as refined by Burger
 * & Dybvig ("Printing floating-point numbers quickly and accurately",
 * 1996): v and the half-way points to its neighbours are exact big
 * integers r/s ± m/s, and digits are generated until the number printed
 * so far lies strictly inside that rounding interval. Strictly: a reader
 * that rounds half-to-even would also accept the boundary when the
 * mantissa is even, but not every reader is known to, and excluding it
 * costs at most one more digit.
 */
#include <string.h>

#include "metrics.h"

enum { BIG_WORDS = 40 };	/* 1280 bits: r reaches about 2^1135 */

struct big {
	uint32_t w[BIG_WORDS];
	int n;			/* words in use; w[n-1] != 0 unless n == 0 */
};

static void big_set(struct big *b, uint64_t v)
{
	b->n = 0;
	while (v != 0) {
		b->w[b->n++] = (uint32_t)v;
		v >>= 32;
	}
}

static void big_mul_small(struct big *b, uint32_t m)
{
	uint64_t carry = 0;
	int i;

	for (i = 0; i < b->n; i++) {
		uint64_t t = (uint64_t)b->w[i] * m + carry;
		b->w[i] = (uint32_t)t;
		carry = t >> 32;
	}
	if (carry != 0)
		b->w[b->n++] = (uint32_t)carry;
}

static void big_shl(struct big *b, int bits)
{
	int words = bits / 32, sh = bits % 32, i;

	if (b->n == 0)
		return;
	if (sh != 0) {
		uint32_t carry = 0;

		for (i = 0; i < b->n; i++) {
			uint32_t w = b->w[i];
			b->w[i] = w << sh | carry;
			carry = w >> (32 - sh);
		}
		if (carry != 0)
			b->w[b->n++] = carry;
	}
	if (words != 0) {
		memmove(b->w + words, b->w, (size_t)b->n * sizeof b->w[0]);
		memset(b->w, 0, (size_t)words * sizeof b->w[0]);
		b->n += words;
	}
}

static int big_cmp(const struct big *a, const struct big *b)
{
	int i;

	if (a->n != b->n)
		return a->n < b->n ? -1 : 1;
	for (i = a->n - 1; i >= 0; i--)
		if (a->w[i] != b->w[i])
			return a->w[i] < b->w[i] ? -1 : 1;
	return 0;
}

/* a -= b; requires a >= b. */
static void big_sub(struct big *a, const struct big *b)
{
	int64_t borrow = 0;
	int i;

	for (i = 0; i < a->n; i++) {
		int64_t t = (int64_t)a->w[i] - (i < b->n ? b->w[i] : 0) - borrow;
		borrow = t < 0;
		a->w[i] = (uint32_t)(t + (borrow << 32));
	}
	while (a->n > 0 && a->w[a->n - 1] == 0)
		a->n--;
}

/* *sum = a + b. */
static void big_add(struct big *sum, const struct big *a, const struct big *b)
{
	uint64_t carry = 0;
	int n = a->n > b->n ? a->n : b->n, i;

	for (i = 0; i < n; i++) {
		uint64_t t = carry + (i < a->n ? a->w[i] : 0) + (i < b->n ? b->w[i] : 0);
		sum->w[i] = (uint32_t)t;
		carry = t >> 32;
	}
	sum->n = n;
	if (carry != 0)
		sum->w[sum->n++] = (uint32_t)carry;
}

static void big_mul_pow10(struct big *b, int k)
{
	for (; k >= 9; k -= 9)
		big_mul_small(b, 1000000000u);
	for (; k > 0; k--)
		big_mul_small(b, 10);
}

/*
 * The shortest digits of positive finite v = f * 2^e: writes them to
 * digits (at most 17) and returns their count; *k is the decimal exponent
 * with v ~ 0.d1d2... * 10^k.
 */
static int shortest_digits(uint64_t f, int e, char *digits, int *k)
{
	struct big r, s, m, hi;
	int n = 0, log2v, kk;

	/* m is the distance to a neighbour; a power of two has a nearer
	   lower neighbour, and using the larger distance on both sides is
	   wrong there, so keep the smaller one: we exclude boundaries, which
	   keeps the result inside the true interval on both sides. */
	big_set(&r, f);
	big_shl(&r, 1);
	if (e >= 0) {
		big_shl(&r, e);
		big_set(&s, 2);
		big_set(&m, 1);
		big_shl(&m, e);
	} else {
		big_set(&s, 1);
		big_shl(&s, 1 - e);
		big_set(&m, 1);
	}
	if (f == (uint64_t)1 << 52 && e > -1074) {
		/* Lower gap is half the upper one: scale all by 2, m- = m. */
		big_shl(&r, 1);
		big_shl(&s, 1);
	}

	/* floor(log2 v) * log10(2), rounded down: never above the answer. */
	log2v = e + 63 - __builtin_clzll(f);
	kk = log2v >= 0 ? (log2v * 78913) >> 18 : -((-log2v * 78913 + 262143) >> 18);
	if (kk >= 0)
		big_mul_pow10(&s, kk);
	else {
		big_mul_pow10(&r, -kk);
		big_mul_pow10(&m, -kk);
	}
	for (;;) {		/* fix up: (r + m) / s must be at most 1 */
		big_add(&hi, &r, &m);
		if (big_cmp(&hi, &s) <= 0)
			break;
		big_mul_small(&s, 10);
		kk++;
	}
	*k = kk;

	for (;;) {
		int d = 0;
		bool low, high;

		big_mul_small(&r, 10);
		big_mul_small(&m, 10);
		while (big_cmp(&r, &s) >= 0) {
			big_sub(&r, &s);
			d++;
		}
		low = big_cmp(&r, &m) < 0;	/* stopping at d stays inside */
		big_add(&hi, &r, &m);
		high = big_cmp(&hi, &s) > 0;	/* so does rounding up to d+1 */
		if (!low && !high && n < 16) {
			digits[n++] = (char)('0' + d);
			continue;
		}
		/* Both (or, never reached, a 17th digit): the nearer one. */
		big_add(&hi, &r, &r);
		if (high && (!low || big_cmp(&hi, &s) > 0))
			d++;
		else if (!low && !high && big_cmp(&hi, &s) > 0)
			d++;
		digits[n++] = (char)('0' + d);
		return n;
	}
}

/* Decimal digits of u into out (no sign); returns the length. */
static int fmt_u64(char *out, uint64_t u)
{
	char tmp[20];
	int n = 0, i;

	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	for (i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	return n;
}

/* Lays out n digits with exponent k (0.digits * 10^k) into out, in
   exponent form when the exponent is below -4 or at least hi. */
static int layout(char *out, const char *digits, int n, int k, int hi)
{
	int len = 0, i, x = k - 1;

	if (x < -4 || x >= hi) {	/* d.ddde±x */
		out[len++] = digits[0];
		if (n > 1) {
			out[len++] = '.';
			memcpy(out + len, digits + 1, (size_t)n - 1);
			len += n - 1;
		}
		out[len++] = 'e';
		out[len++] = x < 0 ? '-' : '+';
		if (x < 0)
			x = -x;
		if (x < 10)
			out[len++] = '0';
		return len + fmt_u64(out + len, (uint64_t)x);
	}
	if (k <= 0) {			/* 0.000ddd */
		out[len++] = '0';
		out[len++] = '.';
		for (i = 0; i < -k; i++)
			out[len++] = '0';
		memcpy(out + len, digits, (size_t)n);
		return len + n;
	}
	for (i = 0; i < k; i++)		/* ddd000 or dd.dd */
		out[len++] = i < n ? digits[i] : '0';
	if (n > k) {
		out[len++] = '.';
		memcpy(out + len, digits + k, (size_t)(n - k));
		len += n - k;
	}
	return len;
}

/*
 * The fast path for short decimals (0.25, 12.5, 0.001): the smallest k <=
 * 6 for which m = v * 10^k rounds to an integer that divides back to
 * exactly v. Both m and 10^k are exact doubles and IEEE division rounds
 * correctly, so m / 10^k == v means the decimal m * 10^-k reads back as
 * v; and it is the shortest, since any shorter decimal would have passed
 * at a smaller k. Writes the digits to out and returns their count, or 0.
 */
static int short_decimal(char *out, double a)
{
	static const double p10[] = { 1, 10, 100, 1000, 10000, 100000, 1000000 };
	int k, n, len = 0;

	if (!(a >= 1e-4 && a < 1e9))
		return 0;
	for (k = 1; k <= 6; k++) {
		double m = a * p10[k] + 0.5;
		uint64_t u = (uint64_t)m;
		char d[24];

		if ((double)u / p10[k] != a)
			continue;
		n = fmt_u64(d, u);
		if (n <= k) {		/* 0.000ddd */
			out[len++] = '0';
			out[len++] = '.';
			for (; n < k; k--)
				out[len++] = '0';
			memcpy(out + len, d, (size_t)n);
			return len + n;
		}
		memcpy(out, d, (size_t)(n - k));
		out[n - k] = '.';
		memcpy(out + n - k + 1, d + n - k, (size_t)k);
		return n + 1;
	}
	return 0;
}

/* The shortest form of v; exponent form from 10^hi up (and below 1e-4). */
static int fmt_shortest(char *out, double v, int hi)
{
	uint64_t bits, f;
	int e, len = 0, n, k;
	char digits[17];

	memcpy(&bits, &v, sizeof bits);
	e = (int)(bits >> 52 & 0x7ff);
	f = bits & (((uint64_t)1 << 52) - 1);
	if (e == 0x7ff) {
		const char *word = f != 0 ? "NaN" : (bits >> 63) ? "-Inf" : "+Inf";
		strcpy(out, word);
		return (int)strlen(word);
	}
	if (bits >> 63)
		out[len++] = '-';
	if (e == 0 && f == 0) {
		out[len++] = '0';
		out[len] = '\0';
		return len;
	}
	if (v > -1e15 && v < 1e15 && v == (double)(int64_t)v && (hi > 15 || (v > -1e6 && v < 1e6))) {
		int64_t i = (int64_t)v;
		len += fmt_u64(out + len, (uint64_t)(i < 0 ? -i : i));
		out[len] = '\0';
		return len;
	}
	if (hi > 15 || (v > -1e6 && v < 1e6)) {
		int n = short_decimal(out + len, v < 0 ? -v : v);

		if (n > 0) {
			out[len + n] = '\0';
			return len + n;
		}
	}
	if (e == 0)
		e = -1074;		/* subnormal */
	else {
		f |= (uint64_t)1 << 52;
		e -= 1075;
	}
	n = shortest_digits(f, e, digits, &k);
	len += layout(out + len, digits, n, k, hi);
	out[len] = '\0';
	return len;
}

int metrics_fmt_double(char *out, double v)
{
	return fmt_shortest(out, v, 21);
}

int metrics_fmt_go(char *out, double v)
{
	return fmt_shortest(out, v, 6);
}
