/*
 * console.c: the Console cap: early output for user space before drivers
 * run, the refusal-log switch, and the kernel's self-check on demand.
 */
#include "arch.h"
#include "check.h"
#include "ipc.h"
#include "kernel.h"
#include "syscall.h"

static int console_write(unsigned len)
{
	char buf[8 * HL_MSG_MAX];
	uint64_t n = arg(0);

	if (len < 1 || n > 8 * (uint64_t)(len - 1))
		return refuse(E_INVAL, "%lu bytes do not fit in %u words", n, len ? len - 1 : 0);
	for (unsigned i = 0; i < (n + 7) / 8; i++) {
		uint64_t w = arg(1 + i);
		for (unsigned b = 0; b < 8; b++)
			buf[8 * i + b] = (char)(w >> (8 * b));
	}
	arch_console_write(buf, n);
	result_value(n);
	return E_OK;
}

int console_invoke(struct cap *c, uint64_t label, unsigned len)
{
	(void)c;
	switch (label) {
	case HL_CONSOLE_WRITE:
		return console_write(len);
	case HL_CONSOLE_DEBUG:
		hl_debug = len >= 1 && arg(0);
		return E_OK;
	case HL_CONSOLE_CHECK:
		result_value(kernel_check());
		return E_OK;
	}
	return refuse(E_NOSYS, "Console has no method %lu", label);
}
