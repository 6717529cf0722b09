/*
 * accept.c: content negotiation between the two page formats from an
 * HTTP Accept header (RFC 9110 §12.5.1).
 *
 * Each media range is matched against both formats; a format takes the q
 * of the most specific range that matches it (a version parameter beats a
 * bare type, which beats type/star, which beats star/star). The higher q
 * wins; on a tie the more specific match, and on a full tie 0.0.4, the
 * format every scraper reads. A malformed range is ignored, not fatal.
 */
#include <string.h>

#include "metrics.h"

struct want {
	int q;		/* in thousandths; -1 = not matched */
	int spec;	/* specificity of the range that set q */
};

static bool is_ows(char c) { return c == ' ' || c == '\t'; }

/* [s, e) with optional whitespace trimmed on both ends. */
static void trim(const char **s, const char **e)
{
	while (*s < *e && is_ows(**s))
		(*s)++;
	while (*e > *s && is_ows((*e)[-1]))
		(*e)--;
}

static bool token_is(const char *s, const char *e, const char *word)
{
	size_t n = strlen(word);

	return (size_t)(e - s) == n && strncasecmp(s, word, n) == 0;
}

/* A qvalue ("0", "0.5", "1.000") in thousandths, or -1 if malformed. */
static int parse_q(const char *s, const char *e)
{
	int q, scale = 100;

	if (s == e || (*s != '0' && *s != '1'))
		return -1;
	q = (*s++ - '0') * 1000;
	if (s < e && *s++ != '.')
		return -1;
	for (; s < e; s++, scale /= 10) {
		if (*s < '0' || *s > '9' || scale == 0)
			return -1;
		q += (*s - '0') * scale;
	}
	return q > 1000 ? -1 : q;
}

/* One media range [s, e): updates the wants of both formats. */
static void match_range(const char *s, const char *e, struct want *text, struct want *om)
{
	const char *semi = memchr(s, ';', (size_t)(e - s)), *type_end = semi ? semi : e;
	const char *version = NULL, *version_end = NULL;
	int q = 1000, spec_text = -1, spec_om = -1;

	trim(&s, &type_end);
	while (semi != NULL) {		/* parameters: name=value */
		const char *p = semi + 1, *pe, *eq;

		semi = memchr(p, ';', (size_t)(e - p));
		pe = semi ? semi : e;
		trim(&p, &pe);
		if ((eq = memchr(p, '=', (size_t)(pe - p))) == NULL)
			continue;
		if (token_is(p, eq, "q") && (q = parse_q(eq + 1, pe)) < 0)
			return;
		if (token_is(p, eq, "version"))
			version = eq + 1, version_end = pe;
	}
	if (token_is(s, type_end, "*/*"))
		spec_text = spec_om = 0;
	else if (token_is(s, type_end, "text/*"))
		spec_text = 1;
	else if (token_is(s, type_end, "application/*"))
		spec_om = 1;
	else if (token_is(s, type_end, "text/plain"))
		spec_text = version == NULL ? 2 : token_is(version, version_end, "0.0.4") ? 3 : -1;
	else if (token_is(s, type_end, "application/openmetrics-text"))
		spec_om = version == NULL ? 2 : token_is(version, version_end, "1.0.0") ? 3 : -1;
	if (spec_text > text->spec)
		text->q = q, text->spec = spec_text;
	if (spec_om > om->spec)
		om->q = q, om->spec = spec_om;
}

bool metrics_negotiate(const char *accept, enum metrics_format *out)
{
	struct want text = { -1, -1 }, om = { -1, -1 };
	const char *s = accept, *comma;

	*out = METRICS_TEXT_004;
	if (accept == NULL)
		return true;
	for (; s != NULL; s = comma ? comma + 1 : NULL) {
		comma = strchr(s, ',');
		match_range(s, comma ? comma : s + strlen(s), &text, &om);
	}
	if (text.q <= 0 && om.q <= 0) {
		/* Refused only when a range matched with q=0; a header that
		   names neither format is ignored, as RFC 9110 allows. */
		return text.q != 0 && om.q != 0;
	}
	if (om.q > text.q || (om.q == text.q && om.spec > text.spec))
		*out = METRICS_OPENMETRICS;
	return true;
}
