# venus/nvme: the NVMe driver (drv/nvme), serving "blk0" (blockdev.ipc)
# through mercury/dev/blkdrv.c.
ifdef mercury_prog
NVME_SRCS := venus/nvme/nvme.c mercury/dev/blkdrv.c mercury/dev/drvserve.c mercury/dev/drvbuf.c
$(eval $(call mercury_prog,nvme,$(NVME_SRCS),$(IPC_CFLAGS) -Imercury/dev,$(IPC_ARES)/libipc.a))
$(patsubst %,$(MERC_PROG)/nvme/%.o,$(NVME_SRCS)): $(IPC_GEN)/blockdev_server.h $(IPC_GEN)/bus_client.h \
  $(IPC_GEN)/mem_client.h
INITRD_FILES += drv/nvme=$(MERC_PROG)/nvme.strip

# tests/qemu/blk.t runs svc/blkcheck against it too.
$(eval $(call boot_initrd,nvme,drv/nvme=$(MERC_PROG)/nvme.strip svc/blkcheck=$(MERC_PROG)/blkcheck.strip))
endif
