/*
 * cover.c: the coverage matrix, summed over the workers: for each row of the
 * call table, how many calls ended with each status. Printed as TAP comments
 * ("# kfuzz cov ROW: E_OK=n E_INVAL=n ..."), then checked:
 *   - every row was called and, but for the rows listed in no_ok[], returned
 *     E_OK at least once;
 *   - every status of enum hl_error was returned by some call, but for those
 *     listed in no_status[] (none today).
 * tests/qemu/kfuzz.t checks, from helios/invoke.h and helios/syscall.h, that
 * every label and system call has a row in the printed matrix.
 */
#include "kf.h"
#include "kt_tap.h"

static const char *const status_names[KF_NST] = {
	"E_OK", "E_INVAL", "E_NOCAP", "E_TYPE", "E_PERM", "E_NOMEM", "E_BUSY", "E_EXIST",
	"E_RANGE", "E_FAULT", "E_DEAD", "E_AGAIN", "E_NOSYS", "E_MAPPED", "E_NOTABLE", "other",
};
_Static_assert(E_COUNT == 15, "a new status: name it in status_names");

/* Rows that cannot return E_OK, and why (each has KF_NO_OK in rows.c). */
static const struct { const char *row, *why; } no_ok[] = {
	{ "SYS_BAD_NUMBER", "numbers past HL_SYS_COUNT are E_NOSYS by definition" },
	{ "BAD_LABEL", "labels no object has are E_NOSYS by definition" },
	{ "VSPACE_INVOKE", "a VSpace has no methods: every label is E_NOSYS" },
};

/* Statuses no call can return, and why. */
static const struct { unsigned status; const char *why; } no_status[] = {
	{ E_COUNT, "(not a status: the column counting values past the enum must stay 0)" },
};

static uint64_t total[KF_MAX_ROWS][KF_NST];

static const char *no_ok_reason(const char *row)
{
	for (unsigned i = 0; i < sizeof(no_ok) / sizeof(no_ok[0]); i++) {
		const char *a = no_ok[i].row, *b = row;
		while (*a && *a == *b)
			a++, b++;
		if (!*a && !*b)
			return no_ok[i].why;
	}
	return NULL;
}

static int status_excused(unsigned st)
{
	for (unsigned i = 0; i < sizeof(no_status) / sizeof(no_status[0]); i++)
		if (no_status[i].status == st)
			return 1;
	return 0;
}

void kf_cover_report(const struct kf_world *wd)
{
	uint64_t by_status[KF_NST] = { 0 };
	unsigned unreached = 0, no_success = 0, bad_excuse = 0, missing_status = 0;

	for (unsigned k = 0; k < kf_nrows; k++)
		for (unsigned s = 0; s < KF_NST; s++) {
			total[k][s] = 0;
			for (unsigned w = 0; w < KF_WORKERS; w++)
				total[k][s] += wd->w[w].page->cov[k][s];
			by_status[s] += total[k][s];
		}
	for (unsigned k = 0; k < kf_nrows; k++) {
		char line[400];
		int n = rt_snprintf(line, sizeof(line), "# kfuzz cov %s:", kf_rows[k].name);
		uint64_t calls = 0;

		for (unsigned s = 0; s < KF_NST; s++) {
			calls += total[k][s];
			if (total[k][s] && n < (int)sizeof(line))
				n += rt_snprintf(line + n, sizeof(line) - n, " %s=%lu", status_names[s],
						 (unsigned long)total[k][s]);
		}
		rt_printf("%s\n", line);
		const char *why = no_ok_reason(kf_rows[k].name);
		if (!calls) {
			unreached++;
			kt_diag("kfuzz: row %s was never called", kf_rows[k].name);
		} else if (!total[k][E_OK] && !why) {
			no_success++;
			kt_diag("kfuzz: row %s never returned E_OK", kf_rows[k].name);
		}
		if (!!why != !!(kf_rows[k].flags & KF_NO_OK)) {
			bad_excuse++;
			kt_diag("kfuzz: row %s: KF_NO_OK and the no_ok list disagree", kf_rows[k].name);
		}
		if (why && total[k][E_OK]) {
			bad_excuse++;
			kt_diag("kfuzz: row %s returned E_OK, though listed as unable to", kf_rows[k].name);
		}
	}
	for (unsigned s = 0; s < KF_NST; s++) {
		rt_printf("# kfuzz status %s: %lu\n", status_names[s], (unsigned long)by_status[s]);
		if (status_excused(s) != !by_status[s]) {
			missing_status++;
			kt_diag("kfuzz: status %s %s", status_names[s],
				by_status[s] ? "came back, though listed as impossible" : "was never returned");
		}
	}
	for (unsigned i = 0; i < sizeof(no_ok) / sizeof(no_ok[0]); i++)
		kt_diag("kfuzz: exception: %s cannot return E_OK: %s", no_ok[i].row, no_ok[i].why);
	kt_is(unreached, 0, "coverage: each of the %u rows (every system call and label) was called",
	      kf_nrows);
	kt_is(no_success, 0, "coverage: every row returned E_OK (but for %u listed exceptions)",
	      (unsigned)(sizeof(no_ok) / sizeof(no_ok[0])));
	kt_is(bad_excuse, 0, "coverage: the exception list is exact");
	kt_is(missing_status, 0, "coverage: every status of enum hl_error was returned");
}
