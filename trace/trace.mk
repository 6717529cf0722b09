# trace/: the tracer (docs/trace.md).
#
#   trace/lang/  the engine, a portable library: lexer, parser, compiler,
#                verifier, VM, stores, formatting, ELF symbols
#   trace/cmd/   the host command and its recorded-stream back end
#
# Outputs: $(B)/trace/trace (the command), $(B)/tests/trace/mkstream (writes
# streams in the kernel's record format); tests in tests/trace/ (golden
# scripts, verifier unit test), two fuzzers and the bench.

TRACE            := $(B)/trace/trace
TRACE_LANG_SRCS  := $(sort $(wildcard trace/lang/*.c))
TRACE_CMD_SRCS   := $(sort $(wildcard trace/cmd/*.c))
TRACE_LANG_OBJS  := $(patsubst %.c,$(B)/%.o,$(TRACE_LANG_SRCS))
TRACE_CMD_OBJS   := $(patsubst %.c,$(B)/%.o,$(TRACE_CMD_SRCS))
TRACE_GEN        := $(B)/trace/gen
TRACE_CFLAGS     := -Itrace/lang -Ikernel/include -I$(TRACE_GEN)
MKSTREAM         := $(B)/tests/trace/mkstream

DEBIAN_PKGS += clang valgrind binutils

# System call names, in order, from the kernel's enum (never copied by hand).
$(TRACE_GEN)/sysnames.h: kernel/include/helios/syscall.h
	@mkdir -p $(@D)
	awk '/^enum hl_syscall/ { on = 1; next } on && /^}/ { on = 0 } \
	     on && match($$0, /HL_SYS_[A-Z_]+/) { n = substr($$0, RSTART + 7, RLENGTH - 7); \
	     if (n != "COUNT") printf "\t\"%s\",\n", tolower(n) }' $< > $@.tmp && mv $@.tmp $@

$(B)/trace/lang/probes.o: $(TRACE_GEN)/sysnames.h

$(B)/trace/lang/%.o: trace/lang/%.c
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) $(TRACE_CFLAGS) -c -o $@ $<

$(B)/trace/cmd/%.o: trace/cmd/%.c
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) $(TRACE_CFLAGS) -c -o $@ $<

$(TRACE): $(TRACE_LANG_OBJS) $(TRACE_CMD_OBJS)
	$(HOST_CC) $(HOST_CFLAGS) -o $@ $^

$(MKSTREAM): tests/trace/mkstream.c
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -Ikernel/include -o $@ $<

# A small program with symbols at fixed addresses, for stack(), ustack()
# and %a (tests/trace/prog.S linked at 0x401000 without libc).
TRACE_SYMPROG := $(B)/tests/trace/symprog
$(TRACE_SYMPROG): tests/trace/prog.S
	@mkdir -p $(@D)
	$(HOST_CC) -c -o $@.o $<
	ld -static -nostdlib -Ttext=0x401000 -e func_a -o $@ $@.o

ALL += $(TRACE) $(MKSTREAM) $(TRACE_SYMPROG)
CHECK_TESTS += tests/trace/golden.t

# The verifier's unit test: bytecode built by hand, safe and unsafe.
$(B)/tests/trace/verify.t: tests/trace/verify.c $(TRACE_LANG_OBJS) tests/lib/tap.h
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) $(TRACE_CFLAGS) -Itests/lib -o $@ $< $(TRACE_LANG_OBJS)
CHECK_TESTS += $(B)/tests/trace/verify.t

# `make bench`: events per second and instructions per event.
BENCH_TESTS += tests/trace/bench.sh

# `make fuzz`: the parser and compiler (text in), and the verifier with
# the VM behind it (bytecode in: whatever it accepts must run cleanly
# under ASan/UBSan), each for FUZZ_SECONDS on a corpus seeded from the
# golden tests (copied as .seed: the top Makefile includes every *.d under
# $(B) as dependencies). Crashes land in $(B)/fuzz/trace-*/.
FUZZ_SECONDS ?= 60
TRACE_FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
  $(TRACE_CFLAGS)

$(B)/fuzz/trace-%/fuzz: tests/trace/fuzz_%.c $(TRACE_LANG_SRCS) $(wildcard trace/lang/*.h) $(TRACE_GEN)/sysnames.h
	@mkdir -p $(@D)/corpus
	clang $(TRACE_FUZZ_FLAGS) -o $@ $< $(TRACE_LANG_SRCS)

.PHONY: fuzz-trace-parse fuzz-trace-verify
fuzz-trace-parse fuzz-trace-verify: fuzz-trace-%: $(B)/fuzz/trace-%/fuzz
	for f in tests/trace/golden/*.d; do cp $$f $(B)/fuzz/trace-$*/corpus/$$(basename $$f .d).seed; done
	cd $(B)/fuzz/trace-$* && ASAN_OPTIONS=detect_leaks=1 ./fuzz -max_total_time=$(FUZZ_SECONDS) \
		-max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 corpus

FUZZ_TARGETS += fuzz-trace-parse fuzz-trace-verify
