/*
 * kt_tap.h: TAP output for in-OS test programs.
 *
 * kt_ok() prints "ok N - name" or "not ok N - name"; kt_is() also shows
 * both values when they differ. The plan ("1..N") is printed last by
 * kt_done(), which TAP allows, so areas need not count their checks.
 */
#ifndef KT_TAP_H
#define KT_TAP_H

#include <stdint.h>

/* Prints one result; returns cond. */
int kt_ok(int cond, const char *fmt, ...) __attribute__((format(__printf__, 2, 3)));
/* One result: got == want; prints both on failure. Returns got == want. */
int kt_is(int64_t got, int64_t want, const char *fmt, ...)
	__attribute__((format(__printf__, 3, 4)));
/* A diagnostic line ("# ..."). */
void kt_diag(const char *fmt, ...) __attribute__((format(__printf__, 1, 2)));
/* Prints the plan; returns 0 if every check passed, else 1. */
int kt_done(void);
/* Checks run and failed so far. */
unsigned kt_count(void);
unsigned kt_failures(void);

#endif
