/*
 * kt_suite.h: the frame of an in-OS suite made of areas (ktest, kobs).
 * Each area is a function that makes its own objects and deletes them
 * all; kt_run_areas counts free Untyped bytes and empty slots around each
 * area and around the whole run, so any difference shows as a leak, and
 * ends with the kernel's own invariant check (HL_CONSOLE_CHECK).
 */
#ifndef KT_SUITE_H
#define KT_SUITE_H

struct kt_area {
	const char *name;
	void (*run)(void);
};

/* Runs the n areas in order with the leak checks above, then the kernel's
 * invariant check; prints the plan and returns kt_done()'s exit status.
 * kt.areas=WORD,... on the command line runs only the areas whose name
 * begins with one of the words; a word that names no area is a failure. */
int kt_run_areas(const struct kt_area *areas, unsigned n);

#endif
