# Test harness: host unit tests (one C file per unit, tests/unit/*.c, each
# using tests/lib/tap.h) and QEMU integration tests (tests/qemu/*.t scripts).
#
# A component adds its own host unit test with:
#   $(eval $(call host_test,NAME,TEST_SOURCE SOURCES...,EXTRA_LDLIBS))
# which builds $(B)/tests/NAME.t and appends it to CHECK_TESTS.

define host_test
$(B)/tests/$(1).t: $(2) tests/lib/tap.h
	@mkdir -p $$(@D)
	$$(HOST_CC) $$(HOST_CFLAGS) -Itests/lib -Ikernel/include -o $$@ $(2) $(3)
CHECK_TESTS += $(B)/tests/$(1).t
endef

$(foreach t,$(patsubst tests/unit/%.c,%,$(wildcard tests/unit/*.c)),\
  $(eval $(call host_test,unit-$(t),tests/unit/$(t).c)))

CHECK_TESTS += $(sort $(wildcard tests/qemu/*.t))
