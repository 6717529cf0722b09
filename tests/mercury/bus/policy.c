/*
 * tests/mercury/bus/policy.c: host tests of the bus's portable parts: the
 * policy language (parsing, every refusal, matching, default deny), name
 * checks, and the tables (clients, names, pending requests, deadlines).
 */
#include <stdint.h>
#include <string.h>
#include <helios/errors.h>
#include "tap.h"
#include "bus_policy.h"
#include "bus_table.h"

static void test_glob(void)
{
	ok(bus_glob("log", "log"), "glob: literal");
	ok(!bus_glob("log", "logd"), "glob: literal is whole");
	ok(bus_glob("blk/*", "blk/virtio0"), "glob: prefix star");
	ok(bus_glob("blk/*", "blk/"), "glob: star matches empty");
	ok(bus_glob("*", "fs/root/x"), "glob: star crosses /");
	ok(bus_glob("*-blk", "virtio-blk"), "glob: suffix");
	ok(bus_glob("a*b*c", "axxbyybzc"), "glob: backtracking over two stars");
	ok(!bus_glob("a*b*c", "axxbyybz"), "glob: no final c");
	ok(bus_glob("**", ""), "glob: stars match empty");
	ok(!bus_glob("fs*", "f"), "glob: pattern longer than text");
}

static void test_names(void)
{
	char big[80];

	ok(bus_name_valid("log") && bus_name_valid("blk/virtio0") && bus_name_valid("fs/root"),
	   "names: ordinary ones valid");
	ok(!bus_name_valid(""), "names: empty refused");
	ok(!bus_name_valid("/log") && !bus_name_valid("log/"), "names: leading or trailing / refused");
	ok(!bus_name_valid("lo g") && !bus_name_valid("log*") && !bus_name_valid("l\xc3\xa9"),
	   "names: space, star, non-ASCII refused");
	memset(big, 'a', 64);
	big[64] = 0;
	ok(bus_name_valid(big), "names: 64 bytes valid");
	big[64] = 'a';
	big[65] = 0;
	ok(!bus_name_valid(big), "names: 65 bytes refused");
	ok(bus_client_valid("virtio-blk.0") && !bus_client_valid("") &&
	   !bus_client_valid("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), "names: client names (1..32 bytes)");
}

static void test_parse(void)
{
	struct bus_policy p = { .n = 0 };
	const char *why = NULL;
	static const char *const bad[] = {
		"register log", "register log by", "register log from logd", "publish log by logd",
		"register log by logd extra", "lookup l%g by fs", "lookup log by f s x",
		"register aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa by x",
		"register x by aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "by by by by",
	};

	is_int(bus_policy_add(&p, "", &why), E_OK, "parse: empty line");
	is_int(bus_policy_add(&p, "   # only a comment", &why), E_OK, "parse: comment line");
	is_int(p.n, 0, "parse: blank lines add nothing");
	is_int(bus_policy_add(&p, "register log by logd", &why), E_OK, "parse: register rule");
	is_int(bus_policy_add(&p, "\tlookup  blk/*   by fs*  # comment", &why), E_OK,
	       "parse: spaces, tabs and a trailing comment");
	is_int(p.n, 2, "parse: two rules");
	ok(p.rule[1].verb == BUS_RULE_LOOKUP && !strcmp(p.rule[1].name, "blk/*") &&
	   !strcmp(p.rule[1].client, "fs*"), "parse: fields");
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		is_int(bus_policy_add(&p, bad[i], &why), E_INVAL, "parse: refused: \"%s\"", bad[i]);
		ok(why && why[0], "parse: with a reason (%s)", why ? why : "none");
	}
	is_int(p.n, 2, "parse: refusals add nothing");
	while (p.n < BUS_RULES_MAX)
		bus_policy_add(&p, "lookup x by y", &why);
	is_int(bus_policy_add(&p, "lookup z by y", &why), E_NOMEM, "parse: full policy: E_NOMEM");
}

static void test_allows(void)
{
	struct bus_policy p = { .n = 0 };
	const char *why;

	ok(!bus_policy_allows(&p, BUS_RULE_LOOKUP, "log", "owner"), "allows: empty policy denies");
	bus_policy_add(&p, "register log by logd", &why);
	bus_policy_add(&p, "register blk/* by virtio-*", &why);
	bus_policy_add(&p, "lookup blk/* by fs*", &why);
	bus_policy_add(&p, "lookup log by *", &why);
	ok(bus_policy_allows(&p, BUS_RULE_REGISTER, "log", "logd"), "allows: register log by logd");
	ok(!bus_policy_allows(&p, BUS_RULE_REGISTER, "log", "fs0"), "allows: register log by fs0 denied");
	ok(!bus_policy_allows(&p, BUS_RULE_LOOKUP, "log2", "logd"), "allows: unlisted name denied");
	ok(bus_policy_allows(&p, BUS_RULE_REGISTER, "blk/virtio0", "virtio-blk"), "allows: globs both sides");
	ok(!bus_policy_allows(&p, BUS_RULE_LOOKUP, "blk/virtio0", "virtio-blk"),
	   "allows: register right is not lookup right");
	ok(bus_policy_allows(&p, BUS_RULE_LOOKUP, "blk/virtio0", "fs0"), "allows: lookup blk/* by fs*");
	ok(bus_policy_allows(&p, BUS_RULE_LOOKUP, "log", "anyone"), "allows: lookup log by *");
}

static void test_table(void)
{
	static struct bus_table t;
	struct bus_pending *p, *q;
	struct bus_entry *e;
	char name[8];

	bus_table_init(&t);
	ok(bus_client_find(&t, BUS_OWNER_BADGE) && !strcmp(bus_client_find(&t, 1)->name, "owner"),
	   "table: owner admitted as badge 1");
	ok(!bus_client_find(&t, 0), "table: badge 0 is nobody");
	is_int(bus_client_add(&t, 7, "logd"), E_OK, "table: admit");
	is_int(bus_client_add(&t, 7, "other"), E_EXIST, "table: admit a badge twice");
	for (unsigned i = 2; i < BUS_CLIENTS_MAX; i++)
		bus_client_add(&t, 100 + i, "c");
	is_int(bus_client_add(&t, 99, "c"), E_NOMEM, "table: clients full");
	bus_client_remove(bus_client_find(&t, 7));
	ok(!bus_client_find(&t, 7), "table: client removed");
	is_int(bus_client_add(&t, 99, "c"), E_OK, "table: its place reused");

	e = bus_entry_add(&t, "log", 7, 40);
	ok(e && bus_entry_find(&t, "log") == e && e->ep == 40, "table: name added and found");
	ok(!bus_entry_find(&t, "lo"), "table: no prefix match");
	ok(bus_entry_of(&t, 7) == e && !bus_entry_of(&t, 8), "table: entry of owner");
	for (unsigned i = 1; i < BUS_ENTRIES_MAX; i++) {
		snprintf(name, sizeof(name), "n%u", i);
		bus_entry_add(&t, name, 8, i);
	}
	ok(!bus_entry_add(&t, "full", 8, 1), "table: names full");

	is_int(bus_pending_deadline(&t), 0, "pending: no deadline when empty");
	p = bus_pending_alloc(&t);
	p->kind = BUS_PEND_WAIT;
	strcpy(p->name, "log");
	p->deadline = 500;
	q = bus_pending_alloc(&t);
	ok(q && q != p, "pending: second record distinct");
	q->kind = BUS_PEND_WAIT;
	strcpy(q->name, "log");
	q->deadline = 300;
	is_int(bus_pending_deadline(&t), 300, "pending: earliest deadline");
	ok(bus_pending_next(&t, NULL, BUS_PEND_WAIT, "log") == p &&
	   bus_pending_next(&t, p, BUS_PEND_WAIT, "log") == q &&
	   !bus_pending_next(&t, q, BUS_PEND_WAIT, "log"), "pending: iterate waiters of a name");
	ok(!bus_pending_next(&t, NULL, BUS_PEND_WATCH, "log"), "pending: by kind");
	for (unsigned i = 2; i < BUS_PENDING_MAX; i++)
		bus_pending_alloc(&t)->kind = BUS_PEND_WATCH;
	ok(!bus_pending_alloc(&t), "pending: full");
}

int main(void)
{
	plan_no_plan();
	test_glob();
	test_names();
	test_parse();
	test_allows();
	test_table();
	return done_testing();
}
