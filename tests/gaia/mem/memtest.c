/*
 * memtest: the shared-memory service's in-OS suite (mem.ipc, served by
 * init; docs/proc.md). A svc/ program, so it holds a proc cap and a mem
 * cap: it allocates buffers, shares them with itself and with bin/mchild
 * (started through the process service with its own mem cap and the
 * token), and tries every refusal. TAP on the console for tests/qemu/mem.t;
 * init then ends the run and prints what the process pool lost (0).
 */
#include <mercury/printf.h>
#include <mercury/runtime.h>
#include <mercury/string.h>

#include "mem_client.h"
#include "os_tap.h"
#include "proc_client.h"

#define ANSWER_AT 4096

static hl_cptr_t mem, svc;

/* Starts bin/mchild with argv[1] = what, its own mem cap and token as "buf" (if any). */
static int64_t start_child(const char *what, hl_cptr_t token, uint64_t *pid)
{
	uint8_t args[32];
	size_t len = 7 + strlen(what) + 1;
	uint32_t h;
	enum hl_error st;

	memcpy(args, "mchild", 7);
	memcpy(args + 7, what, strlen(what) + 1);
	st = proc_create(svc, "bin/mchild", args, len, 256, &h);
	if (st == E_OK)
		st = proc_grant(svc, h, "mem", mem);
	if (st == E_OK && token)
		st = proc_grant(svc, h, "buf", token);
	if (st == E_OK)
		st = proc_start(svc, h, pid);
	return st;
}

static int64_t exit_code(uint64_t pid)
{
	uint8_t how;
	int64_t code;
	uint64_t f, a;

	if (proc_wait(svc, pid, &how, &code, &f, &a) != E_OK)
		return -1;
	return how == 1 ? code : -100 - how;
}

static uint64_t used_now(void)
{
	uint64_t quota, used = ~0ull;
	uint32_t mapped;

	mem_info(mem, &quota, &used, &mapped);
	return used;
}

/* An empty slot identifies as E_NOCAP (or as type HL_OBJ_NULL). */
static int empty(hl_cptr_t s)
{
	struct hl_result r = hl_cnode_identify(merc_cnode(), s, MERC_DEPTH, NULL);

	return r.status == E_NOCAP || (r.status == E_OK && (r.value & 0xFF) == HL_OBJ_NULL);
}

static void fill(uint64_t va)
{
	for (unsigned i = 0; i < ANSWER_AT; i++)
		((volatile uint8_t *)va)[i] = (uint8_t)(i * 7);
}

static void refusals(void)
{
	uint64_t va, pa;
	uint32_t size;
	hl_cptr_t t = slot_alloc();

	is(mem_alloc(mem, 0, &va, &pa, t), E_RANGE, "alloc 0 bytes: E_RANGE");
	is(mem_alloc(mem, (256u << 10) + 1, &va, &pa, t), E_RANGE, "alloc over 256 KiB: E_RANGE");
	is(mem_attach(mem, proc_cap("console"), &va, &pa, &size), E_NOCAP, "attach a console cap: E_NOCAP");
	is(mem_attach(mem, svc, &va, &pa, &size), E_NOCAP, "attach with init's endpoint under another badge: E_NOCAP");
	is(mem_attach(mem, mem, &va, &pa, &size), E_NOCAP, "attach the mem cap itself: E_NOCAP");
	is(mem_detach(mem, 0x30000000000ull), E_NOCAP, "detach where nothing is mapped: E_NOCAP");
	is(mem_detach(mem, 12345), E_NOCAP, "detach a wild address: E_NOCAP");
	slot_free(t);
}

static void share_with_self(void)
{
	hl_cptr_t t = slot_alloc();
	uint64_t va = 0, pa = 0, va2 = 0, pa2 = 0, quota = 0, used = 0;
	uint32_t size = 0, mapped = 0;

	is(mem_info(mem, &quota, &used, &mapped), E_OK, "info");
	ok(quota == 2u << 20 && used == 0 && mapped == 0, "  quota 2 MiB, nothing used or mapped");
	is(mem_alloc(mem, 10000, &va, &pa, t), E_OK, "alloc 10000 bytes");
	ok(!empty(t), "  its token arrived");
	ok(va >= 0x30000000000ull && pa && !(pa & 0xFFF), "  mapped in the shared area, a page-aligned physical address");
	is(used_now(), 16384, "  charged 16 KiB (rounded up to a power of two)");
	fill(va);
	((volatile uint8_t *)va)[16383] = 0x5A;	/* the whole buffer is mapped */
	is(mem_attach(mem, t, &va2, &pa2, &size), E_OK, "attach its own token: a second mapping");
	ok(va2 != va && pa2 == pa && size == 16384, "  elsewhere, the same pages, 16 KiB");
	((volatile uint8_t *)va2)[100] = 0xEE;
	ok(((volatile uint8_t *)va)[100] == 0xEE && ((volatile uint8_t *)va2)[16383] == 0x5A,
	   "  a write through one mapping is seen through the other");
	is(mem_detach(mem, va), E_OK, "detach the first mapping");
	is(used_now(), 16384, "  the buffer lives on (still mapped), still charged");
	is(mem_detach(mem, va2), E_OK, "detach the second");
	is(used_now(), 0, "  the buffer is gone: nothing charged");
	ok(empty(t), "  its token, handed to us, was revoked with it");
	is(mem_detach(mem, va2), E_NOCAP, "detach it again: E_NOCAP");
	slot_free(t);
}

static void share_with_child(void)
{
	hl_cptr_t t = slot_alloc();
	uint64_t va = 0, pa = 0, pid = 0;

	is(start_child("quota", 0, &pid), E_OK, "start mchild with a mem cap granted from ours");
	is(exit_code(pid), 0, "  it has a mem cap of its own: full quota, nothing used");
	is(mem_alloc(mem, 8192, &va, &pa, t), E_OK, "alloc 8 KiB");
	fill(va);
	is(start_child("check", t, &pid), E_OK, "start mchild with the token");
	is(exit_code(pid), 0, "  it attached, saw our bytes, detached and exited 0");
	ok(!memcmp((void *)(va + ANSWER_AT), "mchild was here", 16), "  we see what it wrote");
	is(used_now(), 8192, "  still ours, still charged");

	memset((void *)(va + ANSWER_AT), 0, 16);
	is(start_child("hold", t, &pid), E_OK, "start mchild to hold the buffer");
	for (int i = 0; i < 100000 && memcmp((void *)(va + ANSWER_AT), "mchild was here", 16); i++)
		hl_yield();
	ok(!memcmp((void *)(va + ANSWER_AT), "mchild was here", 16), "  it attached and wrote");
	is(mem_detach(mem, va), E_OK, "we detach while it holds the buffer");
	is(used_now(), 8192, "  the buffer lives while it maps it, charged to us");
	is(proc_kill(svc, pid), E_OK, "kill mchild");
	is(exit_code(pid), -103, "  collected (killed)");
	is(used_now(), 0, "  its mapping went with it, and the buffer with its last mapping");
	ok(empty(t), "  the token is gone");
	slot_free(t);
}

static void quota(void)
{
	hl_cptr_t t[9];
	uint64_t va[9], pa;
	unsigned good = 0;

	for (int i = 0; i < 9; i++)
		t[i] = slot_alloc();
	for (int i = 0; i < 8; i++)
		good += mem_alloc(mem, 256u << 10, &va[i], &pa, t[i]) == E_OK;
	is(good, 8, "eight buffers of 256 KiB: the whole quota");
	is(mem_alloc(mem, 4096, &va[8], &pa, t[8]), E_NOMEM, "one page more: E_NOMEM");
	good = 0;
	for (int i = 0; i < 8; i++)
		good += mem_detach(mem, va[i]) == E_OK;
	is(good, 8, "detach all eight");
	is(used_now(), 0, "  nothing charged");
	is(mem_alloc(mem, 256u << 10, &va[0], &pa, t[0]), E_OK, "the quota is free again");
	is(mem_detach(mem, va[0]), E_OK, "");
	for (int i = 0; i < 9; i++)
		slot_free(t[i]);
}

int main(int argc, char **argv, char **envp)
{
	(void)argc, (void)argv, (void)envp;
	mem = proc_cap("mem");
	svc = proc_cap("proc");
	ok(mem && svc, "memtest holds a mem cap and a proc cap");
	if (mem && svc) {
		refusals();
		share_with_self();
		share_with_child();
		quota();
	}
	return os_tap_done("memtest");
}
