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
