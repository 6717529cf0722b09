/*
 * refusals.c: what spawn refuses, with its reason, leaving nothing behind:
 * malformed ELF images (each header and segment check), bad options, an
 * Untyped that is in use, too small, or not an Untyped, a cap that cannot
 * be handed over, a priority above ours.
 */
#include <mercury/heap.h>
#include <mercury/printf.h>
#include <mercury/runtime.h>
#include <mercury/spawn.h>
#include <mercury/string.h>

#include "spawntest.h"

static hl_cptr_t mem;
static const void *good;
static size_t good_len;
static uint64_t slots_before;

/* Expects spawn(o) to fail with err and a reason containing text, and the
 * memory and our slots to be as before. */
static void refused(struct spawn_opts *o, int err, const char *text, const char *what)
{
	struct proc p;
	const char *why = NULL;
	int got = spawn(o, &p, &why);

	if (got == E_OK)	/* should not be: do not let it run on */
		proc_destroy(&p);

	t_ok(got == err && why && strstr(why, text), "refused: %s (%d, \"%s\")", what, got, why ? why : "");
	t_ok(hl_untyped_info(mem, NULL).value == 1ull << ST_MEM_BITS && p.tcb == 0,
	     "refused: %s: nothing left behind", what);
}

static void opts(struct spawn_opts *o, const void *image, size_t len)
{
	memset(o, 0, sizeof(*o));
	o->name = "bad";
	o->image = image;
	o->image_len = len;
	o->memory = mem;
	o->priority = 10;
	o->fault_ep = st_ep;
}

/* A copy of the good image with one little-endian field changed. */
static void *patched(size_t off, unsigned n, uint64_t v)
{
	unsigned char *c = malloc(good_len);

	memcpy(c, good, good_len);
	for (unsigned i = 0; i < n; i++)
		c[off + i] = (unsigned char)(v >> (8 * i));
	return c;
}

static void elf_tests(void)
{
	struct spawn_opts o;
	uint64_t phoff;
	void *c;
	static const struct { size_t off; unsigned n; uint64_t v; const char *why, *what; } bad[] = {
		{ 0, 1, 0x7e, "bad magic", "bad magic" },
		{ 4, 1, 1, "64-bit", "32-bit class" },
		{ 5, 1, 2, "little-endian", "big-endian" },
		{ 16, 2, 3, "ET_DYN", "position-independent (ET_DYN)" },
		{ 16, 2, 1, "e_type", "relocatable (ET_REL)" },
		{ 18, 2, 3, "x86_64", "i386 machine" },
		{ 54, 2, 32, "e_phentsize", "bad program header size" },
		{ 24, 8, 0x1000, "entry", "entry outside executable segments" },
	};

	opts(&o, good, 10);
	refused(&o, E_INVAL, "too small", "truncated header");
	opts(&o, good, good_len / 2);
	refused(&o, E_INVAL, "", "image cut in half");
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		c = patched(bad[i].off, bad[i].n, bad[i].v);
		opts(&o, c, good_len);
		refused(&o, E_INVAL, bad[i].why, bad[i].what);
		free(c);
	}
	memcpy(&phoff, (const char *)good + 32, 8);
	/* The first program header: p_offset far outside the file. */
	c = patched(phoff + 8, 8, 1ull << 40);
	opts(&o, c, good_len);
	refused(&o, E_INVAL, "", "segment data outside the file");
	free(c);
	/* p_vaddr in the kernel half. */
	c = patched(phoff + 16, 8, 0xffff800000000000ull);
	opts(&o, c, good_len);
	refused(&o, E_INVAL, "", "segment in the kernel half");
	free(c);
	/* p_vaddr on top of the stack below 0x400000. */
	c = patched(phoff + 16, 8, 0x3fc000);
	memcpy((char *)c + 24, &(uint64_t){ 0x3fc000 }, 8);	/* entry follows the text */
	opts(&o, c, good_len);
	refused(&o, E_RANGE, "stack", "segment over the stack");
	free(c);
	opts(&o, NULL, 0);
	refused(&o, E_INVAL, "too small", "no image");
}

static void option_tests(void)
{
	struct spawn_opts o;
	struct spawn_cap caps[SPAWN_MAX_CAPS + 1];
	const char *long_args[2] = { NULL, NULL };
	char *big = malloc(3 * 4096);
	int64_t st;
	hl_cptr_t small, used;

	for (unsigned i = 0; i <= SPAWN_MAX_CAPS; i++)
		caps[i] = (struct spawn_cap){ "c", HL_CAP_CONSOLE, HL_R_ALL, 0 };
	opts(&o, good, good_len);
	o.name = NULL;
	refused(&o, E_INVAL, "name", "no name");
	opts(&o, good, good_len);
	o.name = "a-name-longer-than-thirty-two-bytes";
	refused(&o, E_INVAL, "name", "name too long");
	opts(&o, good, good_len);
	o.caps = caps;
	o.ncaps = SPAWN_MAX_CAPS + 1;
	refused(&o, E_RANGE, "too many caps", "17 caps");
	o.ncaps = 2;
	refused(&o, E_EXIST, "same name", "two caps named alike");
	caps[1].name = "d";
	caps[1].cap = 0;
	refused(&o, E_NOCAP, "cap 0", "cap 0");
	caps[1].cap = 4000;	/* an empty slot */
	refused(&o, E_NOCAP, "cannot copy", "an empty slot as a cap");
	caps[1].cap = mem;
	refused(&o, E_TYPE, "Untyped", "an Untyped as a cap");
	opts(&o, good, good_len);
	o.priority = 256;
	refused(&o, E_RANGE, "priority", "priority above our MCP");
	opts(&o, good, good_len);
	memset(big, 'x', 3 * 4096 - 1);
	big[3 * 4096 - 1] = 0;
	long_args[0] = big;
	o.argv = long_args;
	refused(&o, E_RANGE, "too large", "12 KiB of argv");
	free(big);
	opts(&o, good, good_len);
	o.memory = HL_CAP_CONSOLE;
	refused(&o, E_TYPE, "not an Untyped", "memory is the console cap");
	o.memory = 0;
	refused(&o, E_NOCAP, "not an Untyped", "memory cap 0");

	small = obj_alloc(HL_OBJ_UNTYPED, 14, &st);
	opts(&o, good, good_len);
	o.memory = small;
	refused(&o, E_NOMEM, "too little memory", "16 KiB of memory");
	t_ok(hl_untyped_info(small, NULL).value == 1ull << 14, "16 KiB Untyped whole again");
	obj_free(small);

	used = slot_alloc();
	hl_untyped_retype(mem, HL_OBJ_NOTIFICATION, 0, HL_CAP_CNODE, used, MERC_DEPTH, 1);
	opts(&o, good, good_len);
	{
		struct proc p;
		const char *why = NULL;

		t_ok(spawn(&o, &p, &why) == E_BUSY && why && strstr(why, "already"),
		     "refused: memory already in use (%s)", why ? why : "");
	}
	slot_free(used);
	t_ok(spawn(NULL, NULL, NULL) == E_INVAL, "refused: no options (why may be NULL)");
}

void st_refusal_tests(void)
{
	int64_t st;

	mem = obj_alloc(HL_OBJ_UNTYPED, ST_MEM_BITS, &st);
	if (!t_ok(mem && !t_image("spawn/min", &good, &good_len), "memory and an image to break"))
		return;
	free(malloc(4 * good_len + 16384));	/* the heap grows now, not during the count */
	slots_before = slot_count_empty();
	elf_tests();
	option_tests();
	t_ok(slot_count_empty() == slots_before, "no slot lost over the refusals (%lu empty)",
	     (unsigned long)slots_before);
	obj_free(mem);
}
