/*
 * inos.h: what the root tasks of the in-OS suites (tests/mercury/spawn,
 * tests/mercury/ipc/inos) share, in inos.c: TAP lines and counts, and the
 * files of their initrd.
 */
#ifndef TESTS_MERCURY_INOS_H
#define TESTS_MERCURY_INOS_H

#include <stdarg.h>
#include <stddef.h>

/* TAP: prints ok/not ok with the next number; returns cond. */
int t_ok(int cond, const char *fmt, ...) __attribute__((format(__printf__, 2, 3)));
/* Prints the plan (1..N) and "# suite: F of N failed"; returns main's exit
 * status: 1 if any check failed, else 0. */
int t_done(const char *suite);
/* The initrd file name: its bytes and length; -1 (and a "# " line why) if absent. */
int t_image(const char *name, const void **data, size_t *len);

#endif
