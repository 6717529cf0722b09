/*
 * spawntest.c: the in-OS spawn suite, a root task printing TAP.
 *
 * Areas: a child gets exactly its argv, environment and named caps and
 * its exit code comes back with the badge we chose; faults, panics and
 * heap misuse are reported; malformed ELF images and bad options are
 * refused with their reason and leave nothing behind; 1,000 processes are
 * spawned and reaped with no Untyped byte or slot lost. With
 * spawntest.bench=N on the command line it instead times N spawn+exit+reap
 * rounds of the minimal program (bench spawn_exit, in TSC ticks: under
 * qemu-run --icount these are instructions).
 */
#include <mercury/printf.h>
#include <mercury/runtime.h>
#include <mercury/spawn.h>
#include <mercury/string.h>

#include "spawntest.h"

hl_cptr_t st_ep, st_reply;

int st_wait(uint64_t *badge, uint64_t *label, uint64_t *mr0, uint64_t *mr1)
{
	struct hl_msg m = { 0 };
	struct hl_result r = hl_recv(st_ep, st_reply, &m);

	*badge = r.value;
	*label = hl_msg_label(m.info);
	*mr0 = m.mr[0];
	*mr1 = m.mr[1];
	return (int)r.status;
}

static uint64_t cmdline_num(const char *key)
{
	const char *p = strstr(merc_bootinfo->cmdline, key);

	return p ? strtoull(p + strlen(key), NULL, 10) : 0;
}

int main(int argc, char **argv, char **envp)
{
	uint64_t bench = cmdline_num("spawntest.bench=");
	int64_t st;

	(void)argc;
	(void)argv;
	(void)envp;
	st_ep = obj_alloc_keep(HL_OBJ_ENDPOINT, 0, &st);
	st_reply = obj_alloc_keep(HL_OBJ_REPLY, 0, &st);
	if (!st_ep || !st_reply) {
		printf("Bail out! no endpoint or reply: %ld\n", (long)st);
		return 1;
	}
	if (bench)
		return st_bench(bench);
	st_child_tests();
	st_refusal_tests();
	st_leak_test(1000);
	return t_done("spawntest");
}
