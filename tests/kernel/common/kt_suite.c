/*
 * kt_suite.c: runs a suite's areas between leak baselines (see kt_suite.h).
 */
#include <mercury/string.h>
#include "rt.h"
#include "kt_suite.h"
#include "kt_tap.h"

/* Runs one area and checks that it gave back every byte and slot it took. */
static void run_area(const struct kt_area *a)
{
	uint64_t f = obj_untyped_free(), s = slot_count_empty();

	kt_diag("area %s", a->name);
	a->run();
	kt_is((int64_t)(obj_untyped_free() - f), 0, "area %s: no Untyped bytes leaked", a->name);
	kt_is((int64_t)(slot_count_empty() - s), 0, "area %s: no slots leaked", a->name);
}

/* The length of the first word of an area's name, which selects it. */
static size_t first_word(const char *name)
{
	size_t n = 0;

	while (name[n] && name[n] != ' ')
		n++;
	return n;
}

/* Whether some comma-separated word of sel is the first word of name. */
static int selected(const char *sel, const char *name)
{
	size_t n = first_word(name);

	for (const char *w = sel; *w;) {
		size_t len = 0;
		while (w[len] && w[len] != ',')
			len++;
		if (len == n && !memcmp(w, name, n))
			return 1;
		w += len + (w[len] == ',');
	}
	return 0;
}

/* Each word of sel must name an area: a misspelt selection fails the run
 * instead of quietly testing less. */
static void check_selection(const char *sel, const struct kt_area *areas, unsigned n)
{
	if (!*sel)
		kt_ok(0, "kt.areas is empty: it selects no area");
	for (const char *w = sel; *w;) {
		char word[32];
		size_t len = 0;
		int found = 0;
		while (w[len] && w[len] != ',')
			len++;
		size_t keep = len < sizeof(word) ? len : sizeof(word) - 1;
		memcpy(word, w, keep);
		word[keep] = '\0';
		for (unsigned i = 0; i < n && !found && keep == len; i++)
			found = selected(word, areas[i].name);
		kt_ok(found, "kt.areas: '%s' names an area", word);
		w += len + (w[len] == ',');
	}
}

int kt_run_areas(const struct kt_area *areas, unsigned n)
{
	uint64_t free0, slots0, free1, slots1;
	struct hl_result chk;
	char sel[128];
	/* kt.areas=console,faults runs only the areas whose names begin with those words. */
	const char *only = rt_cmdline_get("kt.areas", sel, sizeof(sel));

	if (only)
		check_selection(only, areas, n);
	free0 = obj_untyped_free();
	slots0 = slot_count_empty();
	kt_diag("before: %lu bytes free in Untypeds, %lu empty slots", (unsigned long)free0,
		(unsigned long)slots0);
	for (unsigned i = 0; i < n; i++)
		if (!only || selected(only, areas[i].name))
			run_area(&areas[i]);
	free1 = obj_untyped_free();
	slots1 = slot_count_empty();
	kt_diag("after: %lu bytes free in Untypeds, %lu empty slots", (unsigned long)free1,
		(unsigned long)slots1);
	kt_is((int64_t)free1, (int64_t)free0, "leak check: free Untyped bytes unchanged by the suite");
	kt_is((int64_t)slots1, (int64_t)slots0, "leak check: empty slots unchanged by the suite");
	chk = hl_console_check(HL_CAP_CONSOLE);
	kt_is(chk.status, E_OK, "kernel invariant check runs");
	kt_is((int64_t)chk.value, 0, "kernel invariant check finds no problem");
	return kt_done();
}
