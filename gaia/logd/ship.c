/*
 * ship.c: the shipper's queue and connection state machine (ship.h).
 *
 *   down --(backoff elapsed)--> open --ok--> up --send error--> down
 *                                 \--fail--> down (backoff doubled)
 * The backoff doubles from backoff_min_ms to backoff_max_ms on each
 * failure and returns to the minimum once a whole record has gone out on
 * a connection, so a collector that accepts and then drops us is backed
 * off too. Records are formatted when queued, so a record's time is when
 * it was logged, not when it was finally sent.
 */
#include <stdlib.h>
#include <string.h>

#include "ship.h"

struct ship_config ship_config_default(void)
{
	struct ship_config c = { 1024, 2048, 100, 30000, 10000 };

	return c;
}

bool ship_init(struct shipper *sh, const struct ship_config *cfg, const struct ship_transport *tr)
{
	memset(sh, 0, sizeof *sh);
	if (cfg->queue_records <= 0 || cfg->record_max < 64 || cfg->backoff_min_ms == 0 ||
	    cfg->backoff_max_ms < cfg->backoff_min_ms || cfg->stall_ms == 0)
		return false;
	sh->cfg = *cfg;
	sh->tr = *tr;
	sh->slots = malloc((size_t)cfg->queue_records * cfg->record_max);
	sh->lens = calloc((size_t)cfg->queue_records, sizeof *sh->lens);
	if (sh->slots == NULL || sh->lens == NULL) {
		ship_free(sh);
		return false;
	}
	sh->backoff = cfg->backoff_min_ms;
	return true;
}

void ship_free(struct shipper *sh)
{
	ship_shutdown(sh);
	free(sh->slots);
	free(sh->lens);
	sh->slots = NULL;
	sh->lens = NULL;
}

/* The longest prefix of s[0..n) that does not split a UTF-8 sequence. */
static size_t utf8_cut(const char *s, size_t n)
{
	size_t i = n;

	while (i > 0 && ((unsigned char)s[i - 1] & 0xc0) == 0x80)
		i--;
	if (i > 0 && (unsigned char)s[i - 1] >= 0xc0) {
		unsigned char lead = (unsigned char)s[i - 1];
		size_t want = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;

		if (n - (i - 1) < want)
			return i - 1;
	}
	return n;
}

enum hl_error ship_enqueue(struct shipper *sh, const struct syslog_record *rec, const char **why)
{
	int slot;
	char *p;
	size_t room, len = 0;
	enum hl_error err;
	struct syslog_record cut;

	if (sh->count == sh->cfg.queue_records) {
		sh->stats.dropped_full++;
		*why = "queue full";
		return E_NOMEM;
	}
	slot = (sh->head + sh->count) % sh->cfg.queue_records;
	p = sh->slots + (size_t)slot * sh->cfg.record_max;
	room = sh->cfg.record_max - (sh->tr.stream ? 12 : 0);	/* "LEN " fits in 12 */
	err = syslog_format(rec, p, room, &len, why);
	if (err == E_RANGE && rec->msg.len > 0) {
		/* Too long: cut the message by what overflowed. */
		size_t over;

		cut = *rec;
		cut.msg.len = 0;
		if (syslog_format(&cut, p, room, &len, why) != E_OK || len + 4 >= room)
			goto invalid;
		over = room - len - 4;	/* the space and the BOM */
		cut.msg.len = utf8_cut(rec->msg.p, over < rec->msg.len ? over : rec->msg.len);
		err = syslog_format(&cut, p, room, &len, why);
		sh->stats.truncated++;
	}
	if (err != E_OK)
		goto invalid;
	if (sh->tr.stream)
		len = syslog_frame_octets(p, len, sh->cfg.record_max);
	sh->lens[slot] = len;
	sh->count++;
	sh->stats.queued++;
	return E_OK;
invalid:
	sh->stats.dropped_invalid++;
	return E_INVAL;
}

static void fail(struct shipper *sh, uint64_t now)
{
	sh->next_attempt = now + sh->backoff;
	sh->backoff = sh->backoff * 2 < sh->cfg.backoff_max_ms ? sh->backoff * 2 : sh->cfg.backoff_max_ms;
}

void ship_shutdown(struct shipper *sh)
{
	if (sh->up) {
		sh->tr.close(sh->tr.ctx, sh->handle);
		sh->up = false;
		sh->off = 0;
	}
}

uint64_t ship_poll(struct shipper *sh, uint64_t now)
{
	if (!sh->up) {
		if (sh->count == 0)
			return UINT64_MAX;	/* connect when there is something to send */
		if (now < sh->next_attempt)
			return sh->next_attempt - now;
		if ((sh->handle = sh->tr.open(sh->tr.ctx)) < 0) {
			sh->stats.connect_failures++;
			fail(sh, now);
			return sh->next_attempt - now;
		}
		sh->up = true;
		sh->established = false;
		sh->off = 0;
		sh->last_progress = now;
	}
	while (sh->count > 0) {
		const char *rec = sh->slots + (size_t)sh->head * sh->cfg.record_max;
		size_t len = sh->lens[sh->head];
		long n = sh->tr.send(sh->tr.ctx, sh->handle, rec + sh->off, len - sh->off);

		if (n == 0 && now - sh->last_progress >= sh->cfg.stall_ms) {
			sh->stats.stalls++;
			n = -1;
		}
		if (n < 0) {
			/* Resend the record whole on the next connection: the
			   receiver drops a half frame with the old one. */
			ship_shutdown(sh);
			if (sh->established)
				sh->stats.disconnects++;
			else
				sh->stats.connect_failures++;
			fail(sh, now);
			return sh->next_attempt - now;
		}
		if (n == 0)
			return 0;
		sh->last_progress = now;
		if (!sh->established) {
			sh->established = true;
			sh->stats.connects++;
		}
		sh->off += (size_t)n;
		if (sh->off < len)
			continue;
		sh->off = 0;
		sh->head = (sh->head + 1) % sh->cfg.queue_records;
		sh->count--;
		sh->stats.sent++;
		sh->backoff = sh->cfg.backoff_min_ms;
	}
	return UINT64_MAX;
}
