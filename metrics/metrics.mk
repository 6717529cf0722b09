# metrics/: the metrics registry and exposition, the HTTP/1.1 server core
# and the host program serving /metrics (docs/metrics.md).
#
#   metrics/expo/  registry, names, numbers, 0.0.4 and OpenMetrics
#                  rendering, Accept negotiation: portable C
#   metrics/http/  HTTP/1.1 request parser and the event-driven server
#                  core (portable), and the BSD-socket back end (host)
#   metrics/cmd/   metrics-serve: a host server with a generated workload
#
# Outputs: $(B)/metrics/metrics-serve; tests in tests/metrics/; the HTTP
# parser fuzzer (make fuzz) and the render bench (make bench).

METRICS_EXPO_SRCS := $(sort $(wildcard metrics/expo/*.c))
METRICS_CFLAGS    := -Imetrics/expo -Imetrics/http -Ikernel/include
# promtool and prometheus (the prometheus package) for the tests against
# the real tools, python3-prometheus-client for its strict OpenMetrics
# parser; curl for the HTTP tests; clang for the fuzzer; valgrind for the
# bench.
DEBIAN_PKGS += prometheus python3-prometheus-client curl clang valgrind

$(eval $(call host_test,metrics-expo,tests/metrics/expo_test.c $(METRICS_EXPO_SRCS),-lm))
$(B)/tests/metrics-expo.t: HOST_CFLAGS += $(METRICS_CFLAGS) -fsanitize=address,undefined -fno-sanitize-recover=all
$(B)/tests/metrics-expo.t: $(wildcard metrics/expo/*.h)

METRICS_HTTP_SRCS := metrics/http/http_parse.c metrics/http/http_server.c
METRICS_SERVE     := $(B)/metrics/metrics-serve
METRICS_SERVE_SRCS := metrics/cmd/metrics-serve.c metrics/http/http_posix.c \
  $(METRICS_HTTP_SRCS) $(METRICS_EXPO_SRCS)

$(B)/metrics/%.o: metrics/%.c
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) $(METRICS_CFLAGS) -c -o $@ $<

$(METRICS_SERVE): $(patsubst %.c,$(B)/%.o,$(METRICS_SERVE_SRCS))
	$(HOST_CC) $(HOST_CFLAGS) -o $@ $^

ALL += $(METRICS_SERVE)

.PHONY: metrics
metrics: $(METRICS_SERVE)

$(eval $(call host_test,metrics-http,tests/metrics/http_test.c $(METRICS_HTTP_SRCS),))
$(B)/tests/metrics-http.t: HOST_CFLAGS += $(METRICS_CFLAGS) -fsanitize=address,undefined -fno-sanitize-recover=all
$(B)/tests/metrics-http.t: $(wildcard metrics/http/*.h)

# make fuzz: the HTTP parser and core (and Accept negotiation) for FUZZ_SECONDS, seeded with the
# requests of tests/metrics/seeds/http/. Crashes land in $(B)/fuzz/metrics-http/.
METRICS_FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all $(METRICS_CFLAGS)

$(B)/fuzz/metrics-http/fuzz: tests/metrics/fuzz_http.c $(METRICS_HTTP_SRCS) metrics/expo/accept.c $(wildcard metrics/http/*.h)
	@mkdir -p $(@D)/corpus
	clang $(METRICS_FUZZ_FLAGS) -o $@ $< $(METRICS_HTTP_SRCS) metrics/expo/accept.c

.PHONY: fuzz-metrics-http
fuzz-metrics-http: $(B)/fuzz/metrics-http/fuzz
	cp tests/metrics/seeds/http/* $(B)/fuzz/metrics-http/corpus/
	cd $(B)/fuzz/metrics-http && ASAN_OPTIONS=detect_leaks=1 ./fuzz -max_total_time=$(FUZZ_SECONDS) \
		-max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 corpus

FUZZ_TARGETS += fuzz-metrics-http

# Against the real tools: promtool and the OpenMetrics parser on both
# pages, HTTP over real sockets with curl, and Prometheus scraping three
# instances (tests/metrics/*.t; they need metrics-serve).
CHECK_TESTS += tests/metrics/promtool.t tests/metrics/http_live.t tests/metrics/prometheus.t
tests/metrics/promtool.t tests/metrics/http_live.t tests/metrics/prometheus.t: $(METRICS_SERVE)

# `make bench`: instructions to render a 500-sample page, both formats.
BENCH_TESTS += tests/metrics/bench.sh

# The portable parts must build for Ares: compiled with libmercury's flags
# (freestanding, no libc headers) through a shim that maps <string.h> and
# <stdlib.h> to libmercury's, and every symbol they need must be defined
# by libmercury or by themselves. gaia/logd.mk checks its own files the
# same way with ares_portable_check.
ARES_SHIM := $(B)/ares-shim
$(ARES_SHIM)/string.h $(ARES_SHIM)/stdlib.h:
	@mkdir -p $(@D)
	printf '#include <mercury/string.h>\n#include <mercury/heap.h>\n' > $@

# $(call ares_portable_check,NAME,SOURCES,CFLAGS): builds $(B)/ares-check/NAME.ok.
define ares_portable_check
$(B)/ares-check/$(1)/%.o: %.c $(ARES_SHIM)/string.h $(ARES_SHIM)/stdlib.h
	@mkdir -p $$(@D)
	$$(HOST_CC) $$(MERC_UFLAGS) -I$(ARES_SHIM) $(3) -MMD -MP -c -o $$@ $$<
$(B)/ares-check/$(1).ok: $(patsubst %.c,$(B)/ares-check/$(1)/%.o,$(2)) $(B)/mercury/libmercury.a
	@undef=$$$$(nm -u $(patsubst %.c,$(B)/ares-check/$(1)/%.o,$(2)) | awk 'NF==2{print $$$$2}' | sort -u); \
	def=$$$$(nm --defined-only $$^ 2>/dev/null | awk 'NF==3{print $$$$3}' | sort -u); \
	for s in $$$$undef; do echo "$$$$def" | grep -qx "$$$$s" || missing="$$$$missing $$$$s"; done; \
	if [ -n "$$$$missing" ]; then echo "$(1): not in libmercury:$$$$missing"; exit 1; fi
	@touch $$@
ALL += $(B)/ares-check/$(1).ok
endef

$(eval $(call ares_portable_check,metrics,$(METRICS_EXPO_SRCS) $(METRICS_HTTP_SRCS),$(METRICS_CFLAGS)))

# make fuzz: registrations and updates from arbitrary bytes, both pages
# checked for well-formedness.
$(B)/fuzz/metrics-render/fuzz: tests/metrics/fuzz_render.c $(METRICS_EXPO_SRCS) $(wildcard metrics/expo/*.h)
	@mkdir -p $(@D)/corpus
	clang $(METRICS_FUZZ_FLAGS) -o $@ $< $(METRICS_EXPO_SRCS)

.PHONY: fuzz-metrics-render
fuzz-metrics-render: $(B)/fuzz/metrics-render/fuzz
	cd $(B)/fuzz/metrics-render && ASAN_OPTIONS=detect_leaks=1 ./fuzz -max_total_time=$(FUZZ_SECONDS) \
		-max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 corpus

FUZZ_TARGETS += fuzz-metrics-render
