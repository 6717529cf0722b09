# Helios: a freestanding, higher-half x86_64 kernel.
#
# Linked twice: the first link gives the addresses from which
# tools/ksyms-gen makes the embedded symbol table, the second includes it
# (after all code, so no function moves; the rule checks that). helios.elf
# keeps DWARF for gdb and acid; helios.mb is the flat Multiboot image QEMU loads.
#
# Two builds of the same sources: $(B)/kernel (the kernel) and
# $(B)/kernel-noprobes (-DHELIOS_NO_PROBES: no probe sites at all), which
# `make bench` uses to measure what disabled probes cost.

KERNEL_CC     := gcc
KERNEL_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -MMD -MP \
	-ffreestanding -nostdinc -isystem $(shell $(KERNEL_CC) -print-file-name=include) \
	-mno-red-zone -mgeneral-regs-only -mcmodel=kernel -fno-pic -fno-pie \
	-fno-stack-protector -fno-asynchronous-unwind-tables \
	-fno-omit-frame-pointer -mno-omit-leaf-frame-pointer -fno-optimize-sibling-calls \
	-Ikernel -Ikernel/include -Imercury/lib/include
# Mercury files compiled into the kernel too: one printf engine, one tar
# reader, one ELF checker, one set of string routines.
KERNEL_SHARED_CFLAGS := -fno-builtin -fno-tree-loop-distribute-patterns
KERNEL_LDFLAGS := -nostdlib -static -Wl,--build-id=none,--no-warn-rwx-segments -z max-page-size=4096 \
	-z noexecstack -T kernel/arch/x86_64/linker.ld

KERNEL_SRCS := $(wildcard kernel/*.c kernel/arch/x86_64/*.c kernel/arch/x86_64/*.S)
KERNEL_SHARED := mercury/lib/fmt.c mercury/lib/ustar.c mercury/lib/string.c mercury/lib/elf.c \
	mercury/lib/symtab.c

# $(call kernel_build,DIR,EXTRA_CFLAGS): the kernel built into $(B)/DIR.
define kernel_build
$(1)_OBJS := $$(patsubst kernel/%,$$(B)/$(1)/%.o,$$(KERNEL_SRCS)) \
	$$(patsubst mercury/lib/%.c,$$(B)/$(1)/mercury/%.o,$$(KERNEL_SHARED))

$$(B)/$(1)/%.c.o: kernel/%.c
	@mkdir -p $$(@D)
	$$(KERNEL_CC) $$(KERNEL_CFLAGS) $(2) -c -o $$@ $$<

$$(B)/$(1)/%.S.o: kernel/%.S
	@mkdir -p $$(@D)
	$$(KERNEL_CC) $$(KERNEL_CFLAGS) $(2) -Ikernel/arch/x86_64 -c -o $$@ $$<

$$(B)/$(1)/mercury/%.o: mercury/lib/%.c
	@mkdir -p $$(@D)
	$$(KERNEL_CC) $$(KERNEL_CFLAGS) $$(KERNEL_SHARED_CFLAGS) -c -o $$@ $$<

$$(B)/$(1)/helios.pass1.elf: $$($(1)_OBJS) $$(B)/$(1)/ksyms_empty.S.o kernel/arch/x86_64/linker.ld
	$$(KERNEL_CC) $$(KERNEL_LDFLAGS) -o $$@ $$($(1)_OBJS) $$(B)/$(1)/ksyms_empty.S.o

$$(B)/$(1)/ksyms.S: $$(B)/$(1)/helios.pass1.elf tools/ksyms-gen
	nm -n $$< | tools/ksyms-gen > $$@

$$(B)/$(1)/ksyms.o: $$(B)/$(1)/ksyms.S
	$$(KERNEL_CC) -c -o $$@ $$<

$$(B)/$(1)/helios.elf: $$($(1)_OBJS) $$(B)/$(1)/ksyms.o $$(B)/$(1)/helios.pass1.elf
	$$(KERNEL_CC) $$(KERNEL_LDFLAGS) -o $$@ $$($(1)_OBJS) $$(B)/$(1)/ksyms.o
	@nm -n $$(B)/$(1)/helios.pass1.elf | grep ' [tTwW] ' > $$@.syms1
	@nm -n $$@ | grep ' [tTwW] ' | cmp -s - $$@.syms1 || \
		{ echo "kernel: functions moved between link passes; check .ksyms placement" >&2; rm -f $$@; exit 1; }

$$(B)/$(1)/helios.mb: $$(B)/$(1)/helios.elf
	objcopy -O binary $$< $$@

ALL += $$(B)/$(1)/helios.elf $$(B)/$(1)/helios.mb
endef

$(eval $(call kernel_build,kernel,))
$(eval $(call kernel_build,kernel-noprobes,-DHELIOS_NO_PROBES))

KERNEL_ELF := $(B)/kernel/helios.elf
KERNEL_MB  := $(B)/kernel/helios.mb
KERNEL_NOPROBES_MB := $(B)/kernel-noprobes/helios.mb
