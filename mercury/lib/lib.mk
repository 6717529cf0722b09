# libmercury: the runtime every Ares program links (see docs/mercury-lib.md).
#
# Each source in mercury/lib is compiled three ways:
#   $(B)/mercury/kcheck/  the files shared with Helios, with exactly the kernel's
#                         flags, so `make` breaks when one stops being kernel-safe
#   $(B)/mercury/ares/    every file, freestanding for Ares user space, archived
#                         into $(B)/mercury/libmercury.a
#   $(B)/mercury/host/    every file for host unit tests and fuzzers, with the
#                         standard names renamed to merc_* (tests/mercury/rename.list)
#                         so they cannot clash with glibc

MERC_DIR := mercury/lib
# Shared with the kernel: freestanding, integer-only, no allocation.
MERC_SHARED := fmt ustar string elf symtab
# User space only.
MERC_USER := printf fmt_float heap hash strdup
# The Ares program runtime (start-up, console, slots, objects, mapping,
# time, panic, spawn): Ares only, never built for the host.
MERC_ARES := start exit slot object vm heap_pages time panic spawn
# Portable parts of spawning, also host-tested.
MERC_USER += startinfo

MERC_GCC_INC := $(shell $(HOST_CC) -print-file-name=include)
MERC_KFLAGS := -ffreestanding -nostdinc -isystem $(MERC_GCC_INC) -mno-red-zone \
  -mgeneral-regs-only -mcmodel=kernel -fno-pic -fno-builtin \
  -fno-tree-loop-distribute-patterns -fno-stack-protector -O2 -Wall -Wextra \
  -Werror -I$(MERC_DIR)/include
MERC_UFLAGS := -std=gnu11 -ffreestanding -nostdinc -isystem $(MERC_GCC_INC) \
  -fno-builtin -fno-tree-loop-distribute-patterns -fno-stack-protector -O2 -g \
  -fno-omit-frame-pointer -fno-pie -Wall -Wextra -Werror -I$(MERC_DIR)/include \
  -Ikernel/include
MERC_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
MERC_RENAME_H := $(B)/mercury/host/rename.h
MERC_UNRENAME_H := $(B)/mercury/host/unrename.h
MERC_HFLAGS := $(HOST_CFLAGS) -ffreestanding -fno-builtin \
  -fno-tree-loop-distribute-patterns -I$(MERC_DIR)/include \
  -include $(MERC_RENAME_H) $(MERC_SAN)
MERC_TFLAGS := $(HOST_CFLAGS) -Itests/lib -I$(MERC_DIR)/include \
  -I$(B)/mercury/host $(MERC_SAN)

MERC_KOBJS := $(patsubst %,$(B)/mercury/kcheck/%.o,$(MERC_SHARED))
MERC_UOBJS := $(patsubst %,$(B)/mercury/ares/%.o,$(MERC_SHARED) $(MERC_USER) $(MERC_ARES))

ALL += $(MERC_KOBJS) $(B)/mercury/kcheck/symbols.ok $(B)/mercury/libmercury.a \
  $(B)/mercury/ares/crt0.o $(B)/mercury/ares/ksyms_empty.o

$(B)/mercury/kcheck/%.o: $(MERC_DIR)/%.c
	@mkdir -p $(@D)
	$(HOST_CC) $(MERC_KFLAGS) -MMD -MP -c -o $@ $<

# The shared set must need nothing beyond itself, and memcpy and memset (which
# memmove and the rest build on) must not have been compiled into calls.
$(B)/mercury/kcheck/symbols.ok: $(MERC_KOBJS)
	@undef=$$(nm -u $^ | awk 'NF==2{print $$2}' | sort -u); \
	def=$$(nm --defined-only $^ | awk 'NF==3{print $$3}' | sort -u); \
	for s in $$undef; do echo "$$def" | grep -qx "$$s" || missing="$$missing $$s"; done; \
	if [ -n "$$missing" ]; then echo "kcheck: shared set needs:$$missing"; exit 1; fi
	@for f in memcpy memset; do \
	  if objdump -dr --disassemble=$$f $(B)/mercury/kcheck/string.o | grep -q 'R_X86_64_PLT32'; then \
	    echo "kcheck: $$f in string.o calls a function (recursion risk)"; exit 1; fi; done
	@touch $@

$(B)/mercury/ares/%.o: $(MERC_DIR)/%.c
	@mkdir -p $(@D)
	$(HOST_CC) $(MERC_UFLAGS) -MMD -MP -c -o $@ $<

$(B)/mercury/ares/%.o: $(MERC_DIR)/%.S
	@mkdir -p $(@D)
	$(HOST_CC) -c -o $@ $<

$(B)/mercury/libmercury.a: $(MERC_UOBJS)
	@rm -f $@
	ar rcs $@ $^

# The debug build: the same, with a heap that poisons freed memory and
# catches double frees and overruns (MERC_HEAP_DEBUG, mercury/heap.h).
$(B)/mercury/ares/heap-debug.o: $(MERC_DIR)/heap.c
	@mkdir -p $(@D)
	$(HOST_CC) $(MERC_UFLAGS) -DMERC_HEAP_DEBUG -MMD -MP -c -o $@ $<
$(B)/mercury/libmercury-debug.a: $(filter-out %/heap.o,$(MERC_UOBJS)) $(B)/mercury/ares/heap-debug.o
	@rm -f $@
	ar rcs $@ $^
ALL += $(B)/mercury/libmercury-debug.a

# How a Mercury program is built (docs/mercury-runtime.md):
#
#   $(eval $(call mercury_prog,NAME,SOURCES,CFLAGS,LIBS[,debug]))
#
# compiles SOURCES (.c or .S paths) with the flags of libmercury plus
# CFLAGS, links them with crt0, LIBS (archives, e.g. $(IPC_ARES)/libipc.a)
# and libmercury.a (libmercury-debug.a, with the debug heap, if the fifth
# argument is `debug`) by mercury/lib/prog.ld into $(B)/prog/NAME.elf, and
# adds it to ALL. The link runs twice: the second embeds the program's
# own symbol table (tools/ksyms-gen), which panic() uses to name the
# frames of a backtrace. $(B)/prog/NAME.strip is the same without debug
# information, for initrds. The program defines
#   int main(int argc, char **argv, char **envp)
# and finds the caps its parent named with proc_cap() (mercury/spawn.h).
MERC_PROG := $(B)/prog
MERC_PLDFLAGS := -nostdlib -static -no-pie -Wl,--build-id=none -z max-page-size=4096 \
  -z noexecstack -T $(MERC_DIR)/prog.ld
MERC_RT := $(B)/mercury/ares/crt0.o $(B)/mercury/libmercury.a $(B)/mercury/libmercury-debug.a \
  $(MERC_DIR)/prog.ld
merc_lib = $(B)/mercury/libmercury$(if $(filter debug,$(1)),-debug).a

define mercury_prog
MERC_PROG_$(1)_OBJS := $$(patsubst %,$$(MERC_PROG)/$(1)/%.o,$(2))
$$(MERC_PROG)/$(1)/%.c.o: %.c
	@mkdir -p $$(@D)
	$$(HOST_CC) $$(MERC_UFLAGS) -MMD -MP $(3) -c -o $$@ $$<
$$(MERC_PROG)/$(1)/%.S.o: %.S
	@mkdir -p $$(@D)
	$$(HOST_CC) $(3) -c -o $$@ $$<
$$(MERC_PROG)/$(1).pass1.elf: $$(MERC_PROG_$(1)_OBJS) $(4) $$(MERC_RT) $$(B)/mercury/ares/ksyms_empty.o
	$$(HOST_CC) $$(MERC_PLDFLAGS) -o $$@ $$(B)/mercury/ares/crt0.o $$(MERC_PROG_$(1)_OBJS) \
	  $$(B)/mercury/ares/ksyms_empty.o $(4) $(call merc_lib,$(5)) -lgcc
$$(MERC_PROG)/$(1).ksyms.o: $$(MERC_PROG)/$(1).pass1.elf tools/ksyms-gen
	nm -n $$< | tools/ksyms-gen > $$(@:.o=.S)
	$$(HOST_CC) -c -o $$@ $$(@:.o=.S)
$$(MERC_PROG)/$(1).elf: $$(MERC_PROG)/$(1).ksyms.o
	$$(HOST_CC) $$(MERC_PLDFLAGS) -o $$@ $$(B)/mercury/ares/crt0.o $$(MERC_PROG_$(1)_OBJS) \
	  $$< $(4) $(call merc_lib,$(5)) -lgcc
	@nm -n $$(MERC_PROG)/$(1).pass1.elf | grep ' [tTwW] ' > $$@.syms1
	@nm -n $$@ | grep ' [tTwW] ' | cmp -s - $$@.syms1 || \
	  { echo "$(1): functions moved between link passes" >&2; rm -f $$@; exit 1; }
$$(MERC_PROG)/$(1).strip: $$(MERC_PROG)/$(1).elf
	objcopy --strip-debug $$< $$@
ALL += $$(MERC_PROG)/$(1).elf $$(MERC_PROG)/$(1).strip
endef

$(MERC_RENAME_H): tests/mercury/rename.list
	@mkdir -p $(@D)
	sed 's/.*/#define & merc_&/' $< > $@

$(MERC_UNRENAME_H): tests/mercury/rename.list
	@mkdir -p $(@D)
	sed 's/.*/#undef &/' $< > $@

$(B)/mercury/host/%.o: $(MERC_DIR)/%.c $(MERC_RENAME_H)
	@mkdir -p $(@D)
	$(HOST_CC) $(MERC_HFLAGS) -c -o $@ $<

# $(call merc_test,NAME,UNITS,LDLIBS): tests/mercury/NAME.c linked with the
# host objects of UNITS, as $(B)/tests/mercury-NAME.t.
define merc_test
$(B)/tests/mercury-$(1).t: tests/mercury/$(1).c $(patsubst %,$(B)/mercury/host/%.o,$(2)) tests/lib/tap.h $(MERC_RENAME_H) $(MERC_UNRENAME_H)
	@mkdir -p $$(@D)
	$$(HOST_CC) $$(MERC_TFLAGS) -o $$@ $$< $$(filter %.o,$$^) $(3)
CHECK_TESTS += $(B)/tests/mercury-$(1).t
endef

$(eval $(call merc_test,fmt,fmt printf fmt_float))
$(eval $(call merc_test,ustar,ustar))
$(eval $(call merc_test,string,string))

# The heap test runs against both heap builds.
$(B)/mercury/host/heap-debug.o: $(MERC_DIR)/heap.c $(MERC_RENAME_H)
	@mkdir -p $(@D)
	$(HOST_CC) $(MERC_HFLAGS) -DMERC_HEAP_DEBUG -c -o $@ $<

$(B)/tests/mercury-heap-nodebug.t: tests/mercury/heap.c $(patsubst %,$(B)/mercury/host/%.o,heap string printf fmt fmt_float) tests/lib/tap.h $(MERC_RENAME_H) $(MERC_UNRENAME_H)
	@mkdir -p $(@D)
	$(HOST_CC) $(MERC_TFLAGS) -o $@ $< $(filter %.o,$^)
CHECK_TESTS += $(B)/tests/mercury-heap-nodebug.t
$(eval $(call merc_test,heap,heap-debug string printf fmt fmt_float,-DMERC_HEAP_DEBUG))
$(eval $(call merc_test,hash,hash heap string printf fmt fmt_float strdup))
$(eval $(call merc_test,elf,elf))
# The start data layout includes spawn.h, which includes the kernel ABI.
$(B)/mercury/host/startinfo.o: MERC_HFLAGS += -Ikernel/include
$(B)/tests/mercury-startinfo.t: MERC_TFLAGS += -Ikernel/include
$(eval $(call merc_test,startinfo,startinfo string))

# `make fuzz`: libFuzzer harnesses (tests/mercury/fuzz/*.c), each run for
# FUZZ_SECONDS on a corpus in $(B)/mercury/fuzz/corpus-NAME, seeded with
# real archives and executables.
FUZZ_SECONDS ?= 60
MERC_FUZZ_CC := clang
MERC_FUZZ_FLAGS := -g -O1 -fno-builtin -I$(MERC_DIR)/include -I$(B)/mercury/host \
  -fsanitize=address,undefined -fno-sanitize-recover=all
MERC_FUZZ_UNITS_ustar := ustar
MERC_FUZZ_UNITS_elf := elf
MERC_FUZZ_UNITS_fmt := fmt printf fmt_float
MERC_FUZZERS := ustar elf fmt
DEBIAN_PKGS += clang tar

$(B)/mercury/fuzz/obj/%.o: $(MERC_DIR)/%.c $(MERC_RENAME_H)
	@mkdir -p $(@D)
	$(MERC_FUZZ_CC) $(MERC_FUZZ_FLAGS) -ffreestanding -fsanitize=fuzzer-no-link \
	  -include $(MERC_RENAME_H) -c -o $@ $<

define merc_fuzzer
$(B)/mercury/fuzz/fuzz-$(1): tests/mercury/fuzz/$(1).c $(MERC_RENAME_H) $(MERC_UNRENAME_H) $(patsubst %,$(B)/mercury/fuzz/obj/%.o,$(MERC_FUZZ_UNITS_$(1)))
	@mkdir -p $$(@D)
	$$(MERC_FUZZ_CC) $$(MERC_FUZZ_FLAGS) -fsanitize=fuzzer -o $$@ $$< $$(filter %.o,$$^)
endef
$(foreach f,$(MERC_FUZZERS),$(eval $(call merc_fuzzer,$(f))))

# Seeds: a ustar and a gnu tar; a static executable; a few formats.
$(B)/mercury/fuzz/corpus-ustar/.seeded:
	@mkdir -p $(@D)/src/d && printf 'hello' > $(@D)/src/d/f
	cd $(@D)/src && tar --format=ustar -cf ../seed-ustar.tar d && tar --format=gnu -cf ../seed-gnu.tar d
	@rm -rf $(@D)/src && touch $@
$(B)/mercury/fuzz/corpus-elf/.seeded:
	@mkdir -p $(@D)
	printf 'void _start(void){for(;;);}' | $(HOST_CC) -x c -static -nostdlib -no-pie -O2 -o $(@D)/seed-exec -
	@touch $@
$(B)/mercury/fuzz/corpus-fmt/.seeded:
	@mkdir -p $(@D)
	@printf '%%-08.3lld|%%#x|%%s' > $(@D)/seed-1; printf '%%+ 05hhd%%%%%%p%%.2s%%c' > $(@D)/seed-2
	@printf 'x%%zu%%jX%%#o%%ty%%' > $(@D)/seed-3; touch $@

.PHONY: $(patsubst %,merc-fuzz-%,$(MERC_FUZZERS))
$(patsubst %,merc-fuzz-%,$(MERC_FUZZERS)): merc-fuzz-%: $(B)/mercury/fuzz/fuzz-% $(B)/mercury/fuzz/corpus-%/.seeded
	$< -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 -max_len=65536 \
	  -artifact_prefix=$(B)/mercury/fuzz/ -print_final_stats=1 $(B)/mercury/fuzz/corpus-$*
FUZZ_TARGETS += $(patsubst %,merc-fuzz-%,$(MERC_FUZZERS))

# The in-OS spawn suite and benchmark (its rules need mercury_prog above).
include tests/mercury/spawn/spawn.mk
