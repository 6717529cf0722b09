/* initrd.h: the boot module holding user programs and /etc, a ustar archive. */
#ifndef KERNEL_INITRD_H
#define KERNEL_INITRD_H

#include <stddef.h>
#include <stdbool.h>

struct initrd {
	const void *data;	/* through the direct map */
	size_t size;
	unsigned entries;
	bool valid;
};

extern struct initrd initrd;

/* Finds the initrd module, checks the archive and lists its files. Never panics. */
void initrd_init(void);

#endif
