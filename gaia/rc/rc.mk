# gaia/rc: the Ares shell, after Plan 9's rc.  The core is portable C
# over gaia/rc/os.h; os_posix.c is the host back end (the Ares one comes
# with the file layer and process service).
#
# Outputs: $(B)/gaia/rc/rc (host binary), the tests under tests/gaia/rc
# and the parser fuzzer (make fuzz).

RC_CORE_SRCS := $(filter-out gaia/rc/main.c gaia/rc/os_posix.c,$(sort $(wildcard gaia/rc/*.c)))
RC_SRCS      := $(RC_CORE_SRCS) gaia/rc/main.c gaia/rc/os_posix.c
RC_OBJS      := $(patsubst %.c,$(B)/%.o,$(RC_SRCS))
RC_BIN       := $(B)/gaia/rc/rc
# 9base: Plan 9's own rc (/usr/lib/plan9/bin/rc), the oracle for
# tests/gaia/rc/oracle.t; clang for the fuzzer.
DEBIAN_PKGS += 9base clang

$(B)/gaia/rc/%.o: gaia/rc/%.c
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -c -o $@ $<

$(RC_BIN): $(RC_OBJS)
	$(HOST_CC) $(HOST_CFLAGS) -o $@ $^

ALL += $(RC_BIN)

.PHONY: rc
rc: $(RC_BIN)

# make fuzz: the lexer, parser, tree printer and matcher under libFuzzer
# for RC_FUZZ_SECONDS (default FUZZ_SECONDS), seeded with the test
# scripts.  Crashes land in $(B)/fuzz/rc/.
RC_FUZZ_SECONDS ?= $(FUZZ_SECONDS)
RC_FUZZ         := $(B)/fuzz/rc/fuzz_parse

$(RC_FUZZ): tests/gaia/rc/fuzz_parse.c $(RC_CORE_SRCS) gaia/rc/os_posix.c $(wildcard gaia/rc/*.h)
	@mkdir -p $(@D)
	clang -g -O1 -fsanitize=fuzzer,address,undefined -Igaia/rc -o $@ \
		tests/gaia/rc/fuzz_parse.c $(RC_CORE_SRCS) gaia/rc/os_posix.c

.PHONY: fuzz-rc
fuzz-rc: $(RC_FUZZ)
	@mkdir -p $(B)/fuzz/rc/corpus
	for f in tests/gaia/rc/cases/*.rc tests/gaia/rc/golden/*.rc; do \
		cp $$f $(B)/fuzz/rc/corpus/$$(echo $$f | tr / _); done
	cd $(B)/fuzz/rc && ASAN_OPTIONS=detect_leaks=0 ./fuzz_parse \
		-max_total_time=$(RC_FUZZ_SECONDS) -max_len=4096 -timeout=10 corpus

FUZZ_TARGETS += fuzz-rc

# Tests: the parser and matcher, the line editor (host unit tests on
# tests/lib/tap.h), Plan 9's rc as an oracle, and golden files for where
# Ares's rc differs on purpose.
$(eval $(call host_test,rc-parse,tests/gaia/rc/parse_test.c $(RC_CORE_SRCS) gaia/rc/os_posix.c,))
$(eval $(call host_test,rc-edit,tests/gaia/rc/edit_test.c $(RC_CORE_SRCS) gaia/rc/os_posix.c,))
$(B)/tests/rc-parse.t $(B)/tests/rc-edit.t: HOST_CFLAGS += -Igaia/rc
CHECK_TESTS += tests/gaia/rc/oracle.t tests/gaia/rc/golden.t
$(eval $(call host_test,rc-interactive,tests/gaia/rc/interactive_test.c,))
$(B)/tests/rc-interactive.t: $(RC_BIN)
