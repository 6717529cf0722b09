# Ares: one non-recursive build graph.
#
# Each component contributes a fragment (<dir>/<name>.mk) that appends to
# these lists; nothing recurses into sub-makes:
#   ALL          files `make` builds
#   CHECK_TESTS  executable TAP tests (compiled programs or scripts) for `make check`
#   BENCH_TESTS  programs printing `bench <name> <median> <unit>` lines for `make bench`
#   FUZZ_TARGETS phony targets that `make fuzz` runs, each for a bounded time
#   FUZZ_FOREVER phony targets that `make fuzz` runs after those, until stopped
#   DEBIAN_PKGS  Debian packages the build, tests or benches need (tools/deps installs them)
# All outputs go under $(B).

B          := build
HOST_CC    := gcc
HOST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -MMD -MP
TIMEOUT    ?= 600
# Tests run two at a time (independent QEMU boots, host tests); PROVE_FLAGS= runs them one by one.
PROVE_FLAGS ?= -j2

ALL          :=
CHECK_TESTS  :=
BENCH_TESTS  :=
FUZZ_TARGETS :=
FUZZ_FOREVER :=
DEBIAN_PKGS  := make gcc binutils perl qemu-system-x86

.PHONY: all check bench fuzz clean run debug deps
all: deps-quiet everything

include tests/tests.mk
include kernel/kernel.mk
# Mercury's libraries first: the fragments after them use their variables
# while being read (prerequisites), not only in recipes.
MERCURY_BASE_MK := mercury/lib/lib.mk mercury/rt/rt.mk mercury/ipc/ipc.mk
include $(MERCURY_BASE_MK)
-include $(filter-out $(MERCURY_BASE_MK),$(wildcard tools/*/*.mk mercury/*.mk mercury/*/*.mk debug/*.mk trace/*.mk metrics/*.mk gaia/*.mk gaia/*/*.mk venus/*.mk venus/*/*.mk luna/*.mk))
# In-OS test programs build on the runtime above.
-include $(wildcard tests/*/*.mk)
# Last: their rules name files the fragments above define or add to.
include tools/initrd.mk
include tools/tools.mk

everything: $(ALL)

# `make check`: every test, run by prove, ending with its summary.
check: deps-quiet $(ALL) $(CHECK_TESTS)
	@prove --exec '' --timer $(PROVE_FLAGS) $(CHECK_TESTS)

# `make bench`: each bench prints `bench <name> <median> <unit>`; tools/bench-collect
# keeps those lines and writes build/bench.json.
bench: deps-quiet $(ALL) $(BENCH_TESTS)
	@tools/bench-collect $(B)/bench.json $(BENCH_TESTS)

# The bounded fuzzers first; then those that run until stopped (Ctrl-C).
fuzz: $(FUZZ_TARGETS) $(FUZZ_FOREVER)
$(FUZZ_FOREVER): | $(FUZZ_TARGETS)

clean:
	rm -rf $(B)

-include $(shell find $(B) -name '*.d' 2>/dev/null)
