/*
 * ioport.c: IOPortControl and IOPort. An IOPort cap covers ports
 * [first, last] (a, b); the kernel does the in/out for the holder, so a
 * driver touches exactly its ports.
 *
 * Each port is handed out once: IOPortControl remembers which ports an
 * IOPort cap covers until the last cap of that range (the issued cap and
 * its copies) is deleted. The ports the kernel drives itself (the 8259
 * interrupt controllers, the PIT, port 0x61 and COM1, its console) are
 * never issued.
 */
#include "arch.h"
#include "ipc.h"
#include "kernel.h"
#include "syscall.h"

static const struct { uint16_t first, last; const char *what; } kernel_ports[] = {
	{ 0x20, 0x21, "the master 8259" }, { 0xA0, 0xA1, "the slave 8259" },
	{ 0x40, 0x43, "the PIT" }, { 0x61, 0x61, "the PIT gate (port 0x61)" },
	{ 0x3F8, 0x3FF, "COM1, the kernel console" },
};

static uint64_t issued[65536 / 64];	/* bit p: port p belongs to an IOPort cap */

static bool port_issued(unsigned p) { return issued[p / 64] >> (p % 64) & 1; }

static void mark_ports(uint64_t first, uint64_t last, bool on)
{
	for (uint64_t p = first; p <= last; p++) {
		if (on)
			issued[p / 64] |= 1ULL << (p % 64);
		else
			issued[p / 64] &= ~(1ULL << (p % 64));
	}
}

/* The name of the kernel's device in [first, last], or NULL. */
static const char *kernel_port(uint64_t first, uint64_t last)
{
	for (unsigned i = 0; i < ARRAY_LEN(kernel_ports); i++)
		if (first <= kernel_ports[i].last && last >= kernel_ports[i].first)
			return kernel_ports[i].what;
	return NULL;
}

/* The first port of [first, last] already issued, or -1. */
static long first_issued(uint64_t first, uint64_t last)
{
	for (uint64_t p = first; p <= last; p++)
		if (port_issued((unsigned)p))
			return (long)p;
	return -1;
}

/* The last cap of a range is gone: its ports can be issued again. */
void ioport_finalise(struct cap *c)
{
	mark_ports(c->a, c->b, false);
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
	const char *kernels = kernel_port(first, last);
	if (kernels)
		return refuse(E_RANGE, "ports 0x%lx-0x%lx include %s", first, last, kernels);
	long taken = first_issued(first, last);
	if (taken >= 0)
		return refuse(E_BUSY, "port 0x%lx was already issued", taken);
	if (!(slot = lookup_slot(arg(2), arg(3), arg(4), &err)))
		return refuse(err, "destination slot does not resolve");
	if (slot->type != HL_OBJ_NULL)
		return refuse(E_EXIST, "destination slot is occupied");
	struct cap c = { .type = HL_OBJ_IOPORT, .rights = HL_R_ALL, .a = first, .b = last };
	cap_insert_child(slot, &c, ctl);
	mark_ports(first, last, true);
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
