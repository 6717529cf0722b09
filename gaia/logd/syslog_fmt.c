/*
 * syslog_fmt.c: RFC 5424 formatting (syslog.h).
 *
 *   <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA [BOM]MSG
 *
 * Fields are checked, not repaired (syslog_clean_field repairs names for
 * callers that must not lose a record); the timestamp comes from Unix
 * seconds through our own civil-date conversion, since libmercury has no
 * gmtime.
 */
#include <string.h>

#include "syslog.h"

struct out {
	char *p;
	size_t len, cap;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->len + n <= o->cap)
		memcpy(o->p + o->len, s, n);
	o->len += n;
}

static void put_c(struct out *o, char c)
{
	put(o, &c, 1);
}

/* v in decimal, at least width digits. */
static void put_num(struct out *o, uint64_t v, int width)
{
	char d[24];
	int n = 0;

	do {
		d[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0 || n < width);
	while (n > 0)
		put_c(o, d[--n]);
}

struct syslog_str syslog_s(const char *s)
{
	struct syslog_str r = { NULL, 0 };

	if (s != NULL && s[0] != '\0')
		r.p = s, r.len = strlen(s);
	return r;
}

static bool printusascii(const struct syslog_str *s)
{
	size_t i;

	for (i = 0; i < s->len; i++)
		if ((unsigned char)s->p[i] < 33 || (unsigned char)s->p[i] > 126)
			return false;
	return true;
}

/* A header field or NILVALUE: 1..max PRINTUSASCII. */
static bool put_field(struct out *o, const struct syslog_str *s, size_t max)
{
	put_c(o, ' ');
	if (s->len == 0) {
		put_c(o, '-');
		return true;
	}
	if (s->len > max || !printusascii(s))
		return false;
	put(o, s->p, s->len);
	return true;
}

/* Days from 1970-01-01 to y-m-d; the era arithmetic keeps every step in
   non-negative integers (400-year eras of 146097 days). */
int64_t syslog_days_from_civil(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The inverse: y-m-d from days since 1970-01-01. */
static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* RFC 3339 local time of t at its offset: 2026-12-07T01:02:03.000004+01:00. */
static bool put_time(struct out *o, const struct syslog_time *t)
{
	int64_t local, days, secs;
	int y, m, d, off;

	put_c(o, ' ');
	if (!t->present) {
		put_c(o, '-');
		return true;
	}
	if (t->usec > 999999 || t->offset_min < -1439 || t->offset_min > 1439)
		return false;
	local = t->sec + (int64_t)t->offset_min * 60;
	days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
	secs = local - days * 86400;
	civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999)
		return false;
	put_num(o, (uint64_t)y, 4);
	put_c(o, '-');
	put_num(o, (uint64_t)m, 2);
	put_c(o, '-');
	put_num(o, (uint64_t)d, 2);
	put_c(o, 'T');
	put_num(o, (uint64_t)(secs / 3600), 2);
	put_c(o, ':');
	put_num(o, (uint64_t)(secs / 60 % 60), 2);
	put_c(o, ':');
	put_num(o, (uint64_t)(secs % 60), 2);
	put_c(o, '.');
	put_num(o, t->usec, 6);
	if (t->offset_min == 0) {
		put_c(o, 'Z');
		return true;
	}
	off = t->offset_min < 0 ? -t->offset_min : t->offset_min;
	put_c(o, t->offset_min < 0 ? '-' : '+');
	put_num(o, (uint64_t)(off / 60), 2);
	put_c(o, ':');
	put_num(o, (uint64_t)(off % 60), 2);
	return true;
}

/* SD-NAME: 1..32 PRINTUSASCII except '=', SP, ']', '"'. */
static bool sd_name_ok(const struct syslog_str *s)
{
	size_t i;

	if (s->len == 0 || s->len > SYSLOG_MAX_SDNAME || !printusascii(s))
		return false;
	for (i = 0; i < s->len; i++)
		if (s->p[i] == '=' || s->p[i] == ']' || s->p[i] == '"')
			return false;
	return true;
}

/* A PARAM-VALUE with '"', '\' and ']' escaped (RFC 5424 §6.3.3). */
static void put_param_value(struct out *o, const struct syslog_str *v)
{
	size_t i;

	for (i = 0; i < v->len; i++) {
		if (v->p[i] == '"' || v->p[i] == '\\' || v->p[i] == ']')
			put_c(o, '\\');
		put_c(o, v->p[i]);
	}
}

static const char *put_sd(struct out *o, const struct syslog_record *rec)
{
	int i, j, k;

	put_c(o, ' ');
	if (rec->nsd == 0) {
		put_c(o, '-');
		return NULL;
	}
	if (rec->nsd < 0 || rec->nsd > SYSLOG_MAX_SD)
		return "too many structured-data elements";
	for (i = 0; i < rec->nsd; i++) {
		const struct syslog_sd *e = &rec->sd[i];

		if (!sd_name_ok(&e->id))
			return "SD-ID must be 1-32 printable ASCII without = ] \" or space";
		for (k = 0; k < i; k++)
			if (rec->sd[k].id.len == e->id.len && memcmp(rec->sd[k].id.p, e->id.p, e->id.len) == 0)
				return "the same SD-ID twice in one record";
		if (e->nparams < 0 || e->nparams > SYSLOG_MAX_PARAMS)
			return "too many SD-PARAMs";
		put_c(o, '[');
		put(o, e->id.p, e->id.len);
		for (j = 0; j < e->nparams; j++) {
			if (!sd_name_ok(&e->params[j].name))
				return "PARAM-NAME must be 1-32 printable ASCII without = ] \" or space";
			put_c(o, ' ');
			put(o, e->params[j].name.p, e->params[j].name.len);
			put(o, "=\"", 2);
			put_param_value(o, &e->params[j].value);
			put_c(o, '"');
		}
		put_c(o, ']');
	}
	return NULL;
}

enum hl_error syslog_format(const struct syslog_record *rec, char *buf, size_t cap,
			    size_t *len, const char **why)
{
	struct out o = { buf, 0, cap };
	const char *bad;

	if (rec->facility < 0 || rec->facility > 23 || rec->severity < 0 || rec->severity > 7) {
		*why = "facility must be 0-23 and severity 0-7";
		return E_INVAL;
	}
	put_c(&o, '<');
	put_num(&o, (uint64_t)(rec->facility * 8 + rec->severity), 1);
	put(&o, ">1", 2);
	if (!put_time(&o, &rec->time)) {
		*why = "timestamp out of range (year 0-9999, usec < 10^6, offset within a day)";
		return E_INVAL;
	}
	if (!put_field(&o, &rec->host, SYSLOG_MAX_HOST) || !put_field(&o, &rec->app, SYSLOG_MAX_APP) ||
	    !put_field(&o, &rec->procid, SYSLOG_MAX_PROCID) || !put_field(&o, &rec->msgid, SYSLOG_MAX_MSGID)) {
		*why = "HOSTNAME, APP-NAME, PROCID and MSGID must be printable ASCII of at most 255, 48, 128, 32";
		return E_INVAL;
	}
	if ((bad = put_sd(&o, rec)) != NULL) {
		*why = bad;
		return E_INVAL;
	}
	if (rec->msg.len > 0) {
		put_c(&o, ' ');
		if (rec->msg_utf8)
			put(&o, "\xef\xbb\xbf", 3);
		put(&o, rec->msg.p, rec->msg.len);
	}
	if (o.len > cap) {
		*why = "record does not fit in the buffer";
		return E_RANGE;
	}
	*len = o.len;
	return E_OK;
}

size_t syslog_clean_field(char *s, size_t n, size_t max)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 33 || (unsigned char)s[i] > 126)
			s[i] = '_';
	return n < max ? n : max;
}

size_t syslog_frame_octets(char *buf, size_t len, size_t cap)
{
	char num[24];
	size_t n = 0, i;
	size_t v = len;

	do {
		num[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	if (len + n + 1 > cap)
		return 0;
	memmove(buf + n + 1, buf, len);
	for (i = 0; i < n; i++)
		buf[i] = num[n - 1 - i];
	buf[n] = ' ';
	return len + n + 1;
}
