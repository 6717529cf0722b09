/*
 * start.c: program start-up. merc_start reads what the program was given
 * (BootInfo for the root task, struct start_info for a spawned process),
 * sets up the IPC buffer, console streams, heap and time, then runs main.
 * proc_cap and getenv read the start info later.
 */
#include <mercury/heap.h>
#include <mercury/printf.h>
#include <mercury/runtime.h>
#include <mercury/string.h>

#include "runtime_int.h"

const struct start_info *merc_start_info;
static struct hl_ipc_buffer *ipc_buffer;
static char *no_env[] = { NULL };
static char **environ_ = no_env;

/* Mercury programs are single-threaded: one IPC buffer. */
struct hl_ipc_buffer *hl_ipc_buffer(void)
{
	return ipc_buffer;
}

hl_cptr_t proc_cap(const char *name)
{
	const struct start_info *si = merc_start_info;

	if (!si || !name)
		return 0;
	for (uint64_t i = 0; i < si->ncaps && i < SPAWN_MAX_CAPS; i++)
		if (!strncmp(si->caps[i].name, name, SPAWN_NAME_MAX))
			return si->caps[i].cptr;
	return 0;
}

char *getenv(const char *name)
{
	size_t n = strlen(name);

	for (char **e = environ_; *e; e++)
		if (!strncmp(*e, name, n) && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

static int start_root(const struct hl_bootinfo *bi, char **argv)
{
	ipc_buffer = (struct hl_ipc_buffer *)(bi->ipc_buffer ? bi->ipc_buffer : HL_ROOT_IPC_BUFFER);
	merc_console = HL_CAP_CONSOLE;
	merc_tsc_hz = bi->tsc_hz;
	merc_alloc_init(bi);
	merc_console_init();
	merc_panic_init();
	heap_init(merc_heap_more);
	return main(1, argv, environ_);
}

/* How many empty slots follow the named caps (proc_slot(0) on). */
static unsigned child_free_slots(void)
{
	unsigned n = 0;

	while (proc_slot(n))
		n++;
	return n;
}

static int start_child(const struct start_info *si)
{
	merc_start_info = si;
	ipc_buffer = (struct hl_ipc_buffer *)si->ipc_buffer;
	merc_console = proc_cap("console");
	merc_tsc_hz = si->tsc_hz;
	environ_ = si->envp ? si->envp : no_env;
	merc_slots_init_range(proc_slot(0), child_free_slots(), proc_cap(SPAWN_SELF_CNODE));
	merc_console_init();
	merc_panic_init();
	heap_init(merc_heap_more);
	return main((int)si->argc, si->argv, environ_);
}

/* Called by crt0 with what the kernel or the parent put in rdi. Does not return. */
void merc_start(void *arg) __attribute__((noreturn));
void merc_start(void *arg)
{
	static char root_name[] = "root";
	static char *root_argv[] = { root_name, NULL };

	if (arg && *(const uint64_t *)arg == HL_BOOTINFO_MAGIC)
		exit(start_root(arg, root_argv));
	if (arg && *(const uint64_t *)arg == START_MAGIC)
		exit(start_child(arg));
	/* Nothing we know: no console either, so just stop. */
	for (;;)
		hl_exit(255);
}
