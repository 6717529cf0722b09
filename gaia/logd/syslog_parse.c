/*
 * syslog_parse.c: received records back into struct syslog_record
 * (syslog.h). RFC 5424 is parsed strictly by its ABNF (§6); RFC 3164 only
 * describes what senders did, so that side is lenient the way rsyslog's
 * rfc3164 parser is: whatever follows a PRI is a message, and a
 * timestamp, host and TAG[PID]: are taken when they are there.
 */
#include <string.h>

#include "syslog.h"

struct cursor {
	const char *p, *end;
};

static bool at_end(const struct cursor *c) { return c->p >= c->end; }

static bool eat(struct cursor *c, char ch)
{
	if (at_end(c) || *c->p != ch)
		return false;
	c->p++;
	return true;
}

/* n decimal digits exactly; -1 if not. */
static int digits(struct cursor *c, int n)
{
	int v = 0, i;

	if (c->end - c->p < n)
		return -1;
	for (i = 0; i < n; i++) {
		if (c->p[i] < '0' || c->p[i] > '9')
			return -1;
		v = v * 10 + (c->p[i] - '0');
	}
	c->p += n;
	return v;
}

/* "<" PRIVAL ">" with PRIVAL 0..191, no leading zero. */
static bool parse_pri(struct cursor *c, struct syslog_record *rec)
{
	int v = 0, n = 0;

	if (!eat(c, '<'))
		return false;
	while (!at_end(c) && *c->p >= '0' && *c->p <= '9' && n < 3) {
		if (n == 1 && v == 0)
			return false;
		v = v * 10 + (*c->p++ - '0');
		n++;
	}
	if (n == 0 || v > 191 || !eat(c, '>'))
		return false;
	rec->facility = v / 8;
	rec->severity = v % 8;
	return true;
}

/* A header field up to the next SP: NILVALUE or 1..max PRINTUSASCII. */
static bool parse_field(struct cursor *c, struct syslog_str *out, size_t max)
{
	const char *s = c->p;

	while (!at_end(c) && *c->p != ' ') {
		if ((unsigned char)*c->p < 33 || (unsigned char)*c->p > 126)
			return false;
		c->p++;
	}
	if (c->p == s || (size_t)(c->p - s) > max)
		return false;
	out->p = s;
	out->len = (size_t)(c->p - s);
	if (out->len == 1 && *s == '-')
		out->p = NULL, out->len = 0;
	return true;
}

static bool days_ok(int y, int m, int d)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return false;
	return !(m == 2 && d == 29 && !leap);
}

/* RFC 3339 as RFC 5424 §6.2.3 restricts it (T and Z upper case, at most
   6 fraction digits); or NILVALUE. */
static bool parse_time(struct cursor *c, struct syslog_time *t)
{
	int y, mo, d, h, mi, s, oh = 0, om = 0, sign = 0, n = 0;
	uint32_t usec = 0, scale = 100000;

	memset(t, 0, sizeof *t);
	if (eat(c, '-'))
		return true;
	if ((y = digits(c, 4)) < 0 || !eat(c, '-') || (mo = digits(c, 2)) < 0 || !eat(c, '-') ||
	    (d = digits(c, 2)) < 0 || !eat(c, 'T') || (h = digits(c, 2)) < 0 || !eat(c, ':') ||
	    (mi = digits(c, 2)) < 0 || !eat(c, ':') || (s = digits(c, 2)) < 0)
		return false;
	if (!days_ok(y, mo, d) || h > 23 || mi > 59 || s > 60)
		return false;
	if (eat(c, '.')) {
		while (!at_end(c) && *c->p >= '0' && *c->p <= '9') {
			if (++n > 6)
				return false;
			usec += (uint32_t)(*c->p++ - '0') * scale;
			scale /= 10;
		}
		if (n == 0)
			return false;
	}
	if (!eat(c, 'Z')) {
		if (eat(c, '+'))
			sign = 1;
		else if (eat(c, '-'))
			sign = -1;
		else
			return false;
		if ((oh = digits(c, 2)) < 0 || !eat(c, ':') || (om = digits(c, 2)) < 0 || oh > 23 || om > 59)
			return false;
	}
	t->present = true;
	t->usec = usec;
	t->offset_min = sign * (oh * 60 + om);
	t->sec = syslog_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + (s > 59 ? 59 : s) -
		 (int64_t)t->offset_min * 60;
	return true;
}

/* SD-NAME: 1..32 PRINTUSASCII except = SP ] ". */
static bool parse_sd_name(struct cursor *c, struct syslog_str *out)
{
	const char *s = c->p;

	while (!at_end(c) && (unsigned char)*c->p >= 33 && (unsigned char)*c->p <= 126 &&
	       *c->p != '=' && *c->p != ']' && *c->p != '"')
		c->p++;
	out->p = s;
	out->len = (size_t)(c->p - s);
	return out->len >= 1 && out->len <= SYSLOG_MAX_SDNAME;
}

/* PARAM-VALUE up to the unescaped closing quote; kept escaped. */
static bool parse_param_value(struct cursor *c, struct syslog_str *out)
{
	const char *s = c->p;

	while (!at_end(c) && *c->p != '"') {
		if (*c->p == '\\' && c->p + 1 < c->end)
			c->p++;
		c->p++;
	}
	out->p = s;
	out->len = (size_t)(c->p - s);
	return eat(c, '"');
}

static const char *parse_sd(struct cursor *c, struct syslog_record *rec)
{
	if (eat(c, '-'))
		return NULL;
	if (at_end(c) || *c->p != '[')
		return "STRUCTURED-DATA must be - or [elements]";
	while (eat(c, '[')) {
		struct syslog_sd *e;
		int k;

		if (rec->nsd == SYSLOG_MAX_SD)
			return "more than 8 structured-data elements";
		e = &rec->sd[rec->nsd];
		e->nparams = 0;
		if (!parse_sd_name(c, &e->id))
			return "bad SD-ID";
		for (k = 0; k < rec->nsd; k++)
			if (rec->sd[k].id.len == e->id.len && memcmp(rec->sd[k].id.p, e->id.p, e->id.len) == 0)
				return "the same SD-ID twice";
		while (eat(c, ' ')) {
			struct syslog_param *p;

			if (e->nparams == SYSLOG_MAX_PARAMS)
				return "more than 16 SD-PARAMs in an element";
			p = &e->params[e->nparams++];
			if (!parse_sd_name(c, &p->name) || !eat(c, '=') || !eat(c, '"') ||
			    !parse_param_value(c, &p->value))
				return "bad SD-PARAM (want name=\"value\")";
		}
		if (!eat(c, ']'))
			return "structured-data element not closed by ]";
		rec->nsd++;
	}
	return NULL;
}

static void take_msg(struct cursor *c, struct syslog_record *rec)
{
	if (c->end - c->p >= 3 && memcmp(c->p, "\xef\xbb\xbf", 3) == 0) {
		rec->msg_utf8 = true;
		c->p += 3;
	}
	rec->msg.p = c->p;
	rec->msg.len = (size_t)(c->end - c->p);
}

static enum hl_error parse_5424(struct cursor *c, struct syslog_record *rec, const char **why)
{
	const char *bad;

	rec->version = 1;
	if (!parse_time(c, &rec->time) || !eat(c, ' ')) {
		*why = "bad TIMESTAMP (RFC 3339, e.g. 2026-12-07T01:02:03.5Z, or -)";
		return E_INVAL;
	}
	if (!parse_field(c, &rec->host, SYSLOG_MAX_HOST) || !eat(c, ' ') ||
	    !parse_field(c, &rec->app, SYSLOG_MAX_APP) || !eat(c, ' ') ||
	    !parse_field(c, &rec->procid, SYSLOG_MAX_PROCID) || !eat(c, ' ') ||
	    !parse_field(c, &rec->msgid, SYSLOG_MAX_MSGID) || !eat(c, ' ')) {
		*why = "bad HOSTNAME, APP-NAME, PROCID or MSGID";
		return E_INVAL;
	}
	if ((bad = parse_sd(c, rec)) != NULL) {
		*why = bad;
		return E_INVAL;
	}
	if (!at_end(c) && !eat(c, ' ')) {
		*why = "no space between STRUCTURED-DATA and MSG";
		return E_INVAL;
	}
	take_msg(c, rec);
	return E_OK;
}

/* "Mmm dd hh:mm:ss" (dd may be " 7"), into t with the given year. */
static bool parse_3164_time(struct cursor *c, int year, struct syslog_time *t)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	struct cursor k = *c;
	int m, d, h, mi, s;

	if (k.end - k.p < 15)
		return false;
	for (m = 0; m < 12; m++)
		if (memcmp(k.p, months + 3 * m, 3) == 0)
			break;
	if (m == 12 || k.p[3] != ' ')
		return false;
	k.p += 4;
	if (*k.p == ' ')
		k.p++, d = digits(&k, 1);
	else
		d = digits(&k, 2);
	if (d < 1 || !eat(&k, ' ') || (h = digits(&k, 2)) < 0 || !eat(&k, ':') ||
	    (mi = digits(&k, 2)) < 0 || !eat(&k, ':') || (s = digits(&k, 2)) < 0 ||
	    h > 23 || mi > 59 || s > 60 || !days_ok(year, m + 1, d))
		return false;
	t->present = true;
	t->usec = 0;
	t->offset_min = 0;
	t->sec = syslog_days_from_civil(year, m + 1, d) * 86400 + h * 3600 + mi * 60 + (s > 59 ? 59 : s);
	*c = k;
	return true;
}

/* The TAG: up to 32 of [A-Za-z0-9._/-], then optional [PID], then ':'
   (or a space after [PID]). */
static void parse_3164_tag(struct cursor *c, struct syslog_record *rec)
{
	struct cursor k = *c;
	struct syslog_str tag = { k.p, 0 }, pid = { NULL, 0 };

	while (!at_end(&k) && tag.len < 32 &&
	       ((*k.p >= 'a' && *k.p <= 'z') || (*k.p >= 'A' && *k.p <= 'Z') ||
		(*k.p >= '0' && *k.p <= '9') || strchr("._/-", *k.p) != NULL))
		k.p++, tag.len++;
	if (tag.len == 0)
		return;
	if (eat(&k, '[')) {
		pid.p = k.p;
		while (!at_end(&k) && *k.p != ']' && pid.len < SYSLOG_MAX_PROCID &&
		       (unsigned char)*k.p >= 33 && (unsigned char)*k.p <= 126)
			k.p++, pid.len++;
		if (!eat(&k, ']') || pid.len == 0)
			return;
	}
	/* "TAG: " as RFC 3164 has it, or "TAG[PID] " as rsyslog forwards a
	   record that came in as RFC 5424; anything else is all message. */
	if (!eat(&k, ':') && !(pid.len > 0 && !at_end(&k) && *k.p == ' '))
		return;
	eat(&k, ' ');
	rec->app = tag;
	rec->procid = pid;
	*c = k;
}

static enum hl_error parse_3164(struct cursor *c, int year, struct syslog_record *rec)
{
	struct cursor k;

	rec->version = 0;
	if (parse_3164_time(c, year, &rec->time) || (k = *c, parse_time(&k, &rec->time) &&
						      rec->time.present && (*c = k, true))) {
		/* After a timestamp: " HOST " unless the word is the tag. */
		struct cursor h = *c;
		struct syslog_str host;

		if (eat(&h, ' ') && parse_field(&h, &host, SYSLOG_MAX_HOST) && eat(&h, ' ') &&
		    host.len > 0 && host.p[host.len - 1] != ':' && memchr(host.p, '[', host.len) == NULL) {
			rec->host = host;
			*c = h;
		} else
			eat(c, ' ');
	}
	parse_3164_tag(c, rec);
	take_msg(c, rec);
	return E_OK;
}

enum hl_error syslog_parse(const char *buf, size_t n, int this_year, struct syslog_record *rec,
			   const char **why)
{
	struct cursor c = { buf, buf + n };

	memset(rec, 0, sizeof *rec);
	while (c.end > c.p && (c.end[-1] == '\n' || c.end[-1] == '\r' || c.end[-1] == '\0'))
		c.end--;
	if (c.p == c.end) {
		*why = "empty record";
		return E_INVAL;
	}
	if (!parse_pri(&c, rec)) {
		/* RFC 3164 §4.3.3: a record without a valid PRI is taken
		   whole, as user.notice. */
		c.p = buf;
		rec->facility = 1;
		rec->severity = SYSLOG_NOTICE;
		rec->version = 0;
		take_msg(&c, rec);
		return E_OK;
	}
	if (c.end - c.p >= 2 && c.p[0] == '1' && c.p[1] == ' ') {
		c.p += 2;
		return parse_5424(&c, rec, why);
	}
	return parse_3164(&c, this_year, rec);
}

const char *syslog_sd_get(const struct syslog_record *rec, const char *id, const char *name,
			  char *scratch, size_t cap)
{
	size_t idl = strlen(id), nl = strlen(name), i, o = 0;
	int e, p;

	for (e = 0; e < rec->nsd; e++) {
		const struct syslog_sd *sd = &rec->sd[e];

		if (sd->id.len != idl || memcmp(sd->id.p, id, idl) != 0)
			continue;
		for (p = 0; p < sd->nparams; p++) {
			const struct syslog_str *v = &sd->params[p].value;

			if (sd->params[p].name.len != nl || memcmp(sd->params[p].name.p, name, nl) != 0)
				continue;
			for (i = 0; i < v->len; i++) {
				/* Only \" \\ \] are escapes; any other \ is literal. */
				if (v->p[i] == '\\' && i + 1 < v->len && strchr("\"\\]", v->p[i + 1]) != NULL)
					i++;
				if (o + 1 >= cap)
					return NULL;
				scratch[o++] = v->p[i];
			}
			scratch[o] = '\0';
			return scratch;
		}
	}
	return NULL;
}
