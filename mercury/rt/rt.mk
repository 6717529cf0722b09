# mercury/rt: the root-task runtime, and the programs built on it: the
# in-OS kernel test suite (tests/kernel/ktest), the syscall fuzzer
# (tests/kernel/kfuzz) and the kernel benchmarks (tests/kernel/kbench).
# Their rules live here because the top Makefile picks up mercury/*/*.mk.
#
# User code is built with -mgeneral-regs-only (no SSE state for the kernel
# to keep) and links the Mercury sources it needs compiled the same way.

KT_CC      := gcc
KT_GCC_INC := $(shell $(KT_CC) -print-file-name=include)
KT_CFLAGS  := -std=gnu11 -O2 -g -Wall -Wextra -Werror -MMD -MP \
	-ffreestanding -nostdinc -isystem $(KT_GCC_INC) -fno-builtin \
	-fno-tree-loop-distribute-patterns -fno-stack-protector -fno-pic -fno-pie \
	-mgeneral-regs-only -fno-asynchronous-unwind-tables \
	-Ikernel/include -Imercury/lib/include -Imercury/rt
KT_LDFLAGS := -nostdlib -static -no-pie -Wl,--build-id=none -z max-page-size=4096 \
	-z noexecstack -T mercury/rt/user.ld
KT_O       := $(B)/mercury/rt

KT_RT_SRCS   := $(wildcard mercury/rt/*.c) mercury/rt/crt0.S
# libmercury's formatting and strings, and its slot, object and mapping
# allocator (mercury/alloc.h); not its start-up, which rt has its own of.
KT_MERC_SRCS := mercury/lib/fmt.c mercury/lib/string.c mercury/lib/slot.c \
	mercury/lib/object.c mercury/lib/vm.c
KT_RT_OBJS   := $(patsubst mercury/rt/%,$(KT_O)/%.o,$(KT_RT_SRCS)) \
	$(patsubst mercury/lib/%.c,$(KT_O)/merc/%.o,$(KT_MERC_SRCS))
KT_RT_LIB    := $(KT_O)/librt.a

$(KT_O)/%.o: mercury/rt/%
	@mkdir -p $(@D)
	$(KT_CC) $(KT_CFLAGS) -c -o $@ $<

$(KT_O)/merc/%.o: mercury/lib/%.c
	@mkdir -p $(@D)
	$(KT_CC) $(KT_CFLAGS) -c -o $@ $<

$(KT_RT_LIB): $(KT_RT_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(B)/tests/kernel/%.c.o: tests/kernel/%.c
	@mkdir -p $(@D)
	$(KT_CC) $(KT_CFLAGS) -Itests/kernel/common -c -o $@ $<

# $(call kt_prog,NAME): tests/kernel/NAME/*.c (plus tests/kernel/common) as
# the root task $(B)/tests/kernel/NAME.elf, alone in $(B)/tests/kernel/NAME.initrd
# under boot/NAME (the kernel runs the initrd's first ELF file).
KT_COMMON_OBJS := $(patsubst %,$(B)/%.o,$(wildcard tests/kernel/common/*.c))
define kt_prog
KT_$(1)_OBJS := $$(patsubst %,$$(B)/%.o,$$(wildcard tests/kernel/$(1)/*.c))
$$(B)/tests/kernel/$(1).elf: $$(KT_$(1)_OBJS) $$(KT_COMMON_OBJS) $$(KT_RT_LIB) mercury/rt/user.ld
	$$(KT_CC) $$(KT_LDFLAGS) -o $$@ $$(KT_$(1)_OBJS) $$(KT_COMMON_OBJS) $$(KT_RT_LIB)
$$(B)/tests/kernel/$(1).strip: $$(B)/tests/kernel/$(1).elf
	objcopy --strip-debug $$< $$@
$$(B)/tests/kernel/$(1).initrd: $$(B)/tests/kernel/$(1).strip tools/mkinitrd
	tools/mkinitrd $$@ boot/$(1)=$$<
ALL += $$(B)/tests/kernel/$(1).elf $$(B)/tests/kernel/$(1).initrd
endef
$(foreach p,$(notdir $(wildcard tests/kernel/k*)),$(if $(wildcard tests/kernel/$(p)/*.c),$(eval $(call kt_prog,$(p)))))

# Host unit tests of the pure parts (PRNG, median, TAP counting).
$(foreach t,$(patsubst tests/kernel/unit/%.c,%,$(wildcard tests/kernel/unit/*.c)),\
  $(eval $(call host_test,kernel-$(t),tests/kernel/unit/$(t).c tests/kernel/common/kt_stats.c,\
    -Itests/kernel/common -Imercury/lib/include)))

# `make bench`: kbench under icount (instructions) and plain TCG (ns).
BENCH_TESTS += tests/kernel/kbench/kbench-run
