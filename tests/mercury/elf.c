/*
 * elf.c: host tests of the ELF validator (mercury/lib/elf.c): a small valid
 * image built in memory, a table of single-field corruptions each with its
 * exact refusal, every truncation, random header corruption checked against
 * the plan's promises, and real executables built by gcc. Images are copied
 * into exact-size buffers so AddressSanitizer catches any stray read.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "rename.h"
#include <mercury/elf.h>
#include "unrename.h"

enum { IMG_LEN = 0x1100, PH0 = 64, PHSZ = 56 };
/* Field offsets in a program header. */
enum { P_TYPE = 0, P_FLAGS = 4, P_OFFSET = 8, P_VADDR = 16, P_FILESZ = 32,
       P_MEMSZ = 40, P_ALIGN = 48 };
#define PH(i, field) (PH0 + (i) * PHSZ + (field))

static unsigned char img[IMG_LEN];

static void put(unsigned char *p, size_t off, unsigned n, uint64_t v)
{
	while (n-- > 0) {
		p[off++] = (unsigned char)v;
		v >>= 8;
	}
}

static void phdr(int i, uint32_t type, uint32_t flags, uint64_t off,
		 uint64_t vaddr, uint64_t filesz, uint64_t memsz, uint64_t align)
{
	put(img, PH(i, P_TYPE), 4, type);
	put(img, PH(i, P_FLAGS), 4, flags);
	put(img, PH(i, P_OFFSET), 8, off);
	put(img, PH(i, P_VADDR), 8, vaddr);
	put(img, PH(i, 24), 8, vaddr);
	put(img, PH(i, P_FILESZ), 8, filesz);
	put(img, PH(i, P_MEMSZ), 8, memsz);
	put(img, PH(i, P_ALIGN), 8, align);
}

/* Text at 0x400000 (r-x, holding the headers), data at 0x401000 (rw-, with
   bss), and a PT_GNU_STACK, as ld lays out a small static program. */
static void build(void)
{
	memset(img, 0x90, sizeof(img));
	memset(img, 0, 64 + 3 * PHSZ);
	memcpy(img, "\177ELF\2\1\1", 7);
	put(img, 16, 2, 2);          /* ET_EXEC */
	put(img, 18, 2, 62);         /* EM_X86_64 */
	put(img, 20, 4, 1);
	put(img, 24, 8, 0x400100);   /* entry */
	put(img, 32, 8, PH0);
	put(img, 52, 2, 64);
	put(img, 54, 2, PHSZ);
	put(img, 56, 2, 3);
	phdr(0, 1, 5, 0, 0x400000, 0x1000, 0x1000, 0x1000);
	phdr(1, 1, 6, 0x1000, 0x401000, 0x100, 0x2000, 0x1000);
	phdr(2, 0x6474e551, 6, 0, 0, 0, 0, 16);
}

static int plan_copy(const unsigned char *p, size_t len, struct elf_plan *plan,
		     const char **why)
{
	unsigned char *copy = malloc(len ? len : 1);
	int r;

	memcpy(copy, p, len);
	*why = NULL;
	r = elf_plan(copy, len, plan, why);
	free(copy);
	return r;
}

struct poke { size_t off; unsigned n; uint64_t v; };

struct bad_case {
	const char *what;
	struct poke pokes[3];
	const char *why; /* NULL: accepted */
};

#define E(o, n, v) { (o), (n), (v) }
static const struct bad_case cases[] = {
	{ "valid image", { E(0, 0, 0) }, NULL },
	{ "bad magic", { E(1, 1, 'e') }, "not an ELF file (bad magic)" },
	{ "32-bit class", { E(4, 1, 1) }, "not a 64-bit ELF file (EI_CLASS)" },
	{ "big-endian", { E(5, 1, 2) }, "not a little-endian ELF file (EI_DATA)" },
	{ "ident version 0", { E(6, 1, 0) }, "unknown ELF version" },
	{ "e_version 2", { E(20, 4, 2) }, "unknown ELF version" },
	{ "OS ABI 9", { E(7, 1, 9) }, "unsupported OS ABI (EI_OSABI)" },
	{ "OS ABI GNU", { E(7, 1, 3) }, NULL },
	{ "ET_DYN", { E(16, 2, 3) }, "position-independent executable (ET_DYN) not supported: link with -static -no-pie" },
	{ "ET_REL", { E(16, 2, 1) }, "not an executable (e_type)" },
	{ "i386 machine", { E(18, 2, 3) }, "not an x86_64 executable (e_machine)" },
	{ "e_ehsize 52", { E(52, 2, 52) }, "bad ELF header size (e_ehsize)" },
	{ "e_phentsize 32", { E(54, 2, 32) }, "bad program header entry size (e_phentsize)" },
	{ "no phdrs", { E(56, 2, 0) }, "no program headers" },
	{ "PN_XNUM", { E(56, 2, 0xffff) }, "too many program headers" },
	{ "65 phdrs", { E(56, 2, 65) }, "too many program headers" },
	{ "phoff huge", { E(32, 8, UINT64_MAX) }, "program headers beyond end of file" },
	{ "phdrs cut by the end", { E(32, 8, IMG_LEN - 100) }, "program headers beyond end of file" },
	{ "filesz > memsz", { E(PH(1, P_FILESZ), 8, 0x3000) }, "segment file size exceeds its memory size" },
	{ "offset beyond file", { E(PH(1, P_OFFSET), 8, 0x100000), E(PH(1, P_VADDR), 8, 0x501000) }, "segment data beyond end of file" },
	{ "offset+filesz wraps", { E(PH(1, P_OFFSET), 8, 0xffffffffffffff00ull) }, "segment data beyond end of file" },
	{ "filesz huge", { E(PH(1, P_FILESZ), 8, UINT64_MAX), E(PH(1, P_MEMSZ), 8, UINT64_MAX) }, "segment data beyond end of file" },
	{ "vaddr+memsz wraps", { E(PH(1, P_VADDR), 8, 0xfffffffffffff000ull), E(PH(1, P_MEMSZ), 8, 0x2000) }, "segment address range overflows" },
	{ "kernel address", { E(PH(1, P_VADDR), 8, 0xffffffff80001000ull) }, "segment outside the user half of the address space" },
	{ "crosses the user top", { E(PH(1, P_VADDR), 8, 0x00007fffffffe000ull), E(PH(1, P_MEMSZ), 8, 0x3000) }, "segment outside the user half of the address space" },
	{ "ends exactly at the top", { E(PH(1, P_VADDR), 8, 0x00007fffffffe000ull) }, NULL },
	{ "page zero", { E(PH(1, P_VADDR), 8, 0) }, "segment maps page zero" },
	{ "alignment 3", { E(PH(1, P_ALIGN), 8, 3) }, "segment alignment not a power of two" },
	{ "misaligned vaddr", { E(PH(1, P_VADDR), 8, 0x401010) }, "segment address and offset disagree modulo its alignment" },
	{ "page-misaligned, align 1", { E(PH(1, P_VADDR), 8, 0x401010), E(PH(1, P_ALIGN), 8, 1) }, "segment address and offset disagree modulo the page size" },
	{ "alignment 0 accepted", { E(PH(1, P_ALIGN), 8, 0) }, NULL },
	{ "overlapping segments", { E(PH(1, P_VADDR), 8, 0x400000) }, "segments overlap or share a page" },
	{ "segments share a page", { E(PH(0, P_MEMSZ), 8, 0x1001) }, "segments overlap or share a page" },
	{ "entry outside", { E(24, 8, 0x500000) }, "entry point not in an executable segment" },
	{ "entry in data", { E(24, 8, 0x401000) }, "entry point not in an executable segment" },
	{ "entry at the text's last byte", { E(24, 8, 0x400fff) }, NULL },
	{ "PT_INTERP", { E(PH(2, P_TYPE), 4, 3) }, "dynamically linked (has PT_INTERP)" },
	{ "PT_DYNAMIC", { E(PH(2, P_TYPE), 4, 2) }, "dynamically linked (has PT_DYNAMIC)" },
	{ "no PT_LOAD", { E(PH(0, P_TYPE), 4, 4), E(PH(1, P_TYPE), 4, 4) }, "no loadable segments" },
	{ "empty PT_LOAD skipped", { E(PH(1, P_FILESZ), 8, 0), E(PH(1, P_MEMSZ), 8, 0) }, NULL },
	{ "segments out of order", { E(PH(0, P_VADDR), 8, 0x600000), E(24, 8, 0x600100) }, NULL },
};

static void test_table(void)
{
	size_t i, j;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct bad_case *c = &cases[i];
		struct elf_plan plan;
		const char *why;
		int r;

		build();
		for (j = 0; j < 3; j++)
			put(img, c->pokes[j].off, c->pokes[j].n, c->pokes[j].v);
		r = plan_copy(img, IMG_LEN, &plan, &why);
		if (!ok(c->why ? r == -1 && why && strcmp(why, c->why) == 0 : r == 0,
			"%s: %s", c->what, c->why ? c->why : "accepted"))
			diag("got %d (%s)", r, why ? why : "-");
	}
}

static void test_plan(void)
{
	struct elf_plan plan;
	const char *why;

	build();
	ok(plan_copy(img, IMG_LEN, &plan, &why) == 0, "the valid image is accepted");
	ok(plan.entry == 0x400100 && plan.nsegs == 2, "entry and two segments");
	ok(plan.seg[0].vaddr == 0x400000 && plan.seg[0].memsz == 0x1000 &&
	   plan.seg[0].filesz == 0x1000 && plan.seg[0].offset == 0 &&
	   plan.seg[0].flags == (ELF_PF_R | ELF_PF_X), "text segment planned");
	ok(plan.seg[1].vaddr == 0x401000 && plan.seg[1].memsz == 0x2000 &&
	   plan.seg[1].filesz == 0x100 && plan.seg[1].offset == 0x1000 &&
	   plan.seg[1].flags == (ELF_PF_R | ELF_PF_W), "data segment with bss planned");
	put(img, PH(0, P_FLAGS), 4, 0x0ff00005);
	ok(plan_copy(img, IMG_LEN, &plan, &why) == 0 && plan.seg[0].flags == 5,
	   "OS-specific flag bits are dropped");
	build();
	put(img, PH(0, P_VADDR), 8, 0x600000);
	put(img, 24, 8, 0x600100);
	ok(plan_copy(img, IMG_LEN, &plan, &why) == 0 && plan.seg[0].vaddr == 0x401000 &&
	   plan.seg[1].vaddr == 0x600000, "segments come out sorted by address");
}

static void test_many_segments(void)
{
	static unsigned char big[64 + 20 * PHSZ];
	struct elf_plan plan;
	const char *why;
	int n;

	for (n = 16; n <= 17; n++) {
		int i;
		memset(big, 0, sizeof(big));
		memcpy(big, img, 64);
		put(big, 56, 2, n);
		put(big, 24, 8, 0x400000);
		for (i = 0; i < n; i++) {
			size_t o = 64 + i * PHSZ;
			put(big, o + P_TYPE, 4, 1);
			put(big, o + P_FLAGS, 4, 5);
			put(big, o + P_VADDR, 8, 0x400000 + (uint64_t)i * 0x1000);
			put(big, o + P_MEMSZ, 8, 0x1000);
		}
		if (n == 16)
			ok(plan_copy(big, sizeof(big), &plan, &why) == 0 && plan.nsegs == 16,
			   "16 PT_LOAD segments fit a plan");
		else
			ok(plan_copy(big, sizeof(big), &plan, &why) == -1 &&
			   strcmp(why, "too many PT_LOAD segments") == 0,
			   "17 PT_LOAD segments refused");
	}
}

static void test_truncations(void)
{
	struct elf_plan plan;
	const char *why;
	size_t len;
	int accepted = 0, unexplained = 0;

	build();
	for (len = 0; len < IMG_LEN; len++) {
		int r = plan_copy(img, len, &plan, &why);
		accepted += r == 0;
		unexplained += r != 0 && why == NULL;
	}
	ok(accepted == 0 && unexplained == 0, "every truncation refused with a reason");
}

/* Random corruption of the headers: whatever is accepted must keep the
   plan's promises. */
static void test_random(void)
{
	uint64_t r = 0x2545f4914f6cdd1dull;
	int broken = 0, accepted = 0, i, k;

	for (i = 0; i < 20000; i++) {
		struct elf_plan plan;
		const char *why;
		unsigned s;

		build();
		for (k = 0; k < 1 + i % 4; k++) {
			r ^= r << 13; r ^= r >> 7; r ^= r << 17;
			img[(r >> 8) % (64 + 3 * PHSZ)] ^= (unsigned char)(1u << (r % 8));
		}
		if (plan_copy(img, IMG_LEN, &plan, &why) != 0) {
			broken += why == NULL;
			continue;
		}
		accepted++;
		for (s = 0; s < plan.nsegs; s++) {
			const struct elf_segment *g = &plan.seg[s];
			broken += g->filesz > g->memsz || g->offset + g->filesz > IMG_LEN ||
				  g->vaddr < 4096 || g->vaddr + g->memsz > ELF_USER_TOP ||
				  (s > 0 && plan.seg[s - 1].vaddr + plan.seg[s - 1].memsz > g->vaddr);
		}
	}
	ok(broken == 0, "20000 corrupted headers: refusals explained, acceptances sound (%d accepted)", accepted);
}

/* Executables produced by the host toolchain. */
static void test_real(void)
{
	static unsigned char buf[4 << 20];
	static const struct { const char *cmd, *what; int want; } real[] = {
		{ "printf 'int main(void){return 0;}' | gcc -x c -static -no-pie -O2 -o %s -", "gcc -static -no-pie (glibc)", 0 },
		{ "printf 'void _start(void){for(;;);}' | gcc -x c -static -nostdlib -no-pie -O2 -o %s -", "gcc -nostdlib -static", 0 },
		{ "printf 'int main(void){return 0;}' | gcc -x c -static-pie -O2 -o %s -", "gcc -static-pie (refused: ET_DYN)", -1 },
		{ "printf 'int main(void){return 0;}' | gcc -x c -O2 -o %s -", "dynamic PIE (refused)", -1 },
	};
	char path[] = "/tmp/merc-elf-XXXXXX", cmd[512];
	size_t i;

	for (i = 0; i < sizeof(real) / sizeof(real[0]); i++) {
		struct elf_plan plan;
		const char *why = NULL;
		size_t len = 0;
		FILE *f;
		int fd = mkstemp(path), r;

		snprintf(cmd, sizeof(cmd), real[i].cmd, path);
		if (fd < 0 || system(cmd) != 0 || (f = fopen(path, "rb")) == NULL) {
			ok(1, "# SKIP cannot build: %s", real[i].what);
			continue;
		}
		len = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		remove(path);
		strcpy(path, "/tmp/merc-elf-XXXXXX");
		r = plan_copy(buf, len, &plan, &why);
		if (!ok(r == real[i].want, "%s", real[i].what))
			diag("got %d (%s)", r, why ? why : "-");
	}
}

int main(void)
{
	test_table();
	test_plan();
	test_many_segments();
	test_truncations();
	test_random();
	test_real();
	return done_testing();
}
