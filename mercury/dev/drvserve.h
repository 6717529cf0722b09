/*
 * mercury/dev/drvserve.h: the server side every serving driver shares
 * (drvserve.c): the loop that tells IRQ and Timer notifications from calls,
 * and calls kept waiting with a timeout (a read with nothing to read yet),
 * each in one of the spare Replies init gives a serving driver, answered
 * when data comes or the Timer says time is up; or kept until the driver
 * answers them itself (a request the device works on) (docs/venus.md).
 */
#ifndef MERCURY_DEV_DRVSERVE_H
#define MERCURY_DEV_DRVSERVE_H

#include <stdbool.h>
#include <stdint.h>
#include <mercury/hl.h>

#define DRV_BADGE_IRQ	1	/* the IRQ signals our bound notification with this */
#define DRV_BADGE_TIMER	2	/* and the Timer, through "timer.note", with this */
#define DRV_WAITERS	3

struct drv_server;

/* Fills m with the answer to a waiting call of the client with badge that
 * asked for at most max (E_OK, perhaps empty). */
typedef void drv_fill_fn(struct drv_server *s, struct hl_msg *m, uint32_t max, uint64_t badge);

struct drv_server {
	hl_cptr_t ep, reply, timer, timer_note;
	struct { hl_cptr_t reply; uint32_t max; uint64_t badge, deadline_us; } wait[DRV_WAITERS];
	hl_cptr_t spare[DRV_WAITERS];
	unsigned nspare;
	bool deferred;		/* set by drv_defer in a handler: no reply now */
	uint64_t badge;		/* the caller's, while a handler runs */
	drv_fill_fn *fill;
	void (*on_irq)(struct drv_server *s);	/* may be NULL */
	/* Dispatches a call (the generated *_dispatch with the driver's handlers). */
	void (*dispatch)(struct drv_server *s, uint64_t badge, struct hl_msg *m);
};

/* Takes ep, reply, reply1..3, timer and timer.note from our caps; false if ep
 * or reply is missing (a driver without timer cannot defer). */
bool drv_server_init(struct drv_server *s);
/* In a handler: keep the current call waiting up to timeout_ms for at most
 * max; E_OK, or E_BUSY when every spare Reply is in use or there is no timer. */
enum hl_error drv_defer(struct drv_server *s, uint32_t max, uint64_t timeout_ms);
/* In a handler: keep the current call, to answer later with drv_answer
 * (a request the device works on); the Reply it waits in, or 0 when every
 * spare is in use (answer it now then). */
hl_cptr_t drv_keep(struct drv_server *s);
/* Answers a call kept with drv_keep with m; its Reply is spare again. */
void drv_answer(struct drv_server *s, hl_cptr_t reply, struct hl_msg *m);
/* In the handler that kept it: the call is answered now after all. */
void drv_unkeep(struct drv_server *s, hl_cptr_t reply);
/* Answers waiting calls: every one while has_data() says there is data, and
 * those whose time is up. */
void drv_wake(struct drv_server *s, bool (*has_data)(void));
/* Serves for ever. A request's cap (one) is in a slot of ours while its
 * handler runs: the handler copies or moves what it keeps. */
void drv_serve(struct drv_server *s, bool (*has_data)(void)) __attribute__((noreturn));

#endif
