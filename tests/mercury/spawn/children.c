/*
 * children.c: what a spawned child receives and how its end is reported:
 * argv, environment and exactly the named caps (the child checks them and
 * answers with its exit code), a badged notification it signals, exit
 * codes, a page fault, a failed assertion and a double free.
 */
#include <mercury/printf.h>
#include <mercury/runtime.h>
#include <mercury/spawn.h>
#include <mercury/string.h>

#include "spawntest.h"

/* Spawns the child program with argv, badge 0x100 + tag, its own Untyped. */
static int run(struct proc *p, hl_cptr_t mem, const char *const *argv, const struct spawn_cap *caps,
	       unsigned ncaps, uint64_t tag)
{
	static const char *const envp[] = { "HOME=/", "TERM=ares", NULL };
	const char *why = "image missing";
	struct spawn_opts o = {
		.name = "child", .argv = argv, .envp = envp, .caps = caps, .ncaps = ncaps,
		.priority = 100, .memory = mem, .fault_ep = st_ep, .fault_badge = 0x100 + tag,
	};
	int err = t_image("spawn/child", &o.image, &o.image_len) ? E_INVAL : spawn(&o, p, &why);

	if (err)
		printf("# spawn refused: %d %s\n", err, why);
	return err;
}

/* Waits for the child's end; 1 if it was label with mr1 == code (exit) or
 * mr1 == addr (fault), badge included. */
static int ended(uint64_t tag, uint64_t label, uint64_t value)
{
	uint64_t badge, l, mr0, mr1;
	int st = st_wait(&badge, &l, &mr0, &mr1);

	if (st != E_OK || badge != 0x100 + tag || l != label || mr1 != value) {
		printf("# got status %d badge 0x%lx label %lu mr0 %lu mr1 %lu\n", st,
		       (unsigned long)badge, (unsigned long)l, (unsigned long)mr0, (unsigned long)mr1);
		return 0;
	}
	return 1;
}

static void test_check(hl_cptr_t mem, hl_cptr_t note)
{
	const char *const argv[] = { "child", "check", "42", "two words", NULL };
	const struct spawn_cap caps[] = {
		{ "console", HL_CAP_CONSOLE, HL_R_ALL, 0 },
		{ "note", note, HL_R_WRITE, 0x5a },
	};
	struct proc p;
	struct hl_result r;

	if (!t_ok(run(&p, mem, argv, caps, 2, 1) == E_OK, "spawn a child with argv, env and two caps"))
		return;
	t_ok(p.tcb && p.cnode && p.vspace && p.memory == mem && p.id && !strcmp(p.name, "child"),
	     "struct proc filled in (thread id %lu)", (unsigned long)p.id);
	t_ok(ended(1, HL_FAULT_EXIT, 42), "child saw argv, env, exactly its caps, and exited 42");
	r = hl_poll(note);
	t_ok(r.status == E_OK && r.value == 0x5a, "child signalled the notification minted with badge 0x5a");
	t_ok(proc_destroy(&p) == E_OK, "proc_destroy");
	t_ok(hl_untyped_info(mem, NULL).value == 1ull << ST_MEM_BITS, "every byte of its Untyped back");
}

static void test_end(hl_cptr_t mem, const char *const *argv, uint64_t tag, uint64_t label,
		     uint64_t value, const char *what)
{
	const struct spawn_cap con = { "console", HL_CAP_CONSOLE, HL_R_ALL, 0 };
	struct proc p;

	if (!t_ok(run(&p, mem, argv, &con, 1, tag) == E_OK, "spawn: %s", what))
		return;
	t_ok(ended(tag, label, value), "%s: reported with badge 0x%lx", what, (unsigned long)(0x100 + tag));
	t_ok(proc_destroy(&p) == E_OK && hl_untyped_info(mem, NULL).value == 1ull << ST_MEM_BITS,
	     "%s: destroyed, memory back", what);
}

/* An Untyped moved into a child (SPAWN_MOVE) with the self caps: the child
 * makes a notification and a second thread from it; proc_destroy ends
 * them and moves the Untyped back with every byte free. */
static void test_moved(hl_cptr_t mem)
{
	const char *const argv[] = { "child", "moved", NULL };
	int64_t st;
	hl_cptr_t umem = obj_alloc(HL_OBJ_UNTYPED, 16, &st);
	struct spawn_cap caps[] = {
		{ "console", HL_CAP_CONSOLE, HL_R_ALL, 0 },
		{ "mem", umem, HL_R_ALL, 0 },
	};
	const char *why = "";
	struct spawn_opts o = {
		.name = "child", .argv = argv, .caps = caps, .ncaps = 2, .priority = 100, .memory = mem,
		.fault_ep = st_ep, .fault_badge = 0x109, .self = 1,
	};
	struct proc p;
	unsigned slots = slot_count_empty();
	int err;

	if (!t_ok(umem && !t_image("spawn/child", &o.image, &o.image_len), "a 64 KiB Untyped to move"))
		return;
	err = spawn(&o, &p, &why);
	t_ok(err == E_TYPE && hl_untyped_info(umem, NULL).value == 1u << 16,
	     "an Untyped copied is refused: %s", why);
	caps[1].rights = SPAWN_MOVE, caps[1].badge = 5;
	err = spawn(&o, &p, &why);
	t_ok(err == E_INVAL, "a moved cap with a badge is refused: %s", why);
	caps[1].badge = 0;
	err = spawn(&o, &p, &why);
	t_ok(err == E_OK && hl_untyped_info(umem, NULL).status != E_OK,
	     "spawn moves it: the parent's slot is empty");
	t_ok(ended(9, HL_FAULT_EXIT, 0), "the child made a notification and a thread from it");
	t_ok(proc_destroy(&p) == E_OK, "proc_destroy, the child's thread still there");
	t_ok(hl_untyped_info(umem, NULL).value == 1u << 16, "the Untyped is back in its slot, every byte free");
	t_ok(hl_untyped_info(mem, NULL).value == 1ull << ST_MEM_BITS && slot_count_empty() == slots,
	     "the process's memory back, no slot lost");
	obj_free(umem);
}

void st_child_tests(void)
{
	int64_t st;
	hl_cptr_t mem = obj_alloc(HL_OBJ_UNTYPED, ST_MEM_BITS, &st);
	hl_cptr_t note = obj_alloc(HL_OBJ_NOTIFICATION, 0, &st);
	const char *const a_exit0[] = { "child", "exit", "0", NULL };
	const char *const a_exit7[] = { "child", "exit", "7", NULL };
	const char *const a_exitbig[] = { "child", "exit", "-1", NULL };
	const char *const a_fault[] = { "child", "fault", NULL };
	const char *const a_panic[] = { "child", "panic", NULL };
	const char *const a_heap[] = { "child", "heap", NULL };
	struct proc p;

	if (!t_ok(mem && note, "an Untyped of 2^%d bytes and a notification", ST_MEM_BITS))
		return;
	test_check(mem, note);
	test_end(mem, a_exit0, 2, HL_FAULT_EXIT, 0, "exit code 0");
	test_end(mem, a_exit7, 3, HL_FAULT_EXIT, 7, "exit code 7");
	test_end(mem, a_exitbig, 4, HL_FAULT_EXIT, 0xffffffff, "exit code -1 (as 32 bits)");
	test_end(mem, a_fault, 5, HL_FAULT_PAGE, 0, "page fault at address 0");
	printf("# the next child fails an assertion: a backtrace follows\n");
	test_end(mem, a_panic, 6, HL_FAULT_EXIT, 134, "failed assertion exits 134");
	test_end(mem, a_heap, 7, HL_FAULT_EXIT, 134, "double free caught by the debug heap");

	/* A running child is stopped by proc_destroy without waiting for it. */
	{
		const char *const a_spin[] = { "child", "fault", NULL };

		t_ok(run(&p, mem, a_spin, NULL, 0, 8) == E_OK, "spawn a child without console");
		t_ok(proc_destroy(&p) == E_OK && hl_untyped_info(mem, NULL).value == 1ull << ST_MEM_BITS,
		     "destroy it before it reports: memory back");
		t_ok(hl_nbrecv(st_ep, st_reply, &(struct hl_msg){ 0 }).status == E_AGAIN,
		     "and no fault message of it is left queued");
	}
	t_ok(proc_destroy(&p) == E_INVAL, "proc_destroy of a destroyed proc refused");
	test_moved(mem);
	obj_free(note);
	obj_free(mem);
}
