/*
 * metrics.h: the metrics registry and its exposition (docs/metrics.md).
 *
 * A registry holds families (a name, a type, help, an optional unit, the
 * names of its labels, and for histograms the bucket bounds) and series
 * (one family plus one value per label). All memory is inside struct
 * metrics_registry, sized by the constants below: a registration beyond
 * them is refused with E_NOMEM and counted, never allocated.
 *
 * Portable C for the Ares metrics service and the host: it needs only
 * <string.h>-level routines, so it runs on libmercury unchanged.
 *
 * Errors are the ABI's enum hl_error; every refusal also leaves a sentence
 * in reg->why (e.g. `metric name "1x" must match [a-zA-Z_:][a-zA-Z0-9_:]*`).
 */
#ifndef METRICS_METRICS_H
#define METRICS_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <helios/errors.h>

enum {
	METRICS_MAX_FAMILIES = 128,
	METRICS_MAX_SERIES = 2048,
	METRICS_MAX_LABELS = 8,      /* label names per family */
	METRICS_MAX_BUCKETS = 32,    /* bounds per histogram, +Inf not counted */
	METRICS_BUCKET_POOL = 8192,  /* bucket counters shared by all histograms */
	METRICS_STRING_POOL = 128 * 1024, /* names, help, units, label values */
	METRICS_MAX_NAME = 128,      /* bytes in a metric or label name */
	METRICS_MAX_VALUE = 1024,    /* bytes in a label value */
	METRICS_MAX_HELP = 1024,
	METRICS_WHY = 192,
};

enum metrics_type { METRICS_COUNTER, METRICS_GAUGE, METRICS_HISTOGRAM };

/* The two text formats a page can be rendered in. */
enum metrics_format {
	METRICS_TEXT_004,    /* Prometheus text exposition 0.0.4 */
	METRICS_OPENMETRICS, /* OpenMetrics 1.0.0 text */
};

/* Index of a family or a series in its registry; -1 is never valid. */
typedef int metrics_family_t;
typedef int metrics_series_t;

struct metrics_family {
	enum metrics_type type;
	const char *name;   /* in the string pool; counters without "_total" */
	const char *help;   /* NULL if none */
	const char *unit;   /* NULL if none; the name then ends in "_<unit>" */
	const char *label_names[METRICS_MAX_LABELS];
	int nlabels;
	double bounds[METRICS_MAX_BUCKETS]; /* histograms: strictly increasing */
	int nbounds;
	metrics_series_t first, last;       /* its series, in creation order */
};

struct metrics_series {
	metrics_family_t family;
	metrics_series_t next;              /* next series of the same family */
	const char *label_values[METRICS_MAX_LABELS];
	double value;                       /* counter total or gauge value; histogram sum */
	uint64_t count;                     /* histograms: observations */
	int buckets;                        /* histograms: index of nbounds counters in the pool */
};

struct metrics_registry {
	struct metrics_family families[METRICS_MAX_FAMILIES];
	int nfamilies;
	struct metrics_series series[METRICS_MAX_SERIES];
	int nseries;
	uint64_t bucket_pool[METRICS_BUCKET_POOL];
	int nbuckets_used;
	char strings[METRICS_STRING_POOL];
	size_t strings_used;
	/* Refusals, by cause; also exposed as metrics_registry_refused_total. */
	uint64_t refused_bad_name, refused_full, refused_other;
	metrics_series_t refused_series[3];
	char why[METRICS_WHY];              /* the last refusal, as a sentence */
};

/* Empties reg and registers its own family, metrics_registry_refused_total
   {reason="bad_name"|"full"|"other"}. reg is large (431 KiB): give it
   static storage. */
void metrics_init(struct metrics_registry *reg);

/*
 * Registers a family. name and label names follow Prometheus naming (see
 * metrics_valid_name); a counter's name must not end in "_total" (the
 * renderer adds it); with a unit the name must end in "_<unit>"; labels
 * may not start with "__", repeat, or be "le" on a histogram. bounds are
 * a histogram's finite upper bounds, strictly increasing (NULL, 0 for the
 * others). Strings are copied. Returns E_OK and sets *out; E_INVAL (bad
 * name or argument), E_EXIST (name taken), E_NOMEM (registry full).
 */
enum hl_error metrics_family_new(struct metrics_registry *reg, enum metrics_type type,
				 const char *name, const char *help, const char *unit,
				 const char *const *label_names, int nlabels,
				 const double *bounds, int nbounds, metrics_family_t *out);

/* Finds the series of family fam with these label values (one per label
   name, any UTF-8, copied), creating it at zero if new. E_INVAL for a bad
   family or value, E_NOMEM when the series table or a pool is full. */
enum hl_error metrics_series_get(struct metrics_registry *reg, metrics_family_t fam,
				 const char *const *label_values, metrics_series_t *out);

/* Adds v (finite, >= 0) to a counter. E_TYPE if s is not a counter,
   E_RANGE for a negative, infinite or NaN v. */
enum hl_error metrics_counter_add(struct metrics_registry *reg, metrics_series_t s, double v);

/* Sets or adds to a gauge (any value, NaN and infinities included). */
enum hl_error metrics_gauge_set(struct metrics_registry *reg, metrics_series_t s, double v);
enum hl_error metrics_gauge_add(struct metrics_registry *reg, metrics_series_t s, double v);

/* Records one observation v (not NaN) in a histogram. */
enum hl_error metrics_histogram_observe(struct metrics_registry *reg, metrics_series_t s, double v);

/* True if s is [a-zA-Z_:][a-zA-Z0-9_:]* (metric) or [a-zA-Z_][a-zA-Z0-9_]*
   (label, colon_ok false), non-empty and at most METRICS_MAX_NAME bytes. */
bool metrics_valid_name(const char *s, bool colon_ok);

/* True if s is valid UTF-8 (no overlongs, surrogates or values past
   U+10FFFF) of at most max bytes. */
bool metrics_valid_utf8(const char *s, size_t max);

/* An output buffer: bytes past cap are counted in len but not stored, so
   a caller sees how much room a page needed. */
struct metrics_buf {
	char *p;
	size_t len, cap;
};

void metrics_buf_put(struct metrics_buf *b, const char *s, size_t n);
void metrics_buf_puts(struct metrics_buf *b, const char *s);
static inline bool metrics_buf_overflow(const struct metrics_buf *b) { return b->len > b->cap; }

/* Writes v as the shortest decimal that parses back to exactly v (Go's
   ParseFloat, C's strtod): "NaN", "+Inf", "-Inf", "-0", "42", "0.1",
   "1.5e-07". out needs METRICS_NUM_MAX bytes; returns the length. */
enum { METRICS_NUM_MAX = 32 };
int metrics_fmt_double(char *out, double v);

/* The same digits laid out as Go's strconv.FormatFloat(v, 'g', -1, 64):
   exponent form from 1e+06 up, as client_golang writes le bounds and as
   OpenMetrics' canonical numbers are (with ".0" added to integers). */
int metrics_fmt_go(char *out, double v);

/* Renders every family of reg in format f into b. */
void metrics_render(const struct metrics_registry *reg, enum metrics_format f,
		    struct metrics_buf *b);

/* The Content-Type header value of a format. */
const char *metrics_content_type(enum metrics_format f);

/* Chooses the format for an Accept header value (NULL if absent). Each
   format takes the q of the most specific media range naming it; the
   higher q wins, then the more specific match, then text 0.0.4, which is
   also the answer when the header is absent or names neither format.
   Returns false only if a range matching each format says q=0, for a
   406 answer. */
bool metrics_negotiate(const char *accept, enum metrics_format *out);

#endif
