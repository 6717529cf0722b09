/*
 * console.c: the Console cap and the plain system calls (null, yield,
 * unknown numbers), which need no other object.
 */
#include "kt.h"

void kt_area_console(void)
{
	struct hl_msg m = { 0, { 0, 0, 0, 0 } };
	char big[HL_CONSOLE_CHUNK];
	uint64_t a[2];

	kt_is(hl_null().status, E_OK, "null syscall succeeds");
	kt_is(hl_yield().status, E_OK, "yield with nothing else to run returns");
	kt_is(hl_sys(HL_SYS_COUNT, 0, 0, &m).status, E_NOSYS, "syscall number HL_SYS_COUNT: E_NOSYS");
	kt_is(hl_sys(~0ull, 0, 0, &m).status, E_NOSYS, "syscall number 2^64-1: E_NOSYS");
	kt_is(hl_console_write(HL_CAP_CONSOLE, "# console write\n", 16).status, E_OK,
	      "console write of 16 bytes");
	kt_is(hl_console_write(HL_CAP_CONSOLE, "", 0).status, E_OK, "console write of 0 bytes");
	for (unsigned i = 0; i < sizeof(big); i++)
		big[i] = i == 0 ? '#' : i == sizeof(big) - 1 ? '\n' : '=';
	kt_is(hl_console_write(HL_CAP_CONSOLE, big, sizeof(big)).status, E_OK,
	      "console write of %u bytes (a full message)", (unsigned)sizeof(big));
	/* A byte count larger than the message carries. */
	a[0] = 100;
	a[1] = 0x0a7461; /* "at\n" */
	kt_ok(kt_either(hl_invoke(HL_CAP_CONSOLE, HL_CONSOLE_WRITE, 2, a).status, E_INVAL, E_RANGE),
	      "console write claiming more bytes than sent: E_INVAL or E_RANGE");
	kt_is(hl_invoke(HL_CAP_CONSOLE, HL_CNODE_COPY, 0, NULL).status, E_NOSYS,
	      "console cap with a CNode label: E_NOSYS");
	kt_is(hl_invoke(HL_CAP_CONSOLE, 0xFFFFF, 0, NULL).status, E_NOSYS,
	      "console cap with an unknown label: E_NOSYS");
	kt_is(hl_console_write(HL_CAP_TCB, "x", 1).status, E_NOSYS,
	      "console write on a TCB cap: E_NOSYS (not a TCB method)");
	kt_is(hl_console_write(KT_EMPTY, "x", 1).status, E_NOCAP,
	      "console write on an empty slot: E_NOCAP");
	kt_is(hl_console_debug(HL_CAP_CONSOLE, kt_debug).status, E_OK, "console debug switch (left as the command line set it)");
	kt_is(hl_console_check(HL_CAP_CONSOLE).value, 0, "kernel invariants hold at start");
}
