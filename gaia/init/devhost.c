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

/* Makes the caps of g and m (console, I/O BARs, IRQ, Timer, mem) into caps[];
 * returns how many, or -1; *note: the notification the IRQ (badge 1) and the
 * Timer (badge 2) signal, to bind to the driver's thread, or 0. */
static int make_caps(struct child *c, const struct dev_grant *g, const struct manifest *m,
		     struct spawn_cap *caps, hl_cptr_t *note, const char **why)
{
	static char names[PCI_MAX_BARS][8];
	int n = 0;
	int64_t st;

	*note = 0;
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
	if (g->irq >= 0 || m->timer) {
		if (!(*note = pool_alloc(HL_OBJ_NOTIFICATION, 0, &st)) || child_keep(c, *note))
			return *why = "no notification for the IRQ or timer", -1;
	}
	if (g->irq >= 0) {
		hl_cptr_t h = slot_alloc();

		if (!h || child_keep(c, h) ||
		    (g->isa[0] ? hl_irq_control_get : hl_irq_control_get_shared)(HL_CAP_IRQ_CONTROL, (uint64_t)g->irq,
										 HL_CAP_CNODE, h, MERC_DEPTH).status)
			return *why = "cannot claim the IRQ line (taken?)", -1;	/* PCI lines are shared, ISA ones not */
		if (hl_irq_handler_set_notification(h, *note).status)
			return *why = "cannot bind the IRQ to a notification", -1;
		caps[n++] = (struct spawn_cap){ "irq", h, HL_R_ALL, 0 };
		caps[n++] = (struct spawn_cap){ "irq.note", *note, HL_R_READ | HL_R_WRITE, 0 };
	}
	if (m->timer) {
		hl_cptr_t t = pool_alloc(HL_OBJ_TIMER, 0, &st);

		if (!t || child_keep(c, t))
			return *why = "no Timer for it", -1;
		caps[n++] = (struct spawn_cap){ "timer", t, HL_R_ALL, 0 };
		caps[n++] = (struct spawn_cap){ "timer.note", *note, HL_R_WRITE, 2 };	/* minted: badge 2 */
	}
	if (m->mem) {
		hl_cptr_t mem = memsvc_cap(c, INIT_MEM_QUOTA);

		if (!mem)
			return *why = "no mem cap for it", -1;
		caps[n++] = (struct spawn_cap){ "mem", mem, HL_R_WRITE | HL_R_GRANT, 0 };
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
		c->devmem[i] = ut;
		if (map_frames(c, ut, (1ull << bits) / 4096, INIT_BAR_VA(i), HL_MAP_UNCACHED))
			return "cannot map the BAR's frames";
	}
	if (c->dma && map_frames(c, c->dma, g->dma / 4096, INIT_DMA_VA, 0))
		return "cannot map the DMA memory";
	return NULL;
}

/*
 * Supervision. Each driver started for the device manager has a record
 * that outlives its processes: the file and grant to start it again, its
 * handle (the first pid, what the device manager knows it by), and its
 * restarts. A driver that faults or exits non-zero is started again after
 * DRV_BACKOFF_MS, doubling with each failure in a row, until DRV_RESTARTS
 * failures in a row (a run of DRV_GOOD_US or more resets the count); one
 * that exits 0 has finished. The delays are a Timer's (the kernel's tick).
 */
#define MAX_DRIVERS	16
#define DRV_RESTARTS	5
#define DRV_BACKOFF_MS	100
#define DRV_GOOD_US	5000000ull

enum { DRV_NONE, DRV_RESTARTING, DRV_RUNNING, DRV_FAILED, DRV_FINISHED };

struct driver_rec {
	char file[65], grant[DEV_GRANT_MAX + 1], name[32];
	char serve[MAN_SERVE_MAX + 8];	/* the bus name it serves ("blk1" for "blk*"), kept over restarts */
	int child;			/* its process now, or -1 */
	uint64_t handle, pid;
	unsigned restarts, failures;	/* in all, and in a row */
	int state, restart_now;
	int64_t error;			/* the last fault type, or exit code */
	uint64_t started_us, due_us;	/* when it started; when it is to start again */
	uint64_t ended_us;		/* when it last ended */
};

static struct driver_rec drivers[MAX_DRIVERS];
static hl_cptr_t drv_timer, drv_note;

static uint64_t now_us(void)
{
	return drv_timer ? hl_timer_now(drv_timer).value : 0;
}

void devhost_init(void)
{
	int64_t st;

	drv_timer = obj_alloc_keep(HL_OBJ_TIMER, 0, &st);
	drv_note = obj_alloc_keep(HL_OBJ_NOTIFICATION, 0, &st);
	if (!drv_timer || !drv_note || hl_tcb_bind_notification(HL_CAP_TCB, drv_note).status != E_OK) {
		printf("init: no restart timer: failed drivers restart at once\n");
		drv_timer = 0;
	}
}

/* The bus name r serves: serve itself, or for "blk*" blk and the lowest
 * number no other driver's name has. */
static void name_instance(struct driver_rec *r, const char *serve)
{
	size_t n = strlen(serve);

	if (serve[n - 1] != '*') {
		strlcpy(r->serve, serve, sizeof(r->serve));
		return;
	}
	for (unsigned k = 0;; k++) {
		bool taken = false;

		snprintf(r->serve, sizeof(r->serve), "%.*s%u", (int)(n - 1), serve, k);
		for (int i = 0; i < MAX_DRIVERS; i++)
			taken |= &drivers[i] != r && !strcmp(drivers[i].serve, r->serve);
		if (!taken)
			return;
	}
}

/* Starts the driver of record d; NULL, or why not. */
static const char *driver_launch(struct driver_rec *r)
{
	static char env[PCI_MAX_BARS + 3][DEV_GRANT_MAX + 16];
	const char *envp[PCI_MAX_BARS + 4], *why = NULL;
	struct spawn_cap caps[SPAWN_MAX_CAPS];
	struct dev_grant g;
	struct manifest m;
	struct child *c;
	struct hl_untyped_info ui;
	int ncaps, ne = 0;
	int64_t st;

	if (!(c = child_new()))
		return "too many processes";
	if (dev_grant_parse(r->grant, &g, &why) || (why = check_grant(r->file, &g, &m)))
		return why;
	hl_cptr_t note;
	if ((ncaps = make_caps(c, &g, &m, caps, &note, &why)) < 0)
		goto undo;
	snprintf(env[ne], sizeof(env[ne]), "DEV_GRANT=%s", r->grant);
	envp[ne] = env[ne], ne++;
	for (int i = 0; i < PCI_MAX_BARS; i++)
		if (g.bar[i].kind == PCI_BAR_MEM) {
			snprintf(env[ne], sizeof(env[ne]), "DEV_BAR%d_VA=%lx", i,
				 (unsigned long)(INIT_BAR_VA(i) + (g.bar[i].base & 0xFFF)));
			envp[ne] = env[ne], ne++;
		}
	if (g.dma) {
		if (!(c->dma = mem_take(log2_up(g.dma), &st)) || hl_untyped_info(c->dma, &ui).status) {
			why = "no memory for DMA";
			goto undo;
		}
		snprintf(env[ne], sizeof(env[ne]), "DEV_DMA=%lx:%x:%lx", (unsigned long)ui.paddr, g.dma,
			 (unsigned long)INIT_DMA_VA);
		envp[ne] = env[ne], ne++;
	}
	if (m.serve[0]) {
		if (!r->serve[0])
			name_instance(r, m.serve);
		snprintf(env[ne], sizeof(env[ne]), "DEV_SERVE=%s", r->serve);
		envp[ne] = env[ne], ne++;
	}
	envp[ne] = NULL;
	const char *argv[] = { m.name, NULL };

	/* A driver gets exactly its manifest's caps; one that serves a name
	 * on the bus also an endpoint, a Reply and its bus cap (admitted
	 * under its driver name, which init's rules let register that name). */
	hl_cptr_t srv[2];
	static const char *const spare[] = { "reply1", "reply2", "reply3" };
	if (m.serve[0]) {
		if (ncaps + 6 > SPAWN_MAX_CAPS || server_caps(caps, (unsigned)ncaps, srv)) {
			why = "no endpoint or Reply for it to serve on";
			goto undo;
		}
		child_keep(c, srv[0]);
		child_keep(c, srv[1]);
		ncaps += 2;
		for (unsigned i = 0; i < 3; i++) {	/* to keep calls waiting (a read with a timeout) */
			hl_cptr_t r = pool_alloc(HL_OBJ_REPLY, 0, &st);
			if (!r || child_keep(c, r)) {
				why = "no spare Replies for it";
				goto undo;
			}
			caps[ncaps++] = (struct spawn_cap){ spare[i], r, SPAWN_MOVE, 0 };
		}
	}
	if (child_spawn(c, r->file, m.name, caps, (unsigned)ncaps, argv, envp, 21, NULL, m.serve[0] != 0, 0)) {
		why = "spawn refused it (see the console)";
		goto undo;
	}
	/* A serving driver is resident, like the bus: the run may end without it. */
	c->live = 1, c->is_driver = 1, c->state = CHILD_RUNNING, c->resident = m.serve[0] != 0;
	init_nlive += !c->resident;
	/* A server hears its IRQ and timer as notifications on its endpoint. */
	if (m.serve[0] && note && hl_tcb_bind_notification(c->p.tcb, note).status != E_OK)
		why = "cannot bind its notification to its thread";
	if (why || (why = map_resources(c, &g))) {
		child_free(c);
		child_forget(c);
		init_nlive -= !c->resident;
		return why;
	}
	strlcpy(r->name, m.name, sizeof(r->name));
	c->driver = (int)(r - drivers);
	r->child = (int)(c - children);
	r->pid = c->p.id;
	r->state = DRV_RUNNING;
	r->started_us = now_us();
	return NULL;
undo:
	while (c->nslots)
		slot_free(c->slots[--c->nslots]);
	mem_give(c->dma);
	c->dma = 0;
	return why;
}

static enum hl_error on_start_driver(void *ctx, uint64_t badge, const char *file, const char *grant,
				     uint64_t *pid, char *why_out)
{
	struct driver_rec *r = NULL;
	const char *why = "too many drivers";

	(void)ctx;
	if (badge != INIT_BADGE_DEVMGR)
		return E_PERM;
	*pid = 0;
	for (int i = 0; i < MAX_DRIVERS && !r; i++)
		if (drivers[i].state == DRV_NONE)
			r = &drivers[i];
	if (r) {
		memset(r, 0, sizeof(*r));
		r->child = -1;
		strlcpy(r->file, file, sizeof(r->file));
		strlcpy(r->grant, grant, sizeof(r->grant));
		if (!(why = driver_launch(r)))
			*pid = r->handle = r->pid;
		else
			memset(r, 0, sizeof(*r));
	}
	if (why)
		strlcpy(why_out, why, DEVHOST_START_WHY_MAX + 1);
	return E_OK;
}

/* Arms the timer for the earliest pending restart. */
static void arm(void)
{
	uint64_t first = 0, now = now_us();

	for (int i = 0; i < MAX_DRIVERS; i++)
		if (drivers[i].state == DRV_RESTARTING && (!first || drivers[i].due_us < first))
			first = drivers[i].due_us;
	if (first && drv_timer)
		hl_timer_set(drv_timer, drv_note, first > now ? first - now : 0, 0);
}

static void relaunch(struct driver_rec *r);

/* r failed (what: how): it starts again after its backoff, or is given up. */
static void failed(struct driver_rec *r, const char *what)
{
	uint64_t now = now_us(), delay_ms;

	if (now - r->started_us >= DRV_GOOD_US)
		r->failures = 0;	/* it had run well: a new series */
	if (++r->failures > DRV_RESTARTS) {
		printf("init: driver %s failed %d times in a row; giving up\n", r->name, DRV_RESTARTS + 1);
		r->state = DRV_FAILED;
		return;
	}
	delay_ms = (uint64_t)DRV_BACKOFF_MS << (r->failures - 1);
	printf("init: driver %s %s; restart %u of %d in %lu ms\n", r->name, what, r->failures, DRV_RESTARTS,
	       (unsigned long)delay_ms);
	r->state = DRV_RESTARTING;
	r->due_us = now + delay_ms * 1000;
	arm();
}

static void relaunch(struct driver_rec *r)
{
	const char *why = driver_launch(r);

	r->restarts++;
	if (!why) {
		printf("init: driver %s restarted (pid %lu, restart %u, %lu ms after it ended)\n", r->name,
		       (unsigned long)r->pid, r->restarts, (unsigned long)((now_us() - r->ended_us) / 1000));
		return;
	}
	printf("init: driver %s could not start again: %s\n", r->name, why);
	failed(r, "did not start");
}

void devhost_timer(void)
{
	uint64_t now = now_us();

	for (int i = 0; i < MAX_DRIVERS; i++)
		if (drivers[i].state == DRV_RESTARTING && drivers[i].due_us <= now)
			relaunch(&drivers[i]);
	arm();
}

int devhost_restarts_pending(void)
{
	int n = 0;

	for (int i = 0; i < MAX_DRIVERS; i++)
		n += drivers[i].state == DRV_RESTARTING;
	return n;
}

void devhost_driver_ended(int d, int how, int64_t code, uint64_t fault, uint64_t addr)
{
	struct driver_rec *r = &drivers[d];

	(void)addr;
	r->child = -1;
	r->ended_us = now_us();
	r->error = how == PROC_HOW_FAULTED ? (int64_t)fault : code;
	if (r->restart_now) {		/* restart asked for: at once, no failure counted */
		r->restart_now = 0;
		relaunch(r);
		return;
	}
	if (how == PROC_HOW_EXITED && code == 0) {
		r->state = DRV_FINISHED;
		return;
	}
	failed(r, how == PROC_HOW_FAULTED ? "faulted" : "exited with an error");
}

static struct driver_rec *by_handle(uint64_t handle)
{
	for (int i = 0; i < MAX_DRIVERS; i++)
		if (drivers[i].state != DRV_NONE && drivers[i].handle == handle)
			return &drivers[i];
	return NULL;
}

/* The driver record a devmgr request names: E_PERM when not from the
 * device manager, E_NOCAP when no driver has that handle. */
static enum hl_error devmgr_record(uint64_t badge, uint64_t handle, struct driver_rec **r)
{
	if (badge != INIT_BADGE_DEVMGR)
		return E_PERM;
	return (*r = by_handle(handle)) ? E_OK : E_NOCAP;
}

static enum hl_error on_status(void *ctx, uint64_t badge, uint64_t handle, uint8_t *state,
			       uint32_t *restarts, uint64_t *pid, int64_t *error)
{
	struct driver_rec *r;
	enum hl_error e = devmgr_record(badge, handle, &r);

	(void)ctx;
	if (e != E_OK)
		return e;
	*state = (uint8_t)r->state, *restarts = r->restarts, *error = r->error;
	*pid = r->child >= 0 ? r->pid : 0;
	return E_OK;
}

static enum hl_error on_restart(void *ctx, uint64_t badge, uint64_t handle)
{
	struct driver_rec *r;
	enum hl_error e = devmgr_record(badge, handle, &r);

	(void)ctx;
	if (e != E_OK)
		return e;
	printf("init: driver %s: restart asked for\n", r->name);
	if (r->child >= 0) {
		r->restart_now = 1;
		child_end(&children[r->child], PROC_HOW_KILLED, 0, 0, 0);
	} else {
		r->failures = 0;
		relaunch(r);
	}
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

const struct devhost_handlers devhost_handlers = { on_start_driver, on_done, on_status, on_restart };
