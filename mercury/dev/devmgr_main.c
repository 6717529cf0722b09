/*
 * devmgr_main.c: the device manager (sbin/devmgr).
 *
 * Caps (by name): "console", "pci" (I/O ports 0xCF8-0xCFF: nobody else has
 * them), "host" (the root task's devhost endpoint). argv: devmgr, then one
 * "FILE=MANIFEST" per driver in the initrd (the root task reads the files;
 * we only decide). It enumerates PCI, prints one line per function with
 * its driver or "no driver", asks the root task to start each matched
 * driver with its grant and reports the totals. With a bus ("bus", and
 * "ep" and a moved "reply" to serve on) it registers the name "devmgr"
 * first and, after enumerating, serves devmgr.ipc (count, list_devices,
 * device_info) for ever; without, it exits.
 */
#include <mercury/printf.h>
#include <mercury/runtime.h>
#include <mercury/spawn.h>
#include <mercury/string.h>

#include "bus_client.h"
#include "devhost_client.h"
#include "devmgr_client.h"
#include "devmgr_server.h"
#include "devmgr.h"
#include "devmgr_prog.h"

#define MAX_DRIVERS	16
#define MAX_DEVICES	64

/* The legacy devices of a PC, which no bus enumerates: named, with their
 * ports and line. A driver probes whether its device is really there. COM1
 * is the kernel's console and not listed. */
static const struct { const char *name; struct { uint16_t base, size; } io[2]; uint8_t irq; } legacy[] = {
	{ "ps2", { { 0x60, 1 }, { 0x64, 1 } }, 1 },	/* data and command/status: 0x61 is the kernel's */
	{ "rtc", { { 0x70, 2 } }, 8 },
	{ "com2", { { 0x2F8, 8 } }, 3 },
};

static struct dev_driver drivers[MAX_DRIVERS];
static int ndrivers;
static struct pci_dev devices[MAX_DEVICES];
static int ndevices, chosen[MAX_DEVICES];	/* chosen: driver index, or -1 */
static uint64_t handles[MAX_DEVICES];		/* its driver's handle with the root task, or 0 */
static hl_cptr_t host;

/* Reads the manifests handed in argv; a bad one is reported and skipped. */
static void load_manifests(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		char err[96];

		if (!eq) {
			printf("devmgr: argument %d: expected FILE=MANIFEST\n", i);
			continue;
		}
		*eq = '\0';
		if (ndrivers == MAX_DRIVERS) {
			printf("devmgr: %s: more than %d drivers, ignored\n", argv[i], MAX_DRIVERS);
			continue;
		}
		if (manifest_parse(eq + 1, strlen(eq + 1), &drivers[ndrivers].man, err, sizeof(err))) {
			printf("devmgr: %s: bad manifest: %s\n", argv[i], err);
			continue;
		}
		drivers[ndrivers++].file = argv[i];
	}
	printf("devmgr: %d driver manifests\n", ndrivers);
}

/* Appends the legacy devices to devices[] after n PCI functions; returns the new count. */
static int add_legacy(int n)
{
	for (unsigned i = 0; i < sizeof(legacy) / sizeof(legacy[0]) && n < MAX_DEVICES; i++, n++) {
		struct pci_dev *d = &devices[n];
		memset(d, 0, sizeof(*d));
		strlcpy(d->isa, legacy[i].name, sizeof(d->isa));
		for (int k = 0; k < 2; k++)
			if (legacy[i].io[k].size)
				d->bar[k] = (struct pci_bar){ legacy[i].io[k].base, legacy[i].io[k].size, PCI_BAR_IO,
							      false, false };
		d->irq_line = legacy[i].irq, d->irq_pin = 1;
	}
	return n;
}

/* Where d is: "00:03.0", or "isa rtc". */
static const char *where(const struct pci_dev *d)
{
	static char buf[24];

	if (d->isa[0])
		snprintf(buf, sizeof(buf), "isa %s", d->isa);
	else
		snprintf(buf, sizeof(buf), "%02x:%02x.%x", d->bus, d->dev, d->fn);
	return buf;
}

static struct pci_cfg cfg;

/* Lists d and starts its driver, if any; returns 1 if one started. */
static int handle(hl_cptr_t host, const struct pci_dev *d)
{
	char desc[96], grant[DEV_GRANT_MAX], why[DEVHOST_START_WHY_MAX + 1];
	const char *err;
	uint64_t pid = 0;
	int k = dev_choose(d, drivers, ndrivers);
	enum hl_error st;

	chosen[d - devices] = k;
	dev_describe(d, desc, sizeof(desc));
	if (k < 0) {
		printf("devmgr: %s: no driver\n", desc);
		return 0;
	}
	if (dev_grant(d, &drivers[k].man, grant, sizeof(grant), &err)) {
		printf("devmgr: %s: driver %s not started: %s\n", desc, drivers[k].man.name, err);
		return 0;
	}
	printf("devmgr: %s: driver %s\n", desc, drivers[k].man.name);
	if (!d->isa[0] && (drivers[k].man.dma || drivers[k].man.mem))
		pci_enable(&cfg, d, PCI_CMD_MASTER);	/* it will give the device memory to read and write */
	why[0] = '\0';
	st = host ? devhost_start(host, drivers[k].file, grant, &pid, why) : E_NOCAP;
	if (st != E_OK || !pid) {
		printf("devmgr: %s for %s not started: %s (error %d)\n", drivers[k].man.name, where(d),
		       why[0] ? why : "the root task refused", (int)st);
		return 0;
	}
	printf("devmgr: %s for %s started (pid %lu) with %s\n", drivers[k].man.name, where(d),
	       (unsigned long)pid, grant);
	handles[d - devices] = pid;
	return 1;
}

static enum hl_error on_count(void *ctx, uint64_t badge, uint32_t *n)
{
	(void)ctx, (void)badge;
	*n = (uint32_t)ndevices;
	return E_OK;
}

static enum hl_error on_list(void *ctx, uint64_t badge, uint32_t first, uint32_t *ids, size_t *len,
			     bool *more)
{
	(void)ctx, (void)badge;
	for (*len = 0; *len < DEVMGR_LIST_DEVICES_IDS_MAX && first + *len < (uint32_t)ndevices; (*len)++)
		ids[*len] = first + (uint32_t)*len;
	*more = first + *len < (uint32_t)ndevices;
	return E_OK;
}

static enum hl_error on_info(void *ctx, uint64_t badge, uint32_t dev, char *bus, uint16_t *vendor,
			     uint16_t *device, uint32_t *class, char *driver)
{
	const struct pci_dev *d = &devices[dev];

	(void)ctx, (void)badge;
	if (dev >= (uint32_t)ndevices)
		return E_RANGE;
	strlcpy(bus, d->isa[0] ? "isa" : "pci", 4);
	*vendor = d->vendor, *device = d->device;
	*class = (uint32_t)d->class << 16 | (uint32_t)d->subclass << 8 | d->progif;
	strlcpy(driver, chosen[dev] < 0 ? "" : drivers[chosen[dev]].man.name, DEVMGR_DEVICE_INFO_DRIVER_MAX + 1);
	return E_OK;
}

/* The root task supervises drivers (restarts with backoff); we ask it. */
static enum hl_error on_status(void *ctx, uint64_t badge, uint32_t dev, uint8_t *state, uint32_t *restarts,
			       uint64_t *pid, int32_t *error)
{
	int64_t err = 0;
	enum hl_error st;

	(void)ctx, (void)badge;
	if (dev >= (uint32_t)ndevices)
		return E_RANGE;
	if (!handles[dev]) {
		*state = 0, *restarts = 0, *pid = 0, *error = 0;
		return E_OK;
	}
	st = devhost_status(host, handles[dev], state, restarts, pid, &err);
	*error = (int32_t)err;
	return st;
}

static enum hl_error on_restart(void *ctx, uint64_t badge, uint32_t dev)
{
	(void)ctx, (void)badge;
	if (dev >= (uint32_t)ndevices)
		return E_RANGE;
	if (!handles[dev])
		return E_NOCAP;		/* no driver for it */
	return devhost_restart(host, handles[dev]);
}

/* Serves devmgr.ipc on ep for ever. */
static void serve(hl_cptr_t ep, hl_cptr_t reply)
{
	static const struct devmgr_handlers h = { on_count, on_list, on_info, on_status, on_restart };

	for (;;) {
		struct hl_msg m = { 0, { 0, 0, 0, 0 } };
		struct hl_result r = hl_recv(ep, reply, &m);

		if (r.status != E_OK)
			continue;
		devmgr_dispatch(&h, NULL, r.value, &m);
		hl_reply(reply, &m);
	}
}

int main(int argc, char **argv, char **envp)
{
	hl_cptr_t io = proc_cap("pci"), bus = proc_cap("bus");
	hl_cptr_t ep = proc_cap("ep"), reply = proc_cap("reply");
	enum hl_error st = E_NOCAP;
	int n, started = 0;

	(void)envp;
	host = proc_cap("host");
	if (!io) {
		printf("devmgr: no \"pci\" cap (I/O ports 0xCF8-0xCFF): cannot enumerate\n");
		return 2;
	}
	if (bus && ep && reply && (st = bus_register(bus, "devmgr", ep)) != E_OK)
		printf("devmgr: cannot register \"devmgr\" on the bus (error %d)\n", (int)st);
	load_manifests(argc, argv);
	devcfg_ioport(&cfg, io);
	n = pci_scan(&cfg, devices, MAX_DEVICES);
	printf("devmgr: %d PCI functions\n", n);
	if (n > MAX_DEVICES)
		n = MAX_DEVICES;
	ndevices = add_legacy(n);
	printf("devmgr: %d legacy devices\n", ndevices - n);
	n = ndevices;
	for (int i = 0; i < n; i++)
		started += handle(host, &devices[i]);
	printf("devmgr: %d devices, %d drivers started\n", n, started);
	if (host)
		devhost_done(host, (uint32_t)n, (uint32_t)started);
	if (st == E_OK)
		serve(ep, reply);
	return 0;
}
