/*
 * mercury/dev/devmgr_prog.h: the parts of the device manager program that
 * need Ares (devmgr_main.c, cfg_ioport.c).
 */
#ifndef MERCURY_DEV_DEVMGR_PROG_H
#define MERCURY_DEV_DEVMGR_PROG_H

#include <mercury/hl.h>

#include "pci.h"

/* Fills cfg to reach configuration space through io, an I/O port cap
 * covering 0xCF8-0xCFF. */
void devcfg_ioport(struct pci_cfg *cfg, hl_cptr_t io);

#endif
