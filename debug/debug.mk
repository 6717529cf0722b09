# debug/: the acid debugger.
#
#   debug/lang/   the language (lexer, parser, interpreter, values, printing)
#   debug/acid/   the acid command: options, libedit, primitives over sym + target
#   debug/lib/    the library written in acid (port.acid is loaded at start-up)
#   debug/sym.mk  the symbol reader and targets (ACID_SYM_OBJS, ACID_SYM_LDLIBS)
#
# Outputs: $(B)/debug/acid (the command), golden-test programs in
# $(B)/debug/golden/, the golden test runner tests/debug/golden.t, and the
# backtrace bench tests/debug/bench/backtrace_large.sh.

# sym.mk guards itself, so including it here (before the wildcard include
# reaches it) just makes its variables usable in our prerequisites.
-include debug/sym.mk

ACID            := $(B)/debug/acid
ACID_LANG_SRCS  := $(sort $(wildcard debug/lang/*.c))
ACID_CMD_SRCS   := $(sort $(wildcard debug/acid/*.c))
ACID_LANG_OBJS  := $(patsubst %.c,$(B)/%.o,$(ACID_LANG_SRCS))
ACID_CMD_OBJS   := $(patsubst debug/acid/%.c,$(B)/debug/cmd/%.o,$(ACID_CMD_SRCS))
ACID_CFLAGS     := -Idebug/lang -Idebug/include -I$(B)/debug/gen \
                   -DACID_LIBDIR='"$(CURDIR)/debug/lib"'
ACID_LIBS       := $(ACID_SYM_LDLIBS) -ledit -lopcodes -lbfd -lm

# libc6-dbg: libc's separate debug information, for backtraces through it
# (tests/debug/golden/libc-*.acid).
DEBIAN_PKGS += libedit-dev libdwarf-dev libelf-dev gdb gdbserver linux-libc-dev \
               iproute2 tcl xz-utils binutils-dev libc6-dbg

$(B)/debug/lang/%.o: debug/lang/%.c
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) $(ACID_CFLAGS) -c -o $@ $<

# The command's objects live apart: $(B)/debug/acid is the binary itself.
$(B)/debug/cmd/%.o: debug/acid/%.c
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) $(ACID_CFLAGS) -c -o $@ $<

# System call names, generated from the kernel headers (never hand-copied).
ACID_UNISTD := /usr/include/x86_64-linux-gnu/asm/unistd_64.h
$(B)/debug/gen/sysnames.h: $(ACID_UNISTD)
	@mkdir -p $(@D)
	awk '$$1 == "#define" && $$2 ~ /^__NR_/ { sub(/^__NR_/, "", $$2); \
	     printf "\t[%s] = \"%s\",\n", $$3, $$2 }' $< > $@.tmp && mv $@.tmp $@

$(B)/debug/cmd/prim_sys.o: $(B)/debug/gen/sysnames.h

$(ACID): $(ACID_LANG_OBJS) $(ACID_CMD_OBJS) $(ACID_SYM_OBJS)
	$(HOST_CC) $(HOST_CFLAGS) -o $@ $^ $(ACID_LIBS)

# Golden tests: small C programs, each built at -O0 and -O2.
ACID_GOLDEN_PROGS := $(patsubst tests/debug/prog/%.c,%,$(wildcard tests/debug/prog/*.c))
ACID_GOLDEN_BINS  := $(foreach p,$(ACID_GOLDEN_PROGS),$(B)/debug/golden/$(p)-O0 $(B)/debug/golden/$(p)-O2)

$(B)/debug/golden/%-O0: tests/debug/prog/%.c
	@mkdir -p $(@D)
	$(HOST_CC) -g -O0 -pthread -o $@ $<

$(B)/debug/golden/%-O2: tests/debug/prog/%.c
	@mkdir -p $(@D)
	$(HOST_CC) -g -O2 -pthread -o $@ $<

# Corrupt inputs acid must refuse with a message: a text file and a
# truncated ELF.
$(B)/debug/golden/notelf: tests/debug/prog/list.c
	@mkdir -p $(@D)
	cp $< $@
$(B)/debug/golden/truncated: $(B)/debug/golden/list-O0
	head -c 3000 $< > $@

ACID_GOLDEN_BINS += $(B)/debug/golden/notelf $(B)/debug/golden/truncated

# acid links only once the target back ends exist (debug/sym.mk lists them).
ifneq ($(ACID_TARGET_SRCS),)
ALL += $(ACID) $(ACID_GOLDEN_BINS)
endif
CHECK_TESTS += tests/debug/golden.t
BENCH_TESTS += tests/debug/bench/backtrace_large.sh

.PHONY: acid acid-check
acid: $(ACID) $(ACID_GOLDEN_BINS)
acid-check: acid
	prove --exec '' tests/debug/golden.t

# make fuzz: the language (lexer, parser, interpreter) under libFuzzer for
# ACID_LANG_FUZZ_SECONDS, seeded with the golden scripts and the library.
# Crashes land in $(B)/fuzz/acid-lang/.
ACID_LANG_FUZZ_SECONDS ?= 60
ACID_LANG_FUZZ := $(B)/fuzz/acid-lang/fuzz_lang

$(ACID_LANG_FUZZ): tests/debug/fuzz/fuzz_lang.c $(ACID_LANG_SRCS) $(wildcard debug/lang/*.h)
	@mkdir -p $(@D)
	clang -g -O1 -fsanitize=fuzzer,address,undefined -Idebug/lang -o $@ \
		tests/debug/fuzz/fuzz_lang.c $(ACID_LANG_SRCS) -lm

.PHONY: fuzz-acid-lang
fuzz-acid-lang: $(ACID_LANG_FUZZ)
	@mkdir -p $(B)/fuzz/acid-lang/corpus
	for f in tests/debug/golden/*.acid debug/lib/*.acid; do \
		cp $$f $(B)/fuzz/acid-lang/corpus/$$(echo $$f | tr / _); done
	cd $(B)/fuzz/acid-lang && ASAN_OPTIONS=detect_leaks=0 ./fuzz_lang \
		-max_total_time=$(ACID_LANG_FUZZ_SECONDS) -max_len=4096 -timeout=10 corpus

FUZZ_TARGETS += fuzz-acid-lang
