/*
 * child.c: the process spawntest starts to check what a child receives.
 *
 * argv[1] says what to do:
 *   check CODE  check argv, envp and the caps (exactly "console" and "note",
 *               nothing else resolves), signal "note", exit with CODE
 *   fault       touch address 0 (the parent hears a page fault)
 *   panic       fail an assertion (exit 134 after a symbolized backtrace)
 *   heap        double free (built with the debug heap, which panics)
 *   exit CODE   exit with CODE at once
 *   moved       "mem" is a moved 64 KiB Untyped and the self caps came:
 *               make a notification and a thread from it; the thread
 *               signals, then suspends itself (proc_destroy must end it)
 * Failures exit with 100 + the number of the failed check.
 */
#include <mercury/heap.h>
#include <mercury/panic.h>
#include <mercury/printf.h>
#include <mercury/runtime.h>
#include <mercury/spawn.h>
#include <mercury/string.h>

/* Only named caps resolve: every other cptr a thread could use is empty. */
static int only_named_caps(hl_cptr_t con, hl_cptr_t note)
{
	for (hl_cptr_t c = 0; c < 4096; c++) {
		int64_t st = hl_poll(c).status;
		int named = c == con || c == note;

		if (named != (st != E_NOCAP && st != E_RANGE)) {
			printf("# child: cptr %lu answers %ld\n", (unsigned long)c, (long)st);
			return 0;
		}
	}
	return 1;
}

static int check(int argc, char **argv, char **envp)
{
	hl_cptr_t con = proc_cap("console"), note = proc_cap("note");
	int n = 1;

	if (argc != 4 || strcmp(argv[0], "child") || strcmp(argv[3], "two words") || argv[4])
		return n;
	n++;
	if (!envp[0] || strcmp(envp[0], "HOME=/") || strcmp(getenv("TERM"), "ares") ||
	    getenv("HOM") || getenv("NOPE") || envp[2])
		return n;
	n++;
	if (!con || !note || proc_cap("missing") || proc_cap(NULL) || con == note)
		return n;
	n++;
	if (!only_named_caps(con, note))
		return n;
	n++;
	if (hl_signal(note).status != E_OK)
		return n;
	n++;
	if (time_ns() == 0 || merc_bootinfo || !merc_start_info)
		return n;
	n++;
	char *p = malloc(1000), *q;
	if (!p)
		return n;
	strcpy(p, "kept");
	q = realloc(p, 20000);
	if (!q || strcmp(q, "kept"))	/* the bytes moved along */
		return n;
	free(q);
	printf("# child: hello from %s, argv and env as sent\n", merc_start_info->name);
	return 0;
}

static void deep(int depth)
{
	if (depth)
		deep(depth - 1);
	assert(depth == 1);
}

static hl_cptr_t moved_note, moved_tcb;
static uint64_t moved_stack[256] __attribute__((aligned(16)));

static void moved_thread(uint64_t arg)
{
	hl_signal(moved_note);
	hl_tcb_suspend(arg);
	for (;;)
		hl_yield();
}

static int moved(void)
{
	hl_cptr_t mem = proc_cap("mem"), cn = proc_cap(SPAWN_SELF_CNODE);
	struct hl_untyped_info ui;

	moved_note = proc_slot(0), moved_tcb = proc_slot(1);
	if (!mem || !cn || !proc_cap(SPAWN_SELF_VSPACE) || !proc_cap(SPAWN_SELF_TCB) || !moved_note ||
	    !moved_tcb)
		return 1;
	if (hl_untyped_info(mem, &ui).value != 1u << 16 || ui.size_bits != 16)
		return 2;
	if (hl_untyped_retype(mem, HL_OBJ_NOTIFICATION, 0, cn, moved_note, 64, 1).status != E_OK ||
	    hl_untyped_retype(mem, HL_OBJ_TCB, 0, cn, moved_tcb, 64, 1).status != E_OK)
		return 3;
	if (proc_thread(moved_tcb, moved_thread, moved_tcb, moved_stack, sizeof(moved_stack)) != E_OK)
		return 4;
	if (hl_wait(moved_note).status != E_OK)
		return 5;
	return hl_untyped_info(mem, NULL).value < 1u << 16 ? 0 : 6;
}

int main(int argc, char **argv, char **envp)
{
	const char *what = argc > 1 ? argv[1] : "";
	int failed;

	if (!strcmp(what, "check")) {
		failed = check(argc, argv, envp);
		return failed ? 100 + failed : atoi(argv[2]);
	}
	if (!strcmp(what, "fault"))
		return *(volatile int *)0;
	if (!strcmp(what, "panic"))
		deep(3);
	if (!strcmp(what, "heap")) {
		void *p = malloc(64);

		free(p);
		free(p);
		return 0;
	}
	if (!strcmp(what, "exit"))
		return atoi(argv[2]);
	if (!strcmp(what, "moved"))
		return moved();
	return 99;
}
