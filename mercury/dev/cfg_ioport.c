/*
 * cfg_ioport.c: PCI configuration mechanism #1 through an I/O port cap for
 * 0xCF8-0xCFF (address to 0xCF8 with the enable bit, data at 0xCFC). Only
 * the device manager holds such a cap.
 */
#include <mercury/hl.h>

#include "devmgr_prog.h"

#define CFG_ADDR	0xCF8
#define CFG_DATA	0xCFC

static uint32_t cfg_read(void *ctx, uint32_t addr)
{
	hl_cptr_t io = (hl_cptr_t)(uintptr_t)ctx;
	struct hl_result r;

	if (hl_ioport_out(io, HL_IOPORT_OUT32, CFG_ADDR, 0x80000000u | addr).status != E_OK)
		return 0xFFFFFFFFu;
	r = hl_ioport_in(io, HL_IOPORT_IN32, CFG_DATA);
	return r.status == E_OK ? (uint32_t)r.value : 0xFFFFFFFFu;
}

static void cfg_write(void *ctx, uint32_t addr, uint32_t value)
{
	hl_cptr_t io = (hl_cptr_t)(uintptr_t)ctx;

	if (hl_ioport_out(io, HL_IOPORT_OUT32, CFG_ADDR, 0x80000000u | addr).status == E_OK)
		hl_ioport_out(io, HL_IOPORT_OUT32, CFG_DATA, value);
}

void devcfg_ioport(struct pci_cfg *cfg, hl_cptr_t io)
{
	cfg->read = cfg_read;
	cfg->write = cfg_write;
	cfg->ctx = (void *)(uintptr_t)io;
}
