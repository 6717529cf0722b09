/*
 * http_parse.c: HTTP/1.1 request parsing (RFC 9112 §2-§6), strict where
 * leniency has bitten servers (request smuggling, header injection):
 * single spaces in the request line, no whitespace before a field's
 * colon, no obsolete line folding, no bare CR, no control bytes in a
 * value, one well-formed Content-Length, one Host. Bare LF ends a line,
 * as §2.2 allows.
 *
 * The parser is re-run from the start each time more bytes arrive; the
 * core only calls it when a new line is complete, so the cost stays
 * linear in the number of lines.
 */
#include <string.h>

#include "http.h"

struct http_limits http_limits_default(void)
{
	struct http_limits l = { 8000, 16384, 64, 65536 };

	return l;
}

/* RFC 9110 §5.6.2 tchar. */
static bool is_tchar(unsigned char c)
{
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return true;
	return c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* One line [s, e): e is the LF; a CR right before it is dropped, any
   other CR makes the line invalid (returns false). */
static bool line_end(const char *s, const char **e)
{
	if (*e > s && (*e)[-1] == '\r')
		(*e)--;
	return memchr(s, '\r', (size_t)(*e - s)) == NULL;
}

static bool word_is(const char *s, size_t n, const char *word)
{
	return strlen(word) == n && strncasecmp(s, word, n) == 0;
}

/* method SP target SP HTTP/d.d: 0 or minus a status. */
static long parse_request_line(const char *s, const char *e, struct http_request *req)
{
	const char *sp1, *sp2, *t, *q;

	for (sp1 = s; sp1 < e && is_tchar((unsigned char)*sp1); sp1++)
		;
	if (sp1 == s || sp1 == e || *sp1 != ' ')
		return -400;
	req->method = (sp1 - s == 3 && memcmp(s, "GET", 3) == 0) ? HTTP_GET :
		      (sp1 - s == 4 && memcmp(s, "HEAD", 4) == 0) ? HTTP_HEAD : HTTP_OTHER_METHOD;
	for (sp2 = t = sp1 + 1; sp2 < e && *sp2 > ' ' && *sp2 < 0x7f; sp2++)
		;
	if (sp2 == t || sp2 == e || *sp2 != ' ')
		return -400;
	if (sp2 - t > 7 && strncasecmp(t, "http://", 7) == 0) {	/* absolute-form */
		t += 7;
		while (t < sp2 && *t != '/')
			t++;
		if (t == sp2)
			return -400;
	} else if (*t != '/' && !(sp2 - t == 1 && *t == '*'))
		return -400;
	q = memchr(t, '?', (size_t)(sp2 - t));
	req->path = t;
	req->path_len = (size_t)((q ? q : sp2) - t);
	s = sp2 + 1;
	if (e - s != 8 || memcmp(s, "HTTP/", 5) != 0 || s[6] != '.' ||
	    s[5] < '0' || s[5] > '9' || s[7] < '0' || s[7] > '9')
		return -400;
	if (s[5] != '1' || (s[7] != '0' && s[7] != '1'))
		return -505;
	req->version_minor = s[7] - '0';
	return 0;
}

/* What the header fields said, checked once they are all in. */
struct fields {
	int count, hosts;
	bool have_length, chunked_or_te, close, keep_alive;
};

/* Content-Length: 1*DIGIT, agreeing with an earlier one. */
static long parse_length(const char *v, size_t n, struct fields *f, struct http_request *req)
{
	size_t len = 0, i;

	if (n == 0)
		return -400;
	for (i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -400;
		if (len > (SIZE_MAX - 9) / 10)
			return -400;
		len = len * 10 + (size_t)(v[i] - '0');
	}
	if (f->have_length && len != req->content_length)
		return -400;
	f->have_length = true;
	req->content_length = len;
	return 0;
}

/* Connection: a comma-separated list of options. */
static void parse_connection(const char *v, size_t n, struct fields *f)
{
	const char *end = v + n;

	while (v < end) {
		const char *comma = memchr(v, ',', (size_t)(end - v)), *te = comma ? comma : end;
		const char *ts = v;

		while (ts < te && (*ts == ' ' || *ts == '\t'))
			ts++;
		while (te > ts && (te[-1] == ' ' || te[-1] == '\t'))
			te--;
		if (word_is(ts, (size_t)(te - ts), "close"))
			f->close = true;
		else if (word_is(ts, (size_t)(te - ts), "keep-alive"))
			f->keep_alive = true;
		v = comma ? comma + 1 : end;
	}
}

/* name ":" OWS value OWS: 0 or minus a status. */
static long parse_field(const char *s, const char *e, struct fields *f, struct http_request *req)
{
	const char *colon, *v, *ve, *p;

	if (*s == ' ' || *s == '\t')
		return -400;		/* obsolete line folding */
	for (colon = s; colon < e && is_tchar((unsigned char)*colon); colon++)
		;
	if (colon == s || colon == e || *colon != ':')
		return -400;		/* includes whitespace before the colon */
	for (v = colon + 1; v < e && (*v == ' ' || *v == '\t'); v++)
		;
	for (ve = e; ve > v && (ve[-1] == ' ' || ve[-1] == '\t'); ve--)
		;
	for (p = v; p < ve; p++)
		if ((unsigned char)*p < 0x20 && *p != '\t')
			return -400;
		else if (*p == 0x7f)
			return -400;
	f->count++;
	if (word_is(s, (size_t)(colon - s), "host"))
		f->hosts++;
	else if (word_is(s, (size_t)(colon - s), "content-length"))
		return parse_length(v, (size_t)(ve - v), f, req);
	else if (word_is(s, (size_t)(colon - s), "transfer-encoding"))
		f->chunked_or_te = true;
	else if (word_is(s, (size_t)(colon - s), "connection"))
		parse_connection(v, (size_t)(ve - v), f);
	else if (word_is(s, (size_t)(colon - s), "accept") && req->accept == NULL) {
		req->accept = v;
		req->accept_len = (size_t)(ve - v);
	}
	return 0;
}

/* The checks that need every field: 0 or minus a status. */
static long finish(const struct fields *f, const struct http_limits *lim, struct http_request *req)
{
	if (f->hosts > 1 || (req->version_minor == 1 && f->hosts == 0))
		return -400;
	if (f->chunked_or_te)
		return -501;
	if (req->content_length > lim->body_bytes)
		return -413;
	req->keep_alive = req->version_minor == 1 ? !f->close : (f->keep_alive && !f->close);
	return 0;
}

long http_parse_request(const char *buf, size_t len, const struct http_limits *lim,
			struct http_request *req)
{
	struct fields f = { 0 };
	const char *s = buf, *end = buf + len, *lf, *e;
	long r;

	memset(req, 0, sizeof *req);
	while (s < end && (*s == '\n' || (*s == '\r' && s + 1 < end && s[1] == '\n')))
		s += *s == '\n' ? 1 : 2;
	lf = memchr(s, '\n', (size_t)(end - s));
	if (lf == NULL || (size_t)(lf - s) > lim->request_line + 1) {
		if ((size_t)(lf ? lf - s : end - s) > lim->request_line + 1)
			return -414;
		return (size_t)(end - buf) > lim->header_bytes ? -431 : 0;
	}
	e = lf;
	if (!line_end(s, &e) || (size_t)(e - s) > lim->request_line)
		return e - s > (long)lim->request_line ? -414 : -400;
	if ((r = parse_request_line(s, e, req)) != 0)
		return r;
	for (s = lf + 1;; s = lf + 1) {
		if ((size_t)(s - buf) > lim->header_bytes)
			return -431;
		if ((lf = memchr(s, '\n', (size_t)(end - s))) == NULL)
			return (size_t)(end - buf) > lim->header_bytes ? -431 : 0;
		e = lf;
		if (!line_end(s, &e))
			return -400;
		if (e == s)
			break;		/* the blank line */
		if (f.count == lim->header_fields)
			return -431;
		if ((r = parse_field(s, e, &f, req)) != 0)
			return r;
	}
	if ((size_t)(lf + 1 - buf) > lim->header_bytes)
		return -431;
	if ((r = finish(&f, lim, req)) != 0)
		return r;
	req->header_len = (size_t)(lf + 1 - buf);
	return (long)req->header_len;
}

const char *http_reason(int status)
{
	static const struct {
		int status;
		const char *reason;
	} table[] = {
		{ 200, "OK" }, { 400, "Bad Request" }, { 404, "Not Found" },
		{ 405, "Method Not Allowed" }, { 406, "Not Acceptable" },
		{ 408, "Request Timeout" }, { 413, "Content Too Large" },
		{ 414, "URI Too Long" }, { 431, "Request Header Fields Too Large" },
		{ 500, "Internal Server Error" }, { 501, "Not Implemented" },
		{ 503, "Service Unavailable" }, { 505, "HTTP Version Not Supported" },
	};
	size_t i;

	for (i = 0; i < sizeof table / sizeof table[0]; i++)
		if (table[i].status == status)
			return table[i].reason;
	return "";
}
