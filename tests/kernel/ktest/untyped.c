/*
 * untyped.c: HL_UNTYPED_RETYPE and HL_UNTYPED_INFO on a private child
 * Untyped of 64 KiB: sizes, alignment, counts, the watermark, exhaustion,
 * reuse once all children are gone, and every refusal.
 */
#include "kt.h"

#define UT_BITS 16
#define UT_SIZE (1ull << UT_BITS)

static uint64_t ut_free(hl_cptr_t ut)
{
	return hl_untyped_info(ut, NULL).value;
}

static void untyped_info(hl_cptr_t ut)
{
	struct hl_untyped_info info;
	struct hl_result r = hl_untyped_info(ut, &info);

	kt_is(r.status, E_OK, "info on a new Untyped");
	kt_is((int64_t)r.value, UT_SIZE, "new 64 KiB Untyped: all bytes free");
	kt_is((int64_t)info.size_bits, UT_BITS, "info: size_bits");
	kt_is((int64_t)info.device, 0, "info: not device memory");
	kt_ok(info.paddr && !(info.paddr & (UT_SIZE - 1)), "info: paddr 0x%lx aligned to its size",
	      (unsigned long)info.paddr);
}

static void untyped_errors(hl_cptr_t ut, hl_cptr_t s, hl_cptr_t ep)
{
	kt_is(hl_untyped_retype(ut, HL_OBJ_NULL, 0, CN, s, D, 1).status, E_INVAL, "retype to NULL type: E_INVAL");
	kt_is(hl_untyped_retype(ut, HL_OBJ_COUNT, 0, CN, s, D, 1).status, E_INVAL, "retype to type HL_OBJ_COUNT: E_INVAL");
	kt_is(hl_untyped_retype(ut, HL_OBJ_IRQ_CONTROL, 0, CN, s, D, 1).status, E_INVAL,
	      "retype to IRQControl (not creatable): E_INVAL");
	kt_is(hl_untyped_retype(ut, HL_OBJ_CONSOLE, 0, CN, s, D, 1).status, E_INVAL,
	      "retype to Console (not creatable): E_INVAL");
	kt_is(hl_untyped_retype(ut, HL_OBJ_CNODE, 0, CN, s, D, 1).status, E_RANGE, "CNode of radix 0: E_RANGE");
	kt_is(hl_untyped_retype(ut, HL_OBJ_CNODE, HL_CNODE_MAX_BITS + 1, CN, s, D, 1).status, E_RANGE,
	      "CNode of radix 21: E_RANGE");
	kt_is(hl_untyped_retype(ut, HL_OBJ_UNTYPED, HL_UNTYPED_MIN_BITS - 1, CN, s, D, 1).status, E_RANGE,
	      "Untyped of 8 bytes: E_RANGE");
	kt_is(hl_untyped_retype(ut, HL_OBJ_UNTYPED, 64, CN, s, D, 1).status, E_RANGE,
	      "Untyped of 2^64 bytes: E_RANGE");
	kt_is(hl_untyped_retype(ut, HL_OBJ_FRAME_2M, 0, CN, s, D, 1).status, E_NOMEM,
	      "2 MiB frame from a 64 KiB Untyped: E_NOMEM");
	kt_is(hl_untyped_retype(ut, HL_OBJ_UNTYPED, UT_BITS + 1, CN, s, D, 1).status, E_NOMEM,
	      "Untyped bigger than its parent: E_NOMEM");
	kt_is(hl_untyped_retype(ut, HL_OBJ_ENDPOINT, 0, CN, ep, D, 1).status, E_EXIST,
	      "retype into an occupied slot: E_EXIST");
	kt_ok(kt_either(hl_untyped_retype(ut, HL_OBJ_ENDPOINT, 0, CN, 0, D, 1).status, E_NOCAP, E_RANGE),
	      "retype into slot 0: E_NOCAP or E_RANGE");
	kt_ok(kt_either(hl_untyped_retype(ut, HL_OBJ_ENDPOINT, 0, CN, 1u << HL_ROOT_CNODE_BITS, D, 1).status,
			E_NOCAP, E_RANGE), "retype into an index past the CNode: E_NOCAP or E_RANGE");
	kt_ok(kt_either(hl_untyped_retype(ut, HL_OBJ_ENDPOINT, 0, CN, s, D, 0).status, E_INVAL, E_RANGE),
	      "retype of 0 objects: E_INVAL or E_RANGE");
	kt_ok(kt_either(hl_untyped_retype(ut, HL_OBJ_ENDPOINT, 0, CN, (1u << HL_ROOT_CNODE_BITS) - 2, D, 5).status,
			E_RANGE, E_NOCAP), "retype of a run of slots past the CNode's end: E_RANGE or E_NOCAP");
	kt_is(hl_untyped_retype(ut, HL_OBJ_ENDPOINT, 0, ep, s, D, 1).status, E_TYPE,
	      "retype with an endpoint as the destination CNode: E_TYPE");
	kt_is(hl_untyped_retype(KT_EMPTY, HL_OBJ_ENDPOINT, 0, CN, s, D, 1).status, E_NOCAP,
	      "retype on an empty slot: E_NOCAP");
	kt_is(hl_untyped_retype(HL_CAP_TCB, HL_OBJ_ENDPOINT, 0, CN, s, D, 1).status, E_NOSYS,
	      "retype invoked on a TCB: E_NOSYS");
	kt_is(hl_untyped_info(HL_CAP_CONSOLE, NULL).status, E_NOSYS, "untyped info on the Console: E_NOSYS");
	kt_is(hl_cnode_copy(CN, s, D, CN, ut, D, HL_R_ALL).status, E_TYPE, "copying an Untyped cap: E_TYPE");
	kt_is(ut_free(ut), UT_SIZE, "refused retypes took no memory");
	kt_is(kt_type(s), HL_OBJ_NULL, "refused retypes filled no slot");
}

/* Objects follow each other (aligned to their size), and memory comes back
 * only when the last child is gone. */
static void untyped_watermark(hl_cptr_t ut, hl_cptr_t s1, hl_cptr_t s2)
{
	kt_is(hl_untyped_retype(ut, HL_OBJ_ENDPOINT, 0, CN, s1, D, 1).value, 1, "retype one endpoint: count 1");
	kt_is(kt_type(s1), HL_OBJ_ENDPOINT, "the new slot holds an endpoint");
	kt_is(ut_free(ut), UT_SIZE - (1u << HL_ENDPOINT_BITS), "endpoint used 32 bytes");
	kt_is(hl_untyped_retype(ut, HL_OBJ_TCB, 0, CN, s2, D, 1).status, E_OK, "retype a TCB after it");
	kt_is(ut_free(ut), UT_SIZE - 2 * (1u << HL_TCB_BITS), "TCB aligned to 2 KiB after the endpoint");
	kt_is(hl_cnode_delete(CN, s1, D).status, E_OK, "delete the endpoint");
	kt_is(ut_free(ut), UT_SIZE - 2 * (1u << HL_TCB_BITS), "a live child keeps the watermark");
	kt_is(hl_cnode_delete(CN, s2, D).status, E_OK, "delete the TCB");
	kt_is(ut_free(ut), UT_SIZE, "no children left: all memory free again");
}

static void untyped_count(hl_cptr_t ut, hl_cptr_t *run, unsigned n)
{
	struct hl_result r;
	unsigned ok = 0;

	r = hl_untyped_retype(ut, HL_OBJ_FRAME, 0, CN, run[0], D, UT_SIZE / 4096);
	kt_is(r.status, E_OK, "retype 16 frames at once");
	kt_is((int64_t)r.value, UT_SIZE / 4096, "value: 16 made");
	for (unsigned i = 0; i < UT_SIZE / 4096; i++)
		ok += kt_type(run[i]) == HL_OBJ_FRAME;
	kt_is(ok, UT_SIZE / 4096, "16 consecutive slots hold frames");
	kt_is(ut_free(ut), 0, "the Untyped is full");
	kt_is(hl_untyped_retype(ut, HL_OBJ_ENDPOINT, 0, CN, run[n - 1], D, 1).status, E_NOMEM,
	      "retype from a full Untyped: E_NOMEM");
	kt_is(hl_cnode_revoke(CN, ut, D).status, E_OK, "revoke the Untyped");
	ok = 0;
	for (unsigned i = 0; i < n; i++)
		ok += kt_type(run[i]) == HL_OBJ_NULL;
	kt_is(ok, n, "revoke deleted every object made from it");
	kt_is(ut_free(ut), UT_SIZE, "and gave all its memory back");
	r = hl_untyped_retype(ut, HL_OBJ_NOTIFICATION, 0, CN, run[0], D, 3);
	kt_is((int64_t)r.value, 3, "retype 3 notifications: count 3");
	kt_ok(kt_type(run[0]) == HL_OBJ_NOTIFICATION && kt_type(run[2]) == HL_OBJ_NOTIFICATION &&
	      kt_type(run[3]) == HL_OBJ_NULL, "exactly 3 slots filled");
	kt_is(hl_untyped_retype(ut, HL_OBJ_ENDPOINT, 0, CN, run[1], D, 2).status, E_EXIST,
	      "retype over a run with an occupied slot: E_EXIST");
	kt_is(kt_type(run[3]), HL_OBJ_NULL, "a refused run fills nothing");
	hl_cnode_revoke(CN, ut, D);
}

/* A device Untyped (if the machine has one) makes only frames. */
static void untyped_device(hl_cptr_t s)
{
	const struct hl_bootinfo *bi = rt_bootinfo;

	for (uint64_t i = 0; i < bi->untyped.count; i++)
		if (bi->untyped_list[i].is_device) {
			kt_ok(hl_untyped_retype(bi->untyped.first + i, HL_OBJ_TCB, 0, CN, s, D, 1).status != E_OK,
			      "a TCB from device memory is refused");
			return;
		}
	kt_diag("no device Untyped: device retype not tested");
}

void kt_area_untyped(void)
{
	hl_cptr_t ut = kt_new(HL_OBJ_UNTYPED, UT_BITS, "a 64 KiB Untyped");
	hl_cptr_t ep = kt_new(HL_OBJ_ENDPOINT, 0, "an endpoint");
	hl_cptr_t run[20], first = slot_alloc_run(20);
	unsigned n = first ? 20 : 0;

	if (!ut || !ep)
		return;
	for (unsigned i = 0; i < n; i++)
		run[i] = first + i;
	if (!kt_ok(n == 20, "20 consecutive free slots for the untyped tests"))
		return;
	untyped_info(ut);
	untyped_errors(ut, run[0], ep);
	untyped_watermark(ut, run[0], run[1]);
	untyped_count(ut, run, n);
	untyped_device(run[0]);
	for (unsigned i = 0; i < n; i++)
		slot_free(run[i]);
	kt_del(ep);
	kt_del(ut);
}
