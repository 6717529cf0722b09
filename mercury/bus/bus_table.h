/*
 * bus_table.h: what the bus knows, as plain data: the admitted clients
 * (badge -> name), the registered names (name -> owner badge and the slot
 * of the bus's copy of the endpoint) and the pending requests (waits and
 * watches, each holding the Reply object that will answer it). Portable:
 * slots are numbers here; bus_serve.c does the system calls.
 */
#ifndef MERCURY_BUS_TABLE_H
#define MERCURY_BUS_TABLE_H

#include <stdbool.h>
#include <stdint.h>
#include "bus_policy.h"

#define BUS_CLIENTS_MAX	64
#define BUS_ENTRIES_MAX	64
#define BUS_PENDING_MAX	16	/* most Reply objects a bus can hold */
#define BUS_OWNER_BADGE	1	/* the starter's badge */

struct bus_client {
	uint64_t badge;			/* 0: free */
	char name[BUS_CLIENT_MAX + 1];
};

struct bus_entry {
	char name[BUS_NAME_MAX + 1];	/* "": free */
	uint64_t owner;			/* badge of the registering client */
	uint64_t ep;			/* slot of the bus's copy of the endpoint */
};

enum bus_pending_kind { BUS_PEND_FREE = 0, BUS_PEND_WAIT, BUS_PEND_WATCH };

struct bus_pending {
	enum bus_pending_kind kind;
	char name[BUS_NAME_MAX + 1];
	uint64_t badge;			/* who waits */
	uint64_t deadline;		/* TSC; 0: none */
	uint64_t reply;			/* slot of the Reply object bound to the caller */
};

struct bus_table {
	struct bus_client client[BUS_CLIENTS_MAX];
	struct bus_entry entry[BUS_ENTRIES_MAX];
	struct bus_pending pending[BUS_PENDING_MAX];
};

/* Empties t and admits the owner (badge 1, named "owner"). */
void bus_table_init(struct bus_table *t);

/* The client with badge (never badge 0), or NULL. */
struct bus_client *bus_client_find(struct bus_table *t, uint64_t badge);
/* Admits badge as name. E_OK, E_EXIST (badge admitted), E_NOMEM (full). */
int bus_client_add(struct bus_table *t, uint64_t badge, const char *name);
/* Forgets c. */
void bus_client_remove(struct bus_client *c);

/* The registration of name, or NULL. */
struct bus_entry *bus_entry_find(struct bus_table *t, const char *name);
/* Records name as owner's with endpoint slot ep; NULL when full (the
 * caller checked that name is free). */
struct bus_entry *bus_entry_add(struct bus_table *t, const char *name, uint64_t owner, uint64_t ep);
/* The first registration of owner, or NULL. */
struct bus_entry *bus_entry_of(struct bus_table *t, uint64_t owner);

/* A free pending record, or NULL. */
struct bus_pending *bus_pending_alloc(struct bus_table *t);
/* The next pending record after prev (NULL: from the start) of kind
 * waiting on name, or NULL. */
struct bus_pending *bus_pending_next(struct bus_table *t, struct bus_pending *prev,
				     enum bus_pending_kind kind, const char *name);
/* The earliest deadline of the pending waits, 0 if none has one. */
uint64_t bus_pending_deadline(const struct bus_table *t);

#endif
