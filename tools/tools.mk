# Build helpers: dependency installer, QEMU runner, bench collector.

# Checked on every make invocation: dpkg-query is quick, and a missing
# package should be reported before a confusing compiler error.
.PHONY: deps-quiet
deps deps-quiet:
	@tools/deps $(sort $(DEBIAN_PKGS))
