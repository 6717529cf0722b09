# mercury/dev: the device manager (docs/mercury-dev.md).
#
# The portable parts (pci.c, manifest.c) are host-tested against a
# simulated PCI bus and bad manifests (tests/mercury/dev/*.c), compiled
# like libmercury's host objects (standard names renamed, ASan, UBSan).

DEV_DIR := mercury/dev
DEV_PORTABLE := pci manifest devmgr
# mercury/lib/lib.mk is read after this file: its variables are empty here
# outside recipes, so prerequisites spell its files out.
DEV_RENAME_H := $(B)/mercury/host/rename.h
DEV_UNRENAME_H := $(B)/mercury/host/unrename.h

$(B)/mercury/dev/host/%.o: $(DEV_DIR)/%.c $(DEV_RENAME_H)
	@mkdir -p $(@D)
	$(HOST_CC) $(MERC_HFLAGS) -I$(DEV_DIR) -c -o $@ $<

# $(call dev_test,NAME,UNITS): tests/mercury/dev/NAME.c as $(B)/tests/mercury-dev-NAME.t
define dev_test
$(B)/tests/mercury-dev-$(1).t: tests/mercury/dev/$(1).c $(patsubst %,$(B)/mercury/dev/host/%.o,$(2)) $(B)/mercury/host/fmt.o $(B)/mercury/host/string.o tests/lib/tap.h $(DEV_RENAME_H) $(DEV_UNRENAME_H)
	@mkdir -p $$(@D)
	$$(HOST_CC) $$(MERC_TFLAGS) -I$(DEV_DIR) -o $$@ $$< $$(filter %.o,$$^)
CHECK_TESTS += $(B)/tests/mercury-dev-$(1).t
endef
$(eval $(call dev_test,pci,pci))
$(eval $(call dev_test,manifest,manifest pci))
$(eval $(call dev_test,devmgr,devmgr manifest pci))

# What Venus drivers build from (read before venus/, so their fragments
# may use these in prerequisites): the serving loop and buffers, blockdev
# and netif for block and network drivers, virtio's queues and transport.
DRV_SRCS := mercury/dev/drvserve.c mercury/dev/drvbuf.c
BLKDRV_SRCS := mercury/dev/blkdrv.c $(DRV_SRCS)
NETDRV_SRCS := mercury/dev/netdrv.c $(DRV_SRCS)
VIRTIO_SRCS := venus/virtio/virtq.c venus/virtio/vpci.c mercury/dev/devmgr.c mercury/dev/manifest.c mercury/dev/pci.c

# $(call venus_driver,NAME,SOURCES,IFACE[,CFLAGS]): drv/NAME in the initrd,
# a program on libipc serving IFACE; every source waits for the generated
# server header and the bus and mem client stubs.
define venus_driver
$$(eval $$(call mercury_prog,$(1),$(2),$$(IPC_CFLAGS) -Imercury/dev $(4),$$(IPC_ARES)/libipc.a))
$(patsubst %,$$(MERC_PROG)/$(1)/%.o,$(2)): $$(IPC_GEN)/$(3)_server.h $$(IPC_GEN)/bus_client.h $$(IPC_GEN)/mem_client.h
INITRD_FILES += drv/$(1)=$$(MERC_PROG)/$(1).strip
endef
