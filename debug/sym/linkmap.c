/*
 * linkmap.c: a running process's modules. The executable's PIE bias is
 * AT_ENTRY (from the auxiliary vector) minus its ELF entry; shared libraries
 * come from the dynamic linker's list: _DYNAMIC's DT_DEBUG entry points at
 * struct r_debug, whose r_map heads the chain of struct link_map
 * (l_addr = load bias, l_name = path). Layouts are glibc's x86_64 ABI.
 */
#include <elf.h>
#include <string.h>
#include <unistd.h>

#include "sym_impl.h"

#define RDEBUG_MAP 8		/* offsetof(struct r_debug, r_map) */
#define LM_ADDR 0		/* offsets in struct link_map */
#define LM_NAME 8
#define LM_NEXT 24
#define MAX_LIBS 1024

static uint64_t auxv_get(const void *auxv, size_t len, uint64_t type)
{
	const uint8_t *p = auxv;

	for (size_t i = 0; i + 16 <= len; i += 16) {
		uint64_t t, v;
		memcpy(&t, p + i, 8);
		memcpy(&v, p + i + 8, 8);
		if (t == type)
			return v;
		if (t == AT_NULL)
			break;
	}
	return 0;
}

/* Address of struct r_debug from DT_DEBUG in the mapped _DYNAMIC, 0 if not set yet. */
static uint64_t find_r_debug(struct sym_module *m, acid_mem_fn mem, void *ctx)
{
	uint64_t dyn = m->dynamic + m->bias, ent[2];

	for (int i = 0; i < 512; i++, dyn += 16) {
		if (mem(ctx, dyn, ent, 16) < 0 || ent[0] == DT_NULL)
			return 0;
		if (ent[0] == DT_DEBUG)
			return ent[1];
	}
	return 0;
}

/* Reads a NUL-terminated string of at most len-1 bytes. */
static int read_str(acid_mem_fn mem, void *ctx, uint64_t addr, char *buf, size_t len)
{
	for (size_t i = 0; i + 1 < len; i++) {
		if (mem(ctx, addr + i, &buf[i], 1) < 0)
			return -1;
		if (!buf[i])
			return 0;
	}
	buf[len - 1] = 0;
	return 0;
}

int sym_load_modules(struct sym *s, const void *auxv, size_t auxvlen, acid_mem_fn mem, void *ctx)
{
	struct sym_module *exe = s->mods[0];
	uint64_t entry = auxv_get(auxv, auxvlen, AT_ENTRY), lm, rdebug;
	int added = 0;

	if (!entry) {
		sym_seterr(s, "no AT_ENTRY in the auxiliary vector");
		return -1;
	}
	if (exe->is_dyn)
		exe->bias = entry - exe->entry;
	if (!exe->dynamic || !(rdebug = find_r_debug(exe, mem, ctx)))
		return 0;	/* static, or the dynamic linker has not run yet */
	if (mem(ctx, rdebug + RDEBUG_MAP, &lm, 8) < 0)
		return 0;
	for (int i = 0; lm && i < MAX_LIBS; i++) {
		uint64_t base, name_addr;
		char name[4096];
		if (mem(ctx, lm + LM_ADDR, &base, 8) < 0 || mem(ctx, lm + LM_NAME, &name_addr, 8) < 0)
			break;
		/* the first entry is the executable itself (empty name); the vDSO is not a file */
		if (name_addr && read_str(mem, ctx, name_addr, name, sizeof name) == 0 && name[0] == '/' &&
		    access(name, R_OK) == 0) {
			int before = s->nmods;
			if (sym_add_module(s, name, base) >= before)
				added++;
		}
		if (mem(ctx, lm + LM_NEXT, &lm, 8) < 0)
			break;
	}
	return added;
}
