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

# In-OS test clients and the initrds that boot them, for every fragment
# (defined here, before them all; expanded only when called):
#   $(call os_test_prog,NAME,SOURCE,IFACES[,CFLAGS])  a program on libipc and
#       tests/lib (os_tap.h, os_check.h), using the client stubs of IFACES (and bus)
#   $(call boot_initrd,NAME,FILES)  $(B)/tests/NAME.initrd: the boot path (init,
#       devmgr, bus) and FILES (initrd=file pairs), added to ALL
define os_test_prog
$$(eval $$(call mercury_prog,$(1),$(2),$$(IPC_CFLAGS) -Itests/lib $(4),$$(IPC_ARES)/libipc.a))
$(patsubst %,$$(MERC_PROG)/$(1)/%.o,$(2)): $(foreach i,bus $(3),$$(IPC_GEN)/$(i)_client.h)
endef
define boot_initrd
$$(B)/tests/$(1).initrd: $$(MERC_PROG)/init.strip $$(MERC_PROG)/devmgr.strip $$(MERC_PROG)/bus.strip \
  $(foreach f,$(2),$(lastword $(subst =, ,$(f)))) tools/mkinitrd
	@mkdir -p $$(@D)
	tools/mkinitrd $$@ boot/init=$$(MERC_PROG)/init.strip sbin/devmgr=$$(MERC_PROG)/devmgr.strip \
	  sbin/bus=$$(MERC_PROG)/bus.strip $(2)
ALL += $$(B)/tests/$(1).initrd
endef

