# gaia/init: the root task (boot/init), and the programs of the boot path it
# starts: the device manager (sbin/devmgr, mercury/dev) and, for tests, the
# test driver (drv/testdrv, tests/mercury/dev/testdrv). Their rules live
# here because mercury_prog (mercury/lib/lib.mk) and IPC_ARES
# (mercury/ipc/ipc.mk) are defined after mercury/dev/dev.mk is read.
#
# `make run` boots build/initrd.tar: init, devmgr, no drivers yet (Venus).
# tests/qemu/devmgr.t boots $(B)/tests/devmgr.initrd, the same plus testdrv.

ifdef mercury_prog
DEV_PORTABLE_SRCS := mercury/dev/devmgr.c mercury/dev/manifest.c mercury/dev/pci.c
INIT_CFLAGS := -Imercury/dev $(IPC_CFLAGS)

$(eval $(call mercury_prog,init,gaia/init/init.c gaia/init/devhost.c gaia/init/devmem.c \
  gaia/init/initrd.c $(DEV_PORTABLE_SRCS),$(INIT_CFLAGS),$(IPC_ARES)/libipc.a))
$(eval $(call mercury_prog,devmgr,mercury/dev/devmgr_main.c mercury/dev/cfg_ioport.c \
  $(DEV_PORTABLE_SRCS),$(INIT_CFLAGS),$(IPC_ARES)/libipc.a))
$(eval $(call mercury_prog,testdrv,tests/mercury/dev/testdrv/testdrv.c $(DEV_PORTABLE_SRCS),-Imercury/dev))

# The generated headers must exist before these compile.
$(MERC_PROG)/init/gaia/init/devhost.c.o: $(IPC_GEN)/devhost_server.h
$(MERC_PROG)/devmgr/mercury/dev/devmgr_main.c.o: $(IPC_GEN)/devhost_client.h $(IPC_GEN)/bus_client.h \
  $(IPC_GEN)/devmgr_server.h
$(MERC_PROG)/init/gaia/init/init.c.o $(MERC_PROG)/init/gaia/init/devhost.c.o: $(IPC_GEN)/bus_client.h

INITRD_FILES += boot/init=$(MERC_PROG)/init.strip sbin/devmgr=$(MERC_PROG)/devmgr.strip

DEVMGR_TEST_INITRD := $(B)/tests/devmgr.initrd
$(DEVMGR_TEST_INITRD): $(MERC_PROG)/init.strip $(MERC_PROG)/devmgr.strip $(MERC_PROG)/testdrv.strip \
  $(MERC_PROG)/bus.strip tools/mkinitrd
	@mkdir -p $(@D)
	tools/mkinitrd $@ boot/init=$(MERC_PROG)/init.strip sbin/devmgr=$(MERC_PROG)/devmgr.strip \
	  sbin/bus=$(MERC_PROG)/bus.strip drv/testdrv=$(MERC_PROG)/testdrv.strip
ALL += $(DEVMGR_TEST_INITRD)
endif
