# venus/ahci: the AHCI (SATA) driver (drv/ahci), serving "blk0"
# (blockdev.ipc) through mercury/dev/blkdrv.c.
ifdef mercury_prog
AHCI_SRCS := venus/ahci/ahci.c mercury/dev/blkdrv.c mercury/dev/drvserve.c mercury/dev/drvbuf.c
$(eval $(call mercury_prog,ahci,$(AHCI_SRCS),$(IPC_CFLAGS) -Imercury/dev,$(IPC_ARES)/libipc.a))
$(patsubst %,$(MERC_PROG)/ahci/%.o,$(AHCI_SRCS)): $(IPC_GEN)/blockdev_server.h $(IPC_GEN)/bus_client.h \
  $(IPC_GEN)/mem_client.h
INITRD_FILES += drv/ahci=$(MERC_PROG)/ahci.strip

# tests/qemu/blk.t runs svc/blkcheck against it too.
$(eval $(call boot_initrd,ahci,drv/ahci=$(MERC_PROG)/ahci.strip svc/blkcheck=$(MERC_PROG)/blkcheck.strip))
endif
