/*
 * registry.c: families and series in fixed tables (metrics.h).
 *
 * Registration validates everything first (decode), then takes memory
 * from the tables and pools (commit), so a refused call changes nothing
 * but the refusal counters. Series of a family are chained in creation
 * order, which is the order they are rendered in.
 */
#include <string.h>

#include "metrics.h"

enum refusal { REFUSED_BAD_NAME, REFUSED_FULL, REFUSED_OTHER };

/* Appends s to the why buffer, truncating (strlcat is not in the host's
   glibc 2.36). */
static void why_append(struct metrics_registry *reg, const char *s)
{
	size_t n = strlen(reg->why), m = strlen(s);

	if (m > sizeof reg->why - 1 - n)
		m = sizeof reg->why - 1 - n;
	memcpy(reg->why + n, s, m);
	reg->why[n + m] = '\0';
}

/* Records why a call failed, counts it and returns err. */
static enum hl_error refuse(struct metrics_registry *reg, enum refusal kind,
			    enum hl_error err, const char *what, const char *name)
{
	if (kind == REFUSED_BAD_NAME)
		reg->refused_bad_name++;
	else if (kind == REFUSED_FULL)
		reg->refused_full++;
	else
		reg->refused_other++;
	if (reg->refused_series[kind] >= 0)
		reg->series[reg->refused_series[kind]].value += 1;
	reg->why[0] = '\0';
	why_append(reg, what);
	if (name != NULL) {
		why_append(reg, ": \"");
		why_append(reg, name);
		why_append(reg, "\"");
	}
	return err;
}

/* Copies s into the string pool; NULL when the pool is full. */
static const char *intern(struct metrics_registry *reg, const char *s)
{
	size_t n = strlen(s) + 1;
	char *p;

	if (n > sizeof reg->strings - reg->strings_used)
		return NULL;
	p = reg->strings + reg->strings_used;
	memcpy(p, s, n);
	reg->strings_used += n;
	return p;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/*
 * The names a family puts on a page: its family name and its sample
 * names (a counter's x_total, a histogram's x_bucket, x_count, x_sum).
 * Two families whose sets meet would render an invalid page (a gauge
 * "x_total" next to a counter "x"), so registration compares them.
 */
static int page_names(enum metrics_type t, const char *name, char out[4][METRICS_MAX_NAME + 8])
{
	static const char *const hist[] = { "_bucket", "_count", "_sum" };
	size_t n = strlen(name);
	int k = 1, i;

	memcpy(out[0], name, n + 1);
	if (t == METRICS_COUNTER) {
		memcpy(out[1], name, n);
		memcpy(out[1] + n, "_total", 7);
		k = 2;
	} else if (t == METRICS_HISTOGRAM) {
		for (i = 0; i < 3; i++) {
			memcpy(out[1 + i], name, n);
			strcpy(out[1 + i] + n, hist[i]);
		}
		k = 4;
	}
	return k;
}

static bool names_clash(const struct metrics_family *f, enum metrics_type t, const char *name)
{
	char a[4][METRICS_MAX_NAME + 8], b[4][METRICS_MAX_NAME + 8];
	int na = page_names(f->type, f->name, a), nb = page_names(t, name, b), i, j;

	for (i = 0; i < na; i++)
		for (j = 0; j < nb; j++)
			if (strcmp(a[i], b[j]) == 0)
				return true;
	return false;
}

/* The name checks of metrics_family_new; NULL if fine, else why not. */
static const char *check_family_name(const struct metrics_registry *reg, enum metrics_type type,
				     const char *name, const char *unit, enum refusal *kind)
{
	int i;

	*kind = REFUSED_BAD_NAME;
	if (!metrics_valid_name(name, true))
		return "metric name must match [a-zA-Z_:][a-zA-Z0-9_:]* (at most 128 bytes)";
	if (type == METRICS_COUNTER && ends_with(name, "_total"))
		return "counter name must not end in _total (it is added when rendered)";
	if (unit != NULL) {
		size_t n = strlen(name), u = strlen(unit);

		if (!metrics_valid_name(unit, false))
			return "unit must match [a-zA-Z_][a-zA-Z0-9_]*";
		if (n < u + 1 || name[n - u - 1] != '_' || !ends_with(name, unit))
			return "metric name must end in _<unit>";
	}
	*kind = REFUSED_OTHER;
	for (i = 0; i < reg->nfamilies; i++) {
		if (strcmp(reg->families[i].name, name) == 0)
			return "metric name already registered";
		if (names_clash(&reg->families[i], type, name))
			return "metric name clashes with the samples of a registered family";
	}
	return NULL;
}

/* The label-name checks; NULL if fine. */
static const char *check_labels(enum metrics_type type, const char *const *names, int n,
				const char **bad)
{
	int i, j;

	if (n < 0 || n > METRICS_MAX_LABELS)
		return "too many labels (at most 8)";
	for (i = 0; i < n; i++) {
		*bad = names[i];
		if (!metrics_valid_name(names[i], false))
			return "label name must match [a-zA-Z_][a-zA-Z0-9_]*";
		if (strncmp(names[i], "__", 2) == 0)
			return "label names starting with __ are reserved";
		if (type == METRICS_HISTOGRAM && strcmp(names[i], "le") == 0)
			return "a histogram may not have a label named le";
		for (j = 0; j < i; j++)
			if (strcmp(names[i], names[j]) == 0)
				return "label name repeated";
	}
	*bad = NULL;
	return NULL;
}

static const char *check_bounds(enum metrics_type type, const double *b, int n)
{
	int i;

	if (type != METRICS_HISTOGRAM)
		return n == 0 ? NULL : "only histograms have bucket bounds";
	if (n < 0 || n > METRICS_MAX_BUCKETS)
		return "too many bucket bounds (at most 32)";
	for (i = 0; i < n; i++) {
		if (b[i] != b[i] || b[i] - b[i] != 0)
			return "bucket bounds must be finite (+Inf is implicit)";
		if (i > 0 && !(b[i] > b[i - 1]))
			return "bucket bounds must increase strictly";
	}
	return NULL;
}

enum hl_error metrics_family_new(struct metrics_registry *reg, enum metrics_type type,
				 const char *name, const char *help, const char *unit,
				 const char *const *label_names, int nlabels,
				 const double *bounds, int nbounds, metrics_family_t *out)
{
	struct metrics_family *f;
	const char *why, *bad = NULL;
	enum refusal kind;
	size_t before = reg->strings_used;
	int i;

	if (name == NULL || (type != METRICS_COUNTER && type != METRICS_GAUGE &&
			     type != METRICS_HISTOGRAM))
		return refuse(reg, REFUSED_OTHER, E_INVAL, "no name or an unknown type", NULL);
	if ((why = check_family_name(reg, type, name, unit, &kind)) != NULL)
		return refuse(reg, kind, kind == REFUSED_OTHER ? E_EXIST : E_INVAL, why, name);
	if ((why = check_labels(type, label_names, nlabels, &bad)) != NULL)
		return refuse(reg, REFUSED_BAD_NAME, E_INVAL, why, bad);
	if ((why = check_bounds(type, bounds, nbounds)) != NULL)
		return refuse(reg, REFUSED_OTHER, E_INVAL, why, name);
	if (help != NULL && !metrics_valid_utf8(help, METRICS_MAX_HELP))
		return refuse(reg, REFUSED_OTHER, E_INVAL, "help must be UTF-8 of at most 1024 bytes", name);
	if (reg->nfamilies == METRICS_MAX_FAMILIES)
		return refuse(reg, REFUSED_FULL, E_NOMEM, "family table full", name);

	f = &reg->families[reg->nfamilies];
	memset(f, 0, sizeof *f);
	f->type = type;
	f->name = intern(reg, name);
	f->help = help != NULL ? intern(reg, help) : NULL;
	f->unit = unit != NULL ? intern(reg, unit) : NULL;
	for (i = 0; i < nlabels; i++)
		f->label_names[i] = intern(reg, label_names[i]);
	for (i = 0; i < nlabels; i++)
		if (f->label_names[i] == NULL)
			f->name = NULL;
	if (f->name == NULL || (help != NULL && f->help == NULL) || (unit != NULL && f->unit == NULL)) {
		reg->strings_used = before;
		return refuse(reg, REFUSED_FULL, E_NOMEM, "string pool full", name);
	}
	f->nlabels = nlabels;
	for (i = 0; i < nbounds; i++)
		f->bounds[i] = bounds[i];
	f->nbounds = nbounds;
	f->first = f->last = -1;
	*out = reg->nfamilies++;
	return E_OK;
}

/* The series of fam with these values, or -1. */
static metrics_series_t find_series(const struct metrics_registry *reg, metrics_family_t fam,
				    const char *const *values)
{
	const struct metrics_family *f = &reg->families[fam];
	metrics_series_t s;
	int i;

	for (s = f->first; s >= 0; s = reg->series[s].next) {
		for (i = 0; i < f->nlabels; i++)
			if (strcmp(reg->series[s].label_values[i], values[i]) != 0)
				break;
		if (i == f->nlabels)
			return s;
	}
	return -1;
}

enum hl_error metrics_series_get(struct metrics_registry *reg, metrics_family_t fam,
				 const char *const *values, metrics_series_t *out)
{
	struct metrics_family *f;
	struct metrics_series *s;
	size_t before = reg->strings_used;
	int i, nb;

	if (fam < 0 || fam >= reg->nfamilies)
		return refuse(reg, REFUSED_OTHER, E_INVAL, "no such family", NULL);
	f = &reg->families[fam];
	for (i = 0; i < f->nlabels; i++)
		if (values == NULL || values[i] == NULL ||
		    !metrics_valid_utf8(values[i], METRICS_MAX_VALUE))
			return refuse(reg, REFUSED_OTHER, E_INVAL,
				      "label value missing or not UTF-8 of at most 1024 bytes", f->name);
	if ((*out = find_series(reg, fam, values)) >= 0)
		return E_OK;
	nb = f->type == METRICS_HISTOGRAM ? f->nbounds : 0;
	if (reg->nseries == METRICS_MAX_SERIES)
		return refuse(reg, REFUSED_FULL, E_NOMEM, "series table full", f->name);
	if (nb > METRICS_BUCKET_POOL - reg->nbuckets_used)
		return refuse(reg, REFUSED_FULL, E_NOMEM, "bucket pool full", f->name);
	s = &reg->series[reg->nseries];
	memset(s, 0, sizeof *s);
	for (i = 0; i < f->nlabels; i++)
		if ((s->label_values[i] = intern(reg, values[i])) == NULL) {
			reg->strings_used = before;
			return refuse(reg, REFUSED_FULL, E_NOMEM, "string pool full", f->name);
		}
	s->family = fam;
	s->next = -1;
	s->buckets = reg->nbuckets_used;
	memset(reg->bucket_pool + s->buckets, 0, (size_t)nb * sizeof reg->bucket_pool[0]);
	reg->nbuckets_used += nb;
	if (f->last >= 0)
		reg->series[f->last].next = reg->nseries;
	else
		f->first = reg->nseries;
	f->last = reg->nseries;
	*out = reg->nseries++;
	return E_OK;
}

/* The series s if it exists and is of type t, else NULL (and why). */
static struct metrics_series *typed(struct metrics_registry *reg, metrics_series_t s,
				    enum metrics_type t, enum hl_error *err)
{
	if (s < 0 || s >= reg->nseries) {
		*err = refuse(reg, REFUSED_OTHER, E_INVAL, "no such series", NULL);
		return NULL;
	}
	if (reg->families[reg->series[s].family].type != t) {
		*err = refuse(reg, REFUSED_OTHER, E_TYPE, "wrong metric type",
			      reg->families[reg->series[s].family].name);
		return NULL;
	}
	return &reg->series[s];
}

enum hl_error metrics_counter_add(struct metrics_registry *reg, metrics_series_t s, double v)
{
	enum hl_error err = E_OK;
	struct metrics_series *p = typed(reg, s, METRICS_COUNTER, &err);

	if (p == NULL)
		return err;
	if (!(v >= 0 && v - v == 0))	/* refuses NaN and +Inf too */
		return refuse(reg, REFUSED_OTHER, E_RANGE, "a counter only goes up, by a finite amount",
			      reg->families[p->family].name);
	p->value += v;
	return E_OK;
}

enum hl_error metrics_gauge_set(struct metrics_registry *reg, metrics_series_t s, double v)
{
	enum hl_error err = E_OK;
	struct metrics_series *p = typed(reg, s, METRICS_GAUGE, &err);

	if (p != NULL)
		p->value = v;
	return err;
}

enum hl_error metrics_gauge_add(struct metrics_registry *reg, metrics_series_t s, double v)
{
	enum hl_error err = E_OK;
	struct metrics_series *p = typed(reg, s, METRICS_GAUGE, &err);

	if (p != NULL)
		p->value += v;
	return err;
}

enum hl_error metrics_histogram_observe(struct metrics_registry *reg, metrics_series_t s, double v)
{
	enum hl_error err = E_OK;
	struct metrics_series *p = typed(reg, s, METRICS_HISTOGRAM, &err);
	const struct metrics_family *f;
	int i;

	if (p == NULL)
		return err;
	if (v != v)
		return refuse(reg, REFUSED_OTHER, E_RANGE, "a histogram cannot observe NaN",
			      reg->families[p->family].name);
	f = &reg->families[p->family];
	/* Stored per bucket, not cumulative: an observation touches one
	   counter; the renderer accumulates. */
	for (i = 0; i < f->nbounds && v > f->bounds[i]; i++)
		;
	if (i < f->nbounds)
		reg->bucket_pool[p->buckets + i]++;
	p->count++;
	p->value += v;
	return E_OK;
}

void metrics_init(struct metrics_registry *reg)
{
	static const char *const label[] = { "reason" };
	static const char *const reasons[] = { "bad_name", "full", "other" };
	metrics_family_t fam;
	int i;

	memset(reg, 0, offsetof(struct metrics_registry, bucket_pool));
	reg->nbuckets_used = 0;
	reg->strings_used = 0;
	reg->refused_bad_name = reg->refused_full = reg->refused_other = 0;
	reg->why[0] = '\0';
	for (i = 0; i < 3; i++)
		reg->refused_series[i] = -1;
	metrics_family_new(reg, METRICS_COUNTER, "metrics_registry_refused",
			   "Registrations and updates the metrics registry refused, by cause.",
			   NULL, label, 1, NULL, 0, &fam);
	for (i = 0; i < 3; i++)
		metrics_series_get(reg, fam, &reasons[i], &reg->refused_series[i]);
}
