/*
 * bus_policy.c: parsing policy rules and deciding requests by them.
 * Rules are few (tens) and requests rare next to the calls they enable,
 * so deciding is a linear scan with a backtracking-free glob.
 */
#include <mercury/string.h>
#include <helios/errors.h>
#include "bus_policy.h"

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '_' || c == '-' || c == '/';
}

/* s[0..n) is made of name bytes (and `*` if star). */
static bool chars_valid(const char *s, size_t n, bool star)
{
	for (size_t i = 0; i < n; i++)
		if (!name_char(s[i]) && !(star && s[i] == '*'))
			return false;
	return true;
}

bool bus_name_valid(const char *s)
{
	size_t n = strlen(s);

	return n >= 1 && n <= BUS_NAME_MAX && chars_valid(s, n, false) && s[0] != '/' &&
	       s[n - 1] != '/';
}

bool bus_client_valid(const char *s)
{
	size_t n = strlen(s);

	return n >= 1 && n <= BUS_CLIENT_MAX && chars_valid(s, n, false);
}

/* Glob with `*` only: on a mismatch, retry from the last star, one byte
 * further (linear per star, no recursion). */
bool bus_glob(const char *pat, const char *s)
{
	const char *star = NULL, *resume = NULL;

	while (*s) {
		if (*pat == '*') {
			star = pat++;
			resume = s;
		} else if (*pat == *s) {
			pat++;
			s++;
		} else if (star) {
			pat = star + 1;
			s = ++resume;
		} else {
			return false;
		}
	}
	while (*pat == '*')
		pat++;
	return *pat == 0;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Splits line into at most max words (up to a '#'); returns the count, or
 * max + 1 if there are more. Words are copied into w[i] (room: size). */
static unsigned split(const char *line, char w[][BUS_NAME_MAX + 2], unsigned max)
{
	unsigned n = 0;

	for (;;) {
		size_t len = 0;

		while (is_space(*line))
			line++;
		if (!*line || *line == '#')
			return n;
		if (n == max)
			return max + 1;
		while (*line && !is_space(*line) && *line != '#') {
			if (len <= BUS_NAME_MAX)	/* one byte over: too long, found later */
				w[n][len++] = *line;
			line++;
		}
		w[n++][len] = 0;
	}
}

int bus_policy_add(struct bus_policy *p, const char *line, const char **why)
{
	char w[4][BUS_NAME_MAX + 2];
	unsigned n = split(line, w, 4);
	struct bus_rule *r;

	if (n == 0)
		return E_OK;
	if (n != 4 || strcmp(w[2], "by")) {
		*why = "expected: register|lookup NAME-PATTERN by CLIENT-PATTERN";
		return E_INVAL;
	}
	if (strcmp(w[0], "register") && strcmp(w[0], "lookup")) {
		*why = "unknown verb (register or lookup)";
		return E_INVAL;
	}
	if (strlen(w[1]) > BUS_NAME_MAX || !w[1][0] || !chars_valid(w[1], strlen(w[1]), true)) {
		*why = "bad name pattern (1-64 bytes of A-Z a-z 0-9 . _ - / *)";
		return E_INVAL;
	}
	if (strlen(w[3]) > BUS_CLIENT_MAX || !w[3][0] || !chars_valid(w[3], strlen(w[3]), true)) {
		*why = "bad client pattern (1-32 bytes of A-Z a-z 0-9 . _ - / *)";
		return E_INVAL;
	}
	if (p->n == BUS_RULES_MAX) {
		*why = "too many rules";
		return E_NOMEM;
	}
	r = &p->rule[p->n++];
	r->verb = w[0][0] == 'r' ? BUS_RULE_REGISTER : BUS_RULE_LOOKUP;
	strcpy(r->name, w[1]);
	strcpy(r->client, w[3]);
	return E_OK;
}

bool bus_policy_allows(const struct bus_policy *p, enum bus_verb verb, const char *name,
		       const char *client)
{
	for (unsigned i = 0; i < p->n; i++) {
		const struct bus_rule *r = &p->rule[i];

		if (r->verb == verb && bus_glob(r->name, name) && bus_glob(r->client, client))
			return true;
	}
	return false;
}
