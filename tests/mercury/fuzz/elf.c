/*
 * fuzz/elf.c: libFuzzer harness for elf_plan. The input is the image,
 * copied to an exact-size buffer; an accepted image must keep every promise
 * the plan makes, and a refusal must carry a reason.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rename.h"
#include <mercury/elf.h>
#include "unrename.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct elf_plan *p, size_t size)
{
	unsigned i, x = 0;

	if (p->nsegs == 0 || p->nsegs > ELF_MAX_SEGMENTS)
		abort();
	for (i = 0; i < p->nsegs; i++) {
		const struct elf_segment *s = &p->seg[i];
		if (s->filesz > s->memsz || s->offset > size || s->filesz > size - s->offset ||
		    s->vaddr < ELF_PAGE || s->vaddr + s->memsz < s->vaddr ||
		    s->vaddr + s->memsz > ELF_USER_TOP)
			abort();
		if (i > 0 && p->seg[i - 1].vaddr + p->seg[i - 1].memsz > s->vaddr)
			abort();
		if ((s->flags & ELF_PF_X) && p->entry >= s->vaddr && p->entry - s->vaddr < s->memsz)
			x = 1;
	}
	if (!x)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *img = malloc(size ? size : 1);
	struct elf_plan plan;
	const char *why = NULL;

	memcpy(img, data, size);
	if (elf_plan(img, size, &plan, &why) == 0)
		check(&plan, size);
	else if (why == NULL)
		abort();
	free(img);
	return 0;
}
