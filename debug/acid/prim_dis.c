/*
 * prim_dis.c: instructions as text, through binutils' x86-64 disassembler
 * (libopcodes, AT&T syntax), reading the program through the session.
 *
 *   disasm(addr)   "push   %rbp", "call   0x1139 <add>" ...
 * The host's disasm op (used by the 'i' format: *fmt(addr, 'i')) is the
 * same function. Branch targets are named with their symbol.
 */
#define PACKAGE "acid"	/* bfd.h, included by dis-asm.h, insists on it */
#include <dis-asm.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "session.h"

struct dis_out {
	char *buf;
	size_t n, len;
};

static int dis_printf(void *stream, const char *fmt, ...)
{
	struct dis_out *o = stream;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vsnprintf(o->buf + o->len, o->n - o->len, fmt, ap);
	va_end(ap);
	if (r > 0)
		o->len = o->len + r < o->n ? o->len + r : o->n - 1;
	return r;
}

static int dis_printf_styled(void *stream, enum disassembler_style style, const char *fmt, ...)
{
	struct dis_out *o = stream;
	va_list ap;
	int r;

	(void)style;
	va_start(ap, fmt);
	r = vsnprintf(o->buf + o->len, o->n - o->len, fmt, ap);
	va_end(ap);
	if (r > 0)
		o->len = o->len + r < o->n ? o->len + r : o->n - 1;
	return r;
}

static int dis_read(bfd_vma addr, bfd_byte *buf, unsigned int len, struct disassemble_info *info)
{
	return acid_sess_mem(info->application_data, addr, buf, len) == 0 ? 0 : -1;
}

static void dis_memory_error(int status, bfd_vma addr, struct disassemble_info *info)
{
	(void)status;
	(void)addr;
	(void)info;
}

static void dis_address(bfd_vma addr, struct disassemble_info *info)
{
	struct acid_session *s = info->application_data;
	struct sym_symbol sy;

	info->fprintf_func(info->stream, "0x%llx", (unsigned long long)addr);
	if (s->sym && sym_func_at(s->sym, addr, &sy) == 0) {
		if (addr == sy.addr)
			info->fprintf_func(info->stream, " <%s>", sy.name);
		else
			info->fprintf_func(info->stream, " <%s+0x%llx>", sy.name,
			                   (unsigned long long)(addr - sy.addr));
	}
}

/* Disassembles the instruction at addr into buf; returns its length, or
 * -1 (with a reason in buf) if it cannot be read or decoded. */
int acid_disasm(void *ctx, uint64_t addr, char *buf, size_t n)
{
	static disassembler_ftype dis;
	struct disassemble_info info;
	struct dis_out out = { buf, n, 0 };
	int len;

	if (n == 0)
		return -1;
	buf[0] = '\0';
	if (!dis)
		dis = disassembler(bfd_arch_i386, 0, bfd_mach_x86_64, NULL);
	init_disassemble_info(&info, &out, dis_printf, dis_printf_styled);
	info.arch = bfd_arch_i386;
	info.mach = bfd_mach_x86_64;
	info.application_data = ctx;
	info.read_memory_func = dis_read;
	info.memory_error_func = dis_memory_error;
	info.print_address_func = dis_address;
	disassemble_init_for_target(&info);
	len = dis ? dis(addr, &info) : -1;
	if (len <= 0) {
		snprintf(buf, n, "cannot read or decode an instruction at 0x%llx",
		         (unsigned long long)addr);
		return -1;
	}
	return len;
}

static void bi_disasm(struct acid *a, int argc, struct acid_value *argv, struct acid_value *ret)
{
	char text[256];
	uint64_t addr;

	if (argc != 1)
		acid_error(a, "disasm: expected 1 argument");
	addr = (uint64_t)acid_need_int(a, argv[0], "disasm");
	if (acid_disasm(acid_sess, addr, text, sizeof text) < 0)
		acid_error(a, "disasm: %s", text);
	*ret = acid_cstr(text);
}

/* Registers disasm. */
void acid_prim_dis_init(struct acid *a)
{
	acid_builtin_add(a, "disasm", bi_disasm);
}
