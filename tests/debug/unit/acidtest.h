/*
 * acidtest.h: helpers shared by the symbol/target unit tests: paths of the
 * test programs, finding a source line by its LINE: marker, and planting
 * int3 breakpoints the way acid's library does.
 */
#ifndef ACIDTEST_H
#define ACIDTEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acid/sym.h"
#include "acid/target.h"
#include "tap.h"

static inline char *prog_path(const char *name, const char *opt)
{
	static char buf[8][512];
	static int i;
	char *p = buf[i++ & 7];

	snprintf(p, 512, "%s/%s-%s", ACID_PROG_DIR, name, opt);
	return p;
}

/* Line number of the line containing "LINE:<tag>" in the test program source. */
static inline int marker_line(const char *src, const char *tag)
{
	char path[512], line[512], want[128];
	FILE *f;
	int n = 0;

	snprintf(path, sizeof path, "tests/debug/unit/prog/%s", src);
	snprintf(want, sizeof want, "LINE:%s ", tag);
	if (!(f = fopen(path, "r")))
		return -1;
	while (fgets(line, sizeof line, f)) {
		n++;
		if (strstr(line, want)) {
			fclose(f);
			return n;
		}
	}
	fclose(f);
	return -1;
}

/* A breakpoint: the original byte under the int3. */
struct bp {
	uint64_t addr;
	uint8_t orig;
};

static inline int bp_set(struct target *t, struct bp *b, uint64_t addr)
{
	uint8_t cc = 0xcc;

	b->addr = addr;
	if (target_read_mem(t, addr, &b->orig, 1) < 0)
		return -1;
	return target_write_mem(t, addr, &cc, 1);
}

static inline int bp_clear(struct target *t, struct bp *b)
{
	return target_write_mem(t, b->addr, &b->orig, 1);
}

/* Continues past a breakpoint we are stopped on (restore, step, replant), then waits. */
static inline int cont_wait(struct target *t, struct bp *b, struct target_stop *st)
{
	uint64_t pc;
	uint8_t cc = 0xcc;

	if (b && target_get_reg(t, ACID_REG_RIP, &pc) == 0 && pc == b->addr) {
		bp_clear(t, b);
		if (target_step(t) < 0 || target_wait(t, st) < 0)
			return -1;
		if (!target_alive(t))
			return 0;
		target_write_mem(t, b->addr, &cc, 1);
	}
	if (target_cont(t, 0) < 0)
		return -1;
	return target_wait(t, st);
}

/* Function names of the backtrace from the current registers, joined by spaces. */
static inline int backtrace(struct sym *s, struct target *t, char *out, size_t len, struct acid_regs *frames, int max)
{
	struct acid_regs r, up;
	int n = 0;

	out[0] = 0;
	if (target_get_regs(t, &r) < 0)
		return -1;
	for (int i = 0; i < 64; i++) {
		struct sym_symbol f;
		uint64_t pc = r.v[ACID_REG_RIP] - (i ? 1 : 0);
		const char *name = sym_func_at(s, pc, &f) == 0 ? f.name : "?";
		if (strlen(out) + strlen(name) + 2 < len) {
			strcat(out, *out ? " " : "");
			strcat(out, name);
		}
		if (n < max)
			frames[n] = r;
		n++;
		if (sym_unwind_step(s, &r, i == 0, target_mem_cb, t, &up) <= 0)
			break;
		r = up;
	}
	return n;
}

#endif
