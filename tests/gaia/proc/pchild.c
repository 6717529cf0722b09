/*
 * pchild: what proctest starts through the process service. argv[1] says
 * what to do: "exit N" exits with N; "fault" touches an unmapped page;
 * "spin" runs until killed; "caps NAME..." exits 0 if the process holds
 * exactly the named caps (and no bus, proc or other cap: its own CNode,
 * "self.cnode", is every process's), 1 if not.
 */
#include <mercury/printf.h>
#include <mercury/runtime.h>
#include <mercury/string.h>

static int exactly(int n, char **names)
{
	for (int i = 0; i < n; i++)
		if (!proc_cap(names[i]))
			return printf("pchild: no cap %s\n", names[i]), 1;
	for (unsigned i = 0; i < 32; i++) {
		hl_cptr_t s = proc_slot(i);
		struct hl_result r = s ? hl_cnode_identify(merc_cnode(), s, MERC_DEPTH, NULL) : (struct hl_result){ E_NOCAP, 0 };

		if (r.status == E_OK && (r.value & 0xFF) != HL_OBJ_NULL)
			return printf("pchild: an unnamed cap in free slot %u (type %lu)\n", i, (unsigned long)(r.value & 0xFF)), 1;
	}
	if (proc_cap("bus") || proc_cap("proc"))
		return printf("pchild: a cap it was not granted\n"), 1;
	return 0;
}

int main(int argc, char **argv, char **envp)
{
	(void)envp;
	if (argc >= 3 && !strcmp(argv[1], "exit"))
		return (int)strtol(argv[2], NULL, 10);
	if (argc >= 2 && !strcmp(argv[1], "fault"))
		*(volatile int *)0xdead000 = 1;
	if (argc >= 2 && !strcmp(argv[1], "spin"))
		for (;;)
			hl_yield();
	if (argc >= 2 && !strcmp(argv[1], "caps"))
		return exactly(argc - 2, argv + 2);
	return 99;
}
