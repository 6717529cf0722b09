# Helios: a freestanding, higher-half x86_64 kernel.
#
# Linked twice: the first link gives the addresses from which
# tools/ksyms-gen makes the embedded symbol table, the second includes it
# (after all code, so no function moves; the rule checks that). helios.elf
# keeps DWARF for gdb and acid; helios.mb is the flat Multiboot image QEMU loads.

KERNEL_CC     := gcc
KERNEL_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -MMD -MP \
	-ffreestanding -nostdinc -isystem $(shell $(KERNEL_CC) -print-file-name=include) \
	-mno-red-zone -mgeneral-regs-only -mcmodel=kernel -fno-pic -fno-pie \
	-fno-stack-protector -fno-asynchronous-unwind-tables \
	-fno-omit-frame-pointer -mno-omit-leaf-frame-pointer -fno-optimize-sibling-calls \
	-Ikernel -Ikernel/include -Imercury/lib/include
# Mercury files compiled into the kernel too: one printf engine, one tar reader.
KERNEL_SHARED_CFLAGS := -fno-builtin -fno-tree-loop-distribute-patterns
KERNEL_LDFLAGS := -nostdlib -static -Wl,--build-id=none,--no-warn-rwx-segments -z max-page-size=4096 -z noexecstack -T kernel/arch/x86_64/linker.ld

KERNEL_SRCS := $(wildcard kernel/*.c kernel/arch/x86_64/*.c) \
	$(wildcard kernel/arch/x86_64/*.S)
KERNEL_SHARED := mercury/lib/fmt.c mercury/lib/ustar.c mercury/lib/string.c mercury/lib/elf.c
KERNEL_OBJS := $(patsubst %,$(B)/%.o,$(KERNEL_SRCS)) \
	$(patsubst mercury/lib/%.c,$(B)/kernel/mercury/%.o,$(KERNEL_SHARED))
KERNEL_ELF := $(B)/kernel/helios.elf
KERNEL_MB  := $(B)/kernel/helios.mb

$(B)/kernel/%.c.o: kernel/%.c
	@mkdir -p $(@D)
	$(KERNEL_CC) $(KERNEL_CFLAGS) -c -o $@ $<

$(B)/kernel/%.S.o: kernel/%.S
	@mkdir -p $(@D)
	$(KERNEL_CC) $(KERNEL_CFLAGS) -Ikernel/arch/x86_64 -c -o $@ $<

$(B)/kernel/mercury/%.o: mercury/lib/%.c
	@mkdir -p $(@D)
	$(KERNEL_CC) $(KERNEL_CFLAGS) $(KERNEL_SHARED_CFLAGS) -c -o $@ $<

$(B)/kernel/helios.pass1.elf: $(KERNEL_OBJS) $(B)/kernel/ksyms_empty.S.o kernel/arch/x86_64/linker.ld
	$(KERNEL_CC) $(KERNEL_LDFLAGS) -o $@ $(KERNEL_OBJS) $(B)/kernel/ksyms_empty.S.o

$(B)/kernel/ksyms.S: $(B)/kernel/helios.pass1.elf tools/ksyms-gen
	nm -n $< | tools/ksyms-gen > $@

$(B)/kernel/ksyms.o: $(B)/kernel/ksyms.S
	$(KERNEL_CC) -c -o $@ $<

$(KERNEL_ELF): $(KERNEL_OBJS) $(B)/kernel/ksyms.o $(B)/kernel/helios.pass1.elf
	$(KERNEL_CC) $(KERNEL_LDFLAGS) -o $@ $(KERNEL_OBJS) $(B)/kernel/ksyms.o
	@nm -n $(B)/kernel/helios.pass1.elf | grep ' [tTwW] ' > $@.syms1
	@nm -n $@ | grep ' [tTwW] ' | cmp -s - $@.syms1 || \
		{ echo "kernel: functions moved between link passes; check .ksyms placement" >&2; rm -f $@; exit 1; }

$(KERNEL_MB): $(KERNEL_ELF)
	objcopy -O binary $< $@

ALL += $(KERNEL_ELF) $(KERNEL_MB)
