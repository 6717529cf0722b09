/*
 * drvbuf.c: a driver's DMA memory and its clients' shared buffers (drvbuf.h).
 */
#include <mercury/runtime.h>
#include <mercury/string.h>

#include "drvbuf.h"
#include "mem_client.h"

bool drv_dma(struct drv_dma *d)
{
	const char *s = getenv("DEV_DMA");
	char *end;

	if (!s)
		return false;
	d->pa = strtoul(s, &end, 16);
	if (*end != ':')
		return false;
	d->size = strtoul(end + 1, &end, 16);
	if (*end != ':')
		return false;
	d->va = (uint8_t *)strtoul(end + 1, &end, 16);
	return !*end && d->size && d->va;
}

struct drv_client *drv_client(struct drv_clients *cs, uint64_t badge)
{
	for (int i = 0; i < DRV_CLIENTS; i++)
		if (cs->c[i].size && cs->c[i].badge == badge)
			return &cs->c[i];
	return NULL;
}

enum hl_error drv_client_attach(struct drv_clients *cs, uint64_t badge, hl_cptr_t token, uint32_t *size)
{
	struct drv_client *c = drv_client(cs, badge);
	uint64_t va, pa;
	uint32_t sz;
	enum hl_error st;

	for (int i = 0; i < DRV_CLIENTS && !c; i++)
		if (!cs->c[i].size)
			c = &cs->c[i];
	if (!c)
		return E_BUSY;		/* every entry is taken */
	if ((st = mem_attach(cs->mem, token, &va, &pa, &sz)) != E_OK)
		return st;		/* not a buffer's token (E_NOCAP), or no room */
	if (c->size)
		mem_detach(cs->mem, c->va);	/* its earlier buffer */
	*c = (struct drv_client){ badge, va, pa, sz };
	*size = sz;
	return E_OK;
}

bool drv_client_fits(const struct drv_client *c, uint64_t offset, uint64_t len)
{
	return c && len <= c->size && offset <= c->size - len;
}
