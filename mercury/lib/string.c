/*
 * string.c: memory and string routines and the strtol family, shared by
 * Helios and user space.
 *
 * These are the functions a compiler calls on its own (struct copies, zeroed
 * arrays), so they must never be compiled into calls to themselves: besides
 * building with -fno-tree-loop-distribute-patterns, every loop that copies
 * or fills passes its pointer through OPAQUE, which hides the loop's shape
 * from gcc's and clang's idiom recognisers at no run-time cost. The build
 * checks the result (lib.mk, kcheck/symbols.ok).
 */
#include <stdbool.h>

#include <mercury/string.h>

#define OPAQUE(p) __asm__("" : "+r"(p))

/* A word that may alias anything: the copy and fill loops move 8 bytes at
   a time when both pointers allow it. */
typedef uint64_t __attribute__((may_alias)) word_t;
#define WORD sizeof(word_t)

static bool aligned2(const void *a, const void *b)
{
	return (((uintptr_t)a | (uintptr_t)b) & (WORD - 1)) == 0;
}

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (aligned2(d, s))
		for (; n >= WORD; n -= WORD, d += WORD, s += WORD) {
			OPAQUE(d);
			*(word_t *)d = *(const word_t *)s;
		}
	for (; n > 0; n--) {
		OPAQUE(d);
		*d++ = *s++;
	}
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if ((uintptr_t)d - (uintptr_t)s >= n)
		return memcpy(dst, src, n); /* no harmful overlap going forward */
	d += n;
	s += n;
	if (aligned2(d, s))
		for (; n >= WORD; n -= WORD) {
			d -= WORD;
			s -= WORD;
			OPAQUE(d);
			*(word_t *)d = *(const word_t *)s;
		}
	for (; n > 0; n--) {
		OPAQUE(d);
		*--d = *--s;
	}
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	word_t w = (unsigned char)c * (word_t)0x0101010101010101ULL;

	for (; n > 0 && ((uintptr_t)d & (WORD - 1)) != 0; n--) {
		OPAQUE(d);
		*d++ = (unsigned char)c;
	}
	for (; n >= WORD; n -= WORD, d += WORD) {
		OPAQUE(d);
		*(word_t *)d = w;
	}
	for (; n > 0; n--) {
		OPAQUE(d);
		*d++ = (unsigned char)c;
	}
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	for (; n > 0; n--, p++, q++)
		if (*p != *q)
			return *p - *q;
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n > 0; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return NULL;
}

void *memrchr(const void *s, int c, size_t n)
{
	const unsigned char *p = (const unsigned char *)s + n;

	while (n-- > 0)
		if (*--p == (unsigned char)c)
			return (void *)p;
	return NULL;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p != '\0')
		p++;
	return (size_t)(p - s);
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n] != '\0')
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n > 0; n--, a++, b++)
		if (*a != *b || *a == '\0')
			return (unsigned char)*a - (unsigned char)*b;
	return 0;
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

int strcasecmp(const char *a, const char *b)
{
	return strncasecmp(a, b, SIZE_MAX);
}

int strncasecmp(const char *a, const char *b, size_t n)
{
	for (; n > 0; n--, a++, b++) {
		int x = lower((unsigned char)*a), y = lower((unsigned char)*b);
		if (x != y || x == '\0')
			return x - y;
	}
	return 0;
}

char *stpcpy(char *restrict dst, const char *restrict src)
{
	while ((*dst = *src++) != '\0')
		dst++;
	return dst;
}

char *strcpy(char *restrict dst, const char *restrict src)
{
	stpcpy(dst, src);
	return dst;
}

char *strncpy(char *restrict dst, const char *restrict src, size_t n)
{
	char *d = dst;

	for (; n > 0 && *src != '\0'; n--)
		*d++ = *src++;
	for (; n > 0; n--) {
		OPAQUE(d);
		*d++ = '\0';
	}
	return dst;
}

size_t strlcpy(char *restrict dst, const char *restrict src, size_t size)
{
	size_t len = strlen(src);

	if (size > 0) {
		size_t k = len < size - 1 ? len : size - 1;
		memcpy(dst, src, k);
		dst[k] = '\0';
	}
	return len;
}

size_t strlcat(char *restrict dst, const char *restrict src, size_t size)
{
	size_t have = strnlen(dst, size);

	if (have == size) /* dst not terminated within size: nothing fits */
		return size + strlen(src);
	return have + strlcpy(dst + have, src, size - have);
}

char *strcat(char *restrict dst, const char *restrict src)
{
	stpcpy(dst + strlen(dst), src);
	return dst;
}

char *strncat(char *restrict dst, const char *restrict src, size_t n)
{
	char *d = dst + strlen(dst);

	for (; n > 0 && *src != '\0'; n--)
		*d++ = *src++;
	*d = '\0';
	return dst;
}

char *strchrnul(const char *s, int c)
{
	while (*s != '\0' && *s != (char)c)
		s++;
	return (char *)s;
}

char *strchr(const char *s, int c)
{
	s = strchrnul(s, c);
	return *s == (char)c ? (char *)s : NULL;
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	do {
		if (*s == (char)c)
			last = s;
	} while (*s++ != '\0');
	return (char *)last;
}

char *strstr(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay != '\0' || n == 0; hay++)
		if (strncmp(hay, needle, n) == 0)
			return (char *)hay;
	return NULL;
}

/* True if c (not NUL) is in set. */
static bool in_set(char c, const char *set)
{
	for (; *set != '\0'; set++)
		if (*set == c)
			return true;
	return false;
}

size_t strspn(const char *s, const char *accept)
{
	size_t n = 0;

	while (s[n] != '\0' && in_set(s[n], accept))
		n++;
	return n;
}

size_t strcspn(const char *s, const char *reject)
{
	size_t n = 0;

	while (s[n] != '\0' && !in_set(s[n], reject))
		n++;
	return n;
}

char *strpbrk(const char *s, const char *accept)
{
	s += strcspn(s, accept);
	return *s != '\0' ? (char *)s : NULL;
}

char *strtok_r(char *restrict s, const char *restrict delim, char **restrict save)
{
	char *tok;

	if (s == NULL)
		s = *save;
	s += strspn(s, delim);
	if (*s == '\0') {
		*save = s;
		return NULL;
	}
	tok = s;
	s += strcspn(s, delim);
	if (*s != '\0')
		*s++ = '\0';
	*save = s;
	return tok;
}

char *strtok(char *restrict s, const char *restrict delim)
{
	static char *save = "";

	return strtok_r(s, delim, &save);
}

char *strsep(char **sp, const char *delim)
{
	char *tok = *sp, *end;

	if (tok == NULL)
		return NULL;
	end = tok + strcspn(tok, delim);
	if (*end != '\0') {
		*end = '\0';
		*sp = end + 1;
	} else {
		*sp = NULL;
	}
	return tok;
}

/* --- the strtol family ------------------------------------------------ */

static void (*erange_hook)(void);

void string_set_erange_hook(void (*fn)(void))
{
	erange_hook = fn;
}

static bool is_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

/* A parsed number: sign and magnitude, and whether it exceeded limit. */
struct parsed {
	uintmax_t mag;
	bool neg, over;
};

/*
 * The one parser under every strto* function: whitespace, sign, base
 * prefix, digits. The magnitude saturates past limit. *end is set past the
 * last digit used, or to s if there was none (or the base is invalid).
 */
static struct parsed parse_number(const char *s, char **end, int base,
				  uintmax_t limit)
{
	struct parsed r = { 0, false, false };
	const char *p = s, *first;

	if (end != NULL)
		*end = (char *)s;
	if (base < 0 || base == 1 || base > 36)
		return r;
	while (is_space(*p))
		p++;
	if (*p == '+' || *p == '-')
		r.neg = *p++ == '-';
	/* "0x" counts as a prefix only when a hex digit follows it. */
	if ((base == 0 || base == 16) && p[0] == '0' &&
	    (p[1] == 'x' || p[1] == 'X') && digit_value(p[2]) < 16) {
		p += 2;
		base = 16;
	} else if (base == 0) {
		base = p[0] == '0' ? 8 : 10;
	}
	first = p;
	for (; digit_value(*p) < base; p++) {
		unsigned d = (unsigned)digit_value(*p);
		if (r.mag > (limit - d) / (unsigned)base)
			r.over = true;
		else
			r.mag = r.mag * (unsigned)base + d;
	}
	if (p != first && end != NULL)
		*end = (char *)p;
	if (r.over && erange_hook != NULL)
		erange_hook();
	return r;
}

/* Signed parse clamped to [-max-1, max]. */
static intmax_t parse_signed(const char *s, char **end, int base, intmax_t max)
{
	uintmax_t lim = (uintmax_t)max + 1; /* the negative side's magnitude */
	struct parsed r = parse_number(s, end, base, lim);

	if (!r.neg && r.mag > (uintmax_t)max) {
		if (!r.over && erange_hook != NULL)
			erange_hook();
		return max;
	}
	if (r.over)
		return r.neg ? -max - 1 : max;
	return r.neg ? (intmax_t)(0 - r.mag) : (intmax_t)r.mag;
}

/* Unsigned parse clamped to max; a '-' negates in the unsigned type. */
static uintmax_t parse_unsigned(const char *s, char **end, int base,
				uintmax_t max)
{
	struct parsed r = parse_number(s, end, base, max);

	if (r.over)
		return max;
	return r.neg ? (0 - r.mag) & max : r.mag;
}

long strtol(const char *restrict s, char **restrict end, int base)
{
	return (long)parse_signed(s, end, base, __LONG_MAX__);
}

unsigned long strtoul(const char *restrict s, char **restrict end, int base)
{
	return (unsigned long)parse_unsigned(s, end, base, __LONG_MAX__ * 2UL + 1);
}

long long strtoll(const char *restrict s, char **restrict end, int base)
{
	return (long long)parse_signed(s, end, base, __LONG_LONG_MAX__);
}

unsigned long long strtoull(const char *restrict s, char **restrict end, int base)
{
	return (unsigned long long)parse_unsigned(s, end, base,
						  __LONG_LONG_MAX__ * 2ULL + 1);
}

intmax_t strtoimax(const char *restrict s, char **restrict end, int base)
{
	return parse_signed(s, end, base, __INTMAX_MAX__);
}

uintmax_t strtoumax(const char *restrict s, char **restrict end, int base)
{
	return parse_unsigned(s, end, base, __UINTMAX_MAX__);
}

int atoi(const char *s)
{
	return (int)strtol(s, NULL, 10);
}

long atol(const char *s)
{
	return strtol(s, NULL, 10);
}

long long atoll(const char *s)
{
	return strtoll(s, NULL, 10);
}
