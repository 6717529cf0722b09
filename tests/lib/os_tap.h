/*
 * os_tap.h: TAP from an in-OS test program (a svc/ client of a service),
 * printed on the console for tests/lib/AresQemu.pm's relay_tap. Include it
 * once, in the program's one file; end with os_tap_done().
 */
#ifndef OS_TAP_H
#define OS_TAP_H

#include <mercury/printf.h>

static unsigned os_tap_n, os_tap_failed;

static inline void ok(int cond, const char *what)
{
	os_tap_n++;
	os_tap_failed += !cond;
	printf("%sok %u - %s\n", cond ? "" : "not ", os_tap_n, what);
}

static inline void is(int64_t got, int64_t want, const char *what)
{
	ok(got == want, what);
	if (got != want)
		printf("#   got %ld, want %ld\n", (long)got, (long)want);
}

/* The plan and a summary; the program's exit status. */
static inline int os_tap_done(const char *prog)
{
	printf("1..%u\n# %s: %u of %u failed\n", os_tap_n, prog, os_tap_failed, os_tap_n);
	return os_tap_failed != 0;
}

#endif
