/*
 * elf.c: the ELF file alone as a target: memory is the file's loaded
 * segments (.bss reads as zeros), there are no registers and nothing runs.
 * Lets acid inspect initialised data and code statically with '*'.
 */
#include <stdio.h>

#include "acid/sym.h"
#include "target_impl.h"

static int elf_read(struct target *t, uint64_t addr, void *buf, size_t len)
{
	struct sym *s = t->priv;

	if (sym_read_image(s, addr, buf, len) < 0)
		return target_fail(t, "%s", sym_error(s));
	return 0;
}

static void elf_close(struct target *t)
{
	sym_close(t->priv);
}

static const struct target_ops elf_ops = {
	.kind = "elf",
	.caps = 0,
	.read_mem = elf_read,
	.close = elf_close,
};

struct target *target_elf(const char *path, char *err, size_t errlen)
{
	struct sym *s = sym_open(path, err, errlen);

	if (!s)
		return NULL;
	return target_new(&elf_ops, s);
}
