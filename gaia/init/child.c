/*
 * child.c: the processes init started, for every purpose (the bus, the
 * device manager, drivers, svc/ programs, and what proc clients start):
 * their table, spawning them, what init keeps for each, and taking it all
 * back when one ends.
 *
 * Every process of ours is a child here, its fault badge INIT_BADGE_PROC
 * of its index. Once the bus is up (init.c), each child is also a bus
 * client: admitted under its name with its fault badge as bus badge and
 * given a minted "bus" cap (drivers and what proc clients start are not:
 * they get exactly the caps they were granted); when it exits or faults we
 * tell the bus (gone), which withdraws its names and answers its watchers
 * E_DEAD. Resident children (the bus, the device manager while it serves)
 * end only with the run.
 */
#include <mercury/heap.h>
#include <mercury/printf.h>
#include <mercury/runtime.h>
#include <mercury/string.h>

#include "bus_client.h"
#include "init.h"


struct child children[INIT_MAX_PROCS];
int init_nlive;	/* children that are not resident */
hl_cptr_t init_ep, init_pool, init_bus_ep, init_bus_owner;
unsigned init_priority;

hl_cptr_t pool_alloc(uint64_t type, unsigned bits, int64_t *st)
{
	hl_cptr_t s = slot_alloc();

	*st = s ? hl_untyped_retype(init_pool, type, bits, HL_CAP_CNODE, s, MERC_DEPTH, 1).status : E_RANGE;
	if (*st == E_OK)
		return s;
	slot_free(s);
	return 0;
}

/*
 * Process memory. The pool is carved by watermark: what a process had
 * comes back to the pool only once nothing else is carved from it. So the
 * Untyped of a process that ended is kept, by size, for the next process
 * of that size (spawn revoked it: it is empty again), and given back to
 * the pool only at the end of the run.
 */
#define MEM_BITS_MAX	24
#define MEM_KEPT	16

static hl_cptr_t mem_kept[MEM_BITS_MAX + 1][MEM_KEPT];
static unsigned mem_nkept[MEM_BITS_MAX + 1];

hl_cptr_t mem_take(unsigned bits, int64_t *st)
{
	if (bits <= MEM_BITS_MAX && mem_nkept[bits]) {
		*st = E_OK;
		return mem_kept[bits][--mem_nkept[bits]];
	}
	return pool_alloc(HL_OBJ_UNTYPED, bits, st);
}

void mem_give(hl_cptr_t ut)
{
	struct hl_untyped_info ui;
	unsigned bits;

	if (!ut || hl_untyped_info(ut, &ui).status != E_OK)
		return;
	bits = (unsigned)ui.size_bits;
	if (bits <= MEM_BITS_MAX && mem_nkept[bits] < MEM_KEPT)
		mem_kept[bits][mem_nkept[bits]++] = ut;
	else
		slot_free(ut);
}

/* Every kept Untyped goes back to the pool. */
static void mem_release(void)
{
	for (unsigned b = 0; b <= MEM_BITS_MAX; b++)
		while (mem_nkept[b])
			slot_free(mem_kept[b][--mem_nkept[b]]);
}

int server_caps(struct spawn_cap *caps, unsigned n, hl_cptr_t *slots)
{
	int64_t st;

	slots[0] = pool_alloc(HL_OBJ_ENDPOINT, 0, &st);
	slots[1] = pool_alloc(HL_OBJ_REPLY, 0, &st);
	caps[n] = (struct spawn_cap){ "ep", slots[0], HL_R_ALL, 0 };
	caps[n + 1] = (struct spawn_cap){ "reply", slots[1], SPAWN_MOVE, 0 };
	if (slots[0] && slots[1])
		return 0;
	slot_free(slots[0]);
	slot_free(slots[1]);
	return -1;
}

int child_keep(struct child *c, hl_cptr_t s)
{
	if (c->nslots == INIT_CHILD_SLOTS)
		return -1;
	c->slots[c->nslots++] = s;
	return 0;
}

/* Maps frame in c at va, making page tables from c's own memory. */
int64_t child_map(struct child *c, hl_cptr_t frame, uint64_t va, uint64_t rights, uint64_t attrs)
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

/* Everything of c goes back: the process, then what we kept for it. */
void child_free(struct child *c)
{
	hl_cptr_t memory = c->p.memory;

	memsvc_gone(c);		/* its shared mappings, while its tables exist */
	proc_destroy(&c->p);	/* moved caps come back to their slots first */
	c->p.memory = memory;
	while (c->nslots) {
		hl_cptr_t s = c->slots[--c->nslots];

		/* Copies first: a client's copy of the endpoint it served, say,
		 * so that calls to a process that is gone fail (E_DEAD, E_NOCAP)
		 * instead of waiting for ever. */
		hl_cnode_revoke(HL_CAP_CNODE, s, MERC_DEPTH);
		slot_free(s);	/* frames, tables, caps */
	}
	for (unsigned i = 0; i < sizeof(c->devmem) / sizeof(c->devmem[0]); i++) {
		devmem_give(c->devmem[i]);
		c->devmem[i] = 0;
	}
	mem_give(c->dma);
	mem_give(c->p.memory);
	c->dma = 0;
	c->live = 0;
}

/* A free child, or NULL. */
struct child *child_new(void)
{
	for (int i = 0; i < INIT_MAX_PROCS; i++)
		if (!children[i].live && children[i].state == CHILD_FREE) {
			memset(&children[i], 0, sizeof(children[i]));
			children[i].parent = -1;
			children[i].driver = -1;
			return &children[i];
		}
	return NULL;
}

void child_forget(struct child *c)
{
	c->state = CHILD_FREE;
	c->parent = -1;
}

/* Gives c a proc cap (init's endpoint with its client badge) with budget. */
static int proc_client(struct child *c, uint64_t budget, struct spawn_cap *caps, unsigned *ncaps)
{
	hl_cptr_t s = slot_alloc();

	if (!s || child_keep(c, s) || hl_cnode_mint(HL_CAP_CNODE, s, MERC_DEPTH, HL_CAP_CNODE, init_ep, MERC_DEPTH,
						    HL_R_WRITE | HL_R_GRANT,
						    INIT_BADGE_CLIENT((unsigned)(c - children))).status)
		return -1;
	c->budget = budget;
	caps[(*ncaps)++] = (struct spawn_cap){ "proc", s, HL_R_WRITE | HL_R_GRANT, 0 };
	return 0;
}

/* Admits c on the bus under name and adds its "bus" cap to caps. */
static int bus_client(struct child *c, const char *name, struct spawn_cap *caps, unsigned *ncaps)
{
	uint64_t badge = INIT_BADGE_PROC((unsigned)(c - children));
	hl_cptr_t s = slot_alloc();
	enum hl_error st;

	if (!s || child_keep(c, s) || hl_cnode_mint(HL_CAP_CNODE, s, MERC_DEPTH, HL_CAP_CNODE, init_bus_ep,
					       MERC_DEPTH, HL_R_WRITE | HL_R_GRANT, badge).status)
		return printf("init: %s: no slot for its bus cap\n", name), -1;
	if ((st = bus_admit(init_bus_owner, badge, name)) != E_OK)
		return printf("init: %s: the bus refused to admit it (error %d)\n", name, (int)st), -1;
	c->on_bus = 1;
	caps[(*ncaps)++] = (struct spawn_cap){ "bus", s, HL_R_WRITE | HL_R_GRANT, 0 };
	return 0;
}

/* Spawns file into c (fault badge by its index), a bus client if on_bus
 * and the bus is up; extra, if not NULL, gives cspace_bits and self. */
int child_spawn(struct child *c, const char *file, const char *name, const struct spawn_cap *caps,
		       unsigned ncaps, const char *const *argv, const char *const *envp, unsigned mem_bits,
		       const struct spawn_opts *extra, int on_bus, uint64_t proc_budget)
{
	struct spawn_cap all[SPAWN_MAX_CAPS];
	uint64_t badge = INIT_BADGE_PROC((unsigned)(c - children));

	if (ncaps + (on_bus != 0) + 2 * (proc_budget != 0) + 1 > SPAWN_MAX_CAPS)	/* + self.cnode */
		return E_RANGE;
	memcpy(all, caps, ncaps * sizeof(all[0]));
	if (on_bus && init_bus_owner && bus_client(c, name, all, &ncaps))
		return E_NOCAP;	/* not admitted */
	if (proc_budget && proc_client(c, proc_budget, all, &ncaps))
		return E_NOCAP;
	if (proc_budget) {	/* a proc client shares memory with what it starts */
		hl_cptr_t mem = memsvc_cap(c, INIT_MEM_QUOTA);

		if (!mem)
			return E_NOCAP;
		all[ncaps++] = (struct spawn_cap){ "mem", mem, HL_R_WRITE | HL_R_GRANT, 0 };
	}
	if (init_spawn_opts(file, name, all, ncaps, argv, envp, mem_bits, badge, extra, &c->p)) {
		if (c->on_bus)
			bus_gone(init_bus_owner, badge);
		c->on_bus = 0;
		return E_INVAL;
	}
	return E_OK;
}

int init_start(const char *file, const char *name, const struct spawn_cap *caps, unsigned ncaps,
	       const char *const *argv, unsigned mem_bits, const struct spawn_opts *extra, int resident,
	       const hl_cptr_t *moved, unsigned nmoved, uint64_t proc_budget)
{
	struct child *c = child_new();

	if (!c) {
		printf("init: %s: too many processes\n", file);
		return -1;
	}
	for (unsigned i = 0; i < nmoved; i++)
		child_keep(c, moved[i]);
	if (child_spawn(c, file, name, caps, ncaps, argv, NULL, mem_bits, extra, 1, proc_budget)) {
		while (c->nslots)
			slot_free(c->slots[--c->nslots]);
		return -1;
	}
	c->live = 1, c->resident = resident;
	c->state = CHILD_RUNNING;
	init_nlive += !resident;
	return (int)(c - children);
}

int init_spawn_opts(const char *file, const char *name, const struct spawn_cap *caps, unsigned ncaps,
		    const char *const *argv, const char *const *envp, unsigned mem_bits, uint64_t badge,
		    const struct spawn_opts *extra, struct proc *p)
{
	struct spawn_opts o;
	const char *why = "";
	size_t len;
	const void *image = initrd_file(file, &len);
	int64_t st;
	int err;

	if (!image) {
		printf("init: %s: not in the initrd\n", file);
		return E_NOCAP;
	}
	memset(&o, 0, sizeof(o));
	o.name = name, o.image = image, o.image_len = len, o.argv = argv, o.envp = envp;
	o.caps = caps, o.ncaps = ncaps, o.priority = init_priority - 1;
	o.fault_ep = init_ep, o.fault_badge = badge;
	if (extra)
		o.cspace_bits = extra->cspace_bits, o.self = extra->self;
	o.self_cnode = 1;	/* every process manages its own slots (slot_free) */
	o.memory = mem_take(mem_bits, &st);
	if (!o.memory) {
		printf("init: %s: no memory for it (error %ld)\n", file, (long)st);
		return (int)st;
	}
	err = spawn(&o, p, &why);
	if (err) {
		printf("init: %s: spawn: %s (error %d)\n", file, why, err);
		mem_give(o.memory);
	}
	return err;
}

/* Stops c and takes everything back; how it ended stays for its parent's
 * wait (a process a proc client started), or is forgotten (ours). */
void child_end(struct child *c, int how, int64_t code, uint64_t fault, uint64_t addr)
{
	hl_tcb_suspend(c->p.tcb);
	if (c->on_bus && bus_gone(init_bus_owner, c->p.fault_badge) == E_OK)
		printf("init: told the bus %s is gone\n", c->p.name);
	init_nlive -= !c->resident;
	child_free(c);
	c->how = (uint8_t)how, c->code = code, c->fault = fault, c->addr = addr;
	c->state = CHILD_ENDED;
	procsvc_ended(c);
	if (c->driver >= 0)
		devhost_driver_ended(c->driver, how, code, fault, addr);
	if (c->parent < 0)
		child_forget(c);
}

/* A fault or exit message from child c (mr0 type, mr1 code or address). */
void child_reap(struct child *c, const struct hl_msg *m)
{
	uint64_t type = m->mr[0];

	if (type == HL_FAULT_EXIT) {
		printf("init: %s exited with status %ld\n", c->p.name, (long)m->mr[1]);
		child_end(c, PROC_HOW_EXITED, (int64_t)m->mr[1], 0, 0);
	} else {
		printf("init: %s faulted: type %lu at 0x%lx; stopped and removed\n", c->p.name,
		       (unsigned long)type, (unsigned long)m->mr[1]);
		child_end(c, PROC_HOW_FAULTED, 0, type, m->mr[1]);
	}
}

/* Ends the run: every resident child destroyed, the pool checked. */
void init_finish(uint64_t ram_before)
{
	uint64_t after;

	for (int i = INIT_MAX_PROCS - 1; i >= 0; i--)	/* the bus, child 0, last */
		if (children[i].live)
			child_free(&children[i]);
	mem_release();
	after = init_ram_free();
	printf("init: every process has ended; process pool free: %lu bytes before "
	       "the bus and the device manager, %lu after (%ld lost)\n", (unsigned long)ram_before,
	       (unsigned long)after, (long)(ram_before - after));
	exit(0);
}

uint64_t init_ram_free(void)
{
	return hl_untyped_info(init_pool, NULL).value;
}

