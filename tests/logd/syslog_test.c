/*
 * syslog_test.c: the syslog formatter, parser and deframer, and the
 * shipper on a fake transport and clock (gaia/logd), on the host.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ship.h"
#include "syslog.h"
#include "tap.h"

static char out[4096];

/* Formats rec; returns the text or "ERR:why". */
static const char *fmt(const struct syslog_record *rec)
{
	size_t len = 0;
	const char *why = "";

	if (syslog_format(rec, out, sizeof out - 1, &len, &why) != E_OK) {
		snprintf(out, sizeof out, "ERR:%s", why);
		return out;
	}
	out[len] = '\0';
	return out;
}

static struct syslog_record base(void)
{
	struct syslog_record r;

	memset(&r, 0, sizeof r);
	r.facility = 4;
	r.severity = 2;
	r.time = (struct syslog_time){ true, 1065910455, 3000, 0 };	/* 2003-10-11T22:14:15.003Z */
	r.host = syslog_s("mymachine.example.com");
	r.app = syslog_s("su");
	r.msgid = syslog_s("ID47");
	r.msg = syslog_s("'su root' failed for lonvick on /dev/pts/8");
	r.msg_utf8 = true;
	return r;
}

static void test_format(void)
{
	struct syslog_record r = base();
	char big[300];

	is_str(fmt(&r), "<34>1 2003-10-11T22:14:15.003000Z mymachine.example.com su - ID47 - "
			"\xef\xbb\xbf'su root' failed for lonvick on /dev/pts/8", "RFC 5424 §6.5 example 1");
	r.time.offset_min = -7 * 60;
	r.time.sec = 1061702055;	/* 2003-08-24T05:14:15Z */
	r.time.usec = 3;
	r.msg_utf8 = false;
	r.msg = syslog_s(NULL);
	is_str(fmt(&r), "<34>1 2003-08-23T22:14:15.000003-07:00 mymachine.example.com su - ID47 -",
	       "negative offset, local time, no MSG");
	r.time.offset_min = 5 * 60 + 30;
	r.time.sec = 0;
	r.time.usec = 0;
	is_str(fmt(&r), "<34>1 1970-01-01T05:30:00.000000+05:30 mymachine.example.com su - ID47 -",
	       "positive offset at the epoch");
	r.time.present = false;
	r.host = syslog_s(NULL);
	r.app = syslog_s(NULL);
	r.msgid = syslog_s(NULL);
	r.nsd = 2;
	r.sd[0].id = syslog_s("exampleSDID@32473");
	r.sd[0].nparams = 3;
	r.sd[0].params[0] = (struct syslog_param){ syslog_s("iut"), syslog_s("3") };
	r.sd[0].params[1] = (struct syslog_param){ syslog_s("eventSource"), syslog_s("Application") };
	r.sd[0].params[2] = (struct syslog_param){ syslog_s("esc"), syslog_s("a\"b\\c]d") };
	r.sd[1].id = syslog_s("examplePriority@32473");
	r.sd[1].nparams = 1;
	r.sd[1].params[0] = (struct syslog_param){ syslog_s("class"), syslog_s("high") };
	is_str(fmt(&r), "<34>1 - - - - - [exampleSDID@32473 iut=\"3\" eventSource=\"Application\" "
			"esc=\"a\\\"b\\\\c\\]d\"][examplePriority@32473 class=\"high\"]",
	       "NILVALUEs, two SD elements, the three escapes");
	r.sd[1].id = syslog_s("exampleSDID@32473");
	ok(strncmp(fmt(&r), "ERR:the same SD-ID", 18) == 0, "same SD-ID twice refused: %s", out);
	r.nsd = 1;
	r.sd[0].params[0].name = syslog_s("a=b");
	ok(strncmp(fmt(&r), "ERR:PARAM-NAME", 14) == 0, "= in PARAM-NAME refused");
	r = base();
	r.host = syslog_s("my host");
	ok(strncmp(fmt(&r), "ERR:HOSTNAME", 12) == 0, "space in HOSTNAME refused");
	r = base();
	memset(big, 'a', 49);
	big[49] = '\0';
	r.app = syslog_s(big);
	ok(strncmp(fmt(&r), "ERR:", 4) == 0, "APP-NAME of 49 bytes refused");
	r = base();
	r.severity = 8;
	ok(strncmp(fmt(&r), "ERR:facility", 12) == 0, "severity 8 refused");
	r = base();
	r.time.usec = 1000000;
	ok(strncmp(fmt(&r), "ERR:timestamp", 13) == 0, "usec of 10^6 refused");
	r = base();
	{
		size_t len;
		const char *why;
		is_int(syslog_format(&r, out, 20, &len, &why), E_RANGE, "too small a buffer: E_RANGE");
	}
	strcpy(big, "my app\x01\xff");
	is_int(syslog_clean_field(big, strlen(big), 48), 8, "clean_field keeps the length");
	is_str(big, "my_app__", "and replaces what is not PRINTUSASCII");
	strcpy(out, "hello");
	is_int(syslog_frame_octets(out, 5, sizeof out), 7, "octet framing adds \"5 \"");
	ok(memcmp(out, "5 hello", 7) == 0, "5 hello");
}

static void test_civil(void)
{
	is_int(syslog_days_from_civil(1970, 1, 1), 0, "epoch is day 0");
	is_int(syslog_days_from_civil(2000, 3, 1), 11017, "2000-03-01 (after a 400-year leap day)");
	is_int(syslog_days_from_civil(1969, 12, 31), -1, "before the epoch");
	is_int(syslog_days_from_civil(2100, 3, 1) - syslog_days_from_civil(2100, 2, 28), 1,
	       "2100 is not a leap year");
}

static struct syslog_record rec;

static enum hl_error parse(const char *s, const char **why)
{
	return syslog_parse(s, strlen(s), 2026, &rec, why);
}

static bool str_is(const struct syslog_str *s, const char *want)
{
	return want == NULL ? s->len == 0 : s->len == strlen(want) && memcmp(s->p, want, s->len) == 0;
}

static void test_parse(void)
{
	const char *why = "";
	char scratch[64];
	static const struct {
		const char *in;
		const char *why;
	} bad[] = {
		{ "<34>1 2003-10-11 host app - - -", "bad TIMESTAMP" },
		{ "<34>1 2003-02-29T00:00:00Z h a - - -", "bad TIMESTAMP" },
		{ "<34>1 2003-10-11T22:14:15.1234567Z h a - - -", "bad TIMESTAMP" },
		{ "<34>1 2003-10-11T22:14:15+25:00 h a - - -", "bad TIMESTAMP" },
		{ "<34>1 - h a p m", "bad HOSTNAME" },
		{ "<34>1 - h a p 012345678901234567890123456789012 -", "bad HOSTNAME" },
		{ "<34>1 - h a p m x", "STRUCTURED-DATA must" },
		{ "<34>1 - h a p m [id a=\"b]", "bad SD-PARAM" },
		{ "<34>1 - h a p m [id a=b]", "bad SD-PARAM" },
		{ "<34>1 - h a p m [id", "structured-data element not closed" },
		{ "<34>1 - h a p m [a][a]", "the same SD-ID" },
		{ "<34>1 - h a p m [a]x", "no space" },
		{ "", "empty record" },
	};
	size_t i;

	is_int(parse("<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It's time\r\n", &why),
	       E_OK, "RFC 5424 §6.5 example 2");
	ok(rec.version == 1 && rec.facility == 20 && rec.severity == 5 && rec.time.sec == 1061727255 &&
	   rec.time.usec == 3 && rec.time.offset_min == -420, "PRI, time in UTC, offset");
	ok(str_is(&rec.host, "192.0.2.1") && str_is(&rec.app, "myproc") && str_is(&rec.procid, "8710") &&
	   str_is(&rec.msgid, NULL) && rec.nsd == 0 && str_is(&rec.msg, "%% It's time") && !rec.msg_utf8,
	   "fields, NILVALUE msgid, CRLF trimmed");
	is_int(parse("<34>1 - - - - - [ex@32473 esc=\"a\\\"b\\\\c\\]d\\x\" n=\"\"][b@1] \xef\xbb\xbfhi", &why),
	       E_OK, "SD with escapes");
	ok(rec.nsd == 2 && rec.sd[0].nparams == 2 && rec.msg_utf8 && str_is(&rec.msg, "hi"), "two elements, BOM");
	is_str(syslog_sd_get(&rec, "ex@32473", "esc", scratch, sizeof scratch), "a\"b\\c]d\\x",
	       "sd_get unescapes \\\" \\\\ \\] and keeps other backslashes");
	is_str(syslog_sd_get(&rec, "ex@32473", "n", scratch, sizeof scratch), "", "empty value");
	ok(syslog_sd_get(&rec, "ex@32473", "none", scratch, sizeof scratch) == NULL, "absent param");
	ok(syslog_sd_get(&rec, "ex@32473", "esc", scratch, 4) == NULL, "value longer than scratch: NULL");
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		why = "";
		ok(parse(bad[i].in, &why) == E_INVAL && strncmp(why, bad[i].why, strlen(bad[i].why)) == 0,
		   "refused: %s (%s)", bad[i].in, why);
	}

	is_int(parse("<13>Feb  5 17:32:18 10.0.0.99 myapp[123]: Use the BFG!", &why), E_OK, "RFC 3164");
	ok(rec.version == 0 && rec.facility == 1 && rec.severity == 5 && str_is(&rec.host, "10.0.0.99") &&
	   str_is(&rec.app, "myapp") && str_is(&rec.procid, "123") && str_is(&rec.msg, "Use the BFG!") &&
	   rec.time.sec == syslog_days_from_civil(2026, 2, 5) * 86400 + 17 * 3600 + 32 * 60 + 18,
	   "3164: time (this year), host, tag, pid, message");
	parse("<34>Oct 11 22:14:15 mymachine su: 'su root' failed", &why);
	ok(str_is(&rec.host, "mymachine") && str_is(&rec.app, "su") && str_is(&rec.procid, NULL) &&
	   str_is(&rec.msg, "'su root' failed"), "3164: tag without pid");
	parse("<30>Dec  7 01:10:13 ares-b app-fwd[77] \xef\xbb\xbfhello", &why);
	ok(str_is(&rec.app, "app-fwd") && str_is(&rec.procid, "77") && str_is(&rec.msg, "hello"),
	   "3164: rsyslog's TAG[PID] without colon, BOM");
	parse("<30>just text: here", &why);
	ok(str_is(&rec.host, NULL) && str_is(&rec.app, NULL) && str_is(&rec.msg, "just text: here"),
	   "3164 without timestamp or tag: all message");
	parse("no pri at all", &why);
	ok(rec.facility == 1 && rec.severity == 5 && str_is(&rec.msg, "no pri at all"),
	   "no PRI: user.notice, all message (RFC 3164 §4.3.3)");
	parse("<192>1 - - - - - -", &why);
	ok(rec.version == 0 && rec.severity == 5, "PRI 192 is not a PRI: taken whole");
	parse("<034>1 - - - - - -", &why);
	ok(rec.version == 0, "PRI with a leading zero is not a PRI");
}

/* The deframer, fed in pieces of chunk bytes. Returns the frames joined by |. */
static const char *deframe(const char *in, size_t chunk, size_t cap)
{
	static char joined[4096];
	char buf[256];
	struct syslog_deframer d;
	size_t off = 0, n = strlen(in);

	joined[0] = '\0';
	syslog_deframer_init(&d, buf, cap);
	while (off < n && !d.failed) {
		size_t k = chunk < n - off ? chunk : n - off, used = 0;

		while (used < k && !d.failed) {
			const char *frame;
			size_t flen;
			bool cut;

			used += syslog_deframe(&d, in + off + used, k - used, &frame, &flen, &cut);
			if (frame != NULL) {
				strncat(joined, frame, flen);
				strcat(joined, cut ? "~|" : "|");
			}
		}
		off += k;
	}
	if (d.failed)
		strcat(joined, "FAILED");
	return joined;
}

static void test_deframe(void)
{
	const char *mixed = "5 hello<13>line one\n3 abc\r\n<14>crlf\r\n12 with\nnewline";
	size_t chunk;
	int same = 0;

	is_str(deframe(mixed, 1000, 200), "hello|<13>line one|abc|<14>crlf|with\nnewline|",
	       "octet-counted and newline frames mixed; a count may hold an LF");
	for (chunk = 1; chunk < 20; chunk++)
		same += strcmp(deframe(mixed, chunk, 200), "hello|<13>line one|abc|<14>crlf|with\nnewline|") == 0;
	is_int(same, 19, "the same frames in pieces of 1 to 19 bytes");
	is_str(deframe("20 0123456789abcdefghij3 xyz", 1000, 10), "0123456~|xyz|",
	       "a counted frame over the max is cut and its rest skipped");
	is_str(deframe("<1>aaaaaaaaaaaaaaa\n<2>b\n", 3, 8), "<1>aaaaa~|<2>b|", "a long line is cut up to its LF");
	is_str(deframe("12x hello", 1000, 200), "FAILED", "a bad count fails the stream");
	is_str(deframe("0 x", 1000, 200), "FAILED", "a zero count fails");
	is_str(deframe("0123 x", 1000, 200), "FAILED", "a leading zero fails");
	is_str(deframe("12345678901 x", 1000, 200), "FAILED", "a count of 11 digits fails");
	is_str(deframe("1234", 1000, 3), "FAILED", "a count longer than the buffer fails, not loops");
}

/* The fake transport: open succeeds unless refuse, send takes at most
   room bytes more (then would block), or fails when broken. */
static struct {
	bool refuse, broken;
	long room;
	int opens, closes;
	char got[1 << 16];
	size_t len;
} tr;

static int t_open(void *ctx)
{
	(void)ctx;
	tr.opens++;
	return tr.refuse ? -1 : 7;
}

static long t_send(void *ctx, int h, const void *p, size_t n)
{
	size_t k;

	(void)ctx;
	if (h != 7 || tr.broken)
		return -1;
	k = (size_t)tr.room < n ? (size_t)tr.room : n;
	memcpy(tr.got + tr.len, p, k);
	tr.len += k;
	tr.room -= (long)k;
	return (long)k;
}

static void t_close(void *ctx, int h)
{
	(void)ctx, (void)h;
	tr.closes++;
}

static struct syslog_record msg_rec(const char *text)
{
	struct syslog_record r;

	memset(&r, 0, sizeof r);
	r.facility = 16;
	r.severity = 6;
	r.host = syslog_s("h");
	r.msg = syslog_s(text);
	return r;
}

static void test_shipper(void)
{
	struct ship_transport t = { t_open, t_send, t_close, NULL, true };
	struct ship_config cfg = ship_config_default();
	struct shipper sh;
	struct syslog_record r;
	const char *why;
	uint64_t now = 0, wait;
	int i, opens;
	char big[3000];

	cfg.queue_records = 4;
	cfg.record_max = 128;
	memset(&tr, 0, sizeof tr);
	tr.room = 1 << 20;
	ok(ship_init(&sh, &cfg, &t), "shipper init");
	r = msg_rec("one");
	ship_enqueue(&sh, &r, &why);
	ship_poll(&sh, now);
	is_int(tr.len, 25, "one record sent, framed");
	ok(memcmp(tr.got, "22 <134>1 - h - - - - one", 25) == 0, "as 22 <134>1 - h - - - - one");

	/* Collector away: refused opens back off 100, 200, 400 ... 30000. */
	tr.refuse = true;
	tr.len = 0;
	ship_shutdown(&sh);
	for (i = 0; i < 4; i++) {
		r = msg_rec("queued");
		ship_enqueue(&sh, &r, &why);
	}
	r = msg_rec("fifth");
	is_int(ship_enqueue(&sh, &r, &why), E_NOMEM, "fifth record with a queue of 4: refused");
	is_int(sh.stats.dropped_full, 1, "and counted as dropped");
	{
		uint64_t want[] = { 100, 200, 400, 800, 1600, 3200, 6400, 12800, 25600, 30000, 30000 };
		int good = 0;

		for (i = 0; i < 11; i++) {
			wait = ship_poll(&sh, now);
			good += wait == want[i];
			now += wait;
		}
		is_int(good, 11, "backoff doubles from 100 ms and stops at 30 s");
	}
	opens = tr.opens;
	ship_poll(&sh, now - 1);
	is_int(tr.opens, opens, "no attempt before the backoff has passed");
	is_int(sh.stats.connect_failures, 11, "failed opens counted");

	/* Back: partial sends, then everything in order. */
	tr.refuse = false;
	for (i = 0; i < 100 && sh.count > 0; i++) {
		tr.room = 5;
		ship_poll(&sh, now);
	}
	is_int(sh.count, 0, "queue drained through 5-byte sends");
	is_int(tr.len, 4 * 28, "four records of 28 bytes");
	ok(sh.stats.connects == 2 && sh.stats.sent == 5, "a second connection, five sent in all");
	tr.room = 1 << 20;
	r = msg_rec("after");
	ship_enqueue(&sh, &r, &why);
	is_int(ship_poll(&sh, now), UINT64_MAX, "backoff was reset by the delivery");

	/* A broken connection mid-record: the record is sent again, whole. */
	tr.len = 0;
	tr.room = 10;
	r = msg_rec("resend me");
	ship_enqueue(&sh, &r, &why);
	ship_poll(&sh, now);	/* 10 bytes, then it would block */
	is_int(tr.len, 10, "a partial record went out");
	tr.broken = true;
	ship_poll(&sh, now);
	is_int(sh.stats.disconnects, 1, "connection lost after carrying data: a disconnect");
	tr.broken = false;
	tr.room = 1 << 20;
	tr.len = 0;
	now += 100;
	ship_poll(&sh, now);
	ok(tr.len == 31 && memcmp(tr.got, "28 <134>1 - h - - - - resend me", 31) == 0,
	   "the record goes out whole on the new connection");

	/* A transport that takes nothing for stall_ms is dropped. */
	tr.room = 0;
	r = msg_rec("stuck");
	ship_enqueue(&sh, &r, &why);
	ship_poll(&sh, now);
	ship_poll(&sh, now + cfg.stall_ms);
	is_int(sh.stats.stalls, 1, "no progress for stall_ms: dropped and retried");

	/* Too long: cut at a UTF-8 boundary to fit record_max. */
	memset(big, 'x', sizeof big);
	memcpy(big + 90, "\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac", 9);
	big[sizeof big - 1] = '\0';
	r = msg_rec(big);
	r.msg_utf8 = true;
	is_int(ship_enqueue(&sh, &r, &why), E_OK, "a 3000-byte message is queued");
	is_int(sh.stats.truncated, 1, "cut, and counted");
	{
		int last = (sh.head + sh.count - 1) % cfg.queue_records;
		const char *p = sh.slots + (size_t)last * cfg.record_max;
		size_t len = sh.lens[last];
		size_t j, cont = 0;

		ok(len <= cfg.record_max, "fits the slot (%zu bytes)", len);
		for (j = len; j > 0 && ((unsigned char)p[j - 1] & 0xc0) == 0x80; j--)
			cont++;
		ok(j > 0 && ((unsigned char)p[j - 1] < 0x80 || ((unsigned char)p[j - 1] >= 0xe0 && cont == 2)),
		   "ends on a whole character");
	}
	r = msg_rec("ok");
	r.severity = 9;
	is_int(ship_enqueue(&sh, &r, &why), E_INVAL, "a record that does not format: E_INVAL");
	is_int(sh.stats.dropped_invalid, 1, "counted as invalid");
	ship_free(&sh);
}

int main(void)
{
	plan_no_plan();
	test_format();
	test_civil();
	test_parse();
	test_deframe();
	test_shipper();
	return done_testing();
}
