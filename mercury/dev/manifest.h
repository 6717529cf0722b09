/*
 * mercury/dev/manifest.h: driver manifests (manifest.c, portable).
 *
 * Every driver ELF carries a `.manifest` section of text lines saying which
 * devices it drives and exactly which capabilities it needs; the device
 * manager grants those and nothing else (docs/mercury-dev.md):
 *
 *	driver e1000                    its name (once, first)
 *	match vendor=8086 device=100e   one line per device it drives
 *	match class=01 subclass=06 progif=01
 *	match isa=rtc                   a legacy device, by the device manager's name
 *	serve clock                     registers this name on the bus (gets bus, ep, reply)
 *	serve blk*                      the same, numbered: blk0 for the first such driver, blk1, ...
 *	cap bar0                        BAR 0: MMIO mapped, or its I/O ports
 *	cap irq                         the IRQ handler and its notification
 *	cap dma 64K                     physically contiguous DMA memory
 *	cap timer                       a kernel Timer (for timeouts)
 *	cap mem                         the shared-memory service (attach clients' buffers)
 *
 * `#` starts a comment. Numbers in match lines are hex; sizes are decimal
 * with an optional K or M.
 */
#ifndef MERCURY_DEV_MANIFEST_H
#define MERCURY_DEV_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pci.h"

#define MAN_NAME_MAX	31
#define MAN_MAX_MATCH	8
#define MAN_DMA_MAX	(1u << 20)	/* the most DMA memory a driver may ask for */

/* Which fields of a match line were given. */
enum {
	MAN_VENDOR = 1 << 0, MAN_DEVICE = 1 << 1, MAN_CLASS = 1 << 2,
	MAN_SUBCLASS = 1 << 3, MAN_PROGIF = 1 << 4, MAN_ISA = 1 << 5,
};

#define MAN_SERVE_MAX	63

struct man_match {
	unsigned fields;	/* MAN_* bits */
	uint16_t vendor, device;
	uint8_t class, subclass, progif;
	char isa[DEV_ISA_NAME_MAX + 1];
};

struct manifest {
	char name[MAN_NAME_MAX + 1];
	struct man_match match[MAN_MAX_MATCH];
	unsigned nmatch;
	uint8_t bars;		/* bit i: cap bar<i> */
	bool irq;
	uint32_t dma;		/* bytes of DMA memory, 0: none */
	bool timer;		/* a Timer and a notification cap for it */
	bool mem;		/* a mem cap (mem.ipc) */
	char serve[MAN_SERVE_MAX + 1];	/* the bus name it registers, "" for none */
};

/* Parses the manifest text (len bytes, NUL bytes refused). Returns 0, or -1
 * with "line N: why" written to err (errlen bytes). */
int manifest_parse(const char *text, size_t len, struct manifest *m, char *err, size_t errlen);

/* How well m matches d: 0 no match; higher is more specific (vendor and
 * device beat class, subclass and prog-if). */
int manifest_match(const struct manifest *m, const struct pci_dev *d);

/* Finds the `.manifest` section of the ELF image; returns 0 with *text and
 * *len set, or -1 with *why set (not an ELF file, bad section headers, no
 * such section). Never reads outside [image, image+size). */
int manifest_find(const void *image, size_t size, const char **text, size_t *len,
		  const char **why);

#endif
