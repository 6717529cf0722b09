/*
 * memsvc.c: shared memory (mercury/ipc/mem.ipc, docs/proc.md).
 *
 * A mem cap is init's endpoint minted with INIT_BADGE_MEM of the child that
 * holds it: the badge says whose address space a buffer goes into. A
 * buffer is one Untyped of the process pool, retyped into 4 KiB frames for
 * its first mapping (so it is physically contiguous: one address for DMA);
 * every later mapping maps copies of those frames. Its token is init's
 * endpoint minted with no right and INIT_BADGE_TOKEN of the buffer, the
 * original kept here: when a token comes back (attach), COMPARE with
 * init_ep and its badge prove it is ours (a badge cannot be changed once
 * set), and revoking our original when the buffer goes deletes every copy
 * handed out, so a stale token cannot exist. A buffer lives while some
 * process maps it; its bytes count against the quota of the process that
 * allocated it until then.
 */
#include <mercury/printf.h>
#include <mercury/runtime.h>
#include <mercury/string.h>

#include "init.h"
#include "ipc_rt.h"
#include "mem_server.h"

#define MEM_MIN_BITS	12
#define MEM_MAX_BITS	18	/* 256 KiB: one window of a process's shared area */
#define MEM_PAGES	(1u << (MEM_MAX_BITS - 12))
#define MEM_BUFFERS	32
#define MEM_MAPS	64
#define MEM_WINDOWS	64	/* per process, bits of child.mem_windows */

struct mem_buf {
	int live;
	int owner;		/* the child charged for it, or -1 once it is gone */
	unsigned bits;
	hl_cptr_t ut, token;
	uint64_t paddr;
	unsigned nmaps;
};

struct mem_map {
	int live;
	int buf, child;
	unsigned window;
	hl_cptr_t frames[MEM_PAGES];
};

static struct mem_buf bufs[MEM_BUFFERS];
static struct mem_map maps[MEM_MAPS];

static uint64_t window_va(unsigned w)
{
	return INIT_SHARED_VA + ((uint64_t)w << MEM_MAX_BITS);
}

static void buf_free(struct mem_buf *b)
{
	hl_cnode_revoke(HL_CAP_CNODE, b->token, MERC_DEPTH);	/* every token handed out */
	slot_free(b->token);
	hl_cnode_revoke(HL_CAP_CNODE, b->ut, MERC_DEPTH);	/* its frames, should any be left */
	mem_give(b->ut);
	if (b->owner >= 0)
		children[b->owner].mem_used -= 1ull << b->bits;
	memset(b, 0, sizeof(*b));
}

/* Unmaps map m (its frame caps deleted); the buffer goes with its last. */
static void unmap(struct mem_map *m)
{
	struct mem_buf *b = &bufs[m->buf];

	for (unsigned i = 0; i < (1u << (b->bits - 12)); i++)
		if (m->frames[i])
			slot_free(m->frames[i]);
	children[m->child].mem_windows &= ~(1ull << m->window);
	memset(m, 0, sizeof(*m));
	if (--b->nmaps == 0)
		buf_free(b);
}

/* Maps buffer b into child c: frames retyped from its Untyped for the
 * first mapping, copies of src's for the others. */
static enum hl_error map_into(struct mem_buf *b, int c, const struct mem_map *src, uint64_t *va)
{
	struct child *ch = &children[c];
	struct mem_map *m = NULL;
	unsigned w = 0, pages = 1u << (b->bits - 12);

	for (int i = 0; i < MEM_MAPS && !m; i++)
		if (!maps[i].live)
			m = &maps[i];
	while (w < MEM_WINDOWS && (ch->mem_windows >> w & 1))
		w++;
	if (!m || w == MEM_WINDOWS)
		return E_BUSY;		/* init's table, or the process's window, is full */
	*m = (struct mem_map){ 1, (int)(b - bufs), c, w, { 0 } };
	ch->mem_windows |= 1ull << w;
	b->nmaps++;
	for (unsigned i = 0; i < pages; i++) {
		hl_cptr_t f = slot_alloc();
		int64_t st = E_NOMEM;

		if (f)
			st = src ? hl_cnode_copy(HL_CAP_CNODE, f, MERC_DEPTH, HL_CAP_CNODE, src->frames[i], MERC_DEPTH,
						 HL_R_READ | HL_R_WRITE).status
				 : hl_untyped_retype(b->ut, HL_OBJ_FRAME, 0, HL_CAP_CNODE, f, MERC_DEPTH, 1).status;
		m->frames[i] = f;
		if (st == E_OK)
			st = child_map(ch, f, window_va(w) + i * 4096ull, HL_R_READ | HL_R_WRITE, 0);
		if (st != E_OK) {
			unmap(m);	/* what was made so far (and the buffer, if this was its first) */
			return E_NOMEM;
		}
	}
	*va = window_va(w);
	return E_OK;
}

/* Whether cap is a cap of init's own endpoint; its badge in *badge. No
 * other process can make one with a badge of its choosing: a badge, once
 * set, cannot be changed. */
static bool ours(hl_cptr_t cap, uint64_t *badge)
{
	struct hl_result id = hl_cnode_identify(HL_CAP_CNODE, cap, MERC_DEPTH, badge);

	return cap && id.status == E_OK && (id.value & 0xFF) == HL_OBJ_ENDPOINT &&
	       hl_cnode_compare(HL_CAP_CNODE, cap, MERC_DEPTH, HL_CAP_CNODE, init_ep, MERC_DEPTH).value == 1;
}

/* The buffer whose token arrived in slot t, or NULL if t is not a token of ours. */
static struct mem_buf *by_token(hl_cptr_t t)
{
	uint64_t badge = 0;
	struct mem_buf *b;

	if (!ours(t, &badge) || badge < INIT_BADGE_TOKEN(0) || badge >= INIT_BADGE_TOKEN(MEM_BUFFERS))
		return NULL;
	b = &bufs[badge - INIT_BADGE_TOKEN(0)];
	return b->live ? b : NULL;
}

static unsigned size_bits(uint32_t size)
{
	unsigned b = MEM_MIN_BITS;

	while ((1ull << b) < size)
		b++;
	return b;
}

static enum hl_error on_alloc(void *ctx, uint64_t badge, uint32_t size, uint64_t *vaddr, uint64_t *paddr,
			      hl_cptr_t *token)
{
	int c = *(int *)ctx;
	struct child *ch = &children[c];
	struct mem_buf *b = NULL;
	struct hl_untyped_info ui;
	unsigned bits = size_bits(size);
	int64_t st;
	enum hl_error err;

	(void)badge;
	if (!size || size > (1u << MEM_MAX_BITS))
		return E_RANGE;
	if (ch->mem_used + (1ull << bits) > ch->mem_quota)
		return E_NOMEM;		/* over its quota */
	for (int i = 0; i < MEM_BUFFERS && !b; i++)
		if (!bufs[i].live)
			b = &bufs[i];
	if (!b)
		return E_BUSY;
	*b = (struct mem_buf){ 1, c, bits, 0, 0, 0, 0 };
	if (!(b->ut = mem_take(bits, &st)) || hl_untyped_info(b->ut, &ui).status != E_OK ||
	    !(b->token = slot_alloc()) ||
	    hl_cnode_mint(HL_CAP_CNODE, b->token, MERC_DEPTH, HL_CAP_CNODE, init_ep, MERC_DEPTH, 0,
			  INIT_BADGE_TOKEN((uint64_t)(b - bufs))).status != E_OK) {
		mem_give(b->ut);
		slot_free(b->token);
		memset(b, 0, sizeof(*b));
		return E_NOMEM;
	}
	b->paddr = ui.paddr;
	ch->mem_used += 1ull << bits;
	if ((err = map_into(b, c, NULL, vaddr)) != E_OK)
		return err;		/* the buffer went with its mapping */
	*paddr = b->paddr;
	*token = b->token;		/* the reply carries a copy */
	return E_OK;
}

static enum hl_error on_attach(void *ctx, uint64_t badge, hl_cptr_t token, uint64_t *vaddr, uint64_t *paddr,
			       uint32_t *size)
{
	int c = *(int *)ctx;
	struct mem_buf *b = by_token(token);
	const struct mem_map *src = NULL;
	enum hl_error err;

	(void)badge;
	if (!b)
		return E_NOCAP;		/* not a token, or not ours */
	for (int i = 0; i < MEM_MAPS && !src; i++)
		if (maps[i].live && &bufs[maps[i].buf] == b)
			src = &maps[i];
	if ((err = map_into(b, c, src, vaddr)) != E_OK)
		return err;
	*paddr = b->paddr;
	*size = 1u << b->bits;
	return E_OK;
}

static enum hl_error on_detach(void *ctx, uint64_t badge, uint64_t vaddr)
{
	int c = *(int *)ctx;

	(void)badge;
	for (int i = 0; i < MEM_MAPS; i++)
		if (maps[i].live && maps[i].child == c && window_va(maps[i].window) == vaddr) {
			unmap(&maps[i]);
			return E_OK;
		}
	return E_NOCAP;
}

static enum hl_error on_info(void *ctx, uint64_t badge, uint64_t *quota, uint64_t *used, uint32_t *mapped)
{
	int c = *(int *)ctx;

	(void)badge;
	*quota = children[c].mem_quota;
	*used = children[c].mem_used;
	*mapped = 0;
	for (int i = 0; i < MEM_MAPS; i++)
		*mapped += maps[i].live && maps[i].child == c;
	return E_OK;
}

static const struct mem_handlers handlers = { on_alloc, on_attach, on_detach, on_info };

void memsvc_handle(int client, struct hl_msg *m)
{
	if (!children[client].live || !children[client].mem_quota) {
		ipc_reply_status(m, E_PERM);	/* a stale cap of a process that is gone */
		return;
	}
	mem_dispatch(&handlers, &client, INIT_BADGE_MEM(client), m);
}

hl_cptr_t memsvc_cap(struct child *c, uint64_t quota)
{
	hl_cptr_t s = slot_alloc();

	if (!s || child_keep(c, s) ||
	    hl_cnode_mint(HL_CAP_CNODE, s, MERC_DEPTH, HL_CAP_CNODE, init_ep, MERC_DEPTH, HL_R_WRITE | HL_R_GRANT,
			  INIT_BADGE_MEM((uint64_t)(c - children))).status != E_OK)
		return 0;
	c->mem_quota = quota;
	c->mem_used = 0;
	return s;
}

int memsvc_is_cap_of(hl_cptr_t cap, int client)
{
	uint64_t badge = 0;

	return ours(cap, &badge) && badge == INIT_BADGE_MEM((uint64_t)client);
}

void memsvc_gone(struct child *c)
{
	int me = (int)(c - children);

	for (int i = 0; i < MEM_MAPS; i++)
		if (maps[i].live && maps[i].child == me)
			unmap(&maps[i]);
	for (int i = 0; i < MEM_BUFFERS; i++)
		if (bufs[i].live && bufs[i].owner == me)
			bufs[i].owner = -1;	/* what others still map is no longer its charge */
	c->mem_used = c->mem_quota = 0;
	c->mem_windows = 0;
}
