/*
 * initrd.c: files of the initrd, which the kernel mapped read-only for us.
 */
#include <mercury/runtime.h>
#include <mercury/string.h>
#include <mercury/ustar.h>

#include "init.h"

const void *initrd_file(const char *name, size_t *len)
{
	const struct hl_bootinfo *bi = merc_bootinfo;
	struct ustar_entry e;
	const char *why;

	if (ustar_find((const void *)bi->initrd_vaddr, bi->initrd_size, name, &e, &why) != 1 ||
	    (e.type != '0' && e.type != '\0'))
		return NULL;
	*len = e.size;
	return e.data;
}

void initrd_each(const char *prefix, void (*fn)(const char *name, const void *data, size_t len, void *ctx),
		 void *ctx)
{
	const struct hl_bootinfo *bi = merc_bootinfo;
	struct ustar_entry e;
	const char *why;
	size_t off = 0, plen = strlen(prefix);

	while (ustar_next((const void *)bi->initrd_vaddr, bi->initrd_size, &off, &e, &why) == 1)
		if ((e.type == '0' || e.type == '\0') && !strncmp(e.name, prefix, plen))
			fn(e.name, e.data, e.size, ctx);
}
