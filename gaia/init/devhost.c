/*
 * devhost.c: starting drivers for the device manager, and reaping every
 * process.
 *
 * The device manager sends (driver file, grant). We trust it to describe
 * the device truthfully (it alone reads configuration space) but not to
 * widen a driver's rights: the grant must name exactly what the driver's
 * own manifest asks for, and never the configuration ports. Each grant
 * item becomes one thing:
 *   I/O BAR   an IOPort cap for exactly its ports     (cap "barN")
 *   MMIO BAR  device frames of exactly the BAR, mapped uncached at
 *             INIT_BAR_VA(N) before the driver runs (env DEV_BARN_VA)
 *   irq       the line's IRQHandler and the notification it signals
 *             (caps "irq", "irq.note")
 *   dma       contiguous RAM mapped at INIT_DMA_VA (env DEV_DMA=paddr:size:va)
 * plus "console". Drivers run one priority below us, so mapping after
 * spawn() finishes before they start.
 *
 * Every process of ours is a child here, its fault badge INIT_BADGE_PROC
 * of its index. Once the bus is up (init.c), each child is also a bus
 * client: admitted under its name with its fault badge as bus badge and
 * given a minted "bus" cap (drivers not yet: they get exactly their
 * manifest's caps, and a manifest cannot name the bus); when it exits or faults we tell the bus
 * (gone), which withdraws its names and answers its watchers E_DEAD.
 * Resident children (the bus, the device manager while it serves) end
 * only with the run.
 */
#include <mercury/heap.h>
#include <mercury/printf.h>
#include <mercury/runtime.h>
#include <mercury/string.h>

#include "bus_client.h"
#include "devhost_server.h"
#include "devmgr.h"
#include "init.h"

/* Maps frame in c at va, making page tables from c's own memory. */
static int64_t child_map(struct child *c, hl_cptr_t frame, uint64_t va, uint64_t rights, uint64_t attrs)
{
	for (int tries = 0; tries < 4; tries++) {
		struct hl_result r = hl_frame_map(frame, c->p.vspace, va, rights, attrs);
		hl_cptr_t t;

		if (r.status != E_NOTABLE)
			return r.status;
		if (!(t = slot_alloc()) || child_keep(c, t))
			return E_NOMEM;
		if (hl_untyped_retype(c->p.memory, r.value, 0, HL_CAP_CNODE, t, MERC_DEPTH, 1).status ||
		    hl_page_table_map(t, c->p.vspace, va).status)
			return E_NOMEM;
	}
	return E_NOTABLE;
}

/* Retypes n frames from ut, one by one (so in address order), mapping them in c from va. */
static int map_frames(struct child *c, hl_cptr_t ut, uint64_t n, uint64_t va, uint64_t attrs)
{
	for (uint64_t i = 0; i < n; i++) {
		hl_cptr_t f = slot_alloc();

		if (!f || child_keep(c, f) ||
		    hl_untyped_retype(ut, HL_OBJ_FRAME, 0, HL_CAP_CNODE, f, MERC_DEPTH, 1).status ||
		    child_map(c, f, va + i * 4096, HL_R_READ | HL_R_WRITE, attrs) != E_OK)
			return -1;
	}
	return 0;
}

static unsigned log2_up(uint64_t v)
{
	unsigned b = 0;

	while ((1ull << b) < v)
		b++;
	return b;
}

/* The grant must ask for exactly what the driver's manifest names. */
static const char *check_grant(const char *file, const struct dev_grant *g, struct manifest *m)
{
	static char err[96];
	const char *text, *why;
	size_t len, tl;
	const void *image = initrd_file(file, &len);

	if (strncmp(file, "drv/", 4) || !image)
		return "no such driver in the initrd (drv/...)";
	if (manifest_find(image, len, &text, &tl, &why))
		return why;
	if (manifest_parse(text, tl, m, err, sizeof(err)))
		return err;
	for (int i = 0; i < PCI_MAX_BARS; i++)
		if ((g->bar[i].kind != PCI_BAR_NONE) != !!(m->bars & (1u << i)))
			return "grant BARs differ from the manifest's";
	if ((g->irq >= 0) != m->irq || g->dma != m->dma)
		return "grant irq or dma differs from the manifest's";
	for (int i = 0; i < PCI_MAX_BARS; i++) {
		uint64_t b = g->bar[i].base, s = g->bar[i].size;

		if (g->bar[i].kind == PCI_BAR_IO && b <= 0xCFF && b + s > 0xCF8)
			return "grant names the PCI configuration ports";
		if (g->bar[i].kind == PCI_BAR_MEM && s > INIT_BAR_MAX)
			return "MMIO BAR larger than init maps (INIT_BAR_MAX)";
	}
	return NULL;
}

/* Makes the caps of g (console, I/O BARs, IRQ) into caps[]; returns how many, or -1. */
static int make_caps(struct child *c, const struct dev_grant *g, struct spawn_cap *caps, const char **why)
{
	static char names[PCI_MAX_BARS][8];
	int n = 0;

	caps[n++] = (struct spawn_cap){ "console", HL_CAP_CONSOLE, HL_R_ALL, 0 };
	for (int i = 0; i < PCI_MAX_BARS; i++) {
		hl_cptr_t s;

		if (g->bar[i].kind != PCI_BAR_IO)
			continue;
		if (!(s = slot_alloc()) || child_keep(c, s) ||
		    hl_ioport_control_issue(HL_CAP_IOPORT_CONTROL, g->bar[i].base,
					    g->bar[i].base + g->bar[i].size - 1, HL_CAP_CNODE, s,
					    MERC_DEPTH).status)
			return *why = "cannot issue the BAR's I/O ports", -1;
		snprintf(names[i], sizeof(names[i]), "bar%d", i);
		caps[n++] = (struct spawn_cap){ names[i], s, HL_R_ALL, 0 };
	}
	if (g->irq >= 0) {
		hl_cptr_t h = slot_alloc(), note;
		int64_t st;

		if (!h || child_keep(c, h) ||
		    hl_irq_control_get(HL_CAP_IRQ_CONTROL, (uint64_t)g->irq, HL_CAP_CNODE, h, MERC_DEPTH).status)
			return *why = "cannot claim the IRQ line (taken?)", -1;
		note = pool_alloc(HL_OBJ_NOTIFICATION, 0, &st);
		if (!note || child_keep(c, note) || hl_irq_handler_set_notification(h, note).status)
			return *why = "cannot bind the IRQ to a notification", -1;
		caps[n++] = (struct spawn_cap){ "irq", h, HL_R_ALL, 0 };
		caps[n++] = (struct spawn_cap){ "irq.note", note, HL_R_READ | HL_R_WRITE, 0 };
	}
	return n;
}

/* After spawn, before the driver runs: its MMIO BARs and DMA memory. */
static const char *map_resources(struct child *c, const struct dev_grant *g)
{
	const char *why;

	for (int i = 0; i < PCI_MAX_BARS; i++) {
		uint64_t base = g->bar[i].base & ~0xFFFull, size = g->bar[i].size;
		unsigned bits = log2_up(size < 4096 ? 4096 : size);
		hl_cptr_t ut;

		if (g->bar[i].kind != PCI_BAR_MEM)
			continue;
		if (!(ut = devmem_take(base, bits, &why)))
			return why;
		if (map_frames(c, ut, (1ull << bits) / 4096, INIT_BAR_VA(i), HL_MAP_UNCACHED))
			return "cannot map the BAR's frames";
	}
	if (c->dma && map_frames(c, c->dma, g->dma / 4096, INIT_DMA_VA, 0))
		return "cannot map the DMA memory";
	return NULL;
}

static enum hl_error on_start_driver(void *ctx, uint64_t badge, const char *file, const char *grant,
			      uint64_t *pid, char *why_out)
{
	static char env[PCI_MAX_BARS + 2][DEV_GRANT_MAX + 16];
	const char *envp[PCI_MAX_BARS + 3], *why = NULL;
	struct spawn_cap caps[SPAWN_MAX_CAPS];
	struct dev_grant g;
	struct manifest m;
	struct child *c = NULL;
	struct hl_untyped_info ui;
	int ncaps, ne = 0;
	int64_t st;

	(void)ctx;
	if (badge != INIT_BADGE_DEVMGR)
		return E_PERM;
	if (!(c = child_new()))
		why = "too many processes";
	else if (dev_grant_parse(grant, &g, &why) == 0)
		why = check_grant(file, &g, &m);
	if (why)
		goto refused;
	if ((ncaps = make_caps(c, &g, caps, &why)) < 0)
		goto undo;
	snprintf(env[ne], sizeof(env[ne]), "DEV_GRANT=%s", grant);
	envp[ne] = env[ne], ne++;
	for (int i = 0; i < PCI_MAX_BARS; i++)
		if (g.bar[i].kind == PCI_BAR_MEM) {
			snprintf(env[ne], sizeof(env[ne]), "DEV_BAR%d_VA=%lx", i,
				 (unsigned long)(INIT_BAR_VA(i) + (g.bar[i].base & 0xFFF)));
			envp[ne] = env[ne], ne++;
		}
	if (g.dma) {
		if (!(c->dma = pool_alloc(HL_OBJ_UNTYPED, log2_up(g.dma), &st)) ||
		    hl_untyped_info(c->dma, &ui).status) {
			why = "no memory for DMA";
			goto undo;
		}
		snprintf(env[ne], sizeof(env[ne]), "DEV_DMA=%lx:%x:%lx", (unsigned long)ui.paddr, g.dma,
			 (unsigned long)INIT_DMA_VA);
		envp[ne] = env[ne], ne++;
	}
	envp[ne] = NULL;
	const char *argv[] = { m.name, NULL };

	/* A driver gets exactly its manifest's caps: no bus cap until a
	 * manifest can ask for one. */
	if (child_spawn(c, file, m.name, caps, (unsigned)ncaps, argv, envp, 21, NULL, 0, 0)) {
		why = "spawn refused it (see the console)";
		goto undo;
	}
	c->live = 1, c->is_driver = 1, c->state = CHILD_RUNNING, init_nlive++;
	if ((why = map_resources(c, &g))) {
		child_free(c);
		child_forget(c);
		init_nlive--;
		goto refused;
	}
	*pid = c->p.id;
	return E_OK;
undo:
	while (c->nslots)
		slot_free(c->slots[--c->nslots]);
	slot_free(c->dma);
	c->dma = 0;
refused:
	strlcpy(why_out, why, DEVHOST_START_WHY_MAX + 1);
	*pid = 0;
	return E_OK;
}

static int devmgr_done;

int devhost_devmgr_done(void)
{
	return devmgr_done;
}

static enum hl_error on_done(void *ctx, uint64_t badge, uint32_t devices, uint32_t started)
{
	(void)ctx;
	if (badge != INIT_BADGE_DEVMGR)
		return E_PERM;
	printf("init: device manager done: %u devices, %u drivers started\n", devices, started);
	devmgr_done = 1;
	init_bus_names();
	return E_OK;
}

const struct devhost_handlers devhost_handlers = { on_start_driver, on_done };
