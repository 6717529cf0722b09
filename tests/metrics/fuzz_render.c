/*
 * fuzz_render.c: libFuzzer target for the registry and the renderers
 * (make fuzz-metrics-render). The input is a script of registrations and
 * updates: names, help, units, label values and numbers come from it, so
 * the name checks, the UTF-8 check, the escaping and the number
 * formatting all see arbitrary bytes. Whatever the registry accepts must
 * render to a well-formed page in both formats: it ends in LF, a line is
 * a # line or starts with a name character, the text after a sample
 * line's last space reads back as a number (label values escape LF, so a
 * line cannot be split), and OpenMetrics ends in "# EOF".
 */
#include <stdlib.h>
#include <string.h>

#include "metrics.h"

static struct metrics_registry reg;
static char page[1 << 20];

/* Takes a NUL-free string of up to n bytes from the input. */
static const char *take(const uint8_t **p, const uint8_t *end, char *buf, size_t n)
{
	size_t len = 0;

	if (*p < end)
		n = **p % n, (*p)++;
	while (len < n && *p < end) {
		char c = (char)*(*p)++;
		buf[len++] = c == '\0' ? '_' : c;
	}
	buf[len] = '\0';
	return buf;
}

static double take_num(const uint8_t **p, const uint8_t *end)
{
	double v = 0;

	if (end - *p >= 8) {
		memcpy(&v, *p, 8);
		*p += 8;
	}
	return v;
}

static bool is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == ':';
}

static void check_page(enum metrics_format f)
{
	struct metrics_buf b = { page, 0, sizeof page - 1 };
	char *line, *end;

	metrics_render(&reg, f, &b);
	if (metrics_buf_overflow(&b))
		return;
	page[b.len] = '\0';
	if (b.len == 0 || page[b.len - 1] != '\n')
		abort();
	if (f == METRICS_OPENMETRICS && (b.len < 6 || strcmp(page + b.len - 6, "# EOF\n") != 0))
		abort();
	for (line = page; *line != '\0'; line = end + 1) {
		char *sp;

		end = strchr(line, '\n');
		if (line[0] == '#')
			continue;
		if (!is_name_char(line[0]))
			abort();
		/* The value follows the last space (label values escape LF,
		   and a space inside one comes before it). */
		*end = '\0';
		sp = strrchr(line, ' ');
		if (sp == NULL)
			abort();
		if (strcmp(sp + 1, "NaN") != 0 && strcmp(sp + 1, "+Inf") != 0 && strcmp(sp + 1, "-Inf") != 0) {
			char *stop;

			strtod(sp + 1, &stop);
			if (*stop != '\0')
				abort();
		}
		*end = '\n';
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size;
	char name[160], help[64], unit[24], lab[METRICS_MAX_LABELS][24], val[METRICS_MAX_LABELS][40];
	const char *labels[METRICS_MAX_LABELS], *values[METRICS_MAX_LABELS];
	double bounds[4];
	int steps = 0;

	metrics_init(&reg);
	while (p < end && steps++ < 64) {
		uint8_t op = *p++;
		metrics_family_t f;
		metrics_series_t s;
		int n = op >> 5 & 3, i;

		if ((op & 3) == 0 || reg.nfamilies < 2) {
			enum metrics_type t = (enum metrics_type)((op >> 2) % 3);

			take(&p, end, name, sizeof name);
			for (i = 0; i < n; i++)
				labels[i] = take(&p, end, lab[i], sizeof lab[i]);
			for (i = 0; i < 4; i++)
				bounds[i] = take_num(&p, end);
			metrics_family_new(&reg, t, name, op & 4 ? take(&p, end, help, sizeof help) : NULL,
					   op & 128 ? take(&p, end, unit, sizeof unit) : NULL, labels, n,
					   bounds, t == METRICS_HISTOGRAM ? 1 + (op & 3) : 0, &f);
			continue;
		}
		f = (metrics_family_t)(op % reg.nfamilies);
		for (i = 0; i < reg.families[f].nlabels; i++)
			values[i] = take(&p, end, val[i], sizeof val[i]);
		if (metrics_series_get(&reg, f, values, &s) != E_OK)
			continue;
		metrics_counter_add(&reg, s, take_num(&p, end));
		metrics_gauge_set(&reg, s, take_num(&p, end));
		metrics_histogram_observe(&reg, s, take_num(&p, end));
	}
	check_page(METRICS_TEXT_004);
	check_page(METRICS_OPENMETRICS);
	return 0;
}
