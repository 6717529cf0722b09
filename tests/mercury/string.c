/*
 * string.c: host tests of mercury/lib/string.c against glibc: every
 * alignment and length combination for the mem* routines, sign-only
 * comparison results, and tables of edge cases for the str* and strto*
 * functions (end pointers and overflow reporting included).
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "rename.h"
#include <mercury/string.h>
#include "unrename.h"

static int sign(int x) { return (x > 0) - (x < 0); }

static void fill(unsigned char *p, size_t n, unsigned seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(seed * 31 + i * 7 + (i >> 3));
}

static void test_mem(void)
{
	unsigned char a[160], b[160], want[160];
	int bad_cpy = 0, bad_move = 0, bad_set = 0, bad_cmp = 0;
	size_t d, s, n;

	for (d = 0; d < 16; d++)
	for (s = 0; s < 16; s++)
	for (n = 0; n < 100; n++) {
		fill(a, sizeof(a), 1);
		fill(b, sizeof(b), 2);
		memcpy(want, a, sizeof(a));
		memcpy(want + d, b + s, n);
		merc_memcpy(a + d, b + s, n);
		bad_cpy += memcmp(a, want, sizeof(a)) != 0;

		fill(a, sizeof(a), 3);
		memcpy(want, a, sizeof(a));
		memmove(want + d, want + s + 20, n);
		merc_memmove(a + d, a + s + 20, n);
		bad_move += memcmp(a, want, sizeof(a)) != 0;
		fill(a, sizeof(a), 3);
		memcpy(want, a, sizeof(a));
		memmove(want + s + 20, want + d, n);
		merc_memmove(a + s + 20, a + d, n);
		bad_move += memcmp(a, want, sizeof(a)) != 0;

		fill(a, sizeof(a), 4);
		memcpy(want, a, sizeof(a));
		memset(want + d, (int)(s * 17), n);
		bad_set += merc_memset(a + d, (int)(s * 17), n) != a + d;
		bad_set += memcmp(a, want, sizeof(a)) != 0;

		fill(a, sizeof(a), 5);
		memcpy(b, a, sizeof(a));
		if (n > 0)
			b[d + n - 1] ^= (unsigned char)(s + 1);
		bad_cmp += sign(merc_memcmp(a + d, b + d, n)) != sign(memcmp(a + d, b + d, n));
	}
	is_int(bad_cpy, 0, "memcpy: all alignments and lengths");
	is_int(bad_move, 0, "memmove: overlapping both ways");
	is_int(bad_set, 0, "memset: all alignments and lengths");
	is_int(bad_cmp, 0, "memcmp: sign agrees with glibc");
	ok(merc_memset(a, 0x1ff, 4) == a && a[0] == 0xff, "memset uses (unsigned char)c");
}

static void test_search(void)
{
	const char *s = "hello, world";
	const char *z = "a\0b\0a";

	ok(merc_memchr(z, 'a', 5) == z && merc_memchr(z + 1, 'a', 4) == z + 4,
	   "memchr past NULs");
	ok(merc_memchr(z, 'q', 5) == NULL && merc_memchr(z, 'a', 0) == NULL, "memchr misses");
	ok(merc_memrchr(z, 'a', 5) == z + 4 && merc_memrchr(z, 'a', 4) == z, "memrchr");
	ok(merc_strchr(s, 'o') == strchr(s, 'o') && merc_strchr(s, 'z') == NULL, "strchr");
	ok(merc_strchr(s, '\0') == s + 12, "strchr finds the terminator");
	ok(merc_strchr("t\xe9", 0xe9) == strchr("t\xe9", 0xe9), "strchr converts c to char");
	ok(merc_strrchr(s, 'o') == strrchr(s, 'o') && merc_strrchr(s, '\0') == s + 12 &&
	   merc_strrchr(s, 'q') == NULL, "strrchr");
	ok(merc_strchrnul(s, 'q') == s + 12, "strchrnul");
	ok(merc_strstr(s, "world") == s + 7 && merc_strstr(s, "") == s &&
	   merc_strstr(s, "worlds") == NULL && merc_strstr("", "") != NULL &&
	   merc_strstr("aaab", "aab") != NULL, "strstr");
	ok(merc_strspn(s, "leho") == strspn(s, "leho") && merc_strcspn(s, ",") == 5 &&
	   merc_strcspn(s, "") == 12 && merc_strspn(s, "") == 0, "strspn/strcspn");
	ok(merc_strpbrk(s, " ,") == s + 5 && merc_strpbrk(s, "xyz") == NULL, "strpbrk");
}

static void test_compare(void)
{
	static const char *const pairs[][2] = {
		{ "", "" }, { "a", "" }, { "", "a" }, { "abc", "abd" },
		{ "abc", "ab" }, { "\xff", "a" }, { "a\xff", "a\x01" },
		{ "Hello", "hello" }, { "HELLO", "hellp" }, { "same", "same" },
	};
	size_t i, n;
	int bad = 0;

	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		const char *a = pairs[i][0], *b = pairs[i][1];
		bad += sign(merc_strcmp(a, b)) != sign(strcmp(a, b));
		bad += sign(merc_strcasecmp(a, b)) != sign(strcasecmp(a, b));
		for (n = 0; n < 7; n++) {
			bad += sign(merc_strncmp(a, b, n)) != sign(strncmp(a, b, n));
			bad += sign(merc_strncasecmp(a, b, n)) != sign(strncasecmp(a, b, n));
		}
	}
	is_int(bad, 0, "strcmp/strncmp/strcasecmp/strncasecmp signs agree with glibc (unsigned chars)");
	ok(merc_strlen("") == 0 && merc_strlen("four") == 4, "strlen");
	ok(merc_strnlen("four", 2) == 2 && merc_strnlen("four", 9) == 4 &&
	   merc_strnlen("four", 0) == 0, "strnlen");
}

static void test_copy(void)
{
	char buf[16];
	size_t r;

	memset(buf, 'X', sizeof(buf));
	ok(merc_strncpy(buf, "ab", 6) == buf && memcmp(buf, "ab\0\0\0\0X", 7) == 0,
	   "strncpy pads with NULs to n");
	memset(buf, 'X', sizeof(buf));
	merc_strncpy(buf, "abcdef", 3);
	ok(memcmp(buf, "abcX", 4) == 0, "strncpy does not terminate when truncating");
	ok(merc_strcpy(buf, "xyz") == buf && strcmp(buf, "xyz") == 0, "strcpy");
	ok(merc_stpcpy(buf, "xy") == buf + 2, "stpcpy returns the end");
	ok(merc_strcat(buf, "zw") == buf && strcmp(buf, "xyzw") == 0, "strcat");
	merc_strncat(buf, "12345", 2);
	is_str(buf, "xyzw12", "strncat appends at most n and terminates");
	memset(buf, 'X', sizeof(buf));
	r = merc_strlcpy(buf, "truncate me", 5);
	ok(r == 11 && strcmp(buf, "trun") == 0, "strlcpy truncates and reports the full length");
	r = merc_strlcpy(buf, "abc", 0);
	ok(r == 3 && buf[0] == 't', "strlcpy size 0 writes nothing");
	strcpy(buf, "ab");
	r = merc_strlcat(buf, "cdef", 5);
	ok(r == 6 && strcmp(buf, "abcd") == 0, "strlcat truncates");
	memset(buf, 'Y', 4);
	r = merc_strlcat(buf, "cd", 4);
	ok(r == 6 && buf[3] == 'Y', "strlcat on an unterminated buffer touches nothing");
}

static void test_tokens(void)
{
	char s1[] = "  a,b,,c  ", s2[] = "a,,b", *save = NULL, *p;
	const char *want[] = { "a", "b", "c" };
	int i = 0, bad = 0;

	for (p = merc_strtok_r(s1, " ,", &save); p; p = merc_strtok_r(NULL, " ,", &save))
		bad += i >= 3 || strcmp(p, want[i++]) != 0;
	ok(!bad && i == 3, "strtok_r skips runs of delimiters");
	ok(merc_strtok_r(NULL, " ,", &save) == NULL, "and stays at the end");
	strcpy(s1, ";;;");
	ok(merc_strtok(s1, ";") == NULL, "strtok of only delimiters");
	p = s2;
	ok(strcmp(merc_strsep(&p, ","), "a") == 0 && strcmp(merc_strsep(&p, ","), "") == 0 &&
	   strcmp(merc_strsep(&p, ","), "b") == 0 && p == NULL &&
	   merc_strsep(&p, ",") == NULL, "strsep keeps empty fields");
}

static int ranges;
static void on_erange(void) { ranges++; }

/* One strto* case run through both libraries: value, end and ERANGE. */
#define CHECK_STRTO(fn, type, fmtc, s, base)                                  \
	do {                                                                  \
		char *e1 = NULL, *e2 = NULL;                                  \
		type v1, v2;                                                  \
		int r0 = ranges;                                              \
		errno = 0;                                                    \
		v1 = merc_##fn(s, &e1, base);                                 \
		v2 = fn(s, &e2, base);                                        \
		/* glibc leaves *end unset for an invalid base; ours is s. */ \
		if (!valid)                                                   \
			e2 = (char *)s;                                       \
		if (v1 != v2 || e1 != e2 || (ranges != r0) != (errno == ERANGE)) { \
			if (bad++ < 10)                                       \
			diag(#fn "(\"%s\", %d): got " fmtc " end +%td range %d," \
			     " glibc " fmtc " end +%td range %d", s, base, v1,  \
			     e1 - s, ranges != r0, v2, e2 - s, errno == ERANGE); \
		}                                                             \
	} while (0)

static void test_strto(void)
{
	static const char *const inputs[] = {
		"0", "42", "-42", "+7", "  \t\n 12xyz", "", "   ", "-", "+", "x",
		"0x", "0x1f", "0X1F", "0xg", "-0x10", "010", "08", "0", "z", "Zz",
		"2147483647", "2147483648", "-2147483648", "-2147483649",
		"9223372036854775807", "9223372036854775808",
		"-9223372036854775808", "-9223372036854775809",
		"18446744073709551615", "18446744073709551616", "-1",
		"-18446744073709551615", "99999999999999999999999999abc",
		"1010", "777", "0b101", "  -0", "0x7fffffffffffffff",
		"0xffffffffffffffff", "0x10000000000000000",
	};
	static const int bases[] = { 0, 2, 8, 10, 16, 36, 1, 37, -1 };
	size_t i, j;
	int bad = 0;

	string_set_erange_hook(on_erange);
	for (i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++)
		for (j = 0; j < sizeof(bases) / sizeof(bases[0]); j++) {
			const char *s = inputs[i];
			int base = bases[j];
			int valid = base == 0 || (base >= 2 && base <= 36);
			CHECK_STRTO(strtol, long, "%ld", s, base);
			CHECK_STRTO(strtoul, unsigned long, "%lu", s, base);
			CHECK_STRTO(strtoll, long long, "%lld", s, base);
			CHECK_STRTO(strtoull, unsigned long long, "%llu", s, base);
			CHECK_STRTO(strtoimax, intmax_t, "%jd", s, base);
			CHECK_STRTO(strtoumax, uintmax_t, "%ju", s, base);
		}
	is_int(bad, 0, "strto* agree with glibc on value, end pointer and ERANGE");
	ok(merc_atoi(" -12z") == -12 && merc_atol("99") == 99 && merc_atoll("x") == 0, "atoi/atol/atoll");
	ok(merc_strtol("5", NULL, 10) == 5, "strtol with a NULL end pointer");
	string_set_erange_hook(NULL);
}

int main(void)
{
	test_mem();
	test_search();
	test_compare();
	test_copy();
	test_tokens();
	test_strto();
	return done_testing();
}
