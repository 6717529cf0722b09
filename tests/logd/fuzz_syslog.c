/*
 * fuzz_syslog.c: libFuzzer target for the receiver side (make
 * fuzz-logd-syslog): the record parser on the whole input, then the TCP
 * deframer on the input in pieces, parsing every frame. Beyond "no crash,
 * no sanitizer report", two properties are checked: every string of a
 * parsed record lies inside the input, and a parsed RFC 5424 record
 * formats again and re-parses to the same header.
 */
#include <stdlib.h>
#include <string.h>

#include "syslog.h"

static void inside(const struct syslog_str *s, const char *base, size_t n)
{
	if (s->len > 0 && (s->p < base || s->p + s->len > base + n))
		abort();
}

static bool same(const struct syslog_str *a, const struct syslog_str *b)
{
	return a->len == b->len && (a->len == 0 || memcmp(a->p, b->p, a->len) == 0);
}

static void check(const char *p, size_t n)
{
	static char out[70000];
	struct syslog_record rec, again;
	const char *why;
	size_t len;
	int i, j;

	if (syslog_parse(p, n, 2026, &rec, &why) != E_OK)
		return;
	inside(&rec.host, p, n);
	inside(&rec.app, p, n);
	inside(&rec.procid, p, n);
	inside(&rec.msgid, p, n);
	inside(&rec.msg, p, n);
	for (i = 0; i < rec.nsd; i++) {
		inside(&rec.sd[i].id, p, n);
		for (j = 0; j < rec.sd[i].nparams; j++) {
			char scratch[64];

			inside(&rec.sd[i].params[j].value, p, n);
			syslog_sd_get(&rec, "a@1", "b", scratch, sizeof scratch);
		}
	}
	if (rec.version != 1)
		return;
	if (syslog_format(&rec, out, sizeof out, &len, &why) != E_OK)
		abort();	/* what we accept, we can write */
	if (syslog_parse(out, len, 2026, &again, &why) != E_OK || again.version != 1 ||
	    again.facility != rec.facility || again.severity != rec.severity ||
	    !same(&again.host, &rec.host) || !same(&again.app, &rec.app) ||
	    !same(&again.procid, &rec.procid) || !same(&again.msgid, &rec.msgid) ||
	    again.nsd != rec.nsd || again.time.present != rec.time.present ||
	    (rec.time.present && (again.time.sec != rec.time.sec || again.time.usec != rec.time.usec)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char buf[512];
	struct syslog_deframer d;
	size_t off = 0;

	check((const char *)data, size);
	syslog_deframer_init(&d, buf, sizeof buf);
	while (off < size && !d.failed) {
		size_t k = 1 + (data[off] % 61), used = 0;

		if (k > size - off)
			k = size - off;
		while (used < k && !d.failed) {
			const char *frame;
			size_t flen;
			bool cut;

			used += syslog_deframe(&d, (const char *)data + off + used, k - used, &frame, &flen, &cut);
			if (frame != NULL) {
				if (flen > sizeof buf || frame < buf || frame + flen > buf + sizeof buf)
					abort();
				check(frame, flen);
			}
		}
		off += k;
	}
	return 0;
}
