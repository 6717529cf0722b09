# gaia/logd/: the syslog side of logd (docs/logs.md): RFC 5424 records
# out and in, RFC 6587 framing, and the shipper with its bounded queue.
# logd itself (the log service on Ares) builds on these; what is here is
# portable C plus the host back ends and tools:
#
#   syslog_fmt.c syslog_parse.c syslog_frame.c ship.c   portable
#   ship_posix.c                                        host transports
#   cmd/syslog-ship.c cmd/syslog-collect.c              host tools
#
# Outputs: $(B)/gaia/logd/syslog-ship, $(B)/gaia/logd/syslog-collect;
# tests in tests/logd/ (unit, and against real rsyslog and logger); the
# parser fuzzer (make fuzz).

LOGD_SYSLOG_SRCS := gaia/logd/syslog_fmt.c gaia/logd/syslog_parse.c gaia/logd/syslog_frame.c
LOGD_SHIP_SRCS   := gaia/logd/ship.c
LOGD_CFLAGS      := -Igaia/logd -Ikernel/include
LOGD_SHIP_BIN    := $(B)/gaia/logd/syslog-ship
LOGD_COLLECT_BIN := $(B)/gaia/logd/syslog-collect
# rsyslog for the tests (started by them, never as a system daemon);
# bsdutils for logger(1), a second sender for the collector test.
DEBIAN_PKGS += rsyslog bsdutils clang

$(B)/gaia/logd/%.o: gaia/logd/%.c
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) $(LOGD_CFLAGS) -c -o $@ $<

$(LOGD_SHIP_BIN): $(patsubst %.c,$(B)/%.o,gaia/logd/cmd/syslog-ship.c gaia/logd/ship_posix.c $(LOGD_SHIP_SRCS) $(LOGD_SYSLOG_SRCS))
	$(HOST_CC) $(HOST_CFLAGS) -o $@ $^

$(LOGD_COLLECT_BIN): $(patsubst %.c,$(B)/%.o,gaia/logd/cmd/syslog-collect.c $(LOGD_SYSLOG_SRCS))
	$(HOST_CC) $(HOST_CFLAGS) -o $@ $^

ALL += $(LOGD_SHIP_BIN) $(LOGD_COLLECT_BIN)

.PHONY: logd-tools
logd-tools: $(LOGD_SHIP_BIN) $(LOGD_COLLECT_BIN)

# Against real rsyslog (tests/logd/rsyslog.t) and real senders into our
# collector (tests/logd/collect.t).
CHECK_TESTS += tests/logd/rsyslog.t tests/logd/collect.t
tests/logd/rsyslog.t tests/logd/collect.t: $(LOGD_SHIP_BIN) $(LOGD_COLLECT_BIN)

$(eval $(call host_test,logd-syslog,tests/logd/syslog_test.c $(LOGD_SYSLOG_SRCS) $(LOGD_SHIP_SRCS),))
$(B)/tests/logd-syslog.t: HOST_CFLAGS += $(LOGD_CFLAGS) -fsanitize=address,undefined -fno-sanitize-recover=all
$(B)/tests/logd-syslog.t: $(wildcard gaia/logd/*.h)

# make fuzz: the parser and deframer for FUZZ_SECONDS, seeded from
# tests/logd/seeds/. Crashes land in $(B)/fuzz/logd-syslog/.
LOGD_FUZZ := $(B)/fuzz/logd-syslog/fuzz
$(LOGD_FUZZ): tests/logd/fuzz_syslog.c $(LOGD_SYSLOG_SRCS) $(wildcard gaia/logd/*.h)
	@mkdir -p $(@D)/corpus
	clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all $(LOGD_CFLAGS) \
		-o $@ $< $(LOGD_SYSLOG_SRCS)

.PHONY: fuzz-logd-syslog
fuzz-logd-syslog: $(LOGD_FUZZ)
	cp tests/logd/seeds/* $(B)/fuzz/logd-syslog/corpus/
	cd $(B)/fuzz/logd-syslog && ASAN_OPTIONS=detect_leaks=1 ./fuzz -max_total_time=$(FUZZ_SECONDS) \
		-max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 corpus

FUZZ_TARGETS += fuzz-logd-syslog

# `make bench`: instructions per queued record, and rate and latency into
# a real rsyslogd.
BENCH_TESTS += tests/logd/bench.pl

# The portable files build against libmercury alone (metrics/metrics.mk).
$(eval $(call ares_portable_check,logd,$(LOGD_SYSLOG_SRCS) $(LOGD_SHIP_SRCS),$(LOGD_CFLAGS)))
