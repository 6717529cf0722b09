/*
 * leak.c: many processes, nothing lost. Spawns the minimal program, waits
 * for its exit and destroys it, rounds times over one Untyped, comparing
 * the free bytes of every Untyped and the empty slots of our CNode before
 * and after. st_bench times the same round.
 */
#include <mercury/printf.h>
#include <mercury/runtime.h>
#include <mercury/spawn.h>
#include <mercury/string.h>

#include "spawntest.h"

static struct spawn_opts min_opts;

/* One spawn, exit and reap; 0 if all went as expected. */
static int round_trip(void)
{
	struct proc p;
	uint64_t badge, label, mr0, mr1;
	const char *why;
	int err = spawn(&min_opts, &p, &why);

	if (err) {
		printf("# spawn: %d %s\n", err, why);
		return -1;
	}
	if (st_wait(&badge, &label, &mr0, &mr1) != E_OK || badge != 77 || label != HL_FAULT_EXIT ||
	    mr1 != 0) {
		printf("# min: badge %lu label %lu code %lu\n", (unsigned long)badge,
		       (unsigned long)label, (unsigned long)mr1);
		return -1;
	}
	return proc_destroy(&p) == E_OK ? 0 : -1;
}

static int setup(void)
{
	int64_t st;

	memset(&min_opts, 0, sizeof(min_opts));
	min_opts.name = "min";
	min_opts.priority = 100;
	min_opts.fault_ep = st_ep;
	min_opts.fault_badge = 77;
	min_opts.memory = obj_alloc(HL_OBJ_UNTYPED, ST_MEM_BITS, &st);
	return min_opts.memory && !t_image("spawn/min", &min_opts.image, &min_opts.image_len) ? 0 : -1;
}

void st_leak_test(unsigned rounds)
{
	uint64_t free0, slots0;
	unsigned done = 0;

	if (!t_ok(setup() == 0, "memory and the minimal program"))
		return;
	round_trip();	/* warm-up: the scratch window's page tables stay */
	free0 = obj_untyped_free();
	slots0 = slot_count_empty();
	while (done < rounds && round_trip() == 0)
		done++;
	t_ok(done == rounds, "spawned, reaped and destroyed %u of %u processes", done, rounds);
	t_ok(obj_untyped_free() == free0, "no Untyped byte lost (%lu free before, %lu after)",
	     (unsigned long)free0, (unsigned long)obj_untyped_free());
	t_ok(slot_count_empty() == slots0, "no slot lost (%lu empty before, %lu after)",
	     (unsigned long)slots0, (unsigned long)slot_count_empty());
	t_ok(hl_untyped_info(min_opts.memory, NULL).value == 1ull << ST_MEM_BITS,
	     "the processes' Untyped is whole");
	obj_free(min_opts.memory);
}

static int cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

int st_bench(uint64_t rounds)
{
	static uint64_t t[1001];
	unsigned n = rounds > 1000 ? 1000 : (unsigned)rounds;

	if (setup() || round_trip())
		return 1;
	for (unsigned i = 0; i < n; i++) {
		uint64_t t0 = time_tsc();

		if (round_trip())
			return 1;
		t[i] = time_tsc() - t0;
	}
	for (unsigned i = 1; i < n; i++)	/* insertion sort: n is small */
		for (unsigned k = i; k > 0 && cmp_u64(t[k - 1], t[k]) > 0; k--) {
			uint64_t x = t[k];

			t[k] = t[k - 1];
			t[k - 1] = x;
		}
	if (strstr(merc_bootinfo->cmdline, "spawntest.unit=ns"))
		printf("bench spawn_exit_ns %lu ns\n", (unsigned long)(t[n / 2] * 1000000000ull / merc_tsc_hz));
	else
		printf("bench spawn_exit %lu instructions\n", (unsigned long)t[n / 2]);
	return 0;
}
