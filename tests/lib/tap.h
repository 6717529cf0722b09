/*
 * tap.h: a small Test Anything Protocol library for host C unit tests.
 *
 * A test program calls plan(n) (or plan_no_plan()), then ok()/is()/... for
 * each check, and returns done_testing() from main. Output goes to stdout in
 * the TAP 12 format prove expects; diagnostics go to stdout as "# ..." lines.
 * Header-only so each unit test is one C file.
 */
#ifndef ARES_TAP_H
#define ARES_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_planned = -1;
static int tap_run;
static int tap_failed;

static inline void plan(int n)
{
	tap_planned = n;
	printf("1..%d\n", n);
	fflush(stdout);
}

static inline void plan_no_plan(void) { tap_planned = -1; }

/* Reports one check; returns cond so callers can add diagnostics on failure. */
static inline int ok_at(int cond, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	tap_run++;
	if (!cond)
		tap_failed++;
	printf("%sok %d - ", cond ? "" : "not ", tap_run);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond)
		printf("#   Failed test at %s line %d.\n", file, line);
	fflush(stdout);
	return cond;
}

#define ok(cond, ...) ok_at(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

/* Integer equality with both values shown on failure. */
#define is_int(got, want, ...)                                                   \
	do {                                                                     \
		long long g_ = (long long)(got), w_ = (long long)(want);         \
		if (!ok(g_ == w_, __VA_ARGS__))                                  \
			printf("#          got: %lld\n#     expected: %lld\n", g_, w_); \
	} while (0)

/* String equality (NULL-safe) with both values shown on failure. */
#define is_str(got, want, ...)                                                   \
	do {                                                                     \
		const char *g_ = (got), *w_ = (want);                            \
		int same_ = (g_ && w_) ? strcmp(g_, w_) == 0 : g_ == w_;         \
		if (!ok(same_, __VA_ARGS__))                                     \
			printf("#          got: '%s'\n#     expected: '%s'\n",       \
			       g_ ? g_ : "(null)", w_ ? w_ : "(null)");          \
	} while (0)

static inline void diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static inline void bail_out(const char *why)
{
	printf("Bail out! %s\n", why);
	fflush(stdout);
}

/* Ends the run: prints the plan if none was given; exit status is 0 only if all passed. */
static inline int done_testing(void)
{
	if (tap_planned < 0)
		printf("1..%d\n", tap_run);
	else if (tap_planned != tap_run)
		printf("# planned %d tests but ran %d\n", tap_planned, tap_run);
	fflush(stdout);
	return tap_failed || (tap_planned >= 0 && tap_planned != tap_run);
}

#endif
