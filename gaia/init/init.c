/*
 * init.c: the root task. It starts, in order:
 *   the bus (sbin/bus) with the Endpoint it serves, a moved Untyped and
 *     the policy: init's own rules below plus the lines of etc/bus.rules;
 *     init is its owner (badge 1) and admits every later process;
 *   the device manager with the PCI configuration ports (which nobody
 *     else ever gets), the manifests of the drivers in drv/, an endpoint
 *     and a Reply to serve devmgr.ipc on (it registers "devmgr");
 *   every program in svc/ (console, bus, an endpoint and a Reply each, and
 *     a proc cap: the process service with INIT_PROC_BUDGET of memory);
 * then serves them (serve.c): starting the drivers the device manager asks
 * for (devhost.c), the process service (procsvc.c), and reaping every
 * process (child.c), telling the bus when one is gone.
 * Without sbin/bus, the device manager runs alone and exits when done.
 * The kernel command line word init.exit (or the kernel's own poweroff)
 * ends the run once every non-resident process has ended (tests).
 */
#include <mercury/heap.h>
#include <mercury/printf.h>
#include <mercury/runtime.h>
#include <mercury/string.h>

#include "init.h"
#include "manifest.h"

#include "bus_client.h"

#define MAX_ARGS 18
#define MAX_RULES 32

/* init's policy: the device manager's name, and everyone may look up. */
static const char *bus_argv[MAX_RULES + 2] = {
	"bus",
	"register devmgr by devmgr",
	"lookup * by *",
};
static int bus_argc = 3;

static const char *dm_argv[MAX_ARGS + 1] = { "devmgr" };
static int dm_argc = 1;

/* Adds "FILE=MANIFEST" for a driver file to devmgr's argv, and for a
 * driver that serves a bus name the rule that lets it register it. */
static void add_driver(const char *name, const void *data, size_t len, void *ctx)
{
	const char *text, *why;
	size_t tl;
	char *arg, err[96];
	struct manifest m;

	(void)ctx;
	if (manifest_find(data, len, &text, &tl, &why)) {
		printf("init: %s: %s; not a driver\n", name, why);
		return;
	}
	if (!manifest_parse(text, tl, &m, err, sizeof(err)) && m.serve[0] && bus_argc < MAX_RULES + 1 &&
	    (arg = malloc(strlen(m.serve) + strlen(m.name) + 16))) {
		snprintf(arg, strlen(m.serve) + strlen(m.name) + 16, "register %s by %s", m.serve, m.name);	/* blk*: blk0, blk1, ... */
		bus_argv[bus_argc++] = arg;
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

/* Appends the lines of etc/bus.rules (if any) to bus_argv. */
static void read_rules(void)
{
	size_t len;
	const char *f = initrd_file("etc/bus.rules", &len);
	char *text;

	if (!f || !(text = malloc(len + 1)))
		return;
	memcpy(text, f, len);
	text[len] = '\0';
	for (char *line = text, *nl; line && *line; line = nl) {
		if ((nl = strchr(line, '\n')))
			*nl++ = '\0';
		if (*line && bus_argc < MAX_RULES + 1)
			bus_argv[bus_argc++] = line;
	}
}

/* Starts sbin/bus and becomes its owner. Returns 0, or -1 (printed). */
static int start_bus(void)
{
	static const struct spawn_opts extra = { .cspace_bits = 7, .self = 1 };
	int64_t st;
	hl_cptr_t mem = pool_alloc(HL_OBJ_UNTYPED, 16, &st), ep = obj_alloc_keep(HL_OBJ_ENDPOINT, 0, &st);
	struct spawn_cap caps[] = {
		{ "console", HL_CAP_CONSOLE, HL_R_ALL, 0 },
		{ "bus.ep", ep, HL_R_ALL, 0 },
		{ "bus.memory", mem, SPAWN_MOVE, 0 },
	};

	bus_argv[bus_argc] = NULL;
	if (!mem || !ep || init_start("sbin/bus", "bus", caps, 3, bus_argv, 21, &extra, 1, &mem, 1, 0) < 0) {
		printf("init: the bus did not start: the device manager runs without it\n");
		return -1;
	}
	init_bus_ep = ep;
	init_bus_owner = slot_alloc();
	if (!init_bus_owner || hl_cnode_mint(HL_CAP_CNODE, init_bus_owner, MERC_DEPTH, HL_CAP_CNODE, ep,
					      MERC_DEPTH, HL_R_WRITE | HL_R_GRANT, 1).status ||
	    bus_admit(init_bus_owner, 1, "init") != E_OK) {
		printf("init: cannot become the bus's owner\n");
		init_bus_owner = 0;
		return -1;
	}
	printf("init: started bus with %d rules\n", bus_argc - 1);
	return 0;
}

/* Starts a program of svc/ (2 MiB) or, resident if ctx is not NULL, of
 * srv/ (4 MiB: servers keep caches) as a bus client with an endpoint and a
 * Reply. */
static void start_svc(const char *file, const void *data, size_t len, void *ctx)
{
	const char *name = strrchr(file, '/') + 1;
	const char *argv[] = { name, NULL };
	struct spawn_cap caps[3] = { { "console", HL_CAP_CONSOLE, HL_R_ALL, 0 } };
	hl_cptr_t slots[2];

	(void)data, (void)len;
	if (server_caps(caps, 1, slots) == 0 &&
	    init_start(file, name, caps, 3, argv, ctx ? 22 : 21, NULL, ctx != NULL, slots, 2, INIT_PROC_BUDGET) >= 0)
		printf("init: started %s\n", name);
}

void init_bus_names(void)
{
	hl_cptr_t s = slot_alloc();
	enum hl_error st;

	if (!init_bus_owner || !s)
		return;
	st = bus_lookup(init_bus_owner, "devmgr", s);
	printf("init: bus name devmgr: %s\n", st == E_OK ? "registered" : "not registered");
	slot_free(s);
}

int main(int argc, char **argv, char **envp)
{
	struct hl_tcb_info info;
	hl_cptr_t pci, reply, dm_slots[2];
	unsigned ncaps = 3;
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
	ram_before = init_ram_free();
	initrd_each("drv/", add_driver, NULL);	/* before the bus: drivers' rules */
	dm_argv[dm_argc] = NULL;
	read_rules();
	if (!initrd_file("sbin/bus", &len))
		printf("init: no sbin/bus in the initrd: the device manager runs without the bus\n");
	else
		start_bus();

	pci = slot_alloc();
	st = hl_ioport_control_issue(HL_CAP_IOPORT_CONTROL, 0xCF8, 0xCFF, HL_CAP_CNODE, pci, MERC_DEPTH).status;
	if (st != E_OK) {
		printf("init: cannot issue the PCI configuration ports (error %ld)\n", (long)st);
		return 1;
	}
	struct spawn_cap caps[5] = {
		{ "console", HL_CAP_CONSOLE, HL_R_ALL, 0 },
		{ "pci", pci, HL_R_ALL, 0 },
		{ "host", init_ep, HL_R_WRITE | HL_R_GRANT, INIT_BADGE_DEVMGR },
	};
	/* With the bus, devmgr serves devmgr.ipc and stays. */
	if (init_bus_owner && server_caps(caps, 3, dm_slots) == 0)
		ncaps = 5;
	if (init_start("sbin/devmgr", "devmgr", caps, ncaps, dm_argv, 21, NULL, ncaps == 5, dm_slots,
		       ncaps == 5 ? 2 : 0, 0) < 0)
		return 1;
	/* Only devmgr holds the configuration ports now. */
	slot_free(pci);
	printf("init: started devmgr with %d driver manifests\n", dm_argc - 1);
	if (init_bus_owner) {
		initrd_each("srv/", start_svc, "resident");	/* servers first: svc/ programs use them */
		initrd_each("svc/", start_svc, NULL);
	}
	init_serve(init_ep, reply, strstr(merc_bootinfo->cmdline, "init.exit") ||
		      strstr(merc_bootinfo->cmdline, "poweroff"), ram_before);
	return 0;
}
