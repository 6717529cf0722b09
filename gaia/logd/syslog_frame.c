/*
 * syslog_frame.c: the TCP deframer (syslog.h). Each frame decides its own
 * framing by its first byte (RFC 6587 §3.4: a digit, octet counting;
 * otherwise a line), so one connection may mix both, as rsyslog's imtcp
 * accepts. A frame is assembled in the caller's buffer, which bounds it;
 * longer frames are cut, and the rest of them skipped, never buffered.
 */
#include <string.h>

#include "syslog.h"

void syslog_deframer_init(struct syslog_deframer *d, char *buf, size_t cap)
{
	memset(d, 0, sizeof *d);
	d->buf = buf;
	d->cap = cap;
}

/* Drops what is left of a cut frame; returns bytes consumed. */
static size_t skip_rest(struct syslog_deframer *d, const char *data, size_t n)
{
	size_t k;

	if (d->skip > 0) {
		k = d->skip < n ? d->skip : n;
		d->skip -= k;
		return k;
	}
	{
		const char *lf = memchr(data, '\n', n);

		if (lf == NULL)
			return n;
		d->skip_to_lf = false;
		return (size_t)(lf - data) + 1;
	}
}

/* In an octet-counted frame: the count parsed from buf so far, or -1
   when incomplete, -2 when malformed. *hdr is the bytes of "LEN SP". */
static long long frame_count(const struct syslog_deframer *d, size_t *hdr)
{
	long long v = 0;
	size_t i;

	for (i = 0; i < d->len; i++) {
		char c = d->buf[i];

		if (c == ' ' && i > 0) {
			*hdr = i + 1;
			return v;
		}
		if (c < '0' || c > '9' || i >= 9 || (i == 0 && c == '0'))
			return -2;
		v = v * 10 + (c - '0');
	}
	return -1;
}

/* Delivers buf[from, from + len) as a frame and resets for the next. */
static void emit(struct syslog_deframer *d, size_t from, size_t len, const char **frame,
		 size_t *flen, bool *truncated, bool cut)
{
	*frame = d->buf + from;
	*flen = len;
	*truncated = cut;
	d->frames++;
	d->truncated += cut;
	d->len = 0;
}

size_t syslog_deframe(struct syslog_deframer *d, const char *data, size_t n, const char **frame,
		      size_t *flen, bool *truncated)
{
	size_t used = 0;

	*frame = NULL;
	*truncated = false;
	while (used < n && !d->failed) {
		if (d->skip > 0 || d->skip_to_lf) {
			used += skip_rest(d, data + used, n - used);
			continue;
		}
		if (d->len == 0 && (data[used] == '\n' || data[used] == '\r')) {
			used++;		/* stray line ends between frames */
			continue;
		}
		if (d->len < d->cap)
			d->buf[d->len++] = data[used++];
		if (d->buf[0] >= '0' && d->buf[0] <= '9') {
			size_t hdr = 0;
			long long count = frame_count(d, &hdr);

			if (count == -2 || (count == -1 && d->len == d->cap)) {
				d->failed = true;
				break;
			}
			if (count < 0)
				continue;
			if (count == 0) {
				d->failed = true;
				break;
			}
			if (hdr + (size_t)count <= d->cap) {
				if (d->len == hdr + (size_t)count) {
					emit(d, hdr, (size_t)count, frame, flen, truncated, false);
					return used;
				}
				continue;
			}
			if (d->len == d->cap) {	/* too long: cut, skip the rest */
				d->skip = hdr + (size_t)count - d->cap;
				emit(d, hdr, d->cap - hdr, frame, flen, truncated, true);
				return used;
			}
			continue;
		}
		if (d->buf[d->len - 1] == '\n') {
			size_t len = d->len - 1;

			if (len > 0 && d->buf[len - 1] == '\r')
				len--;
			emit(d, 0, len, frame, flen, truncated, false);
			return used;
		}
		if (d->len == d->cap) {
			d->skip_to_lf = true;
			emit(d, 0, d->len, frame, flen, truncated, true);
			return used;
		}
	}
	return used;
}
