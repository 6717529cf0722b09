# Linux baseline for `make bench`: Debian 12's kernel booted under QEMU the
# way Helios is (TCG, -icount shift=0,sleep=off), running lbench as /init.
# See docs/bench-linux.md.
#
#   lbench, lbench-nop   static programs (also run on the host by lbench.t)
#   initramfs.cpio.gz    /init = lbench, /lbench-nop
#   vmlinuz              Debian's bzImage, fetched once by fetch-kernel
#   run                  the bench: boots it and prints the `bench` lines

LINUXB_SRC    := tools/linux-baseline
LINUXB_OUT    := $(B)/linux-baseline
LINUXB_CFLAGS := -std=gnu11 -O2 -Wall -Wextra -Werror -static
LINUXB_PROGS  := $(LINUXB_OUT)/lbench $(LINUXB_OUT)/lbench-nop
LINUXB_INITRD := $(LINUXB_OUT)/initramfs.cpio.gz
LINUXB_KERNEL := $(LINUXB_OUT)/vmlinuz

$(LINUXB_OUT)/lbench: $(LINUXB_SRC)/lbench.c
	@mkdir -p $(@D)
	$(HOST_CC) $(LINUXB_CFLAGS) -o $@ $<

$(LINUXB_OUT)/lbench-nop: $(LINUXB_SRC)/lbench-nop.c
	@mkdir -p $(@D)
	$(HOST_CC) $(LINUXB_CFLAGS) -nostdlib -o $@ $<

# newc archive, owned by root, byte for byte the same for the same programs
# (fixed mtimes): a different initramfs moved linux_spawn_exit by tens of
# instructions.
$(LINUXB_INITRD): $(LINUXB_PROGS)
	rm -rf $(LINUXB_OUT)/initramfs
	mkdir -p $(LINUXB_OUT)/initramfs
	cp $(LINUXB_OUT)/lbench $(LINUXB_OUT)/initramfs/init
	cp $(LINUXB_OUT)/lbench-nop $(LINUXB_OUT)/initramfs/lbench-nop
	touch -d @0 $(LINUXB_OUT)/initramfs/*
	cd $(LINUXB_OUT)/initramfs && find . -mindepth 1 | LC_ALL=C sort | \
		cpio -o -H newc -R 0:0 --reproducible --quiet | gzip -9n > ../initramfs.cpio.gz.tmp
	mv $@.tmp $@

# No prerequisites: fetched once, kept until `make clean`.
$(LINUXB_KERNEL):
	$(LINUXB_SRC)/fetch-kernel $(LINUXB_OUT)

.PHONY: linux-baseline
linux-baseline: $(LINUXB_INITRD) $(LINUXB_KERNEL)
bench: linux-baseline

ALL         += $(LINUXB_PROGS)
CHECK_TESTS += $(LINUXB_SRC)/lbench.t
BENCH_TESTS += $(LINUXB_SRC)/run
DEBIAN_PKGS += cpio gzip libc6-dev apt dpkg
