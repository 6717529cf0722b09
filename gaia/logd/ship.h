/*
 * ship.h: the log shipper (docs/logs.md, "Shipping"): a bounded queue of
 * formatted records and one transport to a collector, driven by
 * ship_poll() with the time passed in, so it runs the same in logd on Ares
 * and on the host, and under a fake clock in tests.
 *
 * Delivery is at least once over TCP (a record whose send failed is sent
 * again, whole, on the next connection) and at most once over UDP (RFC
 * 5426 gives no acknowledgement). When the queue is full a new record is
 * refused and counted as dropped; nothing is ever lost silently.
 */
#ifndef LOGD_SHIP_H
#define LOGD_SHIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "syslog.h"

/* The back end: open returns a handle (a connect may still be in
   progress) or -1; send returns the bytes taken, 0 when it would block
   or is still connecting, -1 when the connection is broken. */
struct ship_transport {
	int (*open)(void *ctx);
	long (*send)(void *ctx, int handle, const void *p, size_t n);
	void (*close)(void *ctx, int handle);
	void *ctx;
	bool stream;		/* TCP: octet counting, partial sends */
};

struct ship_config {
	int queue_records;	/* records held while the collector is away */
	size_t record_max;	/* bytes per record, framing included; longer
				   messages are cut at a UTF-8 boundary */
	uint64_t backoff_min_ms, backoff_max_ms;
	uint64_t stall_ms;	/* a connection that takes no byte this long
				   (a connect that hangs, a peer that stopped
				   reading) is dropped and retried */
};

/* Defaults: 1024 records of 2048 bytes, backoff 100 ms doubling to 30 s,
   stall 10 s. */
struct ship_config ship_config_default(void);

struct ship_stats {
	uint64_t queued, sent;
	uint64_t dropped_full;		/* refused: queue full */
	uint64_t dropped_invalid;	/* refused: the record would not format */
	uint64_t truncated;		/* messages cut to fit record_max */
	uint64_t connects;		/* connections that carried a byte */
	uint64_t connect_failures;	/* opens that failed before any byte */
	uint64_t disconnects;		/* connections lost after carrying data */
	uint64_t stalls;		/* of either, those cut off by stall_ms */
};

struct shipper {
	struct ship_config cfg;
	struct ship_transport tr;
	char *slots;		/* queue_records * record_max */
	size_t *lens;
	int head, count;
	bool up;
	bool established;	/* the transport took a byte on this connection */
	int handle;
	size_t off;		/* bytes of the head record already sent */
	uint64_t next_attempt, backoff;
	uint64_t last_progress;	/* when the transport last took a byte */
	struct ship_stats stats;
};

/* Allocates the queue (the only allocation). false if memory is short or
   the config is unusable. */
bool ship_init(struct shipper *sh, const struct ship_config *cfg, const struct ship_transport *tr);
void ship_free(struct shipper *sh);

/* Formats rec into the queue. E_OK; E_NOMEM if the queue is full (counted
   in dropped_full); E_INVAL with *why if it does not format. */
enum hl_error ship_enqueue(struct shipper *sh, const struct syslog_record *rec, const char **why);

/* Connects (when the backoff allows) and sends what the transport takes.
   Returns the ms until it next wants to run (0: has work it could not
   finish because the transport would block; poll for writability). */
uint64_t ship_poll(struct shipper *sh, uint64_t now);

/* Closes the connection, if any (records stay queued). */
void ship_shutdown(struct shipper *sh);

#endif
