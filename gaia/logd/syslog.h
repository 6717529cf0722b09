/*
 * syslog.h: syslog records on the wire, both ways (docs/logs.md).
 *
 *   syslog_fmt.c    a record as RFC 5424 text, and RFC 6587 octet counting
 *   syslog_parse.c  RFC 5424 and RFC 3164 text back into a record
 *   syslog_frame.c  splitting a TCP byte stream into records: octet-counted
 *                   or newline-terminated, chosen per frame as RFC 6587 §3.4
 *                   says (a digit starts a count, "<" a line)
 * The shipper that queues and sends records is in ship.h.
 *
 * Portable C (string routines only) for logd on Ares and the host tools.
 * Errors are the ABI's enum hl_error, with a sentence in *why.
 */
#ifndef LOGD_SYSLOG_H
#define LOGD_SYSLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <helios/errors.h>

enum {
	SYSLOG_MAX_HOST = 255,	/* RFC 5424 §6: header field lengths */
	SYSLOG_MAX_APP = 48,
	SYSLOG_MAX_PROCID = 128,
	SYSLOG_MAX_MSGID = 32,
	SYSLOG_MAX_SDNAME = 32,	/* SD-ID and PARAM-NAME */
	SYSLOG_MAX_SD = 8,	/* elements per record (ours; the RFC sets none) */
	SYSLOG_MAX_PARAMS = 16,	/* params per element (ours) */
};

enum syslog_severity {
	SYSLOG_EMERG, SYSLOG_ALERT, SYSLOG_CRIT, SYSLOG_ERR,
	SYSLOG_WARNING, SYSLOG_NOTICE, SYSLOG_INFO, SYSLOG_DEBUG,
};

/* A counted string: not NUL-terminated when it points into a received
   buffer. len 0 with p NULL is the NILVALUE "-". */
struct syslog_str {
	const char *p;
	size_t len;
};

struct syslog_param {
	struct syslog_str name, value;	/* parsed: value as on the wire, escapes kept
					   (syslog_sd_get removes them); formatted:
					   the plain value, escaped on output */
};

struct syslog_sd {
	struct syslog_str id;
	struct syslog_param params[SYSLOG_MAX_PARAMS];
	int nparams;
};

struct syslog_time {
	bool present;		/* false: NILVALUE */
	int64_t sec;		/* Unix seconds, UTC */
	uint32_t usec;		/* 0..999999 */
	int offset_min;		/* the sender's UTC offset, -1439..1439 */
};

struct syslog_record {
	int facility;		/* 0..23 */
	int severity;		/* enum syslog_severity */
	struct syslog_time time;
	struct syslog_str host, app, procid, msgid;
	struct syslog_sd sd[SYSLOG_MAX_SD];
	int nsd;
	struct syslog_str msg;
	bool msg_utf8;		/* format: prefix the BOM; parse: a BOM was there */
	int version;		/* parse: 1 for RFC 5424, 0 for RFC 3164 */
};

/* A NUL-terminated string as a syslog_str (NULL or "" gives NILVALUE). */
struct syslog_str syslog_s(const char *s);

/*
 * Writes rec as one RFC 5424 SYSLOG-MSG into out[0..cap). Header fields
 * must be 1..max printable US-ASCII (or NILVALUE); SD names 1..32 of it
 * without '=', ' ', ']', '"'; param values any UTF-8, escaped as §6.3.3
 * says. Returns E_OK and sets *len; E_INVAL with *why for a bad field;
 * E_RANGE if the record does not fit in cap (nothing useful in out).
 */
enum hl_error syslog_format(const struct syslog_record *rec, char *out, size_t cap,
			    size_t *len, const char **why);

/* Replaces each byte of s[0..n) that is not printable US-ASCII with '_'
   and returns the length clipped to max, for making header fields of
   arbitrary names (a service called "my app" becomes "my_app"). */
size_t syslog_clean_field(char *s, size_t n, size_t max);

/* Prefixes an RFC 6587 octet count: moves msg[0..len) right within buf
   (of cap bytes) behind "LEN ". Returns the framed length, 0 if it does
   not fit. */
size_t syslog_frame_octets(char *buf, size_t len, size_t cap);

/*
 * Parses one record (no framing, trailing CR/LF ignored) from buf[0..n):
 * RFC 5424 if the PRI is followed by "1 ", else RFC 3164 as rsyslog reads
 * it ("<PRI>Mmm dd hh:mm:ss HOST TAG[PID]: MSG", the timestamp and host
 * optional; a 3164 timestamp has no year, so this_year supplies it).
 * rec's strings point into buf. Returns E_OK, or E_INVAL with *why.
 */
enum hl_error syslog_parse(const char *buf, size_t n, int this_year, struct syslog_record *rec,
			   const char **why);

/* Looks up a param of element id in a parsed record; NULL if absent.
   Escapes are already removed, but into scratch: the returned string is
   NUL-terminated in scratch (of cap bytes), or NULL if it does not fit. */
const char *syslog_sd_get(const struct syslog_record *rec, const char *id, const char *name,
			  char *scratch, size_t cap);

/* Civil time: Unix seconds from a UTC date and time (proleptic Gregorian). */
int64_t syslog_days_from_civil(int y, int m, int d);

/*
 * The TCP deframer: bytes in, complete records out. A frame starting with
 * a digit is octet-counted ("LEN SP MSG"), one starting with anything else
 * runs to the next LF (RFC 6587 §3.4.2; a CR before it is dropped). A
 * frame longer than max is cut: its first max bytes are delivered with
 * truncated set and the rest skipped. A bad count ("12x") is an error:
 * the stream cannot be resynchronised, so the connection should close.
 */
struct syslog_deframer {
	char *buf;
	size_t cap, len;	/* bytes held */
	size_t skip;		/* bytes of a cut frame still to drop */
	bool skip_to_lf;	/* ... or drop up to the next LF */
	bool failed;
	uint64_t frames, truncated;
};

/* buf of cap bytes holds a frame being assembled: cap is the max frame. */
void syslog_deframer_init(struct syslog_deframer *d, char *buf, size_t cap);

/* Consumes data until a frame completes or the data runs out, and
   returns the bytes consumed. When a frame completed, *frame and *flen
   point to it (valid until the next call) and *truncated tells whether it
   was cut; otherwise *frame is NULL. Call again with the rest. After a
   bad count (d->failed) it consumes nothing. */
size_t syslog_deframe(struct syslog_deframer *d, const char *data, size_t n, const char **frame,
		      size_t *flen, bool *truncated);

#endif
