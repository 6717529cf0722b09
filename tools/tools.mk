# Build helpers: dependency installer, QEMU runner, bench collector.

# Checked on every make invocation: dpkg-query is quick, and a missing
# package should be reported before a confusing compiler error.
.PHONY: deps-quiet
deps deps-quiet:
	@tools/deps $(sort $(DEBIAN_PKGS))

# `make run`: boot Helios with the initrd at the serial console; Ctrl-A X quits.
# A virtio-net NIC on QEMU's user networking and a disk (RUN_DISK, made
# blank on first use, never committed) as virtio-blk; RUN_QEMU adds any
# QEMU arguments.
RUN_APPEND ?=
RUN_TIMEOUT ?= 86400
RUN_DISK ?= $(B)/disk.img
RUN_QEMU ?=
$(B)/disk.img:
	@mkdir -p $(@D)
	truncate -s 64M $@
run: deps-quiet $(KERNEL_MB) $(INITRD) $(RUN_DISK)
	tools/qemu-run --interactive --timeout $(RUN_TIMEOUT) --kernel $(KERNEL_MB) \
		--initrd $(INITRD) $(if $(RUN_APPEND),--append "$(RUN_APPEND)") -- \
		-drive file=$(RUN_DISK),if=none,id=disk0,format=raw -device virtio-blk-pci,drive=disk0,serial=ARES-DISK0 \
		-nic user,model=virtio-net-pci $(RUN_QEMU)

# `make debug`: the same, halted at the first instruction with QEMU's gdbstub
# on tcp::1234; in another terminal: gdb -x tools/gdbinit (see docs/debugging.md).
debug: deps-quiet $(KERNEL_MB) $(INITRD)
	tools/qemu-run --interactive --gdb --timeout $(RUN_TIMEOUT) --kernel $(KERNEL_MB) \
		--initrd $(INITRD) $(if $(RUN_APPEND),--append "$(RUN_APPEND)")
