# mercury/net: the TCP/IP stack (docs/net.md), portable C over net.h.
#
#   $(NET_ARES_LIB)   the stack built freestanding for Ares user space
#                     (libmercury's flags), so `make` fails when it stops
#                     being portable
#   $(NET_HOST_OBJS)  the same sources for host tests (ASan, UBSan)
#   tests             tests/mercury/net/: unit tests over a virtual wire
#                     with a fake clock, and tap.t, the interop test
#                     against Linux on a tap device
#   fuzzers           make fuzz: frames, DHCP and DNS messages

NET_DIR       := mercury/net
NET_SRCS      := $(sort $(wildcard $(NET_DIR)/*.c))
NET_ARES_OBJS := $(patsubst %.c,$(B)/mercury/net/ares/%.o,$(notdir $(NET_SRCS)))
NET_ARES_LIB  := $(B)/mercury/net/libnet.a
NET_SAN       := -fsanitize=address,undefined -fno-sanitize-recover=all
NET_HCFLAGS   := $(HOST_CFLAGS) -I$(NET_DIR) -Imercury/lib/include

DEBIAN_PKGS += iproute2 iputils-ping socat dnsmasq-base clang valgrind

$(B)/mercury/net/ares/%.o: $(NET_DIR)/%.c
	@mkdir -p $(@D)
	$(HOST_CC) $(MERC_UFLAGS) -MMD -MP -c -o $@ $<

$(NET_ARES_LIB): $(NET_ARES_OBJS)
	rm -f $@
	ar rcs $@ $^

ALL += $(NET_ARES_LIB)

# Host unit tests: the stack's sources with the test, under ASan/UBSan.
NET_TEST_DEPS := $(NET_SRCS) $(wildcard $(NET_DIR)/*.h) $(wildcard tests/mercury/net/*.h) tests/lib/tap.h
NET_TCFLAGS   = $(NET_HCFLAGS) $(NET_SAN) -Itests/lib -Itests/mercury/net
define net_test
$(B)/tests/mercury-net-$(1).t: tests/mercury/net/$(1)_test.c $(NET_TEST_DEPS) $(2)
	@mkdir -p $$(@D)
	$$(HOST_CC) $$(NET_TCFLAGS) -o $$@ tests/mercury/net/$(1)_test.c $(NET_SRCS) $(2)
CHECK_TESTS += $(B)/tests/mercury-net-$(1).t
NET_TESTS += $(B)/tests/mercury-net-$(1).t
endef
$(eval $(call net_test,tcp))

# The interop test against Linux on a tap device (needs root and
# /dev/net/tun; skips otherwise).
$(eval $(call net_test,tap,tests/mercury/net/tapdev.c))
$(eval $(call net_test,ip))
$(eval $(call net_test,app))

# make fuzz: frames into a whole stack, DHCP replies into the client, DNS
# responses into the decoder; each for FUZZ_SECONDS under ASan and UBSan,
# seeded from tests/mercury/net/fuzz/seeds/.  Crashes land in $(B)/fuzz/net-*/.
NET_FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
  -I$(NET_DIR) -Imercury/lib/include
$(B)/fuzz/net-%/fuzz: tests/mercury/net/fuzz/fuzz_%.c $(NET_SRCS) $(wildcard $(NET_DIR)/*.h)
	@mkdir -p $(@D)/corpus
	clang $(NET_FUZZ_FLAGS) -o $@ $< $(NET_SRCS)

.PHONY: fuzz-net-frame fuzz-net-dhcp fuzz-net-dns
fuzz-net-frame fuzz-net-dhcp fuzz-net-dns: fuzz-net-%: $(B)/fuzz/net-%/fuzz
	-cp tests/mercury/net/fuzz/seeds/$*-* $(B)/fuzz/net-$*/corpus/ 2>/dev/null
	cd $(B)/fuzz/net-$* && ASAN_OPTIONS=detect_leaks=1 ./fuzz -max_total_time=$(FUZZ_SECONDS) \
		-max_len=8192 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 corpus

FUZZ_TARGETS += fuzz-net-frame fuzz-net-dhcp fuzz-net-dns

# make bench: bulk TCP between two stacks in one process (MiB/s and
# callgrind's instructions per byte).
$(B)/tests/mercury/net/bench: tests/mercury/net/bench.c $(NET_SRCS) $(wildcard $(NET_DIR)/*.h)
	@mkdir -p $(@D)
	$(HOST_CC) $(NET_HCFLAGS) -o $@ tests/mercury/net/bench.c $(NET_SRCS)
ALL += $(B)/tests/mercury/net/bench
BENCH_TESTS += tests/mercury/net/bench.sh
