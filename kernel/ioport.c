/*
 * ioport.c: IOPortControl and IOPort. An IOPort cap covers ports
 * [first, last] (a, b); the kernel does the in/out for the holder, so a
 * driver touches exactly its ports. The 8259 interrupt controllers stay
 * the kernel's.
 */
#include "arch.h"
#include "ipc.h"
#include "kernel.h"
#include "syscall.h"

static bool kernel_port(uint64_t first, uint64_t last)
{
	return (first <= 0x21 && last >= 0x20) || (first <= 0xA1 && last >= 0xA0);
}

static int issue(struct cap *ctl, unsigned len)
{
	int err;
	struct cap *slot;
	uint64_t first = arg(0), last = arg(1);

	if (len < 5)
		return refuse(E_INVAL, "issue takes first, last and a destination slot");
	if (first > last || last > 0xFFFF)
		return refuse(E_RANGE, "ports 0x%lx-0x%lx are not a range of 16-bit ports", first, last);
	if (kernel_port(first, last))
		return refuse(E_RANGE, "ports 0x%lx-0x%lx include the kernel's interrupt controllers", first, last);
	if (!(slot = lookup_slot(arg(2), arg(3), arg(4), &err)))
		return refuse(err, "destination slot does not resolve");
	if (slot->type != HL_OBJ_NULL)
		return refuse(E_EXIST, "destination slot is occupied");
	struct cap c = { .type = HL_OBJ_IOPORT, .rights = HL_R_ALL, .a = first, .b = last };
	cap_insert_child(slot, &c, ctl);
	return E_OK;
}

int ioport_invoke(struct cap *c, uint64_t label, unsigned len)
{
	static const unsigned width[] = { 1, 2, 4, 1, 2, 4 };

	if (c->type == HL_OBJ_IOPORT_CONTROL)
		return label == HL_IOPORT_CONTROL_ISSUE ? issue(c, len)
							: refuse(E_NOSYS, "IOPortControl has no method %lu", label);
	if (label < HL_IOPORT_IN8 || label > HL_IOPORT_OUT32)
		return refuse(E_NOSYS, "IOPort has no method %lu", label);
	unsigned w = width[label - HL_IOPORT_IN8];
	uint64_t port = arg(0);
	if (len < (label >= HL_IOPORT_OUT8 ? 2u : 1u))
		return refuse(E_INVAL, "missing port or value");
	if (port < c->a || port > c->b || c->b - port < w - 1)
		return refuse(E_RANGE, "port 0x%lx (%u bytes) outside 0x%lx-0x%lx", port, w, c->a, c->b);
	result_value(arch_port_access((uint16_t)port, w, label >= HL_IOPORT_OUT8, (uint32_t)arg(1)));
	return E_OK;
}
