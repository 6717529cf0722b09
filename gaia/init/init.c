/*
 * init.c: the root task. It starts the device manager from the initrd with
 * the PCI configuration ports (which nobody else ever gets) and the
 * manifests of the drivers in drv/, then serves it: starting the drivers
 * it asks for and reaping every process (devhost.c). The kernel command
 * line word init.exit (or the kernel's own poweroff) ends the run once
 * every process has ended (tests).
 */
#include <mercury/heap.h>
#include <mercury/printf.h>
#include <mercury/runtime.h>
#include <mercury/string.h>

#include "init.h"
#include "manifest.h"

#define MAX_ARGS 18

static const char *dm_argv[MAX_ARGS + 1] = { "devmgr" };
static int dm_argc = 1;

/* Adds "FILE=MANIFEST" for a driver file to devmgr's argv. */
static void add_driver(const char *name, const void *data, size_t len, void *ctx)
{
	const char *text, *why;
	size_t tl;
	char *arg;

	(void)ctx;
	if (manifest_find(data, len, &text, &tl, &why)) {
		printf("init: %s: %s; not a driver\n", name, why);
		return;
	}
	if (dm_argc == MAX_ARGS || !(arg = malloc(strlen(name) + tl + 2))) {
		printf("init: %s: too many drivers\n", name);
		return;
	}
	memcpy(arg, name, strlen(name));
	arg[strlen(name)] = '=';
	memcpy(arg + strlen(name) + 1, text, tl);
	arg[strlen(name) + 1 + tl] = '\0';
	dm_argv[dm_argc++] = arg;
}

int main(int argc, char **argv, char **envp)
{
	struct hl_tcb_info info;
	struct proc devmgr;
	hl_cptr_t pci, reply;
	uint64_t ram_before;
	int64_t st;
	size_t len;

	(void)argc, (void)argv, (void)envp;
	printf("init: Ares root task\n");
	hl_tcb_info(HL_CAP_TCB, &info);
	init_priority = (unsigned)info.priority;
	if (!(init_ep = obj_alloc_keep(HL_OBJ_ENDPOINT, 0, &st)) ||
	    !(reply = obj_alloc_keep(HL_OBJ_REPLY, 0, &st)) ||
	    !(init_pool = obj_alloc_keep(HL_OBJ_UNTYPED, INIT_POOL_BITS, &st))) {
		printf("init: no endpoint, reply or process pool (error %ld)\n", (long)st);
		return 1;
	}
	devmem_init();
	if (!initrd_file("sbin/bus", &len))
		printf("init: no sbin/bus in the initrd: the device manager runs without the bus\n");
	else
		printf("init: sbin/bus present but not started yet: the bus needs an Untyped, which spawn cannot hand over\n");

	pci = slot_alloc();
	st = hl_ioport_control_issue(HL_CAP_IOPORT_CONTROL, 0xCF8, 0xCFF, HL_CAP_CNODE, pci, MERC_DEPTH).status;
	if (st != E_OK) {
		printf("init: cannot issue the PCI configuration ports (error %ld)\n", (long)st);
		return 1;
	}
	initrd_each("drv/", add_driver, NULL);
	dm_argv[dm_argc] = NULL;
	ram_before = init_ram_free();

	struct spawn_cap caps[] = {
		{ "console", HL_CAP_CONSOLE, HL_R_ALL, 0 },
		{ "pci", pci, HL_R_ALL, 0 },
		{ "host", init_ep, HL_R_WRITE | HL_R_GRANT, INIT_BADGE_DEVMGR },
	};
	if (init_spawn("sbin/devmgr", "devmgr", caps, 3, dm_argv, NULL, 21, INIT_BADGE_PROC(0), &devmgr))
		return 1;
	/* Only devmgr holds the configuration ports now. */
	slot_free(pci);
	printf("init: started devmgr with %d driver manifests\n", dm_argc - 1);
	devhost_serve(init_ep, reply, &devmgr, strstr(merc_bootinfo->cmdline, "init.exit") ||
		      strstr(merc_bootinfo->cmdline, "poweroff"), ram_before);
	return 0;
}
