/*
 * os_check.h: the checks of an in-OS test client whose QEMU test reads its
 * lines ("PROG: ok - what (value)"). Define CHECK_PROG to the program's
 * name before including it, once, in the program's one file.
 */
#ifndef OS_CHECK_H
#define OS_CHECK_H

#include <mercury/printf.h>

static int check_failed;

static inline void check(int ok, const char *what, long v)
{
	printf(CHECK_PROG ": %s - %s (%ld)\n", ok ? "ok" : "not ok", what, v);
	check_failed += !ok;
}

#endif
