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

INIT_SRCS := $(addprefix gaia/init/,init.c serve.c child.c devhost.c procsvc.c memsvc.c devmem.c initrd.c)
$(eval $(call mercury_prog,init,$(INIT_SRCS) $(DEV_PORTABLE_SRCS),$(INIT_CFLAGS),$(IPC_ARES)/libipc.a))
$(eval $(call mercury_prog,devmgr,mercury/dev/devmgr_main.c mercury/dev/cfg_ioport.c \
  $(DEV_PORTABLE_SRCS),$(INIT_CFLAGS),$(IPC_ARES)/libipc.a))
$(eval $(call mercury_prog,testdrv,tests/mercury/dev/testdrv/testdrv.c $(DEV_PORTABLE_SRCS),-Imercury/dev))

# The generated headers must exist before these compile.
$(patsubst %,$(MERC_PROG)/init/%.o,$(INIT_SRCS)): $(IPC_GEN)/devhost_server.h $(IPC_GEN)/proc_server.h \
  $(IPC_GEN)/mem_server.h
$(MERC_PROG)/devmgr/mercury/dev/devmgr_main.c.o: $(IPC_GEN)/devhost_client.h $(IPC_GEN)/bus_client.h \
  $(IPC_GEN)/devmgr_server.h
$(patsubst %,$(MERC_PROG)/init/%.o,$(INIT_SRCS)): $(IPC_GEN)/bus_client.h

INITRD_FILES += boot/init=$(MERC_PROG)/init.strip sbin/devmgr=$(MERC_PROG)/devmgr.strip

$(eval $(call boot_initrd,devmgr,drv/testdrv=$(MERC_PROG)/testdrv.strip))

# tests/qemu/drvrestart.t: the same with svc/drvctl, a client of devmgr's driver control.
$(eval $(call os_test_prog,drvctl,tests/mercury/dev/drvctl.c,devmgr))
$(eval $(call boot_initrd,drvctl,drv/testdrv=$(MERC_PROG)/testdrv.strip svc/drvctl=$(MERC_PROG)/drvctl.strip))
endif

# The process service's suite (tests/qemu/proc.t): svc/proctest starts
# bin/pchild through its proc cap.
ifdef mercury_prog
PROCT := tests/gaia/proc
$(eval $(call os_test_prog,proctest,$(PROCT)/proctest.c,proc))
$(eval $(call mercury_prog,pchild,$(PROCT)/pchild.c))
$(eval $(call boot_initrd,gaia/proc,svc/proctest=$(MERC_PROG)/proctest.strip bin/pchild=$(MERC_PROG)/pchild.strip))

# Shared memory (tests/qemu/mem.t): svc/memtest shares buffers with bin/mchild.
MEMT := tests/gaia/mem
$(eval $(call os_test_prog,memtest,$(MEMT)/memtest.c,proc mem))
$(eval $(call os_test_prog,mchild,$(MEMT)/mchild.c,mem))
$(eval $(call boot_initrd,gaia/mem,svc/memtest=$(MERC_PROG)/memtest.strip bin/mchild=$(MERC_PROG)/mchild.strip))
endif
