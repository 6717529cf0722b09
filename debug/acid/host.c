/*
 * host.c: the interpreter's window on the program (struct acid_host) built
 * from the symbol reader and the target.
 *
 * Names: upper-case register names (RAX ... R15, RIP, EFLAGS, and the
 * aliases PC and SP) are register cells; then global variables with their
 * DWARF type; then plain ELF symbols. Memory reads in the scratch area (see
 * session.h) are served from it; '@' reads the program file's image.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "session.h"

struct acid_session *acid_sess;

static int is_upper_name(const char *s)
{
	for (; *s; s++)
		if (islower((unsigned char)*s))
			return 0;
	return 1;
}

/* The scratch window is a small slice of the non-canonical hole, so real
 * addresses (even a kernel's higher half) never fall in it. */
static int is_scratch(uint64_t addr)
{
	return addr - ACID_SCRATCH_BASE < (1ULL << 40);
}

static int scratch_read(struct acid_session *s, uint64_t addr, void *buf, size_t n)
{
	uint64_t off = addr - ACID_SCRATCH_BASE;

	if (addr < ACID_SCRATCH_BASE || off > s->nscratch || n > s->nscratch - off)
		return -1;
	memcpy(buf, s->scratch + off, n);
	return 0;
}

/* Copies n bytes into the scratch area; returns their address. */
uint64_t acid_scratch_put(struct acid_session *s, const void *buf, size_t n)
{
	uint64_t addr;

	if (s->nscratch + n > s->capscratch) {
		s->capscratch = (s->capscratch + n) * 2 + 256;
		s->scratch = realloc(s->scratch, s->capscratch);
		if (!s->scratch)
			abort();
	}
	addr = ACID_SCRATCH_BASE + s->nscratch;
	memcpy(s->scratch + s->nscratch, buf, n);
	/* Keep every value 8-byte aligned. */
	s->nscratch += (n + 7) & ~(size_t)7;
	return addr;
}

/* acid_mem_fn over the current target (and the scratch area). */
int acid_sess_mem(void *ctx, uint64_t addr, void *buf, size_t len)
{
	struct acid_session *s = ctx;

	if (is_scratch(addr))
		return scratch_read(s, addr, buf, len);
	if (!s->tgt)
		return -1;
	return target_read_mem(s->tgt, addr, buf, len);
}

static int host_read_mem(void *ctx, uint64_t addr, void *buf, size_t n, char *err, size_t errlen)
{
	struct acid_session *s = ctx;

	if (is_scratch(addr)) {
		if (scratch_read(s, addr, buf, n) == 0)
			return 0;
		snprintf(err, errlen, "not a value acid holds");
		return -1;
	}
	if (!s->tgt) {
		snprintf(err, errlen, "no process (use @ to read the program file)");
		return -1;
	}
	if (target_read_mem(s->tgt, addr, buf, n) < 0) {
		snprintf(err, errlen, "%s", target_error(s->tgt));
		return -1;
	}
	return 0;
}

static int host_write_mem(void *ctx, uint64_t addr, const void *buf, size_t n,
                          char *err, size_t errlen)
{
	struct acid_session *s = ctx;

	if (is_scratch(addr)) {
		snprintf(err, errlen, "cannot write a value that lives in no memory");
		return -1;
	}
	if (!s->tgt || !(target_caps(s->tgt) & TARGET_CAN_WRITE)) {
		snprintf(err, errlen, s->tgt ? "target is read-only" : "no process");
		return -1;
	}
	if (target_write_mem(s->tgt, addr, buf, n) < 0) {
		snprintf(err, errlen, "%s", target_error(s->tgt));
		return -1;
	}
	return 0;
}

static int host_read_file(void *ctx, uint64_t addr, void *buf, size_t n, char *err, size_t errlen)
{
	struct acid_session *s = ctx;

	if (!s->sym) {
		snprintf(err, errlen, "no program file");
		return -1;
	}
	if (sym_read_image(s->sym, addr, buf, n) < 0) {
		snprintf(err, errlen, "not in the program file's image");
		return -1;
	}
	return 0;
}

static int host_get_reg(void *ctx, int regno, uint64_t *val, char *err, size_t errlen)
{
	struct acid_session *s = ctx;

	if (!s->tgt || !(target_caps(s->tgt) & TARGET_CAN_REGS)) {
		snprintf(err, errlen, "no process, so no registers");
		return -1;
	}
	if (target_get_reg(s->tgt, regno, val) < 0) {
		snprintf(err, errlen, "%s", target_error(s->tgt));
		return -1;
	}
	return 0;
}

static int host_set_reg(void *ctx, int regno, uint64_t val, char *err, size_t errlen)
{
	struct acid_session *s = ctx;

	if (!s->tgt || !(target_caps(s->tgt) & TARGET_CAN_REGS)) {
		snprintf(err, errlen, "no process, so no registers");
		return -1;
	}
	if (target_set_reg(s->tgt, regno, val) < 0) {
		snprintf(err, errlen, "%s", target_error(s->tgt));
		return -1;
	}
	return 0;
}

static int lookup_global(struct acid_session *s, const char *name, struct acid_value *out)
{
	struct sym_var *var = sym_var_lookup(s->sym, name);
	struct acid_regs regs = { 0 };
	struct sym_loc loc;

	if (!var || sym_var_locate(s->sym, var, 0, &regs, acid_sess_mem, s, &loc) < 0)
		return 0;
	if (loc.kind == SYM_LOC_ADDR) {
		*out = acid_int((int64_t)loc.addr, 'A');
		out->type = acid_ctype_from_sym(s, var->type);
		return 1;
	}
	if (loc.kind == SYM_LOC_VALUE) {
		struct acid_type *t = acid_ctype_from_sym(s, var->type);

		*out = acid_int((int64_t)acid_scratch_put(s, loc.bytes, loc.size), 'A');
		out->type = t;
		return 1;
	}
	return 0;
}

/* A function that only exists inlined: where one of its copies starts,
 * one that is not also where another function starts if there is one, so
 * that inlined() can tell which function the address stands for. */
static int lookup_inlined(struct acid_session *s, const char *name, struct acid_value *out)
{
	uint64_t pcs[64];
	struct sym_symbol sy;
	int n = sym_inline_sites(s->sym, name, pcs, 64);

	if (n <= 0)
		return 0;
	if (n > 64)
		n = 64;
	*out = acid_int((int64_t)pcs[0], 'A');
	for (int i = 0; i < n; i++)
		if (sym_func_at(s->sym, pcs[i], &sy) < 0 || sy.addr != pcs[i]) {
			*out = acid_int((int64_t)pcs[i], 'A');
			break;
		}
	return 1;
}

static int host_lookup(void *ctx, const char *name, struct acid_value *out)
{
	struct acid_session *s = ctx;
	struct sym_symbol sy;
	int r;

	if (is_upper_name(name)) {
		r = strcmp(name, "PC") == 0 ? ACID_REG_RIP : strcmp(name, "SP") == 0 ? ACID_REG_RSP
		    : acid_reg_lookup(name);
		if (r >= 0) {
			*out = acid_int(r, 'Y');
			out->kind = AV_REG;
			return 1;
		}
	}
	if (!s->sym)
		return 0;
	if (lookup_global(s, name, out))
		return 1;
	if (sym_lookup(s->sym, name, &sy) == 0) {
		*out = acid_int((int64_t)sy.addr, 'A');
		return 1;
	}
	return lookup_inlined(s, name, out);
}

static int host_addr_name(void *ctx, uint64_t addr, char *buf, size_t n)
{
	struct acid_session *s = ctx;
	struct sym_symbol sy;

	if (!s->sym || sym_func_at(s->sym, addr, &sy) < 0)
		return -1;
	if (addr == sy.addr)
		snprintf(buf, n, "%s", sy.name);
	else
		snprintf(buf, n, "%s+0x%llx", sy.name, (unsigned long long)(addr - sy.addr));
	return 0;
}

/* A C type by name, acid style: a bare tag names a struct, union or enum
 * of the program. The program's types come first; the libraries' (libc's
 * DWARF has a struct or a typedef of many a common name) answer to their
 * exact C names only. */
static struct acid_type *host_type_named(void *ctx, const char *name)
{
	static const char *tags[] = { "", "struct ", "union ", "enum " };
	struct acid_session *s = ctx;
	struct sym_type *t = NULL;
	char buf[256];

	if (!s->sym)
		return NULL;
	for (int module = 0; module >= -1 && !t; module--)
		for (int i = 0; i < 4 && !t; i++) {
			if (i && (module < 0 || strncmp(name, "struct ", 7) == 0))
				break;
			snprintf(buf, sizeof buf, "%s%s", tags[i], name);
			t = sym_type_lookup_in(s->sym, buf, module);
		}
	return t ? acid_ctype_from_sym(s, t) : NULL;
}

/* A function's C signature and where it is defined (name may be an alias
 * of the symbol's, as printf is of _IO_printf). */
static int host_describe(void *ctx, const char *name, uint64_t addr, char *buf, size_t n)
{
	struct acid_session *s = ctx;
	struct sym_symbol sy;
	struct sym_type *ret;
	struct sym_line ln;
	int is_void;


	if (!s->sym || sym_func_at(s->sym, addr, &sy) < 0 || sy.addr != addr ||
	    sym_func_proto(s->sym, addr, name, &ret, &is_void, buf, n) < 0)
		return -1;
	if (sym_pc_line(s->sym, addr, &ln) == 0) {
		size_t len = strlen(buf);
		const char *base = strrchr(ln.file, '/');

		snprintf(buf + len, n - len, " // %s:%d,", base ? base + 1 : ln.file, ln.line);
	}
	return 0;
}

static const char *host_reg_name(void *ctx, int regno)
{
	(void)ctx;
	return acid_reg_name(regno);
}

/* Fills in the interpreter's host ops from the session. */
void acid_host_init(struct acid_session *s)
{
	struct acid_host h = {
		.ctx = s,
		.read_mem = host_read_mem,
		.write_mem = host_write_mem,
		.read_file = host_read_file,
		.get_reg = host_get_reg,
		.set_reg = host_set_reg,
		.lookup = host_lookup,
		.lookup_local = acid_prim_lookup_local,
		.addr_name = host_addr_name,
		.type_named = host_type_named,
		.describe = host_describe,
		.reg_name = host_reg_name,
		.disasm = acid_disasm,
	};

	acid_sess = s;
	acid_set_host(s->a, &h);
}

/* The current target, or an acid error. */
struct target *acid_need_target(struct acid *a)
{
	if (!acid_sess->tgt)
		acid_error(a, "no process: start one with new()");
	return acid_sess->tgt;
}

/* The symbol table, or an acid error. */
struct sym *acid_need_sym(struct acid *a)
{
	if (!acid_sess->sym)
		acid_error(a, "no program: give one on the command line");
	return acid_sess->sym;
}

/* Refreshes PIE bias and shared libraries from the process's link map. */
void acid_sess_refresh_modules(struct acid_session *s)
{
	unsigned char auxv[4096];
	long n;

	/* Targets without an auxiliary vector (QEMU's gdbstub, ELF) say so. */
	if (!s->sym || !s->tgt || !(target_caps(s->tgt) & TARGET_CAN_REGS))
		return;
	n = target_auxv(s->tgt, auxv, sizeof auxv);
	if (n > 0)
		sym_load_modules(s->sym, auxv, (size_t)n, target_mem_cb, s->tgt);
}
