/*
 * render.c: a registry as a page of Prometheus text 0.0.4 or OpenMetrics
 * 1.0.0 text (docs/metrics.md, "Formats").
 *
 * Each family is one uninterrupted group: metadata lines, then its series
 * in creation order. The formats differ in a few places, all decided in
 * this file: the metadata lines (0.0.4: HELP then TYPE, naming the sample
 * name, so a counter's TYPE names x_total; OpenMetrics: TYPE, UNIT, HELP,
 * naming the family), the escaping of HELP, the rendering of a
 * histogram's le bound, and the closing "# EOF".
 */
#include <string.h>

#include "metrics.h"

struct page {
	const struct metrics_registry *reg;
	enum metrics_format format;
	struct metrics_buf *b;
};

/* s with \ and newline escaped, and " too when quote is set. */
static void put_escaped(struct metrics_buf *b, const char *s, bool quote)
{
	const char *run = s;

	for (; *s != '\0'; s++) {
		const char *esc = *s == '\\' ? "\\\\" : *s == '\n' ? "\\n" :
				  (quote && *s == '"') ? "\\\"" : NULL;

		if (esc == NULL)
			continue;
		metrics_buf_put(b, run, (size_t)(s - run));
		metrics_buf_put(b, esc, 2);
		run = s + 1;
	}
	metrics_buf_put(b, run, (size_t)(s - run));
}

static void put_number(struct metrics_buf *b, double v)
{
	char num[METRICS_NUM_MAX];

	metrics_buf_put(b, num, (size_t)metrics_fmt_double(num, v));
}

static void put_u64(struct metrics_buf *b, uint64_t v)
{
	char num[24];
	int n = sizeof num;

	do {
		num[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	metrics_buf_put(b, num + n, sizeof num - (size_t)n);
}

/* An le bound as client_golang writes it; OpenMetrics wants canonical
   numbers, the same with "1.0" for 1 (its §Histogram examples). */
static void put_bound(const struct page *pg, double v)
{
	char num[METRICS_NUM_MAX];
	int n = metrics_fmt_go(num, v);

	metrics_buf_put(pg->b, num, (size_t)n);
	if (pg->format == METRICS_OPENMETRICS && strpbrk(num, ".eIN") == NULL)
		metrics_buf_put(pg->b, ".0", 2);
}

static void put_metadata(const struct page *pg, const struct metrics_family *f)
{
	static const char *const type_name[] = { "counter", "gauge", "histogram" };
	const char *suffix = pg->format == METRICS_TEXT_004 && f->type == METRICS_COUNTER ? "_total" : "";
	struct metrics_buf *b = pg->b;

	if (pg->format == METRICS_OPENMETRICS) {
		metrics_buf_puts(b, "# TYPE ");
		metrics_buf_puts(b, f->name);
		metrics_buf_puts(b, " ");
		metrics_buf_puts(b, type_name[f->type]);
		metrics_buf_puts(b, "\n");
		if (f->unit != NULL) {
			metrics_buf_puts(b, "# UNIT ");
			metrics_buf_puts(b, f->name);
			metrics_buf_puts(b, " ");
			metrics_buf_puts(b, f->unit);
			metrics_buf_puts(b, "\n");
		}
	}
	if (f->help != NULL) {
		metrics_buf_puts(b, "# HELP ");
		metrics_buf_puts(b, f->name);
		metrics_buf_puts(b, suffix);
		metrics_buf_puts(b, " ");
		put_escaped(b, f->help, pg->format == METRICS_OPENMETRICS);
		metrics_buf_puts(b, "\n");
	}
	if (pg->format == METRICS_TEXT_004) {
		metrics_buf_puts(b, "# TYPE ");
		metrics_buf_puts(b, f->name);
		metrics_buf_puts(b, suffix);
		metrics_buf_puts(b, " ");
		metrics_buf_puts(b, type_name[f->type]);
		metrics_buf_puts(b, "\n");
	}
}

/* name+suffix{labels[,le="bound"]} (the space before the value included). */
static void put_sample_name(const struct page *pg, const struct metrics_family *f,
			    const struct metrics_series *s, const char *suffix,
			    const double *le)
{
	struct metrics_buf *b = pg->b;
	int i;

	metrics_buf_puts(b, f->name);
	metrics_buf_puts(b, suffix);
	if (f->nlabels > 0 || le != NULL) {
		metrics_buf_put(b, "{", 1);
		for (i = 0; i < f->nlabels; i++) {
			if (i > 0)
				metrics_buf_put(b, ",", 1);
			metrics_buf_puts(b, f->label_names[i]);
			metrics_buf_put(b, "=\"", 2);
			put_escaped(b, s->label_values[i], true);
			metrics_buf_put(b, "\"", 1);
		}
		if (le != NULL) {
			metrics_buf_puts(b, f->nlabels > 0 ? ",le=\"" : "le=\"");
			put_bound(pg, *le);
			metrics_buf_put(b, "\"", 1);
		}
		metrics_buf_put(b, "}", 1);
	}
	metrics_buf_put(b, " ", 1);
}

static void put_histogram(const struct page *pg, const struct metrics_family *f,
			  const struct metrics_series *s)
{
	static const double inf = __builtin_inf();
	const uint64_t *counts = pg->reg->bucket_pool + s->buckets;
	uint64_t cum = 0;
	int i;

	for (i = 0; i < f->nbounds; i++) {
		cum += counts[i];
		put_sample_name(pg, f, s, "_bucket", &f->bounds[i]);
		put_u64(pg->b, cum);
		metrics_buf_put(pg->b, "\n", 1);
	}
	put_sample_name(pg, f, s, "_bucket", &inf);
	put_u64(pg->b, s->count);
	metrics_buf_put(pg->b, "\n", 1);
	/* OpenMetrics forbids a negative or NaN _sum (and then _count goes
	   too, as the two come as a pair). */
	if (pg->format == METRICS_OPENMETRICS && !(s->value >= 0))
		return;
	put_sample_name(pg, f, s, "_count", NULL);
	put_u64(pg->b, s->count);
	metrics_buf_put(pg->b, "\n", 1);
	put_sample_name(pg, f, s, "_sum", NULL);
	put_number(pg->b, s->value);
	metrics_buf_put(pg->b, "\n", 1);
}

static void put_family(const struct page *pg, const struct metrics_family *f)
{
	const struct metrics_registry *reg = pg->reg;
	metrics_series_t i;

	put_metadata(pg, f);
	for (i = f->first; i >= 0; i = reg->series[i].next) {
		const struct metrics_series *s = &reg->series[i];

		if (f->type == METRICS_HISTOGRAM) {
			put_histogram(pg, f, s);
			continue;
		}
		put_sample_name(pg, f, s, f->type == METRICS_COUNTER ? "_total" : "", NULL);
		put_number(pg->b, s->value);
		metrics_buf_put(pg->b, "\n", 1);
	}
}

void metrics_render(const struct metrics_registry *reg, enum metrics_format f,
		    struct metrics_buf *b)
{
	struct page pg = { reg, f, b };
	int i;

	for (i = 0; i < reg->nfamilies; i++)
		put_family(&pg, &reg->families[i]);
	if (f == METRICS_OPENMETRICS)
		metrics_buf_puts(b, "# EOF\n");
}

const char *metrics_content_type(enum metrics_format f)
{
	return f == METRICS_OPENMETRICS ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
					: "text/plain; version=0.0.4; charset=utf-8";
}
