/*
 * ioport.c: IOPortControl issuing IOPort caps and port access through
 * them: ranges, widths, refusals outside the range, copies and revoke.
 * (Access without any cap, by the in/out instructions, is a fault: see
 * faults.c.)
 */
#include "kt.h"

void kt_area_ioport(void)
{
	hl_cptr_t io = slot_alloc(), s = slot_alloc(), copy = slot_alloc();
	hl_cptr_t ep = kt_new(HL_OBJ_ENDPOINT, 0, "an endpoint");
	struct hl_result r;

	kt_is(hl_ioport_control_issue(HL_CAP_IOPORT_CONTROL, 0x70, 0x71, CN, io, D).status, E_OK,
	      "issue an IOPort cap for the CMOS ports 0x70-0x71");
	kt_is(kt_type(io), HL_OBJ_IOPORT, "the slot holds an IOPort");
	kt_ok(kt_either(hl_ioport_control_issue(HL_CAP_IOPORT_CONTROL, 0x71, 0x70, CN, s, D).status, E_RANGE, E_INVAL),
	      "first port above last: E_RANGE or E_INVAL");
	kt_is(hl_ioport_control_issue(HL_CAP_IOPORT_CONTROL, 0xFFFF, 0x10000, CN, s, D).status, E_RANGE,
	      "port 0x10000: E_RANGE");
	kt_is(hl_ioport_control_issue(HL_CAP_IOPORT_CONTROL, 0x80, 0x80, CN, io, D).status, E_EXIST,
	      "issue into an occupied slot: E_EXIST");
	kt_is(hl_ioport_control_issue(HL_CAP_IOPORT_CONTROL, 0x80, 0x80, ep, s, D).status, E_TYPE,
	      "issue with an endpoint as destination CNode: E_TYPE");
	kt_is(hl_ioport_control_issue(HL_CAP_CONSOLE, 0x80, 0x80, CN, s, D).status, E_NOSYS,
	      "issue invoked on the Console: E_NOSYS");
	/* CMOS register 0x0A (status A) has bit 7 update-in-progress and a
	 * nonzero divider; writing the index then reading data proves both ways. */
	kt_is(hl_ioport_out8(io, 0x70, 0x0A).status, E_OK, "out8 to port 0x70 through the cap");
	r = hl_ioport_in8(io, 0x71);
	kt_is(r.status, E_OK, "in8 from port 0x71 through the cap");
	kt_ok((r.value & 0x70) != 0, "CMOS status A shows a divider (0x%lx)", (unsigned long)r.value);
	kt_ok(r.value <= 0xFF, "in8 value fits a byte");
	kt_is(hl_ioport_in8(io, 0x72).status, E_RANGE, "in8 from 0x72, outside the cap: E_RANGE");
	kt_is(hl_ioport_out8(io, 0x6F, 0).status, E_RANGE, "out8 to 0x6F, outside the cap: E_RANGE");
	kt_is(hl_ioport_in(io, HL_IOPORT_IN16, 0x71).status, E_RANGE, "in16 at 0x71 runs past the cap: E_RANGE");
	kt_is(hl_ioport_in(io, HL_IOPORT_IN16, 0x70).status, E_OK, "in16 at 0x70 fits the cap");
	kt_is(hl_ioport_in(io, HL_IOPORT_IN32, 0x70).status, E_RANGE, "in32 at 0x70 runs past the cap: E_RANGE");
	kt_is(hl_ioport_in8(HL_CAP_CONSOLE, 0x71).status, E_NOSYS, "in8 on the Console: E_NOSYS");
	kt_is(hl_ioport_in8(KT_EMPTY, 0x71).status, E_NOCAP, "in8 on an empty slot: E_NOCAP");
	kt_is(hl_invoke(io, HL_IOPORT_OUT8, 1, (uint64_t[]){ 0x70 }).status, E_INVAL, "out8 without a value: E_INVAL");
	kt_is(hl_cnode_copy(CN, copy, D, CN, io, D, HL_R_ALL).status, E_OK, "copy the IOPort cap");
	kt_is(hl_ioport_in8(copy, 0x71).status, E_OK, "the copy works");
	kt_is(hl_cnode_revoke(CN, io, D).status, E_OK, "revoke the original");
	kt_is(hl_ioport_in8(copy, 0x71).status, E_NOCAP, "the revoked copy is gone: E_NOCAP");
	slot_free(copy);
	slot_free(s);
	slot_free(io);
	kt_del(ep);
}
