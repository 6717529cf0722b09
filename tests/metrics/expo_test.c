/*
 * expo_test.c: the registry, the number formatter, both renderings and
 * the Accept negotiation (metrics/expo), on the host.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "tap.h"

static struct metrics_registry reg;
static char page[1 << 16];

static const char *render(enum metrics_format f)
{
	struct metrics_buf b = { page, 0, sizeof page - 1 };

	metrics_render(&reg, f, &b);
	page[b.len < b.cap ? b.len : b.cap] = '\0';
	return page;
}

static const char *num(double v)
{
	static char out[METRICS_NUM_MAX];

	metrics_fmt_double(out, v);
	return out;
}

static const char *go(double v)
{
	static char out[METRICS_NUM_MAX];

	metrics_fmt_go(out, v);
	return out;
}

static void test_go_layout(void)
{
	is_str(go(100000), "100000", "Go layout: 100000");
	is_str(go(1e6), "1e+06", "Go layout: 1e+06");
	is_str(go(1.1e23), "1.1e+23", "Go layout: 1.1e+23");
	is_str(go(1234567), "1.234567e+06", "Go layout: 1.234567e+06");
	is_str(go(1e-5), "1e-05", "Go layout: 1e-05");
	is_str(go(0.0001), "0.0001", "Go layout: 0.0001");
}

/* Significant digits of a number as printed (no sign, point, exponent;
   an integer's trailing zeros do not count). */
static int sig_digits(const char *start)
{
	const char *s;
	int n = 0, lead = 1, zeros = 0;

	for (s = start; *s != '\0' && *s != 'e'; s++) {
		if (*s < '0' || *s > '9')
			continue;
		if (lead && *s == '0')
			continue;
		lead = 0;
		n++;
		zeros = *s == '0' ? zeros + 1 : 0;
	}
	return strchr(start, '.') == NULL ? n - zeros : n;
}

static void test_numbers(void)
{
	uint64_t x = 88172645463325252ull;
	int i, bad = 0;

	is_str(num(0), "0", "zero");
	is_str(num(-0.0), "-0", "negative zero keeps its sign");
	is_str(num(42), "42", "integer");
	is_str(num(-17), "-17", "negative integer");
	is_str(num(0.1), "0.1", "0.1 is shortest");
	is_str(num(1.5e-7), "1.5e-07", "small value in exponent form");
	is_str(num(1e21), "1e+21", "large value in exponent form");
	is_str(num(123456.789), "123456.789", "fraction");
	is_str(num(1.0 / 3), "0.3333333333333333", "one third, 16 digits");
	is_str(num(5e-324), "5e-324", "smallest subnormal");
	is_str(num(1.7976931348623157e308), "1.7976931348623157e+308", "largest double");
	is_str(num(1e15), "1000000000000000", "1e15 as an integer");
	is_str(num(NAN), "NaN", "NaN");
	is_str(num(INFINITY), "+Inf", "+Inf");
	is_str(num(-INFINITY), "-Inf", "-Inf");
	for (i = 0; i < 200000; i++) {	/* xorshift: any bit pattern */
		double v, w;
		char out[METRICS_NUM_MAX];

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		memcpy(&v, &x, sizeof v);
		if (isnan(v))
			continue;
		metrics_fmt_double(out, v);
		w = strtod(out, NULL);
		if (memcmp(&v, &w, sizeof v) != 0 && bad++ < 3)
			diag("%a printed as %s reads back as %a", v, out, w);
	}
	is_int(bad, 0, "200000 random doubles read back exactly through strtod");
	bad = 0;
	for (i = 0; i < 200000; i++) {	/* short decimals: the fast path */
		double v;
		char out[METRICS_NUM_MAX], g[40];
		int p;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		v = (double)(int64_t)(x % 2000000000 - 1000000000) / (double)(1 + x % 7 * 1000);
		if (x % 3 == 0)
			v = (double)(int64_t)(x % 100000000) / 1e6;
		metrics_fmt_double(out, v);
		for (p = 1; p < 17; p++) {
			snprintf(g, sizeof g, "%.*g", p, v);
			if (strtod(g, NULL) == v)
				break;
		}
		if ((strtod(out, NULL) != v || sig_digits(out) > p) && bad++ < 3)
			diag("%.17g printed as %s; %d digits do", v, out, p);
	}
	is_int(bad, 0, "200000 short decimals: exact and no longer than the shortest");
}

static void test_names(void)
{
	static const char *const lab[] = { "method", "code" };
	static const char *const bad_lab[] = { "ok", "2x" };
	static const char *const dup_lab[] = { "a", "a" };
	static const char *const res_lab[] = { "__x" };
	static const char *const le_lab[] = { "le" };
	static const double b[] = { 1, 0.5 };
	metrics_family_t f;

	ok(metrics_valid_name("http_requests:rate5m", true), "colon allowed in a metric name");
	ok(!metrics_valid_name("a:b", false), "colon refused in a label name");
	ok(!metrics_valid_name("", true), "empty name refused");
	ok(!metrics_valid_name("9lives", true), "leading digit refused");
	ok(!metrics_valid_name("caf\xc3\xa9", true), "non-ASCII name refused");
	is_int(metrics_family_new(&reg, METRICS_COUNTER, "1bad", NULL, NULL, NULL, 0, NULL, 0, &f),
	       E_INVAL, "bad metric name refused");
	ok(strstr(reg.why, "1bad") != NULL && strstr(reg.why, "[a-zA-Z_:]") != NULL,
	   "the refusal says why: %s", reg.why);
	is_int(metrics_family_new(&reg, METRICS_COUNTER, "x_total", NULL, NULL, NULL, 0, NULL, 0, &f),
	       E_INVAL, "counter named *_total refused");
	is_int(metrics_family_new(&reg, METRICS_GAUGE, "g", NULL, NULL, bad_lab, 2, NULL, 0, &f),
	       E_INVAL, "bad label name refused");
	ok(strstr(reg.why, "\"2x\"") != NULL, "names the bad label: %s", reg.why);
	is_int(metrics_family_new(&reg, METRICS_GAUGE, "g", NULL, NULL, dup_lab, 2, NULL, 0, &f),
	       E_INVAL, "repeated label refused");
	is_int(metrics_family_new(&reg, METRICS_GAUGE, "g", NULL, NULL, res_lab, 1, NULL, 0, &f),
	       E_INVAL, "reserved __ label refused");
	is_int(metrics_family_new(&reg, METRICS_HISTOGRAM, "h", NULL, NULL, le_lab, 1, b, 1, &f),
	       E_INVAL, "le label on a histogram refused");
	is_int(metrics_family_new(&reg, METRICS_HISTOGRAM, "h", NULL, NULL, NULL, 0, b, 2, &f),
	       E_INVAL, "decreasing bounds refused");
	is_int(metrics_family_new(&reg, METRICS_GAUGE, "disk_bytes", NULL, "seconds", NULL, 0, NULL, 0, &f),
	       E_INVAL, "unit not matching the name's suffix refused");
	is_int(metrics_family_new(&reg, METRICS_GAUGE, "g", "bad \xff help", NULL, NULL, 0, NULL, 0, &f),
	       E_INVAL, "help that is not UTF-8 refused");
	is_int(metrics_family_new(&reg, METRICS_GAUGE, "g", NULL, NULL, lab, 2, NULL, 0, &f), E_OK,
	       "good gauge accepted");
	is_int(metrics_family_new(&reg, METRICS_COUNTER, "g", NULL, NULL, NULL, 0, NULL, 0, &f), E_EXIST,
	       "second family of the same name refused");
	is_int(reg.refused_bad_name, 7, "bad names (and the unit mismatch) counted");
	is_int(metrics_family_new(&reg, METRICS_COUNTER, "foo", NULL, NULL, NULL, 0, NULL, 0, &f), E_OK,
	       "counter foo");
	is_int(metrics_family_new(&reg, METRICS_GAUGE, "foo_total", NULL, NULL, NULL, 0, NULL, 0, &f), E_EXIST,
	       "gauge foo_total would clash with counter foo's samples");
	ok(strstr(reg.why, "clashes") != NULL, "and says so: %s", reg.why);
	is_int(metrics_family_new(&reg, METRICS_GAUGE, "lat_count", NULL, NULL, NULL, 0, NULL, 0, &f), E_OK,
	       "gauge lat_count");
	is_int(metrics_family_new(&reg, METRICS_HISTOGRAM, "lat", NULL, NULL, NULL, 0, b + 1, 1, &f), E_EXIST,
	       "histogram lat would clash with lat_count");
	is_int(metrics_family_new(&reg, METRICS_HISTOGRAM, "lat2", NULL, NULL, NULL, 0, b + 1, 1, &f), E_OK,
	       "histogram lat2");
	is_int(metrics_family_new(&reg, METRICS_COUNTER, "lat2_sum", NULL, NULL, NULL, 0, NULL, 0, &f), E_EXIST,
	       "counter lat2_sum: its family name is histogram lat2's sum (OpenMetrics forbids the clash)");
	is_int(metrics_family_new(&reg, METRICS_COUNTER, "lat2_summary", NULL, NULL, NULL, 0, NULL, 0, &f), E_OK,
	       "counter lat2_summary: no clash");
}

static void test_updates(void)
{
	static const char *const v[] = { "a" };
	static const char *const lab[] = { "k" };
	static const double bounds[] = { 0.5, 1, 2.5 };
	metrics_family_t c, g, h;
	metrics_series_t cs, gs, hs, again;

	metrics_init(&reg);
	metrics_family_new(&reg, METRICS_COUNTER, "c", NULL, NULL, lab, 1, NULL, 0, &c);
	metrics_family_new(&reg, METRICS_GAUGE, "g", NULL, NULL, NULL, 0, NULL, 0, &g);
	metrics_family_new(&reg, METRICS_HISTOGRAM, "h", NULL, NULL, NULL, 0, bounds, 3, &h);
	is_int(metrics_series_get(&reg, c, v, &cs), E_OK, "counter series created");
	is_int(metrics_series_get(&reg, c, v, &again), E_OK, "found again");
	is_int(again, cs, "same labels, same series");
	metrics_series_get(&reg, g, NULL, &gs);
	metrics_series_get(&reg, h, NULL, &hs);
	is_int(metrics_counter_add(&reg, cs, 2.5), E_OK, "counter add");
	is_int(metrics_counter_add(&reg, cs, -1), E_RANGE, "counter cannot go down");
	is_int(metrics_counter_add(&reg, cs, NAN), E_RANGE, "counter refuses NaN");
	is_int(metrics_counter_add(&reg, cs, INFINITY), E_RANGE, "counter refuses +Inf");
	is_int(metrics_counter_add(&reg, gs, 1), E_TYPE, "counter_add on a gauge refused");
	is_int(metrics_gauge_set(&reg, gs, -4), E_OK, "gauge set negative");
	is_int(metrics_gauge_add(&reg, gs, 1.5), E_OK, "gauge add");
	ok(reg.series[gs].value == -2.5, "gauge is -2.5");
	is_int(metrics_histogram_observe(&reg, hs, NAN), E_RANGE, "histogram refuses NaN");
	is_int(metrics_histogram_observe(&reg, cs, 1), E_TYPE, "observe on a counter refused");
	is_int(metrics_gauge_set(&reg, 9999, 1), E_INVAL, "unknown series refused");
	{
		const char *const bad[] = { "\xc0\xaf" };
		is_int(metrics_series_get(&reg, c, bad, &again), E_INVAL, "overlong UTF-8 label value refused");
	}
}

static void test_limits(void)
{
	static const char *const lab[] = { "i" };
	metrics_family_t f;
	metrics_series_t s;
	char val[16], name[16];
	int i, made = 0;
	enum hl_error err = E_OK;

	metrics_init(&reg);
	metrics_family_new(&reg, METRICS_GAUGE, "many", NULL, NULL, lab, 1, NULL, 0, &f);
	for (i = 0; i < METRICS_MAX_SERIES - 3 + 10; i++) {
		const char *v[] = { val };

		snprintf(val, sizeof val, "%d", i);
		if ((err = metrics_series_get(&reg, f, v, &s)) == E_OK)
			made++;
	}
	is_int(err, E_NOMEM, "series beyond the table refused with E_NOMEM");
	is_int(made, METRICS_MAX_SERIES - 3, "the table holds its size (less the 3 of the registry)");
	is_int(reg.refused_full, 10, "each refusal counted");
	ok(reg.series[reg.refused_series[1]].value == 10, "and exposed as refused_total{reason=\"full\"}");
	ok(strstr(render(METRICS_TEXT_004), "metrics_registry_refused_total{reason=\"full\"} 10\n") != NULL,
	   "rendered");
	for (i = 0; i < METRICS_MAX_FAMILIES; i++) {
		snprintf(name, sizeof name, "f%d", i);
		err = metrics_family_new(&reg, METRICS_GAUGE, name, NULL, NULL, NULL, 0, NULL, 0, &f);
	}
	is_int(err, E_NOMEM, "families beyond the table refused");
}

static void build_sample(void)
{
	static const char *const lab[] = { "path", "error" };
	static const char *const val[] = { "C:\\DIR\\FILE.TXT", "Cannot find file:\n\"FILE.TXT\"" };
	static const char *const method[] = { "method" };
	static const char *const get[] = { "GET" };
	static const double bounds[] = { 0.05, 1, 2.5 };
	metrics_family_t f;
	metrics_series_t s;

	metrics_init(&reg);
	metrics_family_new(&reg, METRICS_GAUGE, "msdos_file_access_time_seconds",
			   "Last access \\ time\nin \"seconds\".", "seconds", lab, 2, NULL, 0, &f);
	metrics_series_get(&reg, f, val, &s);
	metrics_gauge_set(&reg, s, 1.458255915e9);
	metrics_family_new(&reg, METRICS_COUNTER, "http_requests", "Requests.", NULL, method, 1, NULL, 0, &f);
	metrics_series_get(&reg, f, get, &s);
	metrics_counter_add(&reg, s, 1027);
	metrics_family_new(&reg, METRICS_HISTOGRAM, "rpc_duration_seconds", "RPC latency.", "seconds",
			   NULL, 0, bounds, 3, &f);
	metrics_series_get(&reg, f, NULL, &s);
	metrics_histogram_observe(&reg, s, 0.01);
	metrics_histogram_observe(&reg, s, 0.5);
	metrics_histogram_observe(&reg, s, 0.75);
	metrics_histogram_observe(&reg, s, 100);
	metrics_family_new(&reg, METRICS_GAUGE, "odd", NULL, NULL, NULL, 0, NULL, 0, &f);
	metrics_series_get(&reg, f, NULL, &s);
	metrics_gauge_set(&reg, s, NAN);
}

static const char want_text[] =
	"# HELP metrics_registry_refused_total Registrations and updates the metrics registry refused, by cause.\n"
	"# TYPE metrics_registry_refused_total counter\n"
	"metrics_registry_refused_total{reason=\"bad_name\"} 0\n"
	"metrics_registry_refused_total{reason=\"full\"} 0\n"
	"metrics_registry_refused_total{reason=\"other\"} 0\n"
	"# HELP msdos_file_access_time_seconds Last access \\\\ time\\nin \"seconds\".\n"
	"# TYPE msdos_file_access_time_seconds gauge\n"
	"msdos_file_access_time_seconds{path=\"C:\\\\DIR\\\\FILE.TXT\",error=\"Cannot find file:\\n\\\"FILE.TXT\\\"\"} 1458255915\n"
	"# HELP http_requests_total Requests.\n"
	"# TYPE http_requests_total counter\n"
	"http_requests_total{method=\"GET\"} 1027\n"
	"# HELP rpc_duration_seconds RPC latency.\n"
	"# TYPE rpc_duration_seconds histogram\n"
	"rpc_duration_seconds_bucket{le=\"0.05\"} 1\n"
	"rpc_duration_seconds_bucket{le=\"1\"} 3\n"
	"rpc_duration_seconds_bucket{le=\"2.5\"} 3\n"
	"rpc_duration_seconds_bucket{le=\"+Inf\"} 4\n"
	"rpc_duration_seconds_count 4\n"
	"rpc_duration_seconds_sum 101.26\n"
	"# TYPE odd gauge\n"
	"odd NaN\n";

static const char want_om[] =
	"# TYPE metrics_registry_refused counter\n"
	"# HELP metrics_registry_refused Registrations and updates the metrics registry refused, by cause.\n"
	"metrics_registry_refused_total{reason=\"bad_name\"} 0\n"
	"metrics_registry_refused_total{reason=\"full\"} 0\n"
	"metrics_registry_refused_total{reason=\"other\"} 0\n"
	"# TYPE msdos_file_access_time_seconds gauge\n"
	"# UNIT msdos_file_access_time_seconds seconds\n"
	"# HELP msdos_file_access_time_seconds Last access \\\\ time\\nin \\\"seconds\\\".\n"
	"msdos_file_access_time_seconds{path=\"C:\\\\DIR\\\\FILE.TXT\",error=\"Cannot find file:\\n\\\"FILE.TXT\\\"\"} 1458255915\n"
	"# TYPE http_requests counter\n"
	"# HELP http_requests Requests.\n"
	"http_requests_total{method=\"GET\"} 1027\n"
	"# TYPE rpc_duration_seconds histogram\n"
	"# UNIT rpc_duration_seconds seconds\n"
	"# HELP rpc_duration_seconds RPC latency.\n"
	"rpc_duration_seconds_bucket{le=\"0.05\"} 1\n"
	"rpc_duration_seconds_bucket{le=\"1.0\"} 3\n"
	"rpc_duration_seconds_bucket{le=\"2.5\"} 3\n"
	"rpc_duration_seconds_bucket{le=\"+Inf\"} 4\n"
	"rpc_duration_seconds_count 4\n"
	"rpc_duration_seconds_sum 101.26\n"
	"# TYPE odd gauge\n"
	"odd NaN\n"
	"# EOF\n";

static void test_render(void)
{
	struct metrics_buf small = { page, 0, 10 };

	build_sample();
	is_str(render(METRICS_TEXT_004), want_text, "text 0.0.4 page");
	is_str(render(METRICS_OPENMETRICS), want_om, "OpenMetrics page");
	metrics_render(&reg, METRICS_TEXT_004, &small);
	ok(metrics_buf_overflow(&small) && small.len == strlen(want_text),
	   "a short buffer overflows and reports the size needed");
}

static void test_negotiate(void)
{
	enum metrics_format f;
	static const struct {
		const char *accept;
		bool ok;
		enum metrics_format want;
	} cases[] = {
		{ NULL, true, METRICS_TEXT_004 },
		{ "*/*", true, METRICS_TEXT_004 },
		{ "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
		  "text/plain;version=0.0.4;q=0.5,*/*;q=0.1", true, METRICS_OPENMETRICS },
		{ "application/openmetrics-text;version=0.0.1", true, METRICS_TEXT_004 },
		{ "text/plain;version=0.0.4;q=0.3, application/openmetrics-text; version=1.0.0; q=0.5", true,
		  METRICS_OPENMETRICS },
		{ "application/openmetrics-text;q=0.2, text/plain", true, METRICS_TEXT_004 },
		{ "text/plain;q=0, */*", true, METRICS_OPENMETRICS },
		{ "image/png", true, METRICS_TEXT_004 },
		{ "text/plain;q=0, application/openmetrics-text;q=0", false, METRICS_TEXT_004 },
		{ "*/*;q=0", false, METRICS_TEXT_004 },
		{ "text/plain;q=2", true, METRICS_TEXT_004 },
		{ ";;;,,,=", true, METRICS_TEXT_004 },
		{ "text/*;q=0.9, application/*;q=0.8", true, METRICS_TEXT_004 },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		bool r = metrics_negotiate(cases[i].accept, &f);

		ok(r == cases[i].ok && (!r || f == cases[i].want), "Accept: %s",
		   cases[i].accept ? cases[i].accept : "(none)");
	}
}

int main(void)
{
	plan_no_plan();
	test_numbers();
	test_go_layout();
	metrics_init(&reg);
	test_names();
	test_updates();
	test_limits();
	test_render();
	test_negotiate();
	return done_testing();
}
