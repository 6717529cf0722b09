/*
 * elf.h: validation of a static ELF64 x86_64 executable held in memory, and
 * its load plan (mercury/lib/elf.c). Shared by Helios (the root task) and
 * user space (spawn). Only ET_EXEC is accepted: a static-pie (ET_DYN) would
 * need relocation, which Ares does not do.
 */
#ifndef MERCURY_ELF_H
#define MERCURY_ELF_H

#include <stddef.h>
#include <stdint.h>

enum {
	ELF_MAX_SEGMENTS = 16, /* PT_LOAD segments in a plan */
	ELF_MAX_PHNUM = 64,    /* program headers in a file */
	ELF_PAGE = 4096,
};
#define ELF_USER_TOP 0x0000800000000000ULL /* first address above user space */

/* Segment permissions (the ELF PF_* bits). */
enum { ELF_PF_X = 1, ELF_PF_W = 2, ELF_PF_R = 4 };

/* One PT_LOAD segment: map [vaddr, vaddr+memsz) with flags; its first
   filesz bytes come from the file at offset, the rest are zero. */
struct elf_segment {
	uint64_t vaddr, memsz, filesz, offset, align;
	uint32_t flags; /* ELF_PF_* */
};

struct elf_plan {
	uint64_t entry;
	unsigned nsegs;  /* sorted by vaddr; no two share a page */
	struct elf_segment seg[ELF_MAX_SEGMENTS];
};

/*
 * Checks the len-byte image as a static x86_64 executable for Ares and
 * fills *plan. Returns 0, or -1 with *why set to a static reason. Every
 * header field a loader relies on is checked: identification, type,
 * machine, header sizes, program header bounds; per PT_LOAD segment: data
 * inside the file, filesz <= memsz, no overflow, inside the user half and
 * above page zero, consistent alignment; segments not sharing pages; the
 * entry point inside an executable segment. PT_INTERP and PT_DYNAMIC are
 * refused. Never reads outside [image, image+len).
 */
int elf_plan(const void *image, size_t len, struct elf_plan *plan,
	     const char **why);

#endif
