/*
 * elf.c: ELF64 executable validation and load planning.
 *
 * check_header validates the file header, check_segment each PT_LOAD
 * (collecting them into the plan), check_layout the segments together and
 * the entry point. Fields are read byte by byte in little-endian order, so
 * the image may sit at any alignment and no struct layout is trusted.
 */
#include <stdbool.h>

#include <mercury/elf.h>

enum {
	EHDR_SIZE = 64, PHDR_SIZE = 56,
	ET_EXEC = 2, ET_DYN = 3, EM_X86_64 = 62, EV_CURRENT = 1,
	PT_LOAD = 1, PT_DYNAMIC = 2, PT_INTERP = 3,
	ELFOSABI_SYSV = 0, ELFOSABI_GNU = 3,
	PN_XNUM = 0xffff,
};

static uint64_t rd(const unsigned char *p, unsigned n)
{
	uint64_t v = 0;

	while (n-- > 0)
		v = v << 8 | p[n];
	return v;
}

/* The file header; sets *phoff and *phnum. Returns NULL or a reason. */
static const char *check_header(const unsigned char *f, size_t len,
				uint64_t *phoff, unsigned *phnum)
{
	uint64_t off, n;

	if (f == NULL || len < EHDR_SIZE)
		return "file too small for an ELF header";
	if (f[0] != 0x7f || f[1] != 'E' || f[2] != 'L' || f[3] != 'F')
		return "not an ELF file (bad magic)";
	if (f[4] != 2)
		return "not a 64-bit ELF file (EI_CLASS)";
	if (f[5] != 1)
		return "not a little-endian ELF file (EI_DATA)";
	if (f[6] != EV_CURRENT || rd(f + 20, 4) != EV_CURRENT)
		return "unknown ELF version";
	if (f[7] != ELFOSABI_SYSV && f[7] != ELFOSABI_GNU)
		return "unsupported OS ABI (EI_OSABI)";
	if (rd(f + 16, 2) == ET_DYN)
		return "position-independent executable (ET_DYN) not supported: link with -static -no-pie";
	if (rd(f + 16, 2) != ET_EXEC)
		return "not an executable (e_type)";
	if (rd(f + 18, 2) != EM_X86_64)
		return "not an x86_64 executable (e_machine)";
	if (rd(f + 52, 2) != EHDR_SIZE)
		return "bad ELF header size (e_ehsize)";
	if (rd(f + 54, 2) != PHDR_SIZE)
		return "bad program header entry size (e_phentsize)";
	n = rd(f + 56, 2);
	if (n == 0)
		return "no program headers";
	if (n == PN_XNUM || n > ELF_MAX_PHNUM)
		return "too many program headers";
	off = rd(f + 32, 8);
	if (off > len || n * PHDR_SIZE > len - off)
		return "program headers beyond end of file";
	*phoff = off;
	*phnum = (unsigned)n;
	return NULL;
}

static bool pow2(uint64_t x)
{
	return (x & (x - 1)) == 0;
}

/* One PT_LOAD program header, appended to the plan if it maps anything. */
static const char *check_segment(const unsigned char *ph, size_t len,
				 struct elf_plan *plan)
{
	struct elf_segment s;

	s.flags = (uint32_t)rd(ph + 4, 4) & (ELF_PF_R | ELF_PF_W | ELF_PF_X);
	s.offset = rd(ph + 8, 8);
	s.vaddr = rd(ph + 16, 8);
	s.filesz = rd(ph + 32, 8);
	s.memsz = rd(ph + 40, 8);
	s.align = rd(ph + 48, 8);
	if (s.filesz > s.memsz)
		return "segment file size exceeds its memory size";
	if (s.offset > len || s.filesz > len - s.offset)
		return "segment data beyond end of file";
	if (s.memsz == 0)
		return NULL; /* maps nothing: nothing to load */
	if (s.vaddr + s.memsz < s.vaddr)
		return "segment address range overflows";
	if (s.vaddr >= ELF_USER_TOP || s.memsz > ELF_USER_TOP - s.vaddr)
		return "segment outside the user half of the address space";
	if (s.vaddr < ELF_PAGE)
		return "segment maps page zero";
	if (!pow2(s.align))
		return "segment alignment not a power of two";
	if (s.align > 1 && (s.vaddr - s.offset) % s.align != 0)
		return "segment address and offset disagree modulo its alignment";
	if ((s.vaddr - s.offset) % ELF_PAGE != 0)
		return "segment address and offset disagree modulo the page size";
	if (plan->nsegs == ELF_MAX_SEGMENTS)
		return "too many PT_LOAD segments";
	plan->seg[plan->nsegs++] = s;
	return NULL;
}

static void sort_segments(struct elf_plan *plan)
{
	unsigned i, j;

	for (i = 1; i < plan->nsegs; i++) {
		struct elf_segment s = plan->seg[i];
		for (j = i; j > 0 && plan->seg[j - 1].vaddr > s.vaddr; j--)
			plan->seg[j] = plan->seg[j - 1];
		plan->seg[j] = s;
	}
}

/* The segments together, and the entry point. */
static const char *check_layout(struct elf_plan *plan)
{
	unsigned i;
	bool entry_ok = false;

	if (plan->nsegs == 0)
		return "no loadable segments";
	sort_segments(plan);
	for (i = 0; i < plan->nsegs; i++) {
		const struct elf_segment *s = &plan->seg[i];
		uint64_t end = s->vaddr + s->memsz; /* checked: no overflow */

		/* Pages carry one set of permissions, so no sharing. */
		if (i + 1 < plan->nsegs &&
		    (end + ELF_PAGE - 1) / ELF_PAGE > plan->seg[i + 1].vaddr / ELF_PAGE)
			return "segments overlap or share a page";
		if ((s->flags & ELF_PF_X) && plan->entry >= s->vaddr && plan->entry < end)
			entry_ok = true;
	}
	if (!entry_ok)
		return "entry point not in an executable segment";
	return NULL;
}

int elf_plan(const void *image, size_t len, struct elf_plan *plan,
	     const char **why)
{
	const unsigned char *f = image;
	uint64_t phoff = 0;
	unsigned phnum = 0, i;
	const char *bad;

	plan->nsegs = 0;
	if ((bad = check_header(f, len, &phoff, &phnum)) != NULL)
		goto refuse;
	plan->entry = rd(f + 24, 8);
	for (i = 0; i < phnum; i++) {
		const unsigned char *ph = f + phoff + (size_t)i * PHDR_SIZE;
		uint64_t type = rd(ph, 4);
		if (type == PT_INTERP)
			bad = "dynamically linked (has PT_INTERP)";
		else if (type == PT_DYNAMIC)
			bad = "dynamically linked (has PT_DYNAMIC)";
		else if (type == PT_LOAD)
			bad = check_segment(ph, len, plan);
		if (bad != NULL)
			goto refuse;
	}
	if ((bad = check_layout(plan)) == NULL)
		return 0;
refuse:
	*why = bad;
	plan->nsegs = 0;
	return -1;
}
