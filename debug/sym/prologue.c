/*
 * prologue.c: where a function's body starts, so a breakpoint on a function
 * stops where its arguments are already in their homes. gdb 13's rule on
 * x86_64, in order:
 *   1. a line-table row of the function marked prologue_end (clang emits
 *      them; gcc 12 does not): its address;
 *   2. else, if the function sets up a frame pointer ([endbr64] push %rbp;
 *      mov %rsp,%rbp), the first line-table row after that code: the second
 *      line entry, where -O0 code has stored its arguments;
 *   3. else (frameless, optimized code) the entry itself: the arguments are
 *      still in their registers there, and any later place could skip code
 *      that runs on some calls only.
 */
#include <string.h>

#include "sym_impl.h"

/* Length of the frame set-up at the start of code (0 if there is none). */
static size_t frame_setup_len(const uint8_t *code, size_t n)
{
	static const uint8_t endbr64[] = { 0xf3, 0x0f, 0x1e, 0xfa };
	static const uint8_t mov1[] = { 0x48, 0x89, 0xe5 }, mov2[] = { 0x48, 0x8b, 0xec };
	size_t i = 0;

	if (n >= sizeof endbr64 && memcmp(code, endbr64, sizeof endbr64) == 0)
		i = sizeof endbr64;
	if (i + 4 > n || code[i] != 0x55)	/* push %rbp */
		return 0;
	i++;
	if (memcmp(code + i, mov1, 3) != 0 && memcmp(code + i, mov2, 3) != 0)
		return 0;
	return i + 3;
}

uint64_t sym_func_body(struct sym *s, uint64_t entry)
{
	struct sym_module *m = sym_module_at(s, entry);
	uint64_t a = entry - m->bias, end;
	struct sym_cu *cu = dw_cu_at(s, m, a);
	struct sym_symbol f;
	struct sym_row *r, *p;
	uint8_t code[16];
	size_t setup;

	if (!cu || line_load(s, m, cu) < 0 || !(r = line_row_at(cu, a)) || sym_func_at(s, entry, &f) < 0)
		return entry;
	end = f.addr + f.size - m->bias;
	while (r > cu->rows && !r[-1].end_seq && r[-1].addr == a)
		r--;	/* the first row at the entry */
	for (p = r; !p->end_seq && p->addr < end; p++)
		if (p->prologue_end)
			return p->addr + m->bias;
	size_t n = sizeof code;
	while (n >= 4 && sym_read_image(s, entry, code, n) < 0)
		n /= 2;	/* a function at the very end of its segment */
	if (n < 4 || !(setup = frame_setup_len(code, n)))
		return entry;
	/* the row after the set-up code, unless the set-up ends a row itself */
	for (p = r; !p->end_seq && p->addr < end; p++)
		if (p->addr >= a + setup)
			return p->addr + m->bias;
	return entry;
}
