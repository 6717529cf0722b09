/*
 * bt.h: the bus's in-OS suite (run by tests/qemu/bus.t). A root task on
 * mercury/rt; each area starts a bus of its own on two threads (server
 * and clock) and stops it at its end, so kt_run_areas's leak checks
 * cover everything the bus made or was given.
 */
#ifndef BT_H
#define BT_H

#include "bus.h"
#include "bus_client.h"
#include <mercury/string.h>
#include "kt_tap.h"
#include "kt_util.h"
#include "kt_suite.h"

/* Badges of the clients the areas use (admitted by bt_start). */
enum { BT_OWNER = BUS_OWNER_BADGE, BT_LOGD = 2, BT_FS = 3, BT_VIRTIO = 4, BT_CRASHY = 5,
       BT_STRANGER = 9 /* never admitted */ };

struct bt {
	struct bus bus;
	struct kt_thread server, clock;
	struct bus_config cfg;
	hl_cptr_t wake;
	hl_cptr_t owner, logd, fs, virtio, crashy, stranger, plain;	/* bus caps by badge */
};

extern struct bt bt;

/* Starts a bus with the rules (NULL-terminated) and npending pending
 * slots, admits the clients above and mints their caps. 1 on success. */
int bt_start(const char *const *rules, unsigned npending);
/* Stops the bus and deletes everything bt_start made. */
void bt_stop(void);

/* A client call on its own thread, for calls that block. */
struct bt_call {
	enum { BT_WAIT, BT_WATCH, BT_LOOKUP } op;
	hl_cptr_t cap;		/* the bus cap to call with */
	const char *name;
	uint64_t timeout_ms;
	hl_cptr_t got;		/* slot for a received endpoint (made by bt_call_start) */
	int status;
	struct kt_thread t;
};

/* Starts c on a thread; 1 on success. */
int bt_call_start(struct bt_call *c);
/* Lets other threads run until c blocks in its call (1) or ends (0). */
int bt_call_blocked(struct bt_call *c);
/* Waits for c to end (1) and deletes its thread (the caller frees c->got). */
int bt_call_end(struct bt_call *c);

/* Type and badge of the cap in slot (type 0: empty). */
uint64_t bt_type(hl_cptr_t slot, uint64_t *badge);

/* The bus_lookup benchmark (bt_bench.c); 0 on success. */
int bt_bench(void);

void bt_area_names(void);
void bt_area_policy(void);
void bt_area_wait(void);
void bt_area_crash(void);

#endif
