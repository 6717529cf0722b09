/*
 * fuzz_sym.c: libFuzzer entry for the symbol reader. Each input is written
 * to a file (the reader mmaps files), opened with sym_open and, if accepted,
 * asked for symbols, lines, types, variables and an unwind step.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "acid/sym.h"

static int no_mem(void *ctx, uint64_t addr, void *buf, size_t len)
{
	(void)ctx; (void)addr; (void)buf; (void)len;
	return -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	char err[256];
	struct sym_symbol f;
	struct sym_line ln;
	struct sym_var *vars[16];
	struct acid_regs r = { .valid = ~0u };

	if (!path[0])
		snprintf(path, sizeof path, "/tmp/fuzz_sym.%d", getpid());
	FILE *fp = fopen(path, "wb");
	if (!fp)
		return 0;
	fwrite(data, 1, size, fp);
	fclose(fp);
	struct sym *s = sym_open(path, err, sizeof err);
	if (!s)
		return 0;
	if (sym_lookup(s, "main", &f) == 0) {
		sym_pc_line(s, f.addr, &ln);
		sym_func_body(s, f.addr);
		int n = sym_vars_at(s, f.addr, vars, 16);
		for (int i = 0; i < n && i < 16; i++) {
			struct sym_loc loc;
			sym_var_locate(s, vars[i], f.addr, &r, no_mem, NULL, &loc);
		}
		/* prototypes and inlined code (issue 15) */
		struct sym_type *rt;
		struct sym_inline chain[8];
		uint64_t sites[4];
		char sig[256];
		int is_void, ni = sym_inline_at(s, f.addr + 4, chain, 8);
		sym_func_proto(s, f.addr, NULL, &rt, &is_void, sig, sizeof sig);
		for (int i = 0; i < ni && i < 8; i++)
			sym_inline_vars(s, f.addr + 4, &chain[i], vars, 16);
		sym_inline_sites(s, "leaf", sites, 4);
		sym_inline_site_name(s, f.addr);
		r.v[ACID_REG_RIP] = f.addr;
		struct acid_regs up;
		sym_unwind_step(s, &r, 1, no_mem, NULL, &up);
	}
	sym_type_lookup(s, "struct point");
	sym_var_lookup(s, "origin");
	sym_close(s);
	return 0;
}
