/*
 * fuzz/fmt.c: libFuzzer harness for fmt_vformat through vsnprintf. The
 * input is a format string; every argument is a pointer to a valid string,
 * so %s and %p are safe and integer conversions read its bits; eight
 * doubles follow for the floating-point conversions. Formats that
 * would read more arguments than given, or take a width from one ('*': an
 * address as a width is gigabytes of padding), are skipped, as are widths
 * over 4 digits, which are merely slow. At most 8 conversions, so even if
 * all are floating-point they read only the 8 doubles given; and no 'L'
 * (long double), for which no argument is given: reading one would be the
 * harness's undefined behaviour, not the formatter's.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rename.h"
#include <mercury/printf.h>
#include "unrename.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int acceptable(const char *f)
{
	int percents = 0, digits = 0;

	for (; *f; f++) {
		percents += *f == '%';
		digits = (*f >= '0' && *f <= '9') ? digits + 1 : 0;
		if (*f == '*' || *f == 'L' || digits > 4 || percents > 8)
			return 0;
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char s[] = "fuzz";
	char *f = malloc(size + 1), small[16], big[1 << 16];
	int a, b;

	memcpy(f, data, size);
	f[size] = '\0';
	if (acceptable(f)) {
/* Doubles travel in their own registers: pass them so %f reads them. */
#define ARGS s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, \
	1.5, -0.0, 1e300, 5e-324, 123.456, __builtin_inf(), __builtin_nan(""), 0.1
		a = merc_snprintf(small, sizeof(small), f, ARGS);
		b = merc_snprintf(big, sizeof(big), f, ARGS);
		if (a != b || (b >= 0 && (size_t)b < sizeof(big) && strlen(big) != (size_t)b) ||
		    strncmp(small, big, sizeof(small) - 1) != 0)
			abort();
	}
	free(f);
	return 0;
}
