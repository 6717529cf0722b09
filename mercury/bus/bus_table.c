/*
 * bus_table.c: the bus's tables, fixed arrays scanned linearly: a bus
 * serves tens of names and clients, and fixed sizes mean the bus never
 * allocates after start-up.
 */
#include <mercury/string.h>
#include <helios/errors.h>
#include "bus_table.h"

void bus_table_init(struct bus_table *t)
{
	memset(t, 0, sizeof(*t));
	t->client[0].badge = BUS_OWNER_BADGE;
	strcpy(t->client[0].name, "owner");
}

struct bus_client *bus_client_find(struct bus_table *t, uint64_t badge)
{
	if (badge == 0)
		return NULL;
	for (unsigned i = 0; i < BUS_CLIENTS_MAX; i++)
		if (t->client[i].badge == badge)
			return &t->client[i];
	return NULL;
}

int bus_client_add(struct bus_table *t, uint64_t badge, const char *name)
{
	if (bus_client_find(t, badge))
		return E_EXIST;
	for (unsigned i = 0; i < BUS_CLIENTS_MAX; i++) {
		struct bus_client *c = &t->client[i];

		if (c->badge == 0) {
			c->badge = badge;
			strncpy(c->name, name, BUS_CLIENT_MAX);
			c->name[BUS_CLIENT_MAX] = 0;
			return E_OK;
		}
	}
	return E_NOMEM;
}

void bus_client_remove(struct bus_client *c)
{
	memset(c, 0, sizeof(*c));
}

struct bus_entry *bus_entry_find(struct bus_table *t, const char *name)
{
	for (unsigned i = 0; i < BUS_ENTRIES_MAX; i++)
		if (t->entry[i].name[0] && !strcmp(t->entry[i].name, name))
			return &t->entry[i];
	return NULL;
}

struct bus_entry *bus_entry_add(struct bus_table *t, const char *name, uint64_t owner, uint64_t ep)
{
	for (unsigned i = 0; i < BUS_ENTRIES_MAX; i++) {
		struct bus_entry *e = &t->entry[i];

		if (!e->name[0]) {
			strncpy(e->name, name, BUS_NAME_MAX);
			e->name[BUS_NAME_MAX] = 0;
			e->owner = owner;
			e->ep = ep;
			return e;
		}
	}
	return NULL;
}

struct bus_entry *bus_entry_of(struct bus_table *t, uint64_t owner)
{
	for (unsigned i = 0; i < BUS_ENTRIES_MAX; i++)
		if (t->entry[i].name[0] && t->entry[i].owner == owner)
			return &t->entry[i];
	return NULL;
}

struct bus_pending *bus_pending_alloc(struct bus_table *t)
{
	for (unsigned i = 0; i < BUS_PENDING_MAX; i++)
		if (t->pending[i].kind == BUS_PEND_FREE)
			return &t->pending[i];
	return NULL;
}

struct bus_pending *bus_pending_next(struct bus_table *t, struct bus_pending *prev,
				     enum bus_pending_kind kind, const char *name)
{
	unsigned i = prev ? (unsigned)(prev - t->pending) + 1 : 0;

	for (; i < BUS_PENDING_MAX; i++) {
		struct bus_pending *p = &t->pending[i];

		if (p->kind == kind && (!name || !strcmp(p->name, name)))
			return p;
	}
	return NULL;
}

uint64_t bus_pending_deadline(const struct bus_table *t)
{
	uint64_t best = 0;

	for (unsigned i = 0; i < BUS_PENDING_MAX; i++) {
		const struct bus_pending *p = &t->pending[i];

		if (p->kind == BUS_PEND_WAIT && p->deadline && (!best || p->deadline < best))
			best = p->deadline;
	}
	return best;
}
