/*
 * startinfo.c: host tests of the start data layout spawn() gives a child
 * (mercury/lib/startinfo.c): pointers are child addresses that land on the
 * right strings once the buffer is placed at the base, the vectors are
 * NULL-terminated, caps get consecutive cptrs, argv defaults to the name,
 * the data ends below top, 16-byte aligned, and what does not fit is
 * refused exactly at the limit.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "rename.h"
#include <mercury/start.h>
#include "unrename.h"

static uint64_t buf[START_DATA_MAX / 8];

/* The string at child address a, read from buf placed at base. */
static const char *at(uint64_t base, uint64_t a)
{
	return a >= base && a < base + sizeof(buf) ? (const char *)buf + (a - base) : NULL;
}

static uint64_t word(uint64_t base, uint64_t a)
{
	uint64_t v;

	memcpy(&v, (const char *)buf + (a - base), 8);
	return v;
}

static void layout(void)
{
	const char *argv[] = { "prog", "-v", "a b", NULL };
	const char *envp[] = { "HOME=/", "TERM=ares", NULL };
	struct spawn_cap caps[2] = { { "console", 6, 0x1f, 0 }, { "bus", 9, 2, 42 } };
	struct spawn_opts o = { .name = "prog", .argv = argv, .envp = envp, .caps = caps, .ncaps = 2 };
	struct start_info *si = (struct start_info *)buf;
	uint64_t base = 0, top = 0x3fe000;
	size_t len = 0;
	const char *why = "unset";

	is_int(start_build(&o, top, 33, buf, sizeof(buf), &base, &len, &why), E_OK, "layout built");
	ok(why == NULL, "no reason on success");
	ok(base % 16 == 0 && base + len <= top && top - (base + len) < 16, "ends below top, 16-aligned base");
	is_int(si->magic, START_MAGIC, "magic");
	is_int(si->argc, 3, "argc");
	is_int((uint64_t)(uintptr_t)si->argv, base + sizeof(*si), "argv right after the struct");
	for (int i = 0; i < 3; i++)
		is_str(at(base, word(base, (uint64_t)(uintptr_t)si->argv + 8 * i)), argv[i], "argv[%d]", i);
	is_int(word(base, (uint64_t)(uintptr_t)si->argv + 24), 0, "argv NULL-terminated");
	for (int i = 0; i < 2; i++)
		is_str(at(base, word(base, (uint64_t)(uintptr_t)si->envp + 8 * i)), envp[i], "envp[%d]", i);
	is_int(word(base, (uint64_t)(uintptr_t)si->envp + 16), 0, "envp NULL-terminated");
	is_int(si->ncaps, 2, "two caps");
	is_str(si->caps[0].name, "console", "cap 0 name");
	is_str(si->caps[1].name, "bus", "cap 1 name");
	ok(si->caps[0].cptr == 33 && si->caps[1].cptr == 34, "consecutive cptrs from first_cptr");
	is_str(si->name, "prog", "process name");
	is_int(si->ipc_buffer, START_IPC_BUFFER, "IPC buffer address");
	is_int(si->tsc_hz, 0, "tsc_hz left to the caller");
}

static void defaults(void)
{
	struct spawn_opts o = { .name = "solo" };
	struct start_info *si = (struct start_info *)buf;
	uint64_t base;
	size_t len;
	const char *why;

	is_int(start_build(&o, 0x3fe000, 33, buf, sizeof(buf), &base, &len, &why), E_OK, "no argv, no envp");
	is_int(si->argc, 1, "argv defaults to the name");
	is_str(at(base, word(base, (uint64_t)(uintptr_t)si->argv)), "solo", "argv[0] = name");
	is_int(word(base, (uint64_t)(uintptr_t)si->envp), 0, "empty environment");
	is_int(si->ncaps, 0, "no caps");
}

/* One argument of n bytes: fits exactly when the layout fills the buffer. */
static int fits(size_t n)
{
	char *s = malloc(n + 1);
	const char *argv[] = { s, NULL };
	struct spawn_opts o = { .name = "x", .argv = argv };
	uint64_t base;
	size_t len;
	const char *why = NULL;
	int r;

	memset(s, 'x', n);
	s[n] = 0;
	r = start_build(&o, 0x3fe000, 33, buf, sizeof(buf), &base, &len, &why);
	if (r != E_OK && (r != E_RANGE || !why || !strstr(why, "too large")))
		r = -1;
	free(s);
	return r;
}

static void limits(void)
{
	/* struct, argv[0..1], envp[0], then the string and its NUL. */
	size_t room = sizeof(buf) - sizeof(struct start_info) - 3 * 8 - 1;
	struct spawn_cap caps[SPAWN_MAX_CAPS + 1];
	struct spawn_opts o = { .name = "x", .caps = caps, .ncaps = SPAWN_MAX_CAPS + 1 };
	uint64_t base;
	size_t len;
	const char *why;

	is_int(fits(room), E_OK, "an argument filling the buffer exactly fits");
	is_int(fits(room + 1), E_RANGE, "one byte more is refused as too large");
	is_int(fits(100000), E_RANGE, "100000 bytes refused");
	memset(caps, 0, sizeof(caps));
	for (int i = 0; i <= SPAWN_MAX_CAPS; i++)
		caps[i].name = "c";
	is_int(start_build(&o, 0x3fe000, 33, buf, sizeof(buf), &base, &len, &why), E_RANGE,
	       "17 caps refused");
	is_int(start_build(&o, 0x3fe000, 33, buf, 16, &base, &len, &why), E_RANGE,
	       "a buffer smaller than the struct refused");
}

int main(void)
{
	layout();
	defaults();
	limits();
	return done_testing();
}
