/*
 * metrics-serve: a host instance of the metrics HTTP server, serving a
 * registry filled with a workload the tests can predict (docs/metrics.md,
 * "metrics-serve"). It is what tests/metrics/prometheus.t scrapes with
 * real Prometheus, and what the render bench measures.
 *
 *   metrics-serve [-a addr] [-p port] [-P portfile] [-f auto|text|openmetrics]
 *                 [-r rate] [-m mult] [-g gauge] [-n series] [-t request_ms]
 *                 [-c max_conns] [-d text|openmetrics]
 *
 * The workload, all of it a function of the options and the time since
 * start:
 *   workload_events_total                 rate * seconds since start
 *   workload_items_total{kind="kJ"}       (J+1) * mult, J = 0..3
 *   workload_queue_depth                  gauge
 *   workload_temperature_celsius          gauge with a unit, -12.5
 *   workload_latency_seconds              histogram of 100 observations
 *                                         0.00, 0.01, ... 0.99 s
 *   workload_series{i="J"}                J / 4, J = 0..series-1
 *   http_* (the server's own counters)
 * -d renders the page once to stdout and exits (for promtool and the bench).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http_posix.h"
#include "metrics.h"

static struct metrics_registry reg;

struct workload {
	double rate;
	uint64_t start_ms, last_ms;
	metrics_series_t events;
	struct http_server *srv;
	metrics_series_t http_requests, http_open, http_timeouts, http_refused;
	uint64_t seen_requests, seen_timeouts, seen_refused;
	int force;		/* -1 auto, else an enum metrics_format */
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static metrics_series_t plain(metrics_family_t f)
{
	metrics_series_t s = -1;

	metrics_series_get(&reg, f, NULL, &s);
	return s;
}

/* Registers a family or dies: the workload's names are fixed, so a
   refusal here is a bug worth stopping for. */
static metrics_family_t family(enum metrics_type t, const char *name, const char *help,
			       const char *unit, const char *const *labels, int nlabels,
			       const double *bounds, int nbounds)
{
	metrics_family_t f;

	if (metrics_family_new(&reg, t, name, help, unit, labels, nlabels, bounds, nbounds, &f) != E_OK) {
		fprintf(stderr, "metrics-serve: %s\n", reg.why);
		exit(1);
	}
	return f;
}

static void build(struct workload *w, double mult, double gauge, int nseries)
{
	static const char *const kind[] = { "kind" };
	static const char *const idx[] = { "i" };
	static const double bounds[] = { 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5 };
	metrics_family_t f;
	metrics_series_t s;
	char val[16];
	int j;

	metrics_init(&reg);
	w->events = plain(family(METRICS_COUNTER, "workload_events", "Events, at a fixed rate since start.",
				 NULL, NULL, 0, NULL, 0));
	f = family(METRICS_COUNTER, "workload_items", "Items by kind: (J+1) times the multiplier.", NULL,
		   kind, 1, NULL, 0);
	for (j = 0; j < 4; j++) {
		const char *v[] = { val };

		snprintf(val, sizeof val, "k%d", j);
		metrics_series_get(&reg, f, v, &s);
		metrics_counter_add(&reg, s, (j + 1) * mult);
	}
	metrics_gauge_set(&reg, plain(family(METRICS_GAUGE, "workload_queue_depth", "A fixed gauge.",
					     NULL, NULL, 0, NULL, 0)), gauge);
	metrics_gauge_set(&reg, plain(family(METRICS_GAUGE, "workload_temperature_celsius",
					     "A gauge with a unit.", "celsius", NULL, 0, NULL, 0)), -12.5);
	s = plain(family(METRICS_HISTOGRAM, "workload_latency_seconds", "100 observations, 0 to 0.99 s.",
			 "seconds", NULL, 0, bounds, 9));
	for (j = 0; j < 100; j++)
		metrics_histogram_observe(&reg, s, j / 100.0);
	if (nseries > 0) {
		f = family(METRICS_GAUGE, "workload_series", "Filler series for page-size tests.", NULL,
			   idx, 1, NULL, 0);
		for (j = 0; j < nseries; j++) {
			const char *v[] = { val };

			snprintf(val, sizeof val, "%d", j);
			if (metrics_series_get(&reg, f, v, &s) == E_OK)
				metrics_gauge_set(&reg, s, j / 4.0);
		}
	}
	w->http_requests = plain(family(METRICS_COUNTER, "http_requests", "HTTP requests parsed.",
					NULL, NULL, 0, NULL, 0));
	w->http_timeouts = plain(family(METRICS_COUNTER, "http_request_timeouts",
					"Requests cut off at their deadline (408).", NULL, NULL, 0, NULL, 0));
	w->http_refused = plain(family(METRICS_COUNTER, "http_connections_refused",
				       "Connections refused with the table full.", NULL, NULL, 0, NULL, 0));
	w->http_open = plain(family(METRICS_GAUGE, "http_connections_open", "Connections open.",
				    NULL, NULL, 0, NULL, 0));
}

/* Brings the time-driven and server counters up to date. */
static void update(struct workload *w, uint64_t now)
{
	metrics_counter_add(&reg, w->events, w->rate * (double)(now - w->last_ms) / 1000.0);
	w->last_ms = now;
	if (w->srv == NULL)
		return;
	metrics_counter_add(&reg, w->http_requests, (double)(w->srv->stats.requests - w->seen_requests));
	metrics_counter_add(&reg, w->http_timeouts,
			    (double)(w->srv->stats.timeouts_request - w->seen_timeouts));
	metrics_counter_add(&reg, w->http_refused, (double)(w->srv->stats.refused_full - w->seen_refused));
	w->seen_requests = w->srv->stats.requests;
	w->seen_timeouts = w->srv->stats.timeouts_request;
	w->seen_refused = w->srv->stats.refused_full;
	metrics_gauge_set(&reg, w->http_open, w->srv->stats.open);
}

static void handle(void *ctx, const struct http_request *req, struct http_response *resp)
{
	struct workload *w = ctx;
	char accept[1024];
	enum metrics_format f;
	struct metrics_buf b = { resp->body, 0, resp->body_cap };

	if (req->path_len == 1 && req->path[0] == '/') {
		metrics_buf_puts(&b, "metrics-serve: see /metrics\n");
		resp->body_len = b.len;
		return;
	}
	if (req->path_len != 8 || memcmp(req->path, "/metrics", 8) != 0) {
		resp->status = 404;
		metrics_buf_puts(&b, "Not Found\n");
		resp->body_len = b.len;
		return;
	}
	if (req->accept != NULL && req->accept_len < sizeof accept) {
		memcpy(accept, req->accept, req->accept_len);
		accept[req->accept_len] = '\0';
	}
	if (!metrics_negotiate(req->accept != NULL && req->accept_len < sizeof accept ? accept : NULL, &f)) {
		resp->status = 406;
		metrics_buf_puts(&b, "Not Acceptable: text/plain;version=0.0.4 or "
				     "application/openmetrics-text;version=1.0.0\n");
		resp->body_len = b.len;
		return;
	}
	if (w->force >= 0)
		f = (enum metrics_format)w->force;
	update(w, http_posix_now());
	metrics_render(&reg, f, &b);
	resp->content_type = metrics_content_type(f);
	resp->body_len = b.len;	/* beyond body_cap: the core answers 500 */
}

static int parse_format(const char *s)
{
	if (strcmp(s, "text") == 0)
		return METRICS_TEXT_004;
	if (strcmp(s, "openmetrics") == 0)
		return METRICS_OPENMETRICS;
	if (strcmp(s, "auto") == 0)
		return -1;
	fprintf(stderr, "metrics-serve: format %s: want auto, text or openmetrics\n", s);
	exit(2);
}

static int dump(int format)
{
	static char page[8 << 20];
	struct metrics_buf b = { page, 0, sizeof page };

	metrics_render(&reg, (enum metrics_format)format, &b);
	if (metrics_buf_overflow(&b)) {
		fprintf(stderr, "metrics-serve: page of %zu bytes does not fit\n", b.len);
		return 1;
	}
	return fwrite(page, 1, b.len, stdout) == b.len ? 0 : 1;
}

int main(int argc, char **argv)
{
	struct workload w = { .force = -1 };
	struct http_config cfg = http_config_default();
	struct http_io io = http_posix_io();
	struct http_server srv;
	const char *addr = "127.0.0.1", *portfile = NULL;
	double mult = 1, gauge = 0;
	int port = 0, bound, fd, c, nseries = 0, dump_format = -2;

	while ((c = getopt(argc, argv, "a:p:P:f:r:m:g:n:t:c:d:")) != -1) {
		switch (c) {
		case 'a': addr = optarg; break;
		case 'p': port = atoi(optarg); break;
		case 'P': portfile = optarg; break;
		case 'f': w.force = parse_format(optarg); break;
		case 'r': w.rate = atof(optarg); break;
		case 'm': mult = atof(optarg); break;
		case 'g': gauge = atof(optarg); break;
		case 'n': nseries = atoi(optarg); break;
		case 't': cfg.request_ms = (uint64_t)atol(optarg); break;
		case 'c': cfg.max_conns = atoi(optarg); break;
		case 'd': dump_format = parse_format(optarg); break;
		default:
			fprintf(stderr, "usage: metrics-serve [-a addr] [-p port] [-P portfile] "
					"[-f auto|text|openmetrics] [-r rate] [-m mult] [-g gauge] "
					"[-n series] [-t request_ms] [-c max_conns] [-d text|openmetrics]\n");
			return 2;
		}
	}
	w.start_ms = w.last_ms = http_posix_now();
	build(&w, mult, gauge, nseries);
	if (dump_format != -2)
		return dump(dump_format < 0 ? METRICS_TEXT_004 : dump_format);
	if ((fd = http_posix_listen(addr, port, &bound)) < 0)
		return 1;
	if (portfile != NULL) {
		FILE *f = fopen(portfile, "w");

		if (f == NULL || fprintf(f, "%d\n", bound) < 0 || fclose(f) != 0) {
			perror("metrics-serve: port file");
			return 1;
		}
	}
	if (!http_server_init(&srv, &cfg, handle, &w, &io)) {
		fprintf(stderr, "metrics-serve: out of memory\n");
		return 1;
	}
	w.srv = &srv;
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	c = http_posix_serve(&srv, fd, &stop, NULL, NULL);
	http_server_free(&srv);
	close(fd);
	return c == 0 ? 0 : 1;
}
