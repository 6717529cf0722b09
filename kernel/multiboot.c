/*
 * multiboot.c: reads the Multiboot (v1) information QEMU hands us: the
 * command line, the memory map and the boot modules (the initrd).
 * Runs before the real page tables exist, through the boot direct map,
 * which covers the first 1 GiB where QEMU puts these structures.
 */
#include <mercury/string.h>
#include "arch/x86_64/layout.h"
#include "boot.h"
#include "kernel.h"

#define MB_LOADER_MAGIC	0x2BADB002
#define MB_INFO_CMDLINE	(1 << 2)
#define MB_INFO_MODS	(1 << 3)
#define MB_INFO_MMAP	(1 << 6)
#define MB_MEM_AVAILABLE 1

struct mb_info {
	uint32_t flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
} __attribute__((packed));

struct mb_mmap_entry {
	uint32_t size;
	uint64_t base, length;
	uint32_t type;
} __attribute__((packed));

struct mb_module {
	uint32_t start, end, string, reserved;
} __attribute__((packed));

struct boot_params boot;

static const void *phys(uint64_t pa) { return (const void *)(DIRECT_MAP + pa); }

/* Adds [base, end) to the usable list, keeping it sorted and disjoint. */
static void add_usable(uint64_t base, uint64_t end)
{
	base = ALIGN_UP(base, PAGE_SIZE);
	end = ALIGN_DOWN(end, PAGE_SIZE);
	for (unsigned i = 0; i < boot.nusable && base < end; i++) {
		struct mem_region *r = &boot.usable[i];
		if (base < r->end && end > r->base) {	/* overlap: keep only the new parts */
			if (base < r->base)
				add_usable(base, r->base);
			base = r->end;
		}
	}
	if (base >= end || boot.nusable == BOOT_MAX_REGIONS)
		return;
	unsigned i = boot.nusable++;
	while (i > 0 && boot.usable[i - 1].base > base) {
		boot.usable[i] = boot.usable[i - 1];
		i--;
	}
	boot.usable[i] = (struct mem_region){ base, end };
	if (end > boot.phys_top)
		boot.phys_top = end;
}

static void parse_mmap(const struct mb_info *mb)
{
	uint64_t p = mb->mmap_addr, end = p + mb->mmap_length;

	while (p + sizeof(struct mb_mmap_entry) <= end) {
		const struct mb_mmap_entry *e = phys(p);
		if (e->type == MB_MEM_AVAILABLE && e->length)
			add_usable(e->base, e->base + e->length);
		p += e->size + sizeof(e->size);
	}
	boot.have_mmap = true;
}

static void parse_modules(const struct mb_info *mb)
{
	const struct mb_module *m = phys(mb->mods_addr);

	for (uint32_t i = 0; i < mb->mods_count && boot.nmodules < BOOT_MAX_MODULES; i++) {
		struct boot_module *b = &boot.modules[boot.nmodules++];
		b->base = m[i].start;
		b->end = m[i].end < m[i].start ? m[i].start : m[i].end;
		const char *s = m[i].string ? phys(m[i].string) : "";
		size_t n = strnlen(s, sizeof(b->name) - 1);
		memcpy(b->name, s, n);
		b->name[n] = '\0';
	}
}

void multiboot_parse(uint32_t magic, uint32_t info_phys)
{
	const struct mb_info *mb = phys(info_phys);

	if (magic != MB_LOADER_MAGIC)
		panic("not started by a Multiboot loader (magic 0x%x)", magic);
	cmdline_init(mb->flags & MB_INFO_CMDLINE ? phys(mb->cmdline) : "");
	if (mb->flags & MB_INFO_MMAP)
		parse_mmap(mb);
	else	/* no map: the loader's lower/upper memory sizes (KiB) */
		add_usable(0x100000, 0x100000 + (uint64_t)mb->mem_upper * 1024);
	if (mb->flags & MB_INFO_MODS)
		parse_modules(mb);
}
