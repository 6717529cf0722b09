/*
 * prim_sys.c: x86_64 Linux system call names for the truss library.
 *
 * The table is generated at build time from the kernel's own list
 * (asm/unistd_64.h, see debug/debug.mk), so it is never copied by hand.
 *   sysname(n)    "read", "write", ... ("sys<n>" if unknown)
 *   sysnum(name)  the number, or -1
 *   signame(n)    "SIGSEGV", ...
 */
#define _GNU_SOURCE /* sigabbrev_np */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "session.h"

static const char *const acid_sysnames[] = {
#include "sysnames.h"
};

#define ACID_NSYS ((int)(sizeof acid_sysnames / sizeof acid_sysnames[0]))

static void bi_sysname(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	int64_t n;
	char buf[32];

	if (argc != 1)
		acid_error(a, "sysname: expected 1 argument");
	n = acid_need_int(a, argv[0], "sysname");
	if (n >= 0 && n < ACID_NSYS && acid_sysnames[n]) {
		*ret = acid_cstr(acid_sysnames[n]);
		return;
	}
	snprintf(buf, sizeof buf, "sys%lld", (long long)n);
	*ret = acid_cstr(buf);
}

static void bi_sysnum(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	const char *name;

	if (argc != 1)
		acid_error(a, "sysnum: expected 1 argument");
	name = acid_need_str(a, argv[0], "sysnum");
	*ret = acid_int(-1, 'D');
	for (int i = 0; i < ACID_NSYS; i++) {
		if (acid_sysnames[i] && strcmp(acid_sysnames[i], name) == 0) {
			ret->i = i;
			return;
		}
	}
}

/* signame(n): "SIGSEGV", or "SIG<n>" if the C library does not know it. */
static void bi_signame(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	const char *abbrev;
	char buf[32];
	int64_t n;

	if (argc != 1)
		acid_error(a, "signame: expected 1 argument");
	n = acid_need_int(a, argv[0], "signame");
	abbrev = n > 0 && n < 65 ? sigabbrev_np((int)n) : NULL;
	if (abbrev)
		snprintf(buf, sizeof buf, "SIG%s", abbrev);
	else
		snprintf(buf, sizeof buf, "SIG%lld", (long long)n);
	*ret = acid_cstr(buf);
}

/* Registers sysname, sysnum and signame. */
void acid_prim_sys_init(struct acid *a)
{
	acid_builtin_add(a, "signame", bi_signame);
	acid_builtin_add(a, "sysname", bi_sysname);
	acid_builtin_add(a, "sysnum", bi_sysnum);
}
