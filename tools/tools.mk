# Build helpers: dependency installer, QEMU runner, bench collector.

# Checked on every make invocation: dpkg-query is quick, and a missing
# package should be reported before a confusing compiler error.
.PHONY: deps-quiet
deps deps-quiet:
	@tools/deps $(sort $(DEBIAN_PKGS))

# `make run`: boot Helios with the initrd at the serial console; Ctrl-A X quits.
RUN_APPEND ?=
RUN_TIMEOUT ?= 86400
run: deps-quiet $(KERNEL_MB) $(INITRD)
	tools/qemu-run --interactive --timeout $(RUN_TIMEOUT) --kernel $(KERNEL_MB) \
		--initrd $(INITRD) $(if $(RUN_APPEND),--append "$(RUN_APPEND)")

# `make debug`: the same, halted at the first instruction with QEMU's gdbstub
# on tcp::1234; in another terminal: gdb -x tools/gdbinit (see docs/debugging.md).
debug: deps-quiet $(KERNEL_MB) $(INITRD)
	tools/qemu-run --interactive --gdb --timeout $(RUN_TIMEOUT) --kernel $(KERNEL_MB) \
		--initrd $(INITRD) $(if $(RUN_APPEND),--append "$(RUN_APPEND)")
