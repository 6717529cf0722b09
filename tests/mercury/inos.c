/*
 * inos.c: the in-OS suites' TAP counter and initrd lookup (inos.h), linked
 * into each suite's root task.
 */
#include <mercury/printf.h>
#include <mercury/runtime.h>
#include <mercury/ustar.h>

#include "inos.h"

static int tap_n, tap_failed;

int t_ok(int cond, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", cond ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond)
		tap_failed++;
	return cond;
}

int t_done(const char *suite)
{
	printf("1..%d\n", tap_n);
	printf("# %s: %d of %d failed\n", suite, tap_failed, tap_n);
	return tap_failed != 0;
}

int t_image(const char *name, const void **data, size_t *len)
{
	const struct hl_bootinfo *bi = merc_bootinfo;
	struct ustar_entry e;
	const char *why = "not there";

	if (ustar_find((const void *)bi->initrd_vaddr, bi->initrd_size, name, &e, &why) != 1) {
		printf("# %s not in the initrd: %s\n", name, why);
		return -1;
	}
	*data = e.data;
	*len = e.size;
	return 0;
}
