# acid's symbol reader (debug/sym) and target back ends (debug/target).
#
# For debug/debug.mk, which links the acid command:
#   ACID_SYM_SRCS, ACID_TARGET_SRCS  the C sources
#   ACID_SYM_OBJS                    their objects (built by the rule below)
#   ACID_SYM_LDLIBS                  libraries they need
# Also: unit tests in tests/debug/unit (CHECK_TESTS) and the fuzz target.

ifndef ACID_SYM_MK
ACID_SYM_MK := 1

ACID_SYM_SRCS    := $(sort $(wildcard debug/sym/*.c))
ACID_TARGET_SRCS := $(sort $(wildcard debug/target/*.c))
ACID_SYM_OBJS    := $(patsubst %.c,$(B)/%.o,$(ACID_SYM_SRCS) $(ACID_TARGET_SRCS))
ACID_SYM_LDLIBS  := -ldwarf -lelf -lz -lpthread
ACID_SYM_CFLAGS  := -Idebug/include -Idebug/sym -Idebug/target

DEBIAN_PKGS += libdwarf-dev libelf-dev zlib1g-dev gdbserver gdb clang

$(B)/debug/sym/%.o: debug/sym/%.c
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) $(ACID_SYM_CFLAGS) -c -o $@ $<

$(B)/debug/target/%.o: debug/target/%.c
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) $(ACID_SYM_CFLAGS) -c -o $@ $<

# Small C programs the unit tests debug, each built at -O0 and -O2.
ACID_UNIT_PROGS := $(patsubst tests/debug/unit/prog/%.c,%,$(wildcard tests/debug/unit/prog/*.c))
ACID_UNIT_BINS  := $(foreach p,$(ACID_UNIT_PROGS),$(B)/tests/debug/prog/$(p)-O0 $(B)/tests/debug/prog/$(p)-O2)

$(B)/tests/debug/prog/%-O0: tests/debug/unit/prog/%.c
	@mkdir -p $(@D)
	$(HOST_CC) -g -O0 -pthread -o $@ $<

$(B)/tests/debug/prog/%-O2: tests/debug/unit/prog/%.c
	@mkdir -p $(@D)
	$(HOST_CC) -g -O2 -pthread -o $@ $<

# One unit test per tests/debug/unit/*.c, linked with all symbol/target objects.
ACID_UNIT_TESTS := $(patsubst tests/debug/unit/%.c,$(B)/tests/debug/%.t,$(wildcard tests/debug/unit/*.c))

$(ACID_UNIT_TESTS): $(B)/tests/debug/%.t: tests/debug/unit/%.c $(ACID_SYM_OBJS) tests/lib/tap.h | $(ACID_UNIT_BINS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) $(ACID_SYM_CFLAGS) -Itests/lib -DACID_PROG_DIR='"$(B)/tests/debug/prog"' \
		-o $@ $< $(ACID_SYM_OBJS) $(ACID_SYM_LDLIBS)

# One program built by clang, whose DWARF 5 uses .debug_addr and .debug_str_offsets.
ACID_UNIT_BINS += $(B)/tests/debug/prog/symprog-clang

$(B)/tests/debug/prog/symprog-clang: tests/debug/unit/prog/symprog.c
	@mkdir -p $(@D)
	clang -g -gdwarf-5 -O2 -o $@ $<

# And one with DWARF 4 line tables, whose files and directories count from 1.
ACID_UNIT_BINS += $(B)/tests/debug/prog/symprog-dwarf4

$(B)/tests/debug/prog/symprog-dwarf4: tests/debug/unit/prog/symprog.c
	@mkdir -p $(@D)
	$(HOST_CC) -g -gdwarf-4 -O0 -o $@ $<

# Separate debug information: a stripped copy whose .gnu_debuglink names its
# debug file beside it, and one whose debug file does not match the CRC.
ACID_UNIT_BINS += $(B)/tests/debug/prog/symprog-stripped $(B)/tests/debug/prog/symprog-badlink

$(B)/tests/debug/prog/symprog-stripped: $(B)/tests/debug/prog/symprog-O0
	objcopy --only-keep-debug $< $@.debug
	objcopy --strip-all --remove-section=.note.gnu.build-id --add-gnu-debuglink=$@.debug $< $@

$(B)/tests/debug/prog/symprog-badlink: $(B)/tests/debug/prog/symprog-O0
	objcopy --only-keep-debug $< $@.debug
	objcopy --strip-debug --remove-section=.note.gnu.build-id --add-gnu-debuglink=$@.debug $< $@
	printf x >> $@.debug

ALL += $(ACID_UNIT_BINS)
CHECK_TESTS += $(ACID_UNIT_TESTS)



# make fuzz: the symbol reader under libFuzzer (clang) for ACID_FUZZ_SECONDS,
# seeded with the test programs. Crashes land in $(B)/fuzz/acid-sym/.
# An input running ACID_FUZZ_TIMEOUT seconds is a hang (libFuzzer's default,
# 1200 s, is longer than the whole run, so a hang would pass unreported).
ACID_FUZZ_SECONDS ?= 60
ACID_FUZZ_TIMEOUT ?= 25
ACID_FUZZ_BIN := $(B)/fuzz/acid-sym/fuzz_sym

$(ACID_FUZZ_BIN): tests/debug/fuzz/fuzz_sym.c $(ACID_SYM_SRCS) $(wildcard debug/sym/*.h debug/include/acid/*.h)
	@mkdir -p $(@D)
	clang -g -O1 -fsanitize=fuzzer,address $(ACID_SYM_CFLAGS) -o $@ tests/debug/fuzz/fuzz_sym.c $(ACID_SYM_SRCS) -ldwarf -lelf -lz

.PHONY: fuzz-acid-sym
fuzz-acid-sym: $(ACID_FUZZ_BIN) $(ACID_UNIT_BINS)
	@mkdir -p $(B)/fuzz/acid-sym/corpus
	cp $(B)/tests/debug/prog/symprog-O2 $(B)/tests/debug/prog/symprog-clang tests/debug/unit/bad-dwarf/* $(B)/fuzz/acid-sym/corpus/
	cd $(B)/fuzz/acid-sym && ./fuzz_sym -max_total_time=$(ACID_FUZZ_SECONDS) -max_len=65536 -rss_limit_mb=2048 \
		-timeout=$(ACID_FUZZ_TIMEOUT) corpus

FUZZ_TARGETS += fuzz-acid-sym
endif
