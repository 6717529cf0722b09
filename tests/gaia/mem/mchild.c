/*
 * mchild: what memtest starts to share a buffer with. It holds its own mem
 * cap ("mem") and the buffer's token ("buf"). argv[1] says what to do:
 *   check   attach, expect memtest's pattern, write its answer, detach, exit 0
 *   hold    attach, write its answer, then spin (memtest kills it)
 *   quota   exit 0 if its own mem cap has the full quota and nothing used
 * Exit codes 10 and up name the step that failed.
 */
#include <mercury/runtime.h>
#include <mercury/string.h>

#include "mem_client.h"

#define ANSWER_AT 4096

int main(int argc, char **argv, char **envp)
{
	hl_cptr_t mem = proc_cap("mem"), buf = proc_cap("buf");
	uint64_t va, pa, quota, used;
	uint32_t size, mapped;

	(void)envp;
	if (argc < 2 || !mem)
		return 10;
	if (!strcmp(argv[1], "quota"))
		return mem_info(mem, &quota, &used, &mapped) == E_OK && quota == 2u << 20 && !used && !mapped ? 0 : 11;
	if (!buf || mem_attach(mem, buf, &va, &pa, &size) != E_OK)
		return 12;
	for (unsigned i = 0; i < ANSWER_AT; i++)
		if (((volatile uint8_t *)va)[i] != (uint8_t)(i * 7))
			return 13;
	memcpy((void *)(va + ANSWER_AT), "mchild was here", 16);
	if (!strcmp(argv[1], "hold"))
		for (;;)
			hl_yield();
	return mem_detach(mem, va) == E_OK && mem_detach(mem, va) == E_NOCAP ? 0 : 14;
}
