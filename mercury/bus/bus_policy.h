/*
 * bus_policy.h: the bus's policy language (docs/mercury-bus.md §3) and the
 * checks of names it is written about. Portable: no system calls, so the
 * host tests run it as is.
 *
 * A rule is `register PATTERN by PATTERN` or `lookup PATTERN by PATTERN`:
 * the service name pattern, then the client name pattern. `*` matches any
 * run of bytes; everything else is literal. Nothing allowed by a rule is
 * refused (default deny).
 */
#ifndef MERCURY_BUS_POLICY_H
#define MERCURY_BUS_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#define BUS_NAME_MAX	64	/* a service name, as in bus.ipc */
#define BUS_CLIENT_MAX	32	/* a client name */
#define BUS_RULES_MAX	64

enum bus_verb { BUS_RULE_REGISTER = 1, BUS_RULE_LOOKUP };

struct bus_rule {
	enum bus_verb verb;
	char name[BUS_NAME_MAX + 1];		/* pattern of service names */
	char client[BUS_CLIENT_MAX + 1];	/* pattern of client names */
};

struct bus_policy {
	struct bus_rule rule[BUS_RULES_MAX];
	unsigned n;
};

/* Parses one rule line and appends it. Returns E_OK (also for a blank or
 * comment-only line, which adds nothing), E_INVAL with *why set, or
 * E_NOMEM when the policy is full. */
int bus_policy_add(struct bus_policy *p, const char *line, const char **why);

/* Whether some rule lets client do verb on the service name. */
bool bus_policy_allows(const struct bus_policy *p, enum bus_verb verb, const char *name,
		       const char *client);

/* Whether s matches pattern pat (`*`: any run of bytes). */
bool bus_glob(const char *pat, const char *s);

/* A service name: 1..BUS_NAME_MAX bytes of [A-Za-z0-9._/-], not starting
 * or ending with '/'. */
bool bus_name_valid(const char *s);

/* A client name: 1..BUS_CLIENT_MAX bytes of [A-Za-z0-9._/-]. */
bool bus_client_valid(const char *s);

#endif
