/*
 * initrd.c: locates the initrd (the first boot module), walks the ustar
 * archive with Mercury's reader and lists it. A missing or corrupt initrd
 * is reported plainly; the kernel goes on without user programs.
 */
#include <mercury/ustar.h>
#include "arch/x86_64/layout.h"
#include "boot.h"
#include "initrd.h"
#include "kernel.h"

struct initrd initrd;

void initrd_init(void)
{
	struct ustar_entry e;
	const char *why = NULL;
	size_t off = 0;
	int r;

	if (!boot.nmodules) {
		kprintf("initrd: none: no boot module was given (QEMU -initrd); no user programs to start\n");
		return;
	}
	const struct boot_module *m = &boot.modules[0];
	initrd.data = (const void *)(DIRECT_MAP + m->base);
	initrd.size = m->end - m->base;
	kprintf("initrd: %s at 0x%lx, %zu bytes\n", m->name[0] ? m->name : "(unnamed)", m->base, initrd.size);
	while ((r = ustar_next(initrd.data, initrd.size, &off, &e, &why)) == 1) {
		kprintf("initrd:   %c %06o %8lu %s\n", e.type == '5' ? 'd' : '-', e.mode & 07777, e.size, e.name);
		initrd.entries++;
	}
	if (r < 0) {
		kprintf("initrd: corrupt archive: %s at offset %zu; ignoring the initrd\n",
			why ? why : "unknown error", off);
		return;
	}
	if (!initrd.entries) {
		kprintf("initrd: empty archive\n");
		return;
	}
	initrd.valid = true;
	kprintf("initrd: %u entries\n", initrd.entries);
}
